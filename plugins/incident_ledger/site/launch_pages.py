"""What the pages show about releases: markers, a model's release section and the Launches page data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from . import charts
from . import links
from ..ledger.catalog import Catalog
from ..ledger.launch_report import Release, all_launches, model_release, overall, releases
from ..ledger.launches import days_after, release_start
from ..ledger.model import Incident


def model_page(catalog: Catalog, vendor_id: str, model_id: str) -> str | None:
    """The model's page source, when it has one (only models named by an incident do)."""
    return links.model_src(vendor_id, model_id) if model_id in catalog.models_with_incidents(vendor_id) else None


def release_rows(catalog: Catalog, vendor_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Dated releases of the given vendors, oldest first, with where to link them."""
    rows = [
        {"release": r, "page": model_page(catalog, r.vendor, r.model.id) or links.vendor_src(r.vendor)}
        for vendor_id in vendor_ids
        for r in releases(catalog, vendor_id)
    ]
    return sorted(rows, key=lambda row: (row["release"].figures.released, row["release"].vendor))


def chart_markers(labels: Sequence[str], rows: Sequence[Release]) -> list[tuple[int, str]]:
    """Markers for a monthly chart whose bars are labelled YYYY-MM; releases outside it are left out."""
    index = {label: n for n, label in enumerate(labels)}
    return [
        (index[f"{r.figures.released:%Y-%m}"], f"{r.model.name} released {r.figures.released.isoformat()}")
        for r in rows
        if f"{r.figures.released:%Y-%m}" in index
    ]


def timeline_months(catalog: Catalog, rows: list[dict[str, Any]]) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """Timeline entries by month, newest first: incident rows with release markers placed among them.

    Releases before the first recorded incident are left out, like months with nothing recorded.
    """
    months: dict[tuple[int, int], list[tuple[datetime, dict[str, Any]]]] = {}
    for row in rows:
        months.setdefault((row["incident"].start.year, row["incident"].start.month), []).append(
            (row["incident"].start, row)
        )
    first = min((r["incident"].start for r in rows), default=catalog.now)
    for marker in release_rows(catalog, catalog.vendor_ids()):
        start = release_start(marker["release"].figures.released)
        if start >= first:
            months.setdefault((start.year, start.month), []).append((start, marker))
    return {
        month: [entry for _, entry in sorted(items, key=lambda item: item[0], reverse=True)]
        for month, items in months.items()
    }


def model_section(catalog: Catalog, vendor_id: str, model_id: str, incidents: Sequence[Incident]) -> dict[str, Any]:
    """The model page's release section: the date, its source, the windows and each incident's day."""
    info = catalog.registry.vendors[vendor_id].models[model_id]
    figures = model_release(catalog, vendor_id, info)
    if figures is None:
        return {"info": info, "figures": None, "periods": [], "days": []}
    periods = [
        ("First 7 days", figures.first_7d),
        ("First 30 days", figures.first_30d),
        ("Day 30 onward", figures.after_30d),
    ]
    days = [(i, days_after(figures.released, i.start)) for i in incidents]
    return {"info": info, "figures": figures, "periods": periods, "days": days}


def launches_context(catalog: Catalog, vendor_name: Callable[[str], str]) -> dict[str, Any]:
    """Everything the Launches page shows: per-vendor comparisons, the pooled one, the chart, the releases."""
    comparisons = all_launches(catalog)
    after, rest = overall(comparisons)
    taking_part = [v for v, c in comparisons.items() if c.releases]
    groups = [vendor_name(v) for v in taking_part] + ["All of these vendors"]
    values = [
        (comparisons[v].after_release.incidents_per_week, comparisons[v].outside.incidents_per_week)
        for v in taking_part
    ]
    values.append((after.incidents_per_week, rest.incidents_per_week))
    desc = "; ".join(
        f"{group}: {_rate(a)} after a release, {_rate(b)} outside" for group, (a, b) in zip(groups, values, strict=True)
    )
    chart = charts.paired_bars(
        "launches",
        "Incidents naming a model per week: 30 days after a release vs outside those windows",
        desc,
        groups,
        ("30 days after a release", "Outside release windows"),
        values,
        "incidents per week",
    )
    unsourced = [
        (vendor_id, model)
        for vendor_id in catalog.vendor_ids()
        for model in catalog.registry.vendors[vendor_id].models.values()
        if model.released is None
    ]
    return {
        "comparisons": comparisons,
        "partial": [vendor_name(v) for v in taking_part if catalog.coverage.first(v) is None],
        "after": after,
        "rest": rest,
        "chart": chart if taking_part else None,
        "releases": release_rows(catalog, catalog.vendor_ids()),
        "unknown": [m for _, m in unsourced if m.release_status == "unknown"],
        "not_released": [m for _, m in unsourced if m.release_status == "not-released"],
    }


def _rate(value: float | None) -> str:
    return "no data" if value is None else f"{value:.2f}"
