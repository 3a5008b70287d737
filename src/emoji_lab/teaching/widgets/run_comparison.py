"""Lesson 7's run comparison as a widget: pick a measure (a score, or what a run costs) and see every run
ranked by it, as bars.

The rows are lesson 7's (`comparison_rows`: the keyword baseline, then every run). `measure_view`
ranks them for one measure (plain data, tested without a browser); `build_run_comparison` is the
Jupyter widget; `run_comparison_terminal` draws the cost measures for the console, since the step
before already charted the scores.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Sequence

from emoji_lab.common.formatting import bar, pct, size
from emoji_lab.teaching.compare import KEYWORDS


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    higher_is_better: bool
    value: Callable[[Mapping[str, Any]], Optional[float]]
    show: Callable[[float], str]


MEASURES = (
    Measure("macro_f1", "validation macro-F1", True, lambda r: r["val"]["macro_f1"], pct),
    Measure("top1", "validation top-1", True, lambda r: r["val"]["top1"], pct),
    Measure("top5", "validation top-5", True, lambda r: r["val"]["top5"], pct),
    Measure("params", "parameters", False, lambda r: r["params"], lambda v: f"{v:,.0f}"),
    Measure("bytes", "saved file size", False, lambda r: r["bytes"], size),
    Measure("seconds_per_epoch", "seconds per training epoch", False, lambda r: r["seconds_per_epoch"],
            lambda v: f"{v:.0f} s"),
)
BY_KEY = {m.key: m for m in MEASURES}
COSTS = ("params", "bytes", "seconds_per_epoch")


def measure_view(rows: Sequence[Mapping[str, Any]], key: str) -> dict:
    """Rows that have this measure, best first, each with its bar as a share of the largest value."""
    if key not in BY_KEY:
        raise ValueError(f"measure {key!r}: choose one of {', '.join(BY_KEY)}")
    measure = BY_KEY[key]
    have = [(row, measure.value(row)) for row in rows if measure.value(row) is not None]
    have.sort(key=lambda pair: (-pair[1] if measure.higher_is_better else pair[1], pair[0]["name"]))
    top = max((value for _, value in have), default=0) or 1.0
    items = [{"name": row["name"], "value": value, "shown": measure.show(value), "share": value / top,
              "keywords": row["model"] == KEYWORDS} for row, value in have]
    missing = [row["name"] for row in rows if measure.value(row) is None]
    order = "best first" if measure.higher_is_better else "smallest first"
    return {"key": key, "title": f"{measure.name} ({order})", "items": items, "missing": missing}


def view_lines(view: dict, width: int = 30) -> list[str]:
    """The view as text bars (the keyword baseline in ░)."""
    if not view["items"]:
        return [f"{view['title']}: no run has it"]
    name_width = min(max(len(item["name"]) for item in view["items"]), 22)
    lines = [view["title"]]
    for item in view["items"]:
        drawn = bar(item["share"], width, "░" if item["keywords"] else "█")
        lines.append(f"{item['name'][:name_width]:<{name_width}} {drawn:<{width}} {item['shown']:>9}")
    if view["missing"]:
        lines.append(f"(not measured for: {', '.join(view['missing'])})")
    return lines


def view_html(view: dict, width_px: int = 260) -> str:
    """The view as HTML bars (the widget's output)."""
    parts = [f"<div style='font-weight:bold;margin:4px 0'>{html.escape(view['title'])}</div>"]
    for item in view["items"]:
        color = "#bbbbbb" if item["keywords"] else "#4c72b0"
        px = max(round(width_px * item["share"]), 1)
        parts.append("<div style='font-family:monospace;line-height:1.7'>"
                     f"<span style='display:inline-block;width:14em'>{html.escape(item['name'])}</span>"
                     f"<span style='display:inline-block;width:{px}px;height:0.8em;background:{color}'></span>"
                     f" {html.escape(item['shown'])}</div>")
    if view["missing"]:
        parts.append(f"<div style='color:#777'>not measured for: {html.escape(', '.join(view['missing']))}</div>")
    return "".join(parts)


def build_run_comparison(rows: Sequence[Mapping[str, Any]], key: str = "macro_f1") -> Any:
    """The Jupyter widget: a measure picker over lesson 7's rows; the bars redraw when you pick."""
    import ipywidgets as w

    picker = w.ToggleButtons(options=[(m.name, m.key) for m in MEASURES], value=key, description="measure")
    out = w.HTML(view_html(measure_view(rows, key)))

    def update(change: dict) -> None:
        out.value = view_html(measure_view(rows, change["new"]))

    picker.observe(update, names="value")
    return w.VBox([picker, out])


def run_comparison_terminal(rows: Sequence[Mapping[str, Any]]) -> Any:
    """The console's widget step: every run ranked by what it costs (the scores were charted just before)."""
    from rich.text import Text

    blocks = ["\n".join(view_lines(measure_view(rows, key))) for key in COSTS]
    return Text("\n\n".join(blocks))
