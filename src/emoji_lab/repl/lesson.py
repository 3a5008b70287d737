"""Lesson files: load TOML into dataclasses and validate them, so a bad file fails with its name and step."""

from __future__ import annotations

import importlib
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.repl.commands import CHOICE_LABELS, COMMAND_WORDS

FORMAT_VERSION = 2  # 2: the lesson-level facts `starts_background`, `background_models` and `dry_run`
LESSONS_ENV = "EMOJI_LAB_LESSONS"
LESSONS_TABLE = "{{lessons}}"  # in a step's text: the table of the lessons present, as `menu` lists them
QUIET_IMPORTS = ("tensorflow", "keras")  # imported through emoji_lab.common.backend, which silences their start-up log

_LESSON_FILE_RE = re.compile(r"^(\d{2})_[A-Za-z0-9_-]+\.toml$")
_LESSON_ID_RE = re.compile(r"^\d{2}$")
_STEP_SUFFIX_RE = re.compile(r"^[0-9A-Za-z_-]+$")
_REF_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$")
_MODULE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

_LESSON_KEYS = {"format_version", "id", "title", "minutes", "summary", "steps"}
_LESSON_FACTS = {"starts_background", "background_models", "dry_run"}  # format 2
_COMMON_KEYS = {"id", "kind", "title", "text", "hints", "needs", "success", "notebook"}
@dataclass(frozen=True)
class Kind:
    """What one kind of step is and does: the one table the loader, the engine, the renderer and `--auto` read,
    so that no other module tells kinds apart by name."""

    name: str
    keys: frozenset  # the keys a step of this kind may have, besides the common ones
    required: tuple[str, ...]
    tip: str  # the footer's advice while the step is to do
    unfinished: str = ""  # why `next` refuses while it is to do ("" : `next` marks it done)
    runs_code: bool = False  # it has reference code (a demo's code, an exercise's solution): rebuilt on resume
    runs_on_arrival: bool = False  # the code runs when the step is shown (a demo)
    checked: bool = False  # the learner's lines are attempts, checked on their values (an exercise)
    answered: bool = False  # the learner answers with a letter (a choice)
    draws: bool = False  # it draws a view, and a widget in Jupyter
    reference_label: str = ""  # shown above its reference code
    reference_noun: str = ""  # "the demo created ..."
    reference_status: str = "seen"  # its status once the reference did it for the learner
    again: str = ""  # what to type after Ctrl-C stopped its code


KINDS = {kind.name: kind for kind in (
    Kind("text", frozenset({"try_commands"}), ("text",), "type `next` to go on"),
    Kind("demo", frozenset({"code", "checks", "restore"}), ("code",), "type `next` to go on, or try the code yourself",
         "The demo did not finish. Type `solution` to run it again, or `skip` to run it and move on.",
         runs_code=True, runs_on_arrival=True, reference_label="demo:", reference_noun="the demo",
         reference_status="ran", again="`solution` runs it again, `skip` runs it and moves on"),
    Kind("exercise", frozenset({"prompt", "solution", "checks", "names", "touches", "restore"}),
         ("prompt", "solution", "checks", "names"), "type Python at the prompt · `hint` · `skip`",
         "This exercise isn't solved yet: try again, ask for a `hint`, or `skip` to run the reference solution "
         "and move on.", runs_code=True, checked=True, reference_label="reference solution:",
         reference_noun="the solution", reference_status="skipped",
         again="type your code again, or `skip` to run the reference solution"),
    Kind("choice", frozenset({"choices", "answer", "feedback"}), ("text", "choices", "answer"),
         "type the letter of your answer · `hint` · `skip`",
         "Pick an answer first (type its letter), or `skip` to see the answer and move on.", answered=True,
         reference_status="skipped"),
    Kind("widget", frozenset({"widget", "terminal", "args"}), ("widget", "terminal"), "type `next` to go on",
         draws=True),
)}


_STR_KEYS = {"id", "kind", "title", "text", "prompt", "code", "solution", "answer", "success", "widget",
             "terminal", "restore"}
_LIST_KEYS = {"hints", "checks", "names", "touches", "choices", "needs", "try_commands", "args"}


class LessonError(EmojiLabError):
    """A lesson file that cannot be used; the message names the file and, where it can, the step."""


