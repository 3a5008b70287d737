"""The keyboard's ranking (`emoji_lab.training.keyboard`): tau chosen on validation by its rule, folded into the
exported file's bias so that the real converter's file, LiteRT and golden.json rank as the adjustment says."""

from __future__ import annotations

import json

import numpy as np
import pytest

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data.sources import load
from emoji_lab.deploy import app as app_files
from emoji_lab.deploy import export
from emoji_lab.deploy.litert import LiteModel
from emoji_lab.training import keyboard
from emoji_lab.training.heldout import held_out, held_out_scores

TEXTS = ["happy new year! God Bless", "I wanna go home and go to sleep", "lol", ""]


@pytest.fixture(scope="module")
def ds():
    return load("sample")


def test_the_words_before_the_cursor_are_the_first_half_rounded_up():
    assert keyboard.typed("I wanna go home") == "I wanna"
    assert keyboard.typed("so  tired lol") == "so tired"
    assert keyboard.typed("lol") == "lol" and keyboard.typed("  ") == ""


def test_adjustment_multiplies_by_the_shares_power_and_normalises():
    adjust = keyboard.Adjustment(0.5, (0.64, 0.32, 0.04))
    got = adjust.apply(np.array([[0.2, 0.2, 0.6]]))
    want = np.array([0.2 * 0.8, 0.2 * 0.32 ** 0.5, 0.6 * 0.2])
    assert got[0] == pytest.approx(want / want.sum(), rel=1e-6)
    assert keyboard.Adjustment(0.0, (0.5, 0.5)).apply(np.array([[0.3, 0.7]]))[0] == pytest.approx([0.3, 0.7])
    assert adjust.bias() == pytest.approx(0.5 * np.log([0.64, 0.32, 0.04]), rel=1e-6)


def test_the_rule_takes_the_best_macro_f1_then_the_better_top1():
    rows = [{"tau": 0.0, "top1": 0.2, "top5": 0.6, "macro_f1": 0.22}, {"tau": 0.1, "top1": 0.25, "top5": 0.6,
                                                                       "macro_f1": 0.24},
            {"tau": 0.2, "top1": 0.28, "top5": 0.6, "macro_f1": 0.24}, {"tau": 0.3, "top1": 0.3, "top5": 0.7,
                                                                        "macro_f1": 0.23}]
    assert keyboard.chosen(rows)["tau"] == 0.2


def test_shares_come_from_the_training_labels_and_tau_is_checked(ds):
    shares = keyboard.label_shares(ds)
    counts = np.bincount(ds.train.y, minlength=len(ds.labels))
    assert sum(shares) == pytest.approx(1) and shares[int(counts.argmax())] == max(shares)
    for bad in (3, "0.5", "x", True, float("nan")):
        with pytest.raises(EmojiLabError, match="tau must be a number from -2 to 2"):
            keyboard.adjustment(ds, bad)
        with pytest.raises(EmojiLabError, match="tau must be a number from -2 to 2"):
            keyboard.choose(None, ds, tau=bad)  # refused before the run is asked anything


def test_a_given_tau_is_swept_beside_the_others_and_a_wrong_adjustment_is_refused(small_chcnn_run, ds, tmp_path):
    run = small_chcnn_run
    choice = keyboard.choose(run, ds, tau=0.75)
    assert choice.tau == 0.75 and [r["tau"] for r in choice.rows] == sorted({*keyboard.TAUS, 0.75})
    with pytest.raises(EmojiLabError, match=r"adjust=0.3: give what `choose\(run, ds\)` returns, or None"):
        export.export_run(run, out=tmp_path / "other", adjust=0.3)
    with pytest.raises(EmojiLabError, match="has 2 emoji shares"):
        export.export_run(run, out=tmp_path / "other", adjust=keyboard.Adjustment(0.5, (0.5, 0.5)))


