"""Keyword baselines on small made-up data: what they learn, how they predict, explain and fail.

What lesson 02 prints and checks on top of them is tested in `test_lesson02.py`."""

from __future__ import annotations

import numpy as np
import pytest

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.models import baselines
from emoji_lab.models.baselines import KeywordModel
from emoji_lab.teaching import keyword_failures
from emoji_lab.training.metrics import evaluate

LABELS = ["😂", "❤️", "🎉"]


def corpus():
    """Three classes with one telling word each, plus filler words shared by all."""
    texts, y = [], []
    for i in range(30):
        texts += [f"lol that was funny {i % 3}", f"love you so much {i % 3}", f"party tonight yay {i % 3}"]
        y += [0, 1, 2]
    texts += ["lol so much fun", "love the party"]
    y += [0, 1]
    return texts, np.array(y)


@pytest.fixture(scope="module")
def model():
    texts, y = corpus()
    return KeywordModel.fit(texts, y, 3, min_count=3, per_class=3, labels=LABELS)


def test_log_odds_picks_each_class_s_telling_words(model):
    top = {c: [k for k, _ in model.top_keywords(c, 3)] for c in range(3)}
    assert top[0][0] == "lol" and set(top[0]) == {"lol", "that", "funny"}  # lol is in one more text of class 0
    assert top[1][:2] == ["love", "you"]  # `much` comes third: it is also in one text of class 0
    assert set(top[2][:2]) == {"tonight", "yay"} and top[2][2] == "party"  # `party` also once in class 1
    # digits are in every class alike: no keyword, and weights are all positive
    assert not {"0", "1", "2"} & set(model.keywords)
    assert all(w > 0 for ws in model.keywords.values() for w in ws.values())


def test_log_odds_formula_by_hand():
    counts = np.array([[3, 0], [1, 1]])  # word 0 in 3 of class 0's texts, 0 of class 1's; word 1 once each
    sizes = np.array([4, 2])
    weights = baselines.log_odds(counts, sizes, smoothing=1.0)
    expected = np.log((3 + 1) / (4 - 3 + 1)) - np.log((0 + 1) / (2 - 0 + 1))
    assert weights[0, 0] == pytest.approx(expected)
    assert weights[0, 1] == pytest.approx(-expected)  # two classes: one side's gain is the other's loss
    assert weights[1, 0] < 0 < weights[1, 1]  # once in 4 vs once in 2: points to class 1


def test_min_count_drops_rare_words():
    texts, y = corpus()
    strict = KeywordModel.fit(texts, y, 3, min_count=40, per_class=50, labels=LABELS)
    assert "love" not in strict.keywords and strict.vocabulary == frozenset()
    assert strict.coverage(texts) == 0.0


def test_prediction_sums_keywords_and_falls_back_to_the_most_frequent(model):
    scores = model.scores(["lol lol", "love", "completely unrelated words", ""])
    assert scores.shape == (4, 3)
    assert scores.argmax(axis=1).tolist()[:2] == [0, 1]
    # no keyword: the tiny prior decides, and class 0 has the most training texts
    assert scores[2].argmax() == 0 and scores[2].max() < 0.01
    assert np.array_equal(scores[2], scores[3])
    # a keyword counts once per text, however often it repeats
    assert np.allclose(model.scores(["lol"]), model.scores(["lol lol lol"]))


def test_fallback_follows_the_training_majority_not_class_zero():
    texts = ["alpha"] * 3 + ["beta"] * 5
    fitted = KeywordModel.fit(texts, [0] * 3 + [1] * 5, 2, min_count=1)
    assert fitted.scores(["nothing known"]).argmax() == 1
    assert baselines.most_frequent_classes([0, 0, 1, 1, 1, 2, 2], 3) == [1, 0, 2]  # ties: lower id first


def test_fit_refuses_labels_outside_the_classes():
    with pytest.raises(EmojiLabError, match="class ids must be 0..1"):
        KeywordModel.fit(["a", "b"], [0, 3], 2)
    with pytest.raises(EmojiLabError, match="as many labels as texts"):
        KeywordModel.fit(["a", "b"], [0], 2)


