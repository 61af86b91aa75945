"""Read `incidents/vendors.yml`, the registry of vendors, models and products."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from .load import Key, line_of_key, parse_yaml, read_text
from .model import (
    PRODUCT_CLASSES,
    RELEASE_STATES,
    CollectSource,
    EraAlias,
    ModelInfo,
    Problem,
    Registry,
    UntrackedNote,
    Vendor,
)
from .urls import url_problem

ID_RE = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
_VENDOR_KEYS = {
    "name", "homepage", "status_page", "collect", "collect_note", "models", "products", "components", "mentions",
    "default_class", "untracked_note",
}  # fmt: skip
_CLASS_HINT = f"write `product-id: {{name: Display Name, class: api}}`; classes: {', '.join(PRODUCT_CLASSES)}"
_MODEL_KEYS = {"name", "released", "released_source", "aliases", "of"}
_ERA_KEYS = {"name", "since", "until"}
# The shapes of status data `collect` can read; `sources.readers.kinds` has one reader for each.
SOURCE_KINDS = (
    "statuspage", "incident.io", "google-cloud", "instatus", "azure", "atom", "betterstack", "xai", "aistudio",
    "flashduty", "datadog",
)  # fmt: skip
_RELEASE_HINT = "write `released: YYYY-MM-DD` and `released_source: https://…`, or `released: unknown` / `not-released`"


def _date(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _RegistryReader:
    def __init__(self, path: str, lines: dict[Key, int]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []

    def error(self, key: Key, message: str, hint: str = "", severity: str = "error") -> None:
        field = ".".join(str(part) for part in key)
        self.problems.append(Problem(self.path, line_of_key(self.lines, key), field, message, hint, severity))

    def text(self, value: Any, key: Key) -> str:
        if not isinstance(value, str) or not value.strip() or "<" in value or ">" in value:
            self.error(key, "must be plain, non-empty text", "write a display name without markup")
            return str(value)
        return value.strip()

    def url(self, value: Any, key: Key, required: bool) -> str | None:
        if value is None and not required:
            return None
        problem = url_problem(value)
        if problem:
            self.error(key, problem, "use a full https:// address")
            return None
        return str(value)

    def untracked_note(self, value: Any, key: Key) -> UntrackedNote | None:
        """A statement about untracked time must cite where it comes from, like every fact shown to readers."""
        if value is None:
            return None
        hint = "write `untracked_note: {text: What is known of the gap, source: https://…}`"
        if not isinstance(value, dict) or set(value) != {"text", "source"}:
            self.error(key, "must be a mapping with exactly `text` and `source`", hint)
            return None
        source = self.url(value["source"], (*key, "source"), required=True)
        text = self.text(value["text"], (*key, "text"))
        return UntrackedNote(text, source) if source else None

    def products(self, value: Any, key: Key) -> tuple[dict[str, str], dict[str, str]]:
        """Products with their class: figures compare like with like (API with API), so a class is required."""
        if value is None:
            return {}, {}
        if not isinstance(value, dict):
            self.error(key, "must be a mapping of product id to `{name, class}`", _CLASS_HINT)
            return {}, {}
        names, classes = {}, {}
        for product_id, info in value.items():
            where = (*key, product_id)
            if not ID_RE.match(product_id):
                self.error(where, f"`{product_id}` is not a valid id", "use lower-case letters, digits, - and .")
            if not isinstance(info, dict) or set(info) != {"name", "class"}:
                self.error(where, "a product has exactly a `name` and a `class`", _CLASS_HINT)
                names[product_id], classes[product_id] = str(info), "other"
                continue
            names[product_id] = self.text(info["name"], (*where, "name"))
            classes[product_id] = self.product_class(info["class"], (*where, "class")) or "other"
        return names, classes

    def product_class(self, value: Any, key: Key) -> str | None:
        if value not in PRODUCT_CLASSES:
            self.error(key, f"`{value}` is not a product class", f"one of: {', '.join(PRODUCT_CLASSES)}")
            return None
        return str(value)

    def name_map(self, value: Any, key: Key) -> dict[str, str]:
        """Names a vendor uses for its products (status-page components, words in its posts) are free text,
        mapped to product ids for importers."""
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.error(key, "must map component names to product ids", "write `Component name: product-id`")
            return {}
        return {str(name): product for name, product in value.items()}

    def models(self, value: Any, key: Key) -> dict[str, ModelInfo]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key, "must be a mapping of model id to details", "write `model-id: {name: Display Name}`")
            return {}
        models = {}
        for model_id, info in value.items():
            where = (*key, model_id)
            if not ID_RE.match(model_id) or model_id == "all":
                self.error(where, f"`{model_id}` is not a valid model id", "lower-case letters, digits, - and .")
            if isinstance(info, str):
                info = {"name": info}
            if not isinstance(info, dict):
                self.error(where, "must be a name or `{name: …, released: YYYY-MM-DD, released_source: https://…}`")
                continue
            for unknown in sorted(set(info) - _MODEL_KEYS):
                self.error((*where, unknown), f"unknown key `{unknown}`", f"allowed: {', '.join(sorted(_MODEL_KEYS))}")
            if "of" in info:
                models[model_id] = self.hosted(model_id, info, where)
                continue
            names, eras = self.aliases(info.get("aliases"), (*where, "aliases"))
            model = self.release(model_id, self.text(info.get("name"), (*where, "name")), info, where)
            models[model_id] = replace(model, aliases=names, eras=eras)
        return models

    def aliases(self, value: Any, key: Key) -> tuple[tuple[str, ...], tuple[EraAlias, ...]]:
        """Names always meaning the model, and short names meaning it only between two dates."""
        if value is None:
            return (), ()
        if not isinstance(value, list):
            self.error(key, "must be a list of names", "write `aliases: [Opus 4.8, {name: Opus, until: 2025-05-21}]`")
            return (), ()
        names, eras = [], []
        for index, alias in enumerate(value):
            if not isinstance(alias, dict):
                names.append(self.text(alias, (*key, index)))
                continue
            where = (*key, index)
            bounds = {k: _date(alias.get(k)) for k in ("since", "until") if k in alias}
            if set(alias) - _ERA_KEYS or "name" not in alias or not bounds or None in bounds.values():
                hint = "write `{name: Opus, since: 2024-03-04, until: 2025-05-21}` (either date may be left out)"
                self.error(where, "an alias with dates has a `name` and `since` and/or `until` dates", hint)
                continue
            eras.append(EraAlias(self.text(alias["name"], (*where, "name")), bounds.get("since"), bounds.get("until")))
        return tuple(names), tuple(eras)

    def hosted(self, model_id: str, info: dict[str, Any], where: Key) -> ModelInfo:
        """A model another vendor serves: `of: vendor/model`; its name and release come from that entry."""
        target = info.get("of")
        owner, _, owned = str(target).partition("/")
        if set(info) != {"of"} or not owner or not owned:
            hint = "write `model-id: {of: anthropic/claude-sonnet-4}`; name and release come from that model"
            self.error(where, "a hosted model has only `of: vendor/model`", hint)
        return ModelInfo(model_id, model_id, of=(owner, owned))

    def release(self, model_id: str, name: str, info: dict[str, Any], where: Key) -> ModelInfo:
        """A release date is a published figure, so it needs a source; "not known" must be said explicitly."""
        released, source = info.get("released"), info.get("released_source")
        if "released" not in info:
            self.error(where, "no `released` key", _RELEASE_HINT, severity="warning")
            return ModelInfo(model_id, name)
        if released in RELEASE_STATES:
            if source is not None:
                self.error((*where, "released_source"), f"a source goes with a release date, not `{released}`")
            return ModelInfo(model_id, name, release_status=str(released))
        day = _date(released)
        if day is None:
            self.error((*where, "released"), f"`{released}` is not a date, `unknown` or `not-released`", _RELEASE_HINT)
            return ModelInfo(model_id, name)
        if source is None:
            self.error((*where, "released"), "a release date needs `released_source`", _RELEASE_HINT)
            return ModelInfo(model_id, name)
        url = self.url(source, (*where, "released_source"), required=True)
        if url is None:
            return ModelInfo(model_id, name)
        return ModelInfo(model_id, name, day, url, "released")

    def collect(self, value: Any, key: Key) -> tuple[CollectSource, ...]:
        """Sources `collect` reads; the kind must be one a reader exists for."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(key, "must be a list of `{kind, url}`", "write `- {kind: statuspage, url: https://…}`")
            return ()
        sources = []
        for index, item in enumerate(value):
            where = (*key, index)
            if not isinstance(item, dict) or set(item) != {"kind", "url"}:
                self.error(where, "a source has exactly the keys `kind` and `url`", "write `{kind: …, url: https://…}`")
                continue
            if item["kind"] not in SOURCE_KINDS:
                self.error((*where, "kind"), f"unknown kind `{item['kind']}`", f"one of: {', '.join(SOURCE_KINDS)}")
                continue
            url = self.url(item["url"], (*where, "url"), required=True)
            if url:
                sources.append(CollectSource(str(item["kind"]), url))
        return tuple(sources)

    def vendor(self, vendor_id: str, info: Any) -> Vendor | None:
        key: Key = (vendor_id,)
        if not ID_RE.match(vendor_id):
            self.error(key, f"`{vendor_id}` is not a valid vendor id", "use lower-case letters, digits and -")
        if not isinstance(info, dict):
            self.error(key, "a vendor must be a mapping", "see the other vendors in this file")
            return None
        for unknown in sorted(set(info) - _VENDOR_KEYS):
            self.error((*key, unknown), f"unknown key `{unknown}`", f"allowed: {', '.join(sorted(_VENDOR_KEYS))}")
        note = info.get("collect_note")
        if note is not None:
            note = self.text(note, (*key, "collect_note"))
        components = self.name_map(info.get("components"), (*key, "components"))
        mentions = self.name_map(info.get("mentions"), (*key, "mentions"))
        products, classes = self.products(info.get("products"), (*key, "products"))
        default = info.get("default_class")
        if default is not None:
            default = self.product_class(default, (*key, "default_class"))
        elif classes:
            default = next(iter(classes.values()))
        for section, mapping in (("components", components), ("mentions", mentions)):
            for name, product in mapping.items():
                if product not in products:
                    self.error((*key, section, name), f"maps to unknown product `{product}`")
        return Vendor(
            id=vendor_id,
            name=self.text(info.get("name"), (*key, "name")),
            homepage=self.url(info.get("homepage"), (*key, "homepage"), required=True) or "",
            status_page=self.url(info.get("status_page"), (*key, "status_page"), required=False),
            models=self.models(info.get("models"), (*key, "models")),
            products=products,
            product_classes=classes,
            mentions=mentions,
            default_class=default or "other",
            components=components,
            collect=self.collect(info.get("collect"), (*key, "collect")),
            collect_note=note,
            untracked_note=self.untracked_note(info.get("untracked_note"), (*key, "untracked_note")),
        )


