"""Training as the lessons use it: the record, the best checkpoint, reloading, Ctrl-C, the display, TensorBoard."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from pathlib import Path

import numpy as np
import pytest

from emoji_lab.common.errors import DataError, EmojiLabError
from emoji_lab.data.dataset import from_raw_lines, training_subset
from emoji_lab.data.source import parse_source
from emoji_lab.models import registry as models
from emoji_lab.models.registry import spec
from emoji_lab.training.batches import TRIM_MARGIN, length_batches, text_lengths, trimmed
from emoji_lab.training.plan import Plan
from emoji_lab.training.runs import fingerprint, list_runs, load_run, open_run, run_dir, tensorboard_command
from emoji_lab.training.train import Monitor, class_weights, train

EPOCH_KEYS = {"loss", "top1", "top5", "val_loss", "val_top1", "val_top5", "val_macro_f1", "seconds", "elapsed"}
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # inside Keras
PROBE = ["so tired today", "happy new year friend", "lol so funny"]


def tiny_lines(n: int = 400, seed: int = 0) -> list[str]:
    """Made-up short lines with one of four emoji, each emoji with its own words (nothing from TweetEval)."""
    rng = random.Random(seed)
    topics = {"🎉": ["happy new year", "party tonight", "congrats"], "😴": ["so tired", "need sleep", "bed time"],
              "❤️": ["love you", "my heart", "miss you"], "😂": ["lol that joke", "so funny", "dying laughing"]}
    lines = []
    for i in range(n):
        emoji = rng.choice(sorted(topics))
        lines.append(f"{rng.choice(topics[emoji])} {rng.choice(['friend', 'today', 'omg', 'yes'])} {i} {emoji}")
    return lines


@pytest.fixture(scope="module")
def ds():
    return from_raw_lines(tiny_lines(), "tiny")


@pytest.fixture(scope="module")
def runs_root(tmp_path_factory):
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def run(ds, runs_root):
    return train(Plan.of("naive-embed-blstm", epochs=2, runs_root=runs_root), ds, progress=False)


def test_lessons_give_minutes_and_every_text_quick_fewer_minutes(monkeypatch):
    monkeypatch.delenv("EMOJI_LAB_MINUTES")
    lstm = spec("naive-noembd")
    quick, full = lstm.budget(True), lstm.budget(False)
    assert quick.max_train is full.max_train is None and 0 < quick.minutes < full.minutes
    monkeypatch.setenv("EMOJI_LAB_MINUTES", "1.5")  # an instructor's dry run: every lesson training capped
    assert lstm.budget().minutes == lstm.budget(True).minutes == 1.5 and spec("bytegrams").budget().minutes is None
    for bad in ("soon", "0", "-1", "nan"):
        monkeypatch.setenv("EMOJI_LAB_MINUTES", bad)
        with pytest.raises(EmojiLabError, match=f"EMOJI_LAB_MINUTES={bad} is not a number of minutes above 0"):
            lstm.budget()


def test_a_plan_is_the_lessons_budget_with_checked_changes():
    plan = Plan.of("chcnn-blstm", quick=True, epochs=2, runs_root=Path("/tmp/runs"))
    assert plan.budget == spec("chcnn-blstm").budget(True).replace(epochs=2) and plan.run_name == "chcnn-blstm"
    assert plan.replace(max_train=10, name="mine").budget.max_train == 10
    assert Plan.of("bytegrams-student").spec.graph == "bytegrams"
    for changes, says in (({"epochs": 0}, "epochs must be a whole number of at least 1"), ({"epochs": 2.5}, "epochs"),
                          ({"minutes": 0}, "minutes must be more than 0"), ({"patience": 0}, "patience"),
                          ({"colour": "red"}, "a training plan has no colour")):
        with pytest.raises(EmojiLabError, match=says):
            Plan.of("naive-noembd", **changes)
    with pytest.raises(EmojiLabError, match="unknown model 'naive'"):
        Plan.of("naive")


def test_every_minutes_the_course_states_for_a_lesson_model_are_the_budgets(monkeypatch):
    """Prose cannot read `budgets`: each "up to N minutes" in the lessons, README and guide is the lessons' budget."""
    monkeypatch.delenv("EMOJI_LAB_MINUTES")
    minutes = int(spec("chcnn-blstm").budget().minutes)
    said = {str(minutes), {10: "ten", 15: "fifteen", 20: "twenty", 30: "thirty"}[minutes]}
    root = Path(__file__).resolve().parents[1]
    files = [*root.glob("lessons/*.toml"), root / "README.md", root / "tutorial/instructor.md",
             *root.glob("tutorial/guide/*.md")]
    found = [(f.name, m.group(1)) for f in files
             for m in re.finditer(r"(?:up\s+to|that\s+is)\s+(\w+)\s+minutes", f.read_text(encoding="utf-8"))]
    assert len(found) >= 8 and all(n in said for _, n in found), found


