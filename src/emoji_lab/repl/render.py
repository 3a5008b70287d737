"""Draw the console's output with rich: the engine hands over plain data, this module decides how it looks.

Width is min(terminal, 100). Colour follows rich's rules: none when NO_COLOR is set or output is not a
terminal; in that plain case trailing padding is stripped so transcripts and 80-column terminals stay tidy.
On a terminal, a step taller than the screen is shown a page at a time with its heading in view (Pager), and
code is never wrapped into lines that are not Python: laid out by black to fit, or left whole for the terminal.
"""

from __future__ import annotations

import re
import shutil
import sys
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.markdown import CodeBlock, Markdown
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from emoji_lab.repl.cells import Refitter
from emoji_lab.repl.commands import COMMANDS
from emoji_lab.repl.lesson import Lesson, Step

MAX_WIDTH = 100
_BACKTICK_RE = re.compile(r"(`[^`]+`)")
_INLINE_CODE_RE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_ESCAPE_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_FENCE_RE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)


KEEP_SPACE = "\ue000"  # a space inside inline code while rich lays text out (not a gap it may break at); drawn as " "


def unbreakable(code: str) -> str:
    return code.replace(" ", KEEP_SPACE)


def inline_code(text: str, plain: bool) -> str:
    """Markdown whose inline `code` is never broken across lines (a line break would make it something that is not
    Python) and, drawn without colour, keeps its backticks (else it would be invisible)."""
    def span(match: "re.Match[str]") -> str:
        code = unbreakable(match.group(1))
        return "`` `" + code + "` ``" if plain else "`" + code + "`"

    out, last = [], 0
    for fence in _FENCE_RE.finditer(text):
        out.append(_INLINE_CODE_RE.sub(span, text[last:fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(_INLINE_CODE_RE.sub(span, text[last:]))
    return "".join(out)


def single_blank_lines(text: str) -> str:
    """At most one blank line in a row (rich's Markdown puts two around tables and code blocks)."""
    *whole, rest = text.split("\n")  # `rest`: after the last newline, not a line of its own
    lines, blank = [], False
    for line in whole:
        empty = not _ESCAPE_RE.sub("", line).strip()
        if not (empty and blank):
            lines.append(line)
        blank = empty
    return "\n".join(lines + [rest])


def fitted(code: str, width: int) -> str:
    """Code no wider than `width` where Python allows it: as written when it fits, else laid out again by black (the
    same program: long calls and imports broken inside their brackets, long strings cut into adjacent literals).
    What black cannot break stays whole."""
    if max((cell_len(line) for line in code.splitlines()), default=0) <= width:
        return code
    import black  # a tenth of a second, and only for code wider than the terminal

    split = getattr(black.mode.Preview, "string_processing", None)  # "a" "b": the same string, shorter lines
    try:
        mode = black.Mode(line_length=width, string_normalization=False, magic_trailing_comma=False,
                          preview=split is not None, enabled_features={split} if split else set())
        return black.format_str(code, mode=mode).rstrip("\n")
    except Exception:  # noqa: BLE001 - what black cannot read (not Python) is shown as written
        return code


class FittedCode(CodeBlock):
    """A fenced Python block in lesson text, laid out to fit instead of wrapped into lines that are not Python."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        code = str(self.text).rstrip()
        if self.lexer_name in ("python", "py", "pycon"):
            code = fitted(code, options.max_width - 2)
        yield Syntax(code, self.lexer_name, theme=self.theme, word_wrap=True, padding=1)


class LessonMarkdown(Markdown):
    elements = {**Markdown.elements, "fence": FittedCode, "code_block": FittedCode}


@dataclass(frozen=True)
class LessonRow:
    """One line of the lesson menu."""

    id: str
    title: str
    minutes: int
    state: str  # "not started" | "step N of M" (in progress) | "done"
    current: bool = False


@dataclass(frozen=True)
class StepRow:
    """One line of `progress`."""

    id: str
    title: str
    kind: str
    status: Optional[str]  # None = not done
    current: bool


class Pager:
    """A step taller than the screen, a screenful at a time: "more below" waits for a key, and every page after the
    first starts with the step's heading again, so the learner always sees which step they are reading.

    It counts the rows of everything written while the step is shown, the output of the step's code included (it
    stands in for sys.stdout); a live display that redraws in place (training) ends the stops for that step."""

    MORE = "more below · Enter: next page · q (or type): all the rest"
    LIVE = re.compile(r"\x1b\[\d*[ABFK]|\r(?!\n)|\x08")

    def __init__(self, more: Callable[[str], bool], out: Any, rows: int, width: int,
                 drawn: Callable[[str], int]) -> None:
        self.more_wanted, self.out, self.rows, self.width, self.drawn = more, out, rows, width, drawn
        self.heading, self.more = "", self.MORE  # the step's heading as drawn, once the step has printed it
        self.used = 0  # rows written since the page began
        self.partial = 0  # cells of the row being written, not ended yet
        self.rest = False  # no more stops for this step (q pressed, a live display)
        self.passing = 0  # > 0: writes go through uncounted (this pager's prompt, the terminal's probe)

    def begin(self, heading: str, more: str) -> None:
        self.heading, self.more, self.used = heading, more, 0

    @contextmanager
    def passed(self) -> Iterator[None]:
        self.passing += 1
        try:
            yield
        finally:
            self.passing -= 1

    def write(self, text: str) -> None:
        if self.passing or threading.current_thread() is not threading.main_thread():
            self.out.write(text)
            return
        self.rest = self.rest or bool(self.LIVE.search(text))
        pieces = text.splitlines(keepends=True)
        if not self.partial and self.heading and not self.rest and len(pieces) > 1:
            whole = sum(max(1, -(-self.drawn(p.rstrip("\n")) // self.width)) for p in pieces)
            fits = whole <= self.rows - 1 - self.heading.count("\n")
            if fits and self.used + whole > self.rows - 1 and self.used >= self.rows // 2:
                self.turn()  # a table, a box or a paragraph that fits a page is not split, past half a page
        for piece in pieces:  # print() writes a line and its newline apart
            cells = self.drawn(piece.rstrip("\n"))
            rows = max(1, -(-(self.partial + cells) // self.width))  # a line wider than the screen takes more
            if not self.partial and self.heading and not self.rest and self.used + rows > self.rows - 1:
                self.turn()  # the last row is the prompt's, or "more below"'s
            self.out.write(piece)
            if piece.endswith("\n"):
                self.used, self.partial = self.used + rows, 0
            else:
                self.partial += cells

    def turn(self) -> None:
        with self.passed():
            self.out.flush()
            self.rest = not self.more_wanted(self.more)
        if not self.rest:
            self.out.write(self.heading)
            self.used = self.heading.count("\n")


class PagedStream:
    """sys.stdout while a step is shown: what anything prints goes through the pager."""

    def __init__(self, pager: Pager) -> None:
        self.pager = pager

    def write(self, text: str) -> int:
        self.pager.write(text)
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pager.out, name)


class Renderer:
    def __init__(self, file: Any = None) -> None:
        width = min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH)
        self.console = Console(file=file, width=max(width, 40), highlight=False, emoji=False, soft_wrap=False)
        self.refit = Refitter() if self.console.is_terminal else None  # emoji as wide as the terminal draws them
        self.pager: Optional[Pager] = None  # while a step is shown on a terminal

    @property
    def plain(self) -> bool:
        return not self.console.is_terminal

    # -- low level ---------------------------------------------------------------------------------------------
    def rendered(self, *objects: Any, **kwargs: Any) -> str:
        """What print() writes."""
        with self.console.capture() as capture:
            self.console.print(*objects, **kwargs)
        text = single_blank_lines(capture.get())
        if self.refit is not None:
            with self.pager.passed() if self.pager else nullcontext():  # its probe's writes are not rows
                text = self.refit(text, self.console.width)
        else:
            text = "\n".join(line.rstrip() for line in text.split("\n"))
        return text.replace(KEEP_SPACE, " ")

    def print(self, *objects: Any, **kwargs: Any) -> None:
        out = self.console.file  # sys.stdout, unless given: while a step is shown, its pager
        out.write(self.rendered(*objects, **kwargs))
        out.flush()

    @contextmanager
    def paged(self, more: Optional[Callable[[str], bool]]) -> Iterator[None]:
        """While a step is shown: on a terminal, with `more` to ask at each stop, a page at a time (Pager)."""
        if more is None or self.refit is None or self.console.file is not sys.stdout:
            yield
            return
        real = sys.stdout
        self.pager = Pager(more, real, shutil.get_terminal_size((80, 24)).lines, self.console.width, self.refit.drawn)
        sys.stdout = PagedStream(self.pager)
        try:
            yield
        finally:
            if isinstance(sys.stdout, PagedStream):
                sys.stdout = real
            self.pager = None

    def inline(self, message: str, style: str = "") -> Text:
        """A one-paragraph message; `code` spans are styled in colour and keep their backticks when plain."""
        text = Text(style=style)
        for part in _BACKTICK_RE.split(message):
            if part.startswith("`") and part.endswith("`") and len(part) > 1:
                code = unbreakable(part)
                text.append(code if self.plain else code[1:-1], style="bold cyan" if not self.plain else "")
            else:
                text.append(part)
        return text

    def md(self, text: str) -> Markdown:
        text = text.strip()
        return LessonMarkdown(inline_code(text, self.plain))

    def blank(self) -> None:
        self.print()

    # -- messages ----------------------------------------------------------------------------------------------
    def success(self, message: str) -> None:
        self.print(self.inline("✓ " + message, "green"))

    def failure(self, message: str) -> None:
        self.print(self.inline("✗ " + message, "yellow"))

    def note(self, message: str) -> None:
        self.print(self.inline(message, "dim"))

    def info(self, message: str) -> None:
        self.print(self.inline(message))

    def command(self, line: str) -> None:
        """A shell command on a line of its own, never wrapped (the terminal folds it), to copy whole."""
        self.print(Text("    " + line, style="bold cyan"), soft_wrap=True)

    def warn(self, message: str) -> None:
        """One line, never wrapped (the terminal may fold it): warnings are easy to grep and to quote."""
        self.print(self.inline(message, "yellow"), soft_wrap=True)

    def error(self, message: str) -> None:
        self.print(self.inline(message, "red"), soft_wrap=True)

    def interrupted(self, still_open: Optional[Step] = None) -> None:
        """After Ctrl-C; `still_open`: the step whose code it stopped, which stays to do."""
        self.print(Text("interrupted (Ctrl-C): back at the prompt, your progress is intact", style="yellow"))
        if still_open is not None:
            self.note(f"[{still_open.id}] is not done: {still_open.does.again}.")

    def traceback(self, text: str) -> None:
        """Never re-wrapped: a caret line (^^^) points at columns of the code line above it as Python wrote it."""
        self.print(Text(text, style="red"), soft_wrap=True)

    def markdown(self, text: str) -> None:
        self.print(self.md(text))

    def code(self, source: str, label: str = "") -> None:
        """Indented code as Python reads it: laid out to fit where it can be (fitted), and a line that still does not
        fit written whole for the terminal to fold, never broken into lines that are not Python."""
        if label:
            self.print(Text(label, style="dim"))
        code = fitted(source.strip("\n"), self.console.width - 4)
        highlighted = Syntax(code, "python", theme="ansi_dark", background_color="default").highlight(code)
        highlighted.rstrip()
        self.print(Text("\n").join(Text("    ") + line for line in highlighted.split("\n", allow_blank=True)),
                   soft_wrap=True)

    def show_value(self, value: Any) -> None:
        """Echo an expression's value at the prompt: rich renderables drawn, anything else as repr()."""
        if hasattr(type(value), "__rich_console__") or hasattr(type(value), "__rich__"):
            self.print(value)
        else:
            out = sys.stdout
            out.write(repr(value) + "\n")
            out.flush()

    # -- screens -----------------------------------------------------------------------------------------------
    def banner(self, version: str) -> None:
        self.print(Text.assemble(("emoji_lab", "bold"), f" {version} · TensorFlow on iOS · guided console",
                                 ("  (type help for commands)", "dim")))

    def lessons(self, rows: Sequence[LessonRow], title: str = "Lessons") -> None:
        table = Table(title=title, title_justify="left", box=None, pad_edge=False, show_edge=False,
                      header_style="bold")
        table.add_column("", width=1)
        table.add_column("lesson", no_wrap=True)
        table.add_column("title", ratio=1)
        table.add_column("min", justify="right", no_wrap=True)
        table.add_column("state", no_wrap=True)
        for row in rows:
            style = "green" if row.state == "done" else ("cyan" if row.state.startswith("step") else "")
            table.add_row(">" if row.current else "", row.id, row.title, str(row.minutes) if row.minutes else "",
                          Text(row.state, style=style))
        self.print(table)

    def step(self, lesson: Lesson, step: Step, status: Optional[str], quick_hint: bool = True) -> None:
        """Header with the stable id, the text, then what the kind needs (code, task, choices)."""
        index = (lesson.index(step.id) or 0) + 1
        header = Text.assemble((f"[{step.id}] ", "bold"), (step.title, "bold"),
                               (f"  · step {index} of {len(lesson.steps)}", "dim"))  # the lesson: in the id
        self.print()
        if self.pager is not None:
            again = Text.assemble((f"[{step.id}] ", "bold"), (step.title, "bold"), (" · continued", "dim"))
            self.pager.begin(self.rendered(Rule(again, align="left", style="dim")),
                             self.rendered(Text(Pager.MORE, style="dim"), end="").rstrip("\n"))
        self.print(Rule(header, align="left", style="dim"))
        parts: list[Any] = []
        if step.text.strip():
            parts.append(self.md(step.text))
        if step.does.checked and step.prompt.strip():
            parts.append(Panel(self.md(step.prompt), title="your turn", title_align="left",
                               border_style="cyan"))
        if step.does.answered:
            choices = Table.grid(padding=(0, 1))
            choices.add_column(no_wrap=True)
            choices.add_column(ratio=1)
            for label, choice in zip(step.labels, step.choices):
                choices.add_row(Text(f"{label})", style="bold"), self.inline(choice))
            parts.append(Padding(choices, (0, 0, 0, 2)))
        if parts:
            self.print(Group(*parts))
        if step.does.runs_on_arrival:
            self.code(step.reference, step.does.reference_label)

    def footer(self, step: Step, status: Optional[str]) -> None:
        if status:
            words = {"passed": "done", "skipped": "done (solution shown)", "seen": "done", "ran": "done"}
            self.note(f"[{step.id}] {words.get(status, 'done')}: type `next` to go on, `back` to go back")
            return
        tip = step.does.tip
        if step.try_commands:
            tip = "try each command named above, then `next`"
        self.note(f"{tip} · `help` lists all commands")

    def hint(self, level: int, total: int, text: str) -> None:
        self.print(Panel(self.md(text), title=f"hint {level}/{total}", title_align="left",
                         border_style="magenta"))

    def undone(self, undone: Any, why: str) -> None:
        """After a line was taken back: which names are gone again, and which have their earlier value back."""
        def names(found: list[str], one: str, many: str) -> str:
            return f"{', '.join(f'`{n}`' for n in found)} {one if len(found) == 1 else many}"

        parts = [names(undone.created, "is removed", "are removed")] if undone.created else []
        if undone.changed:
            parts.append(names(undone.changed, "has its earlier value back", "have their earlier values back"))
        if undone.deleted:
            parts.append(names(undone.deleted, "is back", "are back"))
        if parts:
            self.note(f"{why}: {'; '.join(parts)}.")

    def changes(self, created: Iterable[str], changed: Iterable[str], verb: str = "the solution") -> None:
        created, changed = list(created), list(changed)
        bits = []
        if created:
            bits.append("created " + ", ".join(created))
        if changed:
            bits.append("changed " + ", ".join(changed))
        self.note(f"{verb} " + ("; ".join(bits) if bits else "created no names") + ".")

    def help(self) -> None:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        for word, what in COMMANDS:
            table.add_row(word, what)
        self.print(Text("Commands: a word typed alone on its line. Anything else is Python.", style="bold"))
        self.print(Padding(table, (0, 0, 0, 2)))
        self.note("A variable with a command's name still works inside code: `print(next)`. "
                  "Ctrl-C stops running code; Ctrl-D saves and quits.")

    def lesson_progress(self, lesson: Lesson, rows: Sequence[StepRow]) -> None:
        done = sum(1 for r in rows if r.status)
        self.print(Text(f"Lesson {lesson.id} · {lesson.title} · {done}/{len(rows)} steps done", style="italic"))
        table = Table(box=None, pad_edge=False, show_header=False)
        table.add_column(width=2)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        table.add_column(no_wrap=True)
        marks = {"passed": "✓", "seen": "✓", "ran": "✓", "skipped": "↷"}
        for r in rows:
            mark = (">" if r.current else "") + marks.get(r.status or "", "" if r.current else "·")
            table.add_row(mark, f"[{r.id}]", r.title, Text(r.kind, style="dim"))
        self.print(table)
        self.note("✓ done   ↷ done by the reference solution   > you are here   · to do")

    def widget(self, shown: Any, jupyter: Optional[tuple[str, str]] = None) -> None:
        """`shown` as the terminal can draw it, then `jupyter`: what says the same in a notebook, and its code line."""
        if isinstance(shown, str):
            self.markdown(shown)
        elif isinstance(shown, list) and shown and all(isinstance(r, dict) for r in shown):
            table = Table()
            for column in shown[0]:
                table.add_column(str(column))
            for row in shown:
                table.add_row(*(str(v) for v in row.values()))
            self.print(table)
        else:
            self.print(shown)
        if jupyter:
            self.note(jupyter[0])
            self.command(jupyter[1])

    def auto_line(self, step_id: str, ok: bool, seconds: float, title: str, message: str = "") -> None:
        verdict = Text("ok  ", style="green") if ok else Text("FAIL", style="bold red")
        line = Text.assemble(f"[{step_id}] ", verdict, f" {seconds:6.2f}s  {title}")
        if message:
            line.append(f": {message}", style="red")
        self.print(line)
