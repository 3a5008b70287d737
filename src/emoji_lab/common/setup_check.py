"""What the course needs on this machine, checked in well under a second: nothing is imported to check it.

Versions are read from the installed package metadata, so neither TensorFlow nor LiteRT loads.
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
from typing import Any, Optional

from emoji_lab.common.launch import console_command
from emoji_lab.common.paths import cache_dir, home_dir, runs_dir

MIN_PYTHON = (3, 10)

MIN_FREE_GB = 2.0  # TweetEval, a few checkpoints and an exported model fit comfortably


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


def litert_runtime_available() -> bool:
    """Whether `ai_edge_litert.compiled_model` (the API the app runs) is installed, checked without importing it."""
    try:
        spec = find_spec("ai_edge_litert")
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    for folder in spec.submodule_search_locations or ():
        if (Path(folder) / "compiled_model.py").is_file():
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
    has_runtime = litert_runtime_available()
    items.append(Item("LiteRT runtime", f"ai-edge-litert {litert}" if litert else "not installed",
                      "ok" if has_runtime else "missing",
                      "" if has_runtime else "pip install ai-edge-litert (needed to test the exported model)"))
    free = free_disk_gb()
    if free is None:
        items.append(Item("Free disk", "unknown", "warn", f"cannot read the free space at {home_dir()}"))
    else:
        ok = free >= MIN_FREE_GB
        items.append(Item("Free disk", f"{free:.1f} GB", "ok" if ok else "warn",
                          "" if ok else f"the course needs about {MIN_FREE_GB:.0f} GB"))
    items.append(Item("Progress", str(home_dir() / "progress.json"), "ok", "EMOJI_LAB_HOME moves it"))
    items.append(Item("Next time", console_command(), "ok", "starts the course again where you stopped"))
    items.append(Item("Data cache", str(cache_dir()), "ok", "EMOJI_LAB_CACHE moves it; safe to delete"))
    items.append(Item("Training runs", str(runs_dir()), "ok", "under EMOJI_LAB_HOME"))
    return items


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


def machine() -> dict:
    """This machine's facts for a measurement's record: cores, platform, Python and the versions that matter."""
    versions = {}
    for package in ("tensorflow", "keras", "ai-edge-litert", "numpy", "emoji_lab"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "versions": versions}
