"""Source health: check every source, archive and postmortem URL and report dead and moved links.

HEAD first, GET when HEAD is refused; redirects are followed by hand so that a
permanent move is reported with its new address; each host is contacted at most
once per `host_interval` seconds; 429, 5xx and network errors are retried with
exponential back-off (honouring a short Retry-After).
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..ledger.catalog import Catalog
from .retry import retry_delay

USER_AGENT = "incident-ledger-link-checker/1 (+https://github.com/incident-ledger/incident-ledger)"
PERMANENT = {301, 308}
RETRY = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class LinkResult:
    url: str
    state: str  # ok | moved | dead | error
    status: int | None
    detail: str = ""
    final_url: str | None = None


@dataclass
class Settings:
    timeout: float = 10.0
    concurrency: int = 8
    retries: int = 2
    backoff: float = 1.0
    host_interval: float = 1.0
    max_retry_after: float = 30.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class _HostGate:
    """Spaces out requests to one host; hosts are checked in parallel with each other."""

    interval: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = 0.0

    def wait(self) -> None:
        with self.lock:
            delay = self.last + self.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.last = time.monotonic()


class LinkChecker:
    def __init__(self, settings: Settings, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.sleep = sleep
        self.gates: dict[str, _HostGate] = defaultdict(lambda: _HostGate(settings.host_interval))
        self.gates_lock = threading.Lock()

    def _gate(self, url: str) -> _HostGate:
        with self.gates_lock:
            return self.gates[urlsplit(url).netloc.lower()]

    def _request(self, url: str, method: str) -> tuple[int, Mapping[str, str]]:
        self._gate(url).wait()
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with _OPENER.open(request, timeout=self.settings.timeout) as response:
                if method == "GET":
                    response.read(1024)
                return response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers or {})

    def _attempt(self, url: str) -> tuple[int, Mapping[str, str]]:
        """One HEAD (or GET when HEAD is refused), retried on rate limits, server errors and timeouts."""
        last_error: Exception | None = None
        for attempt in range(self.settings.retries + 1):
            try:
                status, headers = self._request(url, "HEAD")
                if status in (403, 405, 501) or (status >= 400 and status not in RETRY):
                    status, headers = self._request(url, "GET")
            except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
                last_error = error
                status, headers = 0, {}
            if status and status not in RETRY:
                return status, headers
            if attempt < self.settings.retries:
                self.sleep(self._backoff(attempt, headers))
        if status:
            return status, headers
        raise ConnectionError(str(getattr(last_error, "reason", last_error)))

    def _backoff(self, attempt: int, headers: Mapping[str, str]) -> float:
        return retry_delay(attempt, headers, self.settings.backoff, self.settings.max_retry_after, time.time())

    def check(self, url: str) -> LinkResult:
        current, permanent = url, False
        try:
            for _ in range(MAX_REDIRECTS):
                status, headers = self._attempt(current)
                location = {k.lower(): v for k, v in headers.items()}.get("location")
                if not (300 <= status < 400 and location):
                    break
                permanent = permanent or status in PERMANENT
                current = urljoin(current, location)
            else:
                return LinkResult(url, "dead", None, "too many redirects")
        except ConnectionError as error:
            return LinkResult(url, "error", None, f"no answer: {error}")
        if 200 <= status < 300:
            if permanent:
                return LinkResult(url, "moved", status, "permanently redirected", current)
            return LinkResult(url, "ok", status, final_url=current if current != url else None)
        if status == 429:
            return LinkResult(url, "error", status, "still rate-limited after retries")
        return LinkResult(url, "dead", status, f"HTTP {status}")

    def check_all(self, urls: Iterable[str]) -> dict[str, LinkResult]:
        unique = sorted(set(urls))
        with ThreadPoolExecutor(max_workers=max(1, self.settings.concurrency)) as pool:
            return dict(zip(unique, pool.map(self.check, unique), strict=True))


def links_by_incident(catalog: Catalog) -> dict[str, list[str]]:
    """Every URL an incident cites, with the ids of the incidents that cite it."""
    found: dict[str, list[str]] = defaultdict(list)
    for incident in catalog.incidents:
        urls = [s.url for s in incident.sources] + [s.archive for s in incident.sources if s.archive]
        if incident.postmortem:
            urls.append(incident.postmortem)
        for url in dict.fromkeys(urls):
            found[url].append(incident.id)
    return dict(found)


def report(results: Mapping[str, LinkResult], cited: Mapping[str, list[str]], fmt: str) -> str:
    problems = [r for r in results.values() if r.state != "ok"]
    by_incident: dict[str, list[LinkResult]] = defaultdict(list)
    for result in problems:
        for incident_id in cited.get(result.url, []):
            by_incident[incident_id].append(result)
    counts = {state: sum(r.state == state for r in results.values()) for state in ("ok", "moved", "dead", "error")}
    summary = ", ".join(f"{n} {state}" for state, n in counts.items()) + f" of {len(results)} link(s)"
    if fmt == "markdown":
        lines = ["## Source links that need attention", "", summary, ""]
        for incident_id in sorted(by_incident):
            lines.append(f"### `{incident_id}`")
            for r in by_incident[incident_id]:
                extra = f" → {r.final_url}" if r.final_url else ""
                lines.append(f"- **{r.state}** {r.url}{extra} ({r.detail})")
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"
    lines = []
    for incident_id in sorted(by_incident):
        for r in by_incident[incident_id]:
            extra = f" -> {r.final_url}" if r.final_url else ""
            lines.append(f"{incident_id}: {r.state}: {r.url}{extra} ({r.detail})")
    lines.append(summary)
    return "\n".join(lines)
