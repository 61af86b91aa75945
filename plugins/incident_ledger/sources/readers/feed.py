"""Atom and RSS history feeds: Statuspage's `/history.atom` / `/history.rss` and Better Stack's `/feed.rss`.

Feeds carry less than the JSON exports: no impact grade, and on Statuspage the
updates only as an HTML list inside each entry. The XML helpers here are shared
by the Azure and Instatus feed readers, so every feed is parsed with the same
guards (no DOCTYPE, no entities, HTML and truncation told apart).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit
from xml.parsers import expat

from ...ledger.model import STATUSES, TITLE_MAX, UPDATE_TEXT_MAX
from ...ledger.urls import url_problem
from .record import ExportError, VendorIncident, VendorUpdate
from .statuspage import ref_source_of
from .text import clean_names, clean_text, looks_like_html, vendor_time

ATOM = "{http://www.w3.org/2005/Atom}"
UPDATE_LIMIT = UPDATE_TEXT_MAX
MAINTENANCE_WORDS = frozenset({"scheduled", "in progress", "verifying", "completed", "maintenance"})
# expat error codes that mean "the document stopped early": no element found, unclosed token, unclosed CDATA.
TRUNCATION_CODES = frozenset({3, 5, 20})


@dataclass(frozen=True)
class FeedItem:
    """One RSS `<item>` or Atom `<entry>`, before any vendor-specific reading; `body` is still HTML."""

    id: str
    title: str
    link: str
    published: datetime | None
    updated: datetime | None
    body: str
    categories: tuple[str, ...] = ()


# -- parsing ----------------------------------------------------------------------------


def _refuse_declarations(data: bytes, what: str) -> None:
    """A first pass with expat itself, whatever the encoding (UTF-16 too), that stops at any DOCTYPE or entity."""

    def refuse(*_: object) -> None:
        raise ExportError(f"the {what} declares a DOCTYPE or ENTITY, which is refused (entity-expansion guard)")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(data, True)


MAX_TAGS = 200_000  # a status feed holds some hundreds of entries of a few dozen tags each


def parse_xml(data: bytes, what: str) -> ET.Element:
    """The document's root element; an HTML page, a truncated download or an entity declaration is an ExportError.

    DOCTYPE and ENTITY declarations are refused outright: no status feed needs
    them, and refusing them is the stdlib-only defence against entity expansion.
    """
    if looks_like_html(data):
        raise ExportError(f"got an HTML page instead of the {what} (an error or log-in page?)")
    if not data.strip():
        raise ExportError("the response is empty")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        raise ExportError(f"got JSON, not the {what} (an XML feed); is this the right kind?")
    if data.count(b"<") > MAX_TAGS:  # counted before any element is built: each costs far more than its bytes
        raise ExportError(f"the {what} holds over {MAX_TAGS:,} tags, more than any status feed; refused")
    try:
        _refuse_declarations(data, what)
        return ET.fromstring(data)
    except RecursionError:
        raise ExportError(f"the {what} is nested too deeply to be a status feed") from None
    except (ET.ParseError, expat.ExpatError) as error:
        line, column = getattr(error, "position", None) or (error.lineno, error.offset)
        if error.code in TRUNCATION_CODES:
            raise ExportError(f"the {what} is truncated (ends at line {line}, column {column})") from None
        raise ExportError(f"malformed XML in the {what} at line {line}, column {column}") from None


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _child(element: ET.Element, *names: str) -> ET.Element | None:
    for name in names:
        found = element.find(name)
        if found is not None:
            return found
    return None


def feed_time(value: str) -> datetime | None:
    """An RSS (RFC 822) or Atom (ISO 8601) date as aware UTC; a zone-less RFC 822 date is read as UTC."""
    value = value.strip()
    if not value:
        return None
    iso = vendor_time(value)
    if iso is not None:
        return iso
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _atom_link(entry: ET.Element) -> str:
    links = entry.findall(f"{ATOM}link")
    chosen = next((link for link in links if link.get("rel", "alternate") == "alternate"), None)
    return (chosen if chosen is not None else links[0]).get("href", "").strip() if links else ""


def _atom_item(entry: ET.Element) -> FeedItem:
    body = _child(entry, f"{ATOM}content", f"{ATOM}summary")
    if body is not None and body.get("type") == "xhtml":
        html = "".join(ET.tostring(child, encoding="unicode") for child in body)
    else:
        html = _text(body)
    return FeedItem(
        id=_text(entry.find(f"{ATOM}id")),
        title=_text(entry.find(f"{ATOM}title")),
        link=_atom_link(entry),
        published=feed_time(_text(entry.find(f"{ATOM}published"))),
        updated=feed_time(_text(entry.find(f"{ATOM}updated"))),
        body=html,
        categories=tuple(c.get("term", "").strip() for c in entry.findall(f"{ATOM}category") if c.get("term")),
    )


def _rss_item(item: ET.Element) -> FeedItem:
    published = feed_time(_text(item.find("pubDate")))
    return FeedItem(
        id=_text(item.find("guid")),
        title=_text(item.find("title")),
        link=_text(item.find("link")),
        published=published,
        updated=published,
        body=_text(item.find("description")),
        categories=tuple(text for text in (_text(c) for c in item.findall("category")) if text),
    )


def feed_items(root: ET.Element, what: str) -> tuple[str, list[FeedItem]]:
    """("atom" | "rss", the items) of a parsed feed; any other document is the wrong shape."""
    if root.tag == f"{ATOM}feed":
        return "atom", [_atom_item(entry) for entry in root.findall(f"{ATOM}entry")]
    if root.tag != "rss":
        raise ExportError(f"the XML is a <{root.tag}> document, not an RSS or Atom feed (expected the {what})")
    channel = root.find("channel")
    if channel is None:
        raise ExportError(f"the RSS document has no <channel> (expected the {what})")
    return "rss", [_rss_item(item) for item in channel.findall("item")]


def read_feed(data: bytes, what: str) -> tuple[str, list[FeedItem]]:
    """Parse and list a feed in one step, as every feed reader starts."""
    return feed_items(parse_xml(data, what), what)


# -- shared reading ---------------------------------------------------------------------


def plain(html: str, limit: int) -> str:
    """`clean_text` that keeps paragraphs apart: "<p>a</p><p>b</p>" reads "a b", not "ab"."""
    spaced = re.sub(r"(<br\s*/?>|</(?:p|div|li|h[1-6]|tr|td)\s*>)", r"\1 ", html, flags=re.IGNORECASE)
    return clean_text(spaced, limit)


def ledger_status(word: str) -> str:
    """A vendor's status label as a ledger status, or "" when it has no equivalent (e.g. maintenance words)."""
    word = " ".join(word.lower().split())
    return word if word in STATUSES else ""


