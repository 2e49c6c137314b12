"""Berichtenverkeer: iJw/iWmo 3.2 messages and flat exports into a local, pseudonymised store.

- ``codes``: the message catalogue and code lists (``codelijsten/``), namespaces, BSN 11-test.
- ``xmlreader``: the hardened streaming XML reader (``read_message``).
- ``rows``: record -> table row with every record-level check and its Dutch reason.
- ``flat``: CSV/xlsx exports with a configurable column mapping (``kolommen.toml``).
- ``pseudonym``: BSN -> keyed hash (HMAC-SHA256), one key per municipality.
- ``store``: the DuckDB store (``Store``) returning the tables of ``calc.records``.
- ``importer``: ``import_paths`` — incremental, idempotent, transactional, logged.
"""
