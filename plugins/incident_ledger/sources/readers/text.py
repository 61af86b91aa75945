"""Plain text, times and JSON from vendors' status data, which is untrusted and often untidy."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import nh3

from ...ledger.fields import HIDDEN
from ...ledger.timeutil import LOOKALIKES, TimeError, parse_time
from .record import ExportError

CUT = "…"  # ends a vendor text cut to the ledger's limit; the importer reports every cut


NAME_MAX = 200  # a component's or product's name: one line, cleaned like every other vendor text


def is_cut(text: str, limit: int) -> bool:
    """Whether `clean_text` cut this text to `limit` characters."""
    return len(text) == limit and text.endswith(CUT)


# Objects one export may hold: Google's whole history is some tens of thousands; a bound keeps memory flat.
MAX_OBJECTS = 300_000


def clean_text(value: Any, limit: int) -> str:
    """Plain text from a status-page body that may hold HTML, Markdown links and look-alike characters.

    Only text (or a number) is text: a list or an object where a string belongs reads as nothing,
    never as its Python spelling.
    """
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        value = ""
    text = html.unescape(nh3.clean(str(value or ""), tags=set()))
    text = "".join(LOOKALIKES.get(char, char) for char in text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\*\*|__|`", "", text)
    text = HIDDEN.sub("", re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text))
    text = " ".join(text.replace("<", "‹").replace(">", "›").split())
    return text if len(text) <= limit else text[: limit - len(CUT)] + CUT


def clean_names(values: Iterable[Any]) -> tuple[str, ...]:
    """Component or product names, each cleaned to one line, without blanks or repeats."""
    return tuple(dict.fromkeys(name for name in (clean_text(v, NAME_MAX) for v in values) if name))


def vendor_time(value: Any) -> datetime | None:
    """A vendor's timestamp as aware UTC, or None when it is missing or unreadable."""
    if not value:
        return None
    text = "".join(LOOKALIKES.get(char, char) for char in str(value)).strip()
    try:
        return parse_time(text)
    except TimeError:
        return None


# Epoch seconds outside 2001..2096 are a unit slip (milliseconds) or a broken field, never a real post.
EPOCH_RANGE = (1_000_000_000, 4_000_000_000)


def epoch_time(value: Any) -> datetime | None:
    """Whole epoch seconds (a number or its digits) as aware UTC, or None when missing or out of range."""
    if isinstance(value, bool):
        return None
    try:
        seconds = int(str(value).strip())
    except ValueError:
        return None
    if not EPOCH_RANGE[0] <= seconds <= EPOCH_RANGE[1]:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def looks_like_html(data: bytes) -> bool:
    head = data.lstrip()[:512].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head


def load_json(data: bytes) -> Any:
    """Parse JSON, telling an HTML error page and a truncated download apart from other bad bytes."""
    if looks_like_html(data):
        raise ExportError("got an HTML page instead of JSON (an error or log-in page?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportError(f"not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise ExportError("the response is empty")
    if text.count("{") > MAX_OBJECTS or text.count("[") > MAX_OBJECTS:  # counted before anything is built
        raise ExportError(f"the JSON holds over {MAX_OBJECTS:,} objects or lists, more than any status list; refused")
    try:
        return json.loads(text)
    except RecursionError:
        raise ExportError("the JSON is nested too deeply to be a status export") from None
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) - 1 or error.msg.startswith("Unterminated string"):
            raise ExportError(f"the JSON is truncated (ends at line {error.lineno}, column {error.colno})") from None
        raise ExportError(f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
