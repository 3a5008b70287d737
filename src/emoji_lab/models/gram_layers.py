"""Lesson 9's Keras layers: byte n-grams hashed inside the graph (`emoji_lab.models.bytegrams` says how), and
their mean.

Importing this module registers the layers with Keras, which loading a saved run of lesson 9 needs.
"""

from __future__ import annotations

from typing import Any, Sequence

from emoji_lab.common.backend import import_tensorflow
from emoji_lab.models.bytegrams import BASE, BUCKETS, EDGE, ORDERS, PRIME, UPPER_A, UPPER_Z

import_tensorflow()
import keras  # noqa: E402  (after the quiet import)
from keras import ops  # noqa: E402


@keras.saving.register_keras_serializable(package="emoji_lab")
class HashedByteGrams(keras.layers.Layer):
    """[batch, L] byte ids -> [batch, sum over k of (L' - k + 1)] bucket ids in 1..buckets-1; 0 where the
    n-gram reaches into the padding. With `edges` the text gets a space before it and after its last byte
    first (L' = L + 2); without, L' = L: the hash of lesson 9 runs saved before edges came (their config
    has no `edges`)."""

    def __init__(self, orders: Sequence[int] = ORDERS, buckets: int = BUCKETS, edges: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.orders, self.buckets, self.edges = tuple(int(k) for k in orders), int(buckets), bool(edges)

    def call(self, ids: Any) -> Any:
        ids = ops.cast(ids, "int32")
        if self.edges:  # as `bytegrams.with_edges`
            column = ops.zeros_like(ids[:, :1])
            ids = ops.concatenate([column + EDGE, ids, column], axis=1)
            present = ops.cast(ops.greater(ids, 0), "int32")
            after_last = (1 - present) * ops.concatenate([column, present[:, :-1]], axis=1)
            ids = ids + EDGE * after_last
        upper = ops.cast(ops.logical_and(ops.greater_equal(ids, UPPER_A), ops.less_equal(ids, UPPER_Z)), "int32")
        ids = ids + 32 * upper  # 'A'..'Z' -> 'a'..'z'
        length = ops.shape(ids)[1]
        out = []
        for k in self.orders:
            width = max(length - k + 1, 0) if isinstance(length, int) else ops.maximum(length - k + 1, 0)
            h = ops.full_like(ids[:, :width], k)
            inside = ops.ones_like(h)
            for j in range(k):
                part = ids[:, j: j + width]
                h = ops.mod(h * BASE + part, PRIME)
                inside = inside * ops.cast(ops.greater(part, 0), "int32")
            out.append((ops.mod(h, self.buckets - 1) + 1) * inside)
        return ops.concatenate(out, axis=1)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        length = None if input_shape[1] is None else input_shape[1] + 2 * self.edges
        total = None if length is None else sum(max(length - k + 1, 0) for k in self.orders)
        return (input_shape[0], total)

    def get_config(self) -> dict:
        return {**super().get_config(), "orders": list(self.orders), "buckets": self.buckets, "edges": self.edges}


@keras.saving.register_keras_serializable(package="emoji_lab")
class DistinctBuckets(keras.layers.Layer):
    """Each bucket once: [batch, n] bucket ids sorted from high to low (top-k, a builtin LiteRT op), repeats set
    to 0, so the mean that follows skips them (`bytegrams.distinct` in NumPy)."""

    def call(self, buckets: Any) -> Any:
        n = buckets.shape[1] if buckets.shape[1] is not None else ops.shape(buckets)[1]
        ranked = ops.top_k(buckets, n, sorted=True)[0]
        repeat = ops.cast(ops.equal(ranked[:, 1:], ranked[:, :-1]), ranked.dtype)
        return ops.concatenate([ranked[:, :1], ranked[:, 1:] * (1 - repeat)], axis=1)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)


@keras.saving.register_keras_serializable(package="emoji_lab")
class MeanOfPresent(keras.layers.Layer):
    """The mean of the vectors whose bucket is not 0: [batch, n, dim] -> [batch, dim]; a row without buckets gives
    zeros (Keras's masked average would divide 0 by 0 there; with edges even an empty text has some)."""

    def call(self, vectors: Any, buckets: Any) -> Any:
        present = ops.expand_dims(ops.cast(ops.greater(buckets, 0), vectors.dtype), -1)  # [batch, n, 1]
        total = ops.sum(vectors * present, axis=1)
        return total / ops.maximum(ops.sum(present, axis=1), 1.0)

    def compute_output_shape(self, vectors_shape: Any, buckets_shape: Any = None) -> tuple:
        return (vectors_shape[0], vectors_shape[2])
