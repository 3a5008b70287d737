"""Checks and helpers of the test-only lesson 90: a slow step (for Ctrl-C) and an expensive step with `restore`."""

import json
import os
import sys
import time

from emoji_lab.common.paths import runs_dir


def check_x(ns):
    if "x" not in ns:
        return "There is no `x` yet."
    if ns["x"] != 42:
        return f"`x` is {ns['x']!r}; it should be 42."
    return None


def check_total(ns):
    if ns.get("items") != [1, 2]:
        return f"`items` changed to {ns.get('items')!r}; leave it as [1, 2]."
    if "total" not in ns:
        return "There is no `total` yet."
    if ns["total"] != 30:
        return f"`total` is {ns['total']!r}; it should be sum(items) * 10 = 30."
    return None


def _artifact():
    return runs_dir() / "fixture" / "model.json"


def train_model(x):
    """Stands for a long training: writes its result as an artifact and counts how often it ran."""
    path = _artifact()
    path.parent.mkdir(parents=True, exist_ok=True)
    count_file = path.with_name("train_count")
    count = int(count_file.read_text()) if count_file.exists() else 0
    count_file.write_text(str(count + 1))
    model = {"weights": x * 2}
    path.write_text(json.dumps(model))
    print("training... done")
    return model


def restore_model(ns):
    """Reload the trained model from its artifact instead of training again (and the name the solution imported)."""
    ns["model"] = json.loads(_artifact().read_text())
    ns["train_model"] = train_model


def check_model(ns):
    if ns.get("model") != {"weights": 84}:
        return f"`model` is {ns.get('model')!r}"
    return None


def slow():
    """A step that takes EMOJI_LAB_FIXTURE_SLOW seconds (0.2 by default) in small sleeps, like a training loop."""
    seconds = float(os.environ.get("EMOJI_LAB_FIXTURE_SLOW", "0.2"))
    print("slow step started", flush=True)
    sys.stdout.flush()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.1)
    print("slow step finished")
