"""Benchmark the ledger against plain Material and a bare YAML loop, measured in the same run.

    python bench/run.py [--sizes 100,300,1000,3000] [--repeat 3] [--out bench/results/latest.json]

For each size N it generates N synthetic incidents and measures, each in a fresh process:
our full `mkdocs build`; plain Material building N equivalent pages kept out of the nav
(same theme and plugins, minus ours); `incident-ledger validate` against a loop that only
reads the files and parses their front matter with PyYAML's C loader; peak memory of both
builds; and serve-style rebuilds after editing one incident (one page of the baseline), plain and
with `--dirty` (the median of three edits in one process), for both sites. It prints a table, the
ours/baseline ratios and the growth exponents between sizes, and writes them as JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def our_site(root: Path, count: int) -> list[Path]:
    files = generate(root, count, NOW)
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return files


def baseline_site(root: Path, incidents: list[Path]) -> None:
    """Plain Material: the same theme and search plugin, N Markdown pages out of the nav."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - incident-ledger:\n      incidents_dir: incidents\n      feed_size: 50\n", "")
    config = config.replace("  custom_dir: overrides\n", "")
    config = config[: config.index("nav:")] + 'not_in_nav: "/incidents/"\nnav:\n  - Home: index.md\n'
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Baseline\n\nPlain pages.\n", encoding="utf-8")
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets")
    for path in incidents:
        text = path.read_text(encoding="utf-8")
        front, body = text.split("\n---\n", 1)
        title = next(line[7:] for line in front.splitlines() if line.startswith("title: "))
        target = root / "docs" / "incidents" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        pairs = (line.split(":", 1) for line in front.splitlines()[2:9])
        facts = "\n".join(f"| {name} | {value.strip()} |" for name, value in pairs)
        target.write_text(f"# {title}\n\n| Field | Value |\n|---|---|\n{facts}\n\n{body}", encoding="utf-8")


def fresh_process(script: Path, *args: str) -> dict[str, float]:
    """Run one measuring script in a new interpreter, at the fixed reference time; its last line is JSON."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(NOW.timestamp())), "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{script.name} {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(mode: str, root: Path, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        shutil.rmtree(root / "site", ignore_errors=True)
        runs.append(fresh_process(HERE / "measure.py", mode, str(root)))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mib": max(r["peak_kib"] for r in runs) / 1024,
        "worker_peak_mib": max(r["worker_peak_kib"] for r in runs) / 1024,
    }


def exponent(small: tuple[int, float], large: tuple[int, float]) -> float:
    return math.log(large[1] / small[1]) / math.log(large[0] / small[0])


def run(sizes: list[int], repeat: int, workdir: Path) -> dict[str, object]:
    rows = []
    for size in sizes:
        ours, plain = workdir / f"ours-{size}", workdir / f"plain-{size}"
        files = our_site(ours, size)
        baseline_site(plain, files)
        row = {"n": size}
        for key, mode, root in (
            ("build", "build", ours),
            ("baseline_build", "build", plain),
            ("validate", "validate", ours),
            ("baseline_parse", "parse", ours),
            ("rebuild_one_changed", "rebuild", ours),
            ("baseline_rebuild_one_changed", "rebuild", plain),
            ("dirty_rebuild_one_changed", "rebuild-dirty", ours),
            ("baseline_dirty_rebuild_one_changed", "rebuild-dirty", plain),
        ):
            result = measure(mode, root, repeat)
            row[f"{key}_s"] = round(result["seconds"], 3)
            if key in ("build", "baseline_build"):
                row[f"{key}_peak_mib"] = round(result["peak_mib"], 1)
                row[f"{key}_worker_peak_mib"] = round(result["worker_peak_mib"], 1)
        row["build_ratio"] = round(row["build_s"] / row["baseline_build_s"], 3)
        row["validate_ratio"] = round(row["validate_s"] / row["baseline_parse_s"], 3)
        row["rebuild_ratio"] = round(row["rebuild_one_changed_s"] / row["baseline_rebuild_one_changed_s"], 3)
        row["dirty_rebuild_ratio"] = round(
            row["dirty_rebuild_one_changed_s"] / row["baseline_dirty_rebuild_one_changed_s"], 3
        )
        rows.append(row)
        print(json.dumps(row), flush=True)
    growth = [
        {
            "from": a["n"],
            "to": b["n"],
            "build": round(exponent((a["n"], a["build_s"]), (b["n"], b["build_s"])), 3),
            "baseline_build": round(exponent((a["n"], a["baseline_build_s"]), (b["n"], b["baseline_build_s"])), 3),
            "validate": round(exponent((a["n"], a["validate_s"]), (b["n"], b["validate_s"])), 3),
            "build_memory": round(exponent((a["n"], a["build_peak_mib"]), (b["n"], b["build_peak_mib"])), 3),
        }
        for a, b in itertools.pairwise(rows)
    ]
    return {"python": sys.version.split()[0], "cpus": os.cpu_count(), "repeat": repeat, "rows": rows, "growth": growth}


def table(report: dict[str, object]) -> str:
    head = f"{'N':>6} {'ours s':>8} {'plain s':>8} {'ratio':>6} {'ours MiB':>9} {'plain MiB':>9} "
    head += f"{'validate s':>10} {'parse s':>8} {'ratio':>6} {'rebuild s':>9} {'plain':>6} {'ratio':>6} "
    head += f"{'dirty s':>8} {'plain':>6} {'ratio':>6}"
    lines = [head]
    for r in report["rows"]:  # type: ignore[union-attr]
        lines.append(
            f"{r['n']:>6} {r['build_s']:>8.2f} {r['baseline_build_s']:>8.2f} {r['build_ratio']:>6.2f} "
            f"{r['build_peak_mib']:>9.1f} {r['baseline_build_peak_mib']:>9.1f} {r['validate_s']:>10.2f} "
            f"{r['baseline_parse_s']:>8.2f} {r['validate_ratio']:>6.2f} {r['rebuild_one_changed_s']:>9.2f} "
            f"{r['baseline_rebuild_one_changed_s']:>6.2f} {r['rebuild_ratio']:>6.2f} "
            f"{r['dirty_rebuild_one_changed_s']:>8.2f} {r['baseline_dirty_rebuild_one_changed_s']:>6.2f} "
            f"{r['dirty_rebuild_ratio']:>6.2f}"
        )
    for g in report["growth"]:  # type: ignore[union-attr]
        lines.append(
            f"growth {g['from']}->{g['to']}: build n^{g['build']}, plain n^{g['baseline_build']}, "
            f"validate n^{g['validate']}, memory n^{g['build_memory']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,300,1000,3000")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as tmp:
        report = run(sizes, args.repeat, Path(tmp))
    print(table(report))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
