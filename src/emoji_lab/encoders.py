"""Text to integer ids. The byte encoder is the contract with the iPhone; the word encoder is not.

Byte scheme `utf8-bytes` version 1, the only preprocessing the app has to repeat:
- the text's UTF-8 bytes exactly as stored (no Unicode normalisation, no lower-casing);
- id = byte + 1, so ids are 1..256 and 0 is padding (vocabulary of 257);
- cut after `max_len` bytes (even inside a multi-byte character) and padded with 0 at the end.
Swift gets the same with `Array(text.utf8).prefix(maxLen).map { Int32($0) + 1 }`.

`MAX_LEN` = 128 bytes was measured on TweetEval (cleaned text, `choose_max_len`): it covers 99.74%
of training tweets whole (99.84% of validation); the seed used 120 characters.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .errors import DataError

SCHEME = "utf8-bytes"
SCHEME_VERSION = 1
MAX_LEN = 128
PREPROCESS_FILE = "preprocess.json"
GOLDEN_PATH = Path(__file__).parent / "golden" / "byte_encoder.json"


@dataclass(frozen=True)
class ByteEncoder:
    """UTF-8 bytes + 1, padded/truncated at the end to `max_len`; serialised as preprocess.json."""

    max_len: int = MAX_LEN
    scheme: str = SCHEME
    version: int = SCHEME_VERSION
    offset: int = 1
    pad_id: int = 0
    truncate: str = "end"
    normalization: str = "none"

    @property
    def vocab_size(self) -> int:
        return 256 + self.offset

    def encode(self, text: str) -> list[int]:
        """Ids of one text, always `max_len` long."""
        ids = [b + self.offset for b in text.encode("utf-8")[: self.max_len]]
        return ids + [self.pad_id] * (self.max_len - len(ids))

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """[n, max_len] int32, the model's input."""
        out = np.full((len(texts), self.max_len), self.pad_id, dtype=np.int32)
        for row, text in enumerate(texts):
            data = np.frombuffer(text.encode("utf-8")[: self.max_len], dtype=np.uint8)
            out[row, : len(data)] = data.astype(np.int32) + self.offset
        return out

    def decode(self, ids) -> str:
        """Back to text; a character cut by truncation shows as U+FFFD."""
        data = bytes(int(i) - self.offset for i in ids if int(i) != self.pad_id)
        return data.decode("utf-8", errors="replace")

    def to_dict(self) -> dict:
        return asdict(self)

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
            fields = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataError(f"{path}: no such file") from None
        except json.JSONDecodeError as error:
            raise DataError(f"{path}: not JSON ({error.msg} at line {error.lineno})") from None
        if (fields.get("scheme"), fields.get("version")) != (SCHEME, SCHEME_VERSION):
            raise DataError(f"{path}: scheme {fields.get('scheme')!r} version {fields.get('version')!r} "
                            f"is not {SCHEME!r} version {SCHEME_VERSION}")
        unknown = set(fields) - set(cls.__dataclass_fields__)
        if unknown:
            raise DataError(f"{path}: unknown fields {sorted(unknown)}")
        return cls(**fields)


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


# Test vectors shared with the iOS app's unit tests: what every text must encode to.
GOLDEN_TEXTS = {
    "ascii": "happy new year! God Bless",
    "emoji": "so tired 😩",
    "zwj_and_flag": "family 👨‍👩‍👧 in 🇺🇸",
    "variation_selector": "❤️",
    "cjk": "新年快乐",
    "combining_mark": "cafe\u0301 vs caf\u00e9",
    "empty": "",
    "whitespace": " \t\n",
    "over_long_ascii": "a" * 200,
    "over_long_cut_inside_emoji": "x" * 126 + "😂",
}


def golden_vectors(encoder: ByteEncoder | None = None) -> dict:
    """The golden file's content: the contract fields and each test text with its ids."""
    encoder = encoder or ByteEncoder()
    return {
        "preprocess": encoder.to_dict(),
        "vectors": [{"name": name, "text": text, "ids": encoder.encode(text)}
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

    def __init__(self, vocabulary: list[str], max_len: int = 40):
        self.vocabulary = list(vocabulary)
        self.index = {word: i + 2 for i, word in enumerate(self.vocabulary)}
        self.max_len = max_len

    @classmethod
    def fit(cls, texts: list[str], max_words: int | None = None, max_len: int = 40) -> "WordEncoder":
        counts = Counter(token for text in texts for token in word_tokens(text))
        ordered = sorted(counts, key=lambda w: (-counts[w], w))
        return cls(ordered[:max_words] if max_words else ordered, max_len)

    @property
    def vocab_size(self) -> int:
        return len(self.vocabulary) + 2

    def encode(self, text: str) -> list[int]:
        ids = [self.index.get(token, self.OOV) for token in word_tokens(text)][: self.max_len]
        return ids + [self.PAD] * (self.max_len - len(ids))

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.array([self.encode(t) for t in texts], dtype=np.int32).reshape(len(texts), self.max_len)

    def oov_rate(self, texts: list[str]) -> float:
        """Share of word tokens in `texts` that the vocabulary does not know."""
        tokens = [token for text in texts for token in word_tokens(text)]
        return sum(token not in self.index for token in tokens) / max(len(tokens), 1)
