"""Lesson 9's student: training on probabilities, the teachers' mix, and the student's run end to end."""

from __future__ import annotations

import json
import re

import keras
import numpy as np
import pytest
from test_train import ds, runs_root, tiny_lines  # noqa: F401 (ds and runs_root are fixtures)

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.data.dataset import from_raw_lines
from emoji_lab.lessons import lesson09
from emoji_lab.training import distill as dl
from emoji_lab.training.plan import Plan, Teaching
from emoji_lab.training.runs import RECORD_FILE, model_sha
from emoji_lab.training.train import train

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # inside Keras


@pytest.fixture(scope="module")
def teacher(ds, runs_root):
    return train(Plan.of("bytegrams", epochs=3, runs_root=runs_root), ds, progress=False)


def curve(run, key="val_loss"):
    return [e[key] for e in run.record["epochs"]]


def test_one_hot_targets_train_exactly_as_the_labels_do(ds, teacher, runs_root):
    one_hot = np.eye(len(ds.labels), dtype=np.float32)[ds.train.y]
    same = train(Plan.of("bytegrams", epochs=3, runs_root=runs_root, name="one-hot"), ds, progress=False,
                 taught=Teaching(one_hot, {}))
    assert curve(same) == pytest.approx(curve(teacher), rel=1e-4)
    assert curve(same, "val_macro_f1") == pytest.approx(curve(teacher, "val_macro_f1"))
    assert same.record["config"]["targets"] == "probabilities"
    assert teacher.record["config"]["targets"] == "one-hot labels"


def test_the_model_learns_what_the_targets_say_not_the_labels(ds, runs_root):
    heart = ds.labels.index("❤️")
    targets = np.zeros((len(ds.train), len(ds.labels)), dtype=np.float32)
    targets[:, heart] = 1  # every text "is" a heart, whatever its label
    run = train(Plan.of("naive-noembd", epochs=2, runs_root=runs_root, name="hearts"), ds, progress=False,
                taught=Teaching(targets, {}))
    assert (run.probabilities(ds.val.texts).argmax(axis=1) == heart).all()


class FirstWeights(keras.callbacks.Callback):
    """Keeps the trainer's weights as the training begins."""

    def on_train_begin(self, logs=None):
        self.first = self.model.get_weights()


def test_a_run_can_start_from_another_runs_weights(ds, teacher, runs_root):
    starts = {}
    for name, start in (("warm", teacher), ("cold", None)):
        keep = FirstWeights()
        run = train(Plan.of("bytegrams", epochs=1, runs_root=runs_root, name=name), ds, progress=False,
                    callbacks=[keep], start_from=start)
        starts[name] = (keep.first, run.record["config"]["start_from"])
    assert starts["warm"][1] == "bytegrams" and starts["cold"][1] is None
    taught = teacher.model.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(starts["warm"][0], taught, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(starts["cold"][0], taught, strict=True))


def test_a_run_starts_only_from_a_run_of_its_own_model_and_keeps_its_encoder(ds, teacher, runs_root):
    with pytest.raises(EmojiLabError, match="a naive-noembd can start only from a naive-noembd run, not 'bytegrams'"):
        train(Plan.of("naive-noembd", epochs=1, runs_root=runs_root, name="bad"), ds, progress=False,
              start_from=teacher)
    words = train(Plan.of("word-embed-blstm", epochs=1, runs_root=runs_root, name="words"), ds, progress=False)
    again = train(Plan.of("word-embed-blstm", epochs=1, max_train=20, runs_root=runs_root), ds, progress=False,
                  start_from=words)  # 20 texts: fitted on them, a vocabulary would be much smaller
    assert again.encoder.vocabulary == words.encoder.vocabulary  # its weights' word ids still mean the same words
    other = from_raw_lines(tiny_lines(seed=1), "other")
    assert other.labels != ds.labels  # the same emoji, another order
    with pytest.raises(EmojiLabError, match="'words' answers with other emoji"):
        train(Plan.of("word-embed-blstm", epochs=1, runs_root=runs_root), other, progress=False, start_from=words)


@pytest.mark.parametrize("targets, says", [
    (np.full((3, 4), 0.25), "shape (3, 4)"),
    ("wide", "one row of 4 probabilities per training text"),
    ("negative", "probabilities"),
    ("unnormalised", "summing to 1"),
])
def test_targets_that_are_not_one_row_of_probabilities_per_text_fail_clearly(ds, runs_root, targets, says):
    n, k = len(ds.train), len(ds.labels)
    bad = {"wide": np.full((n, k + 1), 1 / (k + 1)), "negative": np.tile([1.5, -0.5] + [0] * (k - 2), (n, 1)),
           "unnormalised": np.full((n, k), 0.5)}
    with pytest.raises(EmojiLabError, match=re.escape(says)):
        train(Plan.of("bytegrams", epochs=1, runs_root=runs_root, name="bad"), ds, progress=False,
              taught=Teaching(bad.get(targets, targets) if isinstance(targets, str) else targets, {}))


def test_teachers_mix_is_a_weighted_geometric_mean():
    a, b = np.array([[0.5, 0.25, 0.25]]), np.array([[0.125, 0.5, 0.375]])
    mix = dl.teachers_mix(a, b, gram_weight=0.3)
    expected = a ** 0.3 * b ** 0.7
    assert mix == pytest.approx(expected / expected.sum(), rel=1e-5)
    assert dl.teachers_mix(a, b, gram_weight=1.0) == pytest.approx(a)
    assert dl.teachers_mix(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])).sum() == pytest.approx(1)  # no NaN


