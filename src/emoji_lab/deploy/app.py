"""The iPhone app's files: `emoji_model.tflite`, `labels.txt` (model output order), `preprocess.json` (the text
contract: cleaning and bytes) and `golden.json` (texts, their cleaned form, ids and the exported file's own
probabilities, which the Swift package's tests and the app's unit tests compare with), where they go in
`ios_starter/`, and what to do next on a Mac.

A hidden manifest records what an export wrote, so a later export backs up whatever a learner changed
instead of overwriting it. The files and the manifest are replaced together or not at all (`write_files`): new
ones are written into a hidden transaction folder first, whose plan lets the next export finish or undo a swap
that a kill cut short.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional

import numpy as np

from emoji_lab.common.errors import DataError, EmojiLabError
from emoji_lab.common.files import WriteError, alive, write_whole
from emoji_lab.common.formatting import size
from emoji_lab.data.encoders import GOLDEN_TEXTS, PREPROCESS_FILE
from emoji_lab.data.talk import SENTENCES
from emoji_lab.deploy.litert import GOLDEN_FILE, LABELS_FILE, LiteModel, graph_report
from emoji_lab.training.runs import model_sha, sigint_held

MODEL_FILE = "emoji_model.tflite"
INPUT_NAME = "bytes"  # the model's one input: the app feeds it by this name
APP_VARIANTS = ("float32", "float16", "int8")  # what the app ships; full-integer int8 is lesson 8's table only

APP_FILES = (MODEL_FILE, LABELS_FILE, PREPROCESS_FILE, GOLDEN_FILE)

MANIFEST_FILE = ".emoji_lab_export.json"
TRANSACTION = ".emoji_lab_exporting-"  # + pid-random: a hidden folder while an export replaces the files
PLAN_FILE = "plan.json"

IOS_ENV = "EMOJI_LAB_IOS"

TOLERANCE = {"float32": 1e-4, "float16": 1e-3, "int8": 5e-3, "int8-full": 1e-2}  # golden.json, phone vs here

GOLDEN_FORMAT = 3  # 2: each example's cleaned text and every probability; 3: `runtime` (CompiledModel)
GOLDEN_EXTRA = {**{f"talk_{n}": text for n, text in enumerate(SENTENCES, start=1)},
                "tired": "so tired of this week", "love": "love you so much", "fire": "this beat is fire",
                "christmas": "merry christmas everyone"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def golden_examples() -> dict[str, str]:
    """The texts golden.json holds: the encoder's edge cases and a few sentences, never training data."""
    return {**GOLDEN_TEXTS, **GOLDEN_EXTRA}


def golden_file(lite: LiteModel, content: bytes, run: Any, variant: str, k: int = 5, adjust: Any = None) -> dict:
    """golden.json: each text cleaned, its ids, every class's probability from the exported file (float32 values
    written exactly) and the top-k they rank to, ties to the earlier class, for the Swift tests."""
    examples = []
    for name, text in golden_examples().items():
        ids = lite.encoder.encode(text)
        probs = lite.ids_probabilities(np.array([ids]))[0]
        order = np.argsort(-probs, kind="stable")[:k]
        examples.append({"name": name, "text": text, "clean": lite.encoder.clean(text), "ids": ids,
                         "probabilities": [float(p) for p in probs],
                         "top": [{"index": int(i), "emoji": lite.labels[i], "probability": float(probs[i])}
                                 for i in order]})
    return {"format_version": GOLDEN_FORMAT,
            "model": {"file": MODEL_FILE, "sha256": sha256(content), "bytes": len(content), "quantize": variant,
                      "run": run.name, "weights_sha256": model_sha(run), "architecture": run.record.get("model"),
                      "data": run.record.get("data", {}).get("source"),
                      "adjustment": adjust.as_dict() if adjust is not None else None},
            "input": {"name": INPUT_NAME, "shape": [1, lite.encoder.max_len], "dtype": "int32"},
            "output": {"shape": [1, len(lite.labels)], "dtype": "float32"},
            "runtime": lite.runtime(), "preprocess": lite.encoder.to_dict(), "labels": lite.labels, "top_k": k,
            "tolerance": TOLERANCE[variant], "examples": examples}


def golden_json(golden: dict) -> str:
    """Readable JSON: one line per top-level key, and one per example."""
    lines = [f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in golden.items()
             if key != "examples"]
    examples = ",\n  ".join(json.dumps(e, ensure_ascii=False) for e in golden["examples"])
    return "{\n" + ",\n".join(lines) + f',\n "examples": [\n  {examples}\n ]\n}}\n'


