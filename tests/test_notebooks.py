"""tutorial/notebooks: generated from the lessons, valid, each one run top to bottom in a real Jupyter kernel, and
the live predictor driven in a real browser.

The kernels use the quick budgets (the settings cell's QUICK) in the course home that the lesson tests share:
the notebooks train every lesson's models there first (this file runs before test_repl_lessons.py), and the
browser test, last here, reloads them.

The browser test: JupyterLab on loopback, Chromium driven by Playwright, lesson 7's notebook (the one with the
live predictor) run from the Run menu; it types into the predictor's text box and waits until the emoji it
shows change. Screenshots before and after typing, and the emoji seen, are kept in test-artifacts/browser/.
Marked `browser`: `python -m pytest -m "not browser"` leaves it out; on a machine without Chromium or Chrome it
is skipped, except under CI (EMOJI_LAB_REQUIRE_BROWSER=1), where a missing browser fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from emoji_lab.authoring import notebooks
from emoji_lab.data.talk import SENTENCES
from emoji_lab.deploy import app as app_files
from emoji_lab.repl.lesson import LessonError, load_lessons, parse_lesson
from emoji_lab.training.keyboard import TAUS

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tutorial" / "notebooks"
LESSONS = load_lessons()
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_committed_notebooks_are_what_the_lessons_generate():
    assert notebooks.write_all(LESSONS, FOLDER, check=True) == [], "run `python -m emoji_lab tutorial`"
    assert sorted(p.name for p in FOLDER.glob("*.ipynb")) == sorted(notebooks.file_name(l) for l in LESSONS)


@pytest.mark.parametrize("lesson", LESSONS, ids=[l.id for l in LESSONS])
def test_notebook_is_valid_and_follows_the_lesson(lesson):
    nb = nbformat.reads((FOLDER / notebooks.file_name(lesson)).read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(nb)
    headers = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## [")]
    assert headers == [f"## [{s.id}] {s.title}" for s in lesson.steps if s.notebook]
    settings = nb.cells[1]
    assert settings.metadata.tags == ["parameters"] and 'DATA = "sample"' in settings.source
    for step in lesson.steps:
        if step.kind == "exercise":
            checks = [c for c in nb.cells if c.cell_type == "code" and c.source == f'check_step("{step.id}");']
            assert len(checks) == 1


def test_console_only_steps_stay_out():
    welcome = next(l for l in LESSONS if l.id == "00")
    text = "".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                   for c in notebooks.notebook(welcome)["cells"])
    assert "[00.3] Try the commands" not in text and "[00.4] A text with an emoji" in text


def test_notebook_key_must_be_a_boolean():
    bad = ('format_version = 1\nid = "50"\ntitle = "T"\n[[steps]]\nid = "50.1"\nkind = "text"\ntitle = "x"\n'
           'text = "y"\nnotebook = "no"\n')
    with pytest.raises(LessonError, match="`notebook` must be true or false"):
        parse_lesson(bad, "50_bad.toml")


def test_parameters_are_set_after_the_defaults():
    nb = notebooks.set_parameters(notebooks.notebook(LESSONS[1]), QUICK=True)
    source = "".join(nb["cells"][1]["source"])
    assert source.endswith("QUICK = True") and "QUICK = False" in source


@pytest.fixture(scope="module")
def notebook_app(course_home):
    app = course_home.parent / "ios_starter-notebooks"
    shutil.copytree(ROOT / "ios_starter", app)
    return app


def _text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return output["text"]
    return output.get("data", {}).get("text/plain", "") if "data" in output else output.get("evalue", "")


@pytest.mark.parametrize("lesson", LESSONS, ids=[l.id for l in LESSONS])
def test_notebook_runs_in_a_kernel(lesson, course_home, notebook_app, tmp_path, monkeypatch):
    monkeypatch.setenv("EMOJI_LAB_HOME", str(course_home))
    monkeypatch.setenv("EMOJI_LAB_IOS", str(notebook_app))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))  # no user kernel spec of another Python
    nb = nbformat.reads(notebooks.dumps(notebooks.set_parameters(notebooks.notebook(lesson), QUICK=True)), as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    by_id = {cell.id: cell for cell in nb.cells}
    for step in lesson.steps:
        if step.kind == "exercise":
            said = "".join(_text(o) for o in by_id[notebooks.cell_id(f"{step.id}-check")].outputs)
            assert f"[{step.id}] ✓" in said, said
        if step.kind == "widget" and step.notebook:
            outputs = by_id[notebooks.cell_id(f"{step.id}-widget")].outputs
            assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs), json.dumps(outputs)[:500]
    everything = "".join(_text(o) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "oneDNN" not in everything and "Traceback" not in everything
    app = app_files.app_resources(notebook_app)
    if lesson.id == "08":  # the app copy now holds the learner's model, exactly as exported
        shipped = app_files.read_manifest(app_files.app_resources(ROOT / "ios_starter"))
        assert app_files.on_disk(app) is not None and app_files.read_manifest(app) != shipped
        golden = json.loads((app / app_files.GOLDEN_FILE).read_text(encoding="utf-8"))
        assert golden["model"]["data"] == "sample"
    if lesson.id == "09":  # lesson 9 replaced it with its bag of n-grams in int8; the app's contract did not change
        golden = json.loads((app / app_files.GOLDEN_FILE).read_text(encoding="utf-8"))
        assert golden["model"]["architecture"] == "bytegrams" and golden["model"]["quantize"] == "int8"
        assert (app / app_files.MODEL_FILE).stat().st_size == golden["model"]["bytes"]
        assert golden["model"]["adjustment"]["tau"] in TAUS  # ranked as step 09.10c chose, folded into the file


# -- the live predictor in a browser -----------------------------------------------------------------------------
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PREDICTOR_LESSON = "07"
TYPED = "happy birthday!! party tonight, so excited"
# Debian/Ubuntu's chromium, then Chrome or Chromium where macOS keeps them; EMOJI_LAB_CHROMIUM overrides.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome",
              "/Applications/Chromium.app/Contents/MacOS/Chromium",
              "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
# Flags for a sandboxed, offline machine: no first-run screens, no calls home (refused here, and slow).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium() -> str | None:
    if os.environ.get("EMOJI_LAB_CHROMIUM"):
        return os.environ["EMOJI_LAB_CHROMIUM"]
    for name in CANDIDATES:
        path = shutil.which(name) or (name if Path(name).is_file() else None)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        message = ("no Chromium found (Debian: `apt-get install chromium`; or set EMOJI_LAB_CHROMIUM); "
                   'leave this test out with `python -m pytest -m "not browser"`')
        if os.environ.get("EMOJI_LAB_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyter(course_home, tmp_path):
    """JupyterLab serving a folder with lesson 7's notebook (quick budgets), on loopback, with a token."""
    lesson = next(l for l in load_lessons() if l.id == PREDICTOR_LESSON)
    name = notebooks.file_name(lesson)
    folder = tmp_path / "lab"
    folder.mkdir()
    nb = notebooks.set_parameters(notebooks.notebook(lesson), QUICK=True)
    (folder / name).write_text(notebooks.dumps(nb), encoding="utf-8")
    app = tmp_path / "ios_starter"
    shutil.copytree(ROOT / "ios_starter", app)
    port, token = free_port(), secrets.token_hex(16)
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')  # no news pop-up
    env = dict(os.environ, EMOJI_LAB_HOME=str(course_home), EMOJI_LAB_IOS=str(app),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"))
    log = (tmp_path / "jupyter.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("JupyterLab did not start:\n" + (tmp_path / "jupyter.log").read_text())
                time.sleep(0.5)
        yield {"url": f"{base}/lab/tree/{name}?token={token}", "log": tmp_path / "jupyter.log"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def shown_emoji(output) -> list[str]:
    """The emoji the predictor shows, best first (each bar row starts with one)."""
    rows = output.locator("div > span:first-child").all_inner_texts()
    return [r.strip() for r in rows if r.strip()]


@pytest.mark.browser
def test_live_predictor_changes_as_you_type(chromium, jupyter):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(jupyter["url"])
            page.locator(".jp-Notebook").first.wait_for(timeout=120_000)
            expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=120_000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
            box = page.locator(".widget-text input[type=text]")
            box.wait_for(timeout=600_000)
            predictor = box.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
            output = predictor.locator(".widget-html-content")
            expect(output).to_contain_text("%", timeout=60_000)
            before = shown_emoji(output)
            assert len(before) == 5, before
            predictor.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "predictor-before.png"))
            box.fill("")
            box.press_sequentially(TYPED, delay=30)  # key by key, as a learner types
            after, deadline = before, time.monotonic() + 60
            while time.monotonic() < deadline:
                after = shown_emoji(output)
                if len(after) == 5 and after != before:
                    break
                page.wait_for_timeout(250)
            assert len(after) == 5 and after != before, f"the predictor still shows {after} after typing {TYPED!r}"
            assert box.input_value() == TYPED
            (ARTIFACTS / "predictor.json").write_text(json.dumps(
                {"before": {"text": SENTENCES[0], "emoji": before}, "after": {"text": TYPED, "emoji": after}},
                ensure_ascii=False, indent=1), encoding="utf-8")
        finally:
            page.screenshot(path=str(ARTIFACTS / "predictor-after.png"))
            browser.close()
