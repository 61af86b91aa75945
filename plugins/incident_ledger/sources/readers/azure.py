"""Azure's status RSS feed (`https://azure.status.microsoft/en-us/status/feed/`).

Azure posts prose, not fields: an item has a title ("Azure OpenAI Service -
East US - Mitigated"), an HTML description, a pubDate and `<category>` elements
naming the service and region. The impact window is only in the text
("Between 14:00 UTC on 01 Jan 2026 and 16:30 UTC on 01 Jan 2026"), so that is
read when present; everything else of the item is kept as the update text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ...ledger.model import TITLE_MAX, UPDATE_TEXT_MAX
from .feed import MONTHS, FeedItem, plain, read_feed, safe_url
from .record import ExportError, VendorIncident, VendorUpdate
from .text import clean_text

HISTORY_PAGE = "https://azure.status.microsoft/en-us/status/history/"
UPDATE_LIMIT = UPDATE_TEXT_MAX
_TIME = r"(\d{1,2}):(\d{2})\s*UTC"
_DATE = r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})"
# "Between 14:00 UTC on 01 Jan 2026 and 16:30 UTC on 02 Jan 2026"
WINDOW_TWO_DAYS = re.compile(rf"between\s+{_TIME}\s+on\s+{_DATE}\s+and\s+{_TIME}\s+on\s+{_DATE}", re.IGNORECASE)
# "Between 14:00 UTC and 16:30 UTC on 01 Jan 2026" (and "Between 14:00 and 16:30 UTC on …")
WINDOW_ONE_DAY = re.compile(
    rf"between\s+(\d{{1,2}}):(\d{{2}})(?:\s*UTC)?\s+and\s+{_TIME}\s+on\s+{_DATE}", re.IGNORECASE
)
TRACKING_ID = re.compile(r"Tracking\s+ID:?\s*([A-Z0-9]{3,5}(?:-[A-Z0-9]{2,5})+)", re.IGNORECASE)
# A closing statement in the text: "has been mitigated", "is now resolved", or a Post Incident Review.
CLOSED_TEXT = re.compile(
    r"\b(?:post[- ]incident review|(?:has|have|was|were|is|are)\s+(?:now\s+)?(?:been\s+)?(?:fully\s+)?"
    r"(?:mitigated|resolved))\b",
    re.IGNORECASE,
)
CLOSED_TITLE = re.compile(r"\b(?:mitigated|resolved)\b", re.IGNORECASE)
NOT_CLOSED = re.compile(
    r"\b(?:not|never)\s+(?:yet\s+)?(?:been\s+)?(?:fully\s+)?(?:mitigated|resolved)\b", re.IGNORECASE
)
# Azure region display names, so `<category>` values naming a region are not taken for services.
REGIONS = frozenset(
    name.lower()
    for name in (
        "Global", "East US", "East US 2", "West US", "West US 2", "West US 3", "Central US", "North Central US",
        "South Central US", "West Central US", "Canada Central", "Canada East", "Brazil South", "North Europe",
        "West Europe", "UK South", "UK West", "France Central", "Germany West Central", "Norway East",
        "Sweden Central", "Switzerland North", "Poland Central", "Italy North", "Spain Central", "Southeast Asia",
        "East Asia", "Australia East", "Australia Southeast", "Central India", "South India", "West India",
        "Japan East", "Japan West", "Korea Central", "Korea South", "UAE North", "South Africa North",
        "Qatar Central", "Israel Central", "Mexico Central", "New Zealand North",
    )
)  # fmt: skip


def _moment(hour: str, minute: str, day: str, month: str, year: str) -> datetime | None:
    number = MONTHS.get(month[:3].lower())
    if number is None:
        return None
    try:
        return datetime(int(year), number, int(day), int(hour), int(minute), tzinfo=UTC)
    except ValueError:
        return None


def impact_window(text: str) -> tuple[datetime, datetime] | None:
    """The (start, end) of the first "Between … and …" sentence in Azure's text, when it reads as a real window."""
    found = WINDOW_TWO_DAYS.search(text)
    if found:
        h1, m1, d1, mo1, y1, h2, m2, d2, mo2, y2 = found.groups()
        start, end = _moment(h1, m1, d1, mo1, y1), _moment(h2, m2, d2, mo2, y2)
    else:
        found = WINDOW_ONE_DAY.search(text)
        if found is None:
            return None
        h1, m1, h2, m2, day, month, year = found.groups()
        start, end = _moment(h1, m1, day, month, year), _moment(h2, m2, day, month, year)
    if start is None or end is None or end < start:
        return None
    return start, end


