"""`incident-ledger backfill` on excerpts of the real archives (tests/fixtures/archives, each with SOURCE.md)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from conftest import Tree, real_tree, run_cli
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.sources.backfill import parse_archive
from incident_ledger.sources.readers.archives import (
    read_fails_csv,
    read_github_statuses,
    read_statuspage_files,
    read_statuspage_lines,
)

ARCHIVES = Path(__file__).parent / "fixtures" / "archives"
CLAUDE = ARCHIVES / "claude-statuses" / "incidents.jsonl"
COMMIT = "a0fc4cec96feebdc162209f42835ce6abb34967d"
FAILS = ARCHIVES / "fails" / "incident_stages_all.csv"
FAILS_AT = "https://github.com/atlarge-research/FAILS@a852259ece8345d0f326328aaf0efe3ad59b176b"
AT = datetime(2026, 8, 22, 12, 0, tzinfo=UTC)


def backfill(tree: Tree, *extra: str, source: Path = CLAUDE) -> tuple[int, str]:
    args = (
        "backfill", str(source), "--vendor", "anthropic", "--format", "statuspage-jsonl",
        "--archive", f"https://github.com/Malorn44/claude-statuses@{COMMIT}", "--path", "data/incidents.jsonl", *extra,
    )  # fmt: skip
    return _run(tree, args)


def backfill_fails(tree: Tree, *extra: str, source: Path = FAILS) -> tuple[int, str]:
    args = (
        "backfill", str(source), "--vendor", "openai", "--format", "fails-csv", "--archive", FAILS_AT,
        "--path", "server/static/data/incident_stages_all.csv", *extra,
    )  # fmt: skip
    return _run(tree, args)


def _run(tree: Tree, args: tuple[str, ...]) -> tuple[int, str]:
    result = run_cli(*args, cwd=tree.root, env={"SOURCE_DATE_EPOCH": str(int(AT.timestamp()))})
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout + result.stderr


def front(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8").split("---")[1], Loader=yaml.BaseLoader)  # times as written


def by_ref(tree: Tree) -> dict[str, Path]:
    found = {}
    for path in tree.incidents.rglob("*.md"):
        for ref in front(path).get("vendor_refs") or []:
            found[ref["id"]] = path
    return found


def test_every_archive_fixture_names_its_source() -> None:
    folders = [p for p in ARCHIVES.iterdir() if p.is_dir()]
    assert len(folders) == 4
    for folder in folders:
        text = (folder / "SOURCE.md").read_text(encoding="utf-8")
        assert "github.com/" in text and re.search(r"\b[0-9a-f]{40}\b", text), folder


def test_backfill_writes_every_incident_with_provenance_and_is_idempotent(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    code, out = backfill(tree)
    assert code == 0, out
    assert "9 record(s) read, 0 unreadable" in out
    assert "8 created" in out and "1 planned maintenance skipped" in out
    files = by_ref(tree)
    assert set(files) == {
        "85cf5bgslwtw", "ddcqt95wb9g2", "tmsczhzhjd63", "0dv5d8qb9gy2", "llfcyhh14yj5", "zkr25thltwc9", "1019wwb67615",
        "gg215bzz7rhm",
    }  # fmt: skip
    data = front(files["zkr25thltwc9"])
    source = data["sources"][0]
    assert source["url"] == "https://status.claude.com/incidents/zkr25thltwc9"
    assert source["archive"] == f"https://github.com/Malorn44/claude-statuses/blob/{COMMIT}/data/incidents.jsonl"
    assert data["impact_vendor"] == data["impact"] == "major"
    result = load_ledger(tree.incidents, AT)
    assert result.errors == [] and result.warnings == []
    assert {i.evidence for i in result.catalog.incidents} == {"vendor"}
    before = {p: p.read_bytes() for p in tree.incidents.rglob("*.md")}
    code, out = backfill(tree)
    assert code == 0 and "0 created, 0 updated, 8 unchanged" in out
    assert {p: p.read_bytes() for p in tree.incidents.rglob("*.md")} == before


def test_incidents_posted_after_the_fact_follow_one_rule(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    backfill(tree)
    files = by_ref(tree)
    stated = front(files["tmsczhzhjd63"])  # "from 19:52-20:35 UTC", posted at 20:35
    assert (stated["start"], stated["end"]) == ("2024-02-16T19:52:00Z", "2024-02-16T20:35:00Z")
    late = front(files["1019wwb67615"])  # "for approximately 10 minutes … at approximately 11:07a PDT"
    assert (late["start"], late["end"]) == ("2026-07-25T17:57:00Z", "2026-07-25T18:07:00Z")
    written = front(files["gg215bzz7rhm"])  # shown at 15:00, written at 16:04: the window is that day's
    assert (written["start"], written["end"]) == ("2024-09-19T15:07:00Z", "2024-09-19T15:30:00Z")
    assert [u["at"] for u in written["updates"]] == ["2024-09-19T16:04:00Z"]  # never before the window it tells of
    for ident in ("ddcqt95wb9g2", "85cf5bgslwtw", "0dv5d8qb9gy2"):  # no window, or one naming another date
        data = front(files[ident])
        assert data["time_precision"] == "day" and "needs-review" in data["tags"]
        assert data["start"] == data["end"] and data["start"].endswith("T00:00:00Z")
        assert "posted it after the fact" in files[ident].read_text(encoding="utf-8")


def test_hand_written_records_are_linked_not_duplicated(tmp_path: Path, make_incident) -> None:  # type: ignore[no-untyped-def]
    tree = real_tree(tmp_path)
    hand = make_incident(
        title="Errors across Claude models on 2 June",
        vendor="anthropic",
        model="all",
        start="2026-06-02T00:00:00Z",
        end="2026-06-02T00:00:00Z",
        time_precision="day",
        sources=["https://status.claude.com/incidents/zkr25thltwc9"],
    )
    path = tree.add("2026-06-02-anthropic-errors-across-claude-models.md", hand)
    code, out = backfill(tree, "--link")
    assert code == 0, out
    assert f"linked incidents/2026/{path.name}: added vendor_refs statuspage:zkr25thltwc9" in out
    assert "7 created" in out
    code, out = backfill(tree, "--link")  # the link is a vendor id now: the vendor's window and updates arrive
    data = front(path)
    assert data["vendor_refs"] == [{"source": "statuspage", "id": "zkr25thltwc9"}]
    assert data["start"] == "2026-06-02T06:04:59Z" and "time_precision" not in data
    ids = [ref["id"] for p in tree.incidents.rglob("*.md") for ref in front(p).get("vendor_refs") or []]
    assert ids.count("zkr25thltwc9") == 1
    assert load_ledger(tree.incidents, AT).errors == []


def test_a_broken_line_is_reported_and_the_others_written(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    lines = CLAUDE.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], '{"id": "x", "incident_updates": 5', lines[5], "[1, 2]"]) + "\n")
    code, out = backfill(tree, source=broken)
    assert code == 1
    assert "unreadable: " in out and "line 2: not a JSON object" in out and "line 4: not a JSON object" in out
    assert "2 created" in out and len(by_ref(tree)) == 2


def test_archive_must_name_its_commit(tmp_path: Path) -> None:
    assert isinstance(parse_archive("https://github.com/Malorn44/claude-statuses", "data/x.jsonl"), str)
    assert isinstance(parse_archive(f"https://example.com/a/b@{COMMIT}", "x"), str)
    assert isinstance(parse_archive(f"https://github.com/a/b@{COMMIT}", "../x"), str)
    tree = real_tree(tmp_path)
    result = run_cli(
        "backfill", str(CLAUDE), "--vendor", "anthropic", "--format", "statuspage-jsonl",
        "--archive", "https://github.com/Malorn44/claude-statuses@main", "--path", "data/incidents.jsonl",
        cwd=tree.root,
    )  # fmt: skip
    assert result.returncode == 2 and "needs its commit" in result.stderr


def test_github_archives_read_the_vendors_facts_only() -> None:
    parsed = read_github_statuses(
        (ARCHIVES / "github-statuses" / "incidents.jsonl").read_bytes(), "https://www.githubstatus.com"
    )
    assert parsed.problems == [] and len(parsed.records) == 6
    first = parsed.records[0]
    assert first.id == "9xb0vpwcj8gj" and first.impact == "major" and first.components == ("Copilot",)
    assert first.url == "https://www.githubstatus.com/incidents/9xb0vpwcj8gj"
    assert first.updates[-1].status == "resolved" and first.end is not None
    files = sorted((p.name, p.read_bytes()) for p in (ARCHIVES / "github-incident-history").glob("*.json"))
    folder = read_statuspage_files(files, "https://www.githubstatus.com")
    assert folder.problems == [] and len(folder.records) == 3
    same = next(r for r in folder.records if r.id == "9xb0vpwcj8gj")
    assert same.impact == first.impact and same.title == first.title


def test_fails_rows_read_the_vendors_stages() -> None:
    read = read_fails_csv(FAILS.read_bytes(), "https://status.openai.com", "openai")
    assert read.problems == []
    ids = [r.id for r in read.records]
    assert ids == ["y186j7j9ym1j", "6bwlxnvdncnm", "mjyr131v9k6d", "swm7xsx0t5j4", "ljkf68byn8bm", "1yqdnt73snnc"]
    vision = read.records[0]
    assert vision.url == "https://status.openai.com/incidents/y186j7j9ym1j"
    assert (vision.impact, vision.components) == ("minor", ("API",))
    assert [u.status for u in vision.updates] == ["investigating", "monitoring", "resolved"]
    assert vision.start == datetime(2025, 1, 8, 19, 46, tzinfo=UTC) and vision.end == datetime(
        2025, 1, 8, 21, 5, tzinfo=UTC
    )
    assert vision.updates[-1].text.startswith("Between 11:33 AM and 11:56 AM PST users were experiencing")
    assert read.records[1].updates[-1].status == "postmortem" and read.records[1].impact == "critical"
    assert read.records[2].impact == "none" and read.records[3].maintenance
    late = read.records[5]
    assert late.start == late.end and len(late.updates) == 1 and "\n" not in late.updates[0].text


def test_fails_agrees_with_the_vendors_json_where_both_hold_an_incident() -> None:
    """FAILS scraped the history pages; where the vendor's own JSON survives, the facts must be the same."""
    scraped = {r.id: r for r in read_fails_csv(FAILS.read_bytes(), "https://status.claude.com", "anthropic").records}
    vendor = {r.id: r for r in read_statuspage_lines(CLAUDE.read_bytes(), "https://status.claude.com").records}
    assert set(scraped) == {"tmsczhzhjd63", "85cf5bgslwtw"}
    for ident, record in scraped.items():
        own = vendor[ident]
        assert (record.title, record.impact_vendor, record.url) == (own.title, own.impact_vendor, own.url)
        assert record.updates[-1].text == own.updates[-1].text
        assert abs((record.updates[-1].at - own.updates[-1].at).total_seconds()) < 60  # the pages show minutes


