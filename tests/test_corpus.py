"""The shipped practice corpus: reproducible, big enough, imbalanced, and noisy in every promised way."""

from __future__ import annotations

import collections
import re

import emoji
import pytest

from emoji_lab.data.corpus import SAMPLE_PATH, read_sample_lines
from emoji_lab.data.corpus.generate import generate

DEMO_EMOJI = ("🎉", "😂", "😭", "😩", "😴", "🙏", "❤", "😊", "😘", "💕", "🎈", "👀")
SKIN_TONE = re.compile("[\U0001F3FB-\U0001F3FF]")


def normalise(e: str) -> str:
    """Drop U+FE0F and skin-tone modifiers, as the pipeline does."""
    return SKIN_TONE.sub("", e.replace("\ufe0f", ""))


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return read_sample_lines()


@pytest.fixture(scope="module")
def parsed(lines: list[str]) -> list[list[str]]:
    """The normalised emoji of each line, in order."""
    return [[normalise(e["emoji"]) for e in emoji.emoji_list(line)] for line in lines]


@pytest.fixture(scope="module")
def labels(parsed: list[list[str]]) -> collections.Counter:
    """First emoji per line, counted over lines that have one."""
    return collections.Counter(found[0] for found in parsed if found)


def test_committed_sample_matches_a_fresh_generate(lines: list[str]) -> None:
    fresh = generate()
    assert len(lines) == len(fresh)
    mismatch = next((i for i, (a, b) in enumerate(zip(lines, fresh)) if a != b), None)
    assert mismatch is None, (
        f"line {mismatch} differs; regenerate with `python -m emoji_lab.data.corpus.generate`"
    )


def test_generate_is_deterministic_and_seeded() -> None:
    assert generate(200, seed=5) == generate(200, seed=5)
    assert generate(200, seed=5) != generate(200, seed=6)


def test_size_limits(lines: list[str]) -> None:
    assert len(lines) >= 20_000
    assert SAMPLE_PATH.stat().st_size < 2 * 1024 * 1024
    assert all(line.strip() for line in lines)


def test_classes_and_imbalance(labels: collections.Counter) -> None:
    assert len(labels) >= 25
    top20 = [e for e, _ in labels.most_common(20)]
    assert set(DEMO_EMOJI) <= set(top20)
    share = labels.most_common(1)[0][1] / sum(labels.values())
    assert 0.15 <= share <= 0.25


def test_lines_without_emoji_and_with_only_rare_emoji(
    parsed: list[list[str]], labels: collections.Counter
) -> None:
    top20 = {e for e, _ in labels.most_common(20)}
    no_emoji = sum(1 for found in parsed if not found) / len(parsed)
    assert 0.01 <= no_emoji <= 0.06
    assert sum(1 for found in parsed if found and not set(found) & top20) > 100


def test_emoji_noise_kinds(lines: list[str], parsed: list[list[str]]) -> None:
    repeated = sum(1 for found in parsed if len(found) >= 2 and len(set(found)) == 1)
    mixed = sum(1 for found in parsed if len(set(found)) >= 2)
    assert repeated > 100 and mixed > 100
    assert any(SKIN_TONE.search(line) for line in lines)
    assert any(re.search("\u2764(?!\ufe0f)", line) for line in lines)
    assert any("\u2764\ufe0f" in line for line in lines)


@pytest.mark.parametrize(
    "kind, pattern",
    [
        ("elongation", r"([a-z])\1\1"),
        ("hashtag", r"(^|\s)#\w"),
        ("mention", r"(^|\s)@\w"),
        ("url", r"https?://\S+"),
        ("slang", r"\b(u|gonna|lmao|ngl)\b"),
        ("all caps", r"\b[A-Z]{3,} [A-Z]{3,} [A-Z]{3,}\b"),
        ("exclamation", r"!!!"),
        ("negation", r"(?i)\bnot (even )?#?(tired|sleepy|sad|upset|happy|funny|okay|ready)\b"),
    ],
)
def test_text_noise_kinds(lines: list[str], kind: str, pattern: str) -> None:
    hits = sum(1 for line in lines if re.search(pattern, line))
    assert hits >= 50, f"too few lines with {kind}: {hits}"
