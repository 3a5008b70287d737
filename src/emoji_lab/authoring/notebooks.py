"""The Jupyter notebooks in tutorial/notebooks, one per lesson, generated from the lesson files.

A notebook runs exactly what the console runs: each demo's code, each exercise's reference solution
followed by its checks (`check_step`), each widget step's `build_*` call. Generating them keeps the
two from drifting apart: edit the lesson, then `python -m emoji_lab tutorial`. A step whose lesson
entry says `notebook = false` is about the console itself and is left out.

The files are nbformat 4 JSON without outputs, written deterministically (cell ids from step ids).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Optional

from emoji_lab.repl.lesson import QUIET_IMPORTS, Lesson, Step

NBFORMAT, NBFORMAT_MINOR = 4, 5
PARAMETERS_TAG = "parameters"


def file_name(lesson: Lesson) -> str:
    """`04_lstm.ipynb` for `lessons/04_lstm.toml`."""
    return Path(lesson.source).with_suffix(".ipynb").name


def cell_id(text: str) -> str:
    """A valid nbformat cell id made from a step id: `04.5-check` -> `04-5-check`."""
    return re.sub(r"[^A-Za-z0-9-]", "-", text)[:64]


def _source(text: str) -> list[str]:
    return text.strip("\n").splitlines(keepends=True)


def markdown(name: str, text: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id(name), "metadata": {}, "source": _source(text)}


def code(name: str, text: str, tags: Iterable[str] = ()) -> dict:
    metadata: dict[str, Any] = {"tags": list(tags)} if tags else {}
    return {"cell_type": "code", "execution_count": None, "id": cell_id(name), "metadata": metadata,
            "outputs": [], "source": _source(text)}


def _needs_tensorflow(lesson: Lesson) -> bool:
    return any(need.split(".")[0] in QUIET_IMPORTS for step in lesson.steps for need in step.needs)


def _intro(lesson: Lesson) -> str:
    head = f"# Lesson {lesson.id} · {lesson.title}\n\n"
    if lesson.summary:
        head += f"*{lesson.summary}*"
        head += f" (about {lesson.minutes} minutes)\n\n" if lesson.minutes else "\n\n"
    return head + (
        f"The notebook form of lesson {lesson.id} of the guided console (`python -m emoji_lab.repl "
        f"--lesson {lesson.number}`), step for step, with the same ids. Run the cells in order "
        "(*Run > Run All Cells* does the whole lesson). In an exercise, the first cell holds the "
        "reference solution: replace it with your own code, run it, then run the check cell under it.\n\n"
        f"Generated from `{lesson.source}` by `python -m emoji_lab tutorial`: change the lesson, not this file."
    )


SETTINGS = """\
# The console's --data and --quick options
DATA = "sample"  # or "tweeteval", "tweeteval:DIR", or the path of your own file of texts with emoji
QUICK = False  # True: the smaller training budgets, for slow machines"""


def _setup(lesson: Lesson) -> str:
    lines = ["%load_ext rich", "from emoji_lab.repl import check_step"]
    if _needs_tensorflow(lesson):
        lines += ["from emoji_lab.common.backend import import_tensorflow",
                  "import_tensorflow()  # TensorFlow without its start-up log lines"]
    return "\n".join(lines)


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{summary}</summary>\n\n{body.strip()}\n\n</details>"


def _hints(step: Step) -> str:
    if not step.hints:
        return ""
    return "\n\n" + _details("Hints", "\n".join(f"{i}. {hint}" for i, hint in enumerate(step.hints, 1)))


def _header(step: Step) -> str:
    return f"## [{step.id}] {step.title}"


def _text_cells(step: Step, head: str) -> list[dict]:
    return [markdown(step.id, head)]


def _demo_cells(step: Step, head: str) -> list[dict]:
    return [markdown(step.id, head), code(step.id + "-code", step.code)]


def _exercise_cells(step: Step, head: str) -> list[dict]:
    task = f"{head}\n\n**Your turn.** {step.prompt.strip()}{_hints(step)}"
    solution = "# Reference solution: replace it with your own, then run the check below\n" + step.solution.strip()
    return [markdown(step.id, task), code(step.id + "-solution", solution),
            code(step.id + "-check", f'check_step("{step.id}");')]


def _choice_cells(step: Step, head: str) -> list[dict]:
    options = "\n".join(f"- **{label})** {choice}" for label, choice in zip(step.labels, step.choices))
    answer_text = step.feedback.get(step.answer) or step.success
    answer = f"**{step.answer})**" + (f" {answer_text}" if answer_text else "")
    return [markdown(step.id, f"{head}\n\n{options}\n\n{_details('Answer', answer)}")]


def _widget_cells(step: Step, head: str) -> list[dict]:
    module, _, fn = step.widget.partition(":")
    call = f"from {module} import {fn}\n{fn}({', '.join(step.args)})"
    return [markdown(step.id, head), code(step.id + "-widget", call)]


CELLS = {"text": _text_cells, "demo": _demo_cells, "exercise": _exercise_cells, "choice": _choice_cells,
         "widget": _widget_cells}  # a notebook's cells per kind of step (the kinds: emoji_lab.repl.lesson.KINDS)


def step_cells(step: Step) -> list[dict]:
    """The cells of one step, by kind."""
    text = step.text.strip()
    return CELLS[step.kind](step, _header(step) + ("\n\n" + text if text else ""))


def notebook(lesson: Lesson) -> dict:
    """The notebook of one lesson as nbformat 4 JSON data."""
    cells = [markdown(f"lesson-{lesson.id}", _intro(lesson)),
             code("settings", SETTINGS, tags=[PARAMETERS_TAG]),
             code("setup", _setup(lesson))]
    for step in lesson.steps:
        if step.notebook:
            cells += step_cells(step)
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": NBFORMAT,
        "nbformat_minor": NBFORMAT_MINOR,
    }


def dumps(nb: dict) -> str:
    """The file text: Jupyter's own layout (one-space indent, keys sorted, a final newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def set_parameters(nb: dict, **values: Any) -> dict:
    """A copy of `nb` whose settings cell assigns `values` (DATA, QUICK) after its defaults."""
    copy = json.loads(json.dumps(nb))
    cell = next(c for c in copy["cells"] if PARAMETERS_TAG in c.get("metadata", {}).get("tags", []))
    cell["source"] = _source("".join(cell["source"]) + "\n" + "\n".join(f"{k} = {v!r}" for k, v in values.items()))
    return copy


def write_all(lessons: Iterable[Lesson], folder: Path, check: bool = False) -> list[str]:
    """Write every lesson's notebook into `folder`; with `check`, write nothing and return the stale names."""
    stale = []
    for lesson in lessons:
        path = folder / file_name(lesson)
        text = dumps(notebook(lesson))
        current: Optional[str] = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path.name)
            if not check:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return stale
