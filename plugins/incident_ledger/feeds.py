"""Atom, RSS, JSON Feed and iCalendar feeds built from the catalog.

Entry ids are permanent incident URLs; `updated` is the incident's own latest
time and `published` when it entered the ledger, so rebuilds never re-announce
old entries and a newly recorded past incident still reaches subscribers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import markdown
from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event
from markupsafe import escape

from .catalog import Catalog
from .model import Incident
from .sanitize import clean
from .stats import duration_seconds
from .timeutil import human_duration, iso, show_time

GENERATOR = "AI Incident Ledger"
_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])


def xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry; validation already rejects them in files."""
    return text.translate(_CONTROL)


@dataclass(frozen=True)
class FeedSpec:
    """One feed: which incidents, under which name."""

    slug: str
    title: str
    incidents: Sequence[Incident]


class FeedWriter:
    def __init__(
        self,
        catalog: Catalog,
        site_url: str,
        published: Callable[[Incident], datetime],
        modified: Callable[[Incident], datetime] | None = None,
    ) -> None:
        self.catalog = catalog
        self.site_url = site_url.rstrip("/") + "/"
        self.published = published
        self.modified = modified or published
        self._html: dict[str, str] = {}
        self.markdown = markdown.Markdown(extensions=["tables", "fenced_code"])
        self._events: dict[str, bytes] = {}
        self._newest: dict[tuple[int, int], tuple[Sequence[Incident], list[Incident]]] = {}
        self.host = self.site_url.split("//", 1)[-1].split("/", 1)[0] or "incident-ledger"

    def updated(self, incident: Incident) -> datetime:
        """Never before `published`; moves when the vendor adds to the incident or its file is corrected."""
        return max(incident.last_change(), self.published(incident), self.modified(incident))

    def permalink(self, incident: Incident) -> str:
        return self.site_url + incident.url_path

    def vendor_name(self, incident: Incident) -> str:
        vendor = self.catalog.registry.vendor(incident.vendor)
        return vendor.name if vendor else incident.vendor

    def models(self, incident: Incident) -> list[str]:
        return ["all models"] if incident.all_models or not incident.models else list(incident.models)

    def status(self, incident: Incident) -> str:
        return "ongoing" if incident.ongoing else "resolved"

    def title(self, incident: Incident) -> str:
        return xml_text(
            f"{self.vendor_name(incident)}: {incident.title} "
            f"[{', '.join(self.models(incident))}; {incident.impact}; {self.status(incident)}]"
        )

    def facts(self, incident: Incident) -> str:
        end = show_time(incident.end, incident.time_precision) if incident.end else "ongoing"
        seconds = duration_seconds(incident, self.catalog.now)
        so_far = " so far" if incident.ongoing else ""
        return (
            f"Start {show_time(incident.start, incident.time_precision)}; end {end}; "
            f"duration {'unknown (date only)' if seconds is None else human_duration(seconds)}{so_far}; "
            f"impact {incident.impact}."
        )

    def html(self, incident: Incident) -> str:
        if incident.id not in self._html:
            body = clean(self.markdown.reset().convert(incident.body))
            ongoing = "<p><strong>Ongoing incident.</strong></p>" if incident.ongoing else ""
            self._html[incident.id] = xml_text(
                f"{ongoing}<p>{escape(self.facts(incident))}</p>{body}"
                f'<p><a href="{escape(self.permalink(incident))}">Full record in the ledger</a></p>'
            )
        return self._html[incident.id]

    def newest(self, incidents: Sequence[Incident], size: int) -> list[Incident]:
        """The `size` most recently published incidents; each feed spec is sorted once for all formats."""
        key = (id(incidents), size)
        if key not in self._newest:
            ordered = sorted(incidents, key=lambda i: (self.published(i), i.id), reverse=True)
            self._newest[key] = (incidents, ordered[:size])
        return self._newest[key][1]

    def _feedgen(self, spec: FeedSpec, entries: Sequence[Incident], self_url: str) -> FeedGenerator:
        feed = FeedGenerator()
        feed.id(self.site_url + f"feeds/{spec.slug}")
        feed.title(xml_text(spec.title))
        feed.author({"name": GENERATOR})
        feed.link(href=self_url, rel="self")
        feed.link(href=self.site_url, rel="alternate")
        feed.description(xml_text(f"{spec.title}: outages and degradations recorded in the AI Incident Ledger."))
        feed.language("en")
        feed.generator(GENERATOR)
        feed.updated(max((self.updated(i) for i in entries), default=self.catalog.now))
        for incident in entries:
            entry = feed.add_entry(order="append")
            entry.id(self.permalink(incident))
            entry.guid(self.permalink(incident), permalink=True)
            entry.title(self.title(incident))
            entry.link(href=self.permalink(incident))
            entry.published(self.published(incident))
            entry.updated(self.updated(incident))
            entry.summary(xml_text(self.facts(incident)))
            entry.content(self.html(incident), type="html")
            for term in (incident.vendor, *self.models(incident), incident.impact):
                entry.category(term=term.replace(" ", "-"), label=term)
        return feed

    def atom(self, spec: FeedSpec, size: int) -> bytes:
        url = self.site_url + f"feeds/{spec.slug}.atom.xml"
        return self._feedgen(spec, self.newest(spec.incidents, size), url).atom_str(pretty=True)

    def rss(self, spec: FeedSpec, size: int) -> bytes:
        url = self.site_url + f"feeds/{spec.slug}.rss.xml"
        return self._feedgen(spec, self.newest(spec.incidents, size), url).rss_str(pretty=True)

    def json_feed(self, spec: FeedSpec, size: int) -> bytes:
        entries = self.newest(spec.incidents, size)
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": spec.title,
            "home_page_url": self.site_url,
            "feed_url": self.site_url + f"feeds/{spec.slug}.json",
            "description": f"{spec.title}: outages and degradations recorded in the AI Incident Ledger.",
            "language": "en",
            "authors": [{"name": GENERATOR}],
            "items": [
                {
                    "id": self.permalink(i),
                    "url": self.permalink(i),
                    "title": self.title(i),
                    "content_html": self.html(i),
                    "summary": self.facts(i),
                    "date_published": iso(self.published(i)),
                    "date_modified": iso(self.updated(i)),
                    "tags": [i.vendor, *self.models(i), i.impact],
                    "_incident_ledger": {
                        "vendor": i.vendor,
                        "impact": i.impact,
                        "start": iso(i.start),
                        "end": iso(i.end) if i.end else None,
                        "ongoing": i.ongoing,
                    },
                }
                for i in entries
            ],
        }
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()

    def event(self, incident: Incident) -> bytes:
        """One VEVENT, serialised once per build and shared by every calendar that lists it."""
        if incident.id not in self._events:
            event = Event()
            event.add("uid", f"{incident.id}@{self.host}")
            event.add("dtstamp", incident.last_change())
            end = incident.end or self.catalog.now
            if incident.time_precision == "day":
                event.add("dtstart", incident.start.date())
                event.add("dtend", max(end.date(), incident.start.date() + timedelta(days=1)))
            else:
                event.add("dtstart", incident.start)
                event.add("dtend", max(end, incident.start + timedelta(minutes=1)))
            event.add("summary", self.title(incident))
            event.add("description", f"{self.facts(incident)}\n{self.permalink(incident)}")
            event.add("url", self.permalink(incident))
            event.add("categories", [incident.vendor, incident.impact])
            event.add("status", "CONFIRMED")
            event.add("transp", "TRANSPARENT")
            self._events[incident.id] = event.to_ical()
        return self._events[incident.id]

    def ics(self, spec: FeedSpec, size: int) -> bytes:
        calendar = Calendar()
        calendar.add("prodid", "-//AI Incident Ledger//incident-ledger//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", spec.title)
        head, _, tail = calendar.to_ical().rpartition(b"END:VCALENDAR")
        events = b"".join(self.event(i) for i in self.newest(spec.incidents, size))
        return head + events + b"END:VCALENDAR" + tail


