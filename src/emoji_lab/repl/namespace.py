"""The learner's namespace: create it, snapshot it, and undo an attempt, so a wrong answer never breaks the next try."""

from __future__ import annotations

import ast
import builtins
import copy
from dataclasses import dataclass, field
from typing import Any

# Names every lesson namespace starts with (see lessons/README.md, "The namespace").
PRESET = ("DATA", "QUICK")


def fresh(data: Any, quick: bool) -> dict[str, Any]:
    """A new namespace like the one `python` gives at its prompt, plus the course settings DATA (the data source, with
    its options) and QUICK."""
    return {"__name__": "__main__", "__builtins__": builtins, "DATA": data, "QUICK": quick}


def visible(name: str) -> bool:
    """Whether a name is the learner's business (not a dunder, not `_`, not a preset)."""
    return not (name.startswith("__") or name == "_" or name in PRESET)


@dataclass
class Snapshot:
    """The bindings before an attempt, plus deep copies of the values a step declares it may mutate in place."""

    bindings: dict[str, Any]
    deep: dict[str, Any] = field(default_factory=dict)


@dataclass
class Changes:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created or self.changed or self.deleted)

    def touched(self) -> set[str]:
        return set(self.created) | set(self.changed) | set(self.deleted)


def snapshot(ns: dict[str, Any], touches: tuple[str, ...] = ()) -> Snapshot:
    deep = {}
    for name in touches:
        if name in ns:
            try:
                deep[name] = copy.deepcopy(ns[name])
            except Exception:  # some objects (locks, devices) cannot be copied: only rebinding is undone
                pass
    return Snapshot(bindings=dict(ns), deep=deep)


def _same(a: Any, b: Any) -> bool:
    try:
        result = a == b
        if isinstance(result, bool):
            return result
        return bool(result.all())  # numpy-like arrays
    except Exception:
        return False


def changes(ns: dict[str, Any], snap: Snapshot) -> Changes:
    """Which visible names an attempt created, rebound (or mutated, for deep-copied ones) and deleted."""
    out = Changes()
    for name, value in ns.items():
        if not visible(name):
            continue
        if name not in snap.bindings:
            out.created.append(name)
        elif value is not snap.bindings[name] or (name in snap.deep and not _same(value, snap.deep[name])):
            out.changed.append(name)
    out.deleted = [n for n in snap.bindings if visible(n) and n not in ns]
    out.created.sort()
    out.changed.sort()
    out.deleted.sort()
    return out


def restore(ns: dict[str, Any], snap: Snapshot) -> Changes:
    """Put the namespace back as it was at the snapshot; returns what had changed."""
    undone = changes(ns, snap)
    for name in list(ns):
        if name not in snap.bindings:
            del ns[name]
    for name, value in snap.bindings.items():
        ns[name] = value
    for name, value in snap.deep.items():
        # The object was mutated in place: bind a fresh copy of its earlier state, to every name that shares it
        # (`mine = model; mine.add_rule(...)` changed both names' object).
        mutated = ns[name]
        if not _same(mutated, value):
            fresh = copy.deepcopy(value)
            for alias in [n for n, v in ns.items() if v is mutated]:
                ns[alias] = fresh
    return undone


def bound_names(code: str) -> set[str]:
    """The names a block of code binds in its own scope: assignments, imports, defs and loop targets.

    Nested function, class and comprehension bodies are their own scopes and are not looked into.
    """
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(code))
    return found


def read_names(code: str) -> set[str]:
    """The names a block reads and does not bind itself: what it needs from earlier steps (and builtins)."""
    read = {node.id for node in ast.walk(ast.parse(code))
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    return read - bound_names(code)


def imports(code: str) -> list[str]:
    """The block's top-level import statements (`import numpy as np`), without the rest of the block."""
    return [ast.unparse(node) for node in ast.parse(code).body if isinstance(node, (ast.Import, ast.ImportFrom))]
