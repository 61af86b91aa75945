"""Per-vendor and per-model figures: one computation for pages, the CLI and open data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import launch_report
from .catalog import Catalog
from .headline import (
    HEADLINE_CLASSES,
    RATE_KINDS,
    Availability,
    Basis,
    Rate,
    class_availability,
    covered_part,
    latest_year,
    model_availability,
    rates,
    starts_in,
)
from .launch_answer import answer_dict, launch_answer
from .launches import release_start
from .model import Incident
from .stats import Figures, Interval, Window, clip, figures, window_for
from .timeutil import iso

# The default window: the last 365 days of the vendor's coverage, wherever that coverage ends.
HEADLINE_WINDOW = "year"

UNITS = {
    "incidents": "count of confirmed (vendor or press evidence) incidents that start inside the covered part of "
    "the window; every count, duration and impacted time below rests on these",
    "by_impact": "counts per impact level",
    "ongoing": "count of incidents still open at the reference time",
    "impacted_seconds": "seconds, length of the union of incident intervals inside the window; informational "
    "(`none`) notices left out",
    "impacted_seconds_by_impact": "seconds per impact level (union within each level)",
    "severe_seconds": "seconds, union of major and critical incidents inside the window",
    "estimated_availability": "1 - severe seconds inside covered time / covered seconds; null when nothing of the "
    "window is covered; an estimate from public reports",
    "largest_severe_id": "id of the incident with the most major or critical time inside covered time; null when "
    "there is none",
    "estimated_availability_without_largest": "the estimated availability without that incident: how far the "
    "estimate rests on one event",
    "degraded_seconds": "seconds, union of minor (degraded) incidents inside the window; not in availability",
    "median_seconds": "seconds, median whole-incident duration",
    "p90_seconds": "seconds, 90th percentile of durations (linear interpolation)",
    "mean_seconds": "seconds, mean duration; null when fewer than 20 incidents",
    "longest_id": "id of the longest incident",
    "longest_seconds": "seconds, its duration",
    "resolved_within_2h": "share (0-1) of resolved incidents that lasted at most 2 hours",
    "resolved_count": "count of resolved incidents that share rests on",
    "last_start": "ISO 8601 UTC start of the newest incident",
    "seconds_since_last": "seconds from that start to the reference time",
    "by_symptom": "counts per symptom",
    "unacknowledged": "count of incidents the vendor's status page never showed",
    "untracked_seconds": "seconds of the window outside the vendor's coverage (not tracked)",
    "covered_seconds": "seconds of the window inside the vendor's coverage (incidents/coverage.yml)",
    "partial": "true when coverage does not span the whole window: counts and durations may miss incidents",
    "date_only": "count of incidents known only by date: counted, but without a duration",
    "unconfirmed": "count of incidents with only community or aggregator evidence, left out of every other figure",
    "by_evidence": "counts per evidence class (vendor, press, community, aggregator) of all incidents in the window",
    "severe_covered_seconds": "severe hours of anything, in seconds: covered time in which something the vendor "
    "offers had a major or critical incident (union)",
    "severe_covered_seconds_without_largest": "the same without the largest severe incident",
    "episodes": "count of episodes among the timed incidents: maximal groups whose intervals overlap",
    "episode_median_seconds": "seconds, median duration of those episodes (each from its first start to its last end)",
    "episode_p90_seconds": "seconds, 90th percentile of episode durations",
    "covered_until": "ISO 8601 UTC end of the covered part of the window; null when none of it is covered",
    "headline": "over the last 365 covered days (window_start to window_end, ending where coverage ends): per "
    "product class, availability = 1 - union of severe incidents on a product of that class with model scope all "
    "or unspecified, inside covered time / covered_seconds; weighted_availability counts critical time 1 and major "
    "0.3; rates are incidents starting in covered time per 30 covered days with Garwood's exact 95 % interval; "
    "episodes merge overlapping records; n is what each figure rests on",
}


def vendor_figures(catalog: Catalog, vendor_id: str, window: str, model: str | None = None) -> Figures:
    """Pages, badges and open data all ask for the same figures; each is computed once per catalog,
    and under `mkdocs serve` kept while the vendor's incidents, coverage and the reference time are."""
    return catalog.memo(
        ("figures", vendor_id, window, model),
        lambda: _vendor_figures(catalog, vendor_id, window, model),
        catalog.vendor_scope(vendor_id),
    )


def life_start(catalog: Catalog, vendor_id: str, model_id: str) -> datetime | None:
    """Where a model's life begins: its sourced release day, else the first incident that names it."""
    vendor = catalog.registry.vendor(vendor_id)
    info = vendor.models.get(model_id) if vendor else None
    if info is not None and info.released is not None:
        return release_start(info.released)
    return min((i.start for i in catalog.for_vendor(vendor_id) if model_id in i.models), default=None)


