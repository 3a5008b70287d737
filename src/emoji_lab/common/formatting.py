"""The formatting every table, sentence and view shares: percentages, sizes, numbers, bars, wrapped sentences.

One function per job, so a share, a file size or a bar reads the same in the console, the widgets, the
benchmark's tables and the guide.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence

EIGHTHS = " ▏▎▍▌▋▊▉"  # a full block's left eighths: finer bars where a chart has room for them


def pct(share: Optional[float]) -> str:
    """A share as a percentage with one decimal ("-" where there is none); a small share that is not zero
    never shows as 0.0%."""
    if share is None:
        return "-"
    if share == 0 or abs(share) >= 0.0005:
        return f"{100 * share:.1f}%"
    return f"{100 * share:.2f}%" if abs(share) >= 0.0001 else "<0.01%"


def size(n_bytes: Optional[float], digits: int = 1, mb_from: float = 1_000_000) -> str:
    """A byte count in decimal units, as the seed talk counts: "51.2 MB", "131.6 kB", "512 bytes" ("-" for
    none); `mb_from=0` keeps megabytes below one ("0.95 MB"), as the phone tables do."""
    if n_bytes is None:
        return "-"
    if n_bytes >= mb_from:
        return f"{n_bytes / 1_000_000:,.{digits}f} MB"
    if n_bytes >= 1_000:
        return f"{n_bytes / 1_000:,.{digits}f} kB"
    return f"{int(n_bytes):,} bytes"


def bar(share: float, width: int, char: str = "█", rest: str = "", eighths: bool = False) -> str:
    """A bar of `share` x `width` cells (`rest` fills the remainder); a share above 0 always shows.

    `eighths`: full blocks plus one partial block, for charts where small differences matter.
    """
    share = max(0.0, min(1.0, share))
    if eighths:
        whole, part = divmod(round(share * width * 8), 8)
        drawn = "█" * whole + (EIGHTHS[part] if part else "") if whole or part else ("▏" if share > 0 else "")
        return drawn + rest * (width - len(drawn))
    filled = max(round(width * share), 1 if share > 0 else 0)
    return char * filled + rest * (width - filled)


def format_top(top: Sequence[Sequence[Any]]) -> str:
    """[(emoji, probability), ...] as one line: '😭 34.1%  😩 12.0%  ...'."""
    return "  ".join(f"{e} {p:.1%}" for e, p in top)


def wrap(text: str, width: int = 78, indent: str = "") -> str:
    """Each line of `text` wrapped to `width` columns, so that print() stays inside an 80-column console;
    `indent` starts every line it folds."""
    import textwrap

    return "\n".join(textwrap.fill(line, width, subsequent_indent=indent, break_on_hyphens=False,
                                    break_long_words=False) for line in text.split("\n"))


def say(text: str) -> None:
    """Print a sentence wrapped at word boundaries (a terminal would cut it in the middle of a word)."""
    print(wrap(text), flush=True)


class Pieces:
    """Short items ("year -> 🎉 +1.56") laid out across the width, each kept whole on its line (rich would
    break a line at any space, parting a keyword from its weight)."""

    def __init__(self, items: Iterable[str], style: str = "", gap: str = "  ") -> None:
        self.items, self.style, self.gap = list(items), style, gap

    def lines(self, width: int) -> list[str]:
        from rich.cells import cell_len

        lines: list[str] = []
        for item in self.items:
            if lines and cell_len(lines[-1] + self.gap + item) <= width:
                lines[-1] += self.gap + item
            else:
                lines.append(item)
        return lines

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        for line in self.lines(options.max_width):
            yield Text(line, style=self.style, no_wrap=True, overflow="fold")

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.cells import cell_len
        from rich.measure import Measurement

        widest = max((cell_len(item) for item in self.items), default=0)
        return Measurement(widest, max(widest, cell_len(self.gap.join(self.items))))


def pieces(items: Iterable[str], style: str = "") -> Pieces:
    """See `Pieces`."""
    return Pieces(items, style)


def number(value: float) -> str:
    """A number as a learner typed it, never in scientific notation: 10,323,456 or 0.18734 or 9.85."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def points(before: float, after: float) -> str:
    """The change from one share to another in percentage points, signed: "+5.0", "-0.9"."""
    change = 100 * (after - before)
    return f"{'+' if change >= 0 else '-'}{abs(change):.1f}"


def a_or_an(noun: str) -> str:
    """"an int", "a str", "an ndarray": the article a sentence needs before `noun`."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def plural(count: int, noun: str, nouns: str = "") -> str:
    """"1 run", "4 runs", "2,000 texts", "0.5 minutes": a count with its noun in the right number."""
    shown = f"{count:g}" if isinstance(count, float) else f"{count:,}"
    return f"{shown} {noun if count == 1 else (nouns or noun + 's')}"


def epochs_cell(row: dict) -> str:
    """Epochs run and, in brackets, the kept one: "16 (14)"; "(20)" for the yardstick's fixed epochs."""
    if row.get("epochs_run"):
        return f"{row['epochs_run']} ({row['best_epoch']})"
    return f"({row['best_epoch']})" if row.get("best_epoch") else "-"
