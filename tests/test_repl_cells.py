"""Emoji sequences in boxes and tables line up in a terminal that draws them wider or narrower than rich
counts (tmux 3.3: ❤️ 1 cell, 👍🏽 4), measured by asking the terminal itself."""

from __future__ import annotations

import io
import os
import re
import threading

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from emoji_lab.repl import cells

TMUX = {"joined": 2, "flag": 2, "tone": 4, "selector": 1}  # measured in tmux 3.3a with cursor reports
SENTENCE = "It is checked on lines with ❤️, ❤, 👍🏽, 👨‍👩‍👧 and 🇺🇸, and on 1️⃣ and ☀️ too."


drawn_width = cells.drawn_width


def rendered(renderable) -> str:
    console = Console(file=io.StringIO(), width=80, color_system=None, emoji=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def table() -> Table:
    grid = Table(title="One emoji, several code points")
    for column in ("emoji", "len()", "class"):
        grid.add_column(column)
    for emoji, label in (("❤️", "❤️"), ("❤", "❤️"), ("👍🏽", "👍"), ("👨‍👩‍👧", "👨‍👩‍👧"), ("🇺🇸", "🇺🇸")):
        grid.add_row(emoji, str(len(emoji)), label)
    return grid


@pytest.mark.parametrize("make", [lambda: Panel(SENTENCE, title="your turn"), table], ids=["box", "table"])
def test_borders_line_up_where_the_terminal_draws_emoji_otherwise(make):
    text = rendered(make())
    lines = [line for line in text.split("\n") if line]
    assert len({drawn_width(line, TMUX) for line in lines}) > 1  # as rich laid it out, tmux breaks the borders
    fixed = cells.refit(text, TMUX)
    widths = {drawn_width(line, TMUX) for line in fixed.split("\n") if line}
    assert len(widths) == 1, fixed
    assert [re.sub(" +", " ", line) for line in fixed.split("\n")] == [re.sub(" +", " ", line)
                                                                        for line in text.split("\n")]


def test_a_terminal_that_agrees_with_rich_changes_nothing():
    same = {kind: cell_len(probe) for kind, probe in cells.PROBES.items()}
    text = rendered(Panel(SENTENCE))
    assert cells.refit(text, same) == text
    refitter = cells.Refitter(lambda: same)
    assert refitter(text) == text and refitter("no emoji") == "no emoji"


def test_probe_reads_the_terminals_cursor_reports():
    """A pseudo-terminal whose other end answers each cursor-position request as tmux 3.3 would."""
    import pty

    leader, follower = pty.openpty()
    asked = []

    def terminal():
        buffer = b""
        while len(asked) < len(cells.PROBES):
            buffer += os.read(leader, 1024)
            while b"\x1b[6n" in buffer:
                before, _, buffer = buffer.partition(b"\x1b[6n")
                shown = before.decode("utf-8").split("\r")[-1]
                asked.append(shown)
                kind = next(k for k, v in cells.PROBES.items() if v == shown)
                os.write(leader, f"\x1b[5;{TMUX[kind] + 1}R".encode())

    thread = threading.Thread(target=terminal, daemon=True)
    thread.start()
    with open(follower, "r", closefd=False) as stdin, open(follower, "w", closefd=False, encoding="utf-8") as stdout:
        assert cells.probe(stdin, stdout, timeout=5) == TMUX
    thread.join(5)
    assert asked == list(cells.PROBES.values())
    os.close(leader)
    os.close(follower)


def test_no_answer_means_no_change(tmp_path):
    with open(tmp_path / "f", "w+") as not_a_terminal:
        assert cells.probe(not_a_terminal, not_a_terminal) is None


def test_a_prose_line_the_terminal_draws_wider_is_cut_at_a_word_gap():
    """rich fits "(👍🏽 counts as 👍);" in 80 columns with 👍🏽 as 2 cells; tmux draws 4 and would fold ");"."""
    line = "x" * 50 + " skin tones (👍🏽 counts as 👍);"
    assert cell_len(line) == 80 < drawn_width(line, TMUX)
    first, second = cells.refit(line, TMUX, 80).split("\n")
    assert drawn_width(first, TMUX) <= 80 and first.endswith("counts as") and second == "👍);"
