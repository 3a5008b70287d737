"""The test split, scored once after every choice was made on validation: the whole split, and its leak-free part.

A recipe chosen on validation (its epoch, its mix, its starting point) buys validation points that need not carry
over; on TweetEval the test split also comes from another period. So each model gets two test scores: the whole
split, as TweetEval's leaderboard counts it, and the leak-free part, the tweets that as published carry no leftover
variation selector (TweetEval's label leak, `emoji_lab.training.leak`): the text a phone sees. On sources without the
residue (`sample`, an own file) both are the same split. Where the data folder holds a published model's
predictions for its test tweets (`REFERENCE_FILE`, one label id a line), that model is scored on the same tweets.
A third score is the keyboard's: the same tweets as they are typed, the words before the cursor halfway through
(`keyboard.typed`), since a keyboard suggests before the text is finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

from emoji_lab.common.errors import DataError

REFERENCE_FILE = "roberta_rt_test_predictions.txt"
REFERENCE_MODEL = "RoBERTa-retrained (published predictions)"
PARTS = ("test", "test_leak_free")
TYPED = "typed"  # the keyboard's view: every test tweet, its first half of words


@dataclass(frozen=True)
class HeldOut:
    """A source's test split: its texts (cleaned as the models read them), labels, which tweets are leak-free,
    and the published reference model's predictions where they are present."""

    texts: list[str]
    y: np.ndarray
    leak_free: np.ndarray  # bool, one per text
    reference: Optional[np.ndarray]  # label ids, one per text


def held_out(ds: Any) -> Optional[HeldOut]:
    """`ds`'s test split with its leak-free mask, or None when the source has no (or an empty) test split."""
    from emoji_lab.training.leak import has_residue, published_data

    test = ds.splits.get("test")
    if test is None or not len(test):
        return None
    published = published_data(ds).splits["test"]
    leak_free = np.array([not has_residue(text) for text in published.texts], dtype=bool)
    return HeldOut(list(test.texts), np.asarray(test.y), leak_free, reference_predictions(ds, len(test)))


def reference_predictions(ds: Any, n: int) -> Optional[np.ndarray]:
    """The published model's label ids beside a `tweeteval:DIR` source's test files, checked line by line."""
    source = ds.source
    path = source.path / REFERENCE_FILE if source.kind == "tweeteval" and source.path is not None else None
    if path is None or not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").split()
    if len(lines) != n or not all(line.isdigit() and int(line) < len(ds.labels) for line in lines):
        raise DataError(f"{path}: expected {n:,} label ids 0..{len(ds.labels) - 1}, one a line (one per test tweet)")
    return np.array([int(line) for line in lines], dtype=np.int32)


def held_out_scores(scores: Callable[[list[str]], Any], part: HeldOut, labels: list[str]) -> dict:
    """top-1, top-5 and macro-F1 of a model (`scores`: texts -> [n, classes]) on the whole split, the leak-free
    part and the whole split as typed halfway, keyed `test_*`, `test_leak_free_*` and `typed_*`."""
    from emoji_lab.training.keyboard import typed
    from emoji_lab.training.metrics import HEADLINE, evaluate, headline

    probabilities = np.asarray(scores(part.texts))
    leak_free = (headline(evaluate(part.y[part.leak_free], probabilities[part.leak_free], labels), "test_leak_free")
                 if part.leak_free.any() else dict.fromkeys(f"test_leak_free_{k}" for k in HEADLINE))
    halfway = headline(evaluate(part.y, np.asarray(scores([typed(t) for t in part.texts])), labels), TYPED)
    return {**headline(evaluate(part.y, probabilities, labels), "test"), **leak_free, **halfway}


def reference_row(part: HeldOut, labels: list[str]) -> Optional[dict]:
    """The published model's row: top-1 and macro-F1 from its label ids (it published no top-5)."""
    from emoji_lab.training.metrics import HEADLINE, macro_f1

    if part.reference is None:
        return None
    row: dict = {"model": REFERENCE_MODEL, "kind": "published"}
    for prefix, keep in zip(PARTS, (np.ones(len(part.y), dtype=bool), part.leak_free)):
        y, pred = part.y[keep], part.reference[keep]
        if not len(y):  # every test tweet carries the residue: no leak-free part to score
            row.update(dict.fromkeys(f"{prefix}_{k}" for k in HEADLINE))
            continue
        row.update({f"{prefix}_top1": float((y == pred).mean()), f"{prefix}_top5": None,
                    f"{prefix}_macro_f1": macro_f1(y, pred, len(labels))})
    row.update(dict.fromkeys(f"{TYPED}_{k}" for k in HEADLINE))  # it predicted whole tweets only
    return row
