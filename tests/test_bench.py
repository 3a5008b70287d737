"""`python -m emoji_lab bench` end to end on tiny data and budgets, so the benchmark cannot rot."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from test_sources import write_tweeteval


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emoji_lab", "bench", "--epochs", "1", "--latency-runs", "20",
                           "--ngram-epochs", "1", "--startup-runs", "1", *args], capture_output=True, text=True, timeout=900,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "80"})


def test_bench_measures_every_row_and_writes_json(tmp_path):
    lines = [f"so funny {i} 😂" for i in range(60)] + [f"love you {i} ❤️" for i in range(60)]
    data = tmp_path / "tiny.txt"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "bench.json"
    result = bench("--data", str(data), "--models", "naive-noembd", "bytegrams", "word-embed-blstm",
                   "bytegrams-student", "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["complete"] is True and report["machine"]["cpus"] >= 1
    assert [r["model"] for r in report["rows"]] == ["keywords (lesson 2)", "char 1-5-gram linear", "naive-noembd",
                                                     "bytegrams", "word-embed-blstm", "bytegrams-student"]
    assert {r["text"] for r in report["rows"]} == {"cleaned"}  # raw text has no residue: one version
    keywords, ngrams, byte_model, grams, word_model, student = report["rows"]
    assert ngrams["params"] == 2**18 * 2 and 0 <= ngrams["val_macro_f1"] <= 1
    assert byte_model["epochs_run"] == len(byte_model["curve"]) == 1 and byte_model["trained_on"] == report["train"]
    assert abs(byte_model["curve"][0][1] - byte_model["val_macro_f1"]) < 1e-3 and byte_model["curve"][0][0] >= 0
    assert 0 < byte_model["tflite_int8_bytes"] < byte_model["tflite_float32_bytes"]
    for key in ("litert_float32_latency", "litert_int8_latency", "keras_latency"):
        latency = byte_model[key]
        assert latency["runs"] == 20 and 0 < latency["median_ms"] <= latency["p95_ms"]
    assert grams["params"] > byte_model["params"] and 0 < grams["tflite_int8_bytes"] < grams["tflite_float32_bytes"]
    assert grams["epochs_run"] == 1 and grams["trained_on"] == report["train"]
    assert "tflite_float32_bytes" not in word_model and "reads words" in word_model["not_deployable"]
    assert student["params"] == grams["params"] and student["tflite_int8_bytes"] > 0
    teachers = student["teachers_seconds"]  # it learned from this run's bytegrams and n-gram rows
    assert teachers["yardstick"] == pytest.approx(ngrams["fit_seconds"], abs=0.01) and teachers["predict"] > 0
    assert byte_model["phone_macro_f1"] == byte_model["val_macro_f1"]
    assert report["test"] == report["test_leak_free"] > 0  # an own file's test split has no residue
    for row in report["rows"]:  # every model scored once on the held-out split, whole and typed halfway
        assert 0 <= row["test_macro_f1"] <= 1 and row["test_leak_free_macro_f1"] == row["test_macro_f1"]
        assert 0 <= row["typed_top1"] <= row["typed_top5"] <= 1
    for row in (grams, student):  # the phone models as the keyboard ranks: their int8 files, tau from validation
        board = row["keyboard"]
        assert board["tau"] in [r["tau"] for r in board["validation"]] and board["file"] == "int8"
        chosen = max(board["validation"], key=lambda r: (round(r["macro_f1"], 6), round(r["top1"], 6), -r["tau"]))
        assert chosen["tau"] == board["tau"]
        for key in ("unadjusted", "adjusted"):
            assert 0 <= board[key]["test_top1"] <= board[key]["test_top5"] <= 1
            assert board[key]["test_leak_free_macro_f1"] == board[key]["test_macro_f1"]
    assert all("keyboard" not in r for r in (keywords, ngrams, byte_model, word_model))
    startup = report["startup"]
    assert 0 < startup["repl_to_prompt_and_bye_s"] and startup["ratio"] > 0 and startup["best_of"] == 1
    out_text = " ".join(result.stdout.split())
    assert "char 1-5-gram linear" in out_text and "int8 speed-up" in out_text and "start-up: the REPL" in out_text
    assert f"Held out: {data} test ({report['test']:,} texts, {report['test']:,} leak-free)" in out_text
    assert f"The keyboard's view: {data} test" in out_text and "bytegrams-student, tau " in out_text


def test_tweeteval_layout_is_benchmarked_both_ways(tmp_path):
    hearts = [f"love you so much {i}\ufe0f" for i in range(40)]  # synthetic, with the residue
    jokes = [f"so funny haha {i}" for i in range(40)]
    folder = write_tweeteval(tmp_path / "te", hearts + jokes, ["0"] * 40 + ["1"] * 40,
                             val_texts=("love you", "haha\ufe0f"), val_labels=("0", "1"))
    (folder / "test_text.txt").write_text("love you\ufe0f\nso funny\nlove it\nhaha\n", encoding="utf-8")
    (folder / "test_labels.txt").write_text("0\n1\n0\n1\n", encoding="utf-8")
    (folder / "roberta_rt_test_predictions.txt").write_text("0\n1\n1\n1\n", encoding="utf-8")
    out = tmp_path / "bench.json"
    result = bench("--data", f"tweeteval:{folder}", "--models", "naive-noembd", "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["text"], r["model"]) for r in report["rows"]] == [
        (text, model) for text in ("cleaned", "published")
        for model in ("keywords (lesson 2)", "char 1-5-gram linear", "naive-noembd")] + [
        ("published", "RoBERTa-retrained (published predictions)")]
    assert set(report["text"]) >= {"cleaned", "published"}
    assert (report["test"], report["test_leak_free"]) == (4, 3)
    roberta = report["rows"][-1]  # its predictions, scored on the same tweets: 3 of 4 right, 2 of 3 leak-free
    assert (roberta["test_top1"], roberta["test_leak_free_top1"], roberta["test_top5"]) == (0.75, 2 / 3, None)
    assert all("test_leak_free_macro_f1" in r for r in report["rows"])
    assert "published" in result.stdout and "RoBERTa-retrained" in result.stdout


def test_the_student_needs_its_teacher_before_it():
    result = subprocess.run([sys.executable, "-m", "emoji_lab", "bench", "--models", "bytegrams-student", "bytegrams"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "list bytegrams before it" in result.stderr


def test_unknown_model_is_a_one_line_error():
    result = subprocess.run([sys.executable, "-m", "emoji_lab", "bench", "--models", "resnet"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr.startswith("error: unknown model 'resnet'")
