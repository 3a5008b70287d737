"""What lesson 02 shows and checks, built on `baselines`: sentences, tables and the checks of its exercises.

`emoji_lab.models.baselines` holds the reusable part (the keyword model, log-odds, the majority baseline), which
the CLI and the benchmarks use too, and `emoji_lab.teaching.keyword_failures` the failure analysis, rule
suggestions and their effect. This module turns their
results into what the lesson prints: sentences with the learner's own numbers (`names_story`,
`majority_story`, `coverage_story`, `rule_story`), rich views (`keywords_table`, `failures_view`,
`ideas_table`), and the checks of the exercises (`check_my_top1`, `check_rule`).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Sequence

import numpy as np

from emoji_lab.common.formatting import pct, plural, wrap
from emoji_lab.models.baselines import KeywordModel, name_words
from emoji_lab.teaching.checking import is_number, missing, wrong_kind


# -- sentences built from what was measured ------------------------------------------------------------------------
def _story(text: str) -> str:
    """A story folded to fit an 80-column terminal (emoji are two columns wide), its later lines indented."""
    return wrap(text, 74, indent="  ")


def _share(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,} ({pct(part / max(whole, 1))})"


def names_story(names: KeywordModel, texts: Sequence[str], example: str = "happy new year", emoji: str = "🎉") -> str:
    """What the emoji-name keywords make of the seed's example, and how many texts they can say anything about."""
    from emoji_lab.data.emojis import describe

    labels = names.labels or []
    lines = []
    info = describe(emoji)
    words = ", ".join(name_words(emoji)) or "none"
    where = "one of your classes" if emoji in labels else "not one of your classes"
    lines.append(f"{emoji} is {info.name.lower()!r} ({info.shorthand}), {where}; its name keywords: {words}.")
    found = names.explain(example)
    if found:
        hits = ", ".join(f"{m['keyword']} -> {m['emoji']}" for m in found)
        answer = names.emoji(int(names.scores([example])[0].argmax()))
        lines.append(f"{example!r} matches {hits}: the model answers {answer}.")
    else:
        lines.append(f"{example!r} shares no word with any emoji name: no keyword, so the model falls back "
                     f"to {names.emoji(0)} (class 0).")
    hit = names.hits(texts)
    lines.append(f"Validation texts with any name keyword: {_share(int(hit.sum()), len(texts))}; "
                 "every other text gets the fallback.")
    return _story("\n".join(lines))


def majority_story(result: Mapping[str, Any], labels: Sequence[str]) -> str:
    """Why always answering the commonest emoji has a fair top-1 and a tiny macro-F1, in its own numbers."""
    rows = result["per_class"]
    chosen = max(range(len(rows)), key=lambda c: (rows[c]["predicted"], -c))
    return _story(f"Always answering {labels[chosen]} is right on {result['top1']:.1%} of validation texts (top-1): "
            f"that is simply the share of {labels[chosen]} among them. But its macro-F1 is "
            f"{result['macro_f1']:.1%}: {labels[chosen]}'s own F1 is {rows[chosen]['f1']:.1%}, and each of the "
            f"other {len(labels) - 1} emoji, never predicted, has an F1 of 0. Macro-F1 is the mean over all "
            f"{len(labels)} emoji, each counting the same.")


def coverage_story(model: KeywordModel, texts: Sequence[str]) -> str:
    """How many texts hold a keyword, and what the others get."""
    hit = model.hits(texts)
    if model.prior.any():
        fallback = f"{model.emoji(int(np.argmax(model.prior)))}, the emoji most frequent in training"
    else:
        fallback = f"{model.emoji(0)}, class 0"
    return _story(f"Texts with at least one keyword: {_share(int(hit.sum()), len(texts))}. "
                 f"The other {int((~hit).sum()):,} get the fallback, {fallback}.")


