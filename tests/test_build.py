"""Real `mkdocs build --strict` runs: the repository's site and small temporary ledgers."""

from __future__ import annotations

import filecmp
import gzip
import html
import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import NOW, ROOT, Tree, build_env, incident_text, mkdocs_build, run_cli, site_tree
from incident_ledger.ledger.timeutil import iso
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.site.links import incident_src, page_url


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def is_redirect(page: Path) -> bool:
    return '<meta http-equiv="refresh"' in page.read_text(encoding="utf-8")


def search_docs(site: Path) -> list[dict[str, str]]:
    return json.loads(read(site, "search/search_index.json"))["docs"]


def test_every_incident_has_a_page_out_of_the_nav(built_site: Path) -> None:
    data = json.loads(read(built_site, "api/incidents.json"))
    assert data["count"] >= 100
    nav_html = read(built_site, "index.html")
    for record in data["incidents"]:
        page = built_site / f"incidents/{record['start'][:4]}/{record['id']}/index.html"
        assert page.is_file(), record["id"]
        assert f"/{record['id']}/" not in nav_html.split('class="md-content"')[0]


def test_incident_page_content(built_site: Path) -> None:
    text = read(built_site, "incidents/2024/2024-12-11-openai-all-openai-services-down-telemetry-deployment/index.html")
    assert "All OpenAI services down after a telemetry deployment" in text
    assert '<time datetime="2024-12-11T23:16:00Z">2024-12-11 23:16 UTC</time>' in text
    assert '<time datetime="2024-12-12T03:38:00Z">' in text
    assert "4 h 22 min" in text
    assert 'class="il-impact il-impact--critical"' in text
    assert 'href="https://status.openai.com/incidents/ctrsv3lwd797"' in text
    assert "/edit/main/incidents/2024/2024-12-11-openai-all-openai-services-down-telemetry-deployment.md" in text
    assert "Report a correction" in text


def test_index_lists_newest_first_with_filter(built_site: Path) -> None:
    text = read(built_site, "incidents/index.html")
    row = r'<tr data-vendor="[^"]+" data-impact="[^"]+" data-evidence="\w+" data-year="\d+" data-ongoing="\w+">'
    starts = re.findall(row + r'\s*<td><time datetime="([^"]+)"', text)
    assert len(starts) >= 100
    assert starts == sorted(starts, reverse=True)
    assert '<form class="il-filter" hidden' in text
    assert (built_site / "incidents/2025/index.html").is_file()


def test_nav_holds_the_main_sections(built_site: Path) -> None:
    text = read(built_site, "index.html")
    nav = text.split('class="md-tabs__list"')[1].split("</nav>")[0]
    for label in ("Home", "Incidents", "Timeline", "Vendors", "Data & feeds", "About"):
        assert label in nav


def test_home_page_sections(built_site: Path) -> None:
    text = read(built_site, "index.html")
    assert "Status by vendor" in text and 'class="il-strip"' in text
    headings = [text.index(f'<h2 id="{name}">') for name in ("status-by-vendor", "latest-incidents", "subscribe")]
    assert headings == sorted(headings)
    assert 'href="feeds/all.atom.xml"' in text
    assert 'rel="alternate" type="application/atom+xml"' in text


def test_vendor_page_matches_stats_command(built_site: Path) -> None:
    report = json.loads(run_cli("stats", "--vendor", "anthropic", "--window", "all", "--format", "json").stdout)
    figures = report["vendors"][0]
    text = read(built_site, "vendors/anthropic/index.html")
    assert f'<td class="il-n" data-window="all">{figures["incidents"]}</td>' in text
    assert f'<td class="il-hours" data-window="all">{figures["impacted_seconds"] / 3600:.1f}</td>' in text
    severe = figures["severe_covered_seconds"] / 3600
    assert f'<td class="il-severe-hours" data-window="all">{severe:.1f} h</td>' in text
    assert f'<td class="il-degraded" data-window="all">{figures["degraded_seconds"] / 3600:.1f}</td>' in text
    largest = figures["largest_severe_id"]
    assert largest is not None  # the real ledger's Anthropic record has severe time inside its coverage
    row = text.split('<td class="il-without-largest" data-window="all">')[1].split("</td>")[0]
    without = figures["severe_covered_seconds_without_largest"]
    assert row.startswith(f"{without / 3600:.1f} h without <a href=")
    assert f"/{largest}/" in row
    assert without < figures["severe_covered_seconds"]
    assert "<svg" in text and "<title" in text and "Data table" in text
    model = read(built_site, "vendors/anthropic/claude-opus-4-6/index.html")
    assert "vendor-wide incidents" in model


