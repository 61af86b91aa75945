"""Public archives of vendors' status data: whole histories, read with the live readers' rules.

An archive holds thousands of incidents, so one bad entry is reported with where it is
(line or file) and the rest are read: nothing valid is dropped because a neighbour is broken.

* `statuspage-jsonl`: one Statuspage v2 incident object per line (e.g. Malorn44/claude-statuses).
* `statuspage-files`: one file per incident, the `/api/v2/incidents/<id>.json` answer
  (`{page, incident}`) or the bare object (e.g. GitHub-Incident-History).
* `github-statuses`: mrshu/github-statuses `parsed/incidents.jsonl`, GitHub's incidents rebuilt
  from its status feed: the vendor's titles, grades, times and update texts.
* `fails-csv`: the FAILS dataset's `incident_stages_all.csv`, one row per incident scraped from
  several vendors' Statuspage history pages: the vendor's id, title, grade, affected components,
  and the first post of each stage (time and text). Its derived columns (durations, colours,
  provider flags) are not read; the later posts of a stage are not in it at all.
* `aistudio`, `flashduty`, `datadog`: a saved answer of a status page the live readers read (AI Studio's
  ListIncidentsHistory JSPB array, FlashDuty's change/list, a Datadog page's config.json), read whole by
  that reader: an archive's copy of the vendor's own payload.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...ledger.model import IMPACTS, STATUSES, TITLE_MAX, UPDATE_TEXT_MAX
from .feed import last_segment, ledger_status
from .kinds import read
from .record import ExportError, VendorIncident, VendorUpdate
from .statuspage import record_of
from .text import clean_names, clean_text, load_json, vendor_time

# Saved answers of live pages, read by the kind's own reader.
SAVED_ANSWERS = ("aistudio", "flashduty", "datadog")
ARCHIVE_FORMATS = ("statuspage-jsonl", "statuspage-files", "github-statuses", "fails-csv", *SAVED_ANSWERS)
# What a record read from each format cannot show, said in its body so no reader mistakes it for the whole story.
FAILS_GAP = (
    "The archive kept the first post of each stage only; the vendor's later posts in a stage are not recorded here."
)
# Components a model guessed rather than the vendor's page named; not the vendor's data, so not read.
GUESSED_COMPONENTS = frozenset({"gliner2"})


@dataclass
class ArchiveRead:
    """What an archive yielded, and what it is known to lack: each record's body names the gap."""

    records: list[VendorIncident] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    gap: str = ""


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
    if not ident.isascii() or not ident.isalnum():
        raise ValueError(f"url {url[:80]!r} does not end in a Statuspage incident id")
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
    components = () if guessed else clean_names(c for c in item.get("components") or [] if isinstance(c, str))
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


# FAILS grades the incident by the class its history page gave it; 4 is planned maintenance.
FAILS_IMPACTS = {"0": "none", "1": "minor", "2": "major", "3": "critical", "4": "maintenance"}
# The component columns FAILS fills from each incident's "This incident affected" line.
FAILS_COMPONENTS = (
    "Playground", "API", "DALL-E", "ChatGPT", "api.anthropic.com", "claude.ai", "console.anthropic.com",
    "Character.AI", "REST API", "gRPC API", "Stable Assistant",
)  # fmt: skip


def _fails_record(row: Mapping[str, str], page_url: str) -> VendorIncident:
    ident = str(row.get("incident_id") or "").strip()
    if not ident.isascii() or not ident.isalnum():
        raise ValueError(f"incident_id {ident[:40]!r} is not a Statuspage id")
    grade = FAILS_IMPACTS.get(str(row.get("incident_impact_level") or "").strip())
    if grade is None:
        raise ValueError(f"incident_impact_level {str(row.get('incident_impact_level'))[:10]!r} is not 0-4")
    updates = []
    for stage in STATUSES:
        if str(row.get(f"{stage}_flag") or "").strip() != "1":
            continue
        at = vendor_time(row.get(f"{stage}_timestamp"))
        if at is None:
            raise ValueError(f"{stage}_timestamp {str(row.get(f'{stage}_timestamp'))[:40]!r} is not a time")
        updates.append(VendorUpdate(at, stage, clean_text(row.get(f"{stage}_description"), UPDATE_TEXT_MAX)))
    updates.sort(key=lambda u: u.at)
    resolved_at = next((u.at for u in updates if u.status == "resolved"), None)
    return VendorIncident(
        ref_source="statuspage",
        id=ident,
        title=clean_text(row.get("Incident_Title"), TITLE_MAX),
        url=f"{page_url.rstrip('/')}/incidents/{ident}",
        start=updates[0].at if updates else None,
        end=resolved_at,
        resolved=resolved_at is not None,
        impact=grade if grade in IMPACTS else None,
        impact_vendor=grade,
        components=tuple(c for c in FAILS_COMPONENTS if str(row.get(c) or "").strip() == "1"),
        updates=tuple(updates),
        maintenance=grade == "maintenance",
    )


def csv_rows(text: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line of the row's first line, fields or None, problem) for each row, the header first.

    A row that is not CSV, or has another number of fields than the header (a quote that never
    closes swallows the lines after it, and leaves the wrong count), is reported at its first line,
    and reading starts again on the next line: no later row is lost to it.
    """
    lines = io.StringIO(text, newline="").readlines()
    start, width = 0, -1
    while start < len(lines):
        reader = csv.reader(lines[start:], strict=True)
        while True:
            first = start + reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield first, None, f"not CSV ({error})"
                break
            if not row:
                continue
            if width < 0:
                width = len(row)
            elif len(row) != width:
                yield first, None, f"{len(row)} fields where the header has {width} (a quote left open?)"
                break
            yield first, row, ""
        start = first


def read_fails_csv(data: bytes, page_url: str, provider: str) -> ArchiveRead:
    """The rows of one provider (FAILS names them `openai`, `anthropic`, ...); other providers' rows are not read."""
    read = ArchiveRead(gap=FAILS_GAP)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        read.problems.append("not UTF-8 text: is this the FAILS CSV?")
        return read
    rows = csv_rows(text)
    line, header, problem = next(rows, (1, None, "empty"))
    missing = {"incident_id", "Incident_Title", "incident_impact_level", "provider"} - set(header or ())
    if header is None or missing:
        what = f"not CSV ({problem})" if header is None else f"no column {', '.join(sorted(missing))}"
        read.problems.append(f"line {line}: {what}: is this the FAILS CSV?")
        return read
    for line, fields, problem in rows:
        if fields is None:
            read.problems.append(f"line {line}: {problem}")
            continue
        row = dict(zip(header, fields, strict=True))
        if row["provider"].strip().lower() == provider.lower():
            _guarded(read, f"line {line}", _fails_record, row, page_url)
    if not read.records and not read.problems:
        read.problems.append(f"no row has provider `{provider}`")
    return read


def read_saved_answer(kind: str, data: bytes, page_url: str) -> ArchiveRead:
    """One saved answer of a live page, its resolved incidents only: one still open when the copy was saved
    has an end the copy cannot show, and recorded as ongoing it would be wrong today; the live `collect`
    of the page records it. A wrong shape is the one problem reported."""
    saved = ArchiveRead()
    try:
        saved.records = [record for record in read(kind, data, page_url) if record.resolved]
    except ExportError as error:
        saved.problems.append(f"{error}: is this a saved `{kind}` answer?")
    return saved
