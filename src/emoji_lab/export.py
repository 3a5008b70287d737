"""Lesson 8: a trained run becomes the files an iPhone runs, checked in Python before they leave.

The talk froze its graph (variables folded into constants) for the TensorFlow C++ API. Today a
converter writes one `.tflite` flatbuffer, ops and weights together, for the LiteRT runtime. Two
things make the course's LSTM models convert with builtin ops only (see ../shared/FACTS.md): a static
input signature `[1, max_len]` int32 named `bytes` (a dynamic batch leaves TensorList ops the
converter cannot lower), and dropout outside the LSTM (`emoji_lab.models` uses SpatialDropout1D).

The app's files: `emoji_model.tflite`, `labels.txt` (model output order), `preprocess.json` (the
byte contract) and `golden.json` (texts, their ids and the exported file's own top-5, which the
app's unit tests compare with the phone). A hidden manifest records what was written, so a later
export backs up whatever a learner changed instead of overwriting it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import numpy as np

from .encoders import GOLDEN_TEXTS, PREPROCESS_FILE, ByteEncoder
from .errors import DataError, EmojiLabError
from .litert import LABELS_FILE, LiteModel, agreement, deployment_problems, graph_report  # noqa: F401

MODEL_FILE = "emoji_model.tflite"
GOLDEN_FILE = "golden.json"
APP_FILES = (MODEL_FILE, LABELS_FILE, PREPROCESS_FILE, GOLDEN_FILE)
MANIFEST_FILE = ".emoji_lab_export.json"
INPUT_NAME = "bytes"
IOS_ENV = "EMOJI_LAB_IOS"
VARIANTS = ("float32", "float16", "int8", "int8-full")
APP_VARIANTS = VARIANTS[:3]  # full-integer needs training texts and fails on LSTMs: the lesson's table only
VARIANT_NAMES = {"float32": "float32", "float16": "float16 weights", "int8": "dynamic-range int8",
                 "int8-full": "full-integer int8"}
TOLERANCE = {"float32": 1e-4, "float16": 1e-3, "int8": 5e-3, "int8-full": 1e-2}  # golden.json, phone vs here
REPRESENTATIVE_TEXTS = 200
TABLE_FILE = "quantization.json"  # the lesson's table, beside the variants it measured
GOLDEN_EXTRA = {"talk_sleep": "I wanna go home and go to sleep", "talk_new_year": "happy new year! God Bless",
                "tired": "so tired of this week", "love": "love you so much", "fire": "this beat is fire",
                "christmas": "merry christmas everyone"}


# -- conversion ------------------------------------------------------------------------------------------------------
def input_signature(max_len: int) -> Any:
    """The static input the converter needs: one text of `max_len` byte ids, named `bytes`."""
    from .backend import import_tensorflow

    tf = import_tensorflow()
    return tf.TensorSpec([1, max_len], tf.int32, name=INPUT_NAME)


def error_lines(message: str, limit: int = 3) -> list[str]:
    """The converter's distinct `error:` sentences, without MLIR's source locations."""
    found = []
    for part in str(message).replace("\\n", "\n").split("error: ")[1:]:
        line = re.sub(r"^loc\(.*?\)+: ", "", part.strip().splitlines()[0] if part.strip() else "")
        line = line.split(" For example")[0]  # the converter's suggestion stays, its code sample goes
        if line and line not in found:
            found.append(line)
    return found[:limit] or [str(message).strip().splitlines()[-1][:300]]


@contextlib.contextmanager
def quiet_converter():
    """The converter prints MLIR diagnostics on fd 2 and notes on stdout: keep the learner's console clean."""
    from .backend import quiet_stderr

    with quiet_stderr(), contextlib.redirect_stdout(io.StringIO()):
        yield


def dynamic_batch_failure(model: Any) -> list[str]:
    """Convert with the model's own dynamic batch, as most tutorials do; returns the converter's errors."""
    from .backend import import_tensorflow

    tf = import_tensorflow()
    with quiet_converter():
        try:
            tf.lite.TFLiteConverter.from_keras_model(model).convert()
        except Exception as error:  # ConverterError, but its module path moves between versions
            return error_lines(error)
    return []


def save_static(model: Any, folder: Path, signature: Any) -> Path:
    """A SavedModel of `model` whose only entry point takes exactly `signature`."""
    from .backend import import_tensorflow

    import_tensorflow()
    folder = Path(folder)
    with quiet_converter():
        model.export(str(folder), format="tf_saved_model", input_signature=[signature], verbose=False)
    return folder


