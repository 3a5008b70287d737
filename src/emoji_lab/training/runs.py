"""Trained runs on disk: one folder per run, so a lesson can reload a model instead of training it again.

Layout: `<runs_root>/<data tag>/<run name>/` holds `best.keras` (the best weights), `record.json`
(config, data fingerprint, metrics per epoch), the encoder (`preprocess.json` for bytes,
`words.json` for the word model) and TensorBoard's `train/` and `validation/` logs, so that
`tensorboard --logdir <runs_root>/<data tag>` shows every run on that data by its name.

A run is built in a hidden folder beside its place and moved there only once it is complete
(`building`): Ctrl-C, a kill or a crash during training leaves the earlier run exactly as it was, or
no run where there was none, never a half-run that reads as one. The earlier run's `export/` (what
the learner exported and maybe changed there) goes on into the new run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from emoji_lab.common import paths
from emoji_lab.common.errors import DataError, EmojiLabError
from emoji_lab.common.files import alive, write_whole
from emoji_lab.data.cleaning import TextCleaner
from emoji_lab.data.encoders import PREPROCESS_FILE, ByteEncoder, WordEncoder
from emoji_lab.data.source import Source, as_source
from emoji_lab.training import metrics

MODEL_FILE = "best.keras"
RECORD_FILE = "record.json"
WORDS_FILE = "words.json"
RUN_FILES = (MODEL_FILE, RECORD_FILE, PREPROCESS_FILE, WORDS_FILE)
LOG_FOLDERS = ("train", "validation")
EXPORT_FOLDER = "export"  # what `export` writes from the run (emoji_lab.deploy.export)
YARDSTICK_FILE = "yardstick.npy"  # a distilled student keeps its second teacher (emoji_lab.training.distill)
OURS = {*RUN_FILES, *LOG_FOLDERS, EXPORT_FOLDER, YARDSTICK_FILE, "saving-" + MODEL_FILE}  # all a run folder may hold
PREDICT_BATCH = 256
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def runs_of(data: Source | str = "sample", runs_root: Path | None = None) -> Path:
    """The folder of every run on `data` (a Source, or what a person typed)."""
    return Path(runs_root or paths.runs_dir()) / as_source(data).tag


def run_dir(name: str, data: Source | str = "sample", runs_root: Path | None = None) -> Path:
    """Where the run called `name` on `data` lives (whether or not it exists yet)."""
    if not NAME.fullmatch(name):
        raise EmojiLabError(f"run name {name!r}: use letters, digits, '.', '-' and '_' only")
    return runs_of(data, runs_root) / name


def tensorboard_command(data: Source | str = "sample", runs_root: Path | None = None) -> str:
    """The shell command that shows every run on `data` in TensorBoard."""
    return f"tensorboard --logdir {shlex.quote(str(runs_of(data, runs_root)))}"


def list_runs(data: Source | str = "sample", runs_root: Path | None = None) -> list[dict]:
    """The records of every finished run on `data`, oldest first."""
    folder = runs_of(data, runs_root)
    records = []
    for path in sorted(folder.glob(f"[!.]*/{RECORD_FILE}")):  # not the hidden folders of runs being built
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue  # damaged: not listed
        if not record.get("interrupted"):  # an earlier version kept interrupted trainings as runs
            records.append(record)
    return sorted(records, key=lambda r: (r.get("created", ""), r.get("name", "")))


def fingerprint(ds: Any) -> str:
    """sha256 of the classes and the train and val texts with their labels: same data, same fingerprint."""
    digest = hashlib.sha256(json.dumps(list(ds.labels), ensure_ascii=False).encode("utf-8"))
    for split in ("train", "val"):
        digest.update(f"\n[{split}]\n".encode())
        for text, label in zip(ds.splits[split].texts, ds.splits[split].y.tolist()):
            digest.update(f"{label}\t{text}\n".encode("utf-8"))
    return digest.hexdigest()


def trained_on(record: dict, ds: Any) -> bool:
    """Whether a run's record says it was trained on exactly `ds` (the same classes, training and validation texts)."""
    data = record.get("data")
    return isinstance(data, dict) and data.get("fingerprint") == fingerprint(ds)


