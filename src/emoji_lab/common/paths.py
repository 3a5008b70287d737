"""Where emoji_lab keeps things on the learner's machine; environment variables override (tests use them)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "emoji_lab"


def _platform_dir(kind: str) -> Path:
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / ("Caches" if kind == "cache" else "Application Support") / APP
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / APP / kind
    xdg = "XDG_CACHE_HOME" if kind == "cache" else "XDG_DATA_HOME"
    default = home / (".cache" if kind == "cache" else ".local/share")
    return Path(os.environ.get(xdg) or default) / APP


def cache_dir() -> Path:
    """Downloaded data (TweetEval); `EMOJI_LAB_CACHE` overrides. Safe to delete."""
    return Path(os.environ.get("EMOJI_LAB_CACHE") or _platform_dir("cache")).expanduser().absolute()


def home_dir() -> Path:
    """Progress and training runs; `EMOJI_LAB_HOME` overrides (a relative one from where the command starts: the
    background worker, started elsewhere, is handed the absolute path). Not safe to delete."""
    return Path(os.environ.get("EMOJI_LAB_HOME") or _platform_dir("data")).expanduser().absolute()


def runs_dir() -> Path:
    """Training runs (checkpoints, TensorBoard logs, run records), one folder per run name."""
    return home_dir() / "runs"
