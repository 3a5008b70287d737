"""Lesson 00 (welcome): its checks and the environment check, as plain functions usable from any Python prompt.

Checks take the learner's namespace (a dict such as `globals()`) and return None when the answer is
right, or a message saying specifically what is wrong. Nothing here imports TensorFlow: versions are
read from the installed package metadata, so the check is instant.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Mapping, Optional

from emoji_lab.formatting import a_or_an
from emoji_lab.paths import cache_dir, home_dir, runs_dir

MIN_PYTHON = (3, 10)
MIN_FREE_GB = 2.0  # TweetEval, a few checkpoints and an exported model fit comfortably


# -- checks of lesson 00 ------------------------------------------------------------------------------------------
def _emoji_count(text: str) -> int:
    import emoji

    return emoji.emoji_count(text)


def check_greeting(ns: Mapping[str, Any]) -> Optional[str]:
    """`greeting` must be a str holding at least one emoji."""
    if "greeting" not in ns:
        return 'There is no `greeting` yet: type `greeting = "..."` with an emoji between the quotes.'
    greeting = ns["greeting"]
    if isinstance(greeting, bytes):
        return "`greeting` holds bytes (b'...'); keep it a text: remove the `b` or the `.encode(...)`."
    if not isinstance(greeting, str):
        return (f"`greeting` is {a_or_an(type(greeting).__name__)}, not a text: put your message in quotes, "
                'like `greeting = "see you 👋"`.')
    if not greeting.strip():
        return "`greeting` is empty: write a short message with an emoji in it."
    if _emoji_count(greeting) == 0:
        if ":" in greeting and any(part.strip().isidentifier() for part in greeting.split(":")[1:-1]):
            return ("`greeting` has a shortcode like :waving_hand: but no emoji: `import emoji` then "
                    "`emoji.emojize(...)` turns the shortcode into the emoji.")
        return ("`greeting` has no emoji yet. If your keyboard can't type one, write "
                '`"hi \\N{WAVING HAND SIGN}"`: Python turns the name into the emoji.')
    return None


def check_n_bytes(ns: Mapping[str, Any]) -> Optional[str]:
    """`n_bytes` must equal the UTF-8 length of `greeting` (not its length in characters)."""
    problem = check_greeting(ns)
    if problem:
        return problem
    greeting: str = ns["greeting"]
    if "n_bytes" not in ns:
        return "There is no `n_bytes` yet: set it to the number of bytes `greeting` takes in UTF-8."
    n_bytes = ns["n_bytes"]
    expected = len(greeting.encode("utf-8"))
    if isinstance(n_bytes, (bytes, bytearray)):
        return "`n_bytes` holds the bytes themselves; you want how many there are: wrap them in `len(...)`."
    if isinstance(n_bytes, list):
        return "`n_bytes` is a list; you want its length: wrap it in `len(...)`."
    if isinstance(n_bytes, bool) or not isinstance(n_bytes, int):
        return f"`n_bytes` is {a_or_an(type(n_bytes).__name__)}; it should be a whole number (an int), from `len(...)`."
    if n_bytes == expected:
        return None
    if n_bytes == len(greeting):
        return (f"`n_bytes` is {n_bytes}: that is `len(greeting)`, the number of characters. "
                "Encode first, then count: `len(greeting.encode(\"utf-8\"))`.")
    if n_bytes in (len(greeting.encode("utf-16-le")), len(greeting.encode("utf-16"))):
        return f"`n_bytes` is {n_bytes}: that is the size in UTF-16. The course's models read UTF-8."
    if n_bytes == len(greeting.encode("utf-32-le")):
        return f"`n_bytes` is {n_bytes}: that is the size in UTF-32. The course's models read UTF-8."
    return (f"`n_bytes` is {n_bytes}, but `greeting` takes a different number of bytes in UTF-8. "
            "Count the bytes of `greeting.encode(\"utf-8\")`.")


# -- the environment check ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One line of the environment check: what, its value, and "ok" / "warn" / "missing" with advice."""

    name: str
    value: str
    status: str
    advice: str = ""


