"""Read incident files: split front matter from body and keep the line of every value.

Parsing goes through YAML's node graph rather than `safe_load` so that each
value keeps the line it came from, aliases (the "billion laughs" bomb) can be
refused before anything is expanded, and timestamps stay as the text the
contributor typed, for the validator to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .model import Problem, Registry

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 512 * 1024
MAX_DEPTH = 20
_SCALARS = SafeConstructor()
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Key = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed file: its front-matter values, where each sits, and its body."""

    path: str
    data: dict[str, Any] | None = None
    lines: dict[Key, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)

    def line(self, *key: str | int) -> int:
        return line_of_key(self.lines, key)


def line_of_key(lines: dict[Key, int], key: Key) -> int:
    """Line of the most specific known part of `key`, else the file's first line."""
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return 1


class KeyedReader:
    """Reads one YAML file of the ledger's own (coverage, retired ids), gathering problems located by key."""

    def __init__(self, path: str, lines: dict[Key, int], registry: Registry) -> None:
        self.path, self.lines, self.registry = path, lines, registry
        self.problems: list[Problem] = []

    def error(self, key: Key, message: str, hint: str = "") -> None:
        field_name = ".".join(str(part) for part in key)
        self.problems.append(Problem(self.path, line_of_key(self.lines, key), field_name, message, hint))


class _YamlShapeError(Exception):
    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


_PLAIN = ("null", "bool", "int", "float", "str", "timestamp", "seq", "map")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in _PLAIN}


_TEXT_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"}


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag in _TEXT_TAGS:
        return node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _SCALARS.construct_yaml_bool(node)
    if tag == "tag:yaml.org,2002:int":
        return _SCALARS.construct_yaml_int(node)
    if tag == "tag:yaml.org,2002:float":
        return _SCALARS.construct_yaml_float(node)
    return node.value


class _Builder:
    """Turns a node graph into plain values, recording each value's line."""

    def __init__(self, line_offset: int) -> None:
        self.offset = line_offset
        self.lines: dict[Key, int] = {}
        self.seen: set[int] = set()

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def build(self, node: yaml.Node, key: Key, depth: int) -> Any:
        if node.tag not in _PLAIN_TAGS:
            raise _YamlShapeError(
                self.line_of(node), f"YAML tag `{node.tag}` is not allowed", "write a plain value without `!`"
            )
        if key not in self.lines:
            self.lines[key] = node.start_mark.line + 1 + self.offset
        if node.__class__ is yaml.ScalarNode:
            return _scalar(node)
        # Only collections can be aliased into an exponential "billion laughs" expansion.
        if id(node) in self.seen:
            raise _YamlShapeError(
                self.line_of(node),
                "YAML anchors and aliases (&name / *name) are not allowed",
                "write each value out in full",
            )
        if depth > MAX_DEPTH:
            raise _YamlShapeError(
                self.line_of(node), "values are nested too deeply", "incident fields are at most two levels deep"
            )
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _YamlShapeError(self.line_of(key_node), "a key must be a plain word", "write `key: value`")
                name = str(_scalar(key_node))
                if name in result:
                    raise _YamlShapeError(
                        self.line_of(key_node), f"key `{name}` appears twice", "keep one of the two lines"
                    )
                child = (*key, name)
                self.lines[child] = key_node.start_mark.line + 1 + self.offset
                result[name] = self.build(value_node, child, depth + 1)
            return result
        return [self.build(item, (*key, index), depth + 1) for index, item in enumerate(node.value)]


def _decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, Problem(
            path, line, "", f"file is not valid UTF-8 (byte {error.start})", "save the file with UTF-8 encoding"
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        code = f"U+{ord(bad.group()):04X}"
        return None, Problem(path, line, "", f"file contains a control character ({code})", "remove it; is it binary?")
    return text, None


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, dict[Key, int], Problem | None]:
    """Parse YAML into plain values plus the line of every value; errors become one problem."""
    builder = _Builder(line_offset)
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = builder.build(root, (), 0) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else 1
        message = f"YAML syntax error: {error.problem or error}"
        hint = "check indentation, colons and quotes; quote text that contains `: `"
        return None, {}, Problem(path, line, "", message, hint)
    except yaml.YAMLError as error:
        return None, {}, Problem(path, 1, "", f"YAML error: {error}", "check the YAML syntax")
    except _YamlShapeError as error:
        return None, {}, Problem(path, error.line, "", error.message, error.hint)
    except RecursionError:
        return None, {}, Problem(path, 1 + line_offset, "", "values are nested too deeply", "flatten the YAML")
    return data, builder.lines, None


def parse_text(text: str, path: str) -> Document:
    """Split and parse decoded text; bad shapes become problems, never exceptions."""
    doc = Document(path)
    lines = text.split("\n")
    if not text.strip():
        doc.problems.append(Problem(path, 1, "", "file is empty", "start with a `---` front-matter block"))
        return doc
    if lines[0].rstrip() != "---":
        doc.problems.append(
            Problem(path, 1, "", "file does not start with front matter", "the first line must be `---`")
        )
        return doc
    try:
        closing = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        doc.problems.append(Problem(path, 1, "", "front matter is not closed", "add a line `---` after the last field"))
        return doc
    yaml_text = "\n".join(lines[1:closing])
    doc.body = "\n".join(lines[closing + 1 :]).strip("\n")
    doc.body_line = closing + 2
    data, positions, problem = parse_yaml(yaml_text, path, line_offset=1)
    if problem is not None:
        doc.problems.append(problem)
        return doc
    if not isinstance(data, dict) or not data:
        hint = "write one `key: value` line per field, see CONTRIBUTING.md"
        doc.problems.append(Problem(path, 2, "", "front matter is empty or not a set of `key: value` lines", hint))
        return doc
    doc.data = data
    doc.lines = positions
    return doc


def read_text(path: Path, display: str | None = None) -> tuple[str | None, Problem | None]:
    """Read and decode a file; unreadable, oversized or non-UTF-8 files become a problem."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, Problem(name, 1, "", f"file is {size} bytes, over the limit of {MAX_BYTES}", "shorten it")
        raw = path.read_bytes()
    except OSError as error:
        return None, Problem(name, 1, "", f"cannot read file: {error.strerror}", "check the path and permissions")
    return _decode(raw, name)


def load_file(path: Path, display: str | None = None) -> Document:
    """Read and parse one incident file; every failure is a problem on the document."""
    name = display or str(path)
    text, problem = read_text(path, name)
    if text is None:
        return Document(name, problems=[problem] if problem else [])
    return parse_text(text, name)
