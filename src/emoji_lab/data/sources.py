"""Loading a data source (`emoji_lab.data.source`): the shipped `sample`, TweetEval, a folder in TweetEval's
layout, or the learner's own .txt/.csv/.tsv/.jsonl file, as a `Dataset`.

Every failure is a `DataError` with one line that says what is wrong and where.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import numpy as np

from emoji_lab.common.errors import DataError
from emoji_lab.data import dataset, tweeteval
from emoji_lab.data.dataset import Dataset, Split, split_lines
from emoji_lab.data.emojis import clean_text, remove_orphan_selectors
from emoji_lab.data.source import Source, as_source

OWN_FILE_SUFFIXES = (".txt", ".csv", ".tsv", ".jsonl")
SOURCES_HELP = ("sample (the practice corpus shipped with emoji_lab), tweeteval (downloaded and cached), "
                "tweeteval:DIR (a folder in TweetEval's layout), or a path to a .txt/.csv/.tsv/.jsonl file")


def load(source: Source | str = "sample", *, download: bool = True, **options: Any) -> Dataset:
    """Load a data source as labelled, split examples (`source` a Source, or what a person typed: read once here).

    `options` set the source's own (`top_k`, `seed`, `multi`, `text_column`, `keep_published`: TweetEval's text
    exactly as published, with the orphan variation selectors that leak labels, for comparison with published
    scores; the default cleans it). `download=False` makes `tweeteval` fail instead of fetching when it is not cached.
    """
    source = as_source(source, **options)
    if source.kind == "sample":
        from emoji_lab.data.corpus import read_sample_lines

        return dataset.from_raw_lines(read_sample_lines(), source)
    if source.kind == "tweeteval":
        folder = tweeteval.ensure_local(download=download) if source.path is None else source.path
        return read_tweeteval(folder, source)
    if source.kind != "file":
        raise DataError(f"{source}: texts handed over in memory cannot be loaded again; load them with their lines")
    if source.path.suffix.lower() not in OWN_FILE_SUFFIXES and not os.path.exists(source.path):
        raise DataError(f"unknown data source {source.text!r}: use {SOURCES_HELP}")
    return dataset.from_raw_lines(read_own_file(source.path, source.text_column), source)


def read_utf8(path: Path) -> str:
    """A whole file as text, with the line and byte of the first non-UTF-8 byte when there is one."""
    check_file(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(f"{path}: cannot read it ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise DataError(f"{path}: not UTF-8 text: byte 0x{data[error.start]:02X} at line {line}, "
                        f"byte {column} (save the file as UTF-8)") from None


def check_file(path: Path) -> None:
    """A file that holds data, checked before it is opened: reading a pipe waits for a writer, a device such as
    /dev/zero never ends, and neither is a file a learner saved."""
    mode = _mode(path)
    if not mode:
        raise DataError(f"{path}: no such file")
    if stat.S_ISDIR(mode):
        raise DataError(f"{path}: is a folder, not a file (for TweetEval's layout use tweeteval:{path})")
    if not stat.S_ISREG(mode):
        raise DataError(f"{path}: not a regular file but a pipe, a device or a socket; save the data in a "
                        ".txt, .csv, .tsv or .jsonl file and give its path")


def _mode(path: Path) -> int:
    """`path`'s type bits (`stat`), 0 when nothing is there; a name the system refuses is one line."""
    try:
        return path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return 0
    except OSError as error:
        raise DataError(f"{path}: cannot read it ({error.strerror})") from None


def read_own_file(path: Path, text_column: str = "text") -> list[str]:
    """Raw lines of text with emoji from a .txt, .csv, .tsv or .jsonl file."""
    text = read_utf8(path)
    if not text.strip():
        raise DataError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        lines = _read_table(path, text, "\t" if suffix == ".tsv" else ",", text_column)
    elif suffix == ".jsonl":
        lines = _read_jsonl(path, text, text_column)
    else:
        lines = [line for line in split_lines(text) if line.strip()]
    if not lines:
        raise DataError(f"{path}: no text in the file")
    return lines


def _read_table(path: Path, text: str, delimiter: str, column: str) -> list[str]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    lines, first = [], 1  # the line the row being read starts on
    try:
        if column not in (reader.fieldnames or []):
            found = ", ".join(reader.fieldnames or []) or "none"
            raise DataError(f"{path}: no column named {column!r} (columns: {found}); "
                            f"name the text column with --text-column")
        first = reader.reader.line_num + 1
        for row in reader:
            if (row.get(column) or "").strip():
                lines.append(row[column])
            first = reader.reader.line_num + 1
    except csv.Error as error:  # a field over csv's limit (128 KiB), often a quote left open: one line, no traceback
        kind, last = "TSV" if delimiter == "\t" else "CSV", reader.reader.line_num
        open_quote = f" (the row runs on to line {last}: a quote left open?)" if last > first else ""
        raise DataError(f"{path}: line {first} cannot be read as {kind}: {error}{open_quote}") from None
    return lines


