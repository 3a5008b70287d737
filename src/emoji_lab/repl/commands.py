"""The console's command words, kept in one table so help, validation and the loop agree."""

from __future__ import annotations

import re
from typing import Optional

# (word, what it does) in the order `help` lists them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("next", "go to the next step (once this one is done)"),
    ("back", "go back one step"),
    ("hint", "show a hint; ask again for the next, more explicit one"),
    ("solution", "run the reference solution, say which names it made, stay here"),
    ("skip", "run the reference solution and move on"),
    ("play", "free Python: the guide stays quiet until you type resume"),
    ("resume", "leave play mode and show the current step again"),
    ("menu", "list the lessons and their state; open another one"),
    ("progress", "show the steps of this lesson and which are done"),
    ("reset", "start this lesson over (asks first)"),
    ("training", "what the background training of the later lessons' models has done so far"),
    ("help", "show this list"),
    ("bye", "save and quit (Ctrl-D does the same)"),
)

COMMAND_WORDS: frozenset[str] = frozenset(word for word, _ in COMMANDS)

# Words a Python user types by reflex to leave a console: treat them as `bye`.
ALIASES: dict[str, str] = {"exit": "bye", "quit": "bye"}

CHOICE_LABELS = "abcdefgh"
_CHOICE_RE = re.compile(r"^\(?([a-zA-Z1-9])[).:]?$")  # on a choice step, any lone letter is meant as an answer


def lookup(line: str) -> Optional[str]:
    """The command a line stands for, or None if the line is Python: a command is a bare word alone on its line."""
    word = line.strip()
    if word in COMMAND_WORDS:
        return word
    return ALIASES.get(word)


def parse_choice(line: str, n_choices: int) -> Optional[str]:
    """The label a bare answer like `b`, `B)` or `2` stands for; "?" if it looks like one but is out of range.

    None means the line is not an answer at all (so it is Python).
    """
    match = _CHOICE_RE.match(line.strip())
    if not match:
        return None
    token = match.group(1).lower()
    index = int(token) - 1 if token.isdigit() else ord(token) - ord("a")
    if 0 <= index < n_choices:
        return CHOICE_LABELS[index]
    return "?"
