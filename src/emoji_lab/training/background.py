"""The lessons' models trained in the background while the learner reads, and picked up by the lessons.

Training the neural lessons' models takes many minutes on a 2-core laptop (bench/ measures how many), while the
lessons before them are reading that leaves the CPU idle. So the console starts one worker,
`python -m emoji_lab.training.background JOB`, when the learner opens a lesson that says `starts_background`: it
trains every lesson's `background_models` one after another (the lesson files name them) with the lessons' own
code and budget (`train.train`), at low priority. A lesson's `trained(...)` then loads the finished run, or shows
the training live as the worker goes on, or, with no worker, trains there.

What holds:
- One worker per home: it holds a lock while alive; a second console finds it alive and starts nothing.
- It runs in its own session: `bye` and Ctrl-C in the console do not stop it; it ends after the last model.
- A run is written aside until it ends (`runs.building`): a worker killed or crashed leaves nothing
  half-trained to use, and the next start trains that model again from its first epoch.
- A machine that sleeps pauses it, and its clock (`time.perf_counter`) counts awake seconds only.

Off with EMOJI_LAB_BACKGROUND=off (the tests, except the one of this module) and where there is no `fcntl`
(Windows): the lessons then train where they ask, as before. The instructor's `--auto` dry run never starts it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.files import write_whole
from emoji_lab.common.formatting import plural, say, wrap
from emoji_lab.common.paths import cache_dir, home_dir
from emoji_lab.data.source import Source, as_source

ENV = "EMOJI_LAB_BACKGROUND"  # "off": never start a worker
POLL_SECONDS = 0.5  # how often a watching lesson reads the worker's events
BATCH_EVENT_SECONDS = 1.0  # the worker writes its batch progress at most this often
STATUS, LOCK, LOG = "status.json", "worker.lock", "worker.log"


def folder() -> Path:
    return home_dir() / "background"


def enabled() -> bool:
    if os.environ.get(ENV, "").strip().lower() in ("off", "0", "no", "false"):
        return False
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return False
    return True


def job_for(data: Source, quick: bool, models: Sequence[str]) -> dict:
    """What a worker trains: the data source (as JSON), the budget, the models in the order the lessons need them."""
    budgets = budgets_of(models, quick)
    return {"data": data.to_dict(), "quick": quick, "budgets": budgets, "models": list(models),
            "minutes": max(b["minutes"] or 0 for b in budgets.values())}  # for the sentences: "up to N minutes"


def budgets_of(names: Any, quick: bool) -> dict:
    """Each model's lesson budget (minutes as $EMOJI_LAB_MINUTES caps them): a worker trains with the lessons'."""
    from emoji_lab.models.registry import spec

    return {name: spec(name).budget(quick).as_dict() for name in names}


def _lock() -> Optional[Any]:
    """The worker's lock file, locked (None when another process holds it)."""
    import fcntl

    folder().mkdir(parents=True, exist_ok=True)
    handle = open(folder() / LOCK, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def alive() -> bool:
    """Whether a worker holds the lock now."""
    if not enabled() or not (folder() / LOCK).exists():
        return False
    handle = _lock()
    if handle is None:
        return True
    handle.close()
    return False


def status() -> dict:
    """The worker's last written status ({} when none, or when the file is not one a worker writes: damaged, edited,
    from another version; the next worker writes it again)."""
    try:
        state = json.loads((folder() / STATUS).read_text(encoding="utf-8"))
        Source.from_dict(state["data"])
    except (OSError, ValueError, TypeError, KeyError, RecursionError, EmojiLabError):
        return {}
    return state if _well_formed(state) else {}


def _well_formed(state: dict) -> bool:
    models, done = state.get("models"), state.get("done")
    if not (isinstance(models, list) and all(isinstance(m, str) for m in models) and isinstance(done, dict)):
        return False
    finished = all(m in models and isinstance(d, dict) and all(isinstance(d.get(k), (int, float))
                                                               for k in ("best_epoch", "epochs", "macro_f1"))
                   for m, d in done.items())
    return (finished and isinstance(state.get("state"), str) and isinstance(state.get("budgets"), dict)
            and isinstance(state.get("minutes"), (int, float)) and isinstance(state.get("pid"), int)
            and state.get("current") in (None, *models))


def _write_status(state: dict) -> None:
    write_whole(folder() / STATUS, json.dumps(state, ensure_ascii=False))


def last_words() -> str:
    """The last line the worker wrote to its log (its error, when it died of one), or ''."""
    try:
        with open(folder() / LOG, "rb") as log:
            log.seek(max(0, log.seek(0, os.SEEK_END) - 4096))
            lines = log.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    return next((line.strip() for line in reversed(lines) if line.strip()), "")[:200]


def _same_job(state: dict, job: dict) -> bool:
    return all(state.get(key) == job[key] for key in ("data", "quick", "budgets", "models"))


def start(data: Source | str, quick: bool, models: Sequence[str], whose: str) -> Optional[str]:
    """Start the worker on `models` (those of the lessons `whose` names: "lessons 4-6") for this data and budget,
    unless one is alive or it already trained them all; returns the line the console shows when it starts one."""
    try:
        job = job_for(as_source(data), quick, models)
        state = status()
        if not enabled() or (_same_job(state, job) and state.get("state") == "finished"):
            return None
        lock = _lock()  # taken here and handed to the worker: no second console starts another meanwhile
        if lock is None:
            return None
        with lock, open(folder() / LOG, "a", encoding="utf-8") as log:
            job_file = folder() / "job.json"
            job_file.write_text(json.dumps(job), encoding="utf-8")
            env = {**os.environ, "EMOJI_LAB_HOME": str(home_dir()), "EMOJI_LAB_CACHE": str(cache_dir())}  # absolute
            subprocess.Popen([sys.executable, "-m", "emoji_lab.training.background", str(job_file), str(lock.fileno())],
                             pass_fds=(lock.fileno(),), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True, cwd=str(folder()), env=env)
    except (OSError, EmojiLabError) as exc:  # a read-only home, a bad EMOJI_LAB_MINUTES: trained where asked
        return f"No background training ({exc}): {whose} train their models where they ask for them."
    return (f"{whose[0].upper()}{whose[1:]}'s {plural(len(models), 'model')} now train in the background, "
            f"one after another, up to "
            f"{plural(job['minutes'], 'minute')} each, while you read: type `training` to see how far they are.")


# -- the worker -------------------------------------------------------------------------------------------------------
def work(job_file: Path, lock_fd: Optional[int] = None) -> int:
    """Train the job's models that have no finished run yet, in order, writing status and events as it goes.
    `lock_fd`: the lock the console took and handed over (the worker holds it until it ends)."""
    lock = os.fdopen(lock_fd, "a") if lock_fd is not None else _lock()
    if lock is None:
        return 0  # another worker is alive
    os.nice(10)
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    state = {**job, "pid": os.getpid(), "state": "loading", "current": None, "done": {}}
    _write_status(state)
    try:
        from emoji_lab.data.sources import load
        from emoji_lab.training.runs import fingerprint
        from emoji_lab.training.train import train

        ds = load(Source.from_dict(job["data"]), download=False)
        state["fingerprint"] = fingerprint(ds)
        for model in job["models"]:
            _events_file(model).unlink(missing_ok=True)
        for model in job["models"]:
            run = finished_run(model, ds, job["quick"])
            if run is None:
                state.update(state="training", current=model)
                _write_status(state)
                print(f"{time.strftime('%H:%M:%S')} training {model}", flush=True)
                run = train(model, ds, quick=job["quick"], progress=False, callbacks=[_event_writer(model)])
            state["done"][model] = {"best_epoch": run.record["best_epoch"], "epochs": len(run.record["epochs"]),
                                    "macro_f1": run.record["val"]["macro_f1"], "seconds": run.record.get("seconds")}
            state["current"] = None
            _write_status(state)
        state["state"] = "finished"
    except Exception as exc:  # noqa: BLE001 - told to whoever looks, then the lessons train where they ask
        state.update(state="failed", why=f"{type(exc).__name__}: {exc}", current=None)
        print(f"{time.strftime('%H:%M:%S')} failed: {state['why']}", flush=True)
    _write_status(state)
    lock.close()
    return 0


def _events_file(model: str) -> Path:
    return folder() / f"{model}.events"


def _event_writer(model: str) -> Any:
    """A Keras callback appending the training's progress to the model's events file, one JSON line each."""
    import keras

    path = _events_file(model)

    class Events(keras.callbacks.Callback):
        last = 0.0

        def write(self, event: dict) -> None:
            with open(path, "a", encoding="utf-8") as out:
                out.write(json.dumps(event) + "\n")

        def on_epoch_begin(self, epoch: int, logs: Optional[dict] = None) -> None:
            self.write({"event": "epoch_begin", "epoch": epoch, "epochs": self.params["epochs"],
                        "steps": self.params["steps"]})

        def on_train_batch_end(self, batch: int, logs: Optional[dict] = None) -> None:
            if logs and time.monotonic() - self.last >= BATCH_EVENT_SECONDS:
                self.last = time.monotonic()
                scores = {k: float(logs[k]) for k in ("loss", "top1", "top5")}
                self.write({"event": "batch", "batch": batch, "logs": scores})

        def on_epoch_end(self, epoch: int, logs: Optional[dict] = None) -> None:
            keys = ("loss", "top1", "top5", "val_loss", "val_top1", "val_top5", "val_macro_f1", "seconds", "elapsed")
            self.write({"event": "epoch_end", "epoch": epoch, "logs": {k: float(logs[k]) for k in keys}})

    return Events()


# -- the lessons' side ------------------------------------------------------------------------------------------------
def finished_run(model_name: str, ds: Any, quick: bool) -> Optional[Any]:
    """The saved run of `model_name` on exactly this data, trained by the lessons' recipe with at least the minutes
    of this budget (a full run serves a quick lesson); None when there is none."""
    from emoji_lab.training.runs import matching_run

    try:
        return matching_run(model_name, ds, quick)
    except EmojiLabError:
        return None


def trained(model_name: str, ds: Any, quick: bool = False) -> Any:
    """Your run of `model_name` on `ds` with the lesson's budget: the finished one, shown epoch by epoch; the
    background worker's, watched live until it ends; or trained here and now (`train.train`)."""
    from emoji_lab.models import registry as models
    from emoji_lab.training.train import Monitor, train

    run = finished_run(model_name, ds, quick)
    if run is not None:
        when = run.record.get("created", "?")[:16].replace("T", " at ")
        say(f"Your {model_name} run is already trained ({when} UTC); its epochs:")
        _show_record(run.record, model_name)
        return run
    if _worker_has(model_name, ds, quick):
        display = _watch(model_name)
        run = finished_run(model_name, ds, quick)
        if run is not None:
            if display is None:
                _show_record(run.record, model_name)
            else:
                display.summary(run.record, Monitor.of(models.spec(model_name)))
            return run
        say(f"The background training stopped before {model_name} finished (nothing half-trained is used): "
            "training it here.")
    return train(model_name, ds, quick=quick)


def _worker_has(model_name: str, ds: Any, quick: bool) -> bool:
    """Whether a live worker is training, or will train, this model on this data with this budget."""
    from emoji_lab.training.runs import fingerprint

    state = status()
    if not alive() or state.get("quick") != quick or state.get("budgets") != budgets_of(state.get("models", []), quick):
        return False
    if model_name not in state.get("models", []) or model_name in state.get("done", {}):
        return False
    if state.get("fingerprint") is None:  # still loading its data
        _wait(lambda: status().get("fingerprint") is not None or not alive())
        state = status()
    return state.get("fingerprint") == fingerprint(ds)


def _wait(done: Any) -> None:
    while not done():
        time.sleep(POLL_SECONDS)


def _show_record(record: dict, model_name: str) -> None:
    """A finished run's epochs, as the training display showed them."""
    from emoji_lab.models import registry as models
    from emoji_lab.training.display import TrainingDisplay
    from emoji_lab.training.train import Monitor

    display = TrainingDisplay(record["config"]["epochs"], 1, lambda: record["best_epoch"], None)
    display.live = False
    for epoch, row in enumerate(record["epochs"]):
        display.on_epoch_end(epoch, row)
    display.summary(record, Monitor.of(models.spec(model_name)))


def _watch(model_name: str) -> Optional[Any]:
    """Show the worker's training of `model_name` as it goes, from its first epoch, until it ends; returns the
    display (None if no epoch began). Ctrl-C stops watching, not the worker."""
    from emoji_lab.training.display import TrainingDisplay

    state = status()
    if state.get("current") != model_name:
        before = [m for m in state["models"][:state["models"].index(model_name)] if m not in state["done"]]
        say(f"{model_name} is next in the background training" + (f", after {', '.join(before)}" if before else "")
            + ": waiting for it (Ctrl-C stops waiting; the training goes on).")
    display, best = None, {"epoch": None, "score": -1.0}
    try:
        for event in _events(model_name):
            if event["event"] == "epoch_begin":
                if display is None:
                    say(f"{model_name}, training in the background, shown as it goes (Ctrl-C stops watching, not "
                        "the training):")
                    display = TrainingDisplay(event["epochs"], event["steps"], lambda: best["epoch"],
                                              status().get("minutes"))
                display.on_epoch_begin(event["epoch"])
            elif event["event"] == "batch" and display is not None:
                display.on_train_batch_end(event["batch"], event["logs"])
            elif event["event"] == "epoch_end" and display is not None:
                if event["logs"]["val_macro_f1"] > best["score"]:
                    best.update(epoch=event["epoch"] + 1, score=event["logs"]["val_macro_f1"])
                display.on_epoch_end(event["epoch"], event["logs"])
    except KeyboardInterrupt:
        if display is not None:
            display.close()
        say(f"\nStopped watching: {model_name} goes on training in the background. Run this step again to pick "
            "it up.")
        raise
    if display is not None:
        display.close()
    return display


def _events(model_name: str) -> Iterator[dict]:
    """The worker's events for this model, as they are written, until it is done with it or gone."""
    path, offset, pending = _events_file(model_name), 0, ""
    while True:
        finished = model_name in status().get("done", {}) or not alive()
        if path.exists():
            with open(path, encoding="utf-8", errors="replace") as events:
                events.seek(offset)
                chunk = events.read()
                offset = events.tell()
            pending += chunk
            *lines, pending = pending.split("\n")
            yield from filter(None, map(_event, lines))
        if finished:
            return
        time.sleep(POLL_SECONDS)


def report(started_by: str) -> str:
    """What the background training is doing, for the console's `training` command (`started_by`: the lessons that
    start it, "lessons 1-6")."""
    from emoji_lab.training.runs import tensorboard_command

    if not enabled():
        return f"Background training is off ({ENV}=off, or no fcntl here): the lessons train where they ask."
    state, running, said = status(), alive(), last_words()
    if not state and not running and said:
        return wrap(f"The background training stopped as it began: {said} (its log: {folder() / LOG}). It "
                    "starts again when you open a lesson; meanwhile the lessons train where they ask.")
    if not state:
        return (f"No background training yet: it starts when you open {started_by}." if started_by else
                "No background training: no lesson here starts it.")
    died = (f"stopped before it finished: {said or 'no reason in its log'} (it starts again when you open a "
            "lesson)")
    head = {"finished": "finished", "failed": f"stopped: {state.get('why', '?')}"}.get(
        state.get("state", ""), "running" if running else died)
    lines = [f"Background training on {state['data']['source']}, up to {plural(state['minutes'], 'minute')} a model: "
             f"{head}" + (f" (process {state['pid']})" if running else "") + "."]
    for model in state["models"]:
        done = state["done"].get(model)
        if done:
            what = (f"done: {plural(done['epochs'], 'epoch')}, kept {done['best_epoch']}, val macro-F1 "
                    f"{done['macro_f1']:.1%}")
        elif model == state.get("current") and running:
            what = _progress(model)
        else:
            what = "waiting" if running else "not trained"
        lines.append(f"  {model:<19} {what}")
    lines.append("The curves in TensorBoard, epoch by epoch (a run training now shows as .MODEL.building-..., and "
                 f"under its name once saved): `{tensorboard_command(Source.from_dict(state['data']))}`")
    return "\n".join(wrap(line) for line in lines)


def _progress(model: str) -> str:
    events = _read_events(model)
    epochs = [e for e in events if e["event"] == "epoch_end"]
    began = [e for e in events if e["event"] == "epoch_begin"]
    if not began:
        return "starting"
    line = f"training epoch {began[-1]['epoch'] + 1}"
    if epochs:
        best = max(e["logs"]["val_macro_f1"] for e in epochs)
        line += f", {epochs[-1]['logs']['elapsed'] / 60:.1f} minutes so far, best val macro-F1 {best:.1%}"
    return line


def _read_events(model: str) -> list[dict]:
    try:
        text = _events_file(model).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [event for line in text.split("\n")[:-1] if (event := _event(line))]


def _event(line: str) -> Optional[dict]:
    """One events line, or None for one no worker wrote whole (a worker killed mid-line, an edit)."""
    try:
        event = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return event if isinstance(event, dict) and isinstance(event.get("event"), str) else None


def main(argv: Optional[list[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 2):
        print("usage: python -m emoji_lab.training.background JOB.json [LOCK_FD] (the console starts it)",
              file=sys.stderr)
        return 2
    if len(args) == 2 and not args[1].isdigit():
        print(f"error: LOCK_FD must be the number of an open file, not {args[1]!r}", file=sys.stderr)
        return 2
    try:
        return work(Path(args[0]), int(args[1]) if len(args) == 2 else None)
    except OSError as exc:  # a lock number that is no open file, a job file that cannot be read
        print(f"error: {exc.strerror or exc} ({exc.filename or args[-1]})", file=sys.stderr)
        return 2
    except (ValueError, KeyError, RecursionError) as exc:
        print(f"error: {args[0]} is not a job the console wrote ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
