"""The formatting every table, sentence and view shares: percentages, sizes, wrapped sentences, bars."""

from __future__ import annotations

from typing import Any, Iterable


def wrap(text: str, width: int = 78) -> str:
    """Each line of `text` wrapped to `width` columns, so that print() stays inside an 80-column console."""
    import textwrap

    return "\n".join(textwrap.fill(line, width, break_on_hyphens=False, break_long_words=False)
                     for line in text.split("\n"))


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


def a_or_an(noun: str) -> str:
    """"an int", "a str", "an ndarray": the article a sentence needs before `noun`."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def plural(count: int, noun: str, nouns: str = "") -> str:
    """"1 run", "4 runs", "2,000 texts": a count with its noun in the right number."""
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"
