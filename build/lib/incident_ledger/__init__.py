"""AI Incident Ledger: incident files in, a validated catalog, pages, statistics and feeds out."""
