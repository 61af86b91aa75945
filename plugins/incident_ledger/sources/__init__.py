"""What brings vendor data in: status-data readers, fetching, collect, import and link checks.

Each module under `readers` reads one published shape into the same parsed record;
the rest turns those records into ledger files and coverage. Imports `ledger`, never `site`.
"""
