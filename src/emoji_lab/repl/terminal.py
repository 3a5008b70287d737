"""The console's own terminal: readline editing on a terminal, piped input echoed so transcripts read naturally,
and streams that survive what the learner types (`sys.stdin.close()`, `builtins.input = None`, an ASCII locale)."""

from __future__ import annotations

import builtins
import codecs
import os
import sys
from typing import Any, Optional

_INPUT, _PRINT = builtins.input, builtins.print
STREAMS = (("stdin", 0), ("stdout", 1), ("stderr", 2))


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def setup_streams() -> None:
    """Never crash on a character the terminal's encoding lacks: written as an escape, read as a replacement (an
    ASCII setting reads as UTF-8, what terminals send); each line flushed when piped (tests, tee)."""
    for name, _ in STREAMS:
        stream = getattr(sys, name)
        try:
            if name != "stdin":
                stream.reconfigure(errors="backslashreplace", line_buffering=True)
            elif codecs.lookup(stream.encoding).name == "ascii":
                stream.reconfigure(encoding="utf-8", errors="replace")
            else:
                stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, LookupError, TypeError):
            pass


def mend_streams() -> None:
    """Put back what the console reads and writes with if the learner's code closed or replaced it, so that the next
    prompt still works (the file descriptors themselves stay open: Python's standard streams never close them)."""
    broken = [(name, fd) for name, fd in STREAMS if not _usable(getattr(sys, name), "readline" if fd == 0 else "write")]
    for name, fd in broken:
        original = getattr(sys, f"__{name}__", None)
        if _usable(original, "readline" if fd == 0 else "write"):  # only replaced: the original keeps its buffer
            setattr(sys, name, original)
            continue
        try:
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding=getattr(original, "encoding", None),
                                    closefd=False, buffering=-1 if fd == 0 else 1))
        except (OSError, ValueError, LookupError):
            continue
    if broken:
        setup_streams()
    for name, original in (("input", _INPUT), ("print", _PRINT)):
        if not callable(getattr(builtins, name, None)):
            setattr(builtins, name, original)


def _usable(stream: Any, method: str) -> bool:
    try:
        return callable(getattr(stream, method, None)) and not stream.closed
    except (AttributeError, ValueError):
        return False


class Reader:
    """The learner's lines, from the given streams or (by default) from whatever sys.stdin/sys.stdout are now."""

    def __init__(self, stdin: Any = None, stdout: Any = None) -> None:
        self._stdin, self._stdout = stdin, stdout
        self.tty = _isatty(self.stdin)
        self.pending = ""  # typed at a pager's stop: the start of the next line
        if self.tty:
            try:  # line editing and history, where the platform has it
                import readline  # noqa: F401
            except ImportError:
                pass

    @property
    def stdin(self) -> Any:
        return self._stdin or sys.stdin

    @property
    def stdout(self) -> Any:
        return self._stdout or sys.stdout

    def read(self, prompt: str) -> str:
        """One line without its newline; raises EOFError at end of input (Ctrl-D) and lets Ctrl-C through."""
        try:
            return self._read(prompt)
        except EOFError:
            self.stdout.write("\n")  # the cursor is still after the prompt: what comes next starts a line of its own
            self.stdout.flush()
            raise

    def _read(self, prompt: str) -> str:
        if self.pending:
            return self._read_pending(prompt)
        if self.tty and self._stdin is None:
            return _INPUT(prompt)
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        line = line.rstrip("\r\n")
        self.stdout.write(line + "\n")  # echo, so a piped session reads like a typed one
        self.stdout.flush()
        return line

    def more(self, prompt: str) -> bool:
        """At a pager's stop: True for the next page (Enter, space, an arrow key); False to show the rest at once (q,
        or the learner starts typing: what they typed begins the next line at the prompt, nothing is lost). One key,
        not echoed, no Enter needed; the prompt is erased after it. Ctrl-C comes through as KeyboardInterrupt."""
        if not self.tty or self._stdin is not None:
            return True
        try:
            import termios
            import tty
        except ImportError:  # Windows: a line, Enter ending it
            return self._typed_at_stop(_INPUT(prompt) + "\n")
        self.stdout.write(prompt)
        self.stdout.flush()
        fd = self.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            pressed = os.read(fd, 64).decode("utf-8", "replace")  # an arrow key arrives as one escape sequence
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
            self.stdout.write("\r\x1b[2K")  # the prompt leaves no trace
            self.stdout.flush()
        return self._typed_at_stop(pressed)

    def _typed_at_stop(self, pressed: str) -> bool:
        if pressed in ("", "\x04", " ", "\n", "\r", "\r\n") or pressed.startswith("\x1b"):
            return True
        if pressed.strip().lower() != "q":
            self.pending += pressed.replace("\r", "\n")
        return False

    def _read_pending(self, prompt: str) -> str:
        """The line the learner began typing at a pager's stop: whole if they ended it there, else put in the
        line editor for them to finish."""
        typed, self.pending = self.pending, ""
        if "\n" in typed:
            line, self.pending = typed.split("\n", 1)
            self.stdout.write(prompt + line + "\n")
            self.stdout.flush()
            return line
        try:
            import readline
        except ImportError:
            return typed + _INPUT(prompt + typed)
        readline.set_pre_input_hook(lambda: (readline.insert_text(typed), readline.redisplay()))
        try:
            return _INPUT(prompt)
        finally:
            readline.set_pre_input_hook(None)

    def ask(self, question: str) -> Optional[str]:
        """A short answer to a question (menu choice, confirmation); None at end of input."""
        try:
            return self.read(question).strip()
        except EOFError:
            return None
