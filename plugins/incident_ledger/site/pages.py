"""Generated pages as Markdown (with escaped HTML blocks), rendered from Jinja templates.

Every value from an incident file is escaped by the template engine; only the
incident body is passed through as Markdown, between markers that the adapter
uses to sanitise the rendered HTML.
"""

from __future__ import annotations

import collections
import functools
import itertools
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..ledger.catalog import Catalog
from ..ledger.coverage import watch
from ..ledger.evidence import CLASSES as EVIDENCE_CLASSES
from ..ledger.evidence import LABELS as EVIDENCE_LABELS
from ..ledger.evidence import confirmed
from ..ledger.headline import starts_in
from ..ledger.history import FileHistory
from ..ledger.launch_report import Release, releases
from ..ledger.model import IMPACTS, SCOPE_LABELS, Incident, ModelInfo, Registry, Update
from ..ledger.related import related_incidents
from ..ledger.retired import Retired, Withdrawn
from ..ledger.stats import WINDOW_NAMES, Interval, daily_worst, duration_seconds, monthly, timed
from ..ledger.summary import HEADLINE_WINDOW, common_window, life, model_incidents, vendor_figures, vendor_headline
from ..ledger.timeutil import human_duration, iso, show_time
from ..ledger.windows import Window, disagrees, stated_window
from . import charts, launch_pages, links
from .badges import badge_path, badges_for
from .cards import card_path
from .feeds import FORMATS, feed_specs
from .reader_text import describe
from .retired_pages import redirect_files, retired_src, tombstone_meta
from .sanitize import BODY_END, BODY_START
from .share import figures_description, incident_description
from .stash import BlockStash

