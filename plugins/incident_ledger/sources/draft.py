"""A vendor's incident as a ledger record: the facts the importer writes, times kept parsed.

Readers hand over `VendorIncident`s (aware UTC times, plain text); this module decides
what the ledger says of each — models, products, symptoms, grade, and the impact window the
vendor's own words state (`ledger.windows`) — and renders the file text only at the very end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import yaml

from ..ledger.attribution import find_models
from ..ledger.model import ALL_MODELS, IMPACTS, REVIEW_TAG, Vendor
from ..ledger.timeutil import human_duration, iso
from ..ledger.windows import Refused, Stated, Window, stated_window
from .readers.record import VendorIncident
from .scope import unnamed_scope

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
IMPORTED = "Imported from the vendor's status page"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


@dataclass(frozen=True)
class DraftUpdate:
    at: datetime
    status: str
    text: str


@dataclass
class Draft:
    """The ledger's record of one vendor incident, before it becomes file text."""

    title: str
    vendor: str
    models: list[str]
    start: datetime
    end: datetime | None
    impact: str
    graded: bool
    sources: list[Any]
    ref: tuple[str, str]
    components: list[str]
    products: list[str] = field(default_factory=list)
    symptoms: list[str] = field(default_factory=list)
    updates: list[DraftUpdate] = field(default_factory=list)
    precision: str = "minute"
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    posted_after: str = ""
    window: str = ""  # what the body says of the window the vendor's posts state
    archive_gap: str = ""
    scope: str = ALL_MODELS  # what `model` says when no model is named: `all` or `unspecified`
    affected: list[str] = field(default_factory=list)  # what the body names: products, then unmapped components

    def links(self) -> list[str]:
        """The vendor's links this record cites (its incident page, a shortlink)."""
        return [source_url(s) for s in self.sources]

    def fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "title": self.title,
            "vendor": self.vendor,
            "model": self.models if len(self.models) > 1 else (self.models[0] if self.models else self.scope),
            "start": iso(self.start),
            "end": iso(self.end) if self.end else None,
            "impact": self.impact,
            "sources": self.sources,
            "vendor_refs": [{"source": self.ref[0], "id": self.ref[1]}],
        }
        if self.graded:
            fields["impact_vendor"] = self.impact
        if self.products:
            fields["products"] = self.products
        if self.precision != "minute":
            fields["time_precision"] = self.precision
        if self.symptoms:
            fields["symptoms"] = self.symptoms
        if self.tags:
            fields["tags"] = self.tags
        if self.updates:
            fields["updates"] = [update_fields(u) for u in self.updates]
        return fields

    def body(self, vendor_name: str) -> str:
        """A neutral summary; the vendor's own words stay in `updates`."""
        where = f", affecting {', '.join(md_escape(c) for c in self.affected)}" if self.affected else ""
        if self.end is None:
            state = "It was unresolved when this record was imported."
        elif self.precision == "day":
            state = "Its duration is unknown."
        else:
            state = f"It lasted {human_duration((self.end - self.start).total_seconds())} by the vendor's times."
        gap = f"{self.archive_gap} " if self.archive_gap else ""
        return (
            f"{vendor_name} reported \u201c{md_escape(self.title)}\u201d on its status page{where}, "
            f"with {self.impact} impact. {state}{self.window}{self.posted_after}\n\n"
            f"{IMPORTED}; the status updates below are the vendor's own words. {gap}"
        ).rstrip()

    def text(self, vendor_name: str) -> str:
        return render(self.fields(), self.body(vendor_name))


def md_escape(text: str) -> str:
    """Vendor names inside the ledger's own prose: shown as written on one line, never as links, images,
    headings, lists or code blocks (a newline in a name would start one)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def source_url(source: Any) -> str:
    """A cited source's address, plain or `{url, archive}`, without a trailing slash, for comparing links."""
    return str((source.get("url") if isinstance(source, Mapping) else source) or "").rstrip("/")


