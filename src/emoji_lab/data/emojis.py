"""Find, normalise and describe emoji in raw text: the seed talk's first preprocessing step.

Labels are normalised so that one emoji is one class however it was typed: variation selectors
(U+FE0E, U+FE0F) and skin-tone modifiers (U+1F3FB-U+1F3FF) are dropped, so `❤️` and `❤` are one
class and `👍🏽` counts as `👍`; ZWJ sequences (`👨‍👩‍👧`) and flags (`🇺🇸`) stay whole.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import emoji

VARIATION_SELECTORS = "\ufe0e\ufe0f"
SKIN_TONES = frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))
ZWJ = "\u200d"
_DROP_FROM_LABEL = str.maketrans({c: None for c in set(VARIATION_SELECTORS) | SKIN_TONES})
_FULLY_QUALIFIED = emoji.STATUS["fully_qualified"]


def normalize_emoji(e: str) -> str:
    """The class key of one emoji: without variation selectors and skin tones."""
    return e.translate(_DROP_FROM_LABEL)


def display_emoji(key: str) -> str:
    """The fully-qualified form to show (`❤` -> `❤️`): a bare `❤` renders as a text glyph on iOS."""
    if emoji.EMOJI_DATA.get(key, {}).get("status") == _FULLY_QUALIFIED:
        return key
    parts = []
    for part in key.split(ZWJ):
        # The selector goes after the base: `❤` -> `❤️`, keycap `1⃣` -> `1️⃣`.
        candidates = (part, part[:1] + "\ufe0f" + part[1:])
        qualified = [c for c in candidates if emoji.EMOJI_DATA.get(c, {}).get("status") == _FULLY_QUALIFIED]
        parts.append(qualified[0] if qualified else part)
    qualified = ZWJ.join(parts)
    return qualified if qualified in emoji.EMOJI_DATA else key


# Every emoji is a run of non-ASCII code points, except keycaps, which start with one of `0-9#*`.
# Scanning only those runs gives the emoji package's answer many times faster on tweets.
_CANDIDATES = re.compile(r"[0-9#*]?[^\x00-\x7f]+")


def emoji_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, emoji as typed) for every emoji in the text, in order."""
    spans = []
    for run in _CANDIDATES.finditer(text):
        for match in emoji.emoji_list(run.group()):
            start = run.start() + match["match_start"]
            spans.append((start, run.start() + match["match_end"], match["emoji"]))
    return spans


def find_emoji(text: str) -> list[str]:
    """Every emoji in the text, in order, as typed (not normalised)."""
    return [e for _, _, e in emoji_spans(text)]


def emoji_labels(text: str) -> list[str]:
    """The normalised emoji of a line, in order of first appearance, each once."""
    return list(dict.fromkeys(normalize_emoji(e) for e in find_emoji(text)))


def split_emoji(text: str) -> tuple[str, list[str]]:
    """A labelled line in one pass: (the text without emoji, cleaned; its `emoji_labels`)."""
    spans = emoji_spans(text)
    if not spans:
        return clean_text(text), []
    pieces, last = [], 0
    for start, end, _ in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    labels = list(dict.fromkeys(normalize_emoji(e) for _, _, e in spans))
    return clean_text(" ".join(pieces)), labels


def remove_orphan_selectors(text: str) -> str:
    """Drop variation selectors that belong to no emoji (TweetEval's label leak, see lesson 1).

    A selector inside an emoji the text still holds (`❤️`) is kept; one left behind where an emoji
    was removed is not.
    """
    if not any(c in text for c in VARIATION_SELECTORS):
        return text
    kept_spans = [(start, end) for start, end, _ in emoji_spans(text)]
    out, span = [], 0
    for i, char in enumerate(text):
        while span < len(kept_spans) and kept_spans[span][1] <= i:
            span += 1
        inside = span < len(kept_spans) and kept_spans[span][0] <= i
        if char in VARIATION_SELECTORS and not inside:
            continue
        out.append(char)
    return "".join(out)


def clean_text(text: str) -> str:
    """Model input, in training and on the phone alike: `emoji_lab.data.cleaning`'s rule (no emoji, no orphan
    selector, whitespace collapsed)."""
    from emoji_lab.data.cleaning import text_cleaner

    return text_cleaner().clean(text)


@dataclass(frozen=True)
class EmojiInfo:
    """The seed's emoji card: FACE WITH TEARS OF JOY (its CLDR name), U+1F602, :joy:."""

    emoji: str
    name: str
    codepoints: str
    shorthand: str


def describe(key: str) -> EmojiInfo:
    """Name, code points and shorthand of an emoji (given in any form)."""
    shown = display_emoji(normalize_emoji(key))
    data = emoji.EMOJI_DATA.get(shown) or emoji.EMOJI_DATA.get(key) or {}
    name = data.get("en", "").strip(":").replace("_", " ") or unicodedata.name(shown[0], "")
    aliases = data.get("alias") or [data.get("en", "")]
    return EmojiInfo(
        emoji=shown,
        name=name.upper() or "UNKNOWN",
        codepoints=" ".join(f"U+{ord(c):04X}" for c in shown),
        shorthand=min(aliases, key=len),  # `:us:` rather than `:flag_for_United_States:`
    )
