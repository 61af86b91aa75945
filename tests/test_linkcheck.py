"""The link checker against a real local HTTP server: 200, 301, 302, 404, 429, refused HEAD and slow answers."""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from conftest import Tree, run_cli
from incident_ledger.sources.linkcheck import LinkChecker, Settings, report


class Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[Counter[str]] = Counter()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def answer(self, method: str) -> None:
        path = self.path
        Handler.hits[f"{method} {path}"] += 1
        if path == "/ok":
            self.send(200)
        elif path == "/moved":
            self.send(301, location="/ok")
        elif path == "/moved-twice":
            self.send(308, location="/temporary")
        elif path == "/temporary":
            self.send(302, location="/ok")
        elif path == "/gone":
            self.send(404)
        elif path == "/busy":
            self.send(429, retry_after="0") if Handler.hits[f"{method} {path}"] < 2 else self.send(200)
        elif path == "/always-busy":
            self.send(429, retry_after="0")
        elif path == "/no-head":
            self.send(405 if method == "HEAD" else 200)
        elif path == "/slow":
            time.sleep(1.5)
            self.send(200)
        elif path == "/loop":
            self.send(302, location="/loop")
        else:
            self.send(500)

    def send(self, status: int, location: str | None = None, retry_after: str | None = None) -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self.answer("HEAD")

    def do_GET(self) -> None:
        self.answer("GET")


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def checker() -> LinkChecker:
    return LinkChecker(Settings(timeout=0.5, concurrency=4, retries=2, backoff=0.01, host_interval=0.0))


def test_each_kind_of_answer(base: str) -> None:
    Handler.hits.clear()
    paths = ["/ok", "/moved", "/moved-twice", "/gone", "/busy", "/always-busy", "/no-head", "/slow", "/loop", "/boom"]
    results = checker().check_all(f"{base}{p}" for p in paths)
    state = {url.removeprefix(base): (r.state, r.status) for url, r in results.items()}
    assert state["/ok"] == ("ok", 200)
    assert state["/moved"] == ("moved", 200) and results[f"{base}/moved"].final_url == f"{base}/ok"
    assert state["/moved-twice"][0] == "moved"
    assert state["/gone"] == ("dead", 404)
    assert state["/busy"] == ("ok", 200) and Handler.hits["HEAD /busy"] == 2
    assert state["/always-busy"] == ("error", 429) and Handler.hits["HEAD /always-busy"] == 3
    assert state["/no-head"] == ("ok", 200) and Handler.hits["GET /no-head"] == 1
    assert state["/slow"][0] == "error" and "no answer" in results[f"{base}/slow"].detail
    assert state["/loop"] == ("dead", None)
    assert state["/boom"] == ("dead", 500) and Handler.hits["HEAD /boom"] == 3


def test_host_rate_limit_spaces_requests(base: str) -> None:
    slow = LinkChecker(Settings(timeout=1, concurrency=4, retries=0, host_interval=0.2))
    started = time.monotonic()
    slow.check_all(f"{base}/ok?n={n}" for n in range(4))
    assert time.monotonic() - started >= 0.6


def test_report_groups_by_incident(base: str) -> None:
    results = checker().check_all([f"{base}/gone", f"{base}/moved", f"{base}/ok"])
    cited = {f"{base}/gone": ["2026-01-01-acme-a", "2026-01-02-acme-b"], f"{base}/moved": ["2026-01-02-acme-b"]}
    text = report(results, cited, "text")
    assert f"2026-01-01-acme-a: dead: {base}/gone (HTTP 404)" in text
    assert f"2026-01-02-acme-b: moved: {base}/moved -> {base}/ok" in text
    assert text.endswith("1 ok, 1 moved, 1 dead, 0 error of 3 link(s)")
    markdown = report(results, cited, "markdown")
    assert markdown.startswith("## Source links that need attention") and "### `2026-01-02-acme-b`" in markdown


def test_cli_options_are_checked(tree: Tree) -> None:
    result = run_cli("check-links", "--concurrency", "0", cwd=tree.root)
    assert result.returncode == 2 and "must be greater than 0" in result.stderr
    result = run_cli("check-links", cwd=tree.root)
    assert result.returncode == 0 and "0 ok, 0 moved, 0 dead, 0 error of 0 link(s)" in result.stdout