def test_timeline_and_vendors_overview(built_site: Path) -> None:
    timeline = read(built_site, "timeline/index.html")
    assert "il-timeline__bar" in timeline and "September 2026" in timeline
    vendors = read(built_site, "vendors/index.html")
    for label in ("Last 30 days", "Last 90 days", "Last 365 days", "All time", "Hugging Face"):
        assert label in vendors
    largest = json.loads(run_cli("stats", "--vendor", "anthropic", "--window", "365d", "--format", "json").stdout)
    figures = largest["vendors"][0]
    share = f"{figures['severe_covered_seconds_without_largest'] / 3600:.1f} h without <a href="
    assert share in vendors and f"/{figures['largest_severe_id']}/" in vendors


def test_search_index_contains_incidents(built_site: Path) -> None:
    index = json.loads(read(built_site, "search/search_index.json"))
    titles = {doc["title"] for doc in index["docs"]}
    assert "Hugging Face Hub extended outage (post mortem)" in titles
    page = read(built_site, "incidents/2024/2024-06-04-anthropic-opus-in-vertex-complete-outage/index.html")
    assert 'id="related-incidents"' in page, "this incident has neighbours"
    # Links to other incidents stay out of search, so the section's entry finds nothing and is left out.
    assert not [doc for doc in index["docs"] if doc["location"].endswith("#related-incidents")]
    assert not [doc for doc in index["docs"] if "within a day" in doc["text"]]


def test_search_finds_incidents_by_facts_and_updates(built_site: Path) -> None:
    docs = {doc["location"]: html.unescape(doc["text"]) for doc in search_docs(built_site)}
    vendors = {v["id"]: v for v in json.loads(read(built_site, "api/vendors.json"))["vendors"]}
    for record in json.loads(read(built_site, "api/incidents.json"))["incidents"]:
        location = f"incidents/{record['start'][:4]}/{record['id']}/"
        vendor = vendors[record["vendor"]]
        models = [] if record["all_models"] else record["models"]
        names = [vendor["name"], *(vendor["models"][m]["name"] for m in models)]
        for name in names:
            # As separate words: search splits text at white space only.
            assert re.search(rf"(^|\s){re.escape(name)}($|[\s,])", docs[location]), (record["id"], name)
        for update in record["updates"]:
            assert update["text"] in docs[location + "#updates"], record["id"]


def test_aggregate_pages_keep_their_lists_out_of_search(built_site: Path) -> None:
    records = json.loads(read(built_site, "api/incidents.json"))["incidents"]
    titles = [html.escape(record["title"], quote=False) for record in records]
    aggregates = ("", "incidents/", "incidents/2025/", "timeline/", "vendors/compare/", "vendors/openai/", "changes/")
    docs = [doc for doc in search_docs(built_site) if doc["location"].split("#")[0] in aggregates]
    assert {doc["location"] for doc in docs} >= set(aggregates), "aggregate pages stay findable by their headings"
    for doc in docs:
        assert not [title for title in titles if title in doc["text"]], doc["location"]
        assert "<svg" not in doc["text"] and "il-strip" not in doc["text"], doc["location"]
    history = [doc for doc in search_docs(built_site) if doc["location"].endswith("#history")]
    assert history and not [doc for doc in history if "Added:" in doc["text"]], "commit lists are not worth finding"
    assert "il-timeline__bar" in read(built_site, "timeline/index.html"), "the lists are still on the pages"


def between(text: str, start: str, end: str) -> str:
    first = text.index(start)
    return text[first : text.index(end, first)]


SIDEBAR = ('<div class="md-sidebar md-sidebar--primary"', '<div class="md-sidebar md-sidebar--secondary"')
TABS = ('<nav class="md-tabs"', "</nav>")


def nav_targets(site: Path, page: Path) -> list[str]:
    """Where the sidebar and tab links of a built page lead, as absolute paths."""
    text = page.read_text(encoding="utf-8")
    base = "https://ledger.test/" + page.parent.relative_to(site).as_posix() + "/"
    hrefs = re.findall(r'href="([^"#][^"]*)"', between(text, *SIDEBAR) + between(text, *TABS))
    return [urljoin(base, href) for href in hrefs]


