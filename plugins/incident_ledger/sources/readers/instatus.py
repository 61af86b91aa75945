"""Instatus status pages: the public `/summary.json`, `/v2/components.json` and the `/history.rss` feed.

Instatus documents only `summary.json` as public data, and it lists the
*active* incidents alone, without updates; `/v2/components.json` (used by many
monitors) adds incident ids and the components each incident touches. The
history of past incidents is only in the RSS/Atom feed, so all three are read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ...ledger.model import TITLE_MAX
from .feed import MONTHS, feed_items, group_updates, last_segment, page_of, parse_xml, safe_url
from .record import ExportError, VendorIncident
from .text import NAME_MAX, clean_text, load_json, looks_like_html, vendor_time

# Instatus's incident and component statuses on the ledger's impact scale.
IMPACT: dict[str, str] = {
    "OPERATIONAL": "none",
    "UNDERMAINTENANCE": "none",
    "DEGRADEDPERFORMANCE": "minor",
    "MINOROUTAGE": "minor",
    "PARTIALOUTAGE": "major",
    "MAJOROUTAGE": "critical",
}
MAX_MAINTENANCE_MINUTES = 60 * 24 * 60
# `started` in summary.json is JavaScript's Date.toString(): "Sat Jun 11 2022 18:55:50 GMT+0000 (…)".
JS_DATE = re.compile(r"^\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+GMT([+-])(\d{2})(\d{2})")


def instatus_time(value: Any) -> datetime | None:
    """ISO 8601 (components.json) or JavaScript's Date string (summary.json) as aware UTC."""
    iso = vendor_time(value)
    if iso is not None or not isinstance(value, str):
        return iso
    found = JS_DATE.match(value.strip())
    if found is None or found.group(1).lower() not in MONTHS:
        return None
    month, day, year, hour, minute, second, sign, off_h, off_m = found.groups()
    offset = timedelta(hours=int(off_h), minutes=int(off_m))
    try:
        local = datetime(int(year), MONTHS[month.lower()], int(day), int(hour), int(minute), int(second), tzinfo=UTC)
        return local - offset if sign == "+" else local + offset
    except (ValueError, OverflowError):
        return None


def _incident(raw: Mapping[str, Any], components: tuple[str, ...], page_url: str) -> VendorIncident:
    url = str(raw.get("url") or "").strip()
    ident = str(raw.get("id") or "").strip() or last_segment(url)
    impact = str(raw.get("impact") or "").strip().upper()
    status = str(raw.get("status") or "").strip().upper()
    return VendorIncident(
        ref_source="instatus",
        id=ident,
        title=clean_text(raw.get("name"), TITLE_MAX),
        url=safe_url(url, f"{page_url.rstrip('/')}/incident/{ident}"),
        start=instatus_time(raw.get("started")),
        end=None,
        resolved=status == "RESOLVED",
        impact=IMPACT.get(impact),
        impact_vendor=impact or None,
        components=components,
    )


def _after(start: datetime | None, minutes: str) -> datetime | None:
    """The end of a maintenance `duration` minutes long; an absurd duration (over 60 days) gives no end."""
    if start is None or not re.fullmatch(r"[0-9]{1,5}", minutes) or int(minutes) > MAX_MAINTENANCE_MINUTES:
        return None
    try:
        return start + timedelta(minutes=int(minutes))
    except OverflowError:
        return None


def _maintenance(raw: Mapping[str, Any], page_url: str) -> VendorIncident:
    url = str(raw.get("url") or "").strip()
    ident = str(raw.get("id") or "").strip() or last_segment(url)
    start = instatus_time(raw.get("start"))
    end = _after(start, str(raw.get("duration") or "").strip())
    return VendorIncident(
        ref_source="instatus",
        id=ident,
        title=clean_text(raw.get("name"), TITLE_MAX),
        url=safe_url(url, f"{page_url.rstrip('/')}/maintenance/{ident}"),
        start=start,
        end=end,
        resolved=str(raw.get("status") or "").upper() == "COMPLETED",
        impact="none",
        impact_vendor="UNDERMAINTENANCE",
        maintenance=True,
    )


def _page_url(export: Mapping[str, Any], fallback: str) -> str:
    page = export.get("page")
    url = page.get("url") if isinstance(page, Mapping) else None
    return safe_url(url, page_of(fallback)) if isinstance(url, str) else page_of(fallback)


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _from_summary(export: Mapping[str, Any], page_url: str) -> list[VendorIncident]:
    incidents = [_incident(raw, (), page_url) for raw in _dicts(export.get("activeIncidents"))]
    return incidents + [_maintenance(raw, page_url) for raw in _dicts(export.get("activeMaintenances"))]


def _from_components(export: Mapping[str, Any], page_url: str) -> list[VendorIncident]:
    """components.json lists each active incident under every component it touches: one record per incident id."""
    seen: dict[str, tuple[Mapping[str, Any], list[str]]] = {}
    for component in _dicts(export.get("components")):
        name = clean_text(component.get("name"), NAME_MAX)
        for raw in _dicts(component.get("activeIncidents")):
            key = str(raw.get("id") or raw.get("url") or "")
            entry = seen.setdefault(key, (raw, []))
            if name and name not in entry[1]:
                entry[1].append(name)
    incidents = [_incident(raw, tuple(names), page_url) for raw, names in seen.values()]
    maintenances = {str(m.get("id") or m.get("url")): m for c in _dicts(export.get("components"))
                    for m in _dicts(c.get("activeMaintenances"))}  # fmt: skip
    return incidents + [_maintenance(raw, page_url) for raw in maintenances.values()]


def _read_json(data: bytes, base_url: str) -> list[VendorIncident]:
    export = load_json(data)
    if isinstance(export, Mapping) and ("activeIncidents" in export or "activeMaintenances" in export):
        return _from_summary(export, _page_url(export, base_url))
    if isinstance(export, Mapping) and isinstance(export.get("components"), list):
        return _from_components(export, _page_url(export, base_url))
    raise ExportError(
        "the JSON has neither `activeIncidents` nor a `components` list "
        "(expected Instatus's summary.json or v2/components.json)"
    )


def read_instatus(data: bytes, base_url: str) -> list[VendorIncident]:
    """An Instatus `summary.json`, `v2/components.json` or `history.rss`/`.atom`, told apart by content.

    The JSON files list active incidents only (no updates, no end); the feed has
    the history, with no impact grade (`impact` None).
    """
    if looks_like_html(data):
        raise ExportError("got an HTML page instead of Instatus data (an error or log-in page?)")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        _, items = feed_items(parse_xml(data, "Instatus history feed"), "Instatus history feed")
        return group_updates(items, "instatus", base_url)
    return _read_json(data, base_url)
