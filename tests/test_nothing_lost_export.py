"""Nothing lost II (#36): a retraining keeps what the learner changed in the run's export/; an export into the app
is all or nothing (a failure part way, a kill at any point of its writes, a Resources that is not a folder) and
never takes its own files for the learner's; the files beside a .tflite are checked against it before LiteRT runs
them. The commands run in subprocesses on a tiny bytegrams run, as test_faults does."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_faults import POSIX, command, files_of, one_line_error, small_disk, tiny_file

from emoji_lab.common.errors import DataError, EmojiLabError
from emoji_lab.common.files import WriteError
from emoji_lab.deploy import app

SHIPPED = Path(__file__).resolve().parents[1] / "ios_starter" / "EmojiLab" / "Resources"


def fake_app(folder: Path) -> Path:
    (folder / "EmojiLab.xcodeproj").mkdir(parents=True)
    return folder


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A bytegrams run on tiny data (a few seconds an epoch), exported by the command into its export/."""
    folder = tmp_path_factory.mktemp("made")
    data = tiny_file(folder, 400)
    for args in (["train", "--data", str(data), "--model", "bytegrams", "--epochs", "1", "--out", str(folder / "run")],
                 ["export", "--model", str(folder / "run")]):
        result = command(*args, home=folder / "home")
        assert result.returncode == 0, result.stdout + result.stderr
    return folder