def rule_story(effect: Mapping[str, Any], before: Mapping[str, Any], after: Mapping[str, Any],
               labels: Sequence[str]) -> str:
    """What the learner's rules did on validation, in texts and in points."""
    if not effect["rules"]:
        return "No new rule: mine scores exactly like model."
    rules = ", ".join(f"{k!r} -> {labels[c]} (weight {w:.2f})" for k, c, w in effect["rules"])
    one = len(effect["rules"]) == 1
    wrong_to_wrong = effect["changed"] - effect["fixed"] - effect["broken"]
    others = (f", {wrong_to_wrong:,} from one wrong emoji to another" if wrong_to_wrong else "")
    story = _story(f"Your {'rule' if one else 'rules'} {rules} {'fires' if one else 'fire'} on "
                  f"{plural(effect['fired'], 'validation text')} and {'changes' if one else 'change'} "
                  f"{plural(effect['changed'], 'prediction')}: {effect['fixed']:,} fixed, {effect['broken']:,} broken"
                  f"{others}.")
    moves = [f"  {name:<9} {before[key]:7.2%} -> {after[key]:7.2%}  ({100 * (after[key] - before[key]):+.2f} points)"
             for name, key in (("top-1", "top1"), ("top-5", "top5"), ("macro-F1", "macro_f1"))]
    return "\n".join([story] + moves)


# -- rich views ---------------------------------------------------------------------------------------------------
def keywords_table(model: KeywordModel, classes: Optional[Iterable[int]] = None, n: int = 6,
                   title: str = "Top keywords per emoji (weight)") -> Any:
    """A few classes' heaviest keywords, with their weights."""
    from rich.table import Table
    from rich.text import Text

    from emoji_lab.common.formatting import pieces

    table = Table(title=title, title_justify="left")
    table.add_column("emoji", justify="center", no_wrap=True)
    table.add_column("keywords", ratio=1)
    for c in classes if classes is not None else range(model.n_classes):
        pairs = model.top_keywords(c, 3 * n)
        # `#joy` beside `joy` with the same weights says nothing new: the name baseline adds both.
        words = [(k, w) for k, w in pairs
                 if not (k.startswith("#") and model.keywords.get(k[1:]) == model.keywords[k])][:n]
        table.add_row(model.emoji(c), pieces(f"{k} {w:.1f}" for k, w in words) if words else Text("(none)"))
    return table


def _short(text: str, width: int = 72) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def failures_view(report: Mapping[str, Any]) -> Any:
    """Each kind of mistake with its count and its first examples: text, answer, truth and the clue."""
    from rich.console import Group
    from rich.text import Text

    parts = [Text(f"{report['wrong']:,} of {report['texts']:,} validation texts are wrong. By kind:", style="bold")]
    for kind, found in report["kinds"].items():
        parts.append(Text(f"\n{kind}: {_share(found['count'], report['wrong'])} of the mistakes", style="bold"))
        for ex in found["examples"]:
            parts.append(Text(f"  {_short(ex['text'])!r}"))
            parts.append(Text(f"    said {ex['predicted']}, was {ex['true']}; {ex['clue']}", style="dim"))
    return Group(*parts)


def ideas_table(ideas: Sequence[Mapping[str, Any]], title: str = "Rule ideas from the training texts") -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    for header, justify in (("phrase", "left"), ("emoji", "center"), ("texts", "right"), ("with it", "right"),
                            ("gain", "right")):
        table.add_column(header, justify=justify, no_wrap=True)
    for idea in ideas:
        table.add_row(Text(idea["phrase"]), idea["emoji"], f"{idea['texts']:,}", f"{idea['share']:.0%}",
                      f"{idea['gain']:+,}")
    return table


# -- checks of lesson 02 ------------------------------------------------------------------------------------------
def check_my_top1(ns: Mapping[str, Any]) -> Optional[str]:
    """`my_top1` must be the share of validation texts whose best-scored class is the true one."""
    ds, val_scores = ns.get("ds"), ns.get("val_scores")
    if ds is None or val_scores is None:
        return "`ds` or `val_scores` is missing: go `back` to the step that evaluates the keywords and run it."
    absent = missing(ns, "my_top1", "compare `val_scores.argmax(axis=1)` with `ds.val.y`, then take the mean.")
    if absent:
        return absent
    mine, y = ns["my_top1"], np.asarray(ds.val.y)
    expected = float((np.asarray(val_scores).argmax(axis=1) == y).mean())
    if isinstance(mine, np.ndarray) and mine.size > 1:
        return (f"`my_top1` is an array of {mine.size} values (one per text): take its mean, "
                "`(pred == ds.val.y).mean()`, for the share that is right.")
    if isinstance(mine, np.ndarray):
        mine = mine.item()
    if not is_number(mine):
        return wrong_kind("my_top1", mine, "it should be a number between 0 and 1.")
    if abs(float(mine) - expected) < 1e-9:
        return None
    if abs(float(mine) - 100 * expected) < 1e-6:
        return f"`my_top1` is {float(mine):.2f}: that is a percentage. Keep it as a share between 0 and 1."
    if abs(float(mine) - expected * len(y)) < 1e-6:
        return f"`my_top1` is {mine}: that is how many are right. Divide by the number of texts, or use `.mean()`."
    if not 0 <= float(mine) <= 1:
        return f"`my_top1` is {float(mine):g}: a share is between 0 and 1 (0.5 means half the texts)."
    if abs(float(mine) - float((np.asarray(val_scores).argmin(axis=1) == y).mean())) < 1e-9:
        return "`my_top1` used `argmin`: the predicted class is the one with the highest score, `argmax`."
    if abs(float(mine) - expected) < 0.0005:
        return (f"`my_top1` is {float(mine):g}: the table's figure, rounded. Compute it from the scores, "
                "`(val_scores.argmax(axis=1) == ds.val.y).mean()`, so it is exact.")
    return (f"`my_top1` is {float(mine):.4f}, not the share of texts where `val_scores.argmax(axis=1)` equals "
            "`ds.val.y`.")


