"""The impact window a vendor states in its own words: one rule for every importer, backfill and `validate`.

Vendors often give the window in a summary post: GitHub's resolution posts ("On July 16, 2025,
between 05:20 UTC and 08:30 UTC, …"), Anthropic's ("From 06:57–15:11 UTC, …"), OpenAI's first or
last posts in Pacific time ("Between 3:35AM – 4:50AM PST"). The summary post is the resolution post
(the last `resolved` or `postmortem` one) or, when that states no window, a first post that opens
with one.

US zone names are read as the wall clock of their region at that date's real offset: vendors write
"PST" in July, and the clock they read was the one in America/Los_Angeles.

A window is refused when it is inverted, ends well after the resolution post, or starts more than
seven days before the first post; two different windows in the summary make it ambiguous. Windows
introduced as partial ("an additional brief outage from …", "and again …") are not the summary's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

ZONES: dict[str, tzinfo] = {
    **dict.fromkeys(("utc", "gmt", "z"), UTC),
    **dict.fromkeys(("pt", "pst", "pdt"), ZoneInfo("America/Los_Angeles")),
    **dict.fromkeys(("mt", "mst", "mdt"), ZoneInfo("America/Denver")),
    **dict.fromkeys(("ct", "cst", "cdt"), ZoneInfo("America/Chicago")),
    **dict.fromkeys(("et", "est", "edt"), ZoneInfo("America/New_York")),
}
SUMMARY_STATUSES = ("resolved", "postmortem")
SLACK = timedelta(minutes=15)  # a post typed a little before the end it gives
LATE_END = timedelta(hours=12)  # a summary written into the resolution post later may give a later end
EARLY_START = timedelta(days=7)
LONGEST_UNDATED = timedelta(hours=12)  # an undated window rolling past midnight, at most
AGREES = timedelta(minutes=2)
OPENING = 200  # characters of a first post within which its window must begin

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_YEAR = r"(?:,?\s+\d{4}(?!\d|:))?"
_MONTH_DAY = rf"\b{_MONTH}\s+\d{{1,2}}(?!\d|:)(?:st|nd|rd|th)?{_YEAR}"
_DAY_MONTH = rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}{_YEAR}"
_DATE = rf"(?:(?<![\w-])\d{{4}}-\d{{2}}-\d{{2}}(?![\w-])|{_MONTH_DAY}|{_DAY_MONTH})"
_APPROX = r"(?:(?:about|approximately|approx\.?|roughly|around|~)\s*)?"
_CLOCK = r"\d{1,2}(?::\d{2}){0,2}(?:\s*(?:[ap]\.?m\b\.?|[ap]\b\.?))?"  # "3:55 PST" is no "3:55 p"
_ZONE = r"(?:utc|gmt|z|[pmce][sd]?t)\b"
_END = (
    rf"{_APPROX}(?:{_DATE},?\s+(?:at\s+)?)?{_APPROX}({_CLOCK})(?:\s*\(?({_ZONE})\)?)?"
    rf"(?:\s*/\s*({_CLOCK})\s*\(?({_ZONE})\)?)?(?:(?:,?\s+(?:on\s+)?|\s*\()({_DATE})\)?)?"
)
RANGE = re.compile(
    rf"\b(?:from|between)\s+({_END})\s*(?:-|–|—|to|until|and|through(?:\s+to)?)\s*({_END})",
    re.IGNORECASE,
)
# "after 11:00 PT / 18:00 UTC and until 12:20 PT / 19:20 UTC": the second phase of an Anthropic summary
AFTER_UNTIL = re.compile(rf"\bafter\s+({_END})\s*,?\s*(?:and\s+)?until\s+({_END})", re.IGNORECASE)
_END_PARTS = re.compile(_END, re.IGNORECASE)
UTC_AFTER = re.compile(rf"\s*/\s*({_CLOCK})\s*(?:-|–|—|to)\s*({_CLOCK})\s*(utc|gmt)\b", re.IGNORECASE)
_LEADING_DATE = re.compile(rf"({_DATE}),?\s*$", re.IGNORECASE)
_DATE_ANY = re.compile(_DATE, re.IGNORECASE)
_CLOCK_PARTS = re.compile(r"(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap])?", re.IGNORECASE)
PARTIAL = re.compile(r"\b(?:additional|again|another|second|subsequent|separately)\b", re.IGNORECASE)
LASTING = re.compile(
    r"for\s+(?:about|approximately|approx\.?|roughly|around|~)?\s*(\d{1,3}|an?|one)\s*(minutes?|mins?|hours?)\b",
    re.IGNORECASE,
)
ENDED = re.compile(
    rf"(?:returned to normal|recovered|resolved|restored|back to normal)[^.]{{0,40}}?"
    rf"\bat\s+{_APPROX}({_CLOCK})\s*({_ZONE})",
    re.IGNORECASE,
)


class Post(Protocol):
    """A vendor's status post as the importer and the validator both hold it: `at` is when it was written."""

    @property
    def at(self) -> datetime: ...
    @property
    def status(self) -> str: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Window:
    """A window the summary post states, in UTC; `post` is that post's index."""

    start: datetime
    end: datetime
    post: int
    phrase: str


