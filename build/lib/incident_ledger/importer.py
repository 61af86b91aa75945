"""Turn a saved Statuspage (or incident.io) JSON export into ledger incident files.

Pure planning: `plan_import` decides what to create, update or link and returns
the new file texts; the CLI does the reading and writing. Re-running on the
same export plans no change; vendor data only ever updates `end`, `updates` and
`products`, so hand-written titles, models, bodies and tags survive.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import nh3
import yaml

from .load import Document
from .model import IMPACTS, STATUSES, TITLE_MAX, Vendor
from .skeleton import incident_id
from .timeutil import LOOKALIKES, TimeError, human_duration, iso, parse_time
from .urls import url_problem

ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}
FIELD_ORDER = (
    "title", "vendor", "model", "products", "start", "end", "impact", "sources", "postmortem",
    "time_precision", "symptoms", "tags", "vendor_refs", "acknowledged", "updates",
)  # fmt: skip
SYMPTOM_WORDS = (
    ("unavailable", r"unavailab|outage|\bdown\b|cannot access|unable to (?:access|load|reach)"),
    ("elevated-errors", r"error|fail"),
    ("latency", r"latenc|slow|delay"),
    ("degraded-quality", r"quality|degraded (?:responses|outputs)"),
    ("rate-limited", r"rate.limit|\b429\b|overloaded"),
    ("login", r"log.?in|sign.?in|sign.?up|authenticat"),
)


@dataclass
class Action:
    """One line of the import report."""

    kind: str  # created | updated | unchanged | matched | linked | skipped | error
    vendor_id: str
    path: str = ""
    detail: str = ""


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    writes: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(a.kind == "error" for a in self.actions)


@dataclass(frozen=True)
class Existing:
    """An incident file already in the ledger, as the importer needs to see it."""

    path: str
    doc: Document
    text: str


class ExportError(ValueError):
    """The export itself cannot be read (not the shape documented by Statuspage)."""


def incidents_of(export: Any) -> list[Mapping[str, Any]]:
    """The incidents of an `incidents.json` or `summary.json` export; maintenances are kept to be skipped."""
    if not isinstance(export, Mapping):
        raise ExportError("the file is not a JSON object with an `incidents` list")
    found = export.get("incidents")
    if not isinstance(found, list):
        raise ExportError("the JSON has no `incidents` list (expected Statuspage's incidents.json or summary.json)")
    maintenance = export.get("scheduled_maintenances") or []
    items = [*found, *(m for m in maintenance if isinstance(m, Mapping))]
    return [item for item in items if isinstance(item, Mapping)]


def clean_text(value: Any, limit: int) -> str:
    """Plain text from a status-page body that may hold HTML, Markdown links and look-alike characters."""
    text = html.unescape(nh3.clean(str(value or ""), tags=set()))
    text = "".join(LOOKALIKES.get(char, char) for char in text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\*\*|__|`", "", text)
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", " ", text)
    text = " ".join(text.replace("<", "‹").replace(">", "›").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def vendor_time(value: Any) -> datetime | None:
    if not value:
        return None
    text = "".join(LOOKALIKES.get(char, char) for char in str(value)).strip()
    try:
        return parse_time(text)
    except TimeError:
        return None


def _ref_source(incident_id: str, page_url: str) -> str:
    return "incident.io" if ULID.match(incident_id) or "incident.io" in page_url else "statuspage"


def _components(incident: Mapping[str, Any]) -> list[str]:
    """The union of components named by the incident and by every one of its updates."""
    names: list[str] = []
    groups: list[Any] = [incident.get("components") or []]
    groups += [
        u.get("affected_components") or [] for u in incident.get("incident_updates") or [] if isinstance(u, Mapping)
    ]
    for group in groups:
        for component in group if isinstance(group, list) else []:
            name = component.get("name") if isinstance(component, Mapping) else None
            if isinstance(name, str) and name.strip() and name.strip() not in names:
                names.append(name.strip())
    return names


def _models(vendor: Vendor, texts: Iterable[str]) -> list[str]:
    joined = " ".join(texts).lower()
    found = []
    for model in vendor.models.values():
        for needle in (model.name.lower(), model.id):
            if re.search(rf"(?<![\w.-]){re.escape(needle)}(?![\w.-])", joined):
                found.append(model.id)
                break
    return found


def _updates(incident: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    last = "investigating"
    for update in incident.get("incident_updates") or []:
        if not isinstance(update, Mapping):
            continue
        at = vendor_time(update.get("display_at")) or vendor_time(update.get("created_at"))
        text = clean_text(update.get("body"), 2000)
        if at is None or not text:
            continue
        status = str(update.get("status") or "").lower()
        status = status if status in STATUSES else last
        last = status
        rows.append({"at": iso(at), "status": status, "text": text})
    return sorted(rows, key=lambda row: row["at"])


def _symptoms(texts: Iterable[str]) -> list[str]:
    joined = " ".join(texts).lower()
    return [name for name, pattern in SYMPTOM_WORDS if re.search(pattern, joined)]


def _yaml_scalar(value: Any) -> str:
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9)
        .strip()
        .removesuffix("...")
        .strip()
    )


def render(fields: Mapping[str, Any], body: str) -> str:
    """Incident file text in the ledger's canonical layout: same fields in, same bytes out."""
    lines = ["---"]
    for key in FIELD_ORDER:
        if key not in fields:
            continue
        value = fields[key]
        if key == "updates":
            lines.append("updates:")
            for update in value:
                lines.append(f"  - at: {update['at']}")
                lines.append(f"    status: {update['status']}")
                lines.append(f"    text: {_yaml_scalar(update['text'])}")
        elif key in ("sources", "vendor_refs"):
            lines.append(f"{key}:")
            lines.extend(f"  - {_yaml_scalar(item)}" for item in value)
        elif key in ("start", "end") and value is not None:
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {_yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body.strip() + "\n"


@dataclass
class Importer:
    vendor: Vendor
    existing: Sequence[Existing]
    since: date | None = None
    link: bool = False
    taken: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.by_ref: dict[tuple[str, str], Existing] = {}
        for item in self.existing:
            for ref in (item.doc.data or {}).get("vendor_refs") or []:
                if isinstance(ref, Mapping):
                    self.by_ref[(str(ref.get("source")), str(ref.get("id")))] = item
        self.taken |= {item.path.rsplit("/", 1)[-1].removesuffix(".md") for item in self.existing}

    # -- building fields -------------------------------------------------------------

    def fields(self, incident: Mapping[str, Any], page_url: str, plan: Plan) -> tuple[dict[str, Any], str, str] | None:
        ident = str(incident.get("id") or "").strip()
        title = clean_text(incident.get("name"), TITLE_MAX)
        start = vendor_time(incident.get("started_at")) or vendor_time(incident.get("created_at"))
        impact = str(incident.get("impact") or "").lower()
        problems = []
        if not ident:
            problems.append("no `id`")
        if not title:
            problems.append("no `name`")
        if start is None:
            problems.append("no readable `started_at` or `created_at`")
        if impact not in IMPACTS:
            problems.append(f"impact `{impact or 'missing'}` is not one of {', '.join(IMPACTS)}")
        if problems or start is None:
            plan.actions.append(Action("error", self.vendor.id, "", f"{ident or '(no id)'}: {'; '.join(problems)}"))
            return None
        updates = _updates(incident)
        end = vendor_time(incident.get("resolved_at"))
        if end is None and str(incident.get("status")) in ("resolved", "postmortem"):
            resolved = [u["at"] for u in updates if u["status"] == "resolved"]
            end = parse_time(resolved[-1]) if resolved else None
        if end is not None and end < start:
            end = start
        components = _components(incident)
        products = sorted({self.vendor.components[c] for c in components if c in self.vendor.components})
        unknown = [c for c in components if c not in self.vendor.components]
        texts = [title, *(u["text"] for u in updates)]
        models = _models(self.vendor, texts)
        sources = [f"{page_url.rstrip('/')}/incidents/{ident}"]
        shortlink = incident.get("shortlink")
        if isinstance(shortlink, str) and not url_problem(shortlink) and shortlink not in sources:
            sources.append(shortlink)
        fields: dict[str, Any] = {
            "title": title,
            "vendor": self.vendor.id,
            "model": models if len(models) > 1 else (models[0] if models else "all"),
            "start": iso(start),
            "end": iso(end) if end else None,
            "impact": impact,
            "sources": sources,
            "vendor_refs": [{"source": _ref_source(ident, page_url), "id": ident}],
        }
        if products:
            fields["products"] = products
        symptoms = _symptoms(texts)
        if symptoms:
            fields["symptoms"] = symptoms
        if updates:
            fields["updates"] = updates
        notes = [] if models else ["no model named, recorded as `model: all`"]
        notes += [f"component not in the registry: {c!r}" for c in unknown]
        return fields, self.body(title, components, impact, start, end), "; ".join(notes)

    def body(self, title: str, components: list[str], impact: str, start: datetime, end: datetime | None) -> str:
        """A neutral summary; the vendor's own words stay in `updates`."""
        where = f", affecting {', '.join(components)}" if components else ""
        if end is None:
            state = "It was unresolved when this record was imported."
        else:
            state = f"It lasted {human_duration((end - start).total_seconds())} by the vendor's times."
        return (
            f"{self.vendor.name} reported \u201c{title}\u201d on its status page{where}, "
            f"with {impact} impact. {state}\n\n"
            "Imported from the vendor's status page; the status updates below are the vendor's own words. "
            "Add what happened, who was affected, cause and fix when they are known."
        )

    # -- deciding ---------------------------------------------------------------------

    def similar(self, fields: Mapping[str, Any]) -> Existing | None:
        """A hand-written record of the same event: same vendor, overlapping window, similar title."""
        start = parse_time(fields["start"])
        end = parse_time(fields["end"]) if fields["end"] else start + timedelta(hours=1)
        slack = timedelta(hours=1)
        for item in self.existing:
            data = item.doc.data or {}
            if data.get("vendor") != self.vendor.id or data.get("vendor_refs"):
                continue
            try:
                other_start = parse_time(str(data.get("start")))
                other_end = parse_time(str(data["end"])) if data.get("end") else other_start + timedelta(hours=1)
            except (TimeError, KeyError):
                continue
            if other_start > end + slack or start > other_end + slack:
                continue
            a, b = str(data.get("title", "")).lower(), fields["title"].lower()
            if a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.45:
                return item
        return None

    def plan(self, incidents: Sequence[Mapping[str, Any]], page_url: str) -> Plan:
        plan = Plan()
        for incident in incidents:
            ident = str(incident.get("id") or "").strip()
            if incident.get("scheduled_for") or str(incident.get("impact")) == "maintenance":
                plan.actions.append(Action("skipped", self.vendor.id, "", f"{ident}: scheduled maintenance"))
                continue
            built = self.fields(incident, page_url, plan)
            if built is None:
                continue
            fields, body, notes = built
            if self.since and parse_time(fields["start"]).date() < self.since:
                plan.actions.append(Action("skipped", self.vendor.id, "", f"{ident}: before --since"))
                continue
            ref = (fields["vendor_refs"][0]["source"], ident)
            if ref in self.by_ref:
                self.update(self.by_ref[ref], fields, plan, notes)
                continue
            match = self.similar(fields)
            if match is not None:
                self.link_to(match, ref, plan)
                continue
            self.create(fields, body, plan, notes)
        return plan

    def create(self, fields: dict[str, Any], body: str, plan: Plan, notes: str) -> None:
        start = parse_time(fields["start"])
        base = incident_id(start, self.vendor.id, fields["title"])
        name, counter = base, 2
        while name in self.taken:
            name, counter = f"{base}-{counter}", counter + 1
        self.taken.add(name)
        path = f"{start:%Y}/{name}.md"
        plan.writes[path] = render(fields, body)
        plan.actions.append(Action("created", self.vendor.id, path, notes))

    def update(self, item: Existing, fields: Mapping[str, Any], plan: Plan, notes: str) -> None:
        """Only what the vendor adds: an `end` for an open incident, newer updates, new products.

        Values already in the file (a curator's end time, title, models, body) are never overwritten.
        """
        data = dict(item.doc.data or {})
        changed = []
        if fields["end"] and data.get("end") is None:
            data["end"] = fields["end"]
            changed.append("end")
        old_updates = [u for u in data.get("updates") or [] if isinstance(u, Mapping)]
        latest = max((t for t in (vendor_time(u.get("at")) for u in old_updates) if t), default=None)
        new = [u for u in fields.get("updates", []) if latest is None or parse_time(u["at"]) > latest]
        if new:
            data["updates"] = sorted([*old_updates, *new], key=lambda u: str(u.get("at")))
            changed.append(f"{len(new)} update(s)")
        products = data.get("products") or []
        extra = [p for p in fields.get("products", []) if p not in products]
        if extra:
            data["products"] = [*products, *extra]
            changed.append("products")
        if not changed:
            plan.actions.append(Action("unchanged", self.vendor.id, item.path, ""))
            return
        plan.writes[item.path] = render(data, item.doc.body)
        plan.actions.append(
            Action("updated", self.vendor.id, item.path, ", ".join(changed) + (f"; {notes}" if notes else ""))
        )

    def link_to(self, item: Existing, ref: tuple[str, str], plan: Plan) -> None:
        if not self.link:
            detail = f"already recorded by hand; run with --link to add vendor_refs {ref[0]}:{ref[1]}"
            plan.actions.append(Action("matched", self.vendor.id, item.path, detail))
            return
        plan.writes[item.path] = add_vendor_ref(item, ref)
        plan.actions.append(Action("linked", self.vendor.id, item.path, f"added vendor_refs {ref[0]}:{ref[1]}"))


def add_vendor_ref(item: Existing, ref: tuple[str, str]) -> str:
    """Insert one `vendor_refs` entry into a file's front matter, leaving every other byte alone."""
    lines = item.text.split("\n")
    entry = f"  - {{source: {_yaml_scalar(ref[0])}, id: {_yaml_scalar(ref[1])}}}"
    refs_line = item.doc.lines.get(("vendor_refs",))
    if refs_line is None:
        closing = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        lines[closing:closing] = ["vendor_refs:", entry]
    else:
        last = max(line for key, line in item.doc.lines.items() if key[:1] == ("vendor_refs",))
        lines.insert(last, entry)
    return "\n".join(lines)


def page_url_of(export: Any, vendor: Vendor) -> str:
    page = export.get("page") if isinstance(export, Mapping) else None
    url = page.get("url") if isinstance(page, Mapping) else None
    if isinstance(url, str) and not url_problem(url):
        return url
    return vendor.status_page or vendor.homepage
