"""Intake that cannot fake coverage or lose work, on real captures (tests/fixtures/real, each with SOURCE.md).

Each hostile answer is derived from a real list: one stale record, oversized texts, a trickling
server; each test asserts what the ledger ends up holding, not what the code meant to do.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from test_collect import Answer, Handler, server  # noqa: F401 - the local HTTP server fixture

from conftest import Tree, real_tree
from incident_ledger.cli import _existing
from incident_ledger.ledger.coverage import Coverage, SourceCoverage
from incident_ledger.ledger.model import CollectSource
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.sources.collect import Collector, VendorRun
from incident_ledger.sources.fetch import Fetcher, FetchSettings

REAL = Path(__file__).parent / "fixtures" / "real"
LIST = REAL / "anthropic-list" / "incidents.json"
FETCHED = datetime(2026, 8, 21, 0, 0, tzinfo=UTC)  # the day after the list's newest incident


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