@dataclass(frozen=True)
class Refused:
    """A window the summary post states that breaks a rule; `reason` says which."""

    post: int
    phrase: str
    reason: str


@dataclass(frozen=True)
class Ambiguous:
    """A summary post stating two different windows: the post times stay and a reviewer decides."""

    post: int
    phrases: tuple[str, ...]


Stated = Window | Refused | Ambiguous


@dataclass(frozen=True)
class _Side:
    clock: str
    zone: str | None
    day: date | None


@dataclass(frozen=True)
class _Range:
    phrase: str
    offset: int
    partial: bool
    start: _Side
    end: _Side


def _day(text: str, year: int) -> date | None:
    """A calendar date written as `2024-04-10`, `March 1, 2024` or `29 January 2025` (else in the post's year)."""
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    try:
        if found:
            return date(int(found[1]), int(found[2]), int(found[3]))
        text = text.strip()
        month = re.search(r"[a-z]{3,}", text, re.IGNORECASE)
        day = re.search(r"(?<!\d)\d{1,2}(?!\d)", text)
        if month is None or day is None or month[0][:3].lower() not in MONTHS:
            return None
        given = re.search(r"\d{4}", text)
        return date(int(given[0]) if given else year, MONTHS.index(month[0][:3].lower()) + 1, int(day[0]))
    except ValueError:
        return None


def _side(text: str, year: int) -> _Side:
    """One end of a range; of a dual clock ("12:45 PT / 19:45 UTC") the UTC one is read."""
    found = _END_PARTS.match(text)
    assert found is not None  # `text` is what RANGE matched as one end
    clock, zone, alt_clock, alt_zone, after = found.groups()
    if alt_clock and alt_zone and ZONES[alt_zone.lower()] is UTC:
        clock, zone = alt_clock, alt_zone
    before = _DATE_ANY.search(text[: found.start(1)])
    named = after or (before.group(0) if before else None)
    return _Side(clock, zone, _day(named, year) if named else None)


def _clock(text: str, half: str | None) -> time | None:
    found = _CLOCK_PARTS.match(text)
    if found is None:
        return None
    hour, minute = int(found[1]), int(found[2] or 0)
    half = (found[3] or half or "").lower()
    if half and hour <= 12:
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _half(text: str) -> str | None:
    found = _CLOCK_PARTS.match(text)
    return found[3].lower() if found and found[3] else None


