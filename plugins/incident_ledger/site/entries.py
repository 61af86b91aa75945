"""What a feed entry says about an incident: one text for Atom, RSS, JSON Feed and iCalendar.

`updated` is the incident's own latest time, never the build's, so rebuilds do not
re-announce old entries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import markdown
from markupsafe import escape

from ..ledger.catalog import Catalog
from ..ledger.model import SCOPE_LABELS, Incident
from ..ledger.retired import id_year
from ..ledger.stats import duration_seconds
from ..ledger.timeutil import human_duration, show_time
from .sanitize import clean

GENERATOR = "AI Incident Ledger"
_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])


def xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry; validation already rejects them in files."""
    return text.translate(_CONTROL)


class EntryText:
    """What a feed entry says about an incident, in every format: title, facts, content and times."""

    def __init__(
        self,
        catalog: Catalog,
        site_url: str,
        published: Callable[[Incident], datetime],
        modified: Callable[[Incident], datetime] | None = None,
        first_ids: Mapping[str, str] | None = None,
    ) -> None:
        self.catalog = catalog
        self.first_ids = dict(first_ids or {})
        self.site_url = site_url.rstrip("/") + "/"
        self.published = published
        self.modified = modified or Incident.last_change
        self._html: dict[str, str] = {}
        self.markdown = markdown.Markdown(extensions=["tables", "fenced_code"])
        self._events: dict[str, bytes] = {}
        self._newest: dict[tuple[int, int], tuple[Sequence[Incident], list[Incident]]] = {}
        self.host = self.site_url.split("//", 1)[-1].split("/", 1)[0] or "incident-ledger"

    def updated(self, incident: Incident) -> datetime:
        """When the incident's facts last changed: the vendor's last post or a later correction of its file.
        Publication is not a change of facts, so records added together do not share one `updated`."""
        return max(incident.last_change(), self.modified(incident))

    def permalink(self, incident: Incident) -> str:
        return self.site_url + incident.url_path

    def entry_id(self, incident: Incident) -> str:
        """The address a feed first announced the incident under; a renamed record's old one still redirects."""
        first = self.first_ids.get(incident.id)
        return self.site_url + f"incidents/{id_year(first)}/{first}/" if first else self.permalink(incident)

    def vendor_name(self, incident: Incident) -> str:
        vendor = self.catalog.registry.vendor(incident.vendor)
        return vendor.name if vendor else incident.vendor

    def models(self, incident: Incident) -> list[str]:
        return list(incident.models) if incident.scope == "models" else [SCOPE_LABELS[incident.scope]]

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
