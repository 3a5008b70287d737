"""From lines of raw text with emoji to labelled examples in seeded train/val/test splits.

The seed talk counted the top-100 emoji of 100,000 tweets and kept those as classes. Here:
- popularity counts lines, not occurrences (`😂😂😂` in one line counts once);
- the classes are the top K normalised emoji (default 20), class 0 the most popular;
- the input is the line with every emoji removed and cleaned (`emojis.split_emoji`, `emoji_lab.data.cleaning`);
- a line whose top-K emoji differ (`so tired 😩 lol 😂`) is labelled by the first of them, the one
  typed first after the text: its `several_labels` count is reported, and `multi="drop"` skips such
  lines instead (the SemEval 2018 task kept only tweets with a single emoji);
- lines with no emoji, only rare emoji, or no text left are dropped, and counted by reason.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from emoji_lab.common.errors import DataError
from emoji_lab.data.emojis import EmojiInfo, describe, display_emoji, normalize_emoji, split_emoji
from emoji_lab.data.source import DEFAULT_SEED, DEFAULT_TOP_K, MULTI_POLICIES, Source, named_lines

SPLIT_FRACTIONS = {"train": 0.8, "val": 0.1, "test": 0.1}


@dataclass(frozen=True)
class Split:
    """Texts and their class ids (indices into `Dataset.labels`)."""

    texts: list[str]
    y: np.ndarray  # [n] int32

    def __len__(self) -> int:
        return len(self.texts)


@dataclass(frozen=True)
class EmojiStat:
    """One row of the popularity table."""

    rank: int
    key: str  # normalised emoji (see emojis.normalize_emoji)
    count: int
    share: float  # of labelled lines (raw text) or of examples (pre-labelled data)
    info: EmojiInfo


@dataclass
class Dataset:
    """Everything a lesson needs about the loaded data; plain values, drawn by rich or widgets."""

    source: Source  # what was loaded, with its options; str(source) names it in messages
    labels: list[str]  # emoji to show, by class id: popularity rank for raw text, the benchmark's ids for TweetEval
    splits: dict[str, Split]
    popularity: list[EmojiStat]  # every emoji seen, by rank (the first len(labels) are the classes)
    lines: int  # lines read
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> lines
    notes: dict[str, int] = field(default_factory=dict)  # counts worth reporting (cleaning, policies)
    cleaned: bool = True  # texts went through `emoji_lab.data.cleaning`; False: TweetEval as published (the leak)

    @property
    def train(self) -> Split:
        return self.splits["train"]

    @property
    def val(self) -> Split:
        return self.splits["val"]

    @property
    def examples(self) -> int:
        return sum(len(s) for s in self.splits.values())

    def counts(self) -> list[int]:
        """Examples per class over all splits, in class order."""
        total = np.zeros(len(self.labels), dtype=np.int64)
        for split in self.splits.values():
            total += np.bincount(split.y, minlength=len(self.labels))
        return total.tolist()

    def summary(self) -> dict:
        """The machine-readable statistics printed by `emoji_lab data stats --json`."""
        return {
            "source": str(self.source),
            **({"options": self.source.options()} if self.source.options() else {}),
            "lines": self.lines,
            "examples": self.examples,
            "labels": self.labels,
            "counts": self.counts(),
            "splits": {name: len(split) for name, split in self.splits.items()},
            "dropped": self.dropped,
            "notes": self.notes,
            "popularity": [
                {
                    "rank": s.rank,
                    "emoji": s.info.emoji,
                    "count": s.count,
                    "share": round(s.share, 6),
                    "name": s.info.name,
                    "codepoints": s.info.codepoints,
                    "shorthand": s.info.shorthand,
                }
                for s in self.popularity
            ],
        }


def count_popularity(line_labels: list[list[str]]) -> Counter:
    """Lines containing each normalised emoji."""
    return Counter(e for labels in line_labels for e in labels)


def rank(counts: Counter, total: int) -> list[EmojiStat]:
    """Popularity table; ties broken by code point so the order never depends on input order."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [EmojiStat(i + 1, e, n, n / max(total, 1), describe(e)) for i, (e, n) in enumerate(ordered)]


