"""Validation rules: turn parsed documents into incidents, or into precise problems.

Never raises on bad data: every rule appends a `Problem` naming the file, line
and field, and the incident is built only when no error was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath

from .attribution import find_models
from .evidence import domain_class, host_of, strongest
from .fields import HIDDEN, FieldReader, kind_name, suggest
from .load import Document, Key
from .model import (
    ALL_MODELS,
    IMPACTS,
    OPTIONAL_KEYS,
    PRECISIONS,
    REQUIRED_KEYS,
    REVIEW_TAG,
    STATUSES,
    SYMPTOMS,
    TITLE_MAX,
    UNSPECIFIED,
    UPDATE_TEXT_MAX,
    Incident,
    Problem,
    Registry,
    Source,
    Update,
    VendorRef,
)
from .timeutil import iso
from .windows import Ambiguous, Refused, Window, disagrees, stated_window

ID_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
ID_MAX = 100
TAG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EARLIEST = datetime(2015, 1, 1, tzinfo=UTC)
STALE = timedelta(days=14)
UPDATE_KEYS = ("at", "status", "text")
REF_KEYS = ("source", "id")
SOURCE_KEYS = ("url", "archive")
_ACTIVE_HTML = (
    (
        re.compile(r"<\s*(script|iframe|object|embed|form|frame|frameset|meta|base|link|style|svg|math)\b", re.I),
        "raw `<{0}>` HTML is not allowed in incident text",
    ),
    (re.compile(r"<[a-z][^>]*\s(on[a-z]+)\s*=", re.I), "HTML event attribute `{0}=` is not allowed"),
    (re.compile(r"\{:?[^}]*\b(on[a-z]+)\s*=", re.I), "attribute list with `{0}=` is not allowed"),
    (
        re.compile(
            r"(?:\]\(\s*<?|<|href\s*=\s*[\"']?|src\s*=\s*[\"']?|\]:\s*<?)\s*(javascript|vbscript|data)\s*:", re.I
        ),
        "`{0}:` links are not allowed",
    ),
)


_ANY_ACTIVE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _ACTIVE_HTML), re.I)


def active_html(body: str) -> list[tuple[int, str]]:
    """Lines (1-based, within `body`) and messages for active HTML and unsafe links."""
    if not _ANY_ACTIVE.search(body):
        return []
    found = []
    for number, line in enumerate(body.split("\n"), start=1):
        for pattern, message in _ACTIVE_HTML:
            match = pattern.search(line)
            if match:
                found.append((number, message.format(match.group(1).lower())))
    return found


class _Checker(FieldReader):
    """The incident rules over one document; collects problems and the normalised values."""

    def __init__(self, doc: Document, registry: Registry, now: datetime) -> None:
        super().__init__(doc, registry, now)
        self.early: list[int] = []  # updates posted before `start`, warned of unless the posts state that start

    # -- the fields ----------------------------------------------------------------

    def keys(self) -> None:
        allowed = (*REQUIRED_KEYS, *OPTIONAL_KEYS)
        for name in self.data:
            if name not in allowed:
                self.report((name,), f"unknown key `{name}`", suggest(name, allowed))
        for name in REQUIRED_KEYS:
            if name not in self.data:
                hint = "write `end: null` while the incident is ongoing" if name == "end" else f"add `{name}:`"
                self.report((), f"required key `{name}` is missing", hint)

    def vendor_models_products(self) -> tuple[str | None, list[str], bool, list[str]]:
        vendor_id = self.data.get("vendor")
        vendor = None
        if "vendor" in self.data and self.text(("vendor",), vendor_id):
            vendor = self.registry.vendor(str(vendor_id))
            if vendor is None:
                self.report(
                    ("vendor",), f"unknown vendor `{vendor_id}`", suggest(str(vendor_id), self.registry.vendors)
                )
        models: list[str] = []
        all_models = False
        if "model" in self.data:
            raw = self.data["model"]
            listed = self.word_list(("model",), raw)
            if listed is not None and not listed:
                self.report(("model",), "lists no model", f"name a model id, or write `model: all` or `{UNSPECIFIED}`")
            if listed:
                scope = next((word for word in (ALL_MODELS, UNSPECIFIED) if word in listed), None)
                if scope is not None:
                    all_models = scope == ALL_MODELS
                    if len(listed) > 1:
                        self.report(
                            ("model",), f"`{scope}` cannot be combined with model ids", f"write `model: {scope}`"
                        )
                elif vendor is not None:
                    for index, model in enumerate(listed):
                        if model not in vendor.models:
                            where: Key = ("model",) if isinstance(raw, str) else ("model", index)
                            hint = suggest(model, vendor.models) + " (new models go into incidents/vendors.yml)"
                            self.report(where, f"unknown model `{model}` for vendor `{vendor.id}`", hint)
                models = [m for m in listed if m not in (ALL_MODELS, UNSPECIFIED)]
        products: list[str] = []
        if "products" in self.data:
            listed = self.word_list(("products",), self.data["products"]) or []
            for index, product in enumerate(listed):
                if vendor is not None and product not in vendor.products:
                    where = ("products", index) if isinstance(self.data["products"], list) else ("products",)
                    self.report(
                        where, f"unknown product `{product}` for `{vendor.id}`", suggest(product, vendor.products)
                    )
            products = listed
        return (vendor.id if vendor else None), models, all_models, products

    def times(self, precision: str) -> tuple[datetime | None, datetime | None]:
        start = self.time(("start",), self.data["start"]) if "start" in self.data else None
        end = None
        if self.data.get("end") is not None:
            end = self.time(("end",), self.data["end"])
        for key, moment in (("start", start), ("end", end)):
            if moment is None:
                continue
            self.future((key,), moment, f"{key} {moment:%Y-%m-%d %H:%M} UTC is in the future")
            if moment < EARLIEST:
                self.report((key,), f"{key} {moment:%Y-%m-%d} is before 2015", "check the year")
            if precision == "day" and (moment.hour, moment.minute, moment.second) != (0, 0, 0):
                self.report((key,), "with `time_precision: day` times must be midnight UTC", "write T00:00:00Z")
        if start and end:
            if end < start:
                self.report(("end",), "end is before start", "swap them, or check the offsets")
            elif precision == "minute" and end == start:
                self.report(
                    ("end",),
                    "end equals start: a minute-precision incident cannot last zero minutes",
                    "give the real end, or set `time_precision: day` if only the date is known",
                )
            elif precision == "minute" and end - start > STALE and not self.data.get("vendor_refs"):
                self.warn(("end",), "a minute-precision incident lasting over 14 days", "check end, or lower precision")
        if start and "end" in self.data and self.data["end"] is None:
            if self.now - start > STALE:
                self.warn(("end",), "ongoing for more than 14 days", "set `end:` if the incident is over")
            else:
                self.valid_until = min(self.valid_until, start + STALE)
        return start, end

    def sources(self) -> list[Source]:
        value = self.data.get("sources")
        if "sources" not in self.data:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.report(("sources",), "must list at least one https URL", "write `sources: [https://…]`")
            return []
        result = []
        for index, item in enumerate(value):
            key: Key = ("sources", index)
            if isinstance(item, dict):
                if self.mapping_keys(key, item, SOURCE_KEYS, ("url",)):
                    url = self.url((*key, "url"), item["url"])
                    archive = self.url((*key, "archive"), item["archive"]) if item.get("archive") else None
                    if url:
                        result.append(Source(url, archive))
            else:
                url = self.url(key, item)
                if url:
                    result.append(Source(url))
        if len({s.url for s in result}) != len(result):
            self.warn(("sources",), "the same source is listed twice", "remove the repeated URL")
        return result

    def updates(self, start: datetime | None) -> list[Update]:
        value = self.data.get("updates")
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(("updates",), f"must be a list, got {kind_name(value)}", "write `- at: …` items")
            return []
        result = []
        for index, item in enumerate(value):
            key: Key = ("updates", index)
            if not self.mapping_keys(key, item, UPDATE_KEYS, UPDATE_KEYS):
                continue
            at = self.time((*key, "at"), item["at"])
            status = self.enum((*key, "status"), item["status"], STATUSES)
            text = self.text((*key, "text"), item["text"], max_len=UPDATE_TEXT_MAX)
            if at and result and at < result[-1].at:
                self.report((*key, "at"), "updates are out of time order", "list updates oldest first")
            if at and start and at < start:
                self.early.append(index)
            if at:
                self.future((*key, "at"), at, "update time is in the future")
            if at and status and text:
                result.append(Update(at, status, text))
        return result

    def stated(self, start: datetime | None, end: datetime | None, updates: list[Update], tags: list[str]) -> None:
        """Start and end against the window the record's own posts state (`ledger.windows`): a start the
        vendor's window puts after the first post is no mistake, so early posts warn only otherwise."""
        stated = stated_window(updates) if len(updates) == len(self.data.get("updates") or []) else None
        agrees = isinstance(stated, Window) and start is not None and not disagrees(start, end, stated)
        if not agrees:
            for index in self.early:
                self.warn(
                    ("updates", index, "at"), "update posted before the incident's start", "check start or this time"
                )
        if start is None or REVIEW_TAG in tags:
            return
        if isinstance(stated, Window) and disagrees(start, end, stated):
            window = f"{iso(stated.start)} to {iso(stated.end)}"
            self.warn(
                ("updates", stated.post, "text"),
                f"this post states the impact window {window} (\u201c{stated.phrase}\u201d), but start and end differ",
                f"set start: {iso(stated.start)} and end: {iso(stated.end)}, "
                f"or tag the record `{REVIEW_TAG}` and say in the body why the vendor's window is not used",
            )
        elif isinstance(stated, Refused | Ambiguous):
            said = stated.reason if isinstance(stated, Refused) else "it states more than one window"
            phrase = stated.phrase if isinstance(stated, Refused) else "\u201d, \u201c".join(stated.phrases)
            self.warn(
                ("updates", stated.post, "text"),
                f"this post states a window that cannot be used (\u201c{phrase}\u201d): {said}",
                f"check the times by hand and tag the record `{REVIEW_TAG}`",
            )

    def named_in_title(
        self, vendor_id: str | None, title: str | None, scope_word: str | None, start: datetime | None
    ) -> None:
        """A title naming one of the vendor's models, with `model: all` or `unspecified`, names it in vain."""
        vendor = self.registry.vendor(vendor_id) if vendor_id else None
        if vendor is None or title is None:
            return
        products = {name.lower() for name in vendor.products.values()}
        named = [
            m
            for m in find_models(vendor, [title], start.date() if start else None)
            if vendor.models[m].name.lower() not in products
        ]
        if named:  # a model sharing a product's name ("Sora") is read as the product
            names = ", ".join(vendor.models[m].name for m in named)
            self.warn(
                ("model",),
                f"the title names {names} but `model` is `{scope_word}`",
                f"write `model: {named[0]}`" if len(named) == 1 else f"write `model: [{', '.join(named)}]`",
            )

    def small_lists(self) -> tuple[list[str], list[str], list[VendorRef]]:
        tags = self.word_list(("tags",), self.data["tags"]) or [] if "tags" in self.data else []
        for index, tag in enumerate(tags):
            if not TAG_RE.match(tag):
                self.report(("tags", index), f"tag `{tag}` must be a lower-case word", "use a-z, 0-9 and -")
        symptoms = self.word_list(("symptoms",), self.data["symptoms"]) or [] if "symptoms" in self.data else []
        for index, symptom in enumerate(symptoms):
            self.enum(("symptoms", index), symptom, SYMPTOMS)
        refs = []
        raw_refs = self.data.get("vendor_refs")
        if raw_refs is not None:
            if not isinstance(raw_refs, list):
                self.report(("vendor_refs",), "must be a list of {source, id}", "write `- {source: statuspage, id: …}`")
            else:
                for index, item in enumerate(raw_refs):
                    key: Key = ("vendor_refs", index)
                    if self.mapping_keys(key, item, REF_KEYS, REF_KEYS):
                        source = self.text((*key, "source"), item["source"], 40, plain=True)
                        ref = self.text((*key, "id"), str(item["id"]) if item["id"] is not None else None, 200, True)
                        if source and ref:
                            refs.append(VendorRef(source, ref))
        return tags, symptoms, refs

    def ulid_times(self, refs: Sequence[VendorRef], start: datetime | None) -> None:
        """An incident.io id (a ULID) encodes when the vendor created the incident: a start more than a day
        after it is almost surely a mistyped date (a cheap check that needs no network)."""
        for index, ref in enumerate(refs):
            created = ulid_time(ref.id)
            if start is not None and created is not None and start - created > ULID_SLACK:
                self.warn(
                    ("vendor_refs", index, "id"),
                    f"start is {human_days(start - created)} after {created:%Y-%m-%d %H:%M} UTC, when the vendor "
                    f"created incident `{ref.id}`",
                    "check the start date, or the id",
                )

    def evidence(self, sources: Sequence[Source], postmortem: str | None) -> str | None:
        """The strongest class among the sources; unclassified domains and aggregator-only times are warned."""
        urls = [s.url for s in sources] + ([postmortem] if postmortem else [])
        classes = [domain_class(url, self.registry.source_classes) for url in urls]
        for url, cls in zip(urls, classes, strict=True):
            if cls is None:
                self.warn(
                    ("postmortem",) if url == postmortem and url not in (s.url for s in sources) else ("sources",),
                    f"source domain `{host_of(url)}` has no class",
                    f"add `{host_of(url)}` to incidents/sources.yml under vendor, press, community or aggregator",
                )
        evidence = strongest(classes)
        if evidence == "aggregator" and self.data.get("time_precision", "minute") != "day":
            self.warn(
                ("sources",),
                "the times rest on aggregator sources only",
                "cite the vendor's status page or write-up, press, or user reports with their own timestamps; "
                "else keep only the dates (`time_precision: day`) and give the aggregator's times in the body",
            )
        return evidence

    def hidden(self) -> None:
        """Refuse bidi controls and invisible characters in the updates and the body (the title is plain text,
        checked with the other one-line fields)."""
        updates = self.data.get("updates")
        for index, item in enumerate(updates if isinstance(updates, list) else []):
            text = item.get("text") if isinstance(item, dict) else None
            found = HIDDEN.search(text) if isinstance(text, str) else None
            if found:
                self.report(
                    ("updates", index, "text"),
                    f"contains the invisible or bidirectional control U+{ord(found.group()):04X}", "delete it",
                )  # fmt: skip
        for number, line in enumerate(self.doc.body.split("\n")):
            found = HIDDEN.search(line)
            if found:
                self.problems.append(
                    Problem(
                        self.doc.path, self.doc.body_line + number, "body",
                        f"contains the invisible or bidirectional control U+{ord(found.group()):04X}", "delete it",
                    )
                )  # fmt: skip

    def body(self) -> str:
        body = self.doc.body.strip()
        if not body:
            self.problems.append(
                Problem(
                    self.doc.path,
                    self.doc.body_line,
                    "body",
                    "no description below the front matter",
                    "say what happened, who was affected, cause and fix",
                    "warning",
                )
            )
        for line, message in active_html(self.doc.body):
            self.problems.append(
                Problem(self.doc.path, self.doc.body_line + line - 1, "body", message, "use plain Markdown")
            )
        return body

    def identity(self, start: datetime | None, vendor: str | None, first_post: datetime | None = None) -> str:
        """The file name is the permanent id: dated by `start`, or by the first post when the window the vendor
        stated moved `start` to another day after the id was published."""
        path = PurePosixPath(self.doc.path.replace("\\", "/"))
        stem = path.stem
        line = 1
        if path.suffix != ".md":
            self.problems.append(Problem(self.doc.path, line, "", "incident files must end in `.md`", "rename it"))
        match = ID_RE.match(stem)
        if not match or len(stem) > ID_MAX:
            self.problems.append(
                Problem(
                    self.doc.path,
                    line,
                    "",
                    f"file name `{stem}` is not `YYYY-MM-DD-vendor-slug`",
                    f"use lower-case words joined by `-`, at most {ID_MAX} characters",
                )
            )
            return stem
        if start:
            day = f"{start:%Y-%m-%d}"
            dated_by_post = first_post is not None and match.group(1) == f"{first_post:%Y-%m-%d}"
            if match.group(1) != day and not dated_by_post:
                self.report(
                    ("start",),
                    f"file name starts with {match.group(1)} but start is {day} UTC",
                    f"rename the file to {day}-…",
                )
            if path.parent.name != match.group(1)[:4]:
                self.report(
                    ("start",),
                    f"file is in folder `{path.parent.name}/`, not `{match.group(1)[:4]}/`",
                    f"move it to incidents/{match.group(1)[:4]}/",
                )
        if vendor and not match.group(2).startswith(f"{vendor}-"):
            self.report(
                ("vendor",),
                f"file name does not name vendor `{vendor}` after the date",
                f"rename it to {match.group(1)}-{vendor}-<slug>.md",
            )
        return stem


