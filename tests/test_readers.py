"""Status-data readers: each recorded-shape fixture reads to exact records, and bad input is a clear ExportError."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_ledger.sources.readers.azure import impact_window, read_azure
from incident_ledger.sources.readers.feed import read_atom, read_betterstack
from incident_ledger.sources.readers.google_cloud import IMPACT_TABLE, impact_of, read_google_cloud
from incident_ledger.sources.readers.instatus import instatus_time, read_instatus
from incident_ledger.sources.readers.record import ExportError, VendorIncident

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://status.acme.example.com"
Reader = Callable[[bytes, str], list[VendorIncident]]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def read(reader: Reader, name: str) -> dict[str, VendorIncident]:
    records = reader((FIXTURES / name).read_bytes(), BASE)
    by_id = {record.id: record for record in records}
    assert len(by_id) == len(records), "ids must be unique"
    return by_id


def statuses(record: VendorIncident) -> list[str]:
    return [update.status for update in record.updates]


# -- Google Cloud -----------------------------------------------------------------------


def test_google_cloud_fixture() -> None:
    records = read(read_google_cloud, "google-cloud/incidents.json")
    assert list(records) == [
        "Vx3kTq8LmN2pR5sW7yZa",
        "gN7cYw2QhU4eKb9DfR1s",
        "pQ4rS6tU8vW0xY2zA1bC",
        "hJ5kL7mN9pQ1rS3tU5vW",
        "aB2cD4eF6gH8iJ0kL2mN",
    ]
    gemini = records["gN7cYw2QhU4eKb9DfR1s"]
    assert gemini.ref_source == "google-cloud"
    assert gemini.title == "Vertex Gemini API returned elevated 503 errors for gemini-2.5-pro in us-central1"
    assert gemini.url == "https://status.cloud.google.com/incidents/gN7cYw2QhU4eKb9DfR1s"
    assert (gemini.start, gemini.end, gemini.resolved) == (at("2026-09-22T14:05"), at("2026-09-22T16:47"), True)
    assert (gemini.impact, gemini.impact_vendor) == ("critical", "SERVICE_OUTAGE/high")
    assert gemini.components == ("Vertex Gemini API", "Vertex AI Online Prediction")
    assert [u.at for u in gemini.updates] == [
        at("2026-09-22T14:31:44"),
        at("2026-09-22T15:20:10"),
        at("2026-09-22T16:55:02"),
    ]
    assert statuses(gemini) == ["", "", "resolved"]
    assert gemini.updates[1].text == (
        "Summary: Vertex Gemini API returned elevated 503 errors Description: Our engineers have identified "
        "a capacity issue and are rolling out a mitigation."
    )
    assert "[" not in gemini.updates[2].text and "Vertex AI documentation for retry" in gemini.updates[2].text

    bigquery = records["Vx3kTq8LmN2pR5sW7yZa"]
    assert (bigquery.end, bigquery.resolved, bigquery.impact) == (None, False, "major")
    assert bigquery.components == ("Google BigQuery",)
    assert statuses(bigquery) == ["", ""]
    assert "**" not in bigquery.updates[1].text and "`" not in bigquery.updates[1].text
    assert [records[i].impact for i in ("pQ4rS6tU8vW0xY2zA1bC", "hJ5kL7mN9pQ1rS3tU5vW", "aB2cD4eF6gH8iJ0kL2mN")] == [
        "minor",
        "major",
        "none",
    ]
    assert records["aB2cD4eF6gH8iJ0kL2mN"].impact_vendor == "SERVICE_INFORMATION/low"


@pytest.mark.parametrize("severity", ["high", "medium", "low", ""])
def test_google_outage_never_grades_below_disruption(severity: str) -> None:
    scale = ["none", "minor", "major", "critical"]
    outage, disruption = impact_of("SERVICE_OUTAGE", severity), impact_of("SERVICE_DISRUPTION", severity)
    assert outage is not None and disruption is not None
    assert scale.index(outage) >= scale.index(disruption)
    assert impact_of("SERVICE_INFORMATION", severity) == "none"


def test_google_impact_table() -> None:
    assert impact_of("SERVICE_OUTAGE", "high") == "critical"
    assert impact_of("service_outage", "MEDIUM") == "major"
    assert impact_of("SERVICE_DISRUPTION", "high") == "major"
    assert impact_of("SERVICE_DISRUPTION", "low") == "minor"
    assert impact_of("SERVICE_WHATEVER", "high") is None
    assert len(IMPACT_TABLE) == 9


# -- Azure ------------------------------------------------------------------------------


def test_azure_fixture() -> None:
    records = read(read_azure, "azure/feed.xml")
    assert list(records) == ["KT4R-9ZQ", "VM7P-2LD", "FD2N-8XK"]
    openai = records["KT4R-9ZQ"]
    assert openai.ref_source == "azure"
    assert openai.url == "https://azure.status.microsoft/en-us/status/history/?trackingId=KT4R-9ZQ"
    assert (openai.start, openai.end, openai.resolved) == (at("2026-11-10T14:05"), at("2026-11-10T16:50"), True)
    assert (openai.impact, openai.impact_vendor) == (None, None)
    assert openai.components == ("Azure OpenAI Service",)
    assert [(u.at, u.status) for u in openai.updates] == [(at("2026-11-13T18:20"), "resolved")]
    assert "What went wrong and why? A configuration change" in openai.updates[0].text
    assert "Tracking ID: KT4R-9ZQ" in openai.updates[0].text  # everything of the item is kept

    vms = records["VM7P-2LD"]
    assert (vms.start, vms.end, vms.resolved) == (at("2026-11-13T10:15"), None, False)
    assert vms.components == ("Virtual Machines",)
    assert statuses(vms) == [""]

    front_door = records["FD2N-8XK"]
    assert (front_door.start, front_door.end, front_door.resolved) == (
        at("2026-11-08T21:10"),
        at("2026-11-08T22:05"),
        True,
    )
    assert front_door.components == ("Azure Front Door",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Between 23:10 UTC on 31 Dec 2026 and 01:05 UTC on 01 Jan 2027, x", ("2026-12-31T23:10", "2027-01-01T01:05")),
        ("between 09:51 UTC and 12:30 UTC on 29 July 2026", ("2026-07-29T09:51", "2026-07-29T12:30")),
        ("Between 14:00 and 16:30 UTC on 1 Sept 2026", ("2026-09-01T14:00", "2026-09-01T16:30")),
        ("Between 16:00 UTC and 14:00 UTC on 01 Jan 2026", None),  # ends before it starts: not a window
        ("Between 14:00 UTC on 31 Feb 2026 and 15:00 UTC on 31 Feb 2026", None),
        ("Starting at 09:40 UTC on 13 Nov 2026, customers may see errors", None),
    ],
)
def test_azure_impact_window(text: str, expected: tuple[str, str] | None) -> None:
    assert impact_window(text) == (tuple(at(t) for t in expected) if expected else None)


# -- Statuspage history feeds ------------------------------------------------------------


def test_statuspage_atom_fixture() -> None:
    records = read(read_atom, "atom/history.atom")
    assert list(records) == ["q7txxvbsftgq", "k2m4n6p8r0st", "m1n2t3e4n5ce"]
    large = records["q7txxvbsftgq"]
    assert large.ref_source == "statuspage"
    assert large.title == "Elevated errors on Acme Large"
    assert large.url == "https://status.acme.example.com/incidents/q7txxvbsftgq"
    assert (large.start, large.end, large.resolved) == (at("2026-09-10T14:12"), at("2026-09-10T15:55"), True)
    assert (large.impact, large.impact_vendor, large.maintenance) == (None, None, False)
    assert large.components == ("Acme API (api.acme.example.com)", "Chat app")
    assert statuses(large) == ["investigating", "monitoring", "resolved"]
    assert large.updates[0].text == "We are investigating elevated error rates for Acme Large on the API."
    assert large.updates[1].text == "A fix has been implemented and we are monitoring the results."

    new_year = records["k2m4n6p8r0st"]  # "Dec 31" in an entry published on 1 January is last year's
    assert [u.at for u in new_year.updates] == [at("2025-12-31T23:50"), at("2026-01-01T00:40")]
    assert (new_year.start, new_year.end, new_year.resolved) == (at("2025-12-31T23:50"), None, False)
    assert statuses(new_year) == ["investigating", "identified"]

    maintenance = records["m1n2t3e4n5ce"]
    assert maintenance.maintenance is True
    assert statuses(maintenance) == ["", ""]
    assert (maintenance.start, maintenance.end, maintenance.resolved) == (
        at("2025-12-20T06:00"),
        at("2025-12-20T08:00"),
        True,
    )


def test_statuspage_rss_fixture() -> None:
    records = read(read_atom, "atom/history.rss")
    assert list(records) == ["q7txxvbsftgq"]
    record = records["q7txxvbsftgq"]
    assert (record.start, record.end, record.resolved) == (at("2026-09-10T14:12"), at("2026-09-10T15:55"), True)
    assert statuses(record) == ["investigating", "resolved"]


def test_statuspage_feed_local_zone() -> None:
    entry = (FIXTURES / "atom/history.rss").read_bytes().replace(b"15:55&lt;/var&gt; UTC", b"08:55&lt;/var&gt; PDT")
    record = read_atom(entry, BASE)[0]
    assert record.end == at("2026-09-10T15:55")


# -- Better Stack -----------------------------------------------------------------------


def test_betterstack_fixture() -> None:
    records = read(read_betterstack, "betterstack/feed.rss")
    assert list(records) == ["98765", "98801", "4321"]
    latency = records["98765"]
    assert latency.ref_source == "betterstack"
    assert latency.title == "Acme Large API latency"
    assert latency.url == "https://status.acme.example.com/incidents/98765"
    assert (latency.start, latency.end, latency.resolved) == (at("2026-10-12T10:30"), at("2026-10-12T11:45"), True)
    assert latency.impact is None
    assert statuses(latency) == ["investigating", "identified", "resolved"]
    assert latency.updates[2].text == "Latency is back to normal. All services are operational."

    chat = records["98801"]
    assert (chat.end, chat.resolved, statuses(chat)) == (None, False, ["investigating"])
    assert records["4321"].maintenance is True


# -- Instatus ---------------------------------------------------------------------------


def test_instatus_summary_fixture() -> None:
    records = read(read_instatus, "instatus/summary.json")
    assert list(records) == ["cmh8x1k2v0042qtmz7a9b3c4d", "cmh8x9q4w0118qtmzp2k6e7f8"]
    incident = records["cmh8x1k2v0042qtmz7a9b3c4d"]
    assert incident.ref_source == "instatus"
    assert incident.url == "https://status.acme.example.com/incident/cmh8x1k2v0042qtmz7a9b3c4d"
    assert (incident.start, incident.end, incident.resolved) == (at("2026-11-17T09:14:05"), None, False)
    assert (incident.impact, incident.impact_vendor) == ("major", "PARTIALOUTAGE")
    assert incident.updates == ()
    maintenance = records["cmh8x9q4w0118qtmzp2k6e7f8"]
    assert maintenance.maintenance is True
    assert (maintenance.start, maintenance.end) == (at("2026-11-18T22:00"), at("2026-11-18T23:30"))


def test_instatus_components_fixture() -> None:
    records = read(read_instatus, "instatus/components.json")
    assert list(records) == ["cmh8x1k2v0042qtmz7a9b3c4d"]
    incident = records["cmh8x1k2v0042qtmz7a9b3c4d"]
    assert incident.components == ("Acme API", "Chat app")
    assert incident.start == datetime(2026, 11, 17, 9, 14, 5, 118000, tzinfo=UTC)
    assert incident.impact == "major"


def test_instatus_history_feed_fixture() -> None:
    records = read(read_instatus, "instatus/history.rss")
    incident = records["cmh8x1k2v0042qtmz7a9b3c4d"]
    assert incident.title == "Acme Large responses failing"
    assert (incident.start, incident.end, incident.resolved) == (
        at("2026-11-17T09:14:05"),
        at("2026-11-17T11:02"),
        True,
    )
    assert statuses(incident) == ["investigating", "identified", "resolved"]
    assert incident.updates[1].text == "A bad deploy of the inference router; rolling back."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sat Jun 11 2022 18:55:50 GMT+0000 (Coordinated Universal Time)", datetime(2022, 6, 11, 18, 55, 50)),
        ("Sat Jun 11 2022 20:55:50 GMT+0200 (Central European Summer Time)", datetime(2022, 6, 11, 18, 55, 50)),
        ("2022-06-11T18:55:50.000Z", datetime(2022, 6, 11, 18, 55, 50)),
        ("Sat Foo 11 2022 18:55:50 GMT+0000", None),
        (None, None),
    ],
)
def test_instatus_time(value: str | None, expected: datetime | None) -> None:
    assert instatus_time(value) == (expected.replace(tzinfo=UTC) if expected else None)


# -- recognising a saved export -----------------------------------------------------------

DETECTED = [
    ("statuspage/incidents.json", "statuspage"),
    ("google-cloud/incidents.json", "google-cloud"),
    ("instatus/summary.json", "instatus"),
    ("instatus/components.json", "instatus"),
    ("instatus/history.rss", "instatus"),
    ("azure/feed.xml", "azure"),
    ("atom/history.atom", "atom"),
    ("atom/history.rss", "atom"),
    ("betterstack/feed.rss", "betterstack"),
    ("aistudio/incidents-history.json", "aistudio"),
    ("flashduty/deepseek-capture.json", "flashduty"),
    ("datadog/openrouter-config.json", "datadog"),
]


@pytest.mark.parametrize(("name", "kind"), DETECTED)
def test_detect_kind(name: str, kind: str) -> None:
    from incident_ledger.sources.readers.kinds import READERS, detect_kind

    data = (FIXTURES / name).read_bytes()
    assert detect_kind(data) == kind
    assert READERS[kind](data, BASE), "the detected kind's reader reads the fixture"


def test_detect_kind_incident_io_and_unknown() -> None:
    from incident_ledger.sources.readers.kinds import KINDS, detect_kind

    ulid = b'{"page": {"url": "https://status.acme.example.com"}, "incidents": [{"id": "01M294A9404P5Q6R7S8T9V0W1X"}]}'
    assert detect_kind(ulid) == "incident.io"
    assert set(KINDS) == {
        "statuspage",
        "incident.io",
        "google-cloud",
        "instatus",
        "azure",
        "atom",
        "betterstack",
        "xai",
        "aistudio",
        "flashduty",
        "datadog",
    }
    for data in (b'{"hello": "world"}', b"plain text", b"[]", b"<?xml version='1.0'?><rss><channel/></rss>"):
        with pytest.raises(ExportError, match="cannot tell the source kind") as caught:
            detect_kind(data)
        assert all(kind in str(caught.value) for kind in KINDS)
    with pytest.raises(ExportError, match="HTML page"):
        detect_kind(b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")
    with pytest.raises(ExportError, match="truncated"):
        detect_kind(cut((FIXTURES / "google-cloud/incidents.json").read_bytes()))


# -- bad input: always an ExportError with a clear message ------------------------------

HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
NOT_A_FEED = b'<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'
# (reader, fixture, valid but wrong-shaped input, what its message must say)
KIND_CASES: dict[str, tuple[Reader, str, bytes, str]] = {
    "google-cloud": (read_google_cloud, "google-cloud/incidents.json", b'{"incidents": []}', "not a list of incidents"),
    "google-cloud-list": (read_google_cloud, "google-cloud/incidents.json", b'[{"name": "x"}]', "Google Cloud"),
    "instatus": (read_instatus, "instatus/summary.json", b'{"status": "UP"}', "neither `activeIncidents`"),
    "instatus-feed": (read_instatus, "instatus/history.rss", NOT_A_FEED, "not an RSS or Atom feed"),
    "azure": (read_azure, "azure/feed.xml", NOT_A_FEED, "<Error> document, not an RSS or Atom feed"),
    "azure-atom": (read_azure, "azure/feed.xml", (FIXTURES / "atom/history.atom").read_bytes(), "Azure's"),
    "atom": (read_atom, "atom/history.atom", NOT_A_FEED, "not an RSS or Atom feed"),
    "atom-json": (read_atom, "atom/history.atom", b'{"incidents": []}', "got JSON"),
    "betterstack": (read_betterstack, "betterstack/feed.rss", b'<rss version="2.0"/>', "no <channel>"),
}


def cut(data: bytes) -> bytes:
    """The first half of a download; JSON is cut just after a comma, as `load_json` can only tell that case."""
    middle = len(data) // 2
    return data[: data.rindex(b",", 0, middle) + 1] if fixture_is_json(data) else data[:middle]


def fixture_is_json(data: bytes) -> bool:
    return data.lstrip()[:1] in (b"{", b"[")


@pytest.mark.parametrize("case", list(KIND_CASES))
def test_truncated(case: str) -> None:
    reader, fixture, _, _ = KIND_CASES[case]
    with pytest.raises(ExportError, match="truncated"):
        reader(cut((FIXTURES / fixture).read_bytes()), BASE)


@pytest.mark.parametrize("reader", [read_google_cloud, read_instatus])
def test_truncated_inside_a_string(reader: Reader) -> None:
    with pytest.raises(ExportError, match="truncated"):
        reader(b'[{"id": "abc", "external_desc": "Vertex Gemini API ret', BASE)


@pytest.mark.parametrize("case", list(KIND_CASES))
def test_html_page(case: str) -> None:
    reader = KIND_CASES[case][0]
    with pytest.raises(ExportError, match="HTML page"):
        reader(HTML_PAGE, BASE)


@pytest.mark.parametrize("case", list(KIND_CASES))
def test_wrong_shape(case: str) -> None:
    reader, _, wrong, message = KIND_CASES[case]
    with pytest.raises(ExportError) as caught:
        reader(wrong, BASE)
    assert message in str(caught.value)


@pytest.mark.parametrize("case", list(KIND_CASES))
def test_empty(case: str) -> None:
    with pytest.raises(ExportError, match="empty"):
        KIND_CASES[case][0](b" \n", BASE)


@pytest.mark.parametrize("reader", [read_azure, read_atom, read_betterstack, read_instatus])
def test_entity_declarations_refused(reader: Reader) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><rss><channel/></rss>'
    with pytest.raises(ExportError, match="DOCTYPE or ENTITY"):
        reader(bomb, BASE)


@pytest.mark.parametrize("case", list(KIND_CASES))
def test_every_cut_is_an_export_error_or_a_list(case: str) -> None:
    """A download cut anywhere never escapes as another exception (no traceback for the user)."""
    reader, fixture, _, _ = KIND_CASES[case]
    data = (FIXTURES / fixture).read_bytes()
    for cut in range(0, len(data), max(1, len(data) // 150)):
        try:
            result = reader(data[:cut], BASE)
        except ExportError as error:
            assert str(error)
        else:
            assert isinstance(result, list)


def test_empty_azure_channel_is_no_incidents() -> None:
    healthy = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Azure Status</title></channel></rss>'
    assert read_azure(healthy, BASE) == []


def test_unlabelled_update_keeps_its_text() -> None:
    """A body starting "Summary of impact: …" has no status word: nothing is cut from it."""
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>API errors</title>'
        b"<description>Summary of impact: some requests failed.</description>"
        b"<link>https://status.acme.example.com/incidents/5</link><pubDate>Mon, 12 Oct 2026 10:30:00 +0000</pubDate>"
        b"</item></channel></rss>"
    )
    record = read_betterstack(feed, BASE)[0]
    assert [(u.status, u.text) for u in record.updates] == [("", "Summary of impact: some requests failed.")]
    assert (record.id, record.resolved) == ("5", False)


def test_statuspage_feed_linking_to_azure_is_not_azure() -> None:
    from incident_ledger.sources.readers.kinds import detect_kind

    data = (
        (FIXTURES / "atom/history.atom")
        .read_bytes()
        .replace(
            b"This incident has been resolved.", b"See https://azure.status.microsoft/en-us/status/ for the cause."
        )
    )
    assert detect_kind(data) == "atom"


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400), case=st.sampled_from(sorted(KIND_CASES)))
def test_arbitrary_bytes_raise_only_export_error(data: bytes, case: str) -> None:
    try:
        result = KIND_CASES[case][0](data, BASE)
    except ExportError as error:
        assert str(error)
    else:
        assert isinstance(result, list)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)
JSON_KEYS = [
    "id",
    "begin",
    "end",
    "external_desc",
    "updates",
    "affected_products",
    "activeIncidents",
    "components",
    "activeMaintenances",
    "started",
    "url",
    "uri",
    "status_impact",
    "severity",
    "duration",
    "start",
]


@settings(max_examples=300, deadline=None)
@given(
    shape=st.dictionaries(st.sampled_from(JSON_KEYS), JSON_VALUES, max_size=6),
    as_list=st.booleans(),
    reader=st.sampled_from([read_google_cloud, read_instatus]),
)
def test_odd_json_shapes_raise_only_export_error(shape: dict[str, object], as_list: bool, reader: Reader) -> None:
    """Vendor JSON with the right keys but any values never escapes as another exception."""
    data = json.dumps([shape] if as_list else shape).encode()
    try:
        result = reader(data, BASE)
    except ExportError as error:
        assert str(error)
    else:
        assert all(isinstance(record, VendorIncident) for record in result)


@pytest.mark.parametrize(
    "data",
    [
        b'{"activeMaintenances": [{"start": "2026-01-01T00:00:00Z", "duration": "99999999999999", "url": "https://x/m/a"}]}',
        b'{"activeMaintenances": [{"start": "9999-12-31T23:59:00Z", "duration": "600", "url": "https://x/m/a"}]}',
        b'{"activeMaintenances": [{"start": "2026-01-01T00:00:00Z", "duration": "\xc2\xb2", "url": "https://x/m/a"}]}',
        b'{"activeIncidents": [{"started": "Mon Jan 01 0001 00:10:00 GMT+0200 (x)", "url": "https://x/incident/a"}]}',
    ],
)
def test_instatus_extreme_times_give_no_time(data: bytes) -> None:
    record = read_instatus(data, BASE)[0]
    assert record.end is None
    assert record.start is None or record.start.year in (2026, 9999)


def test_feed_extreme_dates_give_no_time() -> None:
    entry = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>tag:x,2005:Incident/1</id>'
        b"<published>0001-01-01T00:00:00Z</published><link href='https://x/incidents/a1'/><title>t</title>"
        b"<content type='html'>&lt;p&gt;&lt;small&gt;Jan &lt;var&gt;1&lt;/var&gt;, 00:10 JST&lt;/small&gt;&lt;br&gt;"
        b"&lt;strong&gt;Resolved&lt;/strong&gt; - ok&lt;/p&gt;</content></entry></feed>"
    )
    record = read_atom(entry, BASE)[0]  # 00:10 JST on 1 January of year 1 is before datetime.min: skipped
    assert record.id == "a1"
    assert [u.at for u in record.updates] == [datetime(1, 12, 31, 15, 10, tzinfo=UTC)]  # year 2's stamp is nearest
    rss = (
        b"<rss><channel><item><link>https://x/incidents/5</link>"
        b"<pubDate>Mon, 15 Jan 99999999999 11:45:00 +0000</pubDate></item></channel></rss>"
    )
    assert read_betterstack(rss, BASE) == []


def test_unsafe_links_fall_back_to_the_page() -> None:
    summary = (
        b'{"activeIncidents": [{"name": "x", "url": "javascript:alert(1)//incident/abc", "status": "INVESTIGATING"}]}'
    )
    assert read_instatus(summary, BASE)[0].url == f"{BASE}/incident/abc"
    google = (
        b'[{"id": "g1", "begin": "2026-01-01T00:00:00Z", "uri": "incidents/g1\\"><script>", "affected_products": 5}]'
    )
    record = read_google_cloud(google, BASE)[0]
    assert (record.url, record.components) == ("https://status.cloud.google.com/incidents/g1", ())
    feed = (FIXTURES / "betterstack/feed.rss").read_bytes().replace(b"https://status.acme", b"http://status.acme")
    assert {record.url for record in read_betterstack(feed, BASE)} == {BASE}


@pytest.mark.parametrize(
    ("base_url", "page"),
    [
        ("https://status.acme.example.com/history.atom", "https://status.acme.example.com"),
        ("https://status.acme.example.com/v2/components.json", "https://status.acme.example.com"),
        ("https://status.acme.example.com/", "https://status.acme.example.com"),
        ("https://acme.example.com/status/feed.rss?x=1", "https://acme.example.com/status"),
    ],
)
def test_fallback_links_use_the_page_not_the_feed_file(base_url: str, page: str) -> None:
    from incident_ledger.sources.readers.feed import page_of

    assert page_of(base_url) == page
    entry = (
        (FIXTURES / "atom/history.rss")
        .read_bytes()
        .replace(b"<link>https://status.acme.example.com/incidents/", b"<link>http://x/incidents/")
    )
    assert read_atom(entry, base_url)[0].url == f"{page}/incidents/q7txxvbsftgq"


def test_wrong_types_read_as_nothing_not_as_their_python_spelling() -> None:
    from incident_ledger.sources.readers.statuspage import read_statuspage

    data = json.dumps(
        {
            "incidents": [
                {
                    "id": "abc123abc123",
                    "name": ["x"],
                    "status": "resolved",
                    "impact": "minor",
                    "started_at": "2026-09-10T14:05:00Z",
                    "incident_updates": [
                        {"body": {"a": 1}, "status": "resolved", "created_at": "2026-09-10T15:00:00Z"}
                    ],
                }
            ]
        }
    ).encode()
    (record,) = read_statuspage(data, "https://status.acme.example.com")
    assert record.title == "" and "['x']" not in repr(record) and record.updates == ()
