"""Data sources by name: `sample`, `tweeteval`, `tweeteval:DIR`, or a path to the learner's own file.

Every failure is a `DataError` with one line that says what is wrong and where.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from emoji_lab.common.errors import DataError
from emoji_lab.data import dataset, tweeteval
from emoji_lab.data.dataset import DEFAULT_SEED, DEFAULT_TOP_K, Dataset, Split, split_lines
from emoji_lab.data.emojis import clean_text, remove_orphan_selectors

OWN_FILE_SUFFIXES = (".txt", ".csv", ".tsv", ".jsonl")
SOURCES_HELP = ("sample (the practice corpus shipped with emoji_lab), tweeteval (downloaded and cached), "
                "tweeteval:DIR (a folder in TweetEval's layout), or a path to a .txt/.csv/.tsv/.jsonl file")


def load(source: str = "sample", *, top_k: int = DEFAULT_TOP_K, seed: int = DEFAULT_SEED,
         multi: str = "first", text_column: str = "text", keep_published: bool = False,
         download: bool = True) -> Dataset:
    """Load a data source as labelled, split examples.

    `keep_published` keeps TweetEval's text exactly as published (with the orphan variation
    selectors that leak labels) for comparison with published scores; the default cleans it.
    `download=False` makes `tweeteval` fail instead of fetching when it is not cached.
    """
    parsed = parse_source(source)
    if parsed.kind == "sample":
        from emoji_lab.data.corpus import read_sample_lines

        return dataset.from_raw_lines(read_sample_lines(), "sample", top_k, seed, multi)
    if parsed.kind == "tweeteval" and parsed.path is None:
        return read_tweeteval(tweeteval.ensure_local(download=download), keep_published, name="tweeteval")
    if parsed.kind == "tweeteval":
        return read_tweeteval(parsed.path, keep_published, name=source)
    if parsed.path.suffix.lower() not in OWN_FILE_SUFFIXES and not parsed.path.exists():
        raise DataError(f"unknown data source {source!r}: use {SOURCES_HELP}")
    return dataset.from_raw_lines(read_own_file(parsed.path, text_column), str(parsed.path), top_k, seed, multi)


@dataclass(frozen=True)
class Source:
    """A data-source string, read once: what it names, and the names the course gives it."""

    text: str
    kind: str  # "sample", "tweeteval" (downloaded, or a folder in its layout at `path`), "file" (at `path`)
    path: Optional[Path] = None

    @property
    def raw(self) -> bool:
        """Whether it comes as raw lines with their emoji (so every trap of lesson 1 can be measured)."""
        return self.kind != "tweeteval"

    @property
    def tag(self) -> str:
        """The folder its runs live in: sample, tweeteval, or the own file's stem."""
        return self.kind if self.kind != "file" else (self.path.stem or "data")

    @property
    def short(self) -> str:
        """Short enough for a table title: 'tweeteval', 'sample', 'my_tweets.txt'."""
        return self.kind if self.kind != "file" else (self.path.name or self.text)


def parse_source(source: str) -> Source:
    """The one reading of a data-source string: sample, tweeteval, tweeteval:DIR, else a file's path."""
    if source in ("sample", "tweeteval"):
        return Source(source, source)
    if source.startswith("tweeteval:"):
        return Source(source, "tweeteval", Path(source.split(":", 1)[1]).expanduser())
    return Source(source, "file", Path(source).expanduser())  # `load` says so if there is no such file


def read_utf8(path: Path) -> str:
    """A whole file as text, with the line and byte of the first non-UTF-8 byte when there is one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not a file (for TweetEval's layout use tweeteval:{path})") from None
    except OSError as error:
        raise DataError(f"{path}: cannot read it ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise DataError(f"{path}: not UTF-8 text: byte 0x{data[error.start]:02X} at line {line}, "
                        f"byte {column} (save the file as UTF-8)") from None


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
    if column not in (reader.fieldnames or []):
        found = ", ".join(reader.fieldnames or []) or "none"
        raise DataError(f"{path}: no column named {column!r} (columns: {found}); "
                        f"name the text column with --text-column")
    return [row[column] for row in reader if (row.get(column) or "").strip()]


def _read_jsonl(path: Path, text: str, field: str) -> list[str]:
    lines = []
    for number, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{path}: line {number} is not JSON ({error.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get(field), str):
            raise DataError(f"{path}: line {number} has no text field {field!r}; "
                            f"name the field with --text-column")
        lines.append(record[field])
    return lines


def read_tweeteval(folder: Path, keep_published: bool = False, name: str | None = None) -> Dataset:
    """A folder in TweetEval's layout: mapping.txt, {train,val[,test]}_{text,labels}.txt."""
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder (expected TweetEval's emoji files: "
                        f"{', '.join(tweeteval.REQUIRED)})")
    missing = [f for f in tweeteval.REQUIRED if not (folder / f).is_file()]
    if missing:
        raise DataError(f"{folder}: missing {', '.join(missing)} (TweetEval's datasets/emoji layout; "
                        f"`python -m emoji_lab data download tweeteval` fetches them)")
    labels = _read_mapping(folder / "mapping.txt")
    splits, notes = {}, {}
    for split in ("train", "val", "test"):
        if split == "test" and not (folder / "test_text.txt").is_file():
            continue
        texts, y = _read_pair(folder, split, len(labels))
        if not keep_published:
            notes[f"{split}: texts with orphan variation selectors removed"] = sum(
                remove_orphan_selectors(t) != t for t in texts)
            cleaned = [clean_text(t) for t in texts]
            notes[f"{split}: texts changed by cleaning"] = sum(a != b for a, b in zip(texts, cleaned))
            texts = cleaned
        splits[split] = Split(texts, y)
    return dataset.from_presplit(name or f"tweeteval:{folder}", labels, splits, notes, cleaned=not keep_published)


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
    if not label_path.is_file():
        raise DataError(f"{folder}: {text_path.name} has no {label_path.name} beside it")
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