# -- (2) a retraining keeps the run's export/ --------------------------------------------------------------------
def test_retraining_keeps_what_the_learner_changed_in_the_export_folder_and_says_so(made, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(made / "run", run)
    (run / "export" / "notes.txt").write_text("what I tried\n", encoding="utf-8")
    (run / "export" / "labels.txt").write_text("😂\n", encoding="utf-8")
    kept = files_of(run / "export")
    result = command("train", "--data", str(made / "tiny.txt"), "--model", "bytegrams", "--epochs", "1",
                     "--out", str(run), home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert files_of(run / "export") == kept
    said = [line for line in result.stdout.splitlines() if "export" in line]
    assert said == [f"kept {run / 'export'} from the earlier run: it was made from the earlier weights, so export "
                    "again to update it"], result.stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no earlier run left aside


def test_a_retraining_killed_between_its_renames_still_hands_the_export_on(tmp_path):
    """A kill right after the new run took the folder's place leaves the earlier run aside under a dead process's
    id: the next training gives its export/ to the run, instead of deleting it with the rest."""
    from emoji_lab.training.runs import building

    folder = tmp_path / "run"
    (folder / "export").mkdir(parents=True)
    (folder / "export" / "notes.txt").write_text("mine\n", encoding="utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    os.rename(folder, tmp_path / f".run.replaced-{dead.stdout.strip()}")
    folder.mkdir()
    (folder / "record.json").write_text("{}\n", encoding="utf-8")
    with building(folder) as build:
        (build / "record.json").write_text("{}\n", encoding="utf-8")
    assert (folder / "export" / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


# -- (5)+(12) the export into the app: all or nothing -------------------------------------------------------------
def some_files(tag: str, model_bytes: int = 3000, golden_bytes: int = 3000) -> dict[str, bytes]:
    """Stand-ins for an export's four files (what they hold does not matter to how they are written)."""
    sizes = {app.MODEL_FILE: model_bytes, app.GOLDEN_FILE: golden_bytes}
    return {name: (f"{tag} {name} ".encode() * 10_000)[:sizes.get(name, 200)] for name in app.APP_FILES}


def filled(resources: Path) -> tuple:
    """An app holding an earlier export, with one file the learner changed since: what a failure must leave."""
    app.write_files(resources, some_files("earlier", 50_000, 5_000))
    (resources / app.LABELS_FILE).write_text("😂\n🔥\n", encoding="utf-8")
    return state(resources)


@contextlib.contextmanager
def immutable(path: Path):
    """A file no one may replace (root too), as a locked file on a Mac; the test skips where chattr cannot."""
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True) if shutil.which("chattr") else None
    if made is None or made.returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def state(folder: Path) -> tuple:
    """Every file's sha256, and each entry's name and whether it is a link."""
    return files_of(folder), sorted((p.name, p.is_symlink()) for p in folder.iterdir())


def fails_and_leaves_all_as_it_was(resources: Path, before: tuple, *words: str) -> None:
    with pytest.raises(EmojiLabError) as caught:
        app.write_files(resources, some_files("newer", 300_000, 200_000))
    assert "\n" not in str(caught.value) and all(word in str(caught.value) for word in words), caught.value
    assert state(resources) == before


def then_an_export_backs_up_only_the_learners_file(resources: Path) -> None:
    learners = (resources / app.LABELS_FILE).read_bytes()
    done = app.write_files(resources, some_files("newer", 300_000, 200_000))
    assert done["backed_up"] == [app.LABELS_FILE] and (done["backup"] / app.LABELS_FILE).read_bytes() == learners
    assert app.on_disk(resources) is not None


@POSIX
def test_a_file_no_one_may_replace_leaves_the_app_as_it_was(tmp_path):
    resources = app.app_resources(fake_app(tmp_path / "ios"))
    before = filled(resources)
    with immutable(resources / app.GOLDEN_FILE):
        fails_and_leaves_all_as_it_was(resources, before, str(resources), "Operation not permitted", "as they were")
    then_an_export_backs_up_only_the_learners_file(resources)


def test_a_full_disk_leaves_the_app_as_it_was(tmp_path):
    resources = app.app_resources(fake_app(tmp_path / "ios"))
    with small_disk(resources, "400k"):
        before = filled(resources)
        fails_and_leaves_all_as_it_was(resources, before, str(resources), "No space left on device")
        subprocess.run(["mount", "-o", "remount,size=2m", str(resources)], check=True)
        then_an_export_backs_up_only_the_learners_file(resources)


def test_an_injected_full_disk_on_the_third_file_leaves_the_app_as_it_was(tmp_path, monkeypatch):
    """The same fault where no tmpfs can be mounted: the third file written fails."""
    resources = app.app_resources(fake_app(tmp_path / "ios"))
    before = filled(resources)
    real, calls = app.write_whole, []

    def full(path, data, kept=""):
        calls.append(path)
        if len(calls) == 3:
            raise WriteError(Path(path), OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
        return real(path, data, kept)

    monkeypatch.setattr(app, "write_whole", full)
    fails_and_leaves_all_as_it_was(resources, before, str(resources), "No space left on device")
    monkeypatch.setattr(app, "write_whole", real)
    then_an_export_backs_up_only_the_learners_file(resources)


@pytest.mark.parametrize("entry", ["folder", "dangling link", "link loop"])
def test_an_entry_that_is_not_a_file_is_one_line_before_anything_is_written(tmp_path, entry):
    resources = app.app_resources(fake_app(tmp_path / "ios"))
    filled(resources)
    golden = resources / app.GOLDEN_FILE
    golden.unlink()
    if entry == "folder":
        golden.mkdir()
        (golden / "mine.txt").write_text("mine\n", encoding="utf-8")
    else:
        golden.symlink_to(tmp_path / "nowhere" if entry == "dangling link" else app.GOLDEN_FILE)
    fails_and_leaves_all_as_it_was(resources, state(resources), str(golden), "nothing was written")


def test_a_resources_link_to_a_folder_is_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ios = fake_app(tmp_path / "ios")
    resources = app.app_resources(ios)
    resources.parent.mkdir()
    resources.symlink_to(elsewhere)
    assert app.check_ios_dir(ios) == ios
    app.write_files(resources, some_files("newer"))
    assert resources.is_symlink() and app.on_disk(elsewhere) is not None


@pytest.mark.parametrize("kind", ["dangling link", "link loop", "file"])
def test_a_resources_that_is_not_a_folder_is_one_line_before_anything_is_written(made, tmp_path, kind):
    ios = fake_app(tmp_path / "ios")
    resources = app.app_resources(ios)
    resources.parent.mkdir()
    if kind == "file":
        resources.write_text("not a folder\n", encoding="utf-8")
    else:
        resources.symlink_to(tmp_path / "nowhere" if kind == "dangling link" else "Resources")
    before = sorted(str(p) for p in ios.rglob("*"))
    result = command("export", "--model", str(made / "run"), "--out", str(tmp_path / "out"), "--ios", str(ios),
                     home=tmp_path / "home")
    one_line_error(result, f"{resources} is a", "nothing was written")
    assert sorted(str(p) for p in ios.rglob("*")) == before and not (tmp_path / "out").exists()


# -- a kill at every point of the export's writes -----------------------------------------------------------------
KILLED_AT = """
import os, signal, sys
from pathlib import Path
from emoji_lab.deploy import app

at, calls = int(sys.argv[3]), [0]

def counted(real):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call

for name in ("replace", "rename", "link", "mkdir", "unlink", "rmdir", "fsync"):
    setattr(os, name, counted(getattr(os, name)))
new = Path(sys.argv[2])
app.write_files(Path(sys.argv[1]), {name: (new / name).read_bytes() for name in app.APP_FILES})
"""


def without_backup_stamp(files: dict[str, str]) -> dict[str, str]:
    return {("backup/" + name.split("/", 1)[1] if name.startswith("backup-") else name): sha
            for name, sha in files.items()}


@POSIX
def test_a_kill_at_any_point_of_the_export_leaves_the_earlier_files_or_the_new_ones_whole(tmp_path):
    """The shipped app's files, one of them changed by the learner; a child process exports new ones and is
    killed before its 1st, 2nd, ... file operation, until one runs to its end. After each kill every file the app
    reads is whole, the earlier one or the new one; the next export first puts the earlier set back or finishes
    the new one, and says nothing false: it backs up the learner's file if that is still in place, nothing else."""
    new = tmp_path / "new"
    new.mkdir()
    for name, data in some_files("newer").items():
        (new / name).write_bytes(data)
    resources = app.app_resources(fake_app(tmp_path / "ios"))
    pristine = tmp_path / "pristine"
    shutil.copytree(SHIPPED, pristine)
    (pristine / app.LABELS_FILE).write_bytes((SHIPPED / app.LABELS_FILE).read_bytes() + "🫠\n".encode())
    earlier = files_of(pristine)
    shutil.copytree(pristine, resources)
    app.write_files(resources, {name: (new / name).read_bytes() for name in app.APP_FILES})
    later = without_backup_stamp(files_of(resources))
    versions = {name: {earlier[name], later[name]} for name in (*app.APP_FILES, app.MANIFEST_FILE)}
    outcomes, at = set(), 0
    while True:
        at += 1
        shutil.rmtree(resources)
        shutil.copytree(pristine, resources)
        child = subprocess.run([sys.executable, "-c", KILLED_AT, str(resources), str(new), str(at)],
                               capture_output=True, text=True, timeout=60)
        if child.returncode == 0:
            break
        assert child.returncode == -9, child.stderr
        for name, shas in versions.items():
            assert files_of(resources).get(name) in shas, (at, name)
        app.recover(resources)
        state = without_backup_stamp(files_of(resources))
        assert state in (earlier, later), at
        outcomes.add("earlier" if state == earlier else "later")
        again = app.write_files(resources, {name: (new / name).read_bytes() for name in app.APP_FILES})
        assert again["backed_up"] == ([app.LABELS_FILE] if state == earlier else []), at
        assert without_backup_stamp(files_of(resources)) == later, at
    assert at > 15 and outcomes == {"earlier", "later"}
    assert without_backup_stamp(files_of(resources)) == later


# -- (9) the files beside a .tflite, checked against it -------------------------------------------------------------
def export_copy(made: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(made / "run" / "export", folder)
    return folder


def predict(folder: Path, home: Path) -> subprocess.CompletedProcess:
    return command("predict", "--model", str(folder / app.MODEL_FILE), "so tired lol", home=home)


@pytest.mark.parametrize("change, words", [
    ({"offset": 300}, ("offset 300", "257")),
    ({"pad_id": 999}, ("pad_id 999", "257")),
    ({"max_len": 64}, ("max_len 64", "[1, 128]")),
])
def test_predict_refuses_a_preprocess_json_the_model_cannot_take(made, tmp_path, change, words):
    folder = export_copy(made, tmp_path)
    path = folder / "preprocess.json"
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **change}), encoding="utf-8")
    one_line_error(predict(folder, tmp_path), str(path), *words)


@pytest.mark.parametrize("content, words", [
    ("a\nb\nc\nd\ne\n".encode(), ("label 1", "'a'", "not one emoji")),
    ("😂\n🔥\n😭\n❤️\n".encode(), ("4 labels", "5 outputs")),
    (b"\xff\xfe\n", ("not UTF-8",)),
])
def test_predict_refuses_labels_the_model_cannot_have(made, tmp_path, content, words):
    folder = export_copy(made, tmp_path)
    (folder / "labels.txt").write_bytes(content)
    one_line_error(predict(folder, tmp_path), str(folder / "labels.txt"), *words)


@pytest.mark.parametrize("content, words", [(b"\xff\xfe{", ("not UTF-8",)), (b'{"offset": ', ("not JSON",))])
def test_a_preprocess_json_that_is_not_utf8_json_is_one_line(made, tmp_path, content, words):
    folder = export_copy(made, tmp_path)
    (folder / "preprocess.json").write_bytes(content)
    one_line_error(predict(folder, tmp_path), str(folder / "preprocess.json"), *words)


def test_export_refuses_a_run_whose_encoder_or_labels_the_model_cannot_take(made, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(made / "run", run, ignore=shutil.ignore_patterns("export"))
    path = run / "preprocess.json"
    original = path.read_text(encoding="utf-8")
    path.write_text(json.dumps({**json.loads(original), "offset": 300}), encoding="utf-8")
    result = command("export", "--model", str(run), home=tmp_path / "home")
    one_line_error(result, str(path), "offset 300", "257")
    path.write_text(original, encoding="utf-8")
    record = json.loads((run / "record.json").read_text(encoding="utf-8"))
    (run / "record.json").write_text(json.dumps({**record, "labels": ["a", *record["labels"][1:]]}),
                                     encoding="utf-8")
    result = command("export", "--model", str(run), home=tmp_path / "home")
    one_line_error(result, str(run / "record.json"), "label 1", "'a'", "not one emoji")
    assert files_of(run / "export") == {}  # the command made the folder, to try writing there; nothing is in it


def test_the_embedding_size_is_read_from_the_tflite(small_chcnn_run):
    """A model that looks its ids up in an embedding: its size is read from the file itself (the GATHER's table),
    so a preprocess.json that would index past it never reaches LiteRT ("gather index out of bounds")."""
    from emoji_lab.deploy.export import to_tflite
    from emoji_lab.deploy.litert import LiteModel, graph_report

    content = to_tflite(small_chcnn_run)
    assert graph_report(content)["input_vocabulary"] == small_chcnn_run.encoder.vocab_size == 257
    wider = dataclasses.replace(small_chcnn_run.encoder, offset=2)
    with pytest.raises(DataError, match=r"^preprocess.json: offset 2 gives byte ids up to 257, but the model's "
                                         r"embedding takes 257 ids \(0 to 256\)$"):
        LiteModel(content, small_chcnn_run.labels, wider)
