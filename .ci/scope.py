"""Which suites a pull request needs: `content_only=true` when it changes nothing but ledger content.

Ledger content is an incident file (`incidents/<YYYY>/<id>.md`), the registry, the source classes,
coverage and the retired and published ids. Any other path, under `incidents/` or not, runs every
suite; so does a change to any vendor's `collect:` entries, since those choose what `collect` fetches
and how it is read. Usage: `python .ci/scope.py BASE_SHA`; the verdict goes to $GITHUB_OUTPUT when
set, and always to stdout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import yaml

CONTENT = re.compile(
    r"^incidents/(?:\d{4}/[a-z0-9][a-z0-9-]*\.md|vendors\.yml|sources\.yml|coverage\.yml|retired\.yml|published\.txt)$"
)
REGISTRY = "incidents/vendors.yml"


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def collect_entries(revision: str) -> Any:
    """Every vendor's `collect:` entries at `revision`, or the text itself when it does not read as YAML."""
    try:
        text = git("show", f"{revision}:{REGISTRY}")
    except subprocess.CalledProcessError:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if not isinstance(data, dict):
        return text
    return {vendor: info.get("collect") if isinstance(info, dict) else info for vendor, info in data.items()}


def verdict(base: str) -> tuple[bool, str]:
    """Whether the change is content only, and why not."""
    changed = [line for line in git("diff", "--no-renames", "--name-only", base, "HEAD").splitlines() if line]
    if not changed:
        return False, "no changed files were found"
    other = [path for path in changed if not CONTENT.match(path)]
    if other:
        return False, f"not ledger content: {other[0]}"
    if REGISTRY in changed and collect_entries(base) != collect_entries("HEAD"):
        return False, "a vendor's `collect:` entries changed"
    return True, "only ledger content changed"


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0]:
        content_only, why = False, "no base commit to compare with"
    else:
        content_only, why = verdict(argv[0])
    line = f"content_only={'true' if content_only else 'false'}"
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as file:
            file.write(line + "\n")
    print(f"{line} ({why})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
