"""The Launches answer: each release against itself, on hand-made ledgers whose truth is known.

Three synthetic ledgers: releases that really bring incidents, a ledger whose incidents only grow
over time while releases bunch late, and one where nothing changes. The verdict must claim
"more frequent" for the first only; the crude design is fooled by the second.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from incident_ledger.ledger.catalog import Catalog
from incident_ledger.ledger.coverage import Coverage, SourceCoverage
from incident_ledger.ledger.launch_answer import launch_answer
from incident_ledger.ledger.model import Incident, ModelInfo, Registry, Source, Vendor
from incident_ledger.ledger.self_controlled import events, ratio_of_ratios, self_controlled

START = datetime(2023, 1, 1, tzinfo=UTC)
DAYS = 1096
NOW = START + timedelta(days=DAYS)
EARLY = (200, 350, 500, 650, 800, 950)
LATE = (600, 700, 800, 900, 1000)  # bunched late, 100 days apart so days 0-89 hold one release


def day(n: int) -> date:
    return (START + timedelta(days=n)).date()


def record(n: int, at: datetime, model: str) -> Incident:
    return Incident(
        id=f"i{n}", path=f"i{n}.md", title="t", vendor="acme", models=(model,), all_models=False, start=at,
        end=at + timedelta(minutes=30), impact="minor", sources=(Source("https://status.acme.example.com/x"),),
        body="", evidence="vendor",
    )  # fmt: skip


def ledger(released: tuple[int, ...], base: Callable[[], list[datetime]], burst: int) -> Catalog:
    """Each `base` incident names one of the models that exist at its time, in turn (acme-base has no
    release date and always exists); a released model is named `burst` more times a day in its first 30 days."""
    names = [f"m{index}" for index in range(len(released))]
    times = []
    for n, at in enumerate(base()):
        alive = [
            "acme-base",
            *(name for name, when in zip(names, released, strict=True) if at >= START + timedelta(days=when)),
        ]
        times.append((at, alive[n % len(alive)]))
    for name, when in zip(names, released, strict=True):
        for offset in range(30):
            times.extend((START + timedelta(days=when + offset, hours=9 + k), name) for k in range(burst))
    models = {"acme-base": ModelInfo("acme-base", "Base")}
    for name, when in zip(names, released, strict=True):
        models[name] = ModelInfo(name, name.upper(), day(when), "https://acme.example.com/news")
    vendor = Vendor("acme", "Acme", "https://acme.example.com", None, models=models)
    source = SourceCoverage("statuspage", "https://status.acme.example.com/h.atom", spans=((START, NOW),))
    incidents = tuple(record(n, at, model) for n, (at, model) in enumerate(times))
    return Catalog(incidents, Registry({"acme": vendor}), NOW, Coverage({"acme": (source,)}))


def steady() -> list[datetime]:
    return [START + timedelta(days=d, hours=12) for d in range(DAYS)]


def growing() -> list[datetime]:
    """Incidents at the times where the expected count Λ(t) = 0.3 t + 0.002 t² (t in days) reaches 1, 2, …"""
    a, b = 0.3, 0.002
    total = a * DAYS + b * DAYS**2
    return [START + timedelta(days=(-a + math.sqrt(a * a + 4 * b * k)) / (2 * b)) for k in range(1, int(total))]


def test_a_true_launch_effect_is_called_more_frequent() -> None:
    answer = launch_answer(ledger(EARLY, steady, burst=2))
    assert answer.named.events == 6
    # Per release: 30 incidents before it, 30 + 60 after.
    assert (answer.named.after, answer.named.before) == (6 * 90, 6 * 30)
    assert answer.named.above_one
    assert answer.released.low is not None and answer.released.low > 1
    assert answer.verdict.startswith("Incidents are more frequent after launches")


def test_growth_over_time_alone_does_not_make_a_launch_effect() -> None:
    answer = launch_answer(ledger(LATE, growing, burst=0))
    crude = answer.crude
    assert crude.low is not None and crude.low > 1.2  # the crude design sees a "launch effect" that is growth
    assert answer.placebo.median is not None and answer.placebo.median > 1
    # Λ(r + 30) − Λ(r) over Λ(r) − Λ(r − 30): a few per cent, the trend within two months.
    assert answer.named.ratio == pytest.approx(1, abs=0.06)
    assert answer.released.ratio is not None and answer.released.low < 1 < answer.released.high  # type: ignore[operator]
    assert answer.verdict.startswith("The data cannot tell the rates apart")


def test_no_effect_is_not_called_anything() -> None:
    answer = launch_answer(ledger(EARLY, steady, burst=0))
    assert (answer.named.after, answer.named.before) == (6 * 30, 6 * 30)
    assert answer.named.exact.low is not None and answer.named.exact.low < 1 < answer.named.exact.high  # type: ignore[operator]
    assert answer.verdict.startswith("The data cannot tell the rates apart")
    assert "6 releases" in answer.verdict


def test_same_day_releases_are_one_event_and_unbracketed_ones_are_left_out() -> None:
    spans = [(START, START + timedelta(days=400))]
    releases = [(day(100), "a"), (day(100), "b"), (day(380), "c"), (day(10), "d")]
    found = events("acme", releases, [], spans, NOW)
    assert [(e.day, e.models) for e in found] == [
        (day(100), ("a", "b"))
    ]  # day 380: no 30 days after; day 10: none before


def test_self_controlled_ratio_and_a_stratum_with_no_events() -> None:
    result = self_controlled([(3, 1), (0, 0), (5, 2), (2, 3)])
    assert (result.after, result.before, result.events) == (10, 6, 4)
    assert result.ratio == pytest.approx(10 / 6)
    assert result.bootstrap_low is not None and result.bootstrap_low <= 10 / 6 <= result.bootstrap_high  # type: ignore[operator]
    assert self_controlled([(0, 0)]).ratio is None
    assert self_controlled([]).bootstrap_low is None
    again = self_controlled([(3, 1), (0, 0), (5, 2), (2, 3)])
    assert (again.bootstrap_low, again.bootstrap_high) == (result.bootstrap_low, result.bootstrap_high)


def test_ratio_of_ratios_from_the_two_by_two_table() -> None:
    totals, ratio = ratio_of_ratios([(6, 4, 10, 20), (4, 6, 5, 10)])
    assert totals == (10, 10, 15, 30)
    assert ratio.ratio == pytest.approx((10 * 30) / (10 * 15))
    spread = 1.959963984540054 * math.sqrt(1 / 10 + 1 / 10 + 1 / 15 + 1 / 30)
    assert ratio.low == pytest.approx(2 * math.exp(-spread)) and ratio.high == pytest.approx(2 * math.exp(spread))
    assert ratio_of_ratios([(1, 0, 2, 3)])[1].ratio is None  # a zero cell leaves it undefined
