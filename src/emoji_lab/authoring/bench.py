"""`python -m emoji_lab bench`: size, speed and quality of everything the course builds, measured in one run.

Per model: parameters, training seconds per epoch and epochs to best, validation top-1/top-5/macro-F1,
`.tflite` size as float32 and dynamic-range int8, LiteRT latency at batch 1 (median and p95 after a
warm-up) and Keras latency for one text. Reference rows: lesson 2's keyword baseline and the hashed
character n-gram linear model (`emoji_lab.training.yardstick`); `bytegrams-student` (lesson 9's distilled model)
learns from the `bytegrams` and n-gram models trained before it in the same run. Also the REPL's
start-up time next to `import tensorflow`, and the machine's facts. On TweetEval every row is measured
on the cleaned text (the default, what a phone sees) and on the text as published (`--text`); the
`phone` score is each model on the cleaned validation text. With a test split, the `test_*` and
`test_leak_free_*` columns score each model once on it (`emoji_lab.training.heldout`; the cleaned test text for
every row, as a phone sends it), plus a published model's row where its predictions sit beside the data. Times on shared machines vary by tens of
percent between runs: compare ratios within one run.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from emoji_lab.common.files import write_whole
from emoji_lab.common.formatting import epochs_cell, pct
from emoji_lab.common.setup_check import machine
from emoji_lab.data.encoders import ByteEncoder
from emoji_lab.data.source import Source
from emoji_lab.models.budgets import YARDSTICK_EPOCHS
from emoji_lab.training.heldout import HeldOut, held_out, held_out_scores, reference_row
from emoji_lab.training.metrics import headline

LATENCY_TEXT = "I wanna go home and go to sleep"  # the talk's sentence


@dataclass(frozen=True)
class BenchSettings:
    """How a benchmark run trains and measures: `epochs` per model (None: each model's full lesson budget),
    `max_train` texts (None: the lesson's), the text versions ("both", "cleaned", "published"), the latency's timed
    runs, the yardstick's epochs and the start-up measurement's repeats."""

    epochs: Optional[int] = None
    max_train: Optional[int] = None
    text: str = "both"
    latency_runs: int = 200
    ngram_epochs: int = YARDSTICK_EPOCHS
    startup_runs: int = 3
NGRAM_ROW = "char n-grams"
TEXT_NOTES = {"cleaned": "orphan variation selectors removed (the default; what a phone sees)",
              "published": "TweetEval's text exactly as published, with its label leak",
              "phone_*": "each row's model scored on the cleaned validation text"}


def test_scores(model_scores: Any, part: Optional[HeldOut], labels: list[str]) -> dict:
    """A model's held-out columns (the whole test split and its leak-free part); none without a test split."""
    return held_out_scores(model_scores, part, labels) if part is not None else {}


def keyword_row(ds: Any, phone_ds: Any, part: Optional[HeldOut] = None) -> dict:
    """Lesson 2's learned keyword baseline."""
    from emoji_lab.models.baselines import KeywordModel
    from emoji_lab.training.metrics import evaluate

    started = time.perf_counter()
    model = KeywordModel.fit_on(ds)
    seconds = time.perf_counter() - started
    return {"model": "keywords (lesson 2)", "kind": "reference",
            "params": sum(len(per_class) for per_class in model.keywords.values()), "fit_seconds": seconds,
            **headline(evaluate(ds.val.y, model.scores(ds.val.texts), ds.labels), "val"),
            **headline(evaluate(phone_ds.val.y, model.scores(phone_ds.val.texts), ds.labels), "phone"),
            **test_scores(model.scores, part, ds.labels)}


def ngram_row(ds: Any, phone_ds: Any, epochs: int, max_train: Optional[int],
              part: Optional[HeldOut] = None) -> tuple[dict, Any]:
    """The classical yardstick: hashed character 1-5-grams, linear, class-weighted; the row and the model."""
    from emoji_lab.training import yardstick as classical
    from emoji_lab.training.metrics import evaluate

    model = classical.fit_on(ds, epochs=epochs, max_train=max_train)
    return {"model": "char 1-5-gram linear", "kind": "reference", "params": model.params,
            "fit_seconds": model.fit_seconds, "best_epoch": model.best_epoch,
            **headline(evaluate(ds.val.y, model.scores(ds.val.texts), ds.labels), "val"),
            **headline(evaluate(phone_ds.val.y, model.scores(phone_ds.val.texts), ds.labels), "phone"),
            **test_scores(model.scores, part, ds.labels)}, model


def model_row(name: str, ds: Any, phone_ds: Any, settings: BenchSettings, runs_root: Path, made: dict,
              part: Optional[HeldOut] = None) -> tuple[dict, Any]:
    """Train one course model (its lessons' full budget, unless the settings say otherwise), then measure its
    sizes and latencies. A student learns from `made` (what this run trained so far): its teacher and the n-grams.
    """
    from emoji_lab.training.distill import distill
    from emoji_lab.training.plan import Plan
    from emoji_lab.training.train import train

    sizes = {key: value for key, value in (("epochs", settings.epochs), ("max_train", settings.max_train)) if value}
    plan = Plan.of(name, runs_root=runs_root, **sizes)  # the lesson's texts and minutes unless told
    if plan.spec.teacher:
        run = distill(made[plan.spec.teacher], ds, yard=made[NGRAM_ROW], progress=sys.stdout.isatty(), plan=plan)
    else:
        run = train(plan, ds, progress=sys.stdout.isatty())
    row = {**measured_row(name, run, phone_ds, settings.latency_runs), **test_scores(run.probabilities, part,
                                                                                    ds.labels)}
    if plan.spec.family == "bytegrams" and part is not None and ds is phone_ds:
        row["keyboard"] = keyboard_scores(run, ds, part)
    return row, run


def keyboard_scores(run: Any, ds: Any, part: HeldOut) -> dict:
    """A phone model as the keyboard ranks: tau chosen on validation (`keyboard.RULE`), then the int8 files without
    and with the adjustment folded in, each scored on the test tweets (whole, leak-free, typed halfway)."""
    from emoji_lab.deploy.export import to_tflite
    from emoji_lab.deploy.litert import LiteModel
    from emoji_lab.training.keyboard import RULE, choose

    choice = choose(run, ds)
    files = {"unadjusted": None, "adjusted": choice.adjustment}
    scores = {key: held_out_scores(LiteModel(to_tflite(run, variant="int8", adjust=adjust), run.labels,
                                             run.encoder).probabilities, part, ds.labels)
              for key, adjust in files.items()}
    return {"tau": choice.tau, "rule": RULE, "file": "int8", "validation": choice.rows, **scores}


def measured_row(name: str, run: Any, phone_ds: Any, latency_runs: int) -> dict:
    """A trained run's row: its record's scores and times, its sizes and latencies measured now."""
    from emoji_lab.deploy.export import to_tflite
    from emoji_lab.deploy.litert import LiteModel, timed

    record = run.record
    row = {"model": name, "kind": "neural", "params": record["params"],
           "seconds_per_epoch": record["seconds_per_epoch"], "epochs_run": len(record["epochs"]),
           "best_epoch": record["best_epoch"], "trained_on": record["data"]["sizes"]["trained_on"],
           "train_seconds": record["seconds"], "minutes": record["config"].get("minutes"),
           "stopped_by": record.get("stopped_by"),
           # each epoch's minutes so far and val macro-F1: what a slower machine's minutes would have reached
           "curve": [[round(e["elapsed"] / 60, 2), round(e["val_macro_f1"], 4)] for e in record["epochs"]],
           **headline(record["val"], "val"), **headline(run.evaluate(phone_ds, "val"), "phone"),
           "keras_latency": timed(lambda: run.probabilities([LATENCY_TEXT]), latency_runs)}
    if isinstance(run.encoder, ByteEncoder):
        for variant in ("float32", "int8"):
            content = to_tflite(run, variant=variant)
            lite = LiteModel(content, run.labels, run.encoder)
            row[f"tflite_{variant}_bytes"] = len(content)
            row[f"litert_{variant}_latency"] = lite.latency(LATENCY_TEXT, runs=latency_runs)
    else:
        row["not_deployable"] = "reads words: the app sends bytes"
    if "teachers" in record:
        row["teachers_seconds"] = record["teachers"]["seconds"]
    return row


def startup(repeat: int = 3) -> dict:
    """Seconds from launch to exit of the REPL answering `bye`, and of `python -c "import tensorflow"`."""
    def wall(args: list[str], stdin: str = "") -> float:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as home:
            subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "EMOJI_LAB_HOME": home, "NO_COLOR": "1"}, check=True)
        return time.perf_counter() - started

    repl = min(wall(["-m", "emoji_lab.repl"], "bye\n") for _ in range(repeat))
    tf = min(wall(["-c", "import tensorflow"]) for _ in range(repeat))
    return {"repl_to_prompt_and_bye_s": repl, "import_tensorflow_s": tf, "ratio": tf / repl, "best_of": repeat}


