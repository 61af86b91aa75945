"""The status pages read from one saved answer (AI Studio, FlashDuty, Datadog): `collect` and `backfill`.

Each fixture is an excerpt of a real capture (see its SOURCE.md). `collect` fetches it from a local
server standing in for the page; `backfill` reads it as an archive's copy; each run twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_collect import Answer, Handler, server  # noqa: F401  (the local HTTP server fixture)

from conftest import NOW, Tree, files_by_ref, front_matter, ledger_bytes, real_tree, run_cli
from incident_ledger.ledger.tree import load_ledger

FIXTURES = Path(__file__).parent / "fixtures"
AIWATCH = "https://github.com/bentleypark/aiwatch"
ENV = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}


def _without_open_aistudio(data: bytes) -> bytes:
    """AI Studio's excerpt keeps one incident open for months: collected, it would rightly be a warning."""
    excerpt = json.loads(data)
    excerpt[0][0] = [entry for entry in excerpt[0][0] if entry[0] != "GeminiAPI-new-keys-20260417"]
    return json.dumps(excerpt).encode()


@dataclass(frozen=True)
class Capture:
    kind: str
    vendor: str
    fixture: str
    commit: str
    path: str
    page: str  # the address every record cites: the vendor's status page
    resolved: int  # resolved incidents in the excerpt: what backfill writes
    sample: str  # a vendor id whose record is looked at
    served: Callable[[bytes], bytes] = bytes

    @property
    def data(self) -> bytes:
        return (FIXTURES / self.fixture).read_bytes()

    def collect(self, tree: Tree, address: str, body: bytes) -> tuple[str, ...]:
        """Serve `body` as the vendor's page, its kind first among the vendor's sources; the collect command."""
        collecting(tree, self)
        Handler.script["/page"] = [Answer(200, body)]
        return ("collect", "--vendor", self.vendor, "--url", address + "/page", "--retries", "0")

    def backfill(self, saved: Path) -> tuple[str, ...]:
        return ("backfill", str(saved), "--vendor", self.vendor, "--format", self.kind,
                "--archive", f"{AIWATCH}@{self.commit}", "--path", self.path)  # fmt: skip


CAPTURES = [
    Capture("aistudio", "google", "aistudio/incidents-history.json", "79ba1c99b694dddd308701ecb676a15735e87ca1",
            "worker/src/parsers/__tests__/fixtures/aistudio-sample.json", "https://aistudio.google.com/status", 7,
            "AIStudio-spend-cap-issue-20260321", _without_open_aistudio),
    Capture("flashduty", "deepseek", "flashduty/deepseek-capture.json", "eceeb3988cad552a5a11eb0caf425c53a177910b",
            "worker/src/__tests__/fixtures/deepseek-flashduty-v4.json", "https://status.deepseek.com", 4,
            "6480608319287"),
    Capture("datadog", "openrouter", "datadog/openrouter-config.json", "654cede415f8c1b539bc407aa100c9f4dc93969a",
            "worker/src/parsers/__tests__/fixtures/openrouter-datadog-2026-09-15.json", "https://status.openrouter.ai",
            4, "a80f04f9-7b2a-4094-bd45-e42dd5c2ed8a"),
]  # fmt: skip
IDS = [capture.kind for capture in CAPTURES]


def collecting(tree: Tree, capture: Capture) -> None:
    """The project's registry with the capture's kind as its vendor's first source (the test server stands in)."""
    registry = tree.incidents / "vendors.yml"
    text = registry.read_text(encoding="utf-8")
    head = f"\n{capture.vendor}:\n"
    start = text.index(head) + len(head)
    block = text[start : text.index("\n\n", start)]
    entry = f"    - {{kind: {capture.kind}, url: {capture.page}}}\n"
    if "  collect:\n" in block:
        first = block.split("  collect:\n", 1)[1].split("\n", 1)[0]
        if f"kind: {capture.kind}," in first:
            return
        fixed = block.replace("  collect:\n", "  collect:\n" + entry, 1)
    else:
        line = next(line for line in block.split("\n") if line.startswith("  status_page:"))
        fixed = block.replace(line + "\n", f"{line}\n  collect:\n{entry}", 1)
    registry.write_text(text[:start] + fixed + text[start + len(block) :], encoding="utf-8")


