"""Static SVG badges per vendor and per model, for README files and dashboards.

Colours keep white text above 4.5:1 contrast; every badge carries a <title> and
an aria-label, so it reads the same to a screen reader as it looks.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import escape

from ..ledger.catalog import Catalog
from ..ledger.evidence import confirmed
from ..ledger.headline import Availability
from ..ledger.stats import SEVERE, interval
from ..ledger.summary import vendor_figures, vendor_headline

LABEL_COLOUR = "#4a4a4a"
GOOD, FAIR, POOR, NEUTRAL = "#2e6b30", "#7a5600", "#a4231b", "#4a5a6a"
KINDS = ("incidents-90d", "days-since-major", "availability")
CLASS_NAMES = {"api": "API", "chat": "chat app", "coding": "coding tool", "other": "product"}


@dataclass(frozen=True)
class Badge:
    kind: str
    label: str
    value: str
    colour: str


def _width(text: str) -> int:
    """Approximate text width in pixels at 11 px Verdana-like fonts; wide enough for any of our values."""
    return int(sum(7.5 if char.isupper() or char in "%mw" else 6.2 for char in text)) + 12


def svg(badge: Badge) -> str:
    left, right = _width(badge.label), _width(badge.value)
    total = left + right
    text = escape(f"{badge.label}: {badge.value}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{text}">'
        f"<title>{text}</title>"
        f'<rect width="{left}" height="20" fill="{LABEL_COLOUR}"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{badge.colour}"/>'
        f'<g fill="#ffffff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{left / 2:.1f}" y="14">{escape(badge.label)}</text>'
        f'<text x="{left + right / 2:.1f}" y="14">{escape(badge.value)}</text></g></svg>\n'
    )


def badges_for(catalog: Catalog, vendor_id: str, model: str | None = None) -> list[Badge]:
    figures = vendor_figures(catalog, vendor_id, "90d", model)
    count = figures.incidents
    incidents = catalog.for_model(vendor_id, model) if model else catalog.for_vendor(vendor_id)
    severe_ends = [interval(i, catalog.now)[1] for i in confirmed(incidents) if i.impact in SEVERE]
    if severe_ends:
        days = max(0, (catalog.now - max(severe_ends)).days)
        since = Badge("days-since-major", "since last major outage", f"{days} days", GOOD if days >= 30 else POOR)
    else:
        since = Badge("days-since-major", "since last major outage", "none recorded", NEUTRAL)
    avail = availability_badge(catalog, vendor_id, model)
    return [
        Badge(
            "incidents-90d",
            "incidents 90d",
            f"{count} (partial)" if figures.partial else str(count),
            NEUTRAL if figures.partial else GOOD if count == 0 else FAIR if count < 5 else POOR,
        ),
        since,
        avail,
    ]


def availability_badge(catalog: Catalog, vendor_id: str, model: str | None) -> Badge:
    """The headline availability over the last 365 covered days: the vendor's default product class (API
    with API), or the model over its life; the value says where coverage ends when it ended before now."""
    headline = vendor_headline(catalog, vendor_id, model)
    result: Availability | None
    if model:
        result, label = headline.model, "est. availability"
    else:
        cls = catalog.registry.vendors[vendor_id].default_class
        result, label = headline.classes.get(cls), f"est. {CLASS_NAMES[cls]} availability"
    if result is None or result.value is None:
        return Badge("availability", label, "not tracked", NEUTRAL)
    value = result.value
    colour = GOOD if value >= 0.999 else FAIR if value >= 0.99 else POOR
    end = headline.window.end
    until = f" to {end:%Y-%m-%d}" if end < catalog.now else ""
    return Badge("availability", label, f"{value * 100:.2f}%{until}", colour)


def badge_path(vendor_id: str, model: str | None, kind: str) -> str:
    return f"badges/{vendor_id}/{model + '/' if model else ''}{kind}.svg"


def all_badges(catalog: Catalog) -> dict[str, bytes]:
    files = {}
    for vendor_id in catalog.vendor_ids():
        for model in [None, *catalog.models_with_incidents(vendor_id)]:
            for badge in badges_for(catalog, vendor_id, model):
                files[badge_path(vendor_id, model, badge.kind)] = svg(badge).encode()
    return files
