"""What every exercise's check starts with, said the same way in every lesson: a name that is missing, a value
of the wrong kind, a number that is not a number, two numbers near enough.

A check is `check(ns) -> str | None` (None: right); these pieces return the message for one problem, or
None when there is none, so a check reads as a list of questions:

    return missing(ns, "mb", "set it to the size in MB") or not_a_number(ns, "mb") or ...
"""

from __future__ import annotations

from math import isfinite
from typing import Any, Mapping, Optional

from emoji_lab.common.formatting import a_or_an


def missing(ns: Mapping[str, Any], name: str, how: str = "") -> Optional[str]:
    """'There is no `name` yet: how', or None when the learner has made it."""
    if name in ns:
        return None
    return f"There is no `{name}` yet" + (f": {how}" if how else ".")


def is_number(value: Any) -> bool:
    """A real number, NumPy's included; True and False are not numbers here."""
    import numbers

    return isinstance(value, numbers.Real) and not isinstance(value, bool)  # NumPy's bool is no numbers.Real


def wrong_kind(name: str, value: Any, wanted: str) -> str:
    """'`name` is a str; it should be a number', with the right article."""
    return f"`{name}` is {a_or_an(type(value).__name__)}; {wanted}"


def not_a_number(ns: Mapping[str, Any], name: str, wanted: str = "it should be a number.") -> Optional[str]:
    """Why `ns[name]` is not a finite number, or None when it is one."""
    value = ns[name]
    if is_number(value) and isfinite(value):
        return None
    return wrong_kind(name, value, wanted)


def not_whole(ns: Mapping[str, Any], name: str) -> Optional[str]:
    """Why `ns[name]` is not a whole number (5.0 counts as one), or None when it is one."""
    value = ns[name]
    if is_number(value) and isfinite(value) and value == int(value):
        return None
    return f"`{name}` is {value!r}; it should be a whole number."


def near(value: float, target: float, rel: float = 0.005, abs_: float = 0.0005) -> bool:
    """Whether a typed number is the target, allowing for rounding: within `rel` of it, or `abs_`."""
    return abs(value - target) <= max(abs_, rel * abs(target))
