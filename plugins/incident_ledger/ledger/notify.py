"""Webhook messages about incidents added or corrected, in each service's documented payload format.

Pure: takes the incident's text (from the feeds' entry builder) and what changed, returns JSON-able
payloads. Slack: incoming webhook `blocks` (header, section fields, context); Discord: execute-webhook
`embeds` (title <= 256, description <= 4096); Teams: Workflows webhook with one Adaptive Card 1.4 attachment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .history import Commit

KINDS = ("slack", "discord", "teams", "json")
COLOURS = {"none": 0x9E9E9E, "minor": 0xF1C40F, "major": 0xE67E22, "critical": 0xE74C3C}
CARD_VERSION = "1.4"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
DISCORD_TITLE, DISCORD_TEXT, SLACK_HEADER, SLACK_TEXT = 256, 4096, 150, 3000


@dataclass(frozen=True)
class Touched:
    """An incident file the range added (`changed` empty) or corrected (the fact keys it changed)."""

    path: str
    added: bool
    changed: tuple[str, ...]


@dataclass(frozen=True)
class RangeChanges:
    files: tuple[Touched, ...]
    bulk: tuple[Commit, ...]  # bulk commits and how many files each touched are summarised, not listed
    bulk_sizes: tuple[int, ...]


@dataclass(frozen=True)
class Notice:
    """One incident to announce: `corrected` is False for a new record; `changed` names the fields."""

    title: str
    vendor: str
    models: tuple[str, ...]
    impact: str
    start: str
    end: str  # "ongoing" while open
    duration: str
    status: str
    link: str
    corrected: bool
    changed: tuple[str, ...]
    item: dict[str, Any]  # the incident's JSON Feed item

    @property
    def what(self) -> str:
        if not self.corrected:
            return "New incident"
        return "Corrected incident (changed: " + (", ".join(self.changed) or "facts") + ")"


def cut(text: str, limit: int) -> str:
    """Text that fits a service's limit, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _facts(n: Notice) -> list[tuple[str, str]]:
    return [
        ("Vendor", n.vendor),
        ("Models", ", ".join(n.models)),
        ("Impact", n.impact),
        ("Start", n.start),
        ("End", n.end),
        ("Duration", n.duration),
        ("Status", n.status),
    ]


def slack(n: Notice) -> dict[str, Any]:
    fields = [{"type": "mrkdwn", "text": cut(f"*{k}*\n{v}", 2000)} for k, v in _facts(n)]
    return {
        "text": cut(f"{n.what}: {n.title} {n.link}", SLACK_TEXT),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": cut(n.title, SLACK_HEADER)}},
            {"type": "section", "text": {"type": "mrkdwn", "text": cut(n.what, SLACK_TEXT)}, "fields": fields},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": cut(f"<{n.link}|Full record>", 2000)}]},
        ],
    }


def discord(n: Notice) -> dict[str, Any]:
    description = "\n".join([n.what, *(f"**{k}:** {v}" for k, v in _facts(n))])
    return {
        "embeds": [
            {
                "title": cut(n.title, DISCORD_TITLE),
                "description": cut(description, DISCORD_TEXT),
                "url": n.link,
                "color": COLOURS.get(n.impact, COLOURS["none"]),
            }
        ]
    }


def teams(n: Notice) -> dict[str, Any]:
    body = [
        {"type": "TextBlock", "text": n.title, "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": n.what, "wrap": True},
        {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in _facts(n)]},
    ]
    return _card(body, "Full record", n.link)


def json_item(n: Notice) -> dict[str, Any]:
    return {**n.item, "_change": {"kind": "corrected" if n.corrected else "new", "changed": list(n.changed)}}


BUILDERS = {"slack": slack, "discord": discord, "teams": teams, "json": json_item}


def message(kind: str, notice: Notice) -> dict[str, Any]:
    return BUILDERS[kind](notice)


def _card(body: list[dict[str, Any]], title: str, link: str) -> dict[str, Any]:
    """A Workflows webhook message carrying one Adaptive Card."""
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": title, "url": link}],
    }
    return {"type": "message", "attachments": [{"contentType": CARD_TYPE, "contentUrl": None, "content": card}]}


def summary(kind: str, count: int, subject: str, link: str) -> dict[str, Any]:
    """One message for a bulk commit (a backfill, a restatement): counts, not hundreds of messages."""
    text = f"{count} incident records added or restated in one change: {subject}"
    if kind == "slack":
        section = {"type": "section", "text": {"type": "mrkdwn", "text": cut(f"{text}\n<{link}|Changes>", SLACK_TEXT)}}
        return {"text": cut(f"{text} {link}", SLACK_TEXT), "blocks": [section]}
    if kind == "discord":
        embed = {"title": "Bulk change", "description": cut(text, DISCORD_TEXT), "url": link, "color": COLOURS["none"]}
        return {"embeds": [embed]}
    if kind == "teams":
        return _card([{"type": "TextBlock", "text": text, "wrap": True}], "Changes", link)
    return {"_change": {"kind": "bulk", "count": count, "subject": subject}, "url": link}
