"""Git history of incident files, read in one pass for the whole tree."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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


def read_history(folder: Path) -> tuple[History, Path | None]:
    """History of every file under `folder`, keyed by path relative to the repository top.

    No git, no repository or a shallow failure gives an empty history: pages then
    fall back to incident start times, and the build still works.
    """
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
        log = subprocess.run(
            ["git", "log", f"--format={_SEP}%H%x09%cI%x09%s", "--name-only", "--no-renames", "--", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}, None
    top_path = Path(top)
    prefix = folder.resolve().relative_to(top_path.resolve()).as_posix()
    history = parse_log(log)
    if prefix != ".":
        history = {path: commits for path, commits in history.items() if path.startswith(prefix + "/")}
    return history, top_path


def first_added(history: History, path: str) -> datetime | None:
    commits = history.get(path)
    return commits[0].date if commits else None