@dataclass(frozen=True)
class Step:
    """One step of a lesson; which fields matter depends on `kind` (see lessons/README.md)."""

    id: str
    kind: str
    title: str
    text: str = ""
    prompt: str = ""
    code: str = ""
    solution: str = ""
    hints: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    touches: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    answer: str = ""
    feedback: Mapping[str, str] = field(default_factory=dict)
    success: str = ""
    widget: str = ""
    terminal: str = ""
    args: tuple[str, ...] = ()  # names in the namespace passed to `terminal` and `widget`
    restore: str = ""
    needs: tuple[str, ...] = ()
    try_commands: tuple[str, ...] = ()
    notebook: bool = True  # False: a step about the console itself, left out of the lesson's notebook

    @property
    def does(self) -> Kind:
        """What this step's kind is and does (see KINDS)."""
        return KINDS[self.kind]

    @property
    def reference(self) -> str:
        """The code that does this step for the learner: the demo's code or the exercise's solution."""
        return self.code or self.solution

    @property
    def labels(self) -> str:
        return CHOICE_LABELS[: len(self.choices)]


@dataclass(frozen=True)
class Lesson:
    """A lesson: an ordered list of steps with stable ids, loaded from one TOML file."""

    id: str
    title: str
    minutes: int
    summary: str
    steps: tuple[Step, ...]
    source: str
    starts_background: bool = False  # opening it starts the worker that trains every lesson's background_models
    background_models: tuple[str, ...] = ()  # models it trains that may train in the background before it opens
    dry_run: str = ""  # "module:function": a context manager, given the dry run's home, that `--auto` enters once
    #                    around every lesson it plays (lesson 8's fills a copy of the app, not the learner's)

    @property
    def number(self) -> int:
        return int(self.id)

    def index(self, step_id: str) -> Optional[int]:
        for i, step in enumerate(self.steps):
            if step.id == step_id:
                return i
        return None


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _fail(source: str, step_id: Optional[str], problem: str) -> LessonError:
    where = f"{source}: step {step_id}" if step_id else source
    return LessonError(f"{where}: {problem}")


