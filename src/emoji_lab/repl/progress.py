"""Learner progress: one JSON file saved atomically after every step; a bad file is moved aside, never fatal."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from emoji_lab.common.errors import DataError, EmojiLabError
from emoji_lab.common.files import write_whole
from emoji_lab.common.paths import home_dir
from emoji_lab.data.source import Source, parse_source

# 2: the data source with its options (`source`, was `data`: the text alone), and the library's modules in wings
# (format 1's saved code is rewritten to import from them)
FORMAT_VERSION = 2
FILENAME = "progress.json"
DONE = ("passed", "skipped", "seen", "ran")  # every status a step can have; all of them mean "done"
DEFAULT_DATA = "sample"


class NewerProgress(EmojiLabError):
    """Progress a newer version of the course saved: this one must not read it, nor move it aside."""


def progress_path() -> Path:
    return home_dir() / FILENAME


MAX_CODE = 20_000  # characters of an exercise's own code kept for resume; more is not kept (the reference is used)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(text, str) for text in value)


@dataclass
class StepRecord:
    """How a step was done; for an exercise the learner solved, the code they ran for it (replayed on resume,
    so their own values come back, whatever they are)."""

    status: str
    code: list[str] = field(default_factory=list)


@dataclass
class LessonProgress:
    at: Optional[str] = None
    steps: dict[str, StepRecord] = field(default_factory=dict)
    imports: dict[str, list[str]] = field(default_factory=dict)  # typed at each step: run again on resume

    def done(self, step_id: str) -> bool:
        return step_id in self.steps


@dataclass
class Progress:
    """Everything saved between sessions; plain data, independent of rich and of the lesson files."""

    lessons: dict[str, LessonProgress] = field(default_factory=dict)
    current_lesson: Optional[str] = None
    commands_used: set[str] = field(default_factory=set)
    source: Source = field(default_factory=lambda: parse_source(DEFAULT_DATA))  # what the lessons load, as DATA

    def lesson(self, lesson_id: str) -> LessonProgress:
        return self.lessons.setdefault(lesson_id, LessonProgress())

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "current_lesson": self.current_lesson,
            "source": self.source.to_dict(),
            "commands_used": sorted(self.commands_used),
            "lessons": {
                lid: {
                    "at": lesson_progress.at,
                    "steps": {sid: ({"status": rec.status, "code": rec.code} if rec.code
                                    else {"status": rec.status}) for sid, rec in lesson_progress.steps.items()},
                    **({"imports": lesson_progress.imports} if lesson_progress.imports else {}),
                }
                for lid, lesson_progress in sorted(self.lessons.items())
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> "Progress":
        """Build from parsed JSON; raises ValueError/TypeError/KeyError on anything malformed."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        lessons: dict[str, LessonProgress] = {}
        raw_lessons = data.get("lessons", {})
        if not isinstance(raw_lessons, dict):
            raise ValueError("`lessons` is not an object")
        for lid, raw in raw_lessons.items():
            if not isinstance(raw, dict) or not isinstance(raw.get("steps", {}), dict):
                raise ValueError(f"lesson {lid} is malformed")
            at = raw.get("at")
            if at is not None and not isinstance(at, str):
                raise ValueError(f"lesson {lid}: `at` is not a step id")
            steps = {}
            for sid, rec in raw.get("steps", {}).items():
                if not isinstance(rec, dict) or rec.get("status") not in DONE:
                    raise ValueError(f"step {sid} is malformed")
                code = rec.get("code", [])  # (an earlier version kept "values" instead: not used any more)
                if not _texts(code):
                    raise ValueError(f"step {sid}: `code` is not a list of texts")
                steps[sid] = StepRecord(rec["status"], code)
            imports = raw.get("imports", {})
            if not isinstance(imports, dict) or not all(_texts(lines) for lines in imports.values()):
                raise ValueError(f"lesson {lid}: `imports` is not lists of texts by step")
            lessons[lid] = LessonProgress(at=at, steps=steps, imports=imports)
        current = data.get("current_lesson")
        if current is not None and not isinstance(current, str):
            raise ValueError("`current_lesson` is not a lesson id")
        used = data.get("commands_used", [])
        if not isinstance(used, list) or not all(isinstance(w, str) for w in used):
            raise ValueError("`commands_used` is not a list of words")
        try:
            source = Source.from_dict(data.get("source", {"source": DEFAULT_DATA}))
        except DataError as exc:
            raise ValueError(f"`source`: {exc}") from None
        return cls(lessons=lessons, current_lesson=current, commands_used=set(used), source=source)


# Where format 1's modules went (December 2026): the code a learner typed then imports them by their old names.
MOVED = {**{name: f"common.{name}" for name in ("errors", "paths", "files", "formatting", "backend", "values",
                                                "setup_check")},
         **{name: f"data.{name}" for name in ("cleaning", "emojis", "dataset", "sources", "tweeteval", "corpus",
                                              "encoders", "talk", "report", "vocab")},
         **{name: f"models.{name}" for name in ("layers", "gram_layers", "bytegrams", "baselines", "budgets")},
         **{name: f"training.{name}" for name in ("train", "runs", "metrics", "distill", "heldout", "background",
                                                  "leak")},
         **{name: f"deploy.{name}" for name in ("export", "litert", "quantize", "app")},
         **{name: f"teaching.{name}" for name in ("explore", "compare", "checking", "widgets")},
         **{name: f"authoring.{name}" for name in ("guide", "notebooks", "bench")},
         "models": "models.registry", "classical": "training.yardstick"}
