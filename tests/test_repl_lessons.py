"""In-process tests: every lesson's reference solutions pass their checks, and the engine's plain-data parts."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "lessons_fixture"))
from repl_driver import GOOD  # noqa: E402

from emoji_lab.common import paths  # noqa: E402
from emoji_lab.common import setup_check  # noqa: E402
from emoji_lab.data.source import parse_source  # noqa: E402
from emoji_lab.data.sources import load  # noqa: E402
from emoji_lab.deploy import app as app_files  # noqa: E402
from emoji_lab.lessons import lesson00  # noqa: E402
from emoji_lab.repl import auto, commands, namespace, progress  # noqa: E402
from emoji_lab.repl.execute import Runner, format_exception  # noqa: E402
from emoji_lab.repl.lesson import LessonError, load_lessons, parse_lesson, resolve, span  # noqa: E402
from emoji_lab.repl.render import KEEP_SPACE, Renderer, inline_code  # noqa: E402
from emoji_lab.teaching.widgets.setup import environment_widget  # noqa: E402

PACKAGED = [lesson.id for lesson in load_lessons()]


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("EMOJI_LAB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EMOJI_LAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("EMOJI_LAB_LESSONS", raising=False)


# -- every reference solution passes its own checks ----------------------------------------------------------------
@pytest.fixture(scope="module")
def lesson_app(course_home):
    """A copy of ios_starter/ for lesson 8 to fill (the notebooks fill another)."""
    app = course_home.parent / "ios_starter-lessons"
    shutil.copytree(Path(__file__).resolve().parents[1] / "ios_starter", app)
    return app


@pytest.mark.parametrize("lesson_id", PACKAGED)
def test_reference_solutions_pass_their_checks(lesson_id, course_home, lesson_app, monkeypatch):
    """Every step as a resuming learner meets it: expensive steps restored from the runs saved in the course
    home (the notebooks' tests ran every reference solution there first), the rest run, every check passing.
    Played alone, with nothing saved yet, the expensive steps train."""
    monkeypatch.setenv("EMOJI_LAB_HOME", str(course_home))
    monkeypatch.setenv("EMOJI_LAB_IOS", str(lesson_app))
    shipped = app_files.read_manifest(app_files.app_resources(lesson_app))
    lesson = next(l for l in load_lessons() if l.id == lesson_id)
    results = auto.play_lesson(lesson, quick=True, resume=True)
    failures = [f"[{r.step_id}] {r.message}" for r in results if not r.ok]
    assert failures == []
    assert len(results) == len(lesson.steps)
    if lesson_id == "08":  # the app copy now holds the learner's model, exactly as exported
        filled = app_files.on_disk(app_files.app_resources(lesson_app))
        assert filled is not None and app_files.read_manifest(filled["folder"]) != shipped
        golden = json.loads((filled["folder"] / app_files.GOLDEN_FILE).read_text(encoding="utf-8"))
        assert golden["model"]["data"] == "sample" and golden["labels"] == load("sample").labels
    if lesson_id == "09":  # the app holds lesson 9's model (or, resumed, the export of it already on disk)
        golden = json.loads((app_files.app_resources(lesson_app) / app_files.GOLDEN_FILE).read_text(encoding="utf-8"))
        assert golden["model"]["architecture"] == "bytegrams"
        assert (app_files.app_resources(lesson_app) / app_files.MODEL_FILE).stat().st_size == golden["model"]["bytes"]
        from emoji_lab.training.keyboard import choose
        from emoji_lab.training.runs import load_run

        assert golden["model"]["adjustment"]["tau"] == choose(load_run("bytegrams"), load("sample")).tau  # 09.10c's


def test_fixture_lesson_solutions_pass(monkeypatch):
    monkeypatch.setenv("EMOJI_LAB_LESSONS", str(GOOD))
    lesson = next(l for l in load_lessons() if l.id == "90")
    assert all(r.ok for r in auto.play_lesson(lesson))


def test_resume_restores_what_was_saved_and_trains_what_was_not(monkeypatch):
    monkeypatch.setenv("EMOJI_LAB_LESSONS", str(GOOD))
    lesson = next(l for l in load_lessons() if l.id == "90")
    count = paths.runs_dir() / "fixture" / "train_count"
    assert all(r.ok for r in auto.play_lesson(lesson, resume=True))  # nothing saved: the step trains
    assert count.read_text() == "1"
    assert all(r.ok for r in auto.play_lesson(lesson, resume=True))  # saved: restored, not trained again
    assert count.read_text() == "1"


def test_resume_fails_a_restore_that_forgets_a_name(monkeypatch):
    monkeypatch.setenv("EMOJI_LAB_LESSONS", str(GOOD))
    lesson = next(l for l in load_lessons() if l.id == "90")
    auto.play_lesson(lesson)
    step = next(s for s in lesson.steps if s.restore)
    forgetful = dataclasses.replace(step, solution=step.solution + "\nextra = 1")
    ns = {"x": 42}
    assert auto.play_step(forgetful, ns, Runner(), resume=True) == "restore does not bring back: extra"


def test_bound_names_are_what_the_code_binds_in_its_own_scope():
    code = ("import keras\nimport os.path\nfrom a import b as c\nx, (y, z) = 1, (2, 3)\nw: int = 4\n"
            "for i in range(2):\n    j = i\ndef f(q):\n    inner = q\nclass K: pass\n"
            "squares = [n * n for n in range(3)]\nwith open('f') as fh:\n    pass\nprint(x)\n")
    assert namespace.bound_names(code) == {"keras", "os", "c", "x", "y", "z", "w", "i", "j", "f", "K", "squares", "fh"}


def test_the_lesson_facts_name_what_exists():
    """The models the lessons let train in the background are the registry's, each named by the lesson whose
    `lesson` it is; a dry run's sandbox is a function that is there."""
    from emoji_lab.models.registry import spec

    lessons = load_lessons()
    for lesson in lessons:
        assert all(spec(name).lesson == lesson.id for name in lesson.background_models), lesson.id
        if lesson.dry_run:
            assert callable(resolve(lesson.dry_run))
    assert [l.number for l in lessons if l.starts_background] == [1, 2, 3, 4, 5, 6]
    assert span(l for l in lessons if l.background_models) == "lessons 4-6"
    assert span([lessons[4], lessons[6]]) == "lessons 4 and 6" and span(lessons[:1]) == "lesson 0" and span([]) == ""


def test_lesson_zero_has_the_required_kinds():
    lesson = next(l for l in load_lessons() if l.id == "00")
    kinds = {s.kind for s in lesson.steps}
    assert kinds == {"text", "demo", "exercise", "choice", "widget"}
    assert len({s.id for s in lesson.steps}) == len(lesson.steps)


# -- lesson file validation ----------------------------------------------------------------------------------------
GOOD_STEP = '''
[[steps]]
id = "50.1"
kind = "text"
title = "Hello"
text = "Hi."
'''


def lesson_text(steps: str = GOOD_STEP, head: str = 'format_version = 1\nid = "50"\ntitle = "T"\n') -> str:
    return head + textwrap.dedent(steps)


@pytest.mark.parametrize("text, message", [
    ("id = ", "not valid TOML"),
    (lesson_text(head='id = "50"\ntitle = "T"\n'), "missing `format_version = 2`"),
    (lesson_text(head='format_version = 3\nid = "50"\ntitle = "T"\n'), "written for lesson format 3"),
    (lesson_text(head='format_version = 1\nid = "50"\ntitle = "T"\nstarts_background = true\n'),
     "unknown top-level key(s): starts_background (lesson facts need `format_version = 2`)"),
    (lesson_text(head='format_version = 2\nid = "50"\ntitle = "T"\nstarts_background = "yes"\n'),
     "`starts_background` must be true or false"),
    (lesson_text(head='format_version = 2\nid = "50"\ntitle = "T"\nbackground_models = "lstm"\n'),
     "`background_models` must be a list of model names"),
    (lesson_text(head='format_version = 2\nid = "50"\ntitle = "T"\ndry_run = "copy_the_app"\n'),
     '`dry_run` \'copy_the_app\' must be "package.module:function"'),
    (lesson_text(head='format_version = 1\nid = "5"\ntitle = "T"\n'), "`id` must be two digits"),
    (lesson_text(head='format_version = 1\nid = "51"\ntitle = "T"\n'), "file name starts with 50"),
    (lesson_text(head='format_version = 1\nid = "50"\ntitle = "T"\nauthor = "me"\n'), "unknown top-level key"),
    (lesson_text(""), "no [[steps]]"),
    (lesson_text(GOOD_STEP.replace('"50.1"', '"49.1"')), 'id must look like "50.<n>"'),
    (lesson_text(GOOD_STEP + GOOD_STEP), "step 50.1: duplicate step id"),
    (lesson_text(GOOD_STEP.replace('"text"\ntitle', '"quiz"\ntitle')), "`kind` must be one of"),
    (lesson_text(GOOD_STEP + 'hint = ["x"]\n'), "step 50.1: unknown key(s) for a text step: hint"),
    (lesson_text(GOOD_STEP.replace('title = "Hello"\n', '')), "step 50.1: missing `title`"),
    (lesson_text(GOOD_STEP + 'hints = "x"\n'), "`hints` must be a list of strings"),
    (lesson_text(GOOD_STEP + 'try_commands = ["dance"]\n'), "'dance' is not a command"),
    (lesson_text('[[steps]]\nid = "50.1"\nkind = "demo"\ntitle = "D"\ncode = "x = ("\n'),
     "step 50.1: `code` is not valid Python (line 1"),
    (lesson_text('[[steps]]\nid = "50.1"\nkind = "exercise"\ntitle = "E"\nprompt = "p"\nsolution = "a = 1"\n'
                 'names = ["a"]\nchecks = ["nomodule"]\n'), 'must be "package.module:function"'),
    (lesson_text('[[steps]]\nid = "50.1"\nkind = "exercise"\ntitle = "E"\nprompt = "p"\nsolution = "a = 1"\n'
                 'names = ["a b"]\nchecks = ["m:f"]\n'), "'a b' is not a Python name"),
    (lesson_text('[[steps]]\nid = "50.1"\nkind = "choice"\ntitle = "C"\ntext = "?"\nchoices = ["x", "y"]\n'
                 'answer = "c"\n'), "`answer` must be one of the labels a, b"),
    (lesson_text('[[steps]]\nid = "50.1"\nkind = "choice"\ntitle = "C"\ntext = "?"\nchoices = ["x", "y"]\n'
                 'answer = "a"\n[steps.feedback]\nd = "no"\n'), "`feedback` has labels that are not choices: d"),
    (lesson_text('[[steps]]\nid = "50.1"\nkind = "widget"\ntitle = "W"\nterminal = "m:f"\n'),
     "a widget step needs `widget`"),
])
def test_lesson_validation_errors(text, message):
    with pytest.raises(LessonError) as info:
        parse_lesson(text, "lessons/50_x.toml", file_id="50")
    assert message in str(info.value)
    assert str(info.value).startswith("lessons/50_x.toml")


def test_override_folder_replaces_and_adds(tmp_path, monkeypatch):
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "00_mine.toml").write_text(lesson_text(GOOD_STEP.replace("50.", "00."),
                                                     'format_version = 1\nid = "00"\ntitle = "Mine"\n'))
    (folder / "50_more.toml").write_text(lesson_text())
    monkeypatch.setenv("EMOJI_LAB_LESSONS", str(folder))
    lessons = load_lessons()
    titles = {l.id: l.title for l in lessons}
    assert titles["00"] == "Mine" and titles["50"] == "T"
    assert [l.id for l in lessons] == sorted(titles)
    (folder / "bad name.toml").write_text(lesson_text())
    with pytest.raises(LessonError, match="named NN_name.toml"):
        load_lessons()


