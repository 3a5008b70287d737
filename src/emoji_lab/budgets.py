"""How much training each lesson gives each model: epochs, training texts and batch size, in one place.

Light on purpose (no NumPy, no TensorFlow): the CLI's help and the console read it at start-up.
"""

from __future__ import annotations

CLI_EPOCHS = 20  # a full training run (the CLI's default): early stopping on validation loss usually ends it sooner
# Measured on `sample` (21.5k training texts), 2 cores shared with other work: one model took 28-66 s
# with the quick budget and 84-152 s with the full one (naive-noembd, naive-embed-blstm, chcnn-blstm, ...).
QUICK_BUDGET = {"epochs": 3, "max_train": 6_000, "batch_size": 128}
FULL_BUDGET = {"epochs": 4, "max_train": 12_000, "batch_size": 128}
# Lesson 9's bag of byte n-grams: an epoch costs a few seconds, so it reads every text. It trains every epoch
# of its budget, the learning rate decaying to 0 (`models.ModelSpec.fixed_epochs`): 10 epochs, about a minute
# on TweetEval here.
GRAM_QUICK_BUDGET = {"epochs": 6, "max_train": None, "batch_size": 128}
GRAM_FULL_BUDGET = {"epochs": 10, "max_train": None, "batch_size": 128}
YARDSTICK_EPOCHS = 20  # the classical yardstick (lesson 9's second teacher, the benchmark's row); quick: 6


def budget(quick: bool, model_name: str = "") -> dict:
    """Epochs, training texts (None = all) and batch size of one lesson's training of `model_name`.

    Sized so that one model trains on `sample` in about a minute with quick, about three without,
    on 2 cores; a full TweetEval run is the CLI's job (`python -m emoji_lab train`).
    """
    if model_name == "bytegrams":
        return dict(GRAM_QUICK_BUDGET if quick else GRAM_FULL_BUDGET)
    return dict(QUICK_BUDGET if quick else FULL_BUDGET)