def app_files(run: Any, content: bytes, variant: str, adjust: Any = None) -> dict[str, bytes]:
    """The four files the app reads, by name (`run` reads bytes: `export.byte_run` checked it); `adjust`: the
    keyboard's prior adjustment folded into `content`, recorded in golden.json."""
    encoder = run.encoder
    lite = LiteModel(content, run.labels, encoder)
    return {MODEL_FILE: content,
            LABELS_FILE: "".join(f"{label}\n" for label in run.labels).encode("utf-8"),
            PREPROCESS_FILE: encoder.to_json().encode("utf-8"),
            GOLDEN_FILE: golden_json(golden_file(lite, content, run, variant, adjust=adjust)).encode("utf-8")}


def read_manifest(folder: Path) -> dict[str, str]:
    """What the last export wrote into `folder`: file name -> sha256 (empty if none or damaged)."""
    try:
        files = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8")).get("files", {})
    except (OSError, json.JSONDecodeError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def write_files(folder: Path, files: dict[str, bytes]) -> dict:
    """Put `files` and their manifest in `folder` all together or not at all: each existing one that the last export
    did not write (the learner's change) goes to a new backup folder there, never overwritten. Any failure part way
    (a full disk, a file no one may replace) leaves the folder exactly as it was, in one line."""
    folder = check_destination(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        recover(folder)
    except OSError as exc:
        raise WriteError(folder, exc, "an export cut short there could not be undone") from None
    written_before, everything = read_manifest(folder), {**files, MANIFEST_FILE: manifest_json(files)}
    changed = [name for name in files if (folder / name).is_file()
               and sha256((folder / name).read_bytes()) not in (written_before.get(name), sha256(files[name]))]
    backup = backup_folder(folder) if changed else None
    plan = {"files": list(everything), "changed": changed, "backup": backup.name if backup else None}
    transaction = folder / f"{TRANSACTION}{os.getpid()}-{os.urandom(3).hex()}"
    try:
        write_whole(transaction / PLAN_FILE, json.dumps(plan, ensure_ascii=False) + "\n")
        for name, data in everything.items():
            write_whole(transaction / "new" / name, data)
        if backup is not None:
            backup.mkdir()
        with sigint_held():
            swap(folder, transaction, list(everything))
    except BaseException as exc:
        undo(folder, transaction, exc)
        raise
    with sigint_held():
        try:
            finish(folder, transaction)
        except OSError as exc:
            raise WriteError(folder, exc, "the new files are in place; the next export finishes the backup") from None
    return {"folder": folder, "files": {name: len(data) for name, data in files.items()},
            "backup": backup, "backed_up": changed}


def manifest_json(files: Mapping[str, bytes]) -> str:
    return json.dumps({"format_version": 1, "files": {name: sha256(data) for name, data in files.items()}},
                      indent=1) + "\n"


def backup_folder(folder: Path) -> Path:
    """A backup folder's name in `folder` that no earlier backup has (two exports can fall in the same second)."""
    stamp = f"backup-{dt.datetime.now():%Y%m%d-%H%M%S}"
    name, n = stamp, 1
    while (folder / name).exists():
        n += 1
        name = f"{stamp}-{n}"
    return folder / name


def present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def swap(folder: Path, transaction: Path, names: list[str]) -> None:
    """Each new file replaces its place in one step, the manifest last, once `old/` holds a second link to the
    earlier file (a copy where the disk has no hard links), or a `.none` mark where there was none; `done` marks
    the swap complete. Until then, `roll_back` can put every earlier file back."""
    old = transaction / "old"
    old.mkdir()
    for name in names:
        place = folder / name
        if not present(place):
            (old / f"{name}.none").touch()
        else:
            try:
                os.link(place, old / name, follow_symlinks=False)
            except OSError:
                shutil.copy2(place, old / name, follow_symlinks=False)
        os.replace(transaction / "new" / name, place)
    (transaction / "done").mkdir()


def roll_back(folder: Path, transaction: Path) -> None:
    """Put back each earlier file that an unfinished swap replaced and remove each it added (a step at a time, so
    that a kill meanwhile leaves a roll-back to go on with), remove its empty backup folder, then the transaction.
    An OSError leaves the transaction for the next export to try again."""
    plan = read_plan(transaction)
    begun = (transaction / "old").is_dir()  # the swap began: every new file was written
    for name in plan.get("files", []) if begun else []:
        earlier, none = transaction / "old" / name, transaction / "old" / f"{name}.none"
        if present(transaction / "new" / name):
            continue  # never moved in: the earlier file is in place
        if present(earlier):
            os.replace(earlier, folder / name)
        elif none.exists():
            (folder / name).unlink(missing_ok=True)
            none.unlink()
    if plan.get("backup"):
        with contextlib.suppress(OSError):
            (folder / plan["backup"]).rmdir()  # only while empty: nothing went there yet
    shutil.rmtree(transaction, ignore_errors=True)


def undo(folder: Path, transaction: Path, exc: BaseException) -> None:
    """Roll back a write that failed with `exc`; a failed write becomes one line (other errors go on as they are)."""
    try:
        with sigint_held(replay=False):
            roll_back(folder, transaction)
    except OSError as failed:
        raise WriteError(folder, failed, "the next export puts the earlier files back") from None
    if isinstance(exc, (OSError, WriteError)):
        reason = exc.reason if isinstance(exc, WriteError) else exc.strerror or str(exc)
        raise EmojiLabError(f"cannot write {folder} ({reason}): its files are as they were") from None


def finish(folder: Path, transaction: Path) -> None:
    """After a complete swap: the learner's changed files go to the backup folder, then the transaction goes,
    `done` last, so that a kill meanwhile leaves a finish to go on with."""
    plan = read_plan(transaction)
    for name in plan.get("changed", []):
        if present(transaction / "old" / name):
            os.replace(transaction / "old" / name, folder / plan["backup"] / name)
    for part in ("old", "new"):
        shutil.rmtree(transaction / part, ignore_errors=True)
    (transaction / PLAN_FILE).unlink(missing_ok=True)
    (transaction / "done").rmdir()
    transaction.rmdir()


def read_plan(transaction: Path) -> dict:
    """What a transaction replaces (empty where a kill came before its plan was written, or after it was done)."""
    try:
        return json.loads((transaction / PLAN_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def recover(folder: Path) -> None:
    """What an export killed in `folder` left: a complete swap is finished, any other is rolled back, so the files
    there are all the earlier export's or all the later one's (every export does this first)."""
    for transaction in folder.glob(f"{TRANSACTION}*"):
        pid = transaction.name[len(TRANSACTION):].split("-")[0]
        if pid.isdigit() and (int(pid) == os.getpid() or not alive(int(pid))):
            (finish if (transaction / "done").is_dir() else roll_back)(folder, transaction)


def not_a(path: Path, kind: str) -> Optional[str]:
    """Why `path` cannot be a `kind` ("folder" or "file") for an export (a link to one is followed), or None;
    absent is fine."""
    try:
        is_folder = stat.S_ISDIR(path.stat().st_mode)
    except FileNotFoundError:
        return f"{path} is a link to {os.readlink(path)}, which does not exist" if path.is_symlink() else None
    except NotADirectoryError:
        return None  # a folder above it is a file: said for that folder
    except OSError as exc:
        return (f"{path} is a link that leads back to itself" if exc.errno == errno.ELOOP
                else f"{path} cannot be read ({exc.strerror})")
    if is_folder != (kind == "folder"):
        return f"{path} is a {'folder' if is_folder else 'file'}, not a {kind}"
    return None


def check_destination(folder: Path) -> Path:
    """`folder` can take an export: a folder or a place to make one, each of the files it writes there a file or
    absent. Checked before anything is converted or written; else one line naming what is in the way."""
    folder = Path(folder).expanduser()
    places = [(path, "folder") for path in (folder, *folder.parents)]
    for path, kind in places + [(folder / name, "file") for name in (*APP_FILES, MANIFEST_FILE)]:
        problem = not_a(path, kind)
        if problem:
            raise DataError(f"{problem}: make it a {kind} or move it away, then export again (nothing was written)")
    return folder


def app_resources(ios_dir: Path) -> Path:
    """Where the Xcode project expects the four files."""
    return Path(ios_dir) / "EmojiLab" / "Resources"


def check_ios_dir(path: Path) -> Path:
    """The ios_starter folder, with a Resources folder an export can fill."""
    path = Path(path).expanduser()
    if not (path / "EmojiLab.xcodeproj").is_dir():
        raise DataError(f"{path}: not the ios_starter folder (no EmojiLab.xcodeproj there)")
    check_destination(app_resources(path))
    return path


def find_ios_starter() -> Optional[Path]:
    """The app to fill: $EMOJI_LAB_IOS, else ./ios_starter, else the one beside this package's source."""
    if os.environ.get(IOS_ENV):
        return check_ios_dir(Path(os.environ[IOS_ENV]))
    for candidate in (Path.cwd() / "ios_starter", Path(__file__).resolve().parents[3] / "ios_starter"):
        if (candidate / "EmojiLab.xcodeproj").is_dir():
            return candidate
    return None


@contextlib.contextmanager
def starter_copy(home: str) -> Iterator[None]:
    """A dry run's app (the lessons that fill it name this as their `dry_run`): a copy in the dry run's `home`,
    filled instead of the learner's, unless $EMOJI_LAB_IOS names an app on purpose."""
    if os.environ.get(IOS_ENV):
        yield
        return
    app = find_ios_starter()
    if app is not None:
        copy = os.path.join(home, "ios_starter")
        shutil.copytree(app, copy, ignore=shutil.ignore_patterns("build", ".build", ".swiftpm", "DerivedData"))
        os.environ[IOS_ENV] = copy
    try:
        yield
    finally:
        os.environ.pop(IOS_ENV, None)


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
    problem = weights_problem(golden, run, out["folder"])
    if problem:
        raise EmojiLabError(problem)
    app = on_disk(app_resources(ios)) if ios is not None else None
    if app is not None and read_manifest(app["folder"]) != read_manifest(out["folder"]):
        app = None  # the app holds another export
    return {"run": run.name, "quantize": golden["model"]["quantize"], "adjustment": golden["model"].get("adjustment"),
            "report": graph_report((out["folder"] / MODEL_FILE).read_bytes()), "out": out, "ios": app}


def weights_problem(golden: Mapping[str, Any], run: Any, folder: Path) -> Optional[str]:
    """Why the export described by `golden` is not of `run`'s weights as they are now, or None."""
    model = golden.get("model", {})
    if model.get("run") != run.name:
        return f"the export in {folder} is of another run ({model.get('run')!r}): export {run.name} again"
    if model.get("weights_sha256") != model_sha(run):
        return (f"the export in {folder} was made from other weights than {run.name}'s now (an earlier training, "
                "or an earlier emoji_lab): export it again")
    return None


def written_lines(result: dict) -> list[str]:
    """Exactly what an export wrote, and what it backed up."""
    lines = []
    for place in (result["out"], result["ios"]):
        if place is None:
            continue
        lines += [f"wrote {place['folder'] / name} ({size(n, 2, mb_from=100_000)})"
                  for name, n in place["files"].items()]
        if place["backup"] is not None:
            lines.append(f"backed up your changed {', '.join(place['backed_up'])} to {place['backup']}")
    if (result.get("adjustment") or {}).get("tau"):
        lines.append(f"tau {result['adjustment']['tau']:g} folded into the model's last bias: it ranks for the keyboard")
    return lines


NEXT_STEPS = """Next, on your Mac (ios_starter/README.md has every step):
  1. open {ios}/EmojiLab.xcodeproj
     (Xcode fetches LiteRT-Swift {litert} by Swift Package Manager)
  2. plug in your iPhone, unlock it and trust this Mac
  3. under Signing & Capabilities, choose your team for EmojiLab and
     for EmojiKeyboard (your bundle identifier then ends with your
     team's ID; BundleIdentifier.xcconfig is where to change it)
  4. pick the iPhone as the destination and press Run (Cmd-R)
  5. on the iPhone: Settings > General > Keyboard > Keyboards >
     Add New Keyboard... > Emoji Lab, and the model suggests in every app"""


def next_steps(ios: Optional[Path]) -> str:
    if ios is None:
        return ("No ios_starter folder was filled: pass --ios PATH (the folder with EmojiLab.xcodeproj), "
                f"or set {IOS_ENV}.")
    from emoji_lab.deploy.litert import APP_LITERT

    return NEXT_STEPS.format(ios=ios, litert=APP_LITERT)


def export_problem(exported: Any, run: Any, ios: Optional[Path], name: str, run_name: str) -> Optional[str]:
    """What is wrong with `exported` as the export of `run` (into the app when `ios` is a folder), or None."""
    if not isinstance(exported, Mapping) or "out" not in exported:
        return f"There is no `{name}` yet: `{name} = export_run({run_name}, quantize=\"int8\", ios=ios)`."
    if exported.get("run") != run.name:
        return f"`{name}` holds run {exported.get('run')!r}; export `{run_name}` ({run.name})."
    if exported.get("quantize") not in APP_VARIANTS:
        return f"Choose quantize= one of {', '.join(APP_VARIANTS)}."
    if ios is not None and exported.get("ios") is None:
        return "The app was not filled: pass `ios=ios` to export_run."
    for place in (exported["out"], exported.get("ios")):
        if place is None:
            continue
        folder, manifest = Path(place["folder"]), read_manifest(Path(place["folder"]))
        for file_name in APP_FILES:
            path = folder / file_name
            if not path.is_file() or sha256(path.read_bytes()) != manifest.get(file_name):
                return f"{path} is missing or changed since the export: run the export again."
        golden = json.loads((folder / GOLDEN_FILE).read_text(encoding="utf-8"))
        problem = weights_problem(golden, run, folder)
        if problem:
            return problem
    return None
