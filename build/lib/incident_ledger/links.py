"""Where generated pages live and how they link to each other.

Generated pages carry their links inside HTML blocks, which MkDocs does not
rewrite, so the relative URLs are computed here for either URL style.
"""

from __future__ import annotations

import posixpath

from .model import Incident

INDEX = "incidents/index.md"
TIMELINE = "timeline.md"
VENDORS = "vendors/index.md"
DATA = "data.md"
HOME = "index.md"
CHANGES = "changes.md"
COMPARE = "vendors/compare.md"


def incident_src(incident: Incident) -> str:
    return f"incidents/{incident.year}/{incident.id}.md"


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
    """Link from the page built from `from_src` to `to` (a page source or a site file path)."""
    target = page_url(to, directory_urls) if to.endswith(".md") else to
    here = page_url(from_src, directory_urls)
    base = here.rsplit("/", 1)[0] if "/" in here else "."
    link = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") or not target:
        link = "./" if link == "." else f"{link}/"
    return link
