"""Lesson 3's widget: pick a vocabulary size, dimensions and bytes per weight; see the megabytes and what
that vocabulary covers on the loaded data (training tokens covered, validation tokens missed).

`embedding_cost_view` computes the numbers (plain data), `build_embedding_cost` wires ipywidgets to it
for Jupyter, and `embedding_cost_terminal` draws a few settings as a rich table for the console. Both
take the measured vocabulary (`stats = vocab_stats(ds)`, as lesson 3 does) or a data set to measure.
"""

from __future__ import annotations

import html
from typing import Any

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.formatting import pct, size
from emoji_lab.data.encoders import ByteEncoder
from emoji_lab.data.vocab import (FORMATS, SEED_DIM, SEED_WORDS, SPECIAL_IDS, TEACHING_BUDGET_MB, VocabStats,
                                  fits_budget, storage_bytes, vocab_stats)

VOCAB_CHOICES = (100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000)
DIM_MIN, DIM_MAX, DIM_STEP = 8, 512, 8
FORMAT_BY_BYTES = {f.bytes_per_weight: f for f in FORMATS}


def embedding_cost_view(stats: VocabStats, vocab: int, dim: int, bytes_per_weight: int) -> dict:
    """What one setting of the sliders shows: size of the table, and how much of the data that vocabulary covers."""
    if bytes_per_weight not in FORMAT_BY_BYTES:
        raise EmojiLabError(f"bytes_per_weight must be one of {sorted(FORMAT_BY_BYTES)}, not {bytes_per_weight!r}")
    storage = FORMAT_BY_BYTES[bytes_per_weight]
    rows = vocab + SPECIAL_IDS
    n_bytes = storage_bytes(rows, dim, storage)
    scales = f" + {rows:,} rows x {storage.per_row_bytes} bytes of scale" if storage.per_row_bytes else ""
    byte_rows = ByteEncoder().vocab_size
    return {
        "source": stats.source,
        "vocab": vocab,
        "dim": dim,
        "bytes_per_weight": bytes_per_weight,
        "format": storage.name,
        "rows": rows,
        "formula": f"{rows:,} rows x {dim} dims x {bytes_per_weight} bytes{scales} = {n_bytes:,} bytes",
        "bytes": n_bytes,
        "mb": n_bytes / 1e6,
        "size": size(n_bytes),
        "fits_budget": fits_budget(n_bytes),
        "budget_mb": TEACHING_BUDGET_MB,
        "words_in_data": stats.n_words,
        "words_kept": stats.words_kept(vocab),
        "train_coverage": stats.train_coverage(vocab),
        "val_oov": stats.val_oov(vocab),
        "byte_bytes": storage_bytes(byte_rows, dim, storage),
        "byte_size": size(storage_bytes(byte_rows, dim, storage)),
    }


def view_lines(view: dict) -> list[str]:
    """The view as a few plain sentences (shared by the HTML and any text display)."""
    budget = "within" if view["fits_budget"] else "over"
    lines = [
        f"{view['vocab']:,} words, {view['dim']} dims, {view['format']}: {view['size']} "
        f"({budget} the {view['budget_mb']:g} MB teaching budget)",
        view["formula"],
        f"On {view['source']}: covers {pct(view['train_coverage'])} of training tokens, "
        f"misses {pct(view['val_oov'])} of validation tokens.",
    ]
    if view["vocab"] > view["words_in_data"]:
        lines.append(f"The training split has only {view['words_in_data']:,} distinct words: "
                     "a bigger vocabulary covers nothing more here.")
    lines.append(f"The byte table at the same settings: {view['byte_size']}, and it misses no token.")
    return lines


def embedding_cost_html(view: dict) -> str:
    colour = "#1a7f37" if view["fits_budget"] else "#cf222e"
    first, *rest = view_lines(view)
    return (f"<p style='color:{colour}'><b>{html.escape(first)}</b></p>"
            + "".join(f"<p>{html.escape(line)}</p>" for line in rest))


def vocab_options(stats: VocabStats) -> list[tuple[str, int]]:
    """Slider stops: round sizes plus the exact size of the loaded vocabulary."""
    sizes = sorted(set(VOCAB_CHOICES) | {stats.n_words})
    return [(f"all {n:,}" if n == stats.n_words else f"{n:,}", n) for n in sizes]


