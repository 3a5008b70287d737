"""The one text cleaning a model is trained with and served with, written down so the iPhone repeats it.

A model learns from tweets whose emoji were cut out (they are its labels). A phone's text is not
like that: a person taps an emoji from the suggestions, types a trailing space or a line break. So
the same cleaning runs before every model input, in training, `predict`, `golden.json` and the
Swift package (`ios_starter/EmojiLabKit`), and `preprocess.json` names it.

Rule `strip-emoji` version 1, in this order:
1. a keycap (one of `keycap_bases`, an optional U+FE0F, then U+20E3) becomes a space;
2. every code point in `remove` becomes a space: each non-ASCII code point of any emoji in the
   `emoji` package's data (skin tones, ZWJ, regional indicators, tags), and both variation
   selectors, which also drops TweetEval's orphan U+FE0F;
3. runs of spaces and `whitespace` code points become one space, and none is left at either end.

The code point sets travel in `preprocess.json` as hexadecimal ranges, so the phone needs no emoji
table of its own and an exported model keeps the cleaning it was trained with. The `emoji` package is
pinned (pyproject.toml) so that every machine trains with the same sets; `golden/byte_encoder.json`
fails its test when they change.
Cleaning clean text changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping

from emoji_lab.common.errors import DataError

RULE = "strip-emoji"
RULE_VERSION = 1
KEYCAP_MARK = "\u20e3"
VARIATION_SELECTORS = (0xFE0E, 0xFE0F)
SPEC_KEYS = ("rule", "version", "keycap_bases", "remove", "whitespace")
_RANGE = re.compile(r"([0-9A-F]{1,6})(?:-([0-9A-F]{1,6}))?")  # upper-case hexadecimal, one space between ranges


def to_ranges(code_points: Iterable[int]) -> str:
    """`A9 AE 2194-2199 ...`: sorted code points as hexadecimal ranges."""
    points, parts = sorted(set(code_points)), []
    for point in points:
        if parts and parts[-1][1] == point - 1:
            parts[-1][1] = point
        else:
            parts.append([point, point])
    return " ".join(f"{a:X}" if a == b else f"{a:X}-{b:X}" for a, b in parts)


def from_ranges(text: str, key: str) -> frozenset[int]:
    """The code points of a `to_ranges` string; a one-line DataError for anything else."""
    points: set[int] = set()
    for part in text.split(" ") if text else []:
        match = _RANGE.fullmatch(part)
        if not match:
            raise DataError(f"cleaning `{key}`: {part!r} is not a hexadecimal code point or range (`A9`, `2194-2199`)")
        a, b = int(match[1], 16), int(match[2] or match[1], 16)
        if not 0 <= a <= b <= 0x10FFFF:
            raise DataError(f"cleaning `{key}`: {part!r} is not a range of Unicode code points")
        points.update(range(a, b + 1))
    return frozenset(points)


@dataclass(frozen=True, repr=False)
class TextCleaner:
    """Rule `strip-emoji` v1 with its code point sets; `clean` is what every model input goes through."""

    keycap_bases: str
    remove: frozenset[int]
    whitespace: frozenset[int]

    def __post_init__(self) -> None:
        separators = dict.fromkeys(self.remove | self.whitespace, " ")
        object.__setattr__(self, "_table", str.maketrans(separators))
        keycap = f"[{re.escape(self.keycap_bases)}]\ufe0f?{KEYCAP_MARK}" if self.keycap_bases else None
        object.__setattr__(self, "_keycap", re.compile(keycap) if keycap else None)
        ascii_space = {c for c in range(128) if chr(c).isspace()}  # what str.split() splits ASCII on
        object.__setattr__(self, "_ascii_fast", {c for c in self.whitespace | self.remove if c < 128} == ascii_space)

    def __repr__(self) -> str:
        return f"TextCleaner({RULE!r} v{RULE_VERSION}, {len(self.remove)} code points removed)"

    def clean(self, text: str) -> str:
        """The text as a model reads it: keycaps and emoji code points gone, whitespace collapsed."""
        if text.isascii() and self._ascii_fast:
            return " ".join(text.split())
        if self._keycap is not None and KEYCAP_MARK in text:
            text = self._keycap.sub(" ", text)
        return " ".join(part for part in text.translate(self._table).split(" ") if part)

    def spec(self) -> dict:
        """The rule as preprocess.json's `cleaning` holds it."""
        return {"rule": RULE, "version": RULE_VERSION, "keycap_bases": self.keycap_bases,
                "remove": to_ranges(self.remove), "whitespace": to_ranges(self.whitespace)}

    @classmethod
    def from_spec(cls, spec: Any) -> "TextCleaner":
        """The cleaner a preprocess.json names; a rule or version this code does not implement is refused."""
        if not isinstance(spec, Mapping):
            raise DataError("cleaning must be an object with the keys " + ", ".join(SPEC_KEYS))
        if (spec.get("rule"), spec.get("version")) != (RULE, RULE_VERSION):
            raise DataError(f"cleaning rule {spec.get('rule')!r} version {spec.get('version')!r} is not "
                            f"{RULE!r} version {RULE_VERSION}")
        unknown, absent = sorted(set(spec) - set(SPEC_KEYS)), [k for k in SPEC_KEYS if k not in spec]
        if unknown or absent:
            raise DataError(f"cleaning: unknown keys {unknown}, missing keys {absent}")
        if not all(isinstance(spec[k], str) for k in ("keycap_bases", "remove", "whitespace")):
            raise DataError("cleaning: keycap_bases, remove and whitespace must be strings")
        return cls(spec["keycap_bases"], from_ranges(spec["remove"], "remove"),
                   from_ranges(spec["whitespace"], "whitespace"))


def emoji_code_points() -> frozenset[int]:
    """Every non-ASCII code point of every emoji the `emoji` package knows, and both variation selectors."""
    import emoji

    found = {ord(char) for key in emoji.EMOJI_DATA for char in key if ord(char) > 0x7F}
    return frozenset(found | set(VARIATION_SELECTORS))


@lru_cache(maxsize=1)
def text_cleaner() -> TextCleaner:
    """The cleaner this emoji_lab trains with: Python's own whitespace (`str.split`), today's emoji data."""
    whitespace = frozenset(c for c in range(0x10000) if chr(c).isspace())  # all in the BMP (U+3000 the last)
    return TextCleaner("0123456789#*", emoji_code_points(), whitespace)
