"""A blind municipality: an independently written generator of iJw 3.2 message traffic.

Written from the domain (DOMAIN.md, the iJw 3.2 schemas and code lists) by hands that did not
read Grip's own synthetic municipality (``berichten/synth``) or its forecast
(``calc/prognose``), so that the year-end forecast can be checked on habits it was not fitted
to (issue 17). ``generate(out, seed=, scale=)`` writes the messages and ``waarheid.json``.
"""

from benchmarks.blind.generate import generate

__all__ = ["generate"]
