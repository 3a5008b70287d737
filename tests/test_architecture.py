"""The layout shows the architecture: the library (`emoji_lab`) is a few wings that import only downward, knows no
lesson, has no import cycle, and each lesson's own code sits beside its lesson file (`lessons/lessonNN.py` beside
`lessons/NN_name.toml`).

The wings, lowest first, and what each may import (besides itself):
    common    nothing
    data      common
    models    common, data
    training  common, data, models
    deploy    common, data, models, training
    teaching  common, data, models, training, deploy
    repl      common, data, training (the console: it starts the background training; what it knows of the
              course's content, it reads from the lesson files)
    authoring every wing (the guide, the notebooks, the benchmark)
and at the top the package face, `python -m emoji_lab` and its CLI, which may import anything.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "src" / "emoji_lab"
LESSONS = ROOT / "lessons"
LESSON_PACKAGE = "emoji_lab.lessons"
ALLOWED = {
    "common": set(),
    "data": {"common"},
    "models": {"common", "data"},
    "training": {"common", "data", "models"},
    "deploy": {"common", "data", "models", "training"},
    "teaching": {"common", "data", "models", "training", "deploy"},
    "repl": {"common", "data", "training"},
    "authoring": {"common", "data", "models", "training", "deploy", "teaching", "repl"},
}
TOP = {"emoji_lab", "emoji_lab.__main__", "emoji_lab.cli"}  # may import anything


def module_files() -> dict[str, Path]:
    """Every module of the package, by dotted name: the library, the engine, and the lesson modules."""
    found = {}
    for path in sorted(LIBRARY.rglob("*.py")):
        parts = path.relative_to(LIBRARY.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for path in sorted(LESSONS.glob("*.py")):
        found[LESSON_PACKAGE if path.stem == "__init__" else f"{LESSON_PACKAGE}.{path.stem}"] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's own modules that `name` imports anywhere in its file (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    known = set(files)
    # a package's __init__ is imported with any of its modules; that alone is not a dependency of interest
    return {name: {t for t in imports(name, path, known) if not (name.startswith(t + ".") and t != name)}
            for name, path in files.items()}


def is_lesson(name: str) -> bool:
    return name == LESSON_PACKAGE or name.startswith(LESSON_PACKAGE + ".")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def levels(graph: dict[str, set[str]]) -> int:
    """The longest chain of imports (in modules), on a graph without cycles."""
    depth: dict[str, int] = {}

    def chain(node: str) -> int:
        if node not in depth:
            depth[node] = 0  # guards a cycle; the test fails on cycles first
            depth[node] = 1 + max((chain(n) for n in graph[node]), default=0)
        return depth[node]

    return max(chain(node) for node in graph)


def test_no_import_cycle_inside_emoji_lab():
    library = {name: deps for name, deps in import_graph().items()}
    assert cycles(library) == []


def wing(name: str) -> str | None:
    """The wing a library module lives in (None: the top, or a lesson module)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def test_the_top_holds_the_wings_and_at_most_four_modules():
    modules = sorted(p.name for p in LIBRARY.glob("*.py"))
    assert len(modules) <= 4 and {"__init__.py", "__main__.py", "cli.py"} <= set(modules), modules
    folders = {p.name for p in LIBRARY.iterdir() if (p / "__init__.py").is_file()}
    unruled = folders ^ set(ALLOWED)
    assert not unruled, f"a wing without its import rule, or a rule without its wing: {unruled}"


