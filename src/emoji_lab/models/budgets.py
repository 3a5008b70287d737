"""How much training each lesson gives each model: minutes, epochs, training texts and batch size, in one place.

Light on purpose (no NumPy, no TensorFlow): the CLI's help and the console read it at start-up.

Lessons 4-6 give each sequence model minutes, not a number of epochs: it reads every training text, epoch
after epoch, until its validation macro-F1 stops improving or until another epoch would pass its minutes
(`train.Clock`). A laptop several times faster than our 2-core machines trains further in the same minutes.
"""

from __future__ import annotations

import os

from emoji_lab.common.errors import EmojiLabError

MINUTES_ENV = "EMOJI_LAB_MINUTES"  # caps every lesson training's minutes: an instructor's dry run, the tests

CLI_EPOCHS = 20  # a full training run (the CLI's default): early stopping on validation usually ends it sooner
# Every model of lessons 4-6 gets the same minutes, so that their scores compare. 20 lets each one train until
# its validation macro-F1 stops improving on `sample` (21.5k training texts) on our 2-core machines: 17 to 32
# epochs, 9 to 14 s each on the faster of them (bench/results/bench_sample_lessons.json), about twice that on the
# slower; 10 stopped lesson 5's two models and the talk's chcnn-blstm while still improving. The console trains
# these four models in the background while the learner reads lessons 1-3 (`emoji_lab.training.background`), so these
# minutes are seldom waited for. Quick: slow machines, less quality (the lessons show how much, from the
# learner's own run).
FULL_BUDGET = {"epochs": 40, "minutes": 20.0, "max_train": None, "batch_size": 128}
QUICK_BUDGET = {"epochs": 40, "minutes": 4.0, "max_train": None, "batch_size": 128}
# Lesson 9's bag of byte n-grams: an epoch costs a few seconds, so it reads every text. It trains every epoch
# of its budget, the learning rate decaying to 0 (`models.ModelSpec.fixed_epochs`): 10 epochs, about a minute
# on TweetEval here, and no clock.
GRAM_QUICK_BUDGET = {"epochs": 6, "minutes": None, "max_train": None, "batch_size": 128}
GRAM_FULL_BUDGET = {"epochs": 10, "minutes": None, "max_train": None, "batch_size": 128}
YARDSTICK_EPOCHS = 20  # the classical yardstick (lesson 9's second teacher, the benchmark's row); quick: 6


def budget(quick: bool, model_name: str = "") -> dict:
    """Epochs (at most), minutes (at most; None: no clock), training texts (None = all) and batch size of one
    lesson's training of `model_name`; a full TweetEval run is the CLI's job (`python -m emoji_lab train`)."""
    if model_name == "bytegrams":
        return dict(GRAM_QUICK_BUDGET if quick else GRAM_FULL_BUDGET)
    plan = dict(QUICK_BUDGET if quick else FULL_BUDGET)
    cap = os.environ.get(MINUTES_ENV, "").strip()
    if cap:
        try:
            minutes = float(cap)
        except ValueError:
            minutes = float("nan")
        if not minutes > 0:
            raise EmojiLabError(f"{MINUTES_ENV}={cap} is not a number of minutes above 0 (unset it for the lessons' "
                                "budgets)")
        plan["minutes"] = min(plan["minutes"], minutes)
    return plan
