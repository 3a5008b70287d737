"""Data sources: own files in every supported format, TweetEval folders, and one-line errors."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED_TWEETEVAL, needs_tweeteval

from emoji_lab.common.errors import DataError
from emoji_lab.data.sources import load

OWN_LINES = [f"so funny {i} 😂" for i in range(30)] + [f"love you {i} ❤️" for i in range(20)]


def write_tweeteval(folder, train_texts, train_labels, val_texts=("a", "b"), val_labels=("0", "1")):
    """A tiny folder in TweetEval's layout (synthetic content)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mapping.txt").write_text("0\t❤\t_red_heart_\t\n1\t😂\t_joy_\t\n", encoding="utf-8")
    for split, texts, labels in (("train", train_texts, train_labels), ("val", val_texts, val_labels)):
        (folder / f"{split}_text.txt").write_text("".join(t + "\n" for t in texts), encoding="utf-8")
        (folder / f"{split}_labels.txt").write_text("".join(l + "\n" for l in labels), encoding="utf-8")
    return folder


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".tsv", ".jsonl"])
def test_own_file_in_each_format(tmp_path, suffix):
    path = tmp_path / f"mine{suffix}"
    if suffix == ".txt":
        path.write_text("\n".join(OWN_LINES) + "\n\n", encoding="utf-8")
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(OWN_LINES)),
                        encoding="utf-8")
    else:
        sep = "\t" if suffix == ".tsv" else ","
        rows = [f"id{sep}text"] + [f'{i}{sep}"{t}, ok"' for i, t in enumerate(OWN_LINES)]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ds = load(str(path))
    assert ds.labels == ["😂", "❤️"] and ds.examples == 50 and ds.lines == 50
    assert all("😂" not in t and "❤" not in t for split in ds.splits.values() for t in split.texts)


def test_csv_text_column_option(tmp_path):
    path = tmp_path / "tweets.csv"
    path.write_text("tweet\n" + "\n".join(OWN_LINES) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"no column named 'text' \(columns: tweet\).*--text-column"):
        load(str(path))
    assert load(str(path), text_column="tweet").examples == 50


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"\n  \n", "the file is empty"),
    ("no emoji here\nnor here\n".encode(), "no line has both text and one of the top 20 emoji"),
    ("ok 😂\nfine ❤️\nbad \xff byte 😂\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff"),
     "not UTF-8 text: byte 0xFF at line 3, byte 5"),
])
def test_bad_own_files(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        load(str(path))


def test_bad_jsonl_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a 😂"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(DataError, match="line 2 is not JSON"):
        load(str(path))


def test_unknown_source_and_missing_file(tmp_path):
    with pytest.raises(DataError, match="unknown data source 'tweets'.*sample.*tweeteval:DIR"):
        load("tweets")
    with pytest.raises(DataError, match="no such file"):
        load(str(tmp_path / "missing.txt"))


def test_tweeteval_folder_lengths_must_match(tmp_path):
    folder = write_tweeteval(tmp_path / "te", ["a", "b", "c"], ["0", "1"])
    with pytest.raises(DataError, match="train_text.txt has 3 lines but train_labels.txt has 2"):
        load(f"tweeteval:{folder}")
    folder = write_tweeteval(tmp_path / "te2", ["a", "b"], ["0", "7"])
    with pytest.raises(DataError, match="line 2 is '7', not a label id 0..1"):
        load(f"tweeteval:{folder}")
    (folder / "val_labels.txt").unlink()
    with pytest.raises(DataError, match="missing val_labels.txt"):
        load(f"tweeteval:{folder}")


def test_tweeteval_cleaning_by_default_and_published_on_request(tmp_path):
    texts = ["Love it \ufe0f \ufe0f #friends ", "I ❤️ you ", "plain \u2028 tweet "]
    folder = write_tweeteval(tmp_path / "te", texts, ["0", "0", "1"])
    ds = load(f"tweeteval:{folder}")
    assert ds.train.texts == ["Love it #friends", "I you", "plain tweet"]  # as the phone cleans what it reads
    assert ds.notes["train: texts with orphan variation selectors removed"] == 1
    assert ds.notes["train: texts changed by cleaning"] == 3
    assert ds.labels == ["❤️", "😂"]
    published = load(f"tweeteval:{folder}", keep_published=True)
    assert published.train.texts == texts and published.notes == {}


def test_tweeteval_without_cache_explains_how_to_get_it():
    with pytest.raises(DataError, match="python -m emoji_lab data download tweeteval"):
        load("tweeteval", download=False)


def test_sample_corpus_loads_offline():
    ds = load("sample")
    assert len(ds.labels) == 20 and ds.lines >= 20_000
    assert set(ds.splits) == {"train", "val", "test"}
    assert 0.15 <= ds.counts()[0] / ds.examples <= 0.25


@needs_tweeteval
def test_real_tweeteval_copy_and_its_leak():
    ds = load(f"tweeteval:{SHARED_TWEETEVAL}")
    assert (len(ds.train), len(ds.val), len(ds.labels)) == (45_000, 5_000, 20)
    assert ds.labels[0] == "❤️" and ds.labels[12] == "☀️"
    # The leak of the leak issue: about one training tweet in five carries an orphan selector.
    orphan = ds.notes["train: texts with orphan variation selectors removed"] / len(ds.train)
    assert 0.15 < orphan < 0.25
    assert not any("\ufe0f" in t for t in ds.train.texts)
