"""The keyword playground: its data, its terminal drawing, and its ipywidgets driven without a browser."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import numpy as np
import pytest
from rich.console import Console

from emoji_lab.models.baselines import KeywordModel
from emoji_lab.teaching.widgets import keyword_playground as kp

LABELS = ["😂", "❤️", "🎉"]


@pytest.fixture
def model():
    texts = ["lol funny"] * 5 + ["love you"] * 4 + ["party time"] * 3
    y = np.array([0] * 5 + [1] * 4 + [2] * 3)
    fitted = KeywordModel.fit(texts, y, 3, min_count=2, per_class=2, labels=LABELS)
    return fitted.add_rule("new year", "🎉", 5.0)


@pytest.fixture
def ds():
    """What the playground reads of a data set: its labels and its validation texts."""
    return SimpleNamespace(labels=LABELS, val=SimpleNamespace(texts=["lol that", "a quiet day", "happy new year to all"]))


def draw(renderable) -> str:
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(renderable)
    return out.getvalue()


def test_view_has_matches_spans_and_top_five(model):
    view = kp.playground_view(model, "Happy NEW Year, LOL", LABELS)
    assert [m["keyword"] for m in view["matches"]] == ["new year", "lol"]
    assert [view["text"][s:e] for s, e, _ in view["spans"]] == ["NEW Year", "LOL"]
    assert [t["emoji"] for t in view["top"]] == ["🎉", "😂", "❤️"]  # only three classes: top-5 has three
    assert view["top"][0]["score"] > view["top"][1]["score"] and not view["fallback"]
    empty = kp.playground_view(model, "nothing at all", LABELS)
    assert empty["fallback"] and empty["spans"] == [] and empty["top"][0]["emoji"] == "😂"


def test_spans_prefer_the_phrase_and_survive_odd_case():
    spans = kp.keyword_spans("a new year, new", ["new", "new year"])
    assert spans[0] == (2, 10, "new year")
    assert kp.keyword_spans("İstanbul love", ["love"]) == [(9, 13, "love")]  # İ lowers to two characters


def test_terminal_lines_bracket_keywords(model):
    text = draw(kp.playground(model, "lol happy new year", LABELS))
    assert "[lol] happy [new year]" in text and "new year -> 🎉 +5.00 (rule)" in text
    assert re.search(r"top-5:\s+🎉", text)
    assert re.search(r"keywords:\s+none", draw(kp.playground(model, "silence", LABELS)))


def test_terminal_step_shows_the_model_on_demo_texts(model, ds):
    texts = kp.demo_texts(model, ds.val.texts)
    assert texts[0] == kp.EXAMPLE and "happy new year to all" in texts and "a quiet day" in texts
    shown = draw(kp.playground_terminal(model, ds))
    assert "[new year]" in shown and "[lol] that" in shown and "Try your own" in shown
    assert "🎉 5.00" in shown  # the model given, rule included, with the data set's labels


def test_widget_follows_what_is_typed(model, ds):
    widget = kp.build_keyword_playground(model, ds)
    box, output = widget.children
    assert box.value == kp.EXAMPLE and "<mark" in output.value and "🎉" in output.value
    box.value = "love <you> & lol"
    assert output.value == kp.view_html(kp.playground_view(model, "love <you> & lol", LABELS))
    assert "<mark title='❤️" in output.value and "&lt;" in output.value  # escaped text
    box.value = "silence"
    assert "<mark" not in output.value and "no keyword" in output.value