def test_generated_pages_share_materials_navigation(built_site: Path) -> None:
    """Material renders the sidebar and tabs of the first generated page in each folder; the others reuse them,
    and every link in them still leads where the same link leads on a page Material rendered itself."""
    patterns = (
        "incidents/20*/*/index.html",
        "incidents/20*/index.html",
        "vendors/*/index.html",
        "vendors/*/*/index.html",
    )
    pages = sorted(page for pattern in patterns for page in built_site.glob(pattern))
    # Renamed records' old addresses hold bare redirect pages, with no navigation.
    pages = [p for p in pages if p.parent.name not in ("compare", "launches") and not is_redirect(p)]
    expected = nav_targets(built_site, built_site / "about" / "index.html")
    assert len(pages) >= 140 and len(expected) > 10
    for page in pages:
        assert nav_targets(built_site, page) == expected, page.relative_to(built_site)
    incidents = sorted(p for p in built_site.glob("incidents/2024/*/index.html") if not is_redirect(p))
    texts = [page.read_text(encoding="utf-8") for page in incidents]
    navs = {(between(text, *SIDEBAR).strip(), between(text, *TABS)) for text in texts}
    assert len(navs) == 1 and "--active" not in "".join(navs.pop())
    page = read(built_site, "incidents/2024/2024-04-22-huggingface-hub-extended-outage/index.html")
    toc = between(page, '<div class="md-sidebar md-sidebar--secondary"', "</nav>")
    assert 'href="#sources"' in toc, "each page keeps its own table of contents"
    timeline = read(built_site, "timeline/index.html")
    assert "md-tabs__item--active" in between(timeline, *TABS)


def test_incident_rows_carry_each_pages_own_links(built_site: Path) -> None:
    ident = "2026-09-04-mistral-free-tier-disabled"
    rows = {}
    for path in ("incidents/index.html", "incidents/2026/index.html", "vendors/mistral/index.html"):
        text = read(built_site, path)
        rows[path] = next(row for row in re.findall(r"<tr data-vendor=.*?</tr>", text, re.S) if ident in row)
    title = re.search(rf'<a href="2026/{ident}/">([^<]+)', rows["incidents/index.html"])
    assert title, rows["incidents/index.html"]
    title = title[1]
    assert f'<a href="{ident}/">{title}' in rows["incidents/2026/index.html"]
    assert '<a href="../../vendors/mistral/">Mistral AI</a>' in rows["incidents/2026/index.html"]
    assert f'<a href="../../incidents/2026/{ident}/">{title}' in rows["vendors/mistral/index.html"]
    assert '<a href="./">Mistral AI</a>' in rows["vendors/mistral/index.html"]
    assert len({re.sub(r'href="[^"]*"', "", row) for row in rows.values()}) == 1, "only the links differ"
    assert "<il-" not in read(built_site, "incidents/index.html")


def test_temporary_tree_builds(tree: Tree) -> None:
    site_tree(tree)
    tree.add("2026-02-10-acme-large-errors.md", incident_text(title='"Errors & <timeouts> on \\"Acme\\""'))
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 1
    assert "incidents/2026/2026-02-10-acme-large-errors.md:2: error [title]" in result.stderr
    assert "Traceback" not in result.stderr
    tree.add("2026-02-10-acme-large-errors.md", incident_text(title='"Errors & timeouts on \\"Acme\\""'))
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 0, result.stderr
    page = (tree.root / "site" / "incidents/2026/2026-02-10-acme-large-errors/index.html").read_text()
    assert "Errors &amp; timeouts on &#34;Acme&#34;" in page or html.escape('Errors & timeouts on "Acme"') in page


def test_bad_file_fails_build_and_writes_no_feeds(tree: Tree) -> None:
    site_tree(tree)
    tree.add("2026-02-10-acme-good.md", incident_text())
    tree.add("2026-02-10-acme-bad.md", incident_text(impact="huge"))
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 1
    assert "incidents/2026/2026-02-10-acme-bad.md:8: error [impact]" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tree.root / "site" / "feeds").exists()


def test_warning_fails_strict_build(tree: Tree) -> None:
    site_tree(tree)
    tree.add("2026-02-10-acme-quiet.md", incident_text(body=""))
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 1
    assert "no description below the front matter" in result.stderr


