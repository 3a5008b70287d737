"""`python -m emoji_lab`: the course's command line (the guided REPL is `python -m emoji_lab.repl`)."""

from __future__ import annotations

import argparse
import json
import sys

from .errors import EmojiLabError


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """--data and the options that shape how a source becomes labelled examples."""
    from .dataset import DEFAULT_SEED, DEFAULT_TOP_K, MULTI_POLICIES

    parser.add_argument("--data", default="sample", metavar="SOURCE",
                        help="sample (default), tweeteval, tweeteval:DIR, or a .txt/.csv/.tsv/.jsonl file")
    parser.add_argument("--top-k", type=int, default=DEFAULT_TOP_K, help="emoji classes to keep (raw text)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the train/val/test split")
    parser.add_argument("--multi", choices=MULTI_POLICIES, default="first",
                        help="lines with several top emoji: label by the first, or drop them")
    parser.add_argument("--text-column", default="text", help="text column (.csv/.tsv) or field (.jsonl)")
    parser.add_argument("--keep-published", action="store_true",
                        help="TweetEval: keep the text exactly as published (with its label leak)")


def load_from_args(args: argparse.Namespace):
    from .sources import load

    return load(args.data, top_k=args.top_k, seed=args.seed, multi=args.multi,
                text_column=args.text_column, keep_published=args.keep_published)


def cmd_data_stats(args: argparse.Namespace) -> int:
    ds = load_from_args(args)
    if args.json:
        print(json.dumps(ds.summary(), ensure_ascii=False, indent=2))
    else:
        from .report import print_stats

        print_stats(ds)
    return 0


def cmd_data_download(args: argparse.Namespace) -> int:
    from . import tweeteval

    folder = tweeteval.download(include_test=not args.no_test, progress=sys.stderr.isatty())
    print(f"TweetEval emoji is ready in {folder}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emoji_lab", description=(
        "emoji_lab: build an emoji predictor step by step and run it on an iPhone. "
        "The guided course itself starts with `python -m emoji_lab.repl`."))
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except EmojiLabError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
