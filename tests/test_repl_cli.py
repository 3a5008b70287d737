"""The command line of `python -m emoji_lab.repl`: --list, --reset, --auto, --lesson, errors, start-up imports."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lessons_fixture"))
from repl_driver import BROKEN, GOOD, LiveRepl, env_for, repl  # noqa: E402

HEAVY = ("tensorflow", "keras", "numpy", "ipywidgets", "ai_edge_litert")


def test_list_shows_lessons_and_progress(tmp_path):
    repl(tmp_path, ["next", "next", "bye"])
    result = repl(tmp_path, args=["--list"], lessons=[GOOD])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "step 3 of 9" in out
    assert "Engine fixture" in out and "not started" in out
    assert "progress:" in out and "data: sample" in out
    assert ">>>" not in out  # lists and exits, no session


def test_list_does_not_move_a_bad_progress_file(tmp_path):
    (tmp_path / "progress.json").write_text("garbage", encoding="utf-8")
    result = repl(tmp_path, args=["--list"])
    assert result.returncode == 0
    assert "it will be moved aside when you start" in result.stdout
    assert (tmp_path / "progress.json").exists()


def test_reset_yes_deletes_progress(tmp_path):
    repl(tmp_path, ["next", "bye"])
    assert (tmp_path / "progress.json").exists()
    result = repl(tmp_path, args=["--reset", "--yes"])
    assert result.returncode == 0
    assert "Progress deleted" in result.stdout
    assert not (tmp_path / "progress.json").exists()


def test_reset_asks_first(tmp_path):
    repl(tmp_path, ["next", "bye"])
    no = repl(tmp_path, ["n"], args=["--reset"])
    assert "Delete all progress" in no.stdout and "Nothing deleted." in no.stdout
    assert no.returncode == 1 and (tmp_path / "progress.json").exists()
    yes = repl(tmp_path, ["y"], args=["--reset"])
    assert yes.returncode == 0 and not (tmp_path / "progress.json").exists()


def test_lesson_option_jumps(tmp_path):
    result = repl(tmp_path, ["bye"], args=["--lesson", "90"], lessons=[GOOD])
    assert result.returncode == 0
    assert "Starting lesson 90 · Engine fixture" in result.stdout
    assert "[90.1] Set x" in result.stdout


def test_unknown_lesson_is_one_line_error(tmp_path):
    result = repl(tmp_path, args=["--lesson", "77"])
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: --lesson 77: no such lesson (lessons present: 00")
    assert len(result.stderr.strip().splitlines()) == 1


def test_lang_only_en(tmp_path):
    assert repl(tmp_path, ["bye"], args=["--lang", "en"]).returncode == 0
    result = repl(tmp_path, args=["--lang", "fr"])
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_auto_dry_run_from_the_command_line(tmp_path, monkeypatch):
    """The CLI's dry run over the lessons that train nothing, with --timings. Every packaged lesson, the training
    ones included, is played by the same `auto.play_lesson` in test_repl_lessons.py, in one shared course home."""
    monkeypatch.setenv("EMOJI_LAB_LESSONS", str(GOOD))
    from emoji_lab.repl.lesson import load_lessons

    present = [l for l in load_lessons() if l.number <= 3 or l.id == "90"]
    timings = tmp_path / "out" / "timings.json"
    result = repl(tmp_path, args=["--auto", "--quick", "--lessons", "0-3,90", "--timings", str(timings)],
                  lessons=[GOOD], timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("lesson ")] == [f"lesson {l.id} · {l.title}" for l in present]
    step_lines = [line for line in lines if line.startswith("[")]
    n_steps = sum(len(l.steps) for l in present)
    assert len(step_lines) == n_steps
    assert all(" ok " in line and line.split()[2].endswith("s") for line in step_lines)
    assert f"all {n_steps} steps ok" in result.stdout and f"timings in {timings}" in " ".join(result.stdout.split())
    assert not (tmp_path / "progress.json").exists()  # a dry run leaves the learner's progress alone
    assert not (tmp_path / "runs").exists()
    record = json.loads(timings.read_text(encoding="utf-8"))
    assert record["quick"] is True and record["data"] == "sample" and record["machine"]["cpus"] >= 1
    assert record["command"] == f"python -m emoji_lab.repl --auto --quick --lessons 0-3,90 --timings {timings}"
    assert [l["id"] for l in record["lessons"]] == [l.id for l in present]
    assert [s["id"] for s in record["lessons"][0]["steps"]] == [s.id for s in present[0].steps]
    assert all(l["ok"] for l in record["lessons"])
    assert record["seconds"] >= sum(l["seconds"] for l in record["lessons"]) > 0


def _csv_of_sample_lines(path: Path) -> Path:
    """The practice corpus as a learner's own spreadsheet export: an id column, then the text in `body`."""
    import csv

    from emoji_lab.data.corpus import read_sample_lines

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "body"])
        writer.writerows(enumerate(read_sample_lines()))
    return path


