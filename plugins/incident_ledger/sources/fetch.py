"""Fetch a vendor's status data politely: timeouts, retries with back-off, Retry-After, conditional GETs.

The one place `collect` touches the network; everything it returns is bytes plus the
validators (ETag, Last-Modified) to send next time, or a `FetchError` with a reason.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .retry import retry_delay

USER_AGENT = "incident-ledger-collect/1 (+https://github.com/incident-ledger/incident-ledger; public status data)"
RETRY = {429, 500, 502, 503, 504}
MAX_BYTES = 20 * 1024 * 1024


class FetchError(Exception):
    """The source could not be fetched; the message says why, for the run's report."""


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 when the server says nothing changed since the validators we sent
    body: bytes
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 2.0
    max_retry_after: float = 120.0


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return {k.lower(): v for k, v in headers.items()}.get(name.lower())


class Fetcher:
    def __init__(self, settings: FetchSettings | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings or FetchSettings()
        self.sleep = sleep

    def _once(self, url: str, etag: str | None, last_modified: str | None) -> tuple[int, Mapping[str, str], bytes]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json, application/xml;q=0.9, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
                body = response.read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    raise FetchError(f"the response is larger than {MAX_BYTES // (1024 * 1024)} MiB")
                return response.status, dict(response.headers), body
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers or {}), b""

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET with the previous validators; redirects are followed, 429/5xx/timeouts retried."""
        reason = ""
        for attempt in range(self.settings.retries + 1):
            headers: Mapping[str, str] = {}
            try:
                status, headers, body = self._once(url, etag, last_modified)
            except FetchError:
                raise
            except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
                reason = f"network error: {getattr(error, 'reason', error)}"
            else:
                if status == 304:
                    return Fetched(304, b"", _header(headers, "ETag") or etag, last_modified)
                if 200 <= status < 300:
                    return Fetched(status, body, _header(headers, "ETag"), _header(headers, "Last-Modified"))
                reason = f"HTTP {status}"
                if status not in RETRY:
                    raise FetchError(reason)
            if attempt < self.settings.retries:
                self.sleep(
                    retry_delay(attempt, headers, self.settings.backoff, self.settings.max_retry_after, time.time())
                )
        raise FetchError(f"{reason} (after {self.settings.retries + 1} attempts)")
