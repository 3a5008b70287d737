"""Lessons 4-7's logic: measured sentences (both ways), the comparison, the checks, and reloading saved runs."""

from __future__ import annotations

import io
import json
import random
from types import SimpleNamespace

import pytest
from rich.console import Console

from emoji_lab.common import formatting
from emoji_lab.common.errors import EmojiLabError
from emoji_lab.lessons import lesson04, lesson05, lesson06, lesson07
from emoji_lab.models import layers
from emoji_lab.models.registry import TALK_MODEL
from emoji_lab.teaching import compare

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # inside Keras


def scores(macro_f1: float, top1: float, top5: float = 0.5) -> dict:
    return {"macro_f1": macro_f1, "top1": top1, "top5": top5}


def record(name: str, macro_f1: float, top1: float, *, model: str | None = None, seconds: float | None = 10.0,
           params: int = 1000, trained_on: int = 600, train: int = 2000, epochs: int = 3) -> dict:
    """What a run record holds, as far as the lessons read it."""
    return {"name": name, "model": model or name, "summary": "", "val": scores(macro_f1, top1),
            "params": params, "model_file_bytes": 4 * params, "seconds_per_epoch": seconds,
            "epochs": [{}] * epochs,
            "data": {"source": "sample", "fingerprint": "x",
                     "sizes": {"train": train, "val": 100, "trained_on": trained_on}}}


def row(name: str, macro_f1: float, top1: float, **kw) -> dict:
    return compare.run_row(record(name, macro_f1, top1, **kw))


def flat(text: str) -> str:
    """A sentence without the line breaks it was wrapped with."""
    return " ".join(text.split())


def said(sentence_function, *args, **kwargs) -> str:
    """What a sentence function says, unwrapped; every line of it fits 80 columns."""
    text = sentence_function(*args, **kwargs)
    assert max(len(line) for line in text.splitlines()) <= 78
    return flat(text)


def draw(renderable, width: int = 80) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(renderable)
    return out.getvalue()


# -- sentences: whatever was measured, said truthfully --------------------------------------------------------------
def test_versus_says_beats_below_ties_and_mixes():
    assert compare.versus("A", scores(0.3, 0.5), "B", scores(0.2, 0.4)) == \
        "A beats B on macro-F1 (30.0% vs 20.0%) and top-1 (50.0% vs 40.0%)."
    assert compare.versus("A", scores(0.1, 0.3), "B", scores(0.2, 0.4)).startswith("A is below B on macro-F1")
    mixed = compare.versus("A", scores(0.3, 0.3), "B", scores(0.2, 0.4))
    assert mixed == "A beats B on macro-F1 (30.0% vs 20.0%), but is below it on top-1 (30.0% vs 40.0%)."
    assert "ties with B on macro-F1 (30.0% vs 30.0%)" in compare.versus("A", scores(0.30001, 0.5), "B", scores(0.3, 0.4))


def test_versus_keywords_both_branches():
    won = said(lesson04.versus_keywords, "The LSTM", scores(0.5, 0.6), scores(0.4, 0.5), record("x", 0.5, 0.6))
    assert won.startswith("The LSTM beats the keyword baseline") and "learned from" not in won
    lost = said(lesson04.versus_keywords, "The LSTM", scores(0.06, 0.28), scores(0.48, 0.52), record("x", 0.06, 0.28))
    assert lost.startswith("Measured on your validation texts: the LSTM is below the keyword baseline")
    assert "6.0% vs 48.0%" in lost and "It learned from 600 of the 2,000 training texts for 3 epochs." in lost
    raw = lesson04.versus_keywords("The LSTM", scores(0.06, 0.28), scores(0.48, 0.52), record("x", 0.06, 0.28))
    assert raw.endswith("\n  python -m emoji_lab train --data sample --model x --epochs 20")  # a line, to copy
    own = record("x", 0.06, 0.28)
    own["data"]["source"] = "my tweets.txt"  # a learner's own file: the command still runs as printed
    assert "--data 'my tweets.txt' --model x" in lesson04.versus_keywords("A", scores(0.06, 0.28), scores(0.48, 0.52), own)
    done = {**own, "stopped_by": "early stopping", "config": {"kept_by": "val_macro_f1"}}
    flat_done = flat(lesson04.versus_keywords("A", scores(0.06, 0.28), scores(0.48, 0.52), done))
    assert "ended when its validation macro-F1 stopped improving." in flat_done and "python -m" not in flat_done
    assert "More minutes are unlikely to help: it had stopped improving." in flat_done


