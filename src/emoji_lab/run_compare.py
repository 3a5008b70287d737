"""Comparing runs, measured: the sentences of lessons 4-7, and lesson 7's table, terminal chart and `run(text)`.

Rows are plain dicts (one per run record, plus the keyword baseline) so the same numbers feed the
table, the chart and the sentences; nothing heavy is imported until a function needs it. Scores are
the validation split's `top1`, `top5` and `macro_f1` (a run record's `val`, or `metrics.evaluate`);
two scores that print the same at 0.1% count as equal. Every sentence says what was measured,
whichever way it went. Only runs trained on exactly the loaded data (same fingerprint) are compared.
"""

from __future__ import annotations

import shlex
from numbers import Real
from typing import Any, Mapping, Optional, Sequence

from .errors import EmojiLabError
from .formatting import a_or_an, plural, say, wrap

KEYWORDS = "keywords"  # the `model` of the baseline's row
FALLBACK_MODEL = "chcnn-blstm"  # trained when lesson 7 opens on data with no run at all
METRIC_NAMES = {"macro_f1": "macro-F1", "top1": "top-1", "top5": "top-5"}


# -- measured sentences --------------------------------------------------------------------------------------------
def pct(value: Optional[float]) -> str:
    """A share as a percentage with one decimal ("-" where there is none), in sentences and tables alike."""
    return "-" if value is None else f"{100 * value:.1f}%"


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
    return f"It learned from {texts} for {epochs} epoch{'s' if epochs != 1 else ''}."


def versus_keywords(name: str, scores: Mapping[str, float], keyword_scores: Mapping[str, float],
                    record: Optional[Mapping[str, Any]] = None) -> str:
    """Whether a neural model beat lesson 2's keywords, as measured, with its budget when it did not."""
    sentence = versus(name, scores, "the keyword baseline", keyword_scores)
    if compare(scores["macro_f1"], keyword_scores["macro_f1"]) > 0:
        return wrap(sentence)
    sentence = "Measured on your validation texts: " + sentence[0].lower() + sentence[1:]
    if record is not None:
        sentence += (f" {budget_note(record)} The keywords were counted on every training text. Lesson 7 "
                     "compares every run you train.")
        model, source = record.get("model"), record.get("data", {}).get("source")
        if model and source:
            from .cli import CLI_EPOCHS
            sentence += (" To train it on every text until its validation loss stops improving (many minutes; the "
                         "new run replaces this one, and lesson 7 shows it):\n"
                         f"  python -m emoji_lab train --data {shlex.quote(source)} --model {model} --epochs {CLI_EPOCHS}")
    return wrap(sentence)


def _speed(row: Mapping[str, Any], base: Mapping[str, Any]) -> Optional[float]:
    a, b = row.get("seconds_per_epoch"), base.get("seconds_per_epoch")
    return a / b if a and b else None


def depth_sentence(lstm: Mapping[str, Any], bi: Mapping[str, Any], deep: Mapping[str, Any]) -> str:
    """Lesson 5's result: did both directions, or a second LSTM, beat lesson 4's LSTM here? With time per epoch."""
    lines = [versus("The BiLSTM", bi["val"], "the LSTM", lstm["val"]),
             versus("The stacked model (two LSTMs)", deep["val"], "the LSTM", lstm["val"])]
    times = []
    for label, row in (("the BiLSTM", bi), ("the two LSTMs", deep)):
        ratio = _speed(row, lstm)
        if ratio:
            times.append(f"{label} {ratio:.1f}x")
    if times:
        lines.append("Time per epoch, compared with the LSTM's: " + ", ".join(times) + ".")
    best = best_row((lstm, bi, deep))
    lines.append(f"Best of the three on macro-F1: {best['name']}.")
    gap = gap_in_texts((lstm, bi, deep))
    if gap:
        lines.append(gap)
    return wrap("\n".join(lines))


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


