"""A misbehaving status endpoint: every fault ends in a clear failure of that vendor alone.

A raw TCP server answers with broken HTTP (bad status line, huge or too many headers, cut-off
bodies), hostile payloads (deep nesting, wrong types, huge volumes) and answers that must not
count as coverage. Each case asserts the outcome: exit 1, a message naming the vendor and the
reason, no traceback, nothing written, coverage unchanged, and bounded time.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import ClassVar

import pytest
from test_collect import body, collecting, export, snapshot

from conftest import NOW, Tree, run_cli
from incident_ledger.cli import _existing
from incident_ledger.ledger.coverage import Coverage, SourceCoverage
from incident_ledger.ledger.model import CollectSource
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.sources.collect import Collector
from incident_ledger.sources.fetch import Fetcher, FetchError, FetchSettings, _Redirects
from incident_ledger.sources.importer import Importer

Reply = bytes | list[tuple[float, bytes]]  # raw bytes, or (pause, bytes) pieces sent slowly


class Raw(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class RawHandler(socketserver.BaseRequestHandler):
    replies: ClassVar[dict[str, Reply]] = {}

    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ", 2)[1].decode()
        reply = RawHandler.replies.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        with contextlib.suppress(OSError):
            if isinstance(reply, bytes):
                self.request.sendall(reply)
            else:
                for pause, piece in reply:
                    time.sleep(pause)
                    self.request.sendall(piece)
            self.request.shutdown(socket.SHUT_WR)


@pytest.fixture
def raw() -> Iterator[str]:
    RawHandler.replies = {}
    server = Raw(("127.0.0.1", 0), RawHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def ok(payload: bytes, *headers: str) -> bytes:
    head = "".join(f"{h}\r\n" for h in ("HTTP/1.1 200 OK", f"Content-Length: {len(payload)}", *headers))
    return head.encode() + b"\r\n" + payload


def incidents_with(**changes: object) -> bytes:
    data = export()
    data["incidents"][0].update(changes)
    return body(data)


NESTED_ATOM = (
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>t</title>'
    b'<link href="https://status.acme.example.com/incidents/abc"/><content type="xhtml">'
    + b"<div>" * 60000
    + b"</div>" * 60000
    + b"</content></entry></feed>"
)
CASES: dict[str, tuple[Reply, str]] = {
    "status-line": (b"HTTP/1.1 two hundred\r\n\r\n", "malformed HTTP response"),
    "long-header": (b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n", "malformed HTTP response"),
    "many-headers": (
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(150)) + b"\r\n",
        "malformed HTTP response",
    ),
    "chunked-cut": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + body(export())[:100],
        "cut off",
    ),
    "short-body": (
        b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + body(export())[:300],
        "cut off",
    ),
    "deep-json": (ok(b'{"incidents": ' + b"[" * 3000 + b"]" * 3000 + b"}"), "nested too deeply"),
    "deep-atom": (ok(NESTED_ATOM), "nested too deeply"),
    "updates-number": (ok(incidents_with(incident_updates=5)), "not of the expected shape (TypeError"),
    "empty-objects": (ok(b"[" + b"{}," * 400_000 + b"{}]"), "objects"),
    "huge": (ok(b" " * (17 * 1024 * 1024)), "larger than 16 MiB"),
    "304-unasked": (b"HTTP/1.1 304 Not Modified\r\n\r\n", "304 Not Modified to a request"),
    "redirect-ftp": (b"HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\nContent-Length: 0\r\n\r\n", "ftp:"),
    "redirect-private": (
        b"HTTP/1.1 302 Found\r\nLocation: http://10.1.2.3/x\r\nContent-Length: 0\r\n\r\n",
        "private host 10.1.2.3",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_misbehaving_endpoint_fails_clearly_and_writes_nothing(tree: Tree, raw: str, case: str) -> None:
    collecting(tree)
    before = snapshot(tree)
    reply, reason = CASES[case]
    RawHandler.replies[f"/{case}"] = reply
    started = time.monotonic()
    args = ("collect", "--vendor", "acme", "--url", f"{raw}/{case}", "--retries", "0", "--timeout", "5")
    result = run_cli(*args, cwd=tree.root)
    assert time.monotonic() - started < 60
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"failed: acme: {raw}/{case}: " in result.stderr and reason in result.stderr, result.stderr
    assert "acme: failed, nothing written" in result.stdout
    assert snapshot(tree) == before


def test_a_trickling_server_meets_the_overall_deadline(raw: str) -> None:
    RawHandler.replies["/slow"] = [
        (0, b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"),
        *[(0.3, b"x") for _ in range(100)],
    ]
    started = time.monotonic()
    with pytest.raises(FetchError, match="too slowly"):
        Fetcher(FetchSettings(timeout=2, deadline=1.5, retries=0)).get(f"{raw}/slow")
    assert time.monotonic() - started < 5


def test_redirects_keep_to_https_and_public_hosts() -> None:
    handler = _Redirects("https://status.acme.example.com/api/v2/incidents.json")
    for target, reason in (
        ("http://status.acme.example.com/x", "https to plain http"),
        ("https://127.0.0.1/x", "private host 127.0.0.1"),
        ("https://[::1]/x", "private host ::1"),
        ("file:///etc/passwd", "`file:`"),
    ):
        with pytest.raises(FetchError, match=reason):
            handler.redirect_request(None, None, 302, "Found", {}, target)


def _run(tree: Tree, url: str, coverage: Coverage, now=NOW):  # type: ignore[no-untyped-def]
    registry = load_ledger(tree.incidents, NOW).catalog.registry
    acme = replace(registry.vendors["acme"], collect=(CollectSource("statuspage", url),))
    collector = Collector(registry, coverage, [], now, Fetcher(FetchSettings(retries=0)))
    return collector.run_all([acme])[0], collector


WATCHED = Coverage(
    {
        "acme": (
            SourceCoverage(
                "statuspage", "URL", ((NOW - timedelta(days=9), NOW - timedelta(days=5)),), NOW - timedelta(days=5)
            ),
        )
    }
)


def _watched(url: str) -> Coverage:
    source = WATCHED.vendors["acme"][0]
    return Coverage({"acme": (replace(source, url=url),)})


@pytest.mark.parametrize(
    ("name", "payload", "reason"),
    [
        ("empty", {"page": {}, "incidents": []}, "holds no incident"),
        ("maintenance-only", {"page": {}, "incidents": [i for i in export()["incidents"] if i.get("scheduled_for")]},
         "holds no incident"),
    ],
)  # fmt: skip
def test_lists_that_prove_nothing_do_not_extend_coverage(
    tree: Tree, raw: str, name: str, payload: dict, reason: str
) -> None:
    collecting(tree)
    RawHandler.replies[f"/{name}"] = ok(json.dumps(payload).encode())
    url = f"{raw}/{name}"
    run, collector = _run(tree, url, _watched(url))
    assert not run.failed and any(reason in note for note in run.notes)
    assert collector.coverage.spans("acme") == WATCHED.spans("acme")


def test_a_list_that_lost_incidents_seen_before_does_not_extend_coverage(tree: Tree, raw: str) -> None:
    collecting(tree)
    whole = export()
    RawHandler.replies["/whole"] = ok(body(whole))
    url = f"{raw}/whole"
    first, collector = _run(tree, url, Coverage())
    assert not first.failed and len(first.writes) == 4
    for relative, text in first.writes.items():
        tree.add(relative.rsplit("/", 1)[1], text)
    fetched = collector.coverage
    dated = sorted(
        (i for i in whole["incidents"] if not i.get("scheduled_for")),
        key=lambda i: i.get("started_at") or i["created_at"],
    )
    lost = dated[-1]["id"]  # the newest: inside the stretch the shrunken list still claims
    shrunk = dict(whole, incidents=[i for i in whole["incidents"] if i["id"] != lost])
    RawHandler.replies["/whole"] = ok(body(shrunk))
    registry = load_ledger(tree.incidents, NOW).catalog.registry
    acme = replace(registry.vendors["acme"], collect=(CollectSource("statuspage", url),))
    later = Collector(
        registry, fetched, _existing(tree.incidents), NOW + timedelta(days=1), Fetcher(FetchSettings(retries=0))
    )
    run = later.run_all([acme])[0]
    assert any("misses 1 incident(s)" in note and lost in note for note in run.notes), run.notes
    assert later.coverage.spans("acme") == []


def test_a_crashing_vendor_leaves_the_other_vendors_files(
    tree: Tree, raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    collecting(tree)
    RawHandler.replies["/good"] = ok(body(export()))
    registry = load_ledger(tree.incidents, NOW).catalog.registry
    acme = replace(registry.vendors["acme"], collect=(CollectSource("statuspage", f"{raw}/good"),))
    zeta = replace(registry.vendors["zeta"], collect=(CollectSource("statuspage", f"{raw}/good"),))
    real_plan = Importer.plan

    def plan(self: Importer, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.vendor.id == "acme":
            raise RuntimeError("a bug nobody foresaw")
        return real_plan(self, *args, **kwargs)

    monkeypatch.setattr(Importer, "plan", plan)
    collector = Collector(registry, Coverage(), [], NOW, Fetcher(FetchSettings(retries=0)))
    crashed, fine = collector.run_all([acme, zeta])
    assert crashed.failed and "RuntimeError: a bug nobody foresaw" in crashed.failures[0] and not crashed.writes
    assert not fine.failed and len(fine.writes) == 4
    assert "acme" not in collector.coverage.vendors and "zeta" in collector.coverage.vendors
