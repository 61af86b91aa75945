"""Under a plain `mkdocs serve`, generated pages outside the nav whose inputs did not change are not rendered again.

After each save a plain `mkdocs serve` renders every page through Material's templates,
the largest part of a rebuild, although one edited incident changes a handful of pages.
A page's output is fixed by the page (its content, table of contents, title, metadata and
addresses) and by the site (the configuration and every plugin's settings, the nav's
titles and addresses, the theme's template folders and the files of its custom folder).
When both are as in the last build, the page prints its last output through a one-line
template instead; every `on_page_context` and `on_post_page` hook still runs, so search
indexes the page as before. Outputs are kept compressed: at 10 000 incidents they would
otherwise hold a few hundred megabytes.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
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


class RenderCache:
    """The last output of each generated page outside the nav, and the inputs it was rendered from."""

    def __init__(self) -> None:
        self.site: tuple[Any, ...] | None = None
        self.pages: dict[str, tuple[tuple[Any, ...], bytes]] = {}
        self.fresh: dict[str, tuple[Any, ...]] = {}
        self.kept: dict[str, str] = {}

    def begin(self, env: Environment, site: tuple[Any, ...], pages: Iterable[Page]) -> None:
        """After all pages are read: hand back the output of every page whose inputs are unchanged."""
        if env.loader is not None:
            env.loader = ChoiceLoader([env.loader, DictLoader({KEPT_TEMPLATE: "{{ " + KEPT_OUTPUT + " }}"})])
        if site != self.site:
            self.pages.clear()
            self.site = site
        self.fresh, self.kept = {}, {}
        pages = list(pages)
        for page in pages:
            src, key = page.file.src_uri, page_key(page)
            last = self.pages.get(src)
            if last is not None and last[0] == key:
                self.kept[src] = zlib.decompress(last[1]).decode("utf-8")
                page.meta["template"] = KEPT_TEMPLATE
            else:
                self.fresh[src] = key
        log.debug(f"{len(self.kept)} of {len(pages)} generated pages outside the nav handed back unchanged")

    def context(self, page: Page) -> dict[str, Any]:
        output = self.kept.pop(page.file.src_uri, None)
        return {} if output is None else {KEPT_OUTPUT: Markup(output)}

    def keep(self, page: Page, output: str) -> None:
        """Keep a page rendered anew, as the templates wrote it, before any `on_post_page` hook changed it."""
        key = self.fresh.pop(page.file.src_uri, None)
        if key is not None:
            self.pages[page.file.src_uri] = (key, zlib.compress(output.encode("utf-8"), 1))


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
