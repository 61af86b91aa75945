"""Atom, RSS, JSON Feed and iCalendar feeds built from the catalog.

Entry ids are permanent incident URLs; `updated` is the incident's own latest
time and `published` when it entered the ledger, so rebuilds never re-announce
old entries and a newly recorded past incident still reaches subscribers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from ..ledger.catalog import Catalog
from ..ledger.model import Incident
from ..ledger.timeutil import iso
from .entries import GENERATOR, EntryText, xml_text


@dataclass(frozen=True)
class FeedSpec:
    """One feed: which incidents, under which name."""

    slug: str
    title: str
    incidents: Sequence[Incident]


class FeedWriter(EntryText):
    """The feeds themselves; one writer serves every feed of a build, sharing entries between them."""

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
            entry.id(self.entry_id(incident))
            entry.guid(self.entry_id(incident), permalink=True)
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

    def json_item(self, i: Incident) -> dict[str, Any]:
        """One JSON Feed item; webhooks of kind `json` send the same object."""
        return {
            "id": self.entry_id(i),
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
            "items": [self.json_item(i) for i in entries],
        }
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()

    def event(self, incident: Incident) -> bytes:
        """One VEVENT, serialised once per build and shared by every calendar that lists it."""
        if incident.id not in self._events:
            event = Event()
            event.add("uid", f"{self.first_ids.get(incident.id, incident.id)}@{self.host}")
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
                tuple(sorted(writer.first_ids.items())),
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