HOME_MARKER = "<!-- incident-ledger:home -->"
FEEDS_MARKER = "<!-- incident-ledger:feeds -->"
OPEN_DATA_MARKER = "<!-- incident-ledger:open-data -->"
OPEN_DATA = (
    ("api/incidents.json", "Every incident with computed fields, plus the build's reference time."),
    ("api/incidents.jsonl", "The same records, one JSON object per line."),
    ("api/incidents.csv", "The same records as CSV (RFC 4180); lists are joined with semicolons."),
    (
        "api/vendors.json",
        "The vendor registry with figures for 30, 90, 365 days and all time, per vendor and per model, "
        "and each model's release date with its release-window figures.",
    ),
    ("schema/incident.schema.json", "JSON Schema of an incident file's front matter."),
)
STRIP_DAYS = 90
# Stand-ins for the links of a cached incident-table row; content is escaped, so it cannot contain them.
VENDOR_LINK = Markup("<il-vendor-link>")
INCIDENT_LINK = Markup("<il-incident-link>")
# Characters YAML reads as line breaks; inside a double-quoted scalar they must be escaped.
_YAML_BREAKS = {0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"}
CHART_MONTHS = 24
# Search ranks the page that answers a name above the incidents that mention it: "anthropic" finds the
# Anthropic page first, "claude opus 4.6" the model's page (Material's page-level `search.boost`).
VENDOR_BOOST = 10
MODEL_BOOST = 5
CHANGES_LISTED = 100


@dataclass(frozen=True)
class SiteOptions:
    directory_urls: bool = True
    repo_url: str | None = None
    site_url: str = ""
    repo_branch: str = "main"
    index_rows: int = 500
    list_rows: int = 100
    home_rows: int = 10


@functools.cache
def _environment() -> Environment:
    """One environment per process: templates compile once, not again on every `mkdocs serve` rebuild."""
    env = Environment(
        loader=PackageLoader("incident_ledger.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates ship with the package: checking their mtimes on every page is waste
    )
    env.filters["duration"] = lambda v: "date only" if v is None else human_duration(v)
    env.filters["iso"] = iso
    env.filters["pct"] = lambda v: "not tracked" if v is None else f"{v * 100:.2f} %"
    env.filters["share"] = lambda v: "—" if v is None else f"{v * 100:.0f} %"
    env.filters["hours"] = lambda v: f"{v / 3600:.1f}"
    # A count over a window nobody watched is no count: the cell shows a dash beside "not tracked".
    env.filters["if_tracked"] = lambda value, f: value if f.covered_seconds > 0 else "—"
    env.filters["maybe_duration"] = lambda v: "—" if v is None else human_duration(v)
    env.filters["host"] = lambda url: (urlsplit(url).hostname or url) + (urlsplit(url).path.rstrip("/") or "")
    env.filters["table_rows"] = _table_rows
    env.globals["inf"] = math.inf
    env.globals["incident_src"] = links.incident_src
    env.filters["stash"] = _stash
    return env


def times_basis(incident: Incident) -> tuple[str, Update | None, str]:
    """What the start and end rest on, for readers: the window a vendor's post states, the posts themselves,
    or neither; and whether the vendor posted it only after it was over."""
    stated = stated_window(incident.updates)
    after = bool(incident.updates and incident.end and incident.updates[0].at >= incident.end)
    if isinstance(stated, Window) and not disagrees(incident.start, incident.end, stated):
        return ("stated" if not after else "stated-after"), incident.updates[stated.post], stated.phrase
    return ("after" if after else "posts" if incident.updates else "sources"), None, ""


@pass_context
def _table_rows(context: Context, incidents: Sequence[Incident], link: Callable[[str], str]) -> Markup:
    return context["builder"].table_rows(incidents, link)


@pass_context
def _stash(context: Context, html: str, search: bool = True) -> Markup:
    return context["builder"].stashed.stash(html, search)


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter; JSON values are valid YAML and much faster to write than a YAML dump."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}" for key, value in sorted(meta.items())]
    text = "\n".join(lines).translate(_YAML_BREAKS)
    return "---\n" + text + "\n---\n\n"


@dataclass
class PageCache:
    """Generated pages kept between `mkdocs serve` rebuilds, with the stashed blocks each one refers to.

    A page is reused while everything it is made from is unchanged (`PageBuilder.reuse`): for an
    incident page the incident, its related incidents, its commits and, while ongoing, the reference
    time; for a vendor or model page that vendor's incidents, coverage and the reference time. The
    per-incident blocks of aggregate pages are kept the same way. The whole cache holds only for one
    registry and one set of site options. Stash keys are numbered for the life of the cache, so a
    reused page's keys never collide with a new page's.
    """

    serial: Iterator[int] = field(default_factory=itertools.count)
    context: tuple[Registry, SiteOptions] | None = None
    # Keyed by page source path; a page is dropped when it is not generated again.
    pages: dict[str, tuple[tuple[Any, ...], str, dict[str, str]]] = field(default_factory=dict)
    # Per-incident blocks that aggregate pages repeat (table rows, timeline items), keyed by kind and id.
    blocks: dict[tuple[str, str], tuple[tuple[Any, ...], str]] = field(default_factory=dict)

    def start(self, registry: Registry, options: SiteOptions) -> None:
        if self.context is None or self.context[0] is not registry or self.context[1] != options:
            self.pages.clear()
            self.blocks.clear()
            self.context = (registry, options)

    def keep(self, srcs: set[str], ids: set[str]) -> None:
        """Forget the pages that were not generated again and the blocks of incidents that are gone."""
        for gone in self.pages.keys() - srcs:
            del self.pages[gone]
        for key in [key for key in self.blocks if key[1] not in ids]:
            del self.blocks[key]


class PageBuilder:
    """Renders every generated page for one catalog; stateless apart from caches."""

    def __init__(
        self,
        catalog: Catalog,
        history: FileHistory,
        options: SiteOptions,
        cache: PageCache | None = None,
        retired: Retired | None = None,
    ) -> None:
        self.catalog = catalog
        self.retired = retired or Retired()
        self.history = history
        self.options = options
        self.cache = cache
        if cache is not None:
            cache.start(catalog.registry, options)
        self.stashed = BlockStash(cache.serial if cache is not None else None)
        self._blocks: dict[tuple[str, str], tuple[tuple[Any, ...], str]] = cache.blocks if cache is not None else {}
        self.related = related_incidents(catalog.incidents, catalog.now)
        self.now = catalog.now

    # -- helpers given to templates ------------------------------------------------

    def linker(self, src: str) -> Callable[[str], str]:
        return lambda target: links.relative(src, target, self.options.directory_urls)

    def vendor_name(self, vendor_id: str) -> str:
        vendor = self.catalog.registry.vendor(vendor_id)
        return vendor.name if vendor else vendor_id

    def model_names(self, incident: Incident) -> str:
        if incident.scope != "models":
            return SCOPE_LABELS[incident.scope].capitalize()
        vendor = self.catalog.registry.vendor(incident.vendor)
        return ", ".join(vendor.models[m].name if vendor and m in vendor.models else m for m in incident.models)

    def status(self, incident: Incident) -> str:
        if incident.ongoing:
            return incident.updates[-1].status if incident.updates else "ongoing"
        return "postmortem published" if incident.postmortem else "resolved"

    def row(self, incident: Incident) -> dict[str, Any]:
        return {
            "incident": incident,
            "src": links.incident_src(incident),
            "vendor_name": self.vendor_name(incident.vendor),
            "models": self.model_names(incident),
            "duration": duration_seconds(incident, self.now),
            "start": show_time(incident.start, incident.time_precision),
        }

    def table_rows(self, incidents: Sequence[Incident], link: Callable[[str], str]) -> Markup:
        """The rows of an incident table. An incident's row is the same on every page but for its two
        links, so it is rendered once per build and the page's links are put into it."""
        macro = _environment().get_template("macros.j2").module.incident_row
        rows = []
        for incident in incidents:
            row = self.block("row", incident, (), lambda i=incident: macro(self.row(i), VENDOR_LINK, INCIDENT_LINK))
            vendor, page = link(links.vendor_src(incident.vendor)), link(links.incident_src(incident))
            rows.append(row.replace(VENDOR_LINK, vendor).replace(INCIDENT_LINK, page))
        return Markup("".join(rows))

    def timeline_items(self, rows: Sequence[dict[str, Any]], longest: float, link: Callable[[str], str]) -> Markup:
        """A month's timeline entries; an incident's entry changes only with it and the longest duration shown."""
        module = _environment().get_template("macros.j2").module
        items = []
        for row in rows:
            if "release" in row:
                items.append(str(module.timeline_release(row, link, self.vendor_name)))
            else:
                items.append(
                    self.block(
                        "timeline",
                        row["incident"],
                        (longest,),
                        lambda r=row: module.timeline_item(r, longest, link(r["src"])),
                    )
                )
        return Markup("".join(items))

    def block(self, kind: str, incident: Incident, extra: tuple[Any, ...], render: Callable[[], object]) -> str:
        """A per-incident block rendered once per build, and under `mkdocs serve` kept while its inputs stay:
        the incident, `extra`, the registry, the site options and, while it is ongoing, the reference time."""
        inputs = (incident, *extra, self.now if incident.ongoing else None)
        cached = self._blocks.get((kind, incident.id))
        if cached and cached[0] == inputs:
            return cached[1]
        html = str(render())
        self._blocks[(kind, incident.id)] = (inputs, html)
        return html

    def commit_url(self, sha: str) -> str | None:
        repo = self.options.repo_url
        return f"{repo.rstrip('/')}/commit/{sha}" if repo else None

    def fragment(self, template: str, src: str, **context: Any) -> str:
        """A template rendered with the helpers every page uses, its links relative to `src`."""
        compiled = _environment().get_template(template)
        return compiled.render(
            builder=self,
            link=self.linker(src),
            row=self.row,
            catalog=self.catalog,
            now=self.now,
            impacts=IMPACTS,
            evidence_classes=EVIDENCE_CLASSES,
            evidence_labels=EVIDENCE_LABELS,
            vendor_name=self.vendor_name,
            **context,
        )

    def render(self, template: str, src: str, meta: dict[str, Any], **context: Any) -> str:
        return front_matter(meta) + self.fragment(template, src, **context)

    # -- pages ---------------------------------------------------------------------

    def reuse(self, src: str, inputs: tuple[Any, ...], render: Callable[[], str]) -> str:
        """A page, under `mkdocs serve` taken from the last rebuild when `inputs` (all it is made from,
        besides the registry and site options) are equal; its stashed blocks come back with it."""
        if self.cache is None:
            return render()
        cached = self.cache.pages.get(src)
        if cached and cached[0] == inputs:
            self.stashed.fragments.update(cached[2])
            return cached[1]
        self.stashed.captured = {}
        try:
            page = render()
            self.cache.pages[src] = (inputs, page, self.stashed.captured)
        finally:
            self.stashed.captured = None
        return page

    def incident_page(self, incident: Incident) -> str:
        related = self.related.get(incident.id)
        inputs = (
            incident,
            tuple(related.other_vendors) if related else (),
            tuple(related.same_vendor) if related else (),
            self.history.commits(incident),
            self.now if incident.ongoing else None,
        )
        return self.reuse(links.incident_src(incident), inputs, lambda: self._incident_page(incident))

    def _incident_page(self, incident: Incident) -> str:
        src = links.incident_src(incident)
        vendor = self.catalog.registry.vendor(incident.vendor)
        products = [vendor.products.get(p, p) if vendor else p for p in incident.products]
        model_links = []
        if vendor and not incident.all_models:
            model_links = [(vendor.models[m].name, links.model_src(vendor.id, m)) for m in incident.models]
        meta = {
            "title": incident.title,
            "description": incident_description(
                incident,
                self.vendor_name(incident.vendor),
                self.model_names(incident),
                duration_seconds(incident, self.now),
            ),
            "template": "incident.html",
            "incident_ongoing": incident.ongoing,
            "card": card_path(incident.vendor),
        }
        return self.render(
            "incident.md.j2",
            src,
            meta,
            i=incident,
            r=self.row(incident),
            products=products,
            model_links=model_links,
            status=self.status(incident),
            start=show_time(incident.start, incident.time_precision),
            end=show_time(incident.end, incident.time_precision) if incident.end else None,
            body=Markup(incident.body),
            times=times_basis(incident),
            related=self.related.get(incident.id),
            commits=self.history.commits(incident),
            commit_url=self.commit_url,
            describe=describe,
            body_start=Markup(BODY_START),
            body_end=Markup(BODY_END),
            evidence_label=EVIDENCE_LABELS.get(incident.evidence or "", "Sources not classified"),
        )

    def incident_list(self, src: str, incidents: Sequence[Incident], title: str, intro: str, years: list[int]) -> str:
        shown = incidents[: self.options.index_rows]
        listed = collections.Counter(i.year for i in shown)
        counts = collections.Counter(i.year for i in incidents)
        return self.render(
            "index.md.j2",
            src,
            {"title": title},
            title=title,
            intro=intro,
            incidents=shown,
            total=len(incidents),
            years=years,
            # Years of which this page lists only some incidents: the Year filter sends readers to their pages.
            partial_years={y for y in counts if listed[y] < counts[y]},
            vendors=sorted({i.vendor for i in shown}, key=self.vendor_name),
        )

    def index_pages(self) -> dict[str, str]:
        by_year: dict[int, list[Incident]] = defaultdict(list)
        for incident in self.catalog.incidents:
            by_year[incident.year].append(incident)
        years = sorted(by_year, reverse=True)
        pages = {
            links.INDEX: self.incident_list(
                links.INDEX, self.catalog.incidents, "Incidents", "Every recorded incident, newest first.", years
            )
        }
        for year in years:
            pages[links.year_src(year)] = self.incident_list(
                links.year_src(year), by_year[year], f"Incidents in {year}", f"Incidents that started in {year}.", years
            )
        return pages

    def timeline_pages(self) -> dict[str, str]:
        """The newest year on the Timeline page and each year on a page of its own, so no page grows without end."""
        rows = [self.row(incident) for incident in self.catalog.incidents]
        months = launch_pages.timeline_months(self.catalog, rows)
        years = sorted({year for year, _ in months}, reverse=True)
        pages = {}
        for index, year in enumerate(years):
            shown = {key: entries for key, entries in months.items() if key[0] == year}
            durations = [r["duration"] or 0 for entries in shown.values() for r in entries if "incident" in r]
            src = links.TIMELINE if index == 0 else links.timeline_year_src(year)
            title = "Timeline" if index == 0 else f"Timeline {year}"
            pages[src] = self.render(
                "timeline.md.j2", src, {"title": title}, months=shown, longest=max(durations, default=1) or 1,
                year=year, years=years,
            )  # fmt: skip
        return pages

    def last_named(self, vendor_id: str, model_id: str) -> Incident | None:
        """The newest confirmed incident that names the model itself: vendor-wide ones are every model's."""
        return next((i for i in confirmed(model_incidents(self.catalog, vendor_id, model_id)) if i.models), None)

    def figure_table(self, vendor_id: str, model: str | None = None) -> dict[str, Any]:
        """Figures for every window (each computed once per catalog)."""
        return {w: vendor_figures(self.catalog, vendor_id, w, model) for w in (HEADLINE_WINDOW, *WINDOW_NAMES)}

    def vendors_page(self) -> str:
        rows = [(v, self.figure_table(v), vendor_headline(self.catalog, v)) for v in self.catalog.vendor_ids()]
        return self.render("vendors.md.j2", links.VENDORS, {"title": "Vendors"}, rows=rows)

    def charts_for(
        self, slug: str, covered: Sequence[Interval], incidents: Sequence[Incident], released: Sequence[Release] = ()
    ) -> list[Markup]:
        """Monthly counts and impacted hours, and durations, over covered time only: a month nobody
        watched is drawn as not tracked, never as a quiet month."""
        incidents = confirmed(incidents)
        series = monthly(incidents, self.now, CHART_MONTHS, covered)
        impact = monthly([i for i in incidents if i.impact != "none"], self.now, CHART_MONTHS, covered)
        labels = [f"{start:%Y-%m}" for start, _, _ in series]
        markers = launch_pages.chart_markers(labels, released)
        counts = [count for _, count, _ in series]
        hours = [None if seconds is None else round(seconds / 3600, 1) for _, _, seconds in impact]

        def described(values: Sequence[float | None], unit: str, nothing: str) -> str:
            shown = [f"{lab}: {v}{unit}" for lab, v in zip(labels, values, strict=True) if v]
            untracked = sum(1 for v in values if v is None)
            return (", ".join(shown) or nothing) + (f"; {untracked} months not tracked" if untracked else "")

        durations = [duration_seconds(i, self.now) or 0 for i in timed(incidents) if starts_in(i, covered)]
        return [
            charts.bar_chart(
                f"{slug}-count",
                f"Incidents per month, last {CHART_MONTHS} months",
                described(counts, "", "no incidents") + "".join(f"; marker: {label}" for _, label in markers),
                labels,
                counts,
                "incidents",
                markers,
            ),
            charts.bar_chart(
                f"{slug}-hours",
                f"Impacted hours per month, last {CHART_MONTHS} months",
                described(hours, " h", "no impacted time"),
                labels,
                hours,
                "hours",
            ),
            charts.duration_histogram(f"{slug}-durations", durations),
        ]

    def strip(self, slug: str, vendor_id: str, incidents: Sequence[Incident]) -> Markup:
        covered = self.catalog.coverage.spans(vendor_id)
        return charts.status_strip(slug, daily_worst(confirmed(incidents), self.now, STRIP_DAYS, covered))

    def embeds(self, src: str, vendor_id: str, model: str | None) -> list[dict[str, Any]]:
        """Badge images with ready-to-paste Markdown and HTML (absolute URLs, so they work anywhere)."""
        site = self.options.site_url.rstrip("/") + "/"
        page = site + links.page_url(src, self.options.directory_urls)
        rows = []
        for badge in badges_for(self.catalog, vendor_id, model):
            path = badge_path(vendor_id, model, badge.kind)
            alt = f"{badge.label}: {badge.value}"
            rows.append(
                {
                    "path": path,
                    "alt": alt,
                    # Shown as code: the template escapes them.
                    "markdown": f"[![{badge.label}]({site}{path})]({page})",
                    "html": f'<a href="{page}"><img src="{site}{path}" alt="{badge.label}"></a>',
                }
            )
        return rows

    def vendor_page(self, vendor_id: str) -> str:
        src = links.vendor_src(vendor_id)
        return self.reuse(src, self.catalog.vendor_scope(vendor_id), lambda: self._vendor_page(src, vendor_id))

    def _vendor_page(self, src: str, vendor_id: str) -> str:
        vendor = self.catalog.registry.vendors[vendor_id]
        incidents = self.catalog.for_vendor(vendor_id)
        models = [
            (m, vendor.models[m].name, vendor_figures(self.catalog, vendor_id, "all", m), self.last_named(vendor_id, m))
            for m in self.catalog.models_with_incidents(vendor_id)
        ]
        figures = self.figure_table(vendor_id)
        coverage = self.catalog.coverage.spans(vendor_id)
        return self.render(
            "vendor.md.j2",
            src,
            {
                "title": vendor.name,
                "description": figures_description(vendor.name, vendor.name, figures["all"], coverage),
                "card": card_path(vendor_id),
                "feed_slug": vendor_id,
                "feed_title": f"AI Incident Ledger: {vendor.name}",
                "search": {"boost": VENDOR_BOOST},
            },
            vendor=vendor,
            figures=figures,
            headline=vendor_headline(self.catalog, vendor_id),
            incidents=incidents[: self.options.list_rows],
            total=len(incidents),
            charts=self.charts_for(
                vendor_id, self.catalog.coverage.spans(vendor_id), incidents, releases(self.catalog, vendor_id)
            ),
            strip=self.strip(f"{vendor_id}-strip", vendor_id, incidents),
            models=models,
            model=None,
            releases=launch_pages.release_rows(self.catalog, [vendor_id]),
            release=None,
            embeds=self.embeds(src, vendor_id, None),
            coverage=coverage,
            sources=self.catalog.coverage.vendors.get(vendor_id, ()),
            hosted=[],
            owner=None,
            owner_src=None,
        )

    def model_page(self, vendor_id: str, model_id: str) -> str:
        src = links.model_src(vendor_id, model_id)
        info = self.catalog.registry.vendors[vendor_id].models[model_id]
        scope = (self.catalog.vendor_scope(vendor_id), self.catalog.at_hosts(vendor_id, model_id), self.owner_src(info))
        return self.reuse(src, scope, lambda: self._model_page(src, vendor_id, model_id))

    def _model_page(self, src: str, vendor_id: str, model_id: str) -> str:
        vendor = self.catalog.registry.vendors[vendor_id]
        incidents = model_incidents(self.catalog, vendor_id, model_id)
        info = vendor.models[model_id]
        figures = self.figure_table(vendor_id, model_id)
        coverage = self.catalog.coverage.spans(vendor_id)
        name = f"{info.name} ({vendor.name})"
        return self.render(
            "vendor.md.j2",
            src,
            {
                "title": name,
                "description": figures_description(name, vendor.name, figures["all"], coverage),
                "card": card_path(vendor_id, model_id),
                "feed_slug": f"{vendor_id}/{model_id}",
                "feed_title": f"AI Incident Ledger: {info.name} ({vendor.name})",
                "search": {"boost": MODEL_BOOST},
            },
            vendor=vendor,
            figures=figures,
            headline=vendor_headline(self.catalog, vendor_id, model_id),
            incidents=incidents[: self.options.list_rows],
            total=len(incidents),
            charts=self.charts_for(
                f"{vendor_id}-{model_id}",
                life(self.catalog, vendor_id, model_id)[1],
                incidents,
                [r for r in releases(self.catalog, vendor_id) if r.model == info],
            ),
            strip=self.strip(f"{vendor_id}-{model_id}-strip", vendor_id, incidents),
            models=[],
            model=info,
            releases=[],
            release=launch_pages.model_section(self.catalog, vendor_id, model_id, incidents[: self.options.list_rows]),
            embeds=self.embeds(src, vendor_id, model_id),
            coverage=coverage,
            sources=self.catalog.coverage.vendors.get(vendor_id, ()),
            hosted=[incident for _, incident in self.catalog.at_hosts(vendor_id, model_id)],
            owner=self.catalog.registry.vendors[info.of[0]] if info.of else None,
            owner_src=self.owner_src(info),
        )

    def owner_src(self, info: ModelInfo) -> str | None:
        """A hosted model's page at its own vendor, or that vendor's page when no incident of its own names it."""
        if info.of is None:
            return None
        owner, model_id = info.of
        named = model_id in self.catalog.models_with_incidents(owner)
        return links.model_src(owner, model_id) if named else links.vendor_src(owner)

    def home_fragment(self, src: str, feeds: Sequence[tuple[str, str]]) -> str:
        ongoing = self.catalog.ongoing()
        cards = [
            {
                "vendor": self.catalog.registry.vendors[v],
                "watch": watch(self.catalog.coverage, v, self.now),
                "ongoing": [i for i in ongoing if i.vendor == v],
                "strip": self.strip(f"home-{v}", v, self.catalog.for_vendor(v)),
            }
            for v in self.catalog.vendor_ids()
        ]
        return self.fragment(
            "home.md.j2",
            src,
            latest=self.catalog.incidents[: self.options.home_rows],
            cards=cards,
            figures={v: vendor_figures(self.catalog, v, "90d") for v in self.catalog.vendor_ids()},
            feeds=feeds,
        )

    def compare_page(self) -> str:
        """All vendors and models side by side; a small script narrows it to two to four."""
        entities = []
        watched = [v for v in self.catalog.vendor_ids() if self.catalog.coverage.spans(v)]
        common = common_window(self.catalog, watched) if len(watched) > 1 else None
        for vendor_id in self.catalog.vendor_ids():
            vendor = self.catalog.registry.vendors[vendor_id]
            for model in [None, *self.catalog.models_with_incidents(vendor_id)]:
                incidents = self.catalog.for_model(vendor_id, model) if model else self.catalog.for_vendor(vendor_id)
                key = f"{vendor_id}/{model}" if model else vendor_id
                entities.append(
                    {
                        "key": key,
                        "name": f"{vendor.models[model].name} ({vendor.name})" if model else vendor.name,
                        "page": links.model_src(vendor_id, model) if model else links.vendor_src(vendor_id),
                        "figures": self.figure_table(vendor_id, model),
                        "headline": vendor_headline(self.catalog, vendor_id, model),
                        "common": vendor_headline(self.catalog, vendor_id, model, common)
                        if common and vendor_id in watched
                        else None,
                        # Vendors only: a strip per model would make the page larger than readers should load.
                        "strip": None if model else self.strip(f"compare-{vendor_id}", vendor_id, incidents),
                    }
                )
        ranked = sorted(entities, key=lambda e: (-e["figures"]["all"].incidents, e["key"]))
        return self.render(
            "compare.md.j2",
            links.COMPARE,
            {"title": "Compare"},
            entities=entities,
            common=common,
            watched=watched,
            preselected=[e["key"] for e in ranked if "/" not in e["key"]][:2],
        )

    def launches_page(self) -> str:
        return self.render(
            "launches.md.j2",
            links.LAUNCHES,
            {"title": "Launches"},
            **launch_pages.launches_context(self.catalog, self.vendor_name),
        )

    def changes_page(self) -> str:
        changes = self.history.changes(self.catalog.incidents, CHANGES_LISTED) if self.history else []
        return self.render(
            "changes.md.j2",
            links.CHANGES,
            {"title": "Changes"},
            changes=changes,
            commit_url=self.commit_url,
            by_id=self.catalog.by_id,
        )

    def data_fragments(self, src: str) -> dict[str, str]:
        """The list of every feed and open-data file, for the Data & feeds page."""
        return {
            FEEDS_MARKER: self.fragment(
                "feeds.md.j2", src, specs=feed_specs(self.catalog), formats=list(FORMATS), files=()
            ),
            OPEN_DATA_MARKER: self.fragment("feeds.md.j2", src, specs=(), formats=(), files=OPEN_DATA),
        }

    def tombstone_page(self, withdrawn: Withdrawn) -> str:
        target = self.retired.target(withdrawn.replaced_by) if withdrawn.replaced_by else None
        return self.render(
            "tombstone.md.j2",
            retired_src(withdrawn.id),
            tombstone_meta(withdrawn, self.vendor_name(withdrawn.vendor)),
            w=withdrawn,
            replacement=self.catalog.by_id.get(target) if target else None,
        )

    def redirects(self) -> dict[str, str]:
        """Static pages that send a renamed record's old address to its new one."""
        return redirect_files(self.catalog, self.retired, self.options.site_url, self.options.directory_urls)

    def all_pages(self) -> dict[str, str]:
        """Every generated page, keyed by its source path under docs/."""
        pages = {links.incident_src(i): self.incident_page(i) for i in self.catalog.incidents}
        pages.update({retired_src(w.id): self.tombstone_page(w) for w in self.retired.withdrawn.values()})
        pages.update(self.index_pages())
        pages.update(self.timeline_pages())
        pages[links.VENDORS] = self.vendors_page()
        pages[links.CHANGES] = self.changes_page()
        pages[links.COMPARE] = self.compare_page()
        pages[links.LAUNCHES] = self.launches_page()
        for vendor_id in self.catalog.vendor_ids():
            pages[links.vendor_src(vendor_id)] = self.vendor_page(vendor_id)
            for model_id in launch_pages.paged_models(self.catalog, vendor_id):
                pages[links.model_src(vendor_id, model_id)] = self.model_page(vendor_id, model_id)
        if self.cache is not None:
            self.cache.keep(set(pages), set(self.catalog.by_id))
        return pages
