"""Playing one step, the one way the console, `--auto` and the notebooks share: import what it needs, run its
reference code, put back what it saved, run its checks (as rustlings runs an exercise and its CI check
through one runner)."""

from __future__ import annotations

from typing import Any, Callable, Optional

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


def run_reference(step: Step, ns: dict[str, Any], runner: Runner, quiet: bool = False,
                  echo_last: bool = True) -> Optional[BaseException]:
    """Run the step's reference code (a demo's code, an exercise's solution) in `ns`; what it raised, or None."""
    kind = "demo" if step.does.runs_on_arrival else "solution"
    return runner.run_block(step.reference, ns, kind=kind, echo_last=echo_last, quiet=quiet)


def restore(step: Step, ns: dict[str, Any]) -> None:
    """Put back what an expensive step saved (its `restore` function, quietly); raises when nothing usable is."""
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
