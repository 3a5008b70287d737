"""What a word vocabulary costs and misses on the learner's data, next to bytes (lesson 3, and lesson 6's recap).

Everything is measured on the loaded data set when called; nothing here is a typed-in result.
- Tokens are what `encoders.word_tokens` gives: lower-cased words, @mentions, #hashtags and single
  punctuation marks. The vocabulary is the training split's tokens by frequency (ties alphabetical),
  exactly as `WordEncoder.fit` orders them; a cap keeps the first `cap` of them.
- An embedding table has one row per id: for words, the kept words plus 2 ids (padding and
  out-of-vocabulary), like `WordEncoder.vocab_size`; for bytes, `ByteEncoder().vocab_size` (257).
- Sizes are in decimal units, as in the seed talk: 1 kB = 1,000 bytes, 1 MB = 1,000,000 bytes
  (a MiB is 1,048,576 bytes, about 5% more).
- int8 storage keeps one float32 scale per row (symmetric per-row quantisation), so it costs
  `rows * dim * 1 + rows * 4` bytes.

Importing this module imports NumPy (through `emoji_lab.data.encoders`): lesson steps that use it declare
`needs = ["numpy"]`.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Mapping, Optional, Sequence

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.formatting import pct, size
from emoji_lab.data.encoders import TOKEN, ByteEncoder

SEED_WORDS = 100_000  # the seed talk's word vocabulary

SEED_DIM = 128  # its embedding dimensions

FLOAT32_BYTES = 4

BYTES_PER_KB = 1_000

BYTES_PER_MB = 1_000_000  # decimal MB, the seed's convention

BYTES_PER_MIB = 1024 * 1024

# A teaching choice, not a rule of any app store: a model of about this size downloads in seconds and
# leaves room for the rest of the app. Store limits change; this number only gives the tables a yardstick.
TEACHING_BUDGET_MB = 10

DEFAULT_CAPS = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000)

SENTENCE_CAP = 10_000

SPECIAL_IDS = 2  # padding and out-of-vocabulary, as in WordEncoder


@dataclass(frozen=True)
class Storage:
    """One way to store an embedding table: bytes per weight, plus extra bytes per row (a scale)."""

    name: str
    bytes_per_weight: int
    per_row_bytes: int = 0
    note: str = ""


FORMATS = (
    Storage("float32", 4, 0, "what Keras trains"),
    Storage("float16", 2, 0, "half precision"),
    Storage("int8", 1, 4, "1 byte per weight + one float32 scale per row"),
)


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EmojiLabError(f"{name} must be a whole number of 0 or more, not {value!r}")
    return value


def embedding_bytes(vocab_size: int, dim: int, bytes_per_weight: int = FLOAT32_BYTES) -> int:
    """Bytes of a [vocab_size, dim] table: every row is `dim` weights of `bytes_per_weight` bytes."""
    return (_positive_int("vocab_size", vocab_size) * _positive_int("dim", dim)
            * _positive_int("bytes_per_weight", bytes_per_weight))


def storage_bytes(rows: int, dim: int, storage: Storage) -> int:
    """Bytes of a table stored in `storage` (int8 adds its per-row scales)."""
    return embedding_bytes(rows, dim, storage.bytes_per_weight) + _positive_int("rows", rows) * storage.per_row_bytes


def seed_arithmetic(words: int = SEED_WORDS, dim: int = SEED_DIM, bytes_per_weight: int = FLOAT32_BYTES) -> str:
    """The seed talk's sum, computed: words x dimensions x bytes = total."""
    total = embedding_bytes(words, dim, bytes_per_weight)
    return (f"{words:,} words x {dim} dimensions x {bytes_per_weight} bytes = {total:,} bytes = "
            f"{size(total)} (1 MB = {BYTES_PER_MB:,} bytes)")


def fits_budget(n_bytes: int, budget_mb: float = TEACHING_BUDGET_MB) -> bool:
    return n_bytes <= budget_mb * BYTES_PER_MB


