"""Material renders the same navigation sidebar and tabs for every incident page: reuse them.

Incident pages are out of the nav and all at the same depth, so nothing in the site
navigation or the tabs is marked active and every relative link in them is the same.
Rendering both once per build instead of once per incident page saves about a tenth of
a large build. `overrides/incident.html` prints the kept HTML when the page's context has it.
"""

from __future__ import annotations

from typing import Any

SIDEBAR = '<div class="md-sidebar md-sidebar--primary"'
TOC_SIDEBAR = '<div class="md-sidebar md-sidebar--secondary"'
TABS = '<nav class="md-tabs"'


class NavCache:
    def __init__(self) -> None:
        self.parts: dict[int, dict[str, str]] = {}

    def context(self, url: str) -> dict[str, Any]:
        """Template variables for a page at `url`: the kept sidebar and tabs, once a page at its depth was built."""
        return self.parts.get(url.count("/"), {})

    def learn(self, url: str, output: str) -> None:
        """Keep the sidebar and tabs of the first page built at this depth."""
        depth = url.count("/")
        if depth in self.parts:
            return
        start = output.find(SIDEBAR)
        end = output.find(TOC_SIDEBAR, start)
        tabs = output.find(TABS)
        tabs_end = output.find("</nav>", tabs)
        if min(start, end, tabs, tabs_end) < 0:
            return
        self.parts[depth] = {
            "ledger_nav": output[start:end].rstrip(),
            "ledger_tabs": output[tabs : tabs_end + len("</nav>")],
        }
