"""Backfill: a vendor's whole published history from a public archive, with its provenance.

The archive's copy of the vendor's data is read with the live readers' rules and planned
by the same importer as `collect`, so a re-run changes nothing, hand-written records are
linked (by the vendor's id they cite, or a much closer title) instead of duplicated, and
records posted after the fact follow the same rule. Each record cites the vendor's own
incident page and names the archive, at its commit, that the data was read from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..ledger.model import Vendor
from .draft import find_models
from .importer import Existing, Importer, Plan
from .readers.archives import ArchiveRead
from .readers.record import VendorIncident

GITHUB = re.compile(r"^https://github\.com/[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
BATCH = 100
# Names that look like a model in a status text; each is checked against the registry.
MODEL_LIKE = re.compile(
    r"\b(?:claude[ -](?:instant[ -]?\d(?:\.\d)?|\d(?:\.\d)?(?:[ -](?:opus|sonnet|haiku))?"
    r"|(?:opus|sonnet|haiku)[ -]\d(?:\.\d)?)"
    r"|(?:opus|sonnet|haiku)[ -]\d(?:\.\d)?|gpt-\d(?:\.\d)?(?:[ -]?(?:turbo|mini|o))?|dall[·-]?e[ -]?\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Archive:
    """A file in a public repository at one commit: where the vendor's data was read from."""

    repository: str
    commit: str
    path: str

    @property
    def url(self) -> str:
        return f"{self.repository}/blob/{self.commit}/{self.path}"


def parse_archive(value: str, path: str) -> Archive | str:
    """`https://github.com/OWNER/NAME@COMMIT` and the file's path in it, or why they are not acceptable."""
    repository, _, commit = value.partition("@")
    if not GITHUB.match(repository.rstrip("/")):
        return f"`{repository}` is not a public repository's address (https://github.com/OWNER/NAME)"
    if not COMMIT.match(commit):
        return "the archive needs its commit: `https://github.com/OWNER/NAME@<40 hex digits>`"
    clean = path.strip("/")
    if not clean or ".." in clean.split("/"):
        return f"`{path}` is not a path inside the repository"
    return Archive(repository.rstrip("/"), commit, clean)


@dataclass
class Backfill:
    plan: Plan = field(default_factory=Plan)
    unknown_models: Counter[str] = field(default_factory=Counter)

    def count(self, kind: str) -> int:
        return sum(a.kind == kind for a in self.plan.actions)

    def summary(self, read: int, unreadable: int) -> list[str]:
        after = sum("posted after the fact" in a.detail for a in self.plan.actions)
        dated = sum("recorded by date only" in a.detail for a in self.plan.actions)
        maintenance = sum("scheduled maintenance" in a.detail for a in self.plan.actions)
        lines = [
            f"{read} record(s) read, {unreadable} unreadable",
            f"{self.count('created')} created, {self.count('updated')} updated, {self.count('unchanged')} unchanged, "
            f"{self.count('linked') + self.count('matched')} linked to hand-written records, "
            f"{maintenance} planned maintenance skipped, {self.count('error')} failed",
            f"{after} posted after the fact: {after - dated} with the window their text states, {dated} by date only",
        ]
        if self.unknown_models:
            names = ", ".join(f"{name} ({n})" for name, n in sorted(self.unknown_models.items()))
            lines.append(f"model names not in the registry: {names}")
        return lines


def named_unknown(vendor: Vendor, texts: Sequence[str]) -> set[str]:
    """Model-like names in the texts that no registry model of the vendor matches."""
    mentions = {m.group(0).lower() for text in texts for m in MODEL_LIKE.finditer(text)}
    return {name for name in mentions if not find_models(vendor, [name])}


def backfill(
    read: ArchiveRead,
    vendor: Vendor,
    existing: Sequence[Existing],
    archive: Archive,
    link: bool,
    match: re.Pattern[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Backfill:
    """Plan the archive's records in batches (reporting progress), keeping those that `match` names."""
    chosen = [r for r in read.records if match is None or _matches(match, r)]
    result = Backfill()
    importer = Importer(vendor, existing, link=link, archive=archive.url, archive_gap=read.gap)
    for first in range(0, len(chosen), BATCH):
        batch = chosen[first : first + BATCH]
        part = importer.plan(batch)
        result.plan.actions += part.actions
        result.plan.writes.update(part.writes)
        result.plan.unknown_components |= part.unknown_components
        for record in batch:
            result.unknown_models.update(named_unknown(vendor, [record.title, *(u.text for u in record.updates)]))
        if progress is not None:
            progress(first + len(batch), len(chosen))
    return result


def _matches(pattern: re.Pattern[str], record: VendorIncident) -> bool:
    return any(pattern.search(text) for text in (record.title, *(u.text for u in record.updates)))