def _parse_step(raw: Any, lesson_id: str, position: int, source: str) -> Step:
    if not isinstance(raw, dict):
        raise _fail(source, None, f"[[steps]] entry {position} is not a table")
    step_id = raw.get("id")
    if not isinstance(step_id, str) or not step_id:
        raise _fail(source, f"#{position}", "missing `id` (a stable id such as \"%s.%d\")" % (lesson_id, position))
    prefix = lesson_id + "."
    if not step_id.startswith(prefix) or not _STEP_SUFFIX_RE.match(step_id[len(prefix):]):
        raise _fail(source, step_id, f"id must look like \"{lesson_id}.<n>\" (the lesson id, a dot, then letters/digits)")

    def fail(problem: str) -> LessonError:
        return _fail(source, step_id, problem)

    kind = raw.get("kind")
    if kind not in KINDS:
        raise fail(f"`kind` must be one of {', '.join(KINDS)} (got {kind!r})")
    allowed = _COMMON_KEYS | KINDS[kind].keys
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise fail(f"unknown key(s) for {_a(kind)} step: {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
    for key, value in raw.items():
        if key in _STR_KEYS and not isinstance(value, str):
            raise fail(f"`{key}` must be a string")
        if key in _LIST_KEYS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise fail(f"`{key}` must be a list of strings")
    if not isinstance(raw.get("notebook", True), bool):
        raise fail("`notebook` must be true or false")
    if not isinstance(raw.get("title"), str) or not raw["title"].strip():
        raise fail("missing `title` (a few words, shown in the step header)")
    for key in KINDS[kind].required:
        value = raw.get(key)
        if value is None or (isinstance(value, (str, list)) and not value):
            raise fail(f"{_a(kind)} step needs `{key}`")

    for key in ("checks",):
        for ref in raw.get(key, []):
            if not _REF_RE.match(ref):
                raise fail(f"check {ref!r} must be \"package.module:function\"")
    for key in ("restore", "widget", "terminal"):
        ref = raw.get(key)
        if ref and not _REF_RE.match(ref):
            raise fail(f"`{key}` {ref!r} must be \"package.module:function\"")
    for key in ("names", "touches", "args"):
        for name in raw.get(key, []):
            if not name.isidentifier():
                raise fail(f"`{key}` entry {name!r} is not a Python name")
    for module in raw.get("needs", []):
        if not _MODULE_RE.match(module):
            raise fail(f"`needs` entry {module!r} is not a module name")
    for word in raw.get("try_commands", []):
        if word not in COMMAND_WORDS:
            raise fail(f"`try_commands` entry {word!r} is not a command ({', '.join(sorted(COMMAND_WORDS))})")
    for key in ("code", "solution"):
        src = raw.get(key)
        if src:
            try:
                compile(src, f"{source} [{step_id}] {key}", "exec")
            except SyntaxError as exc:
                raise fail(f"`{key}` is not valid Python (line {exc.lineno}: {exc.msg})") from None

    feedback: dict[str, str] = {}
    if KINDS[kind].answered:
        choices = raw["choices"]
        if not 2 <= len(choices) <= len(CHOICE_LABELS):
            raise fail(f"`choices` needs 2 to {len(CHOICE_LABELS)} entries")
        labels = CHOICE_LABELS[: len(choices)]
        if raw["answer"] not in labels:
            raise fail(f"`answer` must be one of the labels {', '.join(labels)} (got {raw['answer']!r})")
        fb = raw.get("feedback", {})
        if not isinstance(fb, dict) or not all(isinstance(v, str) for v in fb.values()):
            raise fail("`feedback` must be a table of label = \"message\"")
        bad = sorted(set(fb) - set(labels))
        if bad:
            raise fail(f"`feedback` has labels that are not choices: {', '.join(bad)}")
        feedback = dict(fb)
        if raw.get("success", "").lower().startswith(("right", "correct")):
            raise fail("a choice's `success` says why the answer is right, without \"Right\": the console adds "
                       "\"Right.\" when it is picked, and shows the reason alone after `skip`")

    return Step(
        id=step_id,
        kind=kind,
        title=raw["title"].strip(),
        text=raw.get("text", ""),
        prompt=raw.get("prompt", ""),
        code=raw.get("code", ""),
        solution=raw.get("solution", ""),
        hints=tuple(raw.get("hints", ())),
        checks=tuple(raw.get("checks", ())),
        names=tuple(raw.get("names", ())),
        touches=tuple(raw.get("touches", ())),
        choices=tuple(raw.get("choices", ())),
        answer=raw.get("answer", ""),
        feedback=feedback,
        success=raw.get("success", ""),
        widget=raw.get("widget", ""),
        terminal=raw.get("terminal", ""),
        args=tuple(raw.get("args", ())),
        restore=raw.get("restore", ""),
        needs=tuple(raw.get("needs", ())),
        try_commands=tuple(raw.get("try_commands", ())),
        notebook=raw.get("notebook", True),
    )


def parse_lesson(text: str, source: str, file_id: Optional[str] = None) -> Lesson:
    """Parse and validate one lesson file's text; `source` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, None, f"not valid TOML ({exc})") from None
    version = data.get("format_version")
    if not isinstance(version, int):
        raise _fail(source, None, f"missing `format_version = {FORMAT_VERSION}` at the top")
    if version > FORMAT_VERSION:
        raise _fail(source, None, f"written for lesson format {version}, this emoji_lab reads format "
                                  f"{FORMAT_VERSION}: upgrade emoji_lab")
    if version < 1:
        raise _fail(source, None, f"unknown format_version {version}")
    unknown = sorted(set(data) - _LESSON_KEYS - (_LESSON_FACTS if version >= 2 else set()))
    if unknown:
        needs_two = " (lesson facts need `format_version = 2`)" if set(unknown) & _LESSON_FACTS else ""
        raise _fail(source, None, f"unknown top-level key(s): {', '.join(unknown)}{needs_two}")
    lesson_id = data.get("id")
    if not isinstance(lesson_id, str) or not _LESSON_ID_RE.match(lesson_id):
        raise _fail(source, None, "`id` must be two digits in quotes, such as id = \"03\"")
    if file_id is not None and lesson_id != file_id:
        raise _fail(source, None, f"`id` is \"{lesson_id}\" but the file name starts with {file_id}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise _fail(source, None, "missing `title`")
    minutes = data.get("minutes", 0)
    if not isinstance(minutes, int) or minutes < 0:
        raise _fail(source, None, "`minutes` must be a whole number")
    summary = data.get("summary", "")
    if not isinstance(summary, str):
        raise _fail(source, None, "`summary` must be a string")
    if not isinstance(data.get("starts_background", False), bool):
        raise _fail(source, None, "`starts_background` must be true or false")
    models = data.get("background_models", [])
    if not (isinstance(models, list) and all(isinstance(m, str) and m for m in models)):
        raise _fail(source, None, "`background_models` must be a list of model names")
    dry_run = data.get("dry_run", "")
    if not isinstance(dry_run, str) or (dry_run and not _REF_RE.match(dry_run)):
        raise _fail(source, None, f"`dry_run` {dry_run!r} must be \"package.module:function\"")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise _fail(source, None, "no [[steps]]")
    steps = [_parse_step(raw, lesson_id, i, source) for i, raw in enumerate(raw_steps, start=1)]
    seen: set[str] = set()
    for step in steps:
        if step.id in seen:
            raise _fail(source, step.id, "duplicate step id (ids must be unique and never reused)")
        seen.add(step.id)
    return Lesson(id=lesson_id, title=title.strip(), minutes=minutes, summary=summary.strip(),
                  steps=tuple(steps), source=source, starts_background=data.get("starts_background", False),
                  background_models=tuple(models), dry_run=dry_run)


def lesson_dirs() -> list[Path]:
    """Extra lesson folders from EMOJI_LAB_LESSONS (os.pathsep-separated); their files add to or replace ours."""
    raw = os.environ.get(LESSONS_ENV, "")
    return [Path(part).expanduser() for part in raw.split(os.pathsep) if part.strip()]


def _packaged_files() -> Iterable[tuple[str, Callable[[], str]]]:
    from importlib.resources import files

    root = files("emoji_lab.lessons")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml") and entry.is_file():
            yield entry.name, (lambda e=entry: e.read_text(encoding="utf-8"))


def load_lessons() -> list[Lesson]:
    """All lessons, sorted by id: the packaged ones, then those in EMOJI_LAB_LESSONS folders (same id replaces)."""
    found: dict[str, tuple[str, Callable[[], str]]] = {}
    for name, read in _packaged_files():
        match = _LESSON_FILE_RE.match(name)
        if match:
            found[match.group(1)] = (f"lessons/{name}", read)
    for folder in lesson_dirs():
        if not folder.is_dir():
            raise LessonError(f"{LESSONS_ENV}: {folder} is not a folder")
        # Lessons there may name checks in Python modules sitting next to them.
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
        for path in sorted(folder.glob("*.toml")):
            match = _LESSON_FILE_RE.match(path.name)
            if not match:
                raise LessonError(f"{path}: lesson files are named NN_name.toml (two digits, underscore, name)")
            found[match.group(1)] = (str(path), (lambda p=path: p.read_text(encoding="utf-8")))
    lessons = []
    for lesson_id, (source, read) in sorted(found.items()):
        try:
            text = read()
        except (OSError, UnicodeDecodeError) as exc:
            raise LessonError(f"{source}: cannot read ({exc})") from None
        lessons.append(parse_lesson(text, source, file_id=lesson_id))
    return _with_lessons_table(lessons)


def _lessons_table(lessons: Sequence[Lesson]) -> str:
    """The lessons as a Markdown table of number, title and minutes: the titles `menu` shows, from the same files."""
    rows = [f"| {lesson.number} | {lesson.title} | {lesson.minutes or ''} |" for lesson in lessons]
    return "\n".join(["| Lesson | Title | Minutes |", "|--------|-------|---------|", *rows])


def _with_lessons_table(lessons: list[Lesson]) -> list[Lesson]:
    """The lessons with LESSONS_TABLE in a step's text replaced by their table, so that no text copies a title."""
    table = _lessons_table(lessons)

    def filled(step: Step) -> Step:
        return replace(step, text=step.text.replace(LESSONS_TABLE, table)) if LESSONS_TABLE in step.text else step

    return [replace(lesson, steps=tuple(filled(step) for step in lesson.steps)) for lesson in lessons]


def background_models(lessons: Iterable[Lesson]) -> list[str]:
    """Every model the lessons let train in the background, in lesson order: one worker's job for the course."""
    return list(dict.fromkeys(m for lesson in lessons for m in lesson.background_models))


def span(lessons: Iterable[Lesson]) -> str:
    """How a sentence names some lessons: "lesson 4", "lessons 4-6", "lessons 4 and 6" ("" for none)."""
    numbers = sorted({lesson.number for lesson in lessons})
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"lesson {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"lessons {numbers[0]}-{numbers[-1]}"
    return "lessons " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def find_step(lessons: Iterable[Lesson], step_id: str) -> tuple[Lesson, Step]:
    for lesson in lessons:
        for step in lesson.steps:
            if step.id == step_id:
                return lesson, step
    raise LessonError(f"no step {step_id} in the lessons present")


def resolve(ref: str) -> Callable[..., Any]:
    """Import the function named by "package.module:function"; a LessonError says what is wrong."""
    module_name, _, attr = ref.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise LessonError(f"{ref}: cannot import {module_name} ({exc})") from None
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise LessonError(f"{ref}: {module_name} has no function {attr}")
    return fn


def widget_arguments(step: Step, ns: Mapping[str, Any]) -> tuple:
    """The values of a widget step's `args`, taken from the lesson's namespace."""
    missing = [name for name in step.args if name not in ns]
    if missing:
        raise EmojiLabError(f"this step needs {', '.join(missing)} from an earlier step: type `back`, "
                            "or `reset` to start the lesson over")
    return tuple(ns[name] for name in step.args)


def import_need(module: str) -> None:
    """Import one of a step's `needs`; TensorFlow and Keras through the quiet import (no start-up log lines)."""
    if module.split(".")[0] in QUIET_IMPORTS:
        from emoji_lab.common.backend import import_tensorflow

        import_tensorflow()
    importlib.import_module(module)
