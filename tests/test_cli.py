"""`python -m emoji_lab` as a learner runs it: real subprocesses, stdout and stderr checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import SHARED_TWEETEVAL, needs_tweeteval
from rich.cells import cell_len


def run(*args: str, env_extra: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env_extra or {})}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_help_lists_subcommands():
    result = run("-m", "emoji_lab", "--help")
    assert result.returncode == 0
    assert "data" in result.stdout and "emoji_lab.repl" in result.stdout


def test_data_stats_sample_json():
    result = run("-m", "emoji_lab", "data", "stats", "--data", "sample", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["lines"] >= 20_000 and len(stats["labels"]) == 20 == len(stats["counts"])
    assert stats["examples"] == sum(stats["splits"].values()) == sum(stats["counts"])
    assert stats["labels"] == [row["emoji"] for row in stats["popularity"][:20]]  # classes in rank order
    assert len(stats["popularity"]) >= 25 and stats["dropped"]["no emoji"] > 0
    assert result.stderr == ""


def test_data_stats_table_in_80_columns():
    result = run("-m", "emoji_lab", "data", "stats", "--data", "sample", env_extra={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert "Emoji popularity: sample" in result.stdout and ":joy:" in result.stdout
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80


@needs_tweeteval
def test_data_stats_tweeteval_folder():
    result = run("-m", "emoji_lab", "data", "stats", "--data", f"tweeteval:{SHARED_TWEETEVAL}", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["splits"] == {"train": 45_000, "val": 5_000} and stats["labels"][0] == "❤️"


def test_bad_input_is_one_line_without_traceback(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9 😂\n".encode("utf-8").replace(b"\xc3\xa9", b"\xe9"))
    for source in ("nonsense", str(bad), f"tweeteval:{tmp_path / 'nowhere'}"):
        result = run("-m", "emoji_lab", "data", "stats", "--data", source)
        assert result.returncode == 2
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_bad_training_minutes_are_one_line_before_any_work(tmp_path):
    """`train --minutes` (no clock by default) and EMOJI_LAB_MINUTES: a bad value is one line, nothing trained."""
    result = run("-m", "emoji_lab", "train", "--model", "naive-noembd", "--minutes", "0", "--out", str(tmp_path / "r"))
    assert result.returncode == 2 and result.stderr == "error: --minutes must be more than 0, not 0\n"
    result = run("-m", "emoji_lab", "train", "--model", "naive-noembd", "--quick", "--out", str(tmp_path / "r"),
                 env_extra={"EMOJI_LAB_MINUTES": "soon"})
    assert result.returncode == 2 and result.stderr.startswith("error: EMOJI_LAB_MINUTES=soon is not a number")
    assert result.stderr.count("\n") == 1 and not (tmp_path / "r").exists()


def test_download_reports_offline_failure_in_one_line(tmp_path):
    # Port 9 on loopback: nothing listens, the connection is refused at once.
    result = run("-m", "emoji_lab", "data", "download", "tweeteval",
                 env_extra={"EMOJI_LAB_TWEETEVAL_URL": "http://127.0.0.1:9/emoji/"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "mapping.txt" in result.stderr and result.stderr.count("\n") == 1


def test_tensorflow_import_is_silent():
    """oneDNN, CUDA-stub and absl lines never reach the learner's terminal."""
    code = ("from emoji_lab.common.backend import import_tensorflow; tf = import_tensorflow(); import keras; "
            "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]); "
            "print(m.predict(tf.zeros((1, 3)), verbose=0).shape)")
    result = run("-c", code, timeout=300)
    assert result.returncode == 0 and result.stdout.strip() == "(1, 2)"
    assert result.stderr == ""