def test_dry_run_on_an_own_csv_with_its_text_column(tmp_path):
    """An instructor checks the room's own export: the option reaches every lesson's load(DATA)."""
    data = _csv_of_sample_lines(tmp_path / "room.csv")
    timings = tmp_path / "timings.json"
    args = ["--auto", "--quick", "--lessons", "0-3", "--data", str(data), "--text-column", "body"]
    result = repl(tmp_path, args=[*args, "--timings", str(timings)], timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    record = json.loads(timings.read_text(encoding="utf-8"))
    assert record["data"] == str(data) and record["options"] == {"text_column": "body"}
    wrong = repl(tmp_path, args=["--auto", "--quick", "--lessons", "1", "--data", str(data)], timeout=600)
    assert wrong.returncode == 1 and "no column named 'text'" in " ".join(wrong.stdout.split()), wrong.stdout


def test_the_data_and_its_options_are_remembered(tmp_path):
    data = _csv_of_sample_lines(tmp_path / "mine.csv")
    first = repl(tmp_path, ["DATA", "bye"], args=["--data", str(data), "--text-column", "body"])
    assert first.returncode == 0, first.stderr
    assert f"checking --data {data} --text-column body" in first.stdout
    assert f"Source({str(data)!r}, text_column='body')" in first.stdout
    again = repl(tmp_path, ["DATA", "bye"])
    assert "checking" not in again.stdout and f"Source({str(data)!r}, text_column='body')" in again.stdout
    assert f"data: {data} --text-column body" in " ".join(repl(tmp_path, args=["--list"]).stdout.split())
    split = repl(tmp_path, ["bye"], args=["--seed", "7"])  # an option alone changes the remembered source
    assert f"checking --data {data} --seed 7 --text-column body" in split.stdout
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert saved["source"] == {"source": str(data), "path": str(data), "text_column": "body", "seed": 7}
    bad = repl(tmp_path, ["bye"], args=["--text-column", "nope"])
    assert bad.returncode == 2 and "nope" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    assert json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))["source"] == saved["source"]


def test_dry_run_keeps_the_learners_home_and_app(tmp_path, monkeypatch):
    """The lessons that fill the iPhone app name a dry-run sandbox: a dry run fills a throwaway copy, in a throwaway
    home, entered once for all of them."""
    import os

    from emoji_lab.repl import auto
    from emoji_lab.repl.lesson import load_lessons

    monkeypatch.setenv("EMOJI_LAB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EMOJI_LAB_IOS")
    fillers = [lesson for lesson in load_lessons() if lesson.dry_run]
    assert [lesson.id for lesson in fillers] == ["08", "09"]
    with auto.throwaway_home() as tmp, auto.sandboxes(fillers, tmp):
        assert os.environ["EMOJI_LAB_HOME"] == tmp
        app = Path(os.environ["EMOJI_LAB_IOS"])
        assert app.parent == Path(tmp) and (app / "EmojiLab.xcodeproj").is_dir()
    assert os.environ["EMOJI_LAB_HOME"] == str(tmp_path / "home") and "EMOJI_LAB_IOS" not in os.environ
    assert not Path(tmp).exists()


def test_timings_only_with_auto(tmp_path):
    result = repl(tmp_path, args=["--timings", "t.json"])
    assert result.returncode == 2 and "--timings goes with --auto" in result.stderr


def test_auto_fails_on_a_broken_lesson(tmp_path):
    result = repl(tmp_path, args=["--auto", "--lessons", "91"], lessons=[BROKEN])
    assert result.returncode == 1
    out = " ".join(result.stdout.split())
    assert "[91.1] FAIL" in out and "reference fails its check: `y` is 1; it should be 2." in out
    assert "[91.2] FAIL" in out and "demo raised ZeroDivisionError" in out
    assert "[91.3] ok" in out
    assert "2 of 3 steps FAILED" in out