def test_each_wing_says_what_lives_there_and_costs_nothing_to_import():
    for name in ALLOWED:
        tree = ast.parse((LIBRARY / name / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"emoji_lab.{name} has no docstring saying what lives there"
        if name != "repl":  # the console's face offers check_step, imported when called
            assert all(isinstance(node, ast.Expr) for node in tree.body), f"emoji_lab.{name}/__init__.py runs code"


def test_wings_import_only_downward():
    def allowed(name: str, dep: str) -> bool:
        if dep in TOP:
            return dep == "emoji_lab"  # the package face (its version); never the CLI
        return is_lesson(dep) or wing(dep) == wing(name) or wing(dep) in ALLOWED[wing(name)]

    wrong = sorted(f"{name} -> {dep}" for name, deps in import_graph().items()
                   if name not in TOP and not is_lesson(name) for dep in deps if not allowed(name, dep))
    assert wrong == []


MAX_PARAMETERS = 8  # more than this is a value waiting to be named (a Plan, a Source, BenchSettings)


def test_no_public_function_takes_more_than_eight_parameters():
    long = []
    for name, path in module_files().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                args = node.args
                names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
                names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
                count = len([n for n in names if n not in ("self", "cls")])
                if count > MAX_PARAMETERS:
                    long.append(f"{name}.{node.name}: {count}")
    assert long == []


def test_no_code_outside_the_registry_reads_a_model_name_for_its_facts():
    """A model's facts (family, architecture, budget, teacher) are its registry entry's, never a name's substring."""
    pattern = re.compile(r"""\.(startswith|endswith)\(["'](naive|chcnn|word|bytegrams|[\w-]*lstm|[\w-]*2fc)|"""
                         r"""["'](noembd|slim|student|blstm|2lstm)["'] in """)
    files = [p for p in (*LIBRARY.rglob("*.py"), *LESSONS.glob("*.py"), *LESSONS.glob("*.toml"))
             if p.name != "registry.py"]
    found = [f"{p.name}:{n}" for p in files for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert found == []


def test_the_library_and_the_engine_import_no_lesson_module():
    offenders = {name: sorted(d for d in deps if is_lesson(d)) for name, deps in import_graph().items()
                 if not is_lesson(name) and any(is_lesson(d) for d in deps)}
    assert offenders == {}


def test_each_lesson_has_its_module_beside_it_and_names_checks_only_there():
    """lessons/NN_name.toml names its checks, restores and terminal views in lessons/lessonNN.py (or a library
    module), never in another lesson's module."""
    for toml in sorted(LESSONS.glob("[0-9][0-9]_*.toml")):
        number = toml.name[:2]
        assert (LESSONS / f"lesson{number}.py").is_file(), f"{toml.name} has no lessons/lesson{number}.py"
        refs = re.findall(r'"(emoji_lab[\w.]*):\w+"', toml.read_text(encoding="utf-8"))
        for ref in refs:
            if is_lesson(ref):
                assert ref == f"{LESSON_PACKAGE}.lesson{number}", f"{toml.name} names {ref}"


MAX_LINES = 500


def test_no_module_is_over_five_hundred_lines():
    """Except the synthetic corpus's generator, which is mostly its hand-written phrase tables."""
    long = {name: n for name, path in module_files().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long.keys() <= {"emoji_lab.data.corpus.generate"}, long


def test_the_console_and_the_worker_know_no_lesson_by_number():
    """Which lessons start the background training, which models it trains, what a dry run sets aside: the lesson
    files say (`starts_background`, `background_models`, `dry_run`), the console reads them. So no string in their
    code names a lesson ("lesson 4", "08"), and no lesson's number or id is compared with a constant."""
    found = []
    for path in [*(LIBRARY / "repl").glob("*.py"), LIBRARY / "training" / "background.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if re.search(r"[Ll]essons? \d", node.value) or re.fullmatch(r"\d\d", node.value):
                    found.append(f"{path.name}:{node.lineno}: {node.value!r}")
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(n, ast.Attribute) and n.attr in ("number", "id") for n in sides) and any(
                        isinstance(n, ast.Constant) for n in sides):
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_the_graph_reads_imports_inside_functions_and_relative_ones(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from . import a\nfrom .b import c\ndef f():\n    from emoji_lab.d import e\n", encoding="utf-8")
    known = {"emoji_lab.a", "emoji_lab.b", "emoji_lab.d"}
    assert imports("emoji_lab.m", module, known) == known
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_every_import_a_lesson_tells_the_learner_to_type_works():
    """The imports in lesson texts, prompts and hints (`from emoji_lab.x import y`) name what is really there: a
    module moved by a restructuring must not leave a hint that fails when typed."""
    import importlib

    told = {m.group(1) for path in sorted(LESSONS.glob("*.toml"))
            for m in re.finditer(r"`(from emoji_lab[\w.]* import [\w, ]+)`", path.read_text(encoding="utf-8"))}
    assert len(told) >= 3  # the pattern still finds the lessons' imports
    broken = []
    for line in sorted(told):
        module, _, names = line[len("from "):].partition(" import ")
        found = importlib.import_module(module)
        broken += [f"{line}: no {name}" for name in (n.strip() for n in names.split(",")) if not hasattr(found, name)]
    assert not broken, broken
