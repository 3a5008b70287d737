"""Lesson 8's path with the real converter and the real LiteRT runtime (CompiledModel), on a small trained char-CNN + BiLSTM."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from emoji_lab.common.errors import DataError, EmojiLabError
from emoji_lab.data.dataset import Split
from emoji_lab.data.encoders import ByteEncoder, WordEncoder
from emoji_lab.data.sources import load
from emoji_lab.deploy import app as app_files
from emoji_lab.deploy import export, litert, quantize
from emoji_lab.deploy.litert import APP_LITERT, LiteModel, agreement, graph_report, read_labels
from emoji_lab.training.runs import Run

VAL_TEXTS = 300  # enough texts to measure agreement, few enough to stay quick


@pytest.fixture(scope="module")
def ds():
    return load("sample")


@pytest.fixture(scope="module")
def run(small_chcnn_run):
    return small_chcnn_run


@pytest.fixture(scope="module")
def float32(run):
    return export.to_tflite(run)


def fake_app(folder: Path) -> Path:
    (folder / "EmojiLab.xcodeproj").mkdir(parents=True)
    return folder


def test_dynamic_batch_fails_on_the_lstm_loop(run):
    errors = export.dynamic_batch_failure(run.model)
    assert errors and "TensorListReserve" in errors[0] and "element_shape to be static" in errors[0]
    assert all("loc(" not in line for line in errors)  # MLIR's locations are stripped
    from emoji_lab.lessons.lesson08 import failure_story

    story = failure_story(errors)
    assert "tf.TensorListReserve" in story and "Select TF ops" in story
    assert max(len(line) for line in story.splitlines()) <= 80


def test_static_signature_gives_builtin_ops_the_ios_runtime_runs(float32, run):
    report = graph_report(float32)
    assert report["custom_ops"] == [] and "WHILE" in report["builtin_ops"]
    assert report["inputs"] == [{"name": report["inputs"][0]["name"], "shape": [1, 128], "dtype": "int32"}]
    assert report["signature_inputs"] == ["bytes"]
    assert report["outputs"][0]["shape"] == [1, len(run.labels)]
    assert litert.deployment_problems(report, 128) == []


def test_float32_file_agrees_with_keras(float32, run, ds):
    texts = ds.val.texts[:VAL_TEXTS]
    keras_probs = run.probabilities(texts)
    lite_probs = LiteModel(float32, run.labels, run.encoder).probabilities(texts)
    assert np.abs(keras_probs - lite_probs).max() < 1e-4
    agree = agreement(keras_probs, lite_probs)
    assert agree["top1"] >= 0.995 and agree["top5"] >= 0.995


@pytest.mark.parametrize("variant", ["float16", "int8"])
def test_quantized_files_are_smaller_and_still_deployable(variant, float32, run, ds):
    content = export.to_tflite(run, variant=variant)
    report = graph_report(content)
    assert len(content) < 0.6 * len(float32)
    assert litert.deployment_problems(report, 128) == []
    texts = ds.val.texts[:100]
    probs = LiteModel(content, run.labels, run.encoder).probabilities(texts)
    assert np.allclose(probs.sum(1), 1, atol=1e-3)
    assert agreement(run.probabilities(texts), probs)["top1"] >= 0.9


def test_full_integer_on_an_lstm_never_takes_the_process_down(run, ds, tmp_path):
    saved = export.save_static(run.model, tmp_path / "saved_model", export.input_signature(128))
    representative = export.representative_ids(ds, run.encoder, n=20)
    try:
        content = export.convert(saved, "int8-full", representative)
    except EmojiLabError as error:  # TensorFlow 2.21's calibrator dies on the LSTM loop: reported, not fatal
        assert "crashed" in str(error) or "failed" in str(error)
    else:
        assert graph_report(content)["custom_ops"] == []


def test_quantization_table_rows_and_story(run, ds):
    small = dataclasses.replace(ds, splits={**ds.splits, "val": Split(ds.val.texts[:VAL_TEXTS], ds.val.y[:VAL_TEXTS])})
    rows = quantize.quantization_table(run, small, variants=("float32", "int8"), runs=20, progress=lambda _: None)
    assert [r["variant"] for r in rows] == ["keras", "float32", "int8"]
    f32, int8 = rows[1], rows[2]
    assert f32["agree_top5"] >= 0.995 and f32["top1"] == pytest.approx(rows[0]["top1"], abs=0.01)
    assert int8["bytes"] < f32["bytes"] and 0 < int8["latency_median_ms"] <= int8["latency_p95_ms"]
    assert quantize.load_table(run) == json.loads(json.dumps(rows))  # saved for the lesson's restore
    from emoji_lab.lessons.lesson08 import quantization_story

    story = quantization_story(rows + [{"variant": "int8-full", "name": "full-integer int8", "ok": False,
                                        "error": "the converter crashed (SIGSEGV) while calibrating this model"}])
    assert "dynamic-range int8: " in story and "smaller than float32" in story
    assert "full-integer int8 is not available" in story and "separate process" in story
    assert "By these numbers, ship " in story or "No converted file kept" in story
    assert max(len(line) for line in story.splitlines()) <= 80


def test_export_writes_the_app_files_and_backs_up_changes(run, tmp_path):
    app = fake_app(tmp_path / "ios_starter")
    result = export.export_run(run, out=tmp_path / "out", quantize="int8", ios=app)
    resources = app_files.app_resources(app)
    for folder in (tmp_path / "out", resources):
        assert sorted(p.name for p in folder.iterdir()) == sorted([*app_files.APP_FILES, app_files.MANIFEST_FILE])
    assert read_labels(resources / "labels.txt") == run.labels
    assert ByteEncoder.load(resources / "preprocess.json") == run.encoder
    golden = json.loads((resources / "golden.json").read_text(encoding="utf-8"))
    model_bytes = (resources / "emoji_model.tflite").read_bytes()
    assert golden["model"]["sha256"] == app_files.sha256(model_bytes) and golden["model"]["quantize"] == "int8"
    assert golden["labels"] == run.labels and golden["preprocess"] == run.encoder.to_dict()
    lite = LiteModel.from_file(resources / "emoji_model.tflite")
    for example in golden["examples"]:
        assert example["ids"] == run.encoder.encode(example["text"])
        probs = lite.probabilities(example["text"])[0]
        assert [e["index"] for e in example["top"]] == list(np.argsort(-probs, kind="stable")[:5])
        assert all(abs(probs[e["index"]] - e["probability"]) < 1e-6 for e in example["top"])
    assert result["ios"]["backup"] is None

    (resources / "labels.txt").write_text("mine\n", encoding="utf-8")  # the learner changed a file
    again = export.export_run(run, out=tmp_path / "out", quantize="int8", ios=app)
    backup = again["ios"]["backup"]
    assert again["ios"]["backed_up"] == ["labels.txt"] and (backup / "labels.txt").read_text() == "mine\n"
    assert read_labels(resources / "labels.txt") == run.labels
    assert export.export_run(run, out=tmp_path / "out", quantize="int8", ios=app)["ios"]["backup"] is None


def test_an_export_reads_back_from_disk_without_writing(run, tmp_path):
    app = fake_app(tmp_path / "ios_starter")
    written = export.export_run(run, quantize="float16", ios=app)  # into the run's own export/ folder
    before = {p: p.stat().st_mtime_ns for p in app_files.app_resources(app).iterdir()}
    again = app_files.exported_from_disk(run, app)
    assert again["quantize"] == "float16" and again["out"]["files"] == written["out"]["files"]
    assert again["ios"]["folder"] == app_files.app_resources(app)
    assert {p: p.stat().st_mtime_ns for p in app_files.app_resources(app).iterdir()} == before
    (app_files.app_resources(app) / "golden.json").write_text("{}", encoding="utf-8")
    assert app_files.exported_from_disk(run, app)["ios"] is None  # the app no longer holds this export


def test_a_word_model_is_refused(tmp_path):
    words = Run("w", tmp_path, None, ["😂"], {"model": "word-embed-blstm"}, WordEncoder(["hi"]))
    with pytest.raises(EmojiLabError, match="reads words; the app sends bytes"):
        export.export_run(words, out=tmp_path)


def test_bad_files_are_one_line_errors(tmp_path, float32, run):
    with pytest.raises(DataError, match="not a .tflite file"):
        graph_report(b"not a flatbuffer at all")
    (tmp_path / "labels.txt").write_text("😂\n\n❤️\n", encoding="utf-8")
    with pytest.raises(DataError, match="one emoji per line"):
        read_labels(tmp_path / "labels.txt")
    with pytest.raises(EmojiLabError, match="not int32 \\[1, 64\\]"):
        LiteModel(float32, run.labels, ByteEncoder(max_len=64))
    with pytest.raises(EmojiLabError, match="outputs but there are 2 labels"):
        LiteModel(float32, ["😂", "❤️"], run.encoder)
    with pytest.raises(DataError, match="not the ios_starter folder"):
        app_files.check_ios_dir(tmp_path)


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emoji_lab", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})})


def test_cli_export_then_predict(run, tmp_path):
    app = fake_app(tmp_path / "ios_starter")
    result = cli("export", "--model", str(run.dir), "--out", str(tmp_path / "out"), "--quantize", "int8",
                 "--ios", str(app))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"converted {run.name} (int8): builtin ops only, input int32 [1, 128], checked with "
                               f"LiteRT {APP_LITERT} (the app's release; the file declares TensorFlow Lite ")
    assert [line.split()[1] for line in lines if line.startswith("wrote ")] == [
        str(folder / name) for folder in (tmp_path / "out", app_files.app_resources(app)) for name in app_files.APP_FILES]
    assert f"open {app}/EmojiLab.xcodeproj" in result.stdout and f"LiteRT {APP_LITERT}" in result.stdout
    assert "Add New Keyboard" in result.stdout  # the steps end with the keyboard

    model = tmp_path / "out" / "emoji_model.tflite"
    shown = cli("predict", "--model", str(model), "so tired lol", "happy new year")
    assert shown.returncode == 0 and shown.stderr == "", shown.stderr
    blocks = shown.stdout.split("happy new year\n")
    assert blocks[0].startswith("so tired lol\n") and len(blocks) == 2
    top = [line.split()[0] for line in blocks[1].splitlines()]
    expected = [emoji for emoji, _ in LiteModel.from_file(model).top("happy new year")]
    assert top == expected
    as_json = json.loads(cli("predict", "--model", str(model), "--json", "-k", "3", "hi").stdout)
    assert [e["emoji"] for e in as_json[0]["top"]] == [e for e, _ in LiteModel.from_file(model).top("hi", 3)]


def test_cli_errors_are_one_line(run, tmp_path):
    for args, message in [
        (("predict", "--model", str(tmp_path / "none.tflite"), "x"), "none.tflite: no such file"),
        (("export", "--model", str(tmp_path), "--ios", str(tmp_path)), "no record.json or best.keras there"),
        (("export", "--model", str(run.dir), "--ios", str(tmp_path)), "not the ios_starter folder"),
    ]:
        result = cli(*args)
        assert result.returncode == 2 and result.stderr.startswith("error: ")
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_run_trained_on_the_published_text_never_reaches_the_app(tmp_path):
    """It learned from TweetEval's residue, which a phone never types, and the app cleans every text."""
    published = Run("chcnn-blstm-published", tmp_path, None, ["😂", "❤️"], {"model": "chcnn-blstm"},
                    ByteEncoder(cleaning=None))
    with pytest.raises(EmojiLabError, match="trained on the text as published .--keep-published.: export a run "
                                            "trained on cleaned text"):
        export.export_run(published, out=tmp_path / "out")
    with pytest.raises(EmojiLabError, match="^quantize='int4': choose one of float32, float16, int8$"):
        export.export_run(published, out=tmp_path / "out", quantize="int4")
    assert not (tmp_path / "out").exists()
