"""Impact windows that vendors state in words, for incidents they posted after the fact.

About one incident in twenty-five on a status page is posted once it is over: a single
"Resolved" update whose resolved time is at or before the incident's start. The times
the page gives are then only when the post was typed. The window is often in the text
("from 19:52-20:35 UTC", "for approximately 10 minutes … returned to normal at
approximately 11:07a PDT"); this module reads it, and refuses whatever it cannot place
on the post's own day or the day before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
ZONES: dict[str, tzinfo] = {"utc": UTC, "gmt": UTC, "z": UTC, "pt": PACIFIC, "pst": PACIFIC, "pdt": PACIFIC}
_CLOCK = r"(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap])?\.?(?:m\b\.?)?"
_ZONE = r"\s*\(?(utc|gmt|z|pt|pst|pdt)\b\)?"
_APPROX = r"(?:(?:about|approximately|approx\.?|roughly|around|~)\s*)?"
RANGE = re.compile(
    rf"(?:from|between)\s+{_APPROX}{_CLOCK}(?:{_ZONE})?\s*(?:-|–|—|to|until|and)\s*{_APPROX}{_CLOCK}{_ZONE}",
    re.IGNORECASE,
)
LASTING = re.compile(
    r"for\s+(?:about|approximately|approx\.?|roughly|around|~)?\s*(\d{1,3}|an?|one)\s*(minutes?|mins?|hours?)\b",
    re.IGNORECASE,
)
ENDED = re.compile(
    rf"(?:returned to normal|recovered|resolved|restored|back to normal)[^.]{{0,40}}?\bat\s+{_APPROX}{_CLOCK}{_ZONE}",
    re.IGNORECASE,
)
MONTH_DAY = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
SLACK = timedelta(minutes=15)  # a post typed a little before the clock time it gives for the end
LONGEST = timedelta(hours=24)


def _clock(hour: str, minute: str | None, half: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "p" else 0)
    if h > 23 or m > 59:
        return None
    return time(h, m)


def _dates_named(text: str, posted: date) -> set[date]:
    """Month-day dates the text names, in the post's year or the year before."""
    found = set()
    for month, day in MONTH_DAY.findall(text):
        for year in (posted.year, posted.year - 1):
            try:
                found.add(date(year, MONTHS.index(month[:3].lower()) + 1, int(day)))
            except ValueError:
                continue
    return found


def _placed(
    start: time, end: time, zone: tzinfo, posted: datetime, named: set[date]
) -> tuple[datetime, datetime] | None:
    """The window on the post's local day or the day before, ending no later than the post (with slack).

    A window that starts after its own post, but within the slack, is not one told after the fact: the
    post's time is then in doubt, and the record is left to a reviewer rather than moved a day early.
    """
    local_day = posted.astimezone(zone).date()
    for day in (local_day, local_day - timedelta(days=1)):
        if named and day not in named:
            continue
        first = datetime.combine(day, start, zone).astimezone(UTC)
        last = datetime.combine(day, end, zone).astimezone(UTC)
        if last <= first:
            last += timedelta(days=1)
        if posted < first <= posted + SLACK:
            return None
        if first <= posted and last <= posted + SLACK and last - first <= LONGEST:
            return first, last
    return None


def _lasting(text: str) -> timedelta | None:
    found = LASTING.search(text)
    if found is None:
        return None
    count = 1 if found.group(1).lower() in ("a", "an", "one") else int(found.group(1))
    return timedelta(hours=count) if found.group(2).lower().startswith("h") else timedelta(minutes=count)


def stated_window(texts: Iterable[str], posted: datetime) -> tuple[datetime, datetime] | None:
    """The impact window a vendor's text states, in UTC, or None when it states none that fits.

    `posted` is when the vendor posted the text; a window must end by then. A text that
    names a calendar date other than the post's (or the day before) states no usable window.
    """
    for text in texts:
        named = _dates_named(text, posted.date())
        found = RANGE.search(text)
        if found:
            h1, m1, a1, zone1, h2, m2, a2, zone2 = found.groups()
            zone = ZONES[(zone2 or zone1).lower()]
            start, end = _clock(h1, m1, a1 or a2), _clock(h2, m2, a2)
            window = _placed(start, end, zone, posted, named) if start and end else None
            if window:
                return window
        ended, lasting = ENDED.search(text), _lasting(text)
        if ended and lasting:
            end = _clock(ended.group(1), ended.group(2), ended.group(3))
            if end is not None:
                zone = ZONES[ended.group(4).lower()]
                start = (datetime.combine(date(2000, 1, 2), end) - lasting).time()
                window = _placed(start, end, zone, posted, named)
                if window and window[1] - window[0] == lasting:
                    return window
    return None