def cnn_sentence(cnn: Mapping[str, Any], naive: Sequence[Mapping[str, Any]]) -> str:
    """Lesson 6's result: is the char-CNN at least as good as every naive run on this data, measured?"""
    if not naive:
        return wrap("No naive run on this data to compare with yet (lessons 4 and 5 train them); lesson 7 "
                "compares every run.")
    best = best_row(naive)
    line = versus(f"The char-CNN ({cnn['name']})", cnn["val"], f"the best naive run ({best['name']})", best["val"])
    if compare(cnn["val"]["macro_f1"], best["val"]["macro_f1"]) >= 0:
        line += f" On macro-F1 it is at least as good as {'the' if len(naive) == 1 else 'all'} {plural(len(naive), 'naive run')} on your data."
    else:
        below = [r["name"] for r in naive if compare(cnn["val"]["macro_f1"], r["val"]["macro_f1"]) < 0]
        line += (f" On your data and budget it is below {', '.join(below)} on macro-F1: the talk's "
                 f"claim does not hold here. {budget_note(cnn)}")
    return wrap(line)


def speed_sentence(cnn: Mapping[str, Any], bi: Optional[Mapping[str, Any]], cnn_steps: int, byte_steps: int) -> str:
    """The char-CNN's parameters and time per epoch against the one-hot BiLSTM's, measured."""
    if not bi:
        return wrap(f"Its BiLSTM reads {cnn_steps} pooled steps instead of {byte_steps} bytes.")
    ratio = _speed(cnn, bi)
    size = cnn["params"] / bi["params"] if bi.get("params") else None
    parts = [f"It has {cnn['params']:,} parameters" + (f" ({size:.1f}x the one-hot BiLSTM's)" if size else "")]
    if ratio:
        parts.append(f"took {ratio:.1f}x the BiLSTM's time per epoch")
    return wrap(", ".join(parts) + f"; its BiLSTM reads {cnn_steps} pooled steps instead of {byte_steps} bytes, "
                "and its convolutions add work of their own.")


def runs_on(ds: Any, data: str) -> list[dict]:
    """The records of every run trained on exactly this data, oldest first."""
    from .runs import fingerprint, list_runs

    mark = fingerprint(ds)
    return [r for r in list_runs(data) if r.get("data", {}).get("fingerprint") == mark and r.get("val")]


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


def best_saved(ds: Any, data: str, encoder: Optional[str] = None) -> Optional[str]:
    """The name of the best run saved on this data (of one encoder kind, "bytes" or "words", when given)."""
    records = [r for r in runs_on(ds, data) if encoder is None or r.get("encoder", {}).get("kind") == encoder]
    return best_row(comparison_rows(records))["name"] if records else None


def best_run(ds: Any, data: str, quick: bool, encoder: Optional[str] = None) -> Any:
    """The best saved run on this data (of one encoder kind, when given), loaded.

    With none saved yet, the talk's model is trained first.
    """
    from .neural_lesson import matching_run

    name = best_saved(ds, data, encoder)
    if name is None:
        reads = {"bytes": " that reads bytes", "words": " that reads words"}.get(encoder or "", "")
        say(f"No run{reads} on this data yet: training {FALLBACK_MODEL}, the talk's model, with the lesson budget.")
        from .train import train

        return train(FALLBACK_MODEL, ds, quick=quick)
    run = matching_run(name, ds, data)
    say(f"Your best run: {name} (validation macro-F1 {pct(run.record['val']['macro_f1'])}).")
    return run


def restore_best(ns: dict) -> None:
    """Step 07.3: `best_run` and `best`, reloaded without training."""
    from .neural_lesson import matching_run

    name = best_saved(ns["ds"], ns["DATA"])
    if name is None:
        raise EmojiLabError("no trained run on this data yet: lessons 4 to 6 train them")
    ns["best_run"] = best_run
    ns["best"] = matching_run(name, ns["ds"], ns["DATA"])