def update_fields(update: DraftUpdate) -> dict[str, str]:
    return {"at": iso(update.at), "status": update.status, "text": update.text}


def components_of(record: VendorIncident) -> list[str]:
    """The union of components named by the incident and by every one of its updates."""
    return list(dict.fromkeys([*record.components, *(c for u in record.updates for c in u.components)]))


def products_of(vendor: Vendor, components: list[str], texts: list[str]) -> list[str]:
    """Products from the components the vendor marked; with none marked, from the names its words use for them
    (GitHub often marks no component, but writes "Copilot Chat is experiencing elevated error rates"): the
    title's, else the first post that names one. The longest name wins, so "Copilot Chat" is not also "Copilot"."""
    mapped = {vendor.components[c] for c in components if c in vendor.components}
    for text in texts:  # the title first: it says what was hit; the posts only when it names nothing
        if mapped:
            break
        lowered = text.lower()
        for name in sorted(vendor.mentions, key=len, reverse=True):
            pattern = re.compile(rf"(?<![\w.-]){re.escape(name.lower())}(?![\w-])")
            if pattern.search(lowered):
                mapped.add(vendor.mentions[name])
                lowered = pattern.sub(" ", lowered)
    return sorted(mapped)


def to_second(moment: datetime) -> datetime:
    """Files keep whole seconds; drafts do too, so a re-run compares like with like."""
    return moment.replace(microsecond=0)


def _updates(record: VendorIncident) -> list[DraftUpdate]:
    """The vendor's posts in ledger statuses; a post in a word we do not use keeps the previous status."""
    rows, last = [], "investigating"
    for update in record.updates:
        last = update.status or last
        rows.append(DraftUpdate(to_second(update.at), last, update.text))
    return rows


def _symptoms(texts: Iterable[str]) -> list[str]:
    joined = " ".join(texts).lower()
    return [name for name, pattern in SYMPTOM_WORDS if re.search(pattern, joined)]


def problems_of(record: VendorIncident) -> list[str]:
    """Why a record cannot become a ledger file; empty when it can."""
    problems = []
    if not record.id:
        problems.append("no `id`")
    if not record.title:
        problems.append("no `name`")
    if record.start is None:
        problems.append("no readable `started_at` or `created_at`")
    if record.impact is None and record.impact_vendor is not None:
        problems.append(f"impact `{record.impact_vendor}` is not one of {', '.join(IMPACTS)}")
    return problems


def _end_of(record: VendorIncident, updates: list[DraftUpdate]) -> datetime | None:
    if record.end is not None or not record.resolved:
        return to_second(record.end) if record.end is not None else None
    resolved = [u.at for u in updates if u.status == "resolved"]
    return resolved[-1] if resolved else None


@dataclass(frozen=True)
class Post:
    """A vendor's post as the window rule reads it: when it was written, not the time the page shows."""

    at: datetime
    status: str
    text: str


def place_window(draft: Draft, stated: Stated | None) -> None:
    """Start and end are the window the vendor's summary post states; a window the rule refuses, or two
    that conflict, leave the post times and a record for review. The body says which post it was."""
    if isinstance(stated, Window):
        draft.start, draft.end = stated.start, stated.end
        at = iso(draft.updates[stated.post].at)
        draft.window = (
            f" Start and end are the window the vendor's post of {at} states (\u201c{md_escape(stated.phrase)}\u201d)."
        )
        return
    if stated is None:
        return
    at = iso(draft.updates[stated.post].at)
    if isinstance(stated, Refused):
        draft.notes.append(f"review: the window of the post of {at} is not used: {stated.reason}")
        draft.window = (
            f" The vendor's post of {at} states a window (\u201c{md_escape(stated.phrase)}\u201d) that is not used: "
            f"{stated.reason}; start and end are the post times."
        )
    else:
        phrases = "; ".join(f"\u201c{md_escape(p)}\u201d" for p in stated.phrases)
        draft.notes.append(f"review: the post of {at} states more than one window")
        draft.window = (
            f" The vendor's post of {at} states more than one window ({phrases}); start and end are the post times."
        )
    draft.tags = [*draft.tags, REVIEW_TAG]


