"""ios_starter/, checked without a Mac: the Xcode project, the Swift side of the byte contract, the shipped model.

Xcode cannot run here, so these tests check what Xcode and the app rely on: every file the project
names exists and every Swift file is built by its target; the four model files are bundled; the
resource names and preprocess.json keys in the Swift code are exactly what `emoji_lab export`
writes; a Python mirror of the Swift encoder gives the golden ids; and the shipped model, run by
LiteRT here, matches its golden.json under the same rule the app's XCTest applies on the phone.
"""

from __future__ import annotations

import hashlib
import json
import plistlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from xcodeproj import PlistError, Project, parse

from emoji_lab import app, litert
from emoji_lab.encoders import GOLDEN_PATH, ByteEncoder

IOS = Path(__file__).resolve().parents[1] / "ios_starter"
APP, TESTS = "EmojiLab", "EmojiLabTests"
SCHEME = IOS / "EmojiLab.xcodeproj" / "xcshareddata" / "xcschemes" / "EmojiLab.xcscheme"
SOURCES, RESOURCES = "PBXSourcesBuildPhase", "PBXResourcesBuildPhase"


@pytest.fixture(scope="module")
def project() -> Project:
    return Project(IOS / "EmojiLab.xcodeproj")


def swift_sources(folder: str = "") -> dict[str, str]:
    return {str(p.relative_to(IOS)): p.read_text(encoding="utf-8") for p in sorted((IOS / folder).rglob("*.swift"))}


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


def swift_encode(text: str, preprocess: dict) -> list[int]:
    """The Swift rule, step by step: UTF-8 bytes, the first max_len, each + offset, then pad_id to max_len."""
    kept = list(text.encode("utf-8"))[: preprocess["max_len"]]
    ids = [byte + preprocess["offset"] for byte in kept]
    return ids + [preprocess["pad_id"]] * (preprocess["max_len"] - len(ids))


def golden_mismatches(golden: dict, probabilities: np.ndarray) -> list[str]:
    """The app's comparison rule (ClassifierGoldenTests.swift): what differs from golden.json, if anything.

    Each golden top-k probability must be within the tolerance, and the top-1 the same unless the
    golden first two are within twice the tolerance of each other.
    """
    tolerance, problems = golden["tolerance"], []
    for example, probs in zip(golden["examples"], probabilities, strict=True):
        for top in example["top"]:
            got = float(probs[top["index"]])
            if abs(got - top["probability"]) > tolerance:
                problems.append(f"{example['name']}: {top['emoji']} {got:.6f}, golden {top['probability']:.6f}")
        first, second = example["top"][:2]
        best = int(np.argmax(probs))  # the first of equal maxima, as in Swift
        if abs(first["probability"] - second["probability"]) > 2 * tolerance and best != first["index"]:
            problems.append(f"{example['name']}: top-1 is class {best}, golden {first['index']}")
    return problems


# -- the parser ------------------------------------------------------------------------------------------------------
def test_plist_parser_reads_the_pbxproj_syntax():
    text = '// !$*UTF8*$!\n{ a = b; /* note */ "c d" = ( x, "y \\"z\\"\\n", ); e = { f = "$(G)"; }; // end\n}'
    assert parse(text) == {"a": "b", "c d": ["x", 'y "z"\n'], "e": {"f": "$(G)"}}


@pytest.mark.parametrize("text, where", [("{ a = b }", "line 1"), ("{\n a = b;\n a = c;\n}", "line 3"),
                                         ('{ a = "b; }', "line 1"), ("{ a = b; } x", "line 1")])
def test_plist_parser_refuses_broken_text(text, where):
    with pytest.raises(PlistError, match=where):
        parse(text)


# -- the Xcode project -----------------------------------------------------------------------------------------------
def test_project_has_the_app_and_a_test_bundle_hosted_by_it(project):
    targets = project.targets
    assert set(targets) == {APP, TESTS}
    assert targets[APP]["productType"] == "com.apple.product-type.application"
    assert targets[TESTS]["productType"] == "com.apple.product-type.bundle.unit-test"
    dependencies = [project.objects[d]["target"] for d in targets[TESTS]["dependencies"]]
    assert dependencies == [project.target_id(APP)]
    for settings in project.build_settings(TESTS).values():
        assert settings["TEST_HOST"].startswith("$(BUILT_PRODUCTS_DIR)/EmojiLab.app/")
        assert settings["BUNDLE_LOADER"] == "$(TEST_HOST)"


