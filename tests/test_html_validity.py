"""HTML validity with the Nu Html Checker: our pages add no errors beyond plain Material's own."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build

VNU = Path(os.environ.get("VNU_JAR", ROOT / ".ci/node/node_modules/vnu-jar/build/dist/vnu.jar"))
OUR_PAGES = [
    "about/index.html",
    "index.html",
    "incidents/index.html",
    "incidents/2024/2024-04-22-huggingface-hub-extended-outage/index.html",
    "timeline/index.html",
    "vendors/index.html",
    "vendors/openai/index.html",
    "vendors/anthropic/claude-opus-4-6/index.html",
    "vendors/anthropic/claude-opus-4/index.html",
    "vendors/launches/index.html",
    "data/index.html",
    "methodology/index.html",
]
BASELINE_CONFIG = """\
site_name: Baseline
site_url: https://example.com/
theme:
  name: material
  font: false
  features: [navigation.tabs, navigation.top, search.suggest]
  palette:
    - scheme: default
      toggle: {icon: material/weather-night, name: Dark}
    - scheme: slate
      toggle: {icon: material/weather-sunny, name: Light}
plugins: [search]
markdown_extensions: [admonition, tables, {toc: {permalink: true}}]
not_in_nav: |
  /outside.md
nav:
  - Home: index.md
  - About:
      - about.md
"""
PAGE = "# {title}\n\nText with a [link](index.md).\n\n## Section\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n- item\n"


def errors(files: list[Path]) -> set[str]:
    """Error messages with positions and ids stripped, so the same problem compares equal across pages."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return {re.sub(r"“__\w+”", "“…”", m["message"]) for m in messages if m["type"] == "error"}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    root = tmp_path_factory.mktemp("baseline")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    (root / "docs" / "index.md").write_text(PAGE.format(title="Home"), encoding="utf-8")
    (root / "docs" / "outside.md").write_text(PAGE.format(title="Outside the nav"), encoding="utf-8")
    (root / "docs" / "about.md").write_text(PAGE.format(title="About"), encoding="utf-8")
    result = mkdocs_build(root, root / "site")
    assert result.returncode == 0, result.stderr
    return errors([root / "site" / name / "index.html" for name in ("", "outside", "about")])


def test_checker_is_installed() -> None:
    assert shutil.which("java"), "the Nu Html Checker needs Java; `bash .ci/run` installs it"
    assert VNU.is_file(), f"vnu.jar not found at {VNU}; `bash .ci/run` installs it"


def test_generated_pages_add_no_html_errors(built_site: Path, baseline: set[str]) -> None:
    ours = errors([built_site / page for page in OUR_PAGES])
    assert ours - baseline == set()
    print(f"vnu: plain Material baseline {len(baseline)} distinct error(s); ours {len(ours)}; added 0")
