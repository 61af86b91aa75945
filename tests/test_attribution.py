"""Which models a vendor's words say were hit, on texts of real incidents and the real registry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT
from incident_ledger.ledger.attribution import find_models
from incident_ledger.ledger.registry import load_registry

POSTS = json.loads((Path(__file__).parent / "fixtures" / "attribution" / "posts.json").read_text(encoding="utf-8"))
REGISTRY, PROBLEMS = load_registry(ROOT / "incidents" / "vendors.yml")


def named(case: str) -> list[str]:
    record = POSTS[case]
    vendor = REGISTRY.vendors["openai" if case.startswith("fails/") else "anthropic"]
    return find_models(vendor, [record["title"], *record["posts"]], date.fromisoformat(record["created_at"][:10]))


def test_the_registry_loads_cleanly() -> None:
    assert [p for p in PROBLEMS if p.is_error] == []


@pytest.mark.parametrize(
    ("case", "models"),
    [
        # "We have temporarily routed free usage to Claude 3 Haiku": the fallback is not the failing model
        ("claude/s1mhj2t8qjxk", ["claude-3-5-sonnet"]),
        # "… is still routing to Claude 3 Haiku … Other usage of 3.5 Sonnet is unaffected."
        ("claude/fqzlkqnhk3l3", ["claude-3-5-sonnet"]),
        # "an issue affecting traffic to Claude 3 models … Claude 3.5 Sonnet is unaffected."
        ("claude/k2f85gtdxrsr", ["claude-3-opus", "claude-3-sonnet", "claude-3-haiku"]),
        # "Elevate Opus Error Rates" in March 2024: the bare short name of its era
        ("claude/yrpdp4bzzhg7", ["claude-3-opus"]),
        # "October Claude 3.5 Sonnet and 3.7 Sonnet": the October model, not also the June one inside its name
        ("claude/jkt3bn6f7fgg", ["claude-3-5-sonnet-new", "claude-3-7-sonnet"]),
        # "Outage on all models", whose post-mortem mentions DALL·E among the services: names no model
        ("fails/mq5jgswy45fr", []),
    ],
)
def test_models_named_by_the_vendor(case: str, models: list[str]) -> None:
    assert sorted(named(case)) == sorted(models)


def test_a_short_name_outside_its_era_names_nothing() -> None:
    anthropic = REGISTRY.vendors["anthropic"]
    assert find_models(anthropic, ["Elevate Opus Error Rates"], date(2024, 3, 25)) == ["claude-3-opus"]
    assert find_models(anthropic, ["Elevate Opus Error Rates"], date(2026, 3, 25)) == []


def test_hosts_name_the_models_they_serve() -> None:
    # github-statuses, Copilot incident of 2025-07-16: "… degraded availability for Claude 3.7 requests."
    text = (
        "On July 16, 2025, between 05:20 UTC and 08:30 UTC, the Copilot service experienced degraded availability"
        " for Claude 3.7 requests."
    )
    github = REGISTRY.vendors["github"]
    assert find_models(github, ["Incident with Copilot", text], date(2025, 7, 16)) == ["claude-3-7-sonnet"]
    assert github.models["claude-3-7-sonnet"].of == ("anthropic", "claude-3-7-sonnet")
