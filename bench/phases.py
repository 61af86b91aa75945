"""Where a build spends its time: our site and the plain-Material baseline, phase by phase.

    python bench/phases.py --size 3000

A profile that answers "why is the ratio what it is": each MkDocs plugin event and the
page population and rendering steps are timed, for both sites built from the same
synthetic incidents, each in a fresh process. It prints one row per phase with both
times and the difference.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import build as build_site  # noqa: E402
from run import baseline_site, fresh_process, our_site  # noqa: E402

STEPS = ("_populate_page", "_build_page")


def timed_build(root: Path) -> dict[str, float]:
    """Build the site in `root` with every plugin event and page step timed (seconds, inclusive)."""
    import mkdocs.commands.build as build
    import mkdocs.plugins as plugins

    spent: collections.Counter[str] = collections.Counter()
    run_event = plugins.PluginCollection.run_event

    def event(self: plugins.PluginCollection, name: str, item: object = None, **kwargs: object) -> object:
        started = time.perf_counter()
        try:
            return run_event(self, name, item, **kwargs)
        finally:
            spent[f"on_{name}"] += time.perf_counter() - started

    def step(name: str, original: object) -> object:
        def wrapper(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)  # type: ignore[operator]
            finally:
                spent[name] += time.perf_counter() - started

        return wrapper

    plugins.PluginCollection.run_event = event  # type: ignore[method-assign]
    for name in STEPS:
        setattr(build, name, step(name, getattr(build, name)))
    os.chdir(root)
    started = time.perf_counter()
    build_site(root, root / "site")
    spent["total"] = time.perf_counter() - started
    return dict(spent)


def measure(root: Path) -> dict[str, float]:
    return fresh_process(Path(__file__).resolve(), "--measure", str(root))


def table(ours: dict[str, float], plain: dict[str, float]) -> str:
    names = sorted(set(ours) | set(plain), key=lambda n: (n != "total", -ours.get(n, 0.0)))
    lines = [f"{'phase':<22} {'ours s':>8} {'plain s':>8} {'extra s':>8}"]
    for name in names:
        a, b = ours.get(name, 0.0), plain.get(name, 0.0)
        if max(a, b) >= 0.005:
            lines.append(f"{name:<22} {a:>8.2f} {b:>8.2f} {a - b:>8.2f}")
    lines.append("(_build_page includes on_page_context, where Material's search indexes each page)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            try:
                spent = timed_build(args.measure.resolve())
            finally:
                sys.stdout = stdout
        print(json.dumps(spent))
        return
    with tempfile.TemporaryDirectory(prefix="ledger-phases-") as tmp:
        ours, plain = Path(tmp) / "ours", Path(tmp) / "plain"
        baseline_site(plain, our_site(ours, args.size))
        print(table(measure(ours), measure(plain)))


if __name__ == "__main__":
    main()
