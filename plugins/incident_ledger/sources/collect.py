"""Collect: fetch each vendor's configured sources, plan the import, and extend coverage.

A vendor succeeds or fails as a whole: when any of its sources cannot be fetched or read,
or the files it would write do not validate, nothing of that vendor is written and its
coverage stays as it was. Other vendors still run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from ..ledger.coverage import Coverage, SourceCoverage, extend, unchanged_since
from ..ledger.load import parse_text
from ..ledger.model import CollectSource, Problem, Registry, Vendor
from ..ledger.stats import Interval
from ..ledger.timeutil import iso
from ..ledger.validate import validate_document
from .fetch import Fetcher, FetchError
from .importer import Action, Existing, Importer
from .readers.kinds import READERS
from .readers.record import ExportError
from .readers.statuspage import PAGE_LIMIT

# How many incidents a kind's list holds at most; fewer means the whole published list.
# None: the list is the vendor's whole history. Feeds never tell, so they never count as complete.
LIST_LIMITS: dict[str, int | None] = {"statuspage": PAGE_LIMIT, "incident.io": PAGE_LIMIT, "google-cloud": None}
SHARED_KINDS = frozenset({"google-cloud", "azure"})  # one list for many products: keep the registry's only


@dataclass
class VendorRun:
    vendor: str
    actions: list[Action] = field(default_factory=list)
    writes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    gaps: list[tuple[str, Interval]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    @property
    def incomplete(self) -> bool:
        """Some incidents could not be imported: reported, and the run's exit code says so."""
        return any(a.kind == "error" for a in self.actions)

    def count(self, kind: str) -> int:
        return sum(a.kind == kind for a in self.actions)

    def summary(self) -> str:
        if self.failed:
            return f"{self.vendor}: failed, nothing written ({len(self.failures)} source(s) failed)"
        parts = {
            "new": self.count("created"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "matched": self.count("matched") + self.count("linked"),
            "failed": self.count("error"),
        }
        return f"{self.vendor}: " + ", ".join(f"{n} {name}" for name, n in parts.items())


def is_complete(kind: str, returned: int) -> bool:
    limit = LIST_LIMITS.get(kind, 0)
    return limit is None or returned < limit


def check_writes(writes: dict[str, str], registry: Registry, now: datetime, root_name: str) -> list[Problem]:
    """Validate planned files in memory, so that a vendor whose output is invalid writes nothing."""
    problems = []
    for relative, text in writes.items():
        doc = parse_text(text, f"{root_name}/{relative}")
        found = validate_document(doc, registry, now).problems
        problems += [p for p in found if p.is_error]
    return problems


@dataclass
class Collector:
    registry: Registry
    coverage: Coverage
    existing: Sequence[Existing]
    now: datetime
    fetcher: Fetcher
    root_name: str = "incidents"
    link: bool = False

    def sources(self, vendor: Vendor, url: str | None) -> list[tuple[CollectSource, str]]:
        """Each source with the address to fetch it from; `url` (a mirror, a test server) replaces the
        first source's address, while coverage stays recorded against the source itself."""
        if url is None:
            return [(source, source.url) for source in vendor.collect]
        return [(vendor.collect[0], url)] if vendor.collect else []

    def run(self, vendor: Vendor, url: str | None = None) -> VendorRun:
        run = VendorRun(vendor.id, coverage=self.coverage)
        importer = Importer(vendor, self.existing, link=self.link)
        coverage = self.coverage
        for source, address in self.sources(vendor, url):
            previous = coverage.source(vendor.id, source.url) or SourceCoverage(source.kind, source.url)
            try:
                fetched = self.fetcher.get(address, previous.etag, previous.last_modified)
                if fetched.status == 304:
                    extension = unchanged_since(previous, self.now)
                    run.notes.append(f"{address}: not modified since {iso(previous.fetched or self.now)}")
                else:
                    records = READERS[source.kind](fetched.body, source.url)
                    plan = importer.plan(records, only_mapped=source.kind in SHARED_KINDS)
                    run.actions += plan.actions
                    run.writes.update(plan.writes)
                    run.notes += [f"{source.url}: {note}" for note in plan.notes()]
                    if plan.failed:
                        run.notes.append(f"{source.url}: coverage not extended: some incidents could not be imported")
                        continue
                    complete = is_complete(source.kind, len(records))
                    starts = [r.start for r in records if r.start is not None and not r.maintenance]
                    extension = extend(
                        replace(previous, kind=source.kind),
                        starts,
                        complete,
                        self.now,
                        fetched.etag,
                        fetched.last_modified,
                    )
            except (FetchError, ExportError) as error:
                run.failures.append(f"{vendor.id}: {address}: {error}")
                continue
            if extension.gap:
                run.gaps.append((source.url, extension.gap))
            coverage = coverage.with_source(vendor.id, extension.coverage)
        problems = check_writes(run.writes, self.registry, self.now, self.root_name)
        run.failures += [f"{vendor.id}: would write an invalid file: {p.human()}" for p in problems]
        if run.failed:
            run.writes = {}
        else:
            run.coverage = coverage
        return run

    def run_all(self, vendors: Sequence[Vendor], url: str | None = None) -> list[VendorRun]:
        """Each vendor in turn; a vendor's failure leaves the shared coverage as the others made it."""
        runs = []
        for vendor in vendors:
            run = self.run(vendor, url)
            if not run.failed:
                self.coverage = run.coverage
            runs.append(run)
        return runs
