"""Release-window figures for the catalog: one computation for the pages, the CLI and open data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import Catalog
from .evidence import confirmed
from .launches import (
    LaunchComparison,
    RegionFigures,
    ReleaseFigures,
    compare,
    pooled,
    release_figures,
    release_start,
)
from .model import ModelInfo
from .stats import Window
from .timeutil import iso

LAUNCH_UNITS = {
    "released": "release date (UTC day) from the registry, or null",
    "release_status": "released, unknown (date not sourced yet) or not-released (never generally released)",
    "release_windows": "per model: first_7d, first_30d and after_30d (day 30 to the reference time)",
    "launches": "per vendor: after_release (the union of 30-day windows after its releases) against outside",
    "seconds": "seconds of tracked time in the period: the denominator of every rate",
    "incidents": "incidents naming a model whose interval intersects the period",
    "vendor_wide": "incidents with `model: all` intersecting the period, counted apart",
    "impacted_seconds": "seconds, union of the named incidents inside the period; date-only incidents left out",
    "timed": "named incidents with a known duration that impacted_seconds rests on",
    "incidents_per_week": "incidents / (seconds / 604800); null for an empty period",
    "impacted_hours_per_week": "impacted_seconds / 3600 per week of the period",
}


@dataclass(frozen=True)
class Release:
    vendor: str
    model: ModelInfo
    figures: ReleaseFigures


def observed(catalog: Catalog, vendor_id: str) -> Window:
    """The vendor's observed time: from the start of its coverage, else from its first recorded incident, to now."""
    first = catalog.coverage.first(vendor_id) or min((i.start for i in catalog.for_vendor(vendor_id)), default=None)
    return Window(min(first or catalog.now, catalog.now), catalog.now)


def model_release(catalog: Catalog, vendor_id: str, model: ModelInfo) -> ReleaseFigures | None:
    """The model's life is the part of the vendor's observed period from its release on."""
    if model.released is None:
        return None
    incidents = confirmed(catalog.for_vendor(vendor_id))
    named = [i for i in incidents if model.id in i.models]
    vendor_wide = [i for i in incidents if i.all_models]
    return release_figures(model.released, named, vendor_wide, observed(catalog, vendor_id), catalog.now)


def releases(catalog: Catalog, vendor_id: str) -> list[Release]:
    """Dated releases of the vendor up to the reference time, oldest first."""
    vendor = catalog.registry.vendors[vendor_id]
    rows = []
    for model in vendor.models.values():
        figures = model_release(catalog, vendor_id, model)
        if figures is not None and release_start(figures.released) <= catalog.now:
            rows.append(Release(vendor_id, model, figures))
    return sorted(rows, key=lambda r: (r.figures.released, r.model.id))


def vendor_launches(catalog: Catalog, vendor_id: str) -> LaunchComparison:
    incidents = confirmed(catalog.for_vendor(vendor_id))
    return compare(
        [r.figures.released for r in releases(catalog, vendor_id)],
        [i for i in incidents if not i.all_models],
        [i for i in incidents if i.all_models],
        observed(catalog, vendor_id),
        catalog.now,
    )


def all_launches(catalog: Catalog) -> dict[str, LaunchComparison]:
    """Per vendor with incidents, in registry order."""
    return {v: vendor_launches(catalog, v) for v in catalog.vendor_ids()}


def overall(comparisons: dict[str, LaunchComparison]) -> tuple[RegionFigures, RegionFigures]:
    """Pooled over the vendors that have at least one release in their observed period."""
    taking_part = [c for c in comparisons.values() if c.releases]
    return pooled(c.after_release for c in taking_part), pooled(c.outside for c in taking_part)


def region_dict(figures: RegionFigures) -> dict[str, Any]:
    return {
        "seconds": figures.seconds,
        "incidents": figures.incidents,
        "vendor_wide": figures.vendor_wide,
        "impacted_seconds": figures.impacted_seconds,
        "timed": figures.timed,
        "incidents_per_week": figures.incidents_per_week,
        "vendor_wide_per_week": figures.vendor_wide_per_week,
        "impacted_hours_per_week": figures.impacted_hours_per_week,
    }


def model_dict(catalog: Catalog, vendor_id: str, model: ModelInfo) -> dict[str, Any]:
    """A registry model with its release date, source and release-window figures."""
    figures = model_release(catalog, vendor_id, model)
    windows = None
    if figures is not None:
        windows = {
            "first_7d": region_dict(figures.first_7d),
            "first_30d": region_dict(figures.first_30d),
            "after_30d": region_dict(figures.after_30d),
            "started_before_release": figures.before_release,
        }
    return {
        "name": model.name,
        "released": model.released.isoformat() if model.released else None,
        "released_source": model.released_source,
        "release_status": model.release_status,
        "release_windows": windows,
    }


def comparison_dict(comparison: LaunchComparison) -> dict[str, Any]:
    return {
        "observed_start": iso(comparison.observed.start),
        "observed_end": iso(comparison.observed.end),
        "releases": comparison.releases,
        "overlapping_releases": comparison.overlapping,
        "after_release": region_dict(comparison.after_release),
        "outside": region_dict(comparison.outside),
    }


def overall_dict(comparisons: dict[str, LaunchComparison]) -> dict[str, Any]:
    after, rest = overall(comparisons)
    return {
        "vendors": sorted(v for v, c in comparisons.items() if c.releases),
        "after_release": region_dict(after),
        "outside": region_dict(rest),
    }


def vendor_entry(catalog: Catalog, vendor_id: str, comparisons: dict[str, LaunchComparison]) -> dict[str, Any]:
    """What `stats --format json` adds per vendor: its models' releases and its launch comparison.

    Release figures cover each model's whole life, whatever `--window` says.
    """
    vendor = catalog.registry.vendors[vendor_id]
    return {
        "releases": {m.id: model_dict(catalog, vendor_id, m) for m in vendor.models.values()},
        "launches": comparison_dict(comparisons[vendor_id]) if vendor_id in comparisons else None,
    }
