"""Release markers, model release sections and the Launches page in a real `mkdocs build --strict`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import SOURCES, Tree, archive_coverage, incident_text, mkdocs_build, run_cli, site_tree

REGISTRY = """\
acme:
  name: Acme AI
  homepage: https://acme.example.com
  status_page: https://status.acme.example.com
  models:
    acme-large: {name: Acme Large, released: 2026-02-01, released_source: "https://acme.example.com/news/large"}
    acme-small: {name: Acme Small, released: 2026-02-20, released_source: "https://acme.example.com/news/small"}
    acme-tiny: {name: Acme Tiny, released: unknown}
    acme-old: {name: Acme Old, released: 2025-10-01, released_source: "https://acme.example.com/news/old"}
  products:
    api: {name: Acme API, class: api}
zeta:
  name: Zeta Labs
  homepage: https://zeta.example.com
  models:
    zeta-one: {name: Zeta One, released: not-released}
  products:
    api: {name: Zeta API, class: api}
"""
DAY = 86400


@pytest.fixture(scope="module")
def launch_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tree, Path]:
    tree = Tree(tmp_path_factory.mktemp("launches"))
    tree.incidents.mkdir()
    (tree.incidents / "vendors.yml").write_text(REGISTRY, encoding="utf-8")
    (tree.incidents / "sources.yml").write_text(SOURCES, encoding="utf-8")
    (tree.incidents / "coverage.yml").write_text(
        archive_coverage({"acme": "2026-11-25T12:00:00Z"}), encoding="utf-8"
    )  # Zeta stays not tracked
    files = {
        "2025-12-01-acme-before.md": {"start": "2025-12-01T08:00:00Z", "end": "2025-12-01T09:00:00Z"},
        "2026-02-03-acme-day-two.md": {"start": "2026-02-03T10:00:00Z", "end": "2026-02-03T12:00:00Z"},
        "2026-02-05-acme-wide.md": {"model": "all", "start": "2026-02-05T00:00:00Z", "end": "2026-02-05T01:00:00Z"},
        "2026-03-10-acme-later.md": {"start": "2026-03-10T00:00:00Z", "end": "2026-03-10T03:00:00Z"},
        "2026-06-01-acme-date-only.md": {
            "start": "2026-06-01T00:00:00Z",
            "end": "2026-06-01T00:00:00Z",
            "time_precision": "day",
        },
        "2026-04-01-zeta-one.md": {
            "vendor": "zeta",
            "model": "zeta-one",
            "sources": "\n  - https://zeta.example.com/status/1",
            "start": "2026-04-01T00:00:00Z",
            "end": "2026-04-01T02:00:00Z",
        },
    }
    for name, fields in files.items():
        tree.add(name, incident_text(title=name.removesuffix(".md")[11:].replace("-", " ").capitalize(), **fields))
    site_tree(tree)
    site = tree.root / "site"
    result = mkdocs_build(tree.root, site)
    assert result.returncode == 0, result.stderr
    return tree, site


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_open_data_carries_release_dates_and_windows(launch_site: tuple[Tree, Path]) -> None:
    _, site = launch_site
    data = json.loads(read(site, "api/vendors.json"))
    acme = next(v for v in data["vendors"] if v["id"] == "acme")
    large = acme["models"]["acme-large"]
    assert (large["released"], large["released_source"], large["release_status"]) == (
        "2026-02-01",
        "https://acme.example.com/news/large",
        "released",
    )
    windows = large["release_windows"]
    assert windows["first_7d"]["incidents"] == 1 and windows["first_7d"]["seconds"] == 7 * DAY
    assert windows["first_7d"]["impacted_seconds"] == 2 * 3600
    assert windows["first_7d"]["vendor_wide"] == 1
    assert windows["first_30d"]["incidents"] == 1
    # day 37 and the date-only incident: counted, but only the timed one has hours
    assert windows["after_30d"]["incidents"] == 2 and windows["after_30d"]["timed"] == 1
    assert windows["after_30d"]["impacted_seconds"] == 3 * 3600
    assert windows["started_before_release"] == 1
    assert acme["models"]["acme-tiny"] == {
        "name": "Acme Tiny",
        "released": None,
        "released_source": None,
        "release_status": "unknown",
        "release_windows": None,
    }
    zeta = next(v for v in data["vendors"] if v["id"] == "zeta")
    assert zeta["models"]["zeta-one"]["release_status"] == "not-released"
    launches = acme["launches"]
    # windows [02-01, 03-03) and [02-20, 03-22) overlap: their union is 49 days
    assert launches["releases"] == 2 and launches["overlapping_releases"] == 2
    assert launches["after_release"]["seconds"] == 49 * DAY
    assert launches["after_release"]["incidents"] == 2 and launches["after_release"]["vendor_wide"] == 1
    assert launches["outside"]["incidents"] == 2
    assert launches["observed"] == [{"from": "2025-11-01T00:00:00Z", "to": "2026-11-25T12:00:00Z"}]
    ratio = launches["rate_ratio"]
    outside_seconds = launches["outside"]["seconds"]
    assert ratio["ratio"] == pytest.approx((2 / (49 * DAY)) / (2 / outside_seconds))
    assert ratio["low"] < ratio["ratio"] < ratio["high"] and ratio["excludes_1"] is False
    pooled = data["launches"]["pooled"]
    assert pooled["vendors"] == ["acme"] and pooled["rate_ratio"]["ratio"] == pytest.approx(ratio["ratio"])
    assert [s["window_days"] for s in data["launches"]["sensitivity"]] == [7, 14, 30]
    assert data["launches"]["untracked_vendors"] == {"zeta": 1}
    assert next(v for v in data["vendors"] if v["id"] == "zeta")["launches"] is None


def test_stats_json_matches_open_data(launch_site: tuple[Tree, Path]) -> None:
    tree, site = launch_site
    result = run_cli("stats", "--format", "json", cwd=tree.root)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    data = json.loads(read(site, "api/vendors.json"))
    acme = next(v for v in data["vendors"] if v["id"] == "acme")
    row = next(v for v in report["vendors"] if v["vendor"] == "acme")
    assert row["releases"] == acme["models"]
    assert row["launches"] == acme["launches"]
    assert report["launches"] == data["launches"]
    assert "release_windows" in report["units"]


def test_release_markers_on_timeline_and_vendor_page(launch_site: tuple[Tree, Path]) -> None:
    _, site = launch_site
    timeline = read(site, "timeline/index.html")
    markers = re.findall(r'<li class="il-timeline__item il-timeline__release">(.*?)</li>', timeline)
    assert len(markers) == 2
    assert "2026-02-01" in markers[1] and 'href="../vendors/acme/acme-large/"' in markers[1]
    assert "2026-02-20" in markers[0] and 'href="../vendors/acme/acme-small/"' in markers[0]  # dated: a page
    february = timeline.split('id="february-2026"')[1].split("<h3")[0]
    assert february.index("Acme day two") < february.index("2026-02-01")  # newest first, marker among incidents
    vendor = read(site, "vendors/acme/index.html")
    assert vendor.count('<g class="il-marker">') == 3  # Acme Old too, though before the first incident
    assert "<title>Acme Large released 2026-02-01</title>" in vendor
    assert 'href="https://acme.example.com/news/small"' in vendor
    assert "No model of Zeta Labs has a sourced release date" in read(site, "vendors/zeta/index.html")


def test_model_page_release_section(launch_site: tuple[Tree, Path]) -> None:
    _, site = launch_site
    text = read(site, "vendors/acme/acme-large/index.html")
    section = text.split('id="release"')[1].split('id="last-90-days"')[0]
    assert '<time datetime="2026-02-01">2026-02-01</time>' in section
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>', section)
    cells = {label: re.findall(r"<td>([^<]*)</td>", tds) for label, tds in rows}
    assert cells["First 7 days"] == ["7.0", "1", "1.00", "1", "2.0", "2.00"]
    assert cells["Day 30 onward"][1] == "2" and cells["Day 30 onward"][4] == "3.0 (1 timed)"
    days = dict(re.findall(r'<td data-day="(-?\d+)">[^<]*</td><td><a href="[^"]+">([^<]+)</a>', section))
    assert days["2"] == "Acme day two" and days["37"] == "Acme later"
    assert "-62" not in days and "Acme before" not in section  # nothing before the release is listed on its page
    assert "1 incident(s) naming this model started before its release" in section
    assert "never generally released" in read(site, "vendors/zeta/zeta-one/index.html")


def test_launches_page(launch_site: tuple[Tree, Path]) -> None:
    _, site = launch_site
    text = read(site, "vendors/launches/index.html")
    nav = text.split('class="md-content"')[0]
    assert re.search(r'href="\./"[^>]*>\s*<span class="md-ellipsis">\s*Launches', nav)
    assert '<svg class="il-chart"' in text and 'role="img"' in text and "no difference" in text
    assert "n = 2 / 1, 2 releases" in text  # the chart says what each ratio rests on
    verdict = text.split('class="il-verdict"><strong>')[1].split("</strong>")[0]
    assert verdict.startswith("The data cannot tell the rates apart once growth over time is allowed for")
    assert "2 releases, 2 incidents after and 1 before" in verdict and "nan" not in verdict
    for caveat in ("Covered time only", "Counted by start", "Intervals", "crude rows are confounded", "Placebo"):
        assert caveat in text
    acme = text.split('<a href="../acme/">Acme AI</a>')[1].split("</tbody>")[0]
    assert "<td>30 days after a release</td><td>2</td><td>7.0</td><td>0.29</td>" in acme
    sensitivity = text.split('class="il-compare il-sensitivity"')[1].split("</table>")[0]
    assert [d for d in re.findall(r'<th scope="row">(\d+) days</th>', sensitivity)] == ["7", "14", "30"]
    assert "Confirmed incidents naming a model recorded so far: Zeta Labs 1." in text
    assert "1 model(s) have no sourced date and are left out: Acme Tiny" in text
    assert "Release date not sourced yet: Acme Tiny." in text
    assert "Never generally released: Zeta One." in text


def test_unobserved_periods_read_not_tracked(launch_site: tuple[Tree, Path]) -> None:
    """Acme Old was released a month before Acme's coverage begins: its first 7 and 30 days were never
    observed, so they read "not tracked", never 0, on its page and on the Launches page."""
    _, site = launch_site
    old = read(site, "vendors/acme/acme-old/index.html").split('id="release"')[1].split('id="last-90-days"')[0]
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', old))
    for period in ("First 7 days", "First 30 days"):
        assert "not tracked: no covered time in this period" in rows[period]
    assert "not tracked" not in rows["Day 30 onward"]
    launches = read(site, "vendors/launches/index.html")
    row = launches.split('href="../acme/acme-old/">Acme Old</a>')[1].split("</tr>")[0]
    assert row.count("<td>not tracked</td>") == 2 and "<td>0</td>" not in row
