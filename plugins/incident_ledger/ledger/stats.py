"""Statistics over incident intervals: pure functions, no I/O, exact definitions.

Windows are half-open [start, end) in UTC. Impacted time is the length of the
union of intervals, so overlapping incidents are never counted twice. An
ongoing incident lasts until the reference time `now`.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from .evidence import CLASSES, confirmed
from .model import IMPACTS, Incident

Interval = tuple[datetime, datetime]
MEAN_MIN_SAMPLE = 20
QUICK_FIX = timedelta(hours=2)
WINDOWS: dict[str, int | None] = {"30d": 30, "90d": 90, "365d": 365, "all": None}
WINDOW_NAMES = tuple(WINDOWS)
SEVERE = ("major", "critical")


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return max(0.0, (self.end - self.start).total_seconds())


def interval(incident: Incident, now: datetime) -> Interval:
    """The incident's [start, end) interval, ongoing ones running up to `now`."""
    end = incident.end if incident.end is not None else max(now, incident.start)
    return incident.start, end


def duration_seconds(incident: Incident, now: datetime) -> float | None:
    """Whole-incident duration; None when only the dates are known (unknown, never zero)."""
    if incident.date_only:
        return None
    start, end = interval(incident, now)
    return (end - start).total_seconds()


def timed(incidents: Iterable[Incident]) -> list[Incident]:
    """Incidents whose times are known to the hour or minute: the ones durations and impacted time use."""
    return [i for i in incidents if not i.date_only]


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Merge overlapping or touching intervals into a sorted, disjoint list."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def episode_spans(intervals: Iterable[Interval]) -> list[Interval]:
    """Maximal groups of intervals that overlap (touching is not overlapping), each as its whole span:
    one event posted as five per-model records is one episode."""
    groups: list[Interval] = []
    for start, end in sorted(intervals):
        if groups and start < groups[-1][1]:
            groups[-1] = (groups[-1][0], max(groups[-1][1], end))
        else:
            groups.append((start, end))
    return groups


def clip(intervals: Iterable[Interval], window: Window) -> list[Interval]:
    """The parts of each interval that fall inside the half-open window."""
    result = []
    for start, end in intervals:
        lo, hi = max(start, window.start), min(end, window.end)
        if lo < hi:
            result.append((lo, hi))
    return result


def merged_seconds(merged: Sequence[Interval], window: Window) -> float:
    """Seconds of a sorted, disjoint list (from `union`) inside the window; bisection skips what ends before it.

    Nothing inside gives the integer 0, as `sum` does: published figures keep their JSON form.
    """
    total: float = 0
    if window.end <= window.start:
        return total
    for index in range(bisect.bisect_right(merged, window.start, key=lambda span: span[1]), len(merged)):
        start, end = merged[index]
        if start >= window.end:
            break
        total += (min(end, window.end) - max(start, window.start)).total_seconds()
    return total


def total_seconds(intervals: Iterable[Interval]) -> float:
    return sum((end - start).total_seconds() for start, end in intervals)


def impacted_seconds(intervals: Iterable[Interval], window: Window) -> float:
    """Length of the union of the intervals inside the window."""
    return merged_seconds(union(intervals), window)


def intersects(span: Interval, window: Window) -> bool:
    """Half-open overlap; an instantaneous incident counts where it happens."""
    start, end = span
    if start == end:
        return window.start <= start < window.end
    return start < window.end and end > window.start


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolation percentile (the common "type 7"); None for no data."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def window_for(name: str, now: datetime, first: datetime | None) -> Window:
    """The named window ending at `now`; `all` starts at the first incident (or is empty)."""
    days = WINDOWS[name]
    if days is None:
        return Window(first or now, now)
    return Window(now - timedelta(days=days), now)


