"""Run a step's checks on a namespace; the same checks work from the console, a notebook, or a test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from emoji_lab.repl.lesson import LessonError, resolve


@dataclass(frozen=True)
class Verdict:
    """ok, or the first failing check's message; `broken` means the check itself failed (a lesson bug)."""

    ok: bool
    message: str = ""
    broken: bool = False
    missing: str = ""  # a name the check needs that is not in the namespace (the learner deleted it)


def run_checks(refs: tuple[str, ...] | list[str], ns: Mapping[str, Any]) -> Verdict:
    """Each check is `check(ns) -> str | None`: None (or "") passes, a string is the specific failure message."""
    for ref in refs:
        try:
            fn = resolve(ref)
        except LessonError as exc:
            return Verdict(False, f"lesson bug: {exc}", broken=True)
        try:
            message = fn(ns)
        except (KeyboardInterrupt, SystemExit):
            raise
        except KeyError as exc:
            name = exc.args[0] if exc.args else None
            if isinstance(name, str) and name.isidentifier() and name not in ns:
                return Verdict(False, f"this step needs `{name}`, which is not defined any more", missing=name)
            return Verdict(False, f"the check {ref} could not read your values (KeyError: {exc})", broken=True)
        except Exception as exc:  # noqa: BLE001 - a crashing check must not crash the console
            return Verdict(False, f"the check {ref} could not read your values ({type(exc).__name__}: {exc})",
                           broken=True)
        if message:
            return Verdict(False, str(message))
    return Verdict(True)
