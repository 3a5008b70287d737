"""Comparing runs, measured: one row per run (plus lesson 2's keyword baseline), its table and chart, the best run.

Rows are plain dicts (one per run record, plus the keyword baseline) so the same numbers feed the tables,
the charts, the sentences of lessons 4-9, the run-comparison widget and the benchmark; nothing heavy is
imported until a function needs it. Scores are the validation split's `top1`, `top5` and `macro_f1` (a run
record's `val`, or `metrics.evaluate`); two scores that print the same at 0.1% count as equal. Only runs
trained on exactly the loaded data (same fingerprint) are compared.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.formatting import bar, pct, plural, say, size

KEYWORDS = "keywords"  # the `model` of the baseline's row
METRIC_NAMES = {"macro_f1": "macro-F1", "top1": "top-1", "top5": "top-5"}


def compare(a: float, b: float) -> int:
    """1 if a shows higher than b at 0.1%, -1 if lower, 0 if they print the same."""
    a, b = round(1000 * a), round(1000 * b)
    return (a > b) - (a < b)


def versus(name_a: str, a: Mapping[str, float], name_b: str, b: Mapping[str, float],
           metrics: Sequence[str] = ("macro_f1", "top1")) -> str:
    """'A beats B on macro-F1 (x vs y) and on top-1 (...)', or whatever mix of beats, ties and losses was measured."""
    words = {1: "beats", 0: "ties with", -1: "is below"}
    parts = []
    for metric in metrics:
        verdict = compare(a[metric], b[metric])
        parts.append((verdict, f"{METRIC_NAMES[metric]} ({pct(a[metric])} vs {pct(b[metric])})"))
    if len({v for v, _ in parts}) == 1:
        return f"{name_a} {words[parts[0][0]]} {name_b} on " + " and ".join(p for _, p in parts) + "."
    first, rest = parts[0], parts[1:]
    later = [f"{'and' if v == first[0] else 'but'} {words[v]} it on {p}" for v, p in rest]
    return f"{name_a} {words[first[0]]} {name_b} on {first[1]}, " + ", ".join(later) + "."


def budget_note(record: Mapping[str, Any]) -> str:
    """How much a run learned from: texts and epochs (a run record, or a comparison row holding one)."""
    record = record.get("record") or record
    sizes = record.get("data", {}).get("sizes", {})
    seen, total = sizes.get("trained_on"), sizes.get("train")
    epochs = len(record.get("epochs", []))
    texts = f"{seen:,} of the {total:,} training texts" if seen and total and seen < total else (
        f"all {total:,} training texts" if total else "the training texts")
    note = f"It learned from {texts} for {epochs} epoch{'s' if epochs != 1 else ''}"
    if record.get("seconds"):
        note += f" ({record['seconds'] / 60:.1f} minutes)"
    minutes = record.get("config", {}).get("minutes")
    if record.get("stopped_by") == "the clock" and minutes:
        note += f", ended by the budget of {plural(minutes, 'minute')}"
    elif record.get("stopped_by") == "early stopping":
        score = "macro-F1" if record.get("config", {}).get("kept_by") == "val_macro_f1" else "loss"
        note += f", ended when its validation {score} stopped improving"
    return note + "."


def quick_note(record: Mapping[str, Any]) -> str:
    """What `--quick` costs in quality, from this run's own epochs: a run on the clock trains the same batches
    in the same order whatever its minutes, so its first minutes are what a quicker budget trains."""
    from emoji_lab.models.registry import SPECS

    record = record.get("record") or record
    epochs, minutes = record.get("epochs") or [], record.get("config", {}).get("minutes")
    model = SPECS.get(record.get("model", ""))
    if not minutes or not epochs or "elapsed" not in epochs[0] or model is None:
        return ""
    quick, full = model.budget(True).minutes, model.budget(False).minutes
    if quick is None or full is None:  # a model without a clock
        return ""
    if minutes > quick:
        early = [e["val_macro_f1"] for e in epochs if e["elapsed"] <= quick * 60]
        if not early:
            return f"In --quick's {plural(quick, 'minute')} it would not have finished an epoch here."
        return (f"Its best validation macro-F1 within its first {plural(quick, 'minute')} (what --quick gives) was "
                f"{pct(max(early))}; it kept {pct(record['val']['macro_f1'])}.")
    if record.get("stopped_by") != "the clock" or len(epochs) < 2 or minutes >= full:
        return ""
    rise = epochs[-1]["val_macro_f1"] - epochs[-2]["val_macro_f1"]
    return (f"--quick gave it {minutes:g} of the {plural(full, 'minute')} a full lesson gives; its last epoch "
            f"{'still raised' if rise > 0 else 'changed'} its validation macro-F1 by {rise * 100:+.1f} points.")


def speed_ratio(row: Mapping[str, Any], base: Mapping[str, Any]) -> Optional[float]:
    a, b = row.get("seconds_per_epoch"), base.get("seconds_per_epoch")
    return a / b if a and b else None


def gap_in_texts(rows: Sequence[Mapping[str, Any]]) -> str:
    """The largest top-1 gap between some runs, as a number of validation texts (the scale of the differences)."""
    sizes = {(r.get("record") or r).get("data", {}).get("sizes", {}).get("val") for r in rows}
    top1 = [r["val"]["top1"] for r in rows]
    if len(sizes) != 1 or not next(iter(sizes)):
        return ""
    n = next(iter(sizes))
    texts = round((max(top1) - min(top1)) * n)
    return (f"The widest top-1 gap between them is {texts:,} of your {n:,} validation texts "
            f"({pct(max(top1) - min(top1))}).")


def runs_on(ds: Any) -> list[dict]:
    """The records of every run trained on exactly this data, oldest first."""
    from emoji_lab.training.runs import fingerprint, list_runs

    mark = fingerprint(ds)
    return [r for r in list_runs(ds.source) if r.get("data", {}).get("fingerprint") == mark and r.get("val")]


def run_row(record: Mapping[str, Any]) -> dict:
    """One run's line of the comparison: its validation scores, size and speed."""
    return {"name": record["name"], "model": record.get("model", record["name"]),
            "summary": record.get("summary", ""), "val": dict(record["val"]), "params": record.get("params"),
            "bytes": record.get("model_file_bytes"), "seconds_per_epoch": record.get("seconds_per_epoch"),
            "epochs": len(record.get("epochs", [])), "record": record}


