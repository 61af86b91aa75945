"""The built site in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import NOW, ROOT
from incident_ledger.ledger.tree import load_ledger

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PAGES = {
    "home": "",
    "index": "incidents/",
    "incident": "incidents/2024/2024-04-22-huggingface-hub-extended-outage/",
    "timeline": "timeline/",
    "vendors": "vendors/",
    "vendor": "vendors/openai/",
    "model": "vendors/anthropic/claude-opus-4-6/",
    "data": "data/",
    "compare": "vendors/compare/",
    "launches": "vendors/launches/",
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield instance
        instance.close()


class Watched:
    """A page that records console errors and failed requests to our own server."""

    def __init__(self, browser: Browser, base: str, scheme: str = "light") -> None:
        self.base = base
        self.page: Page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("requestfailed", lambda r: self._own(r.url) and self.failed.append(r.url))
        self.page.on("response", lambda r: self._own(r.url) and r.status >= 400 and self.failed.append(r.url))

    def _own(self, url: str) -> bool:
        return url.startswith(self.base)

    def _route(self, route: Any) -> None:
        """The sandbox has no internet: outside requests (the repository badge) are cut off, not counted."""
        if self._own(route.request.url):
            route.continue_()
        else:
            route.abort()

    def _console(self, message: Any) -> None:
        location = (message.location or {}).get("url", "")
        own = not location or self._own(location)
        if message.type == "error" and own and "net::ERR_FAILED" not in message.text:
            self.errors.append(message.text)

    def open(self, path: str) -> Page:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200
        self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly(browser: Browser, base_url: str, name: str) -> None:
    watched = Watched(browser, base_url)
    page = watched.open(PAGES[name])
    assert page.locator("h1").first.is_visible()
    assert watched.errors == [] and watched.failed == []
    page.close()


def test_home_past_coverage_points_to_official_status_pages(browser: Browser, base_url: str) -> None:
    """The site is built at a reference time past every vendor's coverage: no card may read as all clear."""
    catalog = load_ledger(ROOT / "incidents", NOW).catalog
    watched = Watched(browser, base_url, "light")
    page = watched.open("")
    page.set_viewport_size({"width": 390, "height": 900})
    cards = page.locator(".il-card")
    assert cards.count() == len(catalog.vendor_ids())
    first = cards.first.bounding_box()
    assert first is not None and first["y"] < 900, "the first vendor's answer is on the first screen"
    for index, vendor_id in enumerate(catalog.vendor_ids()):
        vendor = catalog.registry.vendors[vendor_id]
        until = catalog.coverage.last_end(vendor_id)
        state = cards.nth(index).locator(".il-untracked-state")
        assert state.is_visible()
        since = f" since {until:%Y-%m-%d}" if until else ""
        assert state.inner_text().startswith(f"{vendor.name}: not tracked{since}.")
        assert state.locator("a").get_attribute("href") == vendor.status_page
    assert "no ongoing incidents" not in page.locator("article").inner_text().lower()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "the cards fit a phone"
    assert watched.errors == []


def test_folded_provenance_opens_from_the_keyboard(browser: Browser, base_url: str) -> None:
    watched = Watched(browser, base_url)
    page = watched.open("vendors/anthropic/")
    folded = page.locator("details#coverage")
    assert folded.get_attribute("open") is None
    assert not page.get_by_text("atlarge-research/FAILS", exact=False).first.is_visible()
    summary = folded.locator("summary")
    for _ in range(60):
        page.keyboard.press("Tab")
        if summary.evaluate("s => s === document.activeElement"):
            break
    else:
        raise AssertionError("the fold's summary is never reached with Tab")
    page.keyboard.press("Enter")
    assert folded.evaluate("d => d.open")
    assert page.get_by_text("atlarge-research/FAILS", exact=False).first.is_visible()
    page.keyboard.press("Enter")
    assert not folded.evaluate("d => d.open")
    page.locator(".il-coverage-line a[href='#coverage']").click()
    assert folded.evaluate("d => d.open"), "the link to the basis unfolds it"
    assert watched.errors == []


