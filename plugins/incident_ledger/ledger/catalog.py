"""The validated set of incidents, indexed the ways pages and statistics need."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from .coverage import Coverage
from .model import Incident, Registry

T = TypeVar("T")


@dataclass(frozen=True)
class Catalog:
    """Incidents newest first, with lookups by id, vendor and model."""

    incidents: tuple[Incident, ...]
    registry: Registry
    now: datetime
    coverage: Coverage = field(default_factory=Coverage)
    # Results kept from earlier catalogs of the same ledger (under `mkdocs serve`), with what each depended on.
    carried: dict[Hashable, tuple[Any, Any]] | None = field(default=None, repr=False, compare=False)
    by_id: dict[str, Incident] = field(init=False)
    by_vendor: dict[str, tuple[Incident, ...]] = field(init=False)
    # Results of pure functions of this catalog, shared by the pages, badges and open data that ask for them.
    _memo: dict[Hashable, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.incidents, key=lambda i: (i.start, i.id), reverse=True))
        vendors: dict[str, list[Incident]] = defaultdict(list)
        for incident in ordered:
            vendors[incident.vendor].append(incident)
        object.__setattr__(self, "incidents", ordered)
        object.__setattr__(self, "by_id", {i.id: i for i in ordered})
        object.__setattr__(self, "by_vendor", {v: tuple(items) for v, items in vendors.items()})
        object.__setattr__(self, "_memo", {})

    def memo(self, key: Hashable, compute: Callable[[], T], depends: Any = None) -> T:
        """`compute()` once per catalog: the catalog never changes, so neither does the result.

        With `depends` (everything the result is computed from), a result carried from an earlier
        catalog whose `depends` was equal is reused.
        """
        if key in self._memo:
            return self._memo[key]  # type: ignore[no-any-return]
        if depends is None or self.carried is None:
            value = compute()
        else:
            kept = self.carried.get(key)
            value = kept[1] if kept is not None and kept[0] == depends else compute()
            self.carried[key] = (depends, value)
        self._memo[key] = value
        return value

    def vendor_scope(self, vendor_id: str) -> tuple[Any, ...]:
        """Everything a vendor's own figures and pages are computed from, besides the registry."""
        return (self.now, self.for_vendor(vendor_id), self.coverage.vendors.get(vendor_id))

    def for_vendor(self, vendor_id: str) -> tuple[Incident, ...]:
        return self.by_vendor.get(vendor_id, ())

    def for_model(self, vendor_id: str, model_id: str) -> tuple[Incident, ...]:
        """Incidents naming the model, plus vendor-wide (`model: all`) ones."""
        return self.memo(
            ("for_model", vendor_id, model_id),
            lambda: tuple(i for i in self.for_vendor(vendor_id) if i.covers_model(model_id)),
        )

    def at_hosts(self, vendor_id: str, model_id: str) -> tuple[tuple[str, Incident], ...]:
        """Incidents other vendors posted about this model as they serve it (Claude in GitHub Copilot), each
        with its host's id, newest first."""

        def find() -> tuple[tuple[str, Incident], ...]:
            found = []
            for host in self.registry.vendors.values():
                hosted = {m for m, info in host.models.items() if info.of == (vendor_id, model_id)}
                found += [(host.id, i) for i in self.for_vendor(host.id) if hosted & set(i.models)]
            return tuple(sorted(found, key=lambda pair: pair[1].start, reverse=True))

        return self.memo(("at_hosts", vendor_id, model_id), find)

    def classes_of(self, incident: Incident) -> tuple[str, ...]:
        """The product classes an incident counts for (its vendor's default class when it names no product)."""
        vendor = self.registry.vendor(incident.vendor)
        return vendor.classes_of(incident.products) if vendor else ("other",)

    def models_with_incidents(self, vendor_id: str) -> list[str]:
        """Model ids named explicitly by at least one incident, in registry order."""
        named = {m for i in self.for_vendor(vendor_id) for m in i.models}
        vendor = self.registry.vendor(vendor_id)
        order = list(vendor.models) if vendor else []
        return [m for m in order if m in named]

    def ongoing(self) -> tuple[Incident, ...]:
        return tuple(i for i in self.incidents if i.ongoing)

    def vendor_ids(self) -> list[str]:
        """Vendors with at least one incident or some coverage, in registry order."""
        return [v for v in self.registry.vendors if v in self.by_vendor or self.coverage.spans(v)]
