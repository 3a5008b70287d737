"""Lesson 9's model: the in-graph byte n-gram hash, its training, its .tflite file and the lesson's sentences."""

from __future__ import annotations

import io

import numpy as np
import pytest

from emoji_lab.data.encoders import ByteEncoder
from emoji_lab.data.sources import load
from emoji_lab.lessons import lesson09
from emoji_lab.models import bytegrams

EDGE_TEXTS = ["", "A", "SO TIRED lol", "so tired LOL", "Soooo tired 😴 ✨", "日本語のテキスト",
              "e\u0301te\u0301", "x" * 400, "@user happy new year!!! #2018"]
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # inside Keras


@pytest.fixture(scope="module")
def ds():
    return load("sample")


@pytest.fixture(scope="module")
def run(ds, tmp_path_factory):
    from emoji_lab.training.plan import Plan
    from emoji_lab.training.train import train

    return train(Plan.of("bytegrams", epochs=3, max_train=3000, runs_root=tmp_path_factory.mktemp("runs")), ds,
                 progress=False)


def test_numpy_hash_buckets_every_ngram_once_and_skips_padding():
    ids = ByteEncoder(max_len=12).encode_batch(["Hi 新", ""])
    buckets = bytegrams.bucket_ids(ids)
    assert buckets.shape == (2, sum(12 - k + 1 for k in bytegrams.ORDERS))
    n_bytes = len("Hi 新".encode())
    assert (buckets[0] > 0).sum() == sum(max(n_bytes - k + 1, 0) for k in bytegrams.ORDERS)
    assert (buckets[1] == 0).all()
    assert buckets.max() < bytegrams.BUCKETS
    assert [g[1] for g in bytegrams.grams("abc") if g[0] == 2] == [b" a", b"ab", b"bc", b"c "]  # edge spaces


def test_edges_frame_the_text_and_distinct_keeps_each_bucket_once():
    ids = ByteEncoder(max_len=6).encode_batch(["ab", "", "abcdefgh"])
    space = ord(" ") + 1
    assert bytegrams.with_edges(ids).tolist() == [[space, 98, 99, space, 0, 0, 0, 0], [space, space, 0, 0, 0, 0, 0, 0],
                                                  [space, 98, 99, 100, 101, 102, 103, space]]
    once = bytegrams.distinct(np.array([[3, 0, 7, 3, 3, 1], [0, 0, 0, 0, 0, 0]]))
    assert once.tolist() == [[7, 3, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0]]
    # "soooo": the 2-gram "oo" three times, "o" four times; each bucket counts once
    found = bytegrams.grams("soooo")
    row = bytegrams.distinct(np.array([[g[2] for g in found]]))[0]
    assert (row > 0).sum() == len({g[2] for g in found}) < len(found)


def test_ascii_case_is_folded_and_orders_hash_apart():
    upper, lower = (bytegrams.grams(t) for t in ("SO Tired", "so tired"))
    assert [g[2] for g in upper] == [g[2] for g in lower]
    unigram = {g[2] for g in bytegrams.grams("ab") if g[0] == 1}
    assert not unigram & {g[2] for g in bytegrams.grams("ab") if g[0] == 2}
    assert [g[2] for g in bytegrams.grams("É")] != [g[2] for g in bytegrams.grams("é")]  # only ASCII is folded


