"""Pages that keep retired ids answering: redirects for renamed records, tombstones for withdrawn ones."""

from __future__ import annotations

from markupsafe import escape

from ..ledger.catalog import Catalog
from ..ledger.retired import Retired, Withdrawn, id_year
from . import links


def retired_src(ident: str) -> str:
    """Where a retired id's page lives: the very address its record had."""
    return f"incidents/{id_year(ident)}/{ident}.md"


def redirect_path(ident: str, directory_urls: bool) -> str:
    """The HTML file MkDocs would have written for the old record's page."""
    url = links.page_url(retired_src(ident), directory_urls)
    return url + "index.html" if url.endswith("/") else url


def redirect_files(catalog: Catalog, retired: Retired, site_url: str, directory_urls: bool) -> dict[str, str]:
    """One small HTML page per renamed id: a refresh to the new address, a canonical link and a plain link,
    so browsers, search engines and readers without refresh all arrive at the record."""
    files = {}
    for old in sorted(retired.renamed):
        record = catalog.by_id.get(retired.target(old))
        if record is None:
            continue
        target = links.relative(retired_src(old), links.incident_src(record), directory_urls)
        canonical = site_url.rstrip("/") + "/" + links.page_url(links.incident_src(record), directory_urls)
        href, title, why = escape(target), escape(record.title), escape(retired.renamed[old].why)
        files[redirect_path(old, directory_urls)] = (
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Moved: {title}</title>\n"
            f'<link rel="canonical" href="{escape(canonical)}">\n'
            '<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={href}">\n'
            "</head>\n<body>\n"
            f'<p>This record moved to <a href="{href}">{title}</a> ({escape(record.id)}).</p>\n'
            f"<p>Why: {why}</p>\n</body>\n</html>\n"
        )
    return files


def tombstone_meta(withdrawn: Withdrawn, vendor_name: str) -> dict[str, object]:
    return {
        "title": f"Withdrawn: {withdrawn.title}",
        "description": f"A withdrawn {vendor_name} record: {withdrawn.why}",
        "search": {"exclude": True},
    }
