"""The popularity chart as a widget: how many emoji to show, and the card of the one picked.

`popularity_view` computes what to show (plain data, tested directly); `build_popularity` wires it to
ipywidgets for Jupyter; `popularity_terminal` draws the same view in the console's widget step.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.teaching.explore import BarChart, Card, bar_chart, emoji_card

if TYPE_CHECKING:
    from emoji_lab.data.dataset import Dataset

MAX_TOP = 40  # the slider's end: past that the bars are too thin to read


@dataclass(frozen=True)
class PopularityView:
    """The chart of the `top` most popular emoji and the card of the one at rank `pick`."""

    chart: BarChart
    card: Card

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        return Group(self.chart, Text(""), self.card)


def slider_end(ds: "Dataset") -> int:
    return min(len(ds.popularity), MAX_TOP)


def popularity_view(ds: "Dataset", top: Optional[int] = None, pick: int = 1, examples: int = 3) -> PopularityView:
    """The view of `ds` for `top` emoji (default: the classes) and the card of rank `pick`."""
    top = len(ds.labels) if top is None else top
    end = slider_end(ds)
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= end:
        raise EmojiLabError(f"top must be a whole number from 1 to {end} (got {top!r})")
    return PopularityView(bar_chart(ds, top), emoji_card(ds, pick, n=examples))


def chart_html(chart: BarChart) -> str:
    """The bar chart as an HTML table for Jupyter (bars are divs; the share is also written out)."""
    biggest = max((b.share for b in chart.bars), default=0) or 1
    rows = []
    for b in chart.bars:
        color = "#1f6feb" if b.is_class else "#afb8c1"
        rows.append(
            f"<tr><td style='text-align:right'>{b.rank}</td><td>{html.escape(b.emoji)}</td>"
            f"<td><code>{html.escape(b.shorthand)}</code></td>"
            f"<td style='width:60%'><div style='background:{color};height:0.9em;"
            f"width:{100 * b.share / biggest:.1f}%'></div></td>"
            f"<td style='text-align:right'>{b.share:.1%}</td><td style='text-align:right'>{b.count:,}</td></tr>")
    return (f"<b>{html.escape(chart.title)}</b><table>{''.join(rows)}</table>"
            f"<small>blue: the {chart.classes} classes; grey: not a class · share {html.escape(chart.unit)}</small>")


def card_html(card: Card) -> str:
    """The emoji card as HTML: the seed's card plus examples from the learner's data."""
    klass = (f"class id {card.class_id} · {card.labelled:,} labelled examples" if card.class_id is not None
             else "not a class: no example is labelled with it")
    examples = "".join(f"<blockquote>{html.escape(text)}</blockquote>" for text in card.examples)
    return (f"<h3>{html.escape(card.emoji)} {html.escape(card.name)}</h3>"
            f"<p>code points: <code>{card.codepoints}</code><br>shorthand: <code>{html.escape(card.shorthand)}"
            f"</code><br>popularity: #{card.rank} of {card.of} emoji · {card.count:,} "
            f"({card.share:.1%} {html.escape(card.unit)})<br>{klass}</p>{examples}")


def build_popularity(ds: "Dataset") -> Any:
    """ipywidgets for `ds`: a slider (how many emoji), a dropdown (whose card), and the chart and card below.

    Children: `[HBox([top slider, card dropdown]), HTML chart, HTML card]`.
    """
    import ipywidgets as w

    end = slider_end(ds)
    top = w.IntSlider(value=min(len(ds.labels), end), min=1, max=end, description="emoji shown")
    pick = w.Dropdown(options=[(f"#{s.rank} {s.info.emoji} {s.info.shorthand}", s.rank)
                               for s in ds.popularity[:end]], value=1, description="card of")
    chart, card = w.HTML(), w.HTML()

    def redraw(_: Any = None) -> None:
        view = popularity_view(ds, top.value, pick.value)
        chart.value, card.value = chart_html(view.chart), card_html(view.card)

    top.observe(redraw, names="value")
    pick.observe(redraw, names="value")
    redraw()
    return w.VBox([w.HBox([top, pick]), chart, card])


def popularity_terminal(ds: "Dataset") -> Any:
    """The console's version for `ds`: the chart of the classes, the card of #1, and how to change them."""
    from rich.console import Group
    from rich.text import Text

    view = popularity_view(ds)
    return Group(view, Text("Another view, at the prompt:"),
                 Text("from emoji_lab.teaching.widgets.popularity import popularity_view", style="bold"),
                 Text("popularity_view(ds, top=5, pick=3)", style="bold"))
