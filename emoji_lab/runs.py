"""Trained runs on disk: one folder per run, so a lesson can reload a model instead of training it again.

Layout: `<runs_root>/<data tag>/<run name>/` holds `best.keras` (the best weights), `record.json`
(config, data fingerprint, metrics per epoch), the encoder (`preprocess.json` for bytes,
`words.json` for the word model) and TensorBoard's `train/` and `validation/` logs, so that
`tensorboard --logdir <runs_root>/<data tag>` shows every run on that data by its name.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from . import metrics, paths
from .encoders import PREPROCESS_FILE, ByteEncoder, WordEncoder
from .errors import DataError, EmojiLabError

MODEL_FILE = "best.keras"
RECORD_FILE = "record.json"
WORDS_FILE = "words.json"
RUN_FILES = (MODEL_FILE, RECORD_FILE, PREPROCESS_FILE, WORDS_FILE)
LOG_FOLDERS = ("train", "validation")
PREDICT_BATCH = 256
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def data_tag(data: str) -> str:
    """The folder a data source's runs live in: sample, tweeteval, or the own file's stem."""
    if data in ("sample", "tweeteval") or data.startswith("tweeteval:"):
        return data.split(":", 1)[0]
    return Path(data).stem or "data"


def run_dir(name: str, data: str = "sample", runs_root: Path | None = None) -> Path:
    """Where the run called `name` on `data` lives (whether or not it exists yet)."""
    if not NAME.fullmatch(name):
        raise EmojiLabError(f"run name {name!r}: use letters, digits, '.', '-' and '_' only")
    return Path(runs_root or paths.runs_dir()) / data_tag(data) / name


def tensorboard_command(data: str = "sample", runs_root: Path | None = None) -> str:
    """The shell command that shows every run on `data` in TensorBoard."""
    folder = Path(runs_root or paths.runs_dir()) / data_tag(data)
    return f"tensorboard --logdir {shlex.quote(str(folder))}"


def list_runs(data: str = "sample", runs_root: Path | None = None) -> list[dict]:
    """The records of every finished run on `data`, oldest first."""
    folder = Path(runs_root or paths.runs_dir()) / data_tag(data)
    records = []
    for path in sorted(folder.glob(f"*/{RECORD_FILE}")):
        try:
            records.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            continue  # a run still being written, or damaged: not listed
    return sorted(records, key=lambda r: (r.get("created", ""), r.get("name", "")))


def fingerprint(ds: Any) -> str:
    """sha256 of the classes and the train and val texts with their labels: same data, same fingerprint."""
    digest = hashlib.sha256(json.dumps(list(ds.labels), ensure_ascii=False).encode("utf-8"))
    for split in ("train", "val"):
        digest.update(f"\n[{split}]\n".encode())
        for text, label in zip(ds.splits[split].texts, ds.splits[split].y.tolist()):
            digest.update(f"{label}\t{text}\n".encode("utf-8"))
    return digest.hexdigest()


def clear_run(folder: Path) -> None:
    """Remove what an earlier run of the same name left (only emoji_lab's own files), so logs never mix."""
    for name in RUN_FILES:
        (folder / name).unlink(missing_ok=True)
    for name in LOG_FOLDERS:
        shutil.rmtree(folder / name, ignore_errors=True)


def save_encoder(encoder: Any, folder: Path) -> dict:
    """Write the encoder beside the model; returns its entry for the record."""
    if isinstance(encoder, WordEncoder):
        data = {"max_len": encoder.max_len, "vocabulary": encoder.vocabulary}
        (folder / WORDS_FILE).write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
        return {"kind": "words", "file": WORDS_FILE, "vocab_size": encoder.vocab_size, "max_len": encoder.max_len}
    encoder.save(folder)
    return {"kind": "bytes", "file": PREPROCESS_FILE, "vocab_size": encoder.vocab_size, "max_len": encoder.max_len}


def load_encoder(folder: Path, entry: dict) -> Any:
    """The encoder a run was trained with."""
    if entry.get("kind") == "words":
        try:
            data = json.loads((folder / WORDS_FILE).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            raise EmojiLabError(f"{folder}: {WORDS_FILE} is missing or damaged; train the run again") from None
        return WordEncoder(data["vocabulary"], data["max_len"])
    return ByteEncoder.load(folder / PREPROCESS_FILE)


def write_record(folder: Path, record: dict) -> Path:
    path = folder / RECORD_FILE
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


@dataclass(repr=False)
class Run:
    """A trained model with what it needs to predict: its classes, its encoder and its record."""

    name: str
    dir: Path
    model: Any  # keras.Model with the best weights
    labels: list[str]
    record: dict
    encoder: Any  # ByteEncoder or WordEncoder

    def __repr__(self) -> str:
        """One line at the prompt, not the whole record."""
        val, epochs = self.record.get("val") or {}, len(self.record.get("epochs", []))
        scores = (f"val top-1 {val['top1']:.1%}, top-5 {val['top5']:.1%}, macro-F1 {val['macro_f1']:.1%}"
                  if val else "no validation scores")
        return (f"<Run {self.name} ({self.record.get('model', '?')}): {scores}; "
                f"kept epoch {self.record.get('best_epoch')} of {epochs}>")

    def probabilities(self, texts: Sequence[str] | str) -> np.ndarray:
        """[n, classes] probabilities, one row per text (a single string counts as one text)."""
        texts = [texts] if isinstance(texts, str) else list(texts)
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        x = self.encoder.encode_batch(texts)  # [n, max_len] int32
        if len(texts) <= PREDICT_BATCH:  # one compiled call: fast enough for a live widget
            return np.asarray(self.model.predict_on_batch(x))
        return self.model.predict(x, batch_size=PREDICT_BATCH, verbose=0)

    def top(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The k most likely emoji for `text` with their probabilities, best first (ties: more popular first)."""
        probs = self.probabilities([text])[0]
        order = np.argsort(-probs, kind="stable")[:k]
        return [(self.labels[i], float(probs[i])) for i in order]

    def evaluate(self, ds: Any, split: str = "val") -> dict:
        """top-1, top-5, macro-F1 and per-class scores on one split of `ds` (metrics.evaluate)."""
        data = check_split(ds, split)
        if list(ds.labels) != list(self.labels):
            raise EmojiLabError(f"run {self.name!r} predicts other emoji classes than {ds.source} has: "
                                f"evaluate it on the data it was trained on")
        return metrics.evaluate(data.y, self.probabilities(data.texts), self.labels)


def check_split(ds: Any, split: str) -> Any:
    """The split called `split`, or a one-line error naming the splits there are."""
    if split not in ds.splits:
        raise DataError(f"{ds.source} has no {split} split (it has {', '.join(ds.splits)})")
    return ds.splits[split]


def check_run_dir(path: Path) -> Path:
    """A folder that holds a run, or a one-line error saying what is missing (before TensorFlow loads)."""
    path = Path(path).expanduser()
    missing = [name for name in (RECORD_FILE, MODEL_FILE) if not (path / name).is_file()]
    if missing:
        what = "no such folder" if not path.is_dir() else f"no {' or '.join(missing)} there"
        raise EmojiLabError(f"{path}: {what}; a run folder is what `python -m emoji_lab train --out DIR` writes")
    return path


def open_run(path: Path) -> Run:
    """The run in a folder: model with its best weights, classes, encoder and record."""
    path = check_run_dir(path)
    try:
        record = json.loads((path / RECORD_FILE).read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise EmojiLabError(f"{path / RECORD_FILE}: damaged (not JSON); train the run again") from None
    from .backend import import_tensorflow

    import_tensorflow()
    import keras

    from . import gram_layers  # noqa: F401  (registers lesson 9's layers, which loading its runs needs)

    model = keras.models.load_model(path / MODEL_FILE, compile=False)
    encoder = load_encoder(path, record.get("encoder", {}))
    return Run(record.get("name", path.name), path, model, list(record["labels"]), record, encoder)


def load_run(name: str, data: str = "sample", runs_root: Path | None = None) -> Run:
    """A run trained earlier on `data` under `name` (the REPL's restore instead of retraining)."""
    return open_run(run_dir(name, data, runs_root))


def compare_rows(records: Iterable[dict]) -> list[dict]:
    """One flat row per run record, for comparison tables and charts: scores, size, speed."""
    return [{"name": r["name"], "model": r["model"], "val_top1": r["val"]["top1"], "val_top5": r["val"]["top5"],
             "val_macro_f1": r["val"]["macro_f1"], "params": r["params"], "model_file_bytes": r["model_file_bytes"],
             "seconds_per_epoch": r["seconds_per_epoch"], "epochs": len(r["epochs"]), "best_epoch": r["best_epoch"],
             "interrupted": r["interrupted"]}
            for r in records]


class TensorBoardLog:
    """Per-epoch scalars and the model's layer graph in TensorBoard's layout (train/, validation/).

    Written with TensorFlow's own `tf.summary.write`: Keras's TensorBoard callback needs the separate
    `tensorboard` package even to write, which only viewing the logs should need.
    """

    def __init__(self, tf: Any, folder: Path, model: Any):
        self.tf = tf
        self.writers = {split: tf.summary.create_file_writer(str(folder / split)) for split in LOG_FOLDERS}
        self.scalar = tf.compat.v1.SummaryMetadata()
        self.scalar.plugin_data.plugin_name = "scalars"
        graph = tf.compat.v1.SummaryMetadata()
        graph.plugin_data.plugin_name, graph.plugin_data.content = "graph_keras_model", b"1"
        with self.writers["train"].as_default():
            tf.summary.write("keras", model.to_json(), step=0, metadata=graph)  # TensorBoard's Graph tab

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """Keras's tag names: epoch_loss in train/ and validation/, so TensorBoard overlays the two."""
        for key, value in logs.items():
            split = "validation" if key.startswith("val_") else "train"
            with self.writers[split].as_default():
                self.tf.summary.write(f"epoch_{key.removeprefix('val_')}", self.tf.constant(float(value)),
                                      step=epoch, metadata=self.scalar)
        for writer in self.writers.values():
            writer.flush()

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
