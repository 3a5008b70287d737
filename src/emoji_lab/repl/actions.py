"""What each console command does: one method per word in `commands.COMMANDS`, mixed into the session
(`engine.Session`), whose state and step lifecycle they drive."""

from __future__ import annotations

from typing import Optional, Sequence

from emoji_lab.common.launch import console_command
from emoji_lab.repl import namespace, player
from emoji_lab.repl.execute import format_exception
from emoji_lab.repl.lesson import Step, span
from emoji_lab.repl.progress import StepRecord
from emoji_lab.repl.state import find_lesson, lesson_rows, lesson_state, step_rows
from emoji_lab.training import background

QUIT = "quit"


class Commands:
    """The commands of `engine.Session` (a mixin: the session holds the state, the screen and the lessons)."""

    def cmd_next(self) -> None:
        step = self.step
        if not self.status(step):
            if not step.does.unfinished:
                missing = self.missing_commands(step)
                if missing:
                    self.screen.failure("Try these commands first: " + ", ".join(f"`{w}`" for w in missing)
                                        + " (`hint` explains them; `skip` moves on without).")
                    return
                self.mark(step, "seen")
                self.move_on()
                return
            self.screen.failure(step.does.unfinished)
            return
        if self.index + 1 < len(self.lesson.steps):
            self.goto(self.index + 1)
            return
        nxt = self.next_lesson()
        if nxt is None:
            self.screen.info("That was the last lesson available. `menu` lists them all; `bye` saves and quits.")
            return
        self.open_lesson(nxt)

    def cmd_back(self) -> None:
        if self.remake is not None:
            self.redo(self.remake)
            return
        if self.index == 0:
            self.screen.info(f"This is the first step of lesson {self.lesson.id}.")
            return
        if self.lost_names(self.lesson.steps[self.index - 1]):
            self.redo(self.index - 1)  # a done step whose names were deleted since: it runs again
            return
        self.goto(self.index - 1)

    def lost_names(self, step: Step) -> list[str]:
        """Names a done demo or exercise made that are no longer in the namespace."""
        if not step.does.runs_code or not self.status(step):
            return []
        return sorted(n for n in namespace.bound_names(step.reference) if namespace.visible(n) and n not in self.ns)

    def maker(self, name: str) -> Optional[int]:
        """The latest step before this one that makes `name` (its reference code binds it), if any."""
        for index in range(self.index - 1, -1, -1):
            step = self.lesson.steps[index]
            if step.does.runs_code and name in namespace.bound_names(step.reference):
                return index
        return None

    def lost_inputs(self, step: Step) -> list[str]:
        """Names the step's code reads that an earlier step made and that are gone (deleted at the prompt)."""
        needed = namespace.read_names(step.reference)
        return sorted(n for n in needed if n not in self.ns and self.maker(n) is not None)

    def explain_missing(self, names: Sequence[str], used: bool = False) -> bool:
        """When this step needs names an earlier step made and the learner deleted (or a line of theirs `used` one):
        say which step made them, and let `back` make them again (it goes to the earliest such step and runs it).
        False if no earlier step makes them."""
        makers = {name: self.maker(name) for name in names}
        known = {name: index for name, index in makers.items() if index is not None}
        if not known:
            return False
        self.remake = min(known.values())
        shown = ", ".join(f"`{name}`" for name in known)
        made_at = ", ".join(sorted({f"[{self.lesson.steps[i].id}]" for i in known.values()}))
        one = len(known) == 1
        what = (f"{shown}, made by {made_at}, {'is' if one else 'are'}" if used else
                f"This step needs {shown}, which {made_at} made; {'it is' if one else 'they are'}")
        self.screen.failure(f"{what} gone now (deleted or renamed at the prompt).")
        self.screen.info(f"Type `back` to go to [{self.lesson.steps[self.remake].id}] and run it again, then `next` "
                         f"until you are back at [{self.step.id}].")
        return True

    def redo(self, index: int) -> None:
        """Go to an earlier, done step and run it again: a demo's code, an exercise's own code or reference."""
        self.index, self.play, self.remake = index, False, None
        step = self.step
        self.progress.lesson(self.lesson.id).at = step.id
        self.save()
        self.load_needs(step)
        with self.screen.paged(self.pager_key()):
            self.screen.step(self.lesson, step, self.status(step))
            before = namespace.snapshot(self.ns)
            if step.does.runs_on_arrival:
                self.run_demo(step)
            else:
                not_yours: list[str] = []
                record = self.progress.lesson(self.lesson.id).steps.get(step.id) or StepRecord("skipped")
                problem = self.replay(step, self.ns, record, not_yours)
                for line in not_yours:
                    self.screen.note(line)
                if problem:
                    self.screen.error(f"could not run [{step.id}] again: {problem}")
                else:
                    made = sorted(n for n in namespace.bound_names(step.reference)
                                  if n in self.ns and namespace.visible(n))
                    self.screen.note(f"ran [{step.id}] again: {', '.join(made)} "
                                     f"{'is' if len(made) == 1 else 'are'} back.")
            self.superseded(namespace.changes(self.ns, before).touched())
            self.screen.footer(step, self.status(step))

    def cmd_hint(self) -> None:
        step = self.step
        if step.does.runs_code:
            self.explain_missing(self.lost_inputs(step))  # the hints take for granted what earlier steps made
        if not step.hints:
            self.screen.info("No hints for this step." + (" `solution` shows the answer." if step.reference else ""))
            return
        level = self.hint_levels.get(step.id, 0)
        if level >= len(step.hints):
            self.screen.info("No more hints. `skip` shows the answer and moves on." if step.does.answered else
                             "No more hints. `solution` runs the reference solution and shows it; `skip` also "
                             "moves on.")
            return
        self.hint_levels[step.id] = level + 1
        self.screen.hint(level + 1, len(step.hints), step.hints[level])

    def cmd_solution(self, advance: bool = False) -> None:
        step = self.step
        done = self.status(step)
        if not step.does.runs_code and not step.does.answered:
            if not advance:
                self.screen.info("This step has nothing to solve: read it and type `next`.")
                return
            if not done:
                self.mark(step, "skipped" if step.try_commands else "seen")
            self.move_on()
            return
        if step.does.answered:
            label = step.answer
            self.screen.info(f"The answer is {label}) {step.choices[step.labels.index(label)]}")
            if step.feedback.get(label) or step.success:
                self.screen.note(step.feedback.get(label) or step.success)
            if not done:
                self.mark(step, "skipped")
            if advance:
                self.move_on()
            return
        self.screen.code(step.reference, step.does.reference_label)
        played = player.play(step, self.ns, self.runner)
        exc = played.raised
        if isinstance(exc, NameError) and exc.name and self.explain_missing([exc.name]):
            namespace.restore(self.ns, played.before)
            return
        if exc is not None:
            self.screen.traceback(format_exception(exc))
            self.screen.error(f"the reference solution failed: a bug in the lesson, please report [{step.id}]")
            return
        made = namespace.changes(self.ns, played.before)
        self.superseded(made.touched())
        self.screen.changes(made.created, made.changed, step.does.reference_noun)
        if not played.ok:
            self.screen.error(f"lesson bug: the reference solution fails its own check ({played.verdict.message}); "
                              f"please report [{step.id}]")
        if not done:
            self.mark(step, step.does.reference_status)
        if advance:
            self.move_on()
        else:
            self.screen.note("type `next` to go on")

    def cmd_skip(self) -> None:
        if self.status(self.step) and self.step.does.runs_code:
            self.move_on()  # done already: nothing to run again
            return
        self.cmd_solution(advance=True)

    def cmd_play(self) -> None:
        if self.play:
            self.screen.info("Already in play mode; `resume` brings the guide back.")
            return
        self.play = True
        self.buffer.clear()
        self.screen.info("Play mode: type any Python, nothing is checked. `resume` brings the guide back.")

    def cmd_resume(self) -> None:
        was_playing = self.play
        self.play = False
        if was_playing:
            self.screen.info("Back to the lesson.")
        self.show_step(run_demo=False)

    def cmd_menu(self) -> None:
        self.screen.lessons(lesson_rows(self.lessons, self.progress, self.lesson.id))
        answer = self.reader.ask("Open which lesson? (its number; Enter stays here) ")
        if not answer:
            self.screen.note(f"staying at [{self.step.id}]")
            return
        lesson = find_lesson(self.lessons, answer)
        if lesson is None:
            self.screen.failure(f"There is no lesson {answer!r}; staying at [{self.step.id}].")
            return
        if lesson.id == self.lesson.id:
            self.show_step(run_demo=False)
            return
        self.open_lesson(lesson)

    def cmd_progress(self) -> None:
        self.screen.lesson_progress(self.lesson, step_rows(self.lesson, self.progress, self.index))
        done = sum(1 for l in self.lessons if lesson_state(l, self.progress) == "done")
        self.screen.note(f"{done} of {len(self.lessons)} lessons done · progress is saved in {self.progress_file}")

    def cmd_reset(self) -> None:
        lesson = self.lesson
        answer = self.reader.ask(f"Start lesson {lesson.id} over? Its progress and variables are cleared. [y/N] ")
        if (answer or "").lower() not in ("y", "yes"):
            self.screen.note("nothing reset")
            return
        self.progress.lessons.pop(lesson.id, None)
        for step in lesson.steps:
            self.hint_levels.pop(step.id, None)
            self.typed.pop(step.id, None)
            self.progress.commands_used.difference_update(step.try_commands)  # to be tried again
        self.namespaces[lesson.id] = namespace.fresh(self.progress.source, self.quick)
        self.screen.info(f"Lesson {lesson.id} starts over.")
        self.goto(0)

    def cmd_training(self) -> None:
        self.screen.info(background.report(span(l for l in self.lessons if l.starts_background)))

    def cmd_help(self) -> None:
        self.screen.help()

    def cmd_bye(self) -> str:
        self.buffer.clear()
        self.save()
        if self.save_failed:
            self.screen.warn(f"Progress NOT saved ({self.progress_file}: {self.save_failed}): this session's steps "
                             "are lost. Next time, set EMOJI_LAB_HOME to a writable folder. Bye!")
            return QUIT
        command = console_command(*(["--quick"] if self.quick else []))
        self.screen.info(f"Progress saved in {self.progress_file}.")
        self.screen.info(f"Bye! Next time, this picks up at [{self.step.id}]:")
        self.screen.command(command)
        return QUIT
