"""Ids that no longer name an incident file: renamed records and withdrawn ones.

An id is permanent once published (links and feed entries point at it). `incidents/published.txt`
lists every id the site has published; `incidents/retired.yml` says where each one that lost its
file went: a renamed record redirects to its new id, a withdrawn one leaves a tombstone page that
says why. A published id with neither a file nor an entry is an error, so a rename or a deletion
cannot slip through review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .load import Key, KeyedReader, line_of_key, parse_yaml, read_text
from .model import Problem, Registry
from .validate import ID_RE

RETIRED_NAME = "retired.yml"
PUBLISHED_NAME = "published.txt"
PUBLISHED_HEADER = (
    "# Every incident id the site has published, one a line. `incident-ledger published` adds the ids of\n"
    "# today's files; an id is never taken out. One that loses its file needs an entry in retired.yml.\n"
)
_RENAMED_KEYS = {"to", "date", "why"}
_WITHDRAWN_KEYS = {"title", "vendor", "date", "why", "replaced_by"}
_ADD_ENTRY = (
    "renamed: add `{id}: {{to: NEW-ID, date: YYYY-MM-DD, why: …}}` under `renamed:` in incidents/retired.yml; "
    "removed: add it under `withdrawn:` with its title, vendor, date and why"
)


@dataclass(frozen=True)
class Renamed:
    id: str
    to: str
    date: date
    why: str


@dataclass(frozen=True)
class Withdrawn:
    id: str
    title: str
    vendor: str
    date: date
    why: str
    replaced_by: str | None = None


@dataclass(frozen=True)
class Retired:
    renamed: Mapping[str, Renamed] = field(default_factory=dict)
    withdrawn: Mapping[str, Withdrawn] = field(default_factory=dict)

    def target(self, ident: str) -> str:
        """Where an id ends up after following renames (an id renamed twice redirects straight to the last)."""
        seen = {ident}
        while ident in self.renamed:
            ident = self.renamed[ident].to
            if ident in seen:
                break
            seen.add(ident)
        return ident

    def first_ids(self) -> dict[str, str]:
        """Each renamed record's first id, by its id today: feeds keep the entry id they first announced."""
        pointed = {r.to for r in self.renamed.values()}
        first: dict[str, str] = {}
        for old in sorted(self.renamed.keys() - pointed):
            first.setdefault(self.target(old), old)
        return first


def id_year(ident: str) -> int:
    """The year folder of an id: ids begin with the UTC date of the incident's start."""
    return int(ident[:4])


class _Reader(KeyedReader):
    def ident(self, value: Any, key: Key) -> str | None:
        if isinstance(value, str) and ID_RE.match(value):
            return value
        self.error(key, f"`{value}` is not an incident id", "write the file name without `.md`, e.g. 2024-06-04-…")
        return None

    def text(self, item: dict[str, Any], key: Key, name: str) -> str | None:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.error((*key, name), f"`{name}` must be a non-empty text", "quote it")
        return None

    def day(self, item: dict[str, Any], key: Key) -> date | None:
        try:
            return date.fromisoformat(str(item.get("date")))
        except ValueError:
            self.error((*key, "date"), "`date` must be the day of the change", "write `date: YYYY-MM-DD`")
            return None

    def entries(self, data: dict[str, Any], section: str, keys: set[str]) -> dict[str, dict[str, Any]]:
        items = data.get(section) or {}
        if not isinstance(items, dict):
            self.error((section,), "must map old ids to entries", f"see the other entries under `{section}:`")
            return {}
        found = {}
        for old, item in items.items():
            key: Key = (section, str(old))
            if self.ident(old, key) is None:
                continue
            if not isinstance(item, dict):
                self.error(key, "an entry must be a mapping", f"allowed keys: {', '.join(sorted(keys))}")
                continue
            for unknown in sorted(set(item) - keys):
                self.error((*key, unknown), f"unknown key `{unknown}`", f"allowed: {', '.join(sorted(keys))}")
            found[str(old)] = item
        return found

    def renamed(self, data: dict[str, Any]) -> dict[str, Renamed]:
        result = {}
        for old, item in self.entries(data, "renamed", _RENAMED_KEYS).items():
            key: Key = ("renamed", old)
            to = self.ident(item.get("to"), (*key, "to"))
            day, why = self.day(item, key), self.text(item, key, "why")
            if to is not None and day is not None and why is not None:
                result[old] = Renamed(old, to, day, why)
        return result

    def withdrawn(self, data: dict[str, Any]) -> dict[str, Withdrawn]:
        result = {}
        for old, item in self.entries(data, "withdrawn", _WITHDRAWN_KEYS).items():
            key: Key = ("withdrawn", old)
            title, why, day = self.text(item, key, "title"), self.text(item, key, "why"), self.day(item, key)
            vendor = item.get("vendor")
            if self.registry.vendor(str(vendor)) is None:
                self.error((*key, "vendor"), f"unknown vendor `{vendor}`", "use an id from vendors.yml")
                continue
            replaced = item.get("replaced_by")
            if replaced is not None and self.ident(replaced, (*key, "replaced_by")) is None:
                continue
            if title is not None and why is not None and day is not None:
                result[old] = Withdrawn(old, title, str(vendor), day, why, replaced)
        return result


