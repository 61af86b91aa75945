"""One test per validation rule: each checks the message, the field and the line."""

from __future__ import annotations

import pytest

from conftest import NOW, Tree, incident_text, run_cli
from incident_ledger.ledger.model import Problem
from incident_ledger.ledger.tree import load_ledger

NAME = "2026-02-10-acme-large-errors.md"


def check(tree: Tree, text: str | bytes, name: str = NAME) -> list[Problem]:
    tree.add(name, text)
    return load_ledger(tree.incidents, NOW).problems


def only(problems: list[Problem], severity: str = "error") -> Problem:
    matching = [p for p in problems if p.severity == severity]
    assert len(matching) == 1, [p.human() for p in problems]
    return matching[0]


def test_valid_file_has_no_problems(tree: Tree) -> None:
    result = check(tree, incident_text())
    assert result == []
    catalog = load_ledger(tree.incidents, NOW).catalog
    incident = catalog.by_id["2026-02-10-acme-large-errors"]
    assert incident.models == ("acme-large",)
    assert incident.start.isoformat() == "2026-02-10T14:05:00+00:00"


def test_unknown_key_suggests_the_right_one(tree: Tree) -> None:
    problem = only(check(tree, incident_text(impcat="major")))
    assert problem.field == "impcat" and problem.line == 11
    assert "did you mean `impact`" in problem.hint


def test_missing_required_key(tree: Tree) -> None:
    problems = check(tree, incident_text(impact=None))
    problem = only(problems)
    assert "required key `impact` is missing" in problem.message
    assert problem.line == 1


def test_missing_end_explains_null(tree: Tree) -> None:
    problem = only(check(tree, incident_text(end=None)))
    assert "`end`" in problem.message and "end: null" in problem.hint


def test_naive_time_is_rejected_with_line(tree: Tree) -> None:
    problem = only(check(tree, incident_text(start="2026-02-10T14:05:00")))
    assert problem.field == "start"
    assert problem.line == 6
    assert "no UTC offset" in problem.message
    assert "Z" in problem.hint


def test_unparseable_time(tree: Tree) -> None:
    problem = only(check(tree, incident_text(end="tomorrow")))
    assert problem.field == "end" and "not an ISO 8601 time" in problem.message


def test_impossible_date(tree: Tree) -> None:
    problem = only(check(tree, incident_text(end="2026-02-30T10:00:00Z")))
    assert problem.field == "end" and "not a valid time" in problem.message


def test_date_without_time_points_to_day_precision(tree: Tree) -> None:
    problem = only(check(tree, incident_text(end="2026-02-11")))
    assert "time_precision: day" in problem.hint


def test_lookalike_characters(tree: Tree) -> None:
    problem = only(check(tree, incident_text(end='"2026-02-10T17\u223640:00Z"')))
    assert "look-alike" in problem.message
    assert "2026-02-10T17:40:00Z" in problem.hint


def test_end_before_start(tree: Tree) -> None:
    problem = only(check(tree, incident_text(end="2026-02-10T13:00:00Z")))
    assert problem.field == "end" and "before start" in problem.message and problem.line == 7


def test_start_in_future(tree: Tree) -> None:
    problem = only(check(tree, incident_text(start="2027-02-10T14:05:00Z", end="null"), "2027-02-10-acme-x.md"))
    assert "in the future" in problem.message


def test_offsets_are_normalised_to_utc(tree: Tree) -> None:
    check(tree, incident_text(start="2026-02-10T19:50:00+05:45", end="2026-02-10T17:40:00-00:00"))
    incident = load_ledger(tree.incidents, NOW).catalog.incidents[0]
    assert incident.start.isoformat() == "2026-02-10T14:05:00+00:00"


def test_file_name_must_match_start_date(tree: Tree) -> None:
    problem = only(check(tree, incident_text(), "2026-02-11-acme-large-errors.md"))
    assert "file name starts with 2026-02-11" in problem.message
    assert "2026-02-10" in problem.hint


def test_folder_must_match_year(tree: Tree) -> None:
    problem = only(check(tree, incident_text(), "/2025/" + NAME))
    assert "folder `2025/`" in problem.message


def test_file_name_must_name_vendor(tree: Tree) -> None:
    problem = only(check(tree, incident_text(), "2026-02-10-zeta-large-errors.md"))
    assert problem.field == "vendor" and "does not name vendor `acme`" in problem.message


