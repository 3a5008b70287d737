"""A plain (non-editable) wheel carries the lessons, the practice corpus and the golden vectors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_data_files_and_runs_from_them(tmp_path):
    # Build from a copy: an in-tree build/ folder could carry stale files into the wheel.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache"))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(tmp_path / "dist")],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next((tmp_path / "dist").glob("emoji_lab-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "emoji_lab/data/corpus/sample.txt.gz" in names
    assert "emoji_lab/golden/byte_encoder.json" in names
    assert "emoji_lab/lessons/__init__.py" in names
    assert {n for n in names if n.startswith("emoji_lab/lessons/") and n.endswith(".toml")}
    assert not {n for n in names if n.startswith("tests/")}
    src = ROOT / "src"
    subpackages = {f"{p.relative_to(src).parent.as_posix()}/__init__.py" for p in (src / "emoji_lab").rglob("__init__.py")}
    assert subpackages <= names, f"add to pyproject's packages: {sorted(subpackages - names)}"

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    env = {**os.environ, "PYTHONPATH": str(unpacked), "PYTHONNOUSERSITE": "1"}
    code = ("import emoji_lab, importlib.resources as r; from emoji_lab.data.sources import load; "
            "print(emoji_lab.__file__); print(len(load('sample').labels)); "
            "print(sorted(p.name for p in r.files('emoji_lab.lessons').iterdir() if p.name.endswith('.toml'))[0])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    where, classes, first_lesson = result.stdout.split()
    assert where.startswith(str(unpacked)) and classes == "20" and first_lesson.startswith("00")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for check in (["--check"], []):  # outside a checkout there is no tutorial: said, nothing written
        tutorial = subprocess.run([sys.executable, "-m", "emoji_lab", "tutorial", *check], capture_output=True,
                                  text=True, cwd=elsewhere, env=env, timeout=120)
        assert tutorial.returncode == 2 and tutorial.stdout == ""
        assert tutorial.stderr.startswith("error: this emoji_lab does not run from a checkout of the course")
        assert list(elsewhere.iterdir()) == []