def rerun_changes_nothing(tree: Tree, args: tuple[str, ...], summary: str) -> None:
    before = ledger_bytes(tree)
    again = run_cli(*args, cwd=tree.root, env=ENV)
    assert again.returncode == 0, again.stdout + again.stderr
    assert summary in again.stdout
    assert ledger_bytes(tree) == before


@pytest.mark.parametrize("capture", CAPTURES, ids=IDS)
def test_collect_writes_the_records_and_a_second_run_changes_nothing(
    tmp_path: Path,
    server: str,  # noqa: F811
    capture: Capture,
) -> None:
    tree = real_tree(tmp_path)
    args = capture.collect(tree, server, capture.served(capture.data))
    first = run_cli(*args, cwd=tree.root, env=ENV)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"{capture.vendor}: {capture.resolved} new, 0 updated, 0 unchanged" in first.stdout
    files = files_by_ref(tree)
    assert len(files) == capture.resolved
    data = front_matter(files[capture.sample])
    assert data["sources"] == [capture.page]
    assert data["vendor_refs"] == [{"id": capture.sample, "source": capture.kind}]
    loaded = load_ledger(tree.incidents, NOW)
    assert loaded.errors == [] and loaded.warnings == []
    rerun_changes_nothing(tree, args, f"{capture.vendor}: 0 new, 0 updated, {capture.resolved} unchanged")


@pytest.mark.parametrize("capture", CAPTURES, ids=IDS)
def test_collect_refuses_another_kinds_answer_and_writes_nothing(
    tmp_path: Path,
    server: str,  # noqa: F811
    capture: Capture,
) -> None:
    tree = real_tree(tmp_path)
    args = capture.collect(tree, server, (FIXTURES / "statuspage" / "incidents.json").read_bytes())
    before = ledger_bytes(tree)
    result = run_cli(*args, cwd=tree.root, env=ENV)
    assert result.returncode != 0
    assert f"reads as 'statuspage', not '{capture.kind}'" in result.stderr
    assert "Traceback" not in result.stderr
    assert ledger_bytes(tree) == before


@pytest.mark.parametrize("capture", CAPTURES, ids=IDS)
def test_backfill_cites_the_archive_and_is_idempotent(tmp_path: Path, capture: Capture) -> None:
    tree = real_tree(tmp_path)
    saved = tmp_path / "saved.json"
    saved.write_bytes(capture.data)
    args = capture.backfill(saved)
    first = run_cli(*args, cwd=tree.root, env=ENV)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"{capture.resolved} record(s) read" in first.stdout
    assert f"{capture.resolved} created" in first.stdout
    files = files_by_ref(tree)
    assert len(files) == capture.resolved
    assert front_matter(files[capture.sample])["sources"][0] == {
        "url": capture.page,
        "archive": f"{AIWATCH}/blob/{capture.commit}/{capture.path}",
    }
    assert load_ledger(tree.incidents, NOW).errors == []
    rerun_changes_nothing(tree, args, f"0 created, 0 updated, {capture.resolved} unchanged")


@pytest.mark.parametrize("capture", CAPTURES, ids=IDS)
def test_backfill_of_another_kind_is_refused_with_what_to_check(tmp_path: Path, capture: Capture) -> None:
    tree = real_tree(tmp_path)
    result = run_cli(*capture.backfill(FIXTURES / "statuspage" / "incidents.json"), cwd=tree.root, env=ENV)
    assert result.returncode != 0
    assert f"reads as 'statuspage', not '{capture.kind}'" in result.stdout
    assert f"is this a saved '{capture.kind}' answer?" in result.stdout
    assert "Traceback" not in result.stderr
    assert not list(tree.incidents.rglob("*.md"))