def convert(saved_model: Path, variant: str = "float32", representative: Optional[np.ndarray] = None) -> bytes:
    """The .tflite bytes of a SavedModel, as float32 or one of the quantized variants."""
    if variant not in VARIANTS:
        raise EmojiLabError(f"unknown variant {variant!r}: choose one of {', '.join(VARIANTS)}")
    if variant == "int8-full":
        return convert_in_child(saved_model, representative)
    from .backend import import_tensorflow

    tf = import_tensorflow()
    converter = tf.lite.TFLiteConverter.from_saved_model(str(saved_model))
    if variant != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]  # int8 weights, float activations
    if variant == "float16":
        converter.target_spec.supported_types = [tf.float16]
    with quiet_converter():
        try:
            return converter.convert()
        except Exception as error:
            raise EmojiLabError("the converter failed: " + " | ".join(error_lines(error))) from None


def convert_full_int8(saved_model: Path, representative: np.ndarray) -> bytes:
    """Integer weights and activations, calibrated on `representative` byte ids ([n, max_len])."""
    from .backend import import_tensorflow

    tf = import_tensorflow()
    converter = tf.lite.TFLiteConverter.from_saved_model(str(saved_model))
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: ({INPUT_NAME: row[None, :]} for row in representative)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]  # no float fallback
    with quiet_converter():
        return converter.convert()


def convert_in_child(saved_model: Path, representative: Optional[np.ndarray]) -> bytes:
    """Full-integer conversion in a child process: TensorFlow's calibrator crashes the process on LSTM loops."""
    if representative is None or len(representative) == 0:
        raise EmojiLabError("full-integer int8 needs a representative set of training texts")
    folder = Path(saved_model).parent
    ids_path, out_path = folder / "representative.npy", folder / "int8-full.tflite.part"
    np.save(ids_path, np.asarray(representative, dtype=np.int32))
    out_path.unlink(missing_ok=True)
    child = subprocess.run([sys.executable, "-m", "emoji_lab.export", str(saved_model), str(ids_path), str(out_path)],
                           capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        raise EmojiLabError(f"the converter crashed ({name}) while calibrating this model")
    if child.returncode != 0 or not out_path.is_file():
        raise EmojiLabError("the converter failed: " + " | ".join(error_lines(child.stderr or "no output")))
    content = out_path.read_bytes()
    out_path.unlink()
    return content


def representative_ids(ds: Any, encoder: ByteEncoder, n: int = REPRESENTATIVE_TEXTS, seed: int = 2017) -> np.ndarray:
    """A seeded sample of training texts as byte ids, for calibrating full-integer quantization."""
    texts = ds.train.texts
    rows = np.random.default_rng(seed).permutation(len(texts))[:n]
    return encoder.encode_batch([texts[i] for i in rows])


def byte_run(run: Any) -> ByteEncoder:
    """The run's encoder, if the app can repeat it (bytes); a word model has no tokenizer on the phone."""
    if not isinstance(run.encoder, ByteEncoder):
        raise EmojiLabError(f"run {run.name!r} ({run.record.get('model')}) reads words; the app sends bytes: "
                            "export a byte model such as chcnn-blstm")
    return run.encoder


def to_tflite(run: Any, signature: Any = None, variant: str = "float32",
              representative: Optional[np.ndarray] = None) -> bytes:
    """A run's model as .tflite bytes, through a SavedModel with one static entry point (then deleted)."""
    encoder = byte_run(run)
    signature = signature if signature is not None else input_signature(encoder.max_len)
    with tempfile.TemporaryDirectory(prefix="emoji_lab_export_") as tmp:
        return convert(save_static(run.model, Path(tmp) / "saved_model", signature), variant, representative)


# -- the quantization table ------------------------------------------------------------------------------------------
def variant_row(variant: str, content: bytes, run: Any, ds: Any, reference: np.ndarray, runs: int) -> dict:
    """Size, batch-1 latency, validation scores and agreement with Keras of one converted file."""
    from .metrics import evaluate

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
            (folder / f"emoji_model-{variant}.tflite").write_bytes(content)  # kept for the learner to try
            rows.append(variant_row(variant, content, run, ds, reference, runs))
    save_table(run, rows)
    return rows


def model_sha(run: Any) -> str:
    """Identifies the weights a table was measured with (a retrained run gets a new one)."""
    from .runs import MODEL_FILE as KERAS_FILE

    return sha256((run.dir / KERAS_FILE).read_bytes())


def save_table(run: Any, rows: Sequence[dict], name: str = TABLE_FILE, models: Sequence[Any] = ()) -> Path:
    """Rows measured on `run` (and `models`, other runs) saved in its export folder with their weights' sha256."""
    path = run.dir / "export" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"model_sha256": [model_sha(r) for r in (run, *models)], "rows": list(rows)},
                               indent=1) + "\n", encoding="utf-8")
    return path


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
        table.add_row(name, size_text(row.get("bytes")), *ms,
                      *(f"{100 * row[k]:.1f}%" for k in ("top1", "top5", "macro_f1")), *same)
    return table