def _ranges(text: str, year: int) -> list[_Range]:
    """Every range with a zone on at least one end; a date just before the range ("On July 16, 2025,
    between …") dates its start."""
    found = []
    matches = sorted([*RANGE.finditer(text), *AFTER_UNTIL.finditer(text)], key=lambda m: m.start())
    for match in matches:
        start, end = _side(match.group(1), year), _side(match.group(7), year)
        if (end.zone or start.zone) is None:
            continue
        in_utc = UTC_AFTER.match(text, match.end())
        if in_utc and ZONES[(end.zone or start.zone or "").lower()] is not UTC:  # "4:13 - 4:19 PST / 12:13 - 12:19 UTC"
            start = _Side(in_utc[1], in_utc[3], start.day)
            end = _Side(in_utc[2], in_utc[3], end.day)
        lead = re.sub(r"^.*\.\s", "", text[max(0, match.start() - 40) : match.start()]).rstrip(" ,")
        leading = _LEADING_DATE.search(lead)
        if leading and start.day is None:
            start = _Side(start.clock, start.zone, _day(leading.group(1), year))
        sentence = text[max(0, match.start() - 80) : match.start()].rsplit(". ", 1)[-1]
        found.append(_Range(match.group(0).strip(), match.start(), bool(PARTIAL.search(sentence)), start, end))
    return found


def _halves(found: _Range, zone: tzinfo) -> list[tuple[str | None, str | None]]:
    """The halves of the day each end may be in: as written; an unmarked start in the end's half or the
    other; with no mark at all, a US clock both ways ("From 3:55 PST to 4:00 PST", posted at 4:03 PM)."""
    start_half, end_half = _half(found.start.clock), _half(found.end.clock)
    if start_half or (end_half is None and zone is UTC):
        return [(start_half, end_half)]
    if end_half:
        return [(end_half, end_half), ("a" if end_half == "p" else "p", end_half)]
    hours = [_clock(found.start.clock, None), _clock(found.end.clock, None)]
    if any(hour is None or hour.hour > 12 for hour in hours):
        return [(None, None)]
    return [("a", "a"), ("p", "p"), ("a", "p"), ("p", "a")]


def _candidates(found: _Range, posted: datetime) -> list[tuple[datetime, datetime]] | str:
    """Every reading of the range in UTC: undated clocks on the stating post's local day or the one before,
    an unmarked half of the day both ways, an end clock earlier than the start rolled past midnight."""
    start_zone = ZONES[(found.start.zone or found.end.zone or "utc").lower()]
    end_zone = ZONES[(found.end.zone or found.start.zone or "utc").lower()]
    halves = _halves(found, end_zone)
    if any(_clock(found.start.clock, start) is None or _clock(found.end.clock, end) is None for start, end in halves):
        return "a clock time that does not exist"
    named = found.start.day or found.end.day
    local_day = posted.astimezone(end_zone).date()
    readings = []
    for day in [named] if named else [local_day, local_day - timedelta(1)]:
        for start_half, end_half in halves:
            start_clock, end_clock = _clock(found.start.clock, start_half), _clock(found.end.clock, end_half)
            assert start_clock is not None and end_clock is not None  # checked for every half above
            start = datetime.combine(found.start.day or day, start_clock, start_zone).astimezone(UTC)
            end = datetime.combine(found.end.day or day, end_clock, end_zone).astimezone(UTC)
            rolled = end + timedelta(days=1) - start <= LONGEST_UNDATED
            if end <= start and rolled and found.end.day is None:
                end += timedelta(days=1)
            elif end <= start and rolled and found.start.day is None:  # "11:45 PM to 12:45 AM GMT (Oct 16)"
                start -= timedelta(days=1)
            if end > start:
                readings.append((start, end))
    return readings or "it is inverted: it ends before it starts"


def _placed(found: _Range, posted: datetime, resolved: datetime, first: datetime) -> tuple[datetime, datetime] | str:
    """The reading during which the vendor was posting, ending nearest the post stating it (a summary written
    into the resolution post later may end up to `LATE_END` after it); failing that, and always for a lone
    post with clock times only, the latest reading that ends by the post (an incident told after the fact);
    else why none fits."""
    readings = _candidates(found, posted)
    if isinstance(readings, str):
        return readings
    readings = [r for r in readings if r[0] >= first - EARLY_START]
    if not readings:
        return "it starts more than 7 days before the first post"
    if resolved - first > SLACK or found.start.day or found.end.day:  # posts over a while, or a dated window
        during = [(s, e) for s, e in readings if s <= resolved and e >= first and e <= resolved + LATE_END]
        if during:
            return min(during, key=lambda reading: abs(reading[1] - posted))
    told_after = [(s, e) for s, e in readings if e <= posted + SLACK]
    if told_after:
        return max(told_after, key=lambda reading: reading[1])
    if all(start > resolved for start, _ in readings):
        return "it starts after the resolution post"
    return f"it ends more than {LATE_END.total_seconds() / 3600:.0f} hours after the resolution post"


