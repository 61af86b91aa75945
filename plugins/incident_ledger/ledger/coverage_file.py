"""Read and write `incidents/coverage.yml`, which collect keeps and reviewers read in pull requests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from .coverage import Coverage, SourceCoverage
from .fields import FUTURE_GRACE
from .load import Key, KeyedReader, parse_yaml, read_text
from .model import Problem, Registry
from .stats import Interval
from .timeutil import TimeError, iso, parse_time
from .urls import url_problem

COVERAGE_NAME = "coverage.yml"
HEADER = """\
# Coverage: for each vendor and collected source, the time spans over which the ledger holds
# every incident the vendor posted. `incident-ledger collect` extends it after each successful
# fetch; a hole between two spans is a gap. Time outside every span is "not tracked" in all
# figures. Hand edits are validated: times in UTC with an offset, spans in order, `from` < `to`.
"""
_SOURCE_KEYS = {"kind", "url", "covered", "fetched", "etag", "last_modified", "note", "basis", "check"}


class _Reader(KeyedReader):
    def __init__(self, path: str, lines: dict[Key, int], registry: Registry, now: datetime | None) -> None:
        super().__init__(path, lines, registry)
        self.now = now

    def time(self, value: Any, key: Key) -> Any:
        try:
            return parse_time(str(value))
        except TimeError as error:
            self.error(key, error.message, error.hint)
            return None

    def spans(self, value: Any, key: Key) -> tuple[Interval, ...]:
        if not isinstance(value, list):
            self.error(key, "must be a list of `{from: TIME, to: TIME}`", "write `- {from: …Z, to: …Z}`")
            return ()
        spans: list[Interval] = []
        for index, item in enumerate(value):
            where = (*key, index)
            if not isinstance(item, dict) or set(item) != {"from", "to"}:
                self.error(where, "a span has exactly the keys `from` and `to`", "write `{from: …Z, to: …Z}`")
                continue
            start, end = self.time(item["from"], (*where, "from")), self.time(item["to"], (*where, "to"))
            if start is None or end is None:
                continue
            if end <= start:
                self.error((*where, "to"), "`to` must be after `from`", "swap them or fix the time")
            elif self.now is not None and end > self.now + FUTURE_GRACE:
                self.error(
                    (*where, "to"), f"`to` is in the future (now is {iso(self.now)}): coverage vouches only for "
                    "time that has passed", "set `to` to the last time the list was fetched",
                )  # fmt: skip
            elif spans and start <= spans[-1][1]:
                self.error((*where, "from"), "spans must be in time order and not overlap", "merge the two spans")
            else:
                spans.append((start, end))
        return tuple(spans)

    def source(self, vendor_id: str, index: int, item: Any) -> SourceCoverage | None:
        key: Key = (vendor_id, index)
        if not isinstance(item, dict):
            self.error(key, "a source must be a mapping", "see the other entries")
            return None
        for unknown in sorted(set(item) - _SOURCE_KEYS):
            self.error((*key, unknown), f"unknown key `{unknown}`", f"allowed: {', '.join(sorted(_SOURCE_KEYS))}")
        problem = url_problem(item.get("url"))
        if problem:
            self.error((*key, "url"), problem, "the https URL of the source")
        if not isinstance(item.get("kind"), str) or not item["kind"]:
            self.error((*key, "kind"), "missing the source kind", "e.g. `kind: statuspage`")
        fetched = self.time(item["fetched"], (*key, "fetched")) if item.get("fetched") is not None else None
        texts = {name: item.get(name) for name in ("etag", "last_modified", "note", "basis", "check")}
        for name, value in texts.items():
            if value is not None and not isinstance(value, str):
                self.error((*key, name), "must be text", "quote it")
        spans = self.spans(item.get("covered", []), (*key, "covered"))
        if spans and not (isinstance(texts["basis"], str) and texts["basis"].strip()):
            self.error(
                (*key, "covered"),
                "covered time needs its `basis`: how completeness was established",
                "add `basis:` (e.g. which archive, walked how) and `check:` (the check that was run)",
            )
        return SourceCoverage(
            kind=str(item.get("kind") or ""),
            url=str(item.get("url") or ""),
            spans=spans,
            fetched=fetched,
            etag=texts["etag"] if isinstance(texts["etag"], str) else None,
            last_modified=texts["last_modified"] if isinstance(texts["last_modified"], str) else None,
            note=texts["note"] if isinstance(texts["note"], str) else None,
            basis=texts["basis"] if isinstance(texts["basis"], str) else None,
            check=texts["check"] if isinstance(texts["check"], str) else None,
        )


def load_coverage(path: Path, registry: Registry, now: datetime | None = None) -> tuple[Coverage, list[Problem]]:
    """Read the file if there is one (no file: nothing is tracked); every mistake is a problem, and with
    `now` a span reaching into the future is one."""
    name = str(path)
    if not path.exists():
        return Coverage(), []
    text, problem = read_text(path)
    if text is None:
        return Coverage(), [problem] if problem else []
    data, lines, problem = parse_yaml(text, name)
    if problem:
        return Coverage(), [problem]
    if data is None:
        return Coverage(), []
    if not isinstance(data, dict):
        return Coverage(), [Problem(name, 1, "", "coverage must map vendor ids to lists of sources", "")]
    reader = _Reader(name, lines, registry, now)
    vendors: dict[str, tuple[SourceCoverage, ...]] = {}
    for vendor_id, items in data.items():
        if registry.vendor(str(vendor_id)) is None:
            reader.error((str(vendor_id),), f"unknown vendor `{vendor_id}`", "use an id from vendors.yml")
            continue
        if not isinstance(items, list):
            reader.error((str(vendor_id),), "must be a list of sources", "write `- kind: …` entries")
            continue
        sources = [reader.source(str(vendor_id), index, item) for index, item in enumerate(items)]
        vendors[str(vendor_id)] = tuple(s for s in sources if s is not None)
    return Coverage(vendors), reader.problems


def _scalar(value: str) -> str:
    return (
        yaml.safe_dump(value, default_style=None, allow_unicode=True, width=10**9).strip().removesuffix("...").strip()
    )


def render_coverage(coverage: Coverage) -> str:
    """The file's text: vendors and sources in a fixed order, so equal coverage gives equal bytes."""
    lines = [HEADER.rstrip("\n")]
    for vendor_id in sorted(coverage.vendors):
        sources = coverage.vendors[vendor_id]
        if not sources:
            continue
        lines.append(f"{vendor_id}:")
        for source in sorted(sources, key=lambda s: s.url):
            lines.append(f"  - kind: {_scalar(source.kind)}")
            lines.append(f"    url: {_scalar(source.url)}")
            for name in ("note", "basis", "check"):
                value = getattr(source, name)
                if value:
                    lines.append(f"    {name}: {_scalar(value)}")
            lines.append("    covered:" + ("" if source.spans else " []"))
            lines.extend(f"      - {{from: {iso(start)}, to: {iso(end)}}}" for start, end in source.spans)
            if source.fetched:
                lines.append(f"    fetched: {iso(source.fetched)}")
            for name in ("etag", "last_modified"):
                value = getattr(source, name)
                if value:
                    lines.append(f"    {name}: {_scalar(value)}")
    return "\n".join(lines) + "\n"
