"""Fetch a vendor's status data politely: deadlines, retries with back-off, Retry-After, conditional GETs.

The one place `collect` touches the network; everything it returns is bytes plus the
validators (ETag, Last-Modified) to send next time, or a `FetchError` with a reason. One
deadline bounds each request from connecting to the last byte, however slowly a server
trickles its headers or body; a budget (`until`) bounds all requests of one vendor. Every
host is resolved before connecting, and a private, loopback or link-local address is refused
unless the request started on that very host (a local mirror, a test server).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import os
import socket
import threading
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
    timeout: float = 30.0  # for one socket operation
    deadline: float = 30.0  # for one whole request: connect, headers and body, however slowly they come
    retries: int = 3
    backoff: float = 2.0
    max_retry_after: float = 120.0


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return {k.lower(): v for k, v in headers.items()}.get(name.lower())


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host spells, in any spelling a resolver accepts (127.1, 2130706433, 0x7f000001)."""
    bare = host.strip("[]")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(bare))
    except OSError:
        return None


def _private(host: str) -> bool:
    """A loopback, private, link-local, mapped or unspecified address, or a name that stands for one."""
    name = host.lower().rstrip(".")
    if name in ("localhost", "") or name.endswith((".localhost", ".local", ".internal")):
        return True
    address = _address(name)
    return address is not None and not address.is_global


class _Deadline:
    """Ends a request when its time is up, whatever it is waiting for: the socket is shut, so a read
    blocked in the headers or the body returns at once."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.expired = False
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(max(0.0, at - time.monotonic()), self._expire)
        self.timer.daemon = True
        self.timer.start()

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request's deadline passed")
        return left

    def watch(self, sock: socket.socket) -> None:
        """Keep a duplicate of the socket to shut it at the deadline (TLS replaces the socket object)."""
        with self.lock:
            self.sockets.append(socket.socket(fileno=os.dup(sock.fileno())))
            expired = self.expired
        if expired:
            self._expire()

    def _expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.timer.cancel()
        with self.lock:
            for sock in self.sockets:
                sock.close()
            self.sockets = []


def _connect(origin: str, deadline: _Deadline, address: tuple[str, int], timeout: float, source: Any = None) -> Any:
    """Resolve the host, refuse a private address the request did not start on, then connect to it."""
    host, port = address
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise FetchError(f"cannot resolve {host}: {error}") from None
    for *_, where in found:
        resolved = ipaddress.ip_address(where[0].split("%")[0])
        if not resolved.is_global and host != origin:
            raise FetchError(f"refused to connect to {host}: it resolves to the private address {resolved}")
    family, kind, proto, _, where = found[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.settimeout(min(timeout, deadline.remaining()))
        if source:
            sock.bind(source)
        sock.connect(where)
        deadline.watch(sock)
    except BaseException:
        sock.close()
        raise
    return sock


def _guarded(base: type[http.client.HTTPConnection], origin: str, deadline: _Deadline) -> Any:
    """`base` connecting through `_connect`, its socket watched by the request's deadline."""

    class Guarded(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = lambda address, timeout, source=None: _connect(
                origin, deadline, address, timeout, source
            )

        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    return Guarded


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, origin: str, deadline: _Deadline) -> None:
        super().__init__()
        self.connection = _guarded(http.client.HTTPConnection, origin, deadline)

    def http_open(self, req: Any) -> Any:
        return self.do_open(self.connection, req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, origin: str, deadline: _Deadline) -> None:
        super().__init__()
        self.connection = _guarded(http.client.HTTPSConnection, origin, deadline)

    def https_open(self, req: Any) -> Any:
        return self.do_open(self.connection, req, context=self._context)


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


def _read(response: Any, deadline: _Deadline) -> bytes:
    """The body, within the size limit and the deadline; a body shorter than its Content-Length raises
    `http.client.IncompleteRead`."""
    parts, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(f"the response is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        deadline.remaining()
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


TOO_SLOW = "the server sent the response too slowly (the request's deadline of {:g} s passed)"


class Fetcher:
    def __init__(self, settings: FetchSettings | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings or FetchSettings()
        self.sleep = sleep
        self.until: float | None = None  # the time.monotonic() by which every request must be done (a budget)

    def _left(self) -> float:
        """Seconds the budget leaves; a FetchError when it has run out."""
        left = float("inf") if self.until is None else self.until - time.monotonic()
        if left <= 0:
            raise FetchError("the time budget for this vendor ran out")
        return left

    def _once(self, url: str, etag: str | None, last_modified: str | None) -> tuple[int, Mapping[str, str], bytes]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json, application/xml;q=0.9, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(url, headers=headers)
        seconds = min(self.settings.deadline, self._left())
        deadline = _Deadline(time.monotonic() + seconds)
        origin = urlsplit(url).hostname or ""
        opener = urllib.request.build_opener(_Redirects(url), _HTTP(origin, deadline), _HTTPS(origin, deadline))
        try:
            with opener.open(request, timeout=self.settings.timeout) as response:
                answer = response.status, dict(response.headers), _read(response, deadline)
            if deadline.expired:  # the socket was shut mid-answer: what came is not the whole answer
                raise TimeoutError(TOO_SLOW.format(seconds))
            return answer
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers or {}), b""
        except (OSError, http.client.HTTPException, ValueError):
            if deadline.expired or time.monotonic() >= deadline.at:
                raise TimeoutError(TOO_SLOW.format(seconds)) from None
            raise
        finally:
            deadline.close()

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
                wait = retry_delay(attempt, headers, self.settings.backoff, self.settings.max_retry_after, time.time())
                if wait >= self._left():
                    raise FetchError(f"{reason}; no time left in the budget to retry")
                self.sleep(wait)
        raise FetchError(f"{reason} (after {self.settings.retries + 1} attempts)")
