"""ios_starter/, checked without a Mac: the Xcode project, the keyboard, the strings, the contract, the shipped model.

Xcode cannot run here. The Swift that needs no Apple framework is compiled and tested for real: EmojiLabKit, and the
app's own inference file on LiteRT's C runtime (tests/test_swift_package.py). These tests check what Xcode and the
app rely on, reading the project with `pbxproj` (a library that reads and writes Xcode projects): every file the
project names exists and every Swift file is built by a target or a package; the app and the keyboard link the local
package and LiteRT-Swift's `LiteRT` at the release the Python side pins, bundle the model files and the string
catalog; the bundle identifiers come from one file; the icon is the one the project draws; the keyboard is an
extension that needs no full access; the Swift code reads exactly the keys and schemes Python writes; and the shipped
model, run by LiteRT here as the app runs it, matches its golden.json under the rule the app's tests apply.
"""

from __future__ import annotations

import hashlib
import json
import plistlib
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from pbxproj import XcodeProject
from pbxproj.PBXGenericObject import PBXGenericObject

from emoji_lab.data.cleaning import text_cleaner
from emoji_lab.data.encoders import ByteEncoder
from emoji_lab.deploy import app, litert

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
IOS = ROOT / "ios_starter"
KIT = IOS / "EmojiLabKit"
LINUX_RUNTIME = IOS / "LiteRTForLinux"  # the test package that runs the app's inference file on Linux
PBXPROJ = IOS / "EmojiLab.xcodeproj" / "project.pbxproj"
XCCONFIG = IOS / "BundleIdentifier.xcconfig"
ICON = IOS / "EmojiLab" / "Assets.xcassets" / "AppIcon.appiconset"
APP, KEYBOARD, TESTS = "EmojiLab", "EmojiKeyboard", "EmojiLabTests"
SCHEME = IOS / "EmojiLab.xcodeproj" / "xcshareddata" / "xcschemes" / "EmojiLab.xcscheme"
SOURCES, RESOURCES, FRAMEWORKS = "PBXSourcesBuildPhase", "PBXResourcesBuildPhase", "PBXFrameworksBuildPhase"
CATALOG = IOS / "Shared" / "Localizable.xcstrings"
# Where each target's Swift comes from (the package's own Swift is built by the package, not by a target).
TARGET_FOLDERS = {APP: ("EmojiLab", "Shared"), KEYBOARD: ("EmojiKeyboard", "Shared"), TESTS: ("EmojiLabTests",)}