def place_posted_after(draft: Draft, posted: list[datetime]) -> None:
    """An incident posted after the fact (resolved at, before or within a minute of its start) with no
    window in its words: only the date is known. Never zero-length and never an error: a date-only record
    has an unknown duration and is tagged for review."""
    end = draft.end
    assert end is not None
    said = ", ".join(iso(t) for t in sorted({draft.start, end, *posted}))
    midnight = datetime.combine(min([end, *posted]).date(), time(0), UTC)
    draft.start = draft.end = midnight
    draft.precision = "day"
    if REVIEW_TAG not in draft.tags:
        draft.tags = [*draft.tags, REVIEW_TAG]
    draft.notes.append("review: posted after the fact with no window in its text; recorded by date only")
    draft.posted_after = (
        f" The vendor posted it after the fact, its times ({said}) giving no impact window, "
        "so only the date is recorded."
    )


def _windowed(draft: Draft, record: VendorIncident) -> None:
    posted = [to_second(u.posted or u.at) for u in record.updates]
    stated = stated_window([Post(at, u.status, u.text) for at, u in zip(posted, draft.updates, strict=True)])
    after_the_fact = draft.end is not None and draft.end - draft.start < timedelta(minutes=1)
    if after_the_fact and not isinstance(stated, Window):
        place_posted_after(draft, posted)
        return
    place_window(draft, stated)
    if after_the_fact:
        said = ", ".join(iso(t) for t in sorted(set(posted)))
        # The page shows such posts at times the vendor set back; the file keeps when they were written, so
        # the window reads the same from the file (`validate`) as from the vendor's data.
        draft.updates = [replace(update, at=written) for update, written in zip(draft.updates, posted, strict=True)]
        draft.notes.append("review: posted after the fact; start and end are the window the vendor's text states")
        draft.posted_after = f" The vendor posted it after the fact (at {said})."


def draft_of(record: VendorIncident, vendor: Vendor) -> Draft:
    """The ledger's record of `record`, which must have no `problems_of`."""
    assert record.start is not None
    updates = _updates(record)
    components = components_of(record)
    texts = [record.title, *(u.text for u in updates)]
    # A component the vendor marked affected names what was hit as surely as its words do ("DeepSeek V4 Pro API").
    models = find_models(vendor, [*texts, *components], record.start.date())
    sources: list[Any] = [record.url]
    if record.shortlink and record.shortlink != record.url:
        sources.append(record.shortlink)
    draft = Draft(
        title=record.title,
        vendor=vendor.id,
        models=models,
        start=to_second(record.start),
        end=_end_of(record, updates),
        impact=record.impact or "minor",
        graded=record.impact is not None,
        sources=sources,
        ref=(record.ref_source, record.id),
        components=components,
        products=products_of(vendor, components, texts),
        symptoms=_symptoms(texts),
        updates=updates,
    )
    draft.affected = [vendor.products[p] for p in draft.products] + [
        c for c in components if c not in vendor.components
    ]
    if not models:
        draft.scope = unnamed_scope(vendor, record.title, draft.products, texts)
        draft.notes.append(f"no model named, recorded as `model: {draft.scope}`")
    if record.impact is None:
        draft.notes.append("review: the source gives no impact grade; recorded as minor")
    _windowed(draft, record)
    return draft


def yaml_scalar(value: Any) -> str:
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
                lines.append(f"    text: {yaml_scalar(update['text'])}")
        elif key in ("sources", "vendor_refs"):
            lines.append(f"{key}:")
            lines.extend(f"  - {yaml_scalar(item)}" for item in value)
        elif key in ("start", "end") and value is not None:
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body.strip() + "\n"
