"""Google AI Studio's status page (Gemini API): the reader, kind detection and import (`collect` and
`backfill` are in test_saved_answers).

The excerpt under tests/fixtures/aistudio is Google's own ListIncidentsHistory answer, trimmed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import files_by_ref, front_matter, real_tree, run_cli
from incident_ledger.sources.readers.aistudio import STATUS_PAGE, read_aistudio
from incident_ledger.sources.readers.kinds import detect_kind, read
from incident_ledger.sources.readers.record import ExportError

FIXTURE = Path(__file__).parent / "fixtures" / "aistudio" / "incidents-history.json"
OPEN_ID = "GeminiAPI-new-keys-20260417"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def records() -> dict[str, object]:
    return {r.id: r for r in read_aistudio(FIXTURE.read_bytes(), "https://unused.example")}


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
    files = files_by_ref(tree)
    assert len(files) == 8
    assert front_matter(files["Gemini-1.5-Pro-Flash-Throttling-20250205"])["model"] == "gemini-1-5-pro"
    assert front_matter(files["GeminiApi-NBP-outage-20251203"])["model"] == "gemini-3-pro-image"
    assert front_matter(files["AIStudio-unavailability-20250929"])["products"] == ["ai-studio", "gemini-api"]
