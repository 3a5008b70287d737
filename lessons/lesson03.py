"""Lesson 03 (words or bytes: what an embedding costs): its views, its byte round trip and its checks.

The measurements (the vocabulary, its coverage, what it misses, what a table costs) are
`emoji_lab.data.vocab`; this module draws them as the lesson shows them and checks `mb` and `oov_1k`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from emoji_lab.common.formatting import bar, number, pct, size
from emoji_lab.data.encoders import ByteEncoder
from emoji_lab.data.vocab import (BYTES_PER_KB, BYTES_PER_MB, BYTES_PER_MIB, DEFAULT_CAPS, FLOAT32_BYTES, FORMATS,
                                  SEED_DIM, SEED_WORDS, TEACHING_BUDGET_MB, VocabStats, corpus_counts, cost_sentence,
                                  cost_table, embedding_bytes, fits_budget, kinds_sentence, oov_sentence, vocab_stats)
from emoji_lab.teaching.checking import missing, near, not_a_number


@dataclass(frozen=True)
class ByteRoundTrip:
    """Val texts encoded to byte ids and decoded back: how many come back exactly, how many were cut."""

    texts: int
    whole: int  # short enough: decoded text == original
    cut: int  # longer than max_len: decoded text == the first max_len bytes
    mismatches: int  # texts that did not come back as expected (0 by construction)
    unknown_ids: int  # ids of text bytes outside 1..256, i.e. with no byte behind them (0: every byte has one)
    vocab_size: int
    max_len: int


def byte_roundtrip(texts: Sequence[str], encoder: Optional[ByteEncoder] = None) -> ByteRoundTrip:
    """Encode and decode every text with the byte encoder and count what came back unchanged."""
    encoder = encoder or ByteEncoder()
    whole = cut = mismatches = unknown = 0
    known = range(encoder.offset, encoder.vocab_size)
    for text in texts:
        text = encoder.clean(text)  # what the model reads (a loaded dataset's texts are clean already)
        data = text.encode("utf-8")
        expected = text if len(data) <= encoder.max_len else data[: encoder.max_len].decode("utf-8", "replace")
        ids = encoder.encode(text)
        unknown += sum(i not in known for i in ids[: len(data)])
        back = encoder.decode(ids)
        if back != expected:
            mismatches += 1
        elif len(data) <= encoder.max_len:
            whole += 1
        else:
            cut += 1
    return ByteRoundTrip(len(texts), whole, cut, mismatches, unknown, encoder.vocab_size, encoder.max_len)


def mean_lengths(texts: Sequence[str]) -> tuple[float, float]:
    """Mean word tokens and mean UTF-8 bytes per text: what each model reads, step by step."""
    if not texts:
        return 0.0, 0.0
    tokens = sum(corpus_counts(texts).values())
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    return tokens / len(texts), n_bytes / len(texts)


def coverage_view(stats: VocabStats, caps: Sequence[int] = DEFAULT_CAPS) -> Any:
    """The coverage curve as a table with bars: vocabulary cap -> share of training tokens covered."""
    from rich.table import Table

    table = Table(title=f"Training tokens covered, {stats.source}", title_justify="left")
    table.add_column("cap", justify="right")
    table.add_column("words kept", justify="right")
    table.add_column("covered", justify="right")
    table.add_column("")
    for row in stats.caps(caps):
        table.add_row(row.label, f"{row.words:,}", pct(row.train_coverage), bar(row.train_coverage, 20, rest="·"))
    return table


def oov_view(stats: VocabStats, caps: Sequence[int] = DEFAULT_CAPS) -> Any:
    """`oov_sentence`, then validation tokens out of vocabulary at each cap as a table with bars."""
    from rich.table import Table

    table = Table(title=f"Validation tokens out of vocabulary, {stats.source}", title_justify="left",
                  pad_edge=False)
    table.add_column("cap", justify="right")
    table.add_column("words kept", justify="right")
    table.add_column("val OOV", justify="right")
    table.add_column("")
    for row in stats.caps(caps):
        table.add_row(row.label, f"{row.words:,}", pct(row.val_oov), bar(row.val_oov, 20, rest="·"))
    return _with_sentence(oov_sentence(stats), table)


def _with_sentence(sentence: str, renderable: Any) -> Any:
    """A measured sentence above a table, wrapped to the console's width."""
    from rich.console import Group
    from rich.text import Text

    return Group(Text(sentence), renderable)


