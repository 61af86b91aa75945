"""Times: parsing contributor input, the build's reference time, human durations."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

# Characters that status pages paste in place of ASCII ones (e.g. U+2236 RATIO for `:`).
LOOKALIKES = {
    "\u2236": ":",
    "\uff1a": ":",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2212": "-",
    "\uff0b": "+",
    "\u00a0": " ",
    "\u202f": " ",
}
_LOOKALIKE_SET = frozenset(LOOKALIKES)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)


class TimeError(ValueError):
    """A time the ledger cannot accept, with a hint on how to write it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time that carries an offset and return it in UTC."""
    if not _LOOKALIKE_SET.isdisjoint(text):
        fixed = "".join(LOOKALIKES.get(char, char) for char in text)
        raise TimeError(f"`{text}` contains look-alike characters", f"type plain ASCII: `{fixed}`")
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise TimeError(
            f"`{value}` is a date without a time",
            f"write `{value}T00:00:00Z` and set `time_precision: day` if only the date is known",
        )
    if not _ISO.match(value):
        raise TimeError(f"`{value}` is not an ISO 8601 time", "write e.g. `2026-02-10T14:05:00Z`")
    try:
        parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError as error:
        raise TimeError(f"`{value}` is not a valid time ({error})", "check the day, month and hour") from None
    if parsed.tzinfo is None:
        raise TimeError(
            f"`{value}` has no UTC offset", f"append `Z` for UTC (`{value}Z`) or the source's offset, e.g. `-07:00`"
        )
    return parsed.astimezone(UTC)


def reference_time(environ: dict[str, str] | None = None) -> datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set, so that builds are reproducible."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, the one form the ledger publishes."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def human_duration(seconds: float) -> str:
    """A short, readable duration: `2 h 05 min`, `3 d 4 h`, `45 min`."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def show_time(moment: datetime, precision: str) -> str:
    """How pages print a time, honest about how precisely it is known."""
    if precision == "day":
        return moment.strftime("%Y-%m-%d")
    if precision == "hour":
        return moment.strftime("%Y-%m-%d %H:00 UTC")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


DAY = timedelta(days=1)