URL = re.compile(r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)+/\S*")

ELONGATION = re.compile(r"([^\W\d_])\1\1")

LETTERS = "abcdefghijklmnopqrstuvwxyz"

# (kind, rule), checked in this order: a token gets the first kind whose rule it matches.
OOV_KINDS = (
    ("web address", "part of a web address (http..., www..., pic.twitter.com/...)"),
    ("@mention", "starts with @"),
    ("#hashtag", "starts with #"),
    ("number", "has a digit (2024, 4am, 30th)"),
    ("symbol", "a single punctuation mark or symbol"),
    ("elongation", "a letter 3+ times in a row (soooo)"),
    ("typo", "3+ letters, one edit from a known word"),
    ("other", "anything else: names, rare words, other languages"),
)


def is_typo_of_known(token: str, known: Mapping[str, Any]) -> bool:
    """A word of 3+ letters within one edit of a word in `known`: a letter deleted, inserted, changed (a-z) or
    two neighbours swapped, each variant looked up rather than listed."""
    if len(token) < 3 or not token.isalpha():
        return False
    keys = known.keys()
    splits = [(token[:i], token[i:]) for i in range(len(token) + 1)]
    return not (keys.isdisjoint([a + b[1:] for a, b in splits if b])
                and keys.isdisjoint([a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and b[0] != b[1]])
                and keys.isdisjoint([a + c + b[1:] for a, b in splits if b for c in LETTERS if c != b[0]])
                and keys.isdisjoint([a + c + b for a, b in splits for c in LETTERS]))


def oov_kind(token: str, known: Mapping[str, Any], in_url: bool = False) -> str:
    """The kind of an out-of-vocabulary token (see OOV_KINDS for the rules and their order)."""
    if in_url:
        return "web address"
    if token.startswith("@"):
        return "@mention"
    if token.startswith("#"):
        return "#hashtag"
    if any(ch.isdigit() for ch in token):
        return "number"
    if not any(ch.isalnum() for ch in token):
        return "symbol"
    if ELONGATION.search(token):
        return "elongation"
    if is_typo_of_known(token, known):
        return "typo"
    return "other"


def tokens_with_urls(text: str) -> list[tuple[str, bool]]:
    """`word_tokens(text)`, each with whether it lies inside a web address."""
    lowered = text.lower()
    spans = [m.span() for m in URL.finditer(lowered)]
    if not spans:
        return [(token, False) for token in TOKEN.findall(lowered)]
    return [(m.group(), any(a <= m.start() < b for a, b in spans)) for m in TOKEN.finditer(lowered)]


@dataclass(frozen=True)
class OovKind:
    """How many unknown validation tokens are of one kind, with the most frequent examples."""

    kind: str
    rule: str
    tokens: int
    share: float  # of the unknown validation tokens
    examples: tuple[str, ...]


def oov_kinds(val_texts: Sequence[str], known: Mapping[str, Any], n_examples: int = 5) -> list[OovKind]:
    """The validation tokens not in `known`, sorted into kinds by simple rules (OOV_KINDS)."""
    per_kind: dict[str, Counter] = {kind: Counter() for kind, _ in OOV_KINDS}
    cache: dict[tuple[str, bool], str] = {}
    for text in val_texts:
        for token, in_url in tokens_with_urls(text):
            if token in known:
                continue
            key = (token, in_url)
            if key not in cache:
                cache[key] = oov_kind(token, known, in_url)
            per_kind[cache[key]][token] += 1
    total = sum(sum(c.values()) for c in per_kind.values())
    out = []
    for kind, rule in OOV_KINDS:
        counts = per_kind[kind]
        examples = tuple(sorted(counts, key=lambda t: (-counts[t], t))[:n_examples])
        n = sum(counts.values())
        out.append(OovKind(kind, rule, n, n / total if total else 0.0, examples))
    return out


