"""The byte encoder is the contract with the iPhone app: its golden vectors must never drift."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from conftest import SHARED_TWEETEVAL, needs_tweeteval

from emoji_lab.common.errors import DataError
from emoji_lab.data.encoders import (GOLDEN_PATH, MAX_LEN, ByteEncoder, WordEncoder, choose_max_len, golden_vectors,
                                     word_tokens)


def test_ids_are_bytes_plus_one_padded_with_zero_at_the_end():
    enc = ByteEncoder(max_len=8)
    assert enc.encode("Hi") == [0x48 + 1, 0x69 + 1, 0, 0, 0, 0, 0, 0]
    assert enc.encode("é") == [0xC3 + 1, 0xA9 + 1] + [0] * 6          # precomposed U+00E9
    assert enc.encode("e\u0301") == [0x65 + 1, 0xCC + 1, 0x81 + 1] + [0] * 5  # no normalisation
    assert enc.encode("新") == [0xE6 + 1, 0x96 + 1, 0xB0 + 1, 0, 0, 0, 0, 0]
    assert enc.vocab_size == 257


def test_the_model_reads_text_cleaned_as_its_training_texts_were():
    enc = ByteEncoder(max_len=12)
    assert enc.clean("so 😩 tired  \r\n") == "so tired"
    assert enc.encode("so 😩 tired  \r\n") == enc.encode("so tired")
    assert enc.encode("😂😂") == [0] * 12
    published = ByteEncoder(max_len=8, cleaning=None)  # a model trained on TweetEval as published
    assert published.encode("😂") == [0xF0 + 1, 0x9F + 1, 0x98 + 1, 0x82 + 1, 0, 0, 0, 0]


def test_truncation_at_the_end_even_inside_a_character():
    enc = ByteEncoder(max_len=4)
    assert enc.encode("abc新") == [98, 99, 100, 0xE6 + 1]
    assert enc.decode(enc.encode("abc新")) == "abc\ufffd"
    assert len(ByteEncoder().encode("x" * 1000)) == MAX_LEN


def test_batch_equals_one_by_one():
    enc = ByteEncoder(max_len=16)
    texts = ["", "a", "新年快乐 and more text than fits", "❤️", " so  😂 tired "]
    batch = enc.encode_batch(texts)
    assert batch.dtype == np.int32 and batch.shape == (5, 16)
    assert batch.tolist() == [enc.encode(t) for t in texts]


def test_preprocess_json_round_trip_and_refusals(tmp_path):
    enc = ByteEncoder(max_len=96)
    path = enc.save(tmp_path)
    assert path.name == "preprocess.json"
    fields = json.loads(path.read_text())
    assert {k: v for k, v in fields.items() if k != "cleaning"} == {
        "max_len": 96, "scheme": "utf8-bytes", "version": 2, "offset": 1, "pad_id": 0, "truncate": "end",
        "normalization": "none"}
    assert fields["cleaning"]["rule"] == "strip-emoji" and fields["cleaning"]["version"] == 1
    assert ByteEncoder.load(tmp_path) == enc
    refusals = [({**fields, "version": 1}, "version 1, from an emoji_lab that fed the model uncleaned text: train"),
                ({**fields, "version": 3}, "version 3 is not 'utf8-bytes' version 2"),
                ({**fields, "lowercase": True}, "unknown fields lowercase"),
                ({k: v for k, v in fields.items() if k != "cleaning"}, "no cleaning"),
                ({**fields, "cleaning": {**fields["cleaning"], "version": 2}}, "cleaning rule 'strip-emoji' version 2"),
                ({**fields, "cleaning": {**fields["cleaning"], "remove": "A9 ZZ"}}, "'ZZ' is not a hexadecimal"),
                ({**fields, "truncate": "start"}, "truncate 'start' is not supported (only 'end')"),
                ({**fields, "normalization": "NFC"}, "normalization 'NFC' is not supported (only 'none')"),
                ({**fields, "max_len": 0}, "max_len 0 is not a whole number of at least 1"),
                ({**fields, "offset": 1.5}, "offset 1.5 is not a whole number of at least 0"),
                ({**fields, "pad_id": True}, "pad_id True is not a whole number")]
    for values, message in refusals:
        path.write_text(json.dumps(values))
        with pytest.raises(DataError, match=re.escape(message)):
            ByteEncoder.load(path)
    path.write_text("{")
    with pytest.raises(DataError, match="not JSON"):
        ByteEncoder.load(path)


def test_golden_file_matches_the_encoder():
    """If this fails the app and Python disagree: change the scheme only with a version bump."""
    committed = json.loads(GOLDEN_PATH.read_text(encoding="utf-8"))
    assert committed == golden_vectors(), "regenerate with emoji_lab.data.encoders.write_golden() after a version bump"
    vectors = {v["name"]: v for v in committed["vectors"]}
    assert vectors["suggestion_just_tapped"]["clean"] == "happy new year!"
    assert len(vectors["exactly_max_len"]["clean"].encode()) == MAX_LEN
    assert 0 not in vectors["exactly_max_len"]["ids"]
    cut = vectors["cut_inside_utf8"]
    assert cut["ids"][-2:] == [0x78 + 1, 0xC3 + 1]  # the cut falls inside é (C3 A9)


def test_choose_max_len():
    texts = ["x" * n for n in range(1, 101)]
    assert choose_max_len(texts, coverage=0.9, multiple=16) == (96, 0.96)
    assert choose_max_len(["a"], multiple=16) == (16, 1.0)


@needs_tweeteval
def test_max_len_covers_tweeteval_as_documented():
    from emoji_lab.data.sources import load

    ds = load(f"tweeteval:{SHARED_TWEETEVAL}")
    max_len, covered = choose_max_len(ds.train.texts, coverage=0.995)
    assert max_len == MAX_LEN and covered >= 0.995


def test_word_encoder_vocabulary_and_oov():
    assert word_tokens("Soooo HAPPY!! @ana #blessed don't") == [
        "soooo", "happy", "!", "!", "@ana", "#blessed", "don't"]
    enc = WordEncoder.fit(["happy happy day", "sad day", "happy"], max_words=2, max_len=5)
    assert enc.vocabulary == ["happy", "day"] and enc.vocab_size == 4
    assert enc.encode("happy sad day") == [2, WordEncoder.OOV, 3, 0, 0]
    assert enc.oov_rate(["happy sad", "soooo day"]) == 0.5
