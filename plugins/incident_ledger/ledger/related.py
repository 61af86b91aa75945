"""Related incidents: one sweep over intervals sorted by start, so the cost stays near-linear.

Two kinds: incidents of other vendors whose impact overlapped in time (a shared
upstream cause is often behind them), and incidents of the same vendor within a
day before or after.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .model import Incident
from .stats import interval

NEARBY = timedelta(days=1)
MAX_LISTED = 10


@dataclass
class Related:
    other_vendors: list[Incident] = field(default_factory=list)
    same_vendor: list[Incident] = field(default_factory=list)


def _overlaps(items: Sequence[tuple[datetime, datetime, Incident]]) -> list[tuple[Incident, Incident]]:
    """Pairs whose [start, end] spans intersect; a heap drops spans that ended before each new start."""
    ordered = sorted(items, key=lambda item: (item[0], item[2].id))
    active: list[tuple[datetime, str, Incident]] = []
    pairs = []
    for start, end, incident in ordered:
        while active and active[0][0] < start:
            heapq.heappop(active)
        pairs.extend((other, incident) for _, _, other in active)
        heapq.heappush(active, (end, incident.id, incident))
    return pairs


def related_incidents(incidents: Sequence[Incident], now: datetime) -> dict[str, Related]:
    """For every incident id, its related incidents, nearest in start time first."""
    result: dict[str, Related] = defaultdict(Related)
    spans = [(*interval(i, now), i) for i in incidents]
    for first, second in _overlaps(spans):
        if first.vendor != second.vendor:
            result[first.id].other_vendors.append(second)
            result[second.id].other_vendors.append(first)
    by_vendor: dict[str, list[tuple[datetime, datetime, Incident]]] = defaultdict(list)
    for start, end, incident in spans:
        by_vendor[incident.vendor].append((start, end + NEARBY, incident))
    for items in by_vendor.values():
        for first, second in _overlaps(items):
            result[first.id].same_vendor.append(second)
            result[second.id].same_vendor.append(first)
    for incident in incidents:
        entry = result[incident.id]

        def distance(other: Incident, incident: Incident = incident) -> tuple[float, str]:
            return (abs((other.start - incident.start).total_seconds()), other.id)

        entry.other_vendors = sorted(entry.other_vendors, key=distance)[:MAX_LISTED]
        entry.same_vendor = sorted(entry.same_vendor, key=distance)[:MAX_LISTED]
    return dict(result)
