"""What a reader, a sharer and a newcomer see first, in real `mkdocs build --strict` runs."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import NOW, REGISTRY, ROOT, SOURCES, Tree, archive_coverage, git, incident_text, mkdocs_build, site_tree
from incident_ledger.ledger.coverage import STALE_AFTER
from incident_ledger.ledger.summary import vendor_figures
from incident_ledger.ledger.tree import load_ledger
from incident_ledger.site.pages import MODEL_BOOST, VENDOR_BOOST


def card(page: str, vendor: str) -> str:
    """The text of one vendor's card on the home page, tags removed."""
    cards = re.findall(r'<div class="il-card[^"]*">(.*?)<p class="il-strips__figures">', page, re.S)
    mine = [c for c in cards if f">{vendor}</a></p>" in c]
    assert len(mine) == 1, f"{vendor}: {len(mine)} cards"
    return mine[0]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Acme watched until an hour before the reference time; Zeta not since March, with an incident still open."""
    tree = Tree(tmp_path_factory.mktemp("home"))
    tree.incidents.mkdir()
    (tree.incidents / "vendors.yml").write_text(REGISTRY, encoding="utf-8")
    (tree.incidents / "sources.yml").write_text(SOURCES, encoding="utf-8")
    acme_end = (NOW - STALE_AFTER / 24).strftime("%Y-%m-%dT%H:%M:%SZ")
    (tree.incidents / "coverage.yml").write_text(
        archive_coverage({"acme": acme_end, "zeta": "2026-03-01T06:00:00Z"}), encoding="utf-8"
    )
    tree.add("2026-11-01-acme-errors.md", incident_text(start="2026-11-01T10:00:00Z", end="2026-11-01T11:00:00Z"))
    tree.add(
        "2026-11-24-zeta-outage.md",
        incident_text(
            title="Zeta API unavailable",
            vendor="zeta",
            model="all",
            start="2026-11-24T10:00:00Z",
            end="null",
            sources="\n  - https://zeta.example.com/status/1",
        ),
    )
    site_tree(tree)
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 0, result.stderr
    return (tree.root / "site/index.html").read_text(encoding="utf-8")


def test_a_watched_vendor_without_incidents_says_until_when(home: str) -> None:
    text = re.sub(r"<[^>]+>", "", card(home, "Acme AI"))
    assert "Acme AI: no ongoing incidents recorded; watched until 2026-11-25 11:00 UTC." in text
    assert "not tracked" not in text


def test_an_unwatched_vendor_says_since_when_and_links_its_status_page(home: str) -> None:
    zeta = card(home, "Zeta Labs")
    text = re.sub(r"<[^>]+>", "", zeta)
    assert "Zeta Labs: not tracked since 2026-03-01." in text
    assert '<a href="https://status.zeta.example.com" rel="external">' in zeta
    assert "Zeta API unavailable" in text and "ongoing" in text
    assert "no ongoing" not in text.lower()


def test_the_real_ledger_past_coverage_never_says_all_clear(built_site: Path) -> None:
    """The repository's site is built at a reference time after every vendor's coverage ends."""
    page = (built_site / "index.html").read_text(encoding="utf-8")
    result = load_ledger(ROOT / "incidents", NOW)
    catalog = result.catalog
    assert "no ongoing incidents" not in page.lower()
    for vendor_id in catalog.vendor_ids():
        vendor = catalog.registry.vendors[vendor_id]
        until = catalog.coverage.last_end(vendor_id)
        assert until is None or until < NOW - STALE_AFTER, "the reference time must lie past coverage"
        text = re.sub(r"<[^>]+>", "", card(page, vendor.name))
        expected = f"not tracked since {until:%Y-%m-%d}." if until else "not tracked."
        assert f"{vendor.name}: {expected}" in text
        assert f'<a href="{vendor.status_page}" rel="external">' in card(page, vendor.name)


@pytest.mark.parametrize("path", ["vendors/anthropic/index.html", "vendors/anthropic/claude-opus-4-6/index.html"])
def test_vendor_and_model_pages_answer_before_their_provenance(built_site: Path, path: str) -> None:
    until = load_ledger(ROOT / "incidents", NOW).catalog.coverage.last_end("anthropic")
    assert until is not None
    page = (built_site / path).read_text(encoding="utf-8")
    article = page.split("<article", 1)[1]
    figure = article.index('<td class="il-rate"')  # the headline figures: availability by class, then rates
    strip = article.index('class="il-strip"')
    folded = article.index('<details class="il-coverage" id="coverage">')
    assert article.index('<p class="il-coverage-line">') < figure < strip < folded
    assert "Covered:</strong> <time" in article[:figure]
    assert f"not tracked since {until:%Y-%m-%d}" in article[:figure]
    # Commit hashes and how completeness was established stay in the fold, below the answers.
    assert "a0fc4cec96feebdc162209f42835ce6abb34967d" not in article[:folded]
    provenance = article[folded:].split("</details>", 1)[0]
    assert "a0fc4cec96feebdc162209f42835ce6abb34967d" in provenance and "atlarge-research/FAILS" in provenance
    assert "<summary>How completeness was established</summary>" in provenance


IMPORTED = "incidents/2024/2024-06-04-anthropic-opus-in-vertex-complete-outage"
# What imported bodies once asked of contributors; pages offer an edit link instead.
CONTRIBUTOR_PROMPT = "Add what happened, who was affected"


def test_imported_pages_speak_to_readers(built_site: Path) -> None:
    """Imported records no longer ask contributors for text in their body; pages and feeds offer an edit link."""
    assert not [p for p in (ROOT / "incidents").rglob("*.md") if CONTRIBUTOR_PROMPT in p.read_text(encoding="utf-8")]
    page = (built_site / IMPORTED / "index.html").read_text(encoding="utf-8")
    assert CONTRIBUTOR_PROMPT not in page
    assert "the status updates below are the vendor's own words." in page.replace("&#39;", "'")
    edit = f"https://github.com/incident-ledger/incident-ledger/edit/main/{IMPORTED}.md"
    assert f'<a class="md-button" href="{edit}" rel="edit">Improve this record</a>' in page
    feeds = [p for p in (built_site / "feeds").rglob("*") if p.is_file()]
    assert feeds and not [p for p in feeds if CONTRIBUTOR_PROMPT.encode() in p.read_bytes()]


def test_history_reads_as_changes_to_the_record(tree: Tree) -> None:
    site_tree(tree)
    git(tree.root, "init", "-q", "-b", "main")
    path = tree.add("2026-02-10-acme-large-errors.md", incident_text())
    git(tree.root, "add", "-A")
    git(tree.root, "commit", "-qm", "Add acme", date="2026-03-01T10:00:00+00:00")
    path.write_text(incident_text(end="2026-02-10T18:00:00Z", body="Requests failed until 18:00."), encoding="utf-8")
    git(tree.root, "commit", "-qam", "wip fix per review", date="2026-03-02T10:00:00+00:00")
    recited = "\n  - https://status.acme.example.com/incidents/abc123\n  - https://status.acme.example.com/history"
    path.write_text(
        incident_text(end="2026-02-10T18:00:00Z", body="Requests failed until 18:00.", sources=recited),
        encoding="utf-8",
    )
    git(tree.root, "commit", "-qam", "more sources", date="2026-03-03T10:00:00+00:00")
    result = mkdocs_build(tree.root, tree.root / "site")
    assert result.returncode == 0, result.stderr
    page = (tree.root / "site/incidents/2026/2026-02-10-acme-large-errors/index.html").read_text(encoding="utf-8")
    history = page.split('<ul class="il-history">')[1].split("</ul>")[0]
    items = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip() for li in history.split("<li>")[1:]]
    assert [re.sub(r"[0-9a-f]{7}\)$", "SHA)", item) for item in items] == [
        "2026-03-01 Recorded (commit SHA)",
        "2026-03-02 Corrected end; revised description (commit SHA)",
        "2026-03-03 Revised sources (commit SHA)",
    ]
    assert "wip fix per review" not in page and "more sources" not in page
    assert history.count('href="https://github.com/incident-ledger/incident-ledger/commit/') == 3


class _Head(HTMLParser):
    """The `<meta>` and `<link rel=canonical>` tags of a page's head."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in found or "name" in found):
            self.meta[found.get("property") or found["name"]] = found.get("content", "")
        elif tag == "link" and found.get("rel") == "canonical":
            self.canonical = found["href"]


