"""Records naming no model: `all` only when the vendor's words or components say every model was hit.

Titles and components are Anthropic's own, from Malorn44/claude-statuses @ a0fc4cec96feebdc162209f42835ce6abb34967d
(data/incidents.jsonl), mapped to products by the project's registry.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident_ledger.ledger.registry import load_registry
from incident_ledger.sources.draft import products_of
from incident_ledger.sources.scope import unnamed_scope

REGISTRY, _ = load_registry(Path(__file__).parent.parent / "incidents" / "vendors.yml")
ANTHROPIC = REGISTRY.vendors["anthropic"]


@pytest.mark.parametrize(
    ("ref", "title", "components", "scope"),
    [
        ("qxdvjb4njp6q", "Elevated API error rate across all models", [], "all"),
        ("q2kg8n613kr3", "Elevated errors across all models", [], "all"),
        (
            "rjjg3fzd2spp",
            "Claude.ai, Console, and API not available",
            ["claude.ai", "Claude API (api.anthropic.com)"],
            "all",
        ),
        (
            "jsp92d37pvs0",
            "Elevated errors on Claude.ai and Console",
            ["claude.ai", "Claude Console (platform.claude.com)"],
            "all",
        ),
        (
            "833cdm540lld",
            "Degraded performance on Claude Console",
            ["Claude Console (platform.claude.com)"],
            "unspecified",
        ),
        (
            "6y3n60jm23w1",
            "Elevated errors on Console billing UI",
            ["Claude Console (platform.claude.com)"],
            "unspecified",
        ),
        ("70jm56f7jlpk", "Claude Desktop login issues", ["claude.ai"], "unspecified"),
        ("k1hywp210cxl", "Elevated errors with uploading files to claude.ai", ["claude.ai"], "unspecified"),
        ("8q00jfj4yfv6", "Billing and subscription management issues", [], "unspecified"),
        ("61k4r5c1xzfj", "anthropic.com is down but the API and Console are still available", [], "unspecified"),
    ],
)
def test_scope_of_a_record_naming_no_model(ref: str, title: str, components: list[str], scope: str) -> None:
    products = [ANTHROPIC.components[c] for c in components]
    assert unnamed_scope(ANTHROPIC, title, products, []) == scope, ref


def test_the_vendors_words_say_every_model_even_in_a_later_post() -> None:
    # Anthropic z6czsz9vr4tw: the title says "all models" too; here only an update does
    text = "We are seeing elevated errors for requests to all models."
    assert unnamed_scope(ANTHROPIC, "Elevated errors", [], [text]) == "all"
    assert unnamed_scope(ANTHROPIC, "Elevated errors", [], ["We are investigating."]) == "unspecified"


@pytest.mark.parametrize(
    ("vendor", "title", "products"),
    [
        ("openai", "Elevated Captcha Requests in ChatGPT", ["chatgpt"]),
        ("openai", "Degradation in Realtime API", ["api"]),
        ("openai", "Latency and errors across the Intercom application", []),
        ("anthropic", "Claude Code Code Review was intermittently failing", ["claude-code"]),
        ("anthropic", "Elevated errors on claude.ai and the API", ["api", "claude-ai"]),
        ("anthropic", "Issues reaching status.claude.com", []),
    ],
)
def test_a_post_marking_no_component_is_classed_by_the_products_it_names(
    vendor: str, title: str, products: list[str]
) -> None:
    """Without a marked component, the vendor's words put a record in a product class; none named, none guessed."""
    assert products_of(REGISTRY.vendors[vendor], [], [title]) == products


@pytest.mark.parametrize(
    ("title", "scope"),
    [
        ("YouTube url handling outage.", "unspecified"),
        ("File API document processing outage.", "unspecified"),
        ("Increased error rates for DeepResearch requests on Interactions API", "unspecified"),
        ("Gemini API and AI Studio outage.", "all"),
    ],
)
def test_a_gemini_feature_outage_is_no_outage_of_every_model(title: str, scope: str) -> None:
    assert unnamed_scope(REGISTRY.vendors["google"], title, ["ai-studio", "gemini-api"], []) == scope


@pytest.mark.parametrize(
    ("vendor", "title", "scope"),
    [
        ("openrouter", "Elevated 429s on Anthropic and OpenAI", "unspecified"),  # OpenRouter's own title
        ("openrouter", "Elevated errors on Mistral models", "unspecified"),
        ("openrouter", "Chat completions unavailable", "all"),  # the gateway itself: every model behind it
        ("anthropic", "Elevated errors for requests routed from Google Cloud", "all"),  # a vendor with its own models
    ],
)
def test_a_hosts_title_naming_other_vendors_is_about_their_models(vendor: str, title: str, scope: str) -> None:
    assert unnamed_scope(REGISTRY.vendors[vendor], title, ["api"], []) == scope
