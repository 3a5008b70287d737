"""Keyword playground: type a text, see which keywords it contains and the five emoji they score highest.

`playground_view` computes the data; `playground` draws it with rich (at the console's prompt),
`build_keyword_playground` wraps it in ipywidgets (Jupyter). The lesson's widget step passes both
the learner's model and the loaded data set (`args = ["mine", "ds"]`): the emoji come from `ds.labels`,
and the console's texts to try from `ds.val.texts`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from emoji_lab.data.dataset import Dataset

EXAMPLE = "happy new year"  # the seed talk's example


def keyword_spans(text: str, keywords: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, keyword) of each place a keyword (one token or a phrase of several) occurs in the text."""
    from emoji_lab.data.encoders import TOKEN  # the tokens `word_tokens` finds, with their positions

    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)  # same length as text
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(lowered)]
    spans = []
    for keyword in dict.fromkeys(keywords):
        parts = keyword.split(" ")
        for i in range(len(tokens) - len(parts) + 1):
            if [t[2] for t in tokens[i:i + len(parts)]] == parts:
                spans.append((tokens[i][0], tokens[i + len(parts) - 1][1], keyword))
    return sorted(spans, key=lambda span: (span[0], -span[1], span[2]))  # the longest first where two start


def playground_view(model: Any, text: str, labels: Sequence[str], k: int = 5) -> dict:
    """What the playground shows for one text: its keyword matches, their spans, and the k best emoji with scores."""
    import numpy as np

    from emoji_lab.common.values import text as text_arg

    matches = model.explain(text_arg("text", text))
    scores = model.scores([text])[0]
    best = np.argsort(-scores, kind="stable")[:k]  # equal scores: the lower class id first, as in metrics
    return {
        "text": text,
        "matches": matches,
        "spans": keyword_spans(text, [m["keyword"] for m in matches]),
        "top": [{"emoji": labels[c], "class": int(c), "score": float(scores[c])} for c in best],
        "fallback": not matches,
    }


# -- terminal -------------------------------------------------------------------------------------------------------
def highlighted(view: dict) -> Any:
    """The text with each keyword [bracketed] and bold: visible with or without colour."""
    from rich.text import Text

    out, last = Text(), 0
    for start, end, _ in view["spans"]:
        if start < last:
            continue  # overlaps a phrase already marked
        out.append(view["text"][last:start])
        out.append(f"[{view['text'][start:end]}]", style="bold magenta")
        last = end
    out.append(view["text"][last:])
    return out


def playground_lines(view: dict, max_matches: int = 4) -> list[Any]:
    """The highlighted text, then its keywords (class and weight) and the top emoji with scores, indented."""
    from rich.table import Table
    from rich.text import Text

    from emoji_lab.common.formatting import pieces

    if view["fallback"]:
        found = Text("none: the scores are the fallback (the most frequent emoji first)", style="dim")
    else:
        shown = [f"{m['keyword']} -> {m['emoji']} {m['weight']:+.2f}{' (rule)' if m['rule'] else ''}"
                 for m in view["matches"][:max_matches]]
        more = len(view["matches"]) - max_matches
        found = pieces(shown + ([f"+{more} more"] if more > 0 else []), style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("", "keywords:", found)
    grid.add_row("", "top-5:", pieces(f"{t['emoji']} {t['score']:.2f}" for t in view["top"]))
    return [highlighted(view), grid]


def playground(model: Any, text: str, labels: Sequence[str]) -> Any:
    """The playground for one text, drawn by rich: type `playground(mine, "your text", ds.labels)` at the prompt."""
    from rich.console import Group

    return Group(*playground_lines(playground_view(model, text, labels)))


def demo_texts(model: Any, texts: Sequence[str], n: int = 4, max_chars: int = 70) -> list[str]:
    """The seed's example, then a short validation text for each hand rule, texts with keywords, and one without."""
    short = [t for t in texts if len(t) <= max_chars]
    chosen = [EXAMPLE]
    for keyword, _, _ in getattr(model, "rules", []):
        chosen += [t for t in short if keyword in model.matched(t) and t not in chosen][:1]
    with_hits = [t for t in short if model.matched(t)]
    chosen += [t for t in with_hits if t not in chosen][: max(n - len(chosen), 1)]
    chosen += [t for t in short if not model.matched(t) and t not in chosen][:1]
    return chosen


def playground_terminal(model: Any, ds: "Dataset") -> Any:
    """The console's widget step: the playground on a few texts of the learner's validation split."""
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = []
    for text in demo_texts(model, ds.val.texts):
        parts += playground_lines(playground_view(model, text, ds.labels)) + [Text("")]
    parts.append(Text('Try your own: playground(mine, "your text here", ds.labels)', style="bold"))
    return Group(*parts)


# -- Jupyter ----------------------------------------------------------------------------------------------------------
def view_html(view: dict) -> str:
    """The playground for one text as HTML: keywords in <mark> (weights on hover), then the top emoji."""
    pieces, last = [], 0
    text = view["text"]
    for start, end, keyword in view["spans"]:
        if start < last:
            continue
        hits = [m for m in view["matches"] if m["keyword"] == keyword]
        tip = ", ".join(f"{m['emoji']} {m['weight']:+.2f}" for m in hits)
        marked = f"<mark title='{html.escape(tip)}'>{html.escape(text[start:end])}</mark>"
        pieces += [html.escape(text[last:start]), marked]
        last = end
    pieces.append(html.escape(text[last:]))
    note = "<i>no keyword: the fallback order</i>" if view["fallback"] else ""
    rows = "".join(f"<tr><td style='font-size:1.4em'>{t['emoji']}</td><td>{t['score']:.2f}</td></tr>"
                   for t in view["top"])
    return (f"<div><p>{''.join(pieces)}</p>{note}<table><tr><th>emoji</th><th>score</th></tr>{rows}</table></div>")


def build_keyword_playground(model: Any, ds: "Dataset", text: str = EXAMPLE) -> Any:
    """An ipywidgets VBox: children[0] is the Text box, children[1] the HTML that follows what is typed."""
    import ipywidgets

    labels = ds.labels
    box = ipywidgets.Text(value=text, description="text", continuous_update=True,
                          layout=ipywidgets.Layout(width="90%"))
    output = ipywidgets.HTML(view_html(playground_view(model, text, labels)))

    def update(change: dict) -> None:
        output.value = view_html(playground_view(model, change["new"], labels))

    box.observe(update, names="value")
    return ipywidgets.VBox([box, output])