def test_generated_page_may_not_replace_a_hand_written_one(tree: Tree) -> None:
    site_tree(tree)
    tree.add("2026-02-10-acme-good.md", incident_text())
    (tree.root / "docs" / "timeline.md").write_text("# Mine\n", encoding="utf-8")
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 1
    assert "docs/timeline.md would be replaced by a generated page" in result.stderr


def test_body_html_is_sanitised(tree: Tree) -> None:
    site_tree(tree)
    body = 'Text with <b>bold</b> and <span class="x">a span</span>.\n\n| a | b |\n|---|--:|\n| 1 | 2 |'
    tree.add("2026-02-10-acme-good.md", incident_text(body=body))
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 0, result.stderr
    page = (tree.root / "site" / "incidents/2026/2026-02-10-acme-good/index.html").read_text()
    assert "<b>bold</b>" in page and 'style="text-align:right"' in page
    assert "incident-ledger:body" not in page


def test_two_builds_are_byte_identical(tree: Tree) -> None:
    site_tree(tree)
    tree.add("2026-02-10-acme-good.md", incident_text())
    tree.add("2026-11-20-acme-ongoing.md", incident_text(start="2026-11-20T10:00:00Z", end="null"))
    first, second = tree.root / "one", tree.root / "two"
    assert mkdocs_build(tree.root, first).returncode == 0
    assert mkdocs_build(tree.root, second).returncode == 0
    mismatched = []
    for path in first.rglob("*"):
        if path.is_file():
            other = second / path.relative_to(first)
            if not filecmp.cmp(path, other, shallow=False):
                mismatched.append(str(path.relative_to(first)))
    assert mismatched == [], mismatched


def test_links_helpers_agree_with_mkdocs() -> None:
    assert page_url("incidents/index.md") == "incidents/"
    assert page_url("timeline.md", directory_urls=False) == "timeline.html"
    assert incident_src.__name__ == "incident_src"


