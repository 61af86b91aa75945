"""Google Cloud's public `https://status.cloud.google.com/incidents.json`: a JSON list of every incident.

Google grades an incident twice: `status_impact` says what kind of event it is
(information, disruption, outage) and `severity` how bad (low, medium, high).
The ledger has one scale, so `impact_of` folds the pair into it; the vendor's own
pair is kept in `impact_vendor` as "STATUS_IMPACT/severity".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...ledger.model import TITLE_MAX, UPDATE_TEXT_MAX
from .feed import plain, safe_url
from .record import ExportError, VendorIncident, VendorUpdate
from .text import clean_names, clean_text, load_json, looks_like_html, vendor_time

STATUS_PAGE = "https://status.cloud.google.com/"
UPDATE_LIMIT = UPDATE_TEXT_MAX
# The single source of the mapping quoted on the Methodology page: (status_impact, severity) -> ledger impact.
IMPACT_TABLE: dict[tuple[str, str], str] = {
    ("SERVICE_OUTAGE", "high"): "critical",
    ("SERVICE_OUTAGE", "medium"): "major",
    ("SERVICE_OUTAGE", "low"): "major",
    ("SERVICE_DISRUPTION", "high"): "major",
    ("SERVICE_DISRUPTION", "medium"): "minor",
    ("SERVICE_DISRUPTION", "low"): "minor",
    ("SERVICE_INFORMATION", "high"): "none",
    ("SERVICE_INFORMATION", "medium"): "none",
    ("SERVICE_INFORMATION", "low"): "none",
}
# When Google gives no (or an unknown) severity: the least the kind of event can mean.
IMPACT_WITHOUT_SEVERITY: dict[str, str] = {
    "SERVICE_OUTAGE": "major",
    "SERVICE_DISRUPTION": "minor",
    "SERVICE_INFORMATION": "none",
}
# Any of these marks a list item as a Google incident; a list of something else is the wrong file.
INCIDENT_KEYS = frozenset({"begin", "created", "external_desc", "status_impact"})
# An update's `status` is the service state when it was posted; only AVAILABLE has a ledger equivalent.
UPDATE_STATUS: dict[str, str] = {"AVAILABLE": "resolved"}


def impact_of(status_impact: str, severity: str) -> str | None:
    """Google's (status_impact, severity) on the ledger scale, or None for a status_impact Google never documented.

    | status_impact        | severity high | medium | low   | missing |
    | -------------------- | ------------- | ------ | ----- | ------- |
    | SERVICE_OUTAGE       | critical      | major  | major | major   |
    | SERVICE_DISRUPTION   | major         | minor  | minor | minor   |
    | SERVICE_INFORMATION  | none          | none   | none  | none    |

    An outage never grades lower than a disruption of the same severity: only a
    high-severity outage is "critical" (full outage), and a disruption reaches
    "major" (partial outage) only when Google marks it high.
    """
    kind, grade = status_impact.strip().upper(), severity.strip().lower()
    return IMPACT_TABLE.get((kind, grade)) or IMPACT_WITHOUT_SEVERITY.get(kind)


def _incidents(export: Any) -> list[Mapping[str, Any]]:
    if not isinstance(export, list):
        raise ExportError("the JSON is not a list of incidents (expected Google Cloud's incidents.json)")
    incidents = [item for item in export if isinstance(item, Mapping)]
    if len(incidents) != len(export) or not all(INCIDENT_KEYS & set(item) for item in incidents):
        raise ExportError(
            "the JSON list does not hold Google Cloud incidents (each needs `id`, `begin` and `external_desc`)"
        )
    return incidents


def _products(incident: Mapping[str, Any]) -> tuple[str, ...]:
    products = incident.get("affected_products")
    titles = [p.get("title") for p in (products if isinstance(products, list) else []) if isinstance(p, Mapping)]
    return clean_names(titles) or clean_names([incident.get("service_name")])


def _updates(incident: Mapping[str, Any]) -> tuple[VendorUpdate, ...]:
    raw = incident.get("updates")
    if not isinstance(raw, list) or not raw:
        raw = [incident.get("most_recent_update")]
    rows = []
    for update in raw:
        if not isinstance(update, Mapping):
            continue
        at = vendor_time(update.get("when")) or vendor_time(update.get("created"))
        text = plain(str(update.get("text") or ""), UPDATE_LIMIT)
        if at is None or not text:
            continue
        rows.append(VendorUpdate(at, UPDATE_STATUS.get(str(update.get("status") or "").upper(), ""), text))
    return tuple(sorted(rows, key=lambda row: row.at))


def _record(incident: Mapping[str, Any]) -> VendorIncident:
    ident = str(incident.get("id") or "").strip()
    status_impact = str(incident.get("status_impact") or "").strip()
    severity = str(incident.get("severity") or "").strip()
    uri = incident.get("uri")
    uri = uri.strip().lstrip("/") if isinstance(uri, str) and uri.strip() else f"incidents/{ident}"
    end = vendor_time(incident.get("end"))
    return VendorIncident(
        ref_source="google-cloud",
        id=ident,
        title=clean_text(incident.get("external_desc"), TITLE_MAX),
        url=safe_url(STATUS_PAGE + uri, f"{STATUS_PAGE}incidents/{ident}"),
        start=vendor_time(incident.get("begin")) or vendor_time(incident.get("created")),
        end=end,
        resolved=end is not None,
        impact=impact_of(status_impact, severity),
        impact_vendor=f"{status_impact}/{severity}" if status_impact or severity else None,
        components=_products(incident),
        updates=_updates(incident),
    )


def read_google_cloud(data: bytes, base_url: str) -> list[VendorIncident]:
    """Every incident of a saved `incidents.json`; `base_url` is unused because Google has one status page."""
    del base_url
    if not looks_like_html(data) and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise ExportError("got an XML feed, not Google Cloud's incidents.json (a JSON list)")
    return [_record(incident) for incident in _incidents(load_json(data)) if str(incident.get("id") or "").strip()]
