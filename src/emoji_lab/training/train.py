"""Training a course model: `model.fit` with a live display, early stopping, the best checkpoint kept,
TensorBoard logs and a record of the run. The run is built aside and kept only when the training ends
by itself: Ctrl-C discards it and leaves the earlier run of the same name as it was (`runs.building`).

What is trained, for how long and where it is kept is a `Plan` (`emoji_lab.training.plan`); the model's own
recipe (learning rate, class weights, fixed epochs) is its registry entry. Two things make it fit a lesson's
minutes on a 2-core laptop: batches of similar length with their padding trimmed (`emoji_lab.training.batches`),
and validation as one pass over the val split per epoch in our own hook, which adds val loss, top-1, top-5 and
macro-F1 to Keras's epoch logs before EarlyStopping and TensorBoard read them.

Every model weighs each training text by its emoji's inverse frequency to a power (`class_weights`,
`ModelSpec.class_weight_power`): unweighted, a model learns to answer the common emoji. It keeps the epoch with
the highest val macro-F1 and stops when that has not improved for the plan's patience, or when another epoch would
pass the budget's minutes (`Clock`): with rare emoji weighted up, the (unweighted) val loss can rise while macro-F1
still improves, and stopping on the loss would stop too soon. A `fixed_epochs` model (lesson 9's bag of n-grams)
chooses no epoch at all: it trains its whole budget with the learning rate decayed to 0 (cosine) and keeps the
last epoch, because on TweetEval an epoch picked on validation picked memorising (the measurements are in
bench/results and the workshop guide's chapter 9).

A student (`Teaching`) trains on probabilities instead of class ids (`emoji_lab.training.distill`); class
weights still follow each text's true label.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

import numpy as np

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.files import WriteError
from emoji_lab.common.formatting import say
from emoji_lab.data.cleaning import text_cleaner
from emoji_lab.data.dataset import training_rows
from emoji_lab.data.encoders import ByteEncoder, WordEncoder
from emoji_lab.models import registry as models
from emoji_lab.training import metrics
from emoji_lab.training.batches import predict_trimmed, training_data
from emoji_lab.training.display import TrainingDisplay
from emoji_lab.training.plan import Plan, Teaching
from emoji_lab.training.runs import (MODEL_FILE, Run, TensorBoardLog, building, check_run_folder, fingerprint, run_dir,
                                     save_encoder, sigint_held, write_record)

MAX_WORDS = 100_000  # the seed's word vocabulary (lesson 3's 51.2 MB)
HOOKS = ("on_epoch_begin", "on_train_batch_end", "on_epoch_end")
def train(what: Plan | str, ds: Any, *, quick: bool = False, progress: bool = True, callbacks: Sequence[Any] = (),
          start_from: Optional[Run] = None, taught: Optional[Teaching] = None) -> Run:
    """Train what `what` plans (a `Plan`, or a model's name: its lesson budget, quick or not) on `ds` and keep the run
    under its name (or in the plan's `out`); returns the kept model.

    `callbacks` are extra Keras callbacks, run after the course's own. `start_from`: a run of the same model whose
    weights (and encoder) the training starts from, instead of fresh ones. `taught`: a student's targets, teachers
    and what else its run keeps.
    """
    plan = what if isinstance(what, Plan) else Plan.of(what, quick)
    spec, budget, graph = plan.spec, plan.budget, plan.spec.graph
    if start_from is not None and start_from.record.get("model") != graph:
        raise EmojiLabError(f"a {graph} can start only from a {graph} run, "
                            f"not {start_from.record.get('model', start_from.name)!r}")
    if start_from is not None and list(start_from.labels) != list(ds.labels):
        raise EmojiLabError(f"{start_from.name!r} answers with other emoji (or in another order) than "
                            f"{ds.source}'s {' '.join(ds.labels)}: it cannot start this training")
    folder = check_run_folder(Path(plan.out) if plan.out else run_dir(plan.run_name, ds.source, plan.runs_root))
    name = plan.run_name
    check_splits(ds)
    from emoji_lab.common.backend import import_tensorflow

    tf = import_tensorflow()
    seed = plan.seed
    rows = training_rows(len(ds.train), budget.max_train, seed)
    texts, y = [ds.train.texts[i] for i in rows], np.asarray(ds.train.y)[rows]
    targets = None if taught is None else soft_targets(taught.targets, len(ds.train), len(ds.labels))[rows]
    if start_from is not None:  # its weights are for its encoder: a word model keeps the run's vocabulary
        encoder = start_from.encoder
    else:
        cleaning = text_cleaner() if ds.cleaned else None  # the texts' own cleaning, repeated at every prediction
        encoder = (WordEncoder.fit(texts, max_words=MAX_WORDS, cleaning=cleaning) if spec.input == "words"
                   else ByteEncoder(cleaning=cleaning))
    steps = -(-len(texts) // budget.batch_size)  # batches per epoch, the last one maybe short
    trainer = compiled_model(spec, len(ds.labels), encoder, seed, soft=targets is not None,
                             decay_steps=steps * budget.epochs)
    if start_from is not None:
        trainer.set_weights(start_from.model.get_weights())
    fixed_length = models.build_model(spec.name, len(ds.labels), max_len=encoder.max_len,
                                      vocab_size=encoder.vocab_size)  # what the phone runs: 128 ids in
    monitor = Monitor.of(spec)
    weights = row_weights(y, len(ds.labels), spec.class_weight_power)
    data = training_data(tf, encoder.encode_batch(texts), y if targets is None else targets, budget.batch_size,
                         seed, weights)
    had_run = (folder / "record.json").is_file()
    with building(folder) as build, interrupted_note(folder, had_run), disk_errors(folder, had_run):
        log = EpochLog(trainer, fixed_length, encoder.encode_batch(ds.val.texts), ds.val.y, build / MODEL_FILE,
                       monitor)
        display = (TrainingDisplay(budget.epochs, steps, lambda: None if monitor.last else log.best_epoch,
                                   budget.minutes) if progress else None)
        started = time.perf_counter()
        clock = Clock(trainer, budget.minutes, budget.epochs)
        fit(trainer, data, budget.epochs, seed, [log, clock, TensorBoardLog(tf, build, fixed_length), display],
            list(callbacks), monitor, plan.patience)
        log.keep_best()
        record = {
            "name": name, "model": graph, "summary": spec.summary,
            "config": {**budget.as_dict(), "seed": seed, "learning_rate": spec.learning_rate,
                       "patience": plan.patience,
                       "learning_rate_schedule": "cosine to 0" if spec.fixed_epochs else "constant",
                       "class_weight_power": spec.class_weight_power,
                       "kept_by": "last epoch" if monitor.last else monitor.key,
                       "targets": "one-hot labels" if targets is None else "probabilities",
                       "start_from": None if start_from is None else start_from.name},
            "data": {"source": str(ds.source), **({"options": ds.source.options()} if ds.source.options() else {}),
                     "fingerprint": fingerprint(ds),
                     "sizes": {"train": len(ds.train), "val": len(ds.val), "trained_on": len(texts)}},
            "labels": list(ds.labels), "encoder": save_encoder(encoder, build),
            "params": int(fixed_length.count_params()),
            "trainable_params": int(sum(np.prod(w.shape) for w in fixed_length.trainable_weights)),
            "model_file_bytes": (build / MODEL_FILE).stat().st_size,
            "epochs": log.epochs, "best_epoch": log.best_epoch, "seconds_per_epoch": log.seconds_per_epoch(),
            "seconds": round(time.perf_counter() - started, 2), "val": log.best_scores(),
            "stopped_early": len(log.epochs) < budget.epochs,
            "stopped_by": stopped_by(len(log.epochs), budget.epochs, clock.stopped),
            "versions": {"tensorflow": tf.__version__, "keras": sys.modules["keras"].__version__},
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            **({"teachers": taught.teachers} if taught is not None and taught.teachers else {}),
        }
        if taught is not None and taught.keep is not None:
            taught.keep(build)
        write_record(build, record)
    if display:
        display.summary(record, monitor)
    return Run(name, folder, fixed_length, list(ds.labels), record, encoder)


MIN_SPLIT = 2  # texts a training or validation split needs at least: the kept epoch is chosen on validation


def check_splits(ds: Any) -> None:
    """Data too small to train on is one line before any work: a run is kept by its validation scores."""
    for split in ("train", "val"):
        if len(ds.splits[split]) < MIN_SPLIT:
            raise EmojiLabError(f"{ds.source} has {len(ds.train):,} training and {len(ds.val):,} validation "
                                f"texts: training needs at least {MIN_SPLIT} of each (the best epoch is chosen on "
                                "validation); use more labelled lines")


def _what_stays(folder: Path, had_run: bool) -> str:
    return f"the earlier run in {folder} is unchanged" if had_run else "no run was saved"


@contextlib.contextmanager
def interrupted_note(folder: Path, had_run: bool) -> Iterator[None]:
    """On Ctrl-C, one line saying that this training is discarded and what is kept, then the interrupt goes on."""
    try:
        yield
    except KeyboardInterrupt:
        with sigint_held(replay=False):  # pressed again while stopping: already stopping
            say(f"\ninterrupted (Ctrl-C): this training is discarded; {_what_stays(folder, had_run)}")
        raise


@contextlib.contextmanager
def disk_errors(folder: Path, had_run: bool) -> Iterator[None]:
    """A full or read-only disk while a run is written: one line with the reason and what stays."""
    try:
        yield
    except WriteError as exc:
        raise EmojiLabError(f"{exc}; {_what_stays(folder, had_run)}") from None
    except OSError as exc:
        raise WriteError(Path(exc.filename or folder), exc, _what_stays(folder, had_run)) from None


def stopped_by(epochs_run: int, epochs: int, clock_stopped: bool) -> str:
    """Why training ended, for the record and the lessons: "the clock", "early stopping" or "epochs"."""
    if clock_stopped:
        return "the clock"
    return "early stopping" if epochs_run < epochs else "epochs"


class Clock:
    """Ends training when another epoch would pass the budget's minutes, reading the `elapsed` seconds `EpochLog`
    adds to the logs (validation counted: it is the learner's wait too). The next epoch is expected to take as
    long as the longest so far; None: no clock."""

    def __init__(self, model: Any, minutes: Optional[float], epochs: int):
        self.model, self.minutes, self.epochs = model, minutes, epochs
        self.stopped, self._last, self._longest = False, 0.0, 0.0

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self._longest, self._last = max(self._longest, logs["elapsed"] - self._last), logs["elapsed"]
        if self.minutes is not None and not self.model.stop_training and epoch + 1 < self.epochs and \
                logs["elapsed"] + self._longest > self.minutes * 60:
            self.model.stop_training, self.stopped = True, True

    def close(self) -> None:
        """Nothing to release."""


def compiled_model(spec: models.ModelSpec, n_classes: int, encoder: Any, seed: int, soft: bool = False,
                   decay_steps: int = 1) -> Any:
    """The model to train: any input length, compiled as the seed did (Adam), with top-1 and top-5 accuracy.

    `soft`: it learns probabilities (cross-entropy against them); its training top-1 and top-5 then count
    the targets' most likely emoji. A `fixed_epochs` model's learning rate decays to 0 over `decay_steps`.
    """
    import keras

    model = models.build_model(spec.name, n_classes, max_len=None, vocab_size=encoder.vocab_size, seed=seed)
    if soft:
        loss, top1, top5 = ("categorical_crossentropy", keras.metrics.CategoricalAccuracy(name="top1"),
                            keras.metrics.TopKCategoricalAccuracy(k=5, name="top5"))
    else:
        loss, top1, top5 = ("sparse_categorical_crossentropy", keras.metrics.SparseCategoricalAccuracy(name="top1"),
                            keras.metrics.SparseTopKCategoricalAccuracy(k=5, name="top5"))
    rate = (keras.optimizers.schedules.CosineDecay(spec.learning_rate, max(decay_steps, 1)) if spec.fixed_epochs
            else spec.learning_rate)
    model.compile(optimizer=keras.optimizers.Adam(rate), loss=loss,
                  metrics=[top1, top5])
    return model


def fit(model: Any, data: Any, epochs: int, seed: int, ours: list[Any], extra: list[Any], monitor: "Monitor",
        patience: int) -> None:
    """model.fit with our hooks (objects with on_epoch_end and friends, then close) and early stopping.

    Ctrl-C interrupts at the end of the batch, from a callback: a KeyboardInterrupt raised at any point in the middle
    of TensorFlow's step can leave its state half changed (seen in CI: the process aborted in free()).
    """
    import signal

    import keras

    stoppable = callable(signal.getsignal(signal.SIGINT))  # not when started with Ctrl-C ignored
    with sigint_held() as pressed:
        def interrupt_if_pressed(batch: int, logs: dict | None = None) -> None:
            if pressed and stoppable:
                pressed.clear()  # handled here, not replayed
                raise KeyboardInterrupt

        hooks = [keras.callbacks.LambdaCallback(**{name: getattr(hook, name) for name in HOOKS if hasattr(hook, name)})
                 for hook in ours if hook is not None]
        stopper = ([] if monitor.last else  # reads ours
                   [keras.callbacks.EarlyStopping(monitor=monitor.key, mode=monitor.mode, patience=patience)])
        keras.utils.set_random_seed(seed)  # the same dropout masks every time
        try:
            model.fit(data, epochs=epochs, shuffle=False, verbose=0,
                      callbacks=[keras.callbacks.LambdaCallback(on_train_batch_end=interrupt_if_pressed)]
                      + hooks[:1] + stopper + hooks[1:] + extra)
        finally:
            for hook in ours:
                if hook is not None:
                    hook.close()


@dataclass(frozen=True)
class Monitor:
    """How the kept epoch is chosen on validation macro-F1: the best one (stopping when it stops improving), or the
    last one whatever it scores (no choice on validation, no early stop: `ModelSpec.fixed_epochs`)."""

    key: str  # the key of the epoch logs that is read: "val_macro_f1"
    mode: str  # "max" or "last"
    words: str  # for the closing line: "highest val macro-F1"

    @classmethod
    def of(cls, spec: models.ModelSpec) -> "Monitor":
        if spec.fixed_epochs:
            return cls("val_macro_f1", "last", "last epoch, val macro-F1")
        return cls("val_macro_f1", "max", "highest val macro-F1")

    @property
    def last(self) -> bool:
        """Whether the last epoch is kept, whatever it scores (no choice on validation, no early stop)."""
        return self.mode == "last"

    def better(self, value: float, than: float) -> bool:
        return self.last or value > than

    def shown(self, value: float) -> str:
        return f"{value:.1%}"


def class_weights(y: np.ndarray, n_classes: int, power: float) -> dict[int, float]:
    """Per class (1 / its share of the training texts) ** power: rare emoji's mistakes cost more.

    power 1 makes every class weigh as much in all as any other; 0.5 meets it halfway.
    """
    counts = np.bincount(np.asarray(y), minlength=n_classes).astype(np.float64)
    weights = (len(y) / (n_classes * np.maximum(counts, 1))) ** power
    return {i: float(w) for i, w in enumerate(weights)}


def row_weights(y: np.ndarray, n_classes: int, power: float) -> np.ndarray:
    """Each training text's class weight (`class_weights`), from its true label."""
    weights = class_weights(y, n_classes, power)
    return np.array([weights[c] for c in np.asarray(y).tolist()], dtype=np.float32)


def soft_targets(targets: Any, n_texts: int, n_classes: int) -> np.ndarray:
    """`targets` checked: one row of probabilities (>= 0, summing to 1) per training text."""
    t = np.asarray(targets, dtype=np.float32)
    if t.shape != (n_texts, n_classes):
        raise EmojiLabError(f"targets have shape {t.shape}; they need one row of {n_classes} probabilities per "
                            f"training text: ({n_texts}, {n_classes})")
    if not np.all(np.isfinite(t)) or t.min() < 0 or not np.allclose(t.sum(axis=1), 1, atol=1e-3):
        raise EmojiLabError("targets must be probabilities: each row >= 0 and summing to 1")
    return t


def validation_scores(model: Any, x_val: np.ndarray, y_val: np.ndarray) -> dict:
    """val loss, top-1, top-5 and macro-F1 from one pass over the validation split."""
    probs = predict_trimmed(model, x_val)  # [n, classes]
    true = np.clip(probs[np.arange(len(y_val)), y_val], 1e-7, 1.0)
    return {"val_loss": float(-np.log(true).mean()), "val_top1": metrics.top_k_accuracy(y_val, probs, 1),
            "val_top5": metrics.top_k_accuracy(y_val, probs, 5),
            "val_macro_f1": metrics.macro_f1(y_val, metrics.predict(probs), probs.shape[1])}


class EpochLog:
    """Times each epoch, adds the validation scores to Keras's logs, and saves the best epoch's model."""

    def __init__(self, trainer: Any, kept: Any, x_val: np.ndarray, y_val: np.ndarray, best_path: Path,
                 monitor: Monitor):
        self.trainer, self.kept, self.x_val, self.y_val = trainer, kept, x_val, np.asarray(y_val)
        self.monitor = monitor
        self.best_path, self.best_weights, self.best_epoch = best_path, None, None
        self.epochs: list[dict] = []
        self._start, self._began = 0.0, 0.0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._start = time.perf_counter()
        self._began = self._began or self._start

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        logs["seconds"] = time.perf_counter() - self._start  # training only, validation not counted
        logs.update(validation_scores(self.trainer, self.x_val, self.y_val))
        logs["elapsed"] = time.perf_counter() - self._began  # since training began, validation counted
        row = {key: float(logs[key]) for key in ("loss", "top1", "top5", "val_loss", "val_top1", "val_top5",
                                                  "val_macro_f1", "seconds", "elapsed")}
        self.epochs.append(row)
        key = self.monitor.key
        if self.best_epoch is None or self.monitor.better(row[key], self.epochs[self.best_epoch - 1][key]):
            self.best_epoch, self.best_weights = epoch + 1, self.trainer.get_weights()
            self._save(self.best_weights)

    def _save(self, weights: list[np.ndarray]) -> None:
        """Write the fixed-length model (no optimizer state) beside the checkpoint, then swap it in:
        Ctrl-C never leaves half a file."""
        self.kept.set_weights(weights)
        partial = self.best_path.with_name("saving-" + self.best_path.name)
        self.kept.save(partial)
        os.replace(partial, self.best_path)

    def keep_best(self) -> None:
        """Give the kept model the best epoch's weights."""
        self.kept.set_weights(self.best_weights)

    def close(self) -> None:
        """Nothing to release: the checkpoint is written as each best epoch ends."""

    def seconds_per_epoch(self) -> float | None:
        """Median training seconds per epoch, leaving out the first (it also builds the graph) when there are more."""
        seconds = [e["seconds"] for e in self.epochs]
        return statistics.median(seconds[1:] or seconds) if seconds else None

    def best_scores(self) -> dict:
        """The validation scores of the kept model."""
        if self.best_epoch is None:
            row = validation_scores(self.trainer, self.x_val, self.y_val)
        else:
            row = self.epochs[self.best_epoch - 1]
        return {"loss": row["val_loss"], "top1": row["val_top1"], "top5": row["val_top5"],
                "macro_f1": row["val_macro_f1"]}