@dataclass(frozen=True)
class Figures:
    """Every headline figure for one set of incidents in one window."""

    window: Window
    incidents: int
    by_impact: dict[str, int]
    ongoing: int
    impacted_seconds: float
    impacted_seconds_by_impact: dict[str, float]
    severe_seconds: float
    availability: float | None
    median_seconds: float | None
    p90_seconds: float | None
    mean_seconds: float | None
    longest_id: str | None
    longest_seconds: float | None
    resolved_within_2h: float | None
    resolved_count: int
    last_start: datetime | None
    seconds_since_last: float | None
    by_symptom: dict[str, int] = field(default_factory=dict)
    unacknowledged: int = 0
    untracked_seconds: float = 0.0
    covered_seconds: float = 0.0
    degraded_seconds: float = 0.0
    date_only: int = 0
    unconfirmed: int = 0
    by_evidence: dict[str, int] = field(default_factory=dict)
    # The incident with the most major or critical time inside covered time, and the availability
    # without it: how far the estimate rests on one event.
    largest_severe_id: str | None = None
    availability_without_largest: float | None = None
    # Severe hours of anything: seconds of covered time in which something the vendor offers had a major or
    # critical incident, and the same without the largest one.
    severe_covered_seconds: float = 0.0
    severe_covered_without_largest: float | None = None
    # Where the covered part of the window ends: a "last 365 days" whose coverage stopped months ago says so.
    covered_until: datetime | None = None
    # The same durations per episode (overlapping records merged), so granular posting does not skew them.
    episodes: int = 0
    episode_median_seconds: float | None = None
    episode_p90_seconds: float | None = None

    @property
    def partial(self) -> bool:
        """Coverage does not span the whole window, so counts and durations may miss incidents."""
        return self.untracked_seconds > 0


def figures(
    incidents: Sequence[Incident],
    window: Window,
    now: datetime,
    covered: Sequence[Interval] = (),
) -> Figures:
    """Compute the figures for the incidents that intersect `window`.

    Every figure rests on confirmed incidents (vendor or press evidence); the others are only
    counted, by evidence. Durations (median, p90, mean, longest) are whole-incident durations;
    impacted time counts only the part inside the window and leaves informational (`none`) notices
    out; date-only incidents count as incidents but have no duration. Availability uses covered
    time only, in numerator and denominator, and is None when the window has no covered time.
    """
    spans = {i.id: interval(i, now) for i in incidents}
    touching = [i for i in incidents if intersects(spans[i.id], window)]
    inside = confirmed(touching)
    known = timed(inside)
    durations = [(spans[i.id][1] - spans[i.id][0]).total_seconds() for i in known]
    by_level = {level: impacted_seconds((spans[i.id] for i in known if i.impact == level), window) for level in IMPACTS}
    severe = [i for i in known if i.impact in SEVERE]
    severe_spans = [spans[i.id] for i in severe]
    counted = clip(union(covered), window)
    covered_seconds = total_seconds(counted)

    def severe_covered_by(chosen: Iterable[Interval]) -> float:
        merged = union(chosen)
        return sum(merged_seconds(merged, Window(lo, hi)) for lo, hi in counted)

    severe_covered = severe_covered_by(severe_spans)
    own = {i.id: severe_covered_by([spans[i.id]]) for i in severe}
    largest = max((key for key in own if own[key] > 0), key=lambda key: (own[key], key), default=None)
    without = severe_covered_by(spans[i.id] for i in severe if i.id != largest) if largest else None
    grouped = [(end - start).total_seconds() for start, end in episode_spans(spans[i.id] for i in known)]
    resolved = [d for i, d in zip(known, durations, strict=True) if not i.ongoing]
    longest = max(zip(durations, (i.id for i in known), strict=False), default=None)
    last = max((i.start for i in inside), default=None)
    symptoms = Counter(s for i in inside for s in i.symptoms)
    evidence = Counter(i.evidence or "unclassified" for i in touching)
    return Figures(
        window=window,
        incidents=len(inside),
        by_impact={level: sum(1 for i in inside if i.impact == level) for level in IMPACTS},
        ongoing=sum(1 for i in inside if i.ongoing),
        impacted_seconds=impacted_seconds((spans[i.id] for i in known if i.impact != "none"), window),
        impacted_seconds_by_impact=by_level,
        severe_seconds=impacted_seconds(severe_spans, window),
        availability=(1 - severe_covered / covered_seconds) if covered_seconds > 0 else None,
        median_seconds=percentile(durations, 0.5),
        p90_seconds=percentile(durations, 0.9),
        mean_seconds=(sum(durations) / len(durations)) if len(durations) >= MEAN_MIN_SAMPLE else None,
        longest_id=longest[1] if longest else None,
        longest_seconds=longest[0] if longest else None,
        resolved_within_2h=(sum(d <= QUICK_FIX.total_seconds() for d in resolved) / len(resolved))
        if resolved
        else None,
        resolved_count=len(resolved),
        last_start=last,
        seconds_since_last=(now - last).total_seconds() if last else None,
        by_symptom=dict(sorted(symptoms.items())),
        unacknowledged=sum(1 for i in inside if not i.acknowledged),
        untracked_seconds=max(0.0, window.seconds - covered_seconds),
        covered_seconds=covered_seconds,
        degraded_seconds=by_level["minor"],
        date_only=len(inside) - len(known),
        unconfirmed=len(touching) - len(inside),
        by_evidence={cls: evidence[cls] for cls in (*CLASSES, "unclassified") if evidence[cls]},
        largest_severe_id=largest,
        availability_without_largest=None if without is None else 1 - without / covered_seconds,
        severe_covered_seconds=severe_covered,
        severe_covered_without_largest=without,
        covered_until=counted[-1][1] if counted else None,
        episodes=len(grouped),
        episode_median_seconds=percentile(grouped, 0.5),
        episode_p90_seconds=percentile(grouped, 0.9),
    )


