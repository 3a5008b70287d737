"""Real sessions of `python -m emoji_lab.repl`, driven through a subprocess with piped input."""

from __future__ import annotations

import json
import re
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "lessons_fixture"))
from repl_driver import GOOD, LiveRepl, repl  # noqa: E402

from emoji_lab.repl import progress as progress_mod  # noqa: E402

TO_00_4 = ["next", "next", "skip"]  # two text steps, then skip the "try the commands" step
WAVE = "\\N{WAVING HAND SIGN}"  # typed by the learner as an escape: works on any keyboard


def progress_of(home: Path) -> dict:
    return json.loads((home / "progress.json").read_text(encoding="utf-8"))


def assert_clean(result) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stdout


def flat(text: str) -> str:
    """Output with line wrapping undone, for checking messages that an 80-column console folds."""
    return " ".join(text.split())


def after(text: str, marker: str) -> str:
    assert marker in text, text
    return text[text.index(marker) + len(marker):]


def test_first_start_shows_menu_and_first_step(tmp_path):
    result = repl(tmp_path, ["bye"])
    assert_clean(result)
    out = result.stdout
    assert "not started" not in out  # no menu of states yet: [00.1] lists the lessons
    assert "[00.1] What you will build" in out and re.search(r"\b0 +Welcome +10\b", out)
    assert ">>> bye" in out
    assert "picks up at [00.1]" in out
    assert max(len(line) for line in out.splitlines() if not line.startswith("    EMOJI_LAB_HOME=")) <= 80
    assert "\x1b[" not in out  # NO_COLOR / not a terminal: plain text


def test_right_answer_advances(tmp_path):
    result = repl(tmp_path, TO_00_4 + [f'greeting = "hello {WAVE}"', "bye"])
    assert_clean(result)
    rest = after(result.stdout, 'greeting = "hello')
    assert "✓ `greeting` holds an emoji." in rest
    assert "[00.5] Characters are not bytes" in rest
    assert "[104, 105, 32, 240, 159, 145, 139] = the UTF-8 bytes" in rest  # the demo ran by itself
    data = progress_of(tmp_path)
    steps = data["lessons"]["00"]["steps"]
    assert steps["00.4"] == {"status": "passed", "code": [f'greeting = "hello {WAVE}"']}
    assert steps["00.3"]["status"] == "skipped"
    assert steps["00.5"]["status"] == "ran"


def test_wrong_then_hint_then_right_keeps_namespace(tmp_path):
    lines = TO_00_4 + [
        'word = "hey"',            # exploring: a helper name, the guide stays quiet
        "greeting = word",         # wrong: no emoji
        "print('greeting' in dir(), word)",
        "hint",
        "hint",
        f'greeting = word + " {WAVE}"',
        "next",                    # past the demo
        "n_bytes = len(greeting)",  # the classic mistake: characters, not bytes
        'n_bytes = len(greeting.encode("utf-8"))',
        "bye",
    ]
    result = repl(tmp_path, lines)
    assert_clean(result)
    out = after(result.stdout, ">>> greeting = word\n")
    assert out.splitlines()[0].startswith("✗ `greeting` has no emoji yet")
    assert "That line was undone, so you can try again: `greeting` is removed." in out
    assert "False hey" in out  # the wrong greeting was removed, the helper is intact
    assert "hint 1/3" in out and "hint 2/3" in out and "hint 3/3" not in out
    assert "✓ `greeting` holds an emoji." in out
    assert "✗ `n_bytes` is 5: that is `len(greeting)`, the number of characters." in out
    assert "✓ Right: more bytes than characters" in out
    assert "[00.7] Why bytes?" in out