def _services(item: FeedItem) -> tuple[str, ...]:
    """The Azure services named: `<category>` values that are not regions, else the title's leading clause."""
    named = [c.strip() for c in item.categories if c.strip() and c.strip().lower() not in REGIONS]
    if not named:
        clauses = [part.strip() for part in re.split(r"\s+[-–—|]\s+", item.title) if part.strip()]
        clauses = [part for part in clauses if not part.lower().startswith("post incident review")]
        if len(clauses) >= 2 and clauses[0].lower() not in REGIONS:
            named = [clauses[0]]
    return tuple(dict.fromkeys(clean_text(name, 80) for name in named))


def _ident(item: FeedItem) -> str:
    """Azure's Tracking ID when the text gives one (stable across PIR and updates), else the guid or link."""
    found = TRACKING_ID.search(clean_text(f"{item.title} {item.body}", 20000))
    if found:
        return found.group(1).upper()
    return (item.id or item.link).strip()


def _is_resolved(title: str, text: str, window: tuple[datetime, datetime] | None) -> bool:
    """Closed when the text states an ended window, the title says "Mitigated"/"Resolved", or the text says so."""
    if NOT_CLOSED.search(title) or NOT_CLOSED.search(text):
        return False
    return window is not None or bool(CLOSED_TITLE.search(title) or CLOSED_TEXT.search(f"{title} {text}"))


def _merge(items: list[FeedItem]) -> VendorIncident:
    """Items sharing a Tracking ID are one incident: the newest title, every item's text as an update."""
    items.sort(key=lambda item: item.published or datetime.min.replace(tzinfo=UTC))
    newest = items[-1]
    texts = [plain(item.body, UPDATE_LIMIT) for item in items]
    window = next((w for w in (impact_window(t) for t in reversed(texts)) if w), None)
    resolved = _is_resolved(newest.title, texts[-1], window)
    updates = tuple(
        VendorUpdate(item.published, "resolved" if resolved and item is newest else "", text or item.title)
        for item, text in zip(items, texts, strict=True)
        if item.published is not None
    )
    start = window[0] if window else (items[0].published or None)
    services = tuple(dict.fromkeys(name for item in items for name in _services(item)))
    link = safe_url(newest.link.strip(), HISTORY_PAGE)  # keep Azure's `?trackingId=` query: it is the address
    return VendorIncident(
        ref_source="azure",
        id=_ident(newest),
        title=clean_text(newest.title, TITLE_MAX),
        url=link,
        start=start,
        end=window[1] if window else None,
        resolved=resolved,
        impact=None,
        impact_vendor=None,
        components=services,
        updates=updates,
    )


def read_azure(data: bytes, base_url: str) -> list[VendorIncident]:
    """Every item of a saved Azure status feed, items with one Tracking ID merged; an empty channel is no incidents.

    Azure gives no impact grade, so `impact` is None. `base_url` is unused: Azure has one status page.
    """
    del base_url
    kind, items = read_feed(data, "Azure status feed")
    if kind != "rss":
        raise ExportError("the feed is Atom, but Azure's status feed is RSS (expected azure.status.microsoft's feed)")
    groups: dict[str, list[FeedItem]] = {}
    for item in items:
        ident = _ident(item)
        if ident:
            groups.setdefault(ident, []).append(item)
    return [_merge(members) for members in groups.values()]
