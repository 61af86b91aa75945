"""The `incident-ledger` command: validate, new, published, schema, stats, import."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .ledger.fields import HIDDEN, suggest
from .ledger.load import parse_text
from .ledger.model import IMPACTS, Vendor
from .ledger.report import render
from .ledger.retired import PUBLISHED_NAME, RETIRED_NAME, load_published, render_published
from .ledger.schema import incident_schema
from .ledger.skeleton import incident_id, skeleton
from .ledger.stats import WINDOWS
from .ledger.summary import stats_report
from .ledger.timeutil import TimeError, human_duration, parse_time, reference_time
from .ledger.tree import REGISTRY_FILES, LoadResult, incident_files, load_ledger
from .site.speed.background import fork_workers
from .sources.readers.archives import ARCHIVE_FORMATS

DEFAULT_ROOT = Path("incidents")
ACTION_KINDS = ("created", "updated", "unchanged", "matched", "linked", "skipped", "error")


def _fail(message: str) -> int:
    print(f"incident-ledger: {message}", file=sys.stderr)
    return 2


def _load(root: Path, only: list[Path] | None = None, workers: int = 1) -> LoadResult | str:
    if not root.is_dir():
        return f"incidents folder `{root}` not found (run from the repository root or pass --root)"
    try:
        now = reference_time()
    except ValueError as error:
        return str(error)
    return load_ledger(root, now, only, workers=workers)


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        return _fail(f"no such file: {', '.join(missing)}")
    registry = {(args.root / name).resolve() for name in (*REGISTRY_FILES, RETIRED_NAME, PUBLISHED_NAME)}
    if any(p.resolve() in registry for p in paths):
        paths = []  # a registry change can invalidate any incident: check them all
    result = _load(args.root, paths or None, workers=fork_workers())
    if isinstance(result, str):
        return _fail(result)
    files = len(paths) if paths else len(result.catalog.incidents) + len({p.path for p in result.errors})
    print(render(result.problems, args.format, files))
    failed = result.errors or (args.strict and result.warnings)
    return 1 if failed else 0


def cmd_published(args: argparse.Namespace) -> int:
    """Add today's ids to the published list (after a publish); ids already there stay, even without a file."""
    result = _load(args.root)
    if isinstance(result, str):
        return _fail(result)
    path = args.root / PUBLISHED_NAME
    listed, problems = load_published(path)
    if problems:
        print(render(problems, "human", 1), file=sys.stderr)
        return 1
    ids = set(listed) | set(result.catalog.by_id)
    text = render_published(ids)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    print(f"{path}: {len(ids)} published ids, {len(ids) - len(listed)} added")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    result = _load(args.root)
    if isinstance(result, str):
        return _fail(result)
    registry = result.catalog.registry
    vendor = registry.vendor(args.vendor)
    if vendor is None:
        return _fail(f"unknown vendor `{args.vendor}`: {suggest(args.vendor, registry.vendors)}")
    models = [m.strip() for m in args.model.split(",") if m.strip()]
    for model in models:
        if model != "all" and model not in vendor.models:
            return _fail(f"unknown model `{model}` for `{vendor.id}`: {suggest(model, vendor.models)}")
    try:
        start = parse_time(args.start) if args.start else result.catalog.now.replace(second=0)
    except TimeError as error:
        return _fail(f"--start: {error.message} ({error.hint})")
    title = " ".join(args.title.split())
    if not title or "<" in title or ">" in title or len(title) > 120:
        return _fail("--title must be plain text of 1 to 120 characters")
    path = args.root / f"{start:%Y}" / f"{incident_id(start, vendor.id, title)}.md"
    if path.exists():
        return _fail(f"{path} already exists; choose a different title")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(vendor, models, title, start), encoding="utf-8")
    print(path.as_posix())
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    registry = None
    if args.with_registry:
        result = _load(args.root)
        if isinstance(result, str):
            return _fail(result)
        registry = result.catalog.registry
    print(json.dumps(incident_schema(registry), indent=2, ensure_ascii=False))
    return 0


