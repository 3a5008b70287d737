"""What the person typing sees: the suggestion bar's top-1 and top-5, and the prior adjustment that ranks for it.

A model trained with full class weights (lesson 9's `bytegrams`) answers as if every emoji were equally common: good
for macro-F1, which gives every emoji the same say, but it seldom puts ❤, the emoji people use most, first. Logit
adjustment moves the ranking back towards the emoji's real shares: each probability is multiplied by the emoji's
share of the training texts raised to a power `tau` (0: unchanged), then normalised. In logits that is adding
`tau * log(share)` to each emoji's logit, so an export folds it into the last layer's bias
(`emoji_lab.deploy.export`): the file, Python's `predict`, golden.json, the app and the keyboard then all rank
the same way, with no Swift change.

`tau` is chosen on validation by `RULE`; the keyboard's view (`typed`) scores the words before the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as np

from emoji_lab.common.errors import EmojiLabError

TAUS = tuple(round(0.1 * i, 1) for i in range(11))  # the settings tried on validation: 0 (unchanged) to 1
RULE = "the highest validation macro-F1, the benchmark's number; among equal ones, the higher top-1"


@dataclass(frozen=True)
class Adjustment:
    """`tau` and the training label shares it raises, in label order: what an export adds to the last layer's bias."""

    tau: float
    shares: tuple[float, ...]

    def bias(self) -> np.ndarray:
        """[classes] float32: `tau * log(share)`, added to the logits before the softmax."""
        return (self.tau * np.log(np.asarray(self.shares, dtype=np.float64))).astype(np.float32)

    def apply(self, probabilities: Any) -> np.ndarray:
        """[n, classes] probabilities re-ranked as the folded model gives them: p * share^tau, normalised."""
        scaled = np.asarray(probabilities, dtype=np.float64) * np.asarray(self.shares) ** self.tau
        return (scaled / scaled.sum(axis=1, keepdims=True)).astype(np.float32)

    def as_dict(self) -> dict:
        return {"tau": self.tau, "shares": [round(s, 8) for s in self.shares]}


def label_shares(ds: Any) -> tuple[float, ...]:
    """Each emoji's share of the training texts, in label order (an emoji with no text gets half a text's share,
    so its log stays finite)."""
    counts = np.bincount(np.asarray(ds.train.y), minlength=len(ds.labels)).astype(np.float64)
    if not counts.sum():
        raise EmojiLabError(f"{ds.source} has no training texts: there are no shares to adjust by")
    counts = np.maximum(counts, 0.5)
    return tuple(float(c) for c in counts / counts.sum())


def check_tau(tau: Any) -> float:
    """`tau` as a float: a number from -2 to 2, else the one-line error."""
    if isinstance(tau, bool) or not isinstance(tau, (int, float)) or not -2 <= tau <= 2:
        raise EmojiLabError(f"tau must be a number from -2 to 2 (0 leaves the ranking as it is), not {tau!r}")
    return float(tau)


def adjustment(ds: Any, tau: float) -> Adjustment:
    """The adjustment by `tau` with `ds`'s training shares; tau is a number from -2 to 2."""
    return Adjustment(check_tau(tau), label_shares(ds))


def sweep(probabilities: Any, y: Any, labels: Sequence[str], shares: Sequence[float],
          taus: Sequence[float] = TAUS) -> list[dict]:
    """One row per tau: top-1, top-5 and macro-F1 of the adjusted probabilities."""
    from emoji_lab.training.metrics import evaluate, headline

    return [{"tau": tau, **headline(evaluate(y, Adjustment(tau, tuple(shares)).apply(probabilities), labels))}
            for tau in taus]


def chosen(rows: Sequence[dict]) -> dict:
    """The row `RULE` picks."""
    return max(rows, key=lambda r: (round(r["macro_f1"], 6), round(r["top1"], 6), -r["tau"]))


@dataclass(frozen=True)
class Choice:
    """What `choose` measured on validation and the adjustment it picked."""

    adjustment: Adjustment
    rows: list[dict]
    run: str

    @property
    def tau(self) -> float:
        return self.adjustment.tau

    def __repr__(self) -> str:
        row = next(r for r in self.rows if r["tau"] == self.tau)
        return (f"<Choice for {self.run}: tau {self.tau:g}; validation top-1 {row['top1']:.1%}, top-5 "
                f"{row['top5']:.1%}, macro-F1 {row['macro_f1']:.1%}>")


