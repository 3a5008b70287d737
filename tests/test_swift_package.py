"""The iPhone app's Swift, compiled and tested by the real Swift toolchain: its tests have teeth.

`.ci/run` runs `swift test` on ios_starter/EmojiLabKit as it is. Here a copy of ios_starter's Swift, with the golden
files it reads, is built and tested:
- EmojiLabKit, then its cleaner broken on a single golden text (a carriage return no longer counts as whitespace,
  which only the CRLF text holds): the tests must fail and name that text, so a Swift cleaner that drifts from
  Python's cannot pass;
- the app's own inference file (Shared/LiteRTEmojiModel.swift) in ios_starter/LiteRTForLinux, on LiteRT's C runtime
  from the ai-edge-litert wheel: it must give golden.json's probabilities for the shipped model, and for a trained
  char-CNN + BiLSTM exported by the course; with that model's file swapped in under the shipped golden.json (its
  checksum and size updated), it must fail on the probabilities. Run without the runtime, it skips with one line.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IOS = ROOT / "ios_starter"
CLEANER = Path("Sources/EmojiLabKit/TextCleaner.swift")

pytestmark = pytest.mark.skipif(shutil.which("swift") is None, reason="no Swift toolchain (swift) on this machine")


def litert_library() -> str:
    """libLiteRt.so in the installed ai-edge-litert wheel: LiteRT's C runtime, the one the app's package wraps."""
    return str(Path(importlib.util.find_spec("ai_edge_litert").origin).parent / "libLiteRt.so")


def swift(args: list[str], cwd: Path, litert: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMOJI_LAB_") and k != "LITERT_LIBRARY"}
    if litert:
        env["LITERT_LIBRARY"] = litert_library()
    return subprocess.run(["swift", *args], cwd=cwd, capture_output=True, text=True, timeout=900, env=env)


@pytest.fixture(scope="module")
def ios(tmp_path_factory) -> Path:
    """ios_starter's Swift packages, its Shared folder and model files, and Python's encoder golden file, in the
    repository's layout (the Linux package's link to Shared/ stays a link)."""
    root = tmp_path_factory.mktemp("swift")
    skip = shutil.ignore_patterns(".build", ".swiftpm", "backup-*")
    for folder in ("EmojiLabKit", "LiteRTForLinux", "Shared", "EmojiLab/Resources"):
        shutil.copytree(IOS / folder, root / "ios_starter" / folder, symlinks=True, ignore=skip)
    shutil.copytree(ROOT / "src" / "emoji_lab" / "golden", root / "src" / "emoji_lab" / "golden")
    return root / "ios_starter"


@pytest.fixture(scope="module")
def package(ios) -> Path:
    return ios / "EmojiLabKit"


def test_the_swift_package_passes_and_fails_when_its_cleaner_breaks_on_one_golden_text(package):
    built = swift(["build", "--build-tests", "-Xswiftc", "-warnings-as-errors"], package)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    passed = swift(["test", "--skip-build"], package)
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    assert " 0 failures" in passed.stdout and "Executed 0 tests" not in passed.stdout

    source = (package / CLEANER).read_text(encoding="utf-8")
    broken = source.replace("if separators.contains(value) {", "if separators.contains(value) && value != 0x0D {")
    assert broken != source, "the line to break is gone from TextCleaner.swift: update this test"
    (package / CLEANER).write_text(broken, encoding="utf-8")
    try:
        failed = swift(["test"], package)
    finally:
        (package / CLEANER).write_text(source, encoding="utf-8")  # the app's runtime test builds on this package
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output[-3000:]
    assert "golden example crlf: cleaned text" in output and "encoder vector crlf: ids" in output
    named = {line.split("golden example ")[1].split(":")[0] for line in output.splitlines() if "golden example " in line}
    assert named == {"crlf"}, f"only the CRLF text should break, not {sorted(named - {'crlf'})}"


def summary(output: str) -> str:
    """XCTest's last 'Executed N tests, ...' line."""
    lines = re.findall(r"Executed \d+ tests?, .*", output)
    assert lines, output[-3000:]
    return lines[-1]


def test_the_apps_inference_file_gives_goldens_probabilities_on_litert_and_fails_on_another_model(
        ios, small_chcnn_run, tmp_path):
    from emoji_lab.deploy.export import export_run

    runtime = ios / "LiteRTForLinux"
    resources = ios / "EmojiLab" / "Resources"
    built = swift(["build", "--build-tests", "-Xswiftc", "-warnings-as-errors"], runtime)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]

    without = swift(["test", "--skip-build"], runtime)
    assert without.returncode == 0 and "LITERT_LIBRARY is not set" in without.stdout + without.stderr
    assert re.search(r"with (\d+) tests skipped", summary(without.stdout))

    passed = swift(["test", "--skip-build"], runtime, litert=True)
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    assert "skipped" not in summary(passed.stdout) and " 0 failures" in summary(passed.stdout)

    # another model, exported by the course with its own golden.json: the app's file runs it too (an LSTM: WHILE)
    shipped = {name: (resources / name).read_bytes() for name in ("emoji_model.tflite", "golden.json")}
    other = export_run(small_chcnn_run, out=tmp_path / "chcnn")["out"]["folder"]
    for name in ("emoji_model.tflite", "labels.txt", "preprocess.json", "golden.json"):
        shutil.copyfile(other / name, resources / name)
    lstm = swift(["test", "--skip-build"], runtime, litert=True)
    assert lstm.returncode == 0, lstm.stdout[-3000:] + lstm.stderr[-3000:]

    # that model's file under the shipped golden.json, whose checksum and size now describe it: probabilities differ
    for name, data in shipped.items():
        (resources / name).write_bytes(data)
    swapped = (other / "emoji_model.tflite").read_bytes()
    (resources / "emoji_model.tflite").write_bytes(swapped)
    golden = json.loads(shipped["golden.json"])
    golden["model"].update(sha256=hashlib.sha256(swapped).hexdigest(), bytes=len(swapped))
    (resources / "golden.json").write_text(json.dumps(golden, ensure_ascii=False), encoding="utf-8")
    failed = swift(["test", "--skip-build"], runtime, litert=True)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output[-3000:]
    assert "probabilities differ from Python's" in output and "belongs to another" not in output
    assert "testTheShippedModelGivesGoldensProbabilitiesForEveryText" in output
