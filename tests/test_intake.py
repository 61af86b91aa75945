"""Intake that cannot fake coverage or lose work, on real captures (tests/fixtures/real, each with SOURCE.md).

Each hostile answer is derived from a real list: one stale record, oversized texts, a trickling
server; each test asserts what the ledger ends up holding, not what the code meant to do.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_collect import Answer, Handler, collecting, server  # noqa: F401 - the local HTTP server fixture
from test_hostile_endpoint import RawHandler, raw  # noqa: F401 - the raw misbehaving endpoint

from conftest import Tree, build_env, incident_text, real_tree, run_cli
from incident_ledger.cli import _existing, collect_and_write
from incident_ledger.ledger.coverage import Coverage, SourceCoverage
from incident_ledger.ledger.model import CollectSource
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.sources.collect import Collector, VendorRun
from incident_ledger.sources.fetch import Fetcher, FetchError, FetchSettings, _connect, _Deadline, _Redirects
from incident_ledger.sources.readers.kinds import read
from incident_ledger.sources.readers.record import ExportError
from incident_ledger.sources.writing import Interrupted, Stop

REAL = Path(__file__).parent / "fixtures" / "real"
LIST = REAL / "anthropic-list" / "incidents.json"
OPENAI = REAL / "incidentio" / "incidents.json"
FETCHED = datetime(2026, 8, 21, 0, 0, tzinfo=UTC)  # the day after the list's newest incident
EPOCH = {"SOURCE_DATE_EPOCH": str(int(datetime(2026, 9, 16, tzinfo=UTC).timestamp()))}


def real_list() -> dict[str, Any]:
    return json.loads(LIST.read_text(encoding="utf-8"))


def collect_once(tree: Tree, url: str, coverage: Coverage, now: datetime) -> tuple[VendorRun, Collector]:
    result = load_ledger(tree.incidents, now)
    registry = result.catalog.registry
    anthropic = registry.vendors["anthropic"]
    source = replace(anthropic, collect=(CollectSource("statuspage", anthropic.collect[0].url),))
    collector = Collector(registry, coverage, _existing(tree.incidents), now, Fetcher(FetchSettings(retries=0)))
    return collector.run(source, url), collector


def ledger_with_list(tmp_path: Path, url: str) -> Tree:
    """A ledger holding every incident of the real list, as an earlier collect wrote them."""
    tree = real_tree(tmp_path)
    Handler.script["/whole"] = [Answer(200, LIST.read_bytes())]
    first, _ = collect_once(tree, url + "/whole", Coverage(), FETCHED)
    assert not first.failed and len(first.writes) == 50, first.notes
    for relative, text in first.writes.items():
        tree.add("/" + relative, text)
    return tree


def test_a_stale_one_record_list_extends_nothing_and_names_what_it_misses(tmp_path: Path, server: str) -> None:  # noqa: F811
    tree = ledger_with_list(tmp_path, server)
    incidents = real_list()["incidents"]
    stale = incidents[20]  # the archive ends 7 minutes after it; the 20 newer ones are in the ledger
    archive_end = datetime.fromisoformat(stale["started_at"]) + timedelta(minutes=7)
    source_url = load_ledger(tree.incidents, FETCHED).catalog.registry.vendors["anthropic"].collect[0].url
    archived = SourceCoverage(
        "statuspage", source_url, ((archive_end - timedelta(days=60), archive_end),), basis="archive"
    )
    coverage = Coverage({"anthropic": (archived,)})
    Handler.script["/stale"] = [Answer(200, json.dumps(dict(real_list(), incidents=[stale])).encode())]
    run, collector = collect_once(tree, server + "/stale", coverage, FETCHED)
    assert not run.failed
    assert collector.coverage.spans("anthropic") == coverage.spans("anthropic")
    assert run.coverage.spans("anthropic") == coverage.spans("anthropic")
    note = next(n for n in run.notes if "misses" in n)
    assert "misses 20 incident(s)" in note
    assert all(i["id"] in note for i in incidents[10:20])  # the oldest ten first, in time order


def test_a_whole_list_across_the_archive_boundary_extends_coverage(tmp_path: Path, server: str) -> None:  # noqa: F811
    tree = ledger_with_list(tmp_path, server)
    incidents = real_list()["incidents"]
    archive_end = datetime.fromisoformat(incidents[20]["started_at"]) + timedelta(minutes=7)
    source_url = load_ledger(tree.incidents, FETCHED).catalog.registry.vendors["anthropic"].collect[0].url
    archived = SourceCoverage("statuspage", source_url, ((archive_end - timedelta(days=60), archive_end),))
    Handler.script["/whole"] = [Answer(200, LIST.read_bytes())]
    run, _ = collect_once(tree, server + "/whole", Coverage({"anthropic": (archived,)}), FETCHED)
    assert run.coverage.spans("anthropic") == [(archive_end - timedelta(days=60), FETCHED)], run.notes


def collect_cli(tree: Tree, vendor: str, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    result = run_cli("collect", "--vendor", vendor, "--url", url, "--retries", "0", *extra, cwd=tree.root, env=EPOCH)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def collect_process(tree: Tree, vendor: str, url: str) -> subprocess.Popen[str]:
    args = ["collect", "--vendor", vendor, "--url", url, "--retries", "0"]
    return subprocess.Popen(
        [sys.executable, "-m", "incident_ledger.cli", *args], cwd=tree.root, env=build_env(EPOCH),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def validates(tree: Tree) -> bool:
    result = run_cli("validate", cwd=tree.root, env=EPOCH)
    return result.returncode == 0 and "Traceback" not in result.stderr


def test_an_oversized_record_is_refused_and_the_ledger_still_validates(tmp_path: Path, server: str) -> None:  # noqa: F811
    tree = real_tree(tmp_path)
    data = real_list()
    big = data["incidents"][0]
    post = big["incident_updates"][0]
    big["incident_updates"] = [dict(post, id=f"u{n}", body=post["body"] * 400) for n in range(60)]  # 60 long posts
    data["incidents"][1]["name"] = data["incidents"][1]["name"] + " across every region" * 10
    Handler.script["/big"] = [Answer(200, json.dumps(data).encode())]
    result = collect_cli(tree, "anthropic", server + "/big")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "over the limit of 524288" in result.stdout
    assert "the title was cut to 120 characters" in result.stdout
    assert "60 post(s) were cut to 12000 characters" in result.stdout
    files = list(tree.incidents.rglob("*.md"))
    assert len(files) == 49 and all(f.stat().st_size < 512 * 1024 for f in files)
    assert validates(tree)


TRICKLE = [(0, b"HTTP/1.1 200 OK\r\n"), *[(0.4, b"X") for _ in range(400)]]  # a header, a byte at a time


def test_collect_against_a_trickling_server_stops_within_its_deadline(tree: Tree, raw: str) -> None:  # noqa: F811
    collecting(tree)
    RawHandler.replies["/trickle"] = TRICKLE
    started = time.monotonic()
    result = collect_cli(tree, "acme", raw + "/trickle", "--timeout", "5")
    elapsed = time.monotonic() - started
    assert result.returncode == 1 and "too slowly" in result.stderr, result.stderr
    assert elapsed < 12, elapsed  # 5 s for the request, the rest is starting Python and loading the ledger


def test_the_vendor_budget_stops_retries(raw: str) -> None:  # noqa: F811
    RawHandler.replies["/busy"] = b"HTTP/1.1 503 Busy\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n"
    fetcher = Fetcher(FetchSettings(retries=10))
    fetcher.until = time.monotonic() + 2.5
    started = time.monotonic()
    with pytest.raises(FetchError, match="no time left in the budget"):
        fetcher.get(raw + "/busy")
    assert time.monotonic() - started < 3


def test_sigterm_while_fetching_writes_nothing_and_says_what_did_not_finish(tree: Tree, raw: str) -> None:  # noqa: F811
    collecting(tree)
    RawHandler.replies["/trickle"] = TRICKLE
    child = collect_process(tree, "acme", raw + "/trickle")
    time.sleep(3)
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=20)
    assert child.returncode == 128 + signal.SIGTERM, out + err
    assert "interrupted by SIGTERM: finished none; not collected, nothing written: acme" in err
    assert "Traceback" not in err
    assert not list(tree.incidents.rglob("*.md")) and not (tree.incidents / "coverage.yml").exists()


def test_a_signal_while_writing_waits_until_the_vendor_is_whole() -> None:
    stop = Stop()
    written = []
    with stop.installed(), pytest.raises(Interrupted, match="SIGTERM"), stop.hold():
        os.kill(os.getpid(), signal.SIGTERM)
        written.append("the whole vendor")  # the signal has arrived, yet this still runs
    assert written == ["the whole vendor"]


def test_two_concurrent_collects_keep_both_vendors_coverage(tmp_path: Path, server: str) -> None:  # noqa: F811
    tree = real_tree(tmp_path)
    Handler.script["/anthropic"] = [Answer(200, LIST.read_bytes(), delay=2)]
    Handler.script["/openai"] = [Answer(200, OPENAI.read_bytes(), delay=2)]
    children = [collect_process(tree, vendor, f"{server}/{vendor}") for vendor in ("anthropic", "openai")]
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, out + err
    coverage = load_ledger(tree.incidents, FETCHED).catalog.coverage
    assert set(coverage.vendors) == {"anthropic", "openai"}
    assert validates(tree)


def _small_files() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1500, 1500))


def test_a_full_disk_fails_clearly_and_leaves_nothing_half_written(tmp_path: Path, server: str) -> None:  # noqa: F811
    tree = real_tree(tmp_path)
    Handler.script["/list"] = [Answer(200, LIST.read_bytes())]
    args = ["collect", "--vendor", "anthropic", "--url", server + "/list", "--retries", "0"]
    result = subprocess.run(
        [sys.executable, "-m", "incident_ledger.cli", *args], cwd=tree.root, env=build_env(EPOCH),
        capture_output=True, text=True, timeout=120, preexec_fn=_small_files,
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot write incidents/" in result.stderr and "it was left as it was" in result.stderr
    assert not [p for p in tree.incidents.rglob("*") if p.name.endswith(".tmp")]
    assert all(p.stat().st_mode & 0o044 for p in tree.incidents.rglob("*.md"))  # readable as any write makes it
    assert not (tree.incidents / "coverage.yml").exists()  # the vendor was not written whole: no coverage
    assert validates(tree)


@pytest.mark.parametrize(
    "target",
    ["http://127.1/x", "http://2130706433/x", "http://0x7f000001/x", "http://0177.0.0.1/x",
     "http://[::ffff:127.0.0.1]/x", "http://localhost./x", "http://169.254.169.254/latest"],
)  # fmt: skip
def test_redirects_to_a_private_address_in_any_spelling_are_refused(target: str) -> None:
    handler = _Redirects("http://status.acme.example.com/api/v2/incidents.json")
    with pytest.raises(FetchError, match="private host"):
        handler.redirect_request(None, None, 302, "Found", {}, target)


def test_a_name_is_resolved_before_connecting_and_a_private_answer_refused(raw: str) -> None:  # noqa: F811
    port = int(raw.rsplit(":", 1)[1])
    deadline = _Deadline(time.monotonic() + 5)
    try:
        with pytest.raises(FetchError, match=r"resolves to the private address 127\.0\.0\.1"):
            _connect("status.acme.example.com", deadline, ("localhost", port), 5)
        _connect("127.0.0.1", deadline, ("127.0.0.1", port), 5).close()  # the host the request started on
    finally:
        deadline.close()


def test_hostile_text_in_a_real_list_creates_no_structure_and_validates(tmp_path: Path, server: str) -> None:  # noqa: F811
    tree = real_tree(tmp_path)
    data = real_list()
    first, second = data["incidents"][0], data["incidents"][1]
    first["name"] = "Elevated \u202eerrors\u200b on requests"
    first["components"][0]["name"] = "claude.ai\n# Taken over\n- a list\n\n    code"
    first["incident_updates"][0]["body"] = "\u2066We are investigating\u2069 this issue."
    first["shortlink"] = "https://attacker.example.net/x"
    Handler.script["/hostile"] = [Answer(200, json.dumps(data).encode())]
    result = collect_cli(tree, "anthropic", server + "/hostile")
    assert result.returncode == 0, result.stdout + result.stderr
    text = next(p for p in tree.incidents.rglob("*.md") if first["id"] in p.read_text(encoding="utf-8")).read_text(
        encoding="utf-8"
    )
    assert "title: Elevated errors on requests" in text
    assert not any(char in text for char in "\u202e\u200b\u2066\u2069")
    body = text.split("\n---\n", 1)[1]
    assert not [line for line in body.split("\n") if line.lstrip().startswith(("#", "- ")) or line.startswith("    ")]
    assert "attacker.example.net" not in text
    kept = next(p for p in tree.incidents.rglob("*.md") if second["id"] in p.read_text(encoding="utf-8"))
    assert second["shortlink"] in kept.read_text(encoding="utf-8")  # Statuspage's own short-link host
    assert validates(tree)


@pytest.mark.parametrize(
    ("where", "char"), [("body", "\u202e"), ("update", "\u2066"), ("body", "\u200b"), ("title", "\u2060")]
)
def test_validate_refuses_bidi_and_invisible_characters(tree: Tree, where: str, char: str) -> None:
    fields: dict[str, object] = {
        "title": f"Elevated errors on {char}Acme Large" if where == "title" else "Elevated errors on Acme Large",
        "updates": f'\n  - {{at: 2026-02-10T14:10:00Z, status: investigating, text: "Looking{char} into it"}}'
        if where == "update"
        else None,
        "body": f"Requests failed {char}for three hours." if where == "body" else "Requests failed for three hours.",
    }
    tree.add("2026-02-10-acme-large-errors.md", incident_text(**fields))
    result = run_cli("validate", cwd=tree.root, env={"SOURCE_DATE_EPOCH": str(int(FETCHED.timestamp()))})
    assert result.returncode == 1, result.stdout
    assert f"U+{ord(char):04X}" in result.stdout or "invisible or bidirectional" in result.stdout, result.stdout


def test_validate_refuses_coverage_reaching_into_the_future(tree: Tree) -> None:
    (tree.incidents / "coverage.yml").write_text(
        "acme:\n  - kind: statuspage\n    url: https://status.acme.example.com/api/v2/incidents.json\n"
        "    covered:\n      - {from: 2026-08-01T00:00:00Z, to: 2030-01-01T00:00:00Z}\n",
        encoding="utf-8",
    )
    result = run_cli("validate", cwd=tree.root, env={"SOURCE_DATE_EPOCH": str(int(FETCHED.timestamp()))})
    assert result.returncode == 1 and "is in the future" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("kind", "data", "reason"),
    [
        ("statuspage", b"[" + b"[]," * 5_000_000 + b"[]]", "objects or lists"),
        ("atom", b"<feed>" + b"<item/>" * 2_000_000 + b"</feed>", "tags"),
    ],
    ids=["15 MB of []", "14 MB of <item/>"],
)
def test_large_json_and_xml_are_refused_before_they_are_built(kind: str, data: bytes, reason: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ExportError, match=reason):
            read(kind, data, "https://status.claude.com")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(data), peak  # the decoded text, never a tree of millions of nodes


class Routed(Fetcher):
    """Fetches each registry address from the local server standing in for it (the network is closed here)."""

    def __init__(self, routes: dict[str, str], settings: FetchSettings) -> None:
        super().__init__(settings)
        self.routes = routes

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Any:
        return super().get(self.routes[url], etag, last_modified)


def two_vendors(tree: Tree, routes: dict[str, str], **budgets: float) -> tuple[Collector, list[Any]]:
    registry = load_ledger(tree.incidents, FETCHED).catalog.registry
    vendors = [registry.vendors["anthropic"], registry.vendors["openai"]]
    fetcher = Routed(
        dict(zip((v.collect[0].url for v in vendors), routes.values(), strict=True)), FetchSettings(retries=0)
    )
    return Collector(registry, Coverage(), [], FETCHED + timedelta(days=30), fetcher, **budgets), vendors


def test_sigterm_keeps_the_vendors_that_finished_and_names_the_rest(
    tmp_path: Path,
    server: str,  # noqa: F811
    raw: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    tree = real_tree(tmp_path)
    Handler.script["/anthropic"] = [Answer(200, LIST.read_bytes())]
    RawHandler.replies["/trickle"] = TRICKLE
    collector, vendors = two_vendors(tree, {"anthropic": server + "/anthropic", "openai": raw + "/trickle"})
    timer = threading.Timer(4, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        code = collect_and_write(collector, vendors, None, tree.incidents, dry_run=False)
    finally:
        timer.cancel()
    assert code == 128 + signal.SIGTERM
    assert (
        "interrupted by SIGTERM: finished anthropic; not collected, nothing written: openai" in capsys.readouterr().err
    )
    assert len(list(tree.incidents.rglob("*.md"))) == 50
    assert set(load_ledger(tree.incidents, FETCHED + timedelta(days=30)).catalog.coverage.vendors) == {"anthropic"}
    assert validates(tree)


def test_the_run_budget_stops_a_slow_vendor_and_reports_the_next(tmp_path: Path, raw: str) -> None:  # noqa: F811
    tree = real_tree(tmp_path)
    RawHandler.replies["/trickle"] = TRICKLE
    collector, vendors = two_vendors(tree, {"anthropic": raw + "/trickle", "openai": raw + "/trickle"}, run_budget=2)
    started = time.monotonic()
    slow, skipped = collector.run_all(vendors)
    assert time.monotonic() - started < 5
    assert slow.failed and "too slowly" in slow.failures[0]
    assert skipped.failures == ["openai: not collected: the run's budget of 2 s ran out"]
