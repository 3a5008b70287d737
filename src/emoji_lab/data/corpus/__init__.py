"""The offline practice corpus: synthetic tweet-like lines with emoji, shipped with the package.

`sample.txt.gz` is written by `emoji_lab.data.corpus.generate` (run `python -m emoji_lab.data.corpus.generate`
to rebuild it). It lets every lesson run offline; TweetEval's emoji task is the real benchmark.
"""

from __future__ import annotations

import gzip
from pathlib import Path

SAMPLE_PATH = Path(__file__).with_name("sample.txt.gz")


def read_sample_lines() -> list[str]:
    """Return the lines of the shipped practice corpus (UTF-8, one tweet-like line each)."""
    from emoji_lab.data.dataset import split_lines  # the one line splitter of every source

    with gzip.open(SAMPLE_PATH, "rt", encoding="utf-8") as handle:
        return split_lines(handle.read())
