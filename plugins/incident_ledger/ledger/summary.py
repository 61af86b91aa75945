"""Per-vendor and per-model figures: one computation for pages, the CLI and open data."""

from __future__ import annotations

from typing import Any

from . import launch_report
from .catalog import Catalog
from .stats import Figures, figures, window_for
from .timeutil import iso

UNITS = {
    "incidents": "count of confirmed (vendor or press evidence) incidents whose interval intersects the window",
    "by_impact": "counts per impact level",
    "ongoing": "count of incidents still open at the reference time",
    "impacted_seconds": "seconds, length of the union of incident intervals inside the window",
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
}


def vendor_figures(catalog: Catalog, vendor_id: str, window: str, model: str | None = None) -> Figures:
    """Pages, badges and open data all ask for the same figures; each is computed once per catalog,
    and under `mkdocs serve` kept while the vendor's incidents, coverage and the reference time are."""
    return catalog.memo(
        ("figures", vendor_id, window, model),
        lambda: _vendor_figures(catalog, vendor_id, window, model),
        catalog.vendor_scope(vendor_id),
    )


def _vendor_figures(catalog: Catalog, vendor_id: str, window: str, model: str | None) -> Figures:
    incidents = catalog.for_model(vendor_id, model) if model else catalog.for_vendor(vendor_id)
    starts = [i.start for i in incidents]
    tracked = catalog.coverage.first(vendor_id)
    first = min([*starts, *([tracked] if tracked else [])], default=None)
    return figures(incidents, window_for(window, catalog.now, first), catalog.now, catalog.coverage.spans(vendor_id))


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
    }


def stats_report(catalog: Catalog, vendor: str | None, model: str | None, window: str) -> dict[str, Any]:
    """What `incident-ledger stats --format json` prints."""
    vendors = [vendor] if vendor else catalog.vendor_ids()
    launches = launch_report.all_launches(catalog)
    rows = []
    for vendor_id in vendors:
        entry: dict[str, Any] = {"vendor": vendor_id, **figures_dict(vendor_figures(catalog, vendor_id, window))}
        entry.update(launch_report.vendor_entry(catalog, vendor_id, launches))
        if vendor:
            models = [model] if model else catalog.models_with_incidents(vendor_id)
            entry["models"] = [
                {"model": m, **figures_dict(vendor_figures(catalog, vendor_id, window, m))} for m in models
            ]
        rows.append(entry)
    return {
        "reference_time": iso(catalog.now),
        "window": window,
        "units": {**UNITS, "release_windows": launch_report.LAUNCH_UNITS},
        "launches": launch_report.overall_dict(catalog),
        "vendors": rows,
    }
