"""The JSON Schema of an incident's front matter, built from the validator's own constants.

Registry ids (vendors, models, products) are open in the schema because they
change with `vendors.yml`; when a registry is given they become enums.
"""

from __future__ import annotations

from typing import Any

from .evidence import CLASSES
from .model import (
    ALL_MODELS,
    IMPACTS,
    PRECISIONS,
    REQUIRED_KEYS,
    STATUSES,
    SYMPTOMS,
    TITLE_MAX,
    UNSPECIFIED,
    UPDATE_TEXT_MAX,
    Registry,
)
from .validate import ID_RE, TAG_RE, UPDATE_KEYS

SCHEMA_ID = "https://incident-ledger.example/schema/incident.schema.json"
TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$"
_HTTPS = {"type": "string", "pattern": "^https://[^\\s<>\"'`\\\\]+$"}
_ID = {"type": "string", "pattern": ID_RE.pattern.replace(r"(\d{4}-\d{2}-\d{2})-", "")}
_TIME = {"type": "string", "pattern": TIME_PATTERN, "description": "ISO 8601 with an offset; stored in UTC"}

DESCRIPTIONS = {
    "title": f"Short plain-text headline, at most {TITLE_MAX} characters.",
    "vendor": "Vendor id from incidents/vendors.yml.",
    "model": "One model id, a list of model ids, `all` (the vendor's words or components say every model, or the "
    "whole API or app, was hit) or `unspecified` (no model named and nothing says all were hit).",
    "products": "Product ids of the vendor that were affected.",
    "start": "When impact began (ISO 8601 with offset).",
    "end": "When impact ended; null while the incident is ongoing.",
    "impact": "none (informational), minor (degraded), major (partial outage), critical (full outage).",
    "sources": "One or more https URLs the facts come from; an item may be {url, archive}.",
    "postmortem": "https URL of the vendor's postmortem.",
    "updates": "Timeline of status posts, oldest first.",
    "tags": "Lower-case words.",
    "time_precision": "How exactly the sources pin the times: minute (default), hour or day.",
    "symptoms": "What users saw.",
    "vendor_refs": "The vendor's own ids for this incident.",
    "acknowledged": "false when the vendor's status page never showed the incident.",
    "impact_vendor": "The vendor's own grade on the same scale, when it published one; `impact` is the ledger's.",
    "evidence": "Derived, never written in a file: the strongest class among the sources "
    "(vendor > press > community > aggregator), from incidents/sources.yml.",
}


def _enum_or(base: dict[str, Any], values: list[str] | None) -> dict[str, Any]:
    return {"type": "string", "enum": values} if values is not None else dict(base)


def _records(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """An optional list of small records with exactly these keys (updates, vendor references)."""
    record = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    return {"anyOf": [{"type": "null"}, {"type": "array", "items": record}]}


def incident_schema(registry: Registry | None = None, schema_id: str = SCHEMA_ID) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the front matter; the validator enforces the same rules."""
    vendors = sorted(registry.vendors) if registry else None
    models = (
        sorted({m for v in registry.vendors.values() for m in v.models} | {ALL_MODELS, UNSPECIFIED})
        if registry
        else None
    )
    products = sorted({p for v in registry.vendors.values() for p in v.products}) if registry else None
    model_id = _enum_or(_ID, models)
    product_id = _enum_or(_ID, products)
    properties: dict[str, Any] = {
        "title": {"type": "string", "minLength": 1, "maxLength": TITLE_MAX, "pattern": "^[^<>\\n]+$"},
        "vendor": _enum_or(_ID, vendors),
        "model": {"anyOf": [model_id, {"type": "array", "items": model_id, "minItems": 1, "uniqueItems": True}]},
        "products": {"anyOf": [product_id, {"type": "array", "items": product_id, "uniqueItems": True}]},
        "start": _TIME,
        "end": {"anyOf": [_TIME, {"type": "null"}]},
        "impact": {"type": "string", "enum": list(IMPACTS)},
        "sources": {
            "anyOf": [
                _HTTPS,
                {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "anyOf": [
                            _HTTPS,
                            {
                                "type": "object",
                                "properties": {"url": _HTTPS, "archive": {"anyOf": [_HTTPS, {"type": "null"}]}},
                                "required": ["url"],
                                "additionalProperties": False,
                            },
                        ]
                    },
                },
            ]
        },
        "postmortem": {"anyOf": [_HTTPS, {"type": "null"}]},
        "updates": _records(
            {
                "at": _TIME,
                "status": {"type": "string", "enum": list(STATUSES)},
                "text": {"type": "string", "minLength": 1, "maxLength": UPDATE_TEXT_MAX},
            },
            list(UPDATE_KEYS),
        ),
        "tags": {
            "anyOf": [
                {"type": "string", "pattern": TAG_RE.pattern},
                {"type": "array", "items": {"type": "string", "pattern": TAG_RE.pattern}, "uniqueItems": True},
            ]
        },
        "time_precision": {"type": "string", "enum": list(PRECISIONS), "default": "minute"},
        "symptoms": {
            "anyOf": [
                {"type": "string", "enum": list(SYMPTOMS)},
                {"type": "array", "items": {"type": "string", "enum": list(SYMPTOMS)}, "uniqueItems": True},
            ]
        },
        "vendor_refs": _records(
            {
                "source": {"type": "string", "minLength": 1, "maxLength": 40},
                "id": {"type": ["string", "integer"]},
            },
            ["source", "id"],
        ),
        "acknowledged": {"type": "boolean", "default": True},
        "impact_vendor": {"anyOf": [{"type": "string", "enum": list(IMPACTS)}, {"type": "null"}]},
        "evidence": {"type": "string", "enum": list(CLASSES), "readOnly": True},
    }
    for name, description in DESCRIPTIONS.items():
        properties[name] = {"description": description, **properties[name]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": "AI Incident Ledger incident front matter",
        "type": "object",
        "properties": properties,
        "required": list(REQUIRED_KEYS),
        "additionalProperties": False,
    }
