"""The Launches page's answer for the catalog: the self-controlled comparison, its checks and the verdict.

One computation for the page, the CLI and open data; pure, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .catalog import Catalog
from .evidence import confirmed
from .launch_report import all_launches, observed, pooled_launches, ratio_dict, releases, taking_part
from .launches import LaunchComparison, compare, release_window, rest_of, within
from .rates import RateRatio, Stratum, exact_ratio, mantel_haenszel
from .self_controlled import (
    DAYS,
    PLACEBO_SHIFTS,
    Event,
    Placebo,
    SelfControlled,
    events,
    month_strata,
    ratio_of_ratios,
    self_controlled,
)


@dataclass(frozen=True)
class LaunchAnswer:
    events: tuple[Event, ...]
    named: SelfControlled
    vendor_wide: SelfControlled
    released_events: int
    released_table: tuple[int, int, int, int]
    released: RateRatio
    crude: RateRatio
    by_vendor: RateRatio
    by_vendor_month: RateRatio
    placebo: Placebo
    verdict: str


def catalog_events(catalog: Catalog) -> list[Event]:
    """Every vendor's release events that coverage brackets on both sides."""
    found: list[Event] = []
    for vendor_id in catalog.vendor_ids():
        dated = [(r.figures.released, r.model.id) for r in releases(catalog, vendor_id)]
        incidents = confirmed(catalog.for_vendor(vendor_id))
        found.extend(events(vendor_id, dated, incidents, catalog.coverage.spans(vendor_id), catalog.now))
    return found


def _named(catalog: Catalog, vendor_id: str) -> list[Any]:
    return [i for i in confirmed(catalog.for_vendor(vendor_id)) if i.models and not i.all_models]


def shifted(catalog: Catalog, shift: int) -> dict[str, LaunchComparison]:
    """The crude design's comparisons with every release date moved `shift` days later."""
    if shift == 0:
        return all_launches(catalog)
    return {
        v: compare(
            [r.figures.released + timedelta(days=shift) for r in releases(catalog, v)],
            _named(catalog, v),
            [i for i in confirmed(catalog.for_vendor(v)) if i.all_models],
            observed(catalog, v),
            catalog.now,
            DAYS,
        )
        for v in catalog.vendor_ids()
        if observed(catalog, v)
    }


def crude_design(catalog: Catalog) -> tuple[RateRatio, RateRatio, RateRatio]:
    """After-release windows against the rest of covered time: the plain ratio, the Mantel–Haenszel ratio
    by vendor, and by vendor and calendar month."""
    comparisons = all_launches(catalog)
    pooled = pooled_launches(comparisons)
    after, outside = pooled.after_release, pooled.outside
    crude = exact_ratio(Stratum(after.incidents, after.seconds, outside.incidents, outside.seconds))
    strata = []
    for vendor_id in taking_part(comparisons):
        seen = observed(catalog, vendor_id)
        days = [r.figures.released for r in releases(catalog, vendor_id)]
        inside = within([release_window(day, DAYS) for day in days], seen)
        strata.extend(month_strata(_named(catalog, vendor_id), inside, rest_of(inside, seen)))
    return crude, pooled.named, mantel_haenszel(strata)


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "not defined"
    return f"{low:.2f}–{'∞' if math.isinf(high) else f'{high:.2f}'}"


def verdict(named: SelfControlled, released: RateRatio, released_events: int) -> str:
    """ "More frequent" only when the self-controlled intervals lie above 1 and the released model's own
    comparison does too; "less frequent" only when both lie below 1; otherwise the data cannot tell."""
    if named.ratio is None:
        return "The data cannot compare these yet: no release has covered time on both sides with an incident."
    figure = (
        f"incidents naming a model were {named.ratio:.2f} times as frequent in the {DAYS} days after a release "
        f"as in the {DAYS} days before it (95 % interval {_interval(named.bootstrap_low, named.bootstrap_high)} "
        f"by bootstrap over releases, {_interval(named.exact.low, named.exact.high)} exact; {named.events} "
        f"releases, {named.after} incidents after and {named.before} before)"
    )
    own = (
        f"the released model itself: {released.ratio:.2f} ({_interval(released.low, released.high)}, "
        f"{released_events} releases)"
        if released.ratio is not None
        else "the released model's own comparison is not defined yet"
    )
    released_above = released.low is not None and released.low > 1
    released_below = released.high is not None and released.high < 1
    if named.above_one and released_above:
        return f"Incidents are more frequent after launches: {figure}; {own}."
    if named.below_one and released_below:
        return f"Incidents are less frequent after launches: {figure}; {own}."
    return f"The data cannot tell the rates apart once growth over time is allowed for: {figure}; {own}."


def launch_answer(catalog: Catalog) -> LaunchAnswer:
    return catalog.memo(("launch-answer",), lambda: _launch_answer(catalog))


def _launch_answer(catalog: Catalog) -> LaunchAnswer:
    found = catalog_events(catalog)
    named = self_controlled([(e.after, e.before) for e in found])
    wide = self_controlled([(e.after_all, e.before_all) for e in found])
    table = [e.released for e in found if e.released is not None]
    totals, released = ratio_of_ratios(table)
    crude, by_vendor, by_month = crude_design(catalog)
    placebo = Placebo(
        PLACEBO_SHIFTS, tuple(pooled_launches(shifted(catalog, shift)).named.ratio for shift in PLACEBO_SHIFTS)
    )
    return LaunchAnswer(
        events=tuple(found),
        named=named,
        vendor_wide=wide,
        released_events=len(table),
        released_table=totals,
        released=released,
        crude=crude,
        by_vendor=by_vendor,
        by_vendor_month=by_month,
        placebo=placebo,
        verdict=verdict(named, released, len(table)),
    )


def self_controlled_dict(result: SelfControlled) -> dict[str, Any]:
    return {
        "events": result.events,
        "after": result.after,
        "before": result.before,
        "exact": ratio_dict(result.exact),
        "bootstrap_low": result.bootstrap_low,
        "bootstrap_high": None if result.bootstrap_high is None or math.isinf(result.bootstrap_high) else
        result.bootstrap_high,
    }  # fmt: skip


def answer_dict(answer: LaunchAnswer) -> dict[str, Any]:
    """JSON-ready: every ratio with what it rests on, and the events themselves."""
    x1, x2, y1, y2 = answer.released_table
    return {
        "design": f"self-controlled: {DAYS} days after vs {DAYS} days before each release event, counted by start",
        "verdict": answer.verdict,
        "named": self_controlled_dict(answer.named),
        "vendor_wide": self_controlled_dict(answer.vendor_wide),
        "released_model": {
            "events": answer.released_events,
            "released_days_0_29": x1,
            "released_days_30_89": x2,
            "others_days_0_29": y1,
            "others_days_30_89": y2,
            "ratio_of_ratios": ratio_dict(answer.released),
        },
        "sensitivity": {
            "crude": ratio_dict(answer.crude),
            "mantel_haenszel_by_vendor": ratio_dict(answer.by_vendor),
            "mantel_haenszel_by_vendor_and_month": ratio_dict(answer.by_vendor_month),
        },
        "placebo": {
            "shift_days": list(answer.placebo.shifts),
            "mantel_haenszel_by_vendor": list(answer.placebo.ratios),
            "median": answer.placebo.median,
        },
        "events": [
            {
                "vendor": e.vendor,
                "day": e.day.isoformat(),
                "models": list(e.models),
                "after": e.after,
                "before": e.before,
                "after_all": e.after_all,
                "before_all": e.before_all,
            }
            for e in answer.events
        ],
    }