def test_skip_runs_solution_and_reports_names(tmp_path):
    result = repl(tmp_path, TO_00_4 + ["skip", "print(greeting)", "bye"])
    assert_clean(result)
    out = after(result.stdout, ">>> skip\n")
    assert 'greeting = "See you on the iPhone \\N{WAVING HAND SIGN}"' in out  # the solution is shown
    assert "the solution created greeting." in out
    assert "[00.5] Characters are not bytes" in out
    assert "See you on the iPhone 👋" in out
    assert progress_of(tmp_path)["lessons"]["00"]["steps"]["00.4"]["status"] == "skipped"


def test_solution_stays_and_next_refuses_unsolved(tmp_path):
    result = repl(tmp_path, TO_00_4 + ["next", "solution", "next", "bye"])
    assert_clean(result)
    out = after(result.stdout, "[00.4]")
    assert "This exercise isn't solved yet" in out
    sol = after(out, ">>> solution\n")
    assert "the solution created greeting." in sol
    assert sol.index("type `next` to go on") < sol.index(">>> next")
    assert "[00.5]" in after(sol, ">>> next")


def test_back(tmp_path):
    result = repl(tmp_path, ["back", "next", "back", "bye"])
    assert_clean(result)
    out = result.stdout
    assert "This is the first step of lesson 00." in after(out, ">>> back\n")
    last = after(after(out, ">>> next\n"), ">>> back\n")
    assert "[00.1] What you will build" in last
    assert progress_of(tmp_path)["lessons"]["00"]["at"] == "00.1"


def test_bye_then_resume_rebuilds_namespace(tmp_path):
    first = repl(tmp_path, TO_00_4 + ['greeting = "party \\N{PARTY POPPER}"', "next", "bye"])
    assert_clean(first)
    assert "picks up at [00.6]" in first.stdout
    second = repl(tmp_path, ["print(greeting, word)", "bye"])
    assert_clean(second)
    out = second.stdout
    assert "Resuming lesson 00 · Welcome at [00.6]." in out
    assert "rebuilt namespace: greeting, word" in out
    assert "[00.6] Count the bytes" in out
    assert "party 🎉 hi 👋" in out  # the learner's own value came back, and the demo's
    assert "step 6 of 9" in out
    assert "reference solution's values" not in out


def test_resume_runs_the_learners_own_code_or_says_whose_values_stand_in(tmp_path):
    """The learner's own answer comes back, whatever it is (a function, an object), by running the code that
    solved the step again (play mode included, not the wrong tries); where it cannot run (it used a name made
    at another step), the step's names hold the reference solution's values and the console says so."""
    own = ["play", "def shout(s): return s.upper()", "", "resume", "greeting = 'no emoji'",
           f"greeting = shout('party ') + '{WAVE}'", "next", "n_bytes = len(greeting.encode('utf-8'))", "bye"]
    first = repl(tmp_path, TO_00_4 + own)
    assert_clean(first)
    assert progress_of(tmp_path)["lessons"]["00"]["steps"]["00.4"]["code"] == [
        "def shout(s): return s.upper()", f"greeting = shout('party ') + '{WAVE}'"]
    second = repl(tmp_path, ["print(greeting, n_bytes, shout('ok'))", "bye"])
    assert_clean(second)
    assert "PARTY 👋 10 OK" in second.stdout and "reference solution's values" not in second.stdout

    elsewhere = tmp_path / "elsewhere"
    lines = TO_00_4 + ["back", f"e = '{WAVE}'", "next", "greeting = 'party ' + e", "next",
                       "n_bytes = len(greeting.encode('utf-8'))", "bye"]
    assert_clean(repl(elsewhere, lines))
    third = repl(elsewhere, ["print(greeting, n_bytes)", "bye"])
    assert_clean(third)
    out = flat(third.stdout)
    assert ("[00.4]: your own code for this step could not be run again (NameError: name 'e' is not defined), "
            "so greeting now holds the reference solution's values, not yours.") in out
    reference = "See you on the iPhone 👋"  # and n_bytes is the learner's code run on it: never a mix
    assert f"{reference} {len(reference.encode('utf-8'))}" in out


