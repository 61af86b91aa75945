"""Datadog status pages (OpenRouter): the reader, kind detection and import.

The excerpt under tests/fixtures/datadog is OpenRouter's own config.json from a capture, without its
two inline images (see its SOURCE.md); `collect` and `backfill` are in test_saved_answers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import files_by_ref, front_matter, real_tree, run_cli
from incident_ledger.sources.readers.datadog import read_datadog
from incident_ledger.sources.readers.kinds import detect_kind, read
from incident_ledger.sources.readers.record import ExportError, VendorIncident

FIXTURE = Path(__file__).parent / "fixtures" / "datadog" / "openrouter-config.json"
PAGE = "https://status.openrouter.ai"
VIDEO = "2a3d415a-1eed-417f-b269-6e308a7f7990"
LIMITS = "a80f04f9-7b2a-4094-bd45-e42dd5c2ed8a"  # "Elevated 429s on Anthropic and OpenAI"
WEB = "7aed8b9f-0e35-479d-bf9a-42f033c08b66"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def records() -> dict[str, VendorIncident]:
    return {r.id: r for r in read_datadog(FIXTURE.read_bytes(), PAGE)}


def test_reader_reads_every_incident_with_the_times_the_page_shows() -> None:
    found = records()
    assert len(found) == 4
    video = found[VIDEO]
    assert video.start == utc(2026, 9, 4, 18, 27) and video.end == utc(2026, 9, 4, 21, 12)
    assert [(u.at, u.status) for u in video.updates] == [
        (utc(2026, 9, 4, 18, 27), "investigating"),
        (utc(2026, 9, 4, 21, 12), "resolved"),
    ]  # the timeline is newest first; the record oldest first
    assert video.resolved and video.url == PAGE and video.components == ("Video (/api/v1/videos)",)
    limits = found[LIMITS]
    assert limits.start == utc(2026, 8, 28, 2, 15) and limits.end == utc(2026, 8, 28, 2, 19)


def test_posts_keep_when_they_were_written_and_the_worst_state_grades() -> None:
    found = records()
    written = utc(2026, 9, 11, 2, 34, 1).replace(microsecond=430225)
    assert {u.posted for u in found[VIDEO].updates} == {written}  # entered after the fact, all at once
    assert all(u.posted is not None and u.posted > u.at for r in found.values() for u in r.updates)
    assert {(r.impact, r.impact_vendor) for r in found.values()} == {("minor", "degraded")}
    assert found[VIDEO].updates[0].components == ("Video (/api/v1/videos)",)


def test_kind_is_detected_apart_from_statuspage_and_a_wrong_shape_is_refused() -> None:
    assert detect_kind(FIXTURE.read_bytes()) == "datadog"
    statuspage = Path(__file__).parent / "fixtures" / "statuspage" / "incidents.json"
    assert detect_kind(statuspage.read_bytes()) == "statuspage"
    with pytest.raises(ExportError, match="not a Datadog status page's config"):
        read_datadog(b'{"incidents": [{"id": "x", "title": "t"}]}', PAGE)
    with pytest.raises(ExportError, match="not `datadog`"):
        read("datadog", statuspage.read_bytes(), PAGE)
    config = json.loads(FIXTURE.read_text(encoding="utf-8"))
    config["incidents"][0]["timeline"] = "gone"
    survivors = {r.id for r in read_datadog(json.dumps(config).encode(), PAGE)}
    assert VIDEO in survivors and len(survivors) == 4  # a broken timeline costs the posts, not the record


def test_import_classes_products_and_keeps_a_hosts_named_vendors_out_of_all(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    result = run_cli("import", str(FIXTURE), "--vendor", "openrouter", cwd=tree.root)
    assert result.returncode == 0, result.stdout + result.stderr
    files = files_by_ref(tree)
    limits = front_matter(files[LIMITS])
    assert limits["products"] == ["api"] and limits["model"] == "unspecified"  # Anthropic's and OpenAI's models
    web = front_matter(files[WEB])
    assert web["products"] == ["web"] and web["model"] == "unspecified"
    assert front_matter(files[VIDEO])["start"] == utc(2026, 9, 4, 18, 27)