def test_budget_note_and_quick_note_say_what_the_clock_did(monkeypatch):
    """A run on the clock: its minutes and why it ended; what its first --quick minutes had reached, from its epochs."""
    monkeypatch.delenv("EMOJI_LAB_MINUTES")  # the lessons' own budgets: 20 minutes, 4 with --quick
    rec = record("chcnn-blstm", 0.6, 0.6, trained_on=2000, train=2000, epochs=0)
    rec.update(seconds=600.0, stopped_by="the clock", config={"minutes": 10.0, "kept_by": "val_macro_f1"},
               epochs=[{"val_macro_f1": f1, "elapsed": t} for f1, t in ((0.1, 100), (0.3, 230), (0.5, 400), (0.6, 590))])
    assert compare.budget_note(rec) == ("It learned from all 2,000 training texts for 4 epochs (10.0 minutes), ended "
                                       "by the budget of 10 minutes.")
    assert compare.quick_note(rec) == ("Its best validation macro-F1 within its first 4 minutes (what --quick gives) "
                                      "was 30.0%; it kept 60.0%.")
    quick = {**rec, "config": {"minutes": 4.0}, "epochs": rec["epochs"][:2]}
    assert compare.quick_note(quick) == ("--quick gave it 4 of the 20 minutes a full lesson gives; its last epoch "
                                         "still raised its validation macro-F1 by +20.0 points.")
    stopped = {**rec, "stopped_by": "early stopping"}
    assert compare.budget_note(stopped).endswith("ended when its validation macro-F1 stopped improving.")
    assert compare.quick_note(record("x", 0.1, 0.1)) == ""  # a run from before the clock says nothing


def test_budget_note_all_texts():
    rec = record("x", 0.1, 0.1, trained_on=2000, train=2000, epochs=1)
    assert compare.budget_note(rec) == "It learned from all 2,000 training texts for 1 epoch."
    assert compare.budget_note(compare.run_row(rec)) == compare.budget_note(rec)  # a comparison row holds its record


def test_depth_sentence_reports_gains_losses_and_time():
    lstm = row("naive-noembd", 0.10, 0.30, seconds=10)
    helped = said(lesson05.depth_sentence, lstm, row("naive-noembd-blstm", 0.15, 0.35, seconds=18),
                               row("naive-noembd-2lstm", 0.12, 0.31, seconds=21))
    assert "The BiLSTM beats the LSTM on macro-F1 (15.0% vs 10.0%)" in helped
    assert "the BiLSTM 1.8x, the two LSTMs 2.1x" in helped and "Best of the three on macro-F1: naive-noembd-blstm." in helped
    neither = said(lesson05.depth_sentence, lstm, row("naive-noembd-blstm", 0.05, 0.29, seconds=None),
                                row("naive-noembd-2lstm", 0.08, 0.20, seconds=None))
    assert "The BiLSTM is below the LSTM" in neither and "The stacked model (two LSTMs) is below the LSTM" in neither
    assert "Time per epoch" not in neither and "Best of the three on macro-F1: naive-noembd." in neither
    assert neither.endswith("The widest top-1 gap between them is 10 of your 100 validation texts (10.0%).")


def test_cnn_sentence_holds_fails_or_has_nothing_to_compare():
    cnn = row("chcnn-blstm", 0.20, 0.40)
    assert "No naive run" in said(lesson06.cnn_sentence, cnn, [])
    naive = [row("naive-noembd", 0.10, 0.30), row("naive-noembd-blstm", 0.15, 0.35)]
    holds = said(lesson06.cnn_sentence, cnn, naive)
    assert "the best naive run (naive-noembd-blstm)" in holds and "at least as good as all 2 naive runs" in holds
    fails = said(lesson06.cnn_sentence, row("chcnn-blstm", 0.12, 0.40, epochs=2), naive)
    assert "below naive-noembd-blstm on macro-F1" in fails and "naive-noembd," not in fails
    assert "does not hold here" in fails and "for 2 epochs" in fails