def test_bytegrams_budget_trains_a_fixed_number_of_epochs_with_no_clock():
    grams = spec("bytegrams")
    for quick in (True, False):
        assert grams.budget(quick).max_train is None and grams.budget(quick).minutes is None
    assert grams.budget(True).epochs < grams.budget().epochs


def test_the_clock_ends_training_before_another_epoch_would_pass_the_minutes(ds, tmp_path, capsys):
    """The lessons' budget in time: the run ends on the clock, keeps its best epoch, and says why it stopped."""
    clocked = train(Plan.of("naive-embed-blstm", epochs=5, minutes=1e-4, out=tmp_path / "clocked"), ds)
    record = clocked.record
    assert len(record["epochs"]) == 1 and record["stopped_by"] == "the clock" and record["config"]["minutes"] == 1e-4
    shown = " ".join(capsys.readouterr().out.split())
    assert "Up to 5 epochs or 0.0001 minutes;" in shown and "another epoch would pass the 0.0001-minute budget" in shown
    unclocked = train(Plan.of("naive-embed-blstm", epochs=2, minutes=None, patience=5, out=tmp_path / "free"), ds,
                      progress=False)
    assert len(unclocked.record["epochs"]) == 2 and unclocked.record["stopped_by"] == "epochs"
    with pytest.raises(EmojiLabError, match="minutes must be more than 0"):
        train(Plan.of("naive-embed-blstm", minutes=0, out=tmp_path / "never"), ds)


def test_class_weights_raise_rare_classes_by_the_chosen_power():
    y = np.array([0] * 80 + [1] * 20)
    full = class_weights(y, 2, power=1.0)
    assert full[0] * 80 == pytest.approx(full[1] * 20)  # each class weighs the same in all
    assert class_weights(y, 2, power=0.5) == pytest.approx({k: v ** 0.5 for k, v in full.items()})
    assert class_weights(y, 3, power=1.0)[2] > full[1]  # an absent class gets a weight, not a division by 0


def test_training_subset_is_seeded_and_keeps_pairs():
    texts, y = [f"text {i}" for i in range(100)], np.arange(100) % 7
    sub_texts, sub_y = training_subset(texts, y, 30, seed=5)
    assert len(sub_texts) == 30 == len(set(sub_texts))
    assert all(int(t.split()[1]) % 7 == label for t, label in zip(sub_texts, sub_y))
    assert sub_texts == sorted(sub_texts, key=lambda t: int(t.split()[1]))  # original order
    assert training_subset(texts, y, 30, seed=5)[0] == sub_texts != training_subset(texts, y, 30, seed=6)[0]
    assert training_subset(texts, y, None, seed=5)[0] == texts