_SCORED: dict = {}


def _val_scores(model: KeywordModel, ds: Any) -> np.ndarray:
    """A model's scores on the validation split, remembered per model state (checks run after every line)."""
    key = (id(model), model.version, len(model.keywords), tuple(model.rules), id(ds))
    if key not in _SCORED:
        if len(_SCORED) >= 4:
            _SCORED.clear()
        _SCORED[key] = model.scores(ds.val.texts)
    return _SCORED[key]


def _evaluate_now(model: KeywordModel, ds: Any) -> dict:
    from emoji_lab.training.metrics import evaluate

    return evaluate(ds.val.y, _val_scores(model, ds), ds.labels)


def _same_scores(a: Any, b: Mapping[str, Any]) -> bool:
    return isinstance(a, Mapping) and all(is_number(a.get(k)) and abs(float(a[k]) - b[k]) < 1e-12
                                          for k in ("top1", "top5", "macro_f1"))


def check_rule(ns: Mapping[str, Any]) -> Optional[str]:
    """`mine` is a copy of `model` with at least one rule that fires on validation texts; `after` is its evaluation."""
    model, mine, ds = ns.get("model"), ns.get("mine"), ns.get("ds")
    if not isinstance(model, KeywordModel) or ds is None:
        return "`model` or `ds` is missing: go `back` to the step that learns the keywords and run it."
    if model.rules:
        return ("`model` itself now has a rule: keep `model` as the baseline and add rules to a copy, "
                "`mine = model.copy()`, then `mine.add_rule(...)`.")
    if mine is None:
        return missing(ns, "mine", "make a copy first, `mine = model.copy()`.")
    if not isinstance(mine, KeywordModel):
        return f"`mine` is {type(mine).__name__}; make it a copy of the keyword model: `mine = model.copy()`."
    if not mine.rules:
        return "`mine` has no rule yet: `mine.add_rule(phrase, emoji)`, with a phrase and emoji from the ideas table."
    keywords = sorted({k for k, _, _ in mine.rules})
    if not any(set(keywords).intersection(mine.matched(t)) for t in ds.val.texts):
        return (f"{', '.join(repr(k) for k in keywords)}: in none of the validation texts, so no score can "
                "move: pick a phrase that is (the ideas table, or a failure above).")
    if (_val_scores(mine, ds).argmax(axis=1) == _val_scores(model, ds).argmax(axis=1)).all():
        return (f"{', '.join(repr(k) for k in keywords)}: in some validation texts, but no prediction changes "
                "(those texts already get that emoji, or other keywords outweigh the rule). Give it a "
                "bigger weight, `mine.add_rule(phrase, emoji, 20)`, or add another phrase.")
    after = ns.get("after")
    if not isinstance(after, Mapping) or "top1" not in after:
        return "`after` should be the dict from `evaluate(ds.val.y, mine.scores(ds.val.texts), ds.labels)`."
    if _same_scores(after, _evaluate_now(mine, ds)):
        return None
    if _same_scores(after, _evaluate_now(model, ds)):
        return "`after` holds the scores of `model`, without your rule: evaluate `mine.scores(ds.val.texts)`."
    return ("`after` does not match `mine` as it is now (a rule added after measuring?): run "
            "`after = evaluate(ds.val.y, mine.scores(ds.val.texts), ds.labels)` again.")
