"""Open data: the catalog as JSON, JSON Lines and CSV, the registry with headline figures."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from ..ledger import launch_report
from ..ledger.catalog import Catalog
from ..ledger.launch_answer import answer_dict, launch_answer
from ..ledger.model import Incident
from ..ledger.schema import incident_schema
from ..ledger.stats import WINDOW_NAMES, duration_seconds
from ..ledger.summary import HEADLINE_WINDOW, figures_dict, headline_dict, vendor_figures, vendor_headline
from ..ledger.timeutil import iso

CSV_FIELDS = (
    "id", "url", "title", "vendor", "models", "all_models", "scope", "products", "classes", "classes_from_default",
    "start", "end", "ongoing",
    "duration_seconds", "impact", "impact_vendor", "evidence", "status", "time_precision", "symptoms", "tags",
    "acknowledged",
    "sources", "postmortem", "vendor_refs", "published",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The calendar windows, and the last 365 covered days that the headline figures use.
WINDOWS = (*WINDOW_NAMES, HEADLINE_WINDOW)


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
        "scope": incident.scope,
        "products": list(incident.products),
        "classes": list(catalog.classes_of(incident)),
        "classes_from_default": not incident.products,
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


# An incident's record as it appears in incidents.json (indented for its place), incidents.jsonl and the CSV.
Serialised = tuple[str, str, str]
RecordCache = dict[str, tuple[tuple[Any, ...], Serialised]]


def csv_line(cells: Iterable[str]) -> str:
    """One RFC 4180 record, CRLF-terminated."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def serialise(record: dict[str, Any]) -> Serialised:
    block = json.dumps(record, ensure_ascii=False, indent=2)
    return (
        "\n".join("    " + line for line in block.split("\n")),
        json.dumps(record, ensure_ascii=False) + "\n",
        csv_line(csv_cell(record[name]) for name in CSV_FIELDS),
    )


def incident_records(
    catalog: Catalog, site_url: str, published: Callable[[Incident], datetime], cache: RecordCache | None = None
) -> list[Serialised]:
    """Every incident serialised. With a `cache` kept across `mkdocs serve` rebuilds, a record whose
    incident, publication time and (while ongoing) reference time are unchanged is not made again."""
    result = []
    for incident in catalog.incidents:
        inputs = (
            incident,
            catalog.classes_of(incident),
            site_url,
            published(incident),
            catalog.now if incident.ongoing else None,
        )
        cached = cache.get(incident.id) if cache is not None else None
        if cached and cached[0] == inputs:
            result.append(cached[1])
            continue
        serialised = serialise(incident_record(incident, catalog, site_url, published))
        if cache is not None:
            cache[incident.id] = (inputs, serialised)
        result.append(serialised)
    if cache is not None:
        for gone in cache.keys() - catalog.by_id.keys():
            del cache[gone]
    return result


def incidents_document(meta: dict[str, Any], blocks: list[str]) -> str:
    """incidents.json from records serialised one by one: the same text as dumping it whole with indent 2."""
    head = json.dumps(meta, ensure_ascii=False, indent=2).removesuffix("\n}")
    listed = "[\n" + ",\n".join(blocks) + "\n  ]" if blocks else "[]"
    return f'{head},\n  "incidents": {listed}\n}}\n'


def open_data(
    catalog: Catalog, site_url: str, published: Callable[[Incident], datetime], cache: RecordCache | None = None
) -> dict[str, bytes]:
    records = incident_records(catalog, site_url, published, cache)
    meta = {"reference_time": iso(catalog.now), "count": len(records)}
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
                "untracked_note": asdict(vendor.untracked_note) if vendor.untracked_note else None,
                "coverage": [{"from": iso(start), "to": iso(end)} for start, end in catalog.coverage.spans(vendor_id)],
                "models": {m.id: launch_report.model_dict(catalog, vendor_id, m) for m in vendor.models.values()},
                "products": {p: {"name": n, "class": vendor.product_classes[p]} for p, n in vendor.products.items()},
                "default_class": vendor.default_class,
                "headline": headline_dict(vendor_headline(catalog, vendor_id)),
                "figures": {w: figures_dict(vendor_figures(catalog, vendor_id, w)) for w in WINDOWS},
                "model_headlines": {
                    model: headline_dict(vendor_headline(catalog, vendor_id, model))
                    for model in catalog.models_with_incidents(vendor_id)
                },
                "model_figures": {
                    model: {w: figures_dict(vendor_figures(catalog, vendor_id, w, model)) for w in WINDOWS}
                    for model in catalog.models_with_incidents(vendor_id)
                },
                "launches": launch_report.comparison_dict(launches[vendor_id]) if vendor_id in launches else None,
            }
        )

    def dump(value: Any) -> bytes:
        return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()

    return {
        "api/incidents.json": incidents_document(meta, [block for block, _, _ in records]).encode(),
        "api/incidents.jsonl": "".join(line for _, line, _ in records).encode(),
        "api/incidents.csv": (csv_line(CSV_FIELDS) + "".join(row for _, _, row in records)).encode(),
        "api/vendors.json": dump(
            {
                **meta,
                "launches": launch_report.overall_dict(catalog),
                "launch_answer": answer_dict(launch_answer(catalog)),
                "vendors": vendors,
            }
        ),
        "schema/incident.schema.json": dump(
            incident_schema(schema_id=f"{site_url.rstrip('/')}/schema/incident.schema.json")
        ),
    }