@dataclass(frozen=True)
class CapRow:
    """One vocabulary cap: words kept, embedding rows, training tokens covered, validation tokens missed."""

    cap: Optional[int]  # None: every training word
    words: int
    rows: int
    train_coverage: float
    val_oov: float

    @property
    def label(self) -> str:
        return "all" if self.cap is None else f"{self.cap:,}"


@dataclass
class VocabStats:
    """The training vocabulary and how well each cap covers training and validation tokens."""

    source: str
    words: list[str] = field(repr=False)  # training tokens by frequency, ties alphabetical (WordEncoder's order)
    train_counts: Counter = field(repr=False)
    val_counts: Counter = field(repr=False)
    train_tokens: int
    val_tokens: int
    kinds: list[OovKind] = field(repr=False)  # unknown validation tokens (uncapped vocabulary) by kind
    seconds: float
    _cumulative: list[int] = field(default_factory=list, repr=False)
    _val_ranks: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._cumulative = list(accumulate(self.train_counts[w] for w in self.words))
        rank = {w: i for i, w in enumerate(self.words)}
        unseen = len(self.words)
        self._val_ranks = sorted(r for t, n in self.val_counts.items() for r in [rank.get(t, unseen)] * n)

    @property
    def n_words(self) -> int:
        """Distinct training tokens."""
        return len(self.words)

    @property
    def vocab_size(self) -> int:
        """Embedding rows for every training word: the words plus padding and out-of-vocabulary."""
        return self.n_words + SPECIAL_IDS

    def words_kept(self, cap: Optional[int]) -> int:
        return self.n_words if cap is None else min(_positive_int("cap", cap), self.n_words)

    def train_coverage(self, cap: Optional[int] = None) -> float:
        """Share of training tokens whose word is among the first `cap` words."""
        n_kept = self.words_kept(cap)
        return self._cumulative[n_kept - 1] / self.train_tokens if n_kept and self.train_tokens else 0.0

    def val_oov(self, cap: Optional[int] = None) -> float:
        """Share of validation tokens whose word is not among the first `cap` training words."""
        if not self.val_tokens:
            return 0.0
        return 1 - bisect_left(self._val_ranks, self.words_kept(cap)) / self.val_tokens

    def row(self, cap: Optional[int]) -> CapRow:
        n_kept = self.words_kept(cap)
        return CapRow(cap, n_kept, n_kept + SPECIAL_IDS, self.train_coverage(cap), self.val_oov(cap))

    def caps(self, caps: Sequence[int] = DEFAULT_CAPS) -> list[CapRow]:
        """The caps smaller than the vocabulary, then every word (cap None)."""
        return [self.row(c) for c in caps if c < self.n_words] + [self.row(None)]

    def unseen_share(self) -> float:
        """Share of distinct validation tokens never seen in training (types, not tokens)."""
        seen = self.train_counts
        return sum(t not in seen for t in self.val_counts) / len(self.val_counts) if self.val_counts else 0.0

    def oov_bounds(self, cap: int) -> tuple[float, float]:
        """Lowest and highest val OOV over every way to break frequency ties at the cap's edge."""
        n_kept = self.words_kept(cap)
        if n_kept in (0, self.n_words) or not self.val_tokens:
            return self.val_oov(cap), self.val_oov(cap)
        edge = self.train_counts[self.words[n_kept - 1]]
        above = [w for w in self.words if self.train_counts[w] > edge]
        tied = sorted((self.val_counts[w] for w in self.words if self.train_counts[w] == edge), reverse=True)
        fixed = sum(self.val_counts[w] for w in above)
        take = n_kept - len(above)
        best, worst = fixed + sum(tied[:take]), fixed + sum(tied[len(tied) - take:])
        return 1 - best / self.val_tokens, 1 - worst / self.val_tokens


def corpus_counts(texts: Sequence[str]) -> Counter:
    """Token counts of many texts, as `word_tokens` splits each one.

    One regex pass over the texts joined by newlines gives the same tokens: no token holds whitespace.
    """
    return Counter(TOKEN.findall("\n".join(texts).lower()))