def test_on_the_practice_corpus_learned_keywords_beat_names_and_majority():
    """What lesson 02 shows on the default data: the learned keywords say more, and more often."""
    from emoji_lab.data.sources import load

    ds = load("sample")
    n = len(ds.labels)
    learned = KeywordModel.fit(ds.train.texts, ds.train.y, n, labels=ds.labels)
    names = KeywordModel.from_emoji_names(ds.labels)
    scores = {"learned": learned.scores(ds.val.texts), "names": names.scores(ds.val.texts),
              "majority": baselines.majority_scores(ds.train.y, len(ds.val), n)}
    results = {name: evaluate(ds.val.y, s, ds.labels) for name, s in scores.items()}
    assert results["learned"]["macro_f1"] > results["names"]["macro_f1"] > results["majority"]["macro_f1"]
    assert results["learned"]["top1"] > results["majority"]["top1"]
    assert learned.coverage(ds.val.texts) > names.coverage(ds.val.texts)
    majority_share = float((ds.val.y == baselines.most_frequent_classes(ds.train.y, 1)[0]).mean())
    assert results["majority"]["top1"] == pytest.approx(majority_share)


def test_coverage_and_explain(model):
    texts = ["lol", "nothing here", "love party", "quiet"]
    assert model.hits(texts).tolist() == [True, False, True, False]
    assert model.coverage(texts) == 0.5
    found = model.explain("Love the PARTY")
    assert {(m["keyword"], m["emoji"]) for m in found} >= {("love", "❤️"), ("party", "🎉")}
    assert [m["weight"] for m in found] == sorted((m["weight"] for m in found), reverse=True)
    assert model.explain("nothing here") == []


def test_add_rule_changes_predictions_with_phrases(model):
    mine = model.copy()
    text = "happy new year"
    assert mine.scores([text]).argmax() == 0  # no keyword: fallback
    mine.add_rule("New Year", "🎉", 2.0)
    assert mine.scores([text]).argmax() == 2
    assert mine.scores(["a new day, a year"]).argmax() == 0  # the words apart are not the phrase
    assert [m["keyword"] for m in mine.explain(text)] == ["new year"] and mine.explain(text)[0]["rule"]
    assert model.scores([text]).argmax() == 0 and model.rules == []  # the copy is independent
    mine.add_rule("new year", 1, 5.0)  # a class id works too; a second rule for the phrase
    assert mine.scores([text]).argmax() == 1
    mine.add_rule("new year", "❤", 0.5)  # an emoji without U+FE0F; replaces the weight for that class
    assert mine.scores([text]).argmax() == 2
    assert mine.rules == [("new year", 2, 2.0), ("new year", 1, 0.5)]


def test_add_rule_default_weight_and_errors(model):
    mine = model.copy()
    mine.add_rule("cake", "🎉")
    strongest = max(w for k, ws in model.keywords.items() for w in ws.values())
    assert mine.keywords["cake"] == {2: strongest}
    with pytest.raises(EmojiLabError, match="is not one of the classes"):
        mine.add_rule("snow", "⛄")
    with pytest.raises(EmojiLabError, match="class ids are 0..2"):
        mine.add_rule("snow", 3)
    with pytest.raises(EmojiLabError, match="no word"):
        mine.add_rule("   ", 0)
    with pytest.raises(EmojiLabError, match="weight must be a number"):
        mine.add_rule("snow", 0, "big")


def test_model_equality_survives_deep_copy(model):
    # the console deep-copies `model` before each try and compares: arrays must not break ==
    twin = model.copy()
    assert twin == model and twin is not model
    twin.add_rule("x", 0, 1.0)
    assert twin != model


def test_emoji_name_keywords():
    assert baselines.name_words("🎉") == ["party", "popper", "tada"]
    assert baselines.name_words("😂") == ["tears", "joy"]  # face, with, of dropped
    assert "us" not in baselines.name_words("🇺🇸")  # too short: would fire on "love us"
    names = KeywordModel.from_emoji_names(LABELS)
    assert names.scores(["party time"]).argmax() == 2
    assert names.scores(["#party"]).argmax() == 2
    assert names.explain("happy new year") == []  # the seed's example shares no word with "party popper"


