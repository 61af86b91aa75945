"""The ledger's own content: sourced incidents present exactly, coverage as promised."""

from __future__ import annotations

import yaml

from conftest import NOW, ROOT
from incident_ledger.ledger.timeutil import iso
from incident_ledger.ledger.tree import load_ledger

FACTS = ROOT / "tests" / "data" / "sourced-facts.yaml"


def test_repository_ledger_is_valid_and_strict_clean() -> None:
    result = load_ledger(ROOT / "incidents", NOW)
    assert result.problems == [], [p.human() for p in result.problems]


def test_at_least_100_incidents_from_8_vendors() -> None:
    catalog = load_ledger(ROOT / "incidents", NOW).catalog
    assert len(catalog.incidents) >= 100
    assert len(catalog.by_vendor) >= 8


def test_every_checked_incident_is_present_exactly() -> None:
    catalog = load_ledger(ROOT / "incidents", NOW).catalog
    facts = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    for fact in facts:
        matches = [
            i for i in catalog.for_vendor(fact["vendor"]) if iso(i.start) == fact["start"] and i.title == fact["title"]
        ]
        assert len(matches) == 1, fact["title"]
        incident = matches[0]
        assert iso(incident.end) == fact["end"] if incident.end else fact["end"] is None
        assert incident.impact == fact["impact"]
        assert incident.time_precision == fact["time_precision"]
        assert [s.url for s in incident.sources] == fact["sources"]


def test_every_incident_cites_https_sources_and_has_a_body() -> None:
    for incident in load_ledger(ROOT / "incidents", NOW).catalog.incidents:
        assert incident.sources and all(s.url.startswith("https://") for s in incident.sources)
        assert len(incident.body) > 40, incident.id
