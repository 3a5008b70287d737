"""The course's scores, in one place so every model (keywords, LSTM, CNN, the exported file) is measured alike.

Inputs are plain numpy: `y` [n] true class ids, `scores` [n, C] (any scores where higher means more likely:
probabilities, logits, keyword sums) or `pred` [n] predicted class ids. Ties between scores are broken
by the lower class id, in ranking (top-k) and in prediction (`predict`), so results never depend on the
order of floating-point noise.

Macro-F1 is TweetEval's emoji metric: the F1 of each class, then their plain mean, so a rare emoji
counts as much as ❤. Here the mean is over **all** classes 0..C-1, and a class that is neither
predicted nor present gets F1 = 0 (scikit-learn's `f1_score(..., labels=range(C), average="macro",
zero_division=0)`). On a validation split where every class occurs, that is the usual macro-F1; on a
tiny split it is not flattered by leaving out the classes it happens to lack.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from emoji_lab.common.errors import EmojiLabError


def _as_labels(y: Any, name: str = "y") -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1:
        raise EmojiLabError(f"{name} must be one class id per example (shape [n]), not shape {list(y.shape)}")
    if y.size and not np.issubdtype(y.dtype, np.integer):
        raise EmojiLabError(f"{name} must hold integer class ids, not {y.dtype}")
    return y.astype(np.int64)


def _as_scores(y: np.ndarray, scores: Any) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2 or scores.shape[0] != len(y):
        raise EmojiLabError(f"scores must have shape [n, classes] with n = {len(y)}, not {list(scores.shape)}")
    if len(y) and (y.min() < 0 or y.max() >= scores.shape[1]):
        raise EmojiLabError(f"class ids in y must be 0..{scores.shape[1] - 1}")
    return scores


def predict(scores: Any) -> np.ndarray:
    """The best class of each row (the lowest class id among equal best scores)."""
    return np.asarray(scores).argmax(axis=1).astype(np.int64)


def true_class_rank(y: Any, scores: Any) -> np.ndarray:
    """The true class's place in each row's ranking (0 = first): higher scores, and equal ones with a lower id."""
    y = _as_labels(y)
    scores = _as_scores(y, scores)
    true = scores[np.arange(len(y)), y][:, None]
    ids = np.arange(scores.shape[1])[None, :]
    return ((scores > true) | ((scores == true) & (ids < y[:, None]))).sum(axis=1)


def top_k_accuracy(y: Any, scores: Any, k: int) -> float:
    """Share of examples whose true class is among the k best-scored classes (k >= C: always 1.0)."""
    if int(k) < 1:
        raise EmojiLabError(f"k must be at least 1, not {k}")
    rank = true_class_rank(y, scores)
    return float((rank < k).mean()) if len(rank) else 0.0


def confusion_matrix(y: Any, pred: Any, n_classes: int) -> np.ndarray:
    """[C, C] counts: row = true class, column = predicted class."""
    y, pred = _as_labels(y), _as_labels(pred, "pred")
    if len(y) != len(pred):
        raise EmojiLabError(f"y has {len(y)} examples but pred has {len(pred)}")
    for name, ids in (("y", y), ("pred", pred)):
        if len(ids) and (ids.min() < 0 or ids.max() >= n_classes):
            raise EmojiLabError(f"class ids in {name} must be 0..{n_classes - 1}")
    return np.bincount(y * n_classes + pred, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def _precision_recall_f1(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp = np.diag(matrix).astype(np.float64)
    predicted, support = matrix.sum(axis=0), matrix.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(support > 0, tp / support, 0.0)
        denominator = predicted + support  # 2TP + FP + FN
        f1 = np.where(denominator > 0, 2 * tp / denominator, 0.0)
    return precision, recall, f1


def macro_f1(y: Any, pred: Any, n_classes: int) -> float:
    """Unweighted mean of the per-class F1 over all classes 0..n_classes-1 (absent and never predicted: 0)."""
    return float(_precision_recall_f1(confusion_matrix(y, pred, n_classes))[2].mean())


def per_class(y: Any, pred: Any, labels: Sequence[str]) -> list[dict]:
    """One dict per class, in class order: emoji, support (true examples), predicted, precision, recall, f1."""
    matrix = confusion_matrix(y, pred, len(labels))
    precision, recall, f1 = _precision_recall_f1(matrix)
    support, predicted = matrix.sum(axis=1), matrix.sum(axis=0)
    return [{"emoji": labels[c], "support": int(support[c]), "predicted": int(predicted[c]),
             "precision": float(precision[c]), "recall": float(recall[c]), "f1": float(f1[c])}
            for c in range(len(labels))]


def confused_pairs(y: Any, pred: Any, labels: Sequence[str], n: int = 5) -> list[dict]:
    """The n most frequent mistakes as dicts (true, predicted, count), most frequent first (ties: lower ids first)."""
    matrix = confusion_matrix(y, pred, len(labels))
    np.fill_diagonal(matrix, 0)
    flat = matrix.ravel()
    order = np.lexsort((np.arange(flat.size), -flat))  # by count descending, then (true, predicted) ascending
    pairs = []
    for index in order[:n]:
        if flat[index] == 0:
            break
        true, predicted = divmod(int(index), len(labels))
        pairs.append({"true": labels[true], "predicted": labels[predicted], "count": int(flat[index])})
    return pairs


HEADLINE = ("top1", "top5", "macro_f1")


def evaluate(y: Any, scores: Any, labels: Sequence[str]) -> dict:
    """Everything the course reports about one model on one split, as plain data."""
    y = _as_labels(y)
    scores = _as_scores(y, scores)
    if scores.shape[1] != len(labels):
        raise EmojiLabError(f"scores have {scores.shape[1]} columns but there are {len(labels)} labels")
    pred = predict(scores)
    return {
        "n": int(len(y)),
        "top1": top_k_accuracy(y, scores, 1),
        "top5": top_k_accuracy(y, scores, 5),
        "macro_f1": macro_f1(y, pred, len(labels)),
        "per_class": per_class(y, pred, labels),
        "confused": confused_pairs(y, pred, labels),
    }


def headline(result: dict, prefix: str = "") -> dict:
    """The three numbers a table row keeps of an `evaluate` result (keys `prefix_top1`, ... with a prefix)."""
    return {f"{prefix}_{k}" if prefix else k: result[k] for k in HEADLINE}


# -- rich renderings ------------------------------------------------------------------------------------------------
def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def metrics_table(results_by_name: Mapping[str, Mapping[str, Any]], title: str = "Validation scores") -> Any:
    """Models side by side: top-1, top-5, macro-F1 (and keyword coverage when a result has one), as percentages."""
    from rich.table import Table
    from rich.text import Text

    with_coverage = any("coverage" in r for r in results_by_name.values())
    table = Table(title=title, title_justify="left")
    table.add_column("model", ratio=1)
    for header in ("top-1", "top-5", "macro-F1") + (("coverage",) if with_coverage else ()):
        table.add_column(header, justify="right", no_wrap=True)
    for name, r in results_by_name.items():
        row = [Text(name), _pct(r["top1"]), _pct(r["top5"]), _pct(r["macro_f1"])]
        if with_coverage:
            row.append(_pct(r["coverage"]) if "coverage" in r else "")
        table.add_row(*row)
    return table


def per_class_table(result: Mapping[str, Any], title: str = "Per emoji") -> Any:
    """The per-class precision, recall and F1 of one result, in class order."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for header in ("emoji", "true", "predicted", "precision", "recall", "F1"):
        table.add_column(header, justify="center" if header == "emoji" else "right", no_wrap=True)
    for row in result["per_class"]:
        table.add_row(row["emoji"], f"{row['support']:,}", f"{row['predicted']:,}", _pct(row["precision"]),
                      _pct(row["recall"]), _pct(row["f1"]))
    return table


def confused_table(result: Mapping[str, Any], title: str = "Most confused") -> Any:
    """The most frequent (true emoji, predicted emoji) mistakes of one result."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for header in ("true", "predicted as", "times"):
        table.add_column(header, justify="center" if header != "times" else "right", no_wrap=True)
    for pair in result["confused"]:
        table.add_row(pair["true"], pair["predicted"], f"{pair['count']:,}")
    return table


def details_view(result: Mapping[str, Any]) -> Any:
    """Per-emoji scores and the most confused pairs of one result, one under the other."""
    from rich.console import Group

    return Group(per_class_table(result), confused_table(result))