def test_length_batches_cover_every_text_once_and_group_lengths():
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 120, size=1000)
    batches = length_batches(lengths, 32, np.random.default_rng(1))
    rows = np.concatenate(batches)
    assert len(batches) == -(-1000 // 32) and sorted(rows.tolist()) == list(range(1000))
    assert all(np.array_equal(a, b) for a, b in zip(batches, length_batches(lengths, 32, np.random.default_rng(1))))
    spread = np.mean([lengths[b].max() - lengths[b].min() for b in batches])
    assert spread < 20  # random batches of 32 would span almost the whole 1..119 range


def test_trimmed_batches_keep_every_id_of_their_texts():
    x = np.zeros((3, 128), dtype=np.int32)
    for row, n in enumerate((5, 40, 128)):
        x[row, :n] = 7
    lengths = text_lengths(x)
    assert lengths.tolist() == [5, 40, 128]
    assert trimmed(x, np.array([0, 1]), lengths).shape == (2, 40 + TRIM_MARGIN)
    assert trimmed(x, np.array([2, 0]), lengths).shape == (2, 128)
    assert (trimmed(x, np.array([1]), lengths) != 0).sum() == 40


def test_run_folder_and_record(ds, run, runs_root):
    assert run.dir == run_dir("naive-embed-blstm", ds.source, runs_root) == runs_root / "tiny" / "naive-embed-blstm"
    for name in ("best.keras", "record.json", "preprocess.json"):
        assert (run.dir / name).is_file()
    record = json.loads((run.dir / "record.json").read_text(encoding="utf-8"))
    assert record == run.record
    assert record["name"] == record["model"] == "naive-embed-blstm" and record["labels"] == ds.labels
    assert record["data"]["fingerprint"] == fingerprint(ds) and record["data"]["sizes"]["train"] == len(ds.train)
    assert record["params"] == run.model.count_params() and "interrupted" not in record
    assert record["config"]["epochs"] == 2 and record["config"]["seed"] == 2017
    assert 1 <= len(record["epochs"]) <= 2 and all(set(e) == EPOCH_KEYS for e in record["epochs"])
    scores = [e["val_macro_f1"] for e in record["epochs"]]
    assert record["best_epoch"] == 1 + int(np.argmax(scores)) and record["config"]["kept_by"] == "val_macro_f1"
    best = record["epochs"][record["best_epoch"] - 1]
    assert record["val"] == {"loss": best["val_loss"], "top1": best["val_top1"], "top5": best["val_top5"],
                             "macro_f1": best["val_macro_f1"]}
    assert record["seconds_per_epoch"] > 0 and record["versions"]["keras"].startswith("3.")


def test_the_run_scores_what_its_record_says(ds, run):
    """Run.evaluate on val gives the best epoch's validation scores: the kept weights are the best ones."""
    result = run.evaluate(ds, "val")
    assert result["n"] == len(ds.val) and len(result["per_class"]) == len(ds.labels)
    for key in ("top1", "top5", "macro_f1"):
        assert result[key] == pytest.approx(run.record["val"][key])


def test_top_and_probabilities(ds, run):
    probs = run.probabilities(PROBE)
    assert probs.shape == (3, len(ds.labels)) and np.allclose(probs.sum(axis=1), 1, atol=1e-5)
    top = run.top(PROBE[0], k=3)
    assert [e for e, _ in top] == [ds.labels[i] for i in np.argsort(-probs[0], kind="stable")[:3]]
    assert [p for _, p in top] == sorted((p for _, p in top), reverse=True)
    assert run.probabilities(PROBE[0]).shape == (1, len(ds.labels))
    shown = repr(run)  # what the prompt echoes: one line, not the whole record
    assert "\n" not in shown and "naive-embed-blstm" in shown and f"{run.record['val']['top1']:.1%}" in shown


def test_reloaded_run_predicts_the_same(ds, run, runs_root):
    again = load_run("naive-embed-blstm", ds.source, runs_root)
    assert again.labels == run.labels and again.record == run.record and again.encoder == run.encoder
    assert np.allclose(again.probabilities(PROBE), run.probabilities(PROBE), atol=1e-6)


def test_word_model_keeps_its_vocabulary(ds, runs_root, capsys):
    run = train(Plan.of("word-embed-blstm", epochs=1, runs_root=runs_root), ds)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "\x1b" not in out  # piped output: plain lines, no control codes
    assert lines[0] == "Up to 1 epoch or 0.2 minutes; sooner if val macro-F1 stops improving."  # conftest's cap
    assert lines[1].split()[:3] == ["epoch", "seconds", "loss"] and lines[2].startswith(" 1/1")
    assert lines[-1].startswith("kept epoch 1") and len(lines) == 4
    assert (run.dir / "words.json").is_file() and run.record["encoder"]["kind"] == "words"
    again = open_run(run.dir)
    assert again.encoder.vocabulary == run.encoder.vocabulary and "tired" in again.encoder.vocabulary
    assert np.allclose(again.probabilities(PROBE), run.probabilities(PROBE), atol=1e-6)


def test_live_display_in_a_terminal_honours_no_color(monkeypatch, capsys):
    """In a terminal the bar is live (cursor codes) but, with NO_COLOR, never coloured; lines fit 80 columns."""
    from emoji_lab.training.train import TrainingDisplay

    monkeypatch.setenv("FORCE_COLOR", "1")  # rich: behave as in a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    logs = {"loss": 2.5, "top1": 0.25, "top5": 0.6, "val_loss": 2.4, "val_top1": 0.3, "val_top5": 0.65,
            "val_macro_f1": 0.1, "seconds": 3.2}
    display = TrainingDisplay(2, 3, lambda: 1)
    display.on_epoch_begin(0)
    display.on_train_batch_end(0, logs)
    display.on_epoch_end(0, logs)
    display.close()
    display.summary({"best_epoch": 1, "val": {"loss": 2.4}, "stopped_early": True, "config": {"patience": 2},
                     "epochs": [logs]}, Monitor.of(models.spec("chcnn-blstm")))
    out = capsys.readouterr().out
    assert "\x1b[?25l" in out  # the live bar hid the cursor while it ran
    assert not re.search(r"\x1b\[[0-9;]*m", out)  # no colour or style codes
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out).replace("\r", "\n")
    assert " 1/2       3.2  2.500  25.0%  60.0% |    2.400  30.0%  65.0%     10.0%  best" in plain
    assert ("kept epoch 1 (highest val macro-F1 10.0%); stopped early: val macro-F1 did not improve for 2 "
            "epochs" in " ".join(plain.split()))
    assert max(len(line) for line in plain.splitlines()) <= 80


