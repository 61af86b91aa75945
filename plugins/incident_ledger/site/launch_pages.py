"""What the pages show about releases: markers, a model's release section and the Launches page data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from ..ledger.catalog import Catalog
from ..ledger.launch_answer import LaunchAnswer, launch_answer
from ..ledger.launch_report import (
    Pooled,
    Release,
    all_launches,
    model_release,
    pooled_launches,
    releases,
    sensitivity,
    taking_part,
    untracked,
)
from ..ledger.launches import LAUNCH_DAYS, days_after, release_start
from ..ledger.model import Incident
from ..ledger.rates import RateRatio
from ..ledger.self_controlled import RESAMPLES
from . import charts, links


def paged_models(catalog: Catalog, vendor_id: str) -> list[str]:
    """Models with a page: those an incident names and every model with a sourced release date."""
    named = catalog.models_with_incidents(vendor_id)
    own = catalog.registry.vendors[vendor_id].own_models().values()
    dated = [m.id for m in own if m.released and m.id not in named]
    return [*named, *dated]


def model_page(catalog: Catalog, vendor_id: str, model_id: str) -> str | None:
    """The model's page source, when it has one."""
    return links.model_src(vendor_id, model_id) if model_id in paged_models(catalog, vendor_id) else None


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


def _forest_rows(answer: LaunchAnswer, crude: Pooled) -> list[charts.ForestRow]:
    """The answer first, then its checks and the sensitivity rows, each with the counts it rests on."""
    named, wide = answer.named, answer.vendor_wide
    x1, x2, y1, y2 = answer.released_table
    counts = f"n = {crude.after_release.incidents} / {crude.outside.incidents}"

    def row(label: str, ratio: RateRatio, note: str) -> charts.ForestRow:
        return charts.ForestRow(label, ratio.ratio, ratio.low, ratio.high, note)

    return [
        charts.ForestRow(
            "After vs before, naming a model", named.ratio, named.bootstrap_low, named.bootstrap_high,
            f"n = {named.after} / {named.before}, {named.events} releases",
        ),
        charts.ForestRow(
            "After vs before, model: all", wide.ratio, wide.bootstrap_low, wide.bootstrap_high,
            f"n = {wide.after} / {wide.before}",
        ),
        row("Released model (ratio of ratios)", answer.released, f"n = {x1}/{x2} vs {y1}/{y2}"),
        row("Crude: after vs the rest", answer.crude, counts),
        row("Crude, by vendor (M–H)", answer.by_vendor, counts),
        row("Crude, by vendor and month", answer.by_vendor_month, counts),
    ]  # fmt: skip


def launches_context(catalog: Catalog, vendor_name: Callable[[str], str]) -> dict[str, Any]:
    """Everything the Launches page shows: per-vendor comparisons over covered time, the stratified pooled
    ratio with its verdict and sensitivity, the vendors left out, the chart and the releases."""
    comparisons = all_launches(catalog)
    parts = taking_part(comparisons)
    result = pooled_launches(comparisons)
    answer = launch_answer(catalog)
    chart = charts.ratio_forest(
        "launches",
        f"Rate ratios of incidents, {LAUNCH_DAYS} days after a release vs the {LAUNCH_DAYS} days before it, "
        "and the crude comparisons (log scale)",
        answer.verdict,
        _forest_rows(answer, result),
    )
    unsourced = [
        model
        for vendor_id in catalog.vendor_ids()
        for model in catalog.registry.vendors[vendor_id].own_models().values()
        if model.released is None
    ]
    return {
        "comparisons": comparisons,
        "parts": parts,
        "pooled": result,
        "verdict": answer.verdict,
        "answer": answer,
        "resamples": RESAMPLES,
        "sensitivity": sensitivity(catalog),
        "untracked": untracked(catalog),
        "chart": chart if answer.events else None,
        "releases": release_rows(catalog, catalog.vendor_ids()),
        "unknown": [m for m in unsourced if m.release_status == "unknown"],
        "not_released": [m for m in unsourced if m.release_status == "not-released"],
    }
