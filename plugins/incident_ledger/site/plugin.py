"""The MkDocs adapter: options, events and logging over the engine-independent core."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..ledger.history import HistoryCache
from ..ledger.model import Incident
from ..ledger.report import render
from ..ledger.timeutil import reference_time
from ..ledger.tree import LoadResult, ParseCache, load_ledger
from . import links
from .export import RecordCache
from .feeds import FeedCache
from .pages import FEEDS_MARKER, HOME_MARKER, PageBuilder, PageCache, SiteOptions
from .publish import feed_links, file_history, head_commit, outputs, write_files
from .sanitize import clean_body
from .search_trim import trim_search_index
from .speed.background import Deferred, fork_workers
from .speed.bytecode import CompiledTemplates
from .speed.conversions import ConversionCache, GeneratedPage, nav_titles
from .speed.navcache import NavCache
from .speed.renders import RenderCache, search_entries, site_key

log = get_plugin_logger(__name__)


class IncidentLedgerConfig(base.Config):
    enabled = opt.Type(bool, default=True)
    incidents_dir = opt.Type(str, default="incidents")
    feed_size = opt.Type(int, default=50)
    index_rows = opt.Type(int, default=500)
    list_rows = opt.Type(int, default=100)
    repo_branch = opt.Type(str, default="main")


class LedgerFile(File):
    """A page whose output may be reused under `--dirty` only when the plugin says it is unchanged."""

    reusable = False

    def is_modified(self) -> bool:
        return not (self.reusable and os.path.isfile(self.abs_dest_path))


class IncidentLedgerPlugin(BasePlugin[IncidentLedgerConfig]):
    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        self.cache = ParseCache()
        self.result: LoadResult | None = None
        self.builder: PageBuilder | None = None
        self.root = Path()
        self.serving = False
        self.outputs: Deferred[dict[str, bytes], dict[str, bytes]] | None = None
        self.dirty = False
        self.keeping = False
        self.digests: dict[str, tuple[str, str]] = {}
        self.published: dict[str, bytes] = {}
        self.nav = NavCache()
        self.feed_cache: FeedCache = {}
        self.record_cache: RecordCache = {}
        self.page_cache = PageCache()
        self.history_cache: HistoryCache = {}
        self.templates = CompiledTemplates()
        self.conversions = ConversionCache()
        self.renders = RenderCache()
        self.site_nav: Navigation | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin instance across `mkdocs serve` rebuilds, so the caches survive.

        MkDocs keeps that instance for every later configuration loaded in the same process, so each start
        begins with empty caches: what one session kept cannot leak into another with other settings."""
        self._start()
        self.serving = command == "serve"
        self.dirty = dirty
        # Under `--dirty` an unchanged page is neither converted nor rendered; only a plain serve gains from
        # kept conversions and outputs.
        self.keeping = self.serving and not dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.result = None
        self.builder = None
        self.nav = NavCache()
        self._cancel_outputs()
        if not self.config.enabled:
            return config
        self.root = (Path(config.config_file_path or ".").parent / self.config.incidents_dir).resolve()
        if str(self.root) not in config.watch:
            config.watch.append(str(self.root))
        if not self.root.is_dir():
            raise PluginError(f"incident-ledger: incidents folder not found: {self.root}")
        try:
            now = reference_time()
        except ValueError as error:
            raise PluginError(f"incident-ledger: {error}") from None
        if self.serving:
            result = load_ledger(self.root, now, cache=self.cache)
        else:
            result = load_ledger(self.root, now, workers=fork_workers())
        for warning in result.warnings:
            log.warning(warning.human())
        if result.errors:
            files = len({p.path for p in result.errors})
            report = render(result.errors, "human", files)
            raise PluginError(f"incident-ledger: invalid incident files\n{report}")
        self.result = result
        history = file_history(self.root, self.history_cache if self.serving else None)
        # Under serve the livereload server runs threads, which a fork must not copy mid-lock.
        self.outputs = Deferred(
            partial(
                outputs,
                result.catalog,
                config.site_url or "",
                self.config.feed_size,
                history,
                # Only a build in this process can keep feeds and records for the next one (serve); a fork's are lost.
                self.feed_cache if self.serving else None,
                self.record_cache if self.serving else None,
                result.retired.first_ids(),
                head_commit(self.root),
            ),
            partial(self._write_outputs, Path(config.site_dir)),
            fork=not self.serving,
        )
        if not config.site_url:
            log.warning("site_url is not set in mkdocs.yml; feeds and open data need absolute URLs")
        self.builder = PageBuilder(
            result.catalog,
            history,
            SiteOptions(
                directory_urls=config.use_directory_urls,
                repo_url=config.repo_url,
                site_url=config.site_url or "",
                repo_branch=self.config.repo_branch,
                index_rows=self.config.index_rows,
                list_rows=self.config.list_rows,
            ),
            self.page_cache if self.serving else None,
            result.retired,
        )
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.builder is None:
            return files
        pages = self.builder.all_pages()
        digests = self._digests(pages) if self.dirty else {}
        titles = nav_titles(config.nav) if self.keeping else {}
        for src, content in pages.items():
            if files.get_file_from_path(src) is not None:
                raise PluginError(
                    f"incident-ledger: docs/{src} would be replaced by a generated page; rename or remove it"
                )
            inclusion = InclusionLevel.INCLUDED if src in _IN_NAV else InclusionLevel.NOT_IN_NAV
            page = LedgerFile.generated(config, src, content=content, inclusion=inclusion)
            page.reusable = src in digests and src in self.digests and self.digests[src][1] == digests[src][1]
            files.append(page)
            if self.keeping:
                GeneratedPage(titles.get(src), page, config, self.conversions)
        for path, html in self.builder.redirects().items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"incident-ledger: docs/{path} would be replaced by a redirect; rename or remove it")
            files.append(File.generated(config, path, content=html))
        if self.dirty:
            self.digests = digests
            _rebuild_marked_pages(files, config)
        if self.outputs is not None and not (self.serving and self.dirty):
            # MkDocs has cleaned the site folder by now: feeds and open data are written while it renders pages.
            # Not under `serve --dirty`: few files change there, so a thread would only compete for the GIL
            # (at 10 000 incidents a rebuild took 3.45 s with it and 2.9 s without); they come in on_post_build.
            self.outputs.release()
        return files

    def _digests(self, pages: dict[str, str]) -> dict[str, tuple[str, str]]:
        """Each page's text and fingerprint. A page the page cache handed back is the very same text with the
        same stashed blocks, so its fingerprint is the last one; only pages made again are hashed."""
        assert self.builder is not None
        result = {}
        for src, content in pages.items():
            last = self.digests.get(src)
            result[src] = (
                last if last is not None and last[0] is content else (content, self.builder.stashed.digest(content))
            )
        return result

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self.keeping:
            self.conversions.begin(config, files)
            self.site_nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if self.serving:
            env.bytecode_cache = self.templates
        if self.keeping and self.site_nav is not None:
            pages = [file.page for file in files.documentation_pages() if file.page and _reuses_nav(file.page)]
            self.renders.begin(env, site_key(config, self.site_nav), pages, search_entries(config))
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.builder is None:
            return markdown
        src = page.file.src_uri
        if _reuses_nav(page):
            page.meta.setdefault("template", "ledger.html")
        incident = self._incident_for(src)
        if incident is not None and config.repo_url:
            page.edit_url = f"{config.repo_url.rstrip('/')}/edit/{self.config.repo_branch}/{incident.path}"
        if HOME_MARKER in markdown:
            markdown = markdown.replace(HOME_MARKER, self.builder.home_fragment(src, feed_links()))
        if FEEDS_MARKER in markdown:
            for marker, fragment in self.builder.data_fragments(src).items():
                markdown = markdown.replace(marker, fragment)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.builder is None:
            return html
        if self._incident_for(page.file.src_uri) is not None:
            html = clean_body(html)
        return self.builder.stashed.expand(html)

    @event_priority(100)  # before Material's search reads the page
    def _context_before_search(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        if _reuses_nav(page):
            context.update(self.nav.context(page.url))
            if self.keeping:
                context.update(self.renders.before_search(page))
        return context

    @event_priority(-100)  # after it
    def _context_after_search(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        if self.keeping and _reuses_nav(page):
            self.renders.after_search(page)
        return context

    on_page_context = CombinedEvent(_context_before_search, _context_after_search)

    @event_priority(100)  # first: what the templates wrote is kept, and stashed blocks go in before other hooks
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.builder is None:
            return output
        if _reuses_nav(page):
            self.nav.learn(page.url, output)
            if self.keeping:
                self.renders.keep(page, output)
        return self.builder.stashed.expand_unsearched(output)

    @event_priority(-50)  # after Material's search has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.builder is not None:
            trim_search_index(Path(config.site_dir))
        if self.outputs is None:
            return
        try:
            self.published = self.outputs.result()
        except RuntimeError as error:
            raise PluginError(f"incident-ledger: could not build the feeds and open data: {error}") from None
        finally:
            self.outputs = None

    def on_build_error(self, *, error: Exception) -> None:
        self._cancel_outputs()

    def _write_outputs(self, site: Path, files: dict[str, bytes]) -> dict[str, bytes]:
        """Write feeds and open data (in the forked child when there is one). Under `mkdocs serve` a file is
        written in place, since its server answers no request until a rebuild is done; under `--dirty`
        only changed files are written, and the set is kept to compare the next rebuild with."""
        write_files(site, files.items(), self.published if self.dirty else None, atomic=not self.serving)
        return files if self.serving and self.dirty else {}

    def _cancel_outputs(self) -> None:
        if self.outputs is not None:
            self.outputs.cancel()
            self.outputs = None

    def _incident_for(self, src: str) -> Incident | None:
        if self.result is None or not src.startswith("incidents/"):
            return None
        return self.result.catalog.by_id.get(src.rsplit("/", 1)[-1].removesuffix(".md"))


def _reuses_nav(page: Page) -> bool:
    """Generated pages outside the nav share their sidebar and tabs with every such page in the same folder."""
    return isinstance(page.file, LedgerFile) and page.file.inclusion.is_not_in_nav()


def _rebuild_marked_pages(files: Files, config: MkDocsConfig) -> None:
    """Under `--dirty`, docs pages that embed ledger figures change with the incidents, not their source."""
    for file in list(files.documentation_pages(inclusion=lambda _: True)):
        if isinstance(file, LedgerFile) or file.src_dir is None:
            continue
        text = file.content_string
        if HOME_MARKER in text or FEEDS_MARKER in text:
            files.remove(file)
            files.append(
                LedgerFile(
                    file.src_uri, file.src_dir, config.site_dir, config.use_directory_urls, inclusion=file.inclusion
                )
            )


_IN_NAV = {links.INDEX, links.TIMELINE, links.VENDORS, links.COMPARE, links.LAUNCHES, links.CHANGES}
