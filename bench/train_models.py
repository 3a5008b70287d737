"""Train every course model on one data set and compare them with the keyword baseline, in one run.

    python bench/train_models.py --data tweeteval:../shared/data/tweeteval-emoji --epochs 4 \
        --out bench/results/train_models_tweeteval.json

Prints a table and writes JSON: per model its parameters, seconds per epoch, epochs to best, and the
validation top-1, top-5 and macro-F1 of its best epoch, next to lesson 2's keyword baseline and the
machine's facts. On TweetEval every model is trained twice (`--text both`, the default): on the
cleaned text (the label leak removed, what a phone sees) and on the text as published, which is
what published scores used; the `phone` column scores every row's model on the cleaned validation
text. Times on these shared machines vary by tens of percent from run to run: compare models within
one run (the `relative_speed` column), not across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from emoji_lab.baselines import KeywordModel
from emoji_lab.metrics import evaluate
from emoji_lab.models import MODEL_NAMES
from emoji_lab.sources import load
from emoji_lab.train import train


def keyword_row(ds, phone_ds=None) -> dict:
    """Lesson 2's learned keyword baseline, the yardstick of every neural row."""
    started = time.perf_counter()
    model = KeywordModel.fit(ds.train.texts, ds.train.y, len(ds.labels), labels=ds.labels)
    scores = evaluate(ds.val.y, model.scores(ds.val.texts), ds.labels)
    phone_ds = phone_ds or ds
    phone = evaluate(phone_ds.val.y, model.scores(phone_ds.val.texts), ds.labels)
    weights = sum(len(per_class) for per_class in model.keywords.values())  # (keyword, class) weights
    return {"model": "keyword baseline (lesson 2)", "params": weights,
            "seconds_per_epoch": None, "epochs_run": None, "best_epoch": None,
            "fit_seconds": round(time.perf_counter() - started, 2),
            "val_top1": scores["top1"], "val_top5": scores["top5"], "val_macro_f1": scores["macro_f1"],
            "phone_val_top1": phone["top1"], "phone_val_macro_f1": phone["macro_f1"]}


def model_row(name: str, ds, epochs: int, runs_root: Path, phone_ds=None) -> dict:
    """Train one model on all of `ds.train` and read its record (plus its scores on `phone_ds`'s val)."""
    run = train(name, ds, epochs=epochs, max_train=None, runs_root=runs_root, progress=sys.stdout.isatty())
    record = run.record
    phone = run.evaluate(phone_ds, "val") if phone_ds is not None else record["val"]
    return {"phone_val_top1": phone["top1"], "phone_val_macro_f1": phone["macro_f1"], "model": name, "params": record["params"], "seconds_per_epoch": record["seconds_per_epoch"],
            "epochs_run": len(record["epochs"]), "best_epoch": record["best_epoch"],
            "stopped_early": record["stopped_early"], "trained_on": record["data"]["sizes"]["trained_on"],
            "val_top1": record["val"]["top1"], "val_top5": record["val"]["top5"],
            "val_macro_f1": record["val"]["macro_f1"]}


def machine() -> dict:
    versions = {}
    for package in ("tensorflow", "keras", "numpy", "emoji_lab"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "versions": versions}


def table(rows: list[dict], title: str) -> Table:
    out = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1), caption_justify="left", caption=(
        "text: what the model was trained and scored on; cleaned = the residue removed (the default, what a "
        "phone sees), published = TweetEval as published. phone: the same model scored on cleaned val."))
    for header in ("text", "model", "params", "s/epoch", "relative\nspeed", "epochs\n(best)", "top-1", "top-5",
                   "macro-F1", "phone\nmacro-F1"):
        out.add_column(header, justify="left" if header in ("text", "model") else "right",
                       no_wrap=header in ("text", "model"))
    timed = [r["seconds_per_epoch"] for r in rows if r.get("seconds_per_epoch")]
    fastest = min(timed) if timed else None
    for r in rows:
        spe = r.get("seconds_per_epoch")
        out.add_row(r["text"], r["model"], f"{r['params']:,}", f"{spe:.1f}" if spe else "-",
                    f"{spe / fastest:.2f}x" if spe and fastest else "-",
                    f"{r['epochs_run']} ({r['best_epoch']})" if r.get("epochs_run") else "-",
                    f"{r['val_top1']:.1%}", f"{r['val_top5']:.1%}", f"{r['val_macro_f1']:.1%}",
                    f"{r['phone_val_macro_f1']:.1%}")
    return out


def text_versions(source: str, wanted: str) -> list[tuple[str, object]]:
    """(name, dataset) per text version to train on; raw sources have one (their text has no residue)."""
    from emoji_lab.explore import is_raw

    cleaned = load(source)
    if is_raw(cleaned):
        return [("cleaned", cleaned)]
    versions = {"cleaned": cleaned, "published": load(source, keep_published=True)}
    return [(name, versions[name]) for name in (("cleaned", "published") if wanted == "both" else (wanted,))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="sample", help="a data source, as in `python -m emoji_lab data`")
    parser.add_argument("--models", nargs="+", default=list(MODEL_NAMES), choices=MODEL_NAMES)
    parser.add_argument("--epochs", type=int, default=4, help="at most this many epochs (early stopping on val loss)")
    parser.add_argument("--text", choices=("both", "cleaned", "published"), default="both",
                        help="TweetEval: train on the cleaned text, the text as published (its label leak), or both")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)

    versions = text_versions(args.data, args.text)
    phone_ds = load(args.data)  # cleaned: what a phone sees
    ds = versions[0][1]
    rows: list[dict] = []
    console = Console()
    with tempfile.TemporaryDirectory(prefix="emoji_lab_bench_") as runs_root:
        for text, version in versions:
            rows.append({"text": text, **keyword_row(version, phone_ds)})
            for name in args.models:
                console.print(f"training {name} on {version.source}, text {text} ({len(version.train):,} texts, "
                              f"at most {args.epochs} epochs)")
                root = Path(runs_root) / text
                rows.append({"text": text, **model_row(name, version, args.epochs, root, phone_ds)})
                if args.out:  # after every model, so a long run that is stopped keeps what it measured
                    write_json(args.out, ds, args, rows,
                               complete=(text, name) == (versions[-1][0], args.models[-1]))
    console.print(table(rows, f"Validation scores on {ds.source} (val: {len(ds.val):,} texts)"))
    if args.out:
        console.print(f"wrote {args.out}")
    return 0


def write_json(path: Path, ds, args: argparse.Namespace, rows: list[dict], complete: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    result = {"data": ds.source, "train": len(ds.train), "val": len(ds.val), "max_epochs": args.epochs,
              "text": {"cleaned": "orphan variation selectors removed (the default; what a phone sees)",
                       "published": "TweetEval's text exactly as published, with its label leak",
                       "phone_val_*": "each row's model scored on the cleaned validation text"},
              "complete": complete, "rows": rows, "machine": machine(), "command": " ".join(sys.argv)}
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