def test_malformed_file_name(tree: Tree) -> None:
    problem = only(check(tree, incident_text(), "2026-02-10 Acme Errors.md"))
    assert "is not `YYYY-MM-DD-vendor-slug`" in problem.message


def test_misplaced_file(tree: Tree) -> None:
    problems = check(tree, incident_text(), "/" + NAME)
    assert any("incidents/<YYYY>/" in p.message for p in problems)


def test_duplicate_ids_across_tree(tree: Tree) -> None:
    tree.add(NAME, incident_text())
    extra = tree.root / "elsewhere" / "2026" / NAME
    extra.parent.mkdir(parents=True)
    extra.write_text(incident_text(), encoding="utf-8")
    result = load_ledger(tree.incidents, NOW, only=[extra])
    assert any("already used by" in p.message for p in result.errors)


def test_unknown_vendor_suggestion(tree: Tree) -> None:
    problem = only(check(tree, incident_text(vendor="acmee"), NAME))
    assert problem.field == "vendor" and "did you mean `acme`" in problem.hint


def test_unknown_model_suggestion(tree: Tree) -> None:
    problem = only(check(tree, incident_text(model="acme-larg")))
    assert "unknown model `acme-larg`" in problem.message and "did you mean `acme-large`" in problem.hint


def test_unknown_model_in_list_points_at_item(tree: Tree) -> None:
    problem = only(check(tree, incident_text(model="\n  - acme-large\n  - acme-tiny")))
    assert problem.field == "model[1]" and problem.line == 6


def test_model_all_cannot_be_mixed(tree: Tree) -> None:
    problem = only(check(tree, incident_text(model="[all, acme-large]")))
    assert "`all` cannot be combined" in problem.message


def test_model_all_is_vendor_wide(tree: Tree) -> None:
    check(tree, incident_text(model="all"))
    incident = load_ledger(tree.incidents, NOW).catalog.incidents[0]
    assert incident.all_models and incident.covers_model("acme-small")


def test_model_unspecified_names_no_model_and_is_not_vendor_wide(tree: Tree) -> None:
    check(tree, incident_text(model="unspecified", title="Console log-in failures", products="[chat]"))
    incident = load_ledger(tree.incidents, NOW).catalog.incidents[0]
    assert (incident.scope, incident.models, incident.all_models) == ("unspecified", (), False)
    assert not incident.covers_model("acme-small")
    problem = only(check(tree, incident_text(model="[unspecified, acme-large]"), name="2026-02-10-acme-other.md"))
    assert "`unspecified` cannot be combined" in problem.message and problem.hint == "write `model: unspecified`"


def test_a_record_without_products_counts_for_the_vendors_default_class(tree: Tree) -> None:
    check(tree, incident_text(products=None))
    catalog = load_ledger(tree.incidents, NOW).catalog
    assert catalog.classes_of(catalog.incidents[0]) == ("api",)  # acme's first product is its API
    tree.add(NAME, incident_text(products="[chat, api]"))
    catalog = load_ledger(tree.incidents, NOW).catalog
    assert catalog.classes_of(catalog.incidents[0]) == ("chat", "api")


def test_unknown_product(tree: Tree) -> None:
    problem = only(check(tree, incident_text(products="[api, chatt]")))
    assert problem.field == "products[1]" and "did you mean `chat`" in problem.hint


def test_bad_impact(tree: Tree) -> None:
    problem = only(check(tree, incident_text(impact="Major")))
    assert problem.field == "impact" and "did you mean `major`" in problem.hint


def test_bad_update_status_and_order(tree: Tree) -> None:
    updates = (
        "\n  - {at: 2026-02-10T15:00:00Z, status: identified, text: Found it.}"
        "\n  - {at: 2026-02-10T14:30:00Z, status: fixed, text: Fixed.}"
    )
    problems = check(tree, incident_text(updates=updates))
    messages = {(p.field, p.message) for p in problems}
    assert ("updates[1].at", "updates are out of time order") in messages
    assert any(f == "updates[1].status" and "`fixed` is not allowed" in m for f, m in messages)


def test_update_before_start_is_a_warning(tree: Tree) -> None:
    updates = "\n  - {at: 2026-02-10T14:00:00Z, status: investigating, text: Looking.}"
    problem = only(check(tree, incident_text(updates=updates)), "warning")
    assert "before the incident's start" in problem.message


