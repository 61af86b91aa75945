"""Permanent ids: renamed records redirect, withdrawn ones leave a tombstone, and `validate` keeps it so."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
import yaml

from conftest import ROOT, Tree, incident_text, mkdocs_build, run_cli, site_tree

SITE_URL = "https://incident-ledger.github.io/incident-ledger/"
RETIRED = yaml.safe_load((ROOT / "incidents/retired.yml").read_text(encoding="utf-8"))
# The six ids the site once published and that lost their files (git log --diff-filter=DR -- incidents/).
OLD_IDS = {
    "2023-05-12-openai-safety-classifier-config-outage",
    "2024-06-03-anthropic-opus-in-vertex-complete-outage",
    "2024-09-18-anthropic-3-5-sonnet-partial-outage",
    "2024-12-11-openai-kubernetes-telemetry-outage",
    "2026-01-16-microsoft-copilot-north-america-config-rollback",
    "2026-04-07-anthropic-claude-and-claude-code-outage",
}


def refresh_target(page: str) -> str:
    match = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page)
    assert match, "no refresh"
    return match.group(1)


def test_every_old_id_is_published_and_retired() -> None:
    published = set((ROOT / "incidents/published.txt").read_text(encoding="utf-8").split())
    assert published >= OLD_IDS
    assert set(RETIRED["renamed"]) | set(RETIRED["withdrawn"]) == OLD_IDS


@pytest.mark.parametrize("old", sorted(OLD_IDS))
def test_every_renamed_or_withdrawn_id_answers(built_site: Path, old: str) -> None:
    folder = f"incidents/{old[:4]}/{old}/"
    page = (built_site / folder / "index.html").read_text(encoding="utf-8")
    if old in RETIRED["renamed"]:
        new = RETIRED["renamed"][old]["to"]
        target = urljoin(folder, refresh_target(page))
        assert target == f"incidents/{new[:4]}/{new}/"
        assert (built_site / target / "index.html").is_file()
        assert f'<link rel="canonical" href="{SITE_URL}{target}">' in page
    else:
        entry = RETIRED["withdrawn"][old]
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
        assert "This record was withdrawn" in text and f"Withdrawn: {entry['title']}" in text
        assert entry["why"].replace("'", "&#39;")[:60] in page.replace("&#x27;", "&#39;")
        replaced = entry.get("replaced_by")
        if replaced:
            link = re.search(r"Replaced by:</strong> <a href=\"([^\"]+)\"", page)
            assert link and urljoin(folder, link.group(1)) == f"incidents/{replaced[:4]}/{replaced}/"
        else:
            assert "No record replaces it" in text


def test_tombstones_stay_out_of_search(built_site: Path) -> None:
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    assert not [d["location"] for d in docs if any(old in d["location"] for old in OLD_IDS)]


def _published(tree: Tree, *ids: str) -> None:
    (tree.incidents / "published.txt").write_text("# ids\n" + "".join(f"{i}\n" for i in ids), encoding="utf-8")


def test_validate_refuses_a_rename_without_a_redirect(tree: Tree) -> None:
    tree.add("2026-02-10-acme-large-errors.md", incident_text())
    _published(tree, "2026-02-09-acme-large-errors")
    result = run_cli("validate", cwd=tree.root)
    assert result.returncode == 1
    assert (
        "incidents/published.txt:2: error: `2026-02-09-acme-large-errors` was published and no incident file "
        "has that id any more (hint: renamed: add `2026-02-09-acme-large-errors: {to: NEW-ID" in result.stdout
    )
    (tree.incidents / "retired.yml").write_text(
        "renamed:\n  2026-02-09-acme-large-errors:\n"
        "    {to: 2026-02-10-acme-large-errors, date: 2026-12-01, why: The start was read a day early.}\n",
        encoding="utf-8",
    )
    result = run_cli("validate", cwd=tree.root)
    assert result.returncode == 0, result.stdout


def test_validate_refuses_a_deletion_without_a_tombstone(tree: Tree) -> None:
    tree.add("2026-02-10-acme-large-errors.md", incident_text())
    _published(tree, "2026-02-10-acme-large-errors", "2026-01-05-acme-gone")
    result = run_cli("validate", cwd=tree.root)
    assert result.returncode == 1 and "`2026-01-05-acme-gone` was published" in result.stdout
    (tree.incidents / "retired.yml").write_text(
        "withdrawn:\n  2026-01-05-acme-gone:\n    title: Gone\n    vendor: acme\n    date: 2026-12-01\n"
        "    why: Its only source was a forum post.\n",
        encoding="utf-8",
    )
    assert run_cli("validate", cwd=tree.root).returncode == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "renamed:\n  2026-02-09-acme-x: {to: 2026-02-11-acme-nowhere, date: 2026-12-01, why: moved}\n",
            "incidents/retired.yml:2: error [renamed.2026-02-09-acme-x.to]: `2026-02-11-acme-nowhere` names no "
            "incident file",
        ),
        (
            "withdrawn:\n  2026-02-10-acme-large-errors: {title: T, vendor: acme, date: 2026-12-01, why: w}\n",
            "incidents/retired.yml:2: error [withdrawn]: `2026-02-10-acme-large-errors` still has an incident file",
        ),
        (
            "withdrawn:\n  2026-01-05-acme-gone: {title: T, vendor: acme, date: 1 December, why: w}\n",
            "incidents/retired.yml:2: error [withdrawn.2026-01-05-acme-gone.date]: `date` must be the day",
        ),
        (
            "withdrawn:\n  2026-01-05-acme-gone: {title: T, vendor: acmee, date: 2026-12-01, why: w}\n",
            "error [withdrawn.2026-01-05-acme-gone.vendor]: unknown vendor `acmee`",
        ),
        ("moved: {}\n", "incidents/retired.yml:1: error: unexpected top-level keys"),
    ],
)
def test_bad_retired_entries_are_explained(tree: Tree, text: str, expected: str) -> None:
    tree.add("2026-02-10-acme-large-errors.md", incident_text())
    (tree.incidents / "retired.yml").write_text(text, encoding="utf-8")
    result = run_cli("validate", cwd=tree.root)
    assert result.returncode == 1 and expected in result.stdout, result.stdout
    assert "Traceback" not in result.stderr


def test_published_command_adds_todays_ids_and_keeps_old_ones(tree: Tree) -> None:
    tree.add("2026-02-10-acme-large-errors.md", incident_text())
    _published(tree, "2025-12-01-acme-first")
    (tree.incidents / "retired.yml").write_text(
        "withdrawn:\n  2025-12-01-acme-first: {title: T, vendor: acme, date: 2026-12-01, why: w}\n", encoding="utf-8"
    )
    result = run_cli("published", cwd=tree.root)
    assert result.returncode == 0 and "2 published ids, 1 added" in result.stdout
    lines = [line for line in (tree.incidents / "published.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines == ["2025-12-01-acme-first", "2026-02-10-acme-large-errors"]


def test_a_renamed_record_keeps_its_feed_entry_id(tree: Tree) -> None:
    site_tree(tree)
    tree.add("2026-02-10-acme-large-errors.md", incident_text())
    _published(tree, "2026-02-09-acme-large-errors")
    (tree.incidents / "retired.yml").write_text(
        "renamed:\n  2026-02-09-acme-large-errors:\n"
        "    {to: 2026-02-10-acme-large-errors, date: 2026-12-01, why: The start was read a day early.}\n",
        encoding="utf-8",
    )
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse((tree.root / "site/feeds/all.atom.xml").read_bytes())
    (entry,) = feed.entries
    assert entry.id == SITE_URL + "incidents/2026/2026-02-09-acme-large-errors/"
    assert entry.link == SITE_URL + "incidents/2026/2026-02-10-acme-large-errors/"
    page = (tree.root / "site/incidents/2026/2026-02-09-acme-large-errors/index.html").read_text(encoding="utf-8")
    assert refresh_target(page) == "../2026-02-10-acme-large-errors/"
    calendar = (tree.root / "site/feeds/all.ics").read_text(encoding="utf-8")
    assert "UID:2026-02-09-acme-large-errors@" in calendar