def test_student_targets_blend_the_label_and_the_teachers():
    mix = np.array([[0.2, 0.8], [0.6, 0.4]], dtype=np.float32)
    targets = dl.student_targets(np.array([0, 0]), mix, label_share=0.3)
    assert targets == pytest.approx(np.array([[0.3 + 0.7 * 0.2, 0.7 * 0.8], [0.3 + 0.7 * 0.6, 0.7 * 0.4]]))
    assert targets.sum(axis=1) == pytest.approx([1, 1])


@pytest.fixture(scope="module")
def student(ds, teacher, runs_root):
    plan = Plan.of(dl.STUDENT, True, epochs=3, runs_root=runs_root)
    return dl.distill(teacher, ds, quick=True, progress=False, plan=plan)


def test_the_student_is_a_bytegrams_run_that_records_its_teachers(ds, teacher, student):
    record = student.record
    assert student.name == dl.STUDENT and record["model"] == "bytegrams"
    assert record["params"] == teacher.record["params"]
    assert len(record["epochs"]) == record["config"]["patience"] == 3  # its whole budget, never stopped early
    assert record["config"]["start_from"] == "bytegrams"  # its teacher's weights, not fresh ones
    t = record["teachers"]
    assert t["gram_run"] == "bytegrams" and t["gram_sha256"] == model_sha(teacher)
    assert (t["gram_weight"], t["label_share"]) == (dl.GRAM_WEIGHT, dl.LABEL_SHARE)
    assert t["gram_val"] == {k: teacher.record["val"][k] for k in ("top1", "top5", "macro_f1")}
    assert t["yardstick"]["params"] == 2**18 * len(ds.labels) and 0 <= t["pair_val"]["macro_f1"] <= 1
    assert all(t["seconds"][k] > 0 for k in ("bytegrams", "yardstick", "predict"))
    story = " ".join(lesson09.teachers_story(record).split())
    assert f"the student {100 * record['val']['macro_f1']:.1f}%" in story and "Time: the bytegrams teacher" in story


def test_a_saved_student_is_restored_only_for_its_own_teacher(ds, teacher, student, runs_root, monkeypatch):
    from emoji_lab.common import paths

    monkeypatch.setattr(paths, "runs_dir", lambda: runs_root)
    ns = {"ds": ds, "DATA": "tiny", "run9": teacher}
    lesson09.restore_student(ns)
    assert ns["student"].record["created"] == student.record["created"] and ns["distill"] is dl.distill
    other = train(Plan.of("bytegrams", epochs=1, runs_root=runs_root, name="other"), ds, progress=False)
    with pytest.raises(EmojiLabError, match="another bytegrams run"):
        lesson09.restore_student({**ns, "run9": other})
    path = student.dir / RECORD_FILE
    kept = path.read_text(encoding="utf-8")
    path.write_text(json.dumps({**student.record, "config": {**student.record["config"], "start_from": None}}),
                    encoding="utf-8")  # as the course's earlier versions saved their students
    try:
        with pytest.raises(EmojiLabError, match="started from fresh weights"):
            lesson09.restore_student(ns)
    finally:
        path.write_text(kept, encoding="utf-8")


def test_only_a_bytegrams_run_on_the_same_data_can_teach(ds, teacher, runs_root):
    words = train(Plan.of("naive-noembd", epochs=1, runs_root=runs_root), ds, progress=False)
    with pytest.raises(EmojiLabError, match="must be a bytegrams run"):
        dl.distill(words, ds, progress=False, plan=Plan.of(dl.STUDENT, runs_root=runs_root))
    other = from_raw_lines(tiny_lines(seed=1), "other")
    with pytest.raises(EmojiLabError, match="other data"):
        dl.distill(teacher, other, progress=False, plan=Plan.of(dl.STUDENT, runs_root=runs_root))


def test_the_student_keeps_its_yardstick_to_be_scored_on_held_out_texts(ds, teacher, student, runs_root, monkeypatch):
    from emoji_lab.common import paths
    from emoji_lab.training.metrics import evaluate
    from emoji_lab.training.runs import YARDSTICK_FILE

    yard = dl.kept_yardstick(student)  # exactly the teacher the record measured
    assert yard.params == student.record["teachers"]["yardstick"]["params"]
    kept_f1 = evaluate(ds.val.y, yard.scores(ds.val.texts), ds.labels)["macro_f1"]
    assert kept_f1 == student.record["teachers"]["yardstick"]["val"]["macro_f1"]
    rows = lesson09.held_out_rows(teacher, student, ds)  # tiny data has a test split: scored once, all leak-free
    assert [r["name"] for r in rows] == ["bytegrams", dl.STUDENT, "char n-gram linear"]
    assert rows[0]["test_macro_f1"] == rows[0]["test_leak_free_macro_f1"] and rows[0]["texts"] == len(ds.splits["test"])
    story = " ".join(lesson09.held_out_story(rows, "tiny").split())
    assert f"{dl.STUDENT}: {100 * student.record['val']['macro_f1']:.1f}% on validation" in story

    monkeypatch.setattr(paths, "runs_dir", lambda: runs_root)
    kept = (student.dir / YARDSTICK_FILE).read_bytes()
    (student.dir / YARDSTICK_FILE).unlink()  # as the course's earlier versions saved their students
    try:
        with pytest.raises(EmojiLabError, match="keeps no yardstick"):
            dl.kept_yardstick(student)
        with pytest.raises(EmojiLabError, match="keeps no yardstick"):
            lesson09.restore_student({"ds": ds, "DATA": "tiny", "run9": teacher})
    finally:
        (student.dir / YARDSTICK_FILE).write_bytes(kept)