def _figure_row(name: str, figures: dict[str, Any]) -> str:
    impact = figures["by_impact"]
    severe = figures["severe_covered_seconds"] / 3600
    avail = f"{severe:.1f}" if figures["covered_seconds"] else "untracked"
    counts = f"{impact['critical']:>4} {impact['major']:>4} {impact['minor']:>4}"
    hours, degraded = figures["impacted_seconds"] / 3600, figures["degraded_seconds"] / 3600
    median, p90 = (_duration(figures[key]) for key in ("median_seconds", "p90_seconds"))
    window = figures["covered_seconds"] + figures["untracked_seconds"]
    covered = f"{figures['covered_seconds'] / window * 100:.0f}%" if window else "-"
    return (
        f"{name:<28} {figures['incidents']:>4} {counts} {hours:>8.1f} {degraded:>8.1f} "
        f"{median:>10} {p90:>10} {avail:>9} {covered:>7}"
    )


def _duration(seconds: float | None) -> str:
    return "-" if seconds is None else human_duration(seconds)


def _table(report: dict[str, Any]) -> str:
    """A compact text table of the stats report, one row per vendor (and model)."""
    header = (
        f"{'vendor/model':<28} {'n':>4} {'crit':>4} {'maj':>4} {'min':>4} "
        f"{'hours':>8} {'degraded':>8} {'median':>10} {'p90':>10} {'severe h':>9} {'covered':>7}"
    )
    lines = [f"reference time {report['reference_time']}, window {report['window']}", header]
    for vendor in report["vendors"]:
        lines.append(_figure_row(vendor["vendor"], vendor))
        lines.extend(_figure_row("  " + model["model"], model) for model in vendor.get("models", []))
    lines.append("last 365 covered days: availability per product class (weighted), severe per 30 covered days")
    lines.extend(_headline_row(vendor["vendor"], vendor["headline"]) for vendor in report["vendors"])
    return "\n".join(lines)


def _headline_row(name: str, headline: dict[str, Any]) -> str:
    """One vendor's headline figures with the dates they rest on."""
    severe = headline["rates"]["severe"]
    if severe["per_30_days"] is None:
        return f"{name:<28} not tracked"
    classes = ", ".join(
        f"{cls} {a['availability'] * 100:.2f}% ({a['weighted_availability'] * 100:.2f}%)"
        for cls, a in headline["classes"].items()
    )
    rate = f"severe {severe['per_30_days']:.1f} ({severe['low']:.1f}-{severe['high']:.1f}, n {severe['n']})"
    return f"{name:<28} {headline['window_start'][:10]} to {headline['window_end'][:10]}: {classes}; {rate}"


def cmd_stats(args: argparse.Namespace) -> int:
    result = _load(args.root)
    if isinstance(result, str):
        return _fail(result)
    catalog = result.catalog
    if args.vendor and catalog.registry.vendor(args.vendor) is None:
        return _fail(f"unknown vendor `{args.vendor}`: {suggest(args.vendor, catalog.registry.vendors)}")
    if args.model:
        if not args.vendor:
            return _fail("--model needs --vendor")
        vendor = catalog.registry.vendors[args.vendor]
        if args.model not in vendor.models:
            return _fail(f"unknown model `{args.model}` for `{vendor.id}`: {suggest(args.model, vendor.models)}")
    report = stats_report(catalog, args.vendor, args.model, args.window)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.format == "json" else _table(report))
    return 1 if result.errors else 0


def _existing(root: Path) -> list[Any]:
    from .sources.importer import Existing

    existing = []
    for path in incident_files(root):
        relative = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        existing.append(Existing(relative, parse_text(text, relative), text))
    return existing


def shown(text: str, limit: int = 300) -> str:
    """Vendor text for a report line: no control characters or backticks, one line, capped."""
    flat = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in HIDDEN.sub("", text))
    flat = flat.replace("`", "'")  # reports go into Markdown code fences in pull requests: nothing may close one
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _print_actions(actions: Sequence[Any], root: Path) -> None:
    for action in actions:
        where = f" {root.as_posix()}/{action.path}" if action.path else ""
        detail = f": {shown(action.detail)}" if action.detail else ""
        print(f"{action.kind}{where}{detail}")


def _write(root: Path, writes: dict[str, str]) -> int:
    """Write the planned files atomically; 0, or 1 with the reason when one could not be written."""
    from .sources.writing import WriteError, write_files

    try:
        write_files(root, writes)
    except WriteError as error:
        print(f"incident-ledger: {error}", file=sys.stderr)
        return 1
    return 0


