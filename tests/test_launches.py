"""Release-window arithmetic: properties checked against brute force on a minute grid, and the boundaries."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from itertools import combinations, pairwise

from hypothesis import example, given
from hypothesis import strategies as st

from incident_ledger.ledger.launches import (
    LAUNCH_DAYS,
    compare,
    days_after,
    outside,
    overlapping_releases,
    region,
    region_figures,
    release_figures,
    release_start,
    release_window,
    touches,
)
from incident_ledger.ledger.model import Incident, Source
from incident_ledger.ledger.stats import Window, clip, interval, total_seconds, union
from incident_ledger.site import charts

BASE = datetime(2026, 1, 1, tzinfo=UTC)
GRID = 400  # minutes: small enough to check every minute, large enough for overlaps and gaps
minutes = st.integers(min_value=0, max_value=GRID)


def at(minute: int) -> datetime:
    return BASE + timedelta(minutes=minute)


def incident(n: int, start: datetime, end: datetime | None, precision: str = "minute", wide: bool = False) -> Incident:
    return Incident(
        id=f"2026-01-01-acme-{n}",
        path=f"incidents/2026/2026-01-01-acme-{n}.md",
        title="t",
        vendor="acme",
        models=() if wide else ("acme-large",),
        all_models=wide,
        start=start,
        end=end,
        impact="major",
        sources=(Source("https://status.acme.example.com/x"),),
        body="b",
        time_precision=precision,
    )


@st.composite
def windows(draw: st.DrawFn) -> list[Window]:
    pairs = draw(st.lists(st.tuples(minutes, minutes), max_size=5))
    return [Window(at(min(a, b)), at(max(a, b))) for a, b in pairs]


@st.composite
def spans(draw: st.DrawFn) -> tuple[int, int]:
    a, b = draw(minutes), draw(minutes)
    return min(a, b), max(a, b)


def minute_in(minute: int, pieces: list[tuple[datetime, datetime]]) -> bool:
    return any(lo <= at(minute) < hi for lo, hi in pieces)


def brute_touches(start: int, end: int, pieces: list[tuple[datetime, datetime]]) -> bool:
    """With whole-minute endpoints, two half-open intervals meet exactly when they share a whole minute."""
    if start == end:
        return minute_in(start, pieces)
    return any(minute_in(m, pieces) for m in range(start, end))


@given(windows(), spans())
def test_region_is_the_clipped_union(ws: list[Window], within_span: tuple[int, int]) -> None:
    within = Window(at(within_span[0]), at(within_span[1]))
    area = region(ws, within)
    for (_, end), (start, _) in pairwise(area):
        assert end < start  # sorted, disjoint and not touching
    assert all(within.start <= lo < hi <= within.end for lo, hi in area)
    for m in range(GRID + 1):
        expected = within.start <= at(m) < within.end and any(w.start <= at(m) < w.end for w in ws)
        assert minute_in(m, area) == expected


@given(windows(), spans())
def test_outside_is_the_rest_of_the_period(ws: list[Window], within_span: tuple[int, int]) -> None:
    within = Window(at(within_span[0]), at(within_span[1]))
    inside = region(ws, within)
    rest = outside(inside, within)
    assert total_seconds(inside) + total_seconds(rest) == within.seconds
    for m in range(within_span[0], within_span[1]):
        assert minute_in(m, inside) != minute_in(m, rest)


@given(windows(), spans())
def test_touches_matches_brute_force(ws: list[Window], span: tuple[int, int]) -> None:
    area = region(ws, Window(at(0), at(GRID)))
    assert touches((at(span[0]), at(span[1])), area) == brute_touches(*span, area)


@given(windows(), st.lists(spans(), max_size=8), st.lists(st.booleans(), min_size=8, max_size=8))
def test_counts_and_impacted_time_split_cleanly(
    ws: list[Window], raw: list[tuple[int, int]], day_only: list[bool]
) -> None:
    """Inside plus outside impacted time is all impacted time: no overlap counted twice, none lost."""
    within = Window(at(0), at(GRID))
    now = at(GRID)
    kept = [(n, a, b) for n, (a, b) in enumerate(raw) if a < GRID]
    named = [incident(n, at(a), at(b), "day" if day_only[n] else "minute") for n, a, b in kept]
    inside = region(ws, within)
    rest = outside(inside, within)
    a, b = region_figures(named, [], inside, now), region_figures(named, [], rest, now)
    timed = [i for i in named if i.time_precision != "day"]
    everything = total_seconds(clip(union(interval(i, now) for i in timed), within))
    assert abs(a.impacted_seconds + b.impacted_seconds - everything) < 1e-6
    assert a.impacted_seconds <= a.seconds and b.impacted_seconds <= b.seconds
    for figures, area in ((a, inside), (b, rest)):
        # a date-only incident covers its whole last day: 1440 more minutes
        hits = [brute_touches(lo, hi + (1440 if day_only[n] else 0), area) for n, lo, hi in kept]
        assert figures.incidents == sum(hits)
        assert figures.timed == sum(hit for hit, (n, _, _) in zip(hits, kept, strict=True) if not day_only[n])
    # every incident falls on at least one side
    assert a.incidents + b.incidents >= len(named)


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=1, max_value=90))
def test_ongoing_incident_runs_to_now(start_day: int, now_day: int) -> None:
    released = date(2026, 3, 1)
    now = release_start(released) + timedelta(days=now_day, hours=6)
    start = release_start(released) + timedelta(days=start_day, hours=1)
    ongoing = incident(1, start, None)
    figures = release_figures(released, [ongoing] if start <= now else [], [], [(release_start(released), now)], now)
    in_first_30 = start <= now and start_day < LAUNCH_DAYS
    assert figures.first_30d.incidents == int(in_first_30)
    assert figures.after_30d.incidents == int(start <= now and now_day >= LAUNCH_DAYS)
    assert figures.first_30d.seconds == min(now, release_start(released) + timedelta(days=30)).timestamp() - (
        release_start(released).timestamp()
    )
    if in_first_30:
        window_end = min(now, release_start(released) + timedelta(days=LAUNCH_DAYS))
        assert figures.first_30d.impacted_seconds == (window_end - start).total_seconds()


@given(st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=6), st.integers(0, 260))
@example([0, 30], 30)  # windows that touch do not overlap
@example([0, 29, 29], 29)
def test_overlapping_releases_are_counted_once(offsets: list[int], incident_day: int) -> None:
    first = date(2025, 1, 1)
    days = [first + timedelta(days=o) for o in offsets]
    now = release_start(first) + timedelta(days=300)
    observed = [(release_start(first), now)]
    start = release_start(first) + timedelta(days=incident_day, hours=3)
    named = [incident(1, start, start + timedelta(hours=2))]
    result = compare(days, named, [], observed, now)
    covered = {o + d for o in offsets for d in range(LAUNCH_DAYS)}
    assert result.after_release.seconds == len(covered) * 86400
    assert result.after_release.seconds + result.outside.seconds == 300 * 86400
    assert result.after_release.incidents == int(incident_day in covered)
    assert result.outside.incidents == int(incident_day not in covered)
    assert result.releases == len(days)
    expected = {
        n for a, b in combinations(range(len(days)), 2) if abs(offsets[a] - offsets[b]) < LAUNCH_DAYS for n in (a, b)
    }
    assert result.overlapping == overlapping_releases(days) == len(expected)


@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)))
def test_days_after_counts_whole_days_from_midnight(moment: datetime) -> None:
    released = date(2025, 6, 15)
    n = days_after(released, moment)
    assert release_start(released) + timedelta(days=n) <= moment < release_start(released) + timedelta(days=n + 1)


def test_window_boundaries_are_half_open() -> None:
    released = date(2025, 5, 22)
    r = release_start(released)
    assert r == datetime(2025, 5, 22, tzinfo=UTC)
    assert release_window(released, 30) == Window(r, r + timedelta(days=30))
    now = r + timedelta(days=100)
    cases = {
        "ends at release": incident(1, r - timedelta(hours=1), r),
        "instant at release": incident(2, r, r),
        "last minute of day 29": incident(3, r + timedelta(days=30, minutes=-1), r + timedelta(days=30)),
        "starts at day 30": incident(4, r + timedelta(days=30), r + timedelta(days=30, hours=1)),
        "straddles day 30": incident(5, r + timedelta(days=29, hours=23), r + timedelta(days=30, hours=1)),
    }
    figures = release_figures(released, list(cases.values()), [], [(r - timedelta(days=10), now)], now)
    inside = {c for c, i in cases.items() if region_figures([i], [], [(r, r + timedelta(days=30))], now).incidents}
    assert inside == {"instant at release", "last minute of day 29", "straddles day 30"}
    assert figures.first_30d.incidents == 3
    assert figures.after_30d.incidents == 2  # starts at day 30, straddles day 30
    assert figures.before_release == 1
    # the straddler counts up to the boundary only, and its hour covers the last-minute incident: a union
    assert figures.first_30d.impacted_seconds == 3600
    assert figures.first_7d.incidents == 1


def test_date_only_incidents_count_but_have_no_hours() -> None:
    released = date(2025, 5, 22)
    r = release_start(released)
    now = r + timedelta(days=60)
    ends_on_release_day = incident(1, r - timedelta(days=2), r, precision="day")
    same_day = incident(2, r + timedelta(days=3), r + timedelta(days=3), precision="day")
    wide = incident(3, r + timedelta(days=1), r + timedelta(days=1, hours=5), wide=True)
    figures = release_figures(released, [ends_on_release_day, same_day], [wide], [(r, now)], now)
    assert figures.first_30d.incidents == 2  # a date-only incident covers its whole last day
    assert figures.first_30d.timed == 0 and figures.first_30d.impacted_seconds == 0
    assert figures.first_30d.vendor_wide == 1
    assert figures.first_30d.incidents_per_week == 2 / (30 / 7)


def test_empty_period_has_no_rate() -> None:
    released = date(2026, 6, 1)
    now = release_start(released) - timedelta(days=1)  # released after the reference time
    figures = release_figures(released, [], [], [(now - timedelta(days=5), now)], now)
    assert figures.first_30d.seconds == 0 and figures.first_30d.incidents_per_week is None


def test_ratio_chart_says_not_defined_rather_than_zero() -> None:
    rows = [
        charts.ForestRow("A & B", None, None, None, "n = 0 after / 0 outside"),
        charts.ForestRow("C", 2.0, 0.5, math.inf, "n = 3 after / 1 outside"),
    ]
    svg = str(charts.ratio_forest("t", "Title", "desc", rows))
    assert "A &amp; B" in svg and "A & B" not in svg
    assert svg.count("not defined") == 2  # drawn, and in the data table
    assert "C: 2.00 (95 % interval 0.50–∞)" in svg and "→" in svg  # an unbounded interval runs off the scale
    assert "n = 3 after / 1 outside" in svg


def test_only_covered_time_is_observed() -> None:
    """Two covered spans with a hole: the release window is cut to the covered parts, and the hole is neither
    inside nor outside the windows (it was never watched), so an incident in it counts on neither side."""
    released = date(2025, 3, 1)
    r = release_start(released)
    observed = [(r - timedelta(days=20), r + timedelta(days=10)), (r + timedelta(days=20), r + timedelta(days=60))]
    in_hole = incident(1, r + timedelta(days=15), r + timedelta(days=15, hours=1))
    after = incident(2, r + timedelta(days=25), r + timedelta(days=25, hours=1))
    result = compare([released], [in_hole, after], [], observed, r + timedelta(days=60))
    assert result.after_release.seconds == 20 * 86400  # days 0-10 and 20-30
    assert result.outside.seconds == 50 * 86400  # 20 days before, days 30-60
    assert (result.after_release.incidents, result.outside.incidents) == (1, 0)
    figures = release_figures(released, [in_hole, after], [], [], r + timedelta(days=60))
    assert figures.first_7d.seconds == 0 and figures.first_7d.incidents_per_week is None  # never observed