def _stats(stats_or_ds: Any) -> VocabStats:
    """The `VocabStats` given, or those of the data set given (measured now)."""
    if isinstance(stats_or_ds, VocabStats):
        return stats_or_ds
    if not hasattr(stats_or_ds, "train") or not hasattr(stats_or_ds, "val"):
        raise EmojiLabError(f"expected `stats` (from `vocab_stats(ds)`) or a data set `ds`, not {stats_or_ds!r}")
    return vocab_stats(stats_or_ds)


def build_embedding_cost(stats_or_ds: Any, vocab: int = 10_000, dim: int = SEED_DIM, bytes_per_weight: int = 4):
    """The ipywidgets explorer for a measured vocabulary (`stats = vocab_stats(ds)`) or a data set.

    Children: vocabulary slider, dimensions slider, bytes-per-weight buttons, the HTML output.
    """
    import ipywidgets as w

    stats = _stats(stats_or_ds)
    options = vocab_options(stats)
    values = [value for _, value in options]
    start = vocab if vocab in values else min(values, key=lambda v: abs(v - vocab))
    vocab_slider = w.SelectionSlider(options=options, value=start, description="words",
                                     continuous_update=False, layout=w.Layout(width="520px"))
    dim_slider = w.IntSlider(value=dim, min=DIM_MIN, max=DIM_MAX, step=DIM_STEP, description="dims",
                             continuous_update=False, layout=w.Layout(width="520px"))
    bytes_buttons = w.ToggleButtons(options=[(f"{f.name} ({f.bytes_per_weight})", f.bytes_per_weight)
                                             for f in FORMATS], value=bytes_per_weight,
                                    description="bytes/weight")
    out = w.HTML()

    def update(_change: Any = None) -> None:
        out.value = embedding_cost_html(embedding_cost_view(stats, vocab_slider.value, dim_slider.value,
                                                            bytes_buttons.value))

    for control in (vocab_slider, dim_slider, bytes_buttons):
        control.observe(update, names="value")
    update()
    return w.VBox([vocab_slider, dim_slider, bytes_buttons, out])


def terminal_settings(stats: VocabStats) -> list[tuple[int, int, int]]:
    """A few slider settings worth comparing: caps, the whole vocabulary in each format, the seed's size."""
    n = stats.n_words
    caps = [c for c in (1_000, 10_000) if c < n]
    settings = [(c, SEED_DIM, 4) for c in caps]
    settings += [(n, SEED_DIM, 4), (n, SEED_DIM, 2), (n, SEED_DIM, 1), (n, 32, 1), (SEED_WORDS, SEED_DIM, 4)]
    return settings


def embedding_cost_rows(stats: VocabStats) -> list[dict]:
    """`terminal_settings` as table rows of strings."""
    rows = []
    for vocab, dim, bpw in terminal_settings(stats):
        view = embedding_cost_view(stats, vocab, dim, bpw)
        words = f"all {vocab:,}" if vocab == stats.n_words else f"{vocab:,}"
        rows.append({"words": words, "dims": str(dim), "format": view["format"], "size": view["size"],
                     "budget": "ok" if view["fits_budget"] else "over",
                     "train covered": pct(view["train_coverage"]), "val OOV": pct(view["val_oov"])})
    return rows


def embedding_cost_terminal(stats_or_ds: Any) -> Any:
    """The widget step in the console: a rich table of a few slider settings on the measured vocabulary."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    stats = _stats(stats_or_ds)
    table = Table(title=f"Word embedding tables on {stats.source} (budget {TEACHING_BUDGET_MB:g} MB)",
                  title_justify="left")
    rows = embedding_cost_rows(stats)
    for column in rows[0]:
        table.add_column(column, justify="left" if column in ("words", "format") else "right", no_wrap=True)
    for row in rows:
        style = "" if row["budget"] == "ok" else "red"
        table.add_row(*[Text(v, style=style if k in ("size", "budget") else "") for k, v in row.items()])
    byte_view = embedding_cost_view(stats, 0, SEED_DIM, 4)
    note = Text(f"UTF-8 bytes: {ByteEncoder().vocab_size} ids x {SEED_DIM} dims x 4 bytes = "
                f"{byte_view['byte_size']}, and no token is ever unknown. Words beyond the "
                f"{stats.n_words:,} in your training split cover nothing more.")
    return Group(table, note)
