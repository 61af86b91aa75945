"""Datadog status pages (OpenRouter's `status.openrouter.ai`): the page's `/config.json`.

The page is drawn in the browser from that one document: its components, and its incidents with
their timelines. An incident carries `publishedDate` and, once `resolved`, `resolvedDate`; each
timeline entry has `startedAt` (the time the page shows) and `createdAt` (when it was written: a
page filled in after the fact writes every entry at once), a status word and the state it set each
affected component to. The page grades nothing else, so the worst state is the grade
(`grades.worst_state`). Incidents have no address of their own: records link the page itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...ledger.model import STATUSES, TITLE_MAX, UPDATE_TEXT_MAX
from .grades import worst_state
from .record import ExportError, VendorIncident, VendorUpdate
from .text import clean_names, clean_text, load_json, vendor_time

SHAPE = "expected a Datadog status page's config.json: an object with `incidents` whose entries have a `timeline`"
ID_MAX = 80
# Keys only a Datadog page's config carries; Statuspage's incidents.json also has an `incidents` list.
PAGE_KEYS = frozenset({"pageType", "domainPrefix", "sourceDatacenter", "visualizationType"})


def is_datadog(export: Any) -> bool:
    """Whether parsed JSON is a Datadog page's config: its own page keys, or incidents with timelines."""
    if not isinstance(export, Mapping) or not isinstance(export.get("incidents"), list):
        return False
    incidents = [i for i in export["incidents"] if isinstance(i, Mapping)]
    return bool(PAGE_KEYS & set(export)) or (bool(incidents) and all("timeline" in i for i in incidents))


def _affected(entry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [c for c in entry.get("componentsAffected") or [] if isinstance(c, Mapping)]


def _timeline(incident: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [e for e in incident.get("timeline") or [] if isinstance(e, Mapping)]


def _updates(incident: Mapping[str, Any]) -> tuple[VendorUpdate, ...]:
    rows = []
    for entry in _timeline(incident):
        at = vendor_time(entry.get("startedAt"))
        text = clean_text(entry.get("description"), UPDATE_TEXT_MAX)
        if at is None or not text:
            continue
        status = str(entry.get("status") or "").lower()
        names = clean_names(c.get("name") for c in _affected(entry))
        rows.append(VendorUpdate(at, status if status in STATUSES else "", text, names,
                                 vendor_time(entry.get("createdAt"))))  # fmt: skip
    return tuple(sorted(rows, key=lambda row: row.at))


def _record(incident: Mapping[str, Any], page_url: str) -> VendorIncident:
    updates = _updates(incident)
    resolved = incident.get("resolved") is True
    states = (str(c.get("status") or "").lower() for entry in _timeline(incident) for c in _affected(entry))
    impact, word = worst_state(states)
    return VendorIncident(
        ref_source="datadog",
        id=clean_text(incident.get("id"), ID_MAX),
        title=clean_text(incident.get("title"), TITLE_MAX),
        url=page_url,
        start=vendor_time(incident.get("publishedDate")) or (updates[0].at if updates else None),
        end=vendor_time(incident.get("resolvedDate")) if resolved else None,
        resolved=resolved,
        impact=impact,
        impact_vendor=word,
        components=clean_names(c.get("name") for c in _affected(incident)),
        updates=updates,
    )


def read_datadog(data: bytes, base_url: str) -> list[VendorIncident]:
    """Every incident of a saved or fetched config.json, linked on `base_url` (the registry's status page).
    Maintenances are not read: no capture of one has been seen, so their shape is not known."""
    export = load_json(data)
    if not is_datadog(export):
        raise ExportError(f"the JSON is not a Datadog status page's config: {SHAPE}")
    incidents = [i for i in export["incidents"] if isinstance(i, Mapping)]
    return [r for r in (_record(i, base_url) for i in incidents) if r.id and r.title and r.start is not None]