def test_wide_tables_say_they_scroll_on_a_phone(browser: Browser, base_url: str) -> None:
    watched = Watched(browser, base_url)
    page = watched.open(PAGES["index"])
    wrap = page.locator(".il-table-wrap").first
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function("!document.querySelector('.il-table-wrap').classList.contains('il-table-wrap--scrolls')")
    page.set_viewport_size({"width": 390, "height": 800})
    page.wait_for_function("document.querySelector('.il-table-wrap').classList.contains('il-table-wrap--scrolls')")
    hint = wrap.evaluate("w => getComputedStyle(w, '::before').content")
    assert "Scroll sideways for more columns" in hint
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "the table scrolls inside its box, not the page"
    assert watched.errors == []


def test_year_filter_explains_what_the_page_leaves_out(browser: Browser, base_url: str, built_site: Path) -> None:
    watched = Watched(browser, base_url)
    page = watched.open(PAGES["index"])
    why = page.locator(".il-filter__why")
    assert why.is_hidden()
    listed = page.locator("table.il-filterable tbody tr").count()
    years = page.locator("select[name=year] option[data-page]").evaluate_all("os => os.map(o => o.value)")
    assert years, "the index lists only the newest incidents, so some years are partial"
    oldest = min(years)
    page.select_option("select[name=year]", oldest)
    assert why.is_visible()
    assert f"only the newest {listed} of " in why.inner_text()
    link = why.locator("a")
    assert link.inner_text() == f"All incidents of {oldest}"
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/incidents/{oldest}/")
    assert (built_site / "incidents" / oldest / "index.html").is_file()
    page = watched.open(PAGES["index"])
    # A vendor and an impact level that no listed incident has together.
    vendor, impact = page.evaluate(
        """() => {
          const rows = [...document.querySelectorAll('table.il-filterable tbody tr')].map(r => r.dataset);
          const values = name => [...document.querySelectorAll(`select[name=${name}] option`)].map(o => o.value)
            .filter(Boolean);
          for (const v of values('vendor')) for (const i of values('impact'))
            if (!rows.some(r => r.vendor === v && r.impact === i)) return [v, i];
        }"""
    )
    page.select_option("select[name=vendor]", vendor)
    page.select_option("select[name=impact]", impact)
    assert page.locator("table.il-filterable tbody tr:not([hidden])").count() == 0
    assert "No incident listed here matches every filter" in page.locator(".il-filter__why").inner_text()
    assert watched.errors == []


def test_index_filter(browser: Browser, base_url: str) -> None:
    watched = Watched(browser, base_url)
    page = watched.open(PAGES["index"])
    form = page.locator("form.il-filter")
    assert form.is_visible()
    rows = page.locator("table.il-filterable tbody tr")
    total = rows.count()
    page.select_option("select[name=vendor]", "anthropic")
    visible = page.locator("table.il-filterable tbody tr:not([hidden])")
    shown = visible.count()
    assert 0 < shown < total
    assert set(visible.evaluate_all("rows => rows.map(r => r.dataset.vendor)")) == {"anthropic"}
    assert page.locator("output.il-filter__count").inner_text() == f"{shown} of {total} incidents shown"
    page.select_option("select[name=impact]", "critical")
    assert set(visible.evaluate_all("rows => rows.map(r => r.dataset.impact)")) <= {"critical"}
    page.select_option("select[name=vendor]", "")
    page.select_option("select[name=impact]", "")
    assert visible.count() == total
    assert watched.errors == []


def without_javascript(browser: Browser, base_url: str, path: str) -> Page:
    page = browser.new_page(java_script_enabled=False)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort())
    page.goto(base_url + path)
    return page


def test_index_is_complete_without_javascript(browser: Browser, base_url: str) -> None:
    page = without_javascript(browser, base_url, PAGES["index"])
    assert page.locator("table.il-filterable tbody tr").count() >= 100
    assert not page.locator("form.il-filter").is_visible()
    page.close()


