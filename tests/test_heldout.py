"""The held-out scores: the test split once, whole and leak-free, and a published model's predictions beside it."""

from __future__ import annotations

import numpy as np
import pytest
from test_sources import write_tweeteval

from emoji_lab.common.errors import DataError
from emoji_lab.data.sources import load
from emoji_lab.training.heldout import REFERENCE_FILE, REFERENCE_MODEL, held_out, held_out_scores, reference_row

TEST_TEXTS = ["love you\ufe0f", "so funny", "love it", "haha\ufe0f so funny"]  # two carry TweetEval's residue
TEST_LABELS = ["0", "1", "0", "1"]


def with_test(folder, texts=TEST_TEXTS, labels=TEST_LABELS, reference=None):
    write_tweeteval(folder, ["love", "funny"], ["0", "1"])
    (folder / "test_text.txt").write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    (folder / "test_labels.txt").write_text("".join(label + "\n" for label in labels), encoding="utf-8")
    if reference is not None:
        (folder / REFERENCE_FILE).write_text("".join(f"{p}\n" for p in reference), encoding="utf-8")
    return f"tweeteval:{folder}"


def test_the_leak_free_part_is_the_tweets_without_residue_as_published(tmp_path):
    part = held_out(load(with_test(tmp_path / "te")))
    assert part.texts == ["love you", "so funny", "love it", "haha so funny"]  # what the models read: cleaned
    assert part.leak_free.tolist() == [False, True, True, False] and part.y.tolist() == [0, 1, 0, 1]
    assert part.reference is None


def test_scores_on_the_whole_split_and_on_the_leak_free_part(tmp_path):
    part = held_out(load(with_test(tmp_path / "te")))
    always_heart = lambda texts: np.tile([0.9, 0.1], (len(texts), 1))  # noqa: E731
    scores = held_out_scores(always_heart, part, ["❤", "😂"])
    assert scores["test_top1"] == 0.5 and scores["test_top5"] == 1.0
    assert scores["test_leak_free_top1"] == 0.5  # "so funny" (😂) wrong, "love it" (❤) right
    assert scores["test_macro_f1"] == pytest.approx((2 / 3 + 0) / 2)


def test_a_published_models_predictions_are_scored_on_the_same_tweets(tmp_path):
    part = held_out(load(with_test(tmp_path / "te", reference=[0, 1, 1, 0])))
    row = reference_row(part, ["❤", "😂"])
    assert row["model"] == REFERENCE_MODEL and row["test_top5"] is None
    assert row["test_top1"] == 0.5 and row["test_leak_free_top1"] == 0.5
    # leak-free: "so funny" 😂 predicted 😂, "love it" ❤ predicted 😂: F1 of ❤ 0, of 😂 2/3
    assert row["test_leak_free_macro_f1"] == pytest.approx((0 + 2 / 3) / 2)
    assert reference_row(held_out(load(with_test(tmp_path / "plain"))), ["❤", "😂"]) is None


def test_predictions_that_do_not_match_the_test_split_are_one_line(tmp_path):
    for name, reference in (("short", [0, 1]), ("bad", [0, 1, 2, 0])):
        source = with_test(tmp_path / name, reference=reference)
        with pytest.raises(DataError, match=r"expected 4 label ids 0\.\.1, one a line"):
            held_out(load(source))


def test_no_test_split_no_held_out_scores(tmp_path):
    folder = tmp_path / "te"
    write_tweeteval(folder, ["love", "funny"], ["0", "1"])
    assert held_out(load(f"tweeteval:{folder}")) is None


def test_an_own_file_has_no_residue_so_its_whole_test_split_is_leak_free(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("".join(f"so funny {i} 😂\nlove you {i} ❤️\n" for i in range(50)), encoding="utf-8")
    part = held_out(load(str(path)))
    assert len(part.y) > 0 and part.leak_free.all() and part.reference is None


def test_a_test_split_with_no_leak_free_tweet_says_so_with_none(tmp_path):
    source = with_test(tmp_path / "te", texts=["love\ufe0f", "haha\ufe0f"], labels=["0", "1"], reference=[0, 1])
    part = held_out(load(source))
    scores = held_out_scores(lambda texts: np.tile([0.9, 0.1], (len(texts), 1)), part, ["❤", "😂"])
    assert scores["test_top1"] == 0.5 and scores["test_leak_free_macro_f1"] is None
    row = reference_row(part, ["❤", "😂"])
    assert row["test_top1"] == 1.0 and row["test_leak_free_top1"] is None
