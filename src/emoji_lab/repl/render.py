"""Draw the console's output with rich: the engine hands over plain data, this module decides how it looks.

Width is min(terminal, 100). Colour follows rich's rules: none when NO_COLOR is set or output is not a
terminal; in that plain case trailing padding is stripped so transcripts and 80-column terminals stay tidy.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from rich.console import Console, Group
from rich.markdown import Markdown
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


def keep_backticks(text: str) -> str:
    """Markdown whose inline `code` keeps its backticks when drawn without colour (else it would be invisible)."""
    out, last = [], 0
    for fence in _FENCE_RE.finditer(text):
        out.append(_INLINE_CODE_RE.sub(lambda m: "`` `" + m.group(1) + "` ``", text[last:fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(_INLINE_CODE_RE.sub(lambda m: "`` `" + m.group(1) + "` ``", text[last:]))
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


class Renderer:
    def __init__(self, file: Any = None) -> None:
        width = min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH)
        self.console = Console(file=file, width=max(width, 40), highlight=False, emoji=False, soft_wrap=False)
        self.refit = Refitter() if self.console.is_terminal else None  # emoji as wide as the terminal draws them

    @property
    def plain(self) -> bool:
        return not self.console.is_terminal

    # -- low level ---------------------------------------------------------------------------------------------
    def print(self, *objects: Any, **kwargs: Any) -> None:
        with self.console.capture() as capture:
            self.console.print(*objects, **kwargs)
        text = single_blank_lines(capture.get())
        if self.refit is not None:
            text = self.refit(text, self.console.width)
        else:
            text = "\n".join(line.rstrip() for line in text.split("\n"))
        out = self.console.file
        out.write(text)
        out.flush()

    def inline(self, message: str, style: str = "") -> Text:
        """A one-paragraph message; `code` spans are styled in colour and keep their backticks when plain."""
        text = Text(style=style)
        for part in _BACKTICK_RE.split(message):
            if part.startswith("`") and part.endswith("`") and len(part) > 1:
                text.append(part if self.plain else part[1:-1], style="bold cyan" if not self.plain else "")
            else:
                text.append(part)
        return text

    def md(self, text: str) -> Markdown:
        text = text.strip()
        return Markdown(keep_backticks(text) if self.plain else text)

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
        syntax = Syntax(source.strip("\n"), "python", theme="ansi_dark", background_color="default",
                        word_wrap=True)
        if label:
            self.print(Text(label, style="dim"))
        self.print(Padding(syntax, (0, 0, 0, 4)))

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
                               (f"  · lesson {lesson.id}, step {index} of {len(lesson.steps)}", "dim"))
        self.print()
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

    def widget(self, shown: Any, jupyter_hint: str) -> None:
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
        self.note(jupyter_hint)

    def auto_line(self, step_id: str, ok: bool, seconds: float, title: str, message: str = "") -> None:
        verdict = Text("ok  ", style="green") if ok else Text("FAIL", style="bold red")
        line = Text.assemble(f"[{step_id}] ", verdict, f" {seconds:6.2f}s  {title}")
        if message:
            line.append(f": {message}", style="red")
        self.print(line)
