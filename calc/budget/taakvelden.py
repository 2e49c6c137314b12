"""The Iv3 taakvelden of the sociaal domein (2023 refinement) and their neighbours.

The table lives in ``calc.names`` (the one lookup of names beside codes); this module keeps
the name the budget code imports. Used to refuse a line booked on a taakveld that does not
exist.

>>> TAAKVELDEN["6.72a"]
'Jeugdhulp begeleiding'
"""

from __future__ import annotations

from calc.names import TAAKVELDEN  # noqa: F401
