"""The preprocessing traps of lesson 1, measured on the learner's data: an emoji typed in several forms (variation
selectors), skin tones, lines with several emoji, what is dropped, and, on pre-labelled data, what the removed emoji
left behind (a label leak). Plain values that draw themselves, and their findings in words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional

from emoji_lab.common.errors import DataError, EmojiLabError
from emoji_lab.data.emojis import (SKIN_TONES, VARIATION_SELECTORS, clean_text, display_emoji, emoji_spans, find_emoji,
                                   normalize_emoji, remove_orphan_selectors)
from emoji_lab.teaching.explore import Rows

if TYPE_CHECKING:
    from emoji_lab.data.dataset import Dataset
    from emoji_lab.data.source import Source

LEAK_RATE = 0.01  # a label whose texts keep a removed emoji's selector this often is named on its own


@dataclass(frozen=True)
class Forms:
    """One emoji typed with and without a variation selector (U+FE0F/U+FE0E): occurrences, one class."""

    emoji: str
    with_selector: int
    without: int


@dataclass(frozen=True)
class Tones:
    """One emoji typed with and without a skin-tone modifier: occurrences, merged into one key."""

    emoji: str
    toned: int
    plain: int
    is_class: bool


@dataclass(frozen=True)
class Several:
    """Lines by how many emoji they hold (occurrences, as typed)."""

    with_emoji: int
    one: int
    repeated: int  # two or more, all the same emoji once normalised (😂😂😂, ❤️❤)
    different: int  # two or more different emoji
    several_classes: int  # ... of which two or more are classes, with text left: labelled by the first


@dataclass(frozen=True)
class Leftover:
    """Pre-labelled data: texts of one label and split that still hold the removed emoji's selector."""

    split: str
    emoji: str
    with_selector: int
    texts: int


@dataclass
class Traps:
    """The preprocessing traps, measured on the learner's data; what cannot be measured says why."""

    source: str
    raw: bool
    selectors: list[Forms] = field(default_factory=list)
    skin_tones: list[Tones] = field(default_factory=list)
    several: Optional[Several] = None
    leftovers: list[Leftover] = field(default_factory=list)
    trailing_space: dict[str, tuple[int, int]] = field(default_factory=dict)  # split -> (texts, of)
    left_in_text: dict[str, tuple[int, int]] = field(default_factory=dict)  # split -> (emoji, skin tones)
    dropped: dict[str, int] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)
    cannot_show: dict[str, str] = field(default_factory=dict)

    def __rich__(self) -> Any:
        from rich.console import Group

        return Group(*(trap_view(self, part) for part in TRAP_PARTS))


TRAP_PARTS = ("variation selectors", "skin tones", "several emoji", "dropped")
_NOT_RAW = {
    "skin tones": ("TweetEval removed the labelled emoji from the texts, so the skin tones they were "
                   "typed with cannot be counted."),
    "several emoji": ("each TweetEval tweet has one label and its emoji were removed (the SemEval 2018 "
                      "task behind it kept only tweets with a single emoji), so lines with several emoji "
                      "cannot be seen here. Load sample or your own file to see them."),
}


def raw_lines(source: "Source") -> list[str]:
    """The raw lines behind a raw-text source (sample or the learner's file, read with its text column)."""
    from emoji_lab.data.sources import read_own_file

    if source.kind == "sample":
        from emoji_lab.data.corpus import read_sample_lines

        return read_sample_lines()
    if source.kind == "file":
        return read_own_file(source.path, source.text_column)
    if source.kind == "lines":
        raise DataError(f"{source}: texts handed over in memory; pass their raw lines")
    raise DataError(f"{source} comes labelled, with its emoji removed: it has no raw lines")


def _text_left(line: str, spans: list[tuple[int, int, str]]) -> bool:
    pieces, last = [], 0
    for start, end, _ in spans:
        pieces.append(line[last:start])
        last = end
    pieces.append(line[last:])
    return bool(clean_text(" ".join(pieces)))


def measure_raw(lines: list[str], class_keys: set[str]) -> tuple[list[Forms], list[Tones], Several]:
    """Variation selectors, skin tones and lines with several emoji, counted on raw lines."""
    forms: dict[str, list[int]] = {}
    tones: dict[str, list[int]] = {}
    counts = Counter()
    for line in lines:
        spans = emoji_spans(line)
        typed = [e for _, _, e in spans]
        for e in typed:
            key = normalize_emoji(e)
            forms.setdefault(key, [0, 0])[0 if any(c in VARIATION_SELECTORS for c in e) else 1] += 1
            tones.setdefault(key, [0, 0])[0 if any(c in SKIN_TONES for c in e) else 1] += 1
        keys = list(dict.fromkeys(normalize_emoji(e) for e in typed))
        counts["with_emoji"] += bool(typed)
        counts["one"] += len(typed) == 1
        counts["repeated"] += len(typed) > 1 and len(keys) == 1
        counts["different"] += len(keys) > 1
        counts["several_classes"] += sum(k in class_keys for k in keys) > 1 and _text_left(line, spans)
    selectors = [Forms(display_emoji(k), w, wo) for k, (w, wo) in forms.items()
                 if w or (wo and display_emoji(k) != k)]
    selectors.sort(key=lambda f: (-(f.with_selector + f.without), f.emoji))
    toned = [Tones(display_emoji(k), t, p, k in class_keys) for k, (t, p) in tones.items() if t]
    toned.sort(key=lambda t: (-t.toned, t.emoji))
    return selectors, toned, Several(**{k: counts[k] for k in Several.__dataclass_fields__})


