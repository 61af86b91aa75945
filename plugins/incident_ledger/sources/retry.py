"""How long to wait before asking a server again: its Retry-After when short enough, else exponential."""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime


def retry_delay(attempt: int, headers: Mapping[str, str], backoff: float, cap: float, now: float) -> float:
    """Seconds to wait before retry number `attempt` + 1; `now` is the Unix time, for HTTP-date values."""
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after", "").strip()
    if value.isdigit():
        return min(float(value), cap)
    if value:
        try:
            return min(max(0.0, parsedate_to_datetime(value).timestamp() - now), cap)
        except (TypeError, ValueError):
            pass
    return min(backoff * 2**attempt, cap)
