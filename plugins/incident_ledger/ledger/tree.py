"""Load a whole ledger tree: registry plus every incident file, into a catalog and problems.

This is the one entry point shared by the CLI and the MkDocs adapter, so both
report exactly the same problems for the same tree.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .coverage import Coverage
from .coverage_file import COVERAGE_NAME, load_coverage
from .evidence import SOURCES_NAME, load_source_classes, registry_hosts
from .load import Document, load_file
from .model import Incident, Problem, Registry
from .registry import load_registry
from .retired import PUBLISHED_NAME, RETIRED_NAME, Retired, check_ids, load_published, load_retired
from .validate import Checked, duplicate_ids, duplicate_vendor_refs, validate_document

REGISTRY_NAME = "vendors.yml"
# The files every incident is read against: a change to one of them can affect any incident.
REGISTRY_FILES = (REGISTRY_NAME, SOURCES_NAME, COVERAGE_NAME)


@dataclass
class LoadResult:
    catalog: Catalog
    problems: list[Problem]
    retired: Retired = field(default_factory=Retired)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


@dataclass
class ParseCache:
    """What `mkdocs serve` keeps between rebuilds: every file's parsed document and its verdict.

    A document is reused while its file's size and mtime stay the same; its verdict while the
    registry is equal and the reference time stays within the span the verdict holds for.
    """

    entries: dict[Path, tuple[tuple[int, int], Document]] = field(default_factory=dict)
    verdicts: dict[Path, tuple[Document, Checked]] = field(default_factory=dict)
    registry: Registry | None = None
    # Results the catalog computes, carried to the next catalog (see `Catalog.memo`).
    results: dict[Hashable, tuple[Any, Any]] = field(default_factory=dict)

    def same_registry(self, registry: Registry) -> Registry:
        """The previous load's registry when equal, so that verdicts and pages made against it still hold."""
        if self.registry is None or registry != self.registry:
            self.verdicts.clear()
            self.results.clear()
            self.registry = registry
        return self.registry

    def load(self, path: Path, display: str) -> Document:
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return load_file(path, display)
        cached = self.entries.get(path)
        if cached and cached[0] == stamp and cached[1].path == display:
            return cached[1]
        doc = load_file(path, display)
        self.entries[path] = (stamp, doc)
        return doc

    def check(self, path: Path, root: Path, registry: Registry, now: datetime) -> Checked:
        doc = self.load(path, display_path(path, root.parent))
        cached = self.verdicts.get(path)
        if cached and cached[0] is doc and cached[1].holds_at(now):
            return cached[1]
        verdict = _verdict(doc, path, root, registry, now)
        self.verdicts[path] = (doc, verdict)
        return verdict


