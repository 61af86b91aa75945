"""The edges of `notify`: which incident files a range of commits added or corrected, and delivery.

The range is read with the feeds' own history code (`parse_log`, `mark_fact_changes`, `BULK`), so a
commit that only rewords, re-cites or reformats sends nothing, exactly as it marks no feed entry updated.
Delivery retries network errors, 429 and 5xx with back-off (honouring Retry-After) within one deadline;
a target URL is never printed, only its redacted form.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..ledger.history import BULK, LOG_FORMAT, Commit, History, mark_fact_changes, parse_log
from ..ledger.notify import RangeChanges, Touched
from .fetch import RETRY, USER_AGENT
from .retry import retry_delay


class NotifyError(Exception):
    """A range, a target or a delivery went wrong; the message never holds a target URL."""


def _git(top: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=top, capture_output=True, text=True, timeout=120, check=True).stdout
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        raise NotifyError(f"git {' '.join(args[:2])} failed: {detail.strip()}") from error


def range_changes(folder: Path, since: str, until: str) -> RangeChanges:
    """Incident files added or whose facts changed in `since..until`, from the feeds' history rule."""
    top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    for rev in (since, until):
        _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    prefix = folder.resolve().relative_to(top.resolve()).as_posix()
    log = _git(top, "log", "-z", LOG_FORMAT, "--raw", "--no-abbrev", "--no-renames", f"{since}..{until}", "--", prefix)
    history: History = {p: c for p, c in parse_log(log).items() if p.endswith(".md") and p.startswith(prefix + "/")}
    sizes: dict[str, int] = {}
    for commits in history.values():
        for commit in commits:
            sizes[commit.sha] = sizes.get(commit.sha, 0) + 1
    bulk = {sha for sha, size in sizes.items() if size > BULK}
    # A file's first commit in the range is a correction when the file existed before it.
    history = mark_fact_changes({p: (_placeholder(c[0]), *c) for p, c in history.items()}, top)
    files = []
    for path, commits in sorted(history.items()):
        own = [c for c in commits[1:] if c.sha not in bulk]
        if not own:
            continue
        added = own[0].before.strip("0") == "" and all(c.sha not in bulk for c in commits[1:2])
        if own[-1].after.strip("0") == "":
            continue  # deleted in the range
        changed = sorted({k for c in own if c.facts for k in c.changed})
        if added or changed:
            files.append(Touched(path, added, () if added else tuple(changed)))
    seen = {c.sha: c for commits in history.values() for c in commits[1:] if c.sha in bulk}
    ordered = sorted(seen.values(), key=lambda c: c.date)
    return RangeChanges(tuple(files), tuple(ordered), tuple(sizes[c.sha] for c in ordered))


def _placeholder(first: Commit) -> Commit:
    """`mark_fact_changes` treats a file's first commit as its creation; here every commit in the range
    may be a correction, so a stand-in goes first."""
    return Commit("0" * 40, first.date, "")


def resolve(target: str) -> str:
    """A target's URL: given directly, or `env:NAME` read from the environment (never from argv logs)."""
    if target.startswith("env:"):
        value = os.environ.get(target[4:], "")
        if not value:
            raise NotifyError(f"environment variable {target[4:]} is not set or empty")
        target = value
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotifyError(f"target {redact(target)} is not an http(s) URL")
    return target


def redact(url: str) -> str:
    """Scheme and host only: a webhook's path and query are its secret."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…" if parts.hostname else "<target>"


@dataclass(frozen=True)
class SendSettings:
    timeout: float = 15.0
    deadline: float = 120.0  # for all attempts of one message
    retries: int = 4
    backoff: float = 1.0
    max_retry_after: float = 60.0


def post(
    url: str,
    payload: dict[str, Any],
    settings: SendSettings | None = None,
    sleep: Callable[[float], None] | None = None,
) -> None:
    """POST one JSON message, retrying network errors, 429 and 5xx within the deadline."""
    settings = settings or SendSettings()
    pause = sleep or time.sleep
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT.replace("collect", "notify")}
    end = time.monotonic() + settings.deadline
    reason = ""
    for attempt in range(settings.retries + 1):
        left = end - time.monotonic()
        if left <= 0:
            break
        retry_headers: dict[str, str] = {}
        try:
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=min(settings.timeout, left)) as response:
                response.read(65536)
                return
        except urllib.error.HTTPError as error:
            reason = f"HTTP {error.code}"
            if error.code not in RETRY:
                raise NotifyError(f"{redact(url)} answered {reason}") from None
            retry_headers = dict(error.headers.items()) if error.headers else {}
        except (OSError, ValueError) as error:
            reason = type(error).__name__
        if attempt < settings.retries:
            wait = retry_delay(attempt, retry_headers, settings.backoff, settings.max_retry_after, time.time())
            if time.monotonic() + wait >= end:
                break
            pause(wait)
    raise NotifyError(f"{redact(url)} failed after retries ({reason or 'deadline passed'})")
