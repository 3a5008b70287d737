"""The course's models: the agreed interface, the seed's architecture, padding ignored, phone-safe dropout."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data.encoders import ByteEncoder
from emoji_lab.models.registry import MODEL_NAMES, SPECS, build_model

WORDS = 300  # vocabulary of the small word model built here


def small(name: str, n_classes: int = 5, max_len: int = 32):
    return build_model(name, n_classes, max_len=max_len, vocab_size=WORDS if name.startswith("word") else 257)


def ids(texts: list[str], max_len: int) -> np.ndarray:
    return ByteEncoder(max_len=max_len).encode_batch(texts)  # ids < 257 are valid words too (vocabulary 300)


def test_importing_the_training_modules_does_not_load_tensorflow():
    """The console imports check modules at start-up: TensorFlow (5 s) must wait for a step that needs it."""
    code = ("import sys, emoji_lab.models.registry, emoji_lab.training.train, emoji_lab.training.runs; "
            "print('tensorflow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_unknown_name_is_a_one_line_error_listing_the_names():
    with pytest.raises(EmojiLabError, match="unknown model 'lstm'.*chcnn-blstm"):
        build_model("lstm", 20)


def _lstms(model):
    for layer in model.layers:
        if layer.__class__.__name__ == "Bidirectional":
            yield layer.forward_layer
            yield layer.backward_layer
        elif layer.__class__.__name__ == "LSTM":
            yield layer


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_interface_and_no_dropout_inside_an_lstm(name):
    """int32 ids in, softmax out; no LSTM(dropout=...): it puts variable ops into the .tflite graph."""
    model = small(name, max_len=40)
    assert model.input.name == SPECS[name].input and SPECS[name].input in ("bytes", "words")
    assert model.input.dtype == "int32" and tuple(model.input.shape) == (None, 40)
    assert tuple(model.output.shape) == (None, 5) and model.output.dtype == "float32"
    lstms = list(_lstms(model))
    assert bool(lstms) == (SPECS[name].family != "bytegrams"), "every course model but lesson 9's has an LSTM"
    assert all(layer.dropout == 0 and layer.recurrent_dropout == 0 for layer in lstms)
    _check_padding_is_ignored(name, model)


def _check_padding_is_ignored(name, fixed):
    """Same weights, same probabilities with 40 ids of input or fewer (any length): padding is ignored."""
    any_length = small(name, max_len=None)
    any_length.set_weights(fixed.get_weights())
    assert tuple(any_length.input.shape) == (None, None)
    # The char-CNN's 'valid' convolutions read 4 bytes past each pooled step's start: texts end 5 bytes early.
    texts = ["hi", "happy new year", "so tired want sleep"]  # 2 to 19 bytes
    expected = fixed.predict_on_batch(ids(texts, 40))
    assert expected.shape == (3, 5) and np.allclose(expected.sum(axis=1), 1.0, atol=1e-5)
    for width in (24, 33):
        np.testing.assert_allclose(any_length.predict_on_batch(ids(texts, width)), expected, atol=1e-6)
    assert np.abs(expected[0] - expected[1]).max() > 1e-6  # and the text itself does matter


def test_chcnn_blstm_is_the_seeds_model():
    model = build_model("chcnn-blstm", 20)  # full size: 128 bytes in, 20 emoji out
    convs = [layer for layer in model.layers if layer.__class__.__name__ == "Conv1D"]
    assert [c.filters for c in convs] == [196, 196, 256] and [c.kernel_size for c in convs] == [(3,), (3,), (1,)]
    assert {c.padding for c in convs} == {"valid"} and {c.activation.__name__ for c in convs} == {"relu"}
    assert {c.kernel_initializer.__class__.__name__ for c in convs} == {"GlorotNormal"}
    assert model.get_layer("embedding").output_dim == 64
    assert model.get_layer("pool").pool_size == (2,)
    assert model.get_layer("bilstm").forward_layer.units == 128
    dense = [layer for layer in model.layers if layer.__class__.__name__ == "Dense"]
    assert [d.units for d in dense] == [128, 20]
    assert [layer.rate for layer in model.layers if layer.__class__.__name__ == "Dropout"] == [0.2]
    assert 630_000 <= model.count_params() <= 660_000  # the seed's ~640k with a 64-dim byte embedding


def test_variants_differ_where_their_names_say():
    def dense_count(model):
        return sum(layer.__class__.__name__ == "Dense" for layer in model.layers)

    seed, two_fc, slim = small("chcnn-blstm"), small("chcnn-blstm-2fc"), small("chcnn-slim-blstm-2fc")
    assert dense_count(two_fc) == dense_count(seed) + 1 == dense_count(slim)
    assert slim.count_params() < two_fc.count_params()
    assert len(list(_lstms(small("naive-noembd-2lstm")))) == 2 and len(list(_lstms(small("naive-noembd")))) == 1


def test_one_hot_is_a_frozen_identity_lookup():
    layer = small("naive-noembd").get_layer("one_hot")
    assert not layer.trainable
    assert np.array_equal(layer.get_weights()[0], np.eye(257, dtype=np.float32))


def test_same_seed_same_initial_weights():
    a, b = small("naive-embed-blstm"), small("naive-embed-blstm")
    c = build_model("naive-embed-blstm", 5, max_len=32, seed=1)
    assert all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])
