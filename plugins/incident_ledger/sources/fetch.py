"""Fetch a vendor's status data politely: timeouts, retries with back-off, Retry-After, conditional GETs.

The one place `collect` touches the network; everything it returns is bytes plus the
validators (ETag, Last-Modified) to send next time, or a `FetchError` with a reason.
"""

from __future__ import annotations

import http.client
import ipaddress
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from .retry import retry_delay

USER_AGENT = "incident-ledger-collect/1 (+https://github.com/incident-ledger/incident-ledger; public status data)"
RETRY = {429, 500, 502, 503, 504}
MAX_BYTES = 16 * 1024 * 1024
CHUNK = 64 * 1024


class FetchError(Exception):
    """The source could not be fetched; the message says why, for the run's report."""


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 when the server says nothing changed since the validators we sent
    body: bytes
    etag: str | None
    last_modified: str | None
    date: datetime | None = None  # the server's clock, which caps a runner clock running ahead


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = 20.0
    deadline: float = 90.0  # for one whole request, however slowly the server trickles
    retries: int = 3
    backoff: float = 2.0
    max_retry_after: float = 120.0


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return {k.lower(): v for k, v in headers.items()}.get(name.lower())


def _private(host: str) -> bool:
    """A loopback, private, link-local or unspecified address, or a name that stands for one."""
    if host in ("localhost", "") or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to http(s), never from https down to http, never onto a private host
    the request did not start on."""

    def __init__(self, origin: str) -> None:
        self.origin = urlsplit(origin)

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        target = urlsplit(newurl)
        if target.scheme not in ("http", "https"):
            raise FetchError(f"refused a redirect to a `{target.scheme}:` address")
        if self.origin.scheme == "https" and target.scheme != "https":
            raise FetchError("refused a redirect from https to plain http")
        if _private(target.hostname or "") and target.hostname != self.origin.hostname:
            raise FetchError(f"refused a redirect to the private host {target.hostname}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read(response: Any, deadline: float) -> bytes:
    """The body, within the size limit and the deadline; a body shorter than its Content-Length raises
    `http.client.IncompleteRead`."""
    parts, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(f"the response is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        if time.monotonic() > deadline:
            raise TimeoutError("the server sent the response too slowly (overall deadline passed)")
        parts.append(chunk)
    body = b"".join(parts)
    if getattr(response, "length", None):  # bytes announced by Content-Length that never came
        raise http.client.IncompleteRead(body, response.length)
    return body


def _date(headers: Mapping[str, str]) -> datetime | None:
    value = _header(headers, "Date")
    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    return moment.astimezone(UTC) if moment is not None and moment.tzinfo else None


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
        opener = urllib.request.build_opener(_Redirects(url))
        deadline = time.monotonic() + self.settings.deadline
        try:
            with opener.open(request, timeout=self.settings.timeout) as response:
                return response.status, dict(response.headers), _read(response, deadline)
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
            except http.client.IncompleteRead as error:
                reason = f"the response was cut off ({len(error.partial)} bytes received, more announced)"
            except http.client.HTTPException as error:
                reason = f"malformed HTTP response ({type(error).__name__}: {str(error)[:120]})"
            except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
                reason = f"network error: {getattr(error, 'reason', error)}"
            else:
                if status == 304:
                    if not (etag or last_modified):
                        raise FetchError(
                            "the server answered 304 Not Modified to a request that asked for no such answer"
                        )
                    return Fetched(304, b"", _header(headers, "ETag") or etag, last_modified, _date(headers))
                if 200 <= status < 300:
                    validators = _header(headers, "ETag"), _header(headers, "Last-Modified")
                    return Fetched(status, body, *validators, _date(headers))
                reason = f"HTTP {status}"
                if status not in RETRY:
                    raise FetchError(reason)
            if attempt < self.settings.retries:
                self.sleep(
                    retry_delay(attempt, headers, self.settings.backoff, self.settings.max_retry_after, time.time())
                )
        raise FetchError(f"{reason} (after {self.settings.retries + 1} attempts)")