# -- drawing ---------------------------------------------------------------------------------------------------------
def _size(n_bytes: Optional[int]) -> str:
    if n_bytes is None:
        return "-"
    from .vocab_cost import format_size

    return format_size(n_bytes)


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
                      f"{row['params']:,}" if row["params"] is not None else "-", _size(row["bytes"]),
                      f"{speed:.0f}" if speed else "-")
    keywords = "; keywords' params: their (keyword, emoji) weights" if any(r["model"] == KEYWORDS for r in rows) else ""
    table.caption = (f"size: the saved .keras file{keywords}. s/epoch: median seconds per training epoch; "
                     "speeds vary run to run, so compare them on one machine.")
    table.caption_justify = "left"
    return table


def text_bar(share: float, keywords: bool, width: int) -> str:
    """A bar of `share` x `width` characters, at least one for any value above 0; the keyword baseline's in ░."""
    return ("░" if keywords else "█") * max(round(width * share), 1 if share > 0 else 0)


def chart_lines(rows: Sequence[Mapping[str, Any]], metric: str = "macro_f1", width: int = 36) -> list[str]:
    """A horizontal bar per run for one score, scaled to the best; the keyword baseline drawn in ░."""
    if not rows:
        return []
    top = max(r["val"][metric] for r in rows) or 1.0
    name_width = min(max(len(r["name"]) for r in rows), 22)
    lines = [f"validation {METRIC_NAMES[metric]} (bars scaled to the best)"]
    for row in rows:
        value = row["val"][metric]
        bar = text_bar(value / top, row["model"] == KEYWORDS, width)
        lines.append(f"{row['name'][:name_width]:<{name_width}} {bar:<{width}} {pct(value):>6}")
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


# -- the claims, as measured -------------------------------------------------------------------------------------------
def keyword_claim(rows: Sequence[Mapping[str, Any]]) -> str:
    """Did every neural run beat the keyword baseline on macro-F1? Says which did not, with numbers."""
    keywords = next((r for r in rows if r["model"] == KEYWORDS), None)
    runs = neural(rows)
    if keywords is None or not runs:
        return wrap("Nothing to compare yet: the table needs the keyword baseline and at least one run.")
    below = [r for r in runs if compare(r["val"]["macro_f1"], keywords["val"]["macro_f1"]) <= 0]
    base = pct(keywords["val"]["macro_f1"])
    if not below:
        return wrap(f"Every neural run beats the keyword baseline on macro-F1 ({base}) on your data.")
    names = ", ".join(f"{r['name']} {pct(r['val']['macro_f1'])}" for r in below)
    verb = "does" if len(below) == 1 else "do"
    return wrap(f"Measured on your data, {len(below)} of {plural(len(runs), 'neural run')} {verb} not beat the "
                f"keyword baseline's macro-F1 of {base}: {names}. {budget_span(below)}")


def budget_span(rows: Sequence[Mapping[str, Any]]) -> str:
    """At most how many texts and epochs some runs learned from, next to the keywords' every training text."""
    sizes = [(r.get("record") or {}).get("data", {}).get("sizes", {}) for r in rows]
    seen = [s["trained_on"] for s in sizes if s.get("trained_on")]
    total = max((s.get("train", 0) for s in sizes), default=0)
    epochs = max((r["epochs"] or 0 for r in rows), default=0)
    if not seen or not total:
        return ""
    who = "It" if len(rows) == 1 else "They"
    return (f"{who} learned from {'' if len(rows) == 1 else 'at most '}{max(seen):,} of the {total:,} training "
            f"texts, for {'' if len(rows) == 1 else 'at most '}{plural(epochs, 'epoch')}; the keywords were counted "
            f"on all {total:,}.")


