"""Card images for shared links: home, each vendor and each model page, 1200×630 JPEGs that a chat or
social preview shows beside the page's Open Graph title and description.

Drawn with Pillow and its bundled font, so a build needs no font download and no system library
beyond what Pillow's wheel carries; the same ledger gives the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from ..ledger.catalog import Catalog
from ..ledger.summary import model_incidents

SIZE = (1200, 630)
BACKGROUND = (24, 32, 48)
ACCENT = (229, 115, 60)
TEXT = (245, 246, 248)
MUTED = (170, 178, 192)
HOME = "assets/cards/home.jpg"


def card_path(vendor_id: str | None = None, model_id: str | None = None) -> str:
    """Where a page's card is published: the home card, a vendor's, or a model's beside its vendor's."""
    if vendor_id is None:
        return HOME
    return f"assets/cards/{vendor_id}/{model_id}.jpg" if model_id else f"assets/cards/{vendor_id}.jpg"


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def card_jpeg(title: str, lines: list[str]) -> bytes:
    """The card: the ledger's name, the page's title (wrapped, at most two lines) and a few lines of facts."""
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, SIZE[1]), fill=ACCENT)
    draw.text((80, 70), "AI Incident Ledger", font=_font(40), fill=ACCENT)
    y = 160
    for row in textwrap.wrap(title, width=26)[:2]:
        draw.text((80, y), row, font=_font(76), fill=TEXT)
        y += 96
    y += 30
    for line in lines[:3]:
        for row in textwrap.wrap(line, width=52)[:2]:
            draw.text((80, y), row, font=_font(36), fill=MUTED)
            y += 50
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)  # a tenth of the time a PNG takes to encode
    return buffer.getvalue()


def _facts(catalog: Catalog, vendor_id: str, model_id: str | None) -> list[str]:
    incidents = model_incidents(catalog, vendor_id, model_id)
    spans = catalog.coverage.spans(vendor_id)
    latest = f", the latest on {max(i.start for i in incidents):%Y-%m-%d}" if incidents else ""
    counted = f"{len(incidents)} incident{'s' if len(incidents) != 1 else ''} recorded{latest}"
    watched = (
        f"Every incident posted {spans[0][0]:%Y-%m-%d} to {spans[-1][1]:%Y-%m-%d} is held"
        if spans
        else "Not tracked: a partial record"
    )
    return [counted, watched]


def all_cards(catalog: Catalog) -> dict[str, bytes]:
    """The home card and one per vendor and model page the site builds."""
    vendors = catalog.registry.vendors
    home = card_jpeg("Outages of AI models and APIs", ["What failed, when and for how long, in the vendors' words"])
    cards = {HOME: home}
    for vendor_id in catalog.vendor_ids():
        vendor = vendors[vendor_id]
        cards[card_path(vendor_id)] = card_jpeg(vendor.name, _facts(catalog, vendor_id, None))
        for model_id in catalog.models_with_incidents(vendor_id):
            name = f"{vendor.models[model_id].name} ({vendor.name})"
            cards[card_path(vendor_id, model_id)] = card_jpeg(name, _facts(catalog, vendor_id, model_id))
    return cards