def keyword_row(model: Any, result: Mapping[str, Any]) -> dict:
    """Lesson 2's keyword baseline as a row: its parameters are its (keyword, emoji) weights."""
    weights = sum(len(per_class) for per_class in model.keywords.values())
    return {"name": "keywords (lesson 2)", "model": KEYWORDS, "summary": "learned keywords, log-odds weights",
            "val": {k: float(result[k]) for k in ("top1", "top5", "macro_f1")}, "params": weights,
            "bytes": None, "seconds_per_epoch": None, "epochs": None, "record": None}


def comparison_rows(records: Sequence[Mapping[str, Any]], keywords: Optional[dict] = None) -> list[dict]:
    """The keyword row first (when given), then every run, best macro-F1 first."""
    rows = sorted((run_row(r) for r in records), key=lambda r: (-round(1000 * r["val"]["macro_f1"]),
                                                                -r["val"]["top1"], r["name"]))
    return ([keywords] if keywords else []) + rows


def neural(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [r for r in rows if r["model"] != KEYWORDS]


def best_row(rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The neural run with the best validation macro-F1 (then top-1)."""
    runs = neural(rows)
    if not runs:
        raise EmojiLabError("no trained run on this data yet: lessons 4 to 6 train them")
    return max(runs, key=lambda r: (round(1000 * r["val"]["macro_f1"]), r["val"]["top1"], r["name"]))


def best_saved(ds: Any, encoder: Optional[str] = None) -> Optional[str]:
    """The name of the best run saved on this data (of one encoder kind, "bytes" or "words", when given)."""
    records = [r for r in runs_on(ds) if encoder is None or r.get("encoder", {}).get("kind") == encoder]
    return best_row(comparison_rows(records))["name"] if records else None


def best_run(ds: Any, quick: bool, encoder: Optional[str] = None) -> Any:
    """The best saved run on this data (of one encoder kind, when given), loaded.

    With none saved yet, the talk's model is trained first.
    """
    from emoji_lab.models.registry import TALK_MODEL
    from emoji_lab.training.runs import matching_run

    name = best_saved(ds, encoder)
    if name is None:
        reads = {"bytes": " that reads bytes", "words": " that reads words"}.get(encoder or "", "")
        say(f"No run{reads} on this data yet: training {TALK_MODEL}, the talk's model, with the lesson budget.")
        from emoji_lab.training.train import train

        return train(TALK_MODEL, ds, quick=quick)
    run = matching_run(name, ds)
    say(f"Your best run: {name} (validation macro-F1 {pct(run.record['val']['macro_f1'])}).")
    return run


def comparison_table(rows: Sequence[Mapping[str, Any]], title: str = "Every run on your data (validation)") -> Any:
    """Scores, parameters, model file size and seconds per epoch, one row per run; fits 80 columns."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
    table.add_column("run", overflow="fold", ratio=1)
    for header in ("top-1", "top-5", "macro-F1", "params", "size", "s/epoch"):
        table.add_column(header, justify="right", no_wrap=True)
    for row in rows:
        speed = row["seconds_per_epoch"]
        table.add_row(row["name"], pct(row["val"]["top1"]), pct(row["val"]["top5"]), pct(row["val"]["macro_f1"]),
                      f"{row['params']:,}" if row["params"] is not None else "-", size(row["bytes"]),
                      f"{speed:.0f}" if speed else "-")
    keywords = "; keywords' params: their (keyword, emoji) weights" if any(r["model"] == KEYWORDS for r in rows) else ""
    table.caption = (f"size: the saved .keras file{keywords}. s/epoch: median seconds per training epoch; "
                     "speeds vary run to run, so compare them on one machine.")
    table.caption_justify = "left"
    return table


def chart_lines(rows: Sequence[Mapping[str, Any]], metric: str = "macro_f1", width: int = 36) -> list[str]:
    """A horizontal bar per run for one score, scaled to the best; the keyword baseline drawn in ░."""
    if not rows:
        return []
    top = max(r["val"][metric] for r in rows) or 1.0
    name_width = min(max(len(r["name"]) for r in rows), 22)
    lines = [f"validation {METRIC_NAMES[metric]} (bars scaled to the best)"]
    for row in rows:
        value = row["val"][metric]
        drawn = bar(value / top, width, "░" if row["model"] == KEYWORDS else "█")
        lines.append(f"{row['name'][:name_width]:<{name_width}} {drawn:<{width}} {pct(value):>6}")
    return lines


def comparison_chart(rows: Sequence[Mapping[str, Any]], metrics: Sequence[str] = ("macro_f1", "top1")) -> Any:
    """The terminal chart: one block of bars per score."""
    from rich.console import Group
    from rich.text import Text

    blocks: list[Any] = []
    for metric in metrics:
        blocks.append(Text("\n".join(chart_lines(rows, metric))))
        blocks.append(Text(""))
    return Group(*blocks[:-1])
