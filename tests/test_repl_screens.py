"""Every screen of lessons 0-3 as a learner sees it in a real terminal (tmux) at 80x24 and 60x24 (issue #37): a step
taller than the screen pages with its heading in view, code is never wrapped into lines that are not Python, and
the borders of boxes and tables stay straight next to emoji of several code points."""

from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "lessons_fixture"))
from repl_driver import env_for  # noqa: E402

from emoji_lab.repl import cells  # noqa: E402
from emoji_lab.repl.render import Pager  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None and os.environ.get("EMOJI_LAB_REQUIRE_TMUX") != "1",
                                reason="tmux is not installed (CI installs it, and there this test must run)")

HEADING = re.compile(r"^\[(\d\d\.\w+)\] ")
BOX = re.compile(r"^ *[│┃┏┡┗└┌├╭╰┣┠┢]")
BAR = re.compile(r"^ *\d+ \S+ +:[^ ]+: +[█░▏▎▍▌▋▊▉]")


class Terminal:
    """The console in a tmux pane of a given size, driven by keys and read as the screen shows it."""

    def __init__(self, socket: Path, home: Path, width: int, height: int, *args: str) -> None:
        self.socket, self.height = socket, height
        env = env_for(home, COLUMNS="", LINES="", NO_COLOR="", TERM="", EMOJI_LAB_BACKGROUND="off")
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k.startswith(("EMOJI_LAB", "PYTHON")))
        command = f"env -u COLUMNS -u LINES {exports} {shlex.quote(sys.executable)} -m emoji_lab.repl {' '.join(args)}"
        self.tmux("new-session", "-d", "-x", str(width), "-y", str(height), f"{command}; sleep 30")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", str(self.socket), *args], check=True, capture_output=True,
                              text=True).stdout

    def screen(self) -> list[str]:
        """The visible rows, a line the terminal folded joined again (-J), trailing blanks dropped."""
        return [line.rstrip() for line in self.tmux("capture-pane", "-p", "-J").rstrip("\n").split("\n")]

    def wait(self, timeout: float = 120) -> list[str]:
        """The screen once the console waits for the learner: at its prompt or at a page's "more below"."""
        deadline, last = time.monotonic() + timeout, []
        while time.monotonic() < deadline:
            shown = self.screen()
            bottom = next((line for line in reversed(shown) if line.strip()), "")
            if bottom.rstrip() in (">>>", "(play) >>>") or bottom.startswith(Pager.MORE):
                time.sleep(0.2)  # the last lines flushed
                if shown == self.screen():
                    return shown
            last = shown
            time.sleep(0.1)
        raise AssertionError("the console did not wait for input:\n" + "\n".join(last))

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def type(self, line: str) -> None:
        self.tmux("send-keys", "-l", line)
        self.keys("Enter")

    def pages(self) -> list[list[str]]:
        """Every page of what the last command showed, turning pages with Enter, up to the prompt."""
        pages = [self.wait()]
        while next(line for line in reversed(pages[-1]) if line.strip()).startswith(Pager.MORE):
            self.keys("Enter")
            pages.append(self.wait())
        return pages

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)


