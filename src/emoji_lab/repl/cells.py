"""Emoji sequences take the cells this terminal gives them, not the cells rich assumes.

Terminals disagree on how wide a sequence is: ❤️ (a narrow symbol plus U+FE0F) is 2 cells in macOS's
Terminal and iTerm2 and 1 in tmux 3.3; 👍🏽 (a hand plus a skin tone) 2 in one and 4 in the other. rich
lays out boxes and tables with its own count, so where the terminal differs, a border lands out of line
or on a line of its own. On a terminal, the console asks it (a cursor-position report after each of a
few probe sequences, once, the first time one is about to be shown) and then moves the padding that
rich placed next to each such sequence, so columns and borders stay where rich put them.
"""

from __future__ import annotations

import os
import re
import select
import sys
from typing import Any, Callable, Optional

from rich.cells import cell_len

TONES = "\U0001F3FB-\U0001F3FF"
_PART = rf"[^\s\u200d]\ufe0f?[{TONES}]?"
SEQUENCE = re.compile(
    rf"(?P<joined>{_PART}(?:\u200d{_PART})+)"
    r"|(?P<flag>[\U0001F1E6-\U0001F1FF]{2})"
    rf"|(?P<tone>[^\s][{TONES}])"
    r"|(?P<selector>[^\s]\ufe0f\u20e3?)"
)
PROBES = {"joined": "\U0001F468\u200d\U0001F469\u200d\U0001F467", "flag": "\U0001F1FA\U0001F1F8",
          "tone": "\U0001F44D\U0001F3FD", "selector": "\u2764\ufe0f"}
_REPORT = re.compile(rb"\x1b\[(\d+);(\d+)R")
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def terminal_width(match: "re.Match[str]", probed: dict[str, int]) -> int:
    """The cells the terminal gives one matched sequence, from what it gave the probe of the same kind."""
    kind, text = match.lastgroup or "", match.group(0)
    if kind in ("joined", "flag"):
        return probed[kind]
    if kind == "tone":  # the base as usual, plus what the terminal gives the modifier on its own
        return cell_len(text[0]) + probed["tone"] - cell_len(PROBES["tone"][0])
    base = cell_len(text[0])  # selector: only a narrow base can be widened by U+FE0F
    return base + (probed["selector"] - 1 if base == 1 else 0)


def drawn_width(line: str, probed: dict[str, int]) -> int:
    """How many cells the terminal gives a line (escape codes count as none)."""
    plain = _ESCAPE.sub("", line)
    width, position = 0, 0
    for match in SEQUENCE.finditer(plain):
        width += cell_len(plain[position:match.start()]) + terminal_width(match, probed)
        position = match.end()
    return width + cell_len(plain[position:])


def _fold(line: str, probed: dict[str, int], width: int) -> list[str]:
    """A line the terminal would draw wider than `width`, cut at its last space that fits (a word gap)."""
    if drawn_width(line, probed) <= width:
        return [line]
    for gap in range(len(line) - 1, 0, -1):
        if line[gap] == " " and drawn_width(line[:gap], probed) <= width:
            return [line[:gap], line[gap + 1:]]
    return [line]


def refit(text: str, probed: dict[str, int], width: Optional[int] = None) -> str:
    """Rendered text with the spacing around each sequence moved so the line is as wide as rich laid it out.

    The padding that follows a sequence on its line (two spaces or more, as in tables and boxes) grows
    where the terminal draws it narrower and shrinks where wider; a word gap is never touched, so prose
    only ends a cell or two early or late; a prose line the terminal would draw wider than `width` is
    cut at a word gap instead of where the terminal would fold it.
    """
    lines = []
    for line in text.split("\n"):
        position = 0
        while True:
            match = SEQUENCE.search(line, position)
            if match is None:
                break
            delta = cell_len(match.group(0)) - terminal_width(match, probed)
            end = match.end()
            gap = line.find("  ", end)
            if gap >= 0 and delta > 0:
                line = line[:gap] + " " * delta + line[gap:]
            elif gap >= 0 and delta < 0:
                run = len(line[gap:]) - len(line[gap:].lstrip(" "))
                line = line[:gap] + line[gap + min(-delta, run - 1):]
            position = end
        lines += _fold(line, probed, width) if width else [line]
    return "\n".join(lines)


def probe(stdin: Any = None, stdout: Any = None, timeout: float = 0.3) -> Optional[dict[str, int]]:
    """Ask the terminal how many cells each probe takes; None when it is not a terminal or does not answer."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    try:
        import termios
        import tty

        fd = stdin.fileno()
        if not (stdin.isatty() and stdout.isatty()):
            return None
        saved = termios.tcgetattr(fd)
    except (ImportError, AttributeError, OSError, ValueError):
        return None
    widths: dict[str, int] = {}
    try:
        tty.setcbreak(fd)
        for kind, sequence in PROBES.items():
            stdout.write(f"\r{sequence}\x1b[6n")
            stdout.flush()
            answer = _read_report(fd, timeout)
            if answer is None:
                return None
            widths[kind] = answer - 1
    finally:
        stdout.write("\r\x1b[2K")
        stdout.flush()
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return widths


def _read_report(fd: int, timeout: float) -> Optional[int]:
    """The column of a cursor-position report read from the terminal, or None after `timeout` seconds."""
    data = b""
    while select.select([fd], [], [], timeout)[0]:
        data += os.read(fd, 32)
        found = _REPORT.search(data)
        if found:
            return int(found.group(2))
    return None


class Refitter:
    """Probes once, on the first text that holds a sequence; then refits every text that holds one."""

    def __init__(self, probe_terminal: Callable[[], Optional[dict[str, int]]] = probe) -> None:
        self._probe = probe_terminal
        self._widths: Optional[dict[str, int]] = None
        self._asked = False

    def drawn(self, line: str) -> int:
        """The cells this terminal gives `line`: as rich counts them until the terminal was asked and differs."""
        return drawn_width(line, self._widths) if self._widths else cell_len(_ESCAPE.sub("", line))

    def __call__(self, text: str, width: Optional[int] = None) -> str:
        if not SEQUENCE.search(text):
            return text
        if not self._asked:
            self._asked = True
            widths = self._probe()
            same = widths is not None and all(widths[k] == cell_len(v) for k, v in PROBES.items())
            self._widths = None if same else widths
        return refit(text, self._widths, width) if self._widths else text
