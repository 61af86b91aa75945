"""URL rules: the ledger links out only to well-formed https addresses."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$", re.IGNORECASE)
_BAD_CHARS = re.compile(r"[\s<>\"'`\\\x00-\x1f\x7f]")


def url_problem(value: Any) -> str | None:
    """Why `value` is not an acceptable link, or None when it is."""
    if not isinstance(value, str) or not value:
        return "must be a URL (text starting with https://)"
    if _BAD_CHARS.search(value):
        return f"`{value[:80]}` contains spaces, quotes or angle brackets"
    parts = urlsplit(value)
    if parts.scheme.lower() != "https":
        scheme = parts.scheme or "no scheme"
        return f"`{value[:80]}` uses {scheme}; only https:// links are allowed"
    host = parts.hostname or ""
    if not _HOST.match(host) or parts.username or parts.password:
        return f"`{value[:80]}` does not name a valid public host"
    return None
