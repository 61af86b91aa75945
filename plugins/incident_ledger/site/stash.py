"""Large generated HTML blocks kept out of Markdown and put back into the rendered page.

Python-Markdown would only re-parse such blocks slowly, so a page carries a comment
placeholder instead; blocks not worth finding go back only after search has parsed the page.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator

from markupsafe import Markup

FRAGMENT = re.compile(r"<!--(il-fragment-\d+)-->")
UNSEARCHED = re.compile(r"<!--(il-unsearched-\d+)-->")
ANY_FRAGMENT = re.compile(r"<!--(il-(?:fragment|unsearched)-\d+)-->")


class BlockStash:
    """The blocks of one build; keys come from `serial`, which `mkdocs serve` keeps across rebuilds."""

    def __init__(self, serial: Iterator[int] | None = None) -> None:
        self._serial = serial if serial is not None else itertools.count()
        self.fragments: dict[str, str] = {}
        self.captured: dict[str, str] | None = None

    def stash(self, html: str, search: bool = True) -> Markup:
        """A placeholder for `html`; with `search=False` the block also stays out of the search index."""
        key = f"il-{'fragment' if search else 'unsearched'}-{next(self._serial)}"
        self.fragments[key] = str(html)
        if self.captured is not None:
            self.captured[key] = self.fragments[key]
        return Markup(f"<!--{key}-->")

    def digest(self, markdown: str) -> str:
        """Fingerprint of everything a generated page renders from: its text and stashed blocks, not their keys.

        Equal fingerprints across `mkdocs serve --dirty` rebuilds let the page be skipped.
        """
        fingerprint = hashlib.blake2b(digest_size=16)
        for index, part in enumerate(ANY_FRAGMENT.split(markdown)):
            fingerprint.update(self.fragments.get(part, "").encode() if index % 2 else part.encode())
            fingerprint.update(b"\0")
        return fingerprint.hexdigest()

    def expand(self, html: str) -> str:
        """Put stashed blocks back; each is used once, so it is dropped to keep memory flat."""
        return FRAGMENT.sub(self._take, html)

    def expand_unsearched(self, html: str) -> str:
        return UNSEARCHED.sub(self._take, html) if "<!--il-unsearched-" in html else html

    def _take(self, match: re.Match[str]) -> str:
        return self.fragments.pop(match.group(1), match.group(0))
