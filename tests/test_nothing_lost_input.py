"""Bad input before any long work (#36, "Nothing lost II"): an own file never trains into a course source's runs,
a run is scored only on its own split, and odd names, files and values are one line, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED_TWEETEVAL, needs_tweeteval

from emoji_lab.common.errors import DataError, EmojiLabError
from emoji_lab.data.source import parse_source
from emoji_lab.data.sources import load
from emoji_lab.models.budgets import Budget
from emoji_lab.training.plan import Plan
from emoji_lab.training.runs import runs_of

SHARED_TESTDEV = SHARED_TWEETEVAL.parent / "tweeteval-emoji-testdev"
LINES = [f"{words} {i} {emoji}" for i in range(60)
         for words, emoji in (("so funny lol", "😂"), ("love you so", "❤️"), ("party tonight", "🎉"))]


def cli(*args: str | bytes, timeout: int = 300, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """`python -m emoji_lab ARGS` as a learner runs it (bytes for a name that is not UTF-8)."""
    return subprocess.run([sys.executable, "-m", "emoji_lab", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **env})


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and all(word in result.stderr for word in words), result.stderr


def own_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


def test_an_own_file_never_shares_a_course_sources_runs_folder(tmp_path, monkeypatch):
    courses = {runs_of("sample", tmp_path), runs_of("tweeteval", tmp_path), runs_of(f"tweeteval:{tmp_path}", tmp_path)}
    assert courses == {tmp_path / "sample", tmp_path / "tweeteval"}  # the lessons' folders stay where they are
    for name in ("sample.txt", "tweeteval.csv", "./sample", "sample.jsonl", ".txt"):
        assert runs_of(str(tmp_path / name), tmp_path) not in courses
    assert not parse_source(str(tmp_path / ".txt")).tag.startswith(".")  # not a hidden folder
    mine, theirs = tmp_path / "a" / "tweets.csv", tmp_path / "b" / "tweets.csv"
    assert parse_source(str(mine)).tag.startswith("tweets-")  # still found by its name in TensorBoard
    assert runs_of(str(mine), tmp_path) != runs_of(str(theirs), tmp_path)
    mine.parent.mkdir()
    monkeypatch.chdir(mine.parent)
    assert runs_of("tweets.csv", tmp_path) == runs_of(str(mine), tmp_path)  # one file, one folder, however typed
    assert len(parse_source(str(tmp_path / ("x" * 250 + ".txt"))).tag) <= 64  # a folder name the disk takes


def test_train_on_sample_txt_keeps_the_lessons_runs_and_evaluate_scores_only_the_runs_own_split(tmp_path):
    home, data = tmp_path / "home", own_file(tmp_path / "sample.txt")
    trained = cli("train", "--model", "naive-noembd", "--data", str(data), "--seed", "5", "--epochs", "1",
                  "--quick", EMOJI_LAB_HOME=str(home))
    assert trained.returncode == 0, trained.stderr
    assert not (home / "runs" / "sample").exists()
    folder = runs_of(str(data), home / "runs") / "naive-noembd"
    assert f"saved to {folder}\n" in trained.stdout and (folder / "record.json").is_file()

    for other in ([], ["--seed", "9"]):  # another seed: its val texts include texts the run trained on
        one_line_error(cli("evaluate", "--model", str(folder), "--data", str(data), *other),
                       "another split", "--seed 5")
    relative = cli("evaluate", "--model", str(folder), "--data", "sample.txt", "--seed", "4", cwd=tmp_path)
    one_line_error(relative, "--seed 5")  # however the file is typed
    scored = cli("evaluate", "--model", str(folder), "--data", str(data), "--seed", "5", "--json")
    assert scored.returncode == 0, scored.stderr
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    assert json.loads(scored.stdout)["macro_f1"] == pytest.approx(record["val"]["macro_f1"])


def test_infinite_minutes_are_refused_before_any_work(tmp_path):
    out = tmp_path / "run"
    one_line_error(cli("train", "--model", "naive-noembd", "--minutes", "inf", "--out", str(out)),
                   "--minutes must be a finite number", "inf")
    one_line_error(cli("train", "--model", "naive-noembd", "--quick", "--out", str(out), EMOJI_LAB_MINUTES="inf"),
                   "EMOJI_LAB_MINUTES=inf is not a number of minutes above 0")
    assert not out.exists()
    for minutes in (float("inf"), float("-inf")):
        with pytest.raises(EmojiLabError, match="minutes must be"):
            Plan.of("naive-noembd", minutes=minutes)
        with pytest.raises(EmojiLabError, match="minutes must be"):
            Budget(epochs=1, minutes=minutes)


def test_a_file_name_that_is_not_utf8_is_refused_at_once(tmp_path):
    name = bytes(tmp_path) + b"/data\xff.txt"
    own_file(Path(os.fsdecode(name)))
    with pytest.raises(DataError, match=r"data\\xff\.txt.*not valid UTF-8.*rename"):
        parse_source(os.fsdecode(name))
    for command in (["data", "stats"], ["train", "--model", "naive-noembd", "--out", str(tmp_path / "run")]):
        one_line_error(cli(*command, "--data", name), "data\\xff.txt", "not valid UTF-8")
    assert not (tmp_path / "run").exists()


def test_an_overlong_csv_field_and_deep_jsonl_name_the_file_and_the_line(tmp_path):
    table = tmp_path / "big.csv"
    table.write_text(f'text\nhi 😂\n"{"x" * 140_000} 😂"\nok ❤️\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"big\.csv: line 3 cannot be read as CSV: field larger than field limit"):
        load(str(table))
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"text": "hi 😂"}\n' + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"deep\.jsonl: line 2 is nested too deeply"):
        load(str(deep))
    digits = tmp_path / "digits.jsonl"
    digits.write_text('{"text": "hi 😂"}\n{"n": ' + "9" * 5_000 + "}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"digits\.jsonl: line 2 is not JSON"):
        load(str(digits))


def test_a_name_too_long_for_the_disk_is_one_line(tmp_path):
    long = str(tmp_path / ("a" * 300))
    for source in (long + ".txt", long, f"tweeteval:{long}"):
        with pytest.raises(DataError, match="too long|unknown data source"):
            load(source)
    one_line_error(cli("train", "--model", "naive-noembd", "--data", long + ".txt", EMOJI_LAB_HOME=str(tmp_path)),
                   "a.txt: cannot read it (File name too long)")


@pytest.mark.parametrize("make", ["fifo", "device", "folder"])
def test_a_pipe_a_device_or_a_folder_is_refused_before_it_is_opened(tmp_path, make):
    path = tmp_path / "data.txt"
    if make == "fifo":
        os.mkfifo(path)  # opening it would wait for a writer forever
    elif make == "device":
        path = Path("/dev/zero")  # reading it would never end
    else:
        path.mkdir()
    one_line_error(cli("data", "stats", "--data", str(path), timeout=60), str(path))
    one_line_error(cli("train", "--model", "naive-noembd", "--data", str(path), "--out", str(tmp_path / "run"),
                       timeout=60), str(path))


def tweeteval_piece(folder: Path, source: Path, names: tuple[str, ...]) -> Path:
    """The first 40 lines of some of a TweetEval copy's files, in a folder of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        with open(source / name, encoding="utf-8") as lines:
            (folder / name).write_text("".join(line for _, line in zip(range(40), lines)), encoding="utf-8")
    return folder


@needs_tweeteval
def test_a_tweeteval_folder_without_its_test_files_says_which_are_missing(tmp_path):
    folder = tweeteval_piece(tmp_path / "mirror", SHARED_TWEETEVAL, ("mapping.txt", "train_text.txt",
                             "train_labels.txt", "val_text.txt", "val_labels.txt"))
    run = tmp_path / "run"
    run.mkdir()
    for name in ("record.json", "best.keras"):
        (run / name).write_text("{}", encoding="utf-8")  # the data is checked before the run is read
    for data in (f"tweeteval:{folder}", "tweeteval"):  # a mirror folder; the cache (empty here)
        one_line_error(cli("evaluate", "--model", str(run), "--data", data, "--split", "test"),
                       "no test split", "test_text.txt", "test_labels.txt")
    if (SHARED_TESTDEV / "test_labels.txt").is_file():
        tweeteval_piece(folder, SHARED_TESTDEV, ("test_labels.txt",))
        with pytest.raises(DataError, match="has test_labels.txt but no test_text.txt"):
            load(f"tweeteval:{folder}")
        tweeteval_piece(folder, SHARED_TESTDEV, ("test_text.txt",))
        assert len(load(f"tweeteval:{folder}").splits["test"]) == 40
