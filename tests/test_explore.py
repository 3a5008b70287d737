"""Lesson 1's plain functions on small synthetic data: the traps' counts, chart, card, checks and widget."""

from __future__ import annotations

import io
import re
from collections import Counter

import numpy as np
import pytest
from rich.cells import cell_len
from rich.console import Console

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data.dataset import Dataset, Split, from_presplit, from_raw_lines
from emoji_lab.data.emojis import find_emoji, normalize_emoji
from emoji_lab.data.source import named_lines, parse_source
from emoji_lab.data.sources import load
from emoji_lab.lessons import lesson01
from emoji_lab.teaching import explore, traps
from emoji_lab.teaching.widgets import popularity

# Counts below are derived by hand from these lines (see each comment).
LINES = (["so funny 😂"] * 6          # one emoji
         + ["lol 😂😂😂"] * 2          # the same emoji repeated
         + ["love you ❤️"] * 3         # ❤ with U+FE0F
         + ["love u ❤"] * 2            # ❤ without it
         + ["hearts ❤️❤"]              # repeated: the two forms are one emoji
         + ["thanks 👍🏽"] * 2          # skin tone
         + ["ok 👍"] * 2
         + ["yes 👍🏿👍"]               # repeated, one toned
         + ["miss you ❤️ lol 😂"]      # two classes, text left: labelled by the first
         + ["😂❤️"]                    # two classes, no text: dropped
         + ["rare 🦑"]                 # only an emoji outside the top 3: dropped
         + ["squid 🦑 lol 😂"]         # different emoji, one class
         + ["no emoji here"])          # dropped


@pytest.fixture(scope="module")
def ds():
    return from_raw_lines(LINES, named_lines("test-lines", top_k=3))


def render(thing, width=80, **kwargs) -> str:
    console = Console(file=io.StringIO(), width=width, emoji=False, highlight=False, **kwargs)
    console.print(thing)
    return console.file.getvalue()


# -- traps on raw lines ---------------------------------------------------------------------------------------------
def test_variation_selectors_are_counted_per_form(ds):
    t = traps.traps(ds, LINES)
    assert t.raw and not t.cannot_show
    assert [(f.emoji, f.with_selector, f.without) for f in t.selectors] == [("❤️", 6, 3)]
    assert "❤️ typed with it 6 times and without it 3 times" in " ".join(
        traps.trap_findings(t, "variation selectors"))


def test_skin_tones_merged_into_their_plain_emoji(ds):
    t = traps.traps(ds, LINES)
    assert [(x.emoji, x.toned, x.plain, x.is_class) for x in t.skin_tones] == [("👍", 3, 3, True)]
    assert "3 emoji occurrences carry a skin-tone modifier" in traps.trap_findings(t, "skin tones")[0]


def test_lines_with_several_emoji_split_into_repeated_and_different(ds):
    s = traps.traps(ds, LINES).several
    assert (s.with_emoji, s.one, s.repeated, s.different) == (len(LINES) - 1, 16, 4, 3)
    # "miss you ❤️ lol 😂" only: "😂❤️" has no text left and is dropped, like the pipeline does.
    assert s.several_classes == 1 == ds.notes["several top emoji, labelled by the first"]


def test_dropped_lines_are_reported_with_their_reasons(ds):
    t = traps.traps(ds, LINES)
    rows = traps.trap_rows(t, "dropped")
    assert {"what": "dropped: no emoji", "lines": 1} in rows
    assert {"what": "dropped: no text besides emoji", "lines": 1} in rows
    assert "3 lines were dropped" in traps.trap_findings(t, "dropped")[0]


