"""What `mkdocs serve` keeps between rebuilds must never show a reader something stale.

Each step edits the ledger (or lets time pass), rebuilds with the serving plugin instance and
compares every file with a fresh build of the same tree: they must be byte-identical.
"""

from __future__ import annotations

import filecmp
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import EPOCH, REGISTRY, Tree, build_env, incident_text, site_tree

ACME = "2026-02-10-acme-good.md"
ONGOING = "2026-11-25-acme-ongoing.md"
ZETA = "2025-05-01-zeta-down.md"


def zeta_text(title: str = "Zeta One down") -> str:
    return (
        incident_text(vendor="zeta", model="zeta-one", title=title, start="2025-05-01T08:00:00Z")
        .replace("2026-02-10T17:40:00Z", "2025-05-01T09:00:00Z")
        .replace("status.acme", "status.zeta")
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def fresh_build(root: Path, site: Path) -> None:
    """A separate process: MkDocs keeps one instance of a plugin that has `on_startup` per process."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=dict(os.environ), timeout=600)
    assert result.returncode == 0, result.stderr


# What MkDocs itself leaves inaccurate under `--dirty` (it warns so): the search index and sitemap
# list only pages rendered again, and reused pages keep the navigation they were rendered with.
DIRTY_BY_DESIGN = {"search/search_index.json", "sitemap.xml", "sitemap.xml.gz"}
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">.*?</article>', re.S)


def article(path: Path) -> list[str]:
    return ARTICLE.findall(path.read_text(encoding="utf-8"))


def differences(fresh: Path, served: Path, dirty: bool) -> list[str]:
    """Files of the fresh build that the served site lacks or holds with other bytes.

    Under `--dirty` a page is compared by its content, the part this plugin generates.
    """
    found = []
    for path in sorted(fresh.rglob("*")):
        relative = path.relative_to(fresh).as_posix()
        if not path.is_file() or (dirty and relative in DIRTY_BY_DESIGN):
            continue
        other = served / relative
        if not other.is_file():
            found.append(relative)
        elif dirty and relative.endswith(".html"):
            if article(path) != article(other):
                found.append(relative)
        elif not filecmp.cmp(path, other, shallow=False):
            found.append(relative)
    if not dirty:
        extra = {p.relative_to(served).as_posix() for p in served.rglob("*") if p.is_file()}
        extra -= {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
        found += sorted(f"only served: {name}" for name in extra)
    return found


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve-dirty"])
def test_serve_rebuilds_match_a_fresh_build(
    tree: Tree, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, dirty: bool
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for name, value in build_env().items():
        monkeypatch.setenv(name, value)
    site_tree(tree)
    tree.add(ACME, incident_text())
    tree.add(
        ONGOING, incident_text(title="Acme Small slow", model="acme-small", start="2026-11-25T09:00:00Z", end="null")
    )
    tree.add(ZETA, zeta_text())
    served = tree.root / "served"
    config = load_config(str(tree.root / "mkdocs.yml"), site_dir=str(served))
    config.plugins.on_startup(command="serve", dirty=dirty)
    build(config, dirty=dirty)
    plugin: Any = config.plugins["incident-ledger"]

    def later(hours: int) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + hours * 3600))

    steps = [
        ("an incident's title changes", lambda: tree.add(ACME, incident_text(title="Acme Large fully down"))),
        ("time passes while one is ongoing", lambda: later(3)),
        ("an incident moves to another model", lambda: tree.add(ACME, incident_text(model="acme-small"))),
        ("a vendor's only incident is deleted", lambda: (tree.incidents / "2025" / ZETA).unlink()),
        ("it comes back", lambda: tree.add(ZETA, zeta_text("Zeta One back down"))),
        (
            "the registry renames a vendor",
            lambda: (tree.incidents / "vendors.yml").write_text(
                REGISTRY.replace("Acme AI", "Acme Intelligence"), encoding="utf-8"
            ),
        ),
        (
            "an ongoing incident ends",
            lambda: tree.add(
                ONGOING,
                incident_text(
                    title="Acme Small slow",
                    model="acme-small",
                    start="2026-11-25T09:00:00Z",
                    end="2026-11-25T13:30:00Z",
                ),
            ),
        ),
    ]
    if not dirty:
        # MkDocs' `--dirty` keeps pages rendered under the old configuration and templates; a plain serve must not.
        steps += [
            (
                "mkdocs.yml changes a Markdown extension's setting",
                lambda: edit(tree.root / "mkdocs.yml", "permalink: true", 'permalink: "#"'),
            ),
            (
                "mkdocs.yml renames the site, which only the page templates print",
                lambda: edit(
                    tree.root / "mkdocs.yml", "site_name: AI Incident Ledger", "site_name: AI Incident Record"
                ),
            ),
            (
                "a page's heading, which every page's nav shows, changes",
                lambda: edit(tree.root / "docs" / "about.md", "# About\n", "# About the ledger\n"),
            ),
            (
                "a theme override changes",
                lambda: edit(tree.root / "overrides" / "main.html", "{{ super() }}", "{{ super() }}<!-- edited -->"),
            ),
        ]
    for number, (what, step) in enumerate(steps):
        step()
        again = load_config(str(tree.root / "mkdocs.yml"), site_dir=str(served))
        again.plugins = config.plugins
        build(again, dirty=dirty)
        fresh = tree.root / f"fresh-{number}"
        fresh_build(tree.root, fresh)
        assert differences(fresh, served, dirty) == [], f"after: {what}"
    assert plugin.page_cache.pages, "incident and vendor pages were kept for reuse"
    assert plugin.templates.code, "compiled theme templates were kept for reuse"
    if not dirty:
        with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.incident_ledger.site.speed.renders"):
            again = load_config(str(tree.root / "mkdocs.yml"), site_dir=str(served))
            again.plugins = config.plugins
            build(again)
        kept = re.search(r"(\d+) of (\d+) generated pages outside the nav handed back", caplog.text)
        # Year pages (incident lists, and timelines but the newest year's) are made afresh on every build,
        # with new placeholders for their stashed blocks.
        years = sum(1 for folder in tree.incidents.iterdir() if folder.name.isdigit())
        fresh = years + years - 1
        assert kept and int(kept[1]) == int(kept[2]) - fresh > 5, "incident, vendor and model pages are not rendered"
        assert differences(tree.root / f"fresh-{len(steps) - 1}", served, dirty) == []
        assert all(page.entries for page in plugin.renders.pages.values()), "search entries are kept, not parsed"
    # `--dirty` does not convert unchanged pages at all, so keeping conversions would only cost memory.
    assert bool(plugin.conversions.pages) is not dirty, "Markdown conversions are kept under a plain serve only"
    assert plugin.cache.results, "figures were carried between rebuilds"


def test_unchanged_pages_and_figures_are_reused_not_rebuilt(tree: Tree) -> None:
    from conftest import NOW
    from incident_ledger.ledger.history import FileHistory
    from incident_ledger.ledger.summary import vendor_figures
    from incident_ledger.ledger.tree import ParseCache, load_ledger
    from incident_ledger.site.pages import PageBuilder, PageCache, SiteOptions

    tree.add(ACME, incident_text())
    tree.add(ZETA, zeta_text())
    parsed, pages = ParseCache(), PageCache()

    def rebuild() -> tuple[Any, dict[str, str]]:
        catalog = load_ledger(tree.incidents, NOW, cache=parsed).catalog
        return catalog, PageBuilder(catalog, FileHistory({}, ""), SiteOptions(), pages).all_pages()

    before, first = rebuild()
    tree.add(ACME, incident_text(title="Acme Large fully down"))
    after, second = rebuild()
    zeta_page, acme_page = "incidents/2025/2025-05-01-zeta-down.md", "incidents/2026/2026-02-10-acme-good.md"
    assert second[zeta_page] is first[zeta_page]
    assert second["vendors/zeta/index.md"] is first["vendors/zeta/index.md"]
    assert (
        "Acme Large fully down" in second[acme_page]
        and second["vendors/acme/index.md"] != first["vendors/acme/index.md"]
    )
    assert vendor_figures(after, "zeta", "all") is vendor_figures(before, "zeta", "all")
    assert vendor_figures(after, "acme", "all") is not vendor_figures(before, "acme", "all")


def test_a_conversion_that_warned_is_done_again_so_the_warning_repeats(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    from incident_ledger.site.speed.conversions import ConversionCache, GeneratedPage

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    cache = ConversionCache()

    def convert(src: str, markdown: str) -> GeneratedPage:
        (tmp_path / "docs" / src).write_text(markdown, encoding="utf-8")
        file = File(src, str(tmp_path / "docs"), str(tmp_path / "site"), use_directory_urls=True)
        files = Files([file])
        cache.begin(config, files)
        page = GeneratedPage(None, file, config, cache)
        page.read_source(config)
        page.render(config, files)
        return page

    for _ in range(2):
        caplog.clear()
        page = convert("broken.md", "# Broken\n\nSee [the gone page](gone.md).\n")
        assert "gone.md" in caplog.text and page.content is not None
    assert "broken.md" not in cache.pages
    first = convert("fine.md", "# Fine\n\n## Part\n")
    again = convert("fine.md", "# Fine\n\n## Part\n")
    assert "fine.md" in cache.pages and again.content is first.content and again.title == "Fine"
    assert [item.title for item in again.toc] == ["Fine"] and again.present_anchor_ids == {"part", "fine"}


def test_nav_titles_are_passed_to_pages_the_plugin_creates() -> None:
    from incident_ledger.site.speed.conversions import nav_titles

    nav = ["index.md", {"Incidents": "incidents/index.md"}, {"Vendors": ["vendors/index.md", {"Compare": "c.md"}]}]
    assert nav_titles(nav) == {"incidents/index.md": "Incidents", "c.md": "Compare"}
    assert nav_titles(None) == {}
