"""Public archives of vendors' status data: whole histories, read with the live readers' rules.

An archive holds thousands of incidents, so one bad entry is reported with where it is
(line or file) and the rest are read: nothing valid is dropped because a neighbour is broken.

* `statuspage-jsonl`: one Statuspage v2 incident object per line (e.g. Malorn44/claude-statuses).
* `statuspage-files`: one file per incident, the `/api/v2/incidents/<id>.json` answer
  (`{page, incident}`) or the bare object (e.g. GitHub-Incident-History).
* `github-statuses`: mrshu/github-statuses `parsed/incidents.jsonl`, GitHub's incidents rebuilt
  from its status feed: the vendor's titles, grades, times and update texts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...ledger.model import IMPACTS, STATUSES, TITLE_MAX, UPDATE_TEXT_MAX
from .feed import last_segment, ledger_status
from .record import ExportError, VendorIncident, VendorUpdate
from .statuspage import record_of
from .text import clean_text, load_json, vendor_time

ARCHIVE_FORMATS = ("statuspage-jsonl", "statuspage-files", "github-statuses")
# Components a model guessed rather than the vendor's page named; not the vendor's data, so not read.
GUESSED_COMPONENTS = frozenset({"gliner2"})


@dataclass
class ArchiveRead:
    records: list[VendorIncident] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _lines(data: bytes) -> Iterable[tuple[int, Any | None, str]]:
    """(line number, parsed object or None, problem) for each non-blank line."""
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw.decode("utf-8")), ""
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            yield number, None, f"line {number}: not a JSON object ({type(error).__name__})"


def _guarded(read: ArchiveRead, where: str, make: Any, *args: Any) -> None:
    try:
        read.records.append(make(*args))
    except (ExportError, TypeError, ValueError, AttributeError, RecursionError) as error:
        read.problems.append(f"{where}: unreadable entry ({type(error).__name__}: {str(error)[:120]})")


def _read_lines(data: bytes, page_url: str, make: Callable[[Mapping[str, Any], str], VendorIncident]) -> ArchiveRead:
    read = ArchiveRead()
    for number, item, problem in _lines(data):
        if not isinstance(item, Mapping):
            read.problems.append(problem or f"line {number}: not a JSON object")
            continue
        _guarded(read, f"line {number}", make, item, page_url)
    return read


def read_statuspage_lines(data: bytes, page_url: str) -> ArchiveRead:
    return _read_lines(data, page_url, record_of)


def read_statuspage_files(files: Iterable[tuple[str, bytes]], page_url: str) -> ArchiveRead:
    read = ArchiveRead()
    for name, data in files:
        try:
            item = load_json(data)
        except ExportError as error:
            read.problems.append(f"{name}: {error}")
            continue
        incident = item.get("incident") if isinstance(item, Mapping) and "incident" in item else item
        if not isinstance(incident, Mapping):
            read.problems.append(f"{name}: not a Statuspage incident object")
            continue
        _guarded(read, name, record_of, incident, page_url)
    return read


def _github_record(item: Mapping[str, Any], page_url: str) -> VendorIncident:
    url = str(item.get("url") or "")
    ident = last_segment(url) if "/incidents/" in url else ""
    impact = str(item.get("impact") or "").lower()
    updates = []
    for update in item.get("updates") or []:
        at = vendor_time(update.get("at"))
        text = clean_text(update.get("message"), UPDATE_TEXT_MAX)
        word = str(update.get("status") or "")
        if at is not None and text:
            status = word.lower() if word.lower() in STATUSES else ledger_status(word)
            updates.append(VendorUpdate(at, status, text))
    updates.sort(key=lambda u: u.at)
    guessed = item.get("components_source") in GUESSED_COMPONENTS
    components = () if guessed else tuple(str(c) for c in item.get("components") or [] if isinstance(c, str))
    resolved = bool(updates) and updates[-1].status in ("resolved", "postmortem")
    return VendorIncident(
        ref_source="statuspage",
        id=ident,
        title=clean_text(item.get("title"), TITLE_MAX),
        url=f"{page_url.rstrip('/')}/incidents/{ident}",
        start=vendor_time(item.get("started_at")) or (updates[0].at if updates else None),
        end=vendor_time(item.get("resolved_at")) if resolved else None,
        resolved=resolved,
        impact=impact if impact in IMPACTS else None,
        impact_vendor=impact or None,
        components=components,
        updates=tuple(updates),
        maintenance=impact == "maintenance",
    )


def read_github_statuses(data: bytes, page_url: str) -> ArchiveRead:
    return _read_lines(data, page_url, _github_record)
