"""What an incident page says to readers where the record's file speaks to contributors."""

from __future__ import annotations

from ..ledger.history import BODY, Commit
from ..ledger.model import FACT_KEYS, OPTIONAL_KEYS, REQUIRED_KEYS

_LABELS = {
    "model": "models",
    "impact_vendor": "the vendor's grade",
    "updates": "status updates",
    "time_precision": "time precision",
    "vendor_refs": "vendor references",
    BODY: "description",
}


# Changes are named in the order the contributor guide lists the fields.
_ORDER = {key: index for index, key in enumerate((*REQUIRED_KEYS, *OPTIONAL_KEYS, BODY))}


def _labels(keys: list[str]) -> str:
    ordered = sorted(keys, key=lambda key: (_ORDER.get(key, len(_ORDER)), key))
    return ", ".join(_LABELS.get(key, key.replace("_", " ")) for key in ordered)


def describe(commit: Commit, first: bool) -> str:
    """A commit as a change to the record: what it corrected (facts) and what else it revised."""
    if first:
        return "Recorded"
    facts = [key for key in commit.changed if key in FACT_KEYS]
    others = [key for key in commit.changed if key not in FACT_KEYS]
    parts = [f"Corrected {_labels(facts)}"] if facts else []
    parts += [f"{'revised' if facts else 'Revised'} {_labels(others)}"] if others else []
    if parts:
        return "; ".join(parts)
    return "Changed" if commit.facts else "Reformatted, with no change to the record"