def _vendor_ledger(args: argparse.Namespace) -> tuple[LoadResult, Any] | int:
    """The loaded ledger and the vendor `--vendor` names, or the exit code of a clear failure."""
    result = _load(args.root)
    if isinstance(result, str):
        return _fail(result)
    vendor = result.catalog.registry.vendor(args.vendor)
    if vendor is None:
        return _fail(f"unknown vendor `{args.vendor}`: {suggest(args.vendor, result.catalog.registry.vendors)}")
    return result, vendor


def _drop_invalid(plan: Any, result: LoadResult, root: Path) -> dict[str, Any]:
    """Leave out of the plan the files that would not validate, saying why; the others are still written."""
    from .sources.collect import check_writes

    invalid = check_writes(plan.writes, result.catalog.registry, result.catalog.now, root.as_posix())
    if invalid:
        print(render([p for problems in invalid.values() for p in problems], "human", len(plan.writes)))
        print(f"not written: {len(invalid)} file(s) above would not validate; the others are")
        plan.writes = {path: text for path, text in plan.writes.items() if path not in invalid}
    return invalid


def cmd_import(args: argparse.Namespace) -> int:
    # Imported here so that `validate`, which contributors run most, starts fast.
    from .sources.collect import SHARED_KINDS
    from .sources.importer import Importer
    from .sources.readers.kinds import KINDS, detect_kind, read
    from .sources.readers.record import ExportError

    kind, file = (args.args[0], args.args[1]) if len(args.args) == 2 else (None, args.args[0])
    if kind is not None and kind not in KINDS:
        return _fail(f"unknown source kind `{kind}`: {suggest(kind, KINDS)}")
    if len(args.args) > 2:
        return _fail("give one file: `import FILE --vendor V` or `import KIND FILE --vendor V`")
    loaded = _vendor_ledger(args)
    if isinstance(loaded, int):
        return loaded
    result, vendor = loaded
    try:
        data = Path(file).read_bytes()
        kind = kind or detect_kind(data)
        records = read(kind, data, vendor.status_page or vendor.homepage)
    except OSError as error:
        return _fail(f"cannot read {file}: {error.strerror}")
    except ExportError as error:
        return _fail(f"{file}: {error}")
    importer = Importer(vendor, _existing(args.root), since=args.since, link=args.link)
    plan = importer.plan(records, only_mapped=kind in SHARED_KINDS)
    print(f"{file}: read as {kind}, {len(records)} record(s)")
    _print_actions(plan.actions, args.root)
    for note in plan.notes():
        print(f"note: {shown(note)}")
    counts = {name: sum(a.kind == name for a in plan.actions) for name in ACTION_KINDS}
    print(", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing to import")
    invalid = _drop_invalid(plan, result, args.root)
    if args.dry_run:
        print("dry run: nothing written")
    elif _write(args.root, plan.writes):
        return 1
    return 1 if plan.failed or invalid else 0


def _archive_records(fmt: str, source: Path, vendor: Vendor) -> Any:
    from .sources.readers.archives import (
        SAVED_ANSWERS,
        read_fails_csv,
        read_github_statuses,
        read_saved_answer,
        read_statuspage_files,
        read_statuspage_lines,
    )

    page_url = vendor.status_page or ""
    if fmt == "statuspage-files":
        files = sorted(source.glob("*.json"))
        return read_statuspage_files(((f.name, f.read_bytes()) for f in files), page_url)
    if fmt in SAVED_ANSWERS:
        return read_saved_answer(fmt, source.read_bytes(), page_url)
    if fmt == "fails-csv":
        return read_fails_csv(source.read_bytes(), page_url, vendor.id)
    reader = read_github_statuses if fmt == "github-statuses" else read_statuspage_lines
    return reader(source.read_bytes(), page_url)


