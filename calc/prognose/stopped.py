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

import numpy as np
import pandas as pd

from calc.prognose.arrays import dates, sort_codes

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
    start, end = dates(allocations["start_date"]), dates(allocations["end_date"])
    client, category, provider = (sort_codes(allocations[k])
                                  for k in ("client", "product_category", "provider"))
    missing = [allocations[k].isna().to_numpy() for k in ("client", "product_category",
                                                           "provider")]
    # by client, category and start (stable, missing last: as ``sort_values`` on the three)
    order = np.lexsort((sort_codes(start), category, client))
    here, nxt = order[:-1], order[1:]
    moved_on = start[nxt]
    gap = moved_on - end[here]
    # compared as pandas compares: a missing value equals nothing, differs from everything
    same = ~(missing[0][here] | missing[0][nxt] | missing[1][here] | missing[1][nxt])
    same &= (client[here] == client[nxt]) & (category[here] == category[nxt])
    other = missing[2][here] | missing[2][nxt] | (provider[here] != provider[nxt])
    moved = (same & other & (moved_on > start[here])
             & (np.isnat(gap) | (gap < np.timedelta64(MOVE_DAYS + 1, "D"))))  # days <= MOVE_DAYS
    moved &= ~missing[2][here]                      # no group without a provider
    rows, day = here[moved], moved_on[moved]
    if not len(rows):
        return {}
    names = allocations["provider"].to_numpy(dtype=object)
    out = {}
    # per provider and month of the moves, in the order of the providers, then the months
    by = np.lexsort((day.astype("datetime64[M]"), provider[rows]))
    rows, day = rows[by], day[by]
    key, month = provider[rows], day.astype("datetime64[M]")
    cuts = np.flatnonzero(np.r_[True, (key[1:] != key[:-1]) | (month[1:] != month[:-1]), True])
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        if hi - lo < MIN_MOVES:
            continue
        period = pd.Period(month[lo], "M")
        first, last = period.to_timestamp(), period.to_timestamp(how="end")
        running = int(((provider == key[lo]) & (start <= last.to_datetime64())
                       & (np.isnat(end) | (end >= first.to_datetime64()))).sum())
        if hi - lo >= MOVE_SHARE * max(running, 1):
            out[str(names[rows[lo]])] = pd.Timestamp(np.sort(day[lo:hi])[(hi - lo) // 2])
    return out