def text_versions(source: Source, wanted: str) -> list[tuple[str, Any]]:
    """(name, dataset) per text version; raw sources have one (emoji and their selectors leave together)."""
    from emoji_lab.data.sources import load

    cleaned = load(source)
    if source.raw:
        return [("cleaned", cleaned)]
    versions = {"cleaned": cleaned, "published": load(source.replace(keep_published=True))}
    return [(name, versions[name]) for name in (("cleaned", "published") if wanted == "both" else (wanted,))]


def run_bench(data: Source, models: Sequence[str], settings: BenchSettings = BenchSettings(),
              out: Optional[Path] = None, log: Any = print) -> dict:
    """Every row, in one run, on `data`; with `out`, the JSON is rewritten after every row so a stopped
    run keeps it."""
    versions = text_versions(data, settings.text)
    phone_ds = versions[0][1]
    part = held_out(phone_ds)  # scored after training, never seen by a choice: each row's test columns
    result = {"data": str(phone_ds.source), "train": len(phone_ds.train), "val": len(phone_ds.val),
              "test": len(part.y) if part else 0, "test_leak_free": int(part.leak_free.sum()) if part else 0,
              "max_epochs": settings.epochs or "each model's full lesson budget",
              "max_train": settings.max_train or "the lesson's",
              "latency_text": LATENCY_TEXT, "text": TEXT_NOTES,
              "complete": False, "rows": [], "startup": startup(settings.startup_runs), "machine": machine(),
              "date": time.strftime("%Y-%m-%d"), "command": "python -m emoji_lab " + shlex.join(sys.argv[1:])}
    with tempfile.TemporaryDirectory(prefix="emoji_lab_bench_") as runs_root:
        for name, ds in versions:
            made: dict[str, Any] = {}  # what this text version's jobs trained, by label
            jobs = [("keywords", lambda: (keyword_row(ds, phone_ds, part), None)),
                    (NGRAM_ROW, lambda: ngram_row(ds, phone_ds, settings.ngram_epochs, settings.max_train, part))]
            jobs += [(m, lambda m=m: model_row(m, ds, phone_ds, settings, Path(runs_root) / name, made, part))
                     for m in models]
            for label, job in jobs:
                log(f"{label} on {ds.source}, {name} text ...")
                row, made[label] = job()
                result["rows"].append({"text": name, **row})
                if out:
                    write_json(out, result)
    reference = reference_row(part, phone_ds.labels) if part else None
    if reference:
        result["rows"].append({"text": "published", "params": None, **reference})
    result["complete"] = True
    if out:
        write_json(out, result)
    return result


