"""Berichtenverkeer: iJw/iWmo 3.2 messages and exports into the local store, and the synthetic municipality.

- ``codes``: the message catalogue and code lists (``codelijsten/``), namespaces, BSN 11-test.
- ``xmlreader``: the hardened streaming XML reader (``read_message``).
- ``rows``: record -> table row with every record-level check and its Dutch reason.
- ``flat``: CSV/xlsx exports with a configurable column mapping (``kolommen.toml``).
- ``pseudonym``: BSN -> keyed hash (HMAC-SHA256), one key per municipality.
- ``store``: the DuckDB store (``Store``) returning the tables of ``calc.records``.
- ``importer``: ``import_paths`` — incremental, idempotent, transactional, logged.
- ``synth``: the synthetic municipality "Gemeente Voorbeeld": its messages (``generate``) or
  the record tables their import gives, made in memory (``synthetic_tables``).
- ``xsd/``: the iJw 3.2 schemas (validation on import, and the synthetic files' own check).
"""
