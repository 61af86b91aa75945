"""Readers and collect on real captures of vendors' status data (tests/fixtures/real, each with SOURCE.md).

Hand-made fixtures only prove that the readers agree with their authors; these files are
what the vendors actually published.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_collect import Answer, Handler, server  # noqa: F401 - the local HTTP server fixture

from conftest import Tree, real_tree, run_cli
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.sources.collect import check_writes
from incident_ledger.sources.importer import Importer
from incident_ledger.sources.readers.feed import read_atom
from incident_ledger.sources.readers.google_cloud import read_google_cloud
from incident_ledger.sources.readers.kinds import detect_kind, read
from incident_ledger.sources.readers.record import ExportError
from incident_ledger.sources.readers.statuspage import read_statuspage

REAL = Path(__file__).parent / "fixtures" / "real"
ARCHIVE_END = datetime(2026, 8, 21, 0, 0, tzinfo=UTC)


def written(tree: Tree) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in tree.incidents.rglob("*.md")}


def test_every_real_capture_names_its_source() -> None:
    folders = [p for p in REAL.iterdir() if p.is_dir()]
    assert len(folders) >= 5
    for folder in folders:
        source = (folder / "SOURCE.md").read_text(encoding="utf-8")
        assert "github.com/" in source and any(len(w) == 40 for w in source.replace("`", " ").split()), folder


def test_anthropic_real_list_is_collected_whole(tmp_path: Path, server: str) -> None:  # noqa: F811
    tree = real_tree(tmp_path)
    data = (REAL / "anthropic-list" / "incidents.json").read_bytes()
    Handler.script["/api/v2/incidents.json"] = [Answer(200, data)]
    epoch = str(int(ARCHIVE_END.timestamp()))
    args = ("collect", "--vendor", "anthropic", "--url", server + "/api/v2/incidents.json", "--retries", "0")
    result = run_cli(*args, cwd=tree.root, env={"SOURCE_DATE_EPOCH": epoch})
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert "anthropic: 50 new, 0 updated, 0 unchanged, 0 matched, 0 failed" in result.stdout
    files = written(tree)
    assert len(files) == 50
    late = next(text for text in files.values() if "id: 1019wwb67615" in text)
    # "For approximately 10 minutes … returned to normal at approximately 11:07a PDT", posted 18:13Z
    assert "start: 2026-07-25T17:57:00Z" in late and "end: 2026-07-25T18:07:00Z" in late
    assert all("https://status.claude.com/incidents/" in text for text in files.values())
    assert load_ledger(tree.incidents, ARCHIVE_END).errors == []


def test_anthropic_real_fragment_keeps_its_grades_and_texts() -> None:
    records = read_statuspage(
        (REAL / "statuspage-anthropic" / "incidents.json").read_bytes(), "https://status.claude.com"
    )
    by_id = {r.id: r for r in records}
    assert set(by_id) == {"zftg3gqkmv18", "1019wwb67615", "vcynh9cf33xp"}
    assert by_id["vcynh9cf33xp"].impact == "critical" and by_id["1019wwb67615"].impact == "none"
    late = by_id["1019wwb67615"]
    assert late.end is not None and late.start is not None and late.end <= late.start  # posted after the fact


def test_github_real_atom_leaves_no_resolved_incident_open() -> None:
    records = read_atom((REAL / "statuspage-atom" / "history.atom").read_bytes(), "https://www.githubstatus.com")
    assert len(records) == 25
    assert all(r.resolved and r.end is not None for r in records)
    assert all(r.updates[-1].status == "resolved" for r in records)


def test_google_real_reports_import_whole_with_vertex_mapped(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    registry = load_ledger(tree.incidents, ARCHIVE_END).catalog.registry
    records = read_google_cloud((REAL / "google-cloud" / "incidents.json").read_bytes(), "")
    assert max(len(u.text) for r in records for u in r.updates) > 8000  # real post-incident reports
    plan = Importer(registry.vendors["google"], []).plan(records, only_mapped=True)
    created = [a for a in plan.actions if a.kind == "created"]
    assert len(created) == 3  # Vertex AI Online Prediction, Vertex AI Training, AI Platform Prediction
    assert all("products: [vertex-ai]" in text for text in plan.writes.values())
    assert check_writes(plan.writes, registry, ARCHIVE_END, "incidents") == {}
    skipped = " ".join(plan.notes())
    assert "7 incident(s) of products the registry does not map were skipped" in skipped
    assert "Google BigQuery" in skipped and "Cloud Load Balancing" in skipped


def test_xai_real_feed_is_read_as_xai_and_one_outage_is_one_incident() -> None:
    data = (REAL / "xai" / "feed.xml").read_bytes()
    assert detect_kind(data) == "xai"
    records = read("xai", data, "https://status.x.ai")
    assert len(records) == 2
    merged = max(records, key=lambda r: len(r.components))
    assert len(merged.components) == 3 and merged.resolved and merged.end is not None
    with pytest.raises(ExportError, match="reads as `xai`, not `betterstack`"):
        read("betterstack", data, "https://status.x.ai")


def test_a_named_kind_that_does_not_match_is_refused() -> None:
    atom = (REAL / "statuspage-atom" / "history.atom").read_bytes()
    with pytest.raises(ExportError, match="reads as `atom`, not `instatus`"):
        read("instatus", atom, "https://www.githubstatus.com")
    listing = (REAL / "incidentio" / "incidents.json").read_bytes()
    assert detect_kind(listing) == "incident.io"
    assert {r.ref_source for r in read("statuspage", listing, "https://status.openai.com")} == {"incident.io"}


def test_incident_io_real_ids_are_url_encoded_on_the_registry_host() -> None:
    listing = json.loads((REAL / "incidentio" / "incidents.json").read_bytes())
    listing["page"]["url"] = "https://attacker.example.net"
    listing["incidents"][0]["id"] = listing["incidents"][0]["id"][:-1] + "/"
    records = read_statuspage(json.dumps(listing).encode(), "https://status.openai.com")
    assert all(r.url.startswith("https://status.openai.com/incidents/") for r in records)
    assert records[0].url.endswith("%2F")