def write_json(path: Path, result: dict) -> None:
    """The results so far, whole (rewritten after every row, so a stopped run keeps what it measured)."""
    write_whole(path, json.dumps(result, indent=1, ensure_ascii=False, allow_nan=False) + "\n")


# -- the tables ------------------------------------------------------------------------------------------------------
def quality_table(result: dict) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=f"Quality: {result['data']} validation ({result['val']:,} texts)", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 1), caption_justify="left",
                  caption="phone: the same model scored on the cleaned validation text")
    for column in ("text", "model", "params", "s/epoch", "epochs\n(best)", "top-1", "top-5", "macro-F1",
                   "phone\nmacro-F1"):
        table.add_column(column, justify="left" if column in ("text", "model") else "right",
                         no_wrap=column in ("text", "model"))
    for r in (r for r in result["rows"] if "val_top1" in r):  # a published reference has test scores only
        spe = r.get("seconds_per_epoch")
        table.add_row(r["text"], r["model"], f"{r['params']:,}", f"{spe:.1f}" if spe else "-", epochs_cell(r),
                      pct(r["val_top1"]), pct(r["val_top5"]), pct(r["val_macro_f1"]), pct(r["phone_macro_f1"]))
    return table


def held_out_table(result: dict) -> Any:
    """Each model's test scores beside its validation macro-F1: the whole split and the leak-free part."""
    from rich import box
    from rich.table import Table

    table = Table(title=f"Held out: {result['data']} test ({result['test']:,} texts, {result['test_leak_free']:,} "
                        "leak-free), scored once after training", title_justify="left", box=box.SIMPLE_HEAD,
                  padding=(0, 1), caption_justify="left",
                  caption="leak-free: the tweets that as published carry no leftover variation selector (what a phone "
                          "sees); a published model's predictions give no top-5")
    for column in ("text", "model", "val\nmacro-F1", "test\ntop-1", "test\ntop-5", "test\nmacro-F1",
                   "leak-free\ntop-1", "leak-free\nmacro-F1"):
        table.add_column(column, justify="left" if column in ("text", "model") else "right",
                         no_wrap=column in ("text", "model"))
    cell = lambda value: pct(value) if value is not None else "-"  # noqa: E731
    for r in (r for r in result["rows"] if "test_macro_f1" in r):
        table.add_row(r["text"], r["model"], cell(r.get("val_macro_f1")), cell(r["test_top1"]), cell(r["test_top5"]),
                      cell(r["test_macro_f1"]), cell(r["test_leak_free_top1"]), cell(r["test_leak_free_macro_f1"]))
    return table


