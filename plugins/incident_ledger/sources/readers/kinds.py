"""Which reader reads which source kind, and recognising a saved export's kind from its bytes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import Any

from .aistudio import incident_list, read_aistudio
from .azure import read_azure
from .datadog import is_datadog, read_datadog
from .feed import BRACKET, feed_items, parse_xml, read_atom, read_betterstack
from .flashduty import changes_of, read_flashduty
from .google_cloud import read_google_cloud
from .instatus import read_instatus
from .record import ExportError, VendorIncident
from .statuspage import ULID, read_statuspage
from .text import load_json, looks_like_html
from .xai import is_xai, read_xai

Reader = Callable[[bytes, str], list[VendorIncident]]

READERS: dict[str, Reader] = {
    "statuspage": read_statuspage,
    "incident.io": read_statuspage,
    "google-cloud": read_google_cloud,
    "instatus": read_instatus,
    "azure": read_azure,
    "atom": read_atom,
    "betterstack": read_betterstack,
    "xai": read_xai,
    "aistudio": read_aistudio,
    "flashduty": read_flashduty,
    "datadog": read_datadog,
}
KINDS: tuple[str, ...] = tuple(READERS)
INSTATUS_LINK = re.compile(r"/incident/[a-z0-9]{20,}")  # Instatus: singular `/incident/<cuid>`


def _unknown(what: str) -> ExportError:
    return ExportError(f"cannot tell the source kind of {what}; name it, one of: {', '.join(KINDS)}")


def _json_kind(export: Any) -> str | None:
    if isinstance(export, list):
        first = export[0] if export else None
        if isinstance(first, Mapping) and ("status_impact" in first or "external_desc" in first):
            return "google-cloud"
        return "aistudio" if incident_list(export) else None
    if not isinstance(export, Mapping):
        return None
    if "activeIncidents" in export or "activeMaintenances" in export:
        return "instatus"
    if is_datadog(export):
        return "datadog"
    if isinstance(export.get("incidents"), list):
        page = export.get("page") if isinstance(export.get("page"), Mapping) else {}
        ids = [str(i.get("id")) for i in export["incidents"] if isinstance(i, Mapping)]
        incident_io = "incident.io" in str(page.get("url", "")) or (bool(ids) and all(ULID.match(i) for i in ids))
        return "incident.io" if incident_io else "statuspage"
    components = export.get("components")
    if isinstance(components, list) and any(
        isinstance(c, Mapping) and str(c.get("status", "")).isupper() for c in components
    ):
        return "instatus"
    return "flashduty" if changes_of(export) is not None else None


def _azure_channel(root: ET.Element) -> bool:
    """Azure's feed names itself in the channel; an item merely linking to Azure's page does not count."""
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        return False
    title, link = (channel.findtext(name) or "" for name in ("title", "link"))
    return title.strip().lower() == "azure status" or "azure.status.microsoft" in link or "status.azure.com" in link


def _feed_kind(data: bytes) -> str | None:
    root = parse_xml(data, "status feed")
    if _azure_channel(root):
        return "azure"
    _, items = feed_items(root, "status feed")
    channel = root.find("channel")
    if (channel is not None and is_xai(channel.findtext("link") or "")) or any(is_xai(item.link) for item in items):
        return "xai"
    links = [item.link or item.id for item in items]
    if any("instatus.com" in link or INSTATUS_LINK.search(link) for link in links):
        return "instatus"
    if any("#update-" in item.id or BRACKET.match(item.title) or "betteruptime.com" in item.link for item in items):
        return "betterstack"
    if any("/incidents/" in link or ":Incident/" in item.id or "data-var=" in item.body for link, item in
           zip(links, items, strict=True)):  # fmt: skip
        return "atom"
    return None


def read(kind: str, data: bytes, base_url: str) -> list[VendorIncident]:
    """Read `data` as `kind`, refusing content of another kind. Status data is untrusted: any fault a reader
    meets (a list where an object was, nesting too deep) is the data's, reported as an ExportError."""
    try:
        check_kind(data, kind)
        return READERS[kind](data, base_url)
    except ExportError:
        raise
    except RecursionError:
        raise ExportError("the data is nested too deeply to be a status export") from None
    except Exception as error:  # any reader fault on untrusted bytes is a fault of the data
        raise ExportError(f"the data is not of the expected shape ({type(error).__name__}: {error})"[:300]) from None


def check_kind(data: bytes, kind: str) -> None:
    """Refuse content that is not of the named kind: read as another kind, it would import wrong facts
    (a Statuspage feed read as Instatus takes the resolution for the start)."""
    try:
        found = detect_kind(data)
    except ExportError:
        READERS[kind](data, "https://example.invalid")  # its own complaint about the shape is the clearest
        raise ExportError(f"the content matches no kind this tool reads, so it is not `{kind}`; refused") from None
    if READERS[found] is not READERS[kind]:
        raise ExportError(f"the content reads as `{found}`, not `{kind}`; check the source's kind")


def detect_kind(data: bytes) -> str:
    """The kind of a saved export, from its content alone; an ExportError lists the kinds known when it cannot tell."""
    if looks_like_html(data):
        raise ExportError("got an HTML page, not a status export (an error or log-in page?)")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        kind = _feed_kind(data)
    elif head in (b"{", b"["):
        kind = _json_kind(load_json(data))
    else:
        kind = None
    if kind is None:
        raise _unknown("the file")
    return kind
