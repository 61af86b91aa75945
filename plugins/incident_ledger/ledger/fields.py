"""Typed reading of front-matter values: each reader reports a precise problem and returns None.

The validator's incident rules are written on top of these, so that every rule reports
the same way: file, line of the key, field path, message, hint.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from .load import Document, Key
from .model import Problem, Registry
from .timeutil import TimeError, parse_time
from .urls import url_problem

FUTURE_GRACE = timedelta(minutes=5)
# Bidi controls and invisible characters: they reorder or hide text on every page and feed. Zero-width
# (non-)joiners stay allowed, as scripts and emoji need them.
HIDDEN = re.compile("[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def suggest(value: str, choices: Iterable[str]) -> str:
    """A "did you mean" hint, or a list of what is allowed when nothing is close."""
    options = sorted(choices)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    shown = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
    return f"allowed: {shown}" if options else "add it to incidents/vendors.yml first"


def kind_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


class FieldReader:
    """Reads one document's values by type, reporting each problem with its file, line and field.

    The incident rules (`validate._Checker`) and nothing else build on it.
    """

    def __init__(self, doc: Document, registry: Registry, now: datetime) -> None:
        self.doc = doc
        self.registry = registry
        self.now = now
        self.problems: list[Problem] = []
        self.data: dict[str, Any] = doc.data or {}
        # The first reference time at which a check that reads `now` could answer differently.
        self.valid_until = datetime.max.replace(tzinfo=UTC)

    def future(self, key: Key, moment: datetime, message: str) -> None:
        """Report a time after now (with five minutes' grace); it stops being an error once now reaches it."""
        if moment > self.now + FUTURE_GRACE:
            self.report(key, message, "check the year and offset")
            self.valid_until = min(self.valid_until, moment - FUTURE_GRACE)

    def report(self, key: Key, message: str, hint: str = "", severity: str = "error") -> None:
        field = ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in key).replace(".[", "[")
        self.problems.append(Problem(self.doc.path, self.doc.line(*key), field, message, hint, severity))

    def warn(self, key: Key, message: str, hint: str = "") -> None:
        self.report(key, message, hint, "warning")

    # -- typed readers: each returns None after reporting a problem -----------------

    def text(self, key: Key, value: Any, max_len: int | None = None, plain: bool = False) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.report(key, f"must be non-empty text, got {kind_name(value)}", "write the text after the colon")
            return None
        value = value.strip()
        if max_len and len(value) > max_len:
            self.report(key, f"is {len(value)} characters long, over the limit of {max_len}", "shorten it")
        if plain and ("<" in value or ">" in value or "\n" in value):
            self.report(key, "must be plain text on one line (no `<`, `>` or markup)", "remove the markup")
        if plain and HIDDEN.search(value):
            self.report(key, "contains invisible or bidirectional control characters", "remove them")
        return value

    def word_list(self, key: Key, value: Any) -> list[str] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.report(key, f"must be a list of ids, got {kind_name(value)}", "write `[first-id, second-id]`")
            return None
        if len(set(value)) != len(value):
            self.report(key, "lists the same id twice", "remove the repeated id")
        return value

    def time(self, key: Key, value: Any) -> datetime | None:
        if not isinstance(value, str):
            self.report(
                key, f"must be an ISO 8601 time with offset, got {kind_name(value)}", "e.g. 2026-02-10T14:05:00Z"
            )
            return None
        try:
            return parse_time(value)
        except TimeError as error:
            self.report(key, error.message, error.hint)
            return None

    def url(self, key: Key, value: Any) -> str | None:
        problem = url_problem(value)
        if problem:
            self.report(key, problem, "link to the https:// page you read")
            return None
        return str(value)

    def enum(self, key: Key, value: Any, allowed: Sequence[str]) -> str | None:
        if not isinstance(value, str) or value not in allowed:
            shown = value if isinstance(value, str) else kind_name(value)
            self.report(key, f"`{shown}` is not allowed", suggest(str(value), allowed))
            return None
        return value

    def mapping_keys(self, key: Key, value: Any, allowed: Sequence[str], required: Sequence[str]) -> bool:
        if not isinstance(value, dict):
            self.report(key, f"must be a mapping with {', '.join(allowed)}, got {kind_name(value)}", "")
            return False
        for unknown in value.keys() - set(allowed):
            self.report((*key, unknown), f"unknown key `{unknown}`", suggest(unknown, allowed))
        missing = [name for name in required if name not in value]
        for name in missing:
            self.report(key, f"missing `{name}`", f"add `{name}:`")
        return not missing
