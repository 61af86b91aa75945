"""The `incident-ledger` command as contributors and workflows run it."""

from __future__ import annotations

import json
import re

import pytest

from conftest import Tree, incident_text, run_cli

BROKEN = "2026-02-10-acme-broken.md"
GITHUB_LINE = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+,title=[^:]*::.+$")


def broken_tree(tree: Tree) -> None:
    tree.add("2026-02-10-acme-fine.md", incident_text())
    tree.add(BROKEN, incident_text(vendor="acmee", impact="huge", start="2026-02-10T14:05:00"))


def test_validate_ok_exit_zero(tree: Tree) -> None:
    tree.add("2026-02-10-acme-fine.md", incident_text())
    result = run_cli("validate", cwd=tree.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s) in 1 file(s)" in result.stdout


def test_validate_reports_every_mistake_with_file_and_line(tree: Tree) -> None:
    broken_tree(tree)
    result = run_cli("validate", cwd=tree.root)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if BROKEN in line]
    assert len(lines) == 3
    assert lines[0].startswith(f"incidents/2026/{BROKEN}:3: error [vendor]")
    assert "did you mean `acme`" in lines[0]
    assert any(":6: error [start]" in line for line in lines)
    assert any(":8: error [impact]" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_github_format_is_workflow_command_syntax(tree: Tree) -> None:
    broken_tree(tree)
    result = run_cli("validate", "--format", "github", cwd=tree.root)
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 3
    for line in annotations:
        assert GITHUB_LINE.match(line), line
    assert f"::error file=incidents/2026/{BROKEN},line=3,title=incident-ledger%3A vendor::" in annotations[0]


def test_json_format(tree: Tree) -> None:
    broken_tree(tree)
    result = run_cli("validate", "--format", "json", cwd=tree.root)
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert {p["field"] for p in report["problems"]} == {"vendor", "start", "impact"}
    assert all(p["path"] == f"incidents/2026/{BROKEN}" and p["line"] > 0 for p in report["problems"])


def test_strict_turns_warnings_into_failure(tree: Tree) -> None:
    tree.add("2026-02-10-acme-quiet.md", incident_text(body=""))
    assert run_cli("validate", cwd=tree.root).returncode == 0
    assert run_cli("validate", "--strict", cwd=tree.root).returncode == 1


def test_changed_files_only_but_ids_checked_against_tree(tree: Tree) -> None:
    broken_tree(tree)
    fine = "incidents/2026/2026-02-10-acme-fine.md"
    result = run_cli("validate", fine, cwd=tree.root)
    assert result.returncode == 0, result.stdout
    assert BROKEN not in result.stdout
    copy = tree.root / "new" / "2026" / "2026-02-10-acme-fine.md"
    copy.parent.mkdir(parents=True)
    copy.write_text(incident_text(), encoding="utf-8")
    result = run_cli("validate", "new/2026/2026-02-10-acme-fine.md", cwd=tree.root)
    assert result.returncode == 1 and "already used by" in result.stdout


def test_missing_path_and_missing_tree(tree: Tree) -> None:
    result = run_cli("validate", "nope.md", cwd=tree.root)
    assert result.returncode == 2 and "no such file" in result.stderr
    result = run_cli("--root", "nowhere", "validate", cwd=tree.root)
    assert result.returncode == 2 and "not found" in result.stderr


def test_new_writes_a_valid_skeleton(tree: Tree) -> None:
    result = run_cli(
        "new", "--vendor", "acme", "--model", "acme-large", "--title", "Elevated errors on Acme Large!",
        "--start", "2026-02-10T09:05:00-05:00", cwd=tree.root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = result.stdout.strip()
    assert path == "incidents/2026/2026-02-10-acme-elevated-errors-on-acme-large.md"
    text = (tree.root / path).read_text(encoding="utf-8")
    assert "start: '2026-02-10T14:05:00Z'" in text and "end: null" in text
    assert run_cli("validate", path, cwd=tree.root).returncode == 0


def test_new_rejects_unknown_ids_with_suggestion(tree: Tree) -> None:
    result = run_cli("new", "--vendor", "acme", "--model", "acme-lrge", "--title", "x", cwd=tree.root)
    assert result.returncode == 2 and "did you mean `acme-large`" in result.stderr


def test_schema_command_prints_json_schema() -> None:
    result = run_cli("schema")
    schema = json.loads(result.stdout)
    assert schema["required"] == ["title", "vendor", "model", "start", "end", "impact", "sources"]
    assert schema["properties"]["impact"]["enum"] == ["none", "minor", "major", "critical"]


def test_stats_json_and_table(tree: Tree) -> None:
    tree.add("2026-02-10-acme-fine.md", incident_text())
    unwatched = json.loads(run_cli("stats", "--window", "all", "--format", "json", cwd=tree.root).stdout)
    assert unwatched["vendors"][0]["incidents"] == 0  # no coverage: no count, "not tracked"
    (tree.incidents / "coverage.yml").write_text(
        "acme:\n"
        "  - kind: statuspage\n"
        "    url: https://status.acme.example.com/history.atom\n"
        "    basis: a poll of the list each day\n"
        "    covered:\n"
        "      - {from: 2026-02-01T00:00:00Z, to: 2026-03-01T00:00:00Z}\n",
        encoding="utf-8",
    )
    result = run_cli("stats", "--window", "all", "--format", "json", cwd=tree.root)
    report = json.loads(result.stdout)
    acme = report["vendors"][0]
    assert acme["vendor"] == "acme" and acme["incidents"] == 1
    assert acme["median_seconds"] == 3 * 3600 + 35 * 60
    severe = acme["headline"]["rates"]["severe"]
    assert (severe["n"], severe["covered_seconds"]) == (1, 28 * 86400)
    api = acme["headline"]["classes"]["api"]
    assert (api["n"], api["availability"]) == (0, 1.0)  # it names a model: not an outage of the whole API
    table = run_cli("stats", "--vendor", "acme", "--window", "all", cwd=tree.root)
    assert table.returncode == 0 and "acme-large" in table.stdout
    bad = run_cli("stats", "--vendor", "acmee", cwd=tree.root)
    assert bad.returncode == 2 and "did you mean `acme`" in bad.stderr


@pytest.mark.parametrize("name", ["vendors.yml", "sources.yml", "coverage.yml"])
def test_registry_change_validates_whole_tree(tree: Tree, name: str) -> None:
    broken_tree(tree)
    (tree.incidents / "coverage.yml").write_text("{}\n", encoding="utf-8")
    result = run_cli("validate", f"incidents/{name}", cwd=tree.root)
    assert result.returncode == 1 and BROKEN in result.stdout
    assert "does not start with front matter" not in result.stdout


def test_pull_request_step_as_the_workflow_runs_it(tree: Tree) -> None:
    """The exact validate step of .github/workflows/check.yml, on a deliberately broken file."""
    from conftest import ROOT

    workflow = (ROOT / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8")
    step = next(
        line.split("run:", 1)[1].strip() for line in workflow.splitlines() if "incident-ledger validate" in line
    )
    assert step.startswith("incident-ledger validate --format github")
    broken_tree(tree)
    result = run_cli(*step.split()[1:], cwd=tree.root)
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert annotations and all(GITHUB_LINE.match(line) for line in annotations)
    assert all(f"file=incidents/2026/{BROKEN},line=" in line for line in annotations)