def test_keras_layers_compute_exactly_the_numpy_buckets():
    from emoji_lab.models.gram_layers import DistinctBuckets, HashedByteGrams

    rng = np.random.default_rng(0)
    ids = rng.integers(1, 257, size=(64, 40)).astype(np.int32)
    ids[:, 30:] = 0  # padding at the end, as the encoder writes it
    ids[::7, 5:] = 0
    ids[::9, :] = 0  # empty texts
    ids[1:3, :4] = ids[1:3, 4:8]  # repeats
    layer = HashedByteGrams(edges=True)
    hashed = layer(ids)
    assert np.array_equal(np.asarray(hashed), bytegrams.bucket_ids(bytegrams.with_edges(ids)))
    assert np.array_equal(np.asarray(DistinctBuckets()(hashed)), bytegrams.distinct(np.asarray(hashed)))
    assert layer.compute_output_shape((None, 128)) == (None, 5 * 128)
    saved_before_edges = {"name": "byte_grams", "orders": [1, 2, 3, 4, 5], "buckets": bytegrams.BUCKETS}
    legacy = HashedByteGrams.from_config(saved_before_edges)
    assert np.array_equal(np.asarray(legacy(ids)), bytegrams.bucket_ids(ids))  # a run saved before edges came


def test_training_runs_its_whole_budget_decays_the_rate_and_keeps_the_last_epoch(run):
    record = run.record
    assert record["config"]["kept_by"] == "last epoch" and record["config"]["class_weight_power"] == 1.0
    assert record["config"]["learning_rate_schedule"] == "cosine to 0"
    assert len(record["epochs"]) == record["best_epoch"] == 3 and not record["stopped_early"]
    assert record["val"]["macro_f1"] == record["epochs"][-1]["val_macro_f1"]
    assert record["params"] == bytegrams.BUCKETS * 16 + 16 * len(run.labels) + len(run.labels)


def test_learning_rate_decays_from_the_specs_rate_to_zero_over_the_budget():
    from emoji_lab.models.registry import spec
    from emoji_lab.training.train import compiled_model

    schedule = compiled_model(spec("bytegrams"), 4, ByteEncoder(), 2017, decay_steps=100).optimizer._learning_rate
    assert float(schedule(0)) == pytest.approx(spec("bytegrams").learning_rate)
    assert float(schedule(50)) == pytest.approx(spec("bytegrams").learning_rate / 2, rel=1e-3)
    assert float(schedule(100)) == pytest.approx(0.0, abs=1e-9)


def test_model_is_the_mean_of_its_distinct_buckets_vectors_then_softmax(run):
    x = run.encoder.encode_batch(EDGE_TEXTS)
    table = run.model.get_layer("gram_vectors").get_weights()[0]
    weights, bias = run.model.get_layer("emoji").get_weights()
    buckets = bytegrams.distinct(bytegrams.bucket_ids(bytegrams.with_edges(x)))
    present = (buckets > 0)[..., None]
    mean = (table[buckets] * present).sum(axis=1) / np.maximum(present.sum(axis=1), 1)
    logits = mean @ weights + bias
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.allclose(run.model.predict(x, verbose=0), expected, atol=1e-5)


def test_scores_ignore_padding_and_empty_text_is_not_nan(run):
    from emoji_lab.training.batches import predict_trimmed
    from emoji_lab.training.runs import open_run

    x = run.encoder.encode_batch(EDGE_TEXTS)
    full = run.model.predict(x, verbose=0)
    assert np.isfinite(full).all() and np.allclose(full.sum(axis=1), 1, atol=1e-5)
    assert np.allclose(predict_trimmed(run.model, x), full, atol=1e-6)  # training's trimmed batches, same answer
    assert np.allclose(open_run(run.dir).model.predict(x, verbose=0), full, atol=1e-7)  # saved and reloaded


def test_tflite_file_uses_builtin_ops_and_agrees_with_keras(run):
    from emoji_lab.deploy.export import to_tflite
    from emoji_lab.deploy.litert import LiteModel, deployment_problems, graph_report

    content = to_tflite(run)
    report = graph_report(content)
    ops = set(report["builtin_ops"])
    assert report["custom_ops"] == [] and {"FLOOR_MOD", "TOPK_V2"} <= ops and "WHILE" not in ops
    assert deployment_problems(report, 128) == []
    lite = LiteModel(content, run.labels, run.encoder)
    assert np.abs(lite.probabilities(EDGE_TEXTS) - run.probabilities(EDGE_TEXTS)).max() < 1e-5
    int8 = to_tflite(run, variant="int8")
    assert len(int8) < len(content) / 3 and graph_report(int8)["custom_ops"] == []


