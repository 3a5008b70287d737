"""Batches of similar length with their padding trimmed: tweets are short (a median of a third of the 128 bytes on
`sample`) and every model ignores padding, so the LSTMs skip most of it. A model built for any length trains on
them and predicts from them; the fixed-length model (128 ids in, what the phone runs) gets its weights.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

import numpy as np

from emoji_lab.training.runs import PREDICT_BATCH

POOL_BATCHES = 32  # batches drawn together, then grouped by length
TRIM_MARGIN = 6  # ids kept after a batch's longest text: the char-CNN's last pooled step reads 5 bytes on


def text_lengths(x: np.ndarray) -> np.ndarray:
    """Ids before the padding, per row (padding is only ever at the end)."""
    return (x != 0).sum(axis=1)


def trimmed(x: np.ndarray, rows: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Those rows, cut TRIM_MARGIN ids after the longest of them: [len(rows), width <= max_len]."""
    return x[rows, : min(x.shape[1], int(lengths[rows].max()) + TRIM_MARGIN)]


def length_batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Row numbers of one epoch's batches: random pools of 32 batches, grouped by length, in random order."""
    order = rng.permutation(len(lengths))
    batches = []
    for start in range(0, len(order), batch_size * POOL_BATCHES):
        pool = order[start: start + batch_size * POOL_BATCHES]
        pool = pool[np.argsort(lengths[pool], kind="stable")]
        batches += [pool[i: i + batch_size] for i in range(0, len(pool), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def training_data(tf: Any, x: np.ndarray, y: np.ndarray, batch_size: int, seed: int,
                  weights: Optional[np.ndarray] = None) -> Any:
    """A tf.data source of (ids [batch, width], targets[, weights]), reshuffled (seeded) every epoch.

    Targets are class ids [batch] or probabilities [batch, classes]; weights, one per text, scale its loss.
    (The number of batches is ceil(n / batch_size): pools hold a whole number of batches.)
    """
    lengths, rng = text_lengths(x), np.random.default_rng(seed)
    y = np.asarray(y, dtype=np.int32 if np.ndim(y) == 1 else np.float32)
    signature = (tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, *y.shape[1:]], tf.as_dtype(y.dtype)))
    if weights is not None:
        signature += (tf.TensorSpec([None], tf.float32),)

    def epoch() -> Iterator[tuple[np.ndarray, ...]]:
        for rows in length_batches(lengths, batch_size, rng):
            yield (trimmed(x, rows, lengths), y[rows]) + (() if weights is None else (weights[rows],))

    data = tf.data.Dataset.from_generator(epoch, output_signature=signature)
    return data.apply(tf.data.experimental.assert_cardinality(-(-len(x) // batch_size)))  # Keras knows the steps


def predict_trimmed(model: Any, x: np.ndarray) -> np.ndarray:
    """Probabilities [n, classes] from a model for any length, batch by batch of similar length."""
    lengths = text_lengths(x)
    order = np.argsort(lengths, kind="stable")
    out = np.empty((len(x), int(model.output.shape[-1])), dtype=np.float32)
    for start in range(0, len(x), PREDICT_BATCH):
        rows = order[start: start + PREDICT_BATCH]
        out[rows] = model.predict_on_batch(trimmed(x, rows, lengths))
    return out
