"""The headline figures: product availability per class, severe hours of anything, and rates.

Pure functions, no I/O. Every figure is computed over covered time only (C_v ∩ W) and carries
what it rests on (incident count, covered seconds, window dates), so a reader can tell a
year of watching from a few weeks, and a vendor's API from its chat app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .evidence import confirmed
from .model import ALL_MODELS, UNSPECIFIED, Incident
from .rates import garwood
from .stats import SEVERE, Interval, Window, clip, episode_spans, interval, total_seconds, union

YEAR_DAYS = 365
RATE_DAYS = 30
HEADLINE_CLASSES: tuple[str, ...] = ("api", "chat", "coding")
# Statuspage and Instatus count a partial outage at 0.3 of a major one; critical time counts whole.
MAJOR_WEIGHT = 0.3
MODEL_LIFE_MIN = timedelta(days=30)


def latest_year(covered: Sequence[Interval], now: datetime, days: int = YEAR_DAYS) -> Window | None:
    """The last `days` of coverage: it ends where the vendor's last covered span ends (or now)."""
    spans = union(covered)
    if not spans:
        return None
    end = min(now, spans[-1][1])
    return Window(end - timedelta(days=days), end)


def covered_part(covered: Sequence[Interval], window: Window) -> list[Interval]:
    """C_v ∩ W as a sorted, disjoint list."""
    return clip(union(covered), window)


def overlap_seconds(spans: Iterable[Interval], region: Sequence[Interval]) -> float:
    """|U(spans) ∩ region| for a disjoint region."""
    merged = union(spans)
    return sum(total_seconds(clip(merged, Window(lo, hi))) for lo, hi in region)


def starts_in(incident: Incident, region: Sequence[Interval]) -> bool:
    return any(lo <= incident.start < hi for lo, hi in region)


def touches(span: Interval, region: Sequence[Interval]) -> bool:
    start, end = span
    return any((lo <= start < hi) if start == end else (start < hi and end > lo) for lo, hi in region)


@dataclass(frozen=True)
class Basis:
    """What a figure rests on: the window, the covered seconds in it and how many incidents count."""

    window: Window
    covered_seconds: float
    incidents: int
    date_only: int = 0

    @property
    def partial(self) -> bool:
        return 0 < self.covered_seconds < self.window.seconds

    @property
    def covered_days(self) -> float:
        return self.covered_seconds / 86400


@dataclass(frozen=True)
class Availability:
    """1 − severe time ÷ covered time, and the status-page weighting (critical 1, major 0.3)."""

    basis: Basis
    value: float | None
    weighted: float | None
    severe_seconds: float
    critical_seconds: float


def availability(
    incidents: Sequence[Incident], region: Sequence[Interval], window: Window, now: datetime
) -> Availability:
    """A over the covered region of `window` for these incidents (already chosen by scope and class).

    Only confirmed, timed, severe incidents enter; date-only severe ones are counted apart. Where
    levels overlap the higher one wins: major time under critical time counts as critical.
    """
    severe = [i for i in confirmed(incidents) if i.impact in SEVERE]
    spans = {i.id: interval(i, now) for i in severe}
    inside = [i for i in severe if touches(spans[i.id], region)]
    timed = [i for i in inside if not i.date_only]
    covered = total_seconds(region)
    all_severe = overlap_seconds((spans[i.id] for i in timed), region)
    critical = overlap_seconds((spans[i.id] for i in timed if i.impact == "critical"), region)
    basis = Basis(window, covered, len(timed), len(inside) - len(timed))
    if covered <= 0:
        return Availability(basis, None, None, all_severe, critical)
    weighted = 1 - (critical + MAJOR_WEIGHT * (all_severe - critical)) / covered
    return Availability(basis, 1 - all_severe / covered, weighted, all_severe, critical)


def on_whole_product(incident: Incident) -> bool:
    """An incident that names models counts on those models, not as an outage of the whole product."""
    return incident.scope in (ALL_MODELS, UNSPECIFIED)


def class_availability(
    incidents: Sequence[Incident],
    classes_of: Callable[[Incident], tuple[str, ...]],
    cls: str,
    covered: Sequence[Interval],
    window: Window,
    now: datetime,
) -> Availability:
    """A_c: severe incidents listing a product of class `cls` with model scope `all` or `unspecified`."""
    chosen = [i for i in incidents if on_whole_product(i) and cls in classes_of(i)]
    return availability(chosen, covered_part(covered, window), window, now)


def model_life(released: datetime | None, covered: Sequence[Interval], window: Window) -> list[Interval]:
    """L_m = [released, t1) ∩ C_v ∩ W; the whole covered window when the release time is unknown."""
    start = max(window.start, released) if released else window.start
    return covered_part(covered, Window(start, max(start, window.end)))


def model_availability(
    incidents: Sequence[Incident], model_id: str, released: datetime | None, covered: Sequence[Interval],
    window: Window, now: datetime,
) -> Availability:  # fmt: skip
    """A_m over the model's life only; null when that life holds under 30 covered days."""
    life = model_life(released, covered, window)
    chosen = [i for i in incidents if i.covers_model(model_id)]
    result = availability(chosen, life, window, now)
    if total_seconds(life) < MODEL_LIFE_MIN.total_seconds():
        return Availability(result.basis, None, None, result.severe_seconds, result.critical_seconds)
    return result


def episodes(incidents: Iterable[Incident], now: datetime) -> int:
    """Maximal groups of incidents whose intervals overlap: one event posted as five records is one."""
    return len(episode_spans(interval(i, now) for i in incidents))


@dataclass(frozen=True)
class Rate:
    """n incidents per 30 covered days with Garwood's exact 95 % interval, and the episodes they form."""

    basis: Basis
    episodes: int
    per_30d: float | None
    low: float | None
    high: float | None


def rate(incidents: Sequence[Incident], covered: Sequence[Interval], window: Window, now: datetime) -> Rate:
    """λ = n ÷ (T / 30 days) over confirmed incidents that start inside C_v ∩ W (date-only ones included)."""
    region = covered_part(covered, window)
    counted = [i for i in confirmed(incidents) if starts_in(i, region)]
    covered_seconds = total_seconds(region)
    n = len(counted)
    basis = Basis(window, covered_seconds, n, sum(1 for i in counted if i.date_only))
    if covered_seconds <= 0:
        return Rate(basis, episodes(counted, now), None, None, None)
    periods = covered_seconds / (RATE_DAYS * 86400)
    low, high = garwood(n)
    return Rate(basis, episodes(counted, now), n / periods, low / periods, high / periods)


RATE_KINDS: tuple[str, ...] = ("all", "severe", "critical")


def rates(
    incidents: Sequence[Incident],
    classes_of: Callable[[Incident], tuple[str, ...]],
    covered: Sequence[Interval],
    window: Window,
    now: datetime,
) -> dict[str, Rate]:
    """All, severe and critical incidents, and severe incidents per product class."""
    chosen: dict[str, list[Incident]] = {
        "all": list(incidents),
        "severe": [i for i in incidents if i.impact in SEVERE],
        "critical": [i for i in incidents if i.impact == "critical"],
    }
    for cls in HEADLINE_CLASSES:
        chosen[f"severe_{cls}"] = [i for i in chosen["severe"] if cls in classes_of(i)]
    return {kind: rate(items, covered, window, now) for kind, items in chosen.items()}
