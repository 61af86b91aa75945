"""Do launches break things? Each release compared with itself: pure functions, no I/O.

Incidents grew many times over while releases bunched late, so "after a release vs the rest of
the time" mostly measures growth. Comparing the 30 days after each release with the 30 days
before it holds the era fixed; the released-model comparison asks whether the model that was
launched is the one that breaks. The crude ratio stays as a sensitivity row, beside a placebo
check that shows what it gives for releases that never happened.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .launches import release_start
from .model import Incident
from .rates import Z95, RateRatio, Stratum, exact_ratio
from .stats import Interval, Window, clip, total_seconds

DAYS = 30
LATER = (30, 90)  # days 30-89 after a release: the released model's own "before" for the ratio of ratios
RESAMPLES = 2000
SEED = 20261206  # fixed, so every build publishes the same interval
PLACEBO_SHIFTS = tuple(range(60, 366, 15))


@dataclass(frozen=True)
class Event:
    """One vendor's releases of one UTC day, with the incidents counted around it (by start)."""

    vendor: str
    day: date
    models: tuple[str, ...]
    after: int  # incidents naming a model, [r, r + 30 d)
    before: int  # [r - 30 d, r)
    after_all: int  # `model: all` incidents, the same periods
    before_all: int
    # Released-model comparison, None when days 0-89 are not wholly covered: incidents naming a released
    # model in days 0-29 and 30-89, and incidents naming only other models in the same days.
    released: tuple[int, int, int, int] | None = None


def _covers(spans: Sequence[Interval], start: datetime, end: datetime) -> bool:
    return total_seconds(clip(spans, Window(start, end))) >= (end - start).total_seconds()


def _count(incidents: Sequence[Incident], start: datetime, end: datetime, keep: Callable[[Incident], bool]) -> int:
    return sum(1 for i in incidents if start <= i.start < end and keep(i))


def events(
    vendor: str,
    releases: Sequence[tuple[date, str]],
    incidents: Sequence[Incident],
    covered: Sequence[Interval],
    now: datetime,
) -> list[Event]:
    """Same-day releases merged into one event; only events whose [r − 30 d, r + 30 d) lies wholly in
    coverage (and before `now`) are kept. `incidents` are the vendor's confirmed ones."""
    by_day: dict[date, list[str]] = {}
    for day, model in releases:
        by_day.setdefault(day, []).append(model)
    span = timedelta(days=DAYS)
    result = []
    for day in sorted(by_day):
        r = release_start(day)
        if r + span > now or not _covers(covered, r - span, r + span):
            continue
        models = tuple(sorted(by_day[day]))

        def named(i: Incident) -> bool:
            return bool(i.models) and not i.all_models

        def launched(i: Incident, models: tuple[str, ...] = models) -> bool:
            return named(i) and any(m in models for m in i.models)

        def others(i: Incident, models: tuple[str, ...] = models) -> bool:
            return named(i) and not launched(i, models)

        released = None
        late_start, late_end = (r + timedelta(days=d) for d in LATER)
        if late_end <= now and _covers(covered, r, late_end):
            released = (
                _count(incidents, r, late_start, launched),
                _count(incidents, late_start, late_end, launched),
                _count(incidents, r, late_start, others),
                _count(incidents, late_start, late_end, others),
            )
        result.append(
            Event(
                vendor=vendor,
                day=day,
                models=models,
                after=_count(incidents, r, r + span, named),
                before=_count(incidents, r - span, r, named),
                after_all=_count(incidents, r, r + span, lambda i: i.all_models),
                before_all=_count(incidents, r - span, r, lambda i: i.all_models),
                released=released,
            )
        )
    return result


