"""Lesson 08 (freeze and deploy): its measured sentences, checks and restore functions.

The work itself (conversion, quantization, LiteRT, the app's files) is in `emoji_lab.deploy.export`,
`emoji_lab.deploy.quantize`, `emoji_lab.deploy.litert` and `emoji_lab.deploy.app`,
which the CLI calls too. Nothing heavy is imported at import time; every sentence is built from what
was measured on the learner's model, whichever way it went.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.formatting import pct, size, wrap
from emoji_lab.deploy.app import export_problem
from emoji_lab.teaching.checking import missing, wrong_kind

AGREEMENT_BAR = 0.995  # the float32 file must give Keras's top-5 for this share of validation texts
SHIP_BAR = 0.99  # a quantized file worth shipping keeps the float32 top-5 this often


# -- 08.2: the run to deploy -----------------------------------------------------------------------------------------
def restore_best(ns: dict) -> None:
    """Step 08.2: `load`, `best_run`, `ds` and `best` (the best run that reads bytes), without training."""
    from emoji_lab.data.sources import load
    from emoji_lab.teaching.compare import best_run, best_saved
    from emoji_lab.training.runs import matching_run

    ns["load"], ns["best_run"] = load, best_run
    ns["ds"] = load(ns["DATA"])
    name = best_saved(ns["ds"], encoder="bytes")
    if name is None:
        raise EmojiLabError("no saved run that reads bytes on this data")
    ns["best"] = matching_run(name, ns["ds"])


# -- 08.4 and 08.5: the failure and the fix --------------------------------------------------------------------------
def failure_story(errors: Sequence[str]) -> str:
    """What the dynamic-batch conversion said, then the same read for the learner."""
    if not errors:
        return wrap("Measured: this model converted with a dynamic batch (it has no LSTM loop). The app still "
                    "gets a fixed [1, max_len] input, which the next step builds.")
    ops = sorted({op for line in errors for op in re.findall(r"'(tf\.\w+)'", line)})
    lines = [f"The converter stopped with {len(errors)} error(s)."]
    if ops:
        lines.append(f"The first names the TensorFlow op it could not turn into a LiteRT op: {', '.join(ops)}. "
                     "An LSTM runs as a loop that writes one step at a time into a list whose size "
                     "depends on the batch, and the batch is unknown (None) when the model takes any number "
                     "of texts.")
    if any("Select TF ops" in line for line in errors):
        lines.append("The last suggests Select TF ops: that converts, but the app must then link "
                     "TensorFlow's own kernels, tens of megabytes. The talk's \"No OpKernel found\" "
                     "came from the same gap: an op the phone's runtime has no kernel for.")
    said = "\n".join(wrap(f"error: {line}") for line in errors)
    return f"The converter said:\n{said}\n\n{wrap(' '.join(lines))}"


def check_signature(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 08.5: `signature` is tf.TensorSpec([1, max_len], tf.int32, name="bytes")."""
    absent = missing(ns, "signature", "`signature = tf.TensorSpec([1, best.encoder.max_len], tf.int32, ...)`.")
    if absent:
        return absent
    import tensorflow as tf

    spec, max_len = ns["signature"], ns["best"].encoder.max_len
    if not isinstance(spec, tf.TensorSpec):
        return wrong_kind("signature", spec, "make it a `tf.TensorSpec(shape, dtype, name=...)`.")
    shape = spec.shape.as_list() if spec.shape.rank is not None else None
    if shape is None or len(shape) != 2:
        return f"`signature` has shape {shape}: it needs two dimensions, [texts, bytes] = [1, {max_len}]."
    if shape[0] != 1:
        return (f"The first dimension is {shape[0]}: a batch of None is the dynamic shape that failed; "
                "the app sends one text at a time, so use 1.")
    if shape[1] != max_len:
        return f"The second dimension is {shape[1]}, but the model reads {max_len} byte ids (`best.encoder.max_len`)."
    if spec.dtype != tf.int32:
        return f"The dtype is {spec.dtype.name}; byte ids are whole numbers: `tf.int32`."
    if spec.name != "bytes":
        return f"The name is {spec.name!r}; the app and golden.json call the input \"bytes\": `name=\"bytes\"`."
    return None


# -- 08.6 and 08.8: inside the file, and checked with LiteRT ---------------------------------------------------------
def graph_story(report: Mapping[str, Any], run: Any) -> str:
    """Size, ops and runtime version of the converted file, measured."""
    from emoji_lab.deploy.litert import APP_LITERT, deployment_problems

    params = run.record.get("params") or run.model.count_params()
    ops = report["builtin_ops"]
    lines = [f"The file holds {size(report['bytes'], 2, mb_from=100_000)} for {params:,} parameters "
             f"({report['bytes'] / params:.1f} bytes each: float32 weights, plus the graph).",
             f"It uses {len(ops)} builtin ops: {', '.join(ops)}."]
    if "WHILE" in ops:
        lines.append(f"WHILE runs the LSTM's loop over the text; the loops' conditions and bodies are "
                     f"{report['subgraphs'] - 1} small subgraphs in the file.")
    problems = deployment_problems(report, run.encoder.max_len)
    if problems:
        lines.append("It would not run in the app: " + "; ".join(problems) + ".")
    else:
        lines.append(f"No custom or Select TF op. The oldest runtime it declares is TensorFlow Lite "
                     f"{report['min_runtime_version']} (TensorFlow's version numbers, from before the runtime was "
                     f"renamed LiteRT); the app links LiteRT {APP_LITERT}, the release that runs it here in Python "
                     "(step 08.8).")
    inp, out = report["inputs"][0], report["outputs"][0]
    lines.append(f"In: {inp['dtype']} {inp['shape']} ({', '.join(report['signature_inputs'])}); "
                 f"out: {out['dtype']} {out['shape']}, one probability per emoji.")
    return "\n".join(wrap(line) for line in lines)


