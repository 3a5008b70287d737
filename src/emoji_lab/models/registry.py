"""The course's models by name (`SPECS`: each one's architecture, input, family, lesson, budgets and training recipe)
and the Keras Functional builders they are made with; named as the seed talk's TensorBoard runs.

Every byte model reads int32 ids [batch, max_len] from `encoders.ByteEncoder` (the text's UTF-8
bytes + 1, padded with 0 at the end) and returns softmax probabilities [batch, n_classes].

Padding is ignored everywhere, so a text scores the same however much padding follows it:
- the LSTM models get a mask from `Embedding(mask_zero=True)`: the LSTM skips padded steps, and
  "take the last output" means the state after the text's last byte;
- Conv1D layers cannot carry a mask, so the char-CNN models let the convolutions see the padding
  (its id 0 has a learned vector of its own, as in the seed) and hand the BiLSTM an explicit mask
  instead: a pooled step counts when the window it summarises starts inside the text. (A pooled
  step reads 6 bytes, so this holds for texts that end 5 bytes before the input does: up to 123
  of 128 bytes, nearly every tweet.)

Dropout is never inside an LSTM: `LSTM(dropout=...)` adds variable ops (its seed generator) to the
TFLite graph; a Dropout layer does not, and does nothing at prediction time. The seed's
`LSTM(dropout=0.2)` becomes a `SpatialDropout1D(0.2)` in front of it: the same kind of mask (one per
text and feature, shared by all steps; here both directions share it), outside the LSTM. The seed's
`recurrent_dropout` has no outside equivalent and is left out.

Lesson 9's `bytegrams` is not a sequence model at all: the mean of the vectors of the distinct buckets
its byte 1-5-grams hash to (`emoji_lab.models.bytegrams`), then softmax, trained with full class weights
for a fixed number of epochs with a decaying learning rate, and kept at its last epoch (`emoji_lab.training.train`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data.encoders import MAX_LEN
from emoji_lab.models.budgets import GRAMS, SEQUENCE, Budget
from emoji_lab.models.bytegrams import BUCKETS, ORDERS

BYTE_EMBED_DIM = 64  # the seed's byte embedding
WORD_EMBED_DIM = 128  # the seed's word-embedding arithmetic (lesson 3)
LSTM_UNITS = 128
DENSE_UNITS = 128
DROPOUT = 0.2
SEED_FILTERS = (196, 196, 256)
SLIM_FILTERS = (64, 64, 128)
KERNELS = (3, 3, 1)
POOL = 2
GRAM_DIM = 16  # lesson 9: one 16-number vector per hash bucket


@dataclass(frozen=True)
class Architecture:
    """How `build_model` builds a model: `kind` "recurrent" (vectors -> LSTMs), "char-cnn" (the talk's) or "grams"
    (lesson 9's bag of hashed byte n-grams), with the parts each kind has."""

    kind: str
    vectors: str = ""  # recurrent: "one-hot" bytes, or a learned "embedding"
    embed_dim: int = BYTE_EMBED_DIM
    recurrent: str = ""  # recurrent: "lstm" (the last output), "blstm" (both directions) or "2lstm" (stacked)
    filters: tuple[int, ...] = ()  # char-cnn: the three convolutions' filters
    dense_layers: int = 1  # char-cnn: Dense layers after the BiLSTM


@dataclass(frozen=True)
class ModelSpec:
    """Everything the course knows about one of its models; no code elsewhere reads a model's name for it."""

    name: str
    summary: str  # one line, for tables
    input: str  # what it reads: "bytes" (what the phone sends) or "words"
    family: str  # for comparisons: "naive" (lessons 4-5), "char-cnn" (the talk's), "words", "bytegrams"
    lesson: str  # the lesson that teaches it
    architecture: Architecture
    budgets: tuple[Budget, Budget] = SEQUENCE  # (full, quick): a lesson's training of it
    learning_rate: float = 1e-3  # Adam's default, as in the seed
    fixed_epochs: bool = False  # train the whole budget, learning rate decayed to 0, keep the last epoch
    # Class weights' power (`emoji_lab.training.train.class_weights`): each training text weighs (1 / its emoji's
    # share) ** power. Sequence models 0.5, halfway to full (they learn faster with it); bytegrams 1.0 (chosen on
    # the held-out measurements of bench/results/bench_tweeteval_testdev.json).
    class_weight_power: float = 0.5
    teacher: Optional[str] = None  # a student: trained on from this model's run, taught by it (its graph is that one's)

    @property
    def exportable(self) -> bool:
        """Whether the app can run it: it reads the bytes the phone sends (a word model needs a tokenizer)."""
        return self.input == "bytes"

    @property
    def graph(self) -> str:
        """The name of the Keras model it is: its own, or its teacher's for a student (the name runs record)."""
        return self.teacher or self.name

    def budget(self, quick: bool = False) -> Budget:
        """A lesson's training of it (quick: the smaller budget); minutes capped by $EMOJI_LAB_MINUTES if set."""
        return self.budgets[1 if quick else 0].capped()


def _filters(filters: tuple[int, ...]) -> str:
    return "/".join(map(str, filters))


_BILSTM, _DENSE = f"BiLSTM {LSTM_UNITS}", f"Dense {DENSE_UNITS}"
_GRAMS = f"hashed byte {ORDERS[0]}-{ORDERS[-1]}-grams ({BUCKETS:,} x {GRAM_DIM}) -> mean -> softmax"
_BYTEGRAMS = dict(input="bytes", family="bytegrams", lesson="09", architecture=Architecture("grams"), budgets=GRAMS,
                  learning_rate=5e-3, fixed_epochs=True, class_weight_power=1.0)
SPECS: dict[str, ModelSpec] = {spec.name: spec for spec in (
    ModelSpec("naive-noembd", f"one-hot bytes -> LSTM {LSTM_UNITS}, last output", "bytes", "naive", "04",
              Architecture("recurrent", vectors="one-hot", recurrent="lstm")),
    ModelSpec("naive-noembd-2lstm", f"one-hot bytes -> 2 stacked LSTM {LSTM_UNITS}", "bytes", "naive", "05",
              Architecture("recurrent", vectors="one-hot", recurrent="2lstm")),
    ModelSpec("naive-noembd-blstm", f"one-hot bytes -> {_BILSTM}", "bytes", "naive", "05",
              Architecture("recurrent", vectors="one-hot", recurrent="blstm")),
    ModelSpec("naive-embed-blstm", f"byte embedding {BYTE_EMBED_DIM} -> {_BILSTM}", "bytes", "naive", "04",
              Architecture("recurrent", vectors="embedding", recurrent="blstm")),
    ModelSpec("chcnn-blstm", f"the seed: char-CNN {_filters(SEED_FILTERS)} -> {_BILSTM} -> {_DENSE}", "bytes",
              "char-cnn", "06", Architecture("char-cnn", filters=SEED_FILTERS)),
    ModelSpec("chcnn-blstm-2fc", f"char-CNN {_filters(SEED_FILTERS)} -> {_BILSTM} -> 2 x {_DENSE}", "bytes",
              "char-cnn", "06", Architecture("char-cnn", filters=SEED_FILTERS, dense_layers=2)),
    ModelSpec("chcnn-slim-blstm-2fc", f"char-CNN {_filters(SLIM_FILTERS)} -> {_BILSTM} -> 2 x {_DENSE}", "bytes",
              "char-cnn", "06", Architecture("char-cnn", filters=SLIM_FILTERS, dense_layers=2)),
    ModelSpec("word-embed-blstm", f"word embedding {WORD_EMBED_DIM} -> {_BILSTM}", "words", "words", "03",
              Architecture("recurrent", vectors="embedding", embed_dim=WORD_EMBED_DIM, recurrent="blstm")),
    ModelSpec("bytegrams", _GRAMS, **_BYTEGRAMS),
    ModelSpec("bytegrams-student", f"bytegrams taught by itself and the n-gram yardstick: {_GRAMS}", **_BYTEGRAMS,
              teacher="bytegrams"),
)}
MODEL_NAMES = tuple(SPECS)
TALK_MODEL = "chcnn-blstm"  # the 2017 talk's model, the course's deepest


def spec(name: str) -> ModelSpec:
    """The spec of a model name, or a one-line error listing the names there are."""
    if name not in SPECS:
        raise EmojiLabError(f"unknown model {name!r}: use one of {', '.join(MODEL_NAMES)}")
    return SPECS[name]


def family(name: str) -> Optional[str]:
    """A model's family by its name (as a run records it); None for a name the course does not know."""
    return SPECS[name].family if name in SPECS else None


def build_model(name: str, n_classes: int, *, max_len: int | None = MAX_LEN, vocab_size: int = 257,
                seed: int = 2017) -> Any:
    """A fresh, uncompiled Keras model of `name`'s architecture; the same seed gives the same initial weights.

    `max_len=None` accepts any length: training uses it to skip most of the padding (same weights).
    """
    model = spec(name)
    if n_classes < 2:
        raise EmojiLabError(f"a classifier needs at least 2 classes, not {n_classes}")
    from emoji_lab.common.backend import import_tensorflow

    import_tensorflow()
    import keras

    keras.utils.set_random_seed(seed)
    shape = model.architecture
    ids = keras.Input((max_len,), dtype="int32", name=model.input)  # [batch, max_len] (max_len may be None)
    if shape.kind == "grams":
        hidden = _byte_grams(ids)
    elif shape.kind == "char-cnn":
        hidden = _char_cnn_blstm(keras, ids, vocab_size, shape.filters, shape.dense_layers)
    else:
        hidden = _recurrent(keras, shape, ids, vocab_size)
    probs = keras.layers.Dense(n_classes, activation="softmax", name="emoji")(hidden)  # [batch, n_classes]
    return keras.Model(ids, probs, name=model.graph.replace("-", "_"))


def _recurrent(keras: Any, shape: Architecture, ids: Any, vocab_size: int) -> Any:
    """The naive and word models: ids -> vectors (masked) -> LSTM(s) -> one vector per text."""
    layers = keras.layers
    if shape.vectors == "one-hot":
        # One-hot as a lookup: row i of the identity matrix, frozen. [batch, max_len, vocab_size]
        x = layers.Embedding(vocab_size, vocab_size, embeddings_initializer="identity", trainable=False,
                             mask_zero=True, name="one_hot")(ids)
    else:
        x = layers.Embedding(vocab_size, shape.embed_dim, mask_zero=True, name="embedding")(ids)  # [batch, L, dim]
    if shape.recurrent == "2lstm":
        x = layers.LSTM(LSTM_UNITS, return_sequences=True, name="lstm_1")(x)  # [batch, max_len, 128]
        return layers.LSTM(LSTM_UNITS, name="lstm_2")(x)  # [batch, 128]
    if shape.recurrent == "blstm":
        return layers.Bidirectional(layers.LSTM(LSTM_UNITS), name="bilstm")(x)  # [batch, 256]
    return layers.LSTM(LSTM_UNITS, name="lstm")(x)  # [batch, 128]: the output after the last byte


def _char_cnn_blstm(keras: Any, ids: Any, vocab_size: int, filters: tuple[int, ...], dense_layers: int) -> Any:
    """The seed's encoder: byte vectors -> 3 convolutions -> max-pool -> BiLSTM -> Dense (+ Dropout)."""
    layers, ops = keras.layers, keras.ops
    x = layers.Embedding(vocab_size, BYTE_EMBED_DIM, name="embedding")(ids)  # [batch, L, 64]
    for i, (n, k) in enumerate(zip(filters, KERNELS), start=1):
        # 'valid': no padding added, each layer is k - 1 steps shorter. [batch, L - 2, 196], [L - 4, 196], [L - 4, 256]
        x = layers.Conv1D(n, k, padding="valid", activation="relu", kernel_initializer="glorot_normal",
                          name=f"conv_{i}")(x)
    x = layers.MaxPooling1D(POOL, name="pool")(x)  # [batch, (L - 4) // 2, 256]
    # The same pooling over "is byte t text?" (conv step t starts at byte t) says which pooled steps are text.
    is_text = ops.expand_dims(ops.cast(ops.not_equal(ids, 0), "float32"), -1)  # [batch, L, 1]
    starts = is_text[:, : -sum(k - 1 for k in KERNELS)]  # [batch, L - 4, 1]: one per convolution output
    text_steps = ops.greater(ops.squeeze(layers.MaxPooling1D(POOL, name="pool_mask")(starts), -1), 0)
    x = layers.SpatialDropout1D(DROPOUT, name="lstm_input_dropout")(x)
    x = layers.Bidirectional(layers.LSTM(LSTM_UNITS), name="bilstm")(x, mask=text_steps)  # [batch, 256]
    for i in range(1, dense_layers + 1):
        x = layers.Dense(DENSE_UNITS, activation="relu", name=f"dense_{i}")(x)  # [batch, 128]
        x = layers.Dropout(DROPOUT, name=f"dropout_{i}")(x)
    return x


def _byte_grams(ids: Any) -> Any:
    """Lesson 9: each byte 1-5-gram of the text (edge spaces added) hashed to a bucket, one learned vector per
    bucket, the mean over the distinct buckets."""
    import keras

    from emoji_lab.models.bytegrams import BUCKETS, ORDERS
    from emoji_lab.models.gram_layers import DistinctBuckets, HashedByteGrams, MeanOfPresent

    buckets = HashedByteGrams(ORDERS, BUCKETS, edges=True, name="byte_grams")(ids)  # [batch, 5L]: L + 2 bytes
    buckets = DistinctBuckets(name="distinct")(buckets)  # the same, each bucket once
    vectors = keras.layers.Embedding(BUCKETS, GRAM_DIM, name="gram_vectors")(buckets)  # [batch, 5L, 16]
    return MeanOfPresent(name="mean")(vectors, buckets)  # [batch, 16]