# -- lesson 00's plain functions -----------------------------------------------------------------------------------
@pytest.mark.parametrize("ns, expected", [
    ({}, "There is no `greeting` yet"),
    ({"greeting": 5}, "`greeting` is an int, not a text"),
    ({"greeting": b"hi"}, "holds bytes"),
    ({"greeting": "  "}, "is empty"),
    ({"greeting": "hi :waving_hand:"}, "shortcode"),
    ({"greeting": "hi"}, "has no emoji yet"),
    ({"greeting": "hi 👋"}, None),
    ({"greeting": "👍🏽"}, None),
])
def test_check_greeting(ns, expected):
    result = lesson00.check_greeting(ns)
    assert result is None if expected is None else expected in result


@pytest.mark.parametrize("n_bytes, expected", [
    (None, "There is no `n_bytes` yet"),
    (4, "that is `len(greeting)`, the number of characters"),
    ("hi 👋".encode("utf-8"), "holds the bytes themselves"),
    (list("hi 👋".encode("utf-8")), "is a list"),
    (7.0, "is a float"),
    (10, "UTF-16"),
    (16, "UTF-32"),
    (3, "takes a different number of bytes"),
    (7, None),
])
def test_check_n_bytes(n_bytes, expected):
    ns = {"greeting": "hi 👋"}
    if n_bytes is not None:
        ns["n_bytes"] = n_bytes
    result = lesson00.check_n_bytes(ns)
    assert result is None if expected is None else expected in result