def cnn_claim(rows: Sequence[Mapping[str, Any]]) -> str:
    """Is the best char-CNN run at least as good as the best naive one? Whatever was measured."""
    cnns = [r for r in rows if r["model"].startswith("chcnn")]
    naive = [r for r in rows if r["model"].startswith("naive")]
    if not cnns or not naive:
        missing = "char-CNN" if not cnns else "naive"
        return wrap(f"No {missing} run on this data yet, so the char-CNN cannot be compared with the naive models.")
    cnn, base = best_row(cnns), best_row(naive)
    line = versus(f"The best char-CNN run ({cnn['name']})", cnn["val"], f"the best naive run ({base['name']})",
                  base["val"])
    if compare(cnn["val"]["macro_f1"], base["val"]["macro_f1"]) >= 0:
        return wrap(line + " The talk's claim holds here.")
    return wrap(line + " On your data and budget the talk's claim does not hold.")


# -- run(text), as in the talk ---------------------------------------------------------------------------------------
# What the talk's model (top-100 emoji, Twitter, 2017) answered for its two sentences: for comparison only.
TALK_ANSWERS = {"I wanna go home and go to sleep": ("😭", "😩", "👀", "😂", "😴"),
                "happy new year! God Bless": ("🎉", "❤️", "🎈", "😊", "😘")}


def _plain(emoji: str) -> str:
    return emoji.replace("\ufe0f", "")


def format_top(top: Sequence[Sequence[Any]]) -> str:
    """[(emoji, probability), ...] as one line: '😭 34.1%  😩 12.0%  ...'."""
    return "  ".join(f"{e} {p:.1%}" for e, p in top)


def talk_sentence(text: str, top: Sequence[Sequence[Any]], labels: Sequence[str]) -> str:
    """How your top-5 for one of the talk's sentences compares with the talk's answer, counted."""
    talk = TALK_ANSWERS.get(text)
    if talk is None:
        return f"The talk did not try {text!r}."
    ours = {_plain(e) for e, _ in top}
    known = {_plain(label) for label in labels}
    shared = [e for e in talk if _plain(e) in ours]
    absent = [e for e in talk if _plain(e) not in known]
    line = f"The talk's model answered {' '.join(talk)}; {len(shared)} of those 5 are in your top-5"
    if absent:
        line += f", and {' '.join(absent)} {'is' if len(absent) == 1 else 'are'} not among your classes"
    return wrap(line + ".")


def check_run(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 07.7: `run(text)` returns the best run's five most likely emoji with their probabilities, best first."""
    if "run" not in ns:
        return "There is no `run` yet: define `def run(text):` that returns `best.top(text, 5)`."
    run = ns["run"]
    if not callable(run):
        return f"`run` is {a_or_an(type(run).__name__)}; it should be a function: `def run(text): ...`."
    best = ns["best"]
    for text in TALK_ANSWERS:
        try:
            got = run(text)
        except Exception as exc:  # noqa: BLE001 - the learner's function: report what it raised
            return f"`run({text!r})` raised {type(exc).__name__}: {exc}"
        problem = _top_problem(got, best.top(text, 5), text)
        if problem:
            return problem
    return None


def _top_problem(got: Any, expected: list[tuple[str, float]], text: str) -> Optional[str]:
    call = f"`run({text!r})`"
    if got is None:
        return f"{call} returned None: `return` the result instead of printing it."
    if not isinstance(got, (list, tuple)):
        return f"{call} returned a {type(got).__name__}; it should return a list of (emoji, probability) pairs."
    if len(got) != 5:
        return f"{call} returned {len(got)} item(s); the talk showed the top 5."
    if all(isinstance(item, str) for item in got):
        return (f"{call} returned only the emoji; return them with their probabilities, "
                "(emoji, probability) pairs: `best.top(text, 5)` gives them.")
    for item, (emoji, probability) in zip(got, expected):
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            return f"{call} should hold (emoji, probability) pairs, not {item!r}."
        if item[0] != emoji or not isinstance(item[1], Real) or abs(item[1] - probability) > 5e-4:
            return (f"{call} gave {format_top(got)}, but `best` predicts {format_top(expected)}: "
                    "use the best run, `best`, best first.")
    return None
