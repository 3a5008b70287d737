"""Arguments checked the same way everywhere: a wrong one is one line naming it, never a traceback from deep
inside a library (`labelled_examples(ds, "five")`, `playground(mine, 42, ...)`, `--epochs 0`)."""

from __future__ import annotations

import math
import numbers
from typing import Any, Optional

from emoji_lab.common.errors import EmojiLabError


def whole_number(name: str, value: Any, minimum: int = 0, maximum: Optional[int] = None) -> int:
    """`value` as an int within [minimum, maximum], or an EmojiLabError saying what was expected."""
    if isinstance(value, bool) or not isinstance(value, int):
        if not (isinstance(value, float) and value.is_integer()):
            raise EmojiLabError(f"{name} must be a whole number, not {value!r}")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        wanted = f"from {minimum:,} to {maximum:,}" if maximum is not None else f"{minimum:,} or more"
        raise EmojiLabError(f"{name} must be {wanted}, not {value:,}")
    return value


def text(name: str, value: Any) -> str:
    """`value` if it is a str, or an EmojiLabError naming what it is instead."""
    if not isinstance(value, str):
        raise EmojiLabError(f"{name} must be a text (a str in quotes), not {type(value).__name__} {value!r}")
    return value


def minutes(name: str, value: Any) -> float:
    """`value` as minutes of training: a number above 0 and finite (a run's record is strict JSON, so an infinite
    clock would fail only once the whole training is done; no clock is leaving the minutes out)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise EmojiLabError(f"{name} must be a number of minutes, not {value!r}")
    if not value > 0:
        raise EmojiLabError(f"{name} must be more than 0, not {value:g}")
    if not math.isfinite(value):
        raise EmojiLabError(f"{name} must be a finite number of minutes, not {value:g} (for no clock, leave it out)")
    return float(value)
