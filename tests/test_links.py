"""Relative links between generated pages agree with posixpath.relpath, for both URL styles."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from incident_ledger.site.links import page_url, relative

SEGMENTS = st.sampled_from(["incidents", "2025", "vendors", "acme", "index", "a-b", "x"])
SOURCES = st.lists(SEGMENTS, min_size=1, max_size=4).map(lambda parts: "/".join(parts) + ".md")
FILES = (
    st.lists(SEGMENTS, min_size=0, max_size=4)
    .map("/".join)
    .flatmap(lambda path: st.sampled_from([path, f"{path}.json", f"{path}/"]) if path else st.just(""))
)


def reference(from_src: str, to: str, directory_urls: bool) -> str:
    target = page_url(to, directory_urls) if to.endswith(".md") else to
    here = page_url(from_src, directory_urls)
    base = here.rsplit("/", 1)[0] if "/" in here else "."
    link = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") or not target:
        link = "./" if link == "." else f"{link}/"
    return link


@given(SOURCES, st.one_of(SOURCES, FILES), st.booleans())
def test_relative_matches_relpath(from_src: str, to: str, directory_urls: bool) -> None:
    assert relative(from_src, to, directory_urls) == reference(from_src, to, directory_urls)


def test_relative_examples() -> None:
    assert relative("incidents/2025/a.md", "incidents/2025/b.md") == "../b/"
    assert relative("incidents/2025/a.md", "incidents/2025/b.md", directory_urls=False) == "b.html"
    assert relative("vendors/acme/index.md", "feeds/acme.atom.xml") == "../../feeds/acme.atom.xml"
    assert relative("index.md", "index.md") == "./"
    assert relative("timeline.md", "index.md") == "../"