def test_update_missing_field(tree: Tree) -> None:
    problem = only(check(tree, incident_text(updates="\n  - {at: 2026-02-10T15:00:00Z, text: x}")))
    assert "missing `status`" in problem.message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://status.acme.example.com/x", "only https:// links"),
        ("javascript:alert(1)", "only https:// links"),
        ("data:text/html,hi", "only https:// links"),
        ("https://", "valid public host"),
        ('"https://ex ample.com"', "spaces"),
    ],
)
def test_source_urls(tree: Tree, url: str, expected: str) -> None:
    problem = only(check(tree, incident_text(sources=f"\n  - {url}")))
    assert problem.field == "sources[0]" and expected in problem.message


def test_sources_must_not_be_empty(tree: Tree) -> None:
    problem = only(check(tree, incident_text(sources="[]")))
    assert "at least one https URL" in problem.message


def test_source_with_archive(tree: Tree) -> None:
    source = "\n  - {url: https://status.acme.example.com/i/1, archive: https://web.archive.org/web/2026/x}"
    assert check(tree, incident_text(sources=source)) == []
    incident = load_ledger(tree.incidents, NOW).catalog.incidents[0]
    assert incident.sources[0].archive == "https://web.archive.org/web/2026/x"


def test_postmortem_must_be_https(tree: Tree) -> None:
    problem = only(check(tree, incident_text(postmortem="ftp://acme.example.com/pm")))
    assert problem.field == "postmortem"


def test_title_too_long(tree: Tree) -> None:
    problem = only(check(tree, incident_text(title="x" * 121)))
    assert "over the limit of 120" in problem.message


def test_title_with_markup(tree: Tree) -> None:
    problem = only(check(tree, incident_text(title='"<img src=x onerror=alert(1)>"')))
    assert problem.field == "title" and "plain text" in problem.message


def test_title_with_bidi_controls(tree: Tree) -> None:
    problem = only(check(tree, incident_text(title='"Outage \u202eevil"')))
    assert "bidirectional" in problem.message


def test_wrong_types(tree: Tree) -> None:
    problems = check(tree, incident_text(title="123", acknowledged="maybe", tags="{a: 1}"))
    fields = {p.field for p in problems}
    assert {"title", "acknowledged", "tags"} <= fields


def test_tags_must_be_lowercase_words(tree: Tree) -> None:
    problem = only(check(tree, incident_text(tags="[capacity, Bad Tag]")))
    assert problem.field == "tags[1]"


def test_unknown_symptom(tree: Tree) -> None:
    problem = only(check(tree, incident_text(symptoms="[latency, slowness]")))
    assert problem.field == "symptoms[1]"


def test_vendor_refs_shape(tree: Tree) -> None:
    problem = only(check(tree, incident_text(vendor_refs="\n  - {source: statuspage}")))
    assert "missing `id`" in problem.message


def test_day_precision_requires_midnight(tree: Tree) -> None:
    problem = only(check(tree, incident_text(time_precision="day", start="2026-02-10T00:00:00Z")))
    assert problem.field == "end" and "midnight UTC" in problem.message


def test_minute_precision_lasting_weeks_is_a_warning(tree: Tree) -> None:
    problem = only(check(tree, incident_text(end="2026-03-10T17:40:00Z")), "warning")
    assert "over 14 days" in problem.message


def test_forgotten_ongoing_incident_is_a_warning(tree: Tree) -> None:
    problem = only(check(tree, incident_text(end="null")), "warning")
    assert "ongoing for more than 14 days" in problem.message


def test_empty_body_is_a_warning(tree: Tree) -> None:
    problem = only(check(tree, incident_text(body="")), "warning")
    assert problem.field == "body"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("Fine.\n<script>alert(1)</script>", "`<script>`"),
        ('<iframe src="https://x.example.com"></iframe>', "`<iframe>`"),
        ('<img src=x onerror="alert(1)">', "`onerror=`"),
        ("[click](javascript:alert(1))", "`javascript:`"),
        ("[x]( vbscript:msgbox )", "`vbscript:`"),
        ("![x](data:image/png;base64,AAAA)", "`data:`"),
        ("<javascript:alert(1)>", "`javascript:`"),
        ('Text {: onclick="alert(1)" }', "`onclick=`"),
        ("<form action=https://x.example.com><input></form>", "`<form>`"),
    ],
)
def test_active_html_in_body(tree: Tree, body: str, needle: str) -> None:
    problems = check(tree, incident_text(body=body))
    errors = [p for p in problems if p.is_error]
    assert errors and all(p.field == "body" for p in errors)
    assert any(needle in p.message for p in errors)
    assert errors[0].line >= 11


