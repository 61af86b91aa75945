"""Badges: well-formed SVG with a text alternative, numbers equal to the statistics."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import run_cli

SVG = "{http://www.w3.org/2000/svg}"


def read_badge(path: Path) -> tuple[str, str]:
    root = ET.fromstring(path.read_bytes())
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == root.get("aria-label")
    assert root.get("role") == "img"
    label, value = (node.text or "" for node in root.iter(f"{SVG}text"))
    assert title.text == f"{label}: {value}"
    return label, value


def test_vendor_badges_match_stats(built_site: Path) -> None:
    report = json.loads(run_cli("stats", "--vendor", "openai", "--window", "90d", "--format", "json").stdout)
    figures = report["vendors"][0]
    _, count = read_badge(built_site / "badges/openai/incidents-90d.svg")
    assert count == str(figures["incidents"]) + (" (partial)" if figures["partial"] else "")
    label, availability = read_badge(built_site / "badges/openai/availability.svg")
    api = figures["headline"]["classes"]["api"]
    assert label == "est. API availability"  # OpenAI's default class: API compared with API
    assert availability == f"{api['availability'] * 100:.2f}% to {api['window_end'][:10]}"
    label, since = read_badge(built_site / "badges/openai/days-since-major.svg")
    assert label == "since last major outage" and since.endswith(" days")


def test_model_badges_and_embed_section(built_site: Path) -> None:
    for kind in ("incidents-90d", "days-since-major", "availability"):
        read_badge(built_site / f"badges/anthropic/claude-opus-4-6/{kind}.svg")
    vendors = json.loads((built_site / "api/vendors.json").read_text(encoding="utf-8"))["vendors"]
    life = next(v for v in vendors if v["id"] == "anthropic")["model_headlines"]["claude-opus-4-6"]
    label, value = read_badge(built_site / "badges/anthropic/claude-opus-4-6/availability.svg")
    own = life["model_availability"]
    assert (label, value) == ("est. availability", f"{own['availability'] * 100:.2f}% to {own['window_end'][:10]}")
    page = (built_site / "vendors/anthropic/claude-opus-4-6/index.html").read_text(encoding="utf-8")
    assert 'id="embed"' in page
    assert "badges/anthropic/claude-opus-4-6/incidents-90d.svg)](https://" in page
    assert "&lt;img src=&#34;https://" in page, "the HTML to paste is shown as code"
