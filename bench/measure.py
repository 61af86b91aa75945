"""One measurement in a fresh process; prints JSON with seconds and peak memory (KiB).

Peak memory is the build process's own; `worker_peak_kib` is its largest child process
(the forked feed builder or validation workers, or git), whose pages are largely shared copy-on-write.

python bench/measure.py build DIR      our full `mkdocs build` of the site in DIR
python bench/measure.py rebuild DIR    builds again in the same process after each of three edits to one
                                       incident, as `mkdocs serve` does (the plugin keeps its parse cache);
                                       the median of the three rebuilds
python bench/measure.py rebuild-dirty DIR  the same as `mkdocs serve --dirty`: unchanged pages are reused
python bench/measure.py validate DIR   `incident-ledger validate` on DIR/incidents
python bench/measure.py parse DIR      baseline: read every file, parse front matter with the C loader
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path


def build(root: Path, site: Path) -> None:
    from mkdocs.commands.build import build as run_build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    run_build(config)


REBUILDS = 3


def rebuild(root: Path, site: Path, dirty: bool) -> float:
    from mkdocs.commands.build import build as run_build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=dirty)
    run_build(config, dirty=dirty)
    # Our site keeps incidents beside docs/; the plain-Material baseline has them as pages under docs/.
    touched = next((root / "incidents").glob("*/*.md"), None) or next((root / "docs" / "incidents").glob("*/*.md"))
    seconds = []
    for edit in range(REBUILDS):
        touched.write_text(touched.read_text(encoding="utf-8") + f"\nEdit {edit}.\n", encoding="utf-8")
        again = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
        again.plugins = config.plugins  # serve keeps plugin instances that define on_startup
        started = time.perf_counter()
        run_build(again, dirty=dirty)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def parse(root: Path) -> int:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    count = 0
    for path in sorted((root / "incidents").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---\n", 1)[0].removeprefix("---\n")
        count += bool(yaml.load(front, Loader=loader))
    return count


def main() -> None:
    mode, root = sys.argv[1], Path(sys.argv[2]).resolve()
    os.chdir(root)
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        if mode == "build":
            build(root, root / "site")
        elif mode in ("rebuild", "rebuild-dirty"):
            seconds = rebuild(root, root / "site", dirty=mode == "rebuild-dirty")
        elif mode == "validate":
            from incident_ledger.cli import main as cli

            if cli(["--root", str(root / "incidents"), "validate", "--format", "json"]) > 1:
                raise SystemExit("validate failed")
        elif mode == "parse":
            parse(root)
        else:
            raise SystemExit(f"unknown mode {mode}")
    if not mode.startswith("rebuild"):
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"mode": mode, "seconds": seconds, "peak_kib": peak, "worker_peak_kib": worker}))


if __name__ == "__main__":
    main()