def test_progress_saved_before_the_library_moved_into_wings_resumes_with_the_learners_own_code(tmp_path):
    """tests/fixtures/progress_format1.json was saved by the console of 0d44eb3 (format 1), whose modules sat at
    the package's top: the learner solved 01.9 with `from emoji_lab.emojis import find_emoji as fe`. It resumes
    with their own code, its import pointing where the module is now, and is saved in today's format."""
    fixture = Path(__file__).resolve().parent / "fixtures" / "progress_format1.json"
    (tmp_path / "progress.json").write_text(fixture.read_text(encoding="utf-8"), encoding="utf-8")
    result = repl(tmp_path,
                  ["print(count_emoji('a \N{FACE WITH TEARS OF JOY} b \N{FACE WITH TEARS OF JOY}'), fe.__module__)",
                             "bye"], timeout=120)
    assert_clean(result)
    assert "Resuming lesson 01" in result.stdout and "at [01.10]" in result.stdout
    assert "2 emoji_lab.data.emojis" in result.stdout
    assert "reference solution's values" not in result.stdout and "moved it to" not in result.stdout
    saved = progress_of(tmp_path)
    assert saved["format_version"] == 2 and saved["current_lesson"] == "01"
    assert saved["source"] == {"source": "sample", "path": None} and "data" not in saved  # the source, as a value
    assert saved["lessons"]["01"]["steps"]["01.9"]["code"] == [
        "from emoji_lab.data.emojis import find_emoji as fe", "count_emoji = lambda line: len(fe(line))"]


def test_end_of_input_saves_and_quits(tmp_path):
    result = repl(tmp_path, ["next"])  # no bye: input just ends, like Ctrl-D
    assert_clean(result)
    assert "Progress saved in" in result.stdout
    assert progress_of(tmp_path)["lessons"]["00"]["at"] == "00.2"


def test_exit_call_saves_and_quits(tmp_path):
    result = repl(tmp_path, ["next", "exit()", "print('not reached')"])
    assert_clean(result)
    assert "not reached" not in result.stdout.split(">>> exit()")[1]
    assert "Progress saved in" in result.stdout


