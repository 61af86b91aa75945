"""What shows the ledger: the MkDocs adapter, generated pages, charts, badges, feeds and open data.

The adapter (`plugin`) only wires MkDocs events to the rest; everything another engine
would also need lives in the other modules here or in `ledger`. Build-speed machinery
sits apart in `speed`. Imports `ledger`, never `sources`.
"""