def keyboard_rows(result: dict, models: tuple[str, ...] = ()) -> list[dict]:
    """The keyboard tables' rows: each phone model's int8 file without and with the prior adjustment chosen on
    validation, then the published model's (marked `published`); none when no row was scored for the keyboard."""
    rows = []
    for r in (r for r in result["rows"] if r.get("keyboard") and (not models or r["model"] in models)):
        board = r["keyboard"]
        rows += [{"name": f"{r['model']}, tau 0", **board["unadjusted"]},
                 {"name": f"{r['model']}, tau {board['tau']:g}", **board["adjusted"]}]
    if not rows:
        return []
    return rows + [{**r, "name": r["model"].split(" (")[0], "published": True} for r in result["rows"]
                   if r.get("kind") == "published"]


def keyboard_table(result: dict) -> Any:
    """`keyboard_rows` as the terminal shows them; None when there are none."""
    from emoji_lab.training.keyboard import views_table

    rows = keyboard_rows(result)
    return views_table(rows, f"The keyboard's view: {result['data']} test ({result['test']:,} tweets, cleaned); "
                             "int8 files; tau chosen on validation", result["test_leak_free"] < result["test"]) \
        if rows else None


def phone_table(result: dict) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title="On a phone: .tflite size and batch-1 latency in ms (median / p95), this machine",
                  title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1))
    for column in ("model", "float32", "int8", "LiteRT f32", "LiteRT int8", "int8\nspeed-up", "Keras"):
        table.add_column(column, justify="left" if column == "model" else "right", no_wrap=column == "model")
    for r in result["rows"]:
        if r["kind"] != "neural" or r["text"] != "cleaned":
            continue
        f32, int8 = r.get("litert_float32_latency"), r.get("litert_int8_latency")
        ms = lambda t: f"{t['median_ms']:.2f} / {t['p95_ms']:.2f}" if t else "-"  # noqa: E731
        size = lambda n: f"{n / 1e6:.2f} MB" if n else "-"  # noqa: E731
        table.add_row(r["model"], size(r.get("tflite_float32_bytes")), size(r.get("tflite_int8_bytes")), ms(f32),
                      ms(int8), f"{f32['median_ms'] / int8['median_ms']:.1f}x" if f32 and int8 else "-",
                      ms(r["keras_latency"]))
    return table


def startup_line(result: dict) -> str:
    times = result["startup"]  # seconds
    return (f"start-up: the REPL reaches its prompt and exits in {times['repl_to_prompt_and_bye_s']:.2f} s; "
            f"`import tensorflow` alone takes {times['import_tensorflow_s']:.2f} s ({times['ratio']:.1f}x), "
            f"best of {times['best_of']}")
