"""Release-window figures for the catalog: one computation for the pages, the CLI and open data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import Catalog
from .evidence import confirmed
from .launches import (
    EARLY_DAYS,
    LAUNCH_DAYS,
    LaunchComparison,
    Region,
    RegionFigures,
    ReleaseFigures,
    compare,
    pooled,
    release_figures,
    release_start,
)
from .model import ModelInfo
from .rates import RateRatio, mantel_haenszel
from .stats import Window, clip
from .timeutil import iso

SENSITIVITY_DAYS = (EARLY_DAYS, 14, LAUNCH_DAYS)

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
    "incidents_per_week": "incidents / (seconds / 604800); null for an empty (never observed) period",
    "impacted_hours_per_week": "impacted_seconds / 3600 per week of the period",
    "rate_ratio": "after_release rate / outside rate, with its exact 95 % interval (conditional binomial, "
    "Clopper-Pearson); null where undefined, high null meaning unbounded",
    "pooled": "Mantel-Haenszel rate ratio stratified by vendor, 95 % interval from the Greenland-Robins variance",
}


@dataclass(frozen=True)
class Release:
    vendor: str
    model: ModelInfo
    figures: ReleaseFigures


def observed(catalog: Catalog, vendor_id: str) -> Region:
    """The vendor's observed time: its covered spans up to now. Empty for a vendor nobody watched."""
    start = min((s for s, _ in catalog.coverage.spans(vendor_id)), default=catalog.now)
    return clip(catalog.coverage.spans(vendor_id), Window(start, catalog.now))


def model_release(catalog: Catalog, vendor_id: str, model: ModelInfo) -> ReleaseFigures | None:
    """The model's life is the part of the vendor's observed period from its release on."""
    if model.released is None:
        return None
    incidents = confirmed(catalog.for_vendor(vendor_id))
    named = [i for i in incidents if model.id in i.models]
    vendor_wide = [i for i in incidents if i.all_models]
    return release_figures(model.released, named, vendor_wide, observed(catalog, vendor_id), catalog.now)


def releases(catalog: Catalog, vendor_id: str) -> tuple[Release, ...]:
    """Dated releases of the vendor up to the reference time, oldest first: computed once per catalog, as every
    model page of the vendor asks for them all."""

    def dated() -> tuple[Release, ...]:
        rows = []
        for model in catalog.registry.vendors[vendor_id].own_models().values():  # a host's copy is no release
            figures = model_release(catalog, vendor_id, model)
            if figures is not None and release_start(figures.released) <= catalog.now:
                rows.append(Release(vendor_id, model, figures))
        return tuple(sorted(rows, key=lambda r: (r.figures.released, r.model.id)))

    return catalog.memo(("releases", vendor_id), dated)


def vendor_launches(catalog: Catalog, vendor_id: str, days: int = LAUNCH_DAYS) -> LaunchComparison:
    incidents = confirmed(catalog.for_vendor(vendor_id))
    return compare(
        [r.figures.released for r in releases(catalog, vendor_id)],
        [i for i in incidents if i.models and not i.all_models],
        [i for i in incidents if i.all_models],
        observed(catalog, vendor_id),
        catalog.now,
        days,
    )


def all_launches(catalog: Catalog, days: int = LAUNCH_DAYS) -> dict[str, LaunchComparison]:
    """Per vendor with covered time, in registry order: only watched time can give a rate. Computed once per
    catalog for each window length, however many pages, exports and reports ask."""
    return catalog.memo(
        ("launches", days),
        lambda: {v: vendor_launches(catalog, v, days) for v in catalog.vendor_ids() if observed(catalog, v)},
    )


def untracked(catalog: Catalog) -> dict[str, int]:
    """Vendors with incidents but no covered time, with their recorded confirmed incidents naming a model."""
    return {
        v: sum(1 for i in confirmed(catalog.for_vendor(v)) if i.models and not i.all_models)
        for v in catalog.vendor_ids()
        if not observed(catalog, v)
    }


def taking_part(comparisons: dict[str, LaunchComparison]) -> dict[str, LaunchComparison]:
    """Vendors with a release window inside their covered time and covered time outside the windows."""
    return {v: c for v, c in comparisons.items() if c.releases and c.outside.seconds > 0}


@dataclass(frozen=True)
class Pooled:
    """The comparison over all vendors taking part: stratified ratios and plain totals."""

    days: int
    vendors: tuple[str, ...]
    named: RateRatio
    vendor_wide: RateRatio
    after_release: RegionFigures
    outside: RegionFigures


def pooled_launches(comparisons: dict[str, LaunchComparison]) -> Pooled:
    parts = taking_part(comparisons)
    days = next(iter(comparisons.values())).days if comparisons else LAUNCH_DAYS
    return Pooled(
        days=days,
        vendors=tuple(parts),
        named=mantel_haenszel([c.stratum for c in parts.values()]),
        vendor_wide=mantel_haenszel([c.vendor_wide_stratum for c in parts.values()]),
        after_release=pooled(c.after_release for c in parts.values()),
        outside=pooled(c.outside for c in parts.values()),
    )


def sensitivity(catalog: Catalog) -> list[Pooled]:
    """The pooled comparison for 7-, 14- and 30-day windows: does the answer hang on the window's length?"""
    return [pooled_launches(all_launches(catalog, days)) for days in SENSITIVITY_DAYS]


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


def ratio_dict(ratio: RateRatio) -> dict[str, Any]:
    def finite(value: float | None) -> float | None:
        return None if value is None or value == float("inf") else value

    return {"ratio": finite(ratio.ratio), "low": finite(ratio.low), "high": finite(ratio.high),
            "excludes_1": ratio.conclusive}  # fmt: skip


def comparison_dict(comparison: LaunchComparison) -> dict[str, Any]:
    return {
        "observed": [{"from": iso(start), "to": iso(end)} for start, end in comparison.observed],
        "window_days": comparison.days,
        "releases": comparison.releases,
        "overlapping_releases": comparison.overlapping,
        "after_release": region_dict(comparison.after_release),
        "outside": region_dict(comparison.outside),
        "rate_ratio": ratio_dict(comparison.ratio),
        "vendor_wide_rate_ratio": ratio_dict(comparison.vendor_wide_ratio),
    }


def pooled_dict(result: Pooled) -> dict[str, Any]:
    return {
        "window_days": result.days,
        "vendors": list(result.vendors),
        "rate_ratio": ratio_dict(result.named),
        "vendor_wide_rate_ratio": ratio_dict(result.vendor_wide),
        "after_release": region_dict(result.after_release),
        "outside": region_dict(result.outside),
    }


def overall_dict(catalog: Catalog) -> dict[str, Any]:
    """The pooled comparison, its sensitivity to the window's length, and the vendors left out."""
    return {
        "pooled": pooled_dict(pooled_launches(all_launches(catalog))),
        "sensitivity": [pooled_dict(p) for p in sensitivity(catalog)],
        "untracked_vendors": untracked(catalog),
    }


def vendor_entry(catalog: Catalog, vendor_id: str, comparisons: dict[str, LaunchComparison]) -> dict[str, Any]:
    """What `stats --format json` adds per vendor: its models' releases and its launch comparison.

    Release figures cover each model's whole life, whatever `--window` says.
    """
    vendor = catalog.registry.vendors[vendor_id]
    return {
        "releases": {m.id: model_dict(catalog, vendor_id, m) for m in vendor.own_models().values()},
        "launches": comparison_dict(comparisons[vendor_id]) if vendor_id in comparisons else None,
    }