def size_text(n_bytes: Optional[int]) -> str:
    if n_bytes is None:
        return "?"
    if n_bytes < 1000:
        return f"{n_bytes} B"
    return f"{n_bytes / 1e6:.2f} MB" if n_bytes >= 1e5 else f"{n_bytes / 1e3:.0f} kB"


# -- the app's files -------------------------------------------------------------------------------------------------
def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def golden_examples() -> dict[str, str]:
    """The texts golden.json holds: the encoder's edge cases and a few sentences, never training data."""
    return {**GOLDEN_TEXTS, **GOLDEN_EXTRA}


def golden_file(lite: LiteModel, content: bytes, run: Any, variant: str, k: int = 5) -> dict:
    """golden.json: each text's ids and the exported file's own top-k, for the app's unit tests."""
    examples = []
    for name, text in golden_examples().items():
        ids = lite.encoder.encode(text)
        probs = lite.ids_probabilities(np.array([ids]))[0]
        order = np.argsort(-probs, kind="stable")[:k]
        examples.append({"name": name, "text": text, "ids": ids, "top": [
            {"index": int(i), "emoji": lite.labels[i], "probability": round(float(probs[i]), 7)} for i in order]})
    return {"format_version": 1,
            "model": {"file": MODEL_FILE, "sha256": sha256(content), "bytes": len(content), "quantize": variant,
                      "run": run.name, "architecture": run.record.get("model"),
                      "data": run.record.get("data", {}).get("source")},
            "input": {"name": INPUT_NAME, "shape": [1, lite.encoder.max_len], "dtype": "int32"},
            "output": {"shape": [1, len(lite.labels)], "dtype": "float32"},
            "preprocess": lite.encoder.to_dict(), "labels": lite.labels, "top_k": k,
            "tolerance": TOLERANCE[variant], "examples": examples}


def golden_json(golden: dict) -> str:
    """Readable JSON: one line per top-level key, and one per example."""
    lines = [f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in golden.items()
             if key != "examples"]
    examples = ",\n  ".join(json.dumps(e, ensure_ascii=False) for e in golden["examples"])
    return "{\n" + ",\n".join(lines) + f',\n "examples": [\n  {examples}\n ]\n}}\n'


def app_files(run: Any, content: bytes, variant: str) -> dict[str, bytes]:
    """The four files the app reads, by name."""
    encoder = byte_run(run)
    lite = LiteModel(content, run.labels, encoder)
    return {MODEL_FILE: content,
            LABELS_FILE: "".join(f"{label}\n" for label in run.labels).encode("utf-8"),
            PREPROCESS_FILE: encoder.to_json().encode("utf-8"),
            GOLDEN_FILE: golden_json(golden_file(lite, content, run, variant)).encode("utf-8")}


