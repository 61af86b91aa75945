"""Shared fixtures: small ledger trees on disk and real `mkdocs build` runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# Property tests check results, not speed: on a busy two-core runner a per-example deadline only adds flakes.
settings.register_profile("ledger", deadline=None)
settings.load_profile("ledger")

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
EPOCH = str(int(NOW.timestamp()))

REGISTRY = """\
acme:
  name: Acme AI
  homepage: https://acme.example.com
  status_page: https://status.acme.example.com
  models:
    acme-large: {name: Acme Large, released: 2025-01-01, released_source: "https://acme.example.com/news/large"}
    acme-small: {name: Acme Small, released: unknown}
  products:
    api: {name: Acme API, class: api}
    chat: {name: Acme Chat, class: chat}
  components:
    Acme API (api.acme.example.com): api
    Chat app: chat
zeta:
  name: Zeta Labs
  homepage: https://zeta.example.com
  status_page: https://status.zeta.example.com
  models:
    zeta-one: {name: Zeta One, released: not-released}
  products:
    api: {name: Zeta API, class: api}
"""
SOURCES = """\
vendor:
  - status.acme.example.com
  - acme.example.com
  - zeta.example.com
  - stspg.io
press:
  - news.example.org
community:
  - forum.example.net
aggregator:
  - outages.example.info
"""


def incident_text(**overrides: object) -> str:
    """A valid incident file; keyword arguments replace or (with None) drop fields."""
    fields: dict[str, object] = {
        "title": "Elevated errors on Acme Large",
        "vendor": "acme",
        "model": "acme-large",
        "products": "[api]",
        "start": "2026-02-10T14:05:00Z",
        "end": "2026-02-10T17:40:00Z",
        "impact": "major",
        "sources": "\n  - https://status.acme.example.com/incidents/abc123",
    }
    body = overrides.pop("body", "Requests to Acme Large failed for three and a half hours.")
    for key, value in overrides.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    lines = [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + str(body) + "\n"


@dataclass
class Tree:
    """A ledger repository in a temporary folder."""

    root: Path

    @property
    def incidents(self) -> Path:
        return self.root / "incidents"

    def add(self, name: str, text: str | bytes) -> Path:
        path = self.incidents / name[:4] / name if not name.startswith("/") else self.incidents / name[1:]
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "vendors.yml").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "incidents" / "sources.yml").write_text(SOURCES, encoding="utf-8")
    return Tree(tmp_path)


def real_tree(root: Path) -> Tree:
    """A ledger with the project's own registry and source classes and no incidents."""
    (root / "incidents").mkdir()
    for name in ("vendors.yml", "sources.yml"):
        shutil.copy(ROOT / "incidents" / name, root / "incidents" / name)
    return Tree(root)


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def files_by_ref(tree: Tree) -> dict[str, Path]:
    """Each written record by the vendor's id in its `vendor_refs`."""
    return {ref["id"]: p for p in tree.incidents.rglob("*.md") for ref in front_matter(p).get("vendor_refs") or []}


def ledger_bytes(tree: Tree) -> dict[str, bytes]:
    """Every file under incidents/, to show that a second run wrote nothing."""
    return {p.as_posix(): p.read_bytes() for p in sorted(tree.incidents.rglob("*")) if p.is_file()}


def git(root: Path, *args: str, date: str = "2026-03-01T10:00:00+00:00") -> None:
    """A git command in a test repository, with a fixed author and date so commits are reproducible."""
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def build_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SOURCE_DATE_EPOCH": EPOCH,
            "NO_MKDOCS_2_WARNING": "1",
            "DISABLE_MKDOCS_2_WARNING": "true",
            "PYTHONWARNINGS": "ignore",
        }
    )
    env.update(extra or {})
    return env


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "incident_ledger.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=build_env(env),
        timeout=120,
    )


def site_tree(tree: Tree) -> None:
    """Give a temporary ledger the repository's site configuration, docs and overrides."""
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, tree.root / name)
    shutil.copy(ROOT / "mkdocs.yml", tree.root / "mkdocs.yml")


def mkdocs_build(cwd: Path, site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), *extra],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=build_env(),
        timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once with the real `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def make_incident() -> Callable[..., str]:
    return incident_text


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def archive_coverage(ends: dict[str, str]) -> str:
    """coverage.yml giving each test vendor one archive span from 2025-11-01 to its end."""
    return "".join(
        f"{vendor}:\n"
        "  - kind: archive\n"
        f"    url: https://github.com/{vendor}/status-archive/blob/0123456789abcdef0123456789abcdef01234567/incidents.jsonl\n"
        "    basis: a test archive\n"
        "    covered:\n"
        f"      - {{from: 2025-11-01T00:00:00Z, to: {end}}}\n"
        for vendor, end in ends.items()
    )