def test_environment_is_plain_data_and_renders(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    items = setup_check.environment()
    by_name = {item.name: item for item in items}
    assert set(by_name) >= {"Python", "TensorFlow", "Keras", "LiteRT runtime", "Free disk", "Progress",
                            "Data cache", "Training runs"}
    assert by_name["Keras"].status == "warn" and "backend jax (KERAS_BACKEND)" in by_name["Keras"].value
    assert by_name["Progress"].value == str(tmp_path / "home" / "progress.json")
    out = io.StringIO()
    Renderer(file=out).print(setup_check.environment_table(items))
    assert "LiteRT runtime" in out.getvalue()
    assert "LiteRT runtime" in environment_widget(items).value


def test_keras_backend_from_config(tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert setup_check.keras_backend() == ("tensorflow", "default")
    (tmp_path / "keras.json").write_text(json.dumps({"backend": "torch"}))
    assert setup_check.keras_backend() == ("torch", str(tmp_path / "keras.json"))


def test_check_step_notebook_helper(capsys):
    from emoji_lab.repl import check_step

    assert check_step("00.4", {"greeting": "yo"}) is False
    assert "✗ `greeting` has no emoji yet" in capsys.readouterr().out
    assert check_step("00.4", {"greeting": "yo 🎉"}) is True
    assert "[00.4] ✓" in capsys.readouterr().out
    cell = {"greeting": "hi 👋", "n_bytes": 7}  # a notebook's globals: check_step reads the caller's
    exec("from emoji_lab.repl import check_step\nresult = check_step('00.6')", cell)
    assert cell["result"] is True


# -- progress, namespace, commands, rendering ----------------------------------------------------------------------
def test_progress_round_trip_and_bad_files(tmp_path):
    path = tmp_path / "progress.json"
    prog = progress.Progress(current_lesson="00", source=parse_source("tweeteval"), commands_used={"hint"})
    prog.lesson("00").at = "00.4"
    prog.lesson("00").steps["00.1"] = progress.StepRecord("seen")
    prog.lesson("00").steps["00.4"] = progress.StepRecord("passed", ["greeting = 'hi 👋'"])
    progress.save(prog, path)
    loaded, warning = progress.load(path)
    assert warning is None
    assert loaded.to_json() | {"saved_at": 0} == prog.to_json() | {"saved_at": 0}
    for bad in [b"[]", b'{"format_version": 1, "lessons": {"00": {"steps": {"00.1": {"status": "won"}}}}}',
                b'{"format_version": 1, "lessons": 3}', b"\xff\xfe not utf-8", b""]:
        path.write_bytes(bad)
        fresh, warning = progress.load(path)
        assert fresh.lessons == {} and warning and warning.startswith("warning: progress file")
        assert "\n" not in warning and not path.exists()


def test_format_one_names_its_data_by_a_string_and_resumes_with_it_as_a_source(tmp_path, monkeypatch):
    """Format 1 kept `data` as typed; a relative file path was read from where the console started, as now."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({"format_version": 1, "data": "mine.csv", "lessons": {}}), encoding="utf-8")
    loaded, warning = progress.load(path)
    assert warning is None and path.exists()  # never set aside
    assert loaded.source == parse_source("mine.csv") and loaded.source.path == tmp_path / "mine.csv"
    assert loaded.source.text_column == "text"  # format 1 could not say otherwise
    path.write_text(json.dumps({"format_version": 1, "data": 3}), encoding="utf-8")
    assert progress.load(path)[1].startswith("warning: progress file")  # damaged: set aside, as any damaged file


def test_format_one_code_imports_every_module_and_name_where_it_is_now():
    """Every way the lessons of format 1 let a learner import the library, rewritten to where it lives now, runs."""
    old = ("from emoji_lab.explore import about_data, traps as t\n"
           "    from emoji_lab.baselines import KeywordModel, rule_effect\n"
           "from emoji_lab import explore, train as tr, __version__\n"
           "import emoji_lab.sources\n"
           "from emoji_lab.models import spec\n"
           "from emoji_lab.classical import fit_on\n")
    assert progress.moved_imports(old) == (
        "from emoji_lab.teaching.explore import about_data\n"
        "from emoji_lab.teaching.traps import traps as t\n"
        "    from emoji_lab.models.baselines import KeywordModel\n"
        "    from emoji_lab.teaching.keyword_failures import rule_effect\n"
        "from emoji_lab.teaching import explore\n"
        "from emoji_lab.training import train as tr\n"
        "from emoji_lab import __version__\n"
        "import emoji_lab.data.sources\n"
        "from emoji_lab.models.registry import spec\n"
        "from emoji_lab.training.yardstick import fit_on\n")
    exec(progress.moved_imports(old).replace("    from", "from"), {})


def test_a_solved_exercise_keeps_its_code_unless_too_long(tmp_path):
    assert progress.kept_code(["x = 1", "y = x"]) == ["x = 1", "y = x"]
    assert progress.kept_code(["x = 1", "#" * progress.MAX_CODE]) == []
    saved = progress.Progress()
    saved.lesson("00").steps["00.4"] = progress.StepRecord("passed", ["greeting = 'hi 👋'"])
    path = progress.save(saved, tmp_path / "progress.json")
    again, warning = progress.load(path)
    assert warning is None and again.lessons["00"].steps["00.4"].code == ["greeting = 'hi 👋'"]
    old = {"format_version": 1, "lessons": {"00": {"steps": {"00.4": {"status": "passed", "values": {"g": 1}}}}}}
    assert progress.Progress.from_json(old).lessons["00"].steps["00.4"].code == []  # an earlier version's file


def test_namespace_snapshot_and_restore():
    ns = namespace.fresh("sample", False)
    ns.update(keep=1, rebind=[1], items=[1, 2])
    snap = namespace.snapshot(ns, touches=("items",))
    ns["new"] = 3
    ns["rebind"] = [2]
    ns["items"].append(3)
    del ns["keep"]
    made = namespace.changes(ns, snap)
    assert (made.created, made.changed, made.deleted) == (["new"], ["items", "rebind"], ["keep"])
    namespace.restore(ns, snap)
    assert ns["keep"] == 1 and ns["rebind"] == [1] and ns["items"] == [1, 2] and "new" not in ns



def test_undoing_an_in_place_change_reaches_every_name_of_that_object():
    """`mine = model` then `mine.add_rule(...)` changes `model` too: the undo gives both names the earlier state."""
    ns = namespace.fresh("sample", False)
    ns["model"] = [1, 2]
    ns["mine"] = ns["model"]
    snap = namespace.snapshot(ns, touches=("model",))
    ns["mine"].append(3)
    namespace.restore(ns, snap)
    assert ns["model"] == [1, 2] and ns["mine"] == [1, 2]


def test_commands_and_choices():
    assert commands.lookup("  next ") == "next"
    assert commands.lookup("exit") == "bye" and commands.lookup("quit") == "bye"
    assert commands.lookup("next()") is None and commands.lookup("print(next)") is None
    assert commands.parse_choice("B)", 3) == "b" and commands.parse_choice("2", 3) == "b"
    assert commands.parse_choice("d", 3) == "?" and commands.parse_choice("bb", 3) is None
    assert commands.parse_choice("z", 3) == "?"  # any lone letter is an answer on a choice step, never Python


def test_a_misspelt_name_gets_pythons_suggestion():
    ns = {"labelled_examples": 1}
    exc = Runner().run_block("labelled_exmaples", ns)
    assert format_exception(exc).endswith("is not defined. Did you mean: 'labelled_examples'?")
    assert format_exception(Runner().run_block("prnt(1)", {})).endswith("Did you mean: 'print'?")


def test_tracebacks_show_only_learner_frames():
    runner = Runner()
    ns: dict = {}
    exc = runner.run_block("def f(x):\n    return 1 / x\nf(0)", ns)
    text = format_exception(exc)
    assert "emoji_lab" not in text and "ZeroDivisionError: division by zero" in text
    assert "return 1 / x" in text
    exc = runner.run_block("import json\njson.loads('{')", ns)
    text = format_exception(exc)
    assert "library frame" in text and text.count("File ") <= 4


def test_markdown_keeps_backticks_when_plain():
    assert inline_code("use `len(x)` here", plain=True) == "use `` `len(x)` `` here"
    assert inline_code("```python\na = `b`\n```", plain=True) == "```python\na = `b`\n```"
    assert inline_code("use `a = b` here", plain=False) == f"use `a{KEEP_SPACE}={KEEP_SPACE}b` here"
    out = io.StringIO()
    Renderer(file=out).markdown("Type `next`.")
    assert "Type `next`." in out.getvalue()


def test_auto_spec_parsing():
    lessons = load_lessons()
    assert [l.id for l in auto.parse_spec("0", lessons)] == ["00"]
    assert [l.id for l in auto.parse_spec(None, lessons)] == [l.id for l in lessons]


def test_welcome_states_each_lessons_minutes_as_the_menu_does_and_every_command():
    """One duration per lesson everywhere: 00.1's table and total follow the lesson files' `minutes` (what the
    menu shows); 00.2's table names every command the console has."""
    lessons = load_lessons()
    by_id = {lesson.number: lesson for lesson in lessons}
    welcome = {step.id: step for step in by_id[0].steps}
    rows = re.findall(r"^\| (\d+)\s+\|[^|]+\| (\d+)( \+ training)?\s*\|$", welcome["00.1"].text, re.M)
    assert sorted(int(number) for number, _, _ in rows) == sorted(by_id)
    for number, minutes, _ in rows:
        assert int(minutes) == by_id[int(number)].minutes, f"lesson {number}"
    hours = re.search(r"about \*\*(\d)(½?) hours\*\*", welcome["00.1"].text)
    stated = int(hours.group(1)) + (0.5 if hours.group(2) else 0)
    assert abs(stated - sum(lesson.minutes for lesson in lessons) / 60) <= 0.25
    assert "later versions" not in welcome["00.1"].text
    listed = set(re.findall(r"^\| `(\w+)`", welcome["00.2"].text, re.M))
    assert listed == set(commands.COMMAND_WORDS)


def test_the_lesson_guide_and_the_workshop_guide_name_each_lesson_by_its_title():
    """One name per lesson everywhere a learner or an author reads a list of them (issue #37)."""
    root = Path(__file__).resolve().parents[1]
    authors = (root / "lessons" / "README.md").read_text(encoding="utf-8")
    workshop = (root / "tutorial" / "README.md").read_text(encoding="utf-8")
    for lesson in load_lessons():
        assert f"| {lesson.id} {lesson.title} |" in authors, lesson.title
        assert f"| {lesson.number} | [{lesson.title}](guide/" in workshop, lesson.title
