"""Open data: the catalog as JSON, JSON Lines and CSV, the registry with headline figures."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from . import launch_report
from .catalog import Catalog
from .model import Incident
from .schema import incident_schema
from .stats import WINDOW_NAMES, duration_seconds
from .summary import figures_dict, vendor_figures
from .timeutil import iso

CSV_FIELDS = (
    "id", "url", "title", "vendor", "models", "all_models", "products", "start", "end", "ongoing",
    "duration_seconds", "impact", "impact_vendor", "evidence", "status", "time_precision", "symptoms", "tags",
    "acknowledged",
    "sources", "postmortem", "vendor_refs", "published",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def incident_record(
    incident: Incident, catalog: Catalog, site_url: str, published: Callable[[Incident], datetime]
) -> dict[str, Any]:
    """One incident with computed fields: duration in seconds, status, permanent URL."""
    return {
        "id": incident.id,
        "url": site_url.rstrip("/") + "/" + incident.url_path,
        "title": incident.title,
        "vendor": incident.vendor,
        "models": list(incident.models),
        "all_models": incident.all_models,
        "products": list(incident.products),
        "start": iso(incident.start),
        "end": iso(incident.end) if incident.end else None,
        "ongoing": incident.ongoing,
        "duration_seconds": duration_seconds(incident, catalog.now),
        "impact": incident.impact,
        "impact_vendor": incident.impact_vendor,
        "evidence": incident.evidence,
        "status": "ongoing" if incident.ongoing else "resolved",
        "time_precision": incident.time_precision,
        "symptoms": list(incident.symptoms),
        "tags": list(incident.tags),
        "acknowledged": incident.acknowledged,
        "sources": [s.url for s in incident.sources],
        "archives": {s.url: s.archive for s in incident.sources if s.archive},
        "postmortem": incident.postmortem,
        "vendor_refs": [{"source": r.source, "id": r.id} for r in incident.vendor_refs],
        "updates": [{"at": iso(u.at), "status": u.status, "text": u.text} for u in incident.updates],
        "published": iso(published(incident)),
        "body_markdown": incident.body,
    }


def csv_cell(value: Any) -> str:
    """Flatten a value for CSV; text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        parts = [f"{v['source']}:{v['id']}" if isinstance(v, dict) else str(v) for v in value]
        value = ";".join(parts)
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def open_data(catalog: Catalog, site_url: str, published: Callable[[Incident], datetime]) -> dict[str, bytes]:
    records = [incident_record(i, catalog, site_url, published) for i in catalog.incidents]
    meta = {"reference_time": iso(catalog.now), "count": len(records)}
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for record in records:
        writer.writerow([csv_cell(record[name]) for name in CSV_FIELDS])
    vendors = []
    launches = launch_report.all_launches(catalog)
    for vendor_id, vendor in catalog.registry.vendors.items():
        vendors.append(
            {
                "id": vendor_id,
                "name": vendor.name,
                "homepage": vendor.homepage,
                "status_page": vendor.status_page,
                "collect": [{"kind": s.kind, "url": s.url} for s in vendor.collect],
                "collect_note": vendor.collect_note,
                "coverage": [{"from": iso(start), "to": iso(end)} for start, end in catalog.coverage.spans(vendor_id)],
                "models": {m.id: launch_report.model_dict(catalog, vendor_id, m) for m in vendor.models.values()},
                "products": vendor.products,
                "figures": {w: figures_dict(vendor_figures(catalog, vendor_id, w)) for w in WINDOW_NAMES},
                "model_figures": {
                    model: {w: figures_dict(vendor_figures(catalog, vendor_id, w, model)) for w in WINDOW_NAMES}
                    for model in catalog.models_with_incidents(vendor_id)
                },
                "launches": launch_report.comparison_dict(launches[vendor_id]) if vendor_id in launches else None,
            }
        )

    def dump(value: Any) -> bytes:
        return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()

    return {
        "api/incidents.json": dump({**meta, "incidents": records}),
        "api/incidents.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode(),
        "api/incidents.csv": out.getvalue().encode(),
        "api/vendors.json": dump({**meta, "launches": launch_report.overall_dict(launches), "vendors": vendors}),
        "schema/incident.schema.json": dump(
            incident_schema(schema_id=f"{site_url.rstrip('/')}/schema/incident.schema.json")
        ),
    }
