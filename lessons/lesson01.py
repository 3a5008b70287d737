"""Lesson 01 (the problem and the data): the checks of its exercises, `count_emoji` and `top_share`.

What the lesson shows (the data at a glance, popularity, the emoji card, the traps) is in
`emoji_lab.teaching.explore` and `emoji_lab.teaching.traps`, which a learner calls from any prompt too.
"""

from __future__ import annotations

import numbers
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional

from emoji_lab.teaching.checking import missing, not_a_number

if TYPE_CHECKING:
    from emoji_lab.data.dataset import Dataset

@dataclass(frozen=True)
class Case:
    """A test line for `count_emoji`, the right count, and why a wrong count is wrong."""

    line: str
    expected: int
    why: str


COUNT_CASES = (
    Case("no emoji here, just words", 0, "it has no emoji at all"),
    Case("lol \U0001F602", 1, "it holds one emoji"),
    Case("\U0001F525\U0001F4AF lit", 2, "🔥 and 💯 are two emoji, even with no space between them"),
    Case("dead \U0001F602\U0001F602\U0001F602", 3,
         "the same emoji typed three times is three emoji: count every one, not each different one"),
    Case("love it \u2764\ufe0f", 1, "❤️ is ❤ (U+2764) followed by the variation selector U+FE0F, which asks "
         "for the colour picture: two code points, one emoji"),
    Case("love it \u2764", 1, "❤ without the selector is still an emoji (some keyboards type it that way)"),
    Case("thanks \U0001F44D\U0001F3FD", 1, "👍🏽 is 👍 (U+1F44D) followed by the skin-tone modifier U+1F3FD: "
         "two code points, one emoji"),
    Case("family \U0001F468\u200d\U0001F469\u200d\U0001F467", 1, "👨‍👩‍👧 is three people joined by zero-width "
         "joiners (U+200D): five code points, one emoji"),
    Case("go team \U0001F1FA\U0001F1F8", 1, "the flag 🇺🇸 is two regional-indicator letters, U+1F1FA and "
         "U+1F1F8: one emoji"),
)


def _call(fn: Callable[[str], Any], line: str) -> tuple[Any, Optional[str]]:
    try:
        return fn(line), None
    except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
        return None, f"{type(exc).__name__}: {exc}"


def _not_a_count(value: Any, line: str) -> Optional[str]:
    shown = f"`count_emoji({line!r})`"
    if value is None:
        return f"{shown} returned None: did you forget `return`?"
    if isinstance(value, (list, tuple, set, str)):
        return f"{shown} returned {type(value).__name__} {value!r}; return how many there are: wrap it in `len(...)`."
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return f"{shown} returned {value!r}; it should return a whole number (an int)."
    return None


def check_count_emoji(ns: Mapping[str, Any]) -> Optional[str]:
    """`count_emoji(line)` must return how many emoji a line holds, counting each one typed."""
    fn = ns.get("count_emoji")
    if fn is None:
        return "There is no `count_emoji` yet: define it with `def count_emoji(line):` and `return` the count."
    if not callable(fn):
        return (f"`count_emoji` is {type(fn).__name__} {fn!r}, not a function: "
                "define it with `def count_emoji(line): return ...`.")
    wrong = []
    for case in COUNT_CASES:
        got, error = _call(fn, case.line)
        if error:
            return f"`count_emoji({case.line!r})` raised {error}."
        problem = _not_a_count(got, case.line)
        if problem:
            return problem
        if got != case.expected:
            wrong.append((case, int(got)))
    if not wrong:
        return None
    case, got = wrong[0]
    message = (f"`count_emoji({case.line!r})` returned {got}, but the answer is {case.expected}: {case.why}.")
    if got == len([c for c in case.line if not c.isascii()]) and case.expected:
        message += " You seem to count code points; `find_emoji(line)` keeps each emoji whole."
    if len(wrong) > 1:
        message += f" Also wrong on {len(wrong) - 1} more of the {len(COUNT_CASES)} test lines."
    return message


def train_majority_share(ds: "Dataset") -> float:
    """Share of training examples with the most frequent training label: what `always guess it` scores."""
    counts = Counter(ds.train.y.tolist())
    return max(counts.values()) / len(ds.train)


def _close(a: float, b: float, tol: float = 5e-4) -> bool:
    return abs(a - b) <= tol


def _share_mistake(ds: "Dataset", value: float, expected: float) -> str:
    counts = Counter(ds.train.y.tolist())
    top_label, top_count = counts.most_common(1)[0]
    val = Counter(ds.val.y.tolist())
    everywhere = ds.counts()
    if value == top_count:
        return (f"`top_share` is {value:g}: that is how many training examples have the most frequent label. "
                "Divide it by the number of training examples, `len(ds.train.y)`.")
    if _close(value, expected * 100, 0.05):
        return f"`top_share` is {value:g}: that looks like a percentage. Give a fraction between 0 and 1."
    if value == top_label and value >= 1:
        return (f"`top_share` is {value:g}: that is the class id of the most frequent label. "
                "You want its share of the training examples.")
    if value > 1:
        return f"`top_share` is {value:g}; a share is a fraction between 0 and 1."
    if val and _close(value, max(val.values()) / len(ds.val)):
        return "`top_share` is the share in the validation split (`ds.val`); use the training split, `ds.train.y`."
    if _close(value, max(everywhere) / ds.examples):
        return "`top_share` counts every split; use the training split only, `ds.train.y`."
    if _close(value, ds.popularity[0].share):
        return ("`top_share` is `ds.popularity[0].share`: how often the most popular emoji occurs in all "
                "the data. Count the labels of the training examples instead, `ds.train.y`.")
    if _close(value, 1 / len(ds.labels)):
        return ("`top_share` is 1 / number of classes: a uniform guess. Count how often the most "
                "frequent label occurs in `ds.train.y`.")
    if _close(value, expected, 0.01):
        return "`top_share` is close but not exact: compute it instead of typing a rounded number."
    return ("`top_share` is not the share of the most frequent label in `ds.train.y`: count each label, "
            "take the largest count, divide by `len(ds.train.y)`.")


def check_top_share(ns: Mapping[str, Any]) -> Optional[str]:
    """`top_share` must be the share of the most frequent label among the training examples."""
    ds = ns.get("ds")
    if ds is None or not hasattr(ds, "train"):
        return "There is no data set `ds`: run `ds = load(DATA)` first (step 01.2 does it)."
    problem = (missing(ns, "top_share", "set it to a fraction between 0 and 1.")
               or not_a_number(ns, "top_share", "it should be a number between 0 and 1."))
    if problem:
        return problem
    value = float(ns["top_share"])
    expected = train_majority_share(ds)
    if _close(value, expected):
        return None
    return _share_mistake(ds, value, expected)
