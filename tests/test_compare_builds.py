"""The forks workflow's comparison of two builds (.ci/compare_builds.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from conftest import ROOT


def compare_builds() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compare_builds", ROOT / ".ci" / "compare_builds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


BUILD = {
    "index.html": "home",
    "incidents/2026/a/index.html": "a",
    "feeds/all.atom.xml": "<feed/>",
    "api/incidents.json": "{}",
    "assets/javascripts/bundle.1.js": "engine",
}


def test_equal_builds_have_no_differences(tmp_path: Path) -> None:
    module = compare_builds()
    first = site(tmp_path / "a", BUILD)
    second = site(tmp_path / "b", {**BUILD, "assets/javascripts/bundle.2.js": "other engine", "index.html": "other"})
    assert module.differences(first, second) == []
    assert module.main([str(first), str(second)]) == 0


def test_missing_pages_and_changed_feeds_are_reported(tmp_path: Path) -> None:
    module = compare_builds()
    first = site(tmp_path / "a", BUILD)
    changed = {**BUILD, "feeds/all.atom.xml": "<feed>changed</feed>", "api/extra.csv": ""}
    del changed["incidents/2026/a/index.html"]
    second = site(tmp_path / "b", changed)
    assert module.differences(first, second) == [
        f"page only in {first}: incidents/2026/a/index.html",
        f"feed or data file only in {second}: api/extra.csv",
        "feed or data file differs: feeds/all.atom.xml",
    ]
    assert module.main([str(first), str(second)]) == 1


def test_an_empty_site_is_not_a_match(tmp_path: Path) -> None:
    module = compare_builds()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert module.main([str(tmp_path / "a"), str(tmp_path / "b")]) == 1
