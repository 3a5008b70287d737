"""A step's lifecycle, the one way the console and `--auto` play it (and the notebooks check it): import what it
needs; put back what an earlier session saved (`resume`) or run its reference code (`play`); run its checks. As
rustlings runs an exercise and its CI check through one runner. The console adds the screen around it (the code
shown, the names made, the progress marked); `--auto` adds the lesson author's checks (a solution that passes
before it runs, a `restore` that does not bring back what running made).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from emoji_lab.repl import namespace
from emoji_lab.repl.checks import Verdict, run_checks
from emoji_lab.repl.execute import Runner, quietly
from emoji_lab.repl.lesson import Step, find_step, import_need, load_lessons, resolve

FRIENDLY = {"tensorflow": "TensorFlow", "keras": "Keras", "numpy": "NumPy", "ipywidgets": "ipywidgets"}


def load_needs(step: Step, say: Optional[Callable[[str], None]] = None) -> None:
    """Import what a step declares it needs; `say` hears "loading TensorFlow..." first (it takes seconds)."""
    import sys

    for module in step.needs:
        if module in sys.modules:
            continue
        if say is not None:
            say(f"loading {FRIENDLY.get(module, module)}...")
        import_need(module)


@dataclass(frozen=True)
class Played:
    """What running a step's reference code did."""

    before: namespace.Snapshot  # the namespace before it ran (to put back, or to see what it made)
    raised: Optional[BaseException] = None  # what the code raised
    verdict: Optional[Verdict] = None  # its checks afterwards; None when it raised or has none

    @property
    def ok(self) -> bool:
        return self.raised is None and (self.verdict is None or self.verdict.ok)


def play(step: Step, ns: dict[str, Any], runner: Runner, quiet: bool = False, echo_last: bool = True) -> Played:
    """Run the step's reference code (a demo's code, an exercise's solution) in `ns`, then its checks."""
    before = namespace.snapshot(ns)
    kind = "demo" if step.does.runs_on_arrival else "solution"
    raised = runner.run_block(step.reference, ns, kind=kind, echo_last=echo_last, quiet=quiet)
    return Played(before, raised, check(step, ns) if raised is None and step.checks else None)


def resume(step: Step, ns: dict[str, Any]) -> Optional[str]:
    """Put back what an expensive step saved in an earlier session (its `restore` function, quietly) and check it;
    None when it is back, else why not (nothing saved, or a saved result its checks refuse): then it must run."""
    try:
        restore(step, ns)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - nothing usable saved: the step runs
        return f"{type(exc).__name__}: {exc}"
    verdict = check(step, ns) if step.checks else None
    return None if verdict is None or verdict.ok else f"its check fails: {verdict.message}"


def restore(step: Step, ns: dict[str, Any]) -> None:
    """Run the step's `restore` function on `ns`, quietly; raises when nothing usable was saved."""
    quietly(resolve(step.restore), ns)


def check(step: Step, ns: Any) -> Verdict:
    """The step's checks on the values in `ns`."""
    return run_checks(step.checks, ns)


def check_step(step_id: str, ns: Any) -> bool:
    """The notebooks' check: step `step_id`'s checks on `ns`, printed as ✓ or the message; whether it passed."""
    _, step = find_step(load_lessons(), step_id)
    if not step.checks:
        print(f"[{step.id}] has no checks")
        return True
    verdict = check(step, ns)
    print(f"[{step.id}] ✓ {step.success or 'passed'}" if verdict.ok else f"[{step.id}] ✗ {verdict.message}")
    return verdict.ok
