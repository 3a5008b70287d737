"""The console as a newcomer meets it (issue #37), in real sessions of `python -m emoji_lab.repl`: resume brings
back what the learner made, a deleted value says which step makes it, and `bye` names a command that works."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lessons_fixture"))
from repl_driver import env_for, repl  # noqa: E402

TO_00_4 = ["next", "next", "skip"]
WAVE = "\\N{WAVING HAND SIGN}"


def assert_clean(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def after(text: str, marker: str) -> str:
    assert marker in text, text
    return text[text.index(marker) + len(marker):]


def saved_steps(home: Path, lesson: str) -> dict:
    return json.loads((home / "progress.json").read_text(encoding="utf-8"))["lessons"][lesson]["steps"]


# Each lesson solved with the learner's own code (names and values the reference solutions do not make), with the
# detours a newcomer takes: a value deleted and made again with `back`, a step left and come back to, an import
# that a step asks for; then what the next session, after `bye`, must show.
OWN_WORK = {
    "0": (TO_00_4 + ["shout = str.upper", f"greeting = shout('mine ') + '{WAVE}'", "next",
                     "as_bytes = greeting.encode('utf-8')", "n_bytes = len(as_bytes)", "b",
                     "from emoji_lab.common.formatting import size", "next"],
          "print(greeting, n_bytes, len(as_bytes), shout('x'), size.__name__)", "MINE 👋 9 9 X size"),
    "1": (["next"] * 6 + ["import numpy as np", "per_class = np.bincount(ds.train.y)",
                          "top_share = per_class.max() / per_class.sum()", "next",
                          "from emoji_lab.data.emojis import find_emoji as fe",
                          "count_emoji = lambda line: len(fe(line))", "next", "next", "next", "b", "next", "next",
                          "from emoji_lab.teaching.widgets.popularity import popularity_view",
                          "view = popularity_view(ds, top=5, pick=3)", "next"],
          "print(per_class.sum() == len(ds.train.y), count_emoji.__name__, popularity_view.__name__)",
          "True <lambda> popularity_view"),
    "2": (["next"] * 7 + ["b", "del val_scores", "my_top1 = (val_scores.argmax(axis=1) == ds.val.y).mean()",
                          "back", "back", "next", "next", "next",  # at [02.9] again, however `back` went
                          "hits = val_scores.argmax(axis=1) == ds.val.y", "my_top1 = hits.mean()",
                          "next", "next", "next", "mine = model.copy()",
                          "mine.add_rule(ideas[1]['phrase'], ideas[1]['emoji'])", "back", "next",
                          "after = evaluate(ds.val.y, mine.scores(ds.val.texts), ds.labels)"],
          "print(my_top1 == hits.mean(), len(mine.rules), 'val_scores' in dir())", "True 1 True"),
    "3": (["next"] * 4 + ["per_row = 128 * 4", "mb = vocab_size * per_row / 1e6", "next",
                          "from collections import Counter as C",
                          "train_counts = C(t for text in ds.train.texts for t in word_tokens(text))",
                          "known = {w for w, _ in train_counts.most_common(1000)}",
                          "seen = [t for text in ds.val.texts for t in word_tokens(text)]",
                          "oov_1k = sum(t not in known for t in seen) / len(seen)"],
          "print(per_row, mb == vocab_size * 512 / 1e6, len(known), C.__name__)", "512 True 1000 Counter"),
}


def test_resume_after_bye_brings_back_the_learners_own_objects_in_every_lesson_0_to_3(tmp_path):
    for lesson, (lines, shown, expected) in OWN_WORK.items():
        first = repl(tmp_path, lines + ["bye"], args=["--lesson", lesson], timeout=120)
        assert_clean(first)
        second = repl(tmp_path, [shown, "bye"], timeout=120)
        assert_clean(second)
        out = flat(second.stdout)
        assert "reference solution's values" not in out and "could not rebuild" not in out, (lesson, out)
        assert f">>> {shown} {expected} " in out, (lesson, out)


def test_what_a_later_run_of_an_earlier_step_made_again_is_not_replayed(tmp_path):
    """[00.6]: `del greeting`, `back` to make it again, then solved: only what made the step pass is saved."""
    lines = TO_00_4 + [f"greeting = 'mine {WAVE}'", "next", "del greeting", "back", "back", "next", "next", "next",
                       "n_bytes = len(greeting.encode('utf-8'))", "bye"]
    assert_clean(repl(tmp_path, lines))
    assert saved_steps(tmp_path, "00")["00.6"]["code"] == ["n_bytes = len(greeting.encode('utf-8'))"]
    second = repl(tmp_path, ["print(greeting, n_bytes)", "bye"])
    assert_clean(second)
    assert "mine 👋 9" in second.stdout and "reference solution" not in second.stdout


def test_an_import_typed_at_any_step_comes_back_on_resume(tmp_path):
    lines = ["next", "import colorsys", "from emoji_lab.common.formatting import size as sz; x = 1", "bye"]
    assert_clean(repl(tmp_path, lines))
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))["lessons"]["00"]
    assert saved["imports"] == {"00.2": ["import colorsys", "from emoji_lab.common.formatting import size as sz"]}
    second = repl(tmp_path, ["print(colorsys.__name__, sz.__name__, 'x' in dir())", "bye"])
    assert_clean(second)
    assert "rebuilt namespace: colorsys, sz" in second.stdout
    assert "colorsys size False" in second.stdout  # the import, not the rest of its line


def test_a_deleted_value_says_which_step_makes_it_and_back_makes_it_again(tmp_path):
    lines = TO_00_4 + [f"greeting = 'mine {WAVE}'", "next", "del greeting", "n_bytes = len(greeting.encode('utf-8'))",
                       "n_bytes = 5", "hint", "back", "print(greeting)", "bye"]
    result = repl(tmp_path, lines)
    assert_clean(result)
    error = flat(after(result.stdout, "NameError: name 'greeting' is not defined"))
    made = ("✗ `greeting`, made by [00.4], is gone now (deleted or renamed at the prompt). Type `back` to go to "
            "[00.4] and run it again, then `next` until you are back at [00.6].")
    assert error.startswith(made), error
    attempt = flat(after(result.stdout, ">>> n_bytes = 5\n"))  # the check's own words, then where it comes from
    assert attempt.startswith("✗ There is no `greeting` yet")
    assert "✗ This step needs `greeting`, which [00.4] made" in attempt.split(">>>")[0]
    hint = flat(after(result.stdout, ">>> hint\n"))
    assert hint.startswith("✗ This step needs `greeting`, which [00.4] made; it is gone now"), hint
    assert "hint 1/3" in hint
    back = flat(after(result.stdout, ">>> back\n"))
    assert back.startswith("[00.4] A text with an emoji") and "ran [00.4] again: greeting is back." in back
    assert ">>> print(greeting) mine 👋" in back
    other = repl(tmp_path / "other", TO_00_4 + ["print(nowhere)", "bye"])
    assert "made by" not in other.stdout  # a name no step makes: the plain NameError


def started_here(cwd: Path, home: Path, lines: list[str], args: tuple[str, ...] = ()) -> str:
    """The screen of a session started in `cwd`, flattened; 200 columns wide, so that no path is cut."""
    result = subprocess.run([sys.executable, "-m", "emoji_lab.repl", *args], input="".join(f"{l}\n" for l in lines),
                            capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=cwd,
                            env=env_for(home, COLUMNS="200"))
    assert_clean(result)
    return flat(result.stdout)


def test_next_time_names_the_interpreter_that_runs_the_console_and_what_matters(tmp_path):
    """A new terminal's `python` lacks the course (it is installed in .venv): `bye`, [00.8]/[00.9] and --reset name
    the interpreter running now, from the folder the console started in, with the home and --quick."""
    python = Path(sys.executable)
    folder = python.parent.resolve().parent.parent  # the folder holding the virtual environment (.venv)
    local = shlex.quote(str(python.parent.resolve().relative_to(folder) / python.name))
    home = tmp_path / "home"
    out = started_here(folder, home, ["bye"], ("--quick",))
    assert f"Bye! Next time, this picks up at [00.1]: EMOJI_LAB_HOME={home} {local} -m emoji_lab.repl --quick" in out
    out = started_here(tmp_path, home, ["next", "next", "skip", "skip", "next", "skip", "b", "next", "bye"])
    anywhere = f"{shlex.quote(str(python.parent.resolve() / python.name))} -m emoji_lab.repl"
    command = f"EMOJI_LAB_HOME={home} {anywhere}"
    table = flat(out.replace("│", " "))  # [00.8]'s table, whose column folds a long path anywhere
    assert "Next time EMOJI_LAB_HOME=" in table and f"{anywhere} starts the course again" in table
    assert "calls Next time brings you back to the same step" in out  # [00.9]
    assert f"Bye! Next time, this picks up at [00.9]: {command}" in out
    reset = subprocess.run([sys.executable, "-m", "emoji_lab.repl", "--reset", "--yes"], capture_output=True,
                           text=True, encoding="utf-8", timeout=60, cwd=tmp_path, env=env_for(home, COLUMNS="200"))
    assert f"`{command}` starts from the first lesson." in reset.stdout


def test_next_time_on_windows_is_a_powershell_line():
    from emoji_lab.common.launch import command_line

    assert command_line(".venv\\Scripts\\python", ["--quick"], "", windows=True) == (
        ".venv\\Scripts\\python -m emoji_lab.repl --quick")
    assert command_line("C:\\Program Files\\Python\\python", [], "C:\\my home", windows=True) == (
        '$env:EMOJI_LAB_HOME="C:\\my home"; & "C:\\Program Files\\Python\\python" -m emoji_lab.repl')
