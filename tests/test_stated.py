"""Windows that vendors state in words, read from texts of real incidents posted after the fact."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from incident_ledger.sources.stated import stated_window


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "posted", "window"),
    [
        # Anthropic m2fy7ttnc5lt (claude-statuses): clock times with seconds, kept to the minute
        (
            "From 8:58:47 UTC to 8:59:01 UTC, we had a partial outage that returned 500s for some set of requests.",
            utc(2023, 4, 30, 9, 53, 21),
            (utc(2023, 4, 30, 8, 58), utc(2023, 4, 30, 8, 59)),
        ),
        # Anthropic tmsczhzhjd63 (tests/fixtures/archives/claude-statuses)
        (
            "We experienced an elevated level of errors on claude.ai from 19:52-20:35 UTC.",
            utc(2024, 2, 16, 20, 35),
            (utc(2024, 2, 16, 19, 52), utc(2024, 2, 16, 20, 35)),
        ),
        # OpenAI 1yqdnt73snnc (tests/fixtures/archives/fails): a duration with no clock time states no window
        (
            "Most of the affected services recovered within 10min, text-davinci-002 was affected for 45min.",
            utc(2022, 8, 12, 20, 30),
            None,
        ),
    ],
)
def test_stated_windows(text: str, posted: datetime, window: tuple[datetime, datetime] | None) -> None:
    assert stated_window([text], posted) == window


def test_a_window_starting_after_its_own_post_is_refused() -> None:
    # OpenAI 1sx82cc1qx1x (FAILS): posted at 06:00 UTC, stating 11:09 to 11:14 PM PDT (06:09-06:14 UTC)
    text = "For around 5 min from 11:09 PM to 11:14 PM PDT, the API was returning 500 Internal Errors."
    assert stated_window([text], utc(2022, 9, 19, 6, 0)) is None
    assert stated_window([text], utc(2022, 9, 19, 6, 14)) == (utc(2022, 9, 19, 6, 9), utc(2022, 9, 19, 6, 14))


def test_a_window_on_a_day_the_text_does_not_allow_is_refused() -> None:
    text = "On Feb 10 we experienced an elevated level of errors on claude.ai from 19:52-20:35 UTC."
    assert stated_window([text], utc(2024, 2, 16, 20, 35)) is None


def test_a_window_is_read_against_when_the_post_was_written() -> None:
    # Anthropic gg215bzz7rhm (claude-statuses): shown at 15:00 UTC, written at 16:04 UTC the same day
    text = "From 15:07-15:30 UTC, Claude 3.5 Sonnet experienced elevated error rates."
    assert stated_window([text], utc(2024, 9, 19, 16, 4)) == (utc(2024, 9, 19, 15, 7), utc(2024, 9, 19, 15, 30))
    assert stated_window([text], utc(2024, 9, 19, 15, 0)) is None  # the shown time alone: left for review
