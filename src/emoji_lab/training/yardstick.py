"""The benchmark's classical yardstick: a linear model on hashed character n-grams, written with NumPy and Keras.

Each text becomes the set of its character 1- to 5-grams (lower-cased, with a space at each end),
each hashed (CRC-32, stable across runs and machines) into one of 2^18 buckets. The model is
multinomial logistic regression on the mean of those n-grams' weight rows, with class weights
(inverse class frequency) so rare emoji count, trained with Adam and stopped on validation
macro-F1. It is what the course's neural models must beat; the course does not depend on
scikit-learn, so it is built from the same pieces as everything else.
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

BUCKETS = 2**18
ORDERS = (1, 2, 3, 4, 5)
MAX_FEATURES = 512  # n-grams kept per text (a 128-byte tweet has about 600 with repeats; distinct ones fewer)
EPOCHS = 8
BATCH = 256
LEARNING_RATE = 0.01
CLASS_WEIGHT_POWER = 1.0  # full inverse frequency: after 20 epochs on TweetEval, 23.8 macro-F1 against 22.9 with 0.5


def ngram_ids(text: str, orders: Sequence[int] = ORDERS, buckets: int = BUCKETS) -> list[int]:
    """Bucket ids (1..buckets-1; 0 is padding) of the distinct character n-grams of one text."""
    padded = f" {text.lower()} "
    grams = {padded[i:i + n] for n in orders for i in range(len(padded) - n + 1)}
    return sorted(1 + zlib.crc32(g.encode("utf-8")) % (buckets - 1) for g in grams)


def features(texts: Sequence[str], max_features: int = MAX_FEATURES) -> np.ndarray:
    """[n, max_features] int32 bucket ids, zero-padded."""
    out = np.zeros((len(texts), max_features), dtype=np.int32)
    for row, text in enumerate(texts):
        ids = ngram_ids(text)[:max_features]
        out[row, : len(ids)] = ids
    return out


class CharNgramModel:
    """Hashed char 1-5-grams -> softmax; `scores(texts)` gives [n, classes] probabilities."""

    def __init__(self, model: Any, n_classes: int, fit_seconds: float, best_epoch: int):
        self.model, self.n_classes = model, n_classes
        self.fit_seconds, self.best_epoch = fit_seconds, best_epoch

    @property
    def params(self) -> int:
        return int(self.model.count_params())

    @classmethod
    def fit(cls, texts: Sequence[str], y: np.ndarray, n_classes: int, val_texts: Sequence[str],
            val_y: np.ndarray, epochs: int = EPOCHS, seed: int = 2017) -> "CharNgramModel":
        """Train; keep the epoch with the best validation macro-F1."""
        from emoji_lab.common.backend import import_tensorflow
        from emoji_lab.training.metrics import evaluate
        from emoji_lab.training.train import class_weights

        import_tensorflow()
        import keras

        started = time.perf_counter()
        keras.utils.set_random_seed(seed)
        x, x_val = features(texts), features(val_texts)
        model = _graph(n_classes)
        model.compile(keras.optimizers.Adam(LEARNING_RATE), "sparse_categorical_crossentropy")
        best, best_f1, best_epoch = None, -1.0, 0
        weights = class_weights(np.asarray(y), n_classes, CLASS_WEIGHT_POWER)
        for epoch in range(1, epochs + 1):
            model.fit(x, np.asarray(y), batch_size=BATCH, epochs=1, verbose=0, class_weight=weights, shuffle=True)
            f1 = evaluate(val_y, model.predict(x_val, batch_size=1024, verbose=0), list(range(n_classes)))["macro_f1"]
            if f1 > best_f1:
                best, best_f1, best_epoch = model.get_weights(), f1, epoch
        model.set_weights(best)
        return cls(model, n_classes, time.perf_counter() - started, best_epoch)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.predict(features(texts), batch_size=1024, verbose=0)

    def save(self, path: Path) -> None:
        """Its one weight table ([buckets, classes] float32) as .npy: the graph is fixed, so that is the model."""
        with open(path, "wb") as out:
            np.save(out, self.model.get_weights()[0])

    @classmethod
    def load(cls, path: Path, fit_seconds: float = 0.0, best_epoch: int = 0) -> "CharNgramModel":
        """The model `save` wrote."""
        from emoji_lab.common.backend import import_tensorflow

        import_tensorflow()
        table = np.load(path)
        model = _graph(table.shape[1])
        model.set_weights([table])
        return cls(model, table.shape[1], fit_seconds, best_epoch)


def _graph(n_classes: int) -> Any:
    """Bucket ids in, the mean of their weight rows through a softmax out."""
    import keras

    ids = keras.Input((None,), dtype="int32")
    rows = keras.layers.Embedding(BUCKETS, n_classes, mask_zero=True, embeddings_initializer="zeros")(ids)
    logits = keras.layers.GlobalAveragePooling1D()(rows)  # the mean n-gram row: counts, length-normalised
    return keras.Model(ids, keras.layers.Activation("softmax")(logits))


def fit_on(ds: Any, epochs: int = EPOCHS, max_train: Optional[int] = None) -> CharNgramModel:
    """The yardstick trained on a dataset's training split, stopped on its validation split."""
    from emoji_lab.data.dataset import training_subset

    texts, y = training_subset(ds.train.texts, ds.train.y, max_train, seed=2017)
    return CharNgramModel.fit(texts, y, len(ds.labels), ds.val.texts, ds.val.y, epochs=epochs)
