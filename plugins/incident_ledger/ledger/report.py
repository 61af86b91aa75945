"""Render problems for people, for GitHub Actions annotations and for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .model import Problem


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(problem: Problem) -> str:
    """One workflow command, so the problem shows on the pull request's changed line."""
    level = "error" if problem.is_error else "warning"
    title = f"incident-ledger: {problem.field}" if problem.field else "incident-ledger"
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    props = f"file={_escape_property(problem.path)},line={problem.line},title={_escape_property(title)}"
    return f"::{level} {props}::{_escape_data(message)}"


def summary(problems: Sequence[Problem], files: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error(s), {warnings} warning(s) in {files} file(s)"


def render(problems: Sequence[Problem], fmt: str, files: int) -> str:
    if fmt == "json":
        rows = [
            {
                "path": p.path,
                "line": p.line,
                "field": p.field,
                "severity": p.severity,
                "message": p.message,
                "hint": p.hint,
            }
            for p in problems
        ]
        return json.dumps({"problems": rows, "files": files}, indent=2, ensure_ascii=False)
    lines = [github(p) if fmt == "github" else p.human() for p in problems]
    lines.append(summary(problems, files))
    return "\n".join(lines)
