"""Turn vendors' published incidents (read by `readers`) into ledger incident files.

Pure planning: `Importer.plan` decides what to create, update or link and returns
the new file texts; the CLI does the reading and writing. Re-running on the
same export plans no change; vendor data only ever updates `end`, `updates` and
`products`, so hand-written titles, models, bodies and tags survive.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import yaml

from ..ledger.load import Document
from ..ledger.model import IMPACTS, ModelInfo, Vendor
from ..ledger.skeleton import incident_id
from ..ledger.timeutil import TimeError, human_duration, iso, parse_time
from .readers.record import VendorIncident
from .readers.text import vendor_time

FIELD_ORDER = (
    "title", "vendor", "model", "products", "start", "end", "impact", "impact_vendor", "sources", "postmortem",
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
    unknown_components: set[str] = field(default_factory=set)
    other_products: int = 0

    @property
    def failed(self) -> bool:
        return any(a.kind == "error" for a in self.actions)

    def notes(self) -> list[str]:
        """Run-level remarks, each said once however many incidents it concerns."""
        lines = [f"component not in the registry: {name!r}" for name in sorted(self.unknown_components)]
        if self.other_products:
            lines.append(f"{self.other_products} incident(s) of products the registry does not map were skipped")
        return lines


@dataclass(frozen=True)
class Existing:
    """An incident file already in the ledger, as the importer needs to see it."""

    path: str
    doc: Document
    text: str


def model_needles(model: ModelInfo) -> tuple[str, ...]:
    """Names a status page may use for a model: its name, id and aliases, and the name without its family
    word ("Opus 4.8" for "Claude Opus 4.8") when what remains still names a version."""
    needles = [model.name.lower(), model.id, *(alias.lower() for alias in model.aliases)]
    words = model.name.split()
    short = " ".join(words[1:]).lower()
    if len(words) > 1 and short[:1].isalpha() and any(char.isdigit() for char in short):
        needles.append(short)
    return tuple(dict.fromkeys(needles))


def find_models(vendor: Vendor, texts: Iterable[str]) -> list[str]:
    """Registry models named in the texts; a version never matches a longer one (`Sonnet 5` is not `Sonnet 5.1`)."""
    joined = " ".join(texts).lower()
    found = []
    for model in vendor.models.values():
        for needle in model_needles(model):
            if re.search(rf"(?<![\w.-]){re.escape(needle)}(?![\w-]|\.\d)", joined):
                found.append(model.id)
                break
    return found


def _updates(record: VendorIncident) -> list[dict[str, str]]:
    """The vendor's posts in ledger statuses; a post in a word we do not use keeps the previous status."""
    rows, last = [], "investigating"
    for update in record.updates:
        last = update.status or last
        rows.append({"at": iso(update.at), "status": last, "text": update.text})
    return rows


def _components(record: VendorIncident) -> list[str]:
    """The union of components named by the incident and by every one of its updates."""
    return list(dict.fromkeys([*record.components, *(c for u in record.updates for c in u.components)]))


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

    def fields(self, record: VendorIncident, plan: Plan) -> tuple[dict[str, Any], str, str] | None:
        problems = []
        if not record.id:
            problems.append("no `id`")
        if not record.title:
            problems.append("no `name`")
        if record.start is None:
            problems.append("no readable `started_at` or `created_at`")
        if record.impact is None and record.impact_vendor is not None:
            problems.append(f"impact `{record.impact_vendor}` is not one of {', '.join(IMPACTS)}")
        if problems or record.start is None:
            plan.actions.append(Action("error", self.vendor.id, "", f"{record.id or '(no id)'}: {'; '.join(problems)}"))
            return None
        notes = []
        updates = _updates(record)
        start, end = record.start, record.end
        if end is None and record.resolved:
            resolved = [u["at"] for u in updates if u["status"] == "resolved"]
            end = parse_time(resolved[-1]) if resolved else None
        if end is not None and end < start:
            start = min(end, *(u.at for u in record.updates))
            notes.append("review: the vendor's resolved time is before its start time; start set to its earliest time")
        impact = record.impact
        if impact is None:
            impact = "minor"
            notes.append("review: the source gives no impact grade; recorded as minor")
        components = _components(record)
        products = sorted({self.vendor.components[c] for c in components if c in self.vendor.components})
        plan.unknown_components.update(c for c in components if c not in self.vendor.components)
        texts = [record.title, *(u["text"] for u in updates)]
        models = find_models(self.vendor, texts)
        sources = [record.url, *([record.shortlink] if record.shortlink and record.shortlink != record.url else [])]
        fields: dict[str, Any] = {
            "title": record.title,
            "vendor": self.vendor.id,
            "model": models if len(models) > 1 else (models[0] if models else "all"),
            "start": iso(start),
            "end": iso(end) if end else None,
            "impact": impact,
            "sources": sources,
            "vendor_refs": [{"source": record.ref_source, "id": record.id}],
        }
        if record.impact is not None and record.impact_vendor is not None:
            fields["impact_vendor"] = record.impact
        if products:
            fields["products"] = products
        symptoms = _symptoms(texts)
        if symptoms:
            fields["symptoms"] = symptoms
        if updates:
            fields["updates"] = updates
        if not models:
            notes.insert(0, "no model named, recorded as `model: all`")
        return fields, self.body(record.title, components, impact, start, end), "; ".join(notes)

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

    def plan(self, records: Sequence[VendorIncident], only_mapped: bool = False) -> Plan:
        """Decide every record; with `only_mapped` (lists shared by many products) others are skipped and counted."""
        plan = Plan()
        for record in records:
            if record.maintenance:
                plan.actions.append(Action("skipped", self.vendor.id, "", f"{record.id}: scheduled maintenance"))
                continue
            if only_mapped and not any(c in self.vendor.components for c in _components(record)):
                plan.other_products += 1
                continue
            built = self.fields(record, plan)
            if built is None:
                continue
            fields, body, notes = built
            if self.since and parse_time(fields["start"]).date() < self.since:
                plan.actions.append(Action("skipped", self.vendor.id, "", f"{record.id}: before --since"))
                continue
            ref = (record.ref_source, record.id)
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
