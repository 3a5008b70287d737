"""Command line of the guided console: parse the options, then list, reset, dry-run or start a session."""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING, Optional, Sequence

from emoji_lab.common.errors import EmojiLabError, run_command

if TYPE_CHECKING:
    from emoji_lab.data.source import Source

LANGUAGES = ("en",)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m emoji_lab.repl",
        description="The guided console of the course: read each step, type Python, get checked. "
                    "Progress is saved after every step and resumed next time.",
        epilog="Inside the console, type `help` for the commands. EMOJI_LAB_HOME moves progress and runs; "
               "EMOJI_LAB_LESSONS adds lesson folders (see lessons/README.md).",
    )
    p.add_argument("--list", action="store_true", help="list the lessons and your progress, then exit")
    p.add_argument("--lesson", metavar="N", help="open lesson N (for example 3 or 03)")
    p.add_argument("--reset", action="store_true", help="delete all progress (asks first unless --yes), then exit")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask before --reset")
    p.add_argument("--data", metavar="SOURCE",
                   help="data the lessons train on: sample, tweeteval, tweeteval:DIR or a file path "
                        "(as in `emoji-lab data`); remembered in your progress, with the four options below. "
                        "Default: sample")
    p.add_argument("--text-column", metavar="NAME", help="your .csv/.tsv's text column, or .jsonl's field (text)")
    p.add_argument("--top-k", type=int, metavar="K", help="raw lines: keep the K most popular emoji as classes (20)")
    p.add_argument("--seed", type=int, metavar="N", help="raw lines: the seed of the train/val/test split (2017)")
    p.add_argument("--multi", choices=("first", "drop"),
                   help="raw lines with several top emoji: label them by the first (default), or drop them")
    p.add_argument("--quick", action="store_true", help="smaller training budgets, for slow machines")
    p.add_argument("--auto", action="store_true",
                   help="instructor's dry run: play every step with its reference solution, print a timed line "
                        "per step, exit 1 if any check fails (uses a throwaway progress folder)")
    p.add_argument("--lessons", metavar="RANGE", help="with --auto: which lessons, e.g. 1-3 or 0,2")
    p.add_argument("--timings", metavar="FILE.json", help="with --auto: write each lesson's and step's seconds here")
    p.add_argument("--lang", default="en", choices=LANGUAGES, help="language of the lessons (default: en)")
    return p


def _list() -> int:
    from emoji_lab.repl import progress as progress_mod
    from emoji_lab.repl.lesson import load_lessons
    from emoji_lab.repl.render import Renderer
    from emoji_lab.repl.state import lesson_rows

    screen = Renderer()
    lessons = load_lessons()
    prog, warning = progress_mod.load(move_aside=False)
    if warning:
        screen.warn(warning)
    screen.lessons(lesson_rows(lessons, prog, prog.current_lesson))
    screen.note(f"progress: {progress_mod.progress_path()} · data: {shlex.join(prog.source.flags()[1:])}")
    return 0


def _reset(assume_yes: bool) -> int:
    from emoji_lab.common.paths import home_dir
    from emoji_lab.repl.home_lock import only_console

    with only_console(home_dir()):  # an open console would save its progress again
        return _reset_held(assume_yes)


def _reset_held(assume_yes: bool) -> int:
    from emoji_lab.common.launch import console_command
    from emoji_lab.common.paths import runs_dir
    from emoji_lab.repl import progress as progress_mod

    path = progress_mod.progress_path()
    if not path.exists():
        print(f"No progress to delete ({path} does not exist).")
        return 0
    if not assume_yes:
        try:
            answer = input(f"Delete all progress in {path}? Training runs in {runs_dir()} are kept. [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing deleted.")
            return 1
    progress_mod.clear(path)
    print(f"Progress deleted ({path}). `{console_command()}` starts from the first lesson.")
    return 0


def _auto(args: argparse.Namespace) -> int:
    from emoji_lab.data.source import parse_source
    from emoji_lab.repl import auto
    from emoji_lab.repl import progress as progress_mod
    from emoji_lab.repl.lesson import load_lessons
    from emoji_lab.repl.render import Renderer

    lessons = load_lessons()
    spec = args.lessons if args.lessons is not None else args.lesson
    picked = auto.parse_spec(spec, lessons)
    source = chosen_source(args, parse_source(progress_mod.DEFAULT_DATA))
    return auto.run(picked, Renderer(), source=source, quick=args.quick, timings=args.timings)


def _session(args: argparse.Namespace) -> int:
    from emoji_lab.common.paths import home_dir
    from emoji_lab.repl.home_lock import only_console

    with only_console(home_dir()):  # before progress is read: two consoles on one home would save over each other
        return _session_held(args)


def _session_held(args: argparse.Namespace) -> int:
    from emoji_lab.repl import progress as progress_mod
    from emoji_lab.repl.engine import Session
    from emoji_lab.repl.lesson import load_lessons
    from emoji_lab.repl.render import Renderer
    from emoji_lab.repl.state import find_lesson
    from emoji_lab.repl.terminal import Reader

    lessons = load_lessons()
    start = None
    if args.lesson is not None:
        start = find_lesson(lessons, args.lesson)
        if start is None:
            have = ", ".join(l.id for l in lessons)
            raise EmojiLabError(f"--lesson {args.lesson}: no such lesson (lessons present: {have})")
    prog, warning = progress_mod.load()
    source = chosen_source(args, prog.source)
    if source != prog.source:
        from emoji_lab.data.sources import load

        print(f"checking {shlex.join(source.flags())} ...", flush=True)
        load(source)  # one line and exit 2 when it cannot be used: never remembered then
        prog.source = source
    session = Session(lessons, prog, Renderer(), Reader(), quick=args.quick, warning=warning, start_lesson=start)
    return session.run()


def chosen_source(args: argparse.Namespace, remembered: "Source") -> "Source":
    """The source this session learns on: --data with its options, or the remembered one with the options given."""
    from emoji_lab.data.source import parse_source

    options = {name: value for name, value in (("text_column", args.text_column), ("top_k", args.top_k),
                                                ("seed", args.seed), ("multi", args.multi)) if value is not None}
    if args.data is None:
        return remembered.replace(**options) if options else remembered
    return parse_source(args.data, **options)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.timings is not None and not args.auto:
        build_parser().error("--timings goes with --auto")
    if args.lessons is not None and not args.auto:
        build_parser().error("--lessons goes with --auto (to open one lesson, use --lesson N)")
    from emoji_lab.repl.terminal import setup_streams

    setup_streams()
    return run_command(lambda: _dispatch(args))


def _dispatch(args: argparse.Namespace) -> int:
    if args.reset:
        return _reset(args.yes)
    if args.list:
        return _list()
    if args.auto:
        return _auto(args)
    return _session(args)