def test_the_cli_export_ranks_for_the_keyboard_as_the_lesson_does(small_chcnn_run, ds, tmp_path):
    """`export --keyboard` (an instructor's way to lesson 9's file): the sweep on the run's own data, the tau given
    or picked by the rule, folded into the file `predict` reads; a bad tau or other data is one line."""
    import os
    import subprocess
    import sys

    from test_faults import one_line_error

    run = small_chcnn_run

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "emoji_lab", *args], capture_output=True, text=True,
                              timeout=600, env={**{k: v for k, v in os.environ.items() if k != "EMOJI_LAB_IOS"},
                                                "NO_COLOR": "1", "COLUMNS": "80",
                                                "EMOJI_LAB_HOME": str(tmp_path / "home")})

    out = tmp_path / "out"
    result = cli("export", "--model", str(run.dir), "--keyboard", "0.7", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "◀ chosen" in next(line for line in result.stdout.splitlines() if line.strip().startswith("0.7 "))
    assert "tau 0.7 folded into the model's last bias" in result.stdout
    adjust = keyboard.adjustment(ds, 0.7)
    plain = run.probabilities(TEXTS)
    want = adjust.apply(plain)
    got = LiteModel.from_file(out / app_files.MODEL_FILE).probabilities(TEXTS)  # the real converter's file
    assert got == pytest.approx(want, abs=2e-5) and not np.allclose(got, plain, atol=1e-3)
    assert (np.argsort(-got, axis=1)[:, :5] == np.argsort(-want, axis=1)[:, :5]).all()
    golden = json.loads((out / app_files.GOLDEN_FILE).read_text(encoding="utf-8"))  # what the app's tests check
    assert golden["model"]["adjustment"] == adjust.as_dict()
    picked = cli("export", "--model", str(run.dir), "--keyboard", "--out", str(tmp_path / "auto"))
    golden = json.loads((tmp_path / "auto" / app_files.GOLDEN_FILE).read_text(encoding="utf-8"))
    assert picked.returncode == 0 and golden["model"]["adjustment"]["tau"] == keyboard.choose(run, ds).tau
    one_line_error(cli("export", "--model", str(run.dir), "--keyboard", "soon"), "--keyboard takes auto or a tau")
    one_line_error(cli("export", "--model", str(run.dir), "--keyboard", "3"), "tau must be a number from -2 to 2")
    other = tmp_path / "other.txt"
    other.write_text("".join(f"so funny {i} 😂\nlove you {i} ❤️\n" for i in range(40)), encoding="utf-8")
    one_line_error(cli("export", "--model", str(run.dir), "--keyboard", "--data", str(other)),
                   "was trained on other data than", "give --data as it was trained")


def test_the_typed_view_scores_the_first_half_of_every_test_text(small_chcnn_run, ds):
    part = held_out(ds)
    seen = []

    def scores(texts):
        seen.append(list(texts))
        return small_chcnn_run.probabilities(texts)

    result = held_out_scores(scores, part, ds.labels)
    assert seen[1] == [keyboard.typed(t) for t in part.texts] and seen[0] == part.texts
    assert {"typed_top1", "typed_top5", "typed_macro_f1"} <= set(result)
    assert 0 <= result["typed_top1"] <= result["typed_top5"] <= 1


def _row(tau, top1, top5, f1):
    return {"tau": tau, "top1": top1, "top5": top5, "macro_f1": f1}


def test_the_sweep_tells_what_the_rule_picked_and_what_more_top1_would_cost():
    from rich.console import Console

    rows = [_row(0.0, 0.21, 0.61, 0.227), _row(0.3, 0.268, 0.664, 0.242), _row(0.8, 0.318, 0.69, 0.215)]
    choice = keyboard.Choice(keyboard.Adjustment(0.3, (0.5, 0.5)), rows, "bytegrams")
    story = " ".join(keyboard.sweep_story(choice).split())
    assert "Unadjusted (tau 0): top-1 21.0%, top-5 61.0%, macro-F1 22.7% on validation." in story
    assert "picks tau 0.3: top-1 +5.8, top-5 +5.4, macro-F1 +1.5 points." in story
    assert "The most top-1 is at tau 0.8 (31.8%), where macro-F1 is 21.5%" in story
    console = Console(width=80, record=True, color_system=None)
    console.print(keyboard.sweep_view(choice))
    table = console.export_text()
    assert "◀ chosen" in next(line for line in table.splitlines() if line.strip().startswith("0.3"))
    kept = keyboard.Choice(keyboard.Adjustment(0.0, (0.5, 0.5)), rows[:1], "bytegrams")
    assert "keeps tau 0 here" in keyboard.sweep_story(kept)


def test_lesson9_tells_the_three_views_against_the_unadjusted_file_and_the_published_model():
    from rich.console import Console

    from emoji_lab.lessons.lesson09 import keyboard_story, keyboard_view

    def scores(top1, top5, typed1, typed5, f1, lf_top1):
        return {"test_top1": top1, "test_top5": top5, "typed_top1": typed1, "typed_top5": typed5,
                "test_leak_free_macro_f1": f1, "test_leak_free_top1": lf_top1, "texts": 10_000, "leaky": True}

    rows = [{"name": "exported, tau 0.3", "tau": 0.3, **scores(0.27, 0.655, 0.214, 0.562, 0.216, 0.259)},
            {"name": "the same, tau 0", "tau": 0, **scores(0.22, 0.605, 0.179, 0.517, 0.225, 0.256)},
            {"name": "RoBERTa-retrained", "published": True, **scores(0.451, None, None, None, 0.244, 0.329)}]
    story = " ".join(keyboard_story(rows, "tweeteval").split())
    assert "first for 27.0% of them and among its five for 65.5%" in story
    assert "from the first half of the words, 21.4% and 56.2%" in story and "leak-free ones is 21.6%" in story
    assert "top-1 +5.0, top-5 +5.0, typed top-1 +3.5, macro-F1 -0.9 points" in story
    assert "RoBERTa-retrained (125M parameters) puts the right emoji first for 32.9%" in story
    console = Console(width=80, record=True, color_system=None)
    console.print(keyboard_view(rows))
    text = console.export_text()
    assert "32.9%*" in text and "leak-free tweets" in text and max(map(len, text.splitlines())) <= 80
    assert "no test split" in keyboard_story(None, "my.txt") and keyboard_view(None) == "(no test split in this data)"
