"""When a fetched list lets coverage grow: only on evidence that nothing the vendor posted was missed.

A status list shows the newest incidents only. It vouches for the time since the last
fetch when it reaches back to that fetch and holds every incident the ledger knows, by the
vendor's id, from the oldest item it shows up to now, the stretch it is about to vouch for
included; a list that is empty, misses one of them or starts later proves nothing about the
time in between, and a list that misses some extends nothing and names them. Ids of one
vendor count across the archive/live boundary: Statuspage and incident.io ids are one family.
A first fetch starts coverage at its own time, unless coverage established before (an
archive backfill) ends where this list still reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ..ledger.coverage import Extension, SourceCoverage
from ..ledger.stats import union
from ..ledger.timeutil import TimeError, iso, parse_time
from .importer import Existing
from .readers.record import VendorIncident

COLLECT_BASIS = (
    "collect: each fetch of the vendor's list reached back to the previous fetch and still held every "
    "incident the ledger had from that stretch"
)
# Reference sources one list may hold ids of: incident.io serves Statuspage's shape, and an archive of a page
# that moved to incident.io holds Statuspage ids for the same vendor.
FAMILIES = ({"statuspage", "incident.io"},)
MISSING_SHOWN = 10


def family(ref_sources: set[str]) -> set[str]:
    """The reference sources whose ids a list of these sources must still hold."""
    found = set(ref_sources)
    for group in FAMILIES:
        if found & group:
            found |= group
    return found


@dataclass(frozen=True)
class Seen:
    """The vendor's incidents the ledger already holds: vendor id and start, per file."""

    starts: Mapping[str, datetime]

    @classmethod
    def of(cls, existing: Iterable[Existing], vendor_id: str, ref_sources: set[str]) -> Seen:
        ref_sources = family(ref_sources)
        starts = {}
        for item in existing:
            data = item.doc.data or {}
            if data.get("vendor") != vendor_id:
                continue
            try:
                start = parse_time(str(data.get("start")))
            except TimeError:
                continue
            for ref in data.get("vendor_refs") or []:
                if isinstance(ref, Mapping) and ref.get("source") in ref_sources:
                    starts[str(ref.get("id"))] = start
        return cls(starts)


@dataclass(frozen=True)
class Decision:
    extension: Extension | None
    reason: str = ""


def continues(
    previous: SourceCoverage,
    records: Sequence[VendorIncident],
    seen: Seen,
    established: datetime | None,
    now: datetime,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Decision:
    """Coverage after a list fetched at `now` holding `records` (maintenance and skipped items left out).

    `established` is where the vendor's coverage from other bases (an archive) ends; it anchors a
    first fetch. The returned reason says why coverage did not grow, for the run's report.
    """
    fetched = replace(previous, fetched=now, etag=etag, last_modified=last_modified)
    if not records:
        return Decision(None, "the list holds no incident the ledger records (empty, or every item skipped)")
    anchor = previous.fetched or established
    if anchor is None:
        return Decision(Extension(fetched, None), "first fetch: coverage starts now")
    starts = [r.start for r in records if r.start is not None]
    oldest = min(starts, default=now)
    ids = {r.id for r in records}
    missing = sorted(
        (i for i, start in seen.starts.items() if oldest <= start <= now and i not in ids), key=seen.starts.__getitem__
    )
    if missing:
        shown = ", ".join(missing[:MISSING_SHOWN]) + (" …" if len(missing) > MISSING_SHOWN else "")
        return Decision(
            None,
            f"the list misses {len(missing)} incident(s) the ledger holds from {iso(oldest)} to {iso(now)}: {shown}",
        )
    if oldest > anchor:
        return Decision(
            Extension(fetched, (anchor, oldest)),
            f"the list starts at {iso(oldest)}, after the last fetch at {iso(anchor)}: that stretch is a gap",
        )
    if now <= anchor:
        return Decision(Extension(fetched, None))
    spans = tuple(union([*previous.spans, (anchor, now)]))
    return Decision(Extension(replace(fetched, spans=spans, basis=previous.basis or COLLECT_BASIS), None))