def test_compare_two_to_four(browser: Browser, base_url: str, built_site: Path) -> None:
    import json

    vendors = json.loads((built_site / "api" / "vendors.json").read_text(encoding="utf-8"))["vendors"]
    google = next(v for v in vendors if v["id"] == "google")
    watched = Watched(browser, base_url)
    page = watched.open(PAGES["compare"])
    picked = page.locator("table.il-compare-picked")
    assert picked.locator("thead th").count() == 3
    page.select_option("select[name=pick2]", "google")
    page.select_option("select[name=pick3]", "anthropic/claude-opus-4-6")
    headers = picked.locator("thead th").all_inner_texts()
    assert headers[3:] == ["Google", "Claude Opus 4.6 (Anthropic)"]
    rows = {
        row.locator("th").inner_text(): row.locator("td").all_inner_texts() for row in picked.locator("tbody tr").all()
    }
    assert rows["Incidents (90 days)"][2] == str(google["figures"]["90d"]["incidents"])
    severe = google["figures"]["90d"]
    shown = f"{severe['severe_covered_seconds'] / 3600:.1f}" if severe["covered_seconds"] else "not tracked"
    assert rows["Severe hours of anything (90 days)"][2] == shown
    rate = next(v for v in vendors if v["id"] == "anthropic")["headline"]["rates"]["severe"]
    assert rows["Severe incidents per 30 covered days"][0].startswith(
        f"{rate['per_30_days']:.1f} ({rate['low']:.1f}–{rate['high']:.1f}; n {rate['n']}"
    )
    window = google["figures"]["90d"]
    share = window["covered_seconds"] / (window["covered_seconds"] + window["untracked_seconds"])
    covered = "not tracked" if not window["covered_seconds"] else "100 %"
    covered = f"{share * 100:.0f} % (partial)" if window["covered_seconds"] and window["partial"] else covered
    assert rows["Covered (90 days)"][2] == covered
    assert rows["Degraded hours (90 days)"][2] == f"{google['figures']['90d']['degraded_seconds'] / 3600:.1f}"
    without = window["severe_covered_seconds_without_largest"]
    assert rows["… without its largest incident (90 days)"][2] == ("—" if without is None else f"{without / 3600:.1f}")
    assert not page.locator(".il-compare-all").is_visible()
    visible = page.locator(".il-strips__row:not([hidden])")
    assert visible.count() == 3  # the three vendors picked; models have their strips on their own pages
    assert watched.errors == [] and watched.failed == []


def test_compare_without_javascript_shows_everything(browser: Browser, base_url: str) -> None:
    page = without_javascript(browser, base_url, PAGES["compare"])
    assert page.locator(".il-compare-all tbody tr").count() >= 8
    assert not page.locator("form.il-compare-form").is_visible()
    page.close()


def test_links_between_pages(browser: Browser, base_url: str) -> None:
    watched = Watched(browser, base_url)
    page = watched.open(PAGES["index"])
    first = page.locator("table.il-filterable tbody tr td:nth-child(4) a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == title
    page.locator(".il-facts a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/vendors/" in page.url
    page.locator("nav.md-tabs a", has_text="Timeline").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/timeline/")
    assert watched.errors == [] and watched.failed == []


def searched(browser: Browser, base_url: str, query: str) -> tuple[Watched, Page]:
    """The home page with `query` typed into Material's search box."""
    watched = Watched(browser, base_url)
    page = watched.open("")
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=10)
    return watched, page


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("anthropic", "vendors/anthropic/"),
        ("claude opus 4.6", "vendors/anthropic/claude-opus-4-6/"),
        # A phrase from an incident's body still finds that incident first.
        ("Paris summer", "incidents/2024/2024-04-22-huggingface-hub-extended-outage/"),
    ],
)
def test_search_ranks_the_page_that_answers_first(browser: Browser, base_url: str, query: str, first: str) -> None:
    watched, page = searched(browser, base_url, query)
    results = page.locator(".md-search-result__item > a.md-search-result__link")
    results.first.wait_for(timeout=15000)
    page.wait_for_timeout(500)  # the list settles once the whole query is typed
    href = results.first.get_attribute("href") or ""
    assert href.removeprefix(base_url).split("#")[0] == first, href
    assert watched.errors == []


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Hugging Face Hub extended outage", "Hugging Face Hub extended outage"),
        # Only in an update of this incident, not in its title or body.
        ("crashing", "Azure OpenAI Service outage in Sweden Central"),
        # Vendor and model appear only in the incident's facts card; `+` requires every word.
        ("+Microsoft +GPT +4.1", "Azure OpenAI Service outage in Sweden Central"),
    ],
)
def test_search_box_finds_an_incident(browser: Browser, base_url: str, query: str, title: str) -> None:
    watched, page = searched(browser, base_url, query)
    result = page.locator(".md-search-result__item", has_text=title)
    result.first.wait_for(timeout=15000)
    assert result.count() >= 1
    assert watched.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_vendor_page_screens(browser: Browser, base_url: str, scheme: str, tmp_path: Path) -> None:
    watched = Watched(browser, base_url, scheme)
    page = watched.open(PAGES["vendor"])
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot = tmp_path / f"vendor-{scheme}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"page scrolls sideways at {width}px"
    assert watched.errors == []


