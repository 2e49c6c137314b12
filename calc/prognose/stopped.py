"""Providers that stopped (a bankruptcy, an ended contract), seen in the allocations.

When a provider stops, its clients move: their allocation there ends and a new one for the
same product category starts at another provider within days. One client moving is care as
usual; a large share of a provider's running allocations moving in the same month is the
provider stopping. ``stopped_providers`` names those providers with their stop day (the
median end date of the moves), from the allocations as known at the evaluation month.

The year-end forecast then counts no care at a stopped provider after its stop: its
allocations that still run on paper (the municipality did not shorten them all) would
otherwise be counted twice, once there and once at the provider the client moved to.
"""

from __future__ import annotations

import pandas as pd

#: Days after the end of an allocation within which the new one at another provider starts.
MOVE_DAYS = 14
#: A provider stopped when in one month at least this share of its running allocations moved...
MOVE_SHARE = 0.3
#: ...and at least this many.
MIN_MOVES = 3


def stopped_providers(allocations: pd.DataFrame) -> dict[str, pd.Timestamp]:
    """Provider -> stop day, for providers whose clients moved away together.

    ``allocations``: the current versions (``calc.records.ALLOCATIONS`` columns) as known at
    the evaluation month. A move: an allocation of the same client and product category at
    another provider starts while the one at provider P still runs on paper or at most
    ``MOVE_DAYS`` after it ended; the move's day is the new start. P stopped in the month where
    at least ``MIN_MOVES`` and ``MOVE_SHARE`` of the allocations running at P moved; its stop
    day is the median move day.

    >>> day = pd.Timestamp
    >>> rows = [("P", f"c{i}", day("2024-01-01"), day("2025-04-10")) for i in range(4)]
    >>> rows += [("Q", f"c{i}", day("2025-04-10"), day("2025-12-31")) for i in range(3)]
    >>> allocs = pd.DataFrame(rows, columns=["provider", "client", "start_date", "end_date"])
    >>> allocs["product_category"] = "45"
    >>> {p: f"{d:%Y-%m-%d}" for p, d in stopped_providers(allocs).items()}
    {'P': '2025-04-10'}
    """
    if allocations.empty:
        return {}
    a = allocations[["provider", "client", "product_category", "start_date", "end_date"]].copy()
    a["start_date"] = pd.to_datetime(a["start_date"])
    a["end_date"] = pd.to_datetime(a["end_date"])
    a = a.sort_values(["client", "product_category", "start_date"]).reset_index(drop=True)
    same = ((a["client"] == a["client"].shift(-1))
            & (a["product_category"] == a["product_category"].shift(-1)))
    moved_on = a["start_date"].shift(-1)
    gap = (moved_on - a["end_date"]).dt.days
    moved = (same & (a["provider"] != a["provider"].shift(-1)) & (moved_on > a["start_date"])
             & (gap.isna() | (gap <= MOVE_DAYS)))
    moves = a[moved].assign(day=moved_on[moved])
    if moves.empty:
        return {}
    out = {}
    for (provider, month), g in moves.groupby(
            [moves["provider"], moves["day"].dt.to_period("M")]):
        if len(g) < MIN_MOVES:
            continue
        first, last = month.to_timestamp(), month.to_timestamp(how="end")
        mine = a[a["provider"] == provider]
        running = ((mine["start_date"] <= last)
                   & (mine["end_date"].isna() | (mine["end_date"] >= first))).sum()
        if len(g) >= MOVE_SHARE * max(running, 1):
            out[str(provider)] = g["day"].sort_values().iloc[len(g) // 2]
    return out