@dataclass(frozen=True)
class Checked:
    """One document's verdict; it holds for any reference time from `now` up to, not including, `valid_until`."""

    incident: Incident | None
    problems: list[Problem]
    now: datetime
    valid_until: datetime

    def holds_at(self, now: datetime) -> bool:
        return self.now <= now < self.valid_until


def validate_document(doc: Document, registry: Registry, now: datetime) -> Checked:
    """Check one parsed document; the verdict carries the incident when it has no errors."""
    if doc.data is None:
        return Checked(None, list(doc.problems), now, datetime.max.replace(tzinfo=UTC))
    check = _Checker(doc, registry, now)
    check.keys()
    data = check.data
    title = check.text(("title",), data["title"], TITLE_MAX, plain=True) if "title" in data else None
    vendor, models, all_models, products = check.vendor_models_products()
    precision = (
        check.enum(("time_precision",), data["time_precision"], PRECISIONS) if "time_precision" in data else None
    )
    start, end = check.times(precision or "minute")
    impact = check.enum(("impact",), data["impact"], IMPACTS) if "impact" in data else None
    sources = check.sources()
    postmortem = check.url(("postmortem",), data["postmortem"]) if data.get("postmortem") is not None else None
    updates = check.updates(start)
    tags, symptoms, refs = check.small_lists()
    check.stated(start, end, updates, tags)
    if not models:
        check.named_in_title(
            vendor, title, data.get("model") if data.get("model") in (ALL_MODELS, UNSPECIFIED) else None, start
        )
    check.ulid_times(refs, start)
    acknowledged = data.get("acknowledged", True)
    if not isinstance(acknowledged, bool):
        check.report(
            ("acknowledged",), f"must be true or false, got {kind_name(acknowledged)}", "write `true` or `false`"
        )
    impact_vendor = (
        check.enum(("impact_vendor",), data["impact_vendor"], IMPACTS)
        if data.get("impact_vendor") is not None
        else None
    )
    evidence = check.evidence(sources, postmortem)
    body = check.body()
    check.hidden()
    incident_id = check.identity(start, vendor, updates[0].at.astimezone(UTC) if updates else None)
    problems = list(doc.problems) + check.problems
    if any(p.is_error for p in problems) or not (title and vendor and start and impact and sources):
        return Checked(None, problems, now, check.valid_until)
    incident = Incident(
        id=incident_id,
        path=doc.path,
        title=title,
        vendor=vendor,
        models=tuple(models),
        all_models=all_models,
        start=start,
        end=end,
        impact=impact,
        sources=tuple(sources),
        body=body,
        products=tuple(products),
        postmortem=postmortem,
        updates=tuple(updates),
        tags=tuple(tags),
        time_precision=precision or "minute",
        symptoms=tuple(symptoms),
        vendor_refs=tuple(refs),
        acknowledged=bool(acknowledged),
        impact_vendor=impact_vendor,
        evidence=evidence,
    )
    return Checked(incident, problems, now, check.valid_until)


ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
ULID_SLACK = timedelta(days=1)
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid_time(ident: str) -> datetime | None:
    """The creation time a ULID's first ten characters encode (milliseconds since 1970), or None."""
    if not ULID.match(ident):
        return None
    millis = 0
    for char in ident[:10]:
        millis = millis * 32 + _CROCKFORD.index(char)
    return datetime.fromtimestamp(millis / 1000, UTC)


