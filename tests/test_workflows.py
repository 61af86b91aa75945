"""The workflows' decisions, run as the workflows run them: the scope step on real diffs in a scratch
repository, and the pull-request and issue look-ups against a `gh` that answers as GitHub would.

The answers of the fake `gh` have the shape `gh pr list --json number,isCrossRepository,author` prints
(an app author's login is `app/<slug>`, cli/cli pull request #5049); each case is one a fork or another
user can create by opening a pull request or an issue.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
BOT = {"is_bot": True, "login": "app/github-actions"}
FORKER = {"id": "MDQ6VXNlcjE=", "is_bot": False, "login": "someone-else", "name": ""}


def step(workflow: str, name: str) -> dict[str, Any]:
    steps = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))["jobs"]
    return next(s for job in steps.values() for s in job["steps"] if s.get("name") == name)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A scratch repository holding the project's registry, one incident file and the scope script."""
    repo = tmp_path / "repo"
    (repo / "incidents" / "2026").mkdir(parents=True)
    (repo / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "scope.py", repo / ".ci" / "scope.py")
    for name in ("vendors.yml", "sources.yml"):
        shutil.copy(ROOT / "incidents" / name, repo / "incidents" / name)
    incident = next((ROOT / "incidents" / "2026").glob("*.md"))
    shutil.copy(incident, repo / "incidents" / "2026" / incident.name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    return repo


def scope(repo: Path, change: dict[str, str]) -> str:
    """Commit `change` (path -> new text) and run the workflow's scope step on it; its `content_only`."""
    for path, text in change.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text, encoding="utf-8")
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "change")
    output = repo.parent / "output"
    output.write_text("", encoding="utf-8")
    run = step("check.yml", "Decide which suites this change needs")["run"]
    env = dict(
        os.environ, BASE_SHA=base, GITHUB_OUTPUT=str(output), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    )
    subprocess.run(["bash", "-c", run], cwd=repo, env=env, check=True, capture_output=True)
    return output.read_text(encoding="utf-8").strip()


def registry_with(repo: Path, old: str, new: str) -> dict[str, str]:
    text = (repo / "incidents" / "vendors.yml").read_text(encoding="utf-8")
    assert old in text
    return {"incidents/vendors.yml": text.replace(old, new, 1)}


def test_an_incident_file_takes_the_fast_path(repo: Path) -> None:
    incident = next((repo / "incidents" / "2026").glob("*.md"))
    text = incident.read_text(encoding="utf-8").replace("\n---\n", "\n---\nA sentence more.\n\n", 1)
    assert scope(repo, {incident.relative_to(repo).as_posix(): text}) == "content_only=true"


def test_other_files_under_incidents_run_everything(repo: Path) -> None:
    assert scope(repo, {"incidents/2026/notes.txt": "a note\n"}) == "content_only=false"
    assert scope(repo, {"incidents/README.md": "# Incidents\n"}) == "content_only=false"


def test_a_registry_change_outside_collect_takes_the_fast_path(repo: Path) -> None:
    change = registry_with(repo, "name: Anthropic", "name: Anthropic PBC")
    assert scope(repo, change) == "content_only=true"


def test_a_change_to_a_collect_entry_runs_everything(repo: Path) -> None:
    change = registry_with(
        repo, "https://status.claude.com/api/v2/incidents.json", "https://status.claude.com/history.atom"
    )
    assert scope(repo, change) == "content_only=false"


def test_code_runs_everything(repo: Path) -> None:
    assert scope(repo, {"plugins/incident_ledger/cli.py": "print('hi')\n"}) == "content_only=false"