def _lasting(text: str, resolved: datetime, first: datetime) -> tuple[str, datetime, datetime] | None:
    """ "For approximately 10 minutes … returned to normal at 11:07a PDT": a window with no range in words."""
    ended, lasting = ENDED.search(text), LASTING.search(text)
    if ended is None or lasting is None:
        return None
    count = 1 if lasting[1].lower() in ("a", "an", "one") else int(lasting[1])
    length = timedelta(hours=count) if lasting[2].lower().startswith("h") else timedelta(minutes=count)
    end_clock = _clock(ended[1], None)
    if end_clock is None:
        return None
    zone = ZONES[ended[2].lower()]
    local_day = resolved.astimezone(zone).date()
    for day in (local_day, local_day - timedelta(1)):
        end = datetime.combine(day, end_clock, zone).astimezone(UTC)
        if end - length >= first - EARLY_START and end <= resolved + LATE_END:
            return f"{lasting[0]} … {ended[0]}", end - length, end
    return None


def _other_day(text: str, year: int, window: tuple[datetime, datetime]) -> str | None:
    """A date the post names that its undated window, placed on the post's own day, cannot be on."""
    allowed = {window[0].date() + timedelta(days) for days in range(-1, (window[1] - window[0]).days + 2)}
    for found in _DATE_ANY.finditer(text):
        day = _day(found.group(0), year)
        if day is not None and day not in allowed:
            return found.group(0)
    return None


def _from_post(posts: Sequence[Post], index: int, opening: bool) -> Stated | None:
    post = posts[index]
    first, resolved = min(p.at for p in posts), max(p.at for p in posts)
    ranges = [r for r in _ranges(post.text, post.at.year) if not r.partial]
    if opening:
        ranges = ranges[:1] if ranges and ranges[0].offset < OPENING else []
    if not ranges:
        lasting = _lasting(post.text, resolved, first)
        return Window(lasting[1], lasting[2], index, lasting[0]) if lasting else None
    main = ranges[0]
    placed = _placed(main, post.at, resolved, first)
    if isinstance(placed, str):
        return Refused(index, main.phrase, placed)
    if not (main.start.day or main.end.day):
        other_day = _other_day(post.text, post.at.year, placed)
        if other_day:
            return Refused(index, main.phrase, f"its clock times have no date and the post names another ({other_day})")
    start, end = placed
    others = []
    for other in ranges[1:]:
        window = _placed(other, post.at, resolved, first)
        if not isinstance(window, tuple) or (window[0] >= start - AGREES and window[1] <= end + AGREES):
            continue
        if abs(window[0] - end) <= AGREES or abs(window[1] - start) <= AGREES:  # the next phase of the same impact
            start, end = min(start, window[0]), max(end, window[1])
        else:
            others.append(other.phrase)
    if others:
        return Ambiguous(index, (main.phrase, *others))
    return Window(start, end, index, main.phrase)


def stated_window(posts: Sequence[Post]) -> Stated | None:
    """The window the summary post states, a refused or ambiguous one, or None when the posts state none.

    `posts` are oldest first; the resolution post is read first, then a first post that opens with a window.
    """
    if not posts:
        return None
    summaries = [i for i, p in enumerate(posts) if p.status in SUMMARY_STATUSES]
    if summaries:
        found = _from_post(posts, summaries[-1], opening=False)
        if found is not None or summaries[-1] == 0:
            return found
    return _from_post(posts, 0, opening=True)


def disagrees(start: datetime, end: datetime | None, stated: Stated | None) -> bool:
    """Whether a record's start and end differ by more than two minutes from a window its posts state."""
    if not isinstance(stated, Window) or end is None:
        return False
    return abs(start - stated.start) > AGREES or abs(end - stated.end) > AGREES
