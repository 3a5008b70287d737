"""The formatting every table, sentence and view shares: percentages, sizes, wrapped sentences, bars."""

from __future__ import annotations

from typing import Any, Iterable


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
