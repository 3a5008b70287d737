"""`python -m emoji_lab`: the course's command line (the guided REPL is `python -m emoji_lab.repl`)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any, Optional

from emoji_lab.common.errors import EmojiLabError, run_command
from emoji_lab.common.launch import console_command
from emoji_lab.models.budgets import CLI_EPOCHS, GRAMS, YARDSTICK_EPOCHS

# Every numeric option, checked the same way before any work: the smallest value it takes (0 never means
# "the default": an option left out does).
MINIMUM = {"epochs": 1, "max_train": 1, "batch_size": 1, "top_k": 2, "seed": 0, "k": 1, "latency_runs": 1,
           "ngram_epochs": 1, "startup_runs": 1}


def check_numbers(args: argparse.Namespace) -> None:
    """One line for the first numeric option out of range, before data, TensorFlow or any training."""
    from emoji_lab.common.values import minutes, whole_number

    for dest, minimum in MINIMUM.items():
        value = getattr(args, dest, None)
        if value is not None:
            whole_number("-k" if dest == "k" else "--" + dest.replace("_", "-"), value, minimum)
    if getattr(args, "minutes", None) is not None:
        minutes("--minutes", args.minutes)


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """--data and the options that shape how a source becomes labelled examples."""
    from emoji_lab.data.source import DEFAULT_SEED, DEFAULT_TEXT_COLUMN, DEFAULT_TOP_K, MULTI_POLICIES

    parser.add_argument("--data", default="sample", metavar="SOURCE",
                        help="sample (default), tweeteval, tweeteval:DIR, or a .txt/.csv/.tsv/.jsonl file")
    parser.add_argument("--top-k", type=int, default=DEFAULT_TOP_K, help="emoji classes to keep (raw text)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the train/val/test split")
    parser.add_argument("--multi", choices=MULTI_POLICIES, default="first",
                        help="lines with several top emoji: label by the first, or drop them")
    parser.add_argument("--text-column", default=DEFAULT_TEXT_COLUMN, help="text column (.csv/.tsv) or field (.jsonl)")
    parser.add_argument("--keep-published", action="store_true",
                        help="TweetEval: keep the text exactly as published (with its label leak)")


def source_from_args(args: argparse.Namespace):
    """The data source the command line names, with its options: read once, then carried."""
    from emoji_lab.data.source import parse_source

    return parse_source(args.data, top_k=args.top_k, seed=args.seed, multi=args.multi,
                        text_column=args.text_column, keep_published=args.keep_published)


def load_from_args(args: argparse.Namespace):
    from emoji_lab.data.sources import load

    return load(source_from_args(args))


def cmd_data_stats(args: argparse.Namespace) -> int:
    ds = load_from_args(args)
    if args.json:
        print(json.dumps(ds.summary(), ensure_ascii=False, indent=2))
    else:
        from emoji_lab.data.report import print_stats

        print_stats(ds)
    return 0


def cmd_data_download(args: argparse.Namespace) -> int:
    from emoji_lab.data import tweeteval

    folder = tweeteval.download(include_test=not args.no_test, progress=sys.stderr.isatty())
    print(f"TweetEval emoji is ready in {folder}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from emoji_lab.common.files import check_writable
    from emoji_lab.models.registry import spec
    from emoji_lab.training.plan import Plan
    from emoji_lab.training.runs import check_run_folder, run_dir

    # An unknown name, a folder that is not a run, an unwritable place: said before the data or TensorFlow load.
    model = spec(args.model)
    source = source_from_args(args)
    folder = check_run_folder(Path(args.out) if args.out else run_dir(model.name, source))
    teacher_folder = check_run_folder(folder.with_name(f"{folder.name}-teacher") if args.out
                                      else run_dir(model.teacher, source)) if model.teacher else None
    check_writable(folder.parent, "choose another --out, or set EMOJI_LAB_HOME to a writable folder")
    if args.quick:  # the lessons' quick budget; --epochs, --max-train and --minutes still win
        given = {"epochs": args.epochs, "max_train": args.max_train, "minutes": args.minutes}
        sizes = {key: value for key, value in given.items() if value is not None}
    else:  # a full run: every training text, until early stopping, no clock (a fixed-epochs model: its lesson budget)
        default = model.budget().epochs if model.fixed_epochs else CLI_EPOCHS
        sizes = {"epochs": args.epochs or default, "max_train": args.max_train, "minutes": args.minutes}
    if args.batch_size:
        sizes["batch_size"] = args.batch_size
    plan = Plan.of(model, args.quick, out=Path(args.out) if args.out else None, **sizes)
    from emoji_lab.data.sources import load

    ds = load(source)
    from emoji_lab.training.train import train

    if model.teacher:  # lesson 9's student: its teacher is trained first
        from emoji_lab.common.formatting import say
        from emoji_lab.training.distill import distill

        say(f"{model.name} learns from two teachers, as in lesson 9: first a {model.teacher} run, then the classical "
            "yardstick; then the student, which starts from the first teacher's weights.")
        teacher = train(Plan.of(model.teacher, args.quick, out=teacher_folder, **sizes), ds)
        print(f"teacher saved to {teacher.dir}")
        run = distill(teacher, ds, quick=args.quick, plan=plan.replace(out=folder))
    else:
        run = train(plan, ds)
    print(f"saved to {run.dir}")
    print(f"see it in TensorBoard: tensorboard --logdir {shlex.quote(str(run.dir.parent))}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from emoji_lab.data.sources import check_split_files, load
    from emoji_lab.training.runs import check_run_dir, check_split, open_run, read_record

    folder = check_run_dir(Path(args.model))  # a wrong folder fails before TensorFlow loads
    source = source_from_args(args)
    check_split_files(source, args.split)
    ds = load(source)
    check_split(ds, args.split)
    check_own_split(folder, read_record(folder), ds)
    run = open_run(folder)
    result = run.evaluate(ds, args.split)
    if args.json:
        print(json.dumps({"run": run.name, "model": run.record["model"], "data": str(ds.source), "split": args.split,
                          **result}, ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        from emoji_lab.training.metrics import details_view, metrics_table

        console = Console(highlight=False)
        title = f"{ds.source}, {args.split} split ({result['n']:,} texts)"
        console.print(metrics_table({run.name: result}, title=title))
        console.print(details_view(result))
    return 0


def check_own_split(folder: Path, record: dict, ds) -> None:
    """A run scored on the raw lines it trained on is scored on its own split: another seed (top-k, policy)
    splits them otherwise, and its val and test texts would hold texts the run trained on."""
    from emoji_lab.data.source import flags
    from emoji_lab.training.runs import fingerprint

    data = record.get("data") if isinstance(record.get("data"), dict) else {}
    trained, options = data.get("options") or {}, ds.source.options()
    same_name = Path(str(data.get("source"))).name == Path(ds.source.text).name
    if not ds.source.raw or not same_name or options == trained or data.get("fingerprint") == fingerprint(ds):
        return  # other data (its classes are checked), or the run's own split
    same = flags(ds.source.text, trained)
    given = shlex.join(same[2:]) or "the default options"
    raise EmojiLabError(f"{folder} was trained on another split of {ds.source} ({given}): its val and test texts "
                        f"here include texts it trained on; evaluate it with {shlex.join(same)}")


def cmd_export(args: argparse.Namespace) -> int:
    from emoji_lab.training.runs import check_run_dir

    folder = check_run_dir(Path(args.model))  # a wrong folder fails before TensorFlow loads
    tau = keyboard_tau(args.keyboard)
    ds = keyboard_data(folder, args) if args.keyboard is not None else None
    from emoji_lab.common.files import check_writable
    from emoji_lab.deploy.app import IOS_ENV, check_destination, check_ios_dir, next_steps, written_lines
    from emoji_lab.deploy.export import export_run
    from emoji_lab.deploy.litert import APP_LITERT

    ios_path = args.ios or os.environ.get(IOS_ENV)
    ios = check_ios_dir(Path(ios_path)) if ios_path else None  # and its Resources: all before anything is written
    check_writable(check_destination(Path(args.out) if args.out else folder / "export"), "choose another --out")
    from emoji_lab.training.runs import open_run

    run = open_run(folder)
    adjust = keyboard_choice(run, ds, tau) if ds is not None else None
    result = export_run(run, out=Path(args.out) if args.out else None, quantize=args.quantize, ios=ios, adjust=adjust)
    report = result["report"]
    print(f"converted {result['run']} ({args.quantize}): builtin ops only, input {report['inputs'][0]['dtype']} "
          f"{report['inputs'][0]['shape']}, checked with LiteRT {APP_LITERT} (the app's release; the file declares "
          f"TensorFlow Lite {report['min_runtime_version']} or newer)")
    print("\n".join(written_lines(result)))
    print(next_steps(ios))
    return 0


def keyboard_tau(given: Optional[str]) -> Optional[float]:
    """`export --keyboard`: None for `auto` (or no flag), else the tau given, checked before any work."""
    from emoji_lab.training.keyboard import check_tau

    if given is None or given == "auto":
        return None
    try:
        return check_tau(float(given))
    except ValueError:
        raise EmojiLabError(f"--keyboard takes auto or a tau from -2 to 2, not {given!r}") from None


def keyboard_data(folder: Path, args: argparse.Namespace) -> Any:
    """`export --keyboard`'s data: the data the run was trained on (its training texts give the emoji shares,
    its validation texts choose tau), checked before TensorFlow loads."""
    from emoji_lab.training.runs import read_record, trained_on

    ds = load_from_args(args)
    record = read_record(folder)
    if not trained_on(record, ds):
        source = record["data"].get("source") if isinstance(record.get("data"), dict) else None
        raise EmojiLabError(f"{folder} was trained on other data than {ds.source}: the keyboard's ranking needs "
                            f"its training texts' emoji shares; give --data as it was trained "
                            f"({source or 'see its record.json'})")
    return ds


def keyboard_choice(run: Any, ds: Any, tau: Optional[float]) -> Any:
    """Lesson 9's ranking for the keyboard: the sweep on validation, and the tau picked by the rule or given."""
    from rich.console import Console

    from emoji_lab.training.keyboard import choose, sweep_story, sweep_view

    choice = choose(run, ds, tau)
    Console(highlight=False).print(sweep_view(choice))
    print(sweep_story(choice))
    return choice


