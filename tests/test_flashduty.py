"""FlashDuty status pages (DeepSeek): the reader, kind detection and import.

The excerpt under tests/fixtures/flashduty is DeepSeek's own page data from a capture, trimmed
(see its SOURCE.md); `collect` and `backfill` are in test_saved_answers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import files_by_ref, front_matter, real_tree, run_cli
from incident_ledger.sources.readers.flashduty import read_flashduty
from incident_ledger.sources.readers.kinds import detect_kind, read
from incident_ledger.sources.readers.record import ExportError, VendorIncident

FIXTURE = Path(__file__).parent / "fixtures" / "flashduty" / "deepseek-capture.json"
PAGE = "https://status.deepseek.com"
OUTAGE = "6480608319287"  # "DeepSeek WEB/API Unavailable", 2026-05-24
SEARCH = "6741259174287"  # "DeepSeek Web Search Service Unavailable", chat modes only
CARRIED = "76779374745287"  # carried over from the Atlassian page: English posts, no update ids


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def records(data: bytes | None = None) -> dict[str, VendorIncident]:
    return {r.id: r for r in read_flashduty(data or FIXTURE.read_bytes(), PAGE)}


def test_reader_reads_every_change_with_epoch_times_to_the_second() -> None:
    found = records()
    assert list(found) == ["6750347231287", SEARCH, OUTAGE, CARRIED]  # the page's order, newest first
    outage = found[OUTAGE]
    assert outage.start == utc(2026, 5, 24, 7, 5, 1) and outage.end == utc(2026, 5, 24, 7, 23, 6)
    assert [u.status for u in outage.updates] == ["investigating", "identified", "monitoring", "resolved"]
    assert [u.at for u in outage.updates][2] == utc(2026, 5, 24, 7, 19, 3)
    assert outage.updates[2].components == ()  # the monitoring post set no component
    assert outage.resolved and outage.url == PAGE and not outage.maintenance
    assert all(u.posted is None for r in found.values() for u in r.updates)  # the page keeps one time per post


def test_the_worst_component_state_is_the_grade() -> None:
    found = records()
    assert (found[OUTAGE].impact, found[OUTAGE].impact_vendor) == ("critical", "full_outage")
    assert (found[SEARCH].impact, found[SEARCH].impact_vendor) == ("major", "partial_outage")
    assert (found["6750347231287"].impact, found["6750347231287"].impact_vendor) == ("minor", "degraded")


def test_components_and_bilingual_posts_are_kept_as_the_vendor_wrote_them() -> None:
    found = records()
    search = found[SEARCH]
    assert search.components == ("快速模式(Instant Mode)", "专家模式(Expert Mode)")
    assert "网页对话服务 (Web Chat Service)" in search.updates[0].components  # an older component the post set
    bilingual = "已定位原因，正在实施修复。 The cause has been identified and a fix is being implemented."
    assert search.updates[0].text == bilingual  # the page's two paragraphs, one line
    carried = found[CARRIED]
    assert carried.start == utc(2026, 5, 6, 7, 13, 45) and carried.end == utc(2026, 5, 6, 7, 20, 20)
    assert carried.updates[0].text == "The issue has been identified and a fix is being implemented."


def test_the_bare_change_list_answer_and_an_open_change_in_active_are_read() -> None:
    capture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    bare = records(json.dumps({"data": capture["changeList"]}).encode())
    assert list(bare) == list(records())
    # The excerpt's newest change, as the page's `summary/active` would list it while still open.
    opened = dict(capture["changeList"]["items"][0], status="identified")
    opened["updates"] = opened["updates"][:1]
    del opened["close_at_seconds"]
    capture["changeList"]["items"] = capture["changeList"]["items"][1:]
    capture["active"]["active_changes"] = [opened]
    live = records(json.dumps(capture).encode())
    assert len(live) == 4
    still_open = live["6750347231287"]
    assert not still_open.resolved and still_open.end is None and still_open.start == utc(2026, 7, 24, 6, 30, 38)


def test_kind_is_detected_and_a_wrong_shape_is_refused() -> None:
    assert detect_kind(FIXTURE.read_bytes()) == "flashduty"
    with pytest.raises(ExportError, match="not a JSON object"):
        read_flashduty(b"[]", PAGE)
    with pytest.raises(ExportError, match="no FlashDuty changes"):
        read_flashduty(b'{"changeList": {"items": [{"id": 1}]}}', PAGE)
    with pytest.raises(ExportError, match="no FlashDuty changes"):
        read_flashduty(b'{"changeList": {"items": "none"}}', PAGE)
    statuspage = Path(__file__).parent / "fixtures" / "statuspage" / "incidents.json"
    with pytest.raises(ExportError, match="not `flashduty`"):
        read("flashduty", statuspage.read_bytes(), PAGE)


def test_import_names_models_products_and_scope_by_the_components(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    result = run_cli("import", str(FIXTURE), "--vendor", "deepseek", cwd=tree.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "read as flashduty, 4 record(s)" in result.stdout
    files = files_by_ref(tree)
    outage = front_matter(files[OUTAGE])
    assert outage["products"] == ["api", "chat"] and outage["impact"] == "critical"
    assert outage["model"] == ["deepseek-v4-pro", "deepseek-v4-flash"]  # named by the components marked affected
    search = front_matter(files[SEARCH])
    assert search["products"] == ["chat"] and search["model"] == "unspecified"  # one feature: web search
    api_only = front_matter(files["6750347231287"])
    assert api_only["products"] == ["api"] and api_only["model"] == ["deepseek-v4-pro", "deepseek-v4-flash"]