def scoped(catalog: Catalog, vendor_id: str, model: str | None) -> tuple[tuple[Incident, ...], list[Interval]]:
    """The incidents and covered spans a vendor's or a model's figures rest on. A model's are cut to its
    life: nothing before its release is counted on its page, and no time before it is covered for it."""
    spans = catalog.coverage.spans(vendor_id)
    if model is None:
        return catalog.for_vendor(vendor_id), spans
    incidents = catalog.for_model(vendor_id, model)
    born = life_start(catalog, vendor_id, model)
    if born is None:
        return incidents, spans
    far = max([catalog.now, *(end for _, end in spans)])
    return tuple(i for i in incidents if i.start >= born), clip(spans, Window(born, max(born, far)))


def life(catalog: Catalog, vendor_id: str, model: str | None) -> tuple[tuple[Incident, ...], list[Interval]]:
    """`scoped`, once per catalog."""
    return catalog.memo(("scoped", vendor_id, model), lambda: scoped(catalog, vendor_id, model))


def model_incidents(catalog: Catalog, vendor_id: str, model: str | None) -> tuple[Incident, ...]:
    """What a vendor or model page lists and charts: for a model, its life only."""
    return life(catalog, vendor_id, model)[0]


def headline_window(catalog: Catalog, vendor_id: str) -> Window:
    """The last 365 covered days; an empty window at the reference time for a vendor never watched."""
    return latest_year(catalog.coverage.spans(vendor_id), catalog.now) or Window(catalog.now, catalog.now)


def _vendor_figures(catalog: Catalog, vendor_id: str, window: str, model: str | None) -> Figures:
    """Counts, durations and impacted time rest on the incidents that start inside covered time, so no
    figure mixes watched and unwatched time: a window nobody watched has no figures, not low ones."""
    incidents, spans = life(catalog, vendor_id, model)
    if window == HEADLINE_WINDOW:
        chosen = headline_window(catalog, vendor_id)
    else:
        starts = [i.start for i in incidents]
        tracked = spans[0][0] if spans else None
        first = min([*starts, *([tracked] if tracked else [])], default=None)
        chosen = window_for(window, catalog.now, first)
    region = covered_part(spans, chosen)
    return figures([i for i in incidents if starts_in(i, region)], chosen, catalog.now, spans)


@dataclass(frozen=True)
class Headline:
    """The first-screen answers for a vendor or a model, over the last 365 covered days."""

    window: Window
    coverage_end: datetime | None
    # Per product class (api, chat, coding): severe incidents on the whole product, and how many registry
    # products the class has (0: the vendor offers nothing of that class, or the registry names none).
    classes: dict[str, Availability]
    products: dict[str, int]
    # Records naming no product, counted for the vendor's default class.
    from_default: int
    rates: dict[str, Rate]
    model: Availability | None = None
    life_start: datetime | None = None


def common_window(catalog: Catalog, vendor_ids: list[str]) -> Window | None:
    """The last 365 days of the time every given vendor was covered, or None when they never overlap."""
    region = [span for v in vendor_ids[:1] for span in catalog.coverage.spans(v)]
    for vendor_id in vendor_ids[1:]:
        region = [part for lo, hi in catalog.coverage.spans(vendor_id) for part in clip(region, Window(lo, hi))]
    return latest_year(region, catalog.now) if region else None


def vendor_headline(
    catalog: Catalog, vendor_id: str, model: str | None = None, window: Window | None = None
) -> Headline:
    """The headline over `window`, by default the vendor's own last 365 covered days."""
    return catalog.memo(
        ("headline", vendor_id, model, window),
        lambda: _vendor_headline(catalog, vendor_id, model, window or headline_window(catalog, vendor_id)),
        catalog.vendor_scope(vendor_id),
    )


def _vendor_headline(catalog: Catalog, vendor_id: str, model: str | None, window: Window) -> Headline:
    vendor = catalog.registry.vendors[vendor_id]
    incidents, spans = life(catalog, vendor_id, model)
    now = catalog.now
    products = {cls: sum(1 for c in vendor.product_classes.values() if c == cls) for cls in HEADLINE_CLASSES}
    # A class the vendor offers nothing of has no figure (not a perfect one).
    offered = [cls for cls in HEADLINE_CLASSES if products[cls] or vendor.default_class == cls]
    classes = {} if model else {
        cls: class_availability(incidents, catalog.classes_of, cls, spans, window, now) for cls in offered
    }  # fmt: skip
    born = life_start(catalog, vendor_id, model) if model else None
    if born is not None and born > window.start:
        window = Window(min(born, window.end), window.end)
    found = rates(incidents, catalog.classes_of, spans, window, now)
    return Headline(
        window=window,
        coverage_end=catalog.coverage.last_end(vendor_id),
        classes=classes,
        products=products,
        from_default=sum(1 for i in incidents if not i.products),
        rates={kind: r for kind, r in found.items() if kind in RATE_KINDS or kind.removeprefix("severe_") in offered},
        model=model_availability(incidents, model, born, spans, window, now) if model else None,
        life_start=born,
    )