def _read_jsonl(path: Path, text: str, field: str) -> list[str]:
    lines = []
    for number, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except RecursionError:
            raise DataError(f"{path}: line {number} is nested too deeply to read as JSON") from None
        except ValueError as error:  # not JSON, or a number with more digits than Python converts
            raise DataError(f"{path}: line {number} is not JSON ({getattr(error, 'msg', error)})") from None
        if not isinstance(record, dict) or not isinstance(record.get(field), str):
            raise DataError(f"{path}: line {number} has no text field {field!r}; "
                            f"name the field with --text-column")
        lines.append(record[field])
    return lines


def check_split_files(source: Source, split: str) -> None:
    """A TweetEval source asked for its test split: the files that are missing, by name, before anything loads
    (a folder may hold only train and val, as the download without its test split does)."""
    if source.kind != "tweeteval" or split != "test":
        return
    folder = tweeteval.cache_folder() if source.path is None else source.path
    missing = [name for name in tweeteval.OPTIONAL if not os.path.isfile(folder / name)]
    if missing:
        how = (f"`{tweeteval.DOWNLOAD_COMMAND}` fetches the test split" if source.path is None
               else "copy the test split's two files there from TweetEval's datasets/emoji")
        raise DataError(f"{source} has no test split: {folder} has no {' or '.join(missing)}; {how}")


def read_tweeteval(folder: Path, source: Source) -> Dataset:
    """A folder in TweetEval's layout: mapping.txt, {train,val[,test]}_{text,labels}.txt."""
    keep_published = source.keep_published
    if not stat.S_ISDIR(_mode(folder)):
        raise DataError(f"{folder}: no such folder (expected TweetEval's emoji files: "
                        f"{', '.join(tweeteval.REQUIRED)})")
    missing = [f for f in tweeteval.REQUIRED if not (folder / f).is_file()]
    if missing:
        raise DataError(f"{folder}: missing {', '.join(missing)} (TweetEval's datasets/emoji layout; "
                        f"`python -m emoji_lab data download tweeteval` fetches them)")
    test_files = [f for f in tweeteval.OPTIONAL if (folder / f).is_file()]
    if len(test_files) == 1:  # half a test split: not silently none
        absent = next(f for f in tweeteval.OPTIONAL if f not in test_files)
        raise DataError(f"{folder}: has {test_files[0]} but no {absent}; the test split needs both")
    labels = _read_mapping(folder / "mapping.txt")
    splits, notes = {}, {}
    for split in ("train", "val", "test"):
        if split == "test" and not test_files:
            continue
        texts, y = _read_pair(folder, split, len(labels))
        if not keep_published:
            notes[f"{split}: texts with orphan variation selectors removed"] = sum(
                remove_orphan_selectors(t) != t for t in texts)
            cleaned = [clean_text(t) for t in texts]
            notes[f"{split}: texts changed by cleaning"] = sum(a != b for a, b in zip(texts, cleaned))
            texts = cleaned
        splits[split] = Split(texts, y)
    return dataset.from_presplit(source, labels, splits, notes, cleaned=not keep_published)


def _read_mapping(path: Path) -> list[str]:
    labels = {}
    for number, line in enumerate(split_lines(read_utf8(path)), start=1):
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip().isdigit():
            raise DataError(f"{path}: line {number} is not `id<TAB>emoji<TAB>name`")
        labels[int(parts[0])] = parts[1]
    if sorted(labels) != list(range(len(labels))):
        raise DataError(f"{path}: label ids must be 0..{len(labels) - 1} without gaps")
    return [labels[i] for i in range(len(labels))]


def _read_pair(folder: Path, split: str, n_labels: int) -> tuple[list[str], np.ndarray]:
    text_path, label_path = folder / f"{split}_text.txt", folder / f"{split}_labels.txt"
    texts = split_lines(read_utf8(text_path))
    raw_labels = split_lines(read_utf8(label_path))
    if len(texts) != len(raw_labels):
        raise DataError(f"{folder}: {text_path.name} has {len(texts)} lines but {label_path.name} "
                        f"has {len(raw_labels)}; they must match line by line")
    if not texts:
        raise DataError(f"{folder}: {text_path.name} is empty")
    y = np.empty(len(raw_labels), dtype=np.int32)
    for number, value in enumerate(raw_labels, start=1):
        value = value.strip()
        if not value.isdigit() or int(value) >= n_labels:
            raise DataError(f"{label_path}: line {number} is {value!r}, not a label id 0..{n_labels - 1}")
        y[number - 1] = int(value)
    return texts, y
