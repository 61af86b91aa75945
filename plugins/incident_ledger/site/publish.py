"""Write feeds and open data into the built site: everything is produced in memory first,
so a failure leaves no half-written feed behind."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..ledger.catalog import Catalog
from ..ledger.history import FileHistory, HistoryCache, read_history
from ..ledger.timeutil import iso
from .badges import all_badges
from .cards import all_cards
from .export import RecordCache, open_data
from .feeds import FeedCache, FeedWriter, all_feeds


def file_history(incidents_root: Path, cache: HistoryCache | None = None) -> FileHistory:
    """Read the git history of the incidents folder once; no repository means an empty history."""
    history, top = read_history(incidents_root, cache)
    prefix = incidents_root.resolve().relative_to(top.resolve()).as_posix() if top else ""
    return FileHistory(history, prefix)


def head_commit(folder: Path) -> str | None:
    """The commit the site is built from; none outside a repository. `notify` after the next deploy starts
    from it, read from the live site's `api/build.json`."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--verify", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found or None


def build_info(catalog: Catalog, commit: str | None) -> bytes:
    return json.dumps({"commit": commit, "reference_time": iso(catalog.now)}, indent=2).encode() + b"\n"


def feed_links() -> list[tuple[str, str]]:
    """Subscribe links for the home page: site-relative paths of the main feeds."""
    return [
        ("All incidents (Atom)", "feeds/all.atom.xml"),
        ("All incidents (RSS)", "feeds/all.rss.xml"),
        ("All incidents (JSON Feed)", "feeds/all.json"),
        ("All incidents (calendar, .ics)", "feeds/all.ics"),
        ("Open data: incidents.json", "api/incidents.json"),
        ("Open data: incidents.csv", "api/incidents.csv"),
    ]


# Material treats every <link rel="alternate"> as another language version and fetches
# "sitemap.xml" beside it; an empty sitemap next to the feeds answers that request.
EMPTY_SITEMAP = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def outputs(
    catalog: Catalog,
    site_url: str,
    feed_size: int,
    published: FileHistory,
    feed_cache: FeedCache | None = None,
    record_cache: RecordCache | None = None,
    first_ids: Mapping[str, str] | None = None,
    commit: str | None = None,
) -> dict[str, bytes]:
    """Feeds, open data, badges and card images. The caches, kept across `mkdocs serve` rebuilds, spare the work
    for feeds and records whose inputs did not change."""
    writer = FeedWriter(catalog, site_url, published, published.modified, first_ids)
    files = {
        **all_feeds(writer, feed_size, feed_cache),
        **open_data(catalog, site_url, published, record_cache),
        **all_badges(catalog),
        **all_cards(catalog),
        "api/build.json": build_info(catalog, commit),
    }
    folders = {path.rsplit("/", 1)[0] for path in files if path.startswith("feeds/")}
    files.update({f"{folder}/sitemap.xml": EMPTY_SITEMAP for folder in folders})
    return files


def write_files(
    site_dir: Path,
    files: Iterable[tuple[str, bytes]],
    previous: Mapping[str, bytes] | None = None,
    atomic: bool = True,
) -> None:
    """Write the files under `site_dir`. With `atomic` (the default) each goes to a temporary name and
    is renamed, so readers never see a partial file.

    A file that `previous` (the last build's output in this process) holds with the same bytes
    and that is still on disk is left alone, as under `mkdocs serve --dirty`. Without `atomic` a file
    is written in place: for `mkdocs serve`, whose server answers no request until a rebuild is done.
    """
    folders: set[Path] = set()
    for relative, content in files:
        target = site_dir / relative
        if previous is not None and previous.get(relative) == content and target.is_file():
            continue
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        if not atomic:
            target.write_bytes(content)
            continue
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
