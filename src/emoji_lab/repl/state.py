"""Each lesson's and step's state (not started / step N of M / done) from lessons plus progress."""

from __future__ import annotations

from typing import Optional, Sequence

from emoji_lab.repl.lesson import Lesson
from emoji_lab.repl.progress import Progress
from emoji_lab.repl.render import LessonRow, StepRow


def lesson_state(lesson: Lesson, progress: Progress) -> str:
    lesson_progress = progress.lessons.get(lesson.id)
    if lesson_progress is None or (not lesson_progress.steps and lesson_progress.at is None):
        return "not started"
    if all(lesson_progress.done(step.id) for step in lesson.steps):
        return "done"
    index = start_index(lesson, progress)
    return f"step {index + 1} of {len(lesson.steps)}"  # as wide as "not started": titles keep their line


def start_index(lesson: Lesson, progress: Progress) -> int:
    """Where to resume a lesson: the saved step if it still exists, else the first step not done."""
    lesson_progress = progress.lessons.get(lesson.id)
    if lesson_progress is None:
        return 0
    if lesson_progress.at is not None:
        index = lesson.index(lesson_progress.at)
        if index is not None:
            return index
    for i, step in enumerate(lesson.steps):
        if not lesson_progress.done(step.id):
            return i
    return len(lesson.steps) - 1


def lesson_rows(lessons: Sequence[Lesson], progress: Progress, current: Optional[str] = None) -> list[LessonRow]:
    return [LessonRow(l.id, l.title, l.minutes, lesson_state(l, progress), current == l.id) for l in lessons]


def step_rows(lesson: Lesson, progress: Progress, current_index: int) -> list[StepRow]:
    lesson_progress = progress.lessons.get(lesson.id)
    return [
        StepRow(s.id, s.title, s.kind,
                lesson_progress.steps[s.id].status if lesson_progress and lesson_progress.done(s.id) else None,
                i == current_index)
        for i, s in enumerate(lesson.steps)
    ]


def find_lesson(lessons: Sequence[Lesson], wanted: str) -> Optional[Lesson]:
    """A lesson by id or number: "3", "03" and "03" all find lesson 03."""
    wanted = wanted.strip()
    if wanted.isdigit():
        wanted = f"{int(wanted):02d}"
    for lesson in lessons:
        if lesson.id == wanted:
            return lesson
    return None
