"""The iPhone app's Swift package, compiled and tested by the real Swift toolchain: its tests have teeth.

`.ci/run` runs `swift test` on ios_starter/EmojiLabKit as it is. Here a copy of it, with the golden
files it reads, is built and tested, then its cleaner is broken on a single golden text (a carriage
return no longer counts as whitespace, which only the CRLF text holds): the tests must then fail and
name that text, so a Swift cleaner that drifts from Python's cannot pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "ios_starter" / "EmojiLabKit"
CLEANER = Path("Sources/EmojiLabKit/TextCleaner.swift")

pytestmark = pytest.mark.skipif(shutil.which("swift") is None, reason="no Swift toolchain (swift) on this machine")


def swift(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMOJI_LAB_")}  # no golden file overrides
    return subprocess.run(["swift", *args], cwd=cwd, capture_output=True, text=True, timeout=900, env=env)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The package and the golden files it reads, in the same layout as the repository."""
    root = tmp_path_factory.mktemp("swift")
    shutil.copytree(KIT, root / "ios_starter" / "EmojiLabKit", ignore=shutil.ignore_patterns(".build", ".swiftpm"))
    shutil.copytree(ROOT / "ios_starter" / "EmojiLab" / "Resources", root / "ios_starter" / "EmojiLab" / "Resources",
                    ignore=shutil.ignore_patterns("backup-*"))
    shutil.copytree(ROOT / "src" / "emoji_lab" / "golden", root / "src" / "emoji_lab" / "golden")
    return root / "ios_starter" / "EmojiLabKit"


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
    failed = swift(["test"], package)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output[-3000:]
    assert "golden example crlf: cleaned text" in output and "encoder vector crlf: ids" in output
    named = {line.split("golden example ")[1].split(":")[0] for line in output.splitlines() if "golden example " in line}
    assert named == {"crlf"}, f"only the CRLF text should break, not {sorted(named - {'crlf'})}"
