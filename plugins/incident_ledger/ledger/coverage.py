"""Coverage: the time over which the ledger holds every incident a vendor posted.

Pure values and arithmetic. A figure may only treat time as "no incidents" where
coverage says the ledger was watching; everything else is "not tracked".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from .stats import Interval, union


@dataclass(frozen=True)
class SourceCoverage:
    """What one collected source covers, and the HTTP validators that make the next fetch cheap."""

    kind: str
    url: str
    spans: tuple[Interval, ...] = ()
    fetched: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    note: str | None = None
    # How completeness over the spans was established, in words, and the check that was run.
    basis: str | None = None
    check: str | None = None


@dataclass(frozen=True)
class Coverage:
    vendors: Mapping[str, tuple[SourceCoverage, ...]] = field(default_factory=dict)

    def spans(self, vendor_id: str) -> list[Interval]:
        """Union over the vendor's sources: any one source watching is enough."""
        return union(span for source in self.vendors.get(vendor_id, ()) for span in source.spans)

    def last_end(self, vendor_id: str) -> datetime | None:
        """Where the vendor's established coverage ends, from whatever basis."""
        spans = self.spans(vendor_id)
        return spans[-1][1] if spans else None

    def first(self, vendor_id: str) -> datetime | None:
        spans = self.spans(vendor_id)
        return spans[0][0] if spans else None

    def source(self, vendor_id: str, url: str) -> SourceCoverage | None:
        return next((s for s in self.vendors.get(vendor_id, ()) if s.url == url), None)

    def with_source(self, vendor_id: str, updated: SourceCoverage) -> Coverage:
        """A copy with one source replaced (or added), other vendors and sources untouched."""
        others = [s for s in self.vendors.get(vendor_id, ()) if s.url != updated.url]
        vendors = dict(self.vendors)
        vendors[vendor_id] = tuple(sorted([*others, updated], key=lambda s: s.url))
        return Coverage(vendors)


# `collect` runs every six hours: coverage that ends within a day of the reference time is still watched.
STALE_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Watch:
    """Whether the ledger was watching a vendor at the reference time; `until` is where its coverage ends."""

    watched: bool
    until: datetime | None


def watch(coverage: Coverage, vendor_id: str, now: datetime) -> Watch:
    """A vendor nobody watched lately must never read as "no ongoing incidents"."""
    until = coverage.last_end(vendor_id)
    return Watch(until is not None and until >= now - STALE_AFTER, until)


@dataclass(frozen=True)
class Extension:
    coverage: SourceCoverage
    gap: Interval | None


def unchanged_since(previous: SourceCoverage, now: datetime) -> Extension:
    """A 304 Not Modified: the list is what it was at the previous fetch, so coverage runs on to now."""
    if previous.fetched is None or previous.fetched >= now:
        return Extension(previous, None)
    spans = tuple(union([*previous.spans, (previous.fetched, now)]))
    return Extension(replace(previous, spans=spans, fetched=now), None)
