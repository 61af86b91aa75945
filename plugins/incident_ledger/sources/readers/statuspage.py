"""Atlassian Statuspage's `incidents.json` / `summary.json`, which incident.io pages also serve."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from ...ledger.model import IMPACTS, STATUSES, TITLE_MAX, UPDATE_TEXT_MAX
from ...ledger.urls import url_problem
from ...ledger.validate import ULID
from .record import ExportError, VendorIncident, VendorUpdate
from .text import NAME_MAX, clean_text, load_json, vendor_time

SHORTLINK_HOST = "stspg.io"  # Statuspage's own short-link host: a shortlink elsewhere could point anywhere


def shortlink_of(value: Any) -> str | None:
    """The incident's shortlink, kept only on Statuspage's short-link host."""
    if not isinstance(value, str) or url_problem(value):
        return None
    return value if (urlsplit(value).hostname or "").lower() == SHORTLINK_HOST else None


def ref_source_of(ident: str, url: str) -> str:
    """incident.io serves Statuspage's shape; its 26-character ULID ids tell the two apart."""
    return "incident.io" if ULID.match(ident) or "incident.io" in url else "statuspage"


def incidents_of(export: Any) -> list[Mapping[str, Any]]:
    """The incidents of an `incidents.json` or `summary.json` export; maintenances are kept to be skipped."""
    if not isinstance(export, Mapping):
        raise ExportError("the JSON is not an object with an `incidents` list (expected Statuspage's incidents.json)")
    found = export.get("incidents")
    if not isinstance(found, list):
        raise ExportError("the JSON has no `incidents` list (expected Statuspage's incidents.json or summary.json)")
    maintenance = export.get("scheduled_maintenances") or []
    items = [*found, *(m for m in maintenance if isinstance(m, Mapping))]
    return [item for item in items if isinstance(item, Mapping)]


def page_url_of(export: Mapping[str, Any], fallback: str) -> str:
    page = export.get("page")
    url = page.get("url") if isinstance(page, Mapping) else None
    return url if isinstance(url, str) and not url_problem(url) else fallback


def _names(group: Any) -> list[str]:
    names = []
    for component in group if isinstance(group, list) else []:
        name = clean_text(component.get("name"), NAME_MAX) if isinstance(component, Mapping) else ""
        if name:
            names.append(name)
    return names


def _updates(incident: Mapping[str, Any]) -> tuple[VendorUpdate, ...]:
    rows = []
    for update in incident.get("incident_updates") or []:
        if not isinstance(update, Mapping):
            continue
        at = vendor_time(update.get("display_at")) or vendor_time(update.get("created_at"))
        text = clean_text(update.get("body"), UPDATE_TEXT_MAX)
        if at is None or not text:
            continue
        status = str(update.get("status") or "").lower()
        rows.append(
            VendorUpdate(
                at,
                status if status in STATUSES else "",
                text,
                tuple(_names(update.get("affected_components"))),
                vendor_time(update.get("created_at")),
            )
        )
    return tuple(sorted(rows, key=lambda row: row.at))


def _start(incident: Mapping[str, Any], updates: tuple[VendorUpdate, ...]) -> datetime | None:
    """The earliest of `started_at` and the updates' shown times: Statuspage backdates `display_at` to when the
    impact began, and the page shows that as the incident's first post."""
    times = [
        vendor_time(incident.get("started_at")) or vendor_time(incident.get("created_at")),
        *(u.at for u in updates),
    ]
    return min((t for t in times if t is not None), default=None)


def record_of(incident: Mapping[str, Any], page_url: str) -> VendorIncident:
    ident = str(incident.get("id") or "").strip()
    impact = str(incident.get("impact") or "").lower()
    status = str(incident.get("status") or "").lower()
    updates = _updates(incident)
    return VendorIncident(
        ref_source=ref_source_of(ident, page_url),
        id=ident,
        title=clean_text(incident.get("name"), TITLE_MAX),
        url=f"{page_url.rstrip('/')}/incidents/{quote(ident, safe='')}",
        start=_start(incident, updates),
        end=vendor_time(incident.get("resolved_at")),
        resolved=status in ("resolved", "postmortem"),
        impact=impact if impact in IMPACTS else None,
        impact_vendor=impact or None,
        components=tuple(_names(incident.get("components"))),
        updates=updates,
        maintenance=bool(incident.get("scheduled_for")) or impact == "maintenance",
        shortlink=shortlink_of(incident.get("shortlink")),
    )


def read_statuspage(data: bytes, base_url: str) -> list[VendorIncident]:
    """Every incident and maintenance of the export, linked on `base_url` (the registry's status page):
    a response never chooses where the ledger's source links point."""
    export = load_json(data)
    incidents = incidents_of(export)
    page_url = base_url if not url_problem(base_url) else page_url_of(export, base_url)
    return [record_of(incident, page_url) for incident in incidents]
