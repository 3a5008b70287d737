"""Where lesson 2's keyword model fails (typos and elongations, negation, no keyword at all), and the rules a learner
adds by hand with what they change: the analyses of `emoji_lab.models.baselines.KeywordModel` that the lesson shows.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Optional, Sequence

import numpy as np

from emoji_lab.data.encoders import word_tokens
from emoji_lab.models.baselines import MIN_COUNT, KeywordModel

FAILURE_KINDS = ("typo or elongation", "negation", "no keyword", "other")
# A negation word anywhere in the text; straight or curly apostrophe, and the apostrophe-less forms tweets use.
NEGATION = re.compile(r"\b(?:not|no|never|nothing|nobody|none|nor|cannot|dont|didnt|doesnt|cant|wont|isnt|"
                      r"arent|wasnt|werent|aint|havent|hasnt|couldnt|shouldnt|wouldnt)\b|n['’]t\b", re.IGNORECASE)
_RUNS = re.compile(r"(\w)\1{2,}")


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def near_misses(model: KeywordModel, cls_id: int) -> tuple[set[str], dict[str, str]]:
    """The single-word keywords of a class, and a map from their one-letter deletions back to them."""
    words = {k for k, w in model.keywords.items() if cls_id in w and " " not in k and len(k) >= 4}
    deleted = {d: k for k in sorted(words, reverse=True) for d in _deletions(k)}
    return words, deleted


def one_edit_apart(a: str, b: str) -> bool:
    """Whether b is a with one letter missing, added, changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    i = next((i for i in range(len(short)) if short[i] != long[i]), len(short))
    return short[i:] == long[i + 1:]


def typo_of(token: str, words: set[str], deleted: dict[str, str], known: frozenset = frozenset()) -> Optional[str]:
    """The keyword a token looks like a slip of: letters repeated (lovvve), or one letter off (`one_edit_apart`).

    Only for tokens of letters that are not keywords; a word the training texts use often (`known`) is
    a word of its own, not a slip (`best` is not `beth`), and words under five letters are too easily
    one letter from another to count, unless only repeated letters differ (`lmaooo`).
    """
    if token in words or token in known or len(token) < 4 or not token.isalpha():
        return None
    for collapsed in (_RUNS.sub(r"\1", token), _RUNS.sub(r"\1\1", token)):
        if collapsed != token and collapsed in words:
            return collapsed
    if len(token) < 5:
        return None
    candidates = [deleted.get(token)]
    for shorter in sorted(_deletions(token)):
        candidates += [shorter if shorter in words else None, deleted.get(shorter)]
    return next((c for c in candidates if c and one_edit_apart(token, c)), None)


def failure_kind(model: KeywordModel, text: str, true_class: int,
                 index: Optional[tuple[set[str], dict[str, str]]] = None) -> tuple[str, str]:
    """(kind, clue) for a text the model gets wrong, by simple rules tried in this order:

    1. typo or elongation: a word is one slip away from a keyword of the right emoji (see `typo_of`);
    2. negation: a negation word (not, no, never, ...n't) is in the text, which keywords cannot read;
    3. no keyword: nothing matched, so the fallback answered;
    4. other: keywords matched but pointed elsewhere (sarcasm, ambiguity, several fitting emoji).
    """
    words, deleted = index or near_misses(model, true_class)
    for token in dict.fromkeys(word_tokens(text)):
        meant = typo_of(token, words, deleted, model.vocabulary)
        if meant:
            return "typo or elongation", f"{token!r} looks like {meant!r}, a keyword of {model.emoji(true_class)}"
    negation = NEGATION.search(text)
    if negation:
        return "negation", f"{negation.group(0)!r} in the text"
    found = model.matched(text)
    if not found:
        return "no keyword", "no keyword: the fallback answered"
    return "other", "matched " + ", ".join(found[:4])


