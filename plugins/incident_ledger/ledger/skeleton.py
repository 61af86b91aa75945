"""A new incident file for contributors to fill in: correctly named and already valid."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import yaml

from .model import Vendor
from .timeutil import iso
from .validate import ID_MAX


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = "-".join(words) or "incident"
    return slug[:60].rstrip("-")


def incident_id(start: datetime, vendor: str, title: str) -> str:
    return f"{start:%Y-%m-%d}-{vendor}-{slugify(title)}"[:ID_MAX].rstrip("-")


def skeleton(vendor: Vendor, models: list[str], title: str, start: datetime) -> str:
    """Front matter with every required key plus a body outline."""
    model: str | list[str] = models[0] if len(models) == 1 else models
    fields = {
        "title": title,
        "vendor": vendor.id,
        "model": model,
        "start": iso(start),
        "end": None,
        "impact": "minor",
        "sources": [vendor.status_page or vendor.homepage],
        "symptoms": ["elevated-errors"],
    }
    front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
    return (
        f"---\n{front}---\n"
        "What happened, who was affected, and for how long.\n\n"
        "Replace the source above with the exact status-page or postmortem link, "
        "set `end` once the incident is resolved, and describe the cause and fix when known.\n"
    )
