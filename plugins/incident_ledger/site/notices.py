"""Turn a range's changed incident files into webhook messages, with the feeds' own entry text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..ledger.catalog import Catalog
from ..ledger.model import IMPACTS, Incident
from ..ledger.notify import Notice, RangeChanges, message, summary
from ..ledger.stats import duration_seconds
from ..ledger.timeutil import human_duration, show_time
from .feeds import FeedWriter
from .publish import file_history


@dataclass(frozen=True)
class Filters:
    vendors: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    min_impact: str = "none"

    def keep(self, incident: Incident, catalog: Catalog) -> bool:
        """As the feeds pick: a model's feed holds its vendor's records naming it or every model."""
        if self.vendors and incident.vendor not in self.vendors:
            return False
        vendor = catalog.registry.vendor(incident.vendor)
        own = vendor.models if vendor else {}
        if self.models and not any(incident.covers_model(m) and m in own for m in self.models):
            return False
        return IMPACTS.index(incident.impact) >= IMPACTS.index(self.min_impact)


def notice(writer: FeedWriter, incident: Incident, corrected: bool, changed: tuple[str, ...]) -> Notice:
    seconds = duration_seconds(incident, writer.catalog.now)
    return Notice(
        title=writer.title(incident),
        vendor=writer.vendor_name(incident),
        models=tuple(writer.models(incident)),
        impact=incident.impact,
        start=show_time(incident.start, incident.time_precision),
        end=show_time(incident.end, incident.time_precision) if incident.end else "ongoing",
        duration="unknown (date only)" if seconds is None else human_duration(seconds),
        status=writer.status(incident),
        link=writer.permalink(incident),
        corrected=corrected,
        changed=changed,
        item=writer.json_item(incident),
    )


def messages(
    catalog: Catalog, root: Path, site_url: str, changes: RangeChanges, kinds: Sequence[str], filters: Filters
) -> list[tuple[str, dict[str, Any]]]:
    """(kind, payload) for every kind: one per incident kept by the filters, one per bulk commit."""
    history = file_history(root)
    writer = FeedWriter(catalog, site_url, history, history.modified)
    by_path = {history.path(i): i for i in catalog.incidents}
    notices = [
        notice(writer, by_path[t.path], not t.added, t.changed)
        for t in changes.files
        if t.path in by_path and filters.keep(by_path[t.path], catalog)
    ]
    out = [(kind, message(kind, n)) for n in notices for kind in kinds]
    link = writer.site_url + "changes/"
    for commit, size in zip(changes.bulk, changes.bulk_sizes, strict=True):
        out.extend((kind, summary(kind, size, commit.subject, link)) for kind in kinds)
    return out