def test_serve_watches_the_incidents_folder(tree: Tree) -> None:
    from mkdocs.config import load_config

    site_tree(tree)
    tree.add("2026-02-10-acme-good.md", incident_text())
    config = load_config(str(tree.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    assert str((tree.root / "incidents").resolve()) in config.watch
    plugin = config.plugins["incident-ledger"]
    assert plugin.cache.entries, "parsed files are cached for the next rebuild"


def test_dirty_serve_rebuild_renders_only_what_changed(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for name, value in build_env().items():
        monkeypatch.setenv(name, value)
    site_tree(tree)
    changed = tree.add("2026-02-10-acme-good.md", incident_text())
    tree.add(
        "2025-05-01-zeta-down.md",
        incident_text(vendor="zeta", model="zeta-one", title="Zeta One down", start="2025-05-01T08:00:00Z")
        .replace("2026-02-10T17:40:00Z", "2025-05-01T09:00:00Z")
        .replace("status.acme", "status.zeta"),
    )
    site = tree.root / "site"
    config = load_config(str(tree.root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    other = site / "incidents/2025/2025-05-01-zeta-down/index.html"
    feeds = {vendor: site / f"feeds/{vendor}.atom.xml" for vendor in ("acme", "zeta")}
    first = {path: path.stat().st_mtime_ns for path in (other, site / "index.html")}
    for path in (other, site / "index.html", *feeds.values()):
        os.utime(path, ns=(1, 1))

    changed.write_text(incident_text(title="Acme Large fully down"), encoding="utf-8")
    again = load_config(str(tree.root / "mkdocs.yml"), site_dir=str(site))
    again.plugins = config.plugins
    build(again, dirty=True)

    assert "Acme Large fully down" in read(site, "incidents/2026/2026-02-10-acme-good/index.html")
    assert "Acme Large fully down" in read(site, "vendors/acme/index.html")
    assert other.stat().st_mtime_ns == 1, "an unchanged incident page is reused"
    assert (site / "index.html").stat().st_mtime_ns != 1, "the home page embeds ledger figures, so it is rebuilt"
    assert first[other] > 1
    assert feeds["zeta"].stat().st_mtime_ns == 1, "an unchanged feed is not written again"
    assert "Acme Large fully down" in feeds["acme"].read_text(encoding="utf-8")
    search = json.loads(read(site, "search/search_index.json"))
    titles = {doc["title"] for doc in search["docs"]}
    assert {"Zeta One down", "Acme Large fully down"} <= titles, "the search index keeps reused pages"


@pytest.mark.parametrize(
    ("source", "shown"), [("https://outages.example.info/a", False), ("https://status.acme.example.com/i/1", True)]
)
def test_charts_and_strips_rest_on_confirmed_incidents(tree: Tree, source: str, shown: bool) -> None:
    from datetime import UTC, datetime

    from incident_ledger.ledger.history import FileHistory
    from incident_ledger.site.pages import PageBuilder, SiteOptions

    tree.add(
        "2026-11-20-acme-outage.md",
        incident_text(
            start="2026-11-20T00:00:00Z", end="2026-11-21T00:00:00Z", time_precision="day",
            impact="critical", sources=f"\n  - {source}",
        ),
    )  # fmt: skip
    catalog = load_ledger(tree.incidents, NOW).catalog
    builder = PageBuilder(catalog, FileHistory({}, ""), SiteOptions())
    strip = str(builder.strip("s", "acme", catalog.for_vendor("acme")))
    watched = [(datetime(2026, 11, 1, tzinfo=UTC), NOW)]
    counts = str(builder.charts_for("c", watched, catalog.for_vendor("acme"))[0])
    assert ("il-day--critical" in strip) is shown
    assert ("2026-11: 1" in counts) is shown


def test_pages_and_search_index_stay_within_budget(built_site: Path) -> None:
    """At the backfilled size (about 1,600 incidents) no page is over 500 KB and search stays under 2 MB compressed."""
    pages = {p: p.stat().st_size for p in built_site.rglob("*.html")}
    assert len(pages) > 1000
    heavy = {p.relative_to(built_site).as_posix(): size for p, size in pages.items() if size > 500_000}
    assert heavy == {}
    index = (built_site / "search" / "search_index.json").read_bytes()
    assert len(gzip.compress(index)) < 2_000_000
    entries = json.loads(index)["docs"]
    titles = " ".join(e["title"] for e in entries)
    assert "Sonnet 4.6 and Sonnet 5 errors elevated" in titles  # a backfilled incident stays findable


NOT_TRACKED_ALL = (
    '<td class="il-severe-hours" data-window="all"><span class="il-untracked-label">not tracked</span></td>'
)


def test_vendor_page_states_its_coverage_and_basis(built_site: Path) -> None:
    text = read(built_site, "vendors/anthropic/index.html")
    coverage = text.split('id="coverage"')[1].split("</details>")[0]
    spans = load_ledger(ROOT / "incidents", NOW).catalog.coverage
    first, until = spans.first("anthropic"), spans.last_end("anthropic")
    assert first is not None and until is not None
    assert f"from {first:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC" in coverage
    assert f"including everything since {until:%Y-%m-%d %H:%M} UTC, is not tracked" in coverage
    assert "atlarge-research/FAILS" in coverage and "226 Anthropic incidents" in coverage
    openai = read(built_site, "vendors/openai/index.html")
    covered = openai.split('id="coverage"')[1].split("</details>")[0]
    assert "from 2021-02-09 18:00 to 2025-01-08 21:05 UTC" in covered
    assert "including everything since 2025-01-08 21:05 UTC, is not tracked" in covered
    assert "No second collection of OpenAI" in covered  # the basis says what the span does not rest on
    assert NOT_TRACKED_ALL not in openai
    google = read(built_site, "vendors/google/index.html")
    assert "Coverage: not tracked." in google
    assert NOT_TRACKED_ALL in google


def _parse(value: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _union_seconds(spans: list[tuple[float, float]], region: list[tuple[float, float]]) -> float:
    """|U(spans) ∩ region| by sweeping sorted, clipped pieces: written apart from the ledger's own code."""
    pieces = sorted((max(s, lo), min(e, hi)) for s, e in spans for lo, hi in region if min(e, hi) > max(s, lo))
    total, reach = 0.0, float("-inf")
    for start, end in pieces:
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def test_headline_figures_recompute_from_the_open_data_alone(built_site: Path) -> None:
    records = json.loads(read(built_site, "api/incidents.json"))
    vendors = {v["id"]: v for v in json.loads(read(built_site, "api/vendors.json"))["vendors"]}
    now = _parse(records["reference_time"])
    anthropic = vendors["anthropic"]
    head = anthropic["headline"]
    lo, hi = _parse(head["window_start"]), _parse(head["window_end"])
    region = [
        (max(_parse(c["from"]), lo), min(_parse(c["to"]), hi))
        for c in anthropic["coverage"]
        if min(_parse(c["to"]), hi) > max(_parse(c["from"]), lo)
    ]
    covered = sum(end - start for start, end in region)
    assert hi - lo == 365 * 86400 and covered == head["classes"]["api"]["covered_seconds"]
    mine = [r for r in records["incidents"] if r["vendor"] == "anthropic" and r["evidence"] in ("vendor", "press")]

    def span(r: dict) -> tuple[float, float]:
        return _parse(r["start"]), _parse(r["end"]) if r["end"] else now

    api = [
        span(r)
        for r in mine
        if r["impact"] in ("major", "critical") and "api" in r["classes"] and r["scope"] in ("all", "unspecified")
        and r["time_precision"] != "day"
    ]  # fmt: skip
    availability = 1 - _union_seconds(api, region) / covered
    assert head["classes"]["api"]["availability"] == pytest.approx(availability, abs=1e-12)
    severe = [r for r in mine if r["impact"] in ("major", "critical") and any(a <= span(r)[0] < b for a, b in region)]
    rate = head["rates"]["severe"]
    assert rate["n"] == len(severe)
    assert rate["per_30_days"] == pytest.approx(len(severe) / (covered / (30 * 86400)))
    page = read(built_site, "vendors/anthropic/index.html")
    cell = page.split('data-class="api">')[1].split("</td>")[0]
    assert f"<strong>{availability * 100:.2f} %</strong>" in cell
    assert f"{head['classes']['api']['n']} severe incidents" in cell and head["window_end"][:10] in cell


def test_months_after_coverage_read_not_tracked(built_site: Path) -> None:
    until = load_ledger(ROOT / "incidents", NOW).catalog.coverage.last_end("anthropic")
    assert until is not None
    after = f"{until.year + until.month // 12}-{until.month % 12 + 1:02d}"  # the first month wholly past coverage
    page = read(built_site, "vendors/anthropic/index.html")
    table = page.split("Data table: Incidents per month")[1].split("</table>")[0]
    assert f"<td>{after}</td><td>not tracked</td>" in table and "<td>2026-11</td><td>not tracked</td>" in table
    assert f"<td>{until:%Y-%m}</td><td>not tracked</td>" not in table
    assert "<td>2026-07</td><td>not tracked</td>" not in table
    model = read(built_site, "vendors/anthropic/claude-opus-4-6/index.html")
    listed = model.split('il-incidents il-filterable"')[1].split("</table>")[0]
    days = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})', listed)
    assert days and min(days) >= "2026-02-05"  # nothing from before the model's release


def test_a_model_page_counts_only_the_model_life(built_site: Path) -> None:
    records = json.loads(read(built_site, "api/incidents.json"))["incidents"]
    coverage = next(v for v in json.loads(read(built_site, "api/vendors.json"))["vendors"] if v["id"] == "anthropic")
    spans = [(_parse(c["from"]), _parse(c["to"])) for c in coverage["coverage"]]
    born = _parse("2026-02-05T00:00:00Z")
    mine = [
        r for r in records
        if r["vendor"] == "anthropic" and r["evidence"] in ("vendor", "press")
        and ("claude-opus-4-6" in r["models"] or r["scope"] == "all")
        and _parse(r["start"]) >= born and any(a <= _parse(r["start"]) < b for a, b in spans)
    ]  # fmt: skip
    page = read(built_site, "vendors/anthropic/claude-opus-4-6/index.html")
    assert f'<td class="il-n" data-window="all">{len(mine)}</td>' in page
    row = page.split('<td class="il-without-largest" data-window="all">')[1].split("</td>")[0]
    assert re.search(r">(\d{4}-\d{2}-\d{2})</a>", row).group(1) >= "2026-02-05"  # type: ignore[union-attr]


def test_the_site_says_which_commit_it_was_built_from(built_site: Path) -> None:
    """`notify` after the next deploy starts from this commit, read back from the live site."""
    info = json.loads(read(built_site, "api/build.json"))
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert info["commit"] == head.stdout.strip()
    assert info["reference_time"] == iso(load_ledger(ROOT / "incidents", NOW).catalog.now)