def cmd_backfill(args: argparse.Namespace) -> int:
    import re

    from .sources.backfill import backfill, parse_archive

    archive = parse_archive(args.archive, args.path)
    if isinstance(archive, str):
        return _fail(archive)
    try:
        match = re.compile(args.match, re.IGNORECASE) if args.match else None
    except re.error as error:
        return _fail(f"--match is not a regular expression: {error}")
    loaded = _vendor_ledger(args)
    if isinstance(loaded, int):
        return loaded
    result, vendor = loaded
    if not vendor.status_page:
        return _fail(f"`{vendor.id}` has no `status_page` in vendors.yml: records must cite the vendor's own pages")
    source = Path(args.file)
    if args.format == "statuspage-files" and not source.is_dir():
        return _fail(f"{source} is not a folder (statuspage-files reads a folder of incident files)")
    try:
        read = _archive_records(args.format, source, vendor)
    except OSError as error:
        return _fail(f"cannot read {source}: {error.strerror}")
    for problem in read.problems:
        print(f"unreadable: {source}: {shown(problem)}")

    def progress(done: int, total: int) -> None:
        print(f"... {done}/{total} planned", file=sys.stderr)

    planned = backfill(read, vendor, _existing(args.root), archive, args.link, match, progress)
    plan = planned.plan
    _print_actions([a for a in plan.actions if a.kind not in ("unchanged", "skipped")], args.root)
    for note in plan.notes():
        print(f"note: {shown(note)}")
    invalid = _drop_invalid(plan, result, args.root)
    for line in planned.summary(len(read.records), len(read.problems)):
        print(line)
    if args.dry_run:
        print("dry run: nothing written")
    elif _write(args.root, plan.writes):
        return 1
    return 1 if plan.failed or invalid or read.problems else 0


def _report_run(run: Any, root: Path) -> None:
    _print_actions([a for a in run.actions if a.kind != "unchanged"], root)
    for note in run.notes:
        print(f"note: {shown(note)}")
    for url, (start, end) in run.gaps:
        print(f"gap: {run.vendor}: {url}: nothing known from {start:%Y-%m-%dT%H:%MZ} to {end:%Y-%m-%dT%H:%MZ}")
    for failure in run.failures:
        print(f"failed: {shown(failure)}", file=sys.stderr)
    print(run.summary())


def cmd_collect(args: argparse.Namespace) -> int:
    from .sources.collect import Collector
    from .sources.fetch import Fetcher, FetchSettings

    result = _load(args.root)
    if isinstance(result, str):
        return _fail(result)
    if result.errors:
        print(render(result.errors, "human", len(result.catalog.incidents)))
        return _fail("the ledger has errors; fix them before collecting")
    registry = result.catalog.registry
    unknown = [v for v in args.vendor or [] if registry.vendor(v) is None]
    if unknown:
        return _fail(f"unknown vendor `{unknown[0]}`: {suggest(unknown[0], registry.vendors)}")
    if args.url and len(args.vendor or []) != 1:
        return _fail("--url needs exactly one --vendor (it replaces that vendor's source URL)")
    if args.url and not registry.vendors[args.vendor[0]].collect:
        return _fail(f"--url replaces a configured source, and `{args.vendor[0]}` has no `collect:` in vendors.yml")
    vendors = [registry.vendors[v] for v in args.vendor] if args.vendor else list(registry.vendors.values())
    vendors = [v for v in vendors if v.collect]
    if not vendors:
        return _fail("no vendor with `collect:` sources in vendors.yml was selected")
    settings = FetchSettings(timeout=args.timeout, deadline=args.timeout, retries=args.retries)
    collector = Collector(
        registry, result.catalog.coverage, _existing(args.root), result.catalog.now, Fetcher(settings),
        vendor_budget=args.vendor_budget, run_budget=args.run_budget,
    )  # fmt: skip
    return collect_and_write(collector, vendors, args.url, args.root, args.dry_run)


def collect_and_write(collector: Any, vendors: Sequence[Vendor], url: str | None, root: Path, dry_run: bool) -> int:
    """Run each vendor and write it as soon as it is done; a signal stops the run after the vendor being
    written, and the report names the vendors not collected."""
    from .sources.writing import Interrupted, Stop, WriteError, ledger_lock, merge_coverage, write_files

    finished: list[str] = []
    failed = False
    stop = Stop()
    try:
        with stop.installed():
            for run in collector.runs(vendors, url):
                _report_run(run, root)
                failed = failed or run.failed or run.incomplete
                if not dry_run and not run.failed:
                    with stop.hold(), ledger_lock(root):
                        write_files(root, run.writes)
                        merge_coverage(root, collector.registry, run.vendor, run.coverage)
                finished.append(run.vendor)
    except WriteError as error:
        print(f"failed: {error}", file=sys.stderr)
        return 1
    except Interrupted as signal:
        rest = [v.id for v in vendors if v.id not in finished]
        print(f"interrupted by {signal}: finished {', '.join(finished) or 'none'}; "
              f"not collected, nothing written: {', '.join(rest)}", file=sys.stderr)  # fmt: skip
        return 128 + signal.signum
    if dry_run:
        print("dry run: nothing written")
    return 1 if failed else 0


