"""Google AI Studio's status page (`https://aistudio.google.com/status`), which covers the Gemini API.

The page draws itself from one answer of Google's `ListIncidentsHistory` call, a
protobuf message written as nested JSON arrays (JSPB). Each incident is
`[id, title, severity, updates, primary product, products]` and each update
`[stage, local time text, [epoch seconds], text]`. The epoch seconds are the
instant; the time text is the page's local rendering, so it is not read.

The codes, as the page labels them: severity 1 minor, 2 major; stage 1 detected,
2 identified, 3 monitoring, 4 resolved, 5 a mitigation update (no ledger
equivalent); product 1 Gemini API, 2 Gemini Live API (Multimodal Live), 3 AI Studio.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ...ledger.model import TITLE_MAX, UPDATE_TEXT_MAX
from .record import ExportError, VendorIncident, VendorUpdate
from .text import clean_text, epoch_time, load_json

STATUS_PAGE = "https://aistudio.google.com/status"
STAGES: dict[int, str] = {1: "investigating", 2: "identified", 3: "monitoring", 4: "resolved"}
IMPACTS: dict[int, str] = {1: "minor", 2: "major"}
PRODUCTS: dict[int, str] = {1: "Gemini API", 2: "Gemini Live API", 3: "AI Studio"}
# The message wraps its list of incidents in a few one-element arrays; deeper is not this page's answer.
MAX_WRAPPING = 4
ID_MAX = 200
SHAPE = "expected the JSPB answer of AI Studio's ListIncidentsHistory: [[[[id, title, severity, updates, …], …]]]"


def _is_entry(value: Any) -> bool:
    return isinstance(value, list) and len(value) >= 4 and isinstance(value[0], str) and isinstance(value[3], list)


def incident_list(export: Any) -> list[Any] | None:
    """The list of incident entries inside the wrapping arrays, or None when the JSON is not this answer."""
    node = export
    for _ in range(MAX_WRAPPING):
        if not isinstance(node, list) or not node:
            return [] if node == [] else None
        if all(_is_entry(item) for item in node):
            return node
        if len(node) != 1:
            return None
        node = node[0]
    return None


def _epoch(value: Any) -> datetime | None:
    return epoch_time(value[0] if isinstance(value, list) and value else value)


def _code(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _updates(raw: Sequence[Any], products: tuple[str, ...]) -> tuple[VendorUpdate, ...]:
    rows = []
    for update in raw:
        if not isinstance(update, list) or len(update) < 4:
            continue
        at = _epoch(update[2])
        text = clean_text(update[3], UPDATE_TEXT_MAX)
        if at is None or not text:
            continue
        rows.append(VendorUpdate(at, STAGES.get(_code(update[0]) or 0, ""), text, products))
    return tuple(sorted(rows, key=lambda row: row.at))


def _record(entry: list[Any]) -> VendorIncident:
    products = tuple(
        dict.fromkeys(PRODUCTS[c] for c in (entry[5] if len(entry) > 5 and isinstance(entry[5], list) else [])
                      if _code(c) in PRODUCTS)
    )  # fmt: skip
    updates = _updates(entry[3], products)
    severity = _code(entry[2])
    resolved = bool(updates) and updates[-1].status == "resolved"
    return VendorIncident(
        ref_source="aistudio",
        id=clean_text(entry[0], ID_MAX),
        title=clean_text(entry[1], TITLE_MAX),
        url=STATUS_PAGE,
        start=updates[0].at if updates else None,
        end=updates[-1].at if resolved else None,
        resolved=resolved,
        impact=IMPACTS.get(severity or 0),
        impact_vendor=f"severity {severity}" if severity is not None else None,
        components=products,
        updates=updates,
    )


def read_aistudio(data: bytes, base_url: str) -> list[VendorIncident]:
    """Every incident of a saved ListIncidentsHistory answer; `base_url` is unused (the page is one page)."""
    del base_url
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"[":
        raise ExportError(f"not a JSON array: {SHAPE}")
    entries = incident_list(load_json(data))
    if entries is None:
        raise ExportError(f"the JSON array holds no AI Studio incidents: {SHAPE}")
    return [record for record in map(_record, entries) if record.id and record.start is not None]
