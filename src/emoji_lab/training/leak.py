"""TweetEval's hidden label leak, measured: the lone U+FE0F left where an emoji such as ❤️ was cut out.

A rule learned on the training texts alone ("a text with a lone selector gets label L") shows how
much the invisible residue gives away; the same rule on the validation texts shows how little of it
a benchmark split, or a phone, has. Data without the residue (the practice corpus, an own file whose
emoji `load` extracts together with their selectors) says so instead of inventing a number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Optional

from emoji_lab.common.formatting import pct, plural, say, wrap
from emoji_lab.data.emojis import remove_orphan_selectors


def has_residue(text: str) -> bool:
    """True when the text holds a variation selector that belongs to no emoji."""
    return remove_orphan_selectors(text) != text


@dataclass(frozen=True)
class SplitRule:
    """How the rule does on one split: texts with a residue, how many carry the rule's label."""

    split: str
    texts: int
    with_residue: int
    correct: int

    @property
    def coverage(self) -> float:
        return self.with_residue / max(self.texts, 1)

    @property
    def precision(self) -> float:
        return self.correct / max(self.with_residue, 1)


@dataclass(frozen=True)
class ResidueRule:
    """"A lone selector means `label`", learned on train only; its precision on every split."""

    label: str
    index: int
    splits: dict[str, SplitRule]


def residue_rule(published: Any) -> Optional[ResidueRule]:
    """Learn the rule on the published training texts (the most common label among residue texts)."""
    train = published.train
    votes = Counter(y for text, y in zip(train.texts, train.y.tolist()) if has_residue(text))
    if not votes:
        return None
    index = min(votes, key=lambda y: (-votes[y], y))
    splits = {}
    for name, part in published.splits.items():
        hits = [y for text, y in zip(part.texts, part.y.tolist()) if has_residue(text)]
        splits[name] = SplitRule(name, len(part), len(hits), sum(y == index for y in hits))
    return ResidueRule(published.labels[index], index, splits)


def published_data(ds: Any) -> Any:
    """The same source as published (TweetEval's residue kept); raw sources are returned as they are."""
    from emoji_lab.data.sources import load

    return ds if ds.source.raw else load(ds.source.replace(keep_published=True), download=False)


def residue_story(rule: Optional[ResidueRule], source: Any) -> str:
    """The rule in measured sentences (`source`: the Source, or anything that names it)."""
    if rule is None:
        return wrap(f"No training text of {source} holds a lone variation selector: there is no residue "
                    "to learn a rule from, and nothing leaks.")
    train = rule.splits["train"]
    lines = [f"Learned on the training texts alone: \"a lone U+FE0F means {rule.label}\". It fires on "
             f"{pct(train.coverage)} of training texts ({train.with_residue:,}) and is right for "
             f"{pct(train.precision)} of them, without reading a single word."]
    for split in (s for s in rule.splits.values() if s.split != "train"):
        lines.append(f"On {split.split}, only {pct(split.coverage)} of texts carry the residue "
                     f"({split.with_residue:,}); there the rule is right for {pct(split.precision)}." if
                     split.with_residue else f"On {split.split}, no text carries the residue: the rule never fires.")
    lines.append("A model trained on the published text learns this shortcut. The text a person types on a phone, "
                 "before choosing an emoji, never holds the residue, so the shortcut is worth nothing there; "
                 "load() removes it by default.")
    return "\n".join(wrap(line) for line in lines)


# -- the same model trained with and without the cleaning ------------------------------------------------------------
def published_run(run: Any, published: Any) -> Any:
    """`run`'s model trained again, same settings, on the published text: reloaded when already trained."""
    from emoji_lab.common.errors import EmojiLabError
    from emoji_lab.models.budgets import Budget
    from emoji_lab.models.registry import spec
    from emoji_lab.training.plan import Plan
    from emoji_lab.training.runs import matching_run
    from emoji_lab.training.train import train

    name = f"{run.record['model']}-published"
    try:
        return matching_run(name, published)
    except EmojiLabError:
        config = run.record["config"]
        minutes = config.get("minutes")  # None: a run made without a clock
        say(f"Training {run.record['model']} again on the text as published, with the same settings as "
            f"{run.name} (up to {config['epochs']} epochs" + (f" or {plural(minutes, 'minute')}):" if minutes else "):"))
        budget = Budget(config["epochs"], minutes, config["max_train"], config["batch_size"])
        return train(Plan(spec(run.record["model"]), budget, seed=config["seed"], name=name), published)


def leak_scores(run: Any, ds: Any) -> Optional[dict]:
    """Validation scores of `run` (cleaned text) and its published-text twin, on both versions of val."""
    published = published_data(ds)
    rule = residue_rule(published)
    if rule is None:
        return None
    twin = published_run(run, published)
    return {"model": run.record["model"], "label": rule.label, "index": rule.index,
            "cleaned": {"cleaned_val": run.evaluate(ds, "val"), "published_val": run.evaluate(published, "val")},
            "published": {"cleaned_val": twin.evaluate(ds, "val"), "published_val": twin.evaluate(published, "val")}}


def leak_table(scores: dict) -> Any:
    """Trained on x evaluated on: the four validation scores as a rich table."""
    from rich import box
    from rich.table import Table

    names = {"cleaned": "cleaned (default)", "published": "as published"}
    table = Table(title=f"{scores['model']}: trained on x scored on (validation)", title_justify="left",
                  box=box.SIMPLE_HEAD)
    for column in ("trained on", "scored on", "top-1", "top-5", "macro-F1"):
        table.add_column(column, justify="left" if column in ("trained on", "scored on") else "right")
    for trained in ("cleaned", "published"):
        for on, result in scores[trained].items():
            table.add_row(names[trained], names[on.split("_")[0]],
                          *(pct(result[k]) for k in ("top1", "top5", "macro_f1")))
    return table


def leak_story(scores: Optional[dict], source: str) -> str:
    """What the two trainings measured, whichever way it went."""
    if scores is None:
        return wrap(f"{source} has no residue, so training on the published text would train on the same text: "
                    "nothing to compare here. On TweetEval (--data tweeteval) this step trains the twin.")
    clean, leaky = scores["cleaned"]["cleaned_val"], scores["published"]["cleaned_val"]
    bench = scores["published"]["published_val"]
    label, index = scores["label"], scores["index"]
    lines = [f"{scores['model']} trained on the published text scores {pct(bench['macro_f1'])} macro-F1 on the "
             f"published validation texts (the benchmark's way) and {pct(leaky['macro_f1'])} on the cleaned ones "
             f"(a phone's way). The same model trained on cleaned text scores {pct(clean['macro_f1'])} there.",
             f"On the cleaned validation texts, the twin predicts {label} {leaky['per_class'][index]['predicted']:,} "
             f"times, the model trained on cleaned text {clean['per_class'][index]['predicted']:,} times; "
             f"{clean['per_class'][index]['support']:,} texts are labelled {label}."]
    gap = clean["macro_f1"] - leaky["macro_f1"]
    lines.append(f"Trained on the leak, the model is {100 * gap:.1f} points of macro-F1 worse on text without it."
                 if gap > 0 else "Measured here, training on the leak did not cost macro-F1 on text without it.")
    return "\n".join(wrap(line) for line in lines)


def leak_view(scores: Optional[dict], source: str) -> Any:
    """The story, then the table when there was something to compare: what lesson 7 shows."""
    from rich.console import Group
    from rich.text import Text

    story = Text(leak_story(scores, source))
    return Group(story, Text(""), leak_table(scores)) if scores else story
