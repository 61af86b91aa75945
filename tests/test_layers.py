"""The package's layers hold: `ledger` imports neither `sources` nor `site`, and `sources` not `site`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from incident_ledger.ledger.registry import SOURCE_KINDS
from incident_ledger.sources.readers.kinds import READERS

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "incident_ledger"
FORBIDDEN = {"ledger": ("sources", "site", "cli"), "sources": ("site", "cli"), "site": ("sources", "cli")}


def imported(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """Absolute module names a file imports, relative imports resolved against its package."""
    package = path.relative_to(root).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files
    wrong = {
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files
        for name in imported(path)
        if any(name == f"incident_ledger.{up}" or name.startswith(f"incident_ledger.{up}.") for up in FORBIDDEN[layer])
    }
    assert not wrong


def test_ledger_knows_neither_mkdocs_nor_http() -> None:
    names = {name for path in (PACKAGE / "ledger").rglob("*.py") for name in imported(path)}
    outside = {n for n in names if n.split(".")[0] in ("mkdocs", "material", "http", "feedgen", "jinja2")}
    assert not outside | {n for n in names if n.startswith("urllib.request")}


def test_the_package_top_stays_small() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 4


def test_every_registry_kind_has_a_reader() -> None:
    assert set(SOURCE_KINDS) == set(READERS)


def test_the_import_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The check itself can fail: a relative import from ledger up into site is resolved as such."""
    probe = tmp_path / "incident_ledger" / "ledger" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("from ..site.plugin import IncidentLedgerPlugin\nfrom .model import Incident\n", encoding="utf-8")
    names = imported(probe, tmp_path)
    assert "incident_ledger.site.plugin" in names and "incident_ledger.ledger.model" in names
