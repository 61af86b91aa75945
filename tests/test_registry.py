"""The vendor registry: mistakes in vendors.yml are problems with lines, valid vendors are kept."""

from __future__ import annotations

from pathlib import Path

from incident_ledger.ledger.registry import load_registry


def problems_for(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "vendors.yml"
    path.write_text(text, encoding="utf-8")
    _, problems = load_registry(path)
    return [f"{p.line}:{p.field}:{p.message}" for p in problems]


def test_repository_registry_is_clean() -> None:
    registry, problems = load_registry(Path(__file__).parent.parent / "incidents" / "vendors.yml")
    assert problems == []
    assert {"anthropic", "openai", "google", "microsoft", "mistral", "xai", "deepseek", "meta", "cohere"} <= set(
        registry.vendors
    )
    assert registry.vendors["anthropic"].components["claude.ai"] == "claude-ai"


def test_registry_mistakes(tmp_path: Path) -> None:
    found = problems_for(
        tmp_path,
        "acme:\n"
        "  name: Acme\n"
        "  homepage: http://acme.example.com\n"
        "  colour: red\n"
        "  tracked_since: soon\n"
        "  models:\n"
        "    Acme Large: {name: Acme Large, released: yesterday}\n"
        "  products:\n"
        "    api: <b>API</b>\n"
        "  components:\n"
        "    Acme API: apii\n",
    )
    assert any(f.startswith("3:acme.homepage:") and "https" in f for f in found)
    assert any(f.startswith("4:acme.colour:unknown key") for f in found)
    assert any(f.startswith("5:acme.tracked_since:") for f in found)
    assert any(f.startswith("7:acme.models.Acme Large:") and "not a valid model id" in f for f in found)
    assert any("released" in f and "not a date" in f for f in found)
    assert any(f.startswith("9:acme.products.api:") for f in found)
    assert any(f.startswith("11:acme.components.Acme API:maps to unknown product `apii`") for f in found)


def test_every_product_has_a_class(tmp_path: Path) -> None:
    found = problems_for(
        tmp_path,
        "acme:\n"
        "  name: Acme\n"
        "  homepage: https://acme.example.com\n"
        "  default_class: app\n"
        "  products:\n"
        "    api: Acme API\n"
        "    chat: {name: Acme Chat, class: chatbot}\n"
        "    console: {name: Acme Console, class: other}\n",
    )
    assert any(f.startswith("4:acme.default_class:`app` is not a product class") for f in found)
    assert any(f.startswith("6:acme.products.api:a product has exactly a `name` and a `class`") for f in found)
    assert any(f.startswith("7:acme.products.chat.class:`chatbot` is not a product class") for f in found)
    assert len(found) == 3


def test_repository_products_all_have_a_class() -> None:
    registry, _ = load_registry(Path(__file__).parent.parent / "incidents" / "vendors.yml")
    for vendor in registry.vendors.values():
        assert set(vendor.product_classes) == set(vendor.products), vendor.id
        assert vendor.default_class in ("api", "chat", "coding", "other")
    assert registry.vendors["github"].default_class == "coding"
    assert registry.vendors["anthropic"].product_classes["console"] == "other"


def test_missing_and_broken_registry(tmp_path: Path) -> None:
    registry, problems = load_registry(tmp_path / "vendors.yml")
    assert registry.vendors == {} and "not found" in problems[0].message
    assert any("YAML syntax error" in p for p in problems_for(tmp_path, "acme: [\n"))
    assert any("must map vendor ids" in p for p in problems_for(tmp_path, "- acme\n"))


def test_release_dates_need_a_source_or_an_explicit_state(tmp_path: Path) -> None:
    path = tmp_path / "vendors.yml"
    path.write_text(
        "acme:\n"
        "  name: Acme\n"
        "  homepage: https://acme.example.com\n"
        "  models:\n"
        "    sourced: {name: Sourced, released: 2025-05-22, released_source: 'https://acme.example.com/news'}\n"
        "    unsourced: {name: Unsourced, released: 2025-05-22}\n"
        "    unknown: {name: Unknown, released: unknown}\n"
        "    never: {name: Never, released: not-released}\n"
        "    silent: {name: Silent}\n"
        "    bad-source: {name: Bad, released: 2025-01-01, released_source: 'http://acme.example.com'}\n"
        "    stray-source: {name: Stray, released: unknown, released_source: 'https://acme.example.com'}\n"
        "    bad-date: {name: Bad date, released: 2025-02-30}\n"
        "    typo: {name: Typo, released: unknown, released_souce: 'https://acme.example.com'}\n",
        encoding="utf-8",
    )
    registry, problems = load_registry(path)
    found = {(p.line, p.field, p.severity): p.message for p in problems}
    assert set(found) == {
        (6, "acme.models.unsourced.released", "error"),
        (9, "acme.models.silent", "warning"),
        (10, "acme.models.bad-source.released_source", "error"),
        (11, "acme.models.stray-source.released_source", "error"),
        (12, "acme.models.bad-date.released", "error"),
        (13, "acme.models.typo.released_souce", "error"),
    }
    assert found[(6, "acme.models.unsourced.released", "error")] == "a release date needs `released_source`"
    assert found[(9, "acme.models.silent", "warning")] == "no `released` key"
    assert "https" in found[(10, "acme.models.bad-source.released_source", "error")]
    assert "not `unknown`" in found[(11, "acme.models.stray-source.released_source", "error")]
    assert "not a date" in found[(12, "acme.models.bad-date.released", "error")]
    models = registry.vendors["acme"].models
    assert models["sourced"].released is not None and models["sourced"].released.isoformat() == "2025-05-22"
    assert models["sourced"].released_source == "https://acme.example.com/news"
    assert [models[m].release_status for m in ("sourced", "unknown", "never", "silent", "unsourced")] == [
        "released",
        "unknown",
        "not-released",
        "unknown",
        "unknown",
    ]
    assert models["unsourced"].released is None  # an unsourced date is never published


def test_an_untracked_note_needs_text_and_a_source(tmp_path: Path) -> None:
    found = problems_for(
        tmp_path,
        "acme:\n"
        "  name: Acme\n"
        "  homepage: https://acme.example.com\n"
        "  untracked_note: {text: Hundreds of incidents since}\n"
        "beta:\n"
        "  name: Beta\n"
        "  homepage: https://beta.example.com\n"
        "  untracked_note: {text: A tally counts 12, source: ftp://tally.example.com}\n",
    )
    assert any(f.startswith("4:acme.untracked_note:") and "`text` and `source`" in f for f in found)
    assert any(f.startswith("8:beta.untracked_note.source:") for f in found)


def test_openai_gap_is_sized_from_a_cited_tally() -> None:
    registry, _ = load_registry(Path(__file__).parent.parent / "incidents" / "vendors.yml")
    note = registry.vendors["openai"].untracked_note
    assert note is not None and "339 incidents in 2025" in note.text and "255 in 2026" in note.text
    assert note.source.startswith("https://github.com/zhenghu/AI-reliability-report/blob/")
