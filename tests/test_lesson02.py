"""What lesson 02 prints and checks: its sentences, its rich views, and the checks of its two exercises."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.console import Console
from test_baselines import LABELS, corpus  # the made-up data of the baseline tests

from emoji_lab.lessons import lesson02
from emoji_lab.models.baselines import KeywordModel, majority_scores
from emoji_lab.teaching.keyword_failures import failure_examples
from emoji_lab.training.metrics import evaluate


@pytest.fixture(scope="module")
def model():
    texts, y = corpus()
    return KeywordModel.fit(texts, y, 3, min_count=3, per_class=3, labels=LABELS)


def test_names_story():
    names = KeywordModel.from_emoji_names(LABELS)
    story = lesson02.names_story(names, ["party", "nothing", "joy", "x"])
    assert "2 of 4 (50.0%)" in story and "shares no word" in story


def test_majority_story():
    scores = majority_scores(np.array([1, 1, 1, 0, 2]), 4, 3)
    result = evaluate(np.array([1, 1, 0, 2]), scores, LABELS)
    story = lesson02.majority_story(result, LABELS)
    assert "Always answering ❤️ is right on 50.0%" in story and "other 2 emoji" in story


def test_coverage_and_rule_stories(model):
    story = " ".join(lesson02.coverage_story(model, ["lol", "nothing here", "love party", "quiet"]).split())  # unwrapped
    assert "2 of 4 (50.0%)" in story and "The other 2 get the fallback, 😂" in story
    assert "No new rule" in lesson02.rule_story({"rules": []}, {}, {}, LABELS)
    before = {"top1": 0.5, "top5": 0.9, "macro_f1": 0.25}
    after = {"top1": 0.6, "top5": 0.9, "macro_f1": 0.3}
    effect = {"rules": [("new year", 2, 2.0)], "fired": 3, "changed": 2, "fixed": 2, "broken": 0}
    story = lesson02.rule_story(effect, before, after, LABELS)
    assert "'new year' -> 🎉 (weight 2.00)" in story and "2 fixed, 0 broken." in story and "+10.00 points" in story
    assert "Your rule 'new year'" in story and "fires on 3" in story
    effect = {"rules": [("new year", 2, 2.0), ("so tired", 1, 1.0)], "fired": 5, "changed": 4, "fixed": 1, "broken": 1}
    story = " ".join(lesson02.rule_story(effect, before, after, LABELS).split())
    assert "Your rules" in story and "change 4 predictions: 1 fixed, 1 broken, 2 from one wrong emoji to another." in story


def test_views_render(model):
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None)
    console.print(lesson02.keywords_table(model, classes=[0, 2]))
    console.print(lesson02.failures_view(failure_examples(model, ["nothing"], np.array([1]), LABELS)))
    console.print(lesson02.ideas_table([{"phrase": "new year", "emoji": "🎉", "texts": 9, "share": 0.5, "gain": 3}]))
    text = out.getvalue()
    assert "lol" in text and "no keyword" in text and "new year" in text and "+3" in text


# -- the checks of lesson 02 --------------------------------------------------------------------------------------
class FakeSplit:
    def __init__(self, texts, y):
        self.texts, self.y = texts, np.asarray(y)


class FakeData:
    def __init__(self):
        texts, y = corpus()
        self.labels = LABELS
        self.train = FakeSplit(texts, y)
        self.val = FakeSplit(["lol", "love it", "party", "happy new year", "a new year"], [0, 1, 2, 2, 2])


@pytest.mark.parametrize("value, expected", [
    (None, "There is no `my_top1` yet"),
    (0.6, None),
    (np.float64(0.6), None),
    (60.0, "that is a percentage"),
    (3, "that is how many are right"),
    (np.array([True, True, True, False, False]), "is an array of 5 values"),
    ("0.6", "should be a number"),
    (1.5, "a share is between 0 and 1"),
    (0.3, "not the share of texts"),
])
def test_check_my_top1(model, value, expected):
    ds = FakeData()
    ns = {"ds": ds, "val_scores": model.scores(ds.val.texts)}
    assert (ns["val_scores"].argmax(axis=1) == ds.val.y).mean() == 0.6
    if value is not None:
        ns["my_top1"] = value
    result = lesson02.check_my_top1(ns)
    assert result is None if expected is None else expected in result


def test_check_rule(model):
    ds = FakeData()
    ns = {"ds": ds, "model": model}
    assert "no `mine` yet" in lesson02.check_rule(ns)
    ns["mine"] = model.copy()
    assert "no rule yet" in lesson02.check_rule(ns)
    ns["mine"] = model.copy().add_rule("snow storm", 0)
    assert "in none of the validation texts" in lesson02.check_rule(ns)
    ns["mine"] = model.copy().add_rule("party", 2, 0.1)
    assert "no prediction changes" in lesson02.check_rule(ns)
    mine = ns["mine"] = model.copy().add_rule("new year", "🎉", 2.0)
    assert "should be the dict" in lesson02.check_rule(ns)
    ns["after"] = evaluate(ds.val.y, model.scores(ds.val.texts), LABELS)
    assert "without your rule" in lesson02.check_rule(ns)
    ns["after"] = evaluate(ds.val.y, mine.scores(ds.val.texts), LABELS)
    assert lesson02.check_rule(ns) is None
    mine.add_rule("lol", 1, 9.0)  # changed after measuring
    assert "does not match `mine` as it is now" in lesson02.check_rule(ns)
    broken = model.copy().add_rule("x", 0)
    assert "`model` itself now has a rule" in lesson02.check_rule({"ds": ds, "model": broken})
