"""Change history read from git in one pass: incident pages, the Changes page and feed dates."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser

from conftest import NOW, ROOT, Tree, git, incident_text, mkdocs_build, site_tree
from incident_ledger.ledger.history import BULK, Commit, FileHistory, parse_log, read_history
from incident_ledger.ledger.tree import load_ledger


def test_history_on_pages_and_feeds(tree: Tree) -> None:
    site_tree(tree)
    git(tree.root, "init", "-q", "-b", "main")
    git(tree.root, "add", "-A")
    git(tree.root, "commit", "-qm", "Set up the site", date="2026-02-01T09:00:00+00:00")
    first = tree.add("2026-02-10-acme-large-errors.md", incident_text())
    git(tree.root, "add", "-A")
    git(tree.root, "commit", "-qm", "Add Acme Large errors", date="2026-03-01T10:00:00+00:00")
    first.write_text(incident_text(end="2026-02-10T18:00:00Z"), encoding="utf-8")
    git(tree.root, "commit", "-qam", "Correct the end time of Acme Large errors", date="2026-03-02T11:00:00+00:00")
    tree.add(
        "2026-02-20-acme-chat-down.md",
        incident_text(title="Chat down", start="2026-02-20T08:00:00Z", end="2026-02-20T09:00:00Z"),
    )
    git(tree.root, "add", "-A")
    git(tree.root, "commit", "-qm", "Add Chat down", date="2026-03-05T12:00:00+00:00")

    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 0, result.stderr
    page = (tree.root / "site/incidents/2026/2026-02-10-acme-large-errors/index.html").read_text(encoding="utf-8")
    history = page.split('id="history"')[1].split("</ul>")[0]
    assert "2026-03-01</time> Recorded (" in history
    assert "2026-03-02</time> Corrected end (" in history
    assert "/commit/" in history
    changes = (tree.root / "site/changes/index.html").read_text(encoding="utf-8")
    assert (
        changes.index("Add Chat down") < changes.index("Correct the end time") < changes.index("Add Acme Large errors")
    )
    assert "Corrected: <a" in changes and "Set up the site" not in changes
    feed = feedparser.parse((tree.root / "site/feeds/all.atom.xml").read_bytes())
    published = {entry.id.rsplit("/", 2)[-2]: entry.published for entry in feed.entries}
    assert published["2026-02-10-acme-large-errors"] == "2026-03-01T10:00:00+00:00"
    assert published["2026-02-20-acme-chat-down"] == "2026-03-05T12:00:00+00:00"
    assert next(e.id.rsplit("/", 2)[-2] for e in feed.entries) == "2026-02-20-acme-chat-down"


def test_without_git_the_sections_are_left_out(tree: Tree) -> None:
    site_tree(tree)
    tree.add("2026-02-10-acme-large-errors.md", incident_text())
    assert read_history(tree.incidents) == ({}, None)
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 0, result.stderr
    page = (tree.root / "site/incidents/2026/2026-02-10-acme-large-errors/index.html").read_text(encoding="utf-8")
    assert 'id="history"' not in page
    changes = (tree.root / "site/changes/index.html").read_text(encoding="utf-8")
    assert "built without the repository's git history" in changes


RAW = ":100644 100644 " + "a" * 40 + " " + "b" * 40 + " M"


def test_parse_log_keeps_oldest_first() -> None:
    first, second = "1" * 40, "2" * 40
    log = (
        f"{second}\0" "2026-03-02T11:00:00+00:00\0Second\0\n" f"{RAW}\0incidents/2026/a.md\0"
        f"{first}\0" "2026-03-01T10:00:00+00:00\0First\0\n" f"{RAW}\0incidents/2026/a.md\0{RAW}\0incidents/2026/b.md\0"
    )  # fmt: skip
    history = parse_log(log)
    assert [c.sha for c in history["incidents/2026/a.md"]] == [first, second]
    assert [c.subject for c in history["incidents/2026/b.md"]] == ["First"]


def test_a_commit_subject_cannot_forge_a_sha_date_or_file(tree: Tree) -> None:
    git(tree.root, "init", "-q", "-b", "main")
    tree.add("2026-02-10-acme-good.md", incident_text())
    git(tree.root, "add", "-A")
    forged = "Add\x1e" + "f" * 40 + "\t2020-01-01T00:00:00+00:00\tForged\n\nincidents/2026/other.md"
    git(tree.root, "commit", "-q", "-m", forged, date="2026-03-01T10:00:00+00:00")
    history, _ = read_history(tree.incidents)
    assert "incidents/2026/other.md" not in history
    (commit,) = history["incidents/2026/2026-02-10-acme-good.md"]
    assert commit.sha != "f" * 40 and commit.date.year == 2026 and "\x1e" not in commit.subject


def test_serve_reads_the_log_again_only_when_head_moves(tree: Tree) -> None:
    from incident_ledger.ledger.history import HistoryCache

    git(tree.root, "init", "-q", "-b", "main")
    tree.add("2026-02-10-acme-good.md", incident_text())
    git(tree.root, "add", "-A")
    git(tree.root, "commit", "-q", "-m", "Add Acme incident")
    cache: HistoryCache = {}
    first, _ = read_history(tree.incidents, cache)
    tree.add("2026-02-10-acme-good.md", incident_text(title="Uncommitted edit"))
    assert read_history(tree.incidents, cache)[0] is first  # an edit does not change the history
    git(tree.root, "commit", "-q", "-am", "Correct the title", date="2026-03-02T10:00:00+00:00")
    second, _ = read_history(tree.incidents, cache)
    assert second is not first and second == read_history(tree.incidents)[0]
    assert [c.subject for c in second["incidents/2026/2026-02-10-acme-good.md"]] == [
        "Add Acme incident",
        "Correct the title",
    ]
    assert len(cache) == 1


def _entry_updated(tree: Tree) -> str:
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse((tree.root / "site/feeds/all.atom.xml").read_bytes())
    return next(e.updated for e in feed.entries if "2026-02-10-acme-large-errors" in e.id)


def test_only_commits_that_change_facts_move_a_feed_entry(tree: Tree) -> None:
    """Rewording the body, re-citing sources or re-spacing the front matter corrects no fact, so the entry's
    `updated` stays the incident's own latest time; a corrected end moves it to the correcting commit."""
    site_tree(tree)
    git(tree.root, "init", "-q", "-b", "main")
    path = tree.add("2026-02-10-acme-large-errors.md", incident_text())
    git(tree.root, "add", "-A")
    git(tree.root, "commit", "-qm", "Add", date="2026-03-01T10:00:00+00:00")
    path.write_text(incident_text(body="Reworded: requests failed for hours."), encoding="utf-8")
    git(tree.root, "commit", "-qam", "Reword the body", date="2026-03-02T10:00:00+00:00")
    recited = "\n  - https://status.acme.example.com/incidents/abc123\n  - https://status.acme.example.com/history"
    path.write_text(incident_text(sources=recited, products="[ api ]"), encoding="utf-8")
    git(tree.root, "commit", "-qam", "Cite a second source", date="2026-03-03T10:00:00+00:00")
    key = "incidents/2026/2026-02-10-acme-large-errors.md"
    assert [c.facts for c in read_history(tree.incidents)[0][key]] == [True, False, False]
    assert _entry_updated(tree) == "2026-02-10T17:40:00+00:00"

    path.write_text(incident_text(sources=recited, end="2026-02-10T18:00:00Z"), encoding="utf-8")
    git(tree.root, "commit", "-qam", "Correct the end", date="2026-03-04T10:00:00+00:00")
    assert [c.facts for c in read_history(tree.incidents)[0][key]] == [True, False, False, True]
    assert _entry_updated(tree) == "2026-03-04T10:00:00+00:00"


