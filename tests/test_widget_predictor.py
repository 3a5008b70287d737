"""The live predictor: its view, the typing frames, the latency sentence, the terminal step and the ipywidget."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from emoji_lab.teaching.widgets import predictor as pr

LABELS = ["😂", "❤️", "😍", "😭", "🎉", "😴", "🔥"]


class FakeRun:
    """A run whose answer depends on the text's length, and which counts its calls."""

    name = "fake-run"

    def __init__(self) -> None:
        self.calls = 0

    def top(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        self.calls += 1
        start = len(text) % 3
        return [(e, 0.5 / (i + 1)) for i, e in enumerate(LABELS[start:start + k])]


def draw(renderable) -> str:
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(renderable)
    return out.getvalue()


def test_view_is_the_runs_top_five_with_timing():
    view = pr.predictor_view(FakeRun(), "abc")
    assert [t["emoji"] for t in view["top"]] == LABELS[:5] and view["top"][1]["probability"] == 0.25
    assert view["text"] == "abc" and view["ms"] >= 0


def test_frames_end_at_words_and_keystrokes_are_every_prefix():
    text = "I wanna go home and go to sleep"
    frames = pr.typing_frames(text, n=4)
    assert frames[0] == "I" and frames[-1] == text and len(frames) == 4
    assert all(text[len(f):len(f) + 1] in ("", " ") for f in frames)  # each ends at a word boundary
    assert pr.typing_frames("two words", n=4) == ["two", "two words"]
    assert pr.keystrokes("abc") == ["a", "ab", "abc"]


def test_latency_counts_each_keystroke_after_warm_up():
    run = FakeRun()
    latency = pr.measure_latency(run, "hello", warmup=2)
    assert run.calls == 2 + 5 and latency["keystrokes"] == 5
    assert 0 <= latency["median_ms"] <= latency["max_ms"] and latency["budget_ms"] == pr.BUDGET_MS


@pytest.mark.parametrize("median, slowest, expected", [
    (3.0, 9.0, "every one under the 50 ms budget"),
    (30.0, 70.0, "the slowest is over the 50 ms budget"),
    (60.0, 90.0, "even the median is over the 50 ms budget"),
])
def test_latency_sentence_says_what_was_measured(median, slowest, expected):
    text = pr.latency_sentence({"keystrokes": 31, "median_ms": median, "max_ms": slowest, "budget_ms": 50.0})
    assert text.startswith(f"31 keystrokes timed after warm-up: median {median:.1f} ms") and expected in text


def test_terminal_step_types_the_talks_sentence():
    shown = draw(pr.predictor_terminal(FakeRun()))
    assert "fake-run, as you type:" in shown and "> I wanna go home and go to sleep" in shown
    assert "50.0%" in shown and "keystrokes timed after warm-up" in shown and "show_top(best" in shown
    assert max(len(line) for line in shown.splitlines()) <= 80


def test_bars_are_proportional():
    view = {"top": [{"emoji": "🎉", "probability": 0.5}, {"emoji": "😂", "probability": 0.1}]}
    lines = draw(pr.bars(view, width=10)).splitlines()
    assert lines[0].count("█") == 5 and lines[1].count("█") == 1 and "50.0%" in lines[0]


def test_widget_redraws_on_every_keystroke():
    run = FakeRun()
    widget = pr.build_predictor(run, text="ab")
    box, output = widget.children
    assert box.value == "ab" and box.continuous_update
    assert output.value.index(LABELS[2]) < output.value.index(LABELS[3])  # len 2: starts at the third emoji
    assert run.calls == 2  # a warm-up call first, so the time shown is not the model's compilation
    box.value = "abc"  # len 3: starts at the first emoji
    assert LABELS[0] in output.value and "50.0%" in output.value and run.calls == 3
    assert "<script" not in pr.view_html({"top": [{"emoji": "<script>", "probability": 1.0}], "ms": 1.0})


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_a_real_model_answers_within_the_keystroke_budget(tmp_path):
    """The talk's model (untrained: the speed does not depend on the weights) on one keystroke after another."""
    from emoji_lab.data.encoders import ByteEncoder
    from emoji_lab.models.registry import build_model
    from emoji_lab.training.runs import Run

    run = Run("chcnn-blstm", tmp_path, build_model("chcnn-blstm", len(LABELS)), LABELS, {}, ByteEncoder())
    fast = pr.predictor_for(run)
    assert pr.predictor_for(run) is fast  # compiled once per model
    for text in ("I wanna go home and go to sleep", "x" * 300, ""):
        expected, got = run.top(text, 7), fast.top(text, 7)
        assert [e for e, _ in got] == [e for e, _ in expected]
        assert max(abs(a - b) for (_, a), (_, b) in zip(got, expected)) < 1e-5
    latency = pr.measure_latency(run)
    assert latency["median_ms"] < pr.BUDGET_MS, latency


def test_anything_with_top_is_used_as_it_is():
    run = FakeRun()
    assert pr.predictor_for(run) is run