def test_all_problems_sorted_by_file_and_line(tree: Tree) -> None:
    tree.add("2026-02-10-acme-b.md", incident_text(impact="huge", start="2026-02-10T14:05:00"))
    tree.add("2026-02-10-acme-a.md", incident_text(vendor="nobody"))
    problems = load_ledger(tree.incidents, NOW).problems
    keys = [(p.path, p.line) for p in problems]
    assert keys == sorted(keys)
    assert {p.path.rsplit("/", 1)[-1] for p in problems} == {"2026-02-10-acme-a.md", "2026-02-10-acme-b.md"}


def test_valid_files_are_kept_when_others_fail(tree: Tree) -> None:
    tree.add("2026-02-10-acme-good.md", incident_text())
    tree.add("2026-02-10-acme-bad.md", incident_text(impact="??"))
    result = load_ledger(tree.incidents, NOW)
    assert [i.id for i in result.catalog.incidents] == ["2026-02-10-acme-good"]
    assert result.errors


def test_parallel_validation_matches_sequential(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    from incident_ledger.ledger import tree as ledger

    for day in range(1, 25):
        tree.add(
            f"2026-01-{day:02d}-acme-good-{day}.md", incident_text(start=f"2026-01-{day:02d}T10:00:00Z", end="null")
        )
    tree.add("2026-02-10-acme-bad.md", incident_text(impact="huge"))
    sequential = load_ledger(tree.incidents, NOW)
    monkeypatch.setattr(ledger, "PARALLEL_MIN", 2)
    calls = []
    real = ledger._check_parallel
    monkeypatch.setattr(ledger, "_check_parallel", lambda *args: calls.append(args) or real(*args))
    parallel = load_ledger(tree.incidents, NOW, workers=2)
    assert len(calls) == 1
    assert parallel.problems == sequential.problems and parallel.problems
    assert parallel.catalog.incidents == sequential.catalog.incidents


def test_zero_length_minute_incident_is_rejected(tree: Tree) -> None:
    problem = only(check(tree, incident_text(end="2026-02-10T14:05:00Z")))
    assert problem.field == "end" and "cannot last zero minutes" in problem.message
    assert "time_precision: day" in problem.hint


def test_date_only_incident_may_start_and_end_on_one_day(tree: Tree) -> None:
    text = incident_text(start="2026-02-10T00:00:00Z", end="2026-02-10T00:00:00Z", time_precision="day")
    assert check(tree, text) == []


def test_unclassified_source_domain_is_a_warning_naming_it(tree: Tree) -> None:
    text = incident_text(
        sources="\n  - https://status.acme.example.com/incidents/abc\n  - https://blog.unknown.example/x"
    )
    problem = only(check(tree, text), "warning")
    assert problem.field == "sources" and problem.line == 9
    assert problem.message == "source domain `blog.unknown.example` has no class"
    assert "add `blog.unknown.example` to incidents/sources.yml" in problem.hint
    result = run_cli("validate", "--strict", cwd=tree.root)
    assert result.returncode == 1 and "blog.unknown.example" in result.stdout


@pytest.mark.parametrize(
    ("sources", "evidence"),
    [
        ("\n  - https://outages.example.info/a\n  - https://forum.example.net/t/1", "community"),
        ("\n  - https://forum.example.net/t/1\n  - https://www.news.example.org/story", "press"),
        ("\n  - https://news.example.org/story\n  - https://sub.status.acme.example.com/i/1", "vendor"),
    ],
)
def test_evidence_is_the_strongest_class(tree: Tree, sources: str, evidence: str) -> None:
    assert check(tree, incident_text(sources=sources)) == []
    incident = load_ledger(tree.incidents, NOW).catalog.by_id["2026-02-10-acme-large-errors"]
    assert incident.evidence == evidence


def test_times_resting_on_aggregators_alone_are_warned(tree: Tree) -> None:
    problem = only(check(tree, incident_text(sources="\n  - https://outages.example.info/a")), "warning")
    assert problem.message == "the times rest on aggregator sources only"
    assert "time_precision: day" in problem.hint
    dated = incident_text(
        sources="\n  - https://outages.example.info/a",
        start="2026-02-10T00:00:00Z",
        end="2026-02-11T00:00:00Z",
        time_precision="day",
    )
    assert check(tree, dated) == []


def test_impact_vendor_must_be_on_the_scale(tree: Tree) -> None:
    problem = only(check(tree, incident_text(impact_vendor="severe")))
    assert problem.field == "impact_vendor"
    tree.add(NAME, incident_text(impact_vendor="critical"))
    incident = load_ledger(tree.incidents, NOW).catalog.by_id["2026-02-10-acme-large-errors"]
    assert incident.impact_vendor == "critical" and incident.impact == "major"


def test_source_classes_file_mistakes(tree: Tree) -> None:
    (tree.incidents / "sources.yml").write_text(
        "vendor:\n  - status.acme.example.com\n  - not a domain\n"
        "press:\n  - status.acme.example.com\nrumour:\n  - x.example\n",
        encoding="utf-8",
    )
    problems = [p for p in load_ledger(tree.incidents, NOW).problems if p.path.endswith("sources.yml")]
    assert [(p.line, p.message) for p in problems] == [
        (3, "`not a domain` is not a domain"),
        (5, "`status.acme.example.com` is already listed as vendor"),
        (6, "unknown class `rumour`"),
    ]


def test_hand_edited_coverage_is_validated(tree: Tree) -> None:
    (tree.incidents / "coverage.yml").write_text(
        "acme:\n"
        "  - kind: statuspage\n"
        "    url: https://status.acme.example.com/api/v2/incidents.json\n"
        "    covered:\n"
        "      - {from: 2026-03-01T00:00:00Z, to: 2026-02-01T00:00:00Z}\n"
        "      - {from: 2026-04-01T00:00:00Z, to: 2026-05-01T00:00:00Z}\n"
        "      - {from: 2026-04-15T00:00:00Z, to: 2026-06-01T00:00:00Z}\n"
        "      - {from: 2026-07-01, to: 2026-08-01T00:00:00Z}\n"
        "nobody:\n  - kind: statuspage\n",
        encoding="utf-8",
    )
    result = load_ledger(tree.incidents, NOW)
    found = [(p.line, p.field, p.message) for p in result.problems]
    assert (5, "acme.0.covered.0.to", "`to` must be after `from`") in found
    assert (7, "acme.0.covered.2.from", "spans must be in time order and not overlap") in found
    assert any(line == 8 and "without a time" in message for line, _, message in found)
    assert (9, "nobody", "unknown vendor `nobody`") in found
    assert (4, "acme.0.covered", "covered time needs its `basis`: how completeness was established") in found
    spans = result.catalog.coverage.spans("acme")
    assert len(spans) == 1 and spans[0][0].month == 4  # the valid span is kept


def test_coverage_with_its_basis_is_accepted(tree: Tree) -> None:
    (tree.incidents / "coverage.yml").write_text(
        "acme:\n"
        "  - kind: archive\n"
        "    url: https://github.com/acme/status-archive/blob/0123456789abcdef0123456789abcdef01234567/a.jsonl\n"
        "    basis: a full walk of the history pages\n"
        "    check: monthly counts agree with a second collection\n"
        "    covered:\n"
        "      - {from: 2026-04-01T00:00:00Z, to: 2026-05-01T00:00:00Z}\n",
        encoding="utf-8",
    )
    result = load_ledger(tree.incidents, NOW)
    assert [p for p in result.problems if p.path.endswith("coverage.yml")] == []
    (source,) = result.catalog.coverage.vendors["acme"]
    assert source.basis == "a full walk of the history pages" and source.check.startswith("monthly counts")


def test_registry_status_pages_are_vendor_sources(tree: Tree) -> None:
    (tree.incidents / "sources.yml").write_text("press:\n  - news.example.org\n", encoding="utf-8")
    sources = "\n  - https://status.zeta.example.com/incidents/1\n  - https://news.example.org/a"
    text = incident_text(vendor="zeta", model="zeta-one", products=None, sources=sources)
    assert check(tree, text, "2026-02-10-zeta-errors.md") == []
    incident = load_ledger(tree.incidents, NOW).catalog.by_id["2026-02-10-zeta-errors"]
    assert incident.evidence == "vendor"


def test_a_verdict_says_until_when_it_holds(tree: Tree) -> None:
    """`mkdocs serve` reuses a file's verdict only while no check that reads the clock could change."""
    from datetime import timedelta

    from incident_ledger.ledger.load import parse_text
    from incident_ledger.ledger.validate import STALE, validate_document

    registry = load_ledger(tree.incidents, NOW).catalog.registry
    ongoing = parse_text(
        incident_text(start="2026-11-25T09:00:00Z", end="null"),
        "incidents/2026/2026-11-25-acme-slow.md",
    )
    verdict = validate_document(ongoing, registry, NOW)
    assert verdict.incident is not None and not verdict.problems
    assert verdict.valid_until == verdict.incident.start + STALE  # then it is "ongoing for more than 14 days"
    assert verdict.holds_at(NOW + timedelta(days=13)) and not verdict.holds_at(NOW + timedelta(days=14))
    assert not verdict.holds_at(NOW - timedelta(seconds=1))
    stale = validate_document(ongoing, registry, verdict.valid_until + timedelta(seconds=1))
    assert [p.message for p in stale.problems] == ["ongoing for more than 14 days"]
    future = parse_text(
        incident_text(start="2026-11-25T13:00:00Z", end="null"),
        "incidents/2026/2026-11-25-acme-later.md",
    )
    early = validate_document(future, registry, NOW)
    assert early.incident is None and "in the future" in early.problems[0].message
    assert early.valid_until == NOW.replace(hour=12, minute=55)  # from then on the start is no longer in the future
    assert validate_document(future, registry, early.valid_until).incident is not None


def test_a_start_long_after_the_vendors_ulid_is_warned(tree: Tree) -> None:
    # 01K7ZQ2M3N… encodes 2025-10-20 02:27 UTC; a start in February 2026 is months after the vendor created it.
    late = "\n  - {source: incident.io, id: 01K7ZQ2M3N4P5Q6R7S8T9V0W1X}"
    problem = only(check(tree, incident_text(vendor_refs=late)), "warning")
    assert problem.field == "vendor_refs[0].id" and "after 2025-10-20 02:27 UTC" in problem.message
    # Migrated incidents were created after they happened: a start before the encoded time is fine.
    early = "\n  - {source: incident.io, id: 01M0JXWD740S0Y50DWJZS7SH75}"
    assert check(tree, incident_text(vendor_refs=early)) == []
    assert check(tree, incident_text(vendor_refs="\n  - {source: statuspage, id: q7txxvbsftgq}")) == []


RESOLVED_WITH_WINDOW = (
    "\n  - {at: 2026-02-10T14:12:00Z, status: investigating, text: We are investigating elevated errors.}"
    "\n  - {at: 2026-02-10T17:45:00Z, status: resolved, text: 'From 14:20–17:40 UTC, users experienced elevated"
    " errors on requests to Acme Large. This issue has been resolved.'}"
)


def test_start_and_end_against_the_window_the_posts_state(tree: Tree) -> None:
    problem = only(check(tree, incident_text(updates=RESOLVED_WITH_WINDOW)), "warning")
    assert problem.field == "updates[1].text" and problem.line == 13  # the resolution post's line
    assert "2026-02-10T14:20:00Z to 2026-02-10T17:40:00Z" in problem.message and "14:20–17:40 UTC" in problem.message
    assert "set start: 2026-02-10T14:20:00Z" in problem.hint


def test_a_start_the_vendor_states_after_the_first_post_is_no_mistake(tree: Tree) -> None:
    assert check(tree, incident_text(start="2026-02-10T14:20:00Z", updates=RESOLVED_WITH_WINDOW)) == []


def test_a_record_tagged_for_review_is_not_warned_again(tree: Tree) -> None:
    problems = check(tree, incident_text(updates=RESOLVED_WITH_WINDOW, tags="[needs-review]"))
    assert [p.message for p in problems] == []


def test_a_title_naming_a_model_under_all_is_a_warning(tree: Tree) -> None:
    problem = only(check(tree, incident_text(model="all")), "warning")
    assert problem.field == "model" and "names Acme Large but `model` is `all`" in problem.message
    assert problem.hint == "write `model: acme-large`"
    assert check(tree, incident_text(model="all", title="Elevated errors on all models")) == []


def test_an_id_keeps_its_first_posts_date_when_the_stated_window_starts_the_day_before(tree: Tree) -> None:
    updates = (
        "\n  - {at: 2026-02-11T00:03:04Z, status: resolved, text: 'From 23:55 UTC to 00:00 UTC, API requests were"
        " returning errors. This has been resolved.'}"
    )
    text = incident_text(start="2026-02-10T23:55:00Z", end="2026-02-11T00:00:00Z", updates=updates)
    assert check(tree, text, "2026-02-11-acme-large-errors.md") == []
    problem = only(check(tree, text, "2026-02-12-acme-large-errors.md"))
    assert "file name starts with 2026-02-12" in problem.message