def test_parse_log_reads_blobs_from_raw_lines() -> None:
    history = parse_log("c" * 40 + "\x002026-03-02T11:00:00+00:00\0Fix\0\n" + RAW + "\0incidents/2026/a.md\0")
    (commit,) = history["incidents/2026/a.md"]
    assert (commit.before, commit.after, commit.facts) == ("a" * 40, "b" * 40, True)


def test_a_bulk_commit_is_counted_on_the_changes_page_not_listed() -> None:
    incidents = load_ledger(ROOT / "incidents", NOW).catalog.incidents[: BULK + 5]
    added = Commit("a" * 40, datetime(2026, 1, 1, tzinfo=UTC), "Backfill")
    restated = Commit("b" * 40, datetime(2026, 2, 1, tzinfo=UTC), "Restate")
    fixed = Commit("c" * 40, datetime(2026, 3, 1, tzinfo=UTC), "Correct one end")
    history = {f"incidents/{i.year}/{i.id}.md": (added, restated) for i in incidents}
    first = f"incidents/{incidents[0].year}/{incidents[0].id}.md"
    history[first] = (added, restated, fixed)
    changes = FileHistory(history, "incidents").changes(incidents, 10)
    assert [(c.commit.subject, c.bulk, len(c.added), len(c.changed)) for c in changes] == [
        ("Correct one end", False, 0, 1),
        ("Restate", True, 0, BULK + 5),
        ("Backfill", True, BULK + 5, 0),
    ]
