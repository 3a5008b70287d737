"""Lesson 7's run-comparison widget: ranking by each measure, the picker driven without a browser, the terminal."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from emoji_lab.teaching.compare import keyword_row
from emoji_lab.teaching.widgets import run_comparison as rc


class FakeKeywords:
    keywords = {0: {"a": 1.0, "b": 2.0}, 1: {"c": 0.5}}


def run(name, f1, top1, top5, params, size, speed):
    return {"name": name, "model": name, "summary": "", "val": {"macro_f1": f1, "top1": top1, "top5": top5},
            "params": params, "bytes": size, "seconds_per_epoch": speed, "epochs": 3, "record": None}


@pytest.fixture
def rows():
    keywords = keyword_row(FakeKeywords(), {"top1": 0.5, "top5": 0.7, "macro_f1": 0.4})
    return [keywords, run("deep", 0.6, 0.62, 0.9, 650_000, 7_800_000, 48.0),
            run("small", 0.55, 0.66, 0.88, 266_000, 3_200_000, 38.0)]


def test_scores_rank_best_first_and_costs_smallest_first(rows):
    f1 = rc.measure_view(rows, "macro_f1")
    assert [i["name"] for i in f1["items"]] == ["deep", "small", "keywords (lesson 2)"]
    assert f1["items"][0]["share"] == 1.0 and f1["items"][2]["keywords"] and "best first" in f1["title"]
    top1 = rc.measure_view(rows, "top1")
    assert [i["name"] for i in top1["items"]] == ["small", "deep", "keywords (lesson 2)"]
    params = rc.measure_view(rows, "params")
    assert [i["name"] for i in params["items"]] == ["keywords (lesson 2)", "small", "deep"]
    assert params["items"][0]["shown"] == "3" and "smallest first" in params["title"]


def test_a_measure_a_row_lacks_is_named_not_drawn(rows):
    size = rc.measure_view(rows, "bytes")
    assert [i["name"] for i in size["items"]] == ["small", "deep"]
    assert size["missing"] == ["keywords (lesson 2)"]
    assert "(not measured for: keywords (lesson 2))" in rc.view_lines(size)
    with pytest.raises(ValueError, match="choose one of macro_f1"):
        rc.measure_view(rows, "speed")


def test_widget_redraws_when_a_measure_is_picked(rows):
    box = rc.build_run_comparison(rows)
    picker, out = box.children
    assert out.value.index("deep") < out.value.index("small")
    picker.value = "seconds_per_epoch"
    assert "seconds per training epoch" in out.value and "38 s" in out.value
    assert out.value.index("small") < out.value.index("deep")


def test_terminal_shows_the_three_costs(rows):
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(rc.run_comparison_terminal(rows))
    text = console.file.getvalue()
    for title in ("parameters (smallest first)", "saved file size (smallest first)",
                  "seconds per training epoch (smallest first)"):
        assert title in text
    assert "░" in text and "█" in text