@dataclass(frozen=True)
class SelfControlled:
    """RR = Σa ÷ Σb over events (equal time on both sides), with two 95 % intervals: a percentile
    bootstrap over events (events differ more than Poisson counts would) and the exact conditional one."""

    events: int
    after: int
    before: int
    exact: RateRatio
    bootstrap_low: float | None
    bootstrap_high: float | None

    @property
    def ratio(self) -> float | None:
        return self.exact.ratio

    @property
    def above_one(self) -> bool:
        """Both intervals lie above 1."""
        return self.exact.conclusive and self.exact.low is not None and self.exact.low > 1 and (
            self.bootstrap_low is not None and self.bootstrap_low > 1
        )  # fmt: skip

    @property
    def below_one(self) -> bool:
        high = self.exact.high
        return high is not None and high < 1 and self.bootstrap_high is not None and self.bootstrap_high < 1


def _percentile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics; a neighbour that is unbounded makes it unbounded."""
    rank = (len(ordered) - 1) * q
    low, high = math.floor(rank), math.ceil(rank)
    if low == high or math.isinf(ordered[high]):
        return ordered[low] if low == high else math.inf
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def self_controlled(pairs: Sequence[tuple[int, int]], resamples: int = RESAMPLES) -> SelfControlled:
    """`pairs` are (after, before) counts per event. A resample whose Σb is 0 has an unbounded ratio."""
    after, before = sum(a for a, _ in pairs), sum(b for _, b in pairs)
    window = float(len(pairs))  # each event has the same 30 days on each side
    exact = exact_ratio(Stratum(after, window, before, window))
    if not pairs or after + before == 0:
        return SelfControlled(len(pairs), after, before, exact, None, None)
    draw = random.Random(SEED)
    ratios = []
    for _ in range(resamples):
        sample = draw.choices(pairs, k=len(pairs))
        a, b = sum(p[0] for p in sample), sum(p[1] for p in sample)
        ratios.append(math.inf if b == 0 else a / b)
    ratios.sort()
    return SelfControlled(len(pairs), after, before, exact, _percentile(ratios, 0.025), _percentile(ratios, 0.975))


def ratio_of_ratios(table: Sequence[tuple[int, int, int, int]]) -> tuple[tuple[int, int, int, int], RateRatio]:
    """Released model's days 0-29 ÷ days 30-89, against other models' same ratio: (x1·y2) ÷ (x2·y1) from
    the summed 2×2 table, with Woolf's log interval; undefined when a cell is 0."""
    x1, x2, y1, y2 = (sum(row[n] for row in table) for n in range(4))
    if min(x1, x2, y1, y2) == 0:
        return (x1, x2, y1, y2), RateRatio(None, None, None)
    ratio = (x1 * y2) / (x2 * y1)
    spread = Z95 * math.sqrt(1 / x1 + 1 / x2 + 1 / y1 + 1 / y2)
    return (x1, x2, y1, y2), RateRatio(ratio, ratio * math.exp(-spread), ratio * math.exp(spread))


def _month_start(year: int, month: int) -> datetime:
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)


def month_strata(incidents: Sequence[Incident], after: Sequence[Interval], rest: Sequence[Interval]) -> list[Stratum]:
    """One stratum per calendar month: incidents starting after releases and in the rest of covered time,
    over each side's time in that month (for the Mantel–Haenszel ratio by vendor and month)."""
    edges = [moment for span in [*after, *rest] for moment in span]
    if not edges:
        return []
    first, last = min(edges), max(edges)
    strata = []
    year, month = first.year, first.month
    while _month_start(year, month) <= last:
        window = Window(_month_start(year, month), _month_start(year, month + 1))
        a_side, b_side = clip(after, window), clip(rest, window)
        strata.append(
            Stratum(
                sum(1 for i in incidents if any(s <= i.start < e for s, e in a_side)),
                total_seconds(a_side),
                sum(1 for i in incidents if any(s <= i.start < e for s, e in b_side)),
                total_seconds(b_side),
            )
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return strata


@dataclass(frozen=True)
class Placebo:
    """The crude design's ratio on release dates shifted by each of `shifts` days: releases that never
    happened, so anything far from 1 is growth over time, not launches."""

    shifts: tuple[int, ...]
    ratios: tuple[float | None, ...]

    @property
    def median(self) -> float | None:
        found = [r for r in self.ratios if r is not None and not math.isinf(r)]
        return statistics.median(found) if found else None
