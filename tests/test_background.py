"""The background training of the lessons' models, end to end: a real worker process on a tiny file of lines,
killed while training, started again, finished, and picked up by lesson 4's own step."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_train import tiny_lines

from emoji_lab.data.sources import load
from emoji_lab.repl.lesson import background_models, find_step, load_lessons
from emoji_lab.training import background
from emoji_lab.training.runs import run_dir


def wait_for(condition, what: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}: {background.status()}"
        time.sleep(0.2)


@pytest.fixture
def lines_file(tmp_path, monkeypatch):
    monkeypatch.delenv(background.ENV, raising=False)  # on here, off for every other test
    monkeypatch.setenv("EMOJI_LAB_MINUTES", "0.05")  # a few seconds per model: one or two epochs
    path = tmp_path / "tiny.txt"
    path.write_text("\n".join(tiny_lines()) + "\n", encoding="utf-8")
    return str(path)


def test_a_killed_worker_leaves_nothing_half_trained_and_the_next_one_finishes_for_the_lesson(lines_file, capsys):
    models = background_models(load_lessons())  # what the lesson files name, in lesson order
    assert models == ["naive-noembd", "naive-noembd-blstm", "naive-noembd-2lstm", "chcnn-blstm"]
    first, start = models[0], (lambda: background.start(lines_file, False, models, "lessons 4-6"))
    assert "Lessons 4-6's 4 models now train in the background" in " ".join(start().split())
    assert start() is None  # one worker: a second console starts nothing
    wait_for(lambda: background.status().get("current") == first and any(
        e["event"] == "batch" for e in background._read_events(first)), "the first model's training")
    pid = background.status()["pid"]
    os.kill(pid, signal.SIGKILL)  # a crash, or a laptop's battery running out
    wait_for(lambda: not background.alive(), "the killed worker's lock to go")
    assert not run_dir(first, load(lines_file).source).exists()  # nothing half-trained was kept
    assert "stopped before it finished" in " ".join(background.report("lessons 1-6").split())

    assert "train in the background" in start()  # the next lesson opened
    wait_for(lambda: background.status().get("pid") != pid, "the new worker")
    ds = load(lines_file)
    run = background.trained(first, ds)  # watched live, or loaded if already done
    out = capsys.readouterr().out
    assert run.record["model"] == first and "kept epoch" in out
    assert "in the background" in out or "already trained" in out
    wait_for(lambda: background.status().get("state") == "finished", "every model", seconds=400)
    report = background.report("lessons 1-6")
    assert report.count("done:") == len(models) and all(model in report for model in models)
    assert start() is None  # all trained: nothing starts again

    # Lesson 4's step picks up the worker's run: shown, not trained again.
    _, step = find_step(load_lessons(), "04.7")
    ns = {"ds": ds, "QUICK": False}
    created = background.finished_run(first, ds, False).record["created"]
    exec(step.code, ns)
    out = capsys.readouterr().out
    assert ns["run4"].record["created"] == created and "already trained" in out and "kept epoch" in out
    assert "Up to" not in out  # no new training began


def test_trained_trains_here_without_a_worker_and_reloads_only_the_same_budget(lines_file, monkeypatch, capsys):
    monkeypatch.setenv(background.ENV, "off")
    ds = load(lines_file)
    run = background.trained("naive-noembd", ds, quick=True)
    assert run.record["config"]["minutes"] == 0.05 and "Up to 40 epochs" in capsys.readouterr().out
    assert background.trained("naive-noembd", ds, quick=True).record["created"] == run.record["created"]
    monkeypatch.setenv("EMOJI_LAB_MINUTES", "0.06")  # a longer budget than the run had: trained again
    assert background.trained("naive-noembd", ds, quick=True).record["config"]["minutes"] == 0.06
    assert "is off" in " ".join(background.report("lessons 1-6").split())


@pytest.mark.parametrize("written", [b"[]", b'{"state": "training", "models": "naive-noembd"}', b"\xff\xfe{}",
                                     b'{"data": {"source": "sample"}, "state": 1}', b"[" * 50_000])
def test_a_status_no_worker_wrote_is_no_status_and_the_console_starts(written, tmp_path, monkeypatch):
    monkeypatch.delenv(background.ENV, raising=False)
    background.folder().mkdir(parents=True)
    (background.folder() / background.STATUS).write_bytes(written)
    assert background.status() == {}
    assert background.report("lessons 1-6").startswith("No background training yet")
    sys.path.insert(0, str(Path(__file__).resolve().parent / "lessons_fixture"))
    from repl_driver import repl

    result = repl(background.folder().parent, ["training", "bye"], EMOJI_LAB_BACKGROUND="on")
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    assert "No background training yet" in result.stdout


def test_a_worker_started_with_a_relative_home_and_data_path_writes_where_the_console_reads(lines_file, tmp_path,
                                                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EMOJI_LAB_HOME", "home-here")  # relative, as a learner may type it
    relative = os.path.relpath(lines_file, tmp_path)
    assert background.start(relative, True, ["naive-noembd"], "lesson 4")
    wait_for(lambda: background.status().get("state") in ("finished", "failed"), "the worker's end", seconds=120)
    assert background.status()["state"] == "finished", background.status()
    assert background.finished_run("naive-noembd", load(lines_file), True) is not None
    assert (tmp_path / "home-here" / "runs").is_dir() and not (background.folder() / "home-here").exists()


def test_a_worker_that_died_at_its_start_is_reported_with_its_last_words(tmp_path, monkeypatch):
    monkeypatch.delenv(background.ENV, raising=False)
    background.folder().mkdir(parents=True)
    job = background.folder() / "job.json"
    job.write_text('{"data": {"source": "sample"}}', encoding="utf-8")  # no models: not a job the console writes
    with open(background.folder() / background.LOG, "ab") as log:
        done = subprocess.run([sys.executable, "-m", "emoji_lab.training.background", str(job), "7"], stdout=log,
                              stderr=subprocess.STDOUT, timeout=60)
    assert done.returncode == 2
    report = " ".join(background.report("lessons 1-6").split())
    assert report.startswith("The background training stopped as it began: error: Bad file descriptor")
    for lock in ("x", "-1"):
        bad = subprocess.run([sys.executable, "-m", "emoji_lab.training.background", str(job), lock],
                             capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2 and bad.stderr.startswith("error: LOCK_FD must be the number of an open file")
    job.write_text("{not json", encoding="utf-8")
    broken = subprocess.run([sys.executable, "-m", "emoji_lab.training.background", str(job)], capture_output=True,
                            text=True, timeout=60)
    assert broken.returncode == 2 and broken.stderr.startswith(f"error: {job} is not a job the console wrote")


def test_a_run_of_another_model_under_the_lessons_name_is_never_restored_as_the_lessons_model(lines_file):
    """A bytegrams run saved as `naive-noembd` (`train --model bytegrams --out .../naive-noembd`, or a Plan's name)
    must not be shown as lesson 4's LSTM: resume and the lessons' `trained` refuse it, so the lesson trains."""
    from emoji_lab.common.errors import EmojiLabError
    from emoji_lab.training.plan import Plan
    from emoji_lab.training.runs import matching_run, restore_runs
    from emoji_lab.training.train import train

    ds = load(lines_file)
    train(Plan.of("bytegrams", True, name="naive-noembd"), ds, progress=False)
    assert background.finished_run("naive-noembd", ds, True) is None
    with pytest.raises(EmojiLabError, match="the saved run 'naive-noembd' is a bytegrams run, not the naive-noembd"):
        restore_runs({"ds": ds, "QUICK": True}, {"run4": "naive-noembd"}, {})
    with pytest.raises(EmojiLabError, match="is a bytegrams run"):
        matching_run("naive-noembd", ds)


def test_a_run_of_the_lessons_model_with_a_smaller_budget_is_never_restored(lines_file):
    """The lesson's model on the same data, but one epoch where the lesson gives forty: resume refuses it (the lesson
    trains), so a lesson never reports a run shorter than the one it describes."""
    from emoji_lab.common.errors import EmojiLabError
    from emoji_lab.training.plan import Plan
    from emoji_lab.training.runs import restore_runs
    from emoji_lab.training.train import train

    ds = load(lines_file)
    train(Plan.of("naive-noembd", True, epochs=1, minutes=0.05), ds, progress=False)
    with pytest.raises(EmojiLabError, match="the saved run 'naive-noembd' had a smaller budget"):
        restore_runs({"ds": ds, "QUICK": True}, {"run4": "naive-noembd"}, {})
    train(Plan.of("naive-noembd", True), ds, progress=False)  # the lesson's own budget: restored
    restored: dict = {"ds": ds, "QUICK": True}
    restore_runs(restored, {"run4": "naive-noembd"}, {})
    assert restored["run4"].record["config"]["epochs"] == Plan.of("naive-noembd", True).budget.epochs