SITE = "https://incident-ledger.github.io/incident-ledger/"


@pytest.mark.parametrize(
    ("path", "title", "kind", "says"),
    [
        ("index.html", "AI Incident Ledger", "website", "An open, sourced record of outages"),
        (
            "vendors/anthropic/index.html",
            "Anthropic",
            "website",
            "The ledger holds every incident Anthropic posted from {first:%Y-%m-%d} to {until:%Y-%m-%d}.",
        ),
        (
            "vendors/anthropic/claude-opus-4-6/index.html",
            "Claude Opus 4.6 (Anthropic)",
            "website",
            "incidents recorded",
        ),
        (
            f"{IMPORTED}/index.html",
            "Opus in Vertex Complete Outage",
            "article",
            "Anthropic, major impact (Claude 3 Opus): Opus in Vertex Complete Outage, from 2024-06-04 20:58 UTC, "
            "lasting 6 h 28 min.",
        ),
    ],
)
def test_shared_links_carry_open_graph_and_twitter_tags(
    built_site: Path, path: str, title: str, kind: str, says: str
) -> None:
    coverage = load_ledger(ROOT / "incidents", NOW).catalog.coverage  # a description that states coverage
    says = says.format(first=coverage.first("anthropic"), until=coverage.last_end("anthropic"))
    head = _Head()
    head.feed((built_site / path).read_text(encoding="utf-8"))
    meta = head.meta
    url = SITE + path.removesuffix("index.html")
    assert head.canonical == url and meta["og:url"] == url
    assert meta["og:title"] == meta["twitter:title"] == title
    assert meta["og:type"] == kind and meta["og:site_name"] == "AI Incident Ledger"
    assert says in meta["og:description"] and meta["og:description"] == meta["twitter:description"]
    assert meta["og:description"] == meta["description"]
    assert meta["twitter:card"] == "summary_large_image" and meta["og:image"].startswith(SITE)


