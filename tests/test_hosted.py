"""Hosted models: a model's page shows the incidents every host posted about it, marked by host."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter

from conftest import ROOT

COPILOT_RECORD = ROOT / "incidents" / "2025" / "2025-07-22-github-incident-with-copilot-and-claude-sonnet-4.md"


def section(page: str, heading: str) -> str:
    start = page.index(f">{heading}<")
    end = page.find("<h2", start)
    return page[start : end if end > 0 else None]


def test_a_copilot_incident_naming_claude_sonnet_4_is_on_that_models_page(built_site: Path) -> None:
    record = frontmatter.load(COPILOT_RECORD)
    assert "claude-sonnet-4" in ([record["model"]] if isinstance(record["model"], str) else record["model"])
    page = (built_site / "vendors" / "anthropic" / "claude-sonnet-4" / "index.html").read_text(encoding="utf-8")
    hosted = section(page, "At other hosts")
    row = next(r for r in re.findall(r"<tr[ >].*?</tr>", hosted, re.S) if COPILOT_RECORD.stem in r)
    assert ">GitHub<" in row  # the host, in the Vendor column
    assert "They are not in this page's figures" in hosted


def test_the_hosts_page_links_the_models_own_vendor(built_site: Path) -> None:
    page = (built_site / "vendors" / "github" / "claude-sonnet-4" / "index.html").read_text(encoding="utf-8")
    owner = section(page, "At its own vendor")
    assert "GitHub serves Anthropic's Claude Sonnet 4" in owner
    assert re.search(r'href="(\.\./)+anthropic/claude-sonnet-4/"', owner)
