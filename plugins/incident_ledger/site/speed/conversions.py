"""Generated pages whose Markdown did not change skip the Markdown conversion under `mkdocs serve`.

A plain `mkdocs serve` rebuilds every page after each save, although one edited incident
changes the Markdown of only a handful of generated pages. A page's converted HTML, table
of contents, title and anchors depend on its Markdown text, on the Markdown extensions
and their settings, and on where every file of the site is published (relative links
resolve against them). While all three are as in the last build, the last conversion is
handed back. A conversion that logged a warning is not kept, so the warning is repeated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents


@dataclass(frozen=True)
class Conversion:
    markdown: str
    content: str
    toc: TableOfContents
    title: str | None
    anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None


class ConversionCache:
    """The last conversion of each generated page, kept while the settings and the site's files are the same."""

    def __init__(self) -> None:
        self.pages: dict[str, Conversion] = {}
        self.setting: tuple[Any, ...] | None = None

    def begin(self, config: MkDocsConfig, files: Files) -> None:
        """Start a build: forget every conversion when the extensions or any file's published address changed."""
        setting = (
            list(config.markdown_extensions),
            config.mdx_configs,
            tuple((file.src_uri, file.url) for file in files),
        )
        if setting != self.setting:
            self.pages.clear()
            self.setting = setting


class GeneratedPage(Page):
    """A generated page that converts its Markdown only when the kept conversion no longer applies."""

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, cache: ConversionCache) -> None:
        super().__init__(title, file, config)
        self.cache = cache

    def render(self, config: MkDocsConfig, files: Files) -> None:
        kept = self.cache.pages.get(self.file.src_uri)
        if kept is not None and kept.markdown == self.markdown:
            self.content, self.toc, self._title_from_render = kept.content, kept.toc, kept.title
            self.present_anchor_ids = kept.anchor_ids
            if kept.links_to_anchors is not None:
                self.links_to_anchors = {
                    target: links
                    for src, links in kept.links_to_anchors.items()
                    if (target := files.get_file_from_path(src)) is not None
                }
            return
        with _Warnings() as warnings:
            super().render(config, files)
        self.cache.pages.pop(self.file.src_uri, None)
        if warnings.count or self.markdown is None or self.content is None:
            return
        self.cache.pages[self.file.src_uri] = Conversion(
            self.markdown,
            self.content,
            self.toc,
            self._title_from_render,
            self.present_anchor_ids,
            None
            if self.links_to_anchors is None
            else {target.src_uri: links for target, links in self.links_to_anchors.items()},
        )


def nav_titles(nav: Any) -> dict[str, str]:
    """The titles `nav` in mkdocs.yml gives to pages (`- Title: page.md`), by source path.

    MkDocs takes a page's nav title only when it creates the page itself, so a plugin that
    creates a page listed in the nav has to pass the title on.
    """
    titles: dict[str, str] = {}
    for item in nav if isinstance(nav, list) else []:
        for title, value in item.items() if isinstance(item, dict) else []:
            if isinstance(value, str):
                titles[value] = title
            else:
                titles.update(nav_titles(value))
    return titles


class _Warnings(logging.Handler):
    """Counts warnings MkDocs and Markdown extensions log while one page converts."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def __enter__(self) -> _Warnings:
        for name in _LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in _LOGGERS:
            logging.getLogger(name).removeHandler(self)


# MkDocs' own logger does not propagate to the root logger when run from its command line.
_LOGGERS = ("mkdocs", None)
