"""FlashDuty status pages (DeepSeek's `status.deepseek.com`): the page's `change/list` answer.

The page draws its history from `/api/status-page/<page id>/change/list`, whose `data.items` are the
changes (incidents and maintenances) started in the asked window, each with its posts. Saved captures
often bundle that `data` with the page's `summary/active` answer as `{active, changeList, structure}`;
both shapes are read, and a change open in `active` but not yet in the list is read too.

Times are epoch seconds. Each post sets the affected components to a state (degraded, partial_outage,
full_outage); the page grades nothing else, so the worst state is the grade (`grades.worst_state`).
The page has no address per incident: records link the page itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...ledger.model import STATUSES, TITLE_MAX, UPDATE_TEXT_MAX
from .grades import worst_state
from .record import ExportError, VendorIncident, VendorUpdate
from .text import clean_names, clean_text, epoch_time, load_json

SHAPE = "expected FlashDuty's change/list answer (`{data: {items: [...]}}`) or a capture holding it as `changeList`"
ID_MAX = 40


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Mapping[str, Any]] | None:
    items = _mapping(value).get("items")
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else None


def changes_of(export: Any) -> list[Mapping[str, Any]] | None:
    """The changes a FlashDuty answer or capture holds, or None when the JSON is neither."""
    root = _mapping(export)
    listed = _items(root.get("changeList") if "changeList" in root else root.get("data"))
    if listed is None or not all("change_id" in item for item in listed):
        return None
    seen = {item.get("change_id") for item in listed}
    active = _items({"items": _mapping(root.get("active")).get("active_changes")}) or []
    return [*listed, *(change for change in active if change.get("change_id") not in seen)]


def _states(change: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    for update in change.get("updates") or []:
        if isinstance(update, Mapping):
            yield from (c for c in update.get("component_changes") or [] if isinstance(c, Mapping))


def _updates(change: Mapping[str, Any]) -> tuple[VendorUpdate, ...]:
    rows = []
    for update in change.get("updates") or []:
        if not isinstance(update, Mapping):
            continue
        at = epoch_time(update.get("at_seconds"))
        text = clean_text(update.get("description"), UPDATE_TEXT_MAX)
        if at is None or not text:
            continue
        status = str(update.get("status") or "").lower()
        names = clean_names(c.get("component_name") for c in update.get("component_changes") or []
                            if isinstance(c, Mapping))  # fmt: skip
        rows.append(VendorUpdate(at, status if status in STATUSES else "", text, names))
    return tuple(sorted(rows, key=lambda row: row.at))


def _record(change: Mapping[str, Any], page_url: str) -> VendorIncident:
    updates = _updates(change)
    resolved = str(change.get("status") or "").lower() == "resolved"
    impact, word = worst_state(str(c.get("status") or "").lower() for c in _states(change))
    components = [c.get("name") for c in change.get("affected_components") or [] if isinstance(c, Mapping)]
    return VendorIncident(
        ref_source="flashduty",
        id=clean_text(change.get("change_id"), ID_MAX),
        title=clean_text(change.get("title"), TITLE_MAX),
        url=page_url,
        start=epoch_time(change.get("start_at_seconds")) or (updates[0].at if updates else None),
        end=epoch_time(change.get("close_at_seconds")) if resolved else None,
        resolved=resolved,
        impact=impact,
        impact_vendor=word,
        components=clean_names(components),
        updates=updates,
        maintenance=str(change.get("type") or "").lower() == "maintenance",
    )


def read_flashduty(data: bytes, base_url: str) -> list[VendorIncident]:
    """Every change of a saved or fetched answer, linked on `base_url` (the registry's status page)."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"{":
        raise ExportError(f"not a JSON object: {SHAPE}")
    changes = changes_of(load_json(data))
    if changes is None:
        raise ExportError(f"the JSON holds no FlashDuty changes: {SHAPE}")
    return [r for r in (_record(c, base_url) for c in changes) if r.id and r.title and r.start is not None]