def daily_worst(
    incidents: Sequence[Incident], now: datetime, days: int, covered: Sequence[Interval] = ()
) -> list[tuple[date, str | None, bool]]:
    """For each of the last `days` UTC days (oldest first): the worst impact that touched it, and whether
    coverage reached into that day (a quiet untracked day is unknown, not good)."""
    today = now.astimezone(UTC).date()
    first = today - timedelta(days=days - 1)
    rank = {level: index for index, level in enumerate(IMPACTS)}
    worst: dict[date, str] = {}
    for incident in incidents:
        start, end = interval(incident, now)
        day = max(start.date(), first)
        last = min((end - timedelta(microseconds=1)).date() if end > start else start.date(), today)
        while day <= last:
            current = worst.get(day)
            if current is None or rank[incident.impact] > rank[current]:
                worst[day] = incident.impact
            day += timedelta(days=1)
    spans = union(covered)
    rows = []
    for n in range(days):
        day = first + timedelta(days=n)
        begin = datetime(day.year, day.month, day.day, tzinfo=UTC)
        tracked = bool(clip(spans, Window(begin, min(begin + timedelta(days=1), max(now, begin)))))
        rows.append((day, worst.get(day), tracked))
    return rows


def month_starts(now: datetime, months: int) -> list[datetime]:
    """First instants of the last `months` calendar months, oldest first, the current one included."""
    year, month = now.year, now.month
    result = []
    for _ in range(months):
        result.append(datetime(year, month, 1, tzinfo=UTC))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return result[::-1]


def monthly(
    incidents: Sequence[Incident], now: datetime, months: int, covered: Sequence[Interval] | None = None
) -> list[tuple[datetime, int | None, float | None]]:
    """Per month: incidents that started in it, and impacted seconds (union) inside it.

    With `covered`, only incidents that start in covered time count, and a month with no covered
    time gives None for both: not tracked, never 0.
    """
    starts = month_starts(now, months)
    bounds = [*starts[1:], now]
    spans = union(interval(i, now) for i in incidents)
    watched = None if covered is None else union(covered)
    rows: list[tuple[datetime, int | None, float | None]] = []
    for begin, end in zip(starts, bounds, strict=True):
        window = Window(begin, max(begin, end))
        parts = [(window.start, window.end)] if watched is None else clip(watched, window)
        if not parts:
            rows.append((begin, None, None))
            continue
        count = sum(1 for i in incidents if any(lo <= i.start < hi for lo, hi in parts))
        rows.append((begin, count, sum(merged_seconds(spans, Window(lo, hi)) for lo, hi in parts)))
    return rows