def load_registry(path: Path) -> tuple[Registry, list[Problem]]:
    """Read the registry; every mistake becomes a problem and valid vendors are kept."""
    name = str(path)
    if not path.exists():
        return Registry({}), [Problem(name, 1, "", "vendor registry not found", "create incidents/vendors.yml")]
    text, problem = read_text(path)
    if text is None:
        return Registry({}), [problem] if problem else []
    data, lines, problem = parse_yaml(text, name)
    if problem:
        return Registry({}), [problem]
    if not isinstance(data, dict):
        return Registry({}), [Problem(name, 1, "", "registry must map vendor ids to vendors", "")]
    reader = _RegistryReader(name, lines)
    vendors = {}
    for vendor_id, info in data.items():
        vendor = reader.vendor(str(vendor_id), info)
        if vendor:
            vendors[vendor.id] = vendor
    return Registry(_resolve_hosted(vendors, reader)), reader.problems


def _resolve_hosted(vendors: dict[str, Vendor], reader: _RegistryReader) -> dict[str, Vendor]:
    """Hosted entries take their model's name, release and names (one pointing nowhere is an error); each vendor
    learns its peers' names."""
    resolved = {}
    for vendor in vendors.values():
        models = dict(vendor.models)
        for model_id, model in vendor.models.items():
            if model.of is None:
                continue
            owner = vendors.get(model.of[0])
            target = owner.own_models().get(model.of[1]) if owner else None
            if target is None:
                hint = "point at a vendor's own model, `vendor-id/model-id`, listed in this registry"
                reader.error(
                    (vendor.id, "models", model_id, "of"), f"`{'/'.join(model.of)}` is not a registered model", hint
                )
                del models[model_id]
                continue
            models[model_id] = replace(target, id=model_id, of=model.of)
        peers = tuple(dict.fromkeys(n for o in vendors.values() if o.id != vendor.id for n in (o.name, o.id)))
        resolved[vendor.id] = replace(vendor, models=models, peers=peers)
    return resolved
