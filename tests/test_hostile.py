"""The hostile-input corpus: every file is caught with a clear message, or accepted and rendered safely.

Each case runs twice, as contributors meet it: `incident-ledger validate` and a real
`mkdocs build --strict`. Neither may print a traceback or take long, and a valid
incident beside the bad file must survive untouched.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from pathlib import Path

import pytest
import yaml

from conftest import NOW, Tree, incident_text, mkdocs_build, run_cli, site_tree
from incident_ledger.ledger.load import MAX_BYTES
from incident_ledger.ledger.tree import load_ledger

CORPUS = Path(__file__).parent / "hostile"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
BASELINE = "2026-01-05-acme-baseline"
DEFAULT_TARGET = "2026-02-10-acme-hostile.md"


def place(tree: Tree, case: dict[str, object]) -> str:
    tree.add(f"{BASELINE}.md", incident_text(start="2026-01-05T10:00:00Z", end="2026-01-05T11:00:00Z"))
    target = str(case.get("target", DEFAULT_TARGET))
    destination = tree.incidents / target[:4] / target
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CORPUS / str(case["file"]), destination)
    return f"incidents/{target[:4]}/{target}"


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c["file"] for c in CASES}) == len(CASES)
    assert all((CORPUS / c["file"]).is_file() for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_hostile_file(tree: Tree, case: dict[str, object]) -> None:
    path = place(tree, case)
    valid = case["expect"] == "valid"

    started = time.monotonic()
    checked = run_cli("validate", "--format", "json", cwd=tree.root)
    assert time.monotonic() - started < 10
    assert "Traceback" not in checked.stderr
    problems = json.loads(checked.stdout)["problems"]
    errors = [p for p in problems if p["severity"] == "error"]
    if valid:
        assert checked.returncode == 0 and errors == [], errors
    else:
        assert checked.returncode == 1
        mine = [p for p in errors if p["path"] == path]
        assert any(str(case["expect"]) in p["message"] + p["hint"] for p in mine), errors
        if "line" in case:
            assert any(p["line"] == case["line"] for p in mine), mine
        assert all(p["path"] == path for p in errors), "only the hostile file may be blamed"

    result = load_ledger(tree.incidents, NOW)
    assert BASELINE in result.catalog.by_id, "the valid incident beside it must survive"

    site_tree(tree)
    started = time.monotonic()
    built = mkdocs_build(tree.root, tree.root / "site")
    assert time.monotonic() - started < 10
    assert "Traceback" not in built.stderr
    if valid:
        assert built.returncode == 0, built.stderr
        assert (tree.root / "site" / "feeds" / "all.atom.xml").is_file()
    else:
        assert built.returncode == 1
        assert f"{path}:" in built.stderr and str(case["expect"]) in built.stderr
        assert not (tree.root / "site" / "feeds").exists(), "a failed build must not leave feeds behind"


def build_single(tree: Tree, name: str) -> Path:
    place(tree, {"file": name})
    site_tree(tree)
    assert mkdocs_build(tree.root, tree.root / "site").returncode == 0
    return tree.root / "site"


def test_update_text_markup_is_escaped_on_the_page(tree: Tree) -> None:
    site = build_single(tree, "update-text-markup-is-escaped.md")
    page = (site / "incidents/2026/2026-02-10-acme-hostile/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>alert(1)" not in page


def test_formula_title_is_defused_in_csv(tree: Tree) -> None:
    site = build_single(tree, "csv-formula-title.md")
    rows = list(csv.DictReader(io.StringIO((site / "api/incidents.csv").read_text(encoding="utf-8"))))
    hostile = next(r for r in rows if r["id"] == "2026-02-10-acme-hostile")
    assert hostile["title"].startswith("'=HYPERLINK(")


def test_markdown_in_title_stays_literal(tree: Tree) -> None:
    site = build_single(tree, "markdown-in-title.md")
    page = (site / "incidents/2026/2026-02-10-acme-hostile/index.html").read_text(encoding="utf-8")
    assert "*bold* [link](https://x.example.com) `code` &amp; ampersand" in page


def test_absurdly_large_file(tree: Tree) -> None:
    tree.add(DEFAULT_TARGET, incident_text(body="x" * (MAX_BYTES + 1)))
    started = time.monotonic()
    checked = run_cli("validate", cwd=tree.root)
    assert time.monotonic() - started < 10
    assert checked.returncode == 1 and "over the limit" in checked.stdout
