"""What a Keras model is made of, in 80 columns: its layers, shapes and parameters, and its LSTMs' widths.

Lessons 4 to 9 show their models with these; nothing here imports Keras (the models are built elsewhere).
"""

from __future__ import annotations

from typing import Any, Optional

from emoji_lab.common.errors import EmojiLabError


def _shape(layer: Any) -> str:
    try:
        shape = layer.output.shape
    except (AttributeError, ValueError):
        return "?"
    return "(" + ", ".join("batch" if d is None else str(d) for d in shape) + ")"


def layer_rows(model: Any) -> list[dict]:
    """Each layer of a Keras model: name, kind, output shape, parameters and whether they learn."""
    rows = []
    for layer in model.layers:
        params = int(layer.count_params())
        learns = "" if not params else ("yes" if layer.trainable else "frozen")
        rows.append({"layer": layer.name, "kind": type(layer).__name__, "output": _shape(layer),
                     "params": params, "learns": learns})
    return rows


def layers_table(model: Any, title: Optional[str] = None) -> Any:
    """`model.summary()` in 80 columns: layers, output shapes, parameters, and the totals."""
    from rich.table import Table

    rows = layer_rows(model)
    table = Table(title=title or model.name.replace("_", "-"), title_justify="left")
    for header in ("layer", "kind", "output shape", "params", "learns"):
        table.add_column(header, justify="right" if header == "params" else "left", no_wrap=header != "layer")
    for row in rows:
        table.add_row(row["layer"], row["kind"], row["output"], f"{row['params']:,}", row["learns"])
    trainable = sum(r["params"] for r in rows if r["learns"] == "yes")
    table.caption = f"{model.count_params():,} parameters, {trainable:,} of them learned"
    table.caption_justify = "left"
    return table


def layers_tables(*models: Any) -> Any:
    """Several models' layer tables, one under the other."""
    from rich.console import Group

    return Group(*(layers_table(m) for m in models))


def lstms(model: Any) -> list[Any]:
    """A model's LSTM layers, in order (not those inside a Bidirectional)."""
    return [layer for layer in model.layers if type(layer).__name__ == "LSTM"]


def lstm_inputs(lstm: Any) -> int:
    """How many numbers an LSTM layer reads per step (the rows of its input kernel)."""
    return int(lstm.cell.kernel.shape[0])


def embed_dim(model: Any) -> int:
    """The width of the vectors the first LSTM of a model reads."""
    found = lstms(model)
    if not found:
        raise EmojiLabError(f"{model.name} has no LSTM layer")
    return lstm_inputs(found[0])
