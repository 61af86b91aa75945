"""Typed, immutable records shared by every part of the ledger.

Nothing here reads files or knows about MkDocs: these are the values that the
loader produces, the validator checks and the pages, feeds and statistics use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

IMPACTS: tuple[str, ...] = ("none", "minor", "major", "critical")
STATUSES: tuple[str, ...] = ("investigating", "identified", "monitoring", "resolved", "postmortem")
PRECISIONS: tuple[str, ...] = ("minute", "hour", "day")
SYMPTOMS: tuple[str, ...] = (
    "unavailable",
    "elevated-errors",
    "latency",
    "degraded-quality",
    "rate-limited",
    "feature-unavailable",
    "login",
    "data",
)
REQUIRED_KEYS: tuple[str, ...] = ("title", "vendor", "model", "start", "end", "impact", "sources")
OPTIONAL_KEYS: tuple[str, ...] = (
    "products",
    "postmortem",
    "updates",
    "tags",
    "time_precision",
    "symptoms",
    "vendor_refs",
    "acknowledged",
    "impact_vendor",
)
# What happened, as opposed to where it was read (sources, vendor_refs) and how it is filed (tags): a commit
# that changes none of these corrects no fact, so feeds do not mark the entry updated.
FACT_KEYS: frozenset[str] = frozenset(REQUIRED_KEYS + OPTIONAL_KEYS) - {"sources", "vendor_refs", "tags"}
ALL_MODELS = "all"
REVIEW_TAG = "needs-review"  # a record whose facts a person should check against its sources
# No model is named and nothing says every model was hit: a feature, a page, billing, one product's log-in.
UNSPECIFIED = "unspecified"
# What an incident's `model` says of the models it hit: a list of ids, every model, or none named.
SCOPES: tuple[str, ...] = ("models", ALL_MODELS, UNSPECIFIED)
# What readers see for a record naming no model: "every model was hit" and "none named" must read apart.
SCOPE_LABELS = {ALL_MODELS: "all models", UNSPECIFIED: "no model named"}
# Product classes, so that figures compare a vendor's API with another's API, chat app with chat app.
PRODUCT_CLASSES: tuple[str, ...] = ("api", "chat", "coding", "other")
TITLE_MAX = 120
# One limit for an update's text, in readers and validator alike: vendors' post-incident reports run past 8,000.
UPDATE_TEXT_MAX = 12000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located precisely enough to fix."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line, self.field, self.message)

    def human(self) -> str:
        where = f"{self.path}:{self.line}"
        field = f" [{self.field}]" if self.field else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}: {self.severity}{field}: {self.message}{hint}"


@dataclass(frozen=True)
class Update:
    at: datetime
    status: str
    text: str


@dataclass(frozen=True)
class Source:
    url: str
    archive: str | None = None


@dataclass(frozen=True)
class VendorRef:
    source: str
    id: str


@dataclass(frozen=True)
class Incident:
    """A validated incident; times are timezone-aware UTC."""

    id: str
    path: str
    title: str
    vendor: str
    models: tuple[str, ...]
    all_models: bool
    start: datetime
    end: datetime | None
    impact: str
    sources: tuple[Source, ...]
    body: str
    products: tuple[str, ...] = ()
    postmortem: str | None = None
    updates: tuple[Update, ...] = ()
    tags: tuple[str, ...] = ()
    time_precision: str = "minute"
    symptoms: tuple[str, ...] = ()
    vendor_refs: tuple[VendorRef, ...] = ()
    acknowledged: bool = True
    impact_vendor: str | None = None
    evidence: str | None = None

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def ongoing(self) -> bool:
        return self.end is None

    @property
    def url_path(self) -> str:
        """Site-relative directory URL; permanent once published."""
        return f"incidents/{self.year}/{self.id}/"

    def last_change(self) -> datetime:
        """The latest of the incident's own times: what feeds call `updated`."""
        times = [self.start, *(u.at for u in self.updates)]
        if self.end is not None:
            times.append(self.end)
        return max(times)

    @property
    def date_only(self) -> bool:
        """Only the dates are known, so the duration is unknown (not zero)."""
        return self.time_precision == "day"

    @property
    def scope(self) -> str:
        """`models` (it names them), `all` (every model was hit) or `unspecified` (none named)."""
        if self.all_models:
            return ALL_MODELS
        return "models" if self.models else UNSPECIFIED

    def covers_model(self, model_id: str) -> bool:
        return self.all_models or model_id in self.models


RELEASE_UNKNOWN = "unknown"
NOT_RELEASED = "not-released"
RELEASE_STATES: tuple[str, ...] = (RELEASE_UNKNOWN, NOT_RELEASED)


@dataclass(frozen=True)
class EraAlias:
    """A short name that meant this model only for a while ("Opus" was Claude 3 Opus in 2024)."""

    name: str
    since: date | None = None
    until: date | None = None

    def holds_on(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class ModelInfo:
    """A registry model; `released` is set only together with the URL that sources it.

    A model another vendor serves (Claude in GitHub Copilot) is the host's entry with `of` pointing at the
    model's own vendor and id; it takes that model's name, release and names, so one model page shows it
    at every host.
    """

    id: str
    name: str
    released: date | None = None
    released_source: str | None = None
    release_status: str = RELEASE_UNKNOWN  # "released", "unknown" or "not-released"
    aliases: tuple[str, ...] = ()
    eras: tuple[EraAlias, ...] = ()
    of: tuple[str, str] | None = None  # (vendor id, model id) of a hosted model


@dataclass(frozen=True)
class CollectSource:
    """A machine-readable list of a vendor's incidents that `collect` reads."""

    kind: str
    url: str


@dataclass(frozen=True)
class UntrackedNote:
    """What is known of the time the ledger does not cover, so a reader can size the gap; cited, never counted."""

    text: str
    source: str


@dataclass(frozen=True)
class Vendor:
    id: str
    name: str
    homepage: str
    status_page: str | None
    models: dict[str, ModelInfo] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)
    collect: tuple[CollectSource, ...] = ()
    collect_note: str | None = None
    product_classes: dict[str, str] = field(default_factory=dict)
    default_class: str = "other"
    mentions: dict[str, str] = field(default_factory=dict)  # the vendor's words for a product in its posts
    untracked_note: UntrackedNote | None = None
    # The registry's other vendors' names and ids: a post of a vendor that serves their models and naming some of them
    # ("Elevated 429s on Anthropic and OpenAI") is about those models, not every model.
    peers: tuple[str, ...] = ()

    def own_models(self) -> dict[str, ModelInfo]:
        """The vendor's own models, without those it hosts for other vendors."""
        return {mid: m for mid, m in self.models.items() if m.of is None}

    def classes_of(self, products: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """The product classes a record touches; a record naming no product counts for the default class."""
        if not products:
            return (self.default_class,)
        return tuple(dict.fromkeys(self.product_classes.get(p, "other") for p in products))


@dataclass(frozen=True)
class Registry:
    vendors: dict[str, Vendor]
    source_classes: dict[str, str] = field(default_factory=dict)

    def vendor(self, vendor_id: str) -> Vendor | None:
        return self.vendors.get(vendor_id)
