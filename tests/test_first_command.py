"""The README's first command, exactly as written, in a fresh clone: a real (non-editable) `pip install .` into
a new venv, then the course's first screen, typed in the repository folder as a newcomer types it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from test_readme import readme_commands

ROOT = Path(__file__).resolve().parents[1]


def fresh_clone(dest: Path) -> Path:
    """A clone of this repository, plus its uncommitted changes to tracked files (so a developer tests their
    work; in CI the clone is of main as it is)."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True, timeout=120)
    diff = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=ROOT, capture_output=True, check=True).stdout
    if diff:
        subprocess.run(["git", "apply", "--whitespace=nowarn"], cwd=dest, input=diff, check=True)
    return dest


def newcomer_env(home: Path) -> dict[str, str]:
    """The machine's own environment, outside this test run's venv, with a fresh course home."""
    venv = os.environ.get("VIRTUAL_ENV")
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep)
            if not (venv and p.startswith(venv)) and not p.startswith(str(ROOT / ".venv"))]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    return {**env, "PATH": os.pathsep.join(path), "EMOJI_LAB_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "80"}


def test_readme_first_command_starts_the_course_in_a_fresh_clone(tmp_path):
    install_and_start = readme_commands()[0]
    clone = fresh_clone(tmp_path / "emoji_lab")
    env = newcomer_env(tmp_path / "home")

    first = subprocess.run(["bash", "-c", install_and_start], cwd=clone, input="bye\n", capture_output=True,
                           text=True, env=env, timeout=1500)
    everything = first.stdout + first.stderr
    assert first.returncode == 0, everything[-4000:]
    assert "Traceback" not in everything, everything[-4000:]
    screen = first.stdout[first.stdout.index("emoji_lab 0."):]  # after pip's own lines
    for shown in ("TensorFlow on iOS · guided console", "Starting lesson 00 · Welcome", "[00.1] What you will build",
                  ">>> bye", "Bye! Next time, this picks up at [00.1]:"):
        assert shown in screen, screen
    assert re.search(r"^ 0\s+Welcome\s+\d+$", screen, re.M), screen  # [00.1] lists the lessons; no menu yet
    assert "error" not in screen.lower() and "not started" not in screen, screen
    command = f"    EMOJI_LAB_HOME={env['EMOJI_LAB_HOME']} .venv/bin/python -m emoji_lab.repl"
    assert command in screen.splitlines(), screen  # whole, to copy
    assert max(len(line) for line in screen.splitlines() if line != command) <= 80, screen

    # Every later start: the README's "next time" from the repository folder, and from any other folder.
    python = str(clone / ".venv" / "bin" / "python")
    again = subprocess.run([python, "-m", "emoji_lab.repl"], cwd=clone, input="bye\n", capture_output=True,
                           text=True, env=env, timeout=120)
    assert again.returncode == 0 and "Traceback" not in again.stdout + again.stderr, again.stdout + again.stderr
    assert re.search(r"^>\s+00\s+Welcome\s+\d+\s+step 1 of 9$", again.stdout, re.M), again.stdout
    assert "[00.1] What you will build" in again.stdout
    elsewhere = subprocess.run([python, "-m", "emoji_lab.repl", "--list"], cwd=tmp_path, capture_output=True,
                               text=True, env=env, timeout=120)
    assert elsewhere.returncode == 0 and "step 1 of 9" in elsewhere.stdout, elsewhere.stderr
