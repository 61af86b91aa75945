"""Feeds and open data, parsed the way subscribers and researchers read them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import yaml

from conftest import NOW, ROOT, Tree, incident_text
from incident_ledger.ledger.load import parse_text
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.site.export import csv_cell

SITE_URL = "https://incident-ledger.github.io/incident-ledger/"


def catalog():  # type: ignore[no-untyped-def]
    return load_ledger(ROOT / "incidents", NOW).catalog


def test_atom_and_rss_parse_cleanly(built_site: Path) -> None:
    for name in ("all.atom.xml", "all.rss.xml", "openai.atom.xml", "anthropic/claude-opus-4-6.rss.xml"):
        feed = feedparser.parse((built_site / "feeds" / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert 0 < len(feed.entries) <= 50
        for entry in feed.entries:
            assert entry.id.startswith(SITE_URL + "incidents/")
            assert entry.link == entry.id
            assert entry.published_parsed and entry.updated_parsed if "atom" in name else entry.published_parsed


def test_feed_holds_newest_fifty_in_publication_order(built_site: Path) -> None:
    feed = feedparser.parse((built_site / "feeds" / "all.atom.xml").read_bytes())
    assert len(feed.entries) == 50
    published = [entry.published for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    assert feed.feed.updated == max(entry.updated for entry in feed.entries)
    by_id = {i.id: i for i in catalog().incidents}
    for entry in feed.entries:
        incident = by_id[entry.id.rstrip("/").rsplit("/", 1)[1]]
        assert entry.updated >= incident.last_change().strftime("%Y-%m-%dT%H:%M:%S+00:00")


def test_entry_content(built_site: Path) -> None:
    feed = feedparser.parse((built_site / "feeds" / "anthropic.atom.xml").read_bytes())
    entry = next(e for e in feed.entries if "2026-09-02-anthropic-sonnet-5-errors" in e.id)
    assert entry.title.startswith("Anthropic: Elevated errors for Claude Sonnet 5 [claude-sonnet-5; major; resolved]")
    assert "Start 2026-09-02 21:05 UTC; end 2026-09-02 21:19 UTC; duration 14 min; impact major." in entry.summary
    assert {t.term for t in entry.tags} == {"anthropic", "claude-sonnet-5", "major"}
    assert entry.updated >= "2026-09-02T21:44:28+00:00"
    assert "Full record in the ledger" in entry.content[0].value


def test_json_feed_required_fields(built_site: Path) -> None:
    feed = json.loads((built_site / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["feed_url"] == SITE_URL + "feeds/all.json"
    assert len(feed["items"]) == 50
    for item in feed["items"]:
        assert item["id"] == item["url"] and item["url"].startswith(SITE_URL)
        assert item["content_html"] and item["date_published"].endswith("Z")


def test_calendar_feed(built_site: Path) -> None:
    calendar = icalendar.Calendar.from_ical((built_site / "feeds" / "all.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 50
    uids = {str(event["UID"]) for event in events}
    assert len(uids) == 50 and all(uid.endswith("@incident-ledger.github.io") for uid in uids)
    assert all(event.get("DTSTART") is not None and event.get("DTEND") is not None for event in events)


def test_json_and_csv_round_trip_against_catalog(built_site: Path) -> None:
    data = json.loads((built_site / "api" / "incidents.json").read_text(encoding="utf-8"))
    by_id = {i.id: i for i in catalog().incidents}
    assert data["reference_time"] == "2026-11-25T12:00:00Z"
    assert {r["id"] for r in data["incidents"]} == set(by_id)
    rows = list(csv.DictReader(io.StringIO((built_site / "api" / "incidents.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(by_id)
    for record, row in zip(data["incidents"], rows, strict=True):
        incident = by_id[record["id"]]
        assert record["start"] == incident.start.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert record["impact"] == incident.impact == row["impact"]
        if incident.time_precision == "day":
            assert row["duration_seconds"] == "" and record["duration_seconds"] is None
        else:
            assert float(row["duration_seconds"]) == record["duration_seconds"]
        assert row["evidence"] == record["evidence"] == incident.evidence
        assert row["id"] == record["id"] and row["sources"] == ";".join(record["sources"])
    lines = (built_site / "api" / "incidents.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [r["id"] for r in data["incidents"]]
    vendors = json.loads((built_site / "api" / "vendors.json").read_text(encoding="utf-8"))
    assert {"openai", "anthropic"} <= {v["id"] for v in vendors["vendors"]}


def test_csv_guards_against_formula_injection() -> None:
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("+1") == "'+1" and csv_cell("@x") == "'@x" and csv_cell("-x") == "'-x"
    assert csv_cell("plain") == "plain" and csv_cell(3600.0) == "3600" and csv_cell(True) == "true"


def test_every_incident_validates_against_published_schema(built_site: Path) -> None:
    schema = json.loads((built_site / "schema" / "incident.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((ROOT / "incidents").glob("*/*.md"))
    assert len(files) >= 100
    for path in files:
        doc = parse_text(path.read_text(encoding="utf-8"), str(path))
        errors = list(validator.iter_errors(doc.data))
        assert errors == [], (path, [e.message for e in errors])


def test_schema_and_validator_agree_on_bad_values() -> None:
    from conftest import incident_text

    schema = json.loads(json.dumps(__import__("incident_ledger.ledger.schema", fromlist=["x"]).incident_schema()))
    validator = jsonschema.Draft202012Validator(schema)
    cases = [
        incident_text(impact="huge"),
        incident_text(start="2026-02-10T14:05:00"),
        incident_text(sources="[http://x.example.com]"),
        incident_text(updates="\n  - {at: 2026-02-10T15:00:00Z, status: fixed, text: x}"),
        incident_text(colour="red"),
        incident_text(acknowledged="maybe"),
        incident_text(time_precision="second"),
        incident_text(title="123"),
    ]
    for text in cases:
        doc = parse_text(text, "x.md")
        assert list(validator.iter_errors(doc.data)), text
    good = parse_text(incident_text(), "x.md")
    assert list(validator.iter_errors(good.data)) == []


def test_contributing_field_reference_matches_schema() -> None:
    from incident_ledger.ledger.schema import incident_schema

    schema = incident_schema()
    guide = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    table = guide.split("## Field reference")[1].split("\n## ")[0]
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| `")]
    documented = {row[1].strip().strip("`"): row[2].strip() for row in rows}
    assert set(documented) == set(schema["properties"])
    assert {name for name, required in documented.items() if required == "yes"} == set(schema["required"])
    enums = {
        "impact": schema["properties"]["impact"]["enum"],
        "time_precision": schema["properties"]["time_precision"]["enum"],
        "symptoms": schema["properties"]["symptoms"]["anyOf"][0]["enum"],
    }
    for name, values in enums.items():
        row = next(r for r in rows if r[1].strip().strip("`") == name)
        for value in values:
            assert f"`{value}`" in row[4], (name, value)


def test_sourced_facts_file_is_yaml() -> None:
    facts = yaml.safe_load((ROOT / "tests" / "data" / "sourced-facts.yaml").read_text(encoding="utf-8"))
    assert len(facts) == 20


def _outputs(tree, now):  # type: ignore[no-untyped-def]
    from incident_ledger.ledger.history import FileHistory
    from incident_ledger.site.publish import outputs

    result = load_ledger(tree.incidents, now)
    assert result.errors == []
    return outputs(result.catalog, SITE_URL, 50, FileHistory({}, ""))


def test_any_text_a_contributor_types_stays_well_formed(tree) -> None:  # type: ignore[no-untyped-def]
    from conftest import incident_text

    title = "\"Errors & 'timeouts' 🚨 on Acme — خطأ في الخدمة\""
    body = "Tags like <b>bold</b> & entities &amp; < > \" ' 🚨 and עברית text.\n\n`code <x>`"
    tree.add("2026-02-10-acme-escaping.md", incident_text(title=title, body=body))
    files = _outputs(tree, NOW)
    for name in ("feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/acme.atom.xml"):
        feed = feedparser.parse(files[name])
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert "Errors & 'timeouts' 🚨 on Acme — خطأ في الخدمة" in feed.entries[0].title
    item = json.loads(files["feeds/all.json"])["items"][0]
    assert "🚨" in item["title"] and "<b>bold</b>" in item["content_html"]
    calendar = icalendar.Calendar.from_ical(files["feeds/all.ics"])
    assert "🚨" in str(next(iter(calendar.walk("VEVENT")))["SUMMARY"])
    rows = list(csv.DictReader(io.StringIO(files["api/incidents.csv"].decode())))
    assert rows[0]["title"].startswith("Errors & 'timeouts'")


def test_later_rebuild_does_not_touch_resolved_entries(tree) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from conftest import incident_text

    tree.add("2026-02-10-acme-resolved.md", incident_text())
    tree.add("2026-11-20-acme-ongoing.md", incident_text(start="2026-11-20T10:00:00Z", end="null"))
    before = _outputs(tree, NOW)
    after = _outputs(tree, NOW + timedelta(days=3))

    def entry(files: dict[str, bytes], ident: str) -> str:
        text = files["feeds/all.atom.xml"].decode()
        return next(part for part in text.split("<entry>") if ident in part).split("</entry>")[0]

    assert entry(before, "2026-02-10-acme-resolved") == entry(after, "2026-02-10-acme-resolved")
    assert entry(before, "2026-11-20-acme-ongoing") != entry(after, "2026-11-20-acme-ongoing")
    ongoing = feedparser.parse(after["feeds/all.atom.xml"]).entries[0]
    assert "ongoing" in ongoing.title and "Ongoing incident" in ongoing.content[0].value


def test_entry_updated_follows_publication_and_corrections() -> None:
    from datetime import timedelta

    from incident_ledger.site.feeds import FeedWriter

    incident = next(i for i in catalog().incidents if i.end is not None)
    added = incident.last_change() + timedelta(days=60)
    writer = FeedWriter(catalog(), SITE_URL, lambda _: added)
    assert writer.updated(incident) == incident.last_change()  # entering the ledger changes no fact
    corrected = added + timedelta(days=3)
    writer = FeedWriter(catalog(), SITE_URL, lambda _: added, lambda _: corrected)
    assert writer.updated(incident) == corrected  # collect changed the file: the entry moves


def test_feed_cache_reuses_only_unchanged_feeds(tree: Tree) -> None:
    from incident_ledger.site.feeds import FeedWriter, all_feeds

    tree.add("2026-02-10-acme-large-errors.md", incident_text())
    tree.add("2026-03-01-zeta-api-errors.md", _zeta())

    def writer() -> FeedWriter:
        return FeedWriter(load_ledger(tree.incidents, NOW).catalog, SITE_URL, lambda i: i.start)

    cache: dict = {}  # type: ignore[type-arg]
    first = all_feeds(writer(), 50, cache)
    assert first == all_feeds(writer(), 50)  # the cache never changes what is written
    tree.add("2026-02-10-acme-large-errors.md", incident_text(title="Elevated errors on Acme Large, corrected"))
    second = all_feeds(writer(), 50, cache)
    assert second == all_feeds(writer(), 50)
    assert second["feeds/acme.atom.xml"] != first["feeds/acme.atom.xml"]
    assert b"corrected" in second["feeds/all.json"]
    assert second["feeds/zeta.atom.xml"] is first["feeds/zeta.atom.xml"]  # untouched vendor: reused
    assert len(cache) == len(second)  # stale feeds are dropped, so serve does not grow without bound


def _zeta() -> str:
    return incident_text(
        title="Zeta API errors",
        vendor="zeta",
        model="zeta-one",
        products=None,
        start="2026-03-01T10:00:00Z",
        end="2026-03-01T11:00:00Z",
        sources="\n  - https://status.zeta.example.com/incidents/z1",
    )


def test_open_data_built_record_by_record_equals_one_dump() -> None:
    from incident_ledger.site.export import incident_record, incidents_document

    whole = catalog()
    records = [incident_record(i, whole, SITE_URL, lambda i: i.start) for i in whole.incidents]
    meta = {"reference_time": "2026-11-25T12:00:00Z", "count": len(records)}
    data = open_data_files(whole)
    assert (
        data["api/incidents.json"].decode()
        == json.dumps({**meta, "incidents": records}, ensure_ascii=False, indent=2) + "\n"
    )
    assert (
        incidents_document(meta | {"count": 0}, [])
        == json.dumps({**meta, "count": 0, "incidents": []}, indent=2) + "\n"
    )


def open_data_files(whole, cache=None):  # type: ignore[no-untyped-def]
    from incident_ledger.site.export import open_data

    return open_data(whole, SITE_URL, lambda i: i.start, cache)


def test_record_cache_reuses_only_unchanged_records(tree: Tree) -> None:
    tree.add("2026-02-10-acme-large-errors.md", incident_text())
    tree.add("2026-03-01-zeta-api-errors.md", _zeta())
    tree.add("2026-11-25-acme-ongoing.md", incident_text(title="Acme slow", start="2026-11-25T09:00:00Z", end="null"))
    cache: dict = {}  # type: ignore[type-arg]
    first = open_data_files(load_ledger(tree.incidents, NOW).catalog, cache)
    zeta = cache["2026-03-01-zeta-api-errors"][1]
    tree.add("2026-02-10-acme-large-errors.md", incident_text(title="Elevated errors on Acme Large, corrected"))
    (tree.incidents / "2026" / "2026-11-25-acme-ongoing.md").unlink()
    later = NOW.replace(hour=15)
    fresh = load_ledger(tree.incidents, later).catalog
    second = open_data_files(fresh, cache)
    assert second == open_data_files(fresh)  # the cache never changes what is written
    assert second["api/incidents.csv"] != first["api/incidents.csv"] and b"corrected" in second["api/incidents.jsonl"]
    assert cache["2026-03-01-zeta-api-errors"][1] is zeta  # unchanged record: reused
    assert set(cache) == {i.id for i in fresh.incidents}  # deleted incidents are dropped


def test_bulk_commits_neither_publish_nor_correct() -> None:
    """A backfill commit adds history, not news: its files are published at their own times, and a commit
    rewriting many files does not move their entries."""
    from datetime import timedelta

    from incident_ledger.ledger.history import BULK, Commit, FileHistory

    incidents = [i for i in catalog().incidents if i.end is not None][:2]
    first, second = incidents
    day = timedelta(days=1)
    bulk = Commit("b" * 40, first.last_change() + 30 * day, "backfill")
    fix = Commit("c" * 40, first.last_change() + 40 * day, "correct one file")
    history = {f"incidents/{i.year}/{i.id}.md": (bulk,) for i in incidents}
    history |= {f"incidents/2000/filler-{n}.md": (bulk,) for n in range(BULK)}
    history[f"incidents/{second.year}/{second.id}.md"] = (bulk, fix)
    files = FileHistory(history, "incidents")
    assert files(first) == first.last_change() and files.modified(first) == first.last_change()
    assert files.modified(second) == fix.date
    small = FileHistory({f"incidents/{first.year}/{first.id}.md": (bulk,)}, "incidents")
    assert small(first) == bulk.date  # one file added by hand reaches subscribers when it was added


def test_entries_share_an_updated_time_only_when_one_commit_corrected_them(built_site: Path) -> None:
    """The W3C validator warns when two entries of a feed share `updated`. A build, a backfill or a reword
    must never cause that: a shared time is either a commit that changed the facts of each entry, or each
    entry's own latest time (two incidents the vendor updated at the same moment)."""
    from collections import defaultdict
    from datetime import datetime

    from incident_ledger.ledger.history import FileHistory, read_history

    history, _ = read_history(ROOT / "incidents")
    bulk = FileHistory(history, "incidents").bulk
    corrected: dict[str, set[datetime]] = defaultdict(set)
    for path, commits in history.items():
        for commit in commits[1:]:
            if commit.facts and commit.sha not in bulk:
                corrected[Path(path).stem].add(commit.date)
    assert history, "the tests run in a clone with its history"
    own = {i.id: i.last_change() for i in catalog().incidents}
    for feed_path in sorted((built_site / "feeds").rglob("*.atom.xml")):
        feed = feedparser.parse(feed_path.read_bytes())
        by_time: dict[str, list[str]] = defaultdict(list)
        for entry in feed.entries:
            by_time[entry.updated].append(entry.id.rstrip("/").rsplit("/", 1)[-1])
        for updated, ids in by_time.items():
            if len(ids) < 2:
                continue
            moment = datetime.fromisoformat(updated)
            unexplained = [i for i in ids if moment not in corrected[i] and own[i] != moment]
            assert not unexplained, (feed_path.name, updated, unexplained)


def test_no_model_named_never_reads_as_every_model(built_site: Path) -> None:
    """A record naming no model (a log-in fault, a console page) is not announced as hitting all models."""
    catalog = load_ledger(ROOT / "incidents", NOW).catalog
    feed = feedparser.parse((built_site / "feeds" / "all.atom.xml").read_bytes())
    scopes = {catalog.by_id[e.link.rstrip("/").rsplit("/", 1)[-1]].scope: e.title for e in feed.entries}
    assert {"all", "unspecified"} <= set(scopes), "the newest fifty should hold both scopes"
    assert "[no model named;" in scopes["unspecified"] and "all models" not in scopes["unspecified"]
    assert "[all models;" in scopes["all"]
    page = (built_site / "incidents" / "index.html").read_text(encoding="utf-8")
    assert "No model named" in page and "All models" in page