def test_backfill_from_fails_cites_the_vendor_and_says_what_the_archive_lacks(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    code, out = backfill_fails(tree)
    assert code == 0, out
    assert "6 record(s) read, 0 unreadable" in out and "1 planned maintenance skipped" in out
    files = by_ref(tree)
    assert {"y186j7j9ym1j", "6bwlxnvdncnm", "mjyr131v9k6d", "ljkf68byn8bm", "1yqdnt73snnc"} <= set(files)
    assert "swm7xsx0t5j4" not in files
    data = front(files["mjyr131v9k6d"])
    assert data["sources"][0] == {
        "url": "https://status.openai.com/incidents/mjyr131v9k6d",
        "archive": "https://github.com/atlarge-research/FAILS/blob/a852259ece8345d0f326328aaf0efe3ad59b176b/"
        "server/static/data/incident_stages_all.csv",
    }
    assert data["impact_vendor"] == "none" and data["vendor_refs"] == [{"source": "statuspage", "id": "mjyr131v9k6d"}]
    assert "first post of each stage only" in files["mjyr131v9k6d"].read_text(encoding="utf-8")
    late = front(files["1yqdnt73snnc"])
    assert late["start"] != late["end"] or late.get("time_precision") == "day"
    result = load_ledger(tree.incidents, AT)
    assert result.errors == []
    before = {p: p.read_bytes() for p in tree.incidents.rglob("*.md")}
    code, out = backfill_fails(tree)
    assert code == 0 and "0 created, 0 updated, 5 unchanged" in out
    assert {p: p.read_bytes() for p in tree.incidents.rglob("*.md")} == before


def test_fails_reader_reports_bad_rows_and_reads_the_rest() -> None:
    lines = FAILS.read_text(encoding="utf-8").split("\n")
    header, first = lines[0], next(line for line in lines if line.startswith("mjyr131v9k6d,"))
    bad_grade = first.replace("mjyr131v9k6d,Login failures for OpenAI services,0,", "aaaa,Login failures,9,", 1)
    bad_id = first.replace("mjyr131v9k6d", "../x", 1)
    data = "\n".join([header, bad_grade, first, bad_id, "\0,\0"]).encode()
    read = read_fails_csv(data, "https://status.openai.com", "openai")
    assert [r.id for r in read.records] == ["mjyr131v9k6d"]
    assert any("line 2" in p and "incident_impact_level" in p for p in read.problems)
    assert any("line 4" in p and "not a Statuspage id" in p for p in read.problems)
    assert read_fails_csv(b"a,b\n1,2\n", "https://x", "openai").problems[0].startswith("line 1: no column")
    assert read_fails_csv(b"\xff\xfe", "https://x", "openai").records == []
    assert "no row has provider" in read_fails_csv(FAILS.read_bytes(), "https://x", "google").problems[0]


@pytest.mark.parametrize("reader", [read_statuspage_lines, read_github_statuses])
def test_archive_readers_never_raise_on_junk(reader) -> None:  # type: ignore[no-untyped-def]
    junk = b'\xff\xfe\n{"incident_updates": "x"}\n[[[[\n{"updates": 7, "url": 5}\n\n'
    read = reader(junk, "https://status.example.com")
    assert len(read.problems) + len(read.records) == 4


def test_model_names_read_snapshots_as_their_model_and_variants_apart(tmp_path: Path) -> None:
    from incident_ledger.sources.draft import find_models

    registry = load_ledger(real_tree(tmp_path).incidents, AT).catalog.registry
    openai = registry.vendor("openai")
    assert openai is not None
    assert find_models(openai, ["High error rates for Vision API on gpt-4o-2024-05-13 model"]) == ["gpt-4o"]
    assert find_models(openai, ["Elevated errors for GPT-4o mini"]) == ["gpt-4o-mini"]
    assert find_models(openai, ["DALL-E 3 requests failing"]) == ["dall-e-3"]
    assert find_models(openai, ["Elevated errors on gpt-4-1106-preview"]) == ["gpt-4-turbo"]
    assert find_models(openai, ["gpt-4 and gpt-3.5-turbo"]) == ["gpt-3-5-turbo", "gpt-4"]


def test_a_record_holding_two_vendor_ids_keeps_what_each_adds(tmp_path: Path, make_incident) -> None:  # type: ignore[no-untyped-def]
    """One hand-written record can rest on two of the vendor's posts; the second update starts from the first."""
    tree = real_tree(tmp_path)
    hand = make_incident(
        title="Login failures, then Vision API errors",
        vendor="openai",
        model="all",
        products="[api]",
        start="2024-10-21T13:01:00Z",
        end="2025-01-08T21:05:00Z",
        sources="\n  - https://status.openai.com/incidents/mjyr131v9k6d",
        vendor_refs="\n  - {source: statuspage, id: mjyr131v9k6d}\n  - {source: statuspage, id: y186j7j9ym1j}",
    )
    path = tree.add("2024-10-21-openai-login-failures-then-vision-errors.md", hand)
    code, out = backfill_fails(tree)
    assert code == 0, out
    data = front(path)  # y186j7j9ym1j comes first in the file; mjyr131v9k6d must not undo what it added
    assert [u["at"] for u in data["updates"]] == [
        "2025-01-08T19:46:00Z",
        "2025-01-08T19:59:00Z",
        "2025-01-08T21:05:00Z",
    ]
    assert data["impact_vendor"] == "minor"
    code, out = backfill_fails(tree)
    assert code == 0 and "0 updated" in out


def test_an_unterminated_quote_in_fails_loses_no_later_row_and_names_its_true_line() -> None:
    text = FAILS.read_text(encoding="utf-8")
    intact = read_fails_csv(FAILS.read_bytes(), "https://status.openai.com", "openai")
    broken = text.replace(
        "mjyr131v9k6d,Login failures for OpenAI services,", 'mjyr131v9k6d,"Login failures for OpenAI,', 1
    )
    read = read_fails_csv(broken.encode(), "https://status.openai.com", "openai")
    line = text.split("\n").index(next(x for x in text.split("\n") if x.startswith("mjyr131v9k6d,"))) + 1
    assert line == 14  # after a row whose quoted text runs over ten lines
    assert [p for p in read.problems if p.startswith(f"line {line}: ")] and len(read.problems) == 1, read.problems
    assert [r.id for r in read.records] == [r.id for r in intact.records if r.id != "mjyr131v9k6d"]


def test_github_statuses_refuses_ids_that_are_not_ids_and_cleans_names() -> None:
    lines = (ARCHIVES / "github-statuses" / "incidents.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    dotted = dict(first, url="https://www.githubstatus.com/incidents/..")
    named = dict(first, components=["Copilot\n# Heading\u202e", "Copilot"])
    data = "\n".join(json.dumps(item) for item in (dotted, named)).encode()
    read = read_github_statuses(data, "https://www.githubstatus.com")
    assert len(read.problems) == 1 and read.problems[0].startswith("line 1: ") and "incident id" in read.problems[0]
    (record,) = read.records
    assert record.components == ("Copilot # Heading", "Copilot")


def test_an_oversized_archive_record_is_refused_and_the_ledger_still_validates(tmp_path: Path) -> None:
    tree = real_tree(tmp_path)
    lines = CLAUDE.read_text(encoding="utf-8").splitlines()
    big = json.loads(lines[0])
    post = big["incident_updates"][0]
    big["incident_updates"] = [dict(post, id=f"u{n}", body=post["body"] * 200) for n in range(60)]
    source = tmp_path / "incidents.jsonl"
    source.write_text("\n".join([json.dumps(big), *lines[1:]]) + "\n", encoding="utf-8")
    code, out = backfill(tree, source=source)
    assert code == 1 and "over the limit of 524288" in out, out
    written = by_ref(tree)
    assert big["id"] not in written and written  # the others are written
    assert all(p.stat().st_size < 512 * 1024 for p in tree.incidents.rglob("*.md"))
    assert run_cli("validate", cwd=tree.root, env={"SOURCE_DATE_EPOCH": str(int(AT.timestamp()))}).returncode == 0
