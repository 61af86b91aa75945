"""Loading: positions of keys, and malformed input that must become problems, never tracebacks."""

from __future__ import annotations

import time

import pytest

from conftest import NOW, Tree, incident_text
from incident_ledger.ledger.load import MAX_BYTES, parse_text
from incident_ledger.ledger.tree import load_ledger

NAME = "2026-02-10-acme-large-errors.md"


def test_every_key_keeps_its_line() -> None:
    doc = parse_text(
        incident_text(updates="\n  - at: 2026-02-10T15:00:00Z\n    status: resolved\n    text: ok"), "x.md"
    )
    assert doc.lines[("title",)] == 2
    assert doc.lines[("sources", 0)] == 10
    assert doc.lines[("updates", 0, "status")] == 13
    assert doc.body_line == 16


def errors_for(tree: Tree, content: str | bytes) -> list[str]:
    tree.add(NAME, content)
    started = time.monotonic()
    result = load_ledger(tree.incidents, NOW)
    assert time.monotonic() - started < 10
    return [p.human() for p in result.errors]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", ":1: error: file is empty"),
        ("   \n\n", "file is empty"),
        ("title: x\n", "does not start with front matter"),
        ("---\ntitle: x\n", "front matter is not closed"),
        ("---\n---\nbody", "front matter is empty"),
        ("---\n- a\n- b\n---\n", "not a set of `key: value` lines"),
        ("---\ntitle: [unclosed\n---\n", "YAML syntax error"),
        ("---\ntitle: a: b: c\n---\n", ":2: error: YAML syntax error"),
        ("---\ntitle: x\ntitle: y\n---\n", ":3: error: key `title` appears twice"),
        ("---\na: &x [1, 2]\nb: *x\n---\n", "anchors and aliases"),
        ("---\n" + "a: " + "[" * 200 + "]" * 200 + "\n---\n", "nested too deeply"),
        ("---\n? [a, b]\n: c\n---\n", "a key must be a plain word"),
        (b"---\ntitle: caf\xe9\n---\n", ":2: error: file is not valid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file is not valid UTF-8"),
        ("---\ntitle: x\x00y\n---\n", "control character (U+0000)"),
        ("---\ntitle: !!python/object:os.system ls\n---\n", "YAML"),
    ],
)
def test_malformed_input_becomes_a_problem(tree: Tree, content: str | bytes, expected: str) -> None:
    messages = errors_for(tree, content)
    assert messages, "expected an error"
    assert any(expected in m for m in messages), messages
    assert all(m.startswith(f"incidents/2026/{NAME}:") for m in messages)


def test_billion_laughs_is_refused_quickly(tree: Tree) -> None:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    messages = errors_for(tree, "\n".join(lines) + "\n---\n")
    assert any("anchors and aliases" in m for m in messages)


def test_oversized_file(tree: Tree) -> None:
    messages = errors_for(tree, incident_text(body="x" * (MAX_BYTES + 10)))
    assert any("over the limit" in m for m in messages)


def test_bom_and_crlf_are_accepted(tree: Tree) -> None:
    text = "\ufeff" + incident_text().replace("\n", "\r\n")
    assert errors_for(tree, text.encode("utf-8")) == []


def test_unreadable_path_is_reported(tree: Tree) -> None:
    (tree.incidents / "2026" / NAME).mkdir(parents=True)
    messages = [p.human() for p in load_ledger(tree.incidents, NOW).errors]
    assert any("cannot read file" in m for m in messages), messages