@pytest.mark.parametrize(
    ("path", "model"), [("vendors/anthropic/", None), ("vendors/anthropic/claude-opus-4-6/", "claude-opus-4-6")]
)
def test_vendor_and_model_descriptions_state_their_count_and_coverage(
    built_site: Path, path: str, model: str | None
) -> None:
    catalog = load_ledger(ROOT / "incidents", NOW).catalog
    figures = vendor_figures(catalog, "anthropic", "all", model)
    spans = catalog.coverage.spans("anthropic")
    head = _Head()
    head.feed((built_site / path / "index.html").read_text(encoding="utf-8"))
    description = head.meta["og:description"]
    assert f": {figures.incidents} incidents recorded, the latest on {figures.last_start:%Y-%m-%d}." in description
    assert description.endswith(f"posted from {spans[0][0]:%Y-%m-%d} to {spans[-1][1]:%Y-%m-%d}.")


def test_the_projects_own_icon_and_a_404_with_search(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="assets/images/logo.svg">' in home
    assert '<img src="assets/images/logo.svg" alt="logo">' in home
    logo = (built_site / "assets/images/logo.svg").read_text(encoding="utf-8")
    assert logo == (ROOT / "docs/assets/images/logo.svg").read_text(encoding="utf-8") and "<title>" in logo
    missing = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page not found</h1>" in missing
    assert '<label class="md-button md-button--primary" for="__search">Search the ledger</label>' in missing
    for target in ("incidents/", "vendors/", "timeline/", "changes/", "data/"):
        assert f'<a href="/incident-ledger/{target}">' in missing
        assert (built_site / target / "index.html").is_file()


def test_search_index_boosts_answers_and_drops_entries_that_find_nothing(built_site: Path) -> None:
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    by_location = {d["location"]: d for d in docs}
    catalog = load_ledger(ROOT / "incidents", NOW).catalog
    for incident in catalog.incidents:
        entry = by_location[incident.url_path]
        assert "boost" not in entry and html.unescape(entry["title"]) == incident.title
    assert by_location["vendors/anthropic/"]["boost"] == VENDOR_BOOST
    assert by_location["vendors/anthropic/claude-opus-4-6/"]["boost"] == MODEL_BOOST
    generated = [d for d in docs if d["location"].startswith(("incidents/", "vendors/")) and "#" in d["location"]]
    assert generated and all(d["text"] for d in generated)
    assert not [d for d in generated if d["location"].endswith(("#related-incidents", "#embed", "#charts"))]
    history = [d for d in generated if d["location"].endswith("#history")]
    assert history and all(d["text"].startswith("<p>Vendor reference") for d in history)
    # Other pages keep every heading, text or not (a month of the timeline); incident updates stay findable.
    assert by_location["timeline/#october-2026"]["text"] == ""
    assert {"methodology/#definitions", "contributing/#field-reference"} <= set(by_location)
    assert sum(d["location"].endswith("#updates") for d in docs) > 1000


_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_SEPARATOR = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+$")


def table_problems(text: str) -> list[str]:
    """Markdown tables whose rows do not all have the header's cells, or that lack a header and separator."""
    problems, block, fence = [], [], False
    for number, line in enumerate([*text.splitlines(), ""], 1):
        fence = fence != line.startswith("```")
        if line.startswith("|") and not fence:
            block.append((number, line.rstrip()))
            continue
        if block:
            first, header = block[0]
            width = len(_CELL_SPLIT.split(header)) - 2
            if len(block) < 2 or not _SEPARATOR.match(block[1][1]):
                problems.append(f"line {first}: a table without a header and separator row")
            problems += [
                f"line {n}: {len(_CELL_SPLIT.split(row)) - 2} cells, the header has {width}"
                for n, row in block
                if len(_CELL_SPLIT.split(row)) - 2 != width or not row.endswith("|")
            ]
            block = []
    return problems


def test_readme_is_a_short_front_door_with_well_formed_tables() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for heading in ("## Set up", "## What the site shows", "## Where the documentation is", "## Licence"):
        assert heading in readme
    for page in re.findall(r"\]\((docs/[a-z-]+\.md|CONTRIBUTING\.md)\)", readme):
        assert (ROOT / page).is_file(), page
    for path in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert table_problems(path.read_text(encoding="utf-8")) == [], path.name


def test_the_table_check_finds_stray_rows() -> None:
    """The README once had two rows of a table stranded after a paragraph."""
    good = "| a | b |\n| --- | --- |\n| 1 | `x \\| y` |\n"
    assert table_problems(good) == []
    stray = good + "\nA paragraph.\n| 2 | 3 |\n"
    assert table_problems(stray) == ["line 6: a table without a header and separator row"]
    assert table_problems("| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n") == ["line 3: 3 cells, the header has 2"]


def test_operating_and_performance_pages_are_published(built_site: Path) -> None:
    operating = (built_site / "operating/index.html").read_text(encoding="utf-8")
    for heading in ("Collecting vendors", "Supported source kinds", "Publishing your own ledger", "Switching engine"):
        assert heading in operating
    assert "What keeps every build fast" in (built_site / "performance/index.html").read_text(encoding="utf-8")
    nav = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="operating/"' in nav and 'href="performance/"' in nav


def test_incident_pages_say_what_their_times_rest_on(built_site: Path) -> None:
    page = (built_site / IMPORTED / "index.html").read_text(encoding="utf-8")
    times = page.split('<dd class="il-times', 1)[1].split("</dd>", 1)[0]
    assert times.startswith(' il-times--stated-after">the impact window the vendor stated in its post of')
    assert "\u201cfrom 1:58pm PT until 8:26pm PT\u201d" in times and "posted it after the fact" in times
    windowed = (
        built_site / "incidents" / "2025" / "2025-07-16-github-disruption-with-some-github-services" / "index.html"
    )
    assert "\u201cbetween 05:20 UTC and 08:30 UTC\u201d" in windowed.read_text(encoding="utf-8")


def test_shared_links_show_a_card_image(built_site: Path) -> None:
    from PIL import Image

    site_url = "https://incident-ledger.github.io/incident-ledger/"
    pages = {
        "index.html": "assets/cards/home.jpg",
        "vendors/anthropic/index.html": "assets/cards/anthropic.jpg",
        "vendors/anthropic/claude-opus-4-6/index.html": "assets/cards/anthropic/claude-opus-4-6.jpg",
        f"{IMPORTED}/index.html": "assets/cards/anthropic.jpg",
    }
    for page, card in pages.items():
        html = (built_site / page).read_text(encoding="utf-8")
        assert f'<meta property="og:image" content="{site_url}{card}">' in html, page
        assert '<meta name="twitter:card" content="summary_large_image">' in html
        with Image.open(built_site / card) as image:
            assert image.size == (1200, 630) and image.format == "JPEG"


def test_a_vendor_page_sizes_its_untracked_gap_from_the_cited_tally(built_site: Path) -> None:
    catalog = load_ledger(ROOT / "incidents", NOW).catalog
    note = catalog.registry.vendors["openai"].untracked_note
    assert note is not None
    page = (built_site / "vendors" / "openai" / "index.html").read_text(encoding="utf-8")
    line = html.unescape(page[page.index('class="il-coverage-line"') :].split("</p>", 1)[0])
    end = catalog.coverage.spans("openai")[-1][1]
    assert f"not tracked since {end:%Y-%m-%d}" in line
    assert note.text in line and f'href="{note.source}"' in line
    model_page = (built_site / "vendors" / "openai" / "gpt-4o" / "index.html").read_text(encoding="utf-8")
    assert note.source not in model_page


@pytest.mark.parametrize(
    ("path", "href"),
    [
        ("index.html", "subscribe/"),
        ("vendors/anthropic/index.html", "../../subscribe/"),
        ("vendors/anthropic/claude-opus-4-6/index.html", "../../../subscribe/"),
    ],
)
def test_home_vendor_and_model_pages_link_the_subscribe_page(built_site: Path, path: str, href: str) -> None:
    page = (built_site / path).read_text(encoding="utf-8")
    assert f'href="{href}"' in page
    target = (built_site / path).parent / href / "index.html"
    text = html.unescape(target.resolve().read_text(encoding="utf-8"))
    for place in ("/feed subscribe", "Microsoft Teams", "Discord", "E-mail", ".ics", "SLACK_WEBHOOK_URL"):
        assert place in text, place


@pytest.mark.parametrize(
    ("vendor", "kind", "count"),
    [
        ("google", "aistudio", "holds the {n} resolved"),
        ("deepseek", "flashduty", "the {n} incidents of one capture"),
        ("openrouter", "datadog", "Its {n} earlier incidents"),
    ],
)
def test_a_vendor_without_coverage_says_what_its_records_cover(
    built_site: Path, vendor: str, kind: str, count: str
) -> None:
    catalog = load_ledger(ROOT / "incidents", NOW).catalog
    note = catalog.registry.vendors[vendor].untracked_note
    assert note is not None and not catalog.coverage.spans(vendor)
    page = (built_site / "vendors" / vendor / "index.html").read_text(encoding="utf-8")
    line = html.unescape(page[page.index('class="il-coverage-line"') :].split("</p>", 1)[0])
    assert "Coverage: not tracked." in line and note.text in line and f'href="{note.source}"' in line
    held = sum(1 for i in catalog.incidents if i.vendor == vendor and kind in {r.source for r in i.vendor_refs})
    assert held and count.format(n=held) in note.text
    cell = page[page.index('class="il-covered" data-window="year"') :].split("</td>", 1)[0]
    assert "not tracked" in cell and "il-window-dates" not in cell  # no empty window dated as if it were one
