"""A trained run becomes the files an iPhone runs: converted to `.tflite` with builtin LiteRT ops only, checked
in Python with the same runtime before it leaves (`emoji_lab.deploy.app` writes the app's files).

The talk froze its graph (variables folded into constants) for the TensorFlow C++ API. Today a
converter writes one `.tflite` flatbuffer, ops and weights together, for the LiteRT runtime. Two
things make the course's LSTM models convert with builtin ops only: a static input signature
`[1, max_len]` int32 named `bytes` (with a dynamic batch, an LSTM's loop leaves TensorList ops that
the converter cannot lower, and its suggestion, Select TF ops, costs an app tens of megabytes), and
dropout outside the LSTM (`LSTM(dropout=...)` leaves a random-seed variable in the graph;
`emoji_lab.models.registry` uses SpatialDropout1D).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

import numpy as np

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data.encoders import PREPROCESS_FILE, ByteEncoder
from emoji_lab.deploy.app import (APP_VARIANTS, INPUT_NAME, app_files, app_resources, check_destination, check_ios_dir,
                                  write_files)
from emoji_lab.deploy.litert import check_contract, deployment_problems, graph_report
from emoji_lab.training.keyboard import Adjustment
from emoji_lab.training.runs import RECORD_FILE

VARIANTS = (*APP_VARIANTS, "int8-full")  # full-integer needs training texts and fails on LSTMs: lesson 8's table only


VARIANT_NAMES = {"float32": "float32", "float16": "float16 weights", "int8": "dynamic-range int8",
                 "int8-full": "full-integer int8"}

REPRESENTATIVE_TEXTS = 200


def input_signature(max_len: int) -> Any:
    """The static input the converter needs: one text of `max_len` byte ids, named `bytes`."""
    from emoji_lab.common.backend import import_tensorflow

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
    from emoji_lab.common.backend import quiet_stderr

    with quiet_stderr(), contextlib.redirect_stdout(io.StringIO()):
        yield


def dynamic_batch_failure(model: Any) -> list[str]:
    """Convert with the model's own dynamic batch, as most tutorials do; returns the converter's errors."""
    from emoji_lab.common.backend import import_tensorflow

    tf = import_tensorflow()
    with quiet_converter():
        try:
            tf.lite.TFLiteConverter.from_keras_model(model).convert()
        except Exception as error:  # ConverterError, but its module path moves between versions
            return error_lines(error)
    return []


def save_static(model: Any, folder: Path, signature: Any) -> Path:
    """A SavedModel of `model` whose only entry point takes exactly `signature`."""
    from emoji_lab.common.backend import import_tensorflow

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
    from emoji_lab.common.backend import import_tensorflow

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
    from emoji_lab.common.backend import import_tensorflow

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
    child = subprocess.run([sys.executable, "-m", "emoji_lab.deploy.export", str(saved_model), str(ids_path),
                            str(out_path)],
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
    """The run's encoder, if a .tflite file can take its input: bytes (a word model has no tokenizer on the phone)."""
    if not isinstance(run.encoder, ByteEncoder):
        raise EmojiLabError(f"run {run.name!r} ({run.record.get('model')}) reads words; the app sends bytes: "
                            "export a byte model such as chcnn-blstm")
    return run.encoder


def adjusted_model(run: Any, adjust: Any) -> Any:
    """A copy of the run's Keras model with the prior adjustment (`emoji_lab.training.keyboard.Adjustment`) added to
    its last layer's bias: its softmax then gives exactly `adjust.apply` of the run's probabilities."""
    import keras

    layer = run.model.layers[-1]
    if not isinstance(layer, keras.layers.Dense) or layer.bias is None or layer.units != len(adjust.shares):
        raise EmojiLabError(f"run {run.name!r} does not end in a Dense layer with a bias per emoji: its ranking "
                            "cannot be adjusted in the file")
    copy = keras.models.clone_model(run.model)
    copy.set_weights(run.model.get_weights())
    kernel, bias = copy.layers[-1].get_weights()
    copy.layers[-1].set_weights([kernel, bias + adjust.bias()])
    return copy


def to_tflite(run: Any, signature: Any = None, variant: str = "float32",
              representative: Optional[np.ndarray] = None, adjust: Any = None) -> bytes:
    """A run's model as .tflite bytes, through a SavedModel with one static entry point (then deleted); with
    `adjust`, its ranking adjusted for the keyboard (`adjusted_model`)."""
    encoder = byte_run(run)
    signature = signature if signature is not None else input_signature(encoder.max_len)
    model = adjusted_model(run, adjust) if adjust is not None and adjust.tau else run.model
    with tempfile.TemporaryDirectory(prefix="emoji_lab_export_") as tmp:
        return convert(save_static(model, Path(tmp) / "saved_model", signature), variant, representative)


def export_run(run: Any, out: Optional[Path] = None, quantize: str = "float32", ios: Optional[Path] = None,
               adjust: Any = None) -> dict:
    """Convert, check and write the app's files into `out` (default the run's export/) and into ios_starter; with
    `adjust` (a `keyboard.Choice` or `Adjustment`), the ranking chosen for the keyboard folded into the file."""
    if quantize not in APP_VARIANTS:
        raise EmojiLabError(f"quantize={quantize!r}: choose one of {', '.join(APP_VARIANTS)}")
    encoder = byte_run(run)
    if encoder.cleaning is None:  # it learned from a residue the phone never sends, and the app cleans every text
        raise EmojiLabError(f"run {run.name!r} was trained on the text as published (--keep-published): export a "
                            "run trained on cleaned text")
    ios = check_ios_dir(ios) if ios is not None else None
    out = check_destination(Path(out or run.dir / "export"))
    adjust = getattr(adjust, "adjustment", adjust)  # a keyboard.Choice holds its Adjustment
    if adjust is not None and not isinstance(adjust, Adjustment):
        raise EmojiLabError(f"adjust={adjust!r}: give what `choose(run, ds)` returns, or None")
    if adjust is not None and len(adjust.shares) != len(run.labels):
        raise EmojiLabError(f"that adjustment has {len(adjust.shares)} emoji shares; run {run.name!r} has "
                            f"{len(run.labels)} emoji: choose it for this run")
    content = to_tflite(run, variant=quantize, adjust=adjust)
    report = graph_report(content)
    problems = deployment_problems(report, encoder.max_len)
    if problems:
        raise EmojiLabError("this file would not run in the app: " + "; ".join(problems))
    check_contract(report, encoder, run.labels, (str(run.dir / PREPROCESS_FILE), str(run.dir / RECORD_FILE)),
                   run.record.get("encoder", {}).get("vocab_size"))  # the run's own files, before any is written
    files = app_files(run, content, quantize, adjust)
    result = {"run": run.name, "quantize": quantize, "adjustment": adjust.as_dict() if adjust else None,
              "report": report, "out": write_files(out, files), "ios": None}
    if ios is not None:
        result["ios"] = write_files(app_resources(ios), files)
    return result


def _child(argv: list[str]) -> int:
    """`python -m emoji_lab.deploy.export SAVED_MODEL IDS.npy OUT`: convert_in_child's other side."""
    saved_model, ids_path, out_path = argv
    Path(out_path).write_bytes(convert_full_int8(Path(saved_model), np.load(ids_path)))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