def cmd_predict(args: argparse.Namespace) -> int:
    from emoji_lab.common.formatting import wrap
    from emoji_lab.common.values import whole_number
    from emoji_lab.deploy.litert import LiteModel

    model = LiteModel.from_file(Path(args.model))
    k = whole_number("-k", args.k, 1, len(model.labels))
    results = [{"text": text, "top": [{"emoji": e, "probability": p} for e, p in model.top(text, k)],
                "note": nothing_to_go_on(text)} for text in args.texts]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    for result in results:
        print(result["text"])
        if result["note"]:
            print(wrap(f"  ({result['note']})", indent="   "))
        for entry in result["top"]:
            bar = "█" * round(30 * entry["probability"])
            print(f"  {entry['emoji']}  {100 * entry['probability']:5.1f}% {bar}")
    return 0


def nothing_to_go_on(text: str) -> str:
    """Why a text gives the model nothing to read, or "" when it has words."""
    from emoji_lab.data.emojis import clean_text

    if not text.strip():
        return "an empty text: the model has nothing to read, so these are its prior, its answer for any text"
    if not clean_text(text):
        return ("only emoji: the model learned from texts with their emoji removed, so here it has nothing it "
                "learned to read")
    return ""


def cmd_bench(args: argparse.Namespace) -> int:
    from emoji_lab.common.errors import EmojiLabError
    from emoji_lab.models.registry import spec

    for i, name in enumerate(args.models):
        teacher = spec(name).teacher  # an unknown name: one line naming the models there are
        if teacher and teacher not in args.models[:i]:
            raise EmojiLabError(f"{name} learns from {teacher}: list {teacher} before it in --models")
    from rich.console import Console

    from emoji_lab.authoring.bench import (BenchSettings, held_out_table, keyboard_table, phone_table, quality_table,
                                           run_bench, startup_line)

    console = Console(width=max(Console().width, 120))  # two wide tables: wrap in a narrow terminal, never truncate
    settings = BenchSettings(epochs=args.epochs, max_train=args.max_train, text=args.text,
                             latency_runs=args.latency_runs, ngram_epochs=args.ngram_epochs,
                             startup_runs=args.startup_runs)
    from emoji_lab.data.source import parse_source

    result = run_bench(parse_source(args.data), args.models, settings, Path(args.out) if args.out else None,
                       log=console.print)
    console.print(quality_table(result))
    if result["test"]:
        console.print(held_out_table(result))
        keyboard = keyboard_table(result)
        if keyboard is not None:
            console.print(keyboard)
    console.print(phone_table(result))
    console.print(startup_line(result))
    if args.out:
        console.print(f"wrote {args.out}")
    return 0