def check_run_folder(folder: Path) -> Path:
    """A place a run may be written: absent, empty, or an earlier run (only files a run holds), else one line."""
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise EmojiLabError(f"{folder} is a file, not a run folder: choose another --out")
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in OURS) if folder.is_dir() else []
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise EmojiLabError(f"{folder} holds files that are not a run's ({shown}): a new run would replace the "
                            "folder whole, so choose an empty or new folder")
    for name in LOG_FOLDERS:
        logs = folder / name
        if logs.is_dir() and any(not p.name.startswith("events.out.tfevents.") for p in logs.iterdir()):
            raise EmojiLabError(f"{logs} holds files that are not TensorBoard logs: a new run would replace it, "
                                "so choose an empty or new folder")
    return folder


def _leftovers(folder: Path, kind: str) -> list[Path]:
    """Hidden folders beside `folder` that a process now gone left while building or replacing it."""
    found, prefix = [], f".{folder.name}.{kind}-"
    for path in folder.parent.iterdir() if folder.parent.is_dir() else ():
        if path.name.startswith(prefix):
            pid = path.name[len(prefix):].split("-")[0]
            if pid.isdigit() and not alive(int(pid)):
                found.append(path)
    return found


def _recover(folder: Path) -> None:
    """Undo what a killed process left: its half-built runs go; a run it was replacing comes back, or, replaced
    already, hands its export/ on (kept aside while the new run has one)."""
    for path in _leftovers(folder, "building"):
        shutil.rmtree(path, ignore_errors=True)
    for path in _leftovers(folder, "replaced"):
        if not folder.exists():
            os.rename(path, folder)
        elif _hand_on_export(path, folder) or not _has_export(path):
            shutil.rmtree(path, ignore_errors=True)


def _has_export(folder: Path) -> bool:
    export = folder / EXPORT_FOLDER
    return export.exists() or export.is_symlink()


def _hand_on_export(earlier: Path, run: Path) -> bool:
    """Move the earlier run's export/ (a link too) into the new run, unless it has none or the new run has one."""
    if not _has_export(earlier) or _has_export(run):
        return False
    os.rename(earlier / EXPORT_FOLDER, run / EXPORT_FOLDER)
    return True


@contextlib.contextmanager
def sigint_held(replay: bool = True) -> Iterator[list]:
    """Ctrl-C waits until the block ends (two renames, a cleanup), so it cannot cut it in half; with `replay`,
    one pressed meanwhile takes effect then, else (already stopping) it is dropped. The block gets the list of
    presses so far, to end its work early when it is no longer empty."""
    pending: list[Any] = []
    if threading.current_thread() is not threading.main_thread():
        yield pending
        return
    previous = signal.signal(signal.SIGINT, lambda *args: pending.append(args))
    try:
        yield pending
    finally:
        signal.signal(signal.SIGINT, previous)
        if replay and pending and callable(previous):
            previous(*pending[0])


