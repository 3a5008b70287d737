"""Rich renderings of the data pipeline's plain results, shared by the CLI and the lessons."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from emoji_lab.data.dataset import Dataset


def popularity_table(ds: Dataset, limit: int | None = None) -> Table:
    """The seed's popularity chart as a table: rank, emoji, lines, share, name, code points, shorthand."""
    table = Table(title=f"Emoji popularity: {ds.source}", title_justify="left")
    for header, justify in (("#", "right"), ("emoji", "center"), ("count", "right"), ("share", "right"),
                            ("name", "left"), ("code points", "left"), ("shorthand", "left")):
        table.add_column(header, justify=justify)
    classes = len(ds.labels)
    for stat in ds.popularity[: limit or classes]:
        info = stat.info
        # Text(), not a str: rich would turn the shorthand `:joy:` back into 😂.
        table.add_row(str(stat.rank), info.emoji, f"{stat.count:,}", f"{stat.share:.1%}",
                      Text(info.name.lower()), info.codepoints, Text(info.shorthand))
    return table


def stats_view(ds: Dataset) -> Group:
    """Popularity of the classes, split sizes, and what was dropped or cleaned, and why."""
    sizes = Table(title="Examples", title_justify="left", show_header=False)
    sizes.add_row("lines read", f"{ds.lines:,}")
    for name, split in ds.splits.items():
        sizes.add_row(name, f"{len(split):,}")
    sizes.add_row("classes", str(len(ds.labels)))
    for reason, count in ds.dropped.items():
        sizes.add_row(f"dropped: {reason}", f"{count:,}")
    for note, count in ds.notes.items():
        sizes.add_row(note, f"{count:,}")
    return Group(popularity_table(ds), sizes)


def print_stats(ds: Dataset, console: Console | None = None) -> None:
    (console or Console()).print(stats_view(ds))
