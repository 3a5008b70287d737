"""The label leak, measured: the residue rule learned on train only, and the same model trained both ways."""

from __future__ import annotations

import pytest
from test_sources import write_tweeteval

from emoji_lab.data.sources import load
from emoji_lab.training import leak


@pytest.fixture
def leaky(tmp_path):
    """Synthetic TweetEval layout: most ❤ texts keep a lone U+FE0F, a few 😂 texts too."""
    hearts = [f"love you so much {i}\ufe0f" for i in range(18)] + ["love you"] * 2
    jokes = [f"so funny haha {i}" for i in range(19)] + ["lol\ufe0f"]
    return write_tweeteval(tmp_path / "te", hearts + jokes, ["0"] * 20 + ["1"] * 20,
                           val_texts=("love you\ufe0f", "haha\ufe0f", "ok"), val_labels=("0", "1", "1"))


def test_rule_is_learned_on_train_and_measured_on_every_split(leaky):
    ds = load(f"tweeteval:{leaky}")
    assert not any(leak.has_residue(t) for t in ds.train.texts)  # the default cleaned it away
    rule = leak.residue_rule(leak.published_data(ds))
    assert rule.label == "❤️" and rule.index == 0  # labels in display form
    train, val = rule.splits["train"], rule.splits["val"]
    assert (train.texts, train.with_residue, train.correct) == (40, 19, 18)
    assert (val.texts, val.with_residue, val.correct) == (3, 2, 1)
    story = leak.residue_story(rule, ds.source)
    assert "94.7% of them" in story and "On val, only 66.7% of texts carry the residue (2)" in story
    assert max(len(line) for line in story.splitlines()) <= 80


def test_selectors_inside_kept_emoji_are_not_residue():
    assert not leak.has_residue("love it ❤️ so much")
    assert leak.has_residue("love it \ufe0f so much")


def test_data_without_residue_says_so_and_trains_nothing():
    ds = load("sample")
    assert leak.residue_rule(leak.published_data(ds)) is None
    assert "nothing leaks" in leak.residue_story(None, "sample")

    class NoRun:  # leak_scores must not touch the run when there is nothing to compare
        record = None

    assert leak.leak_scores(NoRun(), ds) is None
    assert "nothing to compare" in leak.leak_story(None, "sample")


def test_the_same_model_trained_on_published_text(leaky, tmp_path, monkeypatch):
    from emoji_lab.training.plan import Plan
    from emoji_lab.training.train import train

    monkeypatch.setenv("EMOJI_LAB_HOME", str(tmp_path / "home"))
    data = f"tweeteval:{leaky}"
    ds = load(data)
    run = train(Plan.of("naive-noembd", epochs=1), ds, progress=False)
    scores = leak.leak_scores(run, ds)
    assert scores["model"] == "naive-noembd" and (scores["label"], scores["index"]) == ("❤️", 0)
    twin = leak.published_run(run, leak.published_data(ds))  # saved: reloaded, not trained again
    assert twin.record["config"]["epochs"] == 1 and twin.name == "naive-noembd-published"
    assert scores["published"]["published_val"] == twin.evaluate(leak.published_data(ds), "val")
    assert scores["cleaned"]["cleaned_val"] == run.evaluate(ds, "val")
    from rich.console import Console

    console = Console(width=80, record=True)
    console.print(leak.leak_view(scores, ds.source))
    shown = console.export_text()
    assert "as published" in shown and "cleaned (default)" in shown and "macro-F1" in shown
    predicted = scores["published"]["cleaned_val"]["per_class"][0]["predicted"]
    assert f"the twin predicts ❤️ {predicted:,} times" in " ".join(shown.split())
