"""Shared fixtures: an isolated home, cache and iPhone app per test, the TweetEval copy in ../shared, and the
one course home where the lessons' and the notebooks' runs are trained once."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_TWEETEVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "tweeteval-emoji"

needs_tweeteval = pytest.mark.skipif(
    not (SHARED_TWEETEVAL / "train_text.txt").is_file(),
    reason="TweetEval copy not present (../shared/data/tweeteval-emoji)")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's progress, runs or cache, or the app in ios_starter/."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("EMOJI_LAB_HOME", str(base / "home"))
    monkeypatch.setenv("EMOJI_LAB_CACHE", str(base / "cache"))
    monkeypatch.delenv("EMOJI_LAB_TWEETEVAL_URL", raising=False)
    monkeypatch.setenv("EMOJI_LAB_IOS", str(base / "no-ios-app"))  # never the repository's own app
    # Lessons train their models for minutes on `sample`: here each stops on the clock after its first epoch
    # (the same code path, a shorter budget; tests of the budgets themselves unset it).
    monkeypatch.setenv("EMOJI_LAB_MINUTES", "0.2")
    monkeypatch.setenv("EMOJI_LAB_BACKGROUND", "off")  # no worker process behind a test's back (test_background)
    return base


@pytest.fixture(scope="session")
def small_chcnn_run(tmp_path_factory):
    """The talk's char-CNN + BiLSTM after one epoch on 512 `sample` texts: a real byte model, trained once, for the
    export's tests and the app's runtime tests."""
    from emoji_lab.data.sources import load
    from emoji_lab.training.plan import Plan
    from emoji_lab.training.train import train

    return train(Plan.of("chcnn-blstm", epochs=1, max_train=512, runs_root=tmp_path_factory.mktemp("runs")),
                 load("sample"), progress=False)


@pytest.fixture(scope="session")
def course_home(tmp_path_factory):
    """One home for the lessons played in order, as a learner does: whoever plays a lesson first (its notebook
    or its console steps) trains the runs, and the other reloads them, as lesson 5 reloads lesson 4's."""
    return tmp_path_factory.mktemp("course") / "home"
