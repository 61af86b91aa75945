"""`incident-ledger notify`: webhook messages for incidents a range of commits added or corrected."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import EPOCH, ROOT, Tree, git, incident_text
from incident_ledger.cli import main
from incident_ledger.ledger.history import BULK
from incident_ledger.ledger.notify import CARD_TYPE, DISCORD_TEXT, DISCORD_TITLE, SLACK_HEADER, Notice, discord

KINDS = ("slack", "discord", "teams", "json")
SLACK_BLOCKS = {"header", "section", "context", "divider", "actions", "image"}


class Recorder(ThreadingHTTPServer):
    """Records every POST; /fail always answers 500, /flaky answers 500 once per path, else 200."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.seen: set[str] = set()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [body for p, body in self.requests if p == path]


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, body))
        flaky = self.path.startswith("/flaky") and self.path not in self.server.seen
        self.server.seen.add(self.path)
        status = 500 if self.path.startswith("/fail") or flaky else 200
        self.send_response(status)
        if status == 500:
            self.send_header("Retry-After", "0")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    recorder = Recorder()
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    yield recorder
    recorder.shutdown()
    recorder.server_close()


def commit(tree: Tree, message: str, date: str) -> str:
    git(tree.root, "add", "-A")
    git(tree.root, "commit", "-q", "-m", message, date=date)
    return git_out(tree.root, "rev-parse", "HEAD")


