"""The background training of the lessons' models, end to end: a real worker process on a tiny file of lines,
killed while training, started again, finished, and picked up by lesson 4's own step."""

from __future__ import annotations

import os
import signal
import time

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
