"""Collect: fetch each vendor's configured sources, plan the import, and extend coverage.

Failures stay as small as they can: a record that cannot be imported, or a file that would
not validate, is reported with its id and left out while the others are written; a source
that cannot be fetched or read writes nothing; any fault of one vendor is that vendor's
alone. Coverage grows only on evidence (see `continuity`): never on a failure, an empty or
shrunken list, a list whose items were all skipped, or a 304 nobody asked for. Each vendor's
requests share a budget, and the run has one; a vendor the run's budget does not reach is
reported as not collected.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from ..ledger.coverage import Coverage, Extension, SourceCoverage, unchanged_since
from ..ledger.load import MAX_BYTES, parse_text
from ..ledger.model import CollectSource, Problem, Registry, Vendor
from ..ledger.stats import Interval
from ..ledger.timeutil import iso
from ..ledger.validate import validate_document
from .continuity import Seen, continues
from .draft import components_of
from .fetch import Fetcher, FetchError
from .importer import Action, Existing, Importer
from .readers.kinds import read
from .readers.record import ExportError

SHARED_KINDS = frozenset({"google-cloud", "azure"})  # one list for many products: keep the registry's only
MAX_RECORDS = 5000  # per source and run: more is not a status list; a whole history goes through `backfill`
MAX_NEW_FILES = 500  # per vendor and run: a flood of new files is reviewed as a backfill, not a collect
VENDOR_BUDGET = 300.0  # seconds for all requests of one vendor, retries and waits included
RUN_BUDGET = 1800.0  # seconds for one whole run; vendors not reached by then are reported, not collected


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


def check_writes(writes: dict[str, str], registry: Registry, now: datetime, root_name: str) -> dict[str, list[Problem]]:
    """Validate planned files in memory, with the limits `validate` reads files under: the errors of each
    file that would not validate, by its path. Nothing `validate` would refuse is ever written."""
    invalid = {}
    for relative, text in writes.items():
        size = len(text.encode("utf-8"))
        if size > MAX_BYTES:
            message = f"file would be {size} bytes, over the limit of {MAX_BYTES} `validate` reads"
            hint = "the vendor's record is too long to import whole; write it by hand, citing the vendor's page"
            invalid[relative] = [Problem(f"{root_name}/{relative}", 1, "", message, hint)]
            continue
        doc = parse_text(text, f"{root_name}/{relative}")
        errors = [p for p in validate_document(doc, registry, now).problems if p.is_error]
        if errors:
            invalid[relative] = errors
    return invalid


@dataclass
class Collector:
    registry: Registry
    coverage: Coverage
    existing: Sequence[Existing]
    now: datetime
    fetcher: Fetcher
    root_name: str = "incidents"
    link: bool = False
    vendor_budget: float = VENDOR_BUDGET
    run_budget: float = RUN_BUDGET

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
                extension = self.source(vendor, source, address, previous, importer, run)
            except (FetchError, ExportError) as error:
                run.failures.append(f"{vendor.id}: {address}: {error}")
                continue
            if extension is None:
                continue
            if extension.gap:
                run.gaps.append((source.url, extension.gap))
            coverage = coverage.with_source(vendor.id, extension.coverage)
        new_files = run.count("created")
        if new_files > MAX_NEW_FILES:
            run.failures.append(
                f"{vendor.id}: would create {new_files} files, over the {MAX_NEW_FILES} a collect may; "
                "load a whole history with `incident-ledger backfill`"
            )
        for relative, problems in check_writes(run.writes, self.registry, self.now, self.root_name).items():
            del run.writes[relative]
            run.actions.append(Action("error", vendor.id, relative, "would not validate: " + problems[0].human()))
            run.notes.append(f"coverage not extended: {relative} would not validate")
            coverage = self.coverage
        if run.failed:
            run.writes = {}
        else:
            run.coverage = coverage
        return run

    def source(
        self, vendor: Vendor, source: CollectSource, address: str, previous: SourceCoverage, importer: Importer,
        run: VendorRun,
    ) -> Extension | None:  # fmt: skip
        """Fetch, read and plan one source; the coverage it earns, or None when it earns none."""
        fetched = self.fetcher.get(address, previous.etag, previous.last_modified)
        now = min(self.now, fetched.date) if fetched.date else self.now
        if fetched.status == 304:
            run.notes.append(f"{address}: not modified since {iso(previous.fetched or now)}")
            return unchanged_since(previous, now)
        records = read(source.kind, fetched.body, vendor.status_page or source.url)
        if len(records) > MAX_RECORDS:
            raise ExportError(f"{len(records)} records, over the {MAX_RECORDS} one status list may hold")
        plan = importer.plan(records, only_mapped=source.kind in SHARED_KINDS)
        run.actions += plan.actions
        run.writes.update(plan.writes)
        run.notes += [f"{source.url}: {note}" for note in plan.notes()]
        if plan.failed:
            run.notes.append(f"{source.url}: coverage not extended: some incidents could not be imported")
            return None
        watched = [r for r in records if r.start is not None and not r.maintenance]
        if source.kind in SHARED_KINDS:
            watched = [r for r in watched if any(c in vendor.components for c in components_of(r))]
        seen = Seen.of(self.existing, vendor.id, {r.ref_source for r in records} or {source.kind})
        decision = continues(
            replace(previous, kind=source.kind),
            watched,
            seen,
            self.coverage.last_end(vendor.id),
            now,
            fetched.etag,
            fetched.last_modified,
        )
        if decision.reason:
            run.notes.append(f"{source.url}: coverage not extended: {decision.reason}")
        return decision.extension

    def runs(self, vendors: Sequence[Vendor], url: str | None = None) -> Iterator[VendorRun]:
        """Each vendor in turn, within its budget and the run's; a vendor's failure leaves the shared
        coverage as the others made it. Yielded one by one, so each can be written as soon as it is done."""
        run_end = time.monotonic() + self.run_budget
        for vendor in vendors:
            if time.monotonic() >= run_end:
                run = VendorRun(vendor.id, coverage=self.coverage)
                run.failures.append(f"{vendor.id}: not collected: the run's budget of {self.run_budget:g} s ran out")
                yield run
                continue
            self.fetcher.until = min(run_end, time.monotonic() + self.vendor_budget)
            try:
                run = self.run(vendor, url)
            except Exception as error:  # one vendor's fault of any kind stays that vendor's
                run = VendorRun(vendor.id, coverage=self.coverage)
                run.failures.append(f"{vendor.id}: unexpected failure: {type(error).__name__}: {error}"[:400])
            if not run.failed:
                self.coverage = run.coverage
            yield run

    def run_all(self, vendors: Sequence[Vendor], url: str | None = None) -> list[VendorRun]:
        return list(self.runs(vendors, url))
