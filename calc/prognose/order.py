"""Rows in an order fixed by their content, so a forecast does not depend on the order in
which a store hands its records back.

A sum of floats depends on the order of its terms in the last bit. The same messages imported
in another order (other files first, parallel workers) give the same records in another row
order, and a groupby sums each group's rows in row order: the forecast then differed by about
1e-11 of a euro amount between two runs (the demo's Aanbieders!G13, 82093.99769392502
against ...503). Sorting the inputs by their content first makes every sum go the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from calc.records import ALLOCATIONS, CLAIM_LINES, REQUESTS, STARTS_STOPS


def _order(first: tuple[str, ...], columns: tuple[str, ...]) -> tuple[str, ...]:
    """``first``, then the other ``columns``, the pseudonym (``client``) last: each store
    pseudonymises with its own key, so two imports of the same messages have other client
    codes, and an order on them would differ (two runs of grip demo did, in the last digit)."""
    rest = [c for c in columns if c not in first and c != "client"]
    return (*first, *rest, *(("client",) if "client" in columns else ()))


#: The claim lines' keys in the order messages come (a claim month's declaration per provider,
#: its lines by reference), then every other column: data read from a store or an export is
#: then mostly in this order already, and the sort moves few rows (moving many rows scatters
#: the text columns in memory and slows every later groupby).
CLAIM_LINE_ORDER = _order(("claim_month", "law", "municipality", "provider", "claim_number",
                           "reference_number"), CLAIM_LINES)
#: The allocations' keys: per provider each allocation's versions by date.
ALLOCATION_ORDER = _order(("law", "municipality", "provider", "allocation_number",
                           "valid_from"), ALLOCATIONS)
#: Start/stop messages and requests: their own columns, the pseudonym last.
STARTS_STOPS_ORDER = _order((), STARTS_STOPS)
REQUESTS_ORDER = _order((), REQUESTS)


def in_content_order(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame``'s rows sorted by ``columns`` (those it has), stable, numbered 0..n-1 again
    (a permuted index would make every later alignment on it slower).

    Rows equal in every column keep their order; they are interchangeable in any sum.

    >>> f = pd.DataFrame({"provider": ["b", "a", "a"], "euro": [1.0, 3.0, 2.0]}, index=[7, 8, 9])
    >>> in_content_order(f, ("provider", "euro", "absent"))["euro"].tolist()
    [2.0, 3.0, 1.0]
    """
    keys = [c for c in columns if c in frame.columns]
    if len(frame) < 2 or not keys:
        return frame
    return frame.sort_values(keys, kind="mergesort", na_position="last", ignore_index=True)
