"""The one rule for impact windows that vendors state in words, on posts of real incidents."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from incident_ledger.ledger.windows import Ambiguous, Refused, Window, disagrees, stated_window

POSTS = json.loads((Path(__file__).parent / "fixtures" / "windows" / "posts.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Post:
    at: datetime
    status: str
    text: str


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def posts_of(case: str) -> list[Post]:
    return [
        Post(datetime.fromisoformat(p["at"].replace("Z", "+00:00")), p["status"], p["text"])
        for p in POSTS[case]["posts"]
    ]


@pytest.mark.parametrize(
    ("case", "start", "end"),
    [
        # "On July 16, 2025, between 05:20 UTC and 08:30 UTC" in the resolution post: the date before the range
        ("github/25820186", utc(2025, 7, 16, 5, 20), utc(2025, 7, 16, 8, 30)),
        ("github/20132654", utc(2024, 3, 1, 14, 17), utc(2024, 3, 1, 15, 54)),
        # "On 29 January 2025 between 14:00 UTC and 16:28 UTC": day before month
        ("github/23735682", utc(2025, 1, 29, 14, 0), utc(2025, 1, 29, 16, 28)),
        # "Between 2024-04-09 21:35 UTC and 2024-04-10 19:03 UTC": dated on both ends, ending after the
        # resolution post (the summary was written into it later)
        ("github/20497442", utc(2024, 4, 9, 21, 35), utc(2024, 4, 10, 19, 3)),
        ("claude/xts3kyr0nrx1", utc(2024, 9, 23, 6, 57), utc(2024, 9, 23, 15, 11)),  # "From 06:57–15:11 UTC"
        # "from 23:42 to 00:50 UTC": past midnight
        ("claude/whnd2z49x3xf", utc(2026, 8, 13, 23, 42), utc(2026, 8, 14, 0, 50)),
        # "From 22:01 UTC to 00:48 UTC", one post written after midnight: the window is the evening before
        ("claude/s8vj5mn9wvzf", utc(2025, 12, 4, 22, 1), utc(2025, 12, 5, 0, 48)),
        # "between 9:59pm PT / 04:59 UTC and 10:41pm PT / 05:41 UTC": of two clocks the UTC one is read
        ("claude/zw75lhl39skc", utc(2026, 6, 17, 4, 59), utc(2026, 6, 17, 5, 41)),
        # "Between 3:35AM – 4:50AM PST" opens the first post, four days after the 2024 switch to daylight time:
        # read as the Pacific wall clock (PDT, UTC-7), on the first post's day, not the resolution's
        ("fails/vy3rjsn7pp5j", utc(2024, 3, 14, 10, 35), utc(2024, 3, 14, 11, 50)),
        # "between 11:00am - 1:43pm PST" on 2024-04-10: a "PST" label in summer time is still the wall clock
        ("fails/w20mcckg1748", utc(2024, 4, 10, 18, 0), utc(2024, 4, 10, 20, 43)),
        # "Between 3:16 PM PST and 7:38 PM PST on December 11, 2024": real PST (UTC-8), ending past UTC midnight
        ("fails/ctrsv3lwd797", utc(2024, 12, 11, 23, 16), utc(2024, 12, 12, 3, 38)),
        # "From 3:55 PST to 4:00 PST", written at 4:03 PM PST: no "PM" written, so the reading nearest the post
        ("claude/z3v941z3z11b", utc(2023, 12, 11, 23, 55), utc(2023, 12, 12, 0, 0)),
        # "between 4:13 - 4:19 PST / 12:13 - 12:19 UTC": the vendor's own UTC settles the half of the day
        ("fails/9kmhcgh5zfc0", utc(2024, 3, 7, 12, 13), utc(2024, 3, 7, 12, 19)),
        # "From 11:50-12:25 UTC" in a lone post shown at 12:00 that says it is over: told after the fact, so the
        # day before
        ("github/27635148", utc(2025, 12, 15, 11, 50), utc(2025, 12, 15, 12, 25)),
        # "between 23:00 PT / 7:00 UTC and 1:50 PT / 9:50 UTC" in a resolution post at 09:33 UTC, after posts
        # from 06:23: the window during the posts, though the summary was written before its end
        ("claude/lhws0phdvzz3", utc(2026, 4, 8, 7, 0), utc(2026, 4, 8, 9, 50)),
        # "two phases: * between 10:23 PT / 17:23 UTC to 11:00 PT / 18:00 UTC -- … * after 11:00 PT / 18:00 UTC and
        # until 12:20 PT / 19:20 UTC": consecutive phases make one window
        ("claude/xmhsglsz3h3w", utc(2026, 6, 16, 17, 23), utc(2026, 6, 16, 19, 20)),
    ],
)
def test_windows_stated_by_vendors(case: str, start: datetime, end: datetime) -> None:
    found = stated_window(posts_of(case))
    assert isinstance(found, Window), found
    assert (found.start, found.end) == (start, end)
    assert found.phrase in posts_of(case)[found.post].text


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        # "On January 8th, 2025, between approximately 00:00 and 1:30 UTC" in an incident of 2026
        ("github/27924734", "more than 7 days before the first post"),
        # posted on 2024-04-18: "down from 02:06-02:45 UTC (Feb 18)"
        ("claude/0dv5d8qb9gy2", "more than 7 days before the first post"),
        # "On Saturday March 18th and Sunday March 19th … From 6:20 am PDT to 11:20 am PDT" in a post of March 22
        ("fails/cdsyfyc4phjw", "names another (March 18th)"),
    ],
)
def test_windows_breaking_the_rule_are_refused(case: str, reason: str) -> None:
    found = stated_window(posts_of(case))
    assert isinstance(found, Refused), found
    assert reason in found.reason


def test_two_different_windows_in_the_summary_are_ambiguous() -> None:
    found = stated_window(posts_of("github/21319915"))
    assert isinstance(found, Ambiguous)
    assert found.phrases == ("between 16:31 UTC and 18:08 UTC", "From 18:21 UTC to 21:14 UTC")


def test_partial_windows_of_a_postmortem_are_not_the_incidents() -> None:
    # "This caused an additional brief outage from 10:43 am to 11:04 am PT." is one episode of a longer outage
    posts = posts_of("fails/mq5jgswy45fr")
    assert any("additional brief outage from 10:43 am to 11:04 am PT" in p.text for p in posts)
    assert stated_window(posts) is None


def test_consecutive_phases_make_one_window() -> None:
    # The DALL·E post-mortem's phases, on the post's own date: "From 6:20 am PDT to 11:20 am PDT, only 10% …
    # From 11:20 am to 2:40 pm PDT, only 25% …"
    text = next(p.text for p in posts_of("fails/cdsyfyc4phjw") if p.status == "postmortem")
    phases = text[text.index("From 6:20 am") : text.index("There was additional")]
    posts = [Post(utc(2023, 3, 18, 22, 0), "resolved", phases)]
    found = stated_window(posts)
    assert isinstance(found, Window)
    assert (found.start, found.end) == (utc(2023, 3, 18, 13, 20), utc(2023, 3, 18, 21, 40))


def test_the_spring_forward_night_counts_one_real_hour() -> None:
    # The phrasing of fails/vy3rjsn7pp5j placed on 2024-03-10, when Pacific clocks jumped from 2:00 to 3:00
    posts = [Post(utc(2024, 3, 10, 12, 0), "resolved", "Between 1:30AM – 3:30AM PT we observed elevated error rates.")]
    found = stated_window(posts)
    assert isinstance(found, Window)
    assert (found.start, found.end) == (utc(2024, 3, 10, 9, 30), utc(2024, 3, 10, 10, 30))


def test_an_inverted_window_is_refused() -> None:
    posts = [
        Post(utc(2024, 9, 23, 16, 0), "resolved", "From 15:11 UTC on 2024-09-23 to 06:57 UTC on 2024-09-23, errors.")
    ]
    found = stated_window(posts)
    assert isinstance(found, Refused) and "inverted" in found.reason


def test_a_record_is_checked_against_its_own_posts() -> None:
    found = stated_window(posts_of("github/25820186"))
    assert disagrees(utc(2025, 7, 16, 8, 16), utc(2025, 7, 16, 8, 58), found)  # the post times, as recorded before
    assert not disagrees(utc(2025, 7, 16, 5, 21), utc(2025, 7, 16, 8, 30), found)
    assert not disagrees(utc(2025, 7, 16, 8, 16), None, found)