def plain(value):
    """pbxproj's objects as dicts, lists and strings."""
    if isinstance(value, PBXGenericObject):
        return {str(key): plain(value[key]) for key in value.get_keys()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return str(value)


class Project:
    """The Xcode project as Xcode resolves it: objects by id, targets by name, build phases, paths through groups."""

    def __init__(self, pbxproj: Path):
        self.xcode = XcodeProject.load(str(pbxproj))
        self.objects: dict[str, dict] = {str(key): plain(self.xcode.objects[key]) for key in self.xcode.objects.get_keys()}
        self.root = self.objects[str(self.xcode.rootObject)]
        self.paths = self._resolve(self.root["mainGroup"], IOS)  # SOURCE_ROOT: the folder of the .xcodeproj

    def _resolve(self, group_id: str, base: Path) -> dict[str, Path]:
        """id -> path on disk of every group and file under `group_id` (built products excluded)."""
        found = {group_id: base}
        for child_id in self.objects[group_id].get("children", []):
            child = self.objects[child_id]
            if child.get("sourceTree") != "<group>":
                continue
            found[child_id] = base / child.get("path", "")
            if child["isa"] == "PBXGroup":
                found.update(self._resolve(child_id, found[child_id]))
        return found

    @property
    def targets(self) -> dict[str, dict]:
        return {self.objects[i]["name"]: self.objects[i] for i in self.root["targets"]}

    def target_id(self, name: str) -> str:
        return next(i for i in self.root["targets"] if self.objects[i]["name"] == name)

    def phase(self, target: str, isa: str) -> dict:
        """The target's one build phase of kind `isa` (PBXSourcesBuildPhase, PBXResourcesBuildPhase, ...)."""
        phases = [self.objects[i] for i in self.targets[target]["buildPhases"] if self.objects[i]["isa"] == isa]
        assert len(phases) == 1, f"target {target} has {len(phases)} {isa} phases, not 1"
        return phases[0]

    def phase_paths(self, target: str, isa: str) -> list[Path]:
        return [self.paths[self.objects[f]["fileRef"]] for f in self.phase(target, isa)["files"]]

    def configurations(self, target: str | None = None) -> dict[str, dict]:
        """Configuration name -> its object, of a target or (None) of the project."""
        owner = self.targets[target] if target else self.root
        ids = self.objects[owner["buildConfigurationList"]]["buildConfigurations"]
        return {self.objects[i]["name"]: self.objects[i] for i in ids}

    def build_settings(self, target: str | None = None) -> dict[str, dict]:
        return {name: config["buildSettings"] for name, config in self.configurations(target).items()}


@pytest.fixture(scope="module")
def project() -> Project:
    return Project(PBXPROJ)


def swift_files(*folders: str) -> set[Path]:
    return {p for folder in folders for p in (IOS / folder).rglob("*.swift") if ".build" not in p.parts}


def swift_source(path: str) -> str:
    return (IOS / path).read_text(encoding="utf-8")


def swift_block(source: str, header: str) -> str:
    """The body between the braces that follow the first match of `header` (a regex)."""
    match = re.search(header, source)
    assert match, f"no {header!r} in the Swift source"
    start = source.index("{", match.end())
    depth = 0
    for end in range(start, len(source)):
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        if depth == 0:
            return source[start + 1:end]
    raise AssertionError(f"unbalanced braces after {header!r}")


def swift_coding_keys(block: str) -> list[str]:
    """JSON keys of a Swift `enum CodingKeys`: the raw value if given, else the case name."""
    keys = []
    for line in re.findall(r"^\s*case\s+(.+)$", block, re.MULTILINE):
        for item in line.split(","):
            name, _, raw = item.partition("=")
            keys.append(raw.strip().strip('"') if raw else name.strip())
    return keys


def golden_mismatches(golden: dict, probabilities: np.ndarray) -> list[str]:
    """The app's comparison rule (ClassifierGoldenTests.swift): what differs from golden.json, if anything.

    Every class's probability within the tolerance, and the golden top-k in golden's order unless two
    neighbours in that order are within twice the tolerance of each other.
    """
    tolerance, problems = golden["tolerance"], []
    for example, probs in zip(golden["examples"], probabilities, strict=True):
        for index, expected in enumerate(example["probabilities"]):
            if abs(float(probs[index]) - expected) > tolerance:
                problems.append(f"{example['name']}: {golden['labels'][index]} {probs[index]:.7f}, golden {expected:.7f}")
        top = example["top"]
        tied = any(abs(a["probability"] - b["probability"]) <= 2 * tolerance for a, b in zip(top, top[1:]))
        order = np.argsort(-np.asarray(probs, dtype=np.float32), kind="stable")[:len(top)].tolist()
        if not tied and order != [t["index"] for t in top]:
            problems.append(f"{example['name']}: top-{len(top)} is {order}, golden {[t['index'] for t in top]}")
    return problems


# -- the Xcode project -----------------------------------------------------------------------------------------------
def test_project_has_the_app_its_keyboard_and_a_test_bundle_hosted_by_the_app(project):
    targets = project.targets
    assert set(targets) == {APP, KEYBOARD, TESTS}
    assert targets[APP]["productType"] == "com.apple.product-type.application"
    assert targets[KEYBOARD]["productType"] == "com.apple.product-type.app-extension"
    assert targets[TESTS]["productType"] == "com.apple.product-type.bundle.unit-test"
    depends = {name: [project.objects[d]["target"] for d in t["dependencies"]] for name, t in targets.items()}
    assert depends == {APP: [project.target_id(KEYBOARD)], KEYBOARD: [], TESTS: [project.target_id(APP)]}
    for settings in project.build_settings(TESTS).values():
        assert settings["TEST_HOST"].startswith("$(BUILT_PRODUCTS_DIR)/EmojiLab.app/")
        assert settings["BUNDLE_LOADER"] == "$(TEST_HOST)"


def test_the_app_embeds_the_keyboard(project):
    embed = project.phase(APP, "PBXCopyFilesBuildPhase")
    assert embed["dstSubfolderSpec"] == "13"  # PlugIns: where iOS looks for app extensions
    embedded = [project.objects[project.objects[f]["fileRef"]]["path"] for f in embed["files"]]
    assert embedded == ["EmojiKeyboard.appex"] == [project.objects[project.targets[KEYBOARD]["productReference"]]["path"]]


def test_the_project_file_is_in_the_form_xcode_and_pbxproj_write(project):
    assert str(project.xcode) + "\n" == PBXPROJ.read_text(encoding="utf-8"), "re-save it with pbxproj (or Xcode)"


def test_every_object_id_the_project_mentions_exists(project):
    mentioned = set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():  # TargetAttributes uses target ids as keys
                walk(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif re.fullmatch(r"[0-9A-F]{24}", value):
            mentioned.add(value)

    walk(project.objects)
    assert mentioned - set(project.objects) == set()


def test_every_file_reference_exists_and_sits_in_a_group(project):
    refs = {i for i, obj in project.objects.items() if obj["isa"] == "PBXFileReference"}
    products = {i for i in refs if project.objects[i]["sourceTree"] == "BUILT_PRODUCTS_DIR"}
    assert products == {t["productReference"] for t in project.targets.values()}
    orphans = refs - products - set(project.paths)
    assert not orphans, f"file references outside every group: {sorted(orphans)}"
    for ref in refs - products:
        path = project.paths[ref]
        assert path.exists(), f"{project.objects[ref]['path']} resolves to {path}, which does not exist"
        assert IOS in path.resolve().parents, f"{path} is outside ios_starter"


def test_every_build_file_belongs_to_one_phase(project):
    build_files = {i for i, obj in project.objects.items() if obj["isa"] == "PBXBuildFile"}
    in_phases = [f for obj in project.objects.values() if obj["isa"].endswith("BuildPhase") for f in obj["files"]]
    assert sorted(in_phases) == sorted(build_files)


@pytest.mark.parametrize("target", [APP, KEYBOARD, TESTS])
def test_each_target_compiles_exactly_the_swift_files_of_its_folders(project, target):
    built = project.phase_paths(target, SOURCES)
    assert len(built) == len(set(built))
    assert set(built) == swift_files(*TARGET_FOLDERS[target])


def test_every_swift_file_is_built_by_a_target_or_by_a_package():
    targeted = set().union(*(swift_files(*folders) for folders in TARGET_FOLDERS.values()))
    assert swift_files(".") == targeted | swift_files("EmojiLabKit") | swift_files("LiteRTForLinux")


def test_linux_compiles_the_apps_own_inference_file_in_a_package_xcode_never_sees(project):
    linked = LINUX_RUNTIME / "Sources" / "AppInference" / "LiteRTEmojiModel.swift"
    assert linked.is_symlink() and linked.resolve() == (IOS / "Shared" / "LiteRTEmojiModel.swift").resolve()
    assert [p for p in (LINUX_RUNTIME / "Sources" / "AppInference").iterdir()] == [linked]  # that file alone
    assert not [p for p in project.paths.values() if LINUX_RUNTIME in p.parents or p == LINUX_RUNTIME]
    # LiteRT-Swift lives in the Xcode project alone: no Package.swift here names a package to download
    for manifest in IOS.rglob("Package.swift"):
        if ".build" not in manifest.parts:
            assert "url:" not in manifest.read_text(encoding="utf-8"), manifest


@pytest.mark.parametrize("target, names", [(APP, app.APP_FILES), (KEYBOARD, app.APP_FILES[:3])])
def test_the_app_and_the_keyboard_bundle_the_model_files_and_the_strings(project, target, names):
    bundled = project.phase_paths(target, RESOURCES)
    expected = {app.app_resources(IOS) / name for name in names} | {CATALOG}
    assert expected <= set(bundled), f"not in Copy Bundle Resources: {sorted(map(str, expected - set(bundled)))}"
    assert app.app_resources(IOS) / app.MANIFEST_FILE not in bundled
    assert not [p for p in bundled if p.name == "Info.plist"]  # Xcode processes it; copying it too fails the build


def test_the_app_and_the_keyboard_link_the_local_package_and_litert_swift_at_the_pinned_release(project):
    refs = {project.objects[i]["isa"]: project.objects[i] for i in project.root["packageReferences"]}
    assert set(refs) == {"XCLocalSwiftPackageReference", "XCRemoteSwiftPackageReference"}
    local = refs["XCLocalSwiftPackageReference"]
    assert (IOS / local["relativePath"] / "Package.swift").is_file() and IOS / local["relativePath"] == KIT
    remote = refs["XCRemoteSwiftPackageReference"]
    assert remote["repositoryURL"] == "https://github.com/google-ai-edge/LiteRT-Swift"
    assert remote["requirement"] == {"kind": "exactVersion", "version": litert.APP_LITERT}
    for target in (APP, KEYBOARD):
        products = {project.objects[d]["productName"]: project.objects[project.objects[d]["package"]]["isa"]
                    for d in project.targets[target]["packageProductDependencies"]}
        assert products == {"EmojiLabKit": "XCLocalSwiftPackageReference", "LiteRT": "XCRemoteSwiftPackageReference"}
        linked = {project.objects[project.objects[f]["productRef"]]["productName"]
                  for f in project.phase(target, FRAMEWORKS)["files"]}
        assert linked == set(products)
    assert not (IOS / "Podfile").exists() and "Pods" not in PBXPROJ.read_text(encoding="utf-8")
    assert "import LiteRT\n" in swift_source("Shared/LiteRTEmojiModel.swift")


def test_nothing_names_the_package_product_that_does_not_exist():
    """LiteRT's Swift package has no `TensorFlowLite` product for apps (#34): not in code, project or prose."""
    wrong = re.compile("TensorFlow" + "Lite\\b|release/2\\.3")
    folders = [IOS, ROOT / "src", ROOT / "lessons", ROOT / "tutorial"]
    files = [ROOT / "README.md"] + [p for folder in folders for p in folder.rglob("*") if p.is_file()
                                    and ".build" not in p.parts and p.suffix not in {".png", ".tflite", ".gz"}]
    named = [str(p.relative_to(ROOT)) for p in files if wrong.search(p.read_text(encoding="utf-8", errors="ignore"))]
    assert named == []


def test_python_checks_exports_with_the_litert_release_the_app_links():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"ai-edge-litert=={litert.APP_LITERT}" in [d.split(";")[0].strip() for d in pyproject["project"]["dependencies"]]
    from importlib.metadata import version

    assert version("ai-edge-litert") == litert.APP_LITERT


def test_info_plists_parse_and_the_keyboard_needs_no_full_access(project):
    for target, folder in ((APP, "EmojiLab"), (KEYBOARD, "EmojiKeyboard")):
        info = plistlib.loads((IOS / folder / "Info.plist").read_bytes())
        assert info["CFBundleIdentifier"] == "$(PRODUCT_BUNDLE_IDENTIFIER)"
        assert info["CFBundleExecutable"] == "$(EXECUTABLE_NAME)"
        for settings in project.build_settings(target).values():
            assert (IOS / settings["INFOPLIST_FILE"]).resolve() == (IOS / folder / "Info.plist").resolve()
    assert "UILaunchScreen" in plistlib.loads((IOS / "EmojiLab" / "Info.plist").read_bytes())
    extension = plistlib.loads((IOS / "EmojiKeyboard" / "Info.plist").read_bytes())["NSExtension"]
    assert extension["NSExtensionPointIdentifier"] == "com.apple.keyboard-service"
    assert extension["NSExtensionPrincipalClass"] == "$(PRODUCT_MODULE_NAME).KeyboardViewController"
    assert extension["NSExtensionAttributes"]["RequestsOpenAccess"] is False


def test_the_keyboard_is_an_input_view_controller_that_switches_keyboards_and_never_networks():
    source = swift_source("EmojiKeyboard/KeyboardViewController.swift")
    assert re.search(r"final class KeyboardViewController: UIInputViewController\b", source)
    assert "handleInputModeList(from:with:)" in source and "needsInputModeSwitchKey" in source
    assert "documentContextBeforeInput" in source and "insertText(" in source
    used = {path: swift_source(path) for path in ("EmojiKeyboard/KeyboardViewController.swift",
                                                  "Shared/LiteRTEmojiModel.swift", "Shared/Strings.swift")}
    used.update({str(p.relative_to(IOS)): p.read_text(encoding="utf-8") for p in swift_files("EmojiLabKit/Sources")})
    networking = [path for path, text in used.items() if re.search(r"URLSession|NWConnection|CFNetwork", text)]
    assert networking == []


def test_one_file_holds_the_bundle_identifier_and_signing_is_left_to_the_learner(project):
    ids = {target: {s["PRODUCT_BUNDLE_IDENTIFIER"] for s in project.build_settings(target).values()}
           for target in (APP, KEYBOARD, TESTS)}
    assert ids == {APP: {"$(APP_BUNDLE_ID)"}, KEYBOARD: {"$(APP_BUNDLE_ID).keyboard"}, TESTS: {"$(APP_BUNDLE_ID).tests"}}
    bases = {project.configurations()[name].get("baseConfigurationReference") for name in ("Debug", "Release")}
    assert [project.paths[ref] for ref in bases] == [XCCONFIG]
    for target in (None, APP, KEYBOARD, TESTS):  # only the xcconfig sets it, so one edit changes all three
        assert all("APP_BUNDLE_ID" not in settings for settings in project.build_settings(target).values())
    settings = dict(re.findall(r"^(\w+) = (.*)$", XCCONFIG.read_text(encoding="utf-8"), re.MULTILINE))
    # unique per learner without typing: the team ID Xcode sets when the learner chooses a team
    assert settings == {"APP_BUNDLE_ID": "org.emojilab.EmojiLab$(DEVELOPMENT_TEAM)"}
    walkthrough = (IOS / "README.md").read_text(encoding="utf-8").split("## From a Mac")[1]
    assert "BundleIdentifier.xcconfig" in walkthrough
    versions = {target: {(s["MARKETING_VERSION"], s["CURRENT_PROJECT_VERSION"])
                         for s in project.build_settings(target).values()} for target in (APP, KEYBOARD)}
    assert versions[APP] == versions[KEYBOARD] and len(versions[APP]) == 1  # an extension's must match its app's
    package = (KIT / "Package.swift").read_text(encoding="utf-8")
    assert ".iOS(.v15)" in package and "swift-tools-version: 6" in package
    for target in (None, APP, KEYBOARD, TESTS):
        for settings in project.build_settings(target).values():
            assert settings.get("IPHONEOS_DEPLOYMENT_TARGET") == "15.0"  # LiteRT's Swift package needs iOS 15
            if target:
                assert settings["SWIFT_VERSION"] == "6.0"
                assert settings["DEVELOPMENT_TEAM"] == "" and settings["CODE_SIGN_STYLE"] == "Automatic"


def test_shared_scheme_builds_the_app_and_runs_the_tests(project):
    scheme = ET.parse(SCHEME).getroot()
    fields = ("BlueprintName", "BlueprintIdentifier", "BuildableName", "ReferencedContainer")
    named = {tuple(reference.get(field) for field in fields) for reference in scheme.iter("BuildableReference")}
    assert named == {(APP, project.target_id(APP), "EmojiLab.app", "container:EmojiLab.xcodeproj"),
                     (TESTS, project.target_id(TESTS), "EmojiLabTests.xctest", "container:EmojiLab.xcodeproj")}
    testables = scheme.findall("./TestAction/Testables/TestableReference/BuildableReference")
    assert [t.get("BlueprintName") for t in testables] == [TESTS]


def test_the_app_icon_is_the_one_the_project_draws():
    """1024 px, opaque RGB as the App Store wants, and exactly what make_app_icon.py draws (to a unit, for CPUs
    that round a last bit differently)."""
    import importlib.util
    import zlib

    contents = json.loads((ICON / "Contents.json").read_text(encoding="utf-8"))
    assert contents["images"] == [{"filename": "AppIcon.png", "idiom": "universal", "platform": "ios",
                                   "size": "1024x1024"}]
    data = (ICON / "AppIcon.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height, depth, color = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"), data[24], data[25]
    assert (width, height, depth, color) == (1024, 1024, 8, 2)  # 8-bit RGB: no alpha channel
    spec = importlib.util.spec_from_file_location("make_app_icon", IOS / "make_app_icon.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    idat = data[data.index(b"IDAT") + 4:data.index(b"IEND") - 8]  # one IDAT chunk, then its CRC and IEND's length
    rows = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, 1 + width * 3)
    assert (rows[:, 0] == 0).all()  # every row unfiltered, as make_app_icon.py writes them
    shipped = rows[:, 1:].reshape(height, width, 3).astype(int)
    assert np.abs(shipped - maker.draw().astype(int)).max() <= 1


# -- Chinese too -----------------------------------------------------------------------------------------------------
def format_specifiers(text: str) -> list[str]:
    """The printf conversions of a format, positions dropped: `%1$lld` counts as `%lld`."""
    return sorted(re.sub(r"\d+\$", "", m) for m in re.findall(r"%(?:\d+\$)?(?:\.\d+)?(?:lld|@|f)", text))


def test_every_string_the_app_and_the_keyboard_show_is_in_english_and_simplified_chinese(project):
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    assert catalog["sourceLanguage"] == "en"
    assert "zh-Hans" in project.root["knownRegions"]
    sources = "".join(p.read_text(encoding="utf-8") for p in swift_files("EmojiLab", "EmojiKeyboard", "Shared"))
    used = set(re.findall(r'String\(localized: "((?:[^"\\]|\\.)*)"\)', sources))
    assert used == set(catalog["strings"]), f"only in Swift: {used - set(catalog['strings'])}; " \
                                            f"only in the catalog: {set(catalog['strings']) - used}"
    for key, entry in catalog["strings"].items():
        unit = entry["localizations"]["zh-Hans"]["stringUnit"]
        assert unit["state"] == "translated" and unit["value"].strip(), key
        assert format_specifiers(unit["value"]) == format_specifiers(key), key
    shown_raw = re.findall(r'\b(?:Text|Label|Button|TextField|ProgressView)\("', sources)
    assert shown_raw == [], "UI text goes through Strings (Localizable.xcstrings), not a literal"
    assert any("English tweets" in key for key in catalog["strings"])  # the app says what the model reads


# -- the Swift side of the contract ----------------------------------------------------------------------------------
def test_swift_resource_names_are_the_exported_files():
    names = re.findall(r'static let \w+ = "([^"]*)"', swift_source("EmojiLabKit/Sources/EmojiLabKit/ModelFiles.swift"))
    assert sorted(names) == sorted(app.APP_FILES)
    elsewhere = {Path(name).name for p in swift_files(".") if p.name != "ModelFiles.swift"
                 for name in re.findall(r'"([^"\\]*\.(?:tflite|txt|json))"', p.read_text(encoding="utf-8"))}
    assert elsewhere <= {"byte_encoder.json"}, "name the app's resource files only in ModelFiles"


def test_swift_reads_exactly_the_preprocess_keys_python_writes():
    source = swift_source("EmojiLabKit/Sources/EmojiLabKit/Preprocess.swift")
    keys = swift_coding_keys(swift_block(swift_block(source, r"struct Fields\b"), r"enum CodingKeys\b"))
    assert sorted(keys) == sorted(ByteEncoder().to_dict())
    cleaning = swift_coding_keys(swift_block(swift_block(source, r"struct CleaningSpec\b"), r"enum CodingKeys\b"))
    assert sorted(cleaning) == sorted(text_cleaner().spec())


def test_swift_accepts_only_the_scheme_and_cleaning_python_implements():
    constants = {}
    for path in ("Preprocess.swift", "TextCleaner.swift"):
        source = swift_source(f"EmojiLabKit/Sources/EmojiLabKit/{path}")
        constants.update({f"{path}:{name}": json.loads(value)
                          for name, value in re.findall(r"public static let (\w+) = (\S+)$", source, re.MULTILINE)})
    python, spec = ByteEncoder().to_dict(), text_cleaner().spec()
    assert constants == {"Preprocess.swift:scheme": python["scheme"], "Preprocess.swift:version": python["version"],
                         "TextCleaner.swift:rule": spec["rule"], "TextCleaner.swift:version": spec["version"]}


# -- the model shipped in the app ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def resources() -> Path:
    folder = app.app_resources(IOS)
    missing = [name for name in (*app.APP_FILES, app.MANIFEST_FILE) if not (folder / name).is_file()]
    if missing:
        pytest.fail(f"{folder} lacks {', '.join(missing)}: the app ships a placeholder model; fill it with "
                    "`python -m emoji_lab export --model RUN_DIR --ios ios_starter` (lesson 8)")
    return folder


@pytest.fixture(scope="module")
def golden(resources) -> dict:
    return json.loads((resources / "golden.json").read_text(encoding="utf-8"))


def test_resources_are_exactly_what_the_exporter_wrote(resources):
    manifest = json.loads((resources / app.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["format_version"] == 1
    actual = {name: hashlib.sha256((resources / name).read_bytes()).hexdigest() for name in app.APP_FILES}
    assert manifest["files"] == actual, "a file in Resources was changed after `emoji_lab export` wrote it"


def test_labels_and_preprocess_agree_with_golden(resources, golden):
    text = (resources / "labels.txt").read_bytes().decode("utf-8")
    assert text.endswith("\n")
    labels = text.split("\n")[:-1]
    assert labels == golden["labels"] and all(labels)
    assert golden["output"]["shape"] == [1, len(labels)]
    preprocess = json.loads((resources / "preprocess.json").read_text(encoding="utf-8"))
    assert preprocess == golden["preprocess"] == ByteEncoder().to_dict()
    assert golden["format_version"] == app.GOLDEN_FORMAT
    assert golden["runtime"] == {"litert": litert.APP_LITERT, "api": "CompiledModel", "accelerators": ["cpu"]}


def test_golden_texts_are_cleaned_and_encoded_as_python_does(golden):
    encoder = ByteEncoder.from_dict(golden["preprocess"])
    assert set(app.golden_examples()) == {e["name"] for e in golden["examples"]}
    for example in golden["examples"]:
        assert (encoder.clean(example["text"]), encoder.encode(example["text"])) == (example["clean"], example["ids"])


def test_golden_file_has_every_key_the_swift_code_decodes(golden):
    source = swift_source("EmojiLabKit/Sources/EmojiLabKit/Golden.swift")
    body = swift_block(source, r"public struct Golden\b")
    assert set(swift_coding_keys(swift_block(body, r"enum CodingKeys\b"))) == set(golden) - {"input", "output"}
    fields = {name: set(re.findall(r"let (\w+):", swift_block(body, rf"struct {name}\b")))
              for name in ("Model", "Runtime", "Top", "Example")}
    assert fields["Model"] <= set(golden["model"]) and fields["Runtime"] == set(golden["runtime"])
    for example in golden["examples"]:
        assert fields["Example"] == set(example)
        assert all(fields["Top"] == set(top) for top in example["top"])


def test_model_file_has_the_tensors_the_app_checks(resources, golden):
    content = (resources / "emoji_model.tflite").read_bytes()
    assert golden["model"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert golden["model"]["bytes"] == len(content)
    report = litert.graph_report(content)
    assert litert.deployment_problems(report, golden["preprocess"]["max_len"]) == []
    assert [(t["shape"], t["dtype"]) for t in report["inputs"]] == [(golden["input"]["shape"], "int32")]
    assert [(t["shape"], t["dtype"]) for t in report["outputs"]] == [(golden["output"]["shape"], "float32")]
    assert report["signature_inputs"] == [golden["input"]["name"]]


def kernel_probabilities(resources: Path, golden: dict, mode: str) -> np.ndarray:
    """golden's texts through LiteRT's CompiledModel on the CPU with the given kernels: DELEGATE (XNNPACK, as the app
    runs it) or BUILTIN (LiteRT's own): another implementation of the same ops, the kind of difference a phone's CPU
    makes."""
    from ai_edge_litert.compiled_model import CompiledModel
    from ai_edge_litert.cpu_kernel_mode import CpuKernelMode
    from ai_edge_litert.hardware_accelerator import HardwareAccelerator
    from ai_edge_litert.options import CpuOptions, Options

    options = Options(HardwareAccelerator.CPU, cpu_options=CpuOptions(kernel_mode=getattr(CpuKernelMode, mode)))
    model = CompiledModel.from_file(str(resources / "emoji_model.tflite"), options=options)
    inputs, outputs = model.create_input_buffers(0), model.create_output_buffers(0)
    rows = []
    for example in golden["examples"]:
        inputs[0].write(np.array(example["ids"], dtype=np.int32))
        model.run_by_index(0, inputs, outputs)
        rows.append(outputs[0].read(len(golden["labels"]), np.float32))
    return np.array(rows)


def test_model_matches_its_golden_file(resources, golden):
    assert golden["top_k"] == len(golden["examples"][0]["top"]) >= 2
    probabilities = litert.LiteModel.from_file(resources / "emoji_model.tflite").ids_probabilities(
        np.array([e["ids"] for e in golden["examples"]]))
    assert golden_mismatches(golden, probabilities) == []
    exact = np.array([e["probabilities"] for e in golden["examples"]], dtype=np.float32)
    # golden holds the values XNNPACK computed when it was written: equal up to a few units in the last place,
    # which move with the CPU's instruction set (an AVX-512 machine differed in 19 of 620 values, by at most 2e-7
    # of each); another model, or other kernels (next test), would differ by more
    np.testing.assert_allclose(probabilities, exact, rtol=1e-6, atol=0)
    np.testing.assert_array_equal(kernel_probabilities(resources, golden, "DELEGATE"), probabilities)


def test_the_tolerance_holds_for_other_kernels_with_room_to_spare(resources, golden):
    other = kernel_probabilities(resources, golden, "BUILTIN")
    assert golden_mismatches(golden, other) == []
    exact = np.array([e["probabilities"] for e in golden["examples"]])
    assert np.abs(other - exact).max() * 10 <= golden["tolerance"]


NEAR_TIE = {"tolerance": 1e-3, "labels": ["a", "b", "c"], "examples": [{"name": "x", "probabilities": [0.5004, 0.4996, 0.0],
            "top": [{"index": 0, "probability": 0.5004}, {"index": 1, "probability": 0.4996}]}]}
CLEAR_WIN = {"tolerance": 1e-3, "labels": ["a", "b", "c"], "examples": [{"name": "x", "probabilities": [0.6, 0.4, 0.0],
             "top": [{"index": 0, "probability": 0.6}, {"index": 1, "probability": 0.4}]}]}


@pytest.mark.parametrize("expected, device, flagged", [
    (NEAR_TIE, [0.5004, 0.4996, 0.0], []),
    (NEAR_TIE, [0.4998, 0.5002, 0.0], []),  # another order, but golden's neighbours are within 2 x tolerance
    (NEAR_TIE, [0.5030, 0.4970, 0.0], ["x: a", "x: b"]),  # each off by more than the tolerance
    (CLEAR_WIN, [0.4, 0.6, 0.0], ["x: a", "x: b", "x: top-2"]),
])
def test_comparison_rule_forgives_near_ties_only(expected, device, flagged):
    problems = golden_mismatches(expected, np.array([device]))
    assert [problem[:len(prefix)] for problem, prefix in zip(problems, flagged)] == flagged
    assert len(problems) == len(flagged)


def test_the_readme_shows_the_placeholders_answers_to_the_talks_sentences(golden):
    from emoji_lab.data.talk import ANSWERS

    readme = (IOS / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| (.+?) \| (.+?) \|$", readme.split("| The talk's sentence |")[1], re.MULTILINE)
    rows = [row for row in rows if not row[0].startswith("---")][:len(ANSWERS)]
    examples = {e["text"]: e for e in golden["examples"]}
    assert [row[0] for row in rows] == list(ANSWERS)
    for sentence, ours, talk in rows:
        top = examples[sentence]["top"]
        assert ours == " · ".join(f"{t['emoji']} {100 * t['probability']:.0f}%" for t in top), sentence
        assert talk.split() == list(ANSWERS[sentence])
    assert golden["model"]["run"] in readme and golden["model"]["quantize"] in readme
