"""Under a plain `mkdocs serve`, generated pages outside the nav whose inputs did not change are not rendered again.

After each save a plain `mkdocs serve` renders every page through Material's templates,
the largest part of a rebuild, although one edited incident changes a handful of pages.
A page's output is fixed by the page (its content, table of contents, title, metadata and
addresses) and by the site (the configuration and every plugin's settings, the nav's
titles and addresses, the theme's template folders and the files of its custom folder).
When both are as in the last build, the page prints its last output through a one-line
template instead, and every `on_page_context` and `on_post_page` hook still runs. Search
gets the entries its parser made from the same content last time (where Material's search
plugin keeps its index as a list, as it does), instead of parsing the page again. Outputs
are kept compressed: at 10 000 incidents they would otherwise hold a few hundred megabytes.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

log = get_plugin_logger(__name__)

KEPT_TEMPLATE = "incident-ledger/kept.html"
KEPT_OUTPUT = "ledger_kept_output"


def site_key(config: MkDocsConfig, nav: Navigation) -> tuple[Any, ...]:
    """Everything besides the page itself that Material's templates render into a page."""
    settings = {key: value for key, value in config.items() if key != "plugins"}
    plugins = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
    return settings, plugins, _nav(nav.items), tuple(config.theme.dirs), _files(config.theme.custom_dir)


def page_key(page: Page) -> tuple[Any, ...]:
    return (
        page.content,
        _toc(page.toc),
        page.title,
        dict(page.meta),
        page.url,
        page.edit_url,
        page.canonical_url,
    )


Entries = list[dict[str, Any]]


@dataclass(frozen=True)
class Rendered:
    key: tuple[Any, ...]
    output: bytes
    entries: Entries | None


class RenderCache:
    """The last output and search entries of each generated page outside the nav, and what they were made from."""

    def __init__(self) -> None:
        self.site: tuple[Any, ...] | None = None
        self.pages: dict[str, Rendered] = {}
        self.fresh: dict[str, tuple[Any, ...]] = {}
        self.kept: dict[str, Rendered] = {}
        self.searched: dict[str, Entries] = {}
        self.search_meta: dict[str, Any] = {}
        self.entries: Entries | None = None
        self.entries_before = 0

    def begin(self, env: Environment, site: tuple[Any, ...], pages: Iterable[Page], entries: Entries | None) -> None:
        """After all pages are read: hand back the output of every page whose inputs are unchanged.

        `entries` is this build's search index (`search_entries`), or None where there is none to hand entries to.
        """
        if env.loader is not None:
            env.loader = ChoiceLoader([env.loader, DictLoader({KEPT_TEMPLATE: "{{ " + KEPT_OUTPUT + " }}"})])
        if site != self.site:
            self.pages.clear()
            self.site = site
        self.fresh, self.kept, self.searched, self.entries = {}, {}, {}, entries
        pages = list(pages)
        for page in pages:
            src, key = page.file.src_uri, page_key(page)
            last = self.pages.get(src)
            if last is not None and last.key == key:
                self.kept[src] = last
                page.meta["template"] = KEPT_TEMPLATE
            else:
                self.fresh[src] = key
        log.debug(f"{len(self.kept)} of {len(pages)} generated pages outside the nav handed back unchanged")

    def before_search(self, page: Page) -> dict[str, Any]:
        """Before Material's search reads the page: a kept page with kept entries is not parsed again.

        Returns the template variables that print a kept page's output."""
        src = page.file.src_uri
        kept = self.kept.get(src)
        if kept is None:
            self.entries_before = len(self.entries or ())
            return {}
        if self.entries is not None and kept.entries is not None:
            self.search_meta[src] = page.meta.get("search")
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return {KEPT_OUTPUT: Markup(zlib.decompress(kept.output).decode("utf-8"))}

    def after_search(self, page: Page) -> None:
        """After search: a kept page's entries go into the index where parsing would have put them;
        a page rendered anew has its entries noted, to keep with its output."""
        src, entries = page.file.src_uri, self.entries
        kept = self.kept.pop(src, None)
        if entries is None:
            return
        if kept is None:
            if src in self.fresh:
                self.searched[src] = [dict(entry) for entry in entries[self.entries_before :]]
        elif src in self.search_meta:
            search = self.search_meta.pop(src)
            if search is None:
                del page.meta["search"]
            else:
                page.meta["search"] = search
            entries.extend(dict(entry) for entry in kept.entries or ())

    def keep(self, page: Page, output: str) -> None:
        """Keep a page rendered anew, as the templates wrote it, before any `on_post_page` hook changed it."""
        src = page.file.src_uri
        key = self.fresh.pop(src, None)
        if key is not None:
            self.pages[src] = Rendered(key, zlib.compress(output.encode("utf-8"), 1), self.searched.pop(src, None))


def search_entries(config: MkDocsConfig) -> Entries | None:
    """The entry list of Material's search index, where its plugin runs and keeps one; otherwise None, and
    every page is parsed by search as usual."""
    for name in ("material/search", "search"):
        index = getattr(config.plugins.get(name), "search_index", None)
        entries = getattr(index, "entries", None)
        if isinstance(entries, list):
            return entries
    return None


def _toc(toc: TableOfContents | list[Any]) -> tuple[Any, ...]:
    return tuple((item.title, item.id, item.level, _toc(item.children)) for item in toc)


def _nav(items: list[Any]) -> tuple[Any, ...]:
    return tuple(
        (type(item).__name__, item.title, getattr(item, "url", None), _nav(getattr(item, "children", None) or []))
        for item in items
    )


def _files(folder: str | None) -> tuple[tuple[str, int, int], ...]:
    """A theme's custom folder (the overrides): each file's path, size and modification time."""
    if not folder or not os.path.isdir(folder):
        return ()
    found = []
    for directory, _, names in os.walk(folder):
        for name in names:
            path = Path(directory, name)
            stat = path.stat()
            found.append((path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))