def test_speed_sentence_is_measured_ratios():
    cnn = row("chcnn-blstm", 0.2, 0.4, seconds=15, params=600)
    text = said(lesson06.speed_sentence, cnn, row("naive-noembd-blstm", 0.1, 0.3, seconds=30, params=400), 62, 128)
    assert "600 parameters (1.5x the one-hot BiLSTM's)" in text and "took 0.5x the BiLSTM's time" in text
    assert "62 pooled steps instead of 128 bytes" in text
    assert said(lesson06.speed_sentence, cnn, None, 62, 128) == "Its BiLSTM reads 62 pooled steps instead of 128 bytes."


# -- the comparison (lesson 7) ----------------------------------------------------------------------------------------
class FakeKeywords:
    keywords = {"lol": {0: 1.0, 2: 0.5}, "love": {1: 2.0}}


def test_rows_sort_by_macro_f1_after_the_keywords():
    kw = compare.keyword_row(FakeKeywords(), {"top1": 0.5, "top5": 0.8, "macro_f1": 0.45, "per_class": []})
    assert kw["params"] == 3 and kw["bytes"] is None
    rows = compare.comparison_rows([record("a", 0.1, 0.3), record("b", 0.3, 0.2), record("c", 0.1, 0.4)], kw)
    assert [r["name"] for r in rows] == ["keywords (lesson 2)", "b", "c", "a"]
    assert compare.best_row(rows)["name"] == "b"
    with pytest.raises(EmojiLabError, match="no trained run"):
        compare.best_row([kw])


def test_table_and_chart_fit_80_columns():
    kw = compare.keyword_row(FakeKeywords(), {"top1": 0.5, "top5": 0.8, "macro_f1": 0.45})
    rows = compare.comparison_rows([record("chcnn-slim-blstm-2fc", 0.2, 0.3, params=123_456),
                               record("naive-noembd", 0.1, 0.3, seconds=None)], kw)
    table = draw(compare.comparison_table(rows))
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "chcnn-slim-blstm-2fc" in table and "123,456" in table and "493.8 kB" in table
    lines = compare.chart_lines(rows, "macro_f1", width=20)
    kw_line = next(l for l in lines if l.startswith("keywords"))
    assert kw_line.count("░") == 20 and "45.0%" in kw_line  # the best value gets the full width
    assert next(l for l in lines if l.startswith("naive")).count("█") == round(20 * 0.1 / 0.45)
    assert max(len(line) for line in draw(compare.comparison_chart(rows)).splitlines()) <= 80


def test_keyword_claim_both_ways():
    kw = compare.keyword_row(FakeKeywords(), {"top1": 0.5, "top5": 0.8, "macro_f1": 0.45})
    assert said(lesson07.keyword_claim, [kw, row("a", 0.5, 0.6), row("b", 0.46, 0.6)]).startswith("Every neural run beats")
    lost = said(lesson07.keyword_claim, [kw, row("a", 0.5, 0.6), row("b", 0.06, 0.3)])
    assert "1 of 2 neural runs does not beat the keyword baseline's macro-F1 of 45.0%: b 6.0%." in lost
    assert "It learned from 600 of the 2,000 training texts for 3 epochs." in lost
    both = said(lesson07.keyword_claim, [kw, row("a", 0.06, 0.3), row("b", 0.07, 0.3, epochs=5)])
    assert "They trained for at most 5 epochs." in both and "improving" not in both
    stopped = row("b", 0.07, 0.3, epochs=5)
    stopped["record"]["stopped_by"] = "early stopping"
    one = said(lesson07.keyword_claim, [kw, row("a", 0.06, 0.3), stopped])
    assert one.endswith("They trained for at most 5 epochs. b had stopped improving on its own: more minutes are "
                        "unlikely to help.")
    both_stopped = said(lesson07.keyword_claim, [kw, {**stopped, "name": "a"}, stopped])
    assert both_stopped.endswith("All of them had stopped improving on their own: more minutes are unlikely to help.")
    assert said(lesson07.keyword_claim, [kw]).startswith("Nothing to compare")


