"""Faults, as a hostile but fair user makes them, on the real commands in subprocesses: Ctrl-C once, twice and
three times while training and retraining, a kill while a run or a download is being written, a full disk, a
read-only home. Each test looks at what is on disk afterwards, not only at the exit code."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import SHARED_TWEETEVAL, needs_tweeteval

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="signals to a child process are POSIX")


def tiny_file(folder: Path, lines: int = 1500) -> Path:
    """Made-up labelled lines, all different, enough for a validation split."""
    rng = random.Random(7)
    words = "lol so funny love you miss fire lit haha hugs hot omg xoxo burn happy sad tired sleep party".split()
    emoji = ["😂", "❤️", "🔥", "😭", "🎉"]
    path = folder / "tiny.txt"
    path.write_text("".join(" ".join(rng.choice(words) for _ in range(rng.randint(2, 7))) + f" {i} "
                            + rng.choice(emoji) + "\n" for i in range(lines)), encoding="utf-8")
    return path


def env(home: Path, **extra: str) -> dict[str, str]:
    """The test's environment with its own home; no app to fill unless a test names one."""
    base = {k: v for k, v in os.environ.items() if k != "EMOJI_LAB_IOS"}
    return {**base, "EMOJI_LAB_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "80", "PYTHONUNBUFFERED": "1", **extra}


def command(*args: str, home: Path, timeout: int = 600, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emoji_lab", *args], capture_output=True, text=True,
                          timeout=timeout, env=env(home, **extra))


FAST_MODEL = "bytegrams"  # the quickest to build and train: these tests are about what a training leaves on disk


def train_args(data: Path, out: Path, epochs: int) -> list[str]:
    return ["train", "--data", str(data), "--model", FAST_MODEL, "--epochs", str(epochs), "--out", str(out)]


def files_of(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) by relative path, with its sha256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert all(word in result.stderr for word in words), result.stderr


class Training:
    """`python -m emoji_lab train` in the background, its output read as it comes."""

    def __init__(self, args: list[str], home: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "emoji_lab", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env(home))
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for_epoch(self, timeout: float = 300) -> None:
        """Until the first epoch's line: the run being built then holds a checkpoint and logs."""
        deadline = time.monotonic() + timeout
        while not any(line.startswith(" 1/") for line in self.lines):
            assert self.proc.poll() is None, "".join(self.lines)
            assert time.monotonic() < deadline, "".join(self.lines)
            time.sleep(0.05)

    def finish(self, timeout: float = 120) -> int:
        code = self.proc.wait(timeout)
        time.sleep(0.1)
        return code


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    """A run trained to its end, and the data it was trained on: what every interruption must leave as it was."""
    folder = tmp_path_factory.mktemp("faults")
    data, out = tiny_file(folder), folder / "run"
    result = command(*train_args(data, out, 1), home=folder / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    return data, out, files_of(out)


def leftovers(parent: Path, name: str) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


@POSIX
@pytest.mark.parametrize("presses", [1, 2, 3])
def test_ctrl_c_while_retraining_leaves_the_earlier_run_exactly_as_it_was(earlier, tmp_path, presses):
    data, out, before = earlier
    training = Training(train_args(data, out, 30), tmp_path / "home")
    training.wait_for_epoch()
    for _ in range(presses):
        training.proc.send_signal(signal.SIGINT)
        time.sleep(0.2)
    code = training.finish()
    said = "".join(training.lines)
    assert code == 130, said
    assert "Traceback" not in said, said
    assert "this training is discarded; the earlier run in" in " ".join(said.split())
    assert files_of(out) == before  # not a byte changed: the new run was built aside
    assert leftovers(out.parent, out.name) == []


@POSIX
@pytest.mark.parametrize("presses", [1, 3])
def test_ctrl_c_while_training_a_new_run_leaves_no_run(earlier, tmp_path, presses):
    data, _, _ = earlier
    out = tmp_path / "new-run"
    training = Training(train_args(data, out, 30), tmp_path / "home")
    training.wait_for_epoch()
    for _ in range(presses):
        training.proc.send_signal(signal.SIGINT)
        time.sleep(0.2)
    assert training.finish() == 130, "".join(training.lines)
    assert "no run was saved" in "".join(training.lines)
    assert not out.exists() and leftovers(tmp_path, out.name) == []


@POSIX
def test_a_kill_while_a_run_is_written_leaves_the_earlier_run_and_the_next_training_cleans_up(earlier, tmp_path):
    data, out, before = earlier
    training = Training(train_args(data, out, 30), tmp_path / "home")
    training.wait_for_epoch()
    training.proc.kill()  # SIGKILL: no handler runs, nothing is cleaned up by the killed process
    training.finish()
    assert files_of(out) == before
    left = leftovers(out.parent, out.name)
    assert left and all(".building-" in name for name in left)  # hidden: never listed or read as a run
    again = command(*train_args(data, out, 1), home=tmp_path / "home")
    assert again.returncode == 0, again.stdout + again.stderr
    assert leftovers(out.parent, out.name) == []  # the killed process's half-run is gone
    assert json.loads((out / "record.json").read_text(encoding="utf-8"))["config"]["epochs"] == 1


def test_train_out_refuses_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "mine"
    (out / "train").mkdir(parents=True)
    (out / "train" / "mine.txt").write_text("my notes", encoding="utf-8")
    (out / "validation").mkdir()
    (out / "validation" / "notes.txt").write_text("more notes", encoding="utf-8")
    (out / "record.json").write_text("{}", encoding="utf-8")
    before = files_of(out)
    result = command(*train_args(tiny_file(tmp_path), out, 1), "--quick", home=tmp_path / "home")
    one_line_error(result, str(out), "not TensorBoard logs")
    assert files_of(out) == before


def test_zero_and_negative_numbers_are_refused_before_any_work(tmp_path):
    data = tiny_file(tmp_path)
    for args, name in ((train_args(data, tmp_path / "a", 0), "--epochs"),
                       ([*train_args(data, tmp_path / "b", 1), "--quick", "--max-train", "0"], "--max-train"),
                       ([*train_args(data, tmp_path / "c", 1), "--batch-size", "0"], "--batch-size"),
                       (["bench", "--startup-runs", "0"], "--startup-runs"),
                       (["bench", "--latency-runs", "0"], "--latency-runs"),
                       (["data", "stats", "--top-k", "1"], "--top-k")):
        one_line_error(command(*args, home=tmp_path / "home"), name)
    assert not any((tmp_path / name).exists() for name in "abc")


def test_data_too_small_for_a_validation_split_is_refused(tmp_path):
    data = tmp_path / "three.txt"
    data.write_text("lol 😂\nlove ❤️\nfire 🔥\n", encoding="utf-8")
    result = command(*train_args(data, tmp_path / "run", 1), home=tmp_path / "home")
    one_line_error(result, "validation", "at least")
    assert not (tmp_path / "run").exists()


@contextlib.contextmanager
def small_disk(folder: Path, size: str):
    """A tmpfs of `size` mounted at `folder`, where the machine allows it (root, Linux); else the test skips."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True) if sys.platform.startswith("linux") else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (the injected full disk below covers the same path)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_while_training_is_one_line_and_leaves_nothing(tmp_path):
    data = tiny_file(tmp_path)
    with small_disk(tmp_path / "disk", "300k") as disk:
        result = command(*train_args(data, disk / "run", 2), home=tmp_path / "home")
        one_line_error(result, "No space left on device", "no run was saved")
        assert list(disk.iterdir()) == []


def test_an_injected_full_disk_while_saving_the_model_is_one_error_and_leaves_nothing(tmp_path, monkeypatch):
    """The same fault in-process, for machines where no tmpfs can be mounted: the model's save fails."""
    import errno

    import keras

    from emoji_lab.common.errors import EmojiLabError
    from emoji_lab.data.sources import load
    from emoji_lab.training.plan import Plan
    from emoji_lab.training.train import train

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(keras.Model, "save", full)
    ds = load(str(tiny_file(tmp_path, 300)))
    with pytest.raises(EmojiLabError, match="No space left on device.*no run was saved"):
        train(Plan.of("naive-embed-blstm", epochs=1, out=tmp_path / "run"), ds, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.txt"]


def test_a_read_only_home_is_said_at_every_save_and_at_bye(tmp_path):
    """EMOJI_LAB_HOME names a file, so nothing can be written under it (root ignores a folder's mode)."""
    home = tmp_path / "a-file"
    home.write_text("not a folder", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "emoji_lab.repl"], input="next\nbye\n", capture_output=True,
                            text=True, timeout=120, env=env(home))
    out = " ".join(result.stdout.split())
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    assert out.count("progress not saved:") >= 2  # opening the lesson, then `next`
    assert "Progress NOT saved" in out and "Progress saved in" not in out
    assert home.read_text(encoding="utf-8") == "not a folder"
    fresh = command(*train_args(tiny_file(tmp_path), tmp_path / "ignored", 1), home=home)
    assert fresh.returncode == 0  # --out elsewhere: the home is not needed
    default = command("train", "--data", str(tiny_file(tmp_path)), "--model", FAST_MODEL, home=home)
    one_line_error(default, "cannot write in", "EMOJI_LAB_HOME")


class SlowMirror:
    """The shared TweetEval files over HTTP; one of them stalls halfway until released."""

    def __init__(self, stall: str) -> None:
        from emoji_lab.data import tweeteval

        prefix = f"/cardiffnlp/tweeteval/{tweeteval.COMMIT}/datasets/emoji/"
        self.stall, self.release = stall, threading.Event()
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.rsplit("/", 1)[-1]
                body = (SHARED_TWEETEVAL / name).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if name == mirror.stall and not mirror.release.is_set():
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    mirror.release.wait(60)
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{prefix}"
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()


@POSIX
@needs_tweeteval
def test_a_killed_download_leaves_a_part_file_the_next_download_removes_and_files_others_can_read(tmp_path):
    mirror = SlowMirror(stall="train_text.txt")
    cache = tmp_path / "cache"
    extra = {"EMOJI_LAB_CACHE": str(cache), "EMOJI_LAB_TWEETEVAL_URL": mirror.url}
    download = subprocess.Popen([sys.executable, "-m", "emoji_lab", "data", "download", "tweeteval", "--no-test"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env(tmp_path / "home", **extra))
    deadline = time.monotonic() + 60
    while not list(cache.rglob(".train_text.txt.*.part")) or \
            list(cache.rglob(".train_text.txt.*.part"))[0].stat().st_size == 0:
        assert time.monotonic() < deadline and download.poll() is None
        time.sleep(0.05)
    download.kill()
    download.wait(30)
    assert list(cache.rglob(".train_text.txt.*.part"))  # what a kill leaves: no handler ran
    mirror.release.set()
    old_mask = os.umask(0o022)
    try:
        again = command("data", "download", "tweeteval", "--no-test", home=tmp_path / "home", **extra)
    finally:
        os.umask(old_mask)
    assert again.returncode == 0, again.stdout + again.stderr
    assert list(cache.rglob("*.part")) == []
    for path in cache.rglob("*.txt"):
        assert path.stat().st_mode & 0o777 == 0o644, path  # a shared cache: the learners' accounts can read it
    mirror.server.shutdown()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A bytegrams run (a few seconds an epoch) and its export, made by the commands."""
    folder = tmp_path_factory.mktemp("exported")
    data, home = tiny_file(folder, 400), folder / "home"
    for args in (["train", "--data", str(data), "--model", "bytegrams", "--epochs", "1", "--out", str(folder / "run")],
                 ["export", "--model", str(folder / "run"), "--out", str(folder / "export")]):
        result = command(*args, home=home)
        assert result.returncode == 0, result.stdout + result.stderr
    return folder


def test_predict_refuses_k_out_of_range_and_says_when_a_text_has_nothing_to_read(exported, tmp_path):
    model = str(exported / "export" / "emoji_model.tflite")
    one_line_error(command("predict", "--model", model, "-k", "-1", "x", home=tmp_path), "-k", "1 or more")
    one_line_error(command("predict", "--model", model, "-k", "6", "x", home=tmp_path), "-k", "from 1 to 5")
    said = command("predict", "--model", model, "", "   ", "😂🔥", "so tired", home=tmp_path)
    assert said.returncode == 0, said.stderr
    flat = " ".join(said.stdout.split())
    assert flat.count("the model has nothing to read") == 2 and flat.count("only emoji") == 1
    assert "so tired" in flat and flat.split("so tired", 1)[1].count("nothing") == 0


def test_a_damaged_run_is_one_line_in_every_command_that_reads_it(exported, tmp_path):
    import shutil

    broken, cut = tmp_path / "broken", tmp_path / "cut"
    shutil.copytree(exported / "run", broken)
    record = json.loads((broken / "record.json").read_text(encoding="utf-8"))
    del record["labels"]
    (broken / "record.json").write_text(json.dumps(record), encoding="utf-8")
    shutil.copytree(exported / "run", cut)
    (cut / "best.keras").write_bytes((exported / "run" / "best.keras").read_bytes()[:1000])
    data = str(exported / "tiny.txt")
    for args, words in ((["export", "--model", str(broken)], ("no `labels`", "train it again")),
                        (["evaluate", "--model", str(broken), "--data", data], ("no `labels`",)),
                        (["export", "--model", str(cut)], ("best.keras cannot be read", "damaged")),
                        (["evaluate", "--model", str(cut), "--data", data], ("best.keras cannot be read",))):
        one_line_error(command(*args, home=tmp_path), *words)


def test_export_reads_emoji_lab_ios_and_refuses_one_that_is_not_the_app(exported, tmp_path):
    result = command("export", "--model", str(exported / "run"), "--out", str(tmp_path / "out"), home=tmp_path,
                     EMOJI_LAB_IOS=str(tmp_path / "nowhere"))
    one_line_error(result, "nowhere", "not the ios_starter folder")
    assert not (tmp_path / "out").exists()


def test_a_retrained_run_never_takes_its_earlier_export_for_its_own(exported, tmp_path):
    """The export remembers the weights it came from; the lessons' readers of an export check them."""
    import shutil

    from emoji_lab.common.errors import EmojiLabError
    from emoji_lab.deploy.app import export_problem, exported_from_disk, weights_problem
    from emoji_lab.training.runs import open_run

    run_folder = tmp_path / "run"
    shutil.copytree(exported / "run", run_folder)
    shutil.copytree(exported / "export", run_folder / "export")
    run = open_run(run_folder)
    golden = json.loads((run_folder / "export" / "golden.json").read_text(encoding="utf-8"))
    assert weights_problem(golden, run, run_folder / "export") is None
    assert exported_from_disk(run)["run"] == run.name
    (run_folder / "best.keras").write_bytes((run_folder / "best.keras").read_bytes() + b"\0")  # "retrained"
    with pytest.raises(EmojiLabError, match="made from other weights"):
        exported_from_disk(run)
    outcome = {"run": run.name, "quantize": "float32", "out": {"folder": run_folder / "export"}, "ios": None}
    assert "made from other weights" in export_problem(outcome, run, None, "exported", "best")


CRASH_AT = Path(__file__).resolve().parent / "crash_at.py"


def crashed(kill_at: int, arm: str, args: list[str], home: Path, **extra: str) -> subprocess.CompletedProcess:
    """`python -m emoji_lab ARGS`, killed before its kill_at-th change from the first to a path with `arm` in it
    (0: not killed; its stderr then ends with how many changes it made)."""
    return subprocess.run([sys.executable, str(CRASH_AT), str(kill_at), arm, "-m", "emoji_lab", *args],
                          capture_output=True, text=True, timeout=600, env=env(home, **extra))


@POSIX
def test_a_retraining_killed_at_every_point_of_its_save_leaves_one_whole_run_and_the_next_start_says_so(earlier,
                                                                                                       tmp_path):
    """SIGKILL before the file-system changes of the save: the new run's record (its part file; the rest of its
    writing is the kill test above), each step of the swap, and inside the earlier run's removal: afterwards the
    folder holds the earlier run, byte for byte, or the new one, whole; the next command that reads it finds one
    of them; the next training cleans what the killed one left."""
    import shutil

    from emoji_lab.training.runs import check_run_dir, read_record

    data, out, _ = earlier
    run, home, before = tmp_path / "run", tmp_path / "home", files_of(out)  # as the tests above left it

    def names(folder: Path) -> set[str]:  # a new run's TensorBoard files are named by time and process
        return {name.split("events.out.tfevents.")[0] + ("events" if "tfevents" in name else "")
                for name in files_of(folder)}

    def retrain(kill_at: int) -> subprocess.CompletedProcess:
        shutil.rmtree(run, ignore_errors=True)
        shutil.copytree(out, run)
        return crashed(kill_at, ".record.json", train_args(data, run, 1), home)

    counted = retrain(0)
    assert counted.returncode == 0, counted.stderr
    points = int(counted.stderr.rsplit("crash_at: ", 1)[1].split()[0])
    assert points >= 6  # the record's part file, its mode, its rename; the earlier run aside, the new one in place
    new, outcomes = names(run), []
    for kill_at in (1, 4, 5, 6, points):  # 2 and 3 (the record's mode and rename) are inside the hidden build
        assert retrain(kill_at).returncode == -signal.SIGKILL
        read_record(check_run_dir(run))  # what `evaluate`, `export` and `predict` read first
        outcomes.append("earlier" if files_of(run) == before else "new")
        assert outcomes[-1] == "earlier" or names(run) == new, f"kill {kill_at}: neither run whole: {names(run)}"
        assert all(".building-" in name or ".replaced-" in name for name in leftovers(tmp_path, "run"))
    assert outcomes[0] == "earlier" and outcomes[-1] == "new", outcomes
    again = command(*train_args(data, run, 1), home=home)
    assert again.returncode == 0, again.stderr
    assert leftovers(tmp_path, "run") == []  # what the last killed one left is gone
