"""Lesson 3's measurements: the arithmetic, coverage and OOV on texts with known answers, the OOV kinds, the checks."""

from __future__ import annotations

import random
from collections import Counter
from types import SimpleNamespace

import pytest

from emoji_lab.common import formatting
from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data import vocab
from emoji_lab.data.encoders import MAX_LEN, WordEncoder, word_tokens
from emoji_lab.data.source import named_lines
from emoji_lab.lessons import lesson03


def make_ds(train: list[str], val: list[str], source: str = "synthetic"):
    """The two attributes of a Dataset that lesson 3 reads."""
    return SimpleNamespace(source=named_lines(source), train=SimpleNamespace(texts=train),
                           val=SimpleNamespace(texts=val))


SMALL = make_ds(["a a a b b c", "a b d"], ["a c e", "e f"])


def big_ds():
    """900 words seen 3 times, 200 seen twice (a tie across the 1,000 cap), 400 seen once."""
    words = [f"w{i:04d}" for i in range(1500)]
    train = [" ".join(words[:900])] * 3 + [" ".join(words[900:1100])] * 2 + [" ".join(words[1100:])]
    val = [" ".join(words[0:600]), " ".join(words[950:1010]), "new1 new2 w1400"]
    return make_ds(train, val)


# -- arithmetic -----------------------------------------------------------------------------------------------------
def test_the_seeds_sum():
    n = vocab.embedding_bytes(vocab.SEED_WORDS, vocab.SEED_DIM, vocab.FLOAT32_BYTES)
    assert n == 100_000 * 128 * 4
    assert formatting.size(n) == "51.2 MB"
    assert "= 51.2 MB" in vocab.seed_arithmetic()


def test_sizes_are_decimal_and_int8_pays_for_its_scales():
    assert formatting.size(999) == "999 bytes"
    assert formatting.size(131_584) == "131.6 kB"
    assert formatting.size(2_500_000) == "2.5 MB"
    int8 = next(f for f in vocab.FORMATS if f.name == "int8")
    assert vocab.storage_bytes(10, 128, int8) == 10 * 128 + 10 * 4
    float16 = next(f for f in vocab.FORMATS if f.name == "float16")
    assert vocab.storage_bytes(10, 128, float16) == 10 * 128 * 2
    assert vocab.fits_budget(vocab.TEACHING_BUDGET_MB * 1_000_000)
    assert not vocab.fits_budget(vocab.TEACHING_BUDGET_MB * 1_000_000 + 1)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "10"])
def test_sizes_refuse_what_is_not_a_count(bad):
    with pytest.raises(EmojiLabError):
        vocab.embedding_bytes(bad, 128, 4)


# -- vocabulary, coverage, OOV --------------------------------------------------------------------------------------
def test_counting_in_one_pass_equals_word_tokens_text_by_text():
    texts = ["Hi @Bob, #TBT!!", "don't\nstop", "new\u2028line 😂 ok", ""]
    assert vocab.corpus_counts(texts) == Counter(t for text in texts for t in word_tokens(text))


def test_coverage_and_oov_on_known_answers():
    stats = vocab.vocab_stats(SMALL)
    assert stats.words == ["a", "b", "c", "d"]  # c and d tie: alphabetical, like WordEncoder
    assert (stats.n_words, stats.vocab_size, stats.train_tokens, stats.val_tokens) == (4, 6, 9, 5)
    assert [stats.train_coverage(c) for c in (1, 2, 3, None)] == pytest.approx([4 / 9, 7 / 9, 8 / 9, 1])
    assert [stats.val_oov(c) for c in (1, 2, 3, None)] == pytest.approx([4 / 5, 4 / 5, 3 / 5, 3 / 5])
    assert stats.unseen_share() == pytest.approx(2 / 4)  # e and f of {a, c, e, f}
    assert [(r.label, r.words, r.rows) for r in stats.caps((2, 10))] == [("2", 2, 4), ("all", 4, 6)]


def test_oov_matches_word_encoder_at_every_cap():
    ds = big_ds()
    stats = vocab.vocab_stats(ds)
    for cap in (1, 500, 950, 1000, 1099, 1500, None):
        expected = WordEncoder.fit(ds.train.texts, max_words=cap).oov_rate(ds.val.texts)
        assert stats.val_oov(cap) == pytest.approx(expected)


