"""Lesson 0's setup check as an ipywidgets table, for Jupyter."""

from __future__ import annotations

from typing import Any, Optional

from emoji_lab.common.setup_check import Item, environment


def environment_widget(items: Optional[list[Item]] = None) -> Any:
    """The environment check as an ipywidgets HTML table, for Jupyter."""
    import html

    import ipywidgets

    colors = {"ok": "#1a7f37", "warn": "#9a6700", "missing": "#cf222e"}
    rows = []
    for item in items if items is not None else environment():
        advice = f"<br><small>{html.escape(item.advice)}</small>" if item.advice and item.status != "ok" else ""
        rows.append(f"<tr><td style='color:{colors.get(item.status, '')}'>{html.escape(item.status)}</td>"
                    f"<td>{html.escape(item.name)}</td><td><code>{html.escape(item.value)}</code>{advice}</td></tr>")
    return ipywidgets.HTML("<table><tr><th></th><th>what</th><th>value</th></tr>" + "".join(rows) + "</table>")
