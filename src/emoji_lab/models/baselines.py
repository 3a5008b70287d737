"""Baselines every later model must beat: always the commonest emoji, emoji names as keywords, learned keywords.

Lesson 02 asks the talk's question, "is there a simple way, like matching keywords?", and measures the
answer. All of it is plain Python and numpy, deterministic, and fits and scores TweetEval in a second or two.
Where the keywords fail and the rules a learner adds by hand are in `emoji_lab.teaching.keyword_failures`; what only
the lesson shows on top of it (sentences, tables, the checks of its exercises) is in `lessons/lesson02.py`.

Keywords are matched on `encoders.word_tokens` (lower-cased words, #hashtags, @mentions, punctuation).
A keyword is one token (`love`, `#tbt`) or a phrase of several (`new year`: consecutive tokens). Each
keyword found in a text counts once, however often it repeats; the scores of a text are, per class,
the sum of the weights of its keywords for that class, plus a tiny class prior that only orders the
classes when no keyword (or a tie) decides: the fallback is the most frequent class.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

import numpy as np

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data.emojis import normalize_emoji
from emoji_lab.data.encoders import word_tokens

MIN_COUNT = 10  # a word must be in this many training texts to become a keyword
PER_CLASS = 100  # keywords kept per class
SMOOTHING = 1.0  # added to every count of the log-odds (no infinite weights for unseen pairs)
PRIOR_SCALE = 1e-3  # the prior is the class share times this: far below any keyword weight


def keyword_of(phrase: str) -> str:
    """A word or phrase as the model stores it: its tokens, joined by one space (`New  Year!` -> `new year !`)."""
    tokens = word_tokens(phrase)
    if not tokens:
        raise EmojiLabError(f"{phrase!r} has no word in it: a rule needs a word or a phrase such as 'new year'")
    return " ".join(tokens)


def _found(tokens: Sequence[str], keywords: Mapping[str, Any], lengths: Iterable[int]) -> list[str]:
    """The keywords among the tokens (then among runs of consecutive tokens), each once, in reading order."""
    found = [t for t in dict.fromkeys(tokens) if t in keywords]
    for n in lengths:
        if n > 1:
            grams = (" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
            found.extend(g for g in dict.fromkeys(grams) if g in keywords)
    return found


# -- the model ------------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class KeywordModel:
    """Keywords with a weight per class; predicts by summing the weights of the keywords a text contains."""

    n_classes: int
    keywords: dict[str, dict[int, float]] = field(default_factory=dict)  # keyword -> {class id: weight}
    prior: Optional[np.ndarray] = None  # [C], added to every text's scores: orders the fallback
    labels: Optional[list[str]] = None  # emoji of the classes, so rules can name an emoji
    rules: list[tuple[str, int, float]] = field(default_factory=list)  # (keyword, class, weight) added by hand
    vocabulary: frozenset = frozenset()  # words of at least `min_count` training texts: known words, not typos
    version: int = 0  # bumped by every change, so results can tell which state they came from

    def __post_init__(self) -> None:
        self.prior = np.zeros(self.n_classes) if self.prior is None else np.asarray(self.prior, dtype=np.float64)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KeywordModel):
            return NotImplemented
        return (self.n_classes == other.n_classes and self.keywords == other.keywords
                and self.labels == other.labels and self.rules == other.rules
                and np.array_equal(self.prior, other.prior))

    def __repr__(self) -> str:
        rules = (f", {len(self.rules)} {'rule' if len(self.rules) == 1 else 'rules'} added by hand" if self.rules
                 else "")
        return f"KeywordModel({len(self.keywords)} keywords, {self.n_classes} classes{rules})"

    @classmethod
    def fit(cls, texts: Sequence[str], y: Any, n_classes: int, min_count: int = MIN_COUNT,
            per_class: int = PER_CLASS, labels: Optional[Sequence[str]] = None) -> "KeywordModel":
        """Learn keywords from labelled texts: per class, the `per_class` words with the highest log-odds."""
        y = np.asarray(y, dtype=np.int64)
        if len(texts) != len(y) or not len(y):
            raise EmojiLabError(f"fit needs as many labels as texts (got {len(texts)} texts, {len(y)} labels)")
        if y.min() < 0 or y.max() >= n_classes:
            raise EmojiLabError(f"class ids must be 0..{n_classes - 1}, found {int(y.min())}..{int(y.max())}")
        words, counts = doc_counts(texts, y, n_classes, min_count)
        weights = log_odds(counts, np.bincount(y, minlength=n_classes))
        keywords: dict[str, dict[int, float]] = {}
        for c in range(n_classes):
            for i in np.argsort(-weights[:, c], kind="stable")[:per_class]:
                if weights[i, c] > 0:
                    keywords.setdefault(words[i], {})[c] = round(float(weights[i, c]), 4)
        share = np.bincount(y, minlength=n_classes) / len(y)
        return cls(n_classes, keywords, PRIOR_SCALE * share, list(labels) if labels is not None else None,
                   vocabulary=frozenset(words))

    @classmethod
    def fit_on(cls, ds: Any) -> "KeywordModel":
        """Lesson 2's keywords, learned from a data set's training split (its labels kept for display)."""
        return cls.fit(ds.train.texts, ds.train.y, len(ds.labels), labels=ds.labels)

    @classmethod
    def from_emoji_names(cls, labels: Sequence[str]) -> "KeywordModel":
        """The zero-data baseline: each class's keywords are the words of its emoji's name and aliases."""
        by_word: dict[str, list[int]] = {}
        for c, label in enumerate(labels):
            for word in name_words(label):
                by_word.setdefault(word, []).append(c)
        keywords = {}
        for word, classes in by_word.items():
            weight = round(1 / len(classes), 4)  # a word in several names splits its vote
            for key in (word, "#" + word):
                keywords[key] = {c: weight for c in classes}
        return cls(len(labels), keywords, None, list(labels))

    # -- using it ---------------------------------------------------------------------------------------------------
    def _lengths(self) -> list[int]:
        """Lengths of the phrase keywords (cached: this runs for every text)."""
        key = (id(self.keywords), len(self.keywords), self.version)
        if getattr(self, "_lengths_key", None) != key:
            self._lengths_cache = sorted({k.count(" ") + 1 for k in self.keywords if " " in k})
            self._lengths_key = key
        return self._lengths_cache

    def matched(self, text: str) -> list[str]:
        """The keywords this text contains, in reading order."""
        return _found(word_tokens(text), self.keywords, self._lengths())

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """[n, C] float64: per class, the prior plus the summed weights of the keywords each text contains."""
        return self.token_scores([word_tokens(t) for t in texts])

    def token_scores(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """`scores` of texts already split by `word_tokens`."""
        lengths = self._lengths()
        rows, cols, values = [], [], []
        for row, tokens in enumerate(token_lists):
            for keyword in _found(tokens, self.keywords, lengths):
                for c, weight in self.keywords[keyword].items():
                    rows.append(row)
                    cols.append(c)
                    values.append(weight)
        out = np.tile(self.prior, (len(token_lists), 1))
        np.add.at(out, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)), values)
        return out

    def hits(self, texts: Sequence[str]) -> np.ndarray:
        """[n] bool: whether each text contains at least one keyword."""
        lengths = self._lengths()
        return np.array([bool(_found(word_tokens(t), self.keywords, lengths)) for t in texts], dtype=bool)

    def coverage(self, texts: Sequence[str]) -> float:
        """Share of the texts with at least one keyword: the others get the fallback."""
        return float(self.hits(texts).mean()) if len(texts) else 0.0

    def explain(self, text: str) -> list[dict]:
        """Each (keyword, class) that scores this text: keyword, class, emoji, weight, and whether it is a hand rule."""
        ruled = {(k, c) for k, c, _ in self.rules}
        out = [{"keyword": k, "class": c, "emoji": self.emoji(c), "weight": w, "rule": (k, c) in ruled}
               for k in self.matched(text) for c, w in self.keywords[k].items()]
        return sorted(out, key=lambda m: (-m["weight"], m["keyword"], m["class"]))

    def top_keywords(self, cls_id: int, n: int = 8) -> list[tuple[str, float]]:
        """The n heaviest keywords of one class, heaviest first."""
        pairs = [(k, w[cls_id]) for k, w in self.keywords.items() if cls_id in w]
        return sorted(pairs, key=lambda kw: (-kw[1], kw[0]))[:n]

    def emoji(self, cls_id: int) -> str:
        return self.labels[cls_id] if self.labels else str(cls_id)

    # -- changing it ------------------------------------------------------------------------------------------------
    def class_id(self, emoji_or_class: Any) -> int:
        """A class given as its id or its emoji (with or without U+FE0F)."""
        if isinstance(emoji_or_class, (int, np.integer)) and not isinstance(emoji_or_class, bool):
            if 0 <= int(emoji_or_class) < self.n_classes:
                return int(emoji_or_class)
            raise EmojiLabError(f"class {emoji_or_class} does not exist: class ids are 0..{self.n_classes - 1}")
        if not isinstance(emoji_or_class, str):
            raise EmojiLabError(f"give the class as an emoji or a class id, not {type(emoji_or_class).__name__}")
        if not self.labels:
            raise EmojiLabError("this model has no labels: give the class as a number")
        wanted = normalize_emoji(emoji_or_class.strip())
        for c, label in enumerate(self.labels):
            if normalize_emoji(label) == wanted:
                return c
        raise EmojiLabError(f"{emoji_or_class} is not one of the classes: {' '.join(self.labels)}")

    def add_rule(self, word_or_phrase: str, emoji_or_class: Any, weight: Optional[float] = None) -> "KeywordModel":
        """Make a word or phrase score a class with `weight` (replacing any weight it had for that class).

        The default weight is the model's largest, so the rule wins unless several other keywords agree.
        Returns the model, so calls can be chained.
        """
        keyword, c = keyword_of(word_or_phrase), self.class_id(emoji_or_class)
        if weight is None:
            weight = max((w for ws in self.keywords.values() for w in ws.values()), default=1.0)
        if not isinstance(weight, (int, float, np.number)) or isinstance(weight, bool) or not np.isfinite(weight):
            raise EmojiLabError(f"the weight must be a number, not {weight!r}")
        self.keywords.setdefault(keyword, {})[c] = float(weight)
        self.rules = [r for r in self.rules if r[:2] != (keyword, c)] + [(keyword, c, float(weight))]
        self.version += 1
        return self

    def copy(self) -> "KeywordModel":
        """An independent copy: change it without changing this one."""
        return copy.deepcopy(self)


def doc_counts(texts: Sequence[str], y: np.ndarray, n_classes: int, min_count: int) -> tuple[list[str], np.ndarray]:
    """Words in at least `min_count` texts (sorted), and [V, C] how many texts of each class contain each."""
    docs = [set(word_tokens(t)) for t in texts]
    frequency = Counter(w for d in docs for w in d)
    words = sorted(w for w, n in frequency.items() if n >= min_count)
    index = {w: i for i, w in enumerate(words)}
    rows, cols = [], []
    for doc, c in zip(docs, y.tolist()):
        for w in doc:
            i = index.get(w)
            if i is not None:
                rows.append(i)
                cols.append(c)
    flat = np.asarray(rows, dtype=np.int64) * n_classes + np.asarray(cols, dtype=np.int64)
    return words, np.bincount(flat, minlength=len(words) * n_classes).reshape(len(words), n_classes)


def log_odds(counts: np.ndarray, class_sizes: np.ndarray, smoothing: float = SMOOTHING) -> np.ndarray:
    """[V, C] smoothed log odds ratio: how much likelier a class's texts contain the word than the other texts.

    log((k + a) / (n_c - k + a)) - log((o + a) / (n_other - o + a)), with k the texts of the class
    containing the word, o the other texts containing it, n_c and n_other the texts of each side.
    0 means no link; 1 means e (2.7) times the odds; negative words point away from the class.
    """
    k = counts.astype(np.float64)
    n_c = class_sizes.astype(np.float64)[None, :]
    o = k.sum(axis=1, keepdims=True) - k
    n_other = n_c.sum() - n_c
    a = smoothing
    return np.log((k + a) / (n_c - k + a)) - np.log((o + a) / (n_other - o + a))


# -- the zero-data baseline: emoji names ------------------------------------------------------------------------------
# Words of the names that say what the picture is made of rather than when people use it: `face`
# is in most smiley names, and `with`, `of`, `the`... are glue. Words shorter than three letters go
# too: `us` (an alias of 🇺🇸) would match "love us", `up` (thumbs up) "up late".
NAME_STOP_WORDS = frozenset({"face", "with", "of", "the", "a", "an", "and", "for", "flag", "button", "symbol"})


def name_words(label: str) -> list[str]:
    """The words of an emoji's CLDR name and aliases in the `emoji` package, minus stop words, in order."""
    import emoji

    data = emoji.EMOJI_DATA.get(label) or emoji.EMOJI_DATA.get(normalize_emoji(label)) or {}
    names = [data.get("en", "")] + list(data.get("alias") or [])
    words = [w for name in names for w in re.findall(r"[a-z0-9]+", name.lower())]
    return list(dict.fromkeys(w for w in words if len(w) >= 3 and w not in NAME_STOP_WORDS))


def majority_scores(y_train: Any, n: int, n_classes: int) -> np.ndarray:
    """[n, C]: every text gets the class shares of the training split, so the commonest class always wins."""
    y_train = np.asarray(y_train, dtype=np.int64)
    share = np.bincount(y_train, minlength=n_classes) / max(len(y_train), 1)
    return np.tile(share, (n, 1))


def most_frequent_classes(y: Any, n: int) -> list[int]:
    """The n most frequent class ids of `y`, most frequent first (ties: the lower id first)."""
    counts = np.bincount(np.asarray(y, dtype=np.int64))
    return [int(c) for c in np.argsort(-counts, kind="stable")[:n]]
