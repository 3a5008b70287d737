"""Read an Xcode project without Xcode, so CI on Linux can check what the iPhone app's build will see.

`project.pbxproj` is an old-style (NeXTSTEP) ASCII property list: `{ key = value; }` dictionaries,
`( a, b, )` arrays, quoted or bare strings, and `/* */` or `//` comments. `Project` adds what Xcode
does with it: objects by id, targets by name, build phases, and file paths resolved through groups.
"""

from __future__ import annotations

import re
from pathlib import Path

BARE = re.compile(r"[A-Za-z0-9_$/:.\-+]+")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}
OBJECT_ID = re.compile(r"[0-9A-F]{24}")


class PlistError(ValueError):
    """The text is not a well-formed old-style property list."""


def parse(text: str):
    """The dict, list or str that `text` holds."""
    parser = _Parser(text)
    value = parser.value()
    parser.skip()
    if parser.pos != len(text):
        parser.fail("text after the end of the property list")
    return value


class _Parser:
    def __init__(self, text: str):
        self.text, self.pos = text, 0

    def fail(self, message: str):
        line = self.text.count("\n", 0, self.pos) + 1
        raise PlistError(f"line {line}: {message}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self) -> None:
        """Past whitespace and comments."""
        while self.pos < len(self.text):
            if self.text[self.pos].isspace():
                self.pos += 1
            elif self.text.startswith("//", self.pos):
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end + 1
            elif self.text.startswith("/*", self.pos):
                end = self.text.find("*/", self.pos + 2)
                if end < 0:
                    self.fail("unterminated /* comment")
                self.pos = end + 2
            else:
                return

    def expect(self, char: str) -> None:
        self.skip()
        if self.peek() != char:
            self.fail(f"expected {char!r}, found {self.peek() or 'the end'!r}")
        self.pos += 1

    def value(self):
        self.skip()
        char = self.peek()
        if char == "{":
            return self.dictionary()
        if char == "(":
            return self.array()
        return self.string()

    def dictionary(self) -> dict:
        self.pos += 1
        result = {}
        while True:
            self.skip()
            if self.peek() == "}":
                self.pos += 1
                return result
            key = self.string()
            if key in result:
                self.fail(f"duplicate key {key!r}")
            self.expect("=")
            result[key] = self.value()
            self.expect(";")

    def array(self) -> list:
        self.pos += 1
        items = []
        while True:
            self.skip()
            if self.peek() == ")":
                self.pos += 1
                return items
            items.append(self.value())
            self.skip()
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != ")":
                self.fail(f"expected ',' or ')', found {self.peek() or 'the end'!r}")

    def string(self) -> str:
        self.skip()
        if self.peek() == '"':
            return self.quoted()
        match = BARE.match(self.text, self.pos)
        if not match:
            self.fail(f"expected a value, found {self.peek() or 'the end'!r}")
        self.pos = match.end()
        return match.group()

    def quoted(self) -> str:
        self.pos += 1
        out = []
        while True:
            char = self.peek()
            if not char:
                self.fail("unterminated string")
            self.pos += 1
            if char == '"':
                return "".join(out)
            if char != "\\":
                out.append(char)
                continue
            code = self.peek()
            if code in ESCAPES:
                out.append(ESCAPES[code])
                self.pos += 1
            elif code == "U" and re.fullmatch(r"[0-9A-Fa-f]{4}", self.text[self.pos + 1:self.pos + 5]):
                out.append(chr(int(self.text[self.pos + 1:self.pos + 5], 16)))
                self.pos += 5
            else:
                self.fail(f"unknown escape \\{code}")


class Project:
    """An .xcodeproj: its objects, targets and the files they build, with paths on disk."""

    def __init__(self, xcodeproj: Path):
        self.dir = Path(xcodeproj)
        self.source_root = self.dir.parent  # SOURCE_ROOT: the folder that holds the .xcodeproj
        data = parse((self.dir / "project.pbxproj").read_text(encoding="utf-8"))
        self.data = data
        self.objects: dict[str, dict] = data["objects"]
        self.root = self.objects[data["rootObject"]]
        self.paths = self._resolve(self.root["mainGroup"], self.source_root)

    def _resolve(self, group_id: str, base: Path) -> dict[str, Path]:
        """id -> path on disk for every group and file reference under `group_id` (products excluded)."""
        found = {group_id: base}
        for child_id in self.objects[group_id].get("children", []):
            path = self.path_of(self.objects[child_id], base)
            if path is None:
                continue
            found[child_id] = path
            if self.objects[child_id]["isa"] == "PBXGroup":
                found.update(self._resolve(child_id, path))
        return found

    def path_of(self, obj: dict, parent: Path) -> Path | None:
        """Where a group or file reference points, as Xcode resolves it; None for built products."""
        tree, path = obj.get("sourceTree"), obj.get("path", "")
        if tree == "<group>":
            return parent / path if path else parent
        if tree == "SOURCE_ROOT":
            return self.source_root / path
        if tree == "<absolute>":
            return Path(path)
        return None

    @property
    def targets(self) -> dict[str, dict]:
        return {self.objects[i]["name"]: self.objects[i] for i in self.root["targets"]}

    def target_id(self, name: str) -> str:
        return next(i for i in self.root["targets"] if self.objects[i]["name"] == name)

    def phase(self, target: str, isa: str) -> dict:
        """The target's one build phase of kind `isa` (PBXSourcesBuildPhase, PBXResourcesBuildPhase, ...)."""
        phases = [self.objects[i] for i in self.targets[target]["buildPhases"] if self.objects[i]["isa"] == isa]
        if len(phases) != 1:
            raise AssertionError(f"target {target} has {len(phases)} {isa} phases, not 1")
        return phases[0]

    def phase_paths(self, target: str, isa: str) -> list[Path]:
        """Paths on disk of the files in a target's build phase."""
        refs = [self.objects[build_file]["fileRef"] for build_file in self.phase(target, isa)["files"]]
        return [self.paths[ref] for ref in refs]

    def build_settings(self, target: str | None = None) -> dict[str, dict]:
        """Configuration name -> build settings, of a target or (None) of the project."""
        owner = self.targets[target] if target else self.root
        configs = self.objects[owner["buildConfigurationList"]]["buildConfigurations"]
        return {self.objects[i]["name"]: self.objects[i]["buildSettings"] for i in configs}

    def referenced_ids(self) -> set[str]:
        """Every object id mentioned anywhere in the objects (including the root object)."""
        found = {self.data["rootObject"]}

        def walk(value):
            if isinstance(value, dict):
                for key, item in value.items():  # TargetAttributes uses target ids as keys
                    walk(key)
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str) and OBJECT_ID.fullmatch(value):
                found.add(value)

        for obj in self.objects.values():
            walk(obj)
        return found
