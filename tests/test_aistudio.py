"""Google AI Studio's status page (Gemini API): the reader, kind detection, `collect` and `backfill`.

The excerpt under tests/fixtures/aistudio is Google's own ListIncidentsHistory answer, trimmed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from test_collect import Answer, Handler, server  # noqa: F401  (the local HTTP server fixture)

from conftest import NOW, Tree, real_tree, run_cli
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.sources.readers.aistudio import STATUS_PAGE, read_aistudio
from incident_ledger.sources.readers.kinds import detect_kind, read
from incident_ledger.sources.readers.record import ExportError

FIXTURE = Path(__file__).parent / "fixtures" / "aistudio" / "incidents-history.json"
COMMIT = "79ba1c99b694dddd308701ecb676a15735e87ca1"
ARCHIVE = f"https://github.com/bentleypark/aiwatch@{COMMIT}"
ARCHIVE_PATH = "worker/src/parsers/__tests__/fixtures/aistudio-sample.json"
OPEN_ID = "GeminiAPI-new-keys-20260417"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def records() -> dict[str, object]:
    return {r.id: r for r in read_aistudio(FIXTURE.read_bytes(), "https://unused.example")}


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def by_ref(tree: Tree) -> dict[str, Path]:
    return {ref["id"]: p for p in tree.incidents.rglob("*.md") for ref in front(p).get("vendor_refs") or []}


def snapshot(tree: Tree) -> dict[str, bytes]:
    return {p.as_posix(): p.read_bytes() for p in sorted(tree.incidents.rglob("*")) if p.is_file()}


def test_reader_reads_every_incident_with_epoch_times_to_the_second() -> None:
    found = records()
    assert len(found) == 8
    spend = found["AIStudio-spend-cap-issue-20260321"]
    assert spend.start == utc(2026, 3, 22, 0, 30) and spend.end == utc(2026, 3, 22, 6, 0)
    assert [u.status for u in spend.updates] == ["investigating", "", "resolved"]  # stage 5: no ledger word
    assert spend.resolved and spend.impact == "minor" and spend.components == ("AI Studio",)
    crossing = found["Gemini-2.0-Flash-1.5-Pro-Throttling-20250128"]  # "2025-01-28 16:00" on the page is Pacific
    assert crossing.start == utc(2025, 1, 29, 0, 0, 0) and crossing.end == utc(2025, 2, 1, 18, 0, 0)
    staged = found["Gemini-API-Issue-20250219"]
    assert [u.status for u in staged.updates] == ["investigating", "identified", "monitoring", "resolved"]
    assert all(u.posted is None for r in found.values() for u in r.updates)  # the page keeps no posting time
    assert {r.url for r in found.values()} == {STATUS_PAGE}


def test_severities_and_products_map_to_the_ledger() -> None:
    found = records()
    outage = found["AIStudio-unavailability-20250929"]
    assert outage.impact == "major" and outage.impact_vendor == "severity 2"
    assert outage.components == ("AI Studio", "Gemini API", "Gemini Live API")
    assert found["AIStudio-live-outage-20251009"].components == ("Gemini Live API", "AI Studio")
    still_open = found[OPEN_ID]
    assert not still_open.resolved and still_open.end is None and still_open.impact == "minor"


def test_kind_is_detected_and_a_wrong_shape_is_refused() -> None:
    assert detect_kind(FIXTURE.read_bytes()) == "aistudio"
    with pytest.raises(ExportError, match="ListIncidentsHistory"):
        read_aistudio(b'[{"id": "x"}]', "")
    with pytest.raises(ExportError, match="not a JSON array"):
        read_aistudio(b'{"incidents": []}', "")
    statuspage = Path(__file__).parent / "fixtures" / "statuspage" / "incidents.json"
    with pytest.raises(ExportError, match="not `aistudio`"):
        read("aistudio", statuspage.read_bytes(), "")


def test_import_names_the_kind_and_attributes_models(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    result = run_cli("import", str(FIXTURE), "--vendor", "google", cwd=tree.root)
    assert result.returncode == 0, result.stdout + result.stderr
    files = by_ref(tree)
    assert len(files) == 8
    assert front(files["Gemini-1.5-Pro-Flash-Throttling-20250205"])["model"] == "gemini-1-5-pro"
    assert front(files["GeminiApi-NBP-outage-20251203"])["model"] == "gemini-3-pro-image"
    assert front(files["AIStudio-unavailability-20250929"])["products"] == ["ai-studio", "gemini-api"]


def collecting(tree: Tree) -> None:
    """The project's registry with this page as Google's first source (the test server stands in for it)."""
    registry = tree.incidents / "vendors.yml"
    text = registry.read_text(encoding="utf-8")
    marker = "    - {kind: google-cloud, url: https://status.cloud.google.com/incidents.json}\n"
    assert marker in text
    registry.write_text(text.replace(marker, f"    - {{kind: aistudio, url: {STATUS_PAGE}}}\n" + marker), "utf-8")


def test_collect_writes_the_records_and_a_second_run_changes_nothing(tmp_path: Path, server: str) -> None:  # noqa: F811
    tree = real_tree(tmp_path)
    collecting(tree)
    excerpt = json.loads(FIXTURE.read_text(encoding="utf-8"))
    excerpt[0][0] = [e for e in excerpt[0][0] if e[0] != OPEN_ID]  # open for months, it would be a warning
    Handler.script["/history"] = [Answer(200, json.dumps(excerpt).encode())]
    args = ("collect", "--vendor", "google", "--url", server + "/history", "--retries", "0")
    env = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    first = run_cli(*args, cwd=tree.root, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "google: 7 new, 0 updated, 0 unchanged" in first.stdout
    files = by_ref(tree)
    assert len(files) == 7
    data = front(files["AIStudio-spend-cap-issue-20260321"])
    assert data["sources"] == [STATUS_PAGE] and data["vendor_refs"] == [{"id": "AIStudio-spend-cap-issue-20260321",
                                                                        "source": "aistudio"}]  # fmt: skip
    loaded = load_ledger(tree.incidents, NOW)
    assert loaded.errors == [] and loaded.warnings == []
    before = snapshot(tree)
    again = run_cli(*args, cwd=tree.root, env=env)
    assert again.returncode == 0 and "google: 0 new, 0 updated, 7 unchanged" in again.stdout
    assert snapshot(tree) == before


def test_backfill_cites_the_archive_keeps_resolved_only_and_is_idempotent(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    args = ("backfill", str(FIXTURE), "--vendor", "google", "--format", "aistudio", "--archive", ARCHIVE,
            "--path", ARCHIVE_PATH)  # fmt: skip
    env = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    first = run_cli(*args, cwd=tree.root, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "7 record(s) read" in first.stdout and "7 created" in first.stdout
    assert "0 posted after the fact" in first.stdout  # no writing time kept: the page's own times stand
    files = by_ref(tree)
    assert OPEN_ID not in files and len(files) == 7
    source = front(files["Gemini-API-Issue-20250219"])["sources"][0]
    assert source == {
        "url": STATUS_PAGE,
        "archive": f"https://github.com/bentleypark/aiwatch/blob/{COMMIT}/{ARCHIVE_PATH}",
    }
    before = snapshot(tree)
    again = run_cli(*args, cwd=tree.root, env=env)
    assert again.returncode == 0 and "0 created, 0 updated, 7 unchanged" in again.stdout
    assert snapshot(tree) == before
