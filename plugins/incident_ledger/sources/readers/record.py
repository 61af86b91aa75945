"""The one shape every status-data reader produces and the importer consumes.

Readers know a vendor's published format; the importer knows the ledger. This
record is the contract between them, so a new source kind is one new reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class ExportError(ValueError):
    """The data cannot be read as the kind it claims to be (wrong shape, truncated, an HTML page)."""


@dataclass(frozen=True)
class VendorUpdate:
    """One post of the vendor; `status` is a ledger status or "" when the vendor's word has no equivalent.

    `at` is the time the page shows, which a vendor may set back to when the impact began; `posted`, where
    the source keeps it, is when the post was really written (for telling a window posted after the fact).
    """

    at: datetime
    status: str
    text: str
    components: tuple[str, ...] = ()
    posted: datetime | None = None


@dataclass(frozen=True)
class VendorIncident:
    """An incident as the vendor published it, times timezone-aware UTC, text already plain.

    `impact` is on the ledger scale (none|minor|major|critical) or None when the
    vendor gave no grade the reader can map; `impact_vendor` keeps the vendor's own word.
    """

    ref_source: str
    id: str
    title: str
    url: str
    start: datetime | None
    end: datetime | None
    resolved: bool
    impact: str | None
    impact_vendor: str | None
    components: tuple[str, ...] = ()
    updates: tuple[VendorUpdate, ...] = ()
    maintenance: bool = False
    shortlink: str | None = None