# -- the lesson's sentences -------------------------------------------------------------------------------------------
def test_check_gram_params_names_the_missing_part(ds):
    n = len(ds.labels)
    table = bytegrams.BUCKETS * 16
    ns = {"ds": ds}
    assert "no `gram_params`" in lesson09.check_gram_params(ns)
    assert "table alone" in lesson09.check_gram_params({**ns, "gram_params": table})
    assert "bias" in lesson09.check_gram_params({**ns, "gram_params": table + 16 * n})
    assert "whole number" in lesson09.check_gram_params({**ns, "gram_params": 1.5})
    assert lesson09.check_gram_params({**ns, "gram_params": table + 16 * n + n}) is None


def epochs(*pairs):
    return {"epochs": [{"val_loss": loss, "val_macro_f1": f1} for loss, f1 in pairs]}


def test_stopping_story_says_which_epoch_each_rule_would_choose_and_keeps_the_last():
    later = " ".join(lesson09.stopping_story(epochs((2.0, 0.20), (2.1, 0.25), (2.2, 0.24))).split())
    assert "lowest after epoch 1 (macro-F1 20.0% then)" in later and "highest after epoch 2 (25.0%)" in later
    assert "keeps its last, epoch 3 (24.0%)" in later and "1.0 points more on validation" in later
    assert "gained nothing" in lesson09.stopping_story(epochs((2.0, 0.2), (1.9, 0.3)))


def row(name, f1, int8_bytes=None, ms=None, params=1000):
    """A phone-table row as `beyond_lesson.phone_rows` makes it (numbers made up)."""
    return {"name": name, "model": name, "params": params, "val": {"top1": 0.5, "top5": 0.8, "macro_f1": f1},
            "int8_bytes": int8_bytes, "int8_ms": ms, "int8_p95_ms": ms, "int8_macro_f1": f1, "int8_agree_top5": 0.97,
            "float32_bytes": None if int8_bytes or "keywords" in name else 4 * params,
            "trained": "3 epochs on 6,000 texts, 40 s"}


@pytest.mark.parametrize("gram_f1, student_f1, deep_f1, says", [
    (0.40, 0.20, 0.30, "not the deepest one: the bag of n-grams scores 10.0 points higher"),
    (0.30, 0.40, 0.20, "not the deepest one: the bag of n-grams scores 10.0 points higher"),
    (0.30, 0.20, 0.40, "the deep model scores 10.0 points higher"),
    (0.35, 0.35, 0.35, "the two score the same"),
])
def test_phone_story_follows_the_measurements_and_ships_the_teacher(gram_f1, student_f1, deep_f1, says):
    rows = [row("bytegrams", gram_f1, 1_000_000, 0.1), row("bytegrams-student", student_f1, 1_000_000, 0.1),
            row("chcnn-blstm", deep_f1, 700_000, 1.0), row("char n-gram linear", 0.38, params=5_000_000),
            row("keywords (lesson 2)", 0.32)]
    story = " ".join(lesson09.phone_story(rows).split())
    assert "best9 is bytegrams, the one to export" in story and "bytegrams: macro-F1" in story
    ahead = "higher" if student_f1 > gram_f1 else "the same" if student_f1 == gram_f1 else "lower"
    assert f"bytegrams-student scores {100 * student_f1:.1f}% there against {100 * gram_f1:.1f}% ({ahead})" in story
    assert says in story and "10.0x faster" in story
    assert ("is above it" in story) == (gram_f1 > 0.38)
    assert ("points above them" in story) == (gram_f1 > 0.32)
    from rich.console import Console

    console = Console(width=80, record=True, color_system=None, file=io.StringIO())
    console.print(lesson09.phone_view(rows))
    drawn = console.export_text()
    assert "20.00 MB f32" in drawn and "1.00 MB" in drawn and max(len(line) for line in drawn.splitlines()) <= 80


