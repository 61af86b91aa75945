"""xAI's own status feed, `https://status.x.ai/feed.xml`: RSS, one item per incident and product.

Each item's description holds the incident's state ("Status: RESOLVED"), then its
updates newest first, each a dated `<strong>` line, a heading and a paragraph. One
outage that touches several products appears as one item per product with the same
summary and start; those items are one incident here, its products the union.
"""

from __future__ import annotations

import re

from ...ledger.model import TITLE_MAX, UPDATE_TEXT_MAX
from .feed import BRACKET, FeedItem, feed_time, plain, read_feed, safe_url, strip_tracking
from .record import VendorIncident, VendorUpdate
from .text import clean_text

HOST = "status.x.ai"
UPDATE = re.compile(
    r"<div\b[^>]*>\s*<p\b[^>]*>\s*<strong\b[^>]*>(?P<at>[^<]+)</strong>\s*</p>\s*"
    r"<h3\b[^>]*>(?P<heading>.*?)</h3>(?P<text>.*?)</div>",
    re.IGNORECASE | re.DOTALL,
)
STATE = re.compile(r"Status:\s*([A-Za-z_]+)", re.IGNORECASE)
WORDS = (("resolved", "resolved"), ("fix deployed", "monitoring"), ("monitoring", "monitoring"),
         ("identified", "identified"), ("investigating", "investigating"))  # fmt: skip


def is_xai(link: str) -> bool:
    return strip_tracking(link).split("//", 1)[-1].startswith(HOST + "/")


def _status(heading: str) -> str:
    lowered = heading.lower()
    return next((status for word, status in WORDS if word in lowered), "")


def _updates(item: FeedItem) -> list[VendorUpdate]:
    updates = []
    for match in UPDATE.finditer(item.body):
        at = feed_time(match["at"])
        heading = clean_text(match["heading"], 80)
        text = plain(match["text"], UPDATE_TEXT_MAX) or heading
        if at is not None and text:
            updates.append(VendorUpdate(at, _status(heading), text))
    updates.reverse()  # newest first in the feed; same-second posts then keep the vendor's order
    updates.sort(key=lambda u: u.at)
    return updates


def _merged(items: list[FeedItem], base_url: str) -> VendorIncident:
    first = min(items, key=lambda item: item.id)
    products = tuple(dict.fromkeys(p for item in items for p in BRACKET.findall(item.title)))
    updates = sorted({u for item in items for u in _updates(item)}, key=lambda u: u.at)
    state = STATE.search(plain(first.body, 200))
    resolved = bool(state and state.group(1).strip().lower() == "resolved")
    closing = [u.at for u in updates if u.status == "resolved"]
    start = updates[0].at if updates else first.published
    return VendorIncident(
        ref_source="xai",
        id=first.id.strip(),
        title=clean_text(BRACKET.sub("", first.title), TITLE_MAX),
        url=safe_url(strip_tracking(first.link), base_url),
        start=start,
        end=(closing[-1] if closing else updates[-1].at if updates else None) if resolved else None,
        resolved=resolved,
        impact=None,
        impact_vendor=None,
        components=products,
        updates=tuple(updates),
    )


def read_xai(data: bytes, base_url: str) -> list[VendorIncident]:
    """Every incident of the feed; items that share a summary and a start are one incident."""
    _, items = read_feed(data, "xAI status feed")
    groups: dict[tuple[str, str], list[FeedItem]] = {}
    for item in items:
        if not item.id.strip() or item.published is None:
            continue
        key = (BRACKET.sub("", item.title).strip().lower(), item.published.isoformat())
        groups.setdefault(key, []).append(item)
    return [_merged(group, base_url) for group in groups.values()]