def test_auto_lesson_ranges(tmp_path):
    result = repl(tmp_path, args=["--auto", "--lessons", "0,90"], lessons=[GOOD, BROKEN])
    assert result.returncode == 0 and "lesson 91" not in result.stdout
    result = repl(tmp_path, args=["--auto", "--lessons", "89-91"], lessons=[GOOD, BROKEN])
    assert result.returncode == 1 and "lesson 90" in result.stdout and "lesson 91" in result.stdout
    bad = repl(tmp_path, args=["--auto", "--lessons", "x-y"])
    assert bad.returncode == 2 and "use numbers and ranges" in bad.stderr
    none = repl(tmp_path, args=["--auto", "--lessons", "50"])
    assert none.returncode == 2 and "matches no lesson" in none.stderr
    assert repl(tmp_path, args=["--lessons", "1"]).returncode == 2  # only with --auto


def test_bad_lesson_file_names_file_and_step(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "50_bad.toml").write_text(textwrap.dedent('''
        format_version = 1
        id = "50"
        title = "Bad"
        [[steps]]
        id = "50.1"
        kind = "exercise"
        title = "No checks"
        prompt = "Do it."
        solution = "a = 1"
        names = ["a"]
    '''), encoding="utf-8")
    result = repl(tmp_path, ["bye"], lessons=[lessons])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == f"error: {lessons / '50_bad.toml'}: step 50.1: an exercise step needs `checks`"


def test_no_heavy_imports_at_start_up(tmp_path):
    """--list and a whole lesson 00 session never import TensorFlow, Keras, NumPy or ipywidgets."""
    code = textwrap.dedent(f'''
        import io, sys
        from emoji_lab.repl.cli import main
        assert main(["--list"]) == 0
        sys.stdin = io.StringIO("next\\nnext\\nskip\\nskip\\nnext\\nskip\\nb\\nnext\\nnext\\nbye\\n")
        assert main([]) == 0
        print("HEAVY:", [m for m in {HEAVY!r} if m in sys.modules])
    ''')
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            env=env_for(tmp_path), timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lesson 00 · Welcome is done!" in result.stdout
    assert "HEAVY: []" in result.stdout


def test_python_version_floor_in_lesson_code():
    """Engine code stays importable on Python 3.10: no tomllib-only import without the tomli fallback."""
    source = (Path(__file__).resolve().parents[1] / "src" / "emoji_lab" / "repl" / "lesson.py").read_text(encoding="utf-8")
    assert "import tomli as tomllib" in source


def test_progress_file_is_written_atomically(tmp_path):
    repl(tmp_path, ["next", "next", "bye"])
    assert json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))["lessons"]["00"]["at"] == "00.3"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_second_console_on_one_home_names_the_first_and_does_not_start(tmp_path):
    """Two terminals, one EMOJI_LAB_HOME: the second would save its progress over the first one's."""
    first = LiveRepl(tmp_path, lessons=[GOOD])
    try:
        first.wait_for(">>>")
        second = repl(tmp_path, ["next", "bye"], lessons=[GOOD])
        assert second.returncode == 2 and second.stdout == ""
        assert second.stderr.startswith(f"error: another console is open on {tmp_path} (process {first.proc.pid}, ")
        assert "finish it with `bye`" in second.stderr and len(second.stderr.strip().splitlines()) == 1
        assert repl(tmp_path, args=["--reset", "--yes"]).returncode == 2  # nor deletes its progress meanwhile
        assert repl(tmp_path, args=["--list"]).returncode == 0  # reading is fine
        first.send("bye")
        assert first.close() == 0
    finally:
        first.close()
    again = repl(tmp_path, ["bye"], lessons=[GOOD])  # the first let go (also when killed: the system's lock)
    assert again.returncode == 0, again.stderr
    killed = LiveRepl(tmp_path, lessons=[GOOD])
    killed.wait_for(">>>")
    killed.proc.kill()
    killed.close()
    assert repl(tmp_path, ["bye"], lessons=[GOOD]).returncode == 0  # nothing stale is left to clean by hand


def test_a_dry_run_stopped_with_sigterm_leaves_no_temporary_home(tmp_path):
    import os
    import signal
    import time

    temp = tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "emoji_lab.repl", "--auto", "--lessons", "90"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env_for(tmp_path / "home", [GOOD], TMPDIR=str(temp), EMOJI_LAB_FIXTURE_SLOW="60"))
    deadline = time.monotonic() + 60
    while not list(temp.glob("emoji_lab-auto-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(temp.glob("emoji_lab-auto-*")), "the dry run made no temporary home"
    time.sleep(1)  # into its steps
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM, proc.stdout.read()
    assert list(temp.iterdir()) == []