def cmd_tutorial(args: argparse.Namespace) -> int:
    from emoji_lab.authoring import guide
    from emoji_lab.authoring.notebooks import write_all
    from emoji_lab.common.errors import EmojiLabError
    from emoji_lab.repl.lesson import load_lessons

    folder = guide.tutorial_folder(args.root)
    stale = write_all(load_lessons(), folder / "notebooks", check=args.check)
    sources, skip = guide.Sources(guide.tweeteval_at_hand(args.tweeteval, folder.parent)), (lambda spec: False)
    try:
        sources.load(guide.TWEETEVAL)
    except EmojiLabError as exc:
        print(f"TweetEval blocks left as they are (skipped): {exc}")
        skip = guide.reads_tweeteval
    stale += guide.update_all(folder, folder.parent, sources, check=args.check, skip=skip)
    if args.check:
        if stale:
            print(f"out of date: {', '.join(stale)} (run `python -m emoji_lab tutorial`)")
        return 1 if stale else 0
    print(f"updated: {', '.join(stale)}" if stale else "tutorial up to date")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emoji_lab", description=(
        "emoji_lab: build an emoji predictor step by step and run it on an iPhone. "
        f"The guided course itself starts with `{console_command()}`."))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    data = commands.add_parser("data", help="inspect and fetch the course's data",
                               description="Inspect and fetch the course's data.")
    data_commands = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    stats = data_commands.add_parser("stats", help="popularity table and split sizes of a data source")
    add_data_options(stats)
    stats.add_argument("--json", action="store_true", help="print a machine-readable object instead")
    stats.set_defaults(run=cmd_data_stats)
    download = data_commands.add_parser("download", help="pre-fetch a data set into the cache (for offline rooms)")
    download.add_argument("dataset", choices=["tweeteval"])
    download.add_argument("--no-test", action="store_true", help="skip the 50k-tweet test split")
    download.set_defaults(run=cmd_data_download)

    fit = commands.add_parser("train", help="train one of the course's models and keep the run",
                              description="Train a model; the best epoch, its record and TensorBoard logs are kept.")
    add_data_options(fit)
    fit.add_argument("--model", required=True, metavar="NAME", help="chcnn-blstm, naive-embed-blstm, ... "
                     "(emoji_lab.models.registry.MODEL_NAMES; bytegrams is lesson 9's phone model, bytegrams-student "
                     "lesson 9's student, its bytegrams teacher trained first: into the bytegrams run, or "
                     "DIR-teacher with --out DIR)")
    fit.add_argument("--out", metavar="DIR", help="the run folder (default: the runs folder, by data and model)")
    fit.add_argument("--epochs", type=int, help=f"at most this many epochs (default {CLI_EPOCHS}, early stopping "
                     f"on validation usually ends sooner; bytegrams and its student: {GRAMS[0].epochs}, "
                     "every one)")
    fit.add_argument("--max-train", type=int, metavar="N", help="train on a seeded N of the training texts "
                     "(default: all of them)")
    fit.add_argument("--batch-size", type=int, help="texts per training step (default 128)")
    fit.add_argument("--minutes", type=float, metavar="M", help="stop when another epoch would pass M minutes "
                     "(default: no clock)")
    fit.add_argument("--quick", action="store_true", help="the lessons' quick budget: fewer minutes")
    fit.set_defaults(run=cmd_train)

    evaluate = commands.add_parser("evaluate", help="score a trained run: top-1, top-5, macro-F1, per emoji",
                                   description="Score a trained run on one split of a data source.")
    add_data_options(evaluate)
    evaluate.set_defaults(run=cmd_evaluate)
    evaluate.add_argument("--model", required=True, metavar="DIR", help="a run folder (what `train --out` wrote)")
    evaluate.add_argument("--split", choices=["val", "test", "train"], default="val", help="which split (default val)")
    evaluate.add_argument("--json", action="store_true", help="print a machine-readable object instead")

    from emoji_lab.deploy.app import APP_VARIANTS

    export = commands.add_parser("export", help="convert a run to .tflite and fill the iPhone app with it",
                                 description="Convert a trained run to a LiteRT .tflite file (builtin ops only), "
                                 "check it, and write emoji_model.tflite, labels.txt, preprocess.json and "
                                 "golden.json. Files you changed are backed up, never overwritten.")
    export.add_argument("--model", required=True, metavar="DIR", help="a run folder (what `train --out` wrote)")
    export.add_argument("--keyboard", metavar="TAU", nargs="?", const="auto",
                        help="rank for the keyboard (lesson 9): fold the prior adjustment into the file, with tau "
                             "picked on the validation texts of --data (the data the run trained on) by the "
                             "lesson's rule, or the tau given")
    export.add_argument("--out", metavar="DIR", help="where to write the files (default: the run's export/ folder)")
    export.add_argument("--quantize", choices=APP_VARIANTS, default="float32",
                        help="float32 (default), float16 weights, or dynamic-range int8 weights")
    export.add_argument("--ios", metavar="PATH", help="also fill this ios_starter folder's EmojiLab/Resources "
                        "(default: $EMOJI_LAB_IOS when it is set)")
    add_data_options(export)  # read with --keyboard only
    export.set_defaults(run=cmd_export)

    predict = commands.add_parser("predict", help="the top emoji of texts from an exported .tflite file",
                                  description="Run an exported .tflite file with LiteRT, one text at a time, as "
                                  "the app does (labels.txt and preprocess.json must sit beside it).")
    predict.add_argument("--model", required=True, metavar="FILE", help="the .tflite file")
    predict.add_argument("-k", type=int, default=5, help="how many emoji (default 5)")
    predict.add_argument("--json", action="store_true", help="print a machine-readable list instead")
    predict.add_argument("texts", nargs="+", metavar="TEXT")
    predict.set_defaults(run=cmd_predict)

    from emoji_lab.models.registry import MODEL_NAMES

    bench = commands.add_parser("bench", help="size, speed and quality of every model, measured in one run",
                                description="Train the course's models and reference rows on one data source "
                                "and measure them: scores, .tflite sizes, LiteRT and Keras latency, start-up.")
    bench.add_argument("--data", default="sample", metavar="SOURCE", help="a data source (default sample)")
    bench.add_argument("--models", nargs="+", default=list(MODEL_NAMES), metavar="NAME",
                       help="course models to train (default: all; a student after the model it learns from)")
    bench.add_argument("--epochs", type=int, help="at most this many epochs per model (default: each model's "
                       "full lesson budget)")
    bench.add_argument("--max-train", type=int, metavar="N", help="train on a seeded N of the training texts")
    bench.add_argument("--text", choices=("both", "cleaned", "published"), default="both",
                       help="TweetEval: cleaned text (what a phone sees), as published (its label leak), or both")
    bench.add_argument("--latency-runs", type=int, default=200, metavar="N", help="timed runs per latency (200)")
    bench.add_argument("--ngram-epochs", type=int, default=YARDSTICK_EPOCHS, metavar="N",
                       help=f"epochs of the n-gram yardstick (default {YARDSTICK_EPOCHS}, as lesson 9)")
    bench.add_argument("--startup-runs", type=int, default=3, metavar="N", help="start-up timings, best of N (3)")
    bench.add_argument("--out", metavar="FILE.json", help="write the results as JSON here")
    bench.set_defaults(run=cmd_bench)

    tutorial = commands.add_parser("tutorial", help="(course authors) regenerate tutorial/ from the lessons",
                                   description="Write tutorial/notebooks/NN_name.ipynb from the lesson files, and the "
                                   "guide's generated result blocks from the data and the files in bench/results.")
    tutorial.add_argument("--root", metavar="DIR",
                          help="the tutorial folder (default: the one of the checkout emoji_lab runs from)")
    tutorial.add_argument("--tweeteval", metavar="SOURCE",
                          help="where TweetEval's blocks read it (default: ../shared/data/tweeteval-emoji beside the "
                               "checkout, else the downloaded copy; never downloaded here: without either, those "
                               "blocks are skipped)")
    tutorial.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    tutorial.set_defaults(run=cmd_tutorial)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    def checked() -> int:
        check_numbers(args)
        return args.run(args)

    return run_command(checked)