@pytest.mark.parametrize("key", ["vendors", "vendor", "model", "compare"])
def test_figure_tables_read_without_scrolling_on_a_laptop(browser: Browser, base_url: str, key: str) -> None:
    """Vendor figures read at a glance: at 1280 px no figures table needs its sideways scroll box."""
    watched = Watched(browser, base_url)
    page = watched.open(PAGES[key])
    page.set_viewport_size({"width": 1280, "height": 900})
    hidden = page.evaluate("[...document.querySelectorAll('.il-table-wrap')].map(w => w.scrollWidth - w.clientWidth)")
    assert hidden and max(hidden) <= 1, hidden
    assert watched.errors == []


AXE = Path(os.environ.get("AXE_JS", Path(__file__).parent.parent / ".ci/node/node_modules/axe-core/axe.min.js"))
AXE_PAGES = [
    *PAGES.values(),
    "methodology/",
    "contributing/",
    "about/",
    "operating/",
    "incidents/2026/2026-01-16-microsoft-copilot-north-america-config-rollback/",  # a tombstone
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser: Browser, base_url: str, scheme: str) -> None:
    assert AXE.is_file(), f"axe-core not found at {AXE}; `bash .ci/run` installs it"
    script = AXE.read_text(encoding="utf-8")
    found = []
    for path in AXE_PAGES:
        watched = Watched(browser, base_url, scheme)
        page = watched.open(path)
        page.add_script_tag(content=script)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
        )
        found.extend(f"{path or '/'} {v}" for v in violations)
        page.close()
    assert found == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_launches_page(browser: Browser, base_url: str, scheme: str) -> None:
    """The chart is drawn and legible in both palettes, the page fits a phone, and axe finds nothing serious."""
    watched = Watched(browser, base_url, scheme)
    page = watched.open(PAGES["launches"])
    box = page.locator("svg.il-chart").first.bounding_box()
    assert box is not None and box["height"] > 50
    chart = page.locator("svg.il-chart").first
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    points = set(chart.locator("rect.il-bar--s0").evaluate_all("rs => rs.map(r => getComputedStyle(r).fill)"))
    lines = set(chart.locator("line.il-interval").evaluate_all("ls => ls.map(l => getComputedStyle(l).stroke)"))
    labels = set(chart.locator("text.il-label").evaluate_all("ts => ts.map(t => getComputedStyle(t).fill)"))
    assert points and lines and labels
    assert not (points | lines | labels) & {background}  # estimates, intervals and n legible on the page colour
    assert chart.locator("line.il-interval").count() >= 3  # the answer, its checks and the sensitivity rows
    assert "n = " in chart.inner_html()
    verdict = page.locator(".il-verdict").inner_text()
    assert verdict.startswith(("Incidents are", "The data cannot tell the rates apart"))
    assert page.locator("table.il-launch-answer tbody tr").count() == 6
    assert page.locator("table.il-placebo td").count() >= 10
    assert page.locator("table.il-launches tbody tr").count() >= 6
    assert page.locator("table.il-sensitivity tbody tr").count() == 3
    page.set_viewport_size({"width": 390, "height": 900})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "the Launches page scrolls sideways on a phone"
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)"
    )
    assert violations == []
    assert watched.errors == [] and watched.failed == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("key", "cell"),
    [("vendor", ".il-class-availability"), ("model", ".il-model-availability"), ("compare", ".il-class-availability"),
     ("vendors", ".il-class-availability")],
)  # fmt: skip
def test_headline_cells_rest_on(browser: Browser, base_url: str, scheme: str, key: str, cell: str) -> None:
    """Each availability and rate cell shows its value with its count, covered days and window dates, legibly."""
    watched = Watched(browser, base_url, scheme)
    page = watched.open(PAGES[key])
    cells = page.locator(f"{cell}, .il-rate")
    assert cells.count() >= 2
    texts = cells.all_inner_texts()
    assert all("covered days" in text or "not tracked" in text or "registry" in text for text in texts), texts
    assert any(" to 20" in text for text in texts)  # the window's dates
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    colours = set(page.locator(".il-rests-on").evaluate_all("ns => ns.map(n => getComputedStyle(n).color)"))
    assert colours and background not in colours
    assert watched.errors == [] and watched.failed == []
    page.close()
