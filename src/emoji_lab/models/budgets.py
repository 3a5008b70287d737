"""How much training a lesson gives a model: at most so many epochs, at most so many minutes, how many training
texts and what batch size. Each model's budgets are part of its entry in `emoji_lab.models.registry`.

Light on purpose (no NumPy, no TensorFlow): the CLI's help and the console read it at start-up.

The sequence models of lessons 4-6 get minutes, not a number of epochs: each reads every training text, epoch
after epoch, until its validation macro-F1 stops improving or until another epoch would pass its minutes; the
same minutes for all, so that their scores compare, and a faster laptop trains further in them. What they reach
in them is measured in bench/results and shown in the workshop guide. Lesson 9's bag of n-grams has no clock: it
trains every epoch of its budget (`ModelSpec.fixed_epochs`).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import os
from dataclasses import dataclass
from typing import Optional

from emoji_lab.common import values
from emoji_lab.common.errors import EmojiLabError

MINUTES_ENV = "EMOJI_LAB_MINUTES"  # caps every lesson training's minutes: an instructor's dry run, the tests
CLI_EPOCHS = 20  # a full training run (the CLI's default): early stopping on validation usually ends it sooner
YARDSTICK_EPOCHS = 20  # the classical yardstick (lesson 9's second teacher, the benchmark's row); quick: 4


@dataclass(frozen=True)
class Budget:
    """At most `epochs`, at most `minutes` (None: no clock), `max_train` training texts (None: all of them), in
    batches of `batch_size`."""

    epochs: int
    minutes: Optional[float]
    max_train: Optional[int] = None
    batch_size: int = 128

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size"):
            _at_least_one(name, getattr(self, name))
        if self.max_train is not None:
            _at_least_one("max_train", self.max_train)
        if self.minutes is not None:
            values.minutes("minutes", self.minutes)

    def replace(self, **changes: object) -> "Budget":
        """This budget with some of its fields changed (and checked)."""
        return dataclasses.replace(self, **changes)

    def capped(self) -> "Budget":
        """With a clock, at most $EMOJI_LAB_MINUTES minutes when that is set (an instructor's quick dry run)."""
        cap = os.environ.get(MINUTES_ENV, "").strip()
        if not cap or self.minutes is None:
            return self
        try:
            minutes = float(cap)
        except ValueError:
            minutes = float("nan")
        if not 0 < minutes < math.inf:
            raise EmojiLabError(f"{MINUTES_ENV}={cap} is not a number of minutes above 0 (unset it for the lessons' "
                                "budgets)")
        return self.replace(minutes=min(self.minutes, minutes))

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def _at_least_one(what: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise EmojiLabError(f"{what} must be a whole number of at least 1, not {value!r}")


SEQUENCE = (Budget(epochs=40, minutes=20.0), Budget(epochs=40, minutes=4.0))  # (full, quick): lessons 4-6
GRAMS = (Budget(epochs=10, minutes=None), Budget(epochs=4, minutes=None))  # lesson 9's bag of n-grams
