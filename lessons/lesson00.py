"""Lesson 00 (welcome): the checks of its two exercises. The setup check is `emoji_lab.common.setup_check`.

Checks take the learner's namespace (a dict such as `globals()`) and return None when the answer is
right, or a message saying specifically what is wrong.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from emoji_lab.common.formatting import a_or_an
from emoji_lab.teaching.checking import missing, wrong_kind


def _emoji_count(text: str) -> int:
    import emoji

    return emoji.emoji_count(text)


def check_greeting(ns: Mapping[str, Any]) -> Optional[str]:
    """`greeting` must be a str holding at least one emoji."""
    absent = missing(ns, "greeting", 'type `greeting = "..."` with an emoji between the quotes.')
    if absent:
        return absent
    greeting = ns["greeting"]
    if isinstance(greeting, bytes):
        return "`greeting` holds bytes (b'...'); keep it a text: remove the `b` or the `.encode(...)`."
    if not isinstance(greeting, str):
        return (f"`greeting` is {a_or_an(type(greeting).__name__)}, not a text: put your message in quotes, "
                'like `greeting = "see you 👋"`.')
    if not greeting.strip():
        return "`greeting` is empty: write a short message with an emoji in it."
    if _emoji_count(greeting) == 0:
        if ":" in greeting and any(part.strip().isidentifier() for part in greeting.split(":")[1:-1]):
            return ("`greeting` has a shortcode like :waving_hand: but no emoji: `import emoji` then "
                    "`emoji.emojize(...)` turns the shortcode into the emoji.")
        return ("`greeting` has no emoji yet. If your keyboard can't type one, write "
                '`"hi \\N{WAVING HAND SIGN}"`: Python turns the name into the emoji.')
    return None


def check_n_bytes(ns: Mapping[str, Any]) -> Optional[str]:
    """`n_bytes` must equal the UTF-8 length of `greeting` (not its length in characters)."""
    problem = check_greeting(ns)
    if problem:
        return problem
    greeting: str = ns["greeting"]
    absent = missing(ns, "n_bytes", "set it to the number of bytes `greeting` takes in UTF-8.")
    if absent:
        return absent
    n_bytes = ns["n_bytes"]
    expected = len(greeting.encode("utf-8"))
    if isinstance(n_bytes, (bytes, bytearray)):
        return "`n_bytes` holds the bytes themselves; you want how many there are: wrap them in `len(...)`."
    if isinstance(n_bytes, list):
        return "`n_bytes` is a list; you want its length: wrap it in `len(...)`."
    if isinstance(n_bytes, bool) or not isinstance(n_bytes, int):
        return wrong_kind("n_bytes", n_bytes, "it should be a whole number (an int), from `len(...)`.")
    if n_bytes == expected:
        return None
    if n_bytes == len(greeting):
        return (f"`n_bytes` is {n_bytes}: that is `len(greeting)`, the number of characters. "
                "Encode first, then count: `len(greeting.encode(\"utf-8\"))`.")
    if n_bytes in (len(greeting.encode("utf-16-le")), len(greeting.encode("utf-16"))):
        return f"`n_bytes` is {n_bytes}: that is the size in UTF-16. The course's models read UTF-8."
    if n_bytes == len(greeting.encode("utf-32-le")):
        return f"`n_bytes` is {n_bytes}: that is the size in UTF-32. The course's models read UTF-8."
    return (f"`n_bytes` is {n_bytes}, but `greeting` takes a different number of bytes in UTF-8. "
            "Count the bytes of `greeting.encode(\"utf-8\")`.")