def test_majority_scores():
    y_train = np.array([1, 1, 1, 0, 2])
    scores = baselines.majority_scores(y_train, 4, 3)
    assert scores.shape == (4, 3) and (scores.argmax(axis=1) == 1).all()
    assert np.allclose(scores[0], [0.2, 0.6, 0.2])  # the class shares of the training split


def test_typo_rules():
    words, deleted = {"love", "banger"}, {d: k for k in ["love", "banger"] for d in keyword_failures._deletions(k)}
    assert keyword_failures.typo_of("lovvvve", words, deleted) == "love"  # elongation
    assert keyword_failures.typo_of("bannger", words, deleted) == "banger"  # a letter too many
    assert keyword_failures.typo_of("lpve", words, deleted) is None  # too short for one-letter edits
    assert keyword_failures.typo_of("bagner", words, deleted) == "banger"  # two letters swapped
    assert keyword_failures.typo_of("banter", words, deleted) == "banger"  # a letter changed
    assert keyword_failures.typo_of("banter", words, deleted, frozenset({"banter"})) is None  # a known word
    assert keyword_failures.typo_of("angers", words, deleted) is None  # two edits apart
    assert keyword_failures.one_edit_apart("apart", "parts") is False


def test_failure_examples_sorted_by_kind(model):
    texts = ["lovvve", "i do not love this", "silence", "lol love"]
    y = np.array([1, 0, 2, 2])
    report = keyword_failures.failure_examples(model, texts, y, LABELS, n=5)
    assert report["texts"] == 4 and report["wrong"] == 4
    kinds = {kind: [e["text"] for e in found["examples"]] for kind, found in report["kinds"].items()}
    assert kinds == {"typo or elongation": ["lovvve"], "negation": ["i do not love this"],
                     "no keyword": ["silence"], "other": ["lol love"]}
    assert report["kinds"]["negation"]["examples"][0]["clue"] == "'not' in the text"
    assert sum(found["count"] for found in report["kinds"].values()) == report["wrong"]
    assert keyword_failures.NEGATION.search("I can’t") and keyword_failures.NEGATION.search("dont")
    assert not keyword_failures.NEGATION.search("another note")


def test_suggest_rules_and_their_effect():
    texts = ["see you soon"] * 6 + ["see you later"] * 6 + ["soon"] * 6
    y = np.array([2] * 6 + [1] * 6 + [0] * 6)
    fitted = KeywordModel.fit(texts, y, 3, min_count=1, per_class=1, labels=LABELS)
    before = fitted.scores(texts).argmax(axis=1)
    ideas = keyword_failures.suggest_rules(fitted, texts, y, LABELS, min_count=5)
    assert ideas and all(" " in idea["phrase"] for idea in ideas)
    best = ideas[0]
    mine = fitted.copy().add_rule(best["phrase"], best["emoji"])
    after = mine.scores(texts).argmax(axis=1)
    gain = int((after == y).sum() - (before == y).sum())
    assert gain == best["gain"] > 0  # the gain promised is the gain measured
    effect = keyword_failures.rule_effect(fitted, mine, texts, y)
    assert effect["fixed"] - effect["broken"] == gain and effect["fired"] >= effect["changed"]


def test_everything_is_deterministic():
    texts, y = corpus()
    a = KeywordModel.fit(texts, y, 3, min_count=3, per_class=3, labels=LABELS)
    b = KeywordModel.fit(list(texts), y.copy(), 3, min_count=3, per_class=3, labels=LABELS)
    assert a == b and np.array_equal(a.scores(texts), b.scores(texts))



def test_fit_on_learns_from_the_training_split_with_the_data_sets_labels():
    from types import SimpleNamespace

    texts, y = corpus()
    ds = SimpleNamespace(train=SimpleNamespace(texts=texts, y=y), labels=LABELS)
    fitted = KeywordModel.fit_on(ds)
    assert fitted == KeywordModel.fit(texts, y, 3, labels=LABELS) and fitted.labels == LABELS
