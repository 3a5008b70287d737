"""The instructor's dry run (--auto): play every step with its reference solution, one timed line per step."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional, Sequence

from rich.text import Text

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data.source import Source, as_source
from emoji_lab.repl import namespace, player
from emoji_lab.repl.execute import Runner, format_exception, quietly
from emoji_lab.repl.lesson import Lesson, Step, resolve, widget_arguments
from emoji_lab.repl.progress import DEFAULT_DATA
from emoji_lab.repl.render import Renderer


@dataclass(frozen=True)
class StepResult:
    step_id: str
    title: str
    ok: bool
    seconds: float
    message: str = ""


def parse_spec(spec: Optional[str], lessons: Sequence[Lesson]) -> list[Lesson]:
    """Lessons picked by "1-3", "0,2", "0-1,5" (numbers or two-digit ids); None or "" picks all."""
    if not spec:
        return list(lessons)
    wanted: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        try:
            if "-" in part:
                lo, hi = (int(x) for x in part.split("-", 1))
                if lo > hi:
                    raise ValueError
                wanted.update(range(lo, hi + 1))
            else:
                wanted.add(int(part))
        except ValueError:
            raise EmojiLabError(f"--lessons {spec!r}: use numbers and ranges such as 1-3 or 0,2") from None
    picked = [l for l in lessons if l.number in wanted]
    if not picked:
        have = ", ".join(l.id for l in lessons) or "none"
        raise EmojiLabError(f"--lessons {spec!r} matches no lesson (lessons present: {have})")
    return picked


def _last_line(exc: BaseException) -> str:
    return format_exception(exc).splitlines()[-1].strip()


def play_step(step: Step, ns: dict[str, Any], runner: Runner, resume: bool = False) -> Optional[str]:
    """Play one step the way `skip` would, through the console's lifecycle (`player`), with the lesson author's
    checks on top; None if everything holds, else what failed.

    With `resume`, an expensive step (one with `restore`) is first put back from what an earlier session saved,
    as the console does when a learner comes back; it runs only where nothing usable was saved.
    """
    player.load_needs(step)
    if resume and step.restore and player.resume(step, ns) is None:
        missing = sorted(namespace.bound_names(step.reference) - set(ns))
        return f"restore does not bring back: {', '.join(missing)}" if missing else None
    if step.does.draws:
        args = widget_arguments(step, ns)
        shown = resolve(step.terminal)(*args)
        Renderer(file=io.StringIO()).widget(shown)  # must draw without error
        quietly(resolve(step.widget), *args)
        return None
    if not step.does.runs_code:
        return None  # text and choices: validated when the lesson was loaded
    if step.does.checked and player.check(step, ns).ok:
        return "the checks pass before the solution runs: any input would solve this step"
    played = player.play(step, ns, runner, quiet=True)
    if played.raised is not None:
        return f"{step.does.reference_noun.removeprefix('the ')} raised {_last_line(played.raised)}"
    if not played.ok:
        return f"reference fails its check: {played.verdict.message}"
    if step.restore:
        made = namespace.changes(ns, played.before)
        trial = dict(played.before.bindings)
        player.restore(step, trial)
        missing = sorted((set(made.created) | set(made.changed)) - set(trial))
        if missing:
            return f"restore does not bring back: {', '.join(missing)}"
        if step.checks:
            verdict = player.check(step, trial)
            if not verdict.ok:
                return f"after restore the check fails: {verdict.message}"
    return None


def play_lesson(lesson: Lesson, data: Source | str = DEFAULT_DATA, quick: bool = True,
                on_result: Optional[Callable[[StepResult], None]] = None, resume: bool = False) -> list[StepResult]:
    """Every step of one lesson, in order, in one fresh namespace (as a learner who skips everything).

    `resume`: restore expensive steps from saved runs where there are some (see `play_step`).
    """
    ns = namespace.fresh(data, quick)
    runner = Runner()
    results = []
    for step in lesson.steps:
        start = time.perf_counter()
        try:
            problem = play_step(step, ns, runner, resume)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - report and go on with the next step
            problem = _last_line(exc)
        result = StepResult(step.id, step.title, problem is None, time.perf_counter() - start, problem or "")
        results.append(result)
        if on_result:
            on_result(result)
    return results


@contextlib.contextmanager
def throwaway_home() -> Iterator[str]:
    """A temporary EMOJI_LAB_HOME, so a dry run never touches the learner's progress or training runs."""
    old = os.environ.get("EMOJI_LAB_HOME")
    with tempfile.TemporaryDirectory(prefix="emoji_lab-auto-") as tmp:
        os.environ["EMOJI_LAB_HOME"] = tmp
        try:
            yield tmp
        finally:
            if old is None:
                os.environ.pop("EMOJI_LAB_HOME", None)
            else:
                os.environ["EMOJI_LAB_HOME"] = old


