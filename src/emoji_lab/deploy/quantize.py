"""Lesson 8's table: each way of storing the model's weights (float32, float16, int8), converted and measured on
the validation texts at batch 1: size, speed, scores and agreement with Keras. Tables are saved beside the run
with the sha256 of the weights they measured, so a reloaded lesson never shows another model's numbers.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import numpy as np

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.files import write_whole
from emoji_lab.common.formatting import size
from emoji_lab.deploy.export import (VARIANT_NAMES, VARIANTS, byte_run, convert, input_signature, representative_ids,
                                     save_static)
from emoji_lab.deploy.litert import LiteModel, agreement, deployment_problems, graph_report
from emoji_lab.training.runs import model_sha

TABLE_FILE = "quantization.json"  # the lesson's table, beside the variants it measured


def variant_row(variant: str, content: bytes, run: Any, ds: Any, reference: np.ndarray, runs: int) -> dict:
    """Size, batch-1 latency, validation scores and agreement with Keras of one converted file."""
    from emoji_lab.training.metrics import evaluate

    report = graph_report(content)
    lite = LiteModel(content, run.labels, run.encoder)
    probs = lite.ids_probabilities(run.encoder.encode_batch(ds.val.texts))
    scores = evaluate(ds.val.y, probs, run.labels)
    agree = agreement(reference, probs)
    return {"variant": variant, "name": VARIANT_NAMES[variant], "ok": True, "bytes": len(content),
            "builtin_only": not report["custom_ops"], "min_runtime_version": report["min_runtime_version"],
            "problems": deployment_problems(report, run.encoder.max_len),
            **{f"latency_{k}": v for k, v in lite.latency(ds.val.texts[0], runs=runs).items()},
            "top1": scores["top1"], "top5": scores["top5"], "macro_f1": scores["macro_f1"],
            "agree_top1": agree["top1"], "agree_top5": agree["top5"]}


def quantization_table(run: Any, ds: Any, variants: Sequence[str] = VARIANTS, runs: int = 200,
                       progress: Callable[[str], None] = print) -> list[dict]:
    """One row per variant (a failed conversion is a row saying why), after a row for the Keras model."""
    encoder = byte_run(run)
    reference = run.probabilities(ds.val.texts)
    keras_scores = run.evaluate(ds, "val")
    rows = [{"variant": "keras", "name": "Keras (reference)", "ok": True, "bytes": run.record.get("model_file_bytes"),
             "top1": keras_scores["top1"], "top5": keras_scores["top5"], "macro_f1": keras_scores["macro_f1"],
             "agree_top1": 1.0, "agree_top5": 1.0}]
    representative = representative_ids(ds, encoder) if "int8-full" in variants else None
    folder = run.dir / "export"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="emoji_lab_export_") as tmp:
        saved = save_static(run.model, Path(tmp) / "saved_model", input_signature(encoder.max_len))
        for variant in variants:
            progress(f"converting and measuring {VARIANT_NAMES[variant]} ...")
            try:
                content = convert(saved, variant, representative)
            except EmojiLabError as error:
                rows.append({"variant": variant, "name": VARIANT_NAMES[variant], "ok": False, "error": str(error)})
                continue
            write_whole(folder / f"emoji_model-{variant}.tflite", content)  # kept for the learner to try
            rows.append(variant_row(variant, content, run, ds, reference, runs))
    save_table(run, rows)
    return rows


def save_table(run: Any, rows: Sequence[dict], name: str = TABLE_FILE, models: Sequence[Any] = ()) -> Path:
    """Rows measured on `run` (and `models`, other runs) saved in its export folder with their weights' sha256."""
    saved = {"model_sha256": [model_sha(r) for r in (run, *models)], "rows": list(rows)}
    return write_whole(run.dir / "export" / name, json.dumps(saved, indent=1, allow_nan=False) + "\n")


def load_table(run: Any, name: str = TABLE_FILE, models: Sequence[Any] = ()) -> Optional[list[dict]]:
    """The rows saved by `save_table` for exactly these weights, or None."""
    try:
        saved = json.loads((run.dir / "export" / name).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return saved.get("rows") if saved.get("model_sha256") == [model_sha(r) for r in (run, *models)] else None


def quantization_view(rows: Sequence[dict]) -> Any:
    """The table as rich draws it, inside 80 columns: one line per variant, failures marked."""
    from rich import box
    from rich.table import Table

    table = Table(title="Your model, converted (validation texts; batch 1 on this machine)", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1), caption_justify="left",
                  caption="int8: dynamic-range (int8 weights); int8-full: weights and activations; "
                          "same: agrees with Keras")
    for column in ("variant", "size", "ms\nmedian", "ms\np95", "top-1", "top-5", "macro\nF1", "same\ntop-1",
                   "same\ntop-5"):
        table.add_column(column, justify="left" if column == "variant" else "right", no_wrap=True)
    for row in rows:
        name = "Keras" if row["variant"] == "keras" else row["variant"]
        if not row["ok"]:
            table.add_row(name, "failed", *[""] * 7)
            continue
        ms = [f"{row[k]:.2f}" if k in row else "" for k in ("latency_median_ms", "latency_p95_ms")]
        same = ["", ""] if row["variant"] == "keras" else [f"{100 * row[k]:.1f}%" for k in ("agree_top1", "agree_top5")]
        table.add_row(name, size(row.get("bytes"), 2, mb_from=100_000), *ms,
                      *(f"{100 * row[k]:.1f}%" for k in ("top1", "top5", "macro_f1")), *same)
    return table