def vocab_stats(ds: Any) -> VocabStats:
    """Measure the word vocabulary of `ds.train` against `ds.val` (1-2 s on TweetEval: keep the result)."""
    start = time.perf_counter()
    train_counts = corpus_counts(ds.train.texts)
    val_counts = corpus_counts(ds.val.texts)
    words = sorted(train_counts, key=lambda w: (-train_counts[w], w))
    kinds = oov_kinds(ds.val.texts, train_counts)
    stats = VocabStats(ds.source.short, words, train_counts, val_counts,
                       sum(train_counts.values()), sum(val_counts.values()), kinds, 0.0)
    stats.seconds = time.perf_counter() - start
    return stats


def cost_table(stats: VocabStats, dim: int = SEED_DIM, caps: Sequence[Optional[int]] = (1_000, SENTENCE_CAP, None),
               formats: Sequence[Storage] = FORMATS) -> list[dict]:
    """One row per vocabulary (capped words, all words, bytes): rows, val OOV and bytes in each format."""
    rows = []
    seen = set()
    for cap in caps:
        row = stats.row(cap)
        if row.words in seen:  # a cap above the vocabulary is the whole vocabulary
            continue
        seen.add(row.words)
        name = f"words, all {row.words:,}" if row.words == stats.n_words else f"words, top {row.words:,}"
        rows.append({"vocabulary": name, "rows": row.rows, "val_oov": row.val_oov,
                     **{f.name: storage_bytes(row.rows, dim, f) for f in formats}})
    n_bytes = ByteEncoder().vocab_size
    rows.append({"vocabulary": "UTF-8 bytes", "rows": n_bytes, "val_oov": 0.0,
                 **{f.name: storage_bytes(n_bytes, dim, f) for f in formats}})
    return rows


def cost_sentence(stats: VocabStats, cap: int = SENTENCE_CAP, dim: int = SEED_DIM) -> str:
    """The measured comparison in one sentence, true for whatever data `stats` came from."""
    row = stats.row(cap)
    word_cost = size(embedding_bytes(row.rows, dim, FLOAT32_BYTES))
    byte_cost = size(embedding_bytes(ByteEncoder().vocab_size, dim, FLOAT32_BYTES))
    missed = f"misses {pct(row.val_oov)} of validation tokens" if row.val_oov else "misses no validation token"
    if row.words < cap:
        words = (f"keeping every one of the {row.words:,} training words (fewer than a {cap:,}-word cap) "
                 f"still {missed}")
    else:
        words = f"a {cap:,}-word vocabulary {missed}"
    return (f"On this data ({stats.source}), {words} and costs {word_cost} at {dim} float32 dims; "
            f"bytes miss none and cost {byte_cost}.")


def oov_sentence(stats: VocabStats) -> str:
    """What even the uncapped vocabulary misses, in words."""
    oov = stats.val_oov(None)
    if not oov:
        return (f"Keeping all {stats.n_words:,} training words, every validation token is known: "
                "this validation split uses no new word.")
    return (f"Even keeping all {stats.n_words:,} training words, {pct(oov)} of the {stats.val_tokens:,} "
            f"validation tokens are unknown: {pct(stats.unseen_share())} of the distinct validation "
            "tokens never occur in training.")


def kinds_sentence(stats: VocabStats) -> str:
    """The largest kind of unknown token, and the share that slang spelling and typos make."""
    found = [k for k in stats.kinds if k.tokens]
    if not found:
        return "No validation token is unknown, so there is nothing to sort."
    top = max(found, key=lambda k: k.tokens)
    irregular = sum(k.share for k in stats.kinds if k.kind in ("elongation", "typo"))
    return (f"The largest kind is {top.kind} ({pct(top.share)} of unknown tokens); elongations and "
            f"likely typos together make {pct(irregular)}.")