def cmd_check_links(args: argparse.Namespace) -> int:
    from .sources.linkcheck import LinkChecker, Settings, links_by_incident
    from .sources.linkcheck import report as link_report

    result = _load(args.root)
    if isinstance(result, str):
        return _fail(result)
    cited = links_by_incident(result.catalog)
    settings = Settings(timeout=args.timeout, concurrency=args.concurrency, retries=args.retries)
    results = LinkChecker(settings).check_all(cited)
    print(link_report(results, cited, args.format))
    return 1 if any(r.state == "dead" for r in results.values()) else 0


def _positive(kind: type) -> Any:
    def parse(value: str) -> Any:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
        if number <= 0:
            raise argparse.ArgumentTypeError(f"{value!r} must be greater than 0")
        return number

    return parse


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _webhook(value: str) -> tuple[str, str]:
    from .ledger.notify import KINDS

    kind, sep, target = value.partition("=")
    if not sep or kind not in KINDS or not target:
        raise argparse.ArgumentTypeError(f"expected KIND=TARGET with KIND one of {', '.join(KINDS)}") from None
    return kind, target


def _site_url() -> str:
    """The site address from mkdocs.yml, so that links in messages match the published pages."""
    config = Path("mkdocs.yml")
    if config.is_file():
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.startswith("site_url:"):
                return line.split(":", 1)[1].strip().strip("'\"")
    return "https://example.invalid/"