def _version(*dists: str) -> Optional[str]:
    for dist in dists:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def keras_backend() -> tuple[str, str]:
    """The Keras backend and where that setting comes from, read without importing Keras."""
    env = os.environ.get("KERAS_BACKEND")
    if env:
        return env, "KERAS_BACKEND"
    keras_home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    config = keras_home / "keras.json"
    try:
        backend = json.loads(config.read_text(encoding="utf-8")).get("backend")
        if isinstance(backend, str) and backend:
            return backend, str(config)
    except (OSError, ValueError, AttributeError):
        pass
    return "tensorflow", "default"


def litert_interpreter_available() -> bool:
    """Whether `ai_edge_litert.interpreter` is installed, checked without importing it."""
    try:
        spec = find_spec("ai_edge_litert")
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    for folder in spec.submodule_search_locations or ():
        if (Path(folder) / "interpreter.py").is_file():
            return True
    return False


def free_disk_gb(path: Optional[Path] = None) -> Optional[float]:
    path = Path(path or home_dir())
    while not path.exists() and path.parent != path:
        path = path.parent
    try:
        return shutil.disk_usage(path).free / 1e9
    except OSError:
        return None


def environment() -> list[Item]:
    """What the course needs, checked in well under a second (no TensorFlow import)."""
    items = []
    py = platform.python_version()
    py_ok = sys.version_info[:2] >= MIN_PYTHON
    items.append(Item("Python", f"{py} ({platform.system()} {platform.machine()})", "ok" if py_ok else "missing",
                      "" if py_ok else "the course needs Python 3.10 or newer"))
    tf = _version("tensorflow", "tensorflow-macos", "tensorflow-cpu", "tf-nightly")
    items.append(Item("TensorFlow", tf or "not installed", "ok" if tf else "missing",
                      "" if tf else "pip install tensorflow"))
    keras = _version("keras")
    backend, source = keras_backend()
    if not keras:
        items.append(Item("Keras", "not installed", "missing", "pip install keras"))
    else:
        ok = backend == "tensorflow"
        items.append(Item("Keras", f"{keras}, backend {backend} ({source})", "ok" if ok else "warn",
                          "" if ok else "the course exports with TensorFlow: set KERAS_BACKEND=tensorflow"))
    litert = _version("ai-edge-litert", "ai-edge-litert-nightly")
    has_interp = litert_interpreter_available()
    items.append(Item("LiteRT interpreter", f"ai-edge-litert {litert}" if litert else "not installed",
                      "ok" if has_interp else "missing",
                      "" if has_interp else "pip install ai-edge-litert (needed to test the exported model)"))
    free = free_disk_gb()
    if free is None:
        items.append(Item("Free disk", "unknown", "warn", f"cannot read the free space at {home_dir()}"))
    else:
        ok = free >= MIN_FREE_GB
        items.append(Item("Free disk", f"{free:.1f} GB", "ok" if ok else "warn",
                          "" if ok else f"the course needs about {MIN_FREE_GB:.0f} GB"))
    items.append(Item("Progress", str(home_dir() / "progress.json"), "ok", "EMOJI_LAB_HOME moves it"))
    items.append(Item("Data cache", str(cache_dir()), "ok", "EMOJI_LAB_CACHE moves it; safe to delete"))
    items.append(Item("Training runs", str(runs_dir()), "ok", "under EMOJI_LAB_HOME"))
    return items


def environment_ok(items: Optional[list[Item]] = None) -> bool:
    return all(item.status != "missing" for item in (items if items is not None else environment()))


def environment_table(items: Optional[list[Item]] = None) -> Any:
    """The environment check as a rich Table (terminal, or Jupyter without widgets)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Your setup", title_justify="left", show_lines=False)
    table.add_column("", no_wrap=True)
    table.add_column("what", no_wrap=True)
    table.add_column("value", overflow="fold", ratio=1)
    styles = {"ok": ("ok", "green"), "warn": ("!", "yellow"), "missing": ("✗", "red")}
    for item in items if items is not None else environment():
        mark, style = styles.get(item.status, ("?", ""))
        value = Text(item.value)
        if item.advice:
            value.append(f"\n{item.advice}", style=style if item.status != "ok" else "dim")
        table.add_row(Text(mark, style=style), item.name, value)
    return table


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