def git_out(root: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


NAME = "2026-02-10-acme-errors.md"


@pytest.fixture
def repo(tree: Tree) -> Tree:
    git(tree.root, "init", "-q", "-b", "main")
    tree.add(
        "2026-01-05-acme-old.md",
        incident_text(title="Older outage", start="2026-01-05T10:00:00Z", end="2026-01-05T11:00:00Z"),
    )
    commit(tree, "base", "2026-02-01T10:00:00+00:00")
    return tree


def notify(tree: Tree, server: Recorder, since: str, *extra: str, paths: dict[str, str] | None = None) -> int:
    paths = paths or {kind: f"/{kind}" for kind in KINDS}
    hooks = [f"--webhook={kind}={server.url(path)}" for kind, path in paths.items()]
    args = ["--root", str(tree.incidents), "notify", "--since", since, "--site-url", "https://ledger.example.org/"]
    return main([*args, *hooks, *extra])


def test_new_and_corrected_reach_every_kind(repo: Tree, server: Recorder, capsys: pytest.CaptureFixture[str]) -> None:
    base = git_out(repo.root, "rev-parse", "HEAD")
    repo.add(NAME, incident_text(end="null"))
    commit(repo, "add incident", "2026-02-10T15:00:00+00:00")
    assert notify(repo, server, base) == 0
    for kind in KINDS:
        assert len(server.bodies(f"/{kind}")) == 1, kind
    slack = server.bodies("/slack")[0]
    assert [b["type"] for b in slack["blocks"]] == ["header", "section", "context"]
    fields = " ".join(f["text"] for f in slack["blocks"][1]["fields"])
    for word in ("Acme AI", "acme-large", "major", "2026-02-10 14:05 UTC", "ongoing"):
        assert word in fields
    assert "New incident" in slack["blocks"][1]["text"]["text"]
    assert server.bodies("/discord")[0]["embeds"][0]["color"] == 0xE67E22
    card = server.bodies("/teams")[0]["attachments"][0]
    assert card["contentType"] == CARD_TYPE and card["content"]["version"] == "1.4"
    item = server.bodies("/json")[0]
    assert item["url"].startswith("https://ledger.example.org/incidents/2026/")
    assert item["_incident_ledger"]["ongoing"] is True and item["_change"]["kind"] == "new"

    added = git_out(repo.root, "rev-parse", "HEAD")
    repo.add(NAME, incident_text())
    commit(repo, "record the end", "2026-02-11T10:00:00+00:00")
    server.requests.clear()
    assert notify(repo, server, added) == 0
    assert server.bodies("/json")[0]["_change"] == {"kind": "corrected", "changed": ["end"]}
    assert "Corrected incident (changed: end)" in server.bodies("/discord")[0]["embeds"][0]["description"]
    assert "2026-02-10 17:40 UTC" in json.dumps(server.bodies("/teams")[0])
    assert server.url("/slack") not in capsys.readouterr().out


def test_rewording_sends_nothing(repo: Tree, server: Recorder) -> None:
    repo.add(NAME, incident_text())
    before = commit(repo, "add", "2026-02-10T18:00:00+00:00")
    repo.add(NAME, incident_text(body="Reworded: requests to Acme Large failed."))
    commit(repo, "reword", "2026-02-12T10:00:00+00:00")
    assert notify(repo, server, before) == 0
    assert server.requests == []


def test_retry_then_deliver_and_failing_target(
    repo: Tree, server: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    base = git_out(repo.root, "rev-parse", "HEAD")
    repo.add(NAME, incident_text())
    commit(repo, "add", "2026-02-10T18:00:00+00:00")
    paths = {"slack": "/flaky/slack", "discord": "/fail/secret-token", "json": "/json"}
    assert notify(repo, server, base, paths=paths) == 1
    assert len(server.bodies("/flaky/slack")) == 2
    assert len(server.bodies("/fail/secret-token")) > 1
    assert len(server.bodies("/json")) == 1
    out = capsys.readouterr()
    assert "secret-token" not in out.out + out.err
    assert "discord target http://127.0.0.1/…" in out.err


def test_bulk_commit_sends_one_summary(repo: Tree, server: Recorder) -> None:
    base = git_out(repo.root, "rev-parse", "HEAD")
    for day in range(1, 56):
        repo.add(
            f"2025-03-{day % 28 + 1:02d}-acme-bulk-{day}.md",
            incident_text(
                title=f"Bulk {day}",
                start=f"2025-03-{day % 28 + 1:02d}T10:00:00Z",
                end=f"2025-03-{day % 28 + 1:02d}T11:00:00Z",
            ),
        )
    commit(repo, "backfill Acme", "2026-02-10T18:00:00+00:00")
    assert notify(repo, server, base) == 0
    for kind in KINDS:
        assert len(server.bodies(f"/{kind}")) == 1
    assert "55 incident records" in json.dumps(server.bodies("/slack")[0])


def test_long_texts_are_cut_to_documented_limits(repo: Tree, server: Recorder) -> None:
    base = git_out(repo.root, "rev-parse", "HEAD")
    repo.add(NAME, incident_text(title="A very long title for the Slack header " * 3))
    commit(repo, "add", "2026-02-10T18:00:00+00:00")
    assert notify(repo, server, base) == 0
    slack = server.bodies("/slack")[0]
    assert len(slack["blocks"][0]["text"]["text"]) == SLACK_HEADER
    assert slack["blocks"][0]["text"]["text"].endswith("…")
    assert {b["type"] for b in slack["blocks"]} <= SLACK_BLOCKS
    assert len(slack["blocks"][1]["fields"]) <= 10
    notice = Notice(**{**NOTICE, "title": "T" * 400, "models": ("m" * 50,) * 100})
    embed = discord(notice)["embeds"][0]
    assert len(embed["title"]) == DISCORD_TITLE and embed["title"].endswith("…")
    assert len(embed["description"]) == DISCORD_TEXT and embed["description"].endswith("…")


NOTICE: dict[str, Any] = {
    "title": "",
    "vendor": "Acme AI",
    "models": (),
    "impact": "minor",
    "start": "2026-02-10 14:05 UTC",
    "end": "ongoing",
    "duration": "1 h",
    "status": "ongoing",
    "link": "https://ledger.example.org/x/",
    "corrected": True,
    "changed": ("end",),
    "item": {},
}


def test_dry_run_and_env_target(
    repo: Tree, server: Recorder, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = git_out(repo.root, "rev-parse", "HEAD")
    repo.add(NAME, incident_text())
    commit(repo, "add", "2026-02-10T18:00:00+00:00")
    monkeypatch.setenv("HOOK", server.url("/secret"))
    args = ["--root", str(repo.incidents), "notify", "--since", base, "--webhook", "slack=env:HOOK"]
    assert main([*args, "--dry-run"]) == 0
    assert server.requests == [] and "New incident" in capsys.readouterr().out
    assert main([*args, "--min-impact", "critical"]) == 0
    assert server.requests == []
    assert main(args) == 0
    assert len(server.bodies("/secret")) == 1
    assert "/secret" not in capsys.readouterr().out


def test_bad_since_is_a_message(repo: Tree, server: Recorder, capsys: pytest.CaptureFixture[str]) -> None:
    assert notify(repo, server, "no-such-rev") == 2
    assert "Traceback" not in capsys.readouterr().err


def test_repository_history(server: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's newest commit that only added incident files (not a bulk one) announces those files."""
    monkeypatch.chdir(ROOT)
    for sha in git_out(ROOT, "log", "--format=%H", "--", "incidents/20*/*.md").split():
        status = git_out(ROOT, "show", "--name-status", "--format=", sha, "--", "incidents/20*/*.md").splitlines()
        if status and all(line.startswith("A") for line in status) and len(status) <= BULK:
            break
    names = [Path(line.split()[1]) for line in status]
    assert main(["notify", "--since", f"{sha}~1", "--until", sha, "--webhook", f"json={server.url('/json')}"]) == 0
    urls = sorted(body["url"].rstrip("/").rsplit("/", 1)[-1] for body in server.bodies("/json"))
    assert urls == sorted(n.stem for n in names if (ROOT / n).is_file())
    assert all(body["_change"]["kind"] == "new" for body in server.bodies("/json"))


def test_vendor_and_model_filters_pick_as_the_feeds_do(repo: Tree, server: Recorder) -> None:
    base = git_out(repo.root, "rev-parse", "HEAD")
    repo.add(NAME, incident_text())
    zeta = incident_text(
        title="Zeta API unavailable", vendor="zeta", model="all", sources="\n  - https://zeta.example.com/status/1"
    )
    repo.add("2026-02-10-zeta-api-unavailable.md", zeta)
    every = incident_text(
        title="Acme down for every model", model="all", start="2026-02-12T10:00:00Z", end="2026-02-12T11:00:00Z"
    )
    repo.add("2026-02-12-acme-down-for-every-model.md", every)
    commit(repo, "add three", "2026-02-10T18:00:00+00:00")
    paths = {"slack": "/slack"}
    assert notify(repo, server, base, "--vendor", "zeta", paths=paths) == 0
    assert [b["blocks"][0]["text"]["text"] for b in server.bodies("/slack")] == [
        "Zeta Labs: Zeta API unavailable [all models; major; resolved]"
    ]
    server.requests.clear()
    assert notify(repo, server, base, "--model", "acme-large", paths=paths) == 0
    titles = sorted(b["blocks"][0]["text"]["text"] for b in server.bodies("/slack"))
    assert len(titles) == 2 and all(t.startswith("Acme AI: ") for t in titles)
    assert titles == [  # as the model's feed: the records naming it, and those of its vendor naming every model
        "Acme AI: Acme down for every model [all models; major; resolved]",
        "Acme AI: Elevated errors on Acme Large [acme-large; major; resolved]",
    ]
