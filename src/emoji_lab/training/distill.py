"""Lesson 9's student (`bytegrams-student` in the registry): its `bytegrams` teacher, trained on from its own
weights to learn from two teachers, so that one phone-sized model can learn what a pair knows that would not fit in
the app.

The teachers are the lesson's `bytegrams` run and the classical yardstick (`emoji_lab.training.yardstick`: 5.2M
parameters, its hashing in Python). On every training text their probabilities are combined as a
weighted geometric mean (log-probabilities averaged, then normalised), and the student's target is that
mix blended with the text's one-hot label. The student is the same graph as its teacher (same file
size, same app), trained with the same recipe: its budget, class weights (from the true labels), every
epoch with the learning rate decaying to 0, the last one kept (`emoji_lab.training.train`).
The teachers predict the very texts they were trained on, which keeps the recipe inside one lesson's
minutes (held-out predictions would mean training each teacher several times).

It starts from its teacher's weights, and the mix's weights are constants chosen once, when the course was
built, on TweetEval validation: what they gave is measured in bench/results and the workshop guide's chapter 9.
"""

from __future__ import annotations

import time
from typing import Any, Optional

import numpy as np

STUDENT = "bytegrams-student"  # the student's registry entry, and its run's name
GRAM_WEIGHT = 0.3  # the bytegrams teacher's share of the mix; the yardstick has the rest
LABEL_SHARE = 0.3  # the one-hot label's share of the student's target; the teachers' mix has the rest


def teachers_mix(gram_probs: np.ndarray, yard_probs: np.ndarray, gram_weight: float = GRAM_WEIGHT) -> np.ndarray:
    """[n, classes]: the weighted geometric mean of two models' probabilities, each row summing to 1."""
    logs = (gram_weight * np.log(np.maximum(gram_probs, 1e-12))
            + (1 - gram_weight) * np.log(np.maximum(yard_probs, 1e-12)))
    mix = np.exp(logs - logs.max(axis=1, keepdims=True))
    return (mix / mix.sum(axis=1, keepdims=True)).astype(np.float32)


def student_targets(y: np.ndarray, mix: np.ndarray, label_share: float = LABEL_SHARE) -> np.ndarray:
    """[n, classes]: `label_share` of each text's one-hot label plus the rest of the teachers' mix."""
    one_hot = np.eye(mix.shape[1], dtype=np.float32)[np.asarray(y)]
    return label_share * one_hot + (1 - label_share) * mix


def fit_yardstick(ds: Any, quick: bool, plan: Optional[Any] = None) -> Any:
    """The classical yardstick with its lesson budget (`budgets.YARDSTICK_EPOCHS`; quick: its teacher's), or with
    the epochs and training texts of the student's `plan` when one was given (the CLI's, the benchmark's)."""
    from emoji_lab.models.budgets import YARDSTICK_EPOCHS
    from emoji_lab.models.registry import spec
    from emoji_lab.training import yardstick

    if plan is not None:
        return yardstick.fit_on(ds, epochs=plan.budget.epochs, max_train=plan.budget.max_train)
    return yardstick.fit_on(ds, epochs=spec(STUDENT).budget(True).epochs if quick else YARDSTICK_EPOCHS)


def distill(run: Any, ds: Any, *, yard: Optional[Any] = None, quick: bool = False, progress: bool = True,
            plan: Optional[Any] = None) -> Any:
    """Train the student from `run` (a bytegrams run on `ds`) and the yardstick (`yard`, trained now if None).

    The student starts from `run`'s weights and trains as `plan` says (default: its lesson budget, quick or not),
    every epoch of it. The run's record keeps the teachers: their weights, the yardstick's scores and the pair's
    validation scores, and their seconds.
    """
    from emoji_lab.common.errors import EmojiLabError
    from emoji_lab.training.metrics import evaluate, headline
    from emoji_lab.training.plan import Plan, Teaching
    from emoji_lab.training.runs import YARDSTICK_FILE, model_sha, trained_on
    from emoji_lab.training.train import train

    student = Plan.of(STUDENT, quick) if plan is None else plan
    teacher = student.spec.teacher
    if run.record.get("model") != teacher:
        raise EmojiLabError(f"the teacher must be a {teacher} run, not {run.record.get('model', run.name)!r}")
    if not trained_on(run.record, ds):
        raise EmojiLabError(f"the teacher {run.name!r} was trained on other data than {ds.source}")
    if yard is None:
        if progress:
            print("training the classical yardstick, the second teacher ...", flush=True)
        yard = fit_yardstick(ds, quick, plan)
    if progress:
        print("both teachers predict every training text ...", flush=True)
    started = time.perf_counter()
    mix = teachers_mix(run.probabilities(ds.train.texts), yard.scores(ds.train.texts))
    predict_seconds = time.perf_counter() - started
    val_yard = yard.scores(ds.val.texts)
    teachers = {
        "gram_run": run.name, "gram_sha256": model_sha(run), "gram_val": headline(run.record["val"]),
        "gram_weight": GRAM_WEIGHT, "label_share": LABEL_SHARE,
        "seconds": {teacher: run.record["seconds"], "yardstick": round(yard.fit_seconds, 2),
                    "predict": round(predict_seconds, 2)},
        "yardstick": {"params": yard.params, "best_epoch": yard.best_epoch,
                      "val": headline(evaluate(ds.val.y, val_yard, ds.labels))},
        "pair_val": headline(evaluate(ds.val.y, teachers_mix(run.probabilities(ds.val.texts), val_yard), ds.labels)),
    }
    if progress:
        from emoji_lab.common.formatting import say

        say("the student learns (its training top-1 and top-5 count the targets' most likely emoji; "
            "validation counts the true labels) ...")
    taught = Teaching(student_targets(ds.train.y, mix), teachers,
                      keep=lambda folder: yard.save(folder / YARDSTICK_FILE))
    return train(student.replace(patience=student.budget.epochs), ds, progress=progress, start_from=run, taught=taught)


def kept_yardstick(student: Any) -> Any:
    """The yardstick a student learned from, as its run folder kept it (for scoring it on held-out texts)."""
    from emoji_lab.common.errors import EmojiLabError
    from emoji_lab.training.runs import YARDSTICK_FILE
    from emoji_lab.training.yardstick import CharNgramModel

    path = student.dir / YARDSTICK_FILE
    if not path.is_file():
        raise EmojiLabError(f"{student.name!r} keeps no yardstick ({path.name}): it was trained by an earlier "
                            "emoji_lab; train the student again")
    yard = student.record["teachers"]
    return CharNgramModel.load(path, yard["seconds"]["yardstick"], yard["yardstick"]["best_epoch"])