def human_days(delta: timedelta) -> str:
    return f"{delta.days} day(s)" if delta.days else f"{delta.seconds // 3600} hour(s)"


def duplicate_vendor_refs(incidents: Iterable[Incident]) -> list[Problem]:
    """A vendor's incident is recorded once: importers find a file by its vendor id, so a second file
    with the same id would never be updated and would count the incident twice."""
    seen: dict[tuple[str, str, str], Incident] = {}
    problems = []
    for incident in incidents:
        for ref in incident.vendor_refs:
            first = seen.setdefault((incident.vendor, ref.source, ref.id), incident)
            if first is not incident:
                problems.append(
                    Problem(
                        incident.path,
                        1,
                        "vendor_refs",
                        f"vendor id `{ref.source}:{ref.id}` is already recorded by {first.path}",
                        "keep one file for this incident: merge the two, or correct the id",
                    )
                )
    return problems


def duplicate_ids(incidents: Iterable[Incident]) -> list[Problem]:
    """Ids are permanent URLs, so two files with one id would publish one page twice."""
    seen: dict[str, Incident] = {}
    problems = []
    for incident in incidents:
        first = seen.setdefault(incident.id, incident)
        if first is not incident:
            problems.append(
                Problem(
                    incident.path,
                    1,
                    "",
                    f"id `{incident.id}` is already used by {first.path}",
                    "give one of the files a different slug",
                )
            )
    return problems
