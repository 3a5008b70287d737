"""Byte n-grams hashed to buckets: lesson 9's features, in NumPy (the model computes the same in its graph).

fastText's idea on bytes: every run of 1 to 5 bytes (ASCII letters lower-cased) of the text with a space
before it and after its last byte (so a word at either end hashes like the same word inside) is hashed
into one of `buckets` rows of an embedding table, and a text is the mean of the distinct rows it hits:
an n-gram repeated ("soooo", "!!!!") counts once, as in the yardstick's bag of n-grams. On TweetEval
validation the two together took the lesson's model from 24.25 to 24.97 macro-F1 (each alone: 24.53
edges, 24.38 once; seeds 2018 and 2019: 25.12 -> 25.35, 24.59 -> 25.27). The hash is
integer arithmetic that LiteRT has as builtin ops (MUL, ADD, FLOOR_MOD, ...), so the phone still
sends nothing but byte ids: no tokenizer, no vocabulary file, no custom op. Every step stays below
2^31, so int32 never overflows and NumPy, TensorFlow and LiteRT agree on every bucket.
`emoji_lab.models.gram_layers` is the Keras side.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

ORDERS = (1, 2, 3, 4, 5)
BUCKETS = 56 * 1024  # 57,344 rows of 16 numbers: the int8 file stays under 1 MB
PRIME = 1_000_003  # the rolling hash's modulus: (PRIME - 1) * 257 + 256 < 2^31
BASE = 257  # ids run 0..256
UPPER_A, UPPER_Z = ord("A") + 1, ord("Z") + 1  # as ids (byte + 1)
EDGE = ord(" ") + 1  # the id put before a text and after its last byte


def with_edges(ids: np.ndarray) -> np.ndarray:
    """[n, L] byte ids, 0-padded at the end -> [n, L + 2]: EDGE, the text, EDGE, then the padding."""
    ids = np.asarray(ids, dtype=np.int64)
    out = np.zeros((ids.shape[0], ids.shape[1] + 2), dtype=np.int64)
    out[:, 0], out[:, 1:-1] = EDGE, ids
    out[np.arange(len(ids)), 1 + (ids > 0).sum(axis=1)] = EDGE
    return out


def distinct(buckets: np.ndarray) -> np.ndarray:
    """Each row sorted from high to low with repeated buckets set to 0: every bucket once (as the graph's top-k)."""
    out = -np.sort(-np.asarray(buckets), axis=1)
    out[:, 1:] *= out[:, 1:] != out[:, :-1]
    return out


def bucket_ids(ids: np.ndarray, orders: Sequence[int] = ORDERS, buckets: int = BUCKETS) -> np.ndarray:
    """[n, L] byte ids -> [n, sum over k of (L - k + 1)] buckets in 1..buckets-1, order by order; 0 where an
    n-gram reaches into the padding. The model hashes `with_edges(ids)`, then keeps each bucket once."""
    ids = np.asarray(ids, dtype=np.int64)
    ids = ids + 32 * ((ids >= UPPER_A) & (ids <= UPPER_Z))
    out = []
    for k in orders:
        width = max(ids.shape[1] - k + 1, 0)
        h = np.full((ids.shape[0], width), k, dtype=np.int64)  # starting from k: orders hash apart
        inside = np.ones_like(h)
        for j in range(k):
            part = ids[:, j: j + width]
            h = (h * BASE + part) % PRIME
            inside *= part > 0
        out.append((h % (buckets - 1) + 1) * inside)
    return np.concatenate(out, axis=1)


def grams(text: str, orders: Sequence[int] = ORDERS, buckets: int = BUCKETS) -> list[tuple[int, bytes, int]]:
    """(n, the n bytes, bucket) for every n-gram of the text with its edge spaces, in text order, repeats included."""
    raw = text.encode("utf-8")
    found = bucket_ids(with_edges(np.frombuffer(raw, dtype=np.uint8).astype(np.int64)[None, :] + 1), orders, buckets)[0]
    data = b" " + raw + b" "  # the bytes `with_edges` hashed
    out, at = [], 0
    for k in orders:
        for i in range(max(len(data) - k + 1, 0)):
            out.append((k, data[i: i + k], int(found[at + i])))
        at += max(len(data) - k + 1, 0)
    return out
