"""A smaller search index: every page loads it, so entries that can find nothing are left out.

Material's search makes an entry for each heading. On generated pages some sections hold only blocks kept
out of search (history, related incidents, charts), so their entries have a heading and no text: matching
"History" on 1,568 incident pages helps no reader. Pages keep their own entry; hand-written pages keep all.
"""

from __future__ import annotations

import json
from pathlib import Path

SEARCH_INDEX = "search/search_index.json"
_GENERATED = ("incidents/", "vendors/")


def _useful(entry: dict[str, object]) -> bool:
    location = str(entry.get("location", ""))
    return bool(entry.get("text")) or "#" not in location or not location.startswith(_GENERATED)


def trim_search_index(site: Path) -> None:
    """Rewrite the index without empty section entries of generated pages; no index, nothing to do."""
    path = site / SEARCH_INDEX
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = data.get("docs")
    if not isinstance(docs, list):
        return
    kept = [entry for entry in docs if not isinstance(entry, dict) or _useful(entry)]
    if len(kept) != len(docs):
        data["docs"] = kept
        path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
