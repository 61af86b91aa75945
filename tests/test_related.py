"""Related incidents: the sweep agrees with a brute-force check on hand-built and random overlaps."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from incident_ledger.ledger.model import Incident, Source
from incident_ledger.ledger.related import NEARBY, related_incidents

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def make(ident: str, vendor: str, start_h: float, end_h: float | None) -> Incident:
    return Incident(
        id=ident, path=ident, title=ident, vendor=vendor, models=(), all_models=True,
        start=T0 + timedelta(hours=start_h), end=None if end_h is None else T0 + timedelta(hours=end_h),
        impact="major", sources=(Source("https://example.com"),), body="",
    )  # fmt: skip


def test_hand_built_overlaps() -> None:
    items = [
        make("a1", "acme", 0, 2),
        make("z1", "zeta", 1, 3),  # overlaps a1
        make("z2", "zeta", 5, 6),  # overlaps nothing of acme
        make("a2", "acme", 20, 21),  # within a day of a1
        make("a3", "acme", 60, 61),  # more than a day away
    ]
    related = related_incidents(items, T0 + timedelta(days=10))
    assert [i.id for i in related["a1"].other_vendors] == ["z1"]
    assert [i.id for i in related["z1"].other_vendors] == ["a1"]
    assert related["z2"].other_vendors == []
    assert [i.id for i in related["a1"].same_vendor] == ["a2"]
    assert [i.id for i in related["z2"].same_vendor] == ["z1"]
    assert related["a3"].same_vendor == [] and related["a3"].other_vendors == []


def test_ongoing_incident_overlaps_everything_after_it() -> None:
    items = [make("open", "acme", 0, None), make("later", "zeta", 100, 101)]
    related = related_incidents(items, T0 + timedelta(days=30))
    assert [i.id for i in related["later"].other_vendors] == ["open"]


def test_sweep_matches_brute_force() -> None:
    rng = random.Random(5)
    items = []
    for n in range(300):
        start = rng.uniform(0, 24 * 200)
        items.append(make(f"i{n}", rng.choice(["acme", "zeta", "omega"]), start, start + rng.uniform(0, 12)))
    now = T0 + timedelta(days=400)
    related = related_incidents(items, now)
    for item in items:
        overlap = {
            o.id for o in items
            if o.vendor != item.vendor and o.start <= item.end and item.start <= o.end  # type: ignore[operator]
        }  # fmt: skip
        nearby = {
            o.id for o in items
            if o is not item and o.vendor == item.vendor
            and o.start <= item.end + NEARBY and item.start <= o.end + NEARBY  # type: ignore[operator]
        }  # fmt: skip
        found = related[item.id]
        assert {o.id for o in found.other_vendors} <= overlap
        assert len(found.other_vendors) == min(len(overlap), 10)
        assert {o.id for o in found.same_vendor} <= nearby
        assert len(found.same_vendor) == min(len(nearby), 10)