def test_cnn_claim_both_ways():
    naive = row("naive-noembd", 0.10, 0.3)
    assert said(lesson07.cnn_claim, [naive, row("chcnn-blstm", 0.2, 0.3)]).endswith("The talk's claim holds here.")
    assert said(lesson07.cnn_claim, [naive, row("chcnn-blstm", 0.05, 0.3)]).endswith("the talk's claim does not hold.")
    assert "No char-CNN run" in said(lesson07.cnn_claim, [naive])


def test_talk_sentence_counts_shared_and_missing_emoji():
    text = "happy new year! God Bless"
    top = [("🎉", 0.4), ("❤", 0.2), ("😂", 0.1), ("😍", 0.1), ("🔥", 0.05)]  # ❤ without U+FE0F still counts
    labels = ["😂", "❤️", "😍", "🔥", "🎉", "😊"]
    line = said(lesson07.talk_sentence, text, top, labels)
    assert "2 of those 5 are in your top-5" in line and "🎈 😘 are not among your classes" in line
    assert formatting.format_top(top[:2]) == "🎉 40.0%  ❤ 20.0%"


# -- checks on the learner's values ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def keras():
    from emoji_lab.common.backend import import_tensorflow

    import_tensorflow()
    import keras

    return keras


def lstm_model(keras, *, table: str = "one_hot", units: int = 128, classes: int = 3, **lstm_kw):
    ids = keras.Input((128,), dtype="int32")
    if table == "one_hot":
        x = keras.layers.Embedding(257, 257, embeddings_initializer="identity", trainable=False, mask_zero=True)(ids)
    else:
        x = keras.layers.Embedding(257, 64, mask_zero=table == "embed")(ids)
    h = keras.layers.LSTM(units, **lstm_kw)(x)
    return keras.Model(ids, keras.layers.Dense(classes, activation="softmax")(h))


def ns_with(**values) -> dict:
    return {"ds": SimpleNamespace(labels=["a", "b", "c"]), **values}


def test_check_my_model_accepts_the_design_and_names_each_mistake(keras):
    assert lesson04.check_my_model(ns_with(my_model=lstm_model(keras))) is None
    ids = keras.Input((128,), dtype="int32")
    cases = {
        "no `my_model` yet": ns_with(),
        "symbolic tensor": ns_with(my_model=keras.layers.Dense(3)(keras.layers.Flatten()(
            keras.layers.Embedding(257, 2)(ids)))),
        "is a layer": ns_with(my_model=keras.layers.LSTM(128)),
        "`return_sequences=True`": ns_with(my_model=lstm_model(keras, return_sequences=True)),
        "Leave dropout out": ns_with(my_model=lstm_model(keras, dropout=0.2)),
        "has 64 units": ns_with(my_model=lstm_model(keras, units=64)),
        "shape (None, 3); it outputs (None, 5)": ns_with(my_model=lstm_model(keras, classes=5)),
        "reads vectors of 64 numbers": ns_with(my_model=lstm_model(keras, table="embed")),
    }
    for message, ns in cases.items():
        assert message in lesson04.check_my_model(ns), message
    bi = keras.Model(ids, keras.layers.Dense(3, activation="softmax")(keras.layers.Bidirectional(
        keras.layers.LSTM(128))(keras.layers.Embedding(257, 257, mask_zero=True)(ids))))
    assert "lesson 5" in lesson04.check_my_model(ns_with(my_model=bi))
    h = keras.layers.LSTM(128)(keras.layers.Embedding(257, 257, mask_zero=True)(ids))
    linear = keras.Model(ids, keras.layers.Dense(3)(h))
    assert "softmax" in lesson04.check_my_model(ns_with(my_model=linear))


def test_check_emb_model(keras):
    assert lesson04.check_emb_model(ns_with(emb_model=lstm_model(keras, table="embed"))) is None
    assert "`mask_zero=True`" in lesson04.check_emb_model(ns_with(emb_model=lstm_model(keras, table="no_mask")))
    assert "frozen one-hot" in lesson04.check_emb_model(ns_with(emb_model=lstm_model(keras)))
    ids = keras.Input((128,), dtype="int32")
    h = keras.layers.LSTM(128)(keras.layers.Embedding(257, 32, mask_zero=True)(ids))
    narrow = keras.Model(ids, keras.layers.Dense(3, activation="softmax")(h))
    assert "use 64" in lesson04.check_emb_model(ns_with(emb_model=narrow))


