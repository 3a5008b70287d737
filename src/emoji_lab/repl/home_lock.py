"""One console per home: a second console on the same EMOJI_LAB_HOME would save its progress over the first one's.

The lock is `filelock`'s (an operating-system lock on `console.lock`, let go by the system when the process ends,
even killed, so nothing stale is ever left to guess about). Beside it `console.json` says who holds it (process,
terminal, folder, start time), so the second console can name the first, as git does with its index lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.files import write_whole

LOCK, HOLDER = "console.lock", "console.json"


class HomeInUse(EmojiLabError):
    """Another console holds this home."""


@contextlib.contextmanager
def only_console(home: Path) -> Iterator[None]:
    """Hold `home` for this console while the block runs; HomeInUse, naming the holder, when another holds it.
    A home nothing can be written in is not held: no progress can be saved over there, and every save says so."""
    lock = FileLock(home / LOCK, timeout=0)
    try:
        home.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise HomeInUse(f"another console is open on {home} ({holder(home)}); finish it with `bye`, or give this one "
                        f"its own folder: EMOJI_LAB_HOME=<folder>") from None
    except OSError:
        lock = None
    try:
        if lock is not None:
            with contextlib.suppress(EmojiLabError):  # only a description: the lock itself is what counts
                write_whole(home / HOLDER, json.dumps(_me()) + "\n")
        yield
    finally:
        if lock is not None:
            with contextlib.suppress(OSError):
                (home / HOLDER).unlink()
            lock.release()


def _me() -> dict:
    try:
        terminal = os.ttyname(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        terminal = None
    return {"pid": os.getpid(), "terminal": terminal, "folder": os.getcwd(),
            "started": time.strftime("%Y-%m-%d %H:%M")}


def holder(home: Path) -> str:
    """Who holds the home, in words, from what it wrote (or 'its details are not written yet')."""
    try:
        found = json.loads((home / HOLDER).read_text(encoding="utf-8"))
        words = [f"process {int(found['pid'])}"]
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return "its details are not written yet"
    if isinstance(found.get("terminal"), str):
        words.append(f"in {found['terminal']}")
    if isinstance(found.get("started"), str):
        words.append(f"started {found['started']}")
    if isinstance(found.get("folder"), str):
        words.append(f"from {found['folder']}")
    return ", ".join(words)
