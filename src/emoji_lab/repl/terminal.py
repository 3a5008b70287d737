"""Read the learner's lines: readline editing on a terminal; piped input is echoed so transcripts read naturally."""

from __future__ import annotations

import sys
from typing import Any, Optional


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Reader:
    def __init__(self, stdin: Any = None, stdout: Any = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.tty = _isatty(self.stdin)
        if self.tty:
            try:  # line editing and history, where the platform has it
                import readline  # noqa: F401
            except ImportError:
                pass

    def read(self, prompt: str) -> str:
        """One line without its newline; raises EOFError at end of input (Ctrl-D) and lets Ctrl-C through."""
        if self.tty and self.stdin is sys.stdin:
            return input(prompt)
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            self.stdout.flush()
            raise EOFError
        line = line.rstrip("\r\n")
        self.stdout.write(line + "\n")  # echo, so a piped session reads like a typed one
        self.stdout.flush()
        return line

    def ask(self, question: str) -> Optional[str]:
        """A short answer to a question (menu choice, confirmation); None at end of input."""
        try:
            return self.read(question).strip()
        except EOFError:
            return None
