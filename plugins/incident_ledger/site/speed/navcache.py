"""Material renders the same navigation sidebar and tabs for every generated page outside the nav: reuse them.

Incident, year, vendor and model pages are out of the nav, so nothing in the site
navigation or the tabs is marked active. Pages in one folder (incidents of one year, the
vendors, one vendor's models) also share every relative link in them, as long as no nav
entry lies inside such a page's own folder, which holds for generated pages. Rendering
both once per folder instead of once per page saves about a tenth of a large build.
`overrides/ledger.html` prints the kept HTML when the page's context has it.
"""

from __future__ import annotations

import posixpath
from typing import Any

SIDEBAR = '<div class="md-sidebar md-sidebar--primary"'
TOC_SIDEBAR = '<div class="md-sidebar md-sidebar--secondary"'
TABS = '<nav class="md-tabs"'


class NavCache:
    def __init__(self) -> None:
        self.parts: dict[str, dict[str, str]] = {}

    def context(self, url: str) -> dict[str, Any]:
        """Template variables for a page at `url`: the kept sidebar and tabs, once a page in its folder was built."""
        return self.parts.get(_folder(url), {})

    def learn(self, url: str, output: str) -> None:
        """Keep the sidebar and tabs of the first page built in this folder."""
        folder = _folder(url)
        if folder in self.parts:
            return
        start = output.find(SIDEBAR)
        end = output.find(TOC_SIDEBAR, start)
        tabs = output.find(TABS)
        tabs_end = output.find("</nav>", tabs)
        if min(start, end, tabs, tabs_end) < 0:
            return
        self.parts[folder] = {
            "ledger_nav": output[start:end].rstrip(),
            "ledger_tabs": output[tabs : tabs_end + len("</nav>")],
        }


def _folder(url: str) -> str:
    """`incidents/2024` for `incidents/2024/some-id/` and for `incidents/2024/some-id.html`."""
    return posixpath.dirname(url.rstrip("/"))