def test_traps_read_the_raw_lines_of_an_own_file(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    t = traps.traps(load(str(path), top_k=3))
    assert t.several.several_classes == 1 and t.selectors[0].with_selector == 6


def test_unreadable_raw_lines_say_why_instead_of_failing(ds):
    t = traps.traps(ds)  # "test-lines" is not a file
    assert set(t.cannot_show) == {"variation selectors", "skin tones", "several emoji"}
    assert "could not be read" in traps.trap_findings(t, "skin tones")[0]
    with pytest.raises(EmojiLabError, match="unknown trap"):
        traps.trap_findings(t, "colours")


@pytest.fixture
def published(tmp_path):
    """A folder in TweetEval's layout with synthetic texts: lone selectors left where ❤️ was removed."""
    (tmp_path / "mapping.txt").write_text("0\t❤️\t_red_heart_\n1\t😂\t_joy_\n2\t🔥\t_fire_\n", encoding="utf-8")
    train = [("love this \ufe0f ", 0)] * 3 + [("love that ", 0)] + [("so funny ", 1)] * 3 + [("hot take ", 2)] * 2
    val = [("love \ufe0f", 0), ("love it", 0), ("haha", 1), ("haha", 1), ("fire", 2)]
    for name, rows in (("train", train), ("val", val)):
        (tmp_path / f"{name}_text.txt").write_text("".join(t + "\n" for t, _ in rows), encoding="utf-8")
        (tmp_path / f"{name}_labels.txt").write_text("".join(f"{y}\n" for _, y in rows), encoding="utf-8")
    return load(f"tweeteval:{tmp_path}")


def test_prelabelled_data_measures_the_leftover_selectors(published):
    t = traps.traps(published)
    assert not t.raw
    assert [(l.split, l.emoji, l.with_selector, l.texts) for l in t.leftovers] == [("train", "❤️", 3, 4),
                                                                                    ("val", "❤️", 1, 2)]
    assert t.trailing_space == {"train": (9, 9), "val": (0, 5)}
    train_line = traps.trap_findings(t, "variation selectors")[0]
    assert "75.0% of the texts labelled ❤️ (3 of 4)" in train_line and "0.0% of the other texts (0 of 5)" in train_line


def test_prelabelled_data_says_which_traps_it_cannot_show(published):
    t = traps.traps(published)
    assert set(t.cannot_show) == {"skin tones", "several emoji"}
    tones = traps.trap_findings(t, "skin tones")
    assert tones[0].startswith("Cannot be shown") and "0 skin-tone modifiers" in tones[1]
    assert traps.trap_findings(t, "several emoji")[0].startswith("Cannot be shown")
    assert traps.trap_rows(t, "several emoji") == []
    assert "VARIATION SELECTORS" in render(t)


# -- chart, card, examples ------------------------------------------------------------------------------------------
def test_bar_chart_fits_80_columns_and_reads_without_colour(ds):
    chart = explore.bar_chart(ds)
    assert [b.rank for b in chart.bars] == [1, 2, 3, 4] and [b.is_class for b in chart.bars] == [True] * 3 + [False]
    for width in (200, 80, 60):
        out = render(chart, width=width, no_color=True)
        assert max(cell_len(line) for line in out.splitlines()) <= min(width, 80)
    out = render(chart, no_color=True)
    bars = [line.count("█") for line in out.splitlines() if re.match(r"\s+\d+ ", line)]
    assert bars == sorted(bars, reverse=True) and bars[0] > bars[1] > 0
    assert "░" in out and "\x1b[" not in out


def test_bar_chart_on_long_shorthands_still_fits(ds):
    stats = ds.popularity
    long = [explore.Bar(i + 1, s.info.emoji, ":" + "x" * 40 + ":", s.info.name, 10 ** 6, 0.5, True)
            for i, s in enumerate(stats)]
    out = render(explore.BarChart("t", long, 3, "of x"), width=120)
    assert max(cell_len(line) for line in out.splitlines()) <= 80


def test_card_of_the_most_popular_emoji(ds):
    card = explore.emoji_card(ds, 1, n=3, seed=0)
    assert (card.emoji, card.name, card.shorthand) == ("😂", "FACE WITH TEARS OF JOY", ":joy:")
    assert card.codepoints == "U+1F602"
    assert card.rank == 1 and card.count == 11 and card.class_id == 0
    train_texts = {t for t, y in zip(ds.train.texts, ds.train.y) if y == 0}
    assert card.examples and set(card.examples) <= train_texts
    out = render(card)
    assert ":joy:" in out and "#1 of 4 emoji" in out


def test_card_by_emoji_in_any_form_and_outside_the_classes(ds):
    assert explore.emoji_card(ds, "❤").rank == explore.emoji_card(ds, "❤️").rank == 2
    squid = explore.emoji_card(ds, "🦑")
    assert squid.class_id is None and squid.examples == [] and "not among the classes" in render(squid)
    with pytest.raises(EmojiLabError, match="from 1 to 4"):
        explore.emoji_card(ds, 0)
    with pytest.raises(EmojiLabError, match="does not occur"):
        explore.emoji_card(ds, "🦄")


def test_random_examples_are_seeded_and_labelled(ds):
    a = explore.random_examples(ds, n=4, seed=1)
    assert a == explore.random_examples(ds, n=4, seed=1) and len(a) == 4
    pairs = set(zip(ds.train.texts, (ds.labels[y] for y in ds.train.y)))
    assert all((row["text"], row["emoji"]) in pairs for row in a)
    assert any(explore.random_examples(ds, n=4, seed=s) != a for s in range(2, 6))
    assert "random train examples" in render(a)
    with pytest.raises(EmojiLabError, match="no split 'dev'"):
        explore.random_examples(ds, split="dev")


def test_anatomy_shows_code_points_and_the_class():
    rows = explore.anatomy(["❤️", "👍🏽", "👨‍👩‍👧"])
    assert [r["len()"] for r in rows] == [2, 2, 5] and [r["emoji found"] for r in rows] == [1, 1, 1]
    assert rows[1]["class"] == "👍" and rows[0]["code points"] == "U+2764 U+FE0F"


def test_the_card_compares_with_the_talks_card(ds, published):
    assert explore.emoji_card(ds, 1).talk == "#1 in its tweets too"
    assert explore.emoji_card(ds, 2).talk == ""
    assert explore.emoji_card(published, 1).talk.endswith("FACE WITH TEARS OF JOY, #2 here")
    assert explore.emoji_card(published, "😂").talk == "#1 in its tweets, #2 here"
    assert "absent here" in explore.emoji_card(from_raw_lines(["a 🔥", "b ❤️"] * 5, "x"), 1).talk


def test_about_data_is_honest_about_the_source(ds, published):
    sample_like = Dataset(parse_source("sample"), ds.labels, ds.splits, ds.popularity, ds.lines, ds.dropped, ds.notes)
    assert "generated by this project" in explore.about_data(sample_like).words
    assert "real English tweets" in explore.about_data(published).words
    about = explore.about_data(ds)
    assert about.kind == "lines" and about.examples == ds.examples and "lines read" in render(about)


# -- checks ---------------------------------------------------------------------------------------------------------
def test_count_emoji_right_answers_pass():
    import emoji

    assert lesson01.check_count_emoji({"count_emoji": lambda line: len(find_emoji(line))}) is None
    assert lesson01.check_count_emoji({"count_emoji": emoji.emoji_count}) is None


@pytest.mark.parametrize("fn, expected", [
    (lambda line: sum(not c.isascii() for c in line), "U+FE0F"),  # code points
    (lambda line: len(set(find_emoji(line))), "three emoji"),  # each different one
    (lambda line: len({normalize_emoji(e) for e in find_emoji(line)}), "three emoji"),
    (lambda line: sum(c in __import__("emoji").EMOJI_DATA for c in line), "skin-tone modifier U+1F3FD"),
    (lambda line: find_emoji(line), "wrap it in `len(...)`"),
    (lambda line: None, "forget `return`"),
    (lambda line: len(find_emoji(line)) * 1.0, "whole number"),
    (lambda: 0, "raised TypeError"),
])
def test_count_emoji_mistakes_get_specific_messages(fn, expected):
    assert expected in lesson01.check_count_emoji({"count_emoji": fn})


def test_count_emoji_code_point_counter_is_told_so():
    message = lesson01.check_count_emoji({"count_emoji": lambda line: sum(not c.isascii() for c in line)})
    assert "count code points" in message and "more of the" in message


def test_count_emoji_missing_or_not_a_function():
    assert "no `count_emoji`" in lesson01.check_count_emoji({})
    assert "not a function" in lesson01.check_count_emoji({"count_emoji": 3})


def make_ds(train_y, val_y) -> Dataset:
    splits = {"train": Split([f"t{i}" for i in range(len(train_y))], np.array(train_y, dtype=np.int32)),
              "val": Split([f"v{i}" for i in range(len(val_y))], np.array(val_y, dtype=np.int32))}
    return from_presplit("test", ["😂", "❤️", "🔥"], splits, {})


# train: label 1 is the most frequent (50 of 100); val: 6 of 10; all splits: 56 of 110.
SHARE_DS = make_ds([0] * 30 + [1] * 50 + [2] * 20, [0] * 3 + [1] * 6 + [2] * 1)


@pytest.mark.parametrize("value, expected", [
    (50, "how many training examples"),
    (50.0, "how many training examples"),
    (1, "class id"),
    (0.6, "validation split"),
    (56 / 110, "every split"),
    (1 / 3, "uniform guess"),
    (0.497, "close but not exact"),
    (7, "between 0 and 1"),
    (0.1, "count each label"),
    ("0.5", "str"),
    (True, "bool"),
])
def test_top_share_mistakes_get_specific_messages(value, expected):
    assert expected in lesson01.check_top_share({"ds": SHARE_DS, "top_share": value})


def test_top_share_right_answers_pass_in_any_numeric_form():
    for value in (0.5, np.float32(0.5), np.float64(50 / 100), 0.5004):
        assert lesson01.check_top_share({"ds": SHARE_DS, "top_share": value}) is None


def test_top_share_percentage_and_popularity_share(ds):
    right = lesson01.train_majority_share(ds)
    assert lesson01.check_top_share({"ds": ds, "top_share": right}) is None
    assert "percentage" in lesson01.check_top_share({"ds": ds, "top_share": right * 100})
    popular = ds.popularity[0].share
    assert abs(popular - right) > 0.01  # lines containing 😂 vs training labels: not the same number here
    assert "popularity[0].share" in lesson01.check_top_share({"ds": ds, "top_share": popular})


def test_top_share_needs_ds_and_a_value():
    assert "load(DATA)" in lesson01.check_top_share({"top_share": 0.5})
    assert "no `top_share`" in lesson01.check_top_share({"ds": SHARE_DS})
    assert lesson01.train_majority_share(SHARE_DS) == Counter(SHARE_DS.train.y.tolist())[1] / 100


# -- the widget -----------------------------------------------------------------------------------------------------
def test_popularity_view_follows_its_inputs(ds):
    view = popularity.popularity_view(ds, top=2, pick=3)
    assert [b.emoji for b in view.chart.bars] == ["😂", "❤️"] and view.card.emoji == "👍"
    with pytest.raises(EmojiLabError, match="from 1 to 4"):
        popularity.popularity_view(ds, top=9)


def test_widget_redraws_when_its_controls_change(ds):
    box = popularity.build_popularity(ds)
    controls, chart, card = box.children
    slider, dropdown = controls.children
    assert chart.value.count("<tr>") == slider.value == 3 and "FACE WITH TEARS OF JOY" in card.value
    slider.value = 2
    assert chart.value.count("<tr>") == 2
    dropdown.value = 4
    assert "SQUID" in card.value and "not a class" in card.value


def test_terminal_view_draws_the_data_it_is_given(ds):
    out = render(popularity.popularity_terminal(ds), no_color=True)
    assert "FACE WITH TEARS OF JOY" in out and "popularity_view(ds, top=5, pick=3)" in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