def choose(run: Any, ds: Any, tau: Optional[float] = None) -> Choice:
    """Every tau of `TAUS` scored on `ds`'s validation texts with `run`'s probabilities; `RULE` picks one, unless
    `tau` says which (the table then shows it beside the others)."""
    asked = check_tau(tau) if tau is not None else None  # a bad tau: one line, before any prediction
    shares = label_shares(ds)
    taus = TAUS if asked is None or asked in TAUS else tuple(sorted({*TAUS, asked}))
    rows = sweep(run.probabilities(ds.val.texts), ds.val.y, ds.labels, shares, taus)
    return Choice(Adjustment(chosen(rows)["tau"] if asked is None else asked, shares), rows, run.name)


def typed(text: str) -> str:
    """The words before the cursor halfway through typing: the first half of the text's words (rounded up)."""
    words = text.split()
    return " ".join(words[: (len(words) + 1) // 2])


# -- rich renderings, inside 80 columns -----------------------------------------------------------------------------
def sweep_view(choice: Choice) -> Any:
    """Validation top-1, top-5 and macro-F1 for each tau, the chosen one marked."""
    from rich import box
    from rich.table import Table

    from emoji_lab.common.formatting import pct

    table = Table(title="Validation, re-ranked by share^tau", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 1))
    for column in ("tau", "top-1", "top-5", "macro-F1", ""):
        table.add_column(column, justify="left" if not column else "right")
    for row in choice.rows:
        table.add_row(f"{row['tau']:g}", pct(row["top1"]), pct(row["top5"]), pct(row["macro_f1"]),
                      "◀ chosen" if row["tau"] == choice.tau else "")
    return table


def sweep_story(choice: Choice) -> str:
    """What the adjustment moves on validation, in the learner's numbers, and what the rule picked."""
    from emoji_lab.common.formatting import pct, points, wrap

    rows = {row["tau"]: row for row in choice.rows}
    plain, pick = rows[0.0], rows[choice.tau]
    most = max(choice.rows, key=lambda r: (round(r["top1"], 6), -r["tau"]))

    def moved(key: str) -> str:
        return points(plain[key], pick[key])

    lines = [f"Unadjusted (tau 0): top-1 {pct(plain['top1'])}, top-5 {pct(plain['top5'])}, macro-F1 "
             f"{pct(plain['macro_f1'])} on validation."]
    if choice.tau == 0:
        lines.append("The rule keeps tau 0 here: no adjustment raised macro-F1.")
    else:
        lines.append(f"The rule ({RULE}) picks tau {choice.tau:g}: top-1 {moved('top1')}, top-5 {moved('top5')}, "
                     f"macro-F1 {moved('macro_f1')} points.")
    if most["tau"] != choice.tau:
        lines.append(f"The most top-1 is at tau {most['tau']:g} ({pct(most['top1'])}), where macro-F1 is "
                     f"{pct(most['macro_f1'])}: further right the bar shows the common emoji more often, and the "
                     "rare ones lose their say.")
    return "\n".join(wrap(line) for line in lines)


def views_table(rows: Sequence[dict], title: str, leaky: bool = True) -> Any:
    """The three views, one row per model: leak-free macro-F1, top-1/top-5 on every tweet and on typed text.
    A row with `published` has its top-1 on the leak-free tweets (marked *). `leaky`: whether some texts carry
    TweetEval's residue (else every text is leak-free, and the caption says so)."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1), caption_justify="left",
                  caption=("macro-F1: leak-free tweets; top-1/5: every tweet" if leaky else "every text")
                  + "; typed: the first half of each one's words"
                          + ("; *: leak-free tweets (it read the text with its leak)" if any(r.get("published")
                                                                                             for r in rows) else ""))
    for column in ("model", "macro-F1", "top-1", "top-5", "typed\ntop-1", "typed\ntop-5"):
        table.add_column(column, justify="left" if column == "model" else "right", no_wrap=column == "model")
    for r in rows:
        table.add_row(r["name"], *views_cells(r))
    return table


def views_cells(row: dict) -> list[str]:
    """A row's five numbers as `views_table` shows them: a `published` row's top-1 is on the leak-free tweets (*)."""
    from emoji_lab.common.formatting import pct

    cell = lambda value: pct(value) if value is not None else "-"  # noqa: E731
    top1 = cell(row["test_leak_free_top1"]) + "*" if row.get("published") else cell(row["test_top1"])
    return [cell(row["test_leak_free_macro_f1"]), top1, cell(row.get("test_top5")), cell(row.get("typed_top1")),
            cell(row.get("typed_top5"))]