def probed_widths(socket: Path) -> dict[str, int]:
    """How wide this tmux draws each kind of emoji sequence, as the console itself asks it."""
    out = socket.with_suffix(".probe")
    script = f"from emoji_lab.repl import cells; open({str(out)!r}, 'w').write(repr(cells.probe(timeout=5)))"
    subprocess.run(["tmux", "-S", str(socket), "new-session", "-d", "-x", "80", "-y", "24",
                    f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"], check=True)
    deadline = time.monotonic() + 30
    while not (out.exists() and out.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    widths = ast.literal_eval(out.read_text())
    assert widths, "tmux did not answer the cursor-position requests"
    return widths


def steps_on(page: list[str]) -> list[str]:
    return [m.group(1) for m in map(HEADING.match, page) if m]


def crooked_boxes(page: list[str], widths: dict[str, int]) -> list[list[str]]:
    """Runs of box lines whose right edges the terminal draws at different columns."""
    crooked, run = [], []
    for line in page + [""]:
        if BOX.match(line):
            run.append(line)
            continue
        if len({cells.drawn_width(row.rstrip(), widths) for row in run}) > 1:
            crooked.append(run)
        run = []
    return crooked


def shown_code(pages: list[list[str]]) -> list[str]:
    """The code blocks a screen shows whole under `demo:` or `solution:` labels, a page's repeated heading left out
    (a block the page ends in the middle of is read on the next page, which still shows its start)."""
    blocks = []
    for page in pages:
        for start, line in enumerate(page):
            if not line.endswith(("demo:", "solution:")):
                continue
            block, whole = [], False
            for code in page[start + 1:]:
                if HEADING.match(code) and code.split(" ─")[0].endswith("· continued"):
                    continue
                if code.startswith(Pager.MORE):
                    break
                if code.strip() and not code.startswith("    "):
                    whole = True
                    break
                block.append(code)
            if whole:
                blocks.append(textwrap.dedent("\n".join(block)).strip("\n"))
    return blocks


def walk(tmp_path: Path, width: int) -> list[tuple[str, list[list[str]]]]:
    """A newcomer's console at width x 24 from its first screen through lessons 0-3, every step skipped (its reference
    solution run): the pages of the first screen, then of each move."""
    socket, home = tmp_path / f"tmux-{width}.sock", tmp_path / f"home-{width}"
    home.mkdir()
    term = Terminal(socket, home, width, 24)
    try:
        shown = [("start", term.pages())]
        while not any(steps_on(page)[-1:] == ["04.1"] for page in shown[-1][1]) and len(shown) < 80:
            move = "next" if "is done!" in " ".join(shown[-1][1][-1]) else "skip"
            term.type(move)
            shown.append((move, term.pages()))
        term.type("bye")
        return shown
    finally:
        term.close()


@pytest.fixture(scope="module")
def walks(tmp_path_factory) -> dict[int, list[tuple[str, list[list[str]]]]]:
    """Both widths at once, one console each (the two walks take a core each)."""
    tmp = tmp_path_factory.mktemp("screens")
    with ThreadPoolExecutor(2) as pool:
        found = dict(zip((80, 60), pool.map(lambda width: walk(tmp, width), (80, 60))))
    return found


@pytest.fixture(scope="module")
def tmux_widths(tmp_path_factory) -> dict[str, int]:
    return probed_widths(tmp_path_factory.mktemp("probe") / "probe.sock")


@pytest.mark.parametrize("width", [80, 60])
def test_every_page_keeps_its_steps_heading_in_view(walks, width):
    """The first screen, [00.2], [01.3], [02.5], [03.9], ...: a step taller than 24 rows pages, and each page shows
    which step it belongs to."""
    arrived, paged = [], 0
    for move, pages in walks[width]:
        last = None
        for page in pages:
            seen = steps_on(page)
            assert seen, f"a page without its step's heading after {move!r}:\n" + "\n".join(page)
            last = seen[-1]
        arrived.append(last)
        paged += len(pages) > 1
    assert {"00.1", "00.2", "01.3", "01.6", "02.3", "02.5", "02.10", "02.11", "02.15", "03.9"} <= set(arrived)
    assert paged >= 5  # the tall steps did page (else this test proves nothing)


@pytest.mark.parametrize("width", [80, 60])
def test_code_on_screen_is_python(walks, width):
    blocks = [block for _, pages in walks[width] for block in shown_code(pages)]
    assert len(blocks) > 20
    for block in blocks:
        ast.parse(block)  # a line broken where Python does not allow it raises here
    too_wide = [line for block in blocks for line in block.split("\n") if len(line) + 4 > width]
    assert not too_wide, too_wide  # none left for the terminal to fold


@pytest.mark.parametrize("width", [80, 60])
def test_borders_and_bars_stay_straight_next_to_emoji_of_several_code_points(walks, tmux_widths, width):
    """[01.3]'s bars, [01.8]'s and [01.10]'s tables and every box: each edge at one column, as this tmux draws ❤️,
    👍🏽, 👨‍👩‍👧 and 🇺🇸 (asked the way the console asks it)."""
    checked = set()
    for _, pages in walks[width]:
        for page in pages:
            crooked = crooked_boxes(page, tmux_widths)
            assert not crooked, "\n".join(crooked[0])
            bars = {cells.drawn_width(line[:re.search("[█░]", line).start()], tmux_widths)
                    for line in page if BAR.match(line)}
            assert len(bars) <= 1, "\n".join(page)
            if any((BOX.match(line) or BAR.match(line)) and cells.SEQUENCE.search(line) for line in page):
                checked.add(steps_on(page)[-1])
    assert {"01.3", "01.8", "01.10"} <= checked, checked


def test_a_wrapped_table_row_does_not_read_as_another_example(walks):
    """[01.5] and [01.6] at 60 columns: a text that wraps continues in its row, ruled off from the next example."""
    def cells_of(line: str) -> list[str]:
        return [cell.strip() for cell in line.strip().strip("│").split("│")]

    continued = 0
    for _, pages in walks[60]:
        for page in pages:
            if not set(steps_on(page)) & {"01.5", "01.6"}:
                continue
            rows = [line for line in page if line.startswith("│")]
            for line, below in zip(page, page[1:]):
                if line in rows and not cells_of(line)[-1]:  # a row's second line: its emoji cell is empty
                    continued += 1
                    assert not (below.startswith("│") and cells_of(below)[-1]), "\n".join(page)
    assert continued, "no example wrapped at 60 columns: this test checks nothing"


def test_what_the_learner_types_at_more_below_starts_their_line(tmp_path):
    """Typing at a page's stop instead of turning it shows the rest of the step and keeps every key for the prompt."""
    term = Terminal(tmp_path / "typed.sock", tmp_path, 80, 24)
    try:
        first = term.wait()
        assert first[-1].startswith(Pager.MORE), "\n".join(first)  # [00.1] is taller than 24 rows
        term.type("x = 41 + 1")
        term.wait()
        term.type("print('x is', x)")
        shown = term.wait()
        assert any(line.strip() == "x is 42" for line in shown), "\n".join(shown)
        assert "NameError" not in "\n".join(shown)
    finally:
        term.close()