def is_maintenance_word(word: str) -> bool:
    return " ".join(word.lower().split()) in MAINTENANCE_WORDS


def strip_tracking(url: str) -> str:
    """A feed link without its `?utm_source=…` query or `#fragment`, so all links of one incident compare equal."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def page_of(base_url: str) -> str:
    """The status page a feed or JSON file was fetched from: `…/history.atom` and `…/v2/summary.json` give `…`."""
    parts = urlsplit(strip_tracking(base_url))
    path = parts.path.rstrip("/")
    while (path and "." in path.rsplit("/", 1)[-1]) or path.endswith(("/v2", "/api")):
        path = path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def safe_url(candidate: str, fallback: str) -> str:
    """The vendor's link when it is a plain https:// URL, else `fallback`: feed links are untrusted text."""
    return candidate if not url_problem(candidate) else fallback


def last_segment(url: str) -> str:
    return strip_tracking(url).rstrip("/").rsplit("/", 1)[-1]


def resolved_end(updates: Iterable[VendorUpdate]) -> tuple[bool, datetime | None]:
    """Whether the newest update closes the incident, and then the time of that closing update."""
    ordered = list(updates)  # in time order already; a sort here would undo the feed's order within a minute
    if ordered and ordered[-1].status in ("resolved", "postmortem"):
        closing = [u.at for u in ordered if u.status == "resolved"]
        return True, (closing[-1] if closing else ordered[-1].at)
    return False, None


