"""Git history of incident files, read in one pass for the whole tree."""

from __future__ import annotations

import subprocess
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .model import Incident
from .timeutil import parse_time

_SEP = "\x1e"


@dataclass(frozen=True)
class Commit:
    sha: str
    date: datetime
    subject: str


History = dict[str, tuple[Commit, ...]]


def parse_log(output: str) -> History:
    """Map each path to its commits, oldest first, from `git log --name-only` output."""
    paths: dict[str, list[Commit]] = {}
    for record in output.split(_SEP):
        lines = [line for line in record.split("\n") if line.strip()]
        if not lines:
            continue
        header = lines[0].split("\t", 2)
        if len(header) != 3:
            continue
        try:
            commit = Commit(header[0], parse_time(header[1]), header[2])
        except ValueError:
            continue
        for path in lines[1:]:
            paths.setdefault(path.strip(), []).append(commit)
    return {path: tuple(reversed(commits)) for path, commits in paths.items()}


# The last history read under `mkdocs serve`, by the commit it was read at.
HistoryCache = dict[str, tuple[History, Path]]


def read_history(folder: Path, cache: HistoryCache | None = None) -> tuple[History, Path | None]:
    """History of every file under `folder`, keyed by path relative to the repository top.

    No git, no repository or a shallow failure gives an empty history: pages then
    fall back to incident start times, and the build still works. With a `cache`, the log
    is read again only when HEAD has moved (history changes with commits, not edits).
    """
    try:
        top, head = subprocess.run(
            ["git", "rev-parse", "--show-toplevel", "HEAD"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.split("\n")[:2]
        if cache is not None and head in cache:
            return cache[head]
        log = subprocess.run(
            ["git", "log", f"--format={_SEP}%H%x09%cI%x09%s", "--name-only", "--no-renames", "--", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}, None
    top_path = Path(top)
    prefix = folder.resolve().relative_to(top_path.resolve()).as_posix()
    history = parse_log(log)
    if prefix != ".":
        history = {path: commits for path, commits in history.items() if path.startswith(prefix + "/")}
    if cache is not None:
        cache.clear()
        cache[head] = (history, top_path)
    return history, top_path


@dataclass(frozen=True)
class Change:
    """One commit on the Changes page, with the incident files it added or corrected."""

    commit: Commit
    added: tuple[str, ...]
    changed: tuple[str, ...]


# A commit touching more incident files than this is a bulk change (a backfill, a reformat): it adds
# history, not news, so it neither announces its files to subscribers nor marks them corrected.
BULK = 50


class FileHistory:
    """The history of incident files, looked up by incident; empty when there is no repository."""

    def __init__(self, history: History, incidents_prefix: str) -> None:
        self.history = history
        self.prefix = incidents_prefix.rstrip("/")
        sizes: dict[str, int] = defaultdict(int)
        for commits in history.values():
            for commit in commits:
                sizes[commit.sha] += 1
        self.bulk = {sha for sha, size in sizes.items() if size > BULK}

    def path(self, incident: Incident) -> str:
        return f"{self.prefix}/{incident.year}/{incident.id}.md" if self.prefix else incident.path

    def commits(self, incident: Incident) -> tuple[Commit, ...]:
        return self.history.get(self.path(incident), ())

    def __call__(self, incident: Incident) -> datetime:
        """When the incident entered the ledger: its file's first commit, else its start. A file that came in
        with a bulk commit is history, published at its own latest time so that it does not flood feeds."""
        commits = self.commits(incident)
        if not commits:
            return incident.start
        return incident.last_change() if commits[0].sha in self.bulk else commits[0].date

    def modified(self, incident: Incident) -> datetime:
        """When the incident's facts last changed: its own latest time, or a later correction of its file
        (a commit after the one that added it, not a bulk change)."""
        corrections = [c.date for c in self.commits(incident)[1:] if c.sha not in self.bulk]
        return max([incident.last_change(), *corrections])

    def __bool__(self) -> bool:
        return bool(self.history)

    def changes(self, incidents: Iterable[Incident], limit: int) -> list[Change]:
        """The newest commits that touched the given incidents' files, newest first."""
        ids = {self.path(i): i.id for i in incidents}
        added: dict[Commit, list[str]] = defaultdict(list)
        changed: dict[Commit, list[str]] = defaultdict(list)
        for path, commits in self.history.items():
            if path not in ids:
                continue
            added[commits[0]].append(ids[path])
            for commit in commits[1:]:
                changed[commit].append(ids[path])
        ordered = sorted(set(added) | set(changed), key=lambda c: (c.date, c.sha), reverse=True)[:limit]
        return [Change(c, tuple(sorted(added[c])), tuple(sorted(changed[c]))) for c in ordered]
