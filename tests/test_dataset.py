"""Raw lines to labelled examples: top-K classes, the several-emoji policy, drops, seeded splits."""

import numpy as np
import pytest

from emoji_lab.common.errors import DataError
from emoji_lab.data.dataset import from_raw_lines, label_lines, stratified_split
from emoji_lab.data.source import named_lines

LINES = (["so funny 😂"] * 6 + ["love you ❤️"] * 4 + ["love u ❤"] * 2 + ["sleepy 😴"] * 3
         + ["tired 😩 but lol 😂"] + ["rare one 🦑"] + ["no emoji at all"] + ["😂😂"])


def test_top_k_classes_ranked_by_lines_containing_them():
    texts, y, classes, popularity, dropped, notes = label_lines(LINES, top_k=3)
    assert [s.info.emoji for s in classes] == ["😂", "❤️", "😴"]
    assert [s.count for s in popularity[:3]] == [8, 6, 3]  # 😂😂 counts once per line
    assert dropped == {"no emoji": 1, "only emoji outside the top 3": 1, "no text besides emoji": 1}
    # "tired 😩 but lol 😂": 😩 is outside the top 3, so the line is labelled 😂.
    assert "tired but lol" in texts and y[texts.index("tired but lol")] == 0
    assert notes == {"several top emoji, labelled by the first": 0}


def test_several_top_emoji_first_or_drop():
    lines = ["tired 😴 lol 😂"] + LINES
    texts, y, *_, notes = label_lines(lines, top_k=3)
    assert y[texts.index("tired lol")] == 2 and notes["several top emoji, labelled by the first"] == 1
    texts, y, _, _, dropped, _ = label_lines(lines, top_k=3, multi="drop")
    assert "tired lol" not in texts and dropped["several top emoji (policy: drop)"] == 1


def test_bad_parameters_are_one_line_errors():
    with pytest.raises(DataError, match="policy"):
        label_lines(LINES, multi="each")
    with pytest.raises(DataError, match="at least 2"):
        label_lines(LINES, top_k=1)
    with pytest.raises(DataError, match="one emoji"):
        from_raw_lines(["a 😂", "b 😂"], "x")


def test_split_is_seeded_stratified_and_keeps_copies_together():
    texts = [f"text {i % 700}" for i in range(1000)]  # 300 exact copies
    y = np.array([int(t.split()[1]) % 4 for t in texts])
    a = stratified_split(texts, y, seed=1)
    b = stratified_split(texts, y, seed=1)
    c = stratified_split(texts, y, seed=2)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["val"], c["val"])
    assert sorted(np.concatenate(list(a.values())).tolist()) == list(range(1000))
    seen = {name: {texts[i] for i in idx} for name, idx in a.items()}
    assert not (seen["train"] & seen["val"]) and not (seen["train"] & seen["test"])
    for cls in range(4):  # each class is about 10% val, 10% test
        share = np.isin(np.flatnonzero(y == cls), a["val"]).mean()
        assert 0.07 < share < 0.13


def test_dataset_summary_has_what_the_cli_promises():
    lines = [f"fun {i} 😂" for i in range(30)] + [f"love {i} ❤️" for i in range(20)] + ["x"]
    ds = from_raw_lines(lines, named_lines("test", top_k=5))
    summary = ds.summary()
    assert summary["lines"] == 51 and summary["examples"] == 50
    assert summary["labels"] == ["😂", "❤️"] and summary["counts"] == [30, 20]
    assert summary["splits"] == {"train": 40, "val": 5, "test": 5}
    assert summary["popularity"][0]["shorthand"] == ":joy:"
