"""The course's metrics on small cases worked out by hand."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.console import Console

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.training import metrics

LABELS = ["A", "B", "C"]


def test_top_k_counts_the_true_class_among_the_k_best():
    y = [0, 1, 2, 2]
    scores = [[0.7, 0.2, 0.1],   # true A ranked 1st
              [0.5, 0.3, 0.2],   # true B ranked 2nd
              [0.6, 0.3, 0.1],   # true C ranked 3rd
              [0.1, 0.2, 0.7]]   # true C ranked 1st
    assert metrics.top_k_accuracy(y, scores, 1) == 0.5
    assert metrics.top_k_accuracy(y, scores, 2) == 0.75
    assert metrics.top_k_accuracy(y, scores, 3) == 1.0
    assert metrics.top_k_accuracy(y, scores, 10) == 1.0  # k > C: every true class is in
    assert metrics.true_class_rank(y, scores).tolist() == [0, 1, 2, 0]


def test_ties_go_to_the_lower_class_id():
    scores = np.zeros((3, 3))  # all tied: the ranking is A, B, C
    y = [0, 1, 2]
    assert metrics.true_class_rank(y, scores).tolist() == [0, 1, 2]
    assert metrics.top_k_accuracy(y, scores, 1) == pytest.approx(1 / 3)
    assert metrics.top_k_accuracy(y, scores, 2) == pytest.approx(2 / 3)
    assert metrics.predict(scores).tolist() == [0, 0, 0]
    # a tie between B and C only: B wins, so C is second
    assert metrics.true_class_rank([2], [[0.0, 0.5, 0.5]]).tolist() == [1]


def test_top_k_refuses_k_below_one_and_bad_shapes():
    with pytest.raises(EmojiLabError, match="k must be at least 1"):
        metrics.top_k_accuracy([0], [[1.0, 0.0]], 0)
    with pytest.raises(EmojiLabError, match="shape"):
        metrics.top_k_accuracy([0, 1], [[1.0, 0.0]], 1)
    with pytest.raises(EmojiLabError, match="class ids"):
        metrics.top_k_accuracy([2], [[1.0, 0.0]], 1)


def test_macro_f1_by_hand_with_a_class_never_predicted():
    y = [0, 0, 1, 1, 2]
    pred = [0, 1, 1, 1, 0]  # C is never predicted
    # A: tp 1, fp 1, fn 1 -> F1 = 2/4 = 0.5; B: tp 2, fp 1, fn 0 -> 4/5 = 0.8; C: tp 0 -> 0
    assert metrics.macro_f1(y, pred, 3) == pytest.approx((0.5 + 0.8 + 0.0) / 3)


def test_macro_f1_averages_over_all_classes_even_absent_ones():
    # Class C neither occurs nor is predicted: it counts as F1 = 0 in a mean over all three classes.
    assert metrics.macro_f1([0, 1], [0, 1], 3) == pytest.approx(2 / 3)
    assert metrics.macro_f1([0, 1], [0, 1], 2) == 1.0


def test_always_the_majority_class_has_a_tiny_macro_f1():
    y = np.array([0] * 6 + [1] * 2 + [2] * 2)
    pred = np.zeros(10, dtype=int)
    # A: precision 0.6, recall 1 -> F1 = 0.75; B and C: 0
    assert metrics.macro_f1(y, pred, 3) == pytest.approx(0.25)
    assert metrics.top_k_accuracy(y, np.eye(3)[pred], 1) == pytest.approx(0.6)


def test_per_class_precision_recall_and_support():
    rows = metrics.per_class([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], LABELS)
    assert [r["emoji"] for r in rows] == LABELS
    a, b, c = rows
    assert (a["support"], a["predicted"], a["precision"], a["recall"], a["f1"]) == (2, 2, 0.5, 0.5, 0.5)
    assert (b["support"], b["predicted"], b["precision"], b["recall"]) == (2, 3, pytest.approx(2 / 3), 1.0)
    assert (c["support"], c["predicted"], c["precision"], c["recall"], c["f1"]) == (1, 0, 0.0, 0.0, 0.0)


def test_confused_pairs_most_frequent_first_ties_by_class_order():
    y = [0, 0, 0, 1, 1, 2, 2]
    pred = [1, 1, 0, 0, 2, 0, 2]
    pairs = metrics.confused_pairs(y, pred, LABELS, n=5)
    assert pairs[0] == {"true": "A", "predicted": "B", "count": 2}
    # three mistakes made once each, in (true, predicted) order; the diagonal never appears
    assert [(p["true"], p["predicted"], p["count"]) for p in pairs[1:]] == [("B", "A", 1), ("B", "C", 1),
                                                                            ("C", "A", 1)]
    assert metrics.confused_pairs(y, pred, LABELS, n=2) == pairs[:2]
    assert metrics.confused_pairs([0, 1], [0, 1], LABELS) == []


def test_evaluate_puts_it_together():
    y = [0, 1, 2, 2]
    scores = [[0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7]]
    result = metrics.evaluate(y, scores, LABELS)
    assert result["n"] == 4 and result["top1"] == 0.5
    assert result["top5"] == 1.0  # five best of three classes
    pred = metrics.predict(scores)
    assert result["macro_f1"] == metrics.macro_f1(y, pred, 3)
    assert result["per_class"] == metrics.per_class(y, pred, LABELS)
    assert result["confused"] == metrics.confused_pairs(y, pred, LABELS)
    with pytest.raises(EmojiLabError, match="2 labels"):
        metrics.evaluate(y, scores, LABELS[:2])


def test_tables_show_percentages():
    result = metrics.evaluate([0, 1], [[0.9, 0.1, 0.0], [0.8, 0.2, 0.0]], LABELS)
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    console.print(metrics.metrics_table({"mine": result, "other": dict(result, coverage=0.25)}))
    console.print(metrics.details_view(result))
    text = out.getvalue()
    assert "mine" in text and "50.0%" in text and "25.0%" in text and "coverage" in text
    assert "Most confused" in text and "predicted as" in text