def test_ctrl_c_discards_the_training_and_keeps_the_earlier_run(ds, run, runs_root, capsys):
    """KeyboardInterrupt after the first epoch: the interrupt goes on, nothing half-trained is kept, and the
    run trained earlier under the same name is exactly as it was (files and predictions)."""
    import keras

    def interrupt(epoch, logs):
        raise KeyboardInterrupt

    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    before = files(run.dir)
    with pytest.raises(KeyboardInterrupt):
        train(Plan.of("naive-embed-blstm", epochs=3, runs_root=runs_root), ds, progress=False,
              callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=interrupt)])
    said = " ".join(capsys.readouterr().out.split())  # wrapped at word gaps for an 80-column console
    assert f"this training is discarded; the earlier run in {run.dir} is unchanged" in said
    assert files(run.dir) == before
    assert [p.name for p in run.dir.parent.iterdir() if p.name.startswith(".")] == []  # nothing left aside
    again = open_run(run.dir)
    assert np.allclose(again.probabilities(PROBE), run.probabilities(PROBE), atol=1e-6)

    with pytest.raises(KeyboardInterrupt):
        train(Plan.of("naive-embed-blstm", epochs=3, name="stopped", runs_root=runs_root), ds, progress=False,
              callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=interrupt)])
    assert "no run was saved" in capsys.readouterr().out
    assert not (runs_root / "tiny" / "stopped").exists()
    assert "stopped" not in [r["name"] for r in list_runs(ds.source, runs_root)]


def test_tensorboard_logs_every_epoch(run):
    from tensorflow.core.util import event_pb2

    from emoji_lab.common.backend import import_tensorflow

    tf = import_tensorflow()

    def tags(split):
        found = set()
        for path in (run.dir / split).glob("events.out.tfevents.*"):
            for raw in tf.data.TFRecordDataset(str(path)):
                found |= {(v.tag, e.step) for e in [event_pb2.Event.FromString(raw.numpy())] for v in e.summary.value}
        return found

    epochs = range(len(run.record["epochs"]))
    assert {("epoch_loss", s) for s in epochs} | {("epoch_top5", s) for s in epochs} <= tags("train")
    assert {("epoch_loss", s) for s in epochs} | {("epoch_macro_f1", s) for s in epochs} <= tags("validation")


def test_list_runs_and_tensorboard_command(ds, run, runs_root):
    listed = list_runs(ds.source, runs_root)
    assert "naive-embed-blstm" in [r["name"] for r in listed]
    assert [r["created"] for r in listed] == sorted(r["created"] for r in listed)
    assert list_runs("sample", runs_root) == []
    assert tensorboard_command(ds.source, runs_root) == f"tensorboard --logdir {runs_root / 'tiny'}"


def test_data_tags_and_run_names(tmp_path):
    sources = ("sample", "tweeteval", "tweeteval:/x/tweeteval-emoji", "/home/me/my_tweets.csv", "tweeteval_old.txt")
    tags = [parse_source(d).tag for d in sources]
    assert tags[:3] == ["sample", "tweeteval", "tweeteval"]  # an own file: its name and a hash of its path
    assert re.fullmatch("my_tweets-[0-9a-f]{8}", tags[3]) and re.fullmatch("tweeteval_old-[0-9a-f]{8}", tags[4])
    with pytest.raises(EmojiLabError, match="run name"):
        run_dir("../elsewhere", "sample", tmp_path)


def test_evaluating_on_other_data_or_a_missing_split_fails_clearly(ds, run):
    without_test = dataclasses.replace(ds, splits={k: v for k, v in ds.splits.items() if k != "test"})
    with pytest.raises(DataError, match="tiny has no test split"):
        run.evaluate(without_test, "test")
    other = from_raw_lines([line.replace("😂", "🔥") for line in tiny_lines()], "other")
    with pytest.raises(EmojiLabError, match="other emoji classes"):
        run.evaluate(other, "val")


def test_opening_a_folder_without_a_run_fails_clearly(tmp_path):
    with pytest.raises(EmojiLabError, match="no such folder"):
        open_run(tmp_path / "nowhere")
    with pytest.raises(EmojiLabError, match="no record.json or best.keras"):
        open_run(tmp_path)
