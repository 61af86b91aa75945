"""Allowlist sanitising of rendered contributor HTML.

The allowlist keeps what Material's Markdown output needs (ids and classes for
anchors, admonitions and highlighting; text-align on table cells) and drops
scripts, event handlers and non-http(s) URLs.
"""

from __future__ import annotations

import nh3

BODY_START = "<!-- incident-ledger:body:start -->"
BODY_END = "<!-- incident-ledger:body:end -->"

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"style"},
    "td": {"style"},
}


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def clean_body(page_html: str) -> str:
    """Sanitise everything between the first body start marker and the last end marker.

    Should Markdown ever swallow a marker, the whole page is sanitised: safe first.
    """
    start = page_html.find(BODY_START)
    end = page_html.rfind(BODY_END)
    if start < 0 or end < start:
        return clean(page_html)
    inner = page_html[start + len(BODY_START) : end]
    return page_html[:start] + clean(inner) + page_html[end + len(BODY_END) :]
