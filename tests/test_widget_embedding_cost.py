"""Lesson 3's widget: the plain view's numbers, the ipywidgets sliders driven without a browser, the terminal table."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from rich.console import Console

from emoji_lab.common import formatting
from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data import vocab
from emoji_lab.data.source import named_lines
from emoji_lab.teaching.widgets import embedding_cost as ec


@pytest.fixture(scope="module")
def stats():
    words = [f"w{i:04d}" for i in range(1500)]
    train = [" ".join(words[: 100 * k]) for k in range(1, 16)]  # word i occurs 15 - i // 100 times
    val = [" ".join(words[:300]) + " brand new words"]
    ds = SimpleNamespace(source=named_lines("synthetic"), train=SimpleNamespace(texts=train),
                         val=SimpleNamespace(texts=val))
    return vocab.vocab_stats(ds)


def render(renderable) -> str:
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def test_view_sizes_and_coverage(stats):
    view = ec.embedding_cost_view(stats, 1000, 64, 4)
    assert view["rows"] == 1002 and view["bytes"] == 1002 * 64 * 4
    assert view["mb"] == pytest.approx(1002 * 64 * 4 / 1e6) and view["size"] == formatting.size(1002 * 64 * 4)
    assert view["train_coverage"] == stats.train_coverage(1000)
    assert view["val_oov"] == pytest.approx(3 / 303)  # "brand new words" are unseen; w0000-w0299 are kept
    assert view["byte_bytes"] == 257 * 64 * 4
    int8 = ec.embedding_cost_view(stats, 1000, 64, 1)
    assert int8["bytes"] == 1002 * 64 + 1002 * 4 and "scale" in int8["formula"]


def test_view_says_when_the_vocabulary_is_bigger_than_the_data(stats):
    big = ec.view_lines(ec.embedding_cost_view(stats, 100_000, 128, 4))
    assert any("only 1,500 distinct words" in line for line in big)
    assert "over the 10 MB" in big[0]
    small = ec.view_lines(ec.embedding_cost_view(stats, 100, 128, 4))
    assert not any("distinct words" in line for line in small) and "within" in small[0]


def test_view_refuses_an_unknown_bytes_per_weight(stats):
    with pytest.raises(EmojiLabError):
        ec.embedding_cost_view(stats, 1000, 128, 3)


def test_sliders_update_the_output(stats):
    box = ec.build_embedding_cost(stats)
    vocab, dim, bytes_per_weight, out = box.children
    assert formatting.size(10_002 * 128 * 4) in out.value
    vocab.value = 1000
    assert formatting.size(1002 * 128 * 4) in out.value
    assert formatting.pct(stats.train_coverage(1000)) in out.value
    bytes_per_weight.value = 2
    assert formatting.size(1002 * 128 * 2) in out.value and "float16" in out.value
    dim.value = 32
    assert formatting.size(1002 * 32 * 2) in out.value
    vocab.value = stats.n_words
    assert formatting.pct(stats.val_oov(None)) in out.value


def test_vocabulary_stops_include_the_data_s_own_size(stats):
    options = ec.vocab_options(stats)
    assert ("all 1,500", 1500) in options
    assert [v for _, v in options] == sorted(v for _, v in options)


def test_a_data_set_is_measured_when_given_instead_of_stats():
    ds = SimpleNamespace(source=named_lines("mine.txt"), train=SimpleNamespace(texts=["a b"]),
                         val=SimpleNamespace(texts=["a c"]))
    assert "On mine.txt:" in ec.build_embedding_cost(ds).children[-1].value
    assert "mine.txt" in render(ec.embedding_cost_terminal(ds))


def test_the_explorer_refuses_what_is_neither_stats_nor_data():
    with pytest.raises(EmojiLabError, match="vocab_stats"):
        ec.embedding_cost_terminal("tweeteval")


def test_terminal_table_draws_in_80_columns(stats):
    rows = ec.embedding_cost_rows(stats)
    assert [r["words"] for r in rows][:3] == ["1,000", "all 1,500", "all 1,500"]
    assert rows[-1]["words"] == "100,000" and rows[-1]["budget"] == "over"
    text = render(ec.embedding_cost_terminal(stats))
    assert "synthetic" in text and formatting.size(257 * 128 * 4) in text
    assert max(len(line) for line in text.splitlines()) <= 80
