"""The core: incident records, their rules and their figures.

Holds the model, time parsing, loading and validation of incident files, the
registry, evidence classes, coverage (and its file), the catalog, statistics,
launches, related incidents, git history and the JSON Schema. It knows neither
MkDocs nor HTTP, and imports nothing from `sources` or `site`; both build on it.
"""
