"""The vendor registry: mistakes in vendors.yml are problems with lines, valid vendors are kept."""

from __future__ import annotations

from pathlib import Path

from incident_ledger.registry import load_registry


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


def test_missing_and_broken_registry(tmp_path: Path) -> None:
    registry, problems = load_registry(tmp_path / "vendors.yml")
    assert registry.vendors == {} and "not found" in problems[0].message
    assert any("YAML syntax error" in p for p in problems_for(tmp_path, "acme: [\n"))
    assert any("must map vendor ids" in p for p in problems_for(tmp_path, "- acme\n"))
