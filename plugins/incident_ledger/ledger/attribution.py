"""Which registry models a vendor's words say an incident hit.

A name in the text is not enough: vendors name the models that were spared ("Claude 3 Opus is
unaffected"), the ones traffic was moved to ("requests fell back to GPT-4o") and, in a title such as
"Outage on all models", every model at once. Those mentions attribute nothing. Short names resolve by
era: "Opus" alone meant Claude 3 Opus in 2024, and the registry says so with dated aliases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from .model import ModelInfo, Vendor

EVERY_MODEL = re.compile(r"\b(?:all|every|across)\s+(?:of\s+(?:our|the)\s+)?(?:\w+\s+)?models\b", re.IGNORECASE)

# Where a model's name ends: not inside a longer name, version or variant (`GPT-4o mini`, `DALL·E 3`),
# but before a snapshot date.
MODEL_END = r"(?!\w|\.\d|\s(?:mini|turbo|nano)\b|\s\d\b(?!:)|-(?!\d{4}-\d{2}-\d{2}\b|\d{8}\b))"
CLAUSE = re.compile(r"([.;!?\n]+(?:\s|$)|,?\s+(?:but|while|whereas|however)\s+)", re.IGNORECASE)
SPARED = re.compile(
    r"\b(?:unaffected|not (?:been |being )?(?:affected|impacted|experiencing)|"
    r"remain(?:s|ed)? (?:available|operational)|working as expected|"
    r"(?:is|are|was|were) (?:still |once again |again )?(?:available|working|operating normally))\b",
    re.IGNORECASE,
)
MOVED_TO = re.compile(
    r"\b(?:f[ae]ll(?:ing)? back|fail(?:ed|ing)? over|(?:re)?rout(?:ed|ing)|redirect(?:ed|ing)|"
    r"switch(?:ed|ing)?|mov(?:ed|ing)|shift(?:ed|ing))\b(?:\s+\S+){0,5}?\s+to\b",
    re.IGNORECASE,
)
ELSEWHERE = re.compile(r"\b(?:instead|as an? (?:fallback|alternative|workaround))\b", re.IGNORECASE)


def model_needles(model: ModelInfo) -> tuple[str, ...]:
    """Names a status page may use for a model: its name, id and aliases, the name without its family word
    in either order ("3.5 Sonnet", "Sonnet 3.5", "Claude Sonnet 3.5" for "Claude 3.5 Sonnet") when what
    remains still names a version. Short names that meant it only for a while are its `eras`."""
    needles = [model.name.lower(), model.id, *(alias.lower() for alias in model.aliases)]
    words = model.name.lower().split()
    rest = words[1:]
    if len(rest) >= 1 and any(ch.isdigit() for ch in " ".join(rest)) and any(w.isalpha() for w in rest):
        needles.append(" ".join(rest))
        if len(rest) == 2:
            needles += [f"{rest[1]} {rest[0]}", f"{words[0]} {rest[1]} {rest[0]}"]
    return tuple(dict.fromkeys(needles))


def attributing(text: str) -> str:
    """The text with its passing mentions blanked, clause by clause: a clause that sends users elsewhere,
    the part of a clause before the word that spares a model, and what follows a word moving traffic."""
    pieces = CLAUSE.split(text)
    for index in range(0, len(pieces), 2):  # odd pieces are the separators
        clause = pieces[index]
        if ELSEWHERE.search(clause):
            clause = ""
        spared = SPARED.search(clause)
        if spared:
            clause = clause[spared.end() :]
        moved = MOVED_TO.search(clause)
        if moved:
            clause = clause[: moved.start()]
        pieces[index] = clause
    return "".join(pieces)


@lru_cache(maxsize=64)
def _needles(models: tuple[ModelInfo, ...]) -> tuple[re.Pattern[str], dict[str, list[ModelInfo]]]:
    """One pattern for all of a vendor's names, longest first, so that "October Claude 3.5 Sonnet" is read
    as the October model and not also as the June one whose name it contains."""
    owners: dict[str, list[ModelInfo]] = {}
    for model in models:
        for needle in (*model_needles(model), *(era.name.lower() for era in model.eras)):
            owners.setdefault(needle, []).append(model)
    names = "|".join(re.escape(n) for n in sorted(owners, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{names}){MODEL_END}"), owners


def find_models(vendor: Vendor, texts: Iterable[str], on: date | None = None) -> list[str]:
    """Registry models the texts say were hit; a version never matches a longer one (`Sonnet 5` is not
    `Sonnet 5.1`), and a dated snapshot (`gpt-4o-2024-05-13`) is the model it snapshots. The first text is
    the title: one that speaks of all models names none."""
    texts = list(texts)
    if not vendor.models or (texts and EVERY_MODEL.search(texts[0])):
        return []
    pattern, owners = _needles(tuple(vendor.models.values()))
    found: set[str] = set()
    for match in pattern.finditer(" ".join(attributing(text) for text in texts).lower()):
        needle = match.group(0)
        for model in owners[needle]:
            dated = [era for era in model.eras if era.name.lower() == needle]
            if needle in model_needles(model) or (on is not None and any(era.holds_on(on) for era in dated)):
                found.add(model.id)
    return [model_id for model_id in vendor.models if model_id in found]
