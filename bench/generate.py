"""Generate a ledger of N realistic synthetic incidents, for benchmarks only.

Incidents spread over six years, eight vendors and their models, with overlaps,
a few ongoing ones, update timelines and bodies of a few paragraphs. The same
seed always gives the same tree.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

VENDORS = {
    f"vendor{v}": {
        "models": [f"model-{v}-{m}" for m in range(6)],
        "products": {"api": "api", "chat": "chat", "code": "coding"},
    }
    for v in range(8)
}
IMPACTS = ["none", "minor", "minor", "major", "major", "critical"]
STATUSES = ["investigating", "identified", "monitoring", "resolved"]
WORDS = [
    "requests",
    "errors",
    "latency",
    "region",
    "capacity",
    "deploy",
    "rollback",
    "database",
    "cache",
    "load",
    "balancer",
    "network",
    "authentication",
    "model",
    "serving",
    "queue",
    "retries",
    "customers",
    "dashboard",
    "mitigation",
    "monitoring",
    "fix",
    "traffic",
]


def registry_yaml() -> str:
    lines = []
    for vendor, info in VENDORS.items():
        lines += [f"{vendor}:", f"  name: {vendor.title()}", f"  homepage: https://{vendor}.example.com"]
        lines += [f"  status_page: https://status.{vendor}.example.com", "  models:"]
        lines += [f"    {m}: {{name: {m.title()}, released: unknown}}" for m in info["models"]]
        lines += ["  products:"] + [f"    {p}: {{name: {p.title()}, class: {c}}}" for p, c in info["products"].items()]
    return "\n".join(lines) + "\n"


def sources_yaml() -> str:
    return "vendor:\n" + "".join(f"  - status.{vendor}.example.com\n" for vendor in VENDORS)


def coverage_yaml(now: datetime) -> str:
    """A year of coverage per vendor, so availability and the status strips are computed as on a collected ledger."""
    since = (now - timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    until = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = []
    for vendor in VENDORS:
        lines += [
            f"{vendor}:",
            "  - kind: statuspage",
            f"    url: https://status.{vendor}.example.com/api/v2/incidents.json",
            "    basis: generated for benchmarks",
        ]
        lines += ["    covered:", f"      - {{from: {since}, to: {until}}}"]
    return "\n".join(lines) + "\n"


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60))).capitalize() + "."


def incident(rng: random.Random, index: int, now: datetime) -> tuple[str, str]:
    vendor = rng.choice(list(VENDORS))
    info = VENDORS[vendor]
    start = now - timedelta(minutes=rng.randint(60, 6 * 365 * 24 * 60))
    start = start.replace(second=0, microsecond=0)
    ongoing = index % 500 == 0 and start > now - timedelta(days=10)
    end = None if ongoing else start + timedelta(minutes=rng.choice([5, 15, 30, 45, 90, 180, 400, 1200]))
    models = rng.sample(info["models"], rng.randint(1, 2)) if rng.random() < 0.8 else ["all"]
    ident = f"{start:%Y-%m-%d}-{vendor}-incident-{index}"
    updates = []
    at = start + timedelta(minutes=3)
    for status in STATUSES[: rng.randint(1, 4)]:
        if end is not None and status == "resolved":
            at = max(at, end)
        updates.append(f"  - {{at: {at:%Y-%m-%dT%H:%M:%SZ}, status: {status}, text: {paragraph(rng)[:120]}}}")
        at += timedelta(minutes=rng.randint(5, 40))
    front = [
        "---",
        f"title: Elevated {rng.choice(WORDS)} on {vendor.title()} ({index})",
        f"vendor: {vendor}",
        f"model: [{', '.join(models)}]" if models != ["all"] else "model: all",
        f"products: [{rng.choice(list(info['products']))}]",
        f"start: {start:%Y-%m-%dT%H:%M:%SZ}",
        f"end: {end:%Y-%m-%dT%H:%M:%SZ}" if end else "end: null",
        f"impact: {rng.choice(IMPACTS)}",
        "sources:",
        f"  - https://status.{vendor}.example.com/incidents/{index}",
        "symptoms: [elevated-errors]",
        "updates:",
        *updates,
        "---",
    ]
    body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(2, 4)))
    return ident, "\n".join(front) + "\n" + body + "\n"


def generate(root: Path, count: int, now: datetime, seed: int = 7) -> list[Path]:
    """Write `count` incident files, the registry, source classes and coverage under `root/incidents`."""
    rng = random.Random(seed)
    incidents = root / "incidents"
    incidents.mkdir(parents=True, exist_ok=True)
    (incidents / "vendors.yml").write_text(registry_yaml(), encoding="utf-8")
    (incidents / "sources.yml").write_text(sources_yaml(), encoding="utf-8")
    (incidents / "coverage.yml").write_text(coverage_yaml(now), encoding="utf-8")
    paths = []
    for index in range(count):
        ident, text = incident(rng, index, now)
        path = incidents / ident[:4] / f"{ident}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    generate(args.root, args.count, datetime.now(UTC))


if __name__ == "__main__":
    main()
