"""Statistics on hand-built cases, plus property tests against a minute-grid oracle."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_ledger.ledger.model import Incident, Source
from incident_ledger.ledger.stats import (
    Window,
    clip,
    daily_worst,
    duration_seconds,
    figures,
    impacted_seconds,
    intersects,
    monthly,
    percentile,
    union,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def incident(ident: str, start: float, end: float | None, impact: str = "major", **extra: object) -> Incident:
    return Incident(
        id=ident,
        path=f"{ident}.md",
        title=ident,
        vendor="acme",
        models=("acme-large",),
        all_models=False,
        start=at(start),
        end=at(end) if end is not None else None,
        impact=impact,
        sources=(Source("https://example.com"),),
        body="",
        **{"evidence": "vendor", **extra},  # type: ignore[arg-type]
    )


def test_union_merges_overlaps_and_touching() -> None:
    spans = [(at(0), at(10)), (at(5), at(20)), (at(20), at(30)), (at(40), at(50))]
    assert union(spans) == [(at(0), at(30)), (at(40), at(50))]


def test_clip_to_half_open_window() -> None:
    window = Window(at(10), at(20))
    assert clip([(at(0), at(15)), (at(18), at(40)), (at(20), at(30))], window) == [(at(10), at(15)), (at(18), at(20))]


def test_intersects_is_half_open() -> None:
    window = Window(at(10), at(20))
    assert not intersects((at(0), at(10)), window)
    assert intersects((at(0), at(11)), window)
    assert not intersects((at(20), at(30)), window)
    assert intersects((at(10), at(10)), window)
    assert not intersects((at(20), at(20)), window)


def test_overlapping_incidents_are_not_double_counted() -> None:
    items = [incident("a", 0, 60), incident("b", 30, 90), incident("c", 200, 230, "minor")]
    result = figures(items, Window(at(0), at(1000)), NOW)
    assert result.impacted_seconds == (90 + 30) * 60
    assert result.severe_seconds == 90 * 60
    assert result.impacted_seconds_by_impact["minor"] == 30 * 60
    assert result.by_impact == {"none": 0, "minor": 1, "major": 2, "critical": 0}


def test_window_edges_count_only_the_overlap() -> None:
    items = [incident("a", 0, 60)]
    window = Window(at(30), at(100))
    result = figures(items, window, NOW, covered=[(window.start, window.end)])
    assert result.incidents == 1
    assert result.impacted_seconds == 30 * 60
    assert result.median_seconds == 60 * 60
    assert result.availability == pytest.approx(1 - 30 / 70)


def test_ongoing_incident_counts_up_to_reference_time() -> None:
    now = at(100)
    result = figures([incident("a", 40, None)], Window(at(0), now), now)
    assert result.ongoing == 1
    assert result.impacted_seconds == 60 * 60
    assert result.resolved_within_2h is None and result.resolved_count == 0


def test_small_samples_have_no_mean_but_a_median() -> None:
    items = [incident(f"i{n}", n * 100, n * 100 + n + 1) for n in range(19)]
    result = figures(items, Window(at(0), at(10000)), NOW)
    assert result.mean_seconds is None
    assert result.median_seconds == 10 * 60
    more = [*items, incident("i19", 1900, 1920)]
    assert figures(more, Window(at(0), at(10000)), NOW).mean_seconds is not None


def test_percentiles_interpolate() -> None:
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10], 0.9) == 10
    assert percentile([0, 10], 0.9) == 9
    assert percentile([], 0.5) is None


def test_resolved_within_two_hours_and_longest() -> None:
    items = [incident("short", 0, 60), incident("exact", 200, 320), incident("long", 400, 700)]
    result = figures(items, Window(at(0), at(1000)), NOW)
    assert result.resolved_within_2h == pytest.approx(2 / 3)
    assert result.longest_id == "long" and result.longest_seconds == 300 * 60


def test_symptoms_and_unacknowledged() -> None:
    items = [
        incident("a", 0, 10, symptoms=("latency", "elevated-errors")),
        incident("b", 20, 30, symptoms=("latency",), acknowledged=False),
    ]
    result = figures(items, Window(at(0), at(100)), NOW)
    assert result.by_symptom == {"elevated-errors": 1, "latency": 2}
    assert result.unacknowledged == 1


def test_time_outside_coverage_is_not_counted() -> None:
    items = [incident("a", 0, 60 * 24), incident("b", 60 * 24 * 7, 60 * 24 * 7 + 60, "minor")]
    window = Window(T0, T0 + timedelta(days=10))
    covered = [(T0 + timedelta(days=5), T0 + timedelta(days=12))]
    result = figures(items, window, NOW, covered=covered)
    assert result.untracked_seconds == 5 * 86400 and result.covered_seconds == 5 * 86400
    assert result.partial
    assert result.availability == 1.0  # the outage on day 1 lies outside coverage
    assert result.degraded_seconds == 3600  # shown beside availability, never inside it
    assert result.incidents == 2  # counts stay, labelled partial
    whole = figures(items, window, NOW, covered=[(T0 - timedelta(days=1), NOW)])
    assert whole.availability == pytest.approx(1 - 1 / 10) and not whole.partial


def test_no_coverage_means_no_availability() -> None:
    result = figures([incident("a", 0, 60)], Window(at(0), at(1000)), NOW)
    assert result.availability is None
    assert result.untracked_seconds == 1000 * 60 and result.covered_seconds == 0
    assert result.incidents == 1


def test_gaps_in_coverage_leave_their_outages_out() -> None:
    items = [incident("a", 10, 20), incident("b", 110, 130)]
    covered = [(at(0), at(50)), (at(100), at(120))]
    result = figures(items, Window(at(0), at(200)), NOW, covered=covered)
    assert result.covered_seconds == 70 * 60
    assert result.availability == pytest.approx(1 - 20 / 70)


def test_availability_without_its_largest_incident() -> None:
    """Leaving out the incident with the most severe covered time shows how far the estimate rests on it.
    Time it shared with another severe incident stays out, and minor time never counts."""
    items = [
        incident("long", 100, 400),  # 300 minutes, 290 of them covered
        incident("overlap", 350, 420, "critical"),  # 60 covered minutes, 40 of them shared with "long"
        incident("short", 600, 610),
        incident("minor", 0, 900, "minor"),
    ]
    covered = [(at(0), at(350)), (at(360), at(1000))]
    result = figures(items, Window(at(0), at(1000)), NOW, covered=covered)
    assert result.covered_seconds == 990 * 60
    assert result.availability == pytest.approx(1 - (290 + 20 + 10) / 990)
    assert result.largest_severe_id == "long"
    assert result.availability_without_largest == pytest.approx(1 - (60 + 10) / 990)
    calm = figures([incident("minor", 0, 900, "minor")], Window(at(0), at(1000)), NOW, covered=covered)
    assert calm.largest_severe_id is None and calm.availability_without_largest is None
    untracked = figures(items, Window(at(0), at(1000)), NOW)
    assert untracked.largest_severe_id is None and untracked.availability_without_largest is None


def test_date_only_incidents_count_without_a_duration() -> None:
    items = [incident("a", 0, 0, "critical", time_precision="day"), incident("b", 60, 120)]
    result = figures(items, Window(at(0), at(1000)), NOW, covered=[(at(0), at(1000))])
    assert result.incidents == 2 and result.date_only == 1
    assert result.median_seconds == 3600 and result.longest_id == "b"
    assert result.impacted_seconds == 3600 and result.availability == pytest.approx(1 - 60 / 1000)
    assert duration_seconds(items[0], NOW) is None


def test_unconfirmed_incidents_are_counted_apart() -> None:
    items = [
        incident("a", 0, 60),
        incident("b", 100, 400, "critical", evidence="community"),
        incident("c", 500, 600, evidence="aggregator"),
        incident("d", 700, 720, evidence="press"),
    ]
    result = figures(items, Window(at(0), at(1000)), NOW, covered=[(at(0), at(1000))])
    assert result.incidents == 2 and result.unconfirmed == 2
    assert result.by_evidence == {"vendor": 1, "press": 1, "community": 1, "aggregator": 1}
    assert result.impacted_seconds == 80 * 60 and result.by_impact["critical"] == 0


def test_daily_worst_impact_strip() -> None:
    now = datetime(2026, 1, 5, 12, tzinfo=UTC)
    items = [
        incident("a", 0, 60, "minor"),
        incident("b", 30, 90, "critical"),
        incident("c", 60 * 24 * 2, None, "major"),
    ]
    covered = [(datetime(2026, 1, 2, 12, tzinfo=UTC), now)]
    rows = daily_worst(items, now, 5, covered)
    days = {day: impact for day, impact, _ in rows}
    assert days[date(2026, 1, 1)] == "critical"
    assert days[date(2026, 1, 2)] is None
    assert days[date(2026, 1, 3)] == days[date(2026, 1, 5)] == "major"
    tracked = {day: flag for day, _, flag in rows}
    assert tracked == {date(2026, 1, d): d >= 2 for d in range(1, 6)}


def test_monthly_counts_and_hours() -> None:
    items = [incident("a", 0, 60), incident("b", 60 * 24 * 31 - 30, 60 * 24 * 31 + 30)]
    rows = monthly(items, datetime(2026, 2, 15, tzinfo=UTC), 2)
    assert [(start.month, count) for start, count, _ in rows] == [(1, 2), (2, 0)]
    assert rows[0][2] == 90 * 60 and rows[1][2] == 30 * 60


spans = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 120)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=12,
)


def grid(intervals: list[tuple[int, int]], lo: int, hi: int) -> set[int]:
    """Minutes m with lo <= m < hi covered by some [start, end)."""
    return {m for start, end in intervals for m in range(max(start, lo), min(end, hi))}


@settings(max_examples=200, deadline=None)
@given(spans)
def test_union_matches_minute_grid(intervals: list[tuple[int, int]]) -> None:
    merged = union([(at(s), at(e)) for s, e in intervals])
    covered = grid(intervals, 0, 1000)
    assert sum((e - s).total_seconds() for s, e in merged) == len(covered) * 60
    for (_, end), (start, _) in itertools.pairwise(merged):
        assert end < start


@settings(max_examples=200, deadline=None)
@given(spans, st.integers(0, 400), st.integers(0, 200))
def test_window_intersection_matches_minute_grid(intervals: list[tuple[int, int]], lo: int, width: int) -> None:
    window = Window(at(lo), at(lo + width))
    result = impacted_seconds([(at(s), at(e)) for s, e in intervals], window)
    assert result == len(grid(intervals, lo, lo + width)) * 60
    assert 0 <= result <= window.seconds
