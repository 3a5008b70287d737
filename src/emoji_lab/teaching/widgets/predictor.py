"""Live predictor: type a text and watch a trained run's five most likely emoji, with bars, change as you type.

`predictor_view` computes what to show (and times it); `show_top` draws it with rich at the console's
prompt; `predictor_terminal` is the console's widget step (the talk's sentence typed word by word,
and the latency per keystroke measured); `build_predictor` is the Jupyter widget, redrawn on every
keystroke.

Speed: `model.predict` sets up a whole prediction loop per call, and even a compiled batch-of-one
call walks the LSTM's 128 steps op by op. `Predictor` compiles the model once for a fixed
[1, max_len] input with XLA (`jit_compile=True`), several times faster than `predict_on_batch`
for these models on a laptop's CPU; where XLA cannot compile a model, it falls back to the plain
compiled call.
"""

from __future__ import annotations

import html
import statistics
import time
import weakref
from typing import Any, Sequence

from emoji_lab.data.talk import SENTENCES

BUDGET_MS = 50.0  # a keyboard suggestion must keep up with typing
WARMUP = 3  # calls before timing: the first ones compile and allocate


class Predictor:
    """A run's model compiled for one text at a time; `top` answers like `Run.top`, faster."""

    def __init__(self, run: Any):
        from emoji_lab.common.backend import import_tensorflow

        tf = import_tensorflow()
        model, spec = run.model, [tf.TensorSpec([1, run.encoder.max_len], tf.int32)]
        self.run = run
        self.compiled = tf.function(lambda ids: model(ids, training=False), input_signature=spec, jit_compile=True)
        self.plain = tf.function(lambda ids: model(ids, training=False), input_signature=spec)

    def probabilities(self, text: str) -> Any:
        """[classes] probabilities for one text."""
        ids = self.run.encoder.encode_batch([text])  # [1, max_len] int32
        if self.compiled is not None:
            try:
                return self.compiled(ids).numpy()[0]
            except Exception:  # noqa: BLE001 - XLA could not compile this model: use the plain call from now on
                self.compiled = None
        return self.plain(ids).numpy()[0]

    def top(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The k most likely emoji with their probabilities, best first (ties: the more popular first)."""
        import numpy as np

        probs = self.probabilities(text)
        order = np.argsort(-probs, kind="stable")[:k]
        return [(self.run.labels[i], float(probs[i])) for i in order]


_PREDICTORS: "weakref.WeakKeyDictionary[Any, Predictor]" = weakref.WeakKeyDictionary()


def predictor_for(run: Any) -> Any:
    """The compiled predictor of a trained run (made once per model); anything else with a `top` as it is."""
    if not (hasattr(run, "model") and hasattr(run, "encoder")):
        return run
    if run.model not in _PREDICTORS:
        _PREDICTORS[run.model] = Predictor(run)
    return _PREDICTORS[run.model]


def predictor_view(run: Any, text: str, k: int = 5) -> dict:
    """The k most likely emoji for `text` with their probabilities, best first, and how long it took."""
    predictor = predictor_for(run)
    start = time.perf_counter()
    top = predictor.top(text, k)
    ms = 1000 * (time.perf_counter() - start)
    return {"text": text, "top": [{"emoji": e, "probability": float(p)} for e, p in top], "ms": ms}


def keystrokes(text: str) -> list[str]:
    """What the box holds after each key typed: every prefix of `text`."""
    return [text[:i] for i in range(1, len(text) + 1)]


def measure_latency(run: Any, text: str = SENTENCES[0], warmup: int = WARMUP) -> dict:
    """Milliseconds per keystroke after warm-up, typing `text` one character at a time."""
    predictor = predictor_for(run)
    for _ in range(warmup):
        predictor.top(text)
    times = [predictor_view(run, typed)["ms"] for typed in keystrokes(text)]
    return {"keystrokes": len(times), "median_ms": statistics.median(times) if times else 0.0,
            "max_ms": max(times, default=0.0), "budget_ms": BUDGET_MS}


def latency_sentence(latency: dict) -> str:
    """The measured latency against the budget, true either way."""
    measured = (f"{latency['keystrokes']} keystrokes timed after warm-up: median {latency['median_ms']:.1f} ms, "
                f"slowest {latency['max_ms']:.1f} ms")
    if latency["max_ms"] < latency["budget_ms"]:
        return f"{measured}: every one under the {latency['budget_ms']:.0f} ms budget."
    over = "the slowest is" if latency["median_ms"] < latency["budget_ms"] else "even the median is"
    return f"{measured}: {over} over the {latency['budget_ms']:.0f} ms budget on this machine."


def typing_frames(text: str, n: int = 4) -> list[str]:
    """A few moments of typing `text`: prefixes ending at word boundaries, evenly spread, the whole text last."""
    ends = [i for i, ch in enumerate(text) if ch == " "] + [len(text)]
    if len(ends) <= n:
        return [text[:i] for i in ends]
    picks = [ends[round(j * (len(ends) - 1) / (n - 1))] for j in range(n)]
    return [text[:i] for i in dict.fromkeys(picks)]


# -- terminal -------------------------------------------------------------------------------------------------------
def bars(view: dict, width: int = 30) -> Any:
    """The top emoji of one view as bars: emoji, bar (full width = 100%), probability."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    for item in view["top"]:
        filled = round(width * item["probability"])
        grid.add_row(item["emoji"], "█" * filled + "·" * (width - filled), f"{item['probability']:.1%}")
    return grid


def show_top(run: Any, text: str) -> Any:
    """At the prompt: `show_top(best, "your text")` draws the top-5 with bars."""
    from rich.console import Group
    from rich.text import Text

    return Group(Text(f"> {text}", style="bold"), bars(predictor_view(run, text)))


def predictor_terminal(run: Any, texts: Sequence[str] = SENTENCES[:1]) -> Any:
    """The console's widget step: the talk's sentence typed word by word, then the measured latency."""
    from rich.console import Group
    from rich.text import Text

    latency = measure_latency(run, texts[0])
    parts: list[Any] = [Text(f"{run.name}, as you type:", style="bold")]
    for text in texts:
        for typed in typing_frames(text):
            parts += [Text(f"> {typed}"), bars(predictor_view(run, typed))]
    parts += [Text(latency_sentence(latency)),
              Text('Try your own at the prompt: show_top(best, "your text")', style="dim")]
    return Group(*parts)


# -- Jupyter --------------------------------------------------------------------------------------------------------
def view_html(view: dict, width_px: int = 220) -> str:
    """One view as HTML bars (the widget's output)."""
    rows = []
    for item in view["top"]:
        px = round(width_px * item["probability"])
        rows.append(f"<div style='font-family:monospace;line-height:1.8'>"
                    f"<span style='font-size:1.4em'>{html.escape(item['emoji'])}</span> "
                    f"<span style='display:inline-block;width:{px}px;height:0.8em;background:#4c72b0'></span>"
                    f" {item['probability']:.1%}</div>")
    timing = f"<div style='color:#777;font-size:0.85em'>{view['ms']:.1f} ms</div>"
    return "".join(rows) + timing


def build_predictor(run: Any, text: str = SENTENCES[0]) -> Any:
    """The live predictor in Jupyter: a text box; the bars update on every keystroke."""
    import ipywidgets

    box = ipywidgets.Text(value=text, description="Type:", continuous_update=True,
                          layout=ipywidgets.Layout(width="95%"))
    predictor_for(run).top(text)  # the first call compiles: the time shown is then a keystroke's
    output = ipywidgets.HTML(view_html(predictor_view(run, text)))

    def update(change: dict) -> None:
        output.value = view_html(predictor_view(run, change["new"]))

    box.observe(update, names="value")
    return ipywidgets.VBox([box, output])