def measure_published(ds: "Dataset") -> tuple[list[Leftover], dict, dict]:
    """Pre-labelled data: per label, the published texts still holding a removed emoji's selector;
    per split, texts ending with a space, and (emoji, skin-tone modifiers) left in the texts."""
    from emoji_lab.data.sources import load

    published = load(ds.source.replace(keep_published=True), download=False)
    leftovers, trailing, left = [], {}, {}
    for name, part in published.splits.items():
        left[name] = (sum(len(find_emoji(t)) for t in part.texts),
                      sum(c in SKIN_TONES for t in part.texts for c in t))
        texts, hits = Counter(), Counter()
        for text, y in zip(part.texts, part.y.tolist()):
            texts[y] += 1
            hits[y] += remove_orphan_selectors(text) != text
        leftovers += [Leftover(name, published.labels[y], hits[y], texts[y])
                      for y in sorted(hits, key=lambda y: (-hits[y], y)) if hits[y]]
        trailing[name] = (sum(t != t.rstrip() for t in part.texts), len(part))
    return leftovers, trailing, left


def traps(ds: "Dataset", lines: Optional[list[str]] = None) -> Traps:
    """Measure the traps on the learner's data; `lines` are the raw lines (read from the source if None)."""
    out = Traps(str(ds.source), ds.source.raw, dropped=dict(ds.dropped), notes=dict(ds.notes))
    if not out.raw:
        out.leftovers, out.trailing_space, out.left_in_text = measure_published(ds)
        out.cannot_show = dict(_NOT_RAW)
        return out
    if lines is None:
        try:
            lines = raw_lines(ds.source)
        except DataError as error:
            out.cannot_show = {part: f"the raw lines could not be read again ({error})" for part in TRAP_PARTS[:3]}
            return out
    class_keys = {s.key for s in ds.popularity[: len(ds.labels)]}
    out.selectors, out.skin_tones, out.several = measure_raw(lines, class_keys)
    return out


# -- the traps in words and tables ------------------------------------------------------------------------------------
def trap_findings(measured: Traps, part: str) -> list[str]:
    """Measured sentences about one trap ("variation selectors", "skin tones", "several emoji", "dropped")."""
    if part not in TRAP_PARTS:
        raise EmojiLabError(f"unknown trap {part!r}: use one of {', '.join(TRAP_PARTS)}")
    finder: Callable[[Traps], list[str]] = _FINDINGS[part]
    found = finder(measured)
    if part in measured.cannot_show:
        found = [f"Cannot be shown on {measured.source}: {measured.cannot_show[part]}"] + found
    return found


def _selector_findings(measured: Traps) -> list[str]:
    if not measured.raw:
        return _leftover_findings(measured)
    if not measured.selectors:
        return ([] if measured.cannot_show else
                [f"No emoji in {measured.source} was typed with a variation selector: nothing to merge."])
    total = sum(f.with_selector for f in measured.selectors)
    top = measured.selectors[0]
    return [f"{total:,} emoji occurrences in {measured.source} carry a variation selector (U+FE0F or U+FE0E). "
            f"The most common: {top.emoji} typed with it {top.with_selector:,} times and without it "
            f"{top.without:,} times. Normalising counts both forms as the same emoji."]


def leak_groups(measured: Traps) -> list[tuple[str, str, int, int]]:
    """(split, label or "other labels", texts with a lone selector, texts): leaky labels named on their own."""
    groups = []
    for split in dict.fromkeys(l.split for l in measured.leftovers):
        rows = [l for l in measured.leftovers if l.split == split]
        leaky = [l for l in rows if l.with_selector / max(l.texts, 1) >= LEAK_RATE]
        groups += [(split, l.emoji, l.with_selector, l.texts) for l in leaky]
        rest = measured.trailing_space.get(split, (0, 0))[1] - sum(l.texts for l in leaky)
        groups.append((split, "other labels", sum(l.with_selector for l in rows if l not in leaky), rest))
    return groups


