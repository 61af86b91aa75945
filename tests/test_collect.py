"""`incident-ledger collect` against a real local HTTP server serving recorded status exports.

Every answer a status page can give is played back: 200, 304 with an ETag, redirects,
404, 429 with Retry-After, 500, a timeout, an HTML error page, truncated JSON and JSON
of the wrong shape. The exports are the Statuspage fixture under tests/fixtures/statuspage.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest

from conftest import EPOCH, NOW, Tree, mkdocs_build, run_cli, site_tree
from incident_ledger.ledger.coverage import Coverage
from incident_ledger.ledger.model import CollectSource
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.sources.collect import Collector
from incident_ledger.sources.fetch import Fetcher, FetchSettings

FIXTURE = Path(__file__).parent / "fixtures" / "statuspage" / "incidents.json"
COLLECT = """\
  collect:
    - {kind: statuspage, url: https://status.acme.example.com/api/v2/incidents.json}
"""


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


class Handler(http.server.BaseHTTPRequestHandler):
    """Plays back the scripted answers of a path in order; the last one repeats."""

    script: ClassVar[dict[str, list[Answer]]] = {}
    seen: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        Handler.seen.append((self.path, dict(self.headers)))
        answers = Handler.script.get(self.path) or [Answer(404, b"not here")]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if answer.headers.get("ETag") and self.headers.get("If-None-Match") == answer.headers["ETag"]:
            answer = Answer(304, b"", {"ETag": answer.headers["ETag"]})
        time.sleep(answer.delay)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(answer.body)


@pytest.fixture
def server() -> Iterator[str]:
    Handler.script = {}
    Handler.seen = []
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


OPEN_ID = "01M294A9404P5Q6R7S8T9V0W1X"


def export(*, drop_broken: bool = True, still_open: bool = False) -> dict[str, Any]:
    """The recorded export, without its deliberately broken entry, and with its open incident resolved
    (open for months, it would be a validation warning) unless asked."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    if drop_broken:
        data["incidents"] = [i for i in data["incidents"] if i.get("id") != "broken000001"]
    if not still_open:
        for incident in data["incidents"]:
            if incident["id"] == OPEN_ID:
                incident.update(status="resolved", resolved_at="2026-09-12T07:00:00.000Z")
    return data


def body(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def collecting(tree: Tree) -> Tree:
    registry = tree.incidents / "vendors.yml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("zeta:\n", COLLECT + "zeta:\n", 1), encoding="utf-8")
    return tree


def collect(tree: Tree, url: str, *extra: str, epoch: int | None = None) -> tuple[int, str, str]:
    env = {"SOURCE_DATE_EPOCH": str(epoch)} if epoch is not None else None
    args = ("collect", "--vendor", "acme", "--url", url, "--retries", "0", *extra)
    result = run_cli(*args, cwd=tree.root, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def snapshot(tree: Tree) -> dict[str, bytes]:
    return {
        p.relative_to(tree.root).as_posix(): p.read_bytes() for p in sorted(tree.incidents.rglob("*")) if p.is_file()
    }


def coverage_of(tree: Tree, now: datetime = NOW) -> Coverage:
    return load_ledger(tree.incidents, now).catalog.coverage


def test_first_collect_imports_and_records_coverage(tree: Tree, server: str) -> None:
    collecting(tree)
    Handler.script["/incidents.json"] = [Answer(200, body(export()), {"ETag": '"v1"'})]
    code, out, err = collect(tree, server + "/incidents.json")
    assert code == 0, out + err
    assert "acme: 4 new, 0 updated, 0 unchanged, 0 matched, 0 failed" in out
    assert load_ledger(tree.incidents, NOW).problems == []
    sources = coverage_of(tree).vendors["acme"]
    assert len(sources) == 1 and sources[0].etag == '"v1"'
    assert sources[0].spans == () and sources[0].fetched == NOW  # a first fetch: coverage starts now
    assert "first fetch: coverage starts now" in out
    _, headers = Handler.seen[0]
    assert headers["User-Agent"].startswith("incident-ledger-collect/")
    assert "If-None-Match" not in headers


def test_second_run_changes_nothing_with_or_without_etag(tree: Tree, server: str) -> None:
    collecting(tree)
    Handler.script["/etag.json"] = [Answer(200, body(export()), {"ETag": '"v1"'})]
    collect(tree, server + "/etag.json")
    before = snapshot(tree)
    code, out, _ = collect(tree, server + "/etag.json")
    assert code == 0 and "not modified" in out
    assert Handler.seen[-1][1]["If-None-Match"] == '"v1"'
    assert snapshot(tree) == before

    plain = Tree(tree.root.parent / "plain")
    plain.incidents.mkdir(parents=True)
    for name in ("vendors.yml", "sources.yml"):
        (plain.incidents / name).write_bytes((tree.incidents / name).read_bytes())
    Handler.script["/plain.json"] = [Answer(200, body(export()))]
    collect(plain, server + "/plain.json")
    first = snapshot(plain)
    collect(plain, server + "/plain.json")
    assert snapshot(plain) == first


def test_overlapping_fetch_extends_coverage_and_updates(tree: Tree, server: str) -> None:
    collecting(tree)
    Handler.script["/a.json"] = [Answer(200, body(export(still_open=True)))]
    collect(tree, server + "/a.json")
    later = int(EPOCH) + 86400
    Handler.script["/a.json"] = [Answer(200, body(export()))]
    code, out, _ = collect(tree, server + "/a.json", epoch=later)
    assert code == 0 and "acme: 0 new, 1 updated, 3 unchanged" in out
    spans = coverage_of(tree, NOW + timedelta(days=1)).spans("acme")
    assert len(spans) == 1 and spans[0][1] == NOW + timedelta(days=1)
    assert "gap:" not in out


def test_full_page_newer_than_last_fetch_records_a_gap(tree: Tree, server: str) -> None:
    collecting(tree)
    Handler.script["/g.json"] = [Answer(200, body(export()))]
    collect(tree, server + "/g.json")
    later = NOW + timedelta(days=30)
    fresh = []
    for n in range(50):  # a full page: Statuspage's limit, so older incidents may have rolled off
        start = later - timedelta(days=10) + timedelta(hours=n)
        stamp = start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        fresh.append(
            {"id": f"fresh{n:07d}", "name": f"Elevated errors {n}", "status": "resolved", "impact": "minor",
             "started_at": stamp, "created_at": stamp, "resolved_at": stamp.replace(":00.000Z", ":30.000Z"),
             "incident_updates": []}
        )  # fmt: skip
    Handler.script["/g.json"] = [Answer(200, body({"page": export()["page"], "incidents": fresh}))]
    code, out, _ = collect(tree, server + "/g.json", epoch=int(later.timestamp()))
    assert code == 0
    assert "gap: acme:" in out and f"from {NOW:%Y-%m-%dT%H:%MZ}" in out
    assert coverage_of(tree).spans("acme") == []  # nothing vouches for the time since the first fetch
    assert NOW < coverage_of(tree).vendors["acme"][0].fetched <= later  # coverage can start again from there


def test_redirects_are_followed(tree: Tree, server: str) -> None:
    collecting(tree)
    Handler.script["/old.json"] = [Answer(301, b"", {"Location": "/tmp.json"})]
    Handler.script["/tmp.json"] = [Answer(302, b"", {"Location": "/new.json"})]
    Handler.script["/new.json"] = [Answer(200, body(export()))]
    code, out, _ = collect(tree, server + "/old.json")
    assert code == 0 and "4 new" in out
    assert [path for path, _ in Handler.seen] == ["/old.json", "/tmp.json", "/new.json"]


def test_rate_limit_is_retried_after_the_servers_delay(tree: Tree, server: str) -> None:
    collecting(tree)
    Handler.script["/busy.json"] = [Answer(429, b"slow down", {"Retry-After": "1"}), Answer(200, body(export()))]
    args = ("collect", "--vendor", "acme", "--url", server + "/busy.json", "--retries", "1")
    result = run_cli(*args, cwd=tree.root)
    assert result.returncode == 0 and "4 new" in result.stdout, result.stdout + result.stderr
    assert len(Handler.seen) == 2


def test_retry_after_and_back_off_decide_the_wait(server: str) -> None:
    Handler.script["/x"] = [Answer(503, b"", {"Retry-After": "7"}), Answer(500), Answer(200, b"{}")]
    waits: list[float] = []
    fetched = Fetcher(FetchSettings(retries=2, backoff=0.5), sleep=waits.append).get(server + "/x")
    assert fetched.status == 200 and fetched.body == b"{}"
    assert waits == [7.0, 1.0]


FAILURES = [
    ("404", [Answer(404, b"missing")], "HTTP 404"),
    ("500", [Answer(500, b"oops")], "HTTP 500 (after 1 attempts)"),
    ("html", [Answer(200, b"<!DOCTYPE html><html><body>Sign in</body></html>")], "got an HTML page"),
    ("truncated", [Answer(200, body(export())[:-40])], "the JSON is truncated"),
    ("shape", [Answer(200, b'{"page": {}, "items": []}')], "no 'incidents' list"),
    ("timeout", [Answer(200, body(export()), delay=3)], "network error"),
]


@pytest.mark.parametrize(("name", "answers", "reason"), FAILURES, ids=[f[0] for f in FAILURES])
def test_a_failed_source_writes_nothing(tree: Tree, server: str, name: str, answers: list[Answer], reason: str) -> None:
    collecting(tree)
    before = snapshot(tree)
    Handler.script[f"/{name}"] = list(answers)
    code, out, err = collect(tree, f"{server}/{name}", "--timeout", "0.5")
    assert code == 1
    assert f"failed: acme: {server}/{name}: " in err and reason in err
    assert "acme: failed, nothing written" in out
    assert snapshot(tree) == before


def test_one_vendors_failure_leaves_the_others_running(tree: Tree, server: str) -> None:
    collecting(tree)
    Handler.script["/good"] = [Answer(200, body(export()))]
    Handler.script["/bad"] = [Answer(200, b"<html>maintenance</html>")]
    result = load_ledger(tree.incidents, NOW)
    registry = result.catalog.registry
    acme = replace(registry.vendors["acme"], collect=(CollectSource("statuspage", server + "/bad"),))
    zeta = replace(registry.vendors["zeta"], collect=(CollectSource("statuspage", server + "/good"),))
    collector = Collector(registry, Coverage(), [], NOW, Fetcher(FetchSettings(retries=0)))
    bad, good = collector.run_all([acme, zeta])
    assert bad.failed and not bad.writes and "acme" not in collector.coverage.vendors
    assert not good.failed and len(good.writes) == 4
    assert collector.coverage.vendors["zeta"][0].fetched == NOW


def test_record_errors_are_reported_and_keep_coverage(tree: Tree, server: str) -> None:
    collecting(tree)
    Handler.script["/e.json"] = [Answer(200, body(export(drop_broken=False)))]
    code, out, _ = collect(tree, server + "/e.json")
    assert code == 1 and "error: broken000001" in out and "coverage not extended" in out
    assert len(list(tree.incidents.rglob("*.md"))) == 4  # the valid ones are kept
    assert coverage_of(tree).spans("acme") == []


def test_dry_run_writes_nothing(tree: Tree, server: str) -> None:
    collecting(tree)
    before = snapshot(tree)
    Handler.script["/d.json"] = [Answer(200, body(export()))]
    code, out, _ = collect(tree, server + "/d.json", "--dry-run")
    assert code == 0 and "created incidents/2026/" in out and "dry run: nothing written" in out
    assert snapshot(tree) == before


def test_bad_arguments_are_clear(tree: Tree) -> None:
    collecting(tree)
    result = run_cli("collect", "--url", "https://example.com/x.json", cwd=tree.root)
    assert result.returncode == 2 and "--url needs exactly one --vendor" in result.stderr
    result = run_cli("collect", "--vendor", "acmee", cwd=tree.root)
    assert result.returncode == 2 and "did you mean `acme`?" in result.stderr
    result = run_cli("collect", "--vendor", "zeta", cwd=tree.root)
    assert result.returncode == 2 and "no vendor with `collect:` sources" in result.stderr
    result = run_cli("collect", "--vendor", "zeta", "--url", "https://example.com/x.json", cwd=tree.root)
    assert result.returncode == 2 and "`zeta` has no `collect:`" in result.stderr


def test_untracked_vendor_says_so_and_collected_one_builds(tree: Tree, server: str, tmp_path: Path) -> None:
    collecting(tree)
    Handler.script["/b.json"] = [Answer(200, body(export()))]
    collect(tree, server + "/b.json", epoch=int(EPOCH) - 7 * 86400)
    collect(tree, server + "/b.json")  # a week later, the list still reaches back: the week is covered
    tree.add("2026-11-01-zeta-api-errors.md", _zeta_incident())
    site_tree(tree)
    result = mkdocs_build(tree.root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    stats = json.loads(run_cli("stats", "--window", "90d", "--format", "json", cwd=tree.root).stdout)
    by_vendor = {v["vendor"]: v for v in stats["vendors"]}
    assert by_vendor["zeta"]["estimated_availability"] is None
    assert by_vendor["zeta"]["covered_seconds"] == 0 and by_vendor["zeta"]["partial"] is True
    assert by_vendor["acme"]["estimated_availability"] is not None
    zeta = (tmp_path / "site" / "vendors" / "zeta" / "index.html").read_text(encoding="utf-8")
    assert "Coverage: not tracked." in zeta and NOT_TRACKED_ALL in zeta
    assert 'il-day--ok"' not in zeta.split("Last 90 days")[1].split("Charts")[0]
    acme = (tmp_path / "site" / "vendors" / "acme" / "index.html").read_text(encoding="utf-8")
    assert "The ledger holds every incident Acme AI posted from" in acme
    assert NOT_TRACKED_ALL.replace('"all"', '"30d"') not in acme


NOT_TRACKED_ALL = (
    '<td class="il-severe-hours" data-window="all"><span class="il-untracked-label">not tracked</span></td>'
)


def _zeta_incident() -> str:
    return (
        "---\ntitle: Zeta API errors\nvendor: zeta\nmodel: all\nstart: 2026-11-01T10:00:00Z\n"
        "end: 2026-11-01T11:00:00Z\nimpact: major\nsources:\n  - https://status.zeta.example.com/incidents/z1\n"
        "---\nZeta's API returned errors for an hour.\n"
    )
