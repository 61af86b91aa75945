"""`incident-ledger import statuspage` on exports shaped like Statuspage's and incident.io's JSON."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import NOW, Tree, incident_text, mkdocs_build, run_cli, site_tree
from incident_ledger.ledger.load import parse_text
from incident_ledger.ledger.model import ModelInfo, Vendor
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.sources.importer import find_models

FIXTURES = Path(__file__).parent / "fixtures" / "statuspage"


def snapshot(tree: Tree) -> dict[str, bytes]:
    return {p.relative_to(tree.root).as_posix(): p.read_bytes() for p in sorted(tree.incidents.rglob("*.md"))}


def find(tree: Tree, ref: str) -> tuple[Path, dict]:  # type: ignore[type-arg]
    for path in tree.incidents.rglob("*.md"):
        doc = parse_text(path.read_text(encoding="utf-8"), str(path))
        if any(r.get("id") == ref for r in (doc.data or {}).get("vendor_refs") or []):
            return path, doc.data or {}
    raise AssertionError(f"no file with vendor_refs id {ref}")


def import_file(tree: Tree, name: str | Path, *extra: str) -> tuple[int, str]:
    path = name if isinstance(name, Path) else FIXTURES / name
    result = run_cli("import", "statuspage", str(path), "--vendor", "acme", *extra, cwd=tree.root)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout + result.stderr


def test_import_creates_valid_files(tree: Tree) -> None:
    code, out = import_file(tree, "incidents.json")
    assert code == 1, out  # the deliberately broken entry is reported
    assert "4 created, 1 skipped, 1 error" in out
    assert "skipped: mnt1mnt1mnt1: scheduled maintenance" in out
    assert "error: broken000001: no 'name'; no readable 'started_at' or 'created_at'; impact 'severe'" in out
    assert "component not in the registry: 'Billing portal'" in out
    result = load_ledger(tree.incidents, NOW)
    assert result.errors == [], [p.human() for p in result.errors]
    assert len(result.catalog.incidents) == 4

    _, data = find(tree, "q7txxvbsftgq")
    assert (data["start"], data["end"], data["impact"]) == ("2026-09-10T14:05:00Z", "2026-09-10T15:55:00Z", "major")
    assert data["products"] == ["api", "chat"]
    assert data["model"] == "acme-large"
    assert data["sources"] == ["https://status.acme.example.com/incidents/q7txxvbsftgq", "https://stspg.io/abcd1234"]
    assert data["vendor_refs"] == [{"source": "statuspage", "id": "q7txxvbsftgq"}]
    assert [u["status"] for u in data["updates"]] == ["investigating", "monitoring", "resolved"]
    assert data["updates"][1]["text"] == "A fix has been implemented and we are monitoring the results. See status."
    assert data["updates"][0]["text"].startswith("We are seeing elevated errors for requests to Acme Large on")

    _, data = find(tree, "01M294A9404P5Q6R7S8T9V0W1X")
    assert data["vendor_refs"][0]["source"] == "incident.io"
    assert (data["start"], data["end"], data["model"]) == ("2026-09-12T05:45:00Z", None, "unspecified")
    assert data["sources"] == ["https://status.acme.example.com/incidents/01M294A9404P5Q6R7S8T9V0W1X"]
    assert [u["status"] for u in data["updates"]] == ["investigating", "investigating"]

    _, data = find(tree, "bkdt5nap5k2x")
    assert data["updates"][0] == {
        "at": "2026-09-13T10:20:00Z",
        "status": "investigating",
        "text": "Users cannot log in to Acme Chat.",
    }
    assert data["products"] == ["chat"] and data["impact"] == "critical"

    path, data = find(tree, "lkalike00001")
    assert (data["start"], data["end"], data["impact"], data["model"]) == (
        "2026-09-14T09:05:00Z", "2026-09-14T09:50:00Z", "none", "acme-small",
    )  # fmt: skip
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert "vendor's own words" in body and "Latency is back" not in body


def test_second_run_changes_nothing(tree: Tree) -> None:
    import_file(tree, "incidents.json")
    before = snapshot(tree)
    code, out = import_file(tree, "incidents.json")
    assert "4 unchanged, 1 skipped, 1 error" in out and "\ncreated " not in out
    assert snapshot(tree) == before
    assert code == 1  # the broken entry is still reported


def test_newer_export_updates_in_place_and_keeps_hand_edits(tree: Tree, tmp_path: Path) -> None:
    import_file(tree, "incidents.json")
    path, _ = find(tree, "01M294A9404P5Q6R7S8T9V0W1X")
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Degraded performance for file uploads", "title: Slow file uploads in Acme Chat")
    text = text.rsplit("\n---\n", 1)[0] + "\n---\nUploads took minutes for users in Europe; written by hand.\n"
    path.write_text(text, encoding="utf-8")
    export = json.loads((FIXTURES / "incidents.json").read_text(encoding="utf-8"))
    ulid = export["incidents"][1]
    ulid["status"] = "resolved"
    ulid["resolved_at"] = "2026-09-12T10:00:00+02:00"
    ulid["incident_updates"].append(
        {"status": "resolved", "body": "Uploads are fast again.", "created_at": "2026-09-12T10:05:00+02:00"}
    )
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(export), encoding="utf-8")
    _code, out = import_file(tree, newer)
    assert f"updated {path.relative_to(tree.root).as_posix()}: end, 1 update(s)" in out
    _, data = find(tree, "01M294A9404P5Q6R7S8T9V0W1X")
    assert data["end"] == "2026-09-12T08:00:00Z" and data["updates"][-1]["text"] == "Uploads are fast again."
    updated = path.read_text(encoding="utf-8")
    assert "title: Slow file uploads in Acme Chat" in updated and "written by hand." in updated
    assert len(list(tree.incidents.rglob("*.md"))) == 4


def test_hand_written_incident_is_matched_then_linked(tree: Tree) -> None:
    hand = tree.add(
        "2026-09-10-acme-large-errors.md",
        incident_text(title="Elevated errors on Acme Large", start="2026-09-10T14:00:00Z", end="2026-09-10T16:00:00Z"),
    )
    original = hand.read_text(encoding="utf-8")
    code, out = import_file(tree, "incidents.json")
    assert code == 1  # the broken entry in the fixture
    assert "matched incidents/2026/2026-09-10-acme-large-errors.md: already recorded by hand" in out
    assert not any("q7txxvbsftgq" in p.read_text(encoding="utf-8") for p in tree.incidents.rglob("*.md"))
    assert hand.read_text(encoding="utf-8") == original
    _, out = import_file(tree, "incidents.json", "--link")
    assert "linked incidents/2026/2026-09-10-acme-large-errors.md: added vendor_refs statuspage:q7txxvbsftgq" in out
    linked = hand.read_text(encoding="utf-8")
    assert linked.replace("vendor_refs:\n  - {source: statuspage, id: q7txxvbsftgq}\n", "") == original
    assert load_ledger(tree.incidents, NOW).errors == []
    _, out = import_file(tree, "incidents.json")
    assert "updated incidents/2026/2026-09-10-acme-large-errors.md: 3 update(s), products" in out
    enriched = hand.read_text(encoding="utf-8")
    assert "end: 2026-09-10T16:00:00Z" in enriched and "title: Elevated errors on Acme Large" in enriched
    assert original.split("\n---\n", 1)[1] in enriched
    _code, out = import_file(tree, "incidents.json")
    assert "unchanged incidents/2026/2026-09-10-acme-large-errors.md" in out


def test_summary_json_and_options(tree: Tree) -> None:
    code, out = import_file(tree, "summary.json", "--dry-run")
    assert code == 0 and "1 created, 1 skipped" in out and "dry run" in out
    assert snapshot(tree) == {}
    code, out = import_file(tree, "summary.json", "--since", "2026-10-01")
    assert code == 0 and "skipped: unres0000001: before --since" in out
    code, out = import_file(tree, "summary.json")
    _, data = find(tree, "unres0000001")
    assert data["end"] is None and data["products"] == ["api"] and data["model"] == "acme-small"


def test_bad_exports_are_reported(tree: Tree, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, out = import_file(tree, broken)
    assert code == 2 and "broken.json: malformed JSON at line 1, column 2" in out
    broken.write_text('{"page": {}}', encoding="utf-8")
    code, out = import_file(tree, broken)
    assert code == 2 and "no `incidents` list" in out
    code, out = import_file(tree, tmp_path / "missing.json")
    assert code == 2 and "cannot read" in out


def realistic_export(count: int) -> dict[str, object]:
    rng = random.Random(3)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    incidents = []
    for index in range(count):
        begin = start + timedelta(hours=rng.randint(0, 24 * 600))
        end = begin + timedelta(minutes=rng.randint(5, 600))
        model = rng.choice(["Acme Large", "Acme Small", "all our models"])
        component = rng.choice(["Acme API (api.acme.example.com)", "Chat app"])
        seen = iso(begin + timedelta(minutes=4))
        updates = [
            {"status": "investigating", "body": f"Elevated errors on {model}.", "created_at": seen,
             "display_at": seen, "affected_components": [{"name": component}]},
            {"status": "resolved", "body": "<p>This incident has been <em>resolved</em>.</p>",
             "created_at": iso(end), "display_at": iso(end), "affected_components": []},
        ]  # fmt: skip
        incidents.append(
            {"id": f"inc{index:09d}", "name": f"Elevated errors on {model} ({index})", "status": "resolved",
             "impact": rng.choice(["minor", "major", "critical", "none"]), "created_at": iso(begin),
             "started_at": iso(begin), "resolved_at": iso(end), "shortlink": f"https://stspg.io/s{index}",
             "components": [{"name": component}], "incident_updates": list(reversed(updates))}
        )  # fmt: skip
    return {"page": {"id": "acmepage01", "url": "https://status.acme.example.com"}, "incidents": incidents}


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_real_size_export_builds_and_reimports_unchanged(tree: Tree, tmp_path: Path) -> None:
    export = tmp_path / "big.json"
    export.write_text(json.dumps(realistic_export(300)), encoding="utf-8")
    code, out = import_file(tree, export)
    assert code == 0, out[-2000:]
    assert "300 created" in out
    assert load_ledger(tree.incidents, NOW).problems == []
    before = snapshot(tree)
    code, out = import_file(tree, export)
    assert code == 0 and "300 unchanged" in out and snapshot(tree) == before
    site_tree(tree)
    built = mkdocs_build(tree.root, tree.root / "site")
    assert built.returncode == 0, built.stderr[-3000:]


def _vendor(**models: dict[str, object]) -> Vendor:
    infos = {
        model_id: ModelInfo(model_id, str(info["name"]), aliases=tuple(info.get("aliases", ())))  # type: ignore[arg-type]
        for model_id, info in models.items()
    }
    return Vendor("claude", "Claude Co", "https://example.com", None, models=infos)


CLAUDE = _vendor(
    **{
        "claude-sonnet-5": {"name": "Claude Sonnet 5"},
        "claude-sonnet-5-1": {"name": "Claude Sonnet 5.1"},
        "claude-sonnet-4-6": {"name": "Claude Sonnet 4.6"},
        "claude-opus-4-8": {"name": "Claude Opus 4.8"},
        "claude-haiku-4-5": {"name": "Claude Haiku 4.5", "aliases": ["Haiku Fast"]},
        "claude-opus-4": {"name": "Claude Opus 4"},
        "mistral-large": {"name": "Mistral Large"},
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Elevated errors on Opus 4.8", ["claude-opus-4-8"]),
        ("Errors on Sonnet 4.6 and Sonnet 5", ["claude-sonnet-5", "claude-sonnet-4-6"]),
        ("Errors on Sonnet 5.1.", ["claude-sonnet-5-1"]),
        ("Errors on Sonnet 5. Fixed.", ["claude-sonnet-5"]),
        ("Slow responses from Haiku Fast", ["claude-haiku-4-5"]),
        ("Claude Opus 4 and Opus 4.8 degraded", ["claude-opus-4-8", "claude-opus-4"]),
        ("A large number of requests failed", []),
        ("Sonnet 50 is not a model", []),
    ],
)
def test_models_are_found_with_or_without_family_name(text: str, expected: list[str]) -> None:
    assert sorted(find_models(CLAUDE, [text])) == sorted(expected)


def test_resolved_before_start_takes_the_backdated_update_as_start(tree: Tree, tmp_path: Path) -> None:
    late = {
        "id": "late00000001",
        "name": "Errors on Acme Large, posted after the fact",
        "status": "resolved",
        "impact": "minor",
        "started_at": "2026-09-20T12:00:00.000Z",
        "created_at": "2026-09-20T12:00:00.000Z",
        "resolved_at": "2026-09-20T11:30:00.000Z",
        "incident_updates": [
            {"status": "resolved", "body": "Between 10:50 and 11:30 UTC requests failed.",
             "created_at": "2026-09-20T12:00:00.000Z", "display_at": "2026-09-20T10:50:00.000Z"},
        ],
    }  # fmt: skip
    path = tmp_path / "late.json"
    path.write_text(json.dumps({"incidents": [late]}), encoding="utf-8")
    code, out = import_file(tree, path)
    assert code == 0, out
    assert "posted after the fact" not in out  # the backdated update already gives the start: 10:50
    _, data = find(tree, "late00000001")
    assert (data["start"], data["end"]) == ("2026-09-20T10:50:00Z", "2026-09-20T11:30:00Z")


def test_unknown_components_are_reported_once(tree: Tree, tmp_path: Path) -> None:
    incidents = [
        {"id": f"comp0000000{n}", "name": f"Billing errors {n}", "status": "resolved", "impact": "minor",
         "started_at": f"2026-09-2{n}T12:00:00.000Z", "resolved_at": f"2026-09-2{n}T13:00:00.000Z",
         "components": [{"name": "Billing portal"}], "incident_updates": []}
        for n in range(1, 4)
    ]  # fmt: skip
    path = tmp_path / "comp.json"
    path.write_text(json.dumps({"incidents": incidents}), encoding="utf-8")
    code, out = import_file(tree, path)
    assert code == 0 and "3 created" in out
    assert out.count("component not in the registry: 'Billing portal'") == 1


def test_kind_is_detected_from_content(tree: Tree) -> None:
    result = run_cli("import", str(FIXTURES / "incidents.json"), "--vendor", "acme", "--dry-run", cwd=tree.root)
    assert "read as statuspage, 6 record(s)" in result.stdout
    html = tree.root / "page.html"
    html.write_text("<!DOCTYPE html><html><body>Sign in</body></html>", encoding="utf-8")
    result = run_cli("import", str(html), "--vendor", "acme", cwd=tree.root)
    assert result.returncode == 2 and "got an HTML page" in result.stderr
    result = run_cli("import", "statuspag", str(html), "--vendor", "acme", cwd=tree.root)
    assert result.returncode == 2 and "did you mean `statuspage`?" in result.stderr


def test_google_cloud_keeps_only_ai_products(tree: Tree) -> None:
    registry = tree.incidents / "vendors.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "    Chat app: chat\n", "    Chat app: chat\n    Vertex Gemini API: api\n"
        ),
        encoding="utf-8",
    )
    fixture = Path(__file__).parent / "fixtures" / "google-cloud" / "incidents.json"
    result = run_cli("import", str(fixture), "--vendor", "acme", cwd=tree.root)
    assert "read as google-cloud" in result.stdout, result.stdout + result.stderr
    assert "incident(s) of products the registry does not map were skipped" in result.stdout
    created = list(tree.incidents.rglob("*.md"))
    assert created and all("vertex" in p.read_text(encoding="utf-8").lower() for p in created)
    for path in created:
        doc = parse_text(path.read_text(encoding="utf-8"), str(path))
        data = doc.data or {}
        assert data["vendor_refs"][0]["source"] == "google-cloud"
        assert data["sources"][0].startswith("https://status.cloud.google.com/incidents/")
        assert data["impact_vendor"] == data["impact"]


def test_the_vendors_grade_wins_whatever_the_import_order(tree: Tree) -> None:
    """The Atom feed carries no grade, so its import records the default; the graded JSON imported later
    replaces it, while a curator's impact on a hand-written file would stay (only impact_vendor is added)."""
    feed = Path(__file__).parent / "fixtures" / "atom" / "history.atom"
    result = run_cli("import", "atom", str(feed), "--vendor", "acme", cwd=tree.root)
    assert "Traceback" not in result.stderr
    _, data = find(tree, "q7txxvbsftgq")
    assert data["impact"] == "minor" and "impact_vendor" not in data
    import_file(tree, "incidents.json")
    _, data = find(tree, "q7txxvbsftgq")
    assert data["impact"] == data["impact_vendor"] == "major"


def test_one_vendors_ids_never_reach_another_vendors_file(tree: Tree) -> None:
    """Zeta's list carrying an id that Acme's file holds creates Zeta's own record; Acme's file is untouched."""
    import_file(tree, "incidents.json")
    acme_path, _ = find(tree, "q7txxvbsftgq")
    before = acme_path.read_bytes()
    data = json.loads((FIXTURES / "incidents.json").read_text(encoding="utf-8"))
    data["incidents"] = [i for i in data["incidents"] if i["id"] == "q7txxvbsftgq"]
    data["incidents"][0]["incident_updates"].append(
        {"status": "resolved", "body": "Zeta's own words.", "created_at": "2026-09-11T10:00:00.000Z",
         "display_at": "2026-09-11T10:00:00.000Z"}
    )  # fmt: skip
    path = tree.root / "zeta.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("import", "statuspage", str(path), "--vendor", "zeta", cwd=tree.root)
    assert "Traceback" not in result.stderr and "created incidents/2026/" in result.stdout
    assert acme_path.read_bytes() == before
    zeta = [p for p in tree.incidents.rglob("*-zeta-*.md")]
    assert len(zeta) == 1 and "Zeta's own words." in zeta[0].read_text(encoding="utf-8")
