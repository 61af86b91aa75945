"""What an imported incident that names no model says of the models it hit: every model, or none named.

A record that names no model used to read `all`, so a log-in or billing fault counted as a whole-API
outage. Now `all` needs the vendor's words ("all models") or a component of a product that serves the
models (class api, chat or coding) with a title that is not about one feature; everything else is
`unspecified`. A vendor with no models of its own (a router such as OpenRouter) serves other vendors'
models, so a title naming some of those vendors is about their models alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..ledger.attribution import EVERY_MODEL
from ..ledger.model import ALL_MODELS, UNSPECIFIED, Vendor

# A title about one feature or account function: the models themselves were not reported down. A product
# page such as a console is no feature here: its component maps to a product of class `other`.
ONE_FEATURE = re.compile(
    r"log.?in|sign.?in|sign.?up|authenticat|\bsso\b|billing|payment|invoice|subscription|checkout|credit|"
    r"usage page|api keys?\b|account|workspace|organi[sz]ation settings|admin|"
    r"upload|attachments?|voice|dictation|web search|artifacts?|projects?\b|memory|connectors?|"
    r"integrations?|desktop app|mobile app|\bios\b|android|extension|status page|docs|documentation|"
    r"fine.?tun|batch|notifications?|webhooks?|video|youtube|deep ?research|file (?:api|service)|\blogs\b",
    re.IGNORECASE,
)
MODEL_CLASSES = ("api", "chat", "coding")


def _names_peers(vendor: Vendor, title: str) -> bool:
    if vendor.own_models():
        return False
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title, re.IGNORECASE) for name in vendor.peers)


def unnamed_scope(vendor: Vendor, title: str, products: Sequence[str], texts: Sequence[str]) -> str:
    """`all` or `unspecified` for a record whose texts name no registered model."""
    if any(EVERY_MODEL.search(text) for text in (title, *texts)):
        return ALL_MODELS
    if ONE_FEATURE.search(title) or _names_peers(vendor, title):
        return UNSPECIFIED
    serves_models = any(vendor.product_classes.get(p) in MODEL_CLASSES for p in products)
    return ALL_MODELS if serves_models else UNSPECIFIED