def test_corrupted_progress_file_is_moved_aside(tmp_path):
    (tmp_path / "progress.json").write_text("{not json", encoding="utf-8")
    result = repl(tmp_path, ["bye"])
    assert_clean(result)
    warnings = [line for line in result.stdout.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "is damaged" in warnings[0] and "starting fresh" in warnings[0]
    assert "Traceback" not in result.stdout
    assert "[00.1] What you will build" in result.stdout
    aside = list(tmp_path.glob("progress.json.bad-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{not json"
    assert progress_of(tmp_path)["format_version"] == progress_mod.FORMAT_VERSION


def test_progress_from_a_newer_course_is_refused_and_left_as_it_is(tmp_path):
    newer = json.dumps({"format_version": 99, "lessons": {"01": {"at": "01.3", "steps": {}}}})
    (tmp_path / "progress.json").write_text(newer, encoding="utf-8")
    for args in ([], ["--list"]):
        result = repl(tmp_path, ["bye"], args=args)
        assert result.returncode == 2 and ">>>" not in result.stdout
        assert result.stderr == (f"error: progress file {tmp_path / 'progress.json'} was saved by a newer emoji_lab "
                                 f"(progress format 99, this one reads {progress_mod.FORMAT_VERSION}); upgrade: in "
                                 "the course's folder, `git pull`, then the README's first command again; the file is "
                                 "left as it is\n")
    assert (tmp_path / "progress.json").read_text(encoding="utf-8") == newer
    assert not list(tmp_path.glob("progress.json.bad-*"))


def test_progress_an_editor_saved_with_a_byte_order_mark_is_read(tmp_path):
    repl(tmp_path, TO_00_4 + ["bye"])
    saved = (tmp_path / "progress.json").read_text(encoding="utf-8")
    (tmp_path / "progress.json").write_text("\ufeff" + saved, encoding="utf-8")
    result = repl(tmp_path, ["bye"])
    assert_clean(result)
    assert "warning" not in result.stdout and "Resuming" in result.stdout
    assert not list(tmp_path.glob("progress.json.bad-*"))


@pytest.mark.parametrize("text", [json.dumps({"format_version": 0}), json.dumps({"format_version": "2"}),
                                  "[" * 100_000 + "]" * 100_000])
def test_progress_of_no_known_format_or_nested_too_deep_is_moved_aside(tmp_path, text):
    (tmp_path / "progress.json").write_text(text, encoding="utf-8")
    result = repl(tmp_path, ["bye"])
    assert_clean(result)
    warnings = [line for line in result.stdout.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "starting fresh" in warnings[0]
    assert len(list(tmp_path.glob("progress.json.bad-*"))) == 1


def test_choice_answers(tmp_path):
    lines = TO_00_4 + ["skip", "next", "skip", "a", "z = 1", "d", "b", "bye"]
    result = repl(tmp_path, lines)
    assert_clean(result)
    out = after(result.stdout, "[00.7] Why bytes?")
    assert "✗ Not really: speed comes from the model's size" in after(out, ">>> a\n")
    assert "Answer with one of the letters a, b, c." in after(out, ">>> d\n")
    assert "✓ Right. 256 symbols cover every text" in after(out, ">>> b\n")
    assert "[00.8] Your setup" in after(out, ">>> b\n")
    assert "TensorFlow" in out and "LiteRT runtime" in out  # the environment table


def test_skip_on_a_choice_shows_the_answer_without_calling_it_right(tmp_path):
    result = repl(tmp_path, TO_00_4 + ["skip", "next", "skip", "skip", "bye"])
    assert_clean(result)
    out = flat(after(after(result.stdout, "[00.7] Why bytes?"), ">>> skip\n"))
    assert out.startswith("The answer is b) Every text is a sequence of bytes")
    assert "256 symbols cover every text" in out and "Right" not in out.split("[00.8]")[0]


def test_try_the_commands_step(tmp_path):
    lines = ["next", "next", "next", "help", "hint", "progress", "menu", "", "play", "resume", "back", "next",
             "next", "bye"]
    result = repl(tmp_path, lines)
    assert_clean(result)
    out = flat(result.stdout)
    assert "Try these commands first: `help`, `hint`, `progress`, `menu`, `play`, `resume`, `back`" in out
    assert "Commands: a word typed alone on its line." in out
    assert "Open which lesson?" in out and "staying at [00.3]" in out
    assert "Play mode" in out
    assert "You have tried every command" in out
    assert "[00.4] A text with an emoji" in after(out, "You have tried every command")
    assert "(play) >>> resume" in result.stdout


def test_play_mode_does_not_check(tmp_path):
    result = repl(tmp_path, TO_00_4 + ["play", "greeting = 5", "resume", "print(greeting)", "bye"])
    assert_clean(result)
    out = after(result.stdout, ">>> play\n")
    assert "✗" not in out.split("resume")[0]  # quiet while playing
    assert "\n5\n" in out  # play changes are kept
    assert "[00.4] A text with an emoji" in out  # resume shows the step again


def test_python_console_behaviour(tmp_path):
    lines = ["1 + 1", "for i in range(2):", "    print('loop', i)", "", "1 / 0", "def f(:", "next = 3",
             "print(next)", "[x * 2 for x in range(3)]", "bye"]
    result = repl(tmp_path, lines)
    assert_clean(result)
    out = result.stdout
    assert ">>> 1 + 1\n2\n" in out  # expression results are echoed
    assert "... " in out and "loop 0\nloop 1" in out  # multi-line input with a continuation prompt
    err = after(out, ">>> 1 / 0\n")
    assert "ZeroDivisionError: division by zero" in err
    assert "emoji_lab" not in err.split(">>>")[0]  # only the learner's frames
    assert "SyntaxError" in after(out, ">>> def f(:\n")
    assert ">>> print(next)\n3\n" in out  # a variable named like a command still works in code
    assert "[0, 2, 4]" in out


@pytest.mark.parametrize("sigint_ignored", [False, True], ids=["terminal", "started-with-sigint-ignored"])
def test_ctrl_c_during_slow_step_returns_to_prompt(tmp_path, sigint_ignored):
    if sys.platform == "win32":
        pytest.skip("SIGINT to a child process is POSIX")
    live = LiveRepl(tmp_path, ["--lesson", "90"], lessons=[GOOD], sigint_ignored=sigint_ignored,
                    EMOJI_LAB_FIXTURE_SLOW="30")
    try:
        live.wait_for("[90.1] Set x")
        for line in ["x = 42", "next", "skip", "skip"]:
            live.send(line)
        pos = live.wait_for("slow step started", timeout=20)
        live.proc.send_signal(signal.SIGINT)
        pos = live.wait_for("interrupted", timeout=10, start=pos)
        pos = live.wait_for(">>> ", timeout=10, start=pos)
        live.send("print(x, model)")
        pos = live.wait_for("42 {'weights': 84}", timeout=10, start=pos)
        live.send("bye")
        assert live.close() == 0
    finally:
        if live.proc.poll() is None:
            live.proc.kill()
    out = live.output
    assert "slow step finished" not in out
    assert "Traceback" not in out
    data = progress_of(tmp_path)
    lesson = data["lessons"]["90"]
    assert lesson["at"] == "90.5"
    assert set(lesson["steps"]) == {"90.1", "90.2", "90.3", "90.4"}  # the interrupted demo is not done


def test_expensive_step_is_restored_not_rerun(tmp_path):
    first = repl(tmp_path, ["x = 42", "next", "skip", "skip", "bye"], args=["--lesson", "90"], lessons=[GOOD])
    assert_clean(first)
    assert "loading fixture_heavy..." in first.stdout  # `needs` is announced before the step
    counter = tmp_path / "runs" / "fixture" / "train_count"
    assert counter.read_text() == "1"
    second = repl(tmp_path, ["print(model, total, x)", "bye"], lessons=[GOOD])  # resumes at the slow demo, done
    assert_clean(second)
    assert "rebuilt namespace: items, model, slow, slow_done, total, train_model, x" in second.stdout
    assert "{'weights': 84} 30 42" in second.stdout
    assert counter.read_text() == "1"  # restored from the artifact, not trained again


def test_wrong_answer_undoes_in_place_mutation(tmp_path):
    lines = ["x = 42", "next", "items.append(99); total = 5", "print(items)", "total = sum(items) * 10", "bye"]
    result = repl(tmp_path, lines, args=["--lesson", "90"], lessons=[GOOD])
    assert_clean(result)
    out = after(result.stdout, ">>> items.append(99); total = 5\n")
    assert "✗ `items` changed to [1, 2, 99]" in out
    assert ("That line was undone, so you can try again: `total` is removed; `items` has its earlier value "
            "back.") in flat(out)
    assert ">>> print(items)\n[1, 2]\n" in out
    assert "✓ Correct." in out


def test_menu_opens_another_lesson_and_keeps_its_namespace(tmp_path):
    lines = ["menu", "90", "x = 42", "menu", "0", "menu", "90", "print(x)", "bye"]
    result = repl(tmp_path, lines, lessons=[GOOD])
    assert_clean(result)
    out = result.stdout
    assert "Starting lesson 90 · Engine fixture" in out
    assert ">>> print(x)\n42\n" in out
    assert progress_of(tmp_path)["current_lesson"] == "90"


def test_reset_lesson(tmp_path):
    result = repl(tmp_path, ["x = 42", "reset", "y", "print('x' in dir())", "bye"], args=["--lesson", "90"],
                  lessons=[GOOD])
    assert_clean(result)
    out = after(result.stdout, ">>> reset\n")
    assert "Lesson 90 starts over." in out
    assert "[90.1] Set x" in out
    assert ">>> print('x' in dir())\nFalse\n" in out
    assert progress_of(tmp_path)["lessons"]["90"]["steps"] == {}


def test_data_option_is_remembered_once_it_loads(tmp_path):
    own = tmp_path / "my tweets.txt"
    own.write_text("".join(f"line {i} {'😂' if i % 2 else '🔥'}\n" for i in range(40)), encoding="utf-8")
    first = repl(tmp_path, ["print(DATA, QUICK)", "bye"], args=["--data", str(own), "--quick"])
    assert_clean(first)
    assert f"{own} True" in first.stdout
    second = repl(tmp_path, ["print(DATA, QUICK)", "bye"])
    assert f"{own} False" in second.stdout
    saved = progress_of(tmp_path)
    for wrong in (str(tmp_path / "missing.txt"), "tweeteval:" + str(tmp_path / "nowhere")):
        bad = repl(tmp_path, ["bye"], args=["--data", wrong])
        assert bad.returncode == 2 and bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1, bad.stderr
        assert progress_of(tmp_path) == saved  # a source that does not load is never remembered


def test_a_deleted_name_is_named_and_back_makes_it_again(tmp_path):
    """The learner's own `del ds` is not a lesson bug: the console says what is missing and which step made
    it, and `back` goes there and runs it again, so the learner goes on without a restart."""
    lines = ["next"] * 4 + ["del ds", "next", "back", "next", "next", "next", "next", "print(len(ds.train) > 0)", "bye"]
    result = repl(tmp_path, lines, args=["--lesson", "1"], timeout=120)
    assert_clean(result)
    out = flat(after(result.stdout, ">>> del ds\n"))
    assert "bug in the lesson" not in out
    assert ("This step needs `ds`, which [01.2] made; it is gone now (deleted or renamed at the prompt). Type `back` "
            "to go to [01.2] and run it again, then `next` until you are back at [01.6].") in out
    redo = after(out, ">>> back ")
    assert redo.startswith("[01.2] Load the data") and "labelled examples" in redo
    assert "True" in after(redo, "print(len(ds.train) > 0)")
    assert progress_of(tmp_path)["lessons"]["01"]["steps"]["01.6"]["status"] == "ran"


def test_back_to_a_done_step_whose_names_were_deleted_runs_it_again(tmp_path):
    lines = ["next", "next", "del ds", "back", "print(len(ds.labels))", "skip", "bye"]
    result = repl(tmp_path, lines, args=["--lesson", "1"], timeout=120)
    assert_clean(result)
    out = after(result.stdout, ">>> del ds\n")
    assert out.startswith(">>> back\n\n[01.2] Load the data") and "labelled examples" in out
    assert ">>> print(len(ds.labels))\n20\n" in out
    skipped = after(out, ">>> skip\n")
    assert skipped.lstrip().startswith("[01.3]") and "demo:" not in skipped.split("[01.3]")[0]


@pytest.mark.parametrize("typed", ["import sys; sys.stdout.close()", "import sys; sys.stderr.close(); 1/0",
                                   "import sys; sys.stdin = sys.stdout = None", "import builtins; builtins.input = 5",
                                   "import builtins; builtins.print = None"])
def test_what_the_learner_closes_or_replaces_the_console_puts_back(tmp_path, typed):
    result = repl(tmp_path, ["next", typed, "x = 6 * 7", "print('still here', x)", "bye"])
    assert_clean(result)
    assert "still here 42" in result.stdout and "Progress saved in" in result.stdout


def test_closing_stdin_ends_the_session_as_ctrl_d_does(tmp_path):
    result = repl(tmp_path, ["next", "import sys; sys.stdin.close()", "print('not read')"])
    assert_clean(result)
    assert "not read" not in result.stdout and "Progress saved in" in result.stdout


def test_at_a_terminal_what_the_learner_closes_or_replaces_is_put_back(tmp_path):
    """On a terminal the console reads with input() and readline: closing stdin or stdout and replacing input() at the
    prompt leave the next prompt working (issue #36, item 11, where it used to end in a traceback)."""
    import os
    import pty
    import select
    import subprocess
    import time

    from repl_driver import env_for

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "emoji_lab.repl"], stdin=follower, stdout=follower,
                            stderr=follower, env=env_for(tmp_path, LINES="200", PYTHONIOENCODING="ascii"))
    os.close(follower)
    seen, read_to = b"", 0

    def until(marker: bytes) -> None:
        """Read on until `marker` appears after the last one found."""
        nonlocal seen, read_to
        deadline = time.monotonic() + 60
        while marker not in seen[read_to:] and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.1)[0]:
                try:
                    seen += os.read(leader, 4096)
                except OSError:
                    break
        assert marker in seen[read_to:], seen[-600:].decode("utf-8", "replace")
        read_to = seen.index(marker, read_to) + len(marker)

    try:
        until(b">>> ")
        for typed, shown in (("import sys; sys.stdin.close()", "closed stdin"),
                             ("import sys; sys.stdout.close()", "closed stdout"),
                             ("import builtins; builtins.input = None", "no input()")):
            os.write(leader, f"{typed}\n".encode())
            until(b">>> ")
            os.write(leader, f"print('{shown}:', 6 * 7)\n".encode())
            until(f"{shown}: 42".encode())
            until(b">>> ")
        os.write(leader, "s = '\U0001f600'; print(len(s))\n".encode())  # an emoji typed under an ASCII setting
        until(b"1\r\n>>> ")
        os.write(leader, b"bye\n")
        until(b"Bye!")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    assert b"Traceback" not in seen, seen.decode("utf-8", "replace")


def test_an_ascii_terminal_setting_reads_and_writes_emoji_without_a_traceback(tmp_path):
    result = repl(tmp_path, ["next", "s = '😀 é'", "print(len(s), s)", "bye"], PYTHONIOENCODING="ascii")
    assert_clean(result)
    assert "3 \\U0001f600 \\xe9" in result.stdout


def test_a_console_killed_at_every_point_of_its_progress_saves_resumes_from_a_whole_file(tmp_path):
    """SIGKILL before each file-system change a session makes from its first progress save on (two steps, bye):
    afterwards progress.json is the earlier one or the later one, whole, and the next start resumes without a word
    of damage."""
    import os
    import subprocess
    import sys

    from repl_driver import env_for

    crash_at = Path(__file__).resolve().parent / "crash_at.py"
    home = tmp_path / "home"
    repl(home, ["next", "bye"])
    earlier = (home / "progress.json").read_text(encoding="utf-8")

    def session(kill_at: int) -> subprocess.CompletedProcess:
        (home / "progress.json").write_text(earlier, encoding="utf-8")
        return subprocess.run([sys.executable, str(crash_at), str(kill_at), "progress.json", "-m", "emoji_lab.repl"],
                              input="next\nnext\nbye\n", capture_output=True, text=True, timeout=60,
                              env=env_for(home))

    points = int(session(0).stderr.rsplit("crash_at: ", 1)[1].split()[0])
    assert points >= 6  # three saves (the step opened, two `next`s): a part file written, its mode, its rename
    seen = set()
    for kill_at in range(1, points + 1):
        assert session(kill_at).returncode == -9
        saved = json.loads((home / "progress.json").read_text(encoding="utf-8"))
        seen.add(saved["lessons"]["00"]["at"])
        resumed = repl(home, ["bye"])
        assert_clean(resumed)
        assert "warning" not in resumed.stdout and f"at [{saved['lessons']['00']['at']}]" in resumed.stdout
        assert not [p for p in os.listdir(home) if p.endswith(".part")]  # a killed save's part file: swept
    assert seen == {"00.2", "00.3"}  # killed before any save, and after the last
