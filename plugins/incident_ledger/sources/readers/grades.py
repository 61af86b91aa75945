"""Grading an incident by the worst state its components were put in, for pages that give no grade of their own.

FlashDuty and Datadog status pages grade nothing at the incident level; each post sets the affected
components to a state. The ledger takes the worst state any post set, on the scale Statuspage uses for
the same words, so one word means one impact across vendors.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...ledger.model import IMPACTS

COMPONENT_IMPACT: dict[str, str] = {
    "operational": "none",
    "maintenance": "none",
    "under_maintenance": "none",
    "degraded": "minor",
    "degraded_performance": "minor",
    "partial_outage": "major",
    "full_outage": "critical",
    "major_outage": "critical",
}


def worst_state(states: Iterable[str]) -> tuple[str | None, str | None]:
    """(ledger impact, the vendor's word for it) of the worst known state, or (None, None) when none is known."""
    known = [(IMPACTS.index(COMPONENT_IMPACT[s]), s) for s in states if s in COMPONENT_IMPACT]
    if not known:
        return None, None
    _, word = max(known)
    return COMPONENT_IMPACT[word], word