@contextlib.contextmanager
def sandboxes(lessons: Sequence[Lesson], home: str) -> Iterator[None]:
    """Each `dry_run` the lessons name, entered once around the whole run (lesson 9 uses the app lesson 8 filled)."""
    with contextlib.ExitStack() as stack:
        for ref in dict.fromkeys(lesson.dry_run for lesson in lessons if lesson.dry_run):
            stack.enter_context(resolve(ref)(home))
        yield


@contextlib.contextmanager
def _ends_cleanly() -> Iterator[None]:
    """SIGTERM (a `kill`, a CI timeout) and SIGHUP (a closed terminal) end the dry run as an exit does, so its
    temporary home is removed and the app put back instead of being left behind with the process."""
    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    kinds = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    old = {kind: signal.signal(kind, stop) for kind in kinds}
    try:
        yield
    finally:
        for kind, handler in old.items():
            signal.signal(kind, handler)


@contextlib.contextmanager
def _no_stdin() -> Iterator[None]:
    old = sys.stdin
    sys.stdin = io.StringIO()
    try:
        yield
    finally:
        sys.stdin = old


def run(lessons: Sequence[Lesson], renderer: Renderer, source: Source | str = DEFAULT_DATA, quick: bool = False,
        timings: Optional[str] = None) -> int:
    """Play the given lessons; exit status 0 if every step held, 1 otherwise.

    With `timings`, each lesson's and step's seconds are written there as JSON (for planning a room).
    """
    failed = total = 0
    started = time.perf_counter()
    played: list[tuple[Lesson, list[StepResult]]] = []

    def show(result: StepResult) -> None:
        renderer.auto_line(result.step_id, result.ok, result.seconds, result.title, result.message)

    # A dry run never waits for input: code that calls input() gets end-of-file at once.
    with _ends_cleanly(), throwaway_home() as tmp, sandboxes(lessons, tmp), _no_stdin():
        for lesson in lessons:
            renderer.print(Text(f"lesson {lesson.id} · {lesson.title}", style="bold"))
            results = play_lesson(lesson, data=source, quick=quick, on_result=show)
            played.append((lesson, results))
            total += len(results)
            failed += sum(1 for r in results if not r.ok)
            if timings:
                write_timings(timings, played, source, quick, time.perf_counter() - started)
    elapsed = time.perf_counter() - started
    if failed:
        renderer.error(f"{failed} of {total} steps FAILED ({elapsed:.1f}s)")
        return 1
    renderer.success(f"all {total} steps ok ({elapsed:.1f}s)" + (f"; timings in {timings}" if timings else ""))
    return 0


def write_timings(path: str, played: Sequence[tuple[Lesson, Sequence[StepResult]]], data: Source | str,
                  quick: bool, seconds: float) -> None:
    """The dry run's seconds per lesson and step, with the machine, as JSON (rewritten after each lesson)."""
    import json
    import shlex

    from emoji_lab.common.files import write_whole
    from emoji_lab.common.setup_check import machine

    lessons = [{"id": lesson.id, "title": lesson.title, "minutes": lesson.minutes,
                "seconds": sum(r.seconds for r in results), "ok": all(r.ok for r in results),
                "steps": [{"id": r.step_id, "title": r.title, "ok": r.ok, "seconds": r.seconds} for r in results]}
               for lesson, results in played]
    source = as_source(data)
    result = {"data": str(source), **({"options": source.options()} if source.options() else {}), "quick": quick,
              "date": time.strftime("%Y-%m-%d"), "seconds": seconds,
              "lessons": lessons, "machine": machine(),
              "command": "python -m emoji_lab.repl " + shlex.join(sys.argv[1:])}
    write_whole(path, json.dumps(result, indent=1, ensure_ascii=False) + "\n")