def _leftover_findings(measured: Traps) -> list[str]:
    if not measured.leftovers:
        return [f"No published text of {measured.source} holds a variation selector left by a removed emoji."]
    found = []
    groups = leak_groups(measured)
    for split in dict.fromkeys(g[0] for g in groups):
        parts = [f"{hits / max(n, 1):.1%} of the texts labelled {label} ({hits:,} of {n:,})"
                 if label != "other labels" else f"{hits / max(n, 1):.1%} of the other texts ({hits:,} of {n:,})"
                 for s, label, hits, n in groups if s == split]
        listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        found.append(f"{split}: a lone U+FE0F, left where the emoji was cut out, is still in {listed}.")
    found.append("An invisible character that gives the label away is a leak a phone never sees: "
                 "load() removes these selectors (load(..., keep_published=True) keeps them).")
    return found


def _tone_findings(measured: Traps) -> list[str]:
    if measured.left_in_text:
        return ["Left in the published texts: " + "; ".join(
            f"{split}: {tones:,} skin-tone modifiers, {emoji:,} emoji of any kind"
            for split, (emoji, tones) in measured.left_in_text.items()) + "."]
    if not measured.raw or measured.cannot_show:
        return []
    if not measured.skin_tones:
        return [f"No emoji in {measured.source} carries a skin-tone modifier."]
    total = sum(x.toned for x in measured.skin_tones)
    in_classes = sum(x.toned for x in measured.skin_tones if x.is_class)
    return [f"{total:,} emoji occurrences carry a skin-tone modifier (U+1F3FB to U+1F3FF), "
            f"on {len(measured.skin_tones)} different emoji. Normalising merges each into its plain emoji "
            f"(👍🏽 counts as 👍); {in_classes:,} of them land in one of the classes."]


def _several_findings(measured: Traps) -> list[str]:
    s = measured.several
    if s is None:
        return []
    return [f"Of {s.with_emoji:,} lines with an emoji, {s.one:,} hold exactly one, {s.repeated:,} repeat the "
            f"same emoji (it counts once per line), and {s.different:,} mix different emoji. "
            f"{s.several_classes:,} hold two or more classes and keep some text: each is labelled by the "
            f"first of them."]


def _dropped_findings(measured: Traps) -> list[str]:
    if not measured.dropped:
        found = [f"No line of {measured.source} was dropped."]
    else:
        found = [f"{sum(measured.dropped.values()):,} lines were dropped: "
                 + "; ".join(f"{reason}: {n:,}" for reason, n in measured.dropped.items()) + "."]
    if any(n for n, _ in measured.trailing_space.values()):
        counts = "; ".join(f"{split}: {n:,} of {of:,}" for split, (n, of) in measured.trailing_space.items())
        cleaned = any("changed by cleaning" in note for note in measured.notes)
        found.append(f"Published texts ending with a space: {counts}. "
                     + ("Cleaning trims it, so a model cannot tell the splits apart by it."
                        if cleaned else "This data was loaded as published, spaces and all."))
    return found


_FINDINGS = {"variation selectors": _selector_findings, "skin tones": _tone_findings,
             "several emoji": _several_findings, "dropped": _dropped_findings}


def trap_rows(measured: Traps, part: str, limit: int = 8) -> Rows:
    """The table behind one trap's findings (empty when there is nothing to tabulate)."""
    if part == "variation selectors" and measured.raw:
        rows = [{"emoji": f.emoji, "with U+FE0F": f.with_selector, "without": f.without} for f in measured.selectors]
    elif part == "variation selectors":
        rows = [{"split": split, "label": label, "with a lone U+FE0F": hits, "texts": n}
                for split, label, hits, n in leak_groups(measured)]
    elif part == "skin tones":
        rows = [{"emoji": x.emoji, "with a skin tone": x.toned, "without": x.plain,
                 "a class": "yes" if x.is_class else "no"} for x in measured.skin_tones]
    elif part == "several emoji" and measured.several:
        s = measured.several
        rows = [{"lines": "exactly one emoji", "count": s.one},
                {"lines": "the same emoji repeated", "count": s.repeated},
                {"lines": "different emoji", "count": s.different},
                {"lines": "  of which two or more are classes", "count": s.several_classes}]
    elif part == "dropped":
        rows = [{"what": f"dropped: {reason}", "lines": n} for reason, n in measured.dropped.items()]
        rows += [{"what": f"kept: {note}", "lines": n} for note, n in measured.notes.items()]
    else:
        rows = []
    return Rows(rows[:limit])


def trap_view(measured: Traps, part: str) -> Any:
    """One trap drawn for the terminal: its measured sentences, then its table."""
    from rich.console import Group
    from rich.text import Text

    body: list[Any] = [Text(part.upper(), style="bold")]
    body += [Text(sentence) for sentence in trap_findings(measured, part)]
    table = trap_rows(measured, part)
    if table:
        body.append(table)
    return Group(*body)