def feed_specs(catalog: Catalog) -> list[FeedSpec]:
    """All incidents, each vendor, and each model that incidents name."""
    specs = [FeedSpec("all", "AI Incident Ledger: all incidents", catalog.incidents)]
    for vendor_id in catalog.vendor_ids():
        vendor = catalog.registry.vendors[vendor_id]
        specs.append(FeedSpec(vendor_id, f"AI Incident Ledger: {vendor.name}", catalog.for_vendor(vendor_id)))
        for model_id in catalog.models_with_incidents(vendor_id):
            title = f"AI Incident Ledger: {vendor.models[model_id].name} ({vendor.name})"
            specs.append(FeedSpec(f"{vendor_id}/{model_id}", title, catalog.for_model(vendor_id, model_id)))
    return specs


FORMATS: dict[str, Callable[[FeedWriter, FeedSpec, int], bytes]] = {
    "atom.xml": FeedWriter.atom,
    "rss.xml": FeedWriter.rss,
    "json": FeedWriter.json_feed,
    "ics": FeedWriter.ics,
}


FeedCache = dict[tuple[Any, ...], bytes]


def _names(catalog: Catalog) -> tuple[Any, ...]:
    """The registry names that entry titles and tags show."""
    return tuple((v.id, v.name, tuple(v.models)) for v in catalog.registry.vendors.values())


def all_feeds(writer: FeedWriter, size: int, cache: FeedCache | None = None) -> dict[str, bytes]:
    """Every feed file. With a `cache` kept across `mkdocs serve` rebuilds, a feed whose entries, their
    dates and the names they show are unchanged is reused instead of generated again."""
    names = _names(writer.catalog) if cache is not None else ()
    files, used = {}, set()
    for spec in feed_specs(writer.catalog):
        entries = writer.newest(spec.incidents, size)
        ongoing = any(i.ongoing for i in entries)
        shown = tuple((i, writer.published(i), writer.modified(i)) for i in entries)
        for suffix, make in FORMATS.items():
            if cache is None:
                files[f"feeds/{spec.slug}.{suffix}"] = make(writer, spec, size)
                continue
            key = (
                spec.slug,
                suffix,
                spec.title,
                writer.site_url,
                names,
                shown,
                writer.catalog.now if ongoing else None,
            )
            if key not in cache:
                cache[key] = make(writer, spec, size)
            files[f"feeds/{spec.slug}.{suffix}"] = cache[key]
            used.add(key)
    if cache is not None:
        for stale in set(cache) - used:
            del cache[stale]
    return files
