"""A data source as one value: what it names (the shipped `sample`, TweetEval, a folder in TweetEval's layout, the
learner's own file) and the options it is read with. Made once, from what a person typed (the CLI, the console, a
notebook cell), and carried as it is: to the dataset, the runs, the background worker, the benchmark and the
saved progress, never turned back into a string and parsed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from emoji_lab.common.errors import DataError

DEFAULT_TOP_K = 20
DEFAULT_SEED = 2017  # the year of the seed talk
MULTI_POLICIES = ("first", "drop")
DEFAULT_TEXT_COLUMN = "text"
OPTIONS = ("top_k", "seed", "multi", "text_column", "keep_published")
TAG_STEM = 40  # characters of an own file's name in its runs folder's name: short enough for any disk


@dataclass(frozen=True)
class Source:
    """A data source and its options. `str(source)` is how it was typed, for messages."""

    text: str
    kind: str  # "sample", "tweeteval" (downloaded, or a folder in its layout at `path`), "file" (at `path`), or
    #            "lines" (texts handed over in memory, named `text`)
    path: Optional[Path] = None  # absolute: a worker in another folder reads the same file
    top_k: int = DEFAULT_TOP_K  # raw lines: the classes are the top K emoji
    seed: int = DEFAULT_SEED  # raw lines: the seed of the train/val/test split
    multi: str = "first"  # raw lines with several top-K emoji: labelled by the "first", or "drop"ped
    text_column: str = DEFAULT_TEXT_COLUMN  # a .csv/.tsv's column, or a .jsonl's field, that holds the text
    keep_published: bool = False  # TweetEval: its text exactly as published (with the label leak)

    def __post_init__(self) -> None:
        if isinstance(self.top_k, bool) or not isinstance(self.top_k, numbers.Integral) or self.top_k < 2:
            raise DataError(f"top-k must be a whole number of at least 2 (the classes), not {self.top_k!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral) or self.seed < 0:
            raise DataError(f"seed must be a whole number of 0 or more, not {self.seed!r}")
        if self.multi not in MULTI_POLICIES:
            raise DataError(f"multi must be one of {', '.join(MULTI_POLICIES)}, not {self.multi!r}")
        if not isinstance(self.text_column, str) or not self.text_column.strip():
            raise DataError(f"the text column needs a name, not {self.text_column!r}")

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:  # what a learner sees when they type DATA
        options = "".join(f", {name}={value!r}" for name, value in self.options().items())
        return f"Source({self.text!r}{options})"

    @property
    def raw(self) -> bool:
        """Whether it comes as raw lines with their emoji (so every trap of lesson 1 can be measured)."""
        return self.kind != "tweeteval"

    @property
    def tag(self) -> str:
        """The folder its runs live in: sample, tweeteval, the lines' name, or an own file's name and a hash of its
        path, so that neither `sample.txt` nor another folder's file of the same name replaces the runs there."""
        if self.kind == "file":
            digest = hashlib.sha256(str(self.path).encode("utf-8", "surrogatepass")).hexdigest()
            return f"{self.path.stem.lstrip('.')[:TAG_STEM] or 'data'}-{digest[:8]}"
        return self.text if self.kind == "lines" else self.kind

    @property
    def short(self) -> str:
        """Short enough for a table title: 'tweeteval', 'sample', 'my_tweets.txt'."""
        return self.kind if self.kind in ("sample", "tweeteval") else (self.path.name if self.path else self.text)

    def options(self) -> dict:
        """The options that differ from the defaults (what a record or a command line has to say)."""
        defaults = Source(self.text, self.kind, self.path)
        return {name: getattr(self, name) for name in OPTIONS if getattr(self, name) != getattr(defaults, name)}

    def flags(self) -> list[str]:
        """The command-line words that name it with its options: `--data x.csv --text-column body`."""
        return flags(self.text, self.options())

    def replace(self, **options: Any) -> "Source":
        """The same source read with other options (checked)."""
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise DataError(f"a data source has no option {', '.join(unknown)}: it has {', '.join(OPTIONS)}")
        return dataclasses.replace(self, **options)

    def to_dict(self) -> dict:
        """For JSON (a background job, saved progress): the source as typed and its options."""
        return {"source": self.text, "path": str(self.path) if self.path else None, **self.options()}

    @classmethod
    def from_dict(cls, data: dict) -> "Source":
        """What `to_dict` wrote (a file's path as resolved then, so another folder reads the same file)."""
        if not isinstance(data, dict) or not isinstance(data.get("source"), str) or not data["source"]:
            raise DataError("a data source needs its `source` text")
        source = parse_source(data["source"], **{k: v for k, v in data.items() if k in OPTIONS})
        path = data.get("path")
        return dataclasses.replace(source, path=Path(path)) if path and source.path is not None else source


def parse_source(text: str, **options: Any) -> Source:
    """The one reading of what a person typed: sample, tweeteval, tweeteval:DIR, else a file's path; with options."""
    if not isinstance(text, str) or not text.strip():
        raise DataError("a data source needs a name: sample, tweeteval, tweeteval:DIR or a file's path")
    if text in ("sample", "tweeteval"):
        return Source(text, text).replace(**options)
    if text.startswith("tweeteval:"):
        return Source(text, "tweeteval", _absolute(text.split(":", 1)[1])).replace(**options)
    return Source(text, "file", _absolute(text)).replace(**options)  # `load` says so if there is no such file


def flags(text: str, options: dict) -> list[str]:
    """The command-line words for a source as typed and its options (as a run's record keeps them)."""
    words = ["--data", text]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        words += [flag] if value is True else [flag, str(value)]
    return words


def named_lines(name: str, **options: Any) -> Source:
    """The source of texts handed over in memory (a test's, a notebook's), called `name`."""
    return Source(name, "lines").replace(**options)


def as_source(source: "Source | str", **options: Any) -> Source:
    """`source` as a Source: a string (typed by a person) is read once here; options change it."""
    if isinstance(source, Source):
        return source.replace(**options) if options else source
    return parse_source(source, **options)


def _check_utf8(text: str) -> None:
    """A name that is not UTF-8 (bytes the file system kept as they were) cannot go into a run's record or the
    saved progress, which are JSON: said now, not after a whole training."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise DataError(f"{_shown(text)}: the name is not valid UTF-8; rename the file (or its folder) so that "
                        "it is") from None


def _shown(text: str) -> str:
    """A name with the bytes that are not UTF-8 as \\xNN, the way a terminal can print it."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file system made (typed in Python)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _absolute(path: str) -> Path:
    absolute = Path(path).expanduser().absolute()
    _check_utf8(str(absolute))
    return absolute
