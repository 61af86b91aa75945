"""Months nobody watched are "not tracked" in the monthly series and in the charts, never 0."""

from __future__ import annotations

from datetime import UTC, datetime

from incident_ledger.ledger.model import Incident, Source
from incident_ledger.ledger.stats import monthly
from incident_ledger.site.charts import bar_chart

NOW = datetime(2026, 4, 15, tzinfo=UTC)


def incident(ident: str, start: datetime, end: datetime, impact: str = "major") -> Incident:
    return Incident(
        id=ident, path=f"{ident}.md", title=ident, vendor="acme", models=(), all_models=True, start=start,
        end=end, impact=impact, sources=(Source("https://example.com"),), body="", evidence="vendor",
    )  # fmt: skip


def test_months_outside_coverage_are_none_and_counts_use_covered_time_only() -> None:
    covered = [(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 10, tzinfo=UTC))]
    items = [
        incident("jan", datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 5, 2, tzinfo=UTC)),
        incident("feb-in", datetime(2026, 2, 9, tzinfo=UTC), datetime(2026, 2, 9, 1, tzinfo=UTC)),
        incident("feb-out", datetime(2026, 2, 20, tzinfo=UTC), datetime(2026, 2, 20, 5, tzinfo=UTC)),
        incident("mar", datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 3, 4, tzinfo=UTC)),
    ]
    rows = monthly(items, NOW, 4, covered)
    assert [(start.month, count, seconds) for start, count, seconds in rows] == [
        (1, 1, 2 * 3600.0),
        (2, 1, 3600.0),  # the 20 February incident lies after coverage ended on the 10th
        (3, None, None),
        (4, None, None),
    ]
    # Without coverage given, every month counts whole, as before.
    assert [count for _, count, _ in monthly(items, NOW, 4)] == [1, 2, 1, 0]


def test_a_chart_draws_untracked_months_hatched_and_its_table_says_so() -> None:
    svg = str(bar_chart("t", "Incidents", "desc", ["2026-01", "2026-02", "2026-03"], [3, 0, None], "incidents"))
    assert svg.count('class="il-bar"') == 2
    assert svg.count('class="il-bar--untracked"') == 1 and "2026-03: not tracked" in svg
    assert "<td>2026-03</td><td>not tracked</td>" in svg and "<td>2026-02</td><td>0</td>" in svg
    plain = str(bar_chart("u", "Incidents", "desc", ["2026-01"], [1], "incidents"))
    assert "il-hatch" not in plain and "not tracked" not in plain
