"""`python -m emoji_lab train` and `evaluate` as a learner runs them: real subprocesses on a tiny file of lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from rich.cells import cell_len
from test_export import fake_app
from test_train import tiny_lines

from emoji_lab.deploy import app as app_files


def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "emoji_lab", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "tiny.txt"
    path.write_text("\n".join(tiny_lines()) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tiny_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "my-run"
    result = run("train", "--data", str(tiny_file), "--model", "naive-embed-blstm", "--out", str(out),
                 "--epochs", "1", "--quick")
    return out, result


def test_train_writes_the_run_quietly(trained):
    out, result = trained
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no TensorFlow log lines
    assert "\x1b" not in result.stdout and f"saved to {out}" in result.stdout
    assert f"tensorboard --logdir {out.parent}" in result.stdout
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    assert record["name"] == "my-run" and record["config"]["epochs"] == 1 and (out / "best.keras").is_file()
    assert record["config"]["class_weight_power"] == 0.5  # the sequence models' half class weights


def test_evaluate_json_matches_the_record(trained, tiny_file):
    out, _ = trained
    result = run("evaluate", "--model", str(out), "--data", str(tiny_file), "--split", "val", "--json")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    scores = json.loads(result.stdout)
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    assert scores["split"] == "val" and scores["run"] == "my-run"
    for key in ("top1", "top5", "macro_f1"):
        assert scores[key] == pytest.approx(record["val"][key])
    assert [row["emoji"] for row in scores["per_class"]] == record["labels"]


def test_evaluate_table_fits_80_columns(trained, tiny_file):
    out, _ = trained
    result = run("evaluate", "--model", str(out), "--data", str(tiny_file), "--split", "test")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "macro-F1" in result.stdout and "test split" in result.stdout
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80


def _one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert all(word in result.stderr for word in words), result.stderr


def test_unknown_model_name(tmp_path):
    _one_line_error(run("train", "--model", "big-lstm", "--out", str(tmp_path / "x")), "big-lstm", "chcnn-blstm")


def test_missing_run_folder(tmp_path):
    _one_line_error(run("evaluate", "--model", str(tmp_path / "nowhere"), "--data", "sample"), "nowhere")


def test_absent_test_split(tmp_path):
    """A TweetEval-layout folder without test files (made-up lines): asking for test says so in one line."""
    folder = tmp_path / "tweeteval-like"
    folder.mkdir()
    (folder / "mapping.txt").write_text("0\t❤\t_red_heart_\n1\t😂\t_face_with_tears_of_joy_\n", encoding="utf-8")
    for split in ("train", "val"):
        (folder / f"{split}_text.txt").write_text("love it\nso funny\n", encoding="utf-8")
        (folder / f"{split}_labels.txt").write_text("0\n1\n", encoding="utf-8")
    run_folder = tmp_path / "run"
    run_folder.mkdir()
    for name in ("record.json", "best.keras"):
        (run_folder / name).write_text("{}", encoding="utf-8")  # the split is checked before the model loads
    _one_line_error(run("evaluate", "--model", str(run_folder), "--data", f"tweeteval:{folder}", "--split", "test"),
                    "no test split")


def test_lesson_9s_phone_model_trains_every_epoch_of_the_lessons_budget(tiny_file, tmp_path):
    """`train --model bytegrams` without --epochs trains as lesson 9 does: its full budget, every epoch, the last
    one kept (not the CLI's 20 epochs with early stopping)."""
    from emoji_lab.models.registry import spec

    epochs = spec("bytegrams").budget().epochs
    out = tmp_path / "phone"
    result = run("train", "--data", str(tiny_file), "--model", "bytegrams", "--out", str(out))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    assert record["config"]["epochs"] == len(record["epochs"]) == record["best_epoch"] == epochs
    assert record["config"]["kept_by"] == "last epoch" and f"kept epoch {epochs} (last" in result.stdout


def test_lesson_9s_phone_model_from_one_command_then_exported(tiny_file, tmp_path):
    """`train --model bytegrams-student` makes what lesson 9 makes: a bytegrams teacher, then the student that
    starts from its weights and learns from it and the yardstick; `export` ships the student."""
    out = tmp_path / "phone"
    result = run("train", "--data", str(tiny_file), "--model", "bytegrams-student", "--out", str(out),
                 "--epochs", "2", "--quick")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    teacher = tmp_path / "phone-teacher"
    assert f"teacher saved to {teacher}" in result.stdout and f"saved to {out}" in result.stdout
    taught = json.loads((teacher / "record.json").read_text(encoding="utf-8"))
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    assert taught["model"] == record["model"] == "bytegrams" and taught["name"] == "phone-teacher"
    assert record["name"] == "phone" and record["config"]["start_from"] == "phone-teacher"
    assert record["teachers"]["gram_run"] == "phone-teacher" and record["config"]["epochs"] == 2
    assert record["teachers"]["yardstick"]["params"] > 0

    app = fake_app(tmp_path / "ios_starter")
    shipped = run("export", "--model", str(out), "--quantize", "int8", "--ios", str(app))
    assert shipped.returncode == 0 and shipped.stderr == "", shipped.stderr
    assert shipped.stdout.startswith("converted phone (int8): builtin ops only")
    labels = (app_files.app_resources(app) / "labels.txt").read_text(encoding="utf-8").split()
    assert labels == record["labels"]
