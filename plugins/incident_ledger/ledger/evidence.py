"""Source classes and evidence: how much an incident's facts can be trusted, from where they come from.

`incidents/sources.yml` puts each source domain in one class. An incident's evidence
is the strongest class among its sources; figures rest on vendor and press evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from .load import line_of_key, parse_yaml, read_text
from .model import Incident, Problem, Registry

SOURCES_NAME = "sources.yml"
CLASSES: tuple[str, ...] = ("vendor", "press", "community", "aggregator")
CONFIRMED: frozenset[str] = frozenset({"vendor", "press"})
LABELS = {
    "vendor": "Vendor-confirmed",
    "press": "Press-reported",
    "community": "Reported by users, not confirmed",
    "aggregator": "From aggregators only, not confirmed",
}


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def domain_class(url: str, classes: Mapping[str, str]) -> str | None:
    """The class of the most specific listed domain that is the URL's host or one of its parents."""
    parts = host_of(url).split(".")
    for index in range(len(parts) - 1):
        found = classes.get(".".join(parts[index:]))
        if found:
            return found
    return None


def strongest(classes: Iterable[str | None]) -> str | None:
    known = [c for c in classes if c in CLASSES]
    return min(known, key=CLASSES.index) if known else None


def is_confirmed(evidence: str | None) -> bool:
    return evidence in CONFIRMED


def confirmed(incidents: Iterable[Incident]) -> list[Incident]:
    """The incidents every figure, chart and strip rests on: vendor or press evidence."""
    return [i for i in incidents if is_confirmed(i.evidence)]


def registry_hosts(registry: Registry) -> dict[str, str]:
    """The status pages and collected sources the registry names are the vendors' own: `vendor` class,
    so an incident that collect imports from a newly added vendor needs no extra line in sources.yml."""
    urls = [url for v in registry.vendors.values() for url in (v.status_page, *(s.url for s in v.collect)) if url]
    return {host_of(url): "vendor" for url in urls if host_of(url)}


def load_source_classes(path: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read the class lists; a domain in two classes or a malformed entry is a problem."""
    name = str(path)
    if not path.exists():
        return {}, []  # every source is then unclassified, and each domain is warned about
    text, problem = read_text(path)
    if text is None:
        return {}, [problem] if problem else []
    data, lines, problem = parse_yaml(text, name)
    if problem:
        return {}, [problem]
    if not isinstance(data, dict):
        return {}, [Problem(name, 1, "", f"must map each class ({', '.join(CLASSES)}) to a list of domains", "")]
    classes: dict[str, str] = {}
    problems = []
    for cls, domains in data.items():
        if cls not in CLASSES:
            problems.append(
                Problem(name, line_of_key(lines, (cls,)), cls, f"unknown class `{cls}`", ", ".join(CLASSES))
            )
            continue
        if not isinstance(domains, list):
            problems.append(
                Problem(name, line_of_key(lines, (cls,)), cls, "must be a list of domains", "- example.com")
            )
            continue
        for index, domain in enumerate(domains):
            where = line_of_key(lines, (cls, index))
            value = str(domain).strip().lower()
            if not value or "/" in value or " " in value or "." not in value:
                problems.append(
                    Problem(name, where, cls, f"`{domain}` is not a domain", "write e.g. status.example.com")
                )
            elif value in classes:
                problems.append(
                    Problem(name, where, cls, f"`{value}` is already listed as {classes[value]}", "keep one class")
                )
            else:
                classes[value.removeprefix("www.")] = cls
    return classes, problems
