"""Turn vendors' published incidents (read by `readers`) into ledger incident files.

Pure planning: `Importer.plan` decides what to create, update or link and returns
the new file texts; the CLI does the reading and writing. Re-running on the
same export plans no change; vendor data only ever updates `end`, `updates`,
`products` and the vendor's grade, so hand-written titles, models, bodies and tags survive.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from ..ledger.load import Document, parse_text
from ..ledger.model import TITLE_MAX, UPDATE_TEXT_MAX, Vendor
from ..ledger.skeleton import incident_id
from ..ledger.timeutil import TimeError, iso, parse_time
from .draft import (
    FIELD_ORDER,
    IMPORTED,
    REVIEW_TAG,
    Draft,
    components_of,
    draft_of,
    find_models,
    problems_of,
    render,
    source_url,
    update_fields,
    yaml_scalar,
)
from .readers.record import VendorIncident
from .readers.text import is_cut, vendor_time

__all__ = ["Action", "Existing", "Importer", "Plan", "find_models"]
# A hand-written record is the same event as a vendor's only with a title this close (difflib ratio).
TITLE_MATCH = 0.8
MATCH_SLACK = timedelta(minutes=30)
NAMES_SHOWN = 20
CITED_ID_MIN = 8
# The ledger's own words for a date-only record; they no longer hold once the vendor's window is known.
DATE_ONLY_NOTES = ("**Dates only.**", "Only the dates are known, so start and end are midnight UTC")


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
    other_products: set[str] = field(default_factory=set)
    other_count: int = 0

    @property
    def failed(self) -> bool:
        return any(a.kind == "error" for a in self.actions)

    def notes(self) -> list[str]:
        """Run-level remarks, each said once however many incidents it concerns."""
        lines = [f"component not in the registry: {name!r}" for name in sorted(self.unknown_components)]
        if self.other_count:
            names = sorted(self.other_products)
            shown = ", ".join(names[:NAMES_SHOWN]) + (
                f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
            )
            lines.append(f"{self.other_count} incident(s) of products the registry does not map were skipped: {shown}")
        return lines


@dataclass(frozen=True)
class Existing:
    """An incident file already in the ledger, as the importer needs to see it."""

    path: str
    doc: Document
    text: str


def cited_keys(sources: Any) -> list[str]:
    """What identifies a vendor incident in the links a hand-written file cites: the id in `…/incidents/<id>`,
    and every link itself (a shortlink). The same id is the surest sign of the same incident; any host
    counts, since pages move (status.anthropic.com became status.claude.com) and the ids are long random codes."""
    keys = []
    for source in sources if isinstance(sources, list) else []:
        url = source_url(source)
        keys.append(url)
        path = urlsplit(url).path.rstrip("/").split("/")
        if len(path) >= 2 and path[-2] == "incidents" and len(path[-1]) >= CITED_ID_MIN:
            keys.append(path[-1])
    return keys


def cuts(record: VendorIncident) -> list[str]:
    """What of the vendor's text was cut to the ledger's limits, for the report: nothing is cut unseen."""
    found = [f"the title was cut to {TITLE_MAX} characters"] if is_cut(record.title, TITLE_MAX) else []
    cut = [u.at for u in record.updates if is_cut(u.text, UPDATE_TEXT_MAX)]
    if cut:
        found.append(f"{len(cut)} post(s) were cut to {UPDATE_TEXT_MAX} characters, the first of {iso(cut[0])}")
    return found


def refine(data: dict[str, Any], draft: Draft, body: str) -> tuple[list[str], str]:
    """What the vendor's own record adds to a linked hand-written one: its incident page as the first source,
    and, for a record that knew only the date (the same date), the window and updates the vendor gives.
    Returns the changes and the body."""
    changed = []
    if draft.links()[0] not in {source_url(s) for s in data.get("sources") or []}:
        data["sources"] = [draft.sources[0], *(data.get("sources") or [])]
        changed.append("the vendor's page as a source")
    same_day = str(data.get("start", ""))[:10] == f"{draft.start:%Y-%m-%d}"  # the file's id holds its date
    if data.get("time_precision") == "day" and draft.precision == "minute" and draft.end is not None and same_day:
        data["start"], data["end"] = iso(draft.start), iso(draft.end)
        data.pop("time_precision")
        data["updates"] = [update_fields(u) for u in draft.updates]  # the vendor's words replace retellings
        kept = [part for part in body.strip().split("\n\n") if not part.strip().startswith(DATE_ONLY_NOTES)]
        body = (
            "\n\n".join(kept) + f"\n\n**Times.** The vendor's status page (incident `{draft.ref[1]}`) gives the window "
            f"{iso(draft.start)} to {iso(draft.end)}; this record, first written from the date alone, now uses it.\n"
        )
        changed.append("the vendor's window")
    return changed, body


@dataclass
class Importer:
    vendor: Vendor
    existing: Sequence[Existing]
    since: date | None = None
    link: bool = False
    taken: set[str] = field(default_factory=set)
    archive: str | None = None  # where the vendor's data was read from, when not from the vendor itself
    archive_gap: str = ""  # what that archive did not keep of the vendor's posts

    def __post_init__(self) -> None:
        self.by_ref: dict[tuple[str, str], Existing] = {}
        self.by_cited: dict[str, Existing] = {}
        for item in self.existing:
            data = item.doc.data or {}
            if data.get("vendor") != self.vendor.id:
                continue  # another vendor's ids are not this vendor's, however alike
            for ref in data.get("vendor_refs") or []:
                if isinstance(ref, Mapping):
                    self.by_ref[(str(ref.get("source")), str(ref.get("id")))] = item
            if not data.get("vendor_refs"):
                for cited in cited_keys(data.get("sources")):
                    self.by_cited.setdefault(cited, item)
        self.taken |= {item.path.rsplit("/", 1)[-1].removesuffix(".md") for item in self.existing}
        self.rewritten: dict[str, Existing] = {}

    # -- deciding ---------------------------------------------------------------------

    def similar(self, draft: Draft) -> Existing | None:
        """A hand-written record of the same event: same vendor, overlapping times and a much closer title."""
        end = draft.end or draft.start + timedelta(hours=1)
        for item in self.existing:
            data = item.doc.data or {}
            if data.get("vendor") != self.vendor.id or data.get("vendor_refs"):
                continue
            try:
                other_start = parse_time(str(data.get("start")))
                other_end = parse_time(str(data["end"])) if data.get("end") else other_start + timedelta(hours=1)
            except (TimeError, KeyError):
                continue
            if other_start > end + MATCH_SLACK or draft.start > other_end + MATCH_SLACK:
                continue
            a, b = str(data.get("title", "")).lower().strip(), draft.title.lower().strip()
            if a and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= TITLE_MATCH):
                return item
        return None

    def plan(self, records: Sequence[VendorIncident], only_mapped: bool = False) -> Plan:
        """Decide every record; with `only_mapped` (lists shared by many products) others are skipped and named."""
        plan = Plan()
        for record in records:
            if record.maintenance:
                plan.actions.append(Action("skipped", self.vendor.id, "", f"{record.id}: scheduled maintenance"))
                continue
            if only_mapped and not any(c in self.vendor.components for c in components_of(record)):
                plan.other_products.update(components_of(record) or ["(no product named)"])
                plan.other_count += 1
                continue
            problems = problems_of(record)
            if problems:
                plan.actions.append(
                    Action("error", self.vendor.id, "", f"{record.id or '(no id)'}: {'; '.join(problems)}")
                )
                continue
            draft = draft_of(record, self.vendor)
            draft.notes += cuts(record)
            plan.unknown_components.update(c for c in draft.components if c not in self.vendor.components)
            if self.since and draft.start.date() < self.since:
                plan.actions.append(Action("skipped", self.vendor.id, "", f"{record.id}: before --since"))
                continue
            if self.archive:
                draft.sources = [{"url": draft.sources[0], "archive": self.archive}, *draft.sources[1:]]
                draft.archive_gap = self.archive_gap
            if draft.ref in self.by_ref:
                self.update(self.by_ref[draft.ref], draft, plan)
                continue
            cited = [self.by_cited[key] for key in (draft.ref[1], *draft.links()) if key in self.by_cited]
            match = cited[0] if cited else self.similar(draft)
            if match is not None:
                self.link_to(match, draft.ref, plan)
                continue
            self.create(draft, plan)
        return plan

    def create(self, draft: Draft, plan: Plan) -> None:
        base = incident_id(draft.start, self.vendor.id, draft.title)
        name, counter = base, 2
        while name in self.taken:
            name, counter = f"{base}-{counter}", counter + 1
        self.taken.add(name)
        path = f"{draft.start:%Y}/{name}.md"
        plan.writes[path] = draft.text(self.vendor.name)
        plan.actions.append(Action("created", self.vendor.id, path, "; ".join(draft.notes)))

    def update(self, item: Existing, draft: Draft, plan: Plan) -> None:
        """Only what the vendor adds: an `end` for an open incident, newer updates, new products, its grade.

        Values already in the file (a curator's end time, title, models, impact, body) are never overwritten;
        the vendor's grade goes into `impact_vendor`, and replaces the impact only of a file the importer
        wrote without a grade, whose impact was then its default.
        """
        item = self.rewritten.get(item.path, item)  # a file holding two vendor ids is updated twice in one run
        data = dict(item.doc.data or {})
        if IMPORTED in item.doc.body and len(data.get("vendor_refs") or []) == 1 and self.wrote(data):
            self.restate(item, data, draft, plan)
            return
        changed = []
        if draft.end and data.get("end") is None and draft.precision == "minute":
            data["end"] = iso(draft.end)
            changed.append("end")
        old_updates = [u for u in data.get("updates") or [] if isinstance(u, Mapping)]
        latest = max((t for t in (vendor_time(u.get("at")) for u in old_updates) if t), default=None)
        new = [update_fields(u) for u in draft.updates if latest is None or u.at > latest]
        if new:
            data["updates"] = sorted([*old_updates, *new], key=lambda u: str(u.get("at")))
            changed.append(f"{len(new)} update(s)")
        products = data.get("products") or []
        extra = [p for p in draft.products if p not in products]
        if extra:
            data["products"] = [*products, *extra]
            changed.append("products")
        if draft.graded and data.get("impact_vendor") is None:
            data["impact_vendor"] = draft.impact
            if IMPORTED in item.doc.body:  # the importer's own default, not a curator's judgement
                data["impact"] = draft.impact
            changed.append("the vendor's grade")
        refined, body = refine(data, draft, item.doc.body)
        changed += refined
        if not changed:
            plan.actions.append(Action("unchanged", self.vendor.id, item.path, ""))
            return
        text = render(data, body)
        plan.writes[item.path] = text
        self.rewritten[item.path] = Existing(item.path, parse_text(text, item.path), text)
        notes = "; ".join(draft.notes)
        plan.actions.append(
            Action("updated", self.vendor.id, item.path, ", ".join(changed) + (f"; {notes}" if notes else ""))
        )

    def wrote(self, data: dict[str, Any]) -> bool:
        """Whether this source wrote the record: the same archive (or none, for the live page). A record two
        archives hold is restated only from the one it cites, so re-running both changes nothing."""
        cited = {s.get("archive") for s in data.get("sources") or [] if isinstance(s, dict)} or {None}
        return self.archive in cited

    def restate(self, item: Existing, data: dict[str, Any], draft: Draft, plan: Plan) -> None:
        """An imported record follows the importer's current rules: the facts it derives from the vendor's
        posts (window, models, scope, products, updates, its own prose) are derived again, so a re-run of a
        backfill applies a corrected rule to the whole ledger, and a second re-run changes nothing.

        What a curator may have set is kept: title, impact, sources, other tags and any paragraph they added.
        """
        fields = draft.fields()
        for key in ("title", "sources", "vendor_refs", "postmortem", "acknowledged", "symptoms"):
            if key in data:
                fields[key] = data[key]
        if data.get("impact_vendor") is not None:
            fields["impact"] = data["impact"]
        curated_tags = [t for t in data.get("tags") or [] if t != REVIEW_TAG]
        tags = [*draft.tags, *(t for t in curated_tags if t not in draft.tags)]
        fields.pop("tags", None)
        if tags:
            fields["tags"] = tags
        added = [part for part in item.doc.body.strip().split("\n\n") if not is_generated(part, self.vendor.name)]
        body = "\n\n".join([draft.body(self.vendor.name), *added])
        text = render(fields, body)
        if text == item.text:
            plan.actions.append(Action("unchanged", self.vendor.id, item.path, ""))
            return
        changed = [key for key in FIELD_ORDER if fields.get(key) != data.get(key)]
        plan.writes[item.path] = text
        self.rewritten[item.path] = Existing(item.path, parse_text(text, item.path), text)
        notes = "; ".join(draft.notes)
        detail = "restated " + (", ".join(changed) or "body") + (f"; {notes}" if notes else "")
        plan.actions.append(Action("updated", self.vendor.id, item.path, detail))

    def link_to(self, item: Existing, ref: tuple[str, str], plan: Plan) -> None:
        if not self.link:
            detail = f"already recorded by hand; run with --link to add vendor_refs {ref[0]}:{ref[1]}"
            plan.actions.append(Action("matched", self.vendor.id, item.path, detail))
            return
        plan.writes[item.path] = add_vendor_ref(item, ref)
        plan.actions.append(Action("linked", self.vendor.id, item.path, f"added vendor_refs {ref[0]}:{ref[1]}"))


def is_generated(paragraph: str, vendor_name: str) -> bool:
    """A paragraph of the importer's own prose, written again on every restatement."""
    text = paragraph.strip()
    return not text or text.startswith((IMPORTED, f"{vendor_name} reported \u201c"))


def add_vendor_ref(item: Existing, ref: tuple[str, str]) -> str:
    """Insert one `vendor_refs` entry into a file's front matter, leaving every other byte alone."""
    lines = item.text.split("\n")
    entry = f"  - {{source: {yaml_scalar(ref[0])}, id: {yaml_scalar(ref[1])}}}"
    refs_line = item.doc.lines.get(("vendor_refs",))
    if refs_line is None:
        closing = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        lines[closing:closing] = ["vendor_refs:", entry]
    else:
        last = max(line for key, line in item.doc.lines.items() if key[:1] == ("vendor_refs",))
        lines.insert(last, entry)
    return "\n".join(lines)