def test_oov_bounds_cover_every_way_to_break_ties():
    ds = make_ds(["a a b c"], ["b b c"])
    stats = vocab.vocab_stats(ds)
    assert stats.oov_bounds(2) == pytest.approx((1 / 3, 2 / 3))  # keep b, or keep c
    assert stats.oov_bounds(3) == (stats.val_oov(3),) * 2


def test_checks_read_the_stored_measurement_and_measure_ds_only_without_it(monkeypatch):
    stats = vocab.vocab_stats(SMALL)
    measured = []
    monkeypatch.setattr(lesson03, "vocab_stats", lambda ds: measured.append(ds) or stats)
    assert lesson03.stats_for({"ds": SMALL, "stats": stats}) is stats and measured == []
    assert lesson03.stats_for({"ds": SMALL}) is stats and measured == [SMALL]
    assert lesson03.stats_for({"ds": SMALL, "stats": "not a measurement"}) is stats and measured == [SMALL, SMALL]
    assert lesson03.stats_for({}) is None


# -- kinds of unknown tokens ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("token, kind", [
    ("@bob", "@mention"), ("#tbt", "#hashtag"), ("4am", "number"), ("…", "symbol"), ("soooo", "elongation"),
    ("helo", "typo"), ("hlelo", "typo"), ("hellos", "typo"), ("jello", "typo"), ("xyzzy", "other"),
    ("ab", "other"),  # too short to call a typo
])
def test_each_kind_rule(token, kind):
    assert vocab.oov_kind(token, {"hello": 1}) == kind


def test_tokens_inside_web_addresses_are_marked():
    marked = vocab.tokens_with_urls("see https://t.co/Ab1 and pic.twitter.com/xY now")
    assert [t for t, _ in marked] == word_tokens("see https://t.co/Ab1 and pic.twitter.com/xY now")
    assert {t for t, in_url in marked if in_url} >= {"ab1", "xy", "pic", "co"}
    assert {t for t, in_url in marked if not in_url} == {"see", "and", "now"}