# Names that left their module when it was split: `from emoji_lab.explore import traps` imports them from here.
LEFT = {**{("teaching.explore", name): "teaching.traps"
           for name in ("traps", "trap_view", "trap_findings", "trap_rows", "raw_lines", "TRAP_PARTS")},
        **{("models.baselines", name): "teaching.keyword_failures"
           for name in ("failure_examples", "failure_kind", "suggest_rules", "rule_effect", "FAILURE_KINDS")}}
_OLD_PATH = re.compile(r"(?<![\w.])emoji_lab\.(" + "|".join(sorted(MOVED, key=len, reverse=True)) + r")(?!\w)")
_OLD_FROM = re.compile(r"^([ \t]*)from emoji_lab import ([\w ,]+)$", re.MULTILINE)
_SPLIT_FROM = re.compile(r"^([ \t]*)from emoji_lab\.(" + "|".join(sorted({m for m, _ in LEFT})) + r") import ([\w ,]+)$",
                         re.MULTILINE)


def moved_imports(code: str) -> str:
    """Format 1's code with its imports of the library's old modules pointing where they are now."""
    def from_package(match: re.Match) -> str:  # `from emoji_lab import train` -> `from emoji_lab.training import train`
        lines = []
        for name in (n.strip() for n in match.group(2).split(",")):
            old, _, alias = name.partition(" as ")
            wing, _, module = MOVED.get(old, "").rpartition(".")
            as_name = alias or old
            lines.append(match.group(1) + (f"from emoji_lab import {name}" if not module else
                                           f"from emoji_lab.{wing} import {module}"
                                           + ("" if as_name == module else f" as {as_name}")))
        return "\n".join(lines)

    def from_split(match: re.Match) -> str:  # `from emoji_lab.teaching.explore import about_data, traps`: two lines
        modules: dict[str, list[str]] = {}
        for name in (n.strip() for n in match.group(3).split(",")):
            modules.setdefault(LEFT.get((match.group(2), name.partition(" as ")[0]), match.group(2)), []).append(name)
        return "\n".join(f"{match.group(1)}from emoji_lab.{module} import {', '.join(names)}"
                         for module, names in modules.items())

    moved = _OLD_FROM.sub(from_package, _OLD_PATH.sub(lambda m: "emoji_lab." + MOVED[m.group(1)], code))
    return _SPLIT_FROM.sub(from_split, moved)


def _aside_path(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.bad-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bad-{stamp}-{n}")
    return candidate


def load(path: Optional[Path] = None, move_aside: bool = True) -> tuple[Progress, Optional[str]]:
    """The saved progress (or a fresh one) and a one-line warning if the file was unusable.

    A damaged file is renamed to `progress.json.bad-<time>` (unless `move_aside` is false, for read-only commands
    such as --list) so the learner can still start. A file a newer emoji_lab saved is refused and left as it is:
    NewerProgress. An editor's byte-order mark is read past.
    """
    path = path or progress_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Progress(), None
    except (OSError, UnicodeDecodeError) as exc:
        problem = f"cannot be read ({type(exc).__name__})"
    else:
        try:
            data = json.loads(text)
            version = data.get("format_version") if isinstance(data, dict) else None
            if type(version) is int and version > FORMAT_VERSION:
                raise NewerProgress(f"progress file {path} was saved by a newer emoji_lab (progress format {version}, "
                                    f"this one reads {FORMAT_VERSION}); upgrade: in the course's folder, `git pull`, "
                                    "then the README's first command again; the file is left as it is")
            if version == 1:
                data = upgraded(data)
                version = FORMAT_VERSION
            if version != FORMAT_VERSION:
                problem = f"has no progress format this emoji_lab knows (format {version!r})"
            else:
                return Progress.from_json(data), None
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            problem = f"is damaged ({str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__})"
    if not move_aside:
        return Progress(), f"warning: progress file {path} {problem}; it will be moved aside when you start."
    try:
        aside = _aside_path(path)
        os.replace(path, aside)
        where = f"moved it to {aside.name}"
    except OSError as exc:
        where = f"could not move it aside ({exc.strerror or exc})"
    return Progress(), f"warning: progress file {path} {problem}; {where} and starting fresh."


def upgraded(data: dict) -> dict:
    """Format 1 as format 2: the same progress, its data source with its (default) options, its saved code
    importing the modules where they are now."""
    data = dict(data)
    text = data.pop("data", DEFAULT_DATA)
    if not isinstance(text, str) or not text:
        raise ValueError("`data` is not a source name")
    try:
        data["source"] = parse_source(text).to_dict()  # a relative file path: from where the console starts, as before
    except DataError as exc:
        raise ValueError(f"`data`: {exc}") from None
    lessons = data.get("lessons", {})
    if isinstance(lessons, dict):
        for lesson in lessons.values():
            for record in (lesson.get("steps", {}) if isinstance(lesson, dict) else {}).values():
                if isinstance(record, dict) and isinstance(record.get("code"), list):
                    record["code"] = [moved_imports(b) if isinstance(b, str) else b for b in record["code"]]
    return {**data, "format_version": FORMAT_VERSION}


def save(progress: Progress, path: Optional[Path] = None) -> Path:
    """Write whole or not at all (`emoji_lab.common.files`); a WriteError says which path and why."""
    path = path or progress_path()
    return write_whole(path, json.dumps(progress.to_json(), ensure_ascii=False, indent=1) + "\n")


def clear(path: Optional[Path] = None) -> bool:
    """Delete the progress file; True if there was one."""
    path = path or progress_path()
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


def kept_code(blocks: list[str]) -> list[str]:
    """The blocks to save for resume, or none when they are too long to keep (the reference is used then)."""
    return list(blocks) if sum(len(b) for b in blocks) <= MAX_CODE else []
