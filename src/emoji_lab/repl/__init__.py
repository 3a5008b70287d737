"""The guided console (`python -m emoji_lab.repl`): lessons, checks and progress, without importing TensorFlow.
Imports `common`, `data` and `training`; what it knows of the course (which lessons start the background training
and which models it trains, what a dry run sets aside) it reads from the lesson files.

Importing this package is cheap on purpose; the heavy libraries are imported only by the steps that
need them. `check_step("00.4", globals())` runs a step's checks from any Python prompt or notebook.
"""

from __future__ import annotations

from typing import Any, Mapping


def check_step(step_id: str, ns: Mapping[str, Any] | None = None) -> bool:
    """Run the checks of lesson step `step_id` on `ns` (default: the caller's globals); print and return the verdict."""
    from emoji_lab.repl.player import check_step as _check_step

    if ns is None:
        import inspect

        frame = inspect.currentframe()
        ns = frame.f_back.f_globals if frame is not None and frame.f_back is not None else {}
    return _check_step(step_id, ns)


__all__ = ["check_step"]
