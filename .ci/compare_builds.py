"""Compare two builds of the site: the same pages, and the same feeds and open data byte for byte.

    python .ci/compare_builds.py SITE_A SITE_B

Used by the forks workflow to check that ProperDocs with MaterialX builds what MkDocs with
Material for MkDocs builds. Theme assets and search indexes are the engines' own and are not
compared. Prints every difference and exits with 1 if there is any.
"""

from __future__ import annotations

import sys
from pathlib import Path

ENGINE_FOLDERS = ("assets/", "search/")
DATA_FOLDERS = ("feeds", "api")


def pages(site: Path) -> set[str]:
    found = (path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    return {path for path in found if not path.startswith(ENGINE_FOLDERS)}


def data_files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for folder in DATA_FOLDERS
        for path in sorted((site / folder).rglob("*"))
        if path.is_file()
    }


def differences(first: Path, second: Path) -> list[str]:
    found = []
    first_pages, second_pages = pages(first), pages(second)
    found += [f"page only in {first}: {page}" for page in sorted(first_pages - second_pages)]
    found += [f"page only in {second}: {page}" for page in sorted(second_pages - first_pages)]
    first_data, second_data = data_files(first), data_files(second)
    for name in sorted(first_data.keys() | second_data.keys()):
        if name not in second_data:
            found.append(f"feed or data file only in {first}: {name}")
        elif name not in first_data:
            found.append(f"feed or data file only in {second}: {name}")
        elif first_data[name] != second_data[name]:
            found.append(f"feed or data file differs: {name}")
    if not first_pages or not first_data:
        found.append(f"{first} holds no pages or no feeds: was the site built?")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    first, second = Path(argv[0]), Path(argv[1])
    found = differences(first, second)
    for line in found:
        print(line)
    compared = f"{len(pages(first))} pages and {len(data_files(first))} feed and data files"
    print(f"{compared} compared; {len(found)} difference(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