def held(name, val, test, leak_free, texts=10_000, free=7_931):
    return {"name": name, "val": val, "test_macro_f1": test, "test_leak_free_macro_f1": leak_free, "texts": texts,
            "leak_free": free}


def test_held_out_story_says_whose_validation_lead_did_not_hold():
    rows = [held("bytegrams", 0.227, 0.220, 0.226), held("bytegrams-student", 0.244, 0.213, 0.215),
            held("char n-gram linear", 0.238, 0.222, 0.219),
            {**held("RoBERTa-retrained (published predictions)", None, 0.309, 0.244), "kind": "published"}]
    story = " ".join(lesson09.held_out_story(rows, "tweeteval:x").split())
    assert ("bytegrams: 22.7% on validation, 22.0% on the test split (-0.7 points), 22.6% on its leak-free "
            "part.") in story
    assert ("On validation bytegrams-student was ahead of bytegrams; on the leak-free test tweets, which no choice "
            "saw, it is not") in story
    assert "On validation char n-gram linear was ahead of bytegrams" in story
    assert "lost 0.7 points from validation to test, the yardstick 1.6." in story
    assert "RoBERTa-retrained (published predictions), 125M parameters, scores 30.9%" in story
    same = [held("bytegrams", 0.5, 0.52, 0.52, 100, 100), held("char n-gram linear", 0.55, 0.56, 0.56, 100, 100)]
    story = " ".join(lesson09.held_out_story(same, "sample").split())
    assert "all of it leak-free" in story and "stays ahead on the test split" in story
    assert "kept its validation score" in story
    assert "no test split" in lesson09.held_out_story(None, "mine.txt")


def teachers_record(gram, yard, pair, student):
    val = lambda f1: {"top1": 0.3, "top5": 0.6, "macro_f1": f1}  # noqa: E731
    return {"val": val(student), "seconds": 90.0, "config": {"start_from": "bytegrams"}, "best_epoch": 3,
            "epochs": [{"val_macro_f1": f1} for f1 in (0.2468, student - 0.01, student, student - 0.02)],
            "teachers": {"gram_val": val(gram), "pair_val": val(pair),
                         "yardstick": {"params": 5_242_880, "val": val(yard)},
                         "seconds": {"bytegrams": 100.0, "yardstick": 230.0, "predict": 12.0}}}


@pytest.mark.parametrize("numbers, says", [
    ((0.25, 0.24, 0.26, 0.26), ["the two together 26.0%", "beat the better of them by 1.0 points",
                                "beats its bytegrams teacher by 1.0 points"]),
    ((0.25, 0.24, 0.25, 0.24), ["no better than the better teacher", "1.0 points below its bytegrams teacher"]),
    ((0.25, 0.24, 0.26, 0.27), ["It even beats the pair"]),
])
def test_teachers_story_says_what_was_measured(numbers, says):
    story = " ".join(lesson09.teachers_story(teachers_record(*numbers)).split())
    assert all(part in story for part in says), story
    assert "the yardstick 230 s" in story and "5,242,880 parameters" in story
    assert f"24.7% after its first epoch, {100 * numbers[3]:.1f}% after its last (4)" in story


def test_grams_table_and_story_fit_80_columns():
    from rich.console import Console

    console = Console(width=80, record=True, color_system=None, file=io.StringIO())
    console.print(lesson09.grams_table("😴 Soooo tired"))
    shown = console.export_text()
    assert "\\xf0->" in shown  # the emoji's first byte, as a 1-gram
    rows = [line.split() for line in shown.splitlines() if line.strip()[:1].isdigit()]
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5"]
    assert all(len(set(r[2:])) == len(r[2:]) for r in rows)  # each n-gram shown once
    assert max(len(line) for line in lesson09.grams_story("Soooo tired 😴").splitlines()) <= 80