def test_check_lstm_params(keras):
    run4 = SimpleNamespace(model=lstm_model(keras))
    right = 4 * (128 * (257 + 128) + 128)
    assert lesson05.check_lstm_params({"run4": run4, "lstm_params": right}) is None
    assert lesson05.check_lstm_params({"run4": run4, "lstm_params": float(right)}) is None
    for value, message in [(4 * 128 * (257 + 128), "biases"), (right // 4, "an LSTM has four"),
                           (run4.model.count_params(), "whole model"), (2 * right, "BiLSTM"),
                           (12, "Per gate"), ("197632", "whole number")]:
        assert message in lesson05.check_lstm_params({"run4": run4, "lstm_params": value}), value
    assert "no `lstm_params` yet" in lesson05.check_lstm_params({"run4": run4})


def test_check_lstm_steps(keras):
    ids = keras.Input((128,), dtype="int32")
    x = keras.layers.Embedding(257, 4)(ids)
    for width in (3, 3, 1):
        x = keras.layers.Conv1D(4, width)(x)
    cnn = keras.Model(ids, keras.layers.MaxPooling1D(2)(x))
    assert lesson06.check_lstm_steps({"cnn": cnn, "lstm_steps": 62}) is None
    for value, message in [(128, "input length"), (124, "halves it"), (64, "shortened it first"),
                           (63, "only the first convolution"), (61, "Not quite"), (62.5, "whole number")]:
        assert message in lesson06.check_lstm_steps({"cnn": cnn, "lstm_steps": value}), value


class FakeBest:
    labels = ["😂", "❤️", "😍", "😭", "🎉", "😴"]

    def top(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        start = len(text) % 2
        return [(e, 0.5 / (i + 1)) for i, e in enumerate(self.labels[start:start + k])]


def test_check_run_accepts_pairs_and_explains_other_returns():
    import numpy as np

    best = FakeBest()
    assert lesson07.check_run({"best": best, "run": lambda t: best.top(t, 5)}) is None
    rounded = lambda t: [(e, np.float32(round(p, 3))) for e, p in best.top(t, 5)]  # noqa: E731
    assert lesson07.check_run({"best": best, "run": rounded}) is None
    cases = [(None, "no `run` yet"), ("text", "should be a function"), (lambda t: None, "returned None"),
             (lambda t: [e for e, _ in best.top(t, 5)], "only the emoji"), (lambda t: best.top(t, 3), "3 item(s)"),
             (lambda t: best.top(t + "x", 5), "but `best` predicts"), (lambda t: 1 / 0, "raised ZeroDivisionError"),
             (lambda t: {"a": 1}, "returned a dict")]
    for fn, message in cases:
        ns = {"best": best} if fn is None else {"best": best, "run": fn}
        assert message in lesson07.check_run(ns), message


# -- views ----------------------------------------------------------------------------------------------------------
def test_encoding_view_counts_text_and_padding():
    from emoji_lab.data.encoders import ByteEncoder

    view = lesson04.encoding_view(ByteEncoder(), "hi 新")
    assert "6 of them are the text's bytes (+1), 122 are padding (0)" in view and "105 106 33 231" in view
    view = lesson04.encoding_view(ByteEncoder(), "hi 👋 ")  # what the model reads: cleaned as in training
    assert view.startswith("'hi 👋 ', cleaned to 'hi'") and "2 of them are the text's bytes" in view
    rows = lesson04.one_hot_view(ByteEncoder(), "hi 新年", show=4)
    assert [r["id"] for r in rows] == [105, 106, 33, 231] and rows[3]["byte"] == "0xe6"
    assert "a 1 at index 105" in draw(lesson04.one_hot_table(ByteEncoder(), "hi"))


def test_same_layers_and_params_story(keras):
    from emoji_lab.models.registry import build_model

    course = build_model("naive-noembd", 3)
    assert "have the same layers" in said(lesson04.same_layers, lstm_model(keras), course)
    assert "differs from the course's" in said(lesson04.same_layers, lstm_model(keras, units=64), course)
    story = said(lesson04.params_story, lstm_model(keras), lstm_model(keras, table="embed"))
    one_hot_lstm, embed_lstm = 4 * (128 * (257 + 128) + 128), 4 * (128 * (64 + 128) + 128)
    assert f"its LSTM alone has {one_hot_lstm:,}" in story and f"its LSTM has {embed_lstm:,}" in story
    assert "64 numbers instead of 257" in story
    table = draw(layers.layers_table(course))
    assert "frozen" in table and f"{course.count_params():,} parameters" in table


# -- saved runs: reload instead of retraining, and only on the same data ----------------------------------------------
def tiny_ds():
    from emoji_lab.data.dataset import from_raw_lines

    rng = random.Random(0)
    words = {"🎉": "party", "😴": "sleep", "😂": "lol"}
    lines = [f"{w} {i} {e}" for i in range(120) for e, w in [rng.choice(sorted(words.items()))]]
    return from_raw_lines(lines, "tiny")


def save_fake_run(keras, ds, name: str, macro_f1: float, fingerprint: str | None = None) -> None:
    """A run folder as `train` leaves it, with a very small model (no training)."""
    from emoji_lab.data.encoders import ByteEncoder
    from emoji_lab.training.runs import fingerprint as data_fingerprint
    from emoji_lab.training.runs import run_dir, save_encoder, write_record

    folder = run_dir(name, ds.source)
    folder.mkdir(parents=True)
    ids = keras.Input((128,), dtype="int32")
    pooled = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(257, 2)(ids))
    keras.Model(ids, keras.layers.Dense(len(ds.labels), activation="softmax")(pooled)).save(folder / "best.keras")
    from emoji_lab.models.registry import spec

    rec = record(name, macro_f1, 0.3)
    lessons = spec(name)  # trained as the lessons train it: a restore takes nothing less
    rec.update(config={**lessons.budget(False).as_dict(), "learning_rate": lessons.learning_rate,
                       "class_weight_power": lessons.class_weight_power, "targets": "one-hot labels"})
    rec.update(labels=list(ds.labels), encoder=save_encoder(ByteEncoder(), folder), created="2026-01-01T00:00:00+00:00",
               data={"fingerprint": fingerprint or data_fingerprint(ds), "sizes": {"train": 100, "trained_on": 100}})
    write_record(folder, rec)


def test_restore_reloads_every_name_and_refuses_other_data(keras, monkeypatch):
    ds = tiny_ds()
    save_fake_run(keras, ds, "naive-noembd", 0.2)
    ns = {"ds": ds, "DATA": ds.source}
    lesson04.restore_lstm(ns)
    from emoji_lab.training.background import trained

    assert ns["trained"] is trained and ns["run4"].name == "naive-noembd" and ns["run4"].labels == list(ds.labels)
    save_fake_run(keras, ds, "chcnn-blstm", 0.3, fingerprint="other data")
    with pytest.raises(EmojiLabError, match="trained on other data"):
        lesson06.restore_char_cnn(dict(ns))
    with pytest.raises(EmojiLabError):
        lesson05.restore_bilstm(dict(ns))  # never trained


def test_best_run_picks_the_highest_macro_f1_or_trains_the_talks_model(keras, monkeypatch):
    ds = tiny_ds()
    trained = []
    monkeypatch.setattr("emoji_lab.training.train.train", lambda name, ds, quick: trained.append(name) or "new run")
    assert compare.best_run(ds, True) == "new run" and trained == [TALK_MODEL]
    save_fake_run(keras, ds, "naive-noembd", 0.2)
    save_fake_run(keras, ds, "naive-noembd-blstm", 0.4)
    save_fake_run(keras, ds, "chcnn-blstm", 0.9, fingerprint="other data")  # not this data: ignored
    assert sorted(r["name"] for r in compare.runs_on(ds)) == ["naive-noembd", "naive-noembd-blstm"]
    assert compare.best_run(ds, True).name == "naive-noembd-blstm"
    ns = {"ds": ds, "DATA": ds.source}
    lesson07.restore_best(ns)
    assert ns["best"].name == "naive-noembd-blstm" and ns["best_run"] is compare.best_run
    assert json.loads((ns["best"].dir / "record.json").read_text())["val"]["macro_f1"] == 0.4