# -- Statuspage history feed ------------------------------------------------------------

MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5, "EST": -5,
         "EDT": -4, "CET": 1, "CEST": 2, "BST": 1, "IST": 5.5, "JST": 9}  # fmt: skip
STAMP = re.compile(
    r"(?P<month>[A-Za-z]{3})[a-z]*\s+(?P<day>\d{1,2}),?\s*(?:(?P<year>\d{4})\s*[-,]?\s*)?"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<zone>[A-Z]{1,4})?"
)
BLOCK = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
LABEL = re.compile(r"<(strong|b)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
SMALL = re.compile(r"<small\b[^>]*>(.*?)</small\s*>", re.IGNORECASE | re.DOTALL)
AFFECTED = re.compile(r"This incident affected:\s*(.+)", re.IGNORECASE | re.DOTALL)


def _stamp(text: str, anchor: datetime) -> datetime | None:
    """An update's "Sep 10, 14:05 UTC" stamp; the year is the one that puts it nearest the entry's own date."""
    found = STAMP.search(clean_text(text, 200))
    if found is None or found["month"].lower() not in MONTHS:
        return None
    offset = ZONES.get(found["zone"] or "UTC")
    if offset is None:
        return None
    years = [int(found["year"])] if found["year"] else [anchor.year - 1, anchor.year, anchor.year + 1]
    candidates = []
    for year in years:
        try:
            local = datetime(year, MONTHS[found["month"].lower()], int(found["day"]), int(found["hour"]),
                             int(found["minute"]), tzinfo=UTC)  # fmt: skip
            candidates.append(local - timedelta(hours=offset))
        except (ValueError, OverflowError):
            continue
    return min(candidates, key=lambda moment: abs(moment - anchor), default=None)


def _statuspage_update(block: str, anchor: datetime) -> tuple[VendorUpdate | None, str]:
    """One `<p>` of a Statuspage entry as an update (None without a readable stamp), and its label word."""
    small = SMALL.search(block)
    label = LABEL.search(block)
    if small is None or label is None:
        return None, ""
    at = _stamp(small.group(1), anchor)
    word = clean_text(label.group(2), 40)
    text = plain(block[label.end() :], UPDATE_LIMIT).lstrip("-–— ").strip()
    return (VendorUpdate(at, ledger_status(word), text or word) if at else None), word


def _affected(html: str) -> tuple[str, ...]:
    """Components from Statuspage's closing "This incident affected: A (Group) and B." line, when present."""
    found = AFFECTED.search(clean_text(html, 5000))
    if found is None:
        return ()
    names = re.split(r",\s*|\s+and\s+", found.group(1).strip().rstrip("."))
    return clean_names(names)


def _statuspage_id(item: FeedItem) -> str:
    """The incident code of the link (`/incidents/q7txxvbsftgq`), which is the `id` of Statuspage's JSON too.

    The Atom `<id>` (`tag:…,2005:Incident/24681357`) holds an internal number the
    JSON never shows, so it is only the fallback.
    """
    for source in (item.link, item.id):
        if "/incidents/" in source:
            return last_segment(source)
    tagged = re.search(r"Incident/([A-Za-z0-9]+)\s*$", item.id)
    return tagged.group(1) if tagged else item.id.strip()


def _statuspage_record(item: FeedItem, base_url: str) -> VendorIncident | None:
    ident = _statuspage_id(item)
    anchor = item.published or item.updated
    if not ident or anchor is None:
        return None
    dated: list[tuple[VendorUpdate, str]] = []
    maintenance = False
    for block in BLOCK.findall(item.body):
        update, word = _statuspage_update(block, anchor)
        maintenance = maintenance or is_maintenance_word(word)
        if update is not None:
            dated.append((update, word))
    dated.reverse()  # the feed lists updates newest first; equal minutes then keep the vendor's order
    dated.sort(key=lambda pair: pair[0].at)
    updates = [update for update, _ in dated]
    resolved, end = resolved_end(updates)
    if maintenance and dated and dated[-1][1].lower() == "completed":
        resolved, end = True, dated[-1][0].at
    link = safe_url(strip_tracking(item.link), f"{page_of(base_url)}/incidents/{ident}")
    return VendorIncident(
        ref_source=ref_source_of(ident, link),
        id=ident,
        title=clean_text(item.title, TITLE_MAX),
        url=link,
        start=updates[0].at if updates else anchor,
        end=end,
        resolved=resolved,
        impact=None,
        impact_vendor=None,
        components=_affected(item.body),
        updates=tuple(updates),
        maintenance=maintenance,
    )


def read_atom(data: bytes, base_url: str) -> list[VendorIncident]:
    """Statuspage's `/history.atom` or `/history.rss`: one entry per incident, its updates listed in the HTML body.

    Feeds carry no impact grade, so `impact` is None; the ids are the incident ids
    of Statuspage's JSON, so a feed import and a JSON import match the same file.
    """
    _, items = read_feed(data, "Statuspage history feed")
    records = [_statuspage_record(item, base_url) for item in items]
    return [record for record in records if record is not None]


# -- per-update feeds (Better Stack, Instatus) -----------------------------------------

BRACKET = re.compile(r"^\s*\[([^\]]{1,40})\]\s*")
LEADING = re.compile(r"^\s*(?:<[^>]+>\s*)*([A-Za-z][A-Za-z ]{2,20}?)\s*(?:</[^>]+>\s*)*[-–—:]\s", re.DOTALL)


def _label(item: FeedItem) -> tuple[str, str, str]:
    """(status word, title, body) of an update item: "[Resolved] Title", else a "Resolved - text" body.

    A leading "Word -" is taken, and cut from the body, only when it is a status or
    maintenance word, so "Summary of impact: …" stays part of the text.
    """
    bracket = BRACKET.match(item.title)
    if bracket:
        return bracket.group(1), item.title[bracket.end() :], item.body
    leading = LEADING.match(item.body)
    if leading and (ledger_status(leading.group(1)) or is_maintenance_word(leading.group(1))):
        return leading.group(1), item.title, item.body[leading.end() :]
    return "", item.title, item.body


def group_updates(items: Iterable[FeedItem], ref_source: str, base_url: str) -> list[VendorIncident]:
    """Feeds with one item per update: items of one incident share a link, and each is an update of it."""
    groups: dict[str, list[FeedItem]] = {}
    for item in items:
        key = strip_tracking(item.link or item.id)
        if key and item.published is not None:
            groups.setdefault(key, []).append(item)
    return [_grouped_record(key, members, ref_source, base_url) for key, members in groups.items()]


def _grouped_record(key: str, members: list[FeedItem], ref_source: str, base_url: str) -> VendorIncident:
    members.reverse()  # feeds list newest first; items of one minute then keep the vendor's order
    members.sort(key=lambda item: item.published or datetime.min.replace(tzinfo=UTC))
    updates: list[VendorUpdate] = []
    maintenance, title = False, ""
    for item in members:
        word, title, body = _label(item)
        maintenance = maintenance or is_maintenance_word(word)
        text = plain(body, UPDATE_LIMIT)
        if item.published is not None:
            updates.append(VendorUpdate(item.published, ledger_status(word), text or clean_text(word, 40)))
    resolved, end = resolved_end(updates)
    categories = clean_names(c for item in members for c in item.categories)
    return VendorIncident(
        ref_source=ref_source,
        id=last_segment(key),
        title=clean_text(title, TITLE_MAX),
        url=safe_url(key, page_of(base_url)),
        start=updates[0].at,
        end=end,
        resolved=resolved,
        impact=None,
        impact_vendor=None,
        components=categories,
        updates=tuple(updates),
        maintenance=maintenance,
    )


def read_betterstack(data: bytes, base_url: str) -> list[VendorIncident]:
    """Better Stack's `/feed.rss`: one item per status update, "[Resolved] Title", grouped into incidents by link.

    The id is the last segment of the incident link (`/incidents/98765`); the
    feed carries no impact grade, so `impact` is None.
    """
    _, items = read_feed(data, "Better Stack status feed")
    return group_updates(items, "betterstack", base_url)
