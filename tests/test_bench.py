"""The benchmark harness runs end to end at a tiny size (a smoke test, not a measurement)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, build_env


def test_bench_runs_at_tiny_sizes(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "8,16", "--out", str(out)],
        capture_output=True,
        text=True,
        env=build_env(),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [row["n"] for row in report["rows"]] == [8, 16]
    for row in report["rows"]:
        assert row["build_s"] > 0 and row["baseline_build_s"] > 0 and row["validate_s"] > 0
        assert row["build_ratio"] == round(row["build_s"] / row["baseline_build_s"], 3)
        assert row["build_peak_mib"] > 0
        assert row["build_worker_peak_mib"] > 0, "the forked feed builder is measured"
        assert row["dirty_rebuild_one_changed_s"] > 0 and row["baseline_dirty_rebuild_one_changed_s"] > 0
        assert row["rebuild_ratio"] == round(row["rebuild_one_changed_s"] / row["baseline_rebuild_one_changed_s"], 3)
    assert report["growth"][0]["from"] == 8 and "validate" in report["growth"][0]
    assert "growth 8->16" in result.stdout


def test_phase_profile_compares_both_sites(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "phases.py"), "--size", "10"],
        capture_output=True,
        text=True,
        env=build_env(),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: [float(v) for v in line.split()[1:]] for line in result.stdout.splitlines()[1:-1]}
    assert {"total", "_build_page", "on_files", "on_config"} <= set(rows)
    ours, plain, extra = rows["total"]
    assert ours > 0 and plain > 0
    assert abs(extra - (ours - plain)) <= 0.011
    assert rows["on_files"][1] < rows["on_files"][0], "the baseline generates no pages"