def display_path(path: Path, base: Path) -> str:
    """Paths as a contributor sees them in the repository, with forward slashes."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return os.path.relpath(path, base).replace(os.sep, "/")


def incident_files(root: Path) -> list[Path]:
    """Every Markdown file under the incidents folder (misplaced ones are reported, not skipped)."""
    return sorted(p for p in root.rglob("*.md") if p.name.lower() != "readme.md")


def _placement(path: Path, root: Path, display: str) -> Problem | None:
    try:
        depth = len(path.relative_to(root).parts)
    except ValueError:
        return None
    if depth != 2:
        return Problem(display, 1, "", "incident files live in incidents/<YYYY>/", "move it into its year's folder")
    return None


PARALLEL_MIN = 2000


def _verdict(doc: Document, path: Path, root: Path, registry: Registry, now: datetime) -> Checked:
    checked = validate_document(doc, registry, now)
    placement = _placement(path, root, doc.path)
    if placement:
        return replace(checked, incident=None, problems=[*checked.problems, placement])
    return checked


def _check(paths: list[Path], root: Path, registry: Registry, now: datetime, cache: ParseCache | None) -> list[Checked]:
    if cache is not None:
        return [cache.check(path, root, registry, now) for path in paths]
    return [_verdict(load_file(path, display_path(path, root.parent)), path, root, registry, now) for path in paths]


def _check_parallel(paths: list[Path], root: Path, registry: Registry, now: datetime, workers: int) -> list[Checked]:
    """Large trees on a multi-core machine: contiguous chunks in forked workers, results in file order."""
    size = -(-len(paths) // workers)
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with multiprocessing.get_context("fork").Pool(len(chunks)) as pool:
        parts = pool.starmap(_check, [(chunk, root, registry, now, None) for chunk in chunks])
    return [result for part in parts for result in part]


def load_ledger(
    root: Path,
    now: datetime,
    only: list[Path] | None = None,
    cache: ParseCache | None = None,
    workers: int = 1,
) -> LoadResult:
    """Validate the tree at `root`; with `only`, report just those files but check ids across all.

    `workers` > 1 spreads a large tree over forked processes; the caller passes 1 where the
    platform cannot fork. The result is the same as with one.
    """
    root = root.resolve()
    base = root.parent
    registry, coverage, problems = load_registry_files(root, base, now)
    if cache is not None:
        registry = cache.same_registry(registry)
    files = incident_files(root) if root.is_dir() else []
    links = [path for path in files if path.is_symlink()]
    problems += [
        Problem(display_path(path, base), 1, "", "is a symbolic link; incident files must be regular files",
                "replace the link with the file itself")
        for path in links
    ]  # fmt: skip
    files = [path for path in files if path not in links]
    wanted = {p.resolve() for p in only} if only is not None else None
    known = set(files)
    paths = [*files, *sorted(p for p in wanted or () if p not in known)]
    if workers > 1 and cache is None and len(paths) >= PARALLEL_MIN:
        checked = _check_parallel(paths, root, registry, now, workers)
    else:
        checked = _check(paths, root, registry, now, cache)
    incidents: list[Incident] = []
    for path, verdict in zip(paths, checked, strict=True):
        if wanted is None or path in wanted:
            problems.extend(verdict.problems)
        if verdict.incident is not None:
            incidents.append(verdict.incident)
    dupes = duplicate_ids(incidents) + duplicate_vendor_refs(incidents)
    if wanted is not None:
        relevant = {display_path(p, base) for p in wanted}
        dupes = [p for p in dupes if p.path in relevant]
    problems.extend(dupes)
    bad = {p.path for p in dupes}
    kept = [i for i in incidents if i.path not in bad]
    retired, found = retired_ids(root, registry, [i.id for i in incidents])
    if wanted is None:
        problems.extend(found)
    problems.sort(key=Problem.sort_key)
    carried = cache.results if cache is not None else None
    return LoadResult(Catalog(tuple(kept), registry, now, coverage, carried), problems, retired)


def retired_ids(root: Path, registry: Registry, ids: list[str]) -> tuple[Retired, list[Problem]]:
    """Renamed and withdrawn ids, and every way a published id could stop answering."""
    base = root.parent
    retired, problems, lines = load_retired(root / RETIRED_NAME, registry)
    published, found = load_published(root / PUBLISHED_NAME)
    problems = _shown(problems, root / RETIRED_NAME, base) + _shown(found, root / PUBLISHED_NAME, base)
    names = (display_path(root / PUBLISHED_NAME, base), display_path(root / RETIRED_NAME, base))
    return retired, problems + check_ids(retired, published, ids, names, lines)


def load_registry_files(
    root: Path, base: Path, now: datetime | None = None
) -> tuple[Registry, Coverage, list[Problem]]:
    """The registry with its source classes, and coverage: the files every incident is read against
    (with `now`, coverage reaching into the future is a problem)."""
    registry, problems = load_registry(root / REGISTRY_NAME)
    problems = _shown(problems, root / REGISTRY_NAME, base)
    classes, found = load_source_classes(root / SOURCES_NAME)
    problems += _shown(found, root / SOURCES_NAME, base)
    registry = replace(registry, source_classes={**registry_hosts(registry), **classes})
    coverage, found = load_coverage(root / COVERAGE_NAME, registry, now)
    return registry, coverage, problems + _shown(found, root / COVERAGE_NAME, base)


def _shown(problems: list[Problem], path: Path, base: Path) -> list[Problem]:
    """Problems of a registry file, named by its path as a contributor sees it."""
    shown = display_path(path, base)
    return [Problem(shown, p.line, p.field, p.message, p.hint, p.severity) for p in problems]
