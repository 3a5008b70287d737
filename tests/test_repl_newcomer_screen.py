"""What a newcomer reads in the console (issue #37), in real sessions of `python -m emoji_lab.repl` at 80 columns: an
answer typed a step early, units and plurals, learner-facing words, one list of lessons, text that does not point at
what scrolled away, a traceback whose caret lines up, and Ctrl-D's goodbye on a line of its own."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "lessons_fixture"))
from repl_driver import env_for, repl  # noqa: E402

from emoji_lab.repl.lesson import load_lessons  # noqa: E402

TO_00_4 = ["next", "next", "skip"]
TO_00_9 = ["next", "next", "skip", "skip", "next", "skip", "b", "next"]
WAVE = "\\N{WAVING HAND SIGN}"
UNKNOWN = "tokens_outside_the_top_thousand"
LONG_LINE = f"oov_1k = len([t for text in ds.val.texts for t in word_tokens(text)]) / {UNKNOWN}"


def flat(text: str) -> str:
    return " ".join(text.split())


def between(text: str, start: str, end: str = ">>> ") -> str:
    """The screen from `start` up to the next prompt."""
    assert start in text, text
    rest = text[text.index(start):]
    return rest[: rest.index(end)] if end in rest else rest


def session(home: Path, lines: list[str], args: tuple[str, ...] = ()) -> str:
    result = repl(home, lines, args=args, timeout=180)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert "internal error" not in result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def lesson_1(tmp_path_factory) -> str:
    """Lesson 1 to [01.13], its exercises skipped."""
    lines = ["next"] * 6 + ["skip", "next", "skip", "next", "next", "next", "b", "bye"]
    return session(tmp_path_factory.mktemp("home"), lines, ("--lesson", "1"))


@pytest.fixture(scope="module")
def lesson_3(tmp_path_factory) -> str:
    """Lesson 3: [03.5] answered in MiB, then at [03.7] a line longer than the screen that raises."""
    lines = ["next"] * 4 + ["mb = vocab_size * 128 * 4 / 2 ** 20", "skip", "next", LONG_LINE, "bye"]
    return session(tmp_path_factory.mktemp("home"), lines, ("--lesson", "3"))


def test_an_answer_typed_one_step_early_is_recognised_when_its_step_comes(tmp_path):
    """At [00.5] the learner types what [00.6] asks for, then `next`: [00.6] says it is done instead of asking."""
    out = session(tmp_path, TO_00_4 + [f'greeting = "hi {WAVE}"', 'n_bytes = len(greeting.encode("utf-8"))', "next",
                                       "bye"])
    arrived = between(out, "[00.6] Count the bytes")
    assert ("✓ You already did this: `n_bytes` passes this step's check. Right: more bytes than characters, because "
            "of the emoji.") in flat(arrived)
    assert "[00.6] done: type `next` to go on" in arrived
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert saved["lessons"]["00"]["steps"]["00.6"]["status"] == "passed"


def test_an_answer_in_mib_is_named_as_mib(lesson_3):
    shown = flat(between(lesson_3, ">>> mb = vocab_size", ">>> skip"))
    assert re.search(r"✗ `mb` is [\d.]+: that is MiB \(2\^20 bytes\); this step counts MB = 10\^6 bytes: divide by "
                     r"1,000,000\.", shown), shown


def test_a_rule_changing_one_prediction_is_told_in_the_singular(tmp_path):
    lines = ["next"] * 7 + ["b", "skip", "next", "next", "next", "mine = model.copy()", "mine.add_rule('pizza', '🔥')",
                            "after = evaluate(ds.val.y, mine.scores(ds.val.texts), ds.labels)", "bye"]
    story = flat(between(session(tmp_path, lines, ("--lesson", "2")), "[02.14] Did the metric move?"))
    assert re.search(r"Your rule 'pizza' -> 🔥 \(weight [\d.]+\) fires on 1 validation text and changes 1 prediction: "
                     r"0 fixed, 1 broken\.", story), story


def test_the_several_emoji_table_speaks_the_learners_words(lesson_1):
    table = between(lesson_1, "SEVERAL EMOJI")
    assert "rank_or_emoji" not in table
    assert re.search(r"│   of which two or more are classes +│ +[\d,]+ │", table), table


def test_the_popularity_chart_shows_every_shorthand_whole_at_80_columns(lesson_1):
    chart = between(lesson_1, "Emoji popularity ·", "█ the ")
    rows = [line for line in chart.splitlines() if re.match(r" *\d+ ", line)]
    assert len(rows) > 20 and any(":kissing_heart:" in row for row in rows), chart
    assert not any("…" in row for row in rows) and max(len(row) for row in rows) <= 80, chart


def test_lesson_0_lists_the_lessons_as_the_menu_does(tmp_path):
    out = session(tmp_path, ["menu", "", "bye"])
    listed = between(out, "[00.1] What you will build")
    menu = between(out, ">>> menu", "Open which lesson?")
    for lesson in load_lessons():
        row = rf"\b{lesson.number}\s+{re.escape(lesson.title)}\s+{lesson.minutes}\b"
        assert re.search(row, listed), (lesson.title, listed)
        assert re.search(rf"\b{lesson.id}\s+{re.escape(lesson.title)}\s+{lesson.minutes}\b", menu), menu
    assert "What you build" not in listed


def test_where_your_work_is_kept_reads_right_when_reopened_from_the_menu(tmp_path):
    out = session(tmp_path, TO_00_9 + ["menu", "0", "bye"])
    reopened = flat(between(out[out.index(">>> menu"):], "[00.9] Where your work is kept"))
    assert "table above" not in reopened
    assert "[00.8]" in reopened and "`back` shows it again" in reopened, reopened


def test_a_traceback_shows_the_long_line_whole_with_its_caret_under_the_name(lesson_3):
    screen = between(lesson_3, ">>> " + LONG_LINE, "NameError")
    lines = screen.splitlines()
    code = lines.index("    " + LONG_LINE)  # shown whole, not folded at 80 columns
    caret = lines[code + 1]
    assert caret.strip() == "^" * len(UNKNOWN) and caret.index("^") == lines[code].index(UNKNOWN), screen


def read_until(fd: int, marker: bytes, seen: bytes, timeout: float = 60) -> bytes:
    """What a pseudo-terminal's other end reads, until `marker` appears after what was `seen` before."""
    deadline = time.monotonic() + timeout
    start = len(seen)
    while marker not in seen[start:] and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the console exited and closed its end
                break
    assert marker in seen[start:], seen[-400:]
    return seen


def test_ctrl_d_says_goodbye_on_a_line_of_its_own(tmp_path):
    """On a terminal, Ctrl-D ends input at the prompt: the goodbye starts a new line instead of following `>>> `."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "emoji_lab.repl"], stdin=follower, stdout=follower,
                            stderr=follower, env=env_for(tmp_path))
    os.close(follower)
    try:
        seen = read_until(leader, b">>> ", b"")
        os.write(leader, b"\x04")
        seen = read_until(leader, b"Bye!", seen)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    text = seen.decode("utf-8", "replace").replace("\r\n", "\n")
    assert re.search(r"\n>>> *\nProgress saved in ", text), text[-400:]

