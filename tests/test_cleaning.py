"""The text contract's cleaning: what training saw is what the phone's cleaning makes of a raw line."""

from __future__ import annotations

import gzip
import random
from importlib.resources import files

import pytest

from emoji_lab.common.errors import DataError
from emoji_lab.data.cleaning import TextCleaner, from_ranges, text_cleaner, to_ranges
from emoji_lab.data.emojis import split_emoji


def literal_clean(cleaner: TextCleaner, text: str) -> str:
    """The rule as the Swift package implements it, one code point at a time."""
    words, word, points, i = [], [], [ord(c) for c in text], 0
    bases = {ord(c) for c in cleaner.keycap_bases}
    while i < len(points):
        j = i + 1 + (i + 1 < len(points) and points[i + 1] == 0xFE0F)
        if points[i] in bases and j < len(points) and points[j] == 0x20E3:
            words, word, i = words + ["".join(word)], [], j + 1
            continue
        if points[i] in cleaner.remove or points[i] in cleaner.whitespace:
            words, word = words + ["".join(word)], []
        else:
            word.append(chr(points[i]))
        i += 1
    return " ".join(w for w in [*words, "".join(word)] if w)


def test_the_phone_cleaning_of_every_raw_practice_line_is_its_training_text():
    lines = gzip.decompress(files("emoji_lab.data.corpus").joinpath("sample.txt.gz").read_bytes()).decode().splitlines()
    cleaner = text_cleaner()
    assert len(lines) > 10_000
    differ = [line for line in lines if cleaner.clean(line) != split_emoji(line)[0]]
    assert differ == []


def test_the_rule_as_written_and_the_fast_code_agree_on_random_text():
    cleaner = text_cleaner()
    alphabet = list("ab1#* \t\r\n") + ["\ufe0f", "\ufe0e", "\u20e3", "\u200d", "\U0001F3FD", "\U0001F602", "\u2764",
                                        "\U0001F1FA", "\u00a0", "\u3000", "\u2028", "新", "é", "e\u0301", "\x1c"]
    rng = random.Random(2017)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        cleaned = cleaner.clean(text)
        assert cleaned == literal_clean(cleaner, text), repr(text)
        assert cleaner.clean(cleaned) == cleaned  # cleaning clean text changes nothing


def test_keycaps_go_whole_and_hashtags_stay():
    clean = text_cleaner().clean
    assert clean("top 5\ufe0f\u20e3 songs #1\u20e3 #win") == "top songs # #win"
    assert clean("11\u20e3") == "1"


def test_the_spec_round_trips_and_refuses_what_it_cannot_read():
    cleaner = text_cleaner()
    assert TextCleaner.from_spec(cleaner.spec()) == cleaner
    assert to_ranges([0x41, 0x42, 0x43, 0x45]) == "41-43 45"
    assert from_ranges("41-43 45", "remove") == {0x41, 0x42, 0x43, 0x45}
    for bad, message in [("41-", "not a hexadecimal"), ("43-41", "not a range"), ("110000", "not a range")]:
        with pytest.raises(DataError, match=message):
            from_ranges(bad, "remove")
    with pytest.raises(DataError, match="rule 'nfc' version 1 is not 'strip-emoji'"):
        TextCleaner.from_spec({**cleaner.spec(), "rule": "nfc"})
    with pytest.raises(DataError, match=r"unknown keys \['lowercase'\]"):
        TextCleaner.from_spec({**cleaner.spec(), "lowercase": True})
