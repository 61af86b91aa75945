"""Where generated pages live and how they link to each other.

Generated pages carry their links inside HTML blocks, which MkDocs does not
rewrite, so the relative URLs are computed here for either URL style.
"""

from __future__ import annotations

from ..ledger.model import Incident

INDEX = "incidents/index.md"
TIMELINE = "timeline.md"
VENDORS = "vendors/index.md"
DATA = "data.md"
HOME = "index.md"
CHANGES = "changes.md"
COMPARE = "vendors/compare.md"
LAUNCHES = "vendors/launches.md"


def incident_src(incident: Incident) -> str:
    return f"incidents/{incident.year}/{incident.id}.md"


def timeline_year_src(year: int) -> str:
    return f"timeline/{year}.md"


def year_src(year: int) -> str:
    return f"incidents/{year}/index.md"


def vendor_src(vendor: str) -> str:
    return f"vendors/{vendor}/index.md"


def model_src(vendor: str, model: str) -> str:
    return f"vendors/{vendor}/{model}.md"


def page_url(src: str, directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives the page built from `src`."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        folder = stem.removesuffix("index")
        return folder if directory_urls else f"{folder}index.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def relative(from_src: str, to: str, directory_urls: bool = True) -> str:
    """Link from the page built from `from_src` to `to` (a page source or a site file path).

    Both are site-relative paths without `.` or `..` segments, so the shortest link climbs
    out of the page's folders that the target does not share and then descends to it.
    """
    target = page_url(to, directory_urls) if to.endswith(".md") else to
    folders = page_url(from_src, directory_urls).split("/")[:-1]
    parts = [part for part in target.split("/") if part]
    shared = 0
    for folder, part in zip(folders, parts, strict=False):
        if folder != part:
            break
        shared += 1
    link = "/".join([".."] * (len(folders) - shared) + parts[shared:]) or "."
    if target.endswith("/") or not target:
        link = "./" if link == "." else f"{link}/"
    return link