def test_every_object_id_the_project_mentions_exists(project):
    missing = project.referenced_ids() - set(project.objects)
    assert not missing, f"ids used but not defined: {sorted(missing)}"


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


@pytest.mark.parametrize("target, folder", [(APP, "EmojiLab"), (TESTS, "EmojiLabTests")])
def test_each_target_compiles_exactly_the_swift_files_of_its_folder(project, target, folder):
    built = project.phase_paths(target, SOURCES)
    assert len(built) == len(set(built))
    assert set(built) == set((IOS / folder).rglob("*.swift"))


def test_the_app_bundles_the_four_model_files(project):
    bundled = project.phase_paths(APP, RESOURCES)
    expected = {app.app_resources(IOS) / name for name in app.APP_FILES}
    assert expected <= set(bundled), f"not in Copy Bundle Resources: {sorted(expected - set(bundled))}"
    assert app.app_resources(IOS) / app.MANIFEST_FILE not in bundled
    assert IOS / "EmojiLab" / "Info.plist" not in bundled  # Xcode processes it; copying it too fails the build


def test_info_plist_parses_and_every_configuration_uses_it(project):
    info = plistlib.loads((IOS / "EmojiLab" / "Info.plist").read_bytes())
    assert info["CFBundleIdentifier"] == "$(PRODUCT_BUNDLE_IDENTIFIER)"
    assert info["CFBundleExecutable"] == "$(EXECUTABLE_NAME)"
    assert "UILaunchScreen" in info  # without a launch screen iOS shows the app letterboxed
    for settings in project.build_settings(APP).values():
        assert (IOS / settings["INFOPLIST_FILE"]).resolve() == (IOS / "EmojiLab" / "Info.plist").resolve()


def test_build_settings_leave_signing_to_the_learner(project):
    podfile = (IOS / "Podfile").read_text(encoding="utf-8")
    platform = re.search(r"^platform :ios, '([\d.]+)'", podfile, re.MULTILINE).group(1)
    for target in (None, APP, TESTS):
        for settings in project.build_settings(target).values():
            assert settings.get("IPHONEOS_DEPLOYMENT_TARGET") == platform
    for target in (APP, TESTS):
        for settings in project.build_settings(target).values():
            assert settings["DEVELOPMENT_TEAM"] == "" and settings["CODE_SIGN_STYLE"] == "Automatic"
            assert settings["PRODUCT_BUNDLE_IDENTIFIER"].startswith("org.emojilab.")
    for settings in project.build_settings().values():
        assert settings["ENABLE_USER_SCRIPT_SANDBOXING"] == "NO"  # CocoaPods' build scripts write outside the sandbox


def test_shared_scheme_builds_the_app_and_runs_the_tests(project):
    scheme = ET.parse(SCHEME).getroot()
    fields = ("BlueprintName", "BlueprintIdentifier", "BuildableName", "ReferencedContainer")
    named = {tuple(reference.get(field) for field in fields) for reference in scheme.iter("BuildableReference")}
    assert named == {(APP, project.target_id(APP), "EmojiLab.app", "container:EmojiLab.xcodeproj"),
                     (TESTS, project.target_id(TESTS), "EmojiLabTests.xctest", "container:EmojiLab.xcodeproj")}
    testables = scheme.findall("./TestAction/Testables/TestableReference/BuildableReference")
    assert [t.get("BlueprintName") for t in testables] == [TESTS]


def test_podfile_targets_exist_and_pin_the_runtime_the_exporter_allows(project):
    podfile = (IOS / "Podfile").read_text(encoding="utf-8")
    assert set(re.findall(r"^\s*target '(\w+)' do", podfile, re.MULTILINE)) == set(project.targets)
    pin = re.search(r"pod 'TensorFlowLiteSwift', '~> ([\d.]+)'", podfile).group(1)
    assert tuple(int(part) for part in pin.split(".")) == litert.MAX_RUNTIME


# -- the Swift side of the contract ----------------------------------------------------------------------------------
def test_swift_resource_names_are_the_exported_files():
    sources = swift_sources()
    names = re.findall(r'static let \w+ = "([^"]*)"', swift_block(sources["EmojiLab/EmojiClassifier.swift"],
                                                                  r"enum ModelFiles\b"))
    assert sorted(names) == sorted(app.APP_FILES)
    literals = {name for text in sources.values() for name in re.findall(r'"([^"\\]*\.(?:tflite|txt|json))"', text)}
    assert literals == set(app.APP_FILES), "name resource files only in ModelFiles"