@contextlib.contextmanager
def building(folder: Path) -> Iterator[Path]:
    """A new hidden folder beside `folder` to write a run into; it becomes `folder` when the block ends
    without error, replacing what was there but its export/, which the new run keeps (said in one line: the
    learner may have changed files there). On any error or interruption it is deleted, and `folder` is
    exactly as it was."""
    folder = check_run_folder(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    _recover(folder)
    build = folder.with_name(f".{folder.name}.building-{os.getpid()}-{os.urandom(3).hex()}")
    build.mkdir()
    try:
        yield build
        replaced = folder.with_name(f".{folder.name}.replaced-{os.getpid()}")
        with sigint_held():
            if folder.exists():
                os.rename(folder, replaced)
            os.rename(build, folder)
            handed_on = _hand_on_export(replaced, folder)
        shutil.rmtree(replaced, ignore_errors=True)
        if handed_on:
            print(f"kept {folder / EXPORT_FOLDER} from the earlier run: it was made from the earlier weights, so "
                  "export again to update it", flush=True)
    except BaseException:
        with sigint_held(replay=False):
            shutil.rmtree(build, ignore_errors=True)
        raise


def save_encoder(encoder: Any, folder: Path) -> dict:
    """Write the encoder beside the model; returns its entry for the record."""
    if isinstance(encoder, WordEncoder):
        cleaning = encoder.cleaning.spec() if encoder.cleaning is not None else None
        data = {"max_len": encoder.max_len, "cleaning": cleaning, "vocabulary": encoder.vocabulary}
        (folder / WORDS_FILE).write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
        return {"kind": "words", "file": WORDS_FILE, "vocab_size": encoder.vocab_size, "max_len": encoder.max_len}
    encoder.save(folder)
    return {"kind": "bytes", "file": PREPROCESS_FILE, "vocab_size": encoder.vocab_size, "max_len": encoder.max_len}


def load_encoder(folder: Path, entry: dict) -> Any:
    """The encoder a run was trained with."""
    if entry.get("kind") == "words":
        try:
            data = json.loads((folder / WORDS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # missing, not JSON, not UTF-8
            raise EmojiLabError(f"{folder}: {WORDS_FILE} is missing or damaged; train the run again") from None
        if "cleaning" not in data:
            raise EmojiLabError(f"{folder}: {WORDS_FILE} is from an emoji_lab that fed the model uncleaned text: "
                                "train the run again")
        cleaning = TextCleaner.from_spec(data["cleaning"]) if data["cleaning"] is not None else None
        return WordEncoder(data["vocabulary"], data["max_len"], cleaning)
    return ByteEncoder.load(folder / PREPROCESS_FILE)


def write_record(folder: Path, record: dict) -> Path:
    """The run's record as strict JSON (a NaN is refused, not written as something no JSON reader reads)."""
    return write_whole(folder / RECORD_FILE, json.dumps(record, ensure_ascii=False, indent=1, allow_nan=False) + "\n")


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
    if not len(ds.splits[split]):
        raise DataError(f"{ds.source}'s {split} split is empty: there is nothing to score; use more labelled lines")
    return ds.splits[split]


def check_run_dir(path: Path) -> Path:
    """A folder that holds a run, or a one-line error saying what is missing (before TensorFlow loads). A run that a
    killed process was replacing is put back first, so the next command finds the earlier run or the new one."""
    path = Path(path).expanduser()
    with contextlib.suppress(OSError):
        _recover(path)
    missing = [name for name in (RECORD_FILE, MODEL_FILE) if not (path / name).is_file()]
    if missing:
        what = "no such folder" if not path.is_dir() else f"no {' or '.join(missing)} there"
        raise EmojiLabError(f"{path}: {what}; a run folder is what `python -m emoji_lab train --out DIR` writes")
    return path


def open_run(path: Path) -> Run:
    """The run in a folder: model with its best weights, classes, encoder and record."""
    path = check_run_dir(path)
    record = read_record(path)
    from emoji_lab.common.backend import import_tensorflow

    import_tensorflow()
    import keras

    from emoji_lab.models import gram_layers  # noqa: F401  (registers lesson 9's layers, which loading its runs needs)

    try:
        model = keras.models.load_model(path / MODEL_FILE, compile=False)
    except Exception as exc:  # noqa: BLE001 - a cut or damaged file raises anything from zipfile to ValueError
        raise EmojiLabError(f"{path / MODEL_FILE} cannot be read ({type(exc).__name__}): the run is damaged; "
                            "train it again") from None
    encoder = load_encoder(path, record["encoder"])
    return Run(record.get("name", path.name), path, model, list(record["labels"]), record, encoder)


def read_record(path: Path) -> dict:
    """A run folder's record, checked for what every reader needs; a damaged one or one from another version
    of emoji_lab is one line saying so."""
    try:
        record = json.loads((path / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise EmojiLabError(f"{path / RECORD_FILE}: damaged (not JSON); train the run again") from None
    if not isinstance(record, dict):
        raise EmojiLabError(f"{path / RECORD_FILE}: damaged (not a record); train the run again")
    if record.get("interrupted"):
        raise EmojiLabError(f"{path}: this training was interrupted (an earlier emoji_lab kept it); train it again")
    missing = [key for key in ("model", "labels", "encoder", "val") if key not in record]
    labels = record.get("labels")
    if missing or not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        what = f"has no {', '.join(f'`{key}`' for key in missing)}" if missing else "has no list of labels"
        raise EmojiLabError(f"{path / RECORD_FILE} {what}: the run is damaged or from another version of "
                            "emoji_lab; train it again")
    return record


def load_run(name: str, data: Source | str = "sample", runs_root: Path | None = None) -> Run:
    """A run trained earlier on `data` under `name` (the REPL's restore instead of retraining)."""
    return open_run(run_dir(name, data, runs_root))


def model_sha(run: Run) -> str:
    """The sha256 of a run's saved weights: what every table and export measured from it records, so that a
    reader knows a retrained run from the one it measured."""
    return hashlib.sha256((run.dir / MODEL_FILE).read_bytes()).hexdigest()


def matching_run(model_name: str, ds: Any, quick: bool | None = None) -> Run:
    """The saved run called `model_name`, if it is that model (not another trained under its name), trained on
    exactly this data, and, given `quick`, by the lessons' recipe with at least their budget; else an EmojiLabError
    saying why (the lesson then trains it)."""
    from emoji_lab.models.registry import spec

    run = load_run(model_name, ds.source)
    wanted, found = spec(model_name), run.record.get("model")
    if found != wanted.graph or (wanted.teacher is not None) != ("teachers" in run.record):
        raise EmojiLabError(f"the saved run {model_name!r} is a {found} run"
                            + (" taught by others" if "teachers" in run.record else "") + f", not the {model_name}")
    if not trained_on(run.record, ds):
        raise EmojiLabError(f"the saved run {model_name!r} was trained on other data than {ds.source}")
    if quick is not None and not lessons_budget(run, model_name, quick):
        raise EmojiLabError(f"the saved run {model_name!r} had a smaller budget or another recipe than the lesson's")
    return run


def lessons_budget(run: Run, model_name: str, quick: bool) -> bool:
    """Whether `run` was trained by the lessons' recipe with at least the minutes of this budget (a full run serves
    a quick lesson)."""
    from emoji_lab.models.registry import spec

    wanted = spec(model_name)
    config, plan = run.record.get("config", {}), wanted.budget(quick).as_dict()
    same = all(config.get(key) == plan[key] for key in ("epochs", "max_train", "batch_size")) and \
        config.get("learning_rate") == wanted.learning_rate and \
        config.get("class_weight_power") == wanted.class_weight_power and \
        config.get("targets") == "one-hot labels" and config.get("start_from") is None
    minutes, budget = config.get("minutes"), plan["minutes"]
    return same and (minutes is None or (budget is not None and minutes >= budget))


def restore_runs(ns: dict, runs: dict[str, str], imports: dict[str, tuple[str, str]]) -> None:
    """Put back into a lesson's namespace what a training step made: its runs (reloaded: the same model, data and
    budget only) and the names it imported (name -> (module, attribute))."""
    import importlib

    for name, (module, attribute) in imports.items():
        ns[name] = getattr(importlib.import_module(module), attribute)
    for name, model_name in runs.items():
        ns[name] = matching_run(model_name, ns["ds"], bool(ns.get("QUICK", False)))


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