def basis_dict(basis: Basis, date_only: str = "date_only_left_out") -> dict[str, Any]:
    """What a figure rests on; time figures leave date-only incidents out, rates count them in."""
    return {
        "n": basis.incidents,
        date_only: basis.date_only,
        "covered_seconds": basis.covered_seconds,
        "partial": basis.partial,
        "window_start": iso(basis.window.start),
        "window_end": iso(basis.window.end),
    }


def availability_dict(result: Availability) -> dict[str, Any]:
    return {
        "availability": result.value,
        "weighted_availability": result.weighted,
        "severe_seconds": result.severe_seconds,
        "critical_seconds": result.critical_seconds,
        **basis_dict(result.basis),
    }


def rate_dict(result: Rate) -> dict[str, Any]:
    return {
        "per_30_days": result.per_30d,
        "low": result.low,
        "high": result.high,
        "episodes": result.episodes,
        **basis_dict(result.basis, "date_only_included"),
    }


def headline_dict(result: Headline) -> dict[str, Any]:
    """JSON-ready headline: every figure with its n, covered seconds and window dates."""
    rows: dict[str, Any] = {
        "window_start": iso(result.window.start),
        "window_end": iso(result.window.end),
        "coverage_end": iso(result.coverage_end) if result.coverage_end else None,
        "rates": {kind: rate_dict(r) for kind, r in result.rates.items()},
    }
    if result.model is not None:
        rows["life_start"] = iso(result.life_start) if result.life_start else None
        rows["model_availability"] = availability_dict(result.model)
    else:
        rows["classes"] = {
            cls: {**availability_dict(a), "products": result.products[cls]} for cls, a in result.classes.items()
        }
        rows["records_without_products"] = result.from_default
    return rows


def figures_dict(result: Figures) -> dict[str, Any]:
    """JSON-ready figures: seconds for durations, ISO 8601 UTC for times, shares 0-1."""
    return {
        "window_start": iso(result.window.start),
        "window_end": iso(result.window.end),
        "incidents": result.incidents,
        "by_impact": result.by_impact,
        "ongoing": result.ongoing,
        "impacted_seconds": result.impacted_seconds,
        "impacted_seconds_by_impact": result.impacted_seconds_by_impact,
        "severe_seconds": result.severe_seconds,
        "estimated_availability": result.availability,
        "largest_severe_id": result.largest_severe_id,
        "estimated_availability_without_largest": result.availability_without_largest,
        "median_seconds": result.median_seconds,
        "p90_seconds": result.p90_seconds,
        "mean_seconds": result.mean_seconds,
        "longest_id": result.longest_id,
        "longest_seconds": result.longest_seconds,
        "resolved_within_2h": result.resolved_within_2h,
        "resolved_count": result.resolved_count,
        "last_start": iso(result.last_start) if result.last_start else None,
        "seconds_since_last": result.seconds_since_last,
        "by_symptom": result.by_symptom,
        "unacknowledged": result.unacknowledged,
        "untracked_seconds": result.untracked_seconds,
        "covered_seconds": result.covered_seconds,
        "partial": result.partial,
        "degraded_seconds": result.degraded_seconds,
        "date_only": result.date_only,
        "unconfirmed": result.unconfirmed,
        "by_evidence": result.by_evidence,
        "severe_covered_seconds": result.severe_covered_seconds,
        "covered_until": iso(result.covered_until) if result.covered_until else None,
        "episodes": result.episodes,
        "episode_median_seconds": result.episode_median_seconds,
        "episode_p90_seconds": result.episode_p90_seconds,
        "severe_covered_seconds_without_largest": result.severe_covered_without_largest,
    }


def stats_report(catalog: Catalog, vendor: str | None, model: str | None, window: str) -> dict[str, Any]:
    """What `incident-ledger stats --format json` prints."""
    vendors = [vendor] if vendor else catalog.vendor_ids()
    launches = launch_report.all_launches(catalog)
    rows = []
    for vendor_id in vendors:
        entry: dict[str, Any] = {"vendor": vendor_id, **figures_dict(vendor_figures(catalog, vendor_id, window))}
        entry["headline"] = headline_dict(vendor_headline(catalog, vendor_id))
        entry.update(launch_report.vendor_entry(catalog, vendor_id, launches))
        if vendor:
            models = [model] if model else catalog.models_with_incidents(vendor_id)
            entry["models"] = [
                {
                    "model": m,
                    **figures_dict(vendor_figures(catalog, vendor_id, window, m)),
                    "headline": headline_dict(vendor_headline(catalog, vendor_id, m)),
                }
                for m in models
            ]
        rows.append(entry)
    return {
        "reference_time": iso(catalog.now),
        "window": window,
        "units": {**UNITS, "release_windows": launch_report.LAUNCH_UNITS},
        "launches": launch_report.overall_dict(catalog),
        "launch_answer": answer_dict(launch_answer(catalog)),
        "vendors": rows,
    }
