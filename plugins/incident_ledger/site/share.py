"""What a shared link says: one-sentence descriptions from a page's facts, for Open Graph and search results."""

from __future__ import annotations

from collections.abc import Sequence

from ..ledger.model import Incident
from ..ledger.stats import Figures, Interval
from ..ledger.timeutil import human_duration, show_time


def incident_description(incident: Incident, vendor: str, models: str, duration: float | None) -> str:
    start = show_time(incident.start, incident.time_precision)
    if incident.ongoing:
        span = f"ongoing since {start}"
    elif duration is None:
        span = f"on {start} (date only)"
    else:
        span = f"from {start}, lasting {human_duration(duration)}"
    return f"{vendor}, {incident.impact} impact ({models}): {incident.title}, {span}."


def figures_description(name: str, vendor: str, figures: Figures, coverage: Sequence[Interval]) -> str:
    latest = f", the latest on {figures.last_start:%Y-%m-%d}" if figures.last_start else ""
    counted = f"{name}: {figures.incidents} incident{'s' if figures.incidents != 1 else ''} recorded{latest}."
    if not coverage:
        return f"{counted} The ledger does not yet hold every incident {vendor} posted."
    first, last = f"{coverage[0][0]:%Y-%m-%d}", f"{coverage[-1][1]:%Y-%m-%d}"
    held = f"from {first} to {last}" if len(coverage) == 1 else f"in {len(coverage)} spans between {first} and {last}"
    return f"{counted} The ledger holds every incident {vendor} posted {held}."
