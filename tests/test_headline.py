"""Headline figures (product availability per class, model availability over its life, rates) on a
hand-made ledger whose expected values are worked out here by hand, not by the code under test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from incident_ledger.ledger.catalog import Catalog
from incident_ledger.ledger.coverage import Coverage, SourceCoverage
from incident_ledger.ledger.headline import episodes, latest_year
from incident_ledger.ledger.model import Incident, ModelInfo, Registry, Source, Vendor
from incident_ledger.ledger.rates import garwood
from incident_ledger.ledger.summary import model_incidents, stats_report, vendor_figures, vendor_headline

NOW = datetime(2026, 6, 1, tzinfo=UTC)
HOUR = 3600.0
DAY = 86400.0
# Covered: January and February, then 10 March to 1 April (a nine-day gap in between): 59 + 22 days.
SPANS = (
    (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),
    (datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)),
)
COVERED_DAYS = 59 + 22


def t(day: str, hour: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def incident(
    ident: str,
    start: datetime,
    end: datetime | None,
    impact: str = "major",
    products: tuple[str, ...] = ("api",),
    models: tuple[str, ...] = (),
    wide: bool = True,
    **extra: object,
) -> Incident:
    return Incident(
        id=ident,
        path=f"incidents/2026/{ident}.md",
        title=ident,
        vendor="acme",
        models=models,
        all_models=wide and not models,
        start=start,
        end=end,
        impact=impact,
        sources=(Source("https://status.acme.example.com/x"),),
        body="",
        products=products,
        **{"evidence": "vendor", **extra},  # type: ignore[arg-type]
    )


INCIDENTS = (
    incident("a", t("2026-01-10", 0), t("2026-01-10", 2), "critical"),
    incident("b", t("2026-01-10", 1), t("2026-01-10", 5)),  # under `a` for an hour: that hour is critical
    incident("c", t("2026-02-20", 0), t("2026-02-20", 10), "critical", models=("acme-large",)),
    incident("d", t("2026-01-20", 0), t("2026-01-20", 1), products=("chat",), wide=False),  # unspecified
    incident("e", t("2026-03-05", 0), t("2026-03-05", 3), products=()),  # in the coverage gap
    incident("f", t("2026-03-31", 23), t("2026-04-01", 2), products=()),  # default class, one hour inside
    incident("g", t("2026-01-15", 0), t("2026-01-15", 9), "minor"),
    incident("h", t("2026-01-25"), t("2026-01-25"), time_precision="day"),
    incident("i", t("2026-01-12", 0), t("2026-01-12", 20), "critical", evidence="community"),
    incident("k", t("2026-03-20", 0), t("2026-03-20", 1), "minor", models=("acme-small",)),
)


def catalog(incidents: tuple[Incident, ...] = INCIDENTS) -> Catalog:
    vendor = Vendor(
        "acme",
        "Acme",
        "https://acme.example.com",
        None,
        models={
            "acme-large": ModelInfo("acme-large", "Acme Large", date(2026, 2, 15), "https://acme.example.com/r"),
            "acme-small": ModelInfo("acme-small", "Acme Small"),
        },
        products={"api": "API", "chat": "Chat", "console": "Console"},
        product_classes={"api": "api", "chat": "chat", "console": "other"},
        default_class="api",
    )
    source = SourceCoverage("statuspage", "https://status.acme.example.com/history.atom", spans=SPANS)
    return Catalog(incidents, Registry({"acme": vendor}), NOW, Coverage({"acme": (source,)}))


def test_the_window_is_the_last_year_of_coverage_not_of_the_calendar() -> None:
    window = latest_year(list(SPANS), NOW)
    assert window is not None
    assert window.end == datetime(2026, 4, 1, tzinfo=UTC)
    assert window.start == datetime(2025, 4, 1, tzinfo=UTC)
    assert latest_year([], NOW) is None


def test_api_availability_counts_whole_product_incidents_in_covered_time_with_the_higher_level_winning() -> None:
    h = vendor_headline(catalog(), "acme")
    api = h.classes["api"]
    covered = COVERED_DAYS * DAY
    # a + b: 5 h (2 h critical, 3 h major only); f: 1 h inside the window; c names a model; e lies in the gap.
    assert api.basis.covered_seconds == covered
    assert api.severe_seconds == 6 * HOUR
    assert api.critical_seconds == 2 * HOUR
    assert api.value == pytest.approx(1 - 6 * HOUR / covered)
    assert api.weighted == pytest.approx(1 - (2 * HOUR + 0.3 * 4 * HOUR) / covered)
    assert (api.basis.incidents, api.basis.date_only) == (3, 1)
    assert h.from_default == 2


def test_chat_counts_an_unspecified_incident_and_a_class_without_products_has_no_figure() -> None:
    h = vendor_headline(catalog(), "acme")
    chat = h.classes["chat"]
    assert chat.value == pytest.approx(1 - HOUR / (COVERED_DAYS * DAY))
    assert chat.weighted == pytest.approx(1 - 0.3 * HOUR / (COVERED_DAYS * DAY))
    assert chat.basis.incidents == 1
    assert "coding" not in h.classes and "severe_coding" not in h.rates
    assert h.products == {"api": 1, "chat": 1, "coding": 0}


def test_severe_rate_per_30_covered_days_with_garwood_interval_and_episodes() -> None:
    severe = vendor_headline(catalog(), "acme").rates["severe"]
    # Started in covered time, confirmed, severe: a, b, c, d, f and the date-only h (e is in the gap, i unconfirmed).
    periods = COVERED_DAYS / 30
    assert severe.basis.incidents == 6
    assert severe.basis.date_only == 1
    assert severe.per_30d == pytest.approx(6 / periods)
    assert severe.low == pytest.approx(2.2019 / periods, abs=1e-3)
    assert severe.high == pytest.approx(13.0594 / periods, abs=1e-3)
    assert severe.episodes == 5  # a and b overlap


@pytest.mark.parametrize(
    ("n", "low", "high"),
    # Garwood (1936) limits as tabulated, e.g. Ulm (1990), Am. J. Epidemiol. 131(2):373-375.
    [(0, 0.0, 3.6889), (1, 0.0253, 5.5716), (2, 0.2422, 7.2247), (5, 1.6235, 11.6683), (10, 4.7954, 18.3904),
     (100, 81.3640, 121.6268)],
)  # fmt: skip
def test_garwood_matches_published_tables(n: int, low: float, high: float) -> None:
    found = garwood(n)
    assert found[0] == pytest.approx(low, abs=1e-4)
    assert found[1] == pytest.approx(high, abs=1e-4)


def test_one_event_posted_as_five_records_is_one_episode() -> None:
    five = tuple(incident(f"m{n}", t("2026-01-05", n), t("2026-01-05", n + 2), models=(f"acme-{n}",)) for n in range(5))
    apart = incident("later", t("2026-01-06", 0), t("2026-01-06", 1))
    assert episodes([*five, apart], NOW) == 2
    assert episodes(five[:1], NOW) == 1
    assert episodes([], NOW) == 0


def test_a_model_released_mid_window_counts_only_its_life() -> None:
    cat = catalog()
    h = vendor_headline(cat, "acme", "acme-large")
    life_days = 14 + 22  # 15 Feb to 1 Mar, 10 Mar to 1 Apr
    assert h.model is not None
    assert h.life_start == datetime(2026, 2, 15, tzinfo=UTC)
    assert h.model.basis.covered_seconds == life_days * DAY
    assert h.model.value == pytest.approx(1 - 11 * HOUR / (life_days * DAY))  # c 10 h, f 1 h; a and b came before
    listed = model_incidents(cat, "acme", "acme-large")
    assert {i.id for i in listed} == {"c", "e", "f"}  # a, b, g, h, i came before the release
    assert all(i.start >= h.life_start for i in listed)
    figures = vendor_figures(cat, "acme", "all", "acme-large")
    assert figures.incidents == 2  # c and f; e started in the coverage gap
    assert figures.largest_severe_id == "c"


def test_a_model_without_a_release_date_lives_from_its_first_named_incident_and_short_lives_have_no_figure() -> None:
    h = vendor_headline(catalog(), "acme", "acme-small")
    assert h.life_start == t("2026-03-20")
    assert h.model is not None and h.model.value is None
    assert h.model.basis.covered_seconds == 12 * DAY


def test_a_vendor_never_watched_has_no_figures() -> None:
    bare = Catalog(INCIDENTS, catalog().registry, NOW, Coverage())
    h = vendor_headline(bare, "acme")
    assert h.coverage_end is None
    assert h.classes["api"].value is None
    assert h.rates["severe"].per_30d is None and h.rates["severe"].basis.incidents == 0


def test_stats_json_carries_each_figure_with_n_covered_time_and_dates() -> None:
    report = stats_report(catalog(), "acme", "acme-large", "365d")
    head = report["vendors"][0]["headline"]
    assert head["window_start"] == "2025-04-01T00:00:00Z" and head["window_end"] == "2026-04-01T00:00:00Z"
    api = head["classes"]["api"]
    assert (api["n"], api["covered_seconds"], api["date_only_left_out"]) == (3, COVERED_DAYS * DAY, 1)
    assert api["availability"] == pytest.approx(1 - 6 * HOUR / (COVERED_DAYS * DAY))
    assert head["rates"]["severe"]["n"] == 6 and head["rates"]["severe"]["episodes"] == 5
    assert head["rates"]["severe"]["date_only_included"] == 1 and "date_only_left_out" not in head["rates"]["severe"]
    model = report["vendors"][0]["models"][0]["headline"]
    assert model["life_start"] == "2026-02-15T00:00:00Z"
    assert model["model_availability"]["window_start"] == "2026-02-15T00:00:00Z"
    assert timedelta(seconds=model["model_availability"]["covered_seconds"]) == timedelta(days=36)


def test_counts_and_durations_rest_only_on_incidents_that_start_in_covered_time() -> None:
    cat = catalog()
    whole = vendor_figures(cat, "acme", "all")
    # Confirmed, started inside coverage: a, b, c, d, f, g, h, k; e (gap) and i (unconfirmed) are not.
    assert whole.incidents == 8
    assert whole.by_impact == {"none": 0, "minor": 2, "major": 4, "critical": 2}
    assert whole.date_only == 1
    # Timed: a+b (0-5 h) is one episode of 5 h; c 10 h, d 1 h, f 3 h, g 9 h, k 1 h.
    assert whole.episodes == 6
    assert whole.episode_median_seconds == pytest.approx(4 * HOUR)  # between 3 h and 5 h
    recent = vendor_figures(cat, "acme", "30d")  # 2 May to 1 June: nobody watched
    assert (recent.incidents, recent.covered_seconds, recent.median_seconds) == (0, 0, None)


def test_impacted_hours_leave_informational_notices_out() -> None:
    notice = incident("n", t("2026-01-03", 0), t("2026-01-03", 6), "none")
    minor = incident("m", t("2026-01-04", 0), t("2026-01-04", 2), "minor")
    figures = vendor_figures(catalog((notice, minor)), "acme", "all")
    assert figures.incidents == 2
    assert figures.impacted_seconds == 2 * HOUR