def fake_gh(tmp_path: Path, answer: list[dict[str, Any]]) -> dict[str, str]:
    """A `gh` on PATH that prints `answer` as JSON and records its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (tmp_path / "answer.json").write_text(json.dumps(answer), encoding="utf-8")
    gh = bin_dir / "gh"
    gh.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path}/args\ncat {tmp_path}/answer.json\n', encoding="utf-8")
    gh.chmod(0o755)
    return dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", BRANCH="collect/status-pages", LABEL="dead-links")


def look_up(env: dict[str, str], workflow: str, name: str, marker: str) -> str:
    """Run the look-up line of the workflow step `name` (the line holding `marker`) and print its result."""
    line = next(x for x in step(workflow, name)["run"].splitlines() if marker in x).strip()
    result = subprocess.run(
        ["bash", "-c", f'{line}\necho "$number"'], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_collect_pull_request_is_only_the_bots_own(tmp_path: Path) -> None:
    answer = [
        {"number": 41, "isCrossRepository": True, "author": BOT},  # a fork can only fake the branch name
        {"number": 42, "isCrossRepository": True, "author": FORKER},
        {"number": 43, "isCrossRepository": False, "author": FORKER},  # a maintainer's own branch
        {"number": 17, "isCrossRepository": False, "author": BOT},
    ]
    env = fake_gh(tmp_path, answer)
    name = "Continue the open collect pull request, if there is one"
    assert look_up(env, "collect.yml", name, "number=") == "17"
    assert "--head collect/status-pages" in (tmp_path / "args").read_text(encoding="utf-8")
    fake_gh(tmp_path, answer[:3])
    assert look_up(env, "collect.yml", name, "number=") == ""


def test_the_dead_links_issue_is_found_by_author_and_label(tmp_path: Path) -> None:
    answer = [{"number": 8, "author": FORKER}, {"number": 5, "author": BOT}]
    env = fake_gh(tmp_path, answer)
    name = "Open, update or close the dead-links issue"
    assert look_up(env, "links.yml", name, "number=") == "5"
    args = (tmp_path / "args").read_text(encoding="utf-8")
    assert "--label dead-links" in args and "in:title" not in args
    fake_gh(tmp_path, answer[:1])
    assert look_up(env, "links.yml", name, "number=") == ""


def test_a_retired_or_published_list_takes_the_fast_path(repo: Path) -> None:
    assert scope(repo, {"incidents/published.txt": "2026-01-01-acme-x\n"}) == "content_only=true"
    assert scope(repo, {"incidents/retired.yml": "{}\n"}) == "content_only=true"


def test_collect_carries_the_default_branchs_published_ids_onto_its_branch(repo: Path) -> None:
    """The ids listed are those on the default branch, never the collect branch's unmerged ones."""
    published = repo / "incidents" / "published.txt"
    published.write_text("2021-02-09-openai-brief-api-outage\n", encoding="utf-8")
    ids = sorted(path.stem for path in (repo / "incidents").glob("*/*.md"))
    commit = ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam"]
    git(repo, "add", ".")
    git(repo, *commit, "main")
    git(repo, "checkout", "-qb", "collect/status-pages")
    unmerged = repo / "incidents" / "2026" / f"{ids[0]}-unmerged.md"
    unmerged.write_text(next((repo / "incidents" / "2026").glob("*.md")).read_text(encoding="utf-8"), "utf-8")
    git(repo, "add", ".")
    git(repo, *commit, "an earlier collect")
    git(repo, "checkout", "-q", "main")
    temp = repo.parent / "runner"
    temp.mkdir()
    env = dict(os.environ, RUNNER_TEMP=str(temp), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    for name in ("Record the ids the site has published", "Carry the published ids onto the collect branch"):
        result = subprocess.run(
            ["bash", "-c", step("collect.yml", name)["run"]], cwd=repo, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        if name.startswith("Record"):
            status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True)
            assert status.stdout == "", "the default branch's tree must stay clean for the checkout"
            git(repo, "checkout", "-q", "collect/status-pages")
    listed = [line for line in published.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert listed == sorted({"2021-02-09-openai-brief-api-outage", *ids})
    assert unmerged.stem not in listed


def run_script(name: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(ROOT / ".ci" / name)], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('{"commit": "0123456789abcdef0123456789abcdef01234567", "reference_time": "2026-12-07T00:00:00Z"}', True),
        ('{"commit": "$(touch pwned)"}', False),
        ("<html>404</html>", False),
        (None, False),  # a first deploy: no build.json yet
    ],
)
def test_the_live_sites_commit_is_read_and_nothing_else(tmp_path: Path, answer: str | None, expected: bool) -> None:
    served = tmp_path / "served"
    (served / "api").mkdir(parents=True)
    if answer is not None:
        (served / "api" / "build.json").write_text(answer, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "mkdocs.yml").write_text(f"site_name: t\nsite_url: http://127.0.0.1:{server.server_port}/\n")
        output = tmp_path / "output"
        result = run_script("live-commit", tmp_path, dict(os.environ, GITHUB_OUTPUT=str(output)))
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    commit = "0123456789abcdef0123456789abcdef01234567" if expected else ""
    assert output.read_text(encoding="utf-8") == f"commit={commit}\n"
    assert not (tmp_path / "pwned").exists()


def fake_ledger(tmp_path: Path) -> dict[str, str]:
    """An `incident-ledger` on PATH that records its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "incident-ledger"
    tool.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\n', encoding="utf-8")
    tool.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.endswith("_WEBHOOK_URL")}
    return dict(env, PATH=f"{bin_dir}:{os.environ['PATH']}", SINCE="0123456789abcdef0123456789abcdef01234567")


def test_deploy_notify_sends_nothing_without_secrets(tmp_path: Path) -> None:
    result = run_script("notify-deploy", tmp_path, fake_ledger(tmp_path))
    assert result.returncode == 0 and "nothing sent" in result.stdout
    assert not (tmp_path / "args").exists()


def test_deploy_notify_passes_each_secret_by_name_never_by_value(tmp_path: Path) -> None:
    secret = "https://hooks.slack.com/services/T000/B000/secret-token"
    env = dict(fake_ledger(tmp_path), SLACK_WEBHOOK_URL=secret, TEAMS_WEBHOOK_URL="https://example.com/teams")
    result = run_script("notify-deploy", tmp_path, env)
    assert result.returncode == 0, result.stderr
    args = (tmp_path / "args").read_text(encoding="utf-8").split()
    assert args == [
        "notify", "--since", env["SINCE"], "--webhook", "slack=env:SLACK_WEBHOOK_URL",
        "--webhook", "teams=env:TEAMS_WEBHOOK_URL",
    ]  # fmt: skip
    assert secret not in result.stdout + result.stderr
