"""The guided loop: show a step, read a line, run it as a command or as Python, check it, save, repeat."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import AbstractSet, Any, Optional, Sequence

from emoji_lab import __version__
from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.files import WriteError
from emoji_lab.repl import commands, namespace, player
from emoji_lab.repl import progress as progress_mod
from emoji_lab.repl.actions import QUIT, Commands
from emoji_lab.repl.execute import Runner, format_exception
from emoji_lab.repl.lesson import Lesson, Step, background_models, resolve, span, widget_arguments
from emoji_lab.repl.progress import LessonProgress, Progress, StepRecord, kept_code
from emoji_lab.repl.render import Renderer
from emoji_lab.repl.state import find_lesson, lesson_rows, lesson_state, start_index
from emoji_lab.repl.terminal import Reader
from emoji_lab.training import background


def jupyter_hint(step: Step) -> tuple[str, str]:
    """What says the same in a notebook, and its code line (printed on a line of its own, to copy whole)."""
    module, _, fn = step.widget.partition(":")
    return "In Jupyter, the same as a widget:", f"from {module} import {fn}; {fn}({', '.join(step.args)})"


@dataclass(frozen=True)
class Typed:
    """A block the learner ran at an open exercise, with the names it created, rebound or deleted: when an earlier
    step's code has redone all of those since (`back` ran the step that makes them), running the block on resume
    would undo that, so it is not saved."""

    source: str
    touched: frozenset[str]


class Session(Commands):
    """One interactive session; all state the learner sees lives here, all saved state in `self.progress`. Its
    commands (`next`, `skip`, ...) are in `actions`."""

    def __init__(self, lessons: Sequence[Lesson], progress: Progress, renderer: Renderer, reader: Reader, *,
                 quick: bool = False, progress_file: Optional[Path] = None, warning: Optional[str] = None,
                 start_lesson: Optional[Lesson] = None) -> None:
        if not lessons:
            raise EmojiLabError("no lessons found")
        self.lessons = list(lessons)
        self.progress = progress
        self.screen = renderer
        self.reader = reader
        self.quick = quick
        self.progress_file = progress_file or progress_mod.progress_path()
        self.warning = warning
        self.runner = Runner(display=renderer.show_value)
        self.namespaces: dict[str, dict[str, Any]] = {}
        self.hint_levels: dict[str, int] = {}
        self.typed: dict[str, list[Typed]] = {}  # an open exercise's code that ran and stayed, saved when it passes
        self.remake: Optional[int] = None  # the earlier step `back` runs again: it made a name this step misses
        self.buffer: list[str] = []
        self.play = False
        self.save_failed = ""  # why the last save failed; "" when it did not
        self.lesson = start_lesson or self._initial_lesson()
        self.index = 0

    # -- state helpers -----------------------------------------------------------------------------------------
    def _initial_lesson(self) -> Lesson:
        if self.progress.current_lesson:
            found = find_lesson(self.lessons, self.progress.current_lesson)
            if found:
                return found
        for lesson in self.lessons:
            if lesson_state(lesson, self.progress) != "done":
                return lesson
        return self.lessons[0]

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    @property
    def ns(self) -> dict[str, Any]:
        if self.lesson.id not in self.namespaces:  # only if opening the lesson was interrupted early
            self.namespaces[self.lesson.id] = namespace.fresh(self.progress.source, self.quick)
        return self.namespaces[self.lesson.id]

    def status(self, step: Optional[Step] = None) -> Optional[str]:
        step = step or self.step
        lesson_progress = self.progress.lessons.get(self.lesson.id)
        record = lesson_progress.steps.get(step.id) if lesson_progress else None
        return record.status if record else None

    def save(self) -> None:
        """Save the progress; where it cannot be, say so every time, never claim it later."""
        try:
            progress_mod.save(self.progress, self.progress_file)
            self.save_failed = ""
        except WriteError as exc:
            self.save_failed = exc.reason
            self.screen.warn(f"progress not saved: {self.progress_file} cannot be written ({exc.reason}); "
                             "what you do now is lost when you quit, unless you start again with EMOJI_LAB_HOME "
                             "set to a writable folder")

    def mark(self, step: Step, status: str) -> None:
        typed = self.typed.pop(step.id, []) if status == "passed" and step.does.checked else []
        code = kept_code([block.source for block in typed])
        self.progress.lesson(self.lesson.id).steps[step.id] = StepRecord(status, code)
        self.save()

    def open_step(self) -> Optional[Step]:
        """The current step if it runs code and is not done (what a Ctrl-C may have stopped), else None."""
        step = self.step
        return step if step.does.runs_code and not self.status(step) and not self.play else None

    def load_needs(self, step: Step) -> None:
        """Import what a step declares it needs, saying so first: TensorFlow takes seconds and should not surprise."""
        try:
            player.load_needs(step, self.screen.note)
        except ImportError as exc:
            self.screen.error(f"cannot import what [{step.id}] needs ({exc}); lesson {self.lessons[0].id}'s last "
                              "steps check your setup")

    def missing_commands(self, step: Step) -> list[str]:
        return [w for w in step.try_commands if w not in self.progress.commands_used]

    # -- the loop ----------------------------------------------------------------------------------------------
    def run(self) -> int:
        self.screen.banner(__version__)
        if self.warning:
            self.screen.warn(self.warning)
        if self.progress.lessons:  # a first start goes straight to lesson 0, whose first step lists the lessons
            self.screen.lessons(lesson_rows(self.lessons, self.progress, self.lesson.id))
        source = self.progress.source
        if str(source) != progress_mod.DEFAULT_DATA or source.options() or self.quick:
            self.screen.note(f"data: {shlex.join(source.flags()[1:])}"
                             + (" · quick mode (smaller training budgets)" if self.quick else ""))
        try:
            self.open_lesson(self.lesson, announce=True)
        except KeyboardInterrupt:
            self.screen.interrupted(self.open_step())
        while True:
            prompt = "... " if self.buffer else ("(play) >>> " if self.play else ">>> ")
            try:
                line = self.reader.read(prompt)
            except KeyboardInterrupt:
                self.buffer.clear()
                self.screen.print()
                self.screen.interrupted()
                continue
            except EOFError:
                self.cmd_bye()
                return 0
            try:
                if self.handle(line) == QUIT:
                    return 0
            except KeyboardInterrupt:
                self.buffer.clear()
                self.screen.interrupted(self.open_step())
            except SystemExit:
                self.cmd_bye()
                return 0
            except EmojiLabError as exc:
                self.screen.error(f"error: {exc}")
            except Exception as exc:  # noqa: BLE001 - an engine bug must not lose the learner's session
                if os.environ.get("EMOJI_LAB_DEBUG"):
                    raise
                self.screen.error(f"internal error in the console ({type(exc).__name__}: {exc}); your progress is "
                                  f"saved. Please report it with the step id [{self.step.id}].")

    def handle(self, line: str) -> Optional[str]:
        if not self.buffer:
            word = commands.lookup(line)
            if word is not None:
                result = getattr(self, f"cmd_{word}")()
                if result != QUIT:
                    self.after_command(word)
                return result
            step = self.step
            if step.does.answered and not self.play:
                label = commands.parse_choice(line, len(step.choices))
                if label is not None:
                    self.answer_choice(label)
                    return None
            if not line.strip():
                return None
        self.buffer.append(line)
        source = "\n".join(self.buffer)
        try:
            code = self.runner.compile_input(source)
        except (SyntaxError, OverflowError, ValueError) as exc:
            self.buffer.clear()
            self.screen.traceback(format_exception(exc))
            return None
        if code is None:
            return None
        self.buffer.clear()
        self.execute(code, source)
        return None

    def after_command(self, word: str) -> None:
        if word not in self.progress.commands_used:
            self.progress.commands_used.add(word)
            self.save()
        self.check_try_commands()

    def check_try_commands(self) -> None:
        step = self.step
        if step.try_commands and not self.status(step) and not self.missing_commands(step):
            self.mark(step, "passed")
            self.screen.success(step.success or "You've tried them all. Type `next` to go on.")

    def check_already_done(self) -> None:
        """An exercise whose checks pass as it opens (its answer typed at an earlier step) is done: say so, so the
        learner is not asked for what they already made."""
        step = self.step
        if not step.does.checked or self.status(step) or self.play or not player.check(step, self.ns).ok:
            return
        self.mark(step, "passed")
        names = ", ".join(f"`{name}`" for name in step.names)
        self.screen.success(f"You already did this: {names} {'passes' if len(step.names) == 1 else 'pass'} this "
                            f"step's check. {step.success}".rstrip())

    # -- lessons and steps -------------------------------------------------------------------------------------
    def open_lesson(self, lesson: Lesson, announce: bool = True) -> None:
        self.lesson = lesson
        self.progress.current_lesson = lesson.id
        self.index = start_index(lesson, self.progress)
        self.play = False
        lesson_progress = self.progress.lesson(lesson.id)
        resuming = bool(lesson_progress.steps) or lesson.index(lesson_progress.at or "") not in (None, 0)
        lesson_progress.at = self.step.id
        self.save()
        if announce:
            if resuming:
                self.screen.info(f"Resuming lesson {lesson.id} · {lesson.title} at [{self.step.id}].")
            else:
                minutes = f" (about {lesson.minutes} min)" if lesson.minutes else ""
                self.screen.info(f"Starting lesson {lesson.id} · {lesson.title}{minutes}.")
        models = background_models(self.lessons)
        if lesson.starts_background and models:
            whose = span(l for l in self.lessons if l.background_models)
            started = background.start(self.progress.source, self.quick, models, whose)
            if started:
                self.screen.note(started)
        if lesson.id not in self.namespaces:
            self.namespaces[lesson.id] = namespace.fresh(self.progress.source, self.quick)
            self.rebuild(lesson)
        self.show_step()

    def rebuild(self, lesson: Lesson) -> None:
        """Bring back the names done steps made, quietly and in order: a step's `restore` function, the
        learner's own code for an exercise they solved, else the reference code; then the imports the learner
        typed at each step. Say where yours could not."""
        ns = self.namespaces[lesson.id]
        lesson_progress = self.progress.lessons.get(lesson.id) or LessonProgress()
        todo = [s for s in lesson.steps
                if (lesson_progress.done(s.id) and s.does.runs_code) or s.id in lesson_progress.imports]
        if not todo:
            return
        before = set(ns)
        not_yours: list[str] = []
        for step in todo:
            self.load_needs(step)
            try:
                problem = self.rebuild_step(step, ns, lesson_progress, not_yours)
            except KeyboardInterrupt:
                self.screen.warn(f"rebuilding stopped at [{step.id}] (Ctrl-C): names from that step on are missing; "
                                 "`reset` starts the lesson over")
                break
            if problem:
                self.screen.warn(f"could not rebuild [{step.id}]: {problem}")
        created = sorted(n for n in ns if namespace.visible(n) and n not in before)
        self.screen.note("rebuilt namespace: " + (", ".join(created) if created else "(no names)"))
        self.screen.note("Each name is as its step left it: changes typed at the prompt after a step was done are not "
                         "kept, imports excepted.")
        for line in not_yours:
            self.screen.note(line)

    def rebuild_step(self, step: Step, ns: dict[str, Any], lesson_progress: LessonProgress,
                     not_yours: list[str]) -> Optional[str]:
        """Redo a done step, then the imports the learner typed at it (done or not); why one failed, else None."""
        record = lesson_progress.steps.get(step.id)
        problem = self.replay(step, ns, record, not_yours) if record and step.does.runs_code else None
        for line in lesson_progress.imports.get(step.id, []):
            exc = self.runner.run_block(line, ns, kind="rebuild", echo_last=False, quiet=True)
            if exc is not None:
                problem = problem or f"your `{line}` failed ({format_exception(exc).splitlines()[-1]})"
        return problem

    def replay(self, step: Step, ns: dict[str, Any], record: StepRecord, not_yours: list[str]) -> Optional[str]:
        """Redo one done step in `ns`; a sentence goes to `not_yours` where the learner's own answer could not
        come back and the reference solution's values stand in for it."""
        if step.restore:
            why = player.resume(step, ns)
            if why is None:
                return None
            self.screen.note(f"[{step.id}]: saved result not usable ({why}); running the step again (Ctrl-C stops it)")
        if record.status == "passed" and step.does.checked:
            why = self.replay_own(step, ns, record.code) if record.code else "it was not saved"
            if why is None:
                return None
            names = sorted(n for n in namespace.bound_names(step.reference) if namespace.visible(n))
            not_yours.append(f"[{step.id}]: your own code for this step could not be run again ({why}), so "
                             f"{', '.join(names)} now hold{'s' if len(names) == 1 else ''} the reference "
                             "solution's values, not yours.")
        played = player.play(step, ns, self.runner, quiet=True, echo_last=False)
        if played.raised is not None:
            return format_exception(played.raised).splitlines()[-1]
        return None

    def replay_own(self, step: Step, ns: dict[str, Any], code: list[str]) -> Optional[str]:
        """Run the learner's saved code for an exercise again; None if it ran and passes the step's checks,
        else why not (and `ns` is as it was before)."""
        snap = namespace.snapshot(ns, step.touches)
        for block in code:
            exc = self.runner.run_block(block, ns, kind="rebuild", echo_last=False, quiet=True)
            if exc is not None:
                namespace.restore(ns, snap)
                return format_exception(exc).splitlines()[-1]
        if not player.check(step, ns).ok:
            namespace.restore(ns, snap)
            return "its result no longer passes the step's check"
        return None

    def show_step(self, run_demo: bool = True) -> None:
        step = self.step
        self.load_needs(step)
        with self.screen.paged(self.pager_key()):
            self.screen.step(self.lesson, step, self.status(step))
            if step.does.draws:
                self.show_widget(step)
            if step.does.runs_on_arrival and not self.status(step) and run_demo:
                self.run_demo(step)
            self.check_try_commands()
            self.check_already_done()
            self.screen.footer(step, self.status(step))

    def pager_key(self) -> Any:
        """What a step taller than the screen asks between pages, where the learner is at a terminal."""
        return self.reader.more if self.reader.tty else None

    def show_widget(self, step: Step) -> None:
        missing = [name for name in step.args if name not in self.ns]
        if missing and self.explain_missing(missing):
            return
        try:
            shown = resolve(step.terminal)(*widget_arguments(step, self.ns))
        except (KeyboardInterrupt, SystemExit):
            raise
        except EmojiLabError as exc:
            self.screen.error(str(exc))
            return
        except Exception as exc:  # noqa: BLE001
            self.screen.error(f"cannot show this step ({type(exc).__name__}: {exc}); please report [{step.id}]")
            return
        self.screen.widget(shown, jupyter_hint(step))

    def run_demo(self, step: Step) -> bool:
        played = player.play(step, self.ns, self.runner)
        exc = played.raised
        if isinstance(exc, NameError) and exc.name and self.explain_missing([exc.name]):
            return False
        if exc is not None:
            self.screen.traceback(format_exception(exc))
            self.screen.error(f"the demo failed. If you changed something an earlier step made, `reset` starts the "
                              f"lesson over; if not, it is a bug in the lesson: please report it with [{step.id}]")
            return False
        if not played.ok:
            self.screen.error(f"the demo's check failed ({played.verdict.message}); please report [{step.id}]")
            return False
        self.mark(step, "ran")
        return True

    def goto(self, index: int, run_demo: bool = True) -> None:
        if self.play:
            self.screen.note("Play mode ends: the guide is back.")
        self.index = index
        self.play = False
        self.remake = None
        self.progress.lesson(self.lesson.id).at = self.step.id
        self.save()
        self.show_step(run_demo=run_demo)

    def move_on(self) -> None:
        if self.index + 1 < len(self.lesson.steps):
            self.goto(self.index + 1)
        else:
            self.finish_lesson()

    def next_lesson(self) -> Optional[Lesson]:
        later = [l for l in self.lessons if l.id > self.lesson.id]
        return later[0] if later else None

    def finish_lesson(self) -> None:
        lesson = self.lesson
        missing = [s.id for s in lesson.steps if not self.status(s)]
        if missing:
            self.screen.info(f"This is the last step of lesson {lesson.id}. Not done yet: "
                             + ", ".join(f"[{m}]" for m in missing) + " (`progress` shows them).")
            return
        self.screen.success(f"Lesson {lesson.id} · {lesson.title} is done!")
        nxt = self.next_lesson()
        if nxt:
            self.screen.info(f"Type `next` to start lesson {nxt.id} ({nxt.title}), `menu` to pick another, "
                             "or `bye` to stop here.")
        else:
            self.screen.info("That was the last lesson available. `menu` lists them all; `bye` saves and quits.")

    # -- running the learner's code ----------------------------------------------------------------------------
    def execute(self, code: Any, source: str) -> None:
        step = self.step
        open_exercise = step.does.checked and not self.status(step)
        snap = namespace.snapshot(self.ns, step.touches) if open_exercise else None
        attempt = None if self.play else snap  # the line is checked, and undone if wrong
        try:
            exc = self.runner.run_code(code, self.ns)
        except KeyboardInterrupt:
            if attempt is not None:
                namespace.restore(self.ns, attempt)
            raise
        if exc is not None:
            self.screen.traceback(format_exception(exc))
            if attempt is not None:
                self.screen.undone(namespace.restore(self.ns, attempt), "That line raised an error, so it was undone")
            if isinstance(exc, NameError) and exc.name and exc.name not in self.ns:
                self.explain_missing([exc.name], used=True)
            return
        if snap is not None:
            touched = frozenset(namespace.changes(self.ns, snap).touched())
            self.typed.setdefault(step.id, []).append(Typed(source.rstrip("\n"), touched))
        if attempt is None or self.check_attempt(step, attempt):
            self.keep_imports(step, source)

    def superseded(self, names: AbstractSet[str]) -> None:
        """An earlier step's code ran again and redid `names` (resume replays it too): forget the blocks typed at
        this lesson's open exercises that did nothing else (see Typed)."""
        for step in self.lesson.steps:
            if step.id in self.typed:
                self.typed[step.id] = [b for b in self.typed[step.id] if not b.touched or not b.touched <= names]

    def keep_imports(self, step: Step, source: str) -> None:
        """Save the imports a line ran at `step`, whatever its kind, so that resume runs them again after it."""
        kept = self.progress.lesson(self.lesson.id).imports
        new = [line for line in namespace.imports(source) if line not in kept.get(step.id, [])]
        if new:
            kept.setdefault(step.id, []).extend(new)
            self.save()

    def check_attempt(self, step: Step, snap: namespace.Snapshot) -> bool:
        """Check the line just run at an open exercise; False when it was a wrong attempt, now undone."""
        verdict = player.check(step, self.ns)
        if verdict.ok:
            self.mark(step, "passed")
            self.screen.success(step.success or "Correct.")
            self.move_on()
            return True
        made = namespace.changes(self.ns, snap)
        if verdict.missing and self.explain_missing([verdict.missing]):
            return True  # the learner deleted what the check reads: `back` makes it again
        lost = self.lost_inputs(step)
        if not (made.touched() & set(step.names + step.touches)) and not verdict.broken:
            self.explain_missing([name for name in lost if name in made.deleted])  # this line deleted what it reads
            return True  # exploring (helper names, printing): the guide stays quiet until the step's names change
        self.screen.failure(verdict.message)
        self.typed[step.id].pop()  # the line is undone: not part of the learner's answer
        self.screen.undone(namespace.restore(self.ns, snap), "That line was undone, so you can try again")
        self.explain_missing(lost)  # the check's message may take for granted what is gone
        return False

    def answer_choice(self, label: str) -> None:
        step = self.step
        done = bool(self.status(step))
        if label == "?":
            self.screen.failure(f"Answer with one of the letters {', '.join(step.labels)}.")
            return
        if label == step.answer:
            why = step.success or step.feedback.get(label)
            self.screen.success(f"Right. {why}" if why else "Right.")
            if not done:
                self.mark(step, "passed")
                self.move_on()
        else:
            self.screen.failure(step.feedback.get(label) or "Not quite. Read the choices again, or ask for a `hint`.")