def kinds_view(stats: VocabStats) -> Any:
    """`kinds_sentence`, then unknown validation tokens (every training word kept) by kind, with examples."""
    from rich.table import Table
    from rich.text import Text

    if not any(kind.tokens for kind in stats.kinds):
        return Text(kinds_sentence(stats))
    table = Table(title="Unknown validation tokens, by kind", title_justify="left")
    table.add_column("kind", no_wrap=True)
    table.add_column("share", justify="right")
    table.add_column("examples", overflow="fold", ratio=1)
    for kind in stats.kinds:
        if kind.tokens:
            table.add_row(kind.kind, pct(kind.share), " ".join(kind.examples))
    return _with_sentence(kinds_sentence(stats), table)


def cost_view(stats: VocabStats, dim: int = SEED_DIM, budget_mb: float = TEACHING_BUDGET_MB) -> Any:
    """`cost_sentence`, then `cost_table` drawn: sizes in each format, marked `*` when over the teaching budget."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Embedding tables at {dim} dims (budget: {budget_mb:g} MB)", title_justify="left",
                  pad_edge=False)
    for name, justify in [("vocabulary", "left"), ("val OOV", "right")] + [(f.name, "right") for f in FORMATS]:
        table.add_column(name, justify=justify, no_wrap=True)
    rows = cost_table(stats, dim)
    for row in rows:
        sizes = [Text(size(row[f.name]) + (" " if fits_budget(row[f.name], budget_mb) else "*"),
                      style="" if fits_budget(row[f.name], budget_mb) else "red") for f in FORMATS]
        table.add_row(row["vocabulary"], pct(row["val_oov"]), *sizes)
    if not all(fits_budget(row[f.name], budget_mb) for row in rows for f in FORMATS):
        table.caption = f"* over the {budget_mb:g} MB teaching budget"
    return _with_sentence(cost_sentence(stats, dim=dim), table)


NO_STATS = "There is no measured vocabulary: run step 03.3 (`ds = load(DATA)`, then `stats = vocab_stats(ds)`) first."


def stats_for(ns: Mapping[str, Any]) -> Optional[VocabStats]:
    """The namespace's measured vocabulary: `stats` (step 03.3's), else `ds` measured now, else None.

    Checks run after every line the learner types, so they read the stored `stats` rather than measure
    again (1-2 s on TweetEval); `ds` is measured only where `stats` is missing.
    """
    stats = ns.get("stats")
    if isinstance(stats, VocabStats):
        return stats
    ds = ns.get("ds")
    if ds is None or not hasattr(ds, "train") or not hasattr(ds, "val"):
        return None
    return vocab_stats(ds)


def check_mb(ns: Mapping[str, Any]) -> Optional[str]:
    """`mb` = the learner's word vocabulary at 128 float32 dims, in MB of 10^6 bytes as the step asks; an answer in
    MiB (2^20 bytes, the other usual megabyte) is named as such rather than called close."""
    stats = stats_for(ns)
    if stats is None:
        return NO_STATS
    problem = missing(ns, "mb") or not_a_number(ns, "mb")
    if problem:
        return problem + " Set it to the size of your word embedding table in MB."
    mb = float(ns["mb"])
    dim = SEED_DIM
    for rows in (stats.vocab_size, stats.n_words):
        n_bytes = rows * dim * FLOAT32_BYTES
        if near(mb, n_bytes / BYTES_PER_MB):
            return None
        if near(mb, n_bytes / BYTES_PER_MIB):
            return (f"`mb` is {number(mb)}: that is MiB (2^20 bytes); this step counts MB = 10^6 bytes: divide by "
                    "1,000,000.")
    rows = stats.vocab_size
    n_bytes = rows * dim * FLOAT32_BYTES
    target = n_bytes / BYTES_PER_MB
    mistakes = [
        (rows * dim / BYTES_PER_MB, "that is weights, not bytes: each float32 weight takes 4 bytes."),
        (rows * dim / BYTES_PER_MIB, "that is weights, not bytes: each float32 weight takes 4 bytes."),
        (n_bytes, "that is bytes: divide by 1,000,000 to get MB."),
        (n_bytes / BYTES_PER_KB, "that is kB: divide by 1,000,000 (not 1,000) to get MB."),
        (n_bytes / 1024, "that is KiB: divide by 1,000,000 to get MB."),
        (n_bytes * 8 / BYTES_PER_MB, "that counts bits: a float32 weight is 4 bytes (32 bits)."),
        (embedding_bytes(SEED_WORDS, dim, FLOAT32_BYTES) / BYTES_PER_MB,
         "that is the seed's 100,000 words; use your own `vocab_size`."),
        (rows * dim * 2 / BYTES_PER_MB, "that is float16 (2 bytes); the task asks for float32 (4 bytes)."),
    ]
    for value, message in mistakes:
        if near(mb, value) or near(mb, value * BYTES_PER_MB / BYTES_PER_MIB):
            return f"`mb` is {number(mb)}: {message}"
    if near(mb, target, rel=0.05):
        return f"`mb` is {number(mb)}, close but not it: did you round too much? Keep at least 3 decimals."
    return (f"`mb` is {number(mb)}, but a table of `vocab_size` rows x {dim} dims x 4 bytes is a different size: "
            "multiply the three, then divide by 1,000,000.")


OOV_CAP = 1_000


def check_oov_1k(ns: Mapping[str, Any]) -> Optional[str]:
    """`oov_1k` = share of val tokens not among the 1,000 most frequent training tokens."""
    stats = stats_for(ns)
    if stats is None:
        return NO_STATS
    problem = missing(ns, "oov_1k") or not_a_number(ns, "oov_1k")
    if problem:
        return problem + f" Set it to the share of validation tokens outside the top {OOV_CAP:,} training tokens."
    value = float(ns["oov_1k"])
    lo, hi = stats.oov_bounds(OOV_CAP)

    def within(x: float, a: float, b: float, slack: float = 0.0005) -> bool:
        return a - slack <= x <= b + slack

    if within(value, lo, hi):
        return None
    if value > 1 and within(value, 100 * lo, 100 * hi, 0.05):
        return f"`oov_1k` is {number(value)}: that looks like a percentage; give the share (between 0 and 1)."
    if within(value, 1 - hi, 1 - lo):
        return f"`oov_1k` is {number(value)}: that is the share of validation tokens the vocabulary *knows*; take 1 minus it."
    if near(value, 1 - stats.train_coverage(OOV_CAP), abs_=0.0005):
        return f"`oov_1k` is {number(value)}: that is measured on the training tokens; count the *validation* tokens."
    if stats.n_words > OOV_CAP and near(value, stats.val_oov(None), abs_=0.0002):
        return f"`oov_1k` is {number(value)}: that is with every training word kept; keep only the top {OOV_CAP:,}."
    if near(value, _types_oov(stats, OOV_CAP), abs_=0.0005):
        return (f"`oov_1k` is {number(value)}: that counts each distinct word once; count every token "
                "(a word that appears 5 times counts 5 times).")
    if not 0 <= value <= 1:
        return f"`oov_1k` is {number(value)}: a share is between 0 and 1."
    return (f"`oov_1k` is {number(value)}, not what the validation split gives: count the validation tokens that "
            f"are not among the {OOV_CAP:,} most common training tokens, and divide by all validation tokens.")


def _types_oov(stats: VocabStats, cap: int) -> float:
    keep = set(stats.words[:cap])
    return sum(t not in keep for t in stats.val_counts) / max(len(stats.val_counts), 1)