def one_edit_variants(word: str) -> set[str]:
    """The plain definition the fast test must equal: every string one edit away (a letter deleted, inserted,
    changed (a-z) or two neighbours swapped)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return (deletes | swaps | changes | inserts) - {word}


def test_fast_typo_test_equals_the_plain_definition():
    rng = random.Random(3)
    known = {"".join(rng.choice("abcde") for _ in range(rng.randint(2, 6))) for _ in range(300)}
    for _ in range(400):
        token = "".join(rng.choice("abcdef") for _ in range(rng.randint(3, 7)))
        plain = any(v in known for v in one_edit_variants(token))
        assert vocab.is_typo_of_known(token, dict.fromkeys(known)) == plain, token


def test_oov_kinds_count_every_unknown_token_with_examples_by_frequency():
    kinds = vocab.oov_kinds(["soooo good #new", "soooo helo x.com/q", "@amy"], {"good": 1, "hello": 1})
    by = {k.kind: k for k in kinds}
    assert sum(k.tokens for k in kinds) == 10  # soooo x2, #new, helo, @amy, and x . com / q from the address
    assert by["web address"].tokens == 5
    assert by["elongation"].tokens == 2 and by["elongation"].examples == ("soooo",)
    assert by["typo"].examples == ("helo",)
    assert by["@mention"].tokens == 1 and by["#hashtag"].tokens == 1
    assert sum(k.share for k in kinds) == pytest.approx(1)


# -- bytes ----------------------------------------------------------------------------------------------------------
def test_bytes_come_back_and_never_miss():
    texts = ["so tired 😩", "新年快乐", "", "x" * (MAX_LEN - 1) + "新"]  # the emoji is cleaned away, as in training
    trip = lesson03.byte_roundtrip(texts)
    assert (trip.texts, trip.whole, trip.cut, trip.mismatches, trip.unknown_ids) == (4, 3, 1, 0, 0)
    assert trip.vocab_size == 257


# -- the comparison -------------------------------------------------------------------------------------------------
def test_cost_table_rows():
    stats = vocab.vocab_stats(big_ds())
    rows = vocab.cost_table(stats, dim=8, caps=(1000, 5000, None))  # 5000 is past the vocabulary: same as all
    assert [r["vocabulary"] for r in rows] == ["words, top 1,000", "words, all 1,500", "UTF-8 bytes"]
    assert rows[0]["float32"] == 1002 * 8 * 4 and rows[0]["int8"] == 1002 * 8 + 1002 * 4
    assert rows[-1]["rows"] == 257 and rows[-1]["val_oov"] == 0
    assert rows[1]["val_oov"] == pytest.approx(stats.val_oov(None))


def test_the_sentence_states_what_was_measured():
    stats = vocab.vocab_stats(big_ds())
    capped = vocab.cost_sentence(stats, cap=1000)
    assert "a 1,000-word vocabulary misses " + formatting.pct(stats.val_oov(1000)) in capped
    assert formatting.size(1002 * 128 * 4) in capped and "131.6 kB" in capped
    small = vocab.cost_sentence(vocab.vocab_stats(SMALL))  # 4 words: the 10,000 cap is not reached
    assert "every one of the 4 training words" in small and "60.0%" in small
    nothing_new = vocab.cost_sentence(vocab.vocab_stats(make_ds(["a b"], ["b a"])))
    assert "misses no validation token" in nothing_new


# -- the lesson's checks --------------------------------------------------------------------------------------------
def test_check_mb_accepts_megabytes_and_names_mebibytes_and_the_usual_mistakes():
    ns = {"ds": big_ds()}
    rows = lesson03.stats_for(ns).vocab_size
    assert "no `mb`" in lesson03.check_mb(ns)
    assert lesson03.check_mb({**ns, "mb": rows * 128 * 4 / 1e6}) is None
    in_mib = lesson03.check_mb({**ns, "mb": rows * 128 * 4 / 2**20})
    assert "that is MiB (2^20 bytes); this step counts MB = 10^6 bytes" in in_mib
    assert lesson03.check_mb({**ns, "mb": (rows - 2) * 128 * 4 / 1e6}) is None  # words without the 2 special ids
    assert "4 bytes" in lesson03.check_mb({**ns, "mb": rows * 128 / 1e6})
    assert "divide by 1,000,000" in lesson03.check_mb({**ns, "mb": rows * 128 * 4})
    assert "seed" in lesson03.check_mb({**ns, "mb": 51.2})
    assert "number" in lesson03.check_mb({**ns, "mb": "0.77"})
    assert "03.3" in lesson03.check_mb({"mb": 1.0}) and "stats = vocab_stats(ds)" in lesson03.check_mb({"mb": 1.0})
    assert lesson03.check_mb({"stats": lesson03.stats_for(ns), "mb": rows * 128 * 4 / 1e6}) is None  # `stats` alone is enough


def test_check_oov_accepts_any_tie_breaking_and_the_hand_solution():
    ds = big_ds()
    ns = {"ds": ds}
    lo, hi = lesson03.stats_for(ns).oov_bounds(1000)
    assert lo < hi  # the tie across the cap really matters here
    counts = Counter(t for text in ds.train.texts for t in word_tokens(text))
    top = {w for w, _ in counts.most_common(1000)}
    val_tokens = [t for text in ds.val.texts for t in word_tokens(text)]
    by_hand = sum(t not in top for t in val_tokens) / len(val_tokens)
    for value in (lo, hi, by_hand):
        assert lesson03.check_oov_1k({**ns, "oov_1k": value}) is None
    assert "percentage" in lesson03.check_oov_1k({**ns, "oov_1k": 100 * hi})
    assert "knows" in lesson03.check_oov_1k({**ns, "oov_1k": 1 - lo})
    assert "not what the validation split gives" in lesson03.check_oov_1k({**ns, "oov_1k": hi + 0.05})
    assert "no `oov_1k`" in lesson03.check_oov_1k(ns)
    assert "03.3" in lesson03.check_oov_1k({"oov_1k": lo})


def test_percent_never_shows_a_small_share_as_zero():
    assert [formatting.pct(x) for x in (0, 0.5, 0.0004, 0.00001)] == ["0.0%", "50.0%", "0.04%", "<0.01%"]
