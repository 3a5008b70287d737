"""The README's two set-up commands are the ones CI runs and the ones a newcomer copies."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_exactly_two_setup_commands_each_in_its_own_venv():
    install_and_start, test = readme_commands()
    for command in (install_and_start, test):
        assert "\n" not in command and command.startswith("python3 -m venv .venv && .venv/bin/python -m pip install ")
    assert install_and_start.endswith("-m emoji_lab.repl")
    assert test.endswith("-m pytest")


def test_ci_runs_exactly_the_readme_test_command():
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci_lines