def split_lines(text: str) -> list[str]:
    """Lines split on newlines only: tweets may hold U+2028 or U+0085, which `splitlines` breaks on."""
    lines = text.replace("\r\n", "\n").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def label_lines(lines: list[str], top_k: int = DEFAULT_TOP_K, multi: str = "first"):
    """Turn raw lines into (texts, class keys, classes, popularity, dropped, notes)."""
    if multi not in MULTI_POLICIES:
        raise DataError(f"unknown policy for lines with several emoji: {multi!r} (use first or drop)")
    if top_k < 2:
        raise DataError(f"top_k must be at least 2 (got {top_k}): a classifier needs two classes")
    parsed = [split_emoji(line) for line in lines]  # (text without emoji, labels)
    per_line = [labels for _, labels in parsed]
    with_emoji = sum(1 for labels in per_line if labels)
    popularity = rank(count_popularity(per_line), with_emoji)
    classes = popularity[:top_k]
    keys = {stat.key: i for i, stat in enumerate(classes)}
    texts, ids = [], []
    dropped = Counter()
    several = 0
    for text, labels in parsed:
        top = [keys[e] for e in labels if e in keys]
        if not labels:
            dropped["no emoji"] += 1
        elif not top:
            dropped[f"only emoji outside the top {top_k}"] += 1
        elif len(top) > 1 and multi == "drop":
            dropped["several top emoji (policy: drop)"] += 1
        elif not text:
            dropped["no text besides emoji"] += 1
        else:
            several += len(top) > 1
            texts.append(text)
            ids.append(top[0])
    notes = {"several top emoji, labelled by the first": several} if multi == "first" else {}
    return texts, np.asarray(ids, dtype=np.int32), classes, popularity, dict(dropped), notes


def stratified_split(texts: list[str], y: np.ndarray, seed: int = DEFAULT_SEED,
                     fractions: dict[str, float] = SPLIT_FRACTIONS) -> dict[str, np.ndarray]:
    """Indices per split: stratified by class, seeded, and identical texts kept in one split.

    Keeping copies together matters: 3.6% of TweetEval's validation tweets are copies of training
    tweets, which flatters any model that memorises.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        groups[text].append(i)
    by_class: dict[int, list[list[int]]] = defaultdict(list)
    for members in groups.values():  # dicts keep insertion order: deterministic
        by_class[int(y[members[0]])].append(members)
    rng = random.Random(seed)
    first, *others = fractions  # the first split (train) takes what the others leave
    chosen: dict[str, list[int]] = {name: [] for name in fractions}
    for cls in sorted(by_class):
        members = by_class[cls]
        rng.shuffle(members)
        start = 0
        for name in others:
            size = round(len(members) * fractions[name])
            for group in members[start:start + size]:
                chosen[name].extend(group)
            start += size
        for group in members[start:]:
            chosen[first].extend(group)
    return {name: np.array(sorted(idx), dtype=np.int64) for name, idx in chosen.items()}


def from_raw_lines(lines: list[str], source: Source | str) -> Dataset:
    """The whole preprocessing step for raw text with emoji (the practice corpus, own files, texts in memory: a
    name stands for texts handed over), with the source's top-K, split seed and multi-emoji policy."""
    source = named_lines(source) if isinstance(source, str) else source
    texts, y, classes, popularity, dropped, notes = label_lines(lines, source.top_k, source.multi)
    if not texts:
        raise DataError(f"{source}: no line has both text and one of the top {source.top_k} emoji")
    if len(set(y.tolist())) < 2:
        raise DataError(f"{source}: all labelled lines share one emoji; a classifier needs two or more")
    parts = stratified_split(texts, y, source.seed)
    splits = {name: Split([texts[i] for i in idx], y[idx]) for name, idx in parts.items()}
    return Dataset(source, [stat.info.emoji for stat in classes], splits, popularity, len(lines),
                   dropped, notes)


def from_presplit(source: Source | str, labels: list[str], splits: dict[str, Split], notes: dict[str, int],
                  cleaned: bool = True) -> Dataset:
    """A dataset that comes labelled and split (TweetEval): popularity from its label counts."""
    source = named_lines(source) if isinstance(source, str) else source
    total = sum(len(s) for s in splits.values())
    counts = np.zeros(len(labels), dtype=np.int64)
    for split in splits.values():
        counts += np.bincount(split.y, minlength=len(labels))
    ordered = sorted(range(len(labels)), key=lambda i: (-counts[i], i))
    keys = [normalize_emoji(e) for e in labels]
    popularity = [EmojiStat(r + 1, keys[i], int(counts[i]), counts[i] / max(total, 1), describe(keys[i]))
                  for r, i in enumerate(ordered)]
    shown = [display_emoji(key) for key in keys]
    return Dataset(source, shown, splits, popularity, total, {}, notes, cleaned)


def training_rows(n_texts: int, max_train: int | None, seed: int) -> np.ndarray:
    """Row numbers of a seeded random `max_train` of the training texts (in their original order), or all."""
    if max_train is None or max_train >= n_texts:
        return np.arange(n_texts)
    return np.sort(np.random.default_rng(seed).choice(n_texts, size=max_train, replace=False))


def training_subset(texts: list[str], y: np.ndarray, max_train: int | None, seed: int) -> tuple[list[str], np.ndarray]:
    """The texts and labels of `training_rows`."""
    rows = training_rows(len(texts), max_train, seed)
    return [texts[i] for i in rows], np.asarray(y)[rows]