def test_swift_reads_exactly_the_preprocess_keys_python_writes():
    source = swift_sources()["EmojiLab/ByteEncoder.swift"]
    keys = swift_coding_keys(swift_block(swift_block(source, r"struct Preprocess\b"), r"enum CodingKeys\b"))
    assert sorted(keys) == sorted(ByteEncoder().to_dict())


def test_swift_accepts_only_the_scheme_python_implements():
    block = swift_block(swift_block(swift_sources()["EmojiLab/ByteEncoder.swift"], r"struct Preprocess\b"),
                        r"enum Supported\b")
    supported = {name: json.loads(value) for name, value in re.findall(r"static let (\w+) = (\S+)", block)}
    python = ByteEncoder().to_dict()
    assert supported == {key: python[key] for key in ("scheme", "version", "truncate", "normalization")}


def test_mirror_of_the_swift_encoder_gives_the_encoder_golden_ids():
    golden = json.loads(GOLDEN_PATH.read_text(encoding="utf-8"))
    assert golden["vectors"]
    for vector in golden["vectors"]:
        assert swift_encode(vector["text"], golden["preprocess"]) == vector["ids"], vector["name"]


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


def test_golden_ids_are_what_the_swift_encoder_gives(golden):
    assert golden["examples"]
    for example in golden["examples"]:
        assert swift_encode(example["text"], golden["preprocess"]) == example["ids"], example["name"]


def test_golden_file_has_every_key_the_swift_tests_decode(golden):
    source = swift_sources()["EmojiLabTests/GoldenFile.swift"]
    assert set(swift_coding_keys(swift_block(source, r"enum CodingKeys\b"))) <= set(golden)
    fields = {name: set(re.findall(r"let (\w+):", swift_block(source, rf"struct {name}\b")))
              for name in ("Model", "Top", "Example")}
    assert fields["Model"] <= set(golden["model"])
    for example in golden["examples"]:
        assert fields["Example"] <= set(example)
        assert all(fields["Top"] <= set(top) for top in example["top"])


def test_model_file_has_the_tensors_the_app_checks(resources, golden):
    content = (resources / "emoji_model.tflite").read_bytes()
    assert golden["model"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert golden["model"]["bytes"] == len(content)
    report = litert.graph_report(content)
    assert litert.deployment_problems(report, golden["preprocess"]["max_len"]) == []
    assert [(t["shape"], t["dtype"]) for t in report["inputs"]] == [(golden["input"]["shape"], "int32")]
    assert [(t["shape"], t["dtype"]) for t in report["outputs"]] == [(golden["output"]["shape"], "float32")]
    assert report["signature_inputs"] == [golden["input"]["name"]]


@pytest.fixture(scope="module")
def lite_probabilities(resources, golden) -> np.ndarray:
    lite = litert.LiteModel.from_file(resources / "emoji_model.tflite")
    return lite.probabilities([example["text"] for example in golden["examples"]])


def test_model_matches_its_golden_file(golden, lite_probabilities):
    assert golden["top_k"] == len(golden["examples"][0]["top"]) >= 2
    assert golden_mismatches(golden, lite_probabilities) == []


NEAR_TIE = {"tolerance": 1e-3, "examples": [{"name": "x", "top": [
    {"index": 0, "emoji": "a", "probability": 0.5004}, {"index": 1, "emoji": "b", "probability": 0.4996}]}]}
CLEAR_WIN = {"tolerance": 1e-3, "examples": [{"name": "x", "top": [
    {"index": 0, "emoji": "a", "probability": 0.6}, {"index": 1, "emoji": "b", "probability": 0.4}]}]}


@pytest.mark.parametrize("expected, device, flagged", [
    (NEAR_TIE, [0.5004, 0.4996, 0.0], []),
    (NEAR_TIE, [0.4996, 0.5004, 0.0], []),  # another top-1, but golden's first two are within 2 x tolerance
    (NEAR_TIE, [0.5030, 0.4970, 0.0], ["x: a", "x: b"]),  # each off by more than the tolerance
    (CLEAR_WIN, [0.4, 0.6, 0.0], ["x: a", "x: b", "x: top-1"]),
])
def test_comparison_rule_forgives_near_ties_only(expected, device, flagged):
    problems = golden_mismatches(expected, np.array([device]))
    assert [problem[:len(prefix)] for problem, prefix in zip(problems, flagged)] == flagged
    assert len(problems) == len(flagged)
