"""Text to integer ids. The byte encoder is the contract with the iPhone; the word encoder is not.

Byte scheme `utf8-bytes` version 2, what the app repeats (`ios_starter/EmojiLabKit`):
- the text cleaned by the rule `preprocess.json` names (`emoji_lab.data.cleaning`: emoji out, whitespace
  collapsed), the same cleaning the model's training texts went through; `null` for a model trained
  on TweetEval as published, which the app refuses;
- the cleaned text's UTF-8 bytes exactly (no Unicode normalisation, no lower-casing);
- id = byte + 1, so ids are 1..256 and 0 is padding (vocabulary of 257);
- cut after `max_len` bytes (even inside a multi-byte character) and padded with 0 at the end.
Version 1 (before 2026-12) fed the text uncleaned: a run saved with it is refused with a one-line reason.

`MAX_LEN` = 128 bytes was measured on TweetEval (cleaned text, `choose_max_len`): it covers 99.74%
of training tweets whole (99.84% of validation); the seed used 120 characters.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Optional

import numpy as np

from emoji_lab.common.errors import DataError
from emoji_lab.data.cleaning import TextCleaner, text_cleaner

SCHEME = "utf8-bytes"
SCHEME_VERSION = 2
MAX_LEN = 128
PREPROCESS_FILE = "preprocess.json"
GOLDEN_PATH = Path(__file__).parents[1] / "golden" / "byte_encoder.json"  # shared with the app's Swift tests


@dataclass(frozen=True)
class ByteEncoder:
    """Cleaned text's UTF-8 bytes + 1, padded/truncated at the end to `max_len`; serialised as preprocess.json."""

    max_len: int = MAX_LEN
    scheme: str = SCHEME
    version: int = SCHEME_VERSION
    offset: int = 1
    pad_id: int = 0
    truncate: str = "end"
    normalization: str = "none"
    cleaning: Optional[TextCleaner] = field(default_factory=text_cleaner)  # None: text as published

    @property
    def vocab_size(self) -> int:
        return 256 + self.offset

    def clean(self, text: str) -> str:
        """The text the model reads (the encoder's cleaning; unchanged when it has none)."""
        return self.cleaning.clean(text) if self.cleaning is not None else text

    def encode(self, text: str) -> list[int]:
        """Ids of one text, always `max_len` long."""
        ids = [b + self.offset for b in self.clean(text).encode("utf-8")[: self.max_len]]
        return ids + [self.pad_id] * (self.max_len - len(ids))

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """[n, max_len] int32, the model's input."""
        out = np.full((len(texts), self.max_len), self.pad_id, dtype=np.int32)
        for row, text in enumerate(texts):
            data = np.frombuffer(self.clean(text).encode("utf-8")[: self.max_len], dtype=np.uint8)
            out[row, : len(data)] = data.astype(np.int32) + self.offset
        return out

    def decode(self, ids) -> str:
        """Back to text; a character cut by truncation shows as U+FFFD."""
        data = bytes(int(i) - self.offset for i in ids if int(i) != self.pad_id)
        return data.decode("utf-8", errors="replace")

    def to_dict(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {**values, "cleaning": self.cleaning.spec() if self.cleaning is not None else None}

    def to_json(self) -> str:
        """preprocess.json's text: what a run folder and the app's resources hold."""
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def save(self, folder: Path) -> Path:
        """Write preprocess.json into `folder` (a run folder)."""
        path = Path(folder) / PREPROCESS_FILE
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> "ByteEncoder":
        """Read preprocess.json, refusing a scheme or version this code does not implement."""
        path = Path(path)
        if path.is_dir():
            path = path / PREPROCESS_FILE
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataError(f"{path}: no such file") from None
        except json.JSONDecodeError as error:
            raise DataError(f"{path}: not JSON ({error.msg} at line {error.lineno})") from None
        except UnicodeDecodeError:
            raise DataError(f"{path}: not UTF-8 text (an export writes it as JSON)") from None
        except (OSError, RecursionError) as error:
            raise DataError(f"{path}: cannot be read ({getattr(error, 'strerror', None) or type(error).__name__})") \
                from None
        return cls.from_dict(values, str(path))

    @classmethod
    def from_dict(cls, values: dict, where: str = PREPROCESS_FILE) -> "ByteEncoder":
        """preprocess.json's fields, checked: an older scheme, an unknown field or cleaning rule is refused."""
        if not isinstance(values, dict):
            raise DataError(f"{where}: not a JSON object")
        if values.get("scheme") == SCHEME and values.get("version") == 1:
            raise DataError(f"{where}: byte scheme version 1, from an emoji_lab that fed the model uncleaned "
                            "text: train this run again")
        if (values.get("scheme"), values.get("version")) != (SCHEME, SCHEME_VERSION):
            raise DataError(f"{where}: scheme {values.get('scheme')!r} version {values.get('version')!r} "
                            f"is not {SCHEME!r} version {SCHEME_VERSION}")
        names = {f.name for f in fields(cls)}
        unknown, absent = sorted(set(values) - names), sorted(names - set(values))
        if unknown or absent:
            said = [f"unknown fields {', '.join(unknown)}"] * bool(unknown) + [f"no {', '.join(absent)}"] * bool(absent)
            raise DataError(f"{where}: {'; '.join(said)}")
        for key, allowed in (("truncate", "end"), ("normalization", "none")):  # the only ones encode() implements
            if values[key] != allowed:
                raise DataError(f"{where}: {key} {values[key]!r} is not supported (only {allowed!r})")
        for key, low in (("max_len", 1), ("offset", 0), ("pad_id", 0)):
            if type(values[key]) is not int or values[key] < low:
                raise DataError(f"{where}: {key} {values[key]!r} is not a whole number of at least {low}")
        cleaning = values["cleaning"]
        try:
            cleaner = TextCleaner.from_spec(cleaning) if cleaning is not None else None
        except DataError as error:
            raise DataError(f"{where}: {error}") from None
        return cls(**{**values, "cleaning": cleaner})


def byte_lengths(texts: list[str]) -> np.ndarray:
    return np.array([len(t.encode("utf-8")) for t in texts], dtype=np.int64)


def choose_max_len(texts: list[str], coverage: float = 0.995, multiple: int = 16) -> tuple[int, float]:
    """The smallest multiple of `multiple` bytes that holds at least `coverage` of the texts whole.

    Returns (max_len, share of texts that fit).
    """
    lengths = byte_lengths(texts)
    needed = float(np.quantile(lengths, coverage, method="higher"))
    max_len = max(multiple, int(np.ceil(needed / multiple)) * multiple)
    return max_len, float((lengths <= max_len).mean())


# Test vectors shared with the Swift package's tests (ios_starter/EmojiLabKit): what every text must clean and
# encode to. They cover what a phone sends and training never held: an emoji just tapped from the suggestions,
# a trailing space, CRLF, skin tones, ZWJ sequences, flags, keycaps, U+FE0F present and absent, and cuts.
GOLDEN_TEXTS = {
    "ascii": "happy new year! God Bless",
    "emoji_inside": "so 😩 tired of 😂this",
    "suggestion_just_tapped": "happy new year! 🎉",
    "trailing_and_repeated_spaces": "  so   tired \t of\tthis   ",
    "crlf": "first line\r\nsecond line\r\n",
    "skin_tone": "thumbs up 👍🏽 for that",
    "zwj_family": "family 👨‍👩‍👧 time",
    "flag": "go team 🇺🇸!",
    "heart_with_fe0f": "love you ❤️",
    "heart_without_fe0f": "love you ❤",
    "keycap": "top 5️⃣ songs of 2026 #1⃣",
    "orphan_selector": "sunday in the sun \ufe0f @ venice",
    "cjk": "新年快乐",
    "combining_mark": "cafe\u0301 vs caf\u00e9",
    "nbsp_and_ideographic_space": "no\u00a0break\u3000here",
    "empty": "",
    "emoji_only": "😂😂 😭",
    "whitespace_only": " \t\n",
    "exactly_max_len": "x" * 124 + "新!",
    "over_long_ascii": "a" * 200,
    "cut_inside_utf8": "x" * 127 + "é!",
    "emoji_beyond_the_cut": "x" * 127 + " 😂 y",
}


def golden_vectors(encoder: ByteEncoder | None = None) -> dict:
    """The golden file's content: the contract fields and each test text, cleaned, with its ids."""
    encoder = encoder or ByteEncoder()
    return {
        "preprocess": encoder.to_dict(),
        "vectors": [{"name": name, "text": text, "clean": encoder.clean(text), "ids": encoder.encode(text)}
                    for name, text in GOLDEN_TEXTS.items()],
    }


def write_golden(path: Path = GOLDEN_PATH) -> Path:
    """Regenerate the golden file (only when the scheme changes on purpose: bump its version)."""
    golden = golden_vectors()
    vectors = ",\n  ".join(json.dumps(v, ensure_ascii=False) for v in golden["vectors"])
    text = f'{{\n "preprocess": {json.dumps(golden["preprocess"])},\n "vectors": [\n  {vectors}\n ]\n}}\n'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


TOKEN = re.compile(r"[@#]?\w+(?:'\w+)?|[^\w\s]", re.UNICODE)


def word_tokens(text: str) -> list[str]:
    """Lower-cased words, @mentions, #hashtags and single punctuation marks."""
    return TOKEN.findall(text.lower())


class WordEncoder:
    """A capped word vocabulary, for lesson 3's comparison: never deployed (the app has no tokenizer).

    Ids: 0 padding, 1 out-of-vocabulary, then words by training frequency (ties alphabetical).
    """

    PAD, OOV = 0, 1

    def __init__(self, vocabulary: list[str], max_len: int = 40, cleaning: Optional[TextCleaner] = None):
        self.vocabulary = list(vocabulary)
        self.index = {word: i + 2 for i, word in enumerate(self.vocabulary)}
        self.max_len = max_len
        self.cleaning = cleaning  # as ByteEncoder's: what the training texts went through

    @classmethod
    def fit(cls, texts: list[str], max_words: int | None = None, max_len: int = 40,
            cleaning: Optional[TextCleaner] = None) -> "WordEncoder":
        counts = Counter(token for text in texts for token in word_tokens(text))
        ordered = sorted(counts, key=lambda w: (-counts[w], w))
        return cls(ordered[:max_words] if max_words else ordered, max_len, cleaning)

    @property
    def vocab_size(self) -> int:
        return len(self.vocabulary) + 2

    def encode(self, text: str) -> list[int]:
        text = self.cleaning.clean(text) if self.cleaning is not None else text
        ids = [self.index.get(token, self.OOV) for token in word_tokens(text)][: self.max_len]
        return ids + [self.PAD] * (self.max_len - len(ids))

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.array([self.encode(t) for t in texts], dtype=np.int32).reshape(len(texts), self.max_len)

    def oov_rate(self, texts: list[str]) -> float:
        """Share of word tokens in `texts` that the vocabulary does not know."""
        tokens = [token for text in texts for token in word_tokens(text)]
        return sum(token not in self.index for token in tokens) / max(len(tokens), 1)
