"""Release windows: how incidents fall in the days after a model's release. Pure functions, no I/O.

A release window is the half-open interval [release day 00:00 UTC, + N days), cut at the reference
time. Several windows form a *region*: a sorted, disjoint list of intervals, so that overlapping
releases are counted once and "outside the windows" is simply the rest of the observed period.
The observed period is itself a region: the vendor's covered time, so that a rate never counts
time nobody watched.
An incident counts in a region when its interval intersects it (stats.intersects), so one that
straddles a boundary counts on both sides; impacted time counts only the part inside.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from .model import Incident
from .rates import RateRatio, Stratum, exact_ratio
from .stats import Interval, Window, clip, intersects, interval, merged_seconds, total_seconds, union

LAUNCH_DAYS = 30
EARLY_DAYS = 7
WEEK_SECONDS = 7 * 86400.0
DAY = timedelta(days=1)

Region = list[Interval]


def release_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def release_window(day: date, days: int) -> Window:
    start = release_start(day)
    return Window(start, start + timedelta(days=days))


def region(windows: Iterable[Window], within: Window) -> Region:
    """The union of the windows, clipped to `within`."""
    return clip(union((w.start, w.end) for w in windows if w.end > w.start), within)


def within(windows: Iterable[Window], observed: Region) -> Region:
    """The union of the windows, cut to the observed region."""
    return [piece for start, end in observed for piece in region(windows, Window(start, end))]


def rest_of(inside: Region, observed: Region) -> Region:
    """The observed region without `inside` (a part of it)."""
    return [piece for start, end in observed for piece in outside(clip(inside, Window(start, end)), Window(start, end))]


def outside(inside: Region, within: Window) -> Region:
    """The parts of `within` that `inside` (sorted, disjoint, inside it) leaves uncovered."""
    rest: Region = []
    cursor = within.start
    for start, end in inside:
        if start > cursor:
            rest.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < within.end:
        rest.append((cursor, within.end))
    return rest


def span(incident: Incident, now: datetime) -> Interval:
    """The time an incident counts over; one known only by dates covers those whole UTC days."""
    start, end = interval(incident, now)
    if incident.time_precision == "day" and incident.end is not None:
        return start, end + DAY
    return start, end


def touches(span: Interval, area: Region) -> bool:
    """Whether the span intersects any piece of the region (only the first piece ending after its start can)."""
    index = bisect_right(area, span[0], key=lambda piece: piece[1])
    return index < len(area) and intersects(span, Window(*area[index]))


def days_after(released: date, moment: datetime) -> int:
    """Whole days from the release's 00:00 UTC to `moment`: 0 on release day, negative before it."""
    return math.floor((moment - release_start(released)) / DAY)


@dataclass(frozen=True)
class RegionFigures:
    """Incidents and impacted time in a region, with the region's length as the rates' denominator."""

    seconds: float
    incidents: int
    vendor_wide: int
    impacted_seconds: float
    timed: int

    def _per_week(self, value: float) -> float | None:
        return value / (self.seconds / WEEK_SECONDS) if self.seconds > 0 else None

    @property
    def incidents_per_week(self) -> float | None:
        return self._per_week(self.incidents)

    @property
    def vendor_wide_per_week(self) -> float | None:
        return self._per_week(self.vendor_wide)

    @property
    def impacted_hours_per_week(self) -> float | None:
        return self._per_week(self.impacted_seconds / 3600)


def region_figures(
    named: Sequence[Incident], vendor_wide: Sequence[Incident], area: Region, now: datetime
) -> RegionFigures:
    """Figures for the region: `named` incidents name a model, `vendor_wide` ones are `model: all`.

    Impacted time is the union of the named incidents' intervals inside the region; date-only
    incidents have no known duration, so they are counted but left out of it.
    """
    hit = [i for i in named if touches(span(i, now), area)]
    timed = [i for i in hit if i.time_precision != "day"]
    merged = union(interval(i, now) for i in timed)
    return RegionFigures(
        seconds=float(total_seconds(area)),
        incidents=len(hit),
        vendor_wide=sum(1 for i in vendor_wide if touches(span(i, now), area)),
        impacted_seconds=float(sum(merged_seconds(merged, Window(start, end)) for start, end in area)),
        timed=len(timed),
    )