def cmd_notify(args: argparse.Namespace) -> int:
    from .site.notices import Filters, messages
    from .sources.notify import NotifyError, post, range_changes, redact, resolve

    targets: list[tuple[str, str]] = []
    for kind, target in args.webhook:
        try:
            targets.append((kind, "" if args.dry_run and target.startswith("env:") else resolve(target)))
        except NotifyError as error:
            return _fail(str(error))
    result = _load(args.root)
    if isinstance(result, str):
        return _fail(result)
    try:
        changes = range_changes(args.root, args.since, args.until)
    except NotifyError as error:
        return _fail(str(error))
    kinds = sorted({k for k, _ in targets})
    filters = Filters(tuple(args.vendor), tuple(args.model), args.min_impact)
    payloads = messages(result.catalog, args.root, args.site_url or _site_url(), changes, kinds, filters)
    if args.dry_run:
        for kind, payload in payloads:
            print(json.dumps({"kind": kind, "payload": payload}, ensure_ascii=False))
        return 0
    failed = 0
    for kind, url in targets:
        for payload in (p for k, p in payloads if k == kind):
            try:
                post(url, payload)
            except NotifyError as error:
                print(f"incident-ledger: {kind} target {redact(url)}: {error}", file=sys.stderr)
                failed += 1
                break
    print(f"{len(payloads)} message(s) for {len(targets)} target(s); {failed} target(s) failed")
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="incident-ledger", description="Tools for the AI Incident Ledger.")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="incidents folder (default: incidents)")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check incident files and the registry")
    validate.add_argument("paths", nargs="*", help="files to report on (default: the whole tree)")
    validate.add_argument("--format", choices=("human", "github", "json"), default="human")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(func=cmd_validate)

    new = commands.add_parser("new", help="write a valid skeleton incident file")
    new.add_argument("--vendor", required=True)
    new.add_argument("--model", required=True, help="model id, comma-separated ids, or `all`")
    new.add_argument("--title", required=True)
    new.add_argument("--start", help="ISO 8601 time with offset (default: now)")
    new.set_defaults(func=cmd_new)

    published = commands.add_parser("published", help="add the ids of today's incident files to published.txt")
    published.set_defaults(func=cmd_published)

    schema = commands.add_parser("schema", help="print the JSON Schema of the front matter")
    schema.add_argument("--with-registry", action="store_true", help="restrict ids to the registry's")
    schema.set_defaults(func=cmd_schema)
    importer = commands.add_parser(
        "import",
        help="create or update incident files from a saved status export",
        description="Read a saved export (its kind detected from its content, or named first) into incident files.",
    )
    importer.add_argument("args", nargs="+", metavar="[KIND] FILE", help="optionally a source kind, then the file")
    importer.add_argument("--vendor", required=True)
    importer.add_argument("--since", type=_date_arg, help="skip incidents that started before this date")
    importer.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    importer.add_argument("--link", action="store_true", help="add vendor_refs to matching hand-written files")
    importer.set_defaults(func=cmd_import)

    back = commands.add_parser("backfill", help="import a vendor's whole history from a public archive")
    back.add_argument("file", help="the archive's file (a folder for statuspage-files), checked out at --archive")
    back.add_argument("--vendor", required=True)
    back.add_argument("--archive", required=True, help="the archive as https://github.com/OWNER/NAME@COMMIT")
    back.add_argument("--path", required=True, help="the file's (or folder's) path inside the archive")
    back.add_argument(
        "--format", required=True, choices=ARCHIVE_FORMATS,
        help="the archive's shape",
    )  # fmt: skip
    back.add_argument("--match", help="only incidents whose title or updates match this (e.g. Copilot)")
    back.add_argument("--link", action="store_true", help="add vendor_refs to matching hand-written files")
    back.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    back.set_defaults(func=cmd_backfill)

    collect = commands.add_parser("collect", help="fetch vendors' status data, import it and extend coverage")
    collect.add_argument("--vendor", action="append", help="only this vendor (repeatable)")
    collect.add_argument("--url", help="replace the source URL of the one --vendor (mirrors, tests)")
    collect.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    collect.add_argument(
        "--timeout", type=_positive(float), default=30.0,
        help="seconds for one request, from connecting to the last byte of the body (default 30)",
    )  # fmt: skip
    collect.add_argument(
        "--vendor-budget", type=_positive(float), default=300.0,
        help="seconds for all requests of one vendor, retries included (default 300)",
    )  # fmt: skip
    collect.add_argument(
        "--run-budget", type=_positive(float), default=1800.0,
        help="seconds for the whole run; vendors not reached are reported and not collected (default 1800)",
    )  # fmt: skip
    collect.add_argument("--retries", type=int, default=3, help="retries on 429, 5xx and timeouts (default 3)")
    collect.set_defaults(func=cmd_collect)

    links = commands.add_parser("check-links", help="check every source and postmortem URL; report dead and moved")
    links.add_argument("--timeout", type=_positive(float), default=10.0, help="seconds per request (default 10)")
    links.add_argument("--concurrency", type=_positive(int), default=8, help="parallel requests (default 8)")
    links.add_argument("--retries", type=int, default=2, help="retries on 429, 5xx and timeouts (default 2)")
    links.add_argument("--format", choices=("text", "markdown"), default="text")
    links.set_defaults(func=cmd_check_links)

    stats = commands.add_parser("stats", help="print reliability figures per vendor (and model)")
    stats.add_argument("--vendor", help="one vendor; adds per-model figures")
    stats.add_argument("--model", help="one model of --vendor")
    stats.add_argument("--window", choices=tuple(WINDOWS), default="90d")
    stats.add_argument("--format", choices=("table", "json"), default="table")
    stats.set_defaults(func=cmd_stats)

    notify = commands.add_parser("notify", help="send webhook messages about incidents added or corrected")
    notify.add_argument("--since", required=True, help="the commit last announced (exclusive)")
    notify.add_argument("--until", default="HEAD", help="the commit to announce up to (default HEAD)")
    notify.add_argument(
        "--webhook",
        action="append",
        type=_webhook,
        default=[],
        metavar="KIND=TARGET",
        help="slack|discord|teams|json = a URL or env:NAME; repeatable",
    )
    notify.add_argument("--vendor", action="append", default=[], help="only this vendor (repeatable)")
    notify.add_argument("--model", action="append", default=[], help="only this model (repeatable)")
    notify.add_argument("--min-impact", choices=IMPACTS, default="none", help="only incidents of at least this impact")
    notify.add_argument("--site-url", default="", help="site address for links (default: mkdocs.yml site_url)")
    notify.add_argument("--dry-run", action="store_true", help="print the messages, send nothing")
    notify.set_defaults(func=cmd_notify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
