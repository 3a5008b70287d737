"""The command that starts the guided console again, as the learner can type it in a new terminal.

The README installs the course in `.venv`, and a new terminal's `python` is not that one: the command names the
interpreter running now (relative to the folder the learner started in, when it is inside it), and the course home
where EMOJI_LAB_HOME set one, since the progress is there.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from emoji_lab.common.paths import home_dir


def console_command(*options: str) -> str:
    """`[EMOJI_LAB_HOME=...] <this interpreter> -m emoji_lab.repl [options]`, for this system's shell."""
    home = str(home_dir()) if os.environ.get("EMOJI_LAB_HOME") else ""
    return command_line(interpreter(), options, home, windows=os.name == "nt")


def interpreter() -> str:
    """The Python running now, relative to the current folder when it is inside it (`.venv/bin/python`); only its
    folder is resolved, since a venv's `python` is a link to the system's."""
    python = Path(sys.executable)
    python = python.parent.resolve() / (python.stem if python.suffix.lower() == ".exe" else python.name)
    here = Path.cwd()
    if python.parent == here:  # `./python`: a bare `python` is looked up on PATH
        return os.path.join(os.curdir, python.name)
    try:
        return str(python.relative_to(here))
    except ValueError:
        return str(python)


def command_line(python: str, options: Sequence[str], home: str, windows: bool) -> str:
    """The words quoted for POSIX shells, or for PowerShell (the default of Windows' terminal)."""
    words = [python, "-m", "emoji_lab.repl", *options]
    if windows:
        call = ("& " if " " in python else "") + subprocess.list2cmdline(words)
        return (f'$env:EMOJI_LAB_HOME="{home}"; ' if home else "") + call
    return (f"EMOJI_LAB_HOME={shlex.quote(home)} " if home else "") + shlex.join(words)