def pooled(parts: Iterable[RegionFigures]) -> RegionFigures:
    """Several vendors' figures as one: counts, time and denominators added up."""
    items = list(parts)
    return RegionFigures(
        seconds=sum(p.seconds for p in items),
        incidents=sum(p.incidents for p in items),
        vendor_wide=sum(p.vendor_wide for p in items),
        impacted_seconds=sum(p.impacted_seconds for p in items),
        timed=sum(p.timed for p in items),
    )


@dataclass(frozen=True)
class ReleaseFigures:
    """One model's first 7 and 30 days after release next to the rest of its life (day 30 onward)."""

    released: date
    first_7d: RegionFigures
    first_30d: RegionFigures
    after_30d: RegionFigures
    before_release: int


def release_figures(
    released: date, named: Sequence[Incident], vendor_wide: Sequence[Incident], observed: Region, now: datetime
) -> ReleaseFigures:
    """`observed` is the covered time up to `now`; the model's life is the part of it from release on.
    A period with no covered time has no rate (it was never observed), whatever was recorded in it."""
    life = within([Window(release_start(released), now)], observed) if release_start(released) < now else []
    first_30d = within([release_window(released, LAUNCH_DAYS)], life)
    return ReleaseFigures(
        released=released,
        first_7d=region_figures(named, vendor_wide, within([release_window(released, EARLY_DAYS)], life), now),
        first_30d=region_figures(named, vendor_wide, first_30d, now),
        after_30d=region_figures(named, vendor_wide, rest_of(first_30d, life), now),
        before_release=sum(1 for i in named if i.start < release_start(released)),
    )


@dataclass(frozen=True)
class LaunchComparison:
    """A vendor's incidents in the days after any release against the rest of its covered time."""

    observed: Region
    days: int
    releases: int
    overlapping: int
    after_release: RegionFigures
    outside: RegionFigures

    @property
    def stratum(self) -> Stratum:
        """Incidents naming a model, after releases against outside."""
        return Stratum(self.after_release.incidents, self.after_release.seconds, self.outside.incidents,
                       self.outside.seconds)  # fmt: skip

    @property
    def vendor_wide_stratum(self) -> Stratum:
        return Stratum(self.after_release.vendor_wide, self.after_release.seconds, self.outside.vendor_wide,
                       self.outside.seconds)  # fmt: skip

    @property
    def ratio(self) -> RateRatio:
        return exact_ratio(self.stratum)

    @property
    def vendor_wide_ratio(self) -> RateRatio:
        return exact_ratio(self.vendor_wide_stratum)


def overlapping_releases(days: Sequence[date], length: int = LAUNCH_DAYS) -> int:
    """How many releases have a window that overlaps another release's window."""
    ordered = sorted(days)
    gaps = [(b - a).days < length for a, b in pairwise(ordered)]
    return sum(1 for n in range(len(ordered)) if (n > 0 and gaps[n - 1]) or (n < len(gaps) and gaps[n]))


def compare(
    releases: Sequence[date],
    named: Sequence[Incident],
    vendor_wide: Sequence[Incident],
    observed: Region,
    now: datetime,
    days: int = LAUNCH_DAYS,
) -> LaunchComparison:
    """Only releases whose window reaches the observed (covered) time take part."""
    windows = [release_window(day, days) for day in releases]
    kept = [day for day, window in zip(releases, windows, strict=True) if within([window], observed)]
    inside = within(windows, observed)
    return LaunchComparison(
        observed=observed,
        days=days,
        releases=len(kept),
        overlapping=overlapping_releases(kept, days),
        after_release=region_figures(named, vendor_wide, inside, now),
        outside=region_figures(named, vendor_wide, rest_of(inside, observed), now),
    )
