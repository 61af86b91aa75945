"""Git history of incident files, read in one pass for the whole tree."""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from .fields import HIDDEN
from .load import parse_text
from .model import FACT_KEYS, Incident
from .timeutil import parse_time

SHA = re.compile(r"^[0-9a-f]{40}$")
LOG_FORMAT = "--format=%H%x00%cI%x00%s"


@dataclass(frozen=True)
class Commit:
    """One commit as it touched one file: the blobs before and after (from `--raw`; empty when unknown)
    say whether it changed the file's facts. They are not part of a commit's identity."""

    sha: str
    date: datetime
    subject: str
    before: str = field(default="", compare=False)
    after: str = field(default="", compare=False)
    facts: bool = field(default=True, compare=False)
    # The front-matter keys (and BODY for the text) this commit changed in the file; empty when unknown.
    changed: tuple[str, ...] = field(default=(), compare=False)


History = dict[str, tuple[Commit, ...]]


def parse_log(output: str) -> History:
    """Map each path to its commits, oldest first, from `git log -z --format=%H%x00%cI%x00%s --raw` output.

    Every field ends with a NUL, which no commit subject or path can hold, so no byte of a subject can
    pose as another commit or another file. A commit is a 40-digit sha, its date and its subject; each
    `:mode mode before after status` entry after it is followed by the path it touched.
    """
    paths: dict[str, list[Commit]] = {}
    tokens = output.split("\0")
    commit: Commit | None = None
    at = 0
    while at < len(tokens):
        token = tokens[at].lstrip("\n")
        if token.startswith(":") and at + 1 < len(tokens):
            fields = token.split()
            if commit is not None and len(fields) >= 5:
                after = replace(commit, before=fields[2], after=fields[3])
                paths.setdefault(tokens[at + 1], []).append(after)
            at += 2
        elif SHA.match(token) and at + 2 < len(tokens):
            try:
                commit = Commit(token, parse_time(tokens[at + 1]), " ".join(HIDDEN.sub("", tokens[at + 2]).split()))
            except ValueError:
                commit = None
            at += 3
        else:
            at += 1
    return {path: tuple(reversed(commits)) for path, commits in paths.items()}


BODY = "body"


def content_of(text: str) -> dict[str, object] | None:
    """A file's front-matter values and its body text, for telling what a commit changed."""
    doc = parse_text(text, "history")
    return {**doc.data, BODY: doc.body.strip()} if isinstance(doc.data, dict) else None


def changed_keys(before: dict[str, object], after: dict[str, object]) -> tuple[str, ...]:
    return tuple(sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k)))


def _blobs(top: Path, shas: Iterable[str]) -> dict[str, str]:
    """Blob texts by id, read in one `git cat-file --batch` call."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    out = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=top,
        input="\n".join(wanted).encode() + b"\n",
        capture_output=True,
        timeout=120,
        check=True,
    ).stdout
    texts, at = {}, 0
    while at < len(out):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3:
            continue
        size = int(header[2])
        texts[header[0].decode()] = out[at : at + size].decode("utf-8", "replace")
        at += size + 1
    return texts


def mark_fact_changes(history: History, top: Path) -> History:
    """Mark each later commit of an incident file with what it changed, and whether that touched the facts,
    so that a commit that only reworded the body, re-cited sources or reformatted is no correction."""
    later = [c for commits in history.values() for c in commits[1:] if c.before and c.after]
    texts = _blobs(top, [sha for c in later for sha in (c.before, c.after)])
    contents = {sha: content_of(text) for sha, text in texts.items()}
    marked: History = {}
    for path, commits in history.items():
        kept = [commits[0]]
        for commit in commits[1:]:
            before, after = contents.get(commit.before), contents.get(commit.after)
            if before is None or after is None:
                kept.append(commit)
                continue
            changed = changed_keys(before, after)
            kept.append(replace(commit, changed=changed, facts=any(k in FACT_KEYS for k in changed)))
        marked[path] = tuple(kept)
    return marked


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
            ["git", "log", "-z", LOG_FORMAT, "--raw", "--no-abbrev", "--no-renames", "--", "."],
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
    # Without the blobs every later commit counts as a correction: feeds may then say "updated" too often,
    # never too seldom.
    with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError):
        history = mark_fact_changes(history, top_path)
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
    bulk: bool = False  # a backfill or restatement: the page gives its counts, not a list of hundreds


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
        (a commit after the one that added it that changed its facts, not a bulk change)."""
        corrections = [c.date for c in self.commits(incident)[1:] if c.facts and c.sha not in self.bulk]
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
        return [Change(c, tuple(sorted(added[c])), tuple(sorted(changed[c])), c.sha in self.bulk) for c in ordered]