def agreement_story(agree: Mapping[str, float], n: int) -> str:
    line = (f"On your {n:,} validation texts the .tflite file and the Keras model give the same top emoji for "
            f"{pct(agree['top1'])} of texts and the same five for {pct(agree['top5'])} "
            f"(the course's bar: {pct(AGREEMENT_BAR)}).")
    if agree["top5"] < AGREEMENT_BAR:
        line += " That is below the bar: the conversion changed the model, so do not ship this file."
    return wrap(line)


def check_agreement(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 08.8: the float32 file agrees with Keras on the top-5 for at least 99.5% of validation texts."""
    agree = ns.get("agree")
    if not isinstance(agree, Mapping) or "top5" not in agree:
        return "There is no `agree` with a top-5 share yet: run the step's code (`next` after it ran)."
    if agree["top5"] < AGREEMENT_BAR:
        return (f"The .tflite file gives Keras's top-5 for only {pct(agree['top5'])} of texts, under "
                f"{pct(AGREEMENT_BAR)}: the conversion changed the model.")
    return None


# -- 08.10: the quantization table ----------------------------------------------------------------------------------
def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "?"


def recommended(rows: Sequence[Mapping[str, Any]]) -> Optional[Mapping[str, Any]]:
    """The smallest file that runs in the app and keeps Keras's top-5 for at least SHIP_BAR of texts."""
    fit = [r for r in rows if r["ok"] and r["variant"] != "keras" and not r["problems"]
           and r["agree_top5"] >= SHIP_BAR]
    return min(fit, key=lambda r: r["bytes"]) if fit else None


def quantization_story(rows: Sequence[Mapping[str, Any]]) -> str:
    """Each variant against float32, in ratios measured in this run, then the failures and a choice."""
    by_variant = {r["variant"]: r for r in rows}
    base = by_variant.get("float32")
    lines = []
    for row in rows:
        if row["variant"] in ("keras", "float32") or not row["ok"] or not base or not base["ok"]:
            continue
        lines.append(f"{row['name']}: {ratio(base['bytes'], row['bytes'])} smaller than float32 and "
                     f"runs at {ratio(base['latency_median_ms'], row['latency_median_ms'])} its speed (median, batch 1); "
                     f"same top-5 as Keras for {pct(row['agree_top5'])} of texts, macro-F1 "
                     f"{pct(row['macro_f1'])} vs {pct(base['macro_f1'])}.")
    for row in rows:
        if not row["ok"]:
            reason = row["error"]
            if "crashed" in reason:
                reason += (": TensorFlow's calibrator runs the model on sample texts to record every "
                           "activation's range, and it dies on this model's LSTM loop. It ran in a separate "
                           "process, so only that process died")
            lines.append(f"{row['name']} is not available for this model: {reason}.")
    choice = recommended(rows)
    called = choice and (choice["name"] if choice["name"] == choice["variant"] else
                         f"{choice['name']} (quantize=\"{choice['variant']}\")")
    lines.append(f"By these numbers, ship {called}: the smallest file that keeps "
                 f"Keras's top-5 for at least {pct(SHIP_BAR)} of texts." if choice else
                 f"No converted file kept Keras's top-5 for {pct(SHIP_BAR)} of texts: look at the table.")
    return "\n".join(wrap(line) for line in lines)


def restore_quantization(ns: dict) -> None:
    """Step 08.10: the table saved with this very model, instead of converting four times again."""
    from emoji_lab.deploy import quantize

    rows = quantize.load_table(ns["best"])
    if rows is None:
        raise EmojiLabError("no quantization table saved for this model")
    ns["rows"] = rows
    for name in ("quantization_table", "quantization_view"):
        ns[name] = getattr(quantize, name)
    ns["quantization_story"] = quantization_story


# -- 08.13 to 08.15: into the app ------------------------------------------------------------------------------------
def ios_story(ios: Optional[Path]) -> str:
    from emoji_lab.deploy.app import IOS_ENV, app_resources

    if ios is not None:
        return wrap(f"Found the app: {ios}. The export writes its four files into {app_resources(ios)}.")
    return wrap("No ios_starter folder found (not in this folder, not beside the course's source). The files "
                "go to your run's export folder; copy them into ios_starter/EmojiLab/Resources on your Mac, "
                f"or start the course again with {IOS_ENV}=/path/to/ios_starter set.")


def check_exported(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 08.14: `exported` is what export_run returned, its files are on disk, and the app got them."""
    return export_problem(ns.get("exported"), ns["best"], ns.get("ios"), "exported", "best")




def restore_export(ns: dict) -> None:
    """Step 08.14: `exported` rebuilt from the files on disk, never by exporting again over the app."""
    from emoji_lab.deploy.app import exported_from_disk
    from emoji_lab.deploy.export import export_run

    ns["export_run"] = export_run
    ns["exported"] = exported_from_disk(ns["best"], ns.get("ios"))


def predict_command(exported: Mapping[str, Any], text: str = "so tired lol") -> str:
    """The shell command that runs the exported file, as printed for the learner."""
    from emoji_lab.deploy.app import MODEL_FILE

    path = Path(exported["out"]["folder"]) / MODEL_FILE
    return f"python -m emoji_lab predict --model {shlex.quote(str(path))} {shlex.quote(text)}"