def failure_examples(model: KeywordModel, texts: Sequence[str], y: Any, labels: Sequence[str],
                     n: int = 3) -> dict:
    """The texts the model gets wrong, sorted into `FAILURE_KINDS`, with counts and the first n of each kind."""
    y = np.asarray(y, dtype=np.int64)
    pred = model.scores(texts).argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    indexes = {c: near_misses(model, c) for c in range(len(labels))}
    kinds: dict[str, dict] = {kind: {"count": 0, "examples": []} for kind in FAILURE_KINDS}
    for i in wrong.tolist():
        kind, clue = failure_kind(model, texts[i], int(y[i]), indexes[int(y[i])])
        kinds[kind]["count"] += 1
        if len(kinds[kind]["examples"]) < n:
            kinds[kind]["examples"].append({"text": texts[i], "true": labels[y[i]], "predicted": labels[pred[i]],
                                            "clue": clue})
    return {"texts": len(texts), "wrong": int(len(wrong)), "kinds": kinds}


# -- rules by hand ----------------------------------------------------------------------------------------------
def _phrases(tokens: list[str]) -> set[str]:
    """Pairs of consecutive word tokens (a token is a word, #tag or @name unless it is one punctuation mark)."""
    wordy = [t[-1].isalnum() or t[-1] == "_" for t in tokens]
    return {f"{tokens[i]} {tokens[i + 1]}" for i in range(len(tokens) - 1) if wordy[i] and wordy[i + 1]}


def suggest_rules(model: KeywordModel, texts: Sequence[str], y: Any, labels: Sequence[str], n: int = 5,
                  min_count: int = MIN_COUNT, min_share: float = 0.5) -> list[dict]:
    """Two-word phrases worth a rule, found in labelled (training) texts, best first.

    A phrase qualifies when it is in at least `min_count` texts and at least `min_share` of them
    carry one emoji. Its gain assumes the rule wins wherever the phrase occurs (the default weight
    of `add_rule` nearly always does): the texts with that emoji become right, and those the model
    already got right with another emoji become wrong. Gain = the first count minus the second.
    """
    y = np.asarray(y, dtype=np.int64)
    tokens = [word_tokens(t) for t in texts]
    pred = model.token_scores(tokens).argmax(axis=1)
    docs = [_phrases(t) for t in tokens]
    counts = Counter(p for d in docs for p in d)
    phrases = sorted(p for p, k in counts.items() if k >= min_count and p not in model.keywords)
    if not phrases:
        return []
    index = {p: i for i, p in enumerate(phrases)}
    pairs = np.array([(index[p], i) for i, d in enumerate(docs) for p in d if p in index], dtype=np.int64)
    phrase_ids, text_ids = pairs[:, 0], pairs[:, 1]
    C = len(labels)
    labelled = np.bincount(phrase_ids * C + y[text_ids], minlength=len(phrases) * C).reshape(-1, C)
    right = np.bincount(phrase_ids, weights=pred[text_ids] == y[text_ids], minlength=len(phrases))
    best = labelled.argmax(axis=1)
    share = labelled.max(axis=1) / labelled.sum(axis=1)
    gain = np.where(share >= min_share, labelled.max(axis=1) - right, 0).astype(np.int64)
    order = np.lexsort((np.arange(len(phrases)), -gain))  # by gain, then alphabetically
    return [{"phrase": phrases[p], "emoji": labels[best[p]], "texts": int(counts[phrases[p]]),
             "share": float(share[p]), "gain": int(gain[p])}
            for p in order[:n].tolist() if gain[p] > 0]


def rule_effect(before: KeywordModel, after: KeywordModel, texts: Sequence[str], y: Any) -> dict:
    """What changing a model did on some texts: how many changed prediction, were fixed, or were broken."""
    y = np.asarray(y, dtype=np.int64)
    old, new = before.scores(texts).argmax(axis=1), after.scores(texts).argmax(axis=1)
    new_rules = [r for r in after.rules if r not in before.rules]
    keywords = {keyword for keyword, _, _ in new_rules}
    fired = sum(1 for t in texts if keywords.intersection(after.matched(t)))
    return {"rules": new_rules, "fired": fired, "changed": int((old != new).sum()),
            "fixed": int(((old != y) & (new == y)).sum()), "broken": int(((old == y) & (new != y)).sum())}
