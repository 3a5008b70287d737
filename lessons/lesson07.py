"""Lesson 07 (compare and try it): the course's two claims checked against the learner's runs, the talk's
sentences next to its answers, the check of `run(text)`, and the restore of `best`.

The rows, table and chart are `emoji_lab.teaching.compare`'s; every sentence says what was measured.
"""

from __future__ import annotations

from numbers import Real
from typing import Any, Mapping, Optional, Sequence

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.formatting import format_top, pct, plural, wrap
from emoji_lab.data.talk import ANSWERS
from emoji_lab.models.registry import family
from emoji_lab.teaching.checking import missing, wrong_kind
from emoji_lab.teaching.compare import KEYWORDS, best_row, best_run, best_saved, budget_note, compare, neural, versus


def restore_best(ns: dict) -> None:
    """Step 07.3: `best_run` and `best`, reloaded without training."""
    from emoji_lab.training.runs import matching_run

    name = best_saved(ns["ds"])
    if name is None:
        raise EmojiLabError("no trained run on this data yet: lessons 4 to 6 train them")
    ns["best_run"] = best_run
    ns["best"] = matching_run(name, ns["ds"])


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
    """How long the runs below the keywords trained: one run's texts, epochs and minutes, or the most of them, and
    which had stopped improving on their own (more minutes would not lift those)."""
    records = [r.get("record") or {} for r in rows]
    if len(records) == 1:
        return budget_note(records[0]) if records[0] else ""
    epochs = max(len(r.get("epochs", [])) for r in records)
    minutes = max(r.get("seconds") or 0 for r in records) / 60
    if not epochs:
        return ""
    line = f"They trained for at most {plural(epochs, 'epoch')}" + (f" and {minutes:.1f} minutes." if minutes else ".")
    done = [row["name"] for row, record in zip(rows, records) if record.get("stopped_by") == "early stopping"]
    if done:
        who = "All of them" if len(done) == len(rows) else " and ".join(done)
        own = "its own" if len(done) == 1 else "their own"  # rows holds 2 or more here: one is never "all"
        line += f" {who} had stopped improving on {own}: more minutes are unlikely to help."
    return line


def cnn_claim(rows: Sequence[Mapping[str, Any]]) -> str:
    """Is the best char-CNN run at least as good as the best naive one? Whatever was measured."""
    cnns = [r for r in rows if family(r["model"]) == "char-cnn"]
    naive = [r for r in rows if family(r["model"]) == "naive"]
    if not cnns or not naive:
        missing = "char-CNN" if not cnns else "naive"
        return wrap(f"No {missing} run on this data yet, so the char-CNN cannot be compared with the naive models.")
    cnn, base = best_row(cnns), best_row(naive)
    line = versus(f"The best char-CNN run ({cnn['name']})", cnn["val"], f"the best naive run ({base['name']})",
                  base["val"])
    if compare(cnn["val"]["macro_f1"], base["val"]["macro_f1"]) >= 0:
        return wrap(line + " The talk's claim holds here.")
    return wrap(line + " On your data and budget the talk's claim does not hold.")


def _plain(emoji: str) -> str:
    return emoji.replace("\ufe0f", "")


def talk_sentence(text: str, top: Sequence[Sequence[Any]], labels: Sequence[str]) -> str:
    """How your top-5 for one of the talk's sentences compares with the talk's answer, counted."""
    talk = ANSWERS.get(text)
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
    absent = missing(ns, "run", "define `def run(text):` that returns `best.top(text, 5)`.")
    if absent:
        return absent
    run = ns["run"]
    if not callable(run):
        return wrong_kind("run", run, "it should be a function: `def run(text): ...`.")
    best = ns["best"]
    for text in ANSWERS:
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
