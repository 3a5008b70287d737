"""The guided loop: show a step, read a line, run it as a command or as Python, check it, save, repeat."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from emoji_lab import __version__
from emoji_lab.errors import EmojiLabError

from . import commands, namespace, progress as progress_mod
from .checks import run_checks
from .execute import Runner, format_exception, quietly
from .lesson import Lesson, Step, import_need, resolve, widget_arguments
from .progress import Progress, StepRecord, kept_code
from .render import Renderer
from .state import find_lesson, lesson_rows, lesson_state, start_index, step_rows
from .terminal import Reader

QUIT = "quit"
_FRIENDLY = {"tensorflow": "TensorFlow", "keras": "Keras", "numpy": "NumPy", "ipywidgets": "ipywidgets"}


def load_needs(step: Step, renderer: Renderer) -> None:
    """Import what a step declares it needs, saying so first: TensorFlow takes seconds and should not surprise."""
    for module in step.needs:
        if module in sys.modules:
            continue
        renderer.note(f"loading {_FRIENDLY.get(module, module)}...")
        try:
            import_need(module)
        except ImportError as exc:
            renderer.error(f"cannot import {module} ({exc}); `python -m emoji_lab.repl --list` and lesson 00 "
                           "check your setup")


def jupyter_hint(step: Step) -> str:
    module, _, fn = step.widget.partition(":")
    return f"In Jupyter, the same as a widget: `from {module} import {fn}; {fn}({', '.join(step.args)})`"


class Session:
    """One interactive session; all state the learner sees lives here, all saved state in `self.progress`."""

    def __init__(self, lessons: Sequence[Lesson], progress: Progress, renderer: Renderer, reader: Reader, *,
                 quick: bool = False, progress_file: Optional[Path] = None, warning: Optional[str] = None,
                 start_lesson: Optional[Lesson] = None) -> None:
        if not lessons:
            raise EmojiLabError("no lessons found")
        self.lessons = list(lessons)
        self.progress = progress
        self.r = renderer
        self.reader = reader
        self.quick = quick
        self.progress_file = progress_file or progress_mod.progress_path()
        self.warning = warning
        self.runner = Runner(display=renderer.show_value)
        self.namespaces: dict[str, dict[str, Any]] = {}
        self.hint_levels: dict[str, int] = {}
        self.typed: dict[str, list[str]] = {}  # an open exercise's code that ran and stayed, saved when it passes
        self.remake: Optional[int] = None  # the earlier step `back` runs again: it made a name this step misses
        self.buffer: list[str] = []
        self.play = False
        self.save_failed = False
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
            self.namespaces[self.lesson.id] = namespace.fresh(self.progress.data, self.quick)
        return self.namespaces[self.lesson.id]

    def status(self, step: Optional[Step] = None) -> Optional[str]:
        step = step or self.step
        lp = self.progress.lessons.get(self.lesson.id)
        record = lp.steps.get(step.id) if lp else None
        return record.status if record else None

    def save(self) -> None:
        try:
            progress_mod.save(self.progress, self.progress_file)
        except OSError as exc:
            if not self.save_failed:
                self.r.warn(f"warning: cannot save progress to {self.progress_file} ({exc.strerror or exc}); "
                            "set EMOJI_LAB_HOME to a writable folder")
            self.save_failed = True

    def mark(self, step: Step, status: str) -> None:
        code = kept_code(self.typed.pop(step.id, [])) if status == "passed" and step.kind == "exercise" else []
        self.progress.lesson(self.lesson.id).steps[step.id] = StepRecord(status, code)
        self.save()

    def open_step(self) -> Optional[Step]:
        """The current step if it runs code and is not done (what a Ctrl-C may have stopped), else None."""
        step = self.step
        return step if step.kind in ("demo", "exercise") and not self.status(step) and not self.play else None

    def missing_commands(self, step: Step) -> list[str]:
        return [w for w in step.try_commands if w not in self.progress.commands_used]

    # -- the loop ----------------------------------------------------------------------------------------------
    def run(self) -> int:
        self.r.banner(__version__)
        if self.warning:
            self.r.warn(self.warning)
        self.r.lessons(lesson_rows(self.lessons, self.progress, self.lesson.id))
        if self.progress.data != progress_mod.DEFAULT_DATA or self.quick:
            self.r.note(f"data: {self.progress.data}" + (" · quick mode (smaller training budgets)" if self.quick
                                                         else ""))
        try:
            self.open_lesson(self.lesson, announce=True)
        except KeyboardInterrupt:
            self.r.interrupted(self.open_step())
        while True:
            prompt = "... " if self.buffer else ("(play) >>> " if self.play else ">>> ")
            try:
                line = self.reader.read(prompt)
            except KeyboardInterrupt:
                self.buffer.clear()
                self.r.print()
                self.r.interrupted()
                continue
            except EOFError:
                self.cmd_bye()
                return 0
            try:
                if self.handle(line) == QUIT:
                    return 0
            except KeyboardInterrupt:
                self.buffer.clear()
                self.r.interrupted(self.open_step())
            except SystemExit:
                self.cmd_bye()
                return 0
            except EmojiLabError as exc:
                self.r.error(f"error: {exc}")
            except Exception as exc:  # noqa: BLE001 - an engine bug must not lose the learner's session
                if os.environ.get("EMOJI_LAB_DEBUG"):
                    raise
                self.r.error(f"internal error in the console ({type(exc).__name__}: {exc}); your progress is "
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
            if step.kind == "choice" and not self.play:
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
            self.r.traceback(format_exception(exc))
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
            self.r.success(step.success or "You've tried them all. Type `next` to go on.")

    # -- lessons and steps -------------------------------------------------------------------------------------
    def open_lesson(self, lesson: Lesson, announce: bool = True) -> None:
        self.lesson = lesson
        self.progress.current_lesson = lesson.id
        self.index = start_index(lesson, self.progress)
        self.play = False
        lp = self.progress.lesson(lesson.id)
        resuming = bool(lp.steps) or (lp.at is not None and lesson.index(lp.at) not in (None, 0))
        lp.at = self.step.id
        self.save()
        if announce:
            if resuming:
                self.r.info(f"Resuming lesson {lesson.id} · {lesson.title} at [{self.step.id}].")
            else:
                minutes = f" (about {lesson.minutes} min)" if lesson.minutes else ""
                self.r.info(f"Starting lesson {lesson.id} · {lesson.title}{minutes}.")
        if lesson.id not in self.namespaces:
            self.namespaces[lesson.id] = namespace.fresh(self.progress.data, self.quick)
            self.rebuild(lesson)
        self.show_step()

    def rebuild(self, lesson: Lesson) -> None:
        """Bring back the names done steps made, quietly and in order: a step's `restore` function, the
        learner's own code for an exercise they solved, else the reference code; say where yours could not."""
        ns = self.namespaces[lesson.id]
        lp = self.progress.lessons.get(lesson.id)
        todo = [s for s in lesson.steps if lp and lp.done(s.id) and s.kind in ("demo", "exercise")]
        if not todo:
            return
        before = set(ns)
        not_yours: list[str] = []
        for step in todo:
            load_needs(step, self.r)
            try:
                problem = self.replay(step, ns, lp.steps[step.id], not_yours)  # type: ignore[union-attr]
            except KeyboardInterrupt:
                self.r.warn(f"rebuilding stopped at [{step.id}] (Ctrl-C): names from that step on are missing; "
                            "`reset` starts the lesson over")
                break
            if problem:
                self.r.warn(f"could not rebuild [{step.id}]: {problem}")
        created = sorted(n for n in ns if namespace.visible(n) and n not in before)
        self.r.note("rebuilt namespace: " + (", ".join(created) if created else "(no names)"))
        self.r.note("Each name is as its step left it: changes typed at the prompt after a step was done are not "
                    "kept.")
        for line in not_yours:
            self.r.note(line)

    def replay(self, step: Step, ns: dict[str, Any], record: StepRecord, not_yours: list[str]) -> Optional[str]:
        """Redo one done step in `ns`; a sentence goes to `not_yours` where the learner's own answer could not
        come back and the reference solution's values stand in for it."""
        if step.restore:
            try:
                quietly(resolve(step.restore), ns)
                return None
            except (KeyboardInterrupt, SystemExit):
                raise
            except Exception as exc:  # noqa: BLE001
                self.r.note(f"[{step.id}]: saved result not usable ({type(exc).__name__}: {exc}); "
                            "running the step again (Ctrl-C stops it)")
        if record.status == "passed" and step.kind == "exercise":
            why = self.replay_own(step, ns, record.code) if record.code else "it was not saved"
            if why is None:
                return None
            names = sorted(n for n in namespace.bound_names(step.reference) if namespace.visible(n))
            not_yours.append(f"[{step.id}]: your own code for this step could not be run again ({why}), so "
                             f"{', '.join(names)} now hold{'s' if len(names) == 1 else ''} the reference "
                             "solution's values, not yours.")
        exc = self.runner.run_block(step.reference, ns, kind="rebuild", echo_last=False, quiet=True)
        if exc is not None:
            return format_exception(exc).splitlines()[-1]
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
        verdict = run_checks(step.checks, ns)
        if not verdict.ok:
            namespace.restore(ns, snap)
            return "its result no longer passes the step's check"
        return None

    def show_step(self, run_demo: bool = True) -> None:
        step = self.step
        load_needs(step, self.r)
        self.r.step(self.lesson, step, self.status(step))
        if step.kind == "widget":
            self.show_widget(step)
        if step.kind == "demo" and not self.status(step) and run_demo:
            self.run_demo(step)
        self.check_try_commands()
        self.r.footer(step, self.status(step))

    def show_widget(self, step: Step) -> None:
        missing = [name for name in step.args if name not in self.ns]
        if missing and self.explain_missing(missing):
            return
        try:
            shown = resolve(step.terminal)(*widget_arguments(step, self.ns))
        except (KeyboardInterrupt, SystemExit):
            raise
        except EmojiLabError as exc:
            self.r.error(str(exc))
            return
        except Exception as exc:  # noqa: BLE001
            self.r.error(f"cannot show this step ({type(exc).__name__}: {exc}); please report [{step.id}]")
            return
        self.r.widget(shown, jupyter_hint(step))

    def maker(self, name: str) -> Optional[int]:
        """The latest step before this one that makes `name` (its reference code binds it), if any."""
        for index in range(self.index - 1, -1, -1):
            step = self.lesson.steps[index]
            if step.kind in ("demo", "exercise") and name in namespace.bound_names(step.reference):
                return index
        return None

    def explain_missing(self, names: Sequence[str]) -> bool:
        """When this step needs names an earlier step made and the learner deleted: say which, and let `back`
        make them again (it goes to the earliest such step and runs it). False if no earlier step makes them."""
        makers = {name: self.maker(name) for name in names}
        known = {name: index for name, index in makers.items() if index is not None}
        if not known:
            return False
        self.remake = min(known.values())
        shown = ", ".join(f"`{name}`" for name in known)
        made_at = ", ".join(sorted({f"[{self.lesson.steps[i].id}]" for i in known.values()}))
        one = len(known) == 1
        self.r.failure(f"This step needs {shown}, which {made_at} made; {'it is' if one else 'they are'} gone now "
                       "(deleted or renamed at the prompt).")
        self.r.info(f"Type `back` to go to [{self.lesson.steps[self.remake].id}] and run it again, then `next` "
                    f"until you are back at [{self.step.id}].")
        return True

    def run_demo(self, step: Step) -> bool:
        exc = self.runner.run_block(step.code, self.ns, kind="demo")
        if isinstance(exc, NameError) and exc.name and self.explain_missing([exc.name]):
            return False
        if exc is not None:
            self.r.traceback(format_exception(exc))
            self.r.error(f"the demo failed. If you changed something an earlier step made, `reset` starts the lesson "
                         f"over; if not, it is a bug in the lesson: please report it with [{step.id}]")
            return False
        if step.checks:
            verdict = run_checks(step.checks, self.ns)
            if not verdict.ok:
                self.r.error(f"the demo's check failed ({verdict.message}); please report [{step.id}]")
                return False
        self.mark(step, "ran")
        return True

    def goto(self, index: int, run_demo: bool = True) -> None:
        if self.play:
            self.r.note("Play mode ends: the guide is back.")
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
            self.r.info(f"This is the last step of lesson {lesson.id}. Not done yet: "
                        + ", ".join(f"[{m}]" for m in missing) + " (`progress` shows them).")
            return
        self.r.success(f"Lesson {lesson.id} · {lesson.title} is done!")
        nxt = self.next_lesson()
        if nxt:
            self.r.info(f"Type `next` to start lesson {nxt.id} ({nxt.title}), `menu` to pick another, "
                        "or `bye` to stop here.")
        else:
            self.r.info("That was the last lesson available. `menu` lists them all; `bye` saves and quits.")

    # -- running the learner's code ----------------------------------------------------------------------------
    def execute(self, code: Any, source: str) -> None:
        step = self.step
        open_exercise = step.kind == "exercise" and not self.status(step)
        attempt = open_exercise and not self.play
        snap = namespace.snapshot(self.ns, step.touches) if attempt else None
        try:
            exc = self.runner.run_code(code, self.ns)
        except KeyboardInterrupt:
            if snap is not None:
                namespace.restore(self.ns, snap)
            raise
        if exc is not None:
            self.r.traceback(format_exception(exc))
            if snap is not None:
                self.r.undone(namespace.restore(self.ns, snap), "That line raised an error, so it was undone")
            return
        if open_exercise:
            self.typed.setdefault(step.id, []).append(source.rstrip("\n"))
        if snap is not None:
            self.check_attempt(step, snap)

    def check_attempt(self, step: Step, snap: namespace.Snapshot) -> None:
        verdict = run_checks(step.checks, self.ns)
        if verdict.ok:
            self.mark(step, "passed")
            self.r.success(step.success or "Correct.")
            self.move_on()
            return
        made = namespace.changes(self.ns, snap)
        if verdict.missing and self.explain_missing([verdict.missing]):
            return  # the learner deleted what the check reads: `back` makes it again
        if not (made.touched() & set(step.names + step.touches)) and not verdict.broken:
            return  # exploring (helper names, printing): the guide stays quiet until the step's names change
        self.r.failure(verdict.message)
        self.typed[step.id].pop()  # the line is undone: not part of the learner's answer
        self.r.undone(namespace.restore(self.ns, snap), "That line was undone, so you can try again")

    def answer_choice(self, label: str) -> None:
        step = self.step
        done = bool(self.status(step))
        if label == "?":
            self.r.failure(f"Answer with one of the letters {', '.join(step.labels)}.")
            return
        if label == step.answer:
            why = step.success or step.feedback.get(label)
            self.r.success(f"Right. {why}" if why else "Right.")
            if not done:
                self.mark(step, "passed")
                self.move_on()
        else:
            self.r.failure(step.feedback.get(label) or "Not quite. Read the choices again, or ask for a `hint`.")

    # -- commands (one method per word in commands.COMMANDS) ---------------------------------------------------
    def cmd_next(self) -> None:
        step = self.step
        if not self.status(step):
            if step.kind in ("text", "widget"):
                missing = self.missing_commands(step)
                if missing:
                    self.r.failure("Try these commands first: " + ", ".join(f"`{w}`" for w in missing)
                                   + " (`hint` explains them; `skip` moves on without).")
                    return
                self.mark(step, "seen")
                self.move_on()
                return
            why = {
                "exercise": "This exercise isn't solved yet: try again, ask for a `hint`, or `skip` to run the "
                            "reference solution and move on.",
                "choice": "Pick an answer first (type its letter), or `skip` to see the answer and move on.",
                "demo": "The demo did not finish. Type `solution` to run it again, or `skip` to run it and move on.",
            }
            self.r.failure(why[step.kind])
            return
        if self.index + 1 < len(self.lesson.steps):
            self.goto(self.index + 1)
            return
        nxt = self.next_lesson()
        if nxt is None:
            self.r.info("That was the last lesson available. `menu` lists them all; `bye` saves and quits.")
            return
        self.open_lesson(nxt)

    def cmd_back(self) -> None:
        if self.remake is not None:
            self.redo(self.remake)
            return
        if self.index == 0:
            self.r.info(f"This is the first step of lesson {self.lesson.id}.")
            return
        if self.lost_names(self.lesson.steps[self.index - 1]):
            self.redo(self.index - 1)  # a done step whose names were deleted since: it runs again
            return
        self.goto(self.index - 1)

    def lost_names(self, step: Step) -> list[str]:
        """Names a done demo or exercise made that are no longer in the namespace."""
        if step.kind not in ("demo", "exercise") or not self.status(step):
            return []
        return sorted(n for n in namespace.bound_names(step.reference) if namespace.visible(n) and n not in self.ns)

    def redo(self, index: int) -> None:
        """Go to an earlier, done step and run it again: a demo's code, an exercise's own code or reference."""
        self.index, self.play, self.remake = index, False, None
        step = self.step
        self.progress.lesson(self.lesson.id).at = step.id
        self.save()
        load_needs(step, self.r)
        self.r.step(self.lesson, step, self.status(step))
        if step.kind == "demo":
            self.run_demo(step)
        else:
            not_yours: list[str] = []
            record = self.progress.lesson(self.lesson.id).steps.get(step.id) or StepRecord("skipped")
            problem = self.replay(step, self.ns, record, not_yours)
            for line in not_yours:
                self.r.note(line)
            if problem:
                self.r.error(f"could not run [{step.id}] again: {problem}")
            else:
                made = sorted(n for n in namespace.bound_names(step.reference) if n in self.ns and namespace.visible(n))
                self.r.note(f"ran [{step.id}] again: {', '.join(made)} {'is' if len(made) == 1 else 'are'} back.")
        self.r.footer(step, self.status(step))

    def cmd_hint(self) -> None:
        step = self.step
        if not step.hints:
            self.r.info("No hints for this step." + (" `solution` shows the answer." if step.reference else ""))
            return
        level = self.hint_levels.get(step.id, 0)
        if level >= len(step.hints):
            self.r.info("No more hints. `skip` shows the answer and moves on." if step.kind == "choice" else
                        "No more hints. `solution` runs the reference solution and shows it; `skip` also moves on.")
            return
        self.hint_levels[step.id] = level + 1
        self.r.hint(level + 1, len(step.hints), step.hints[level])

    def cmd_solution(self, advance: bool = False) -> None:
        step = self.step
        done = self.status(step)
        if step.kind in ("text", "widget"):
            if not advance:
                self.r.info("This step has nothing to solve: read it and type `next`.")
                return
            if not done:
                self.mark(step, "skipped" if step.try_commands else "seen")
            self.move_on()
            return
        if step.kind == "choice":
            label = step.answer
            self.r.info(f"The answer is {label}) {step.choices[step.labels.index(label)]}")
            if step.feedback.get(label) or step.success:
                self.r.note(step.feedback.get(label) or step.success)
            if not done:
                self.mark(step, "skipped")
            if advance:
                self.move_on()
            return
        self.r.code(step.reference, "reference solution:" if step.kind == "exercise" else "demo:")
        snap = namespace.snapshot(self.ns)
        exc = self.runner.run_block(step.reference, self.ns, kind="solution")
        if isinstance(exc, NameError) and exc.name and self.explain_missing([exc.name]):
            namespace.restore(self.ns, snap)
            return
        if exc is not None:
            self.r.traceback(format_exception(exc))
            self.r.error(f"the reference solution failed: a bug in the lesson, please report [{step.id}]")
            return
        made = namespace.changes(self.ns, snap)
        self.r.changes(made.created, made.changed, "the solution" if step.kind == "exercise" else "the demo")
        if step.checks:
            verdict = run_checks(step.checks, self.ns)
            if not verdict.ok:
                self.r.error(f"lesson bug: the reference solution fails its own check ({verdict.message}); "
                             f"please report [{step.id}]")
        if not done:
            self.mark(step, "skipped" if step.kind == "exercise" else "ran")
        if advance:
            self.move_on()
        else:
            self.r.note("type `next` to go on")

    def cmd_skip(self) -> None:
        if self.status(self.step) and self.step.kind in ("demo", "exercise"):
            self.move_on()  # done already: nothing to run again
            return
        self.cmd_solution(advance=True)

    def cmd_play(self) -> None:
        if self.play:
            self.r.info("Already in play mode; `resume` brings the guide back.")
            return
        self.play = True
        self.buffer.clear()
        self.r.info("Play mode: type any Python, nothing is checked. `resume` brings the guide back.")

    def cmd_resume(self) -> None:
        was_playing = self.play
        self.play = False
        if was_playing:
            self.r.info("Back to the lesson.")
        self.show_step(run_demo=False)

    def cmd_menu(self) -> None:
        self.r.lessons(lesson_rows(self.lessons, self.progress, self.lesson.id))
        answer = self.reader.ask("Open which lesson? (its number; Enter stays here) ")
        if not answer:
            self.r.note(f"staying at [{self.step.id}]")
            return
        lesson = find_lesson(self.lessons, answer)
        if lesson is None:
            self.r.failure(f"There is no lesson {answer!r}; staying at [{self.step.id}].")
            return
        if lesson.id == self.lesson.id:
            self.show_step(run_demo=False)
            return
        self.open_lesson(lesson)

    def cmd_progress(self) -> None:
        self.r.lesson_progress(self.lesson, step_rows(self.lesson, self.progress, self.index))
        done = sum(1 for l in self.lessons if lesson_state(l, self.progress) == "done")
        self.r.note(f"{done} of {len(self.lessons)} lessons done · progress is saved in {self.progress_file}")

    def cmd_reset(self) -> None:
        lesson = self.lesson
        answer = self.reader.ask(f"Start lesson {lesson.id} over? Its progress and variables are cleared. [y/N] ")
        if (answer or "").lower() not in ("y", "yes"):
            self.r.note("nothing reset")
            return
        self.progress.lessons.pop(lesson.id, None)
        for step in lesson.steps:
            self.hint_levels.pop(step.id, None)
            self.typed.pop(step.id, None)
            self.progress.commands_used.difference_update(step.try_commands)  # to be tried again
        self.namespaces[lesson.id] = namespace.fresh(self.progress.data, self.quick)
        self.r.info(f"Lesson {lesson.id} starts over.")
        self.goto(0)

    def cmd_help(self) -> None:
        self.r.help()

    def cmd_bye(self) -> str:
        self.buffer.clear()
        self.save()
        self.r.info(f"Progress saved in {self.progress_file}. Bye! `python -m emoji_lab.repl` picks up at "
                    f"[{self.step.id}].")
        return QUIT