def read_manifest(folder: Path) -> dict[str, str]:
    """What the last export wrote into `folder`: file name -> sha256 (empty if none or damaged)."""
    try:
        files = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8")).get("files", {})
    except (OSError, json.JSONDecodeError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def write_files(folder: Path, files: dict[str, bytes]) -> dict:
    """Write `files` into `folder`; first back up every existing one that the last export did not write."""
    folder.mkdir(parents=True, exist_ok=True)
    written_before = read_manifest(folder)
    changed = [name for name in files if (folder / name).is_file()
               and sha256((folder / name).read_bytes()) != written_before.get(name)]
    backup = None
    if changed:
        backup = folder / f"backup-{dt.datetime.now():%Y%m%d-%H%M%S}"
        backup.mkdir(parents=True, exist_ok=True)
        for name in changed:
            (backup / name).write_bytes((folder / name).read_bytes())
    for name, data in files.items():
        part = folder / f".{name}.part"
        part.write_bytes(data)
        os.replace(part, folder / name)  # never a half-written file in the app
    manifest = {"format_version": 1, "files": {name: sha256(data) for name, data in files.items()}}
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return {"folder": folder, "files": {name: len(data) for name, data in files.items()},
            "backup": backup, "backed_up": changed}


# -- ios_starter -----------------------------------------------------------------------------------------------------
def app_resources(ios_dir: Path) -> Path:
    """Where the Xcode project expects the four files."""
    return Path(ios_dir) / "EmojiLab" / "Resources"


def check_ios_dir(path: Path) -> Path:
    path = Path(path).expanduser()
    if not (path / "EmojiLab.xcodeproj").is_dir():
        raise DataError(f"{path}: not the ios_starter folder (no EmojiLab.xcodeproj there)")
    return path


def find_ios_starter() -> Optional[Path]:
    """The app to fill: $EMOJI_LAB_IOS, else ./ios_starter, else the one beside this package's source."""
    if os.environ.get(IOS_ENV):
        return check_ios_dir(Path(os.environ[IOS_ENV]))
    for candidate in (Path.cwd() / "ios_starter", Path(__file__).resolve().parents[2] / "ios_starter"):
        if (candidate / "EmojiLab.xcodeproj").is_dir():
            return candidate
    return None


def export_run(run: Any, out: Optional[Path] = None, quantize: str = "float32", ios: Optional[Path] = None) -> dict:
    """Convert, check and write the app's files into `out` (default the run's export/) and into ios_starter."""
    if quantize not in APP_VARIANTS:
        raise EmojiLabError(f"--quantize {quantize}: choose one of {', '.join(APP_VARIANTS)}")
    encoder = byte_run(run)
    ios = check_ios_dir(ios) if ios is not None else None
    out = Path(out or run.dir / "export").expanduser()
    content = to_tflite(run, variant=quantize)
    report = graph_report(content)
    problems = deployment_problems(report, encoder.max_len)
    if problems:
        raise EmojiLabError("this file would not run in the app: " + "; ".join(problems))
    files = app_files(run, content, quantize)
    result = {"run": run.name, "quantize": quantize, "report": report, "out": write_files(out, files), "ios": None}
    if ios is not None:
        result["ios"] = write_files(app_resources(ios), files)
    return result


def on_disk(folder: Path) -> Optional[dict]:
    """An earlier export's files in `folder`, if all are there as the manifest recorded them."""
    manifest = read_manifest(folder)
    sizes = {}
    for name in APP_FILES:
        path = folder / name
        if not path.is_file() or sha256(path.read_bytes()) != manifest.get(name):
            return None
        sizes[name] = path.stat().st_size
    return {"folder": folder, "files": sizes, "backup": None, "backed_up": []}


def exported_from_disk(run: Any, ios: Optional[Path] = None) -> dict:
    """What export_run returned for `run` into its default folder, read back without exporting again."""
    out = on_disk(run.dir / "export")
    if out is None:
        raise EmojiLabError(f"no complete export of {run.name} in {run.dir / 'export'}")
    golden = json.loads((out["folder"] / GOLDEN_FILE).read_text(encoding="utf-8"))
    if golden["model"]["run"] != run.name:
        raise EmojiLabError(f"the export in {out['folder']} is of another run")
    app = on_disk(app_resources(ios)) if ios is not None else None
    if app is not None and read_manifest(app["folder"]) != read_manifest(out["folder"]):
        app = None  # the app holds another export
    return {"run": run.name, "quantize": golden["model"]["quantize"],
            "report": graph_report((out["folder"] / MODEL_FILE).read_bytes()), "out": out, "ios": app}


def written_lines(result: dict) -> list[str]:
    """Exactly what an export wrote, and what it backed up."""
    lines = []
    for place in (result["out"], result["ios"]):
        if place is None:
            continue
        lines += [f"wrote {place['folder'] / name} ({size_text(n)})" for name, n in place["files"].items()]
        if place["backup"] is not None:
            lines.append(f"backed up your changed {', '.join(place['backed_up'])} to {place['backup']}")
    return lines


NEXT_STEPS = """Next, on your Mac (ios_starter/README.md has every step):
  1. cd {ios} && pod install          (once: fetches TensorFlowLiteSwift 2.17)
  2. open EmojiLab.xcworkspace        (the workspace, not the .xcodeproj)
  3. Signing & Capabilities: choose your team (a free Apple ID works) and a bundle identifier of your own
  4. plug in your iPhone, pick it as the destination, and press Run (Cmd-R)"""


def next_steps(ios: Optional[Path]) -> str:
    if ios is None:
        return ("No ios_starter folder was filled: pass --ios PATH (the folder with EmojiLab.xcodeproj), "
                f"or set {IOS_ENV}.")
    return NEXT_STEPS.format(ios=ios)


def _child(argv: list[str]) -> int:
    """`python -m emoji_lab.export SAVED_MODEL IDS.npy OUT`: convert_in_child's other side."""
    saved_model, ids_path, out_path = argv
    Path(out_path).write_bytes(convert_full_int8(Path(saved_model), np.load(ids_path)))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