def load_retired(path: Path, registry: Registry) -> tuple[Retired, list[Problem], dict[Key, int]]:
    """Read the file if there is one; every mistake is a problem. Lines come back for later checks."""
    name = str(path)
    if not path.exists():
        return Retired(), [], {}
    text, problem = read_text(path)
    if text is None:
        return Retired(), [problem] if problem else [], {}
    data, lines, problem = parse_yaml(text, name)
    if problem:
        return Retired(), [problem], {}
    if data is None:
        return Retired(), [], lines
    if not isinstance(data, dict) or set(data) - {"renamed", "withdrawn"}:
        hint = "the file has two sections, `renamed:` and `withdrawn:`"
        return Retired(), [Problem(name, 1, "", "unexpected top-level keys", hint)], lines
    reader = _Reader(name, lines, registry)
    retired = Retired(reader.renamed(data), reader.withdrawn(data))
    for both in sorted(retired.renamed.keys() & retired.withdrawn.keys()):
        reader.error(("withdrawn", both), f"`{both}` is both renamed and withdrawn", "keep one of the two entries")
    return retired, reader.problems, lines


def load_published(path: Path) -> tuple[dict[str, int], list[Problem]]:
    """The published ids with the line each sits on; comments and blank lines are skipped."""
    if not path.exists():
        return {}, []
    text, problem = read_text(path)
    if text is None:
        return {}, [problem] if problem else []
    found: dict[str, int] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        ident = line.strip()
        if not ident or ident.startswith("#"):
            continue
        if not ID_RE.match(ident):
            problems.append(Problem(str(path), number, "", f"`{ident}` is not an incident id", "one id a line"))
            continue
        found.setdefault(ident, number)
    return found, problems


def check_ids(
    retired: Retired,
    published: Mapping[str, int],
    ids: Iterable[str],
    shown: tuple[str, str],
    lines: dict[Key, int],
) -> list[Problem]:
    """The permanence rules: every published id answers, and every entry points at a record that exists.

    `shown` is how the two files are named in messages (published list, retired file)."""
    current = set(ids)
    published_name, retired_name = shown
    problems = []
    for ident, line in published.items():
        if ident not in current and ident not in retired.renamed and ident not in retired.withdrawn:
            problems.append(
                Problem(
                    published_name,
                    line,
                    "",
                    f"`{ident}` was published and no incident file has that id any more",
                    _ADD_ENTRY.format(id=ident),
                )
            )
    for section, entries in (("renamed", retired.renamed), ("withdrawn", retired.withdrawn)):
        for ident in sorted(set(entries) & current):
            problems.append(
                Problem(
                    retired_name,
                    line_of_key(lines, (section, ident)),
                    section,
                    f"`{ident}` still has an incident file",
                    "an id is retired only when its file is gone: remove the entry or the file",
                )
            )
    pointers = [(("renamed", r.id, "to"), r.to) for r in retired.renamed.values()]
    pointers += [
        (("withdrawn", w.id, "replaced_by"), w.replaced_by) for w in retired.withdrawn.values() if w.replaced_by
    ]
    for key, ident in pointers:
        final = retired.target(ident)
        if final not in current:
            problems.append(
                Problem(
                    retired_name,
                    line_of_key(lines, key),
                    ".".join(key),
                    f"`{ident}` names no incident file",
                    "point at the id of the record that replaced it",
                )
            )
    return problems


def render_published(ids: Iterable[str]) -> str:
    """The published list's text: sorted, so equal sets give equal bytes."""
    return PUBLISHED_HEADER + "".join(f"{ident}\n" for ident in sorted(set(ids)))
