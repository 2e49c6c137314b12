"""Is the peilmaand's claim month complete? The guard against a forecast on half a month.

A forecast as of claim month ``A`` takes every declaration of ``A`` as known. Providers send
the declaration of a month in the next month (the 323 of April is dated in May), so a
controller who presses *Prognose bijwerken* on 10 May has some of April's declarations and
not others. Taken as complete, that month would pull the claimed amount, the chain ladder's
latest diagonal and the utilisation down together: a forecast too low, without a word.

``check_claim_month`` looks at claim month ``A`` two ways. **Providers**: those that claimed
in each of the ``REFERENCE_MONTHS`` claim months before ``A`` and have claimed nothing in
``A`` yet; when their usual amount (median of those months) is ``MAX_MISSING`` or more of the
month's usual total, the month is still arriving. **Amount**: the month's claimed amount below
``MIN_SHARE`` of the median of the months before (one provider that sent half). Then without
a given peilmaand the forecast takes the month before (and says so); with one, it keeps the
user's month and warns. Quarterly or December claimers do not count as missing (they do not
claim every month), and a median of three months is not moved by one batch month. A provider
that stopped (``stopped``: ``calc.prognose.stopped``, its clients moved to others) by the end
of ``A`` is not awaited: its months count neither as missing nor in the usual amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from calc.text import nl_euro

#: Claim months before the latest that form its reference (their median).
REFERENCE_MONTHS = 3
#: Below this share of the reference the latest claim month counts as still arriving.
MIN_SHARE = 0.6
#: Regular providers still missing in a claim month, as a share of its usual amount, from
#: which the month counts as still arriving.
MAX_MISSING = 0.05


@dataclass(frozen=True)
class ClaimMonthCheck:
    """The peilmaand to use, and a Dutch note when the data's latest month is not complete."""

    as_of: pd.Timestamp
    note: str | None = None


def _per_claim_month(claim_lines: pd.DataFrame) -> pd.DataFrame:
    """Claimed euro (debit lines) per claim month (rows, every month between first and last)
    and provider (columns)."""
    month = pd.to_datetime(claim_lines["claim_month"]).dt.to_period("M")
    amount = pd.to_numeric(claim_lines["amount_euro"], errors="coerce").clip(lower=0)
    table = amount.groupby([month, claim_lines["provider"].astype(str)]).sum().unstack(
        fill_value=0.0)
    if table.empty:
        return table
    full = pd.period_range(table.index.min(), table.index.max(), freq="M")
    return table.reindex(full, fill_value=0.0)


def latest_claim_month(claim_lines: pd.DataFrame, as_of=None) -> pd.Timestamp:
    """The claim month the guard checks: ``as_of`` (a month) or the latest in the claims."""
    if as_of is not None:
        return pd.Timestamp(as_of).to_period("M").to_timestamp()
    return pd.to_datetime(claim_lines["claim_month"]).max().to_period("M").to_timestamp()


def check_claim_month(claim_lines: pd.DataFrame, as_of=None,
                      stopped: Mapping[str, pd.Timestamp] | None = None) -> ClaimMonthCheck:
    """The peilmaand for a forecast: ``as_of`` as given, or the latest complete claim month.

    ``stopped``: provider -> stop day (``calc.prognose.stopped.stopped_providers`` on the
    allocations known at the end of the month checked); those stopped by then are not awaited.

    >>> lines = pd.DataFrame({"claim_month": pd.to_datetime(
    ...     ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]),
    ...     "provider": "11111111", "amount_euro": [100.0, 110.0, 90.0, 30.0]})
    >>> c = check_claim_month(lines)
    >>> c.as_of.strftime("%m-%Y"), c.note.split(":")[0]
    ('03-2025', 'De declaraties over 04-2025 lijken nog niet compleet')
    >>> short = check_claim_month(lines.iloc[:3])     # fewer than three months before it
    >>> short.as_of.strftime("%m-%Y"), short.note
    ('03-2025', None)
    >>> given = check_claim_month(lines, as_of="2025-04")
    >>> given.as_of.strftime("%m-%Y"), "€ 30 gedeclareerd, tegen gewoonlijk € 100" in given.note
    ('04-2025', True)
    """
    table = _per_claim_month(claim_lines)
    given = as_of is not None
    if table.empty:
        return ClaimMonthCheck(pd.Timestamp(as_of) if given else pd.NaT)
    month = (pd.Timestamp(as_of).to_period("M") if given else table.index.max())
    gone = [p for p, day in (stopped or {}).items()
            if pd.Timestamp(day) <= month.to_timestamp(how="end") and p in table.columns]
    table = table.drop(columns=gone)
    before = table[table.index < month].iloc[-REFERENCE_MONTHS:]
    if len(before) < REFERENCE_MONTHS or month not in table.index:
        return ClaimMonthCheck(month.to_timestamp())
    totals = table.sum(axis=1)
    reference, got = float(totals[before.index].median()), float(totals[month])
    regular = (before > 0).all(axis=0)
    missing = regular & (table.loc[month] <= 0)
    usual = float(before.loc[:, missing].median(axis=0).sum()) if missing.any() else 0.0
    if reference <= 0 or (got >= MIN_SHARE * reference and usual < MAX_MISSING * reference):
        return ClaimMonthCheck(month.to_timestamp())
    head = f"De declaraties over {month.strftime('%m-%Y')} lijken nog niet compleet: "
    if usual >= MAX_MISSING * reference:
        n = int(missing.sum())
        what = head + (f"{n} {'aanbieder die' if n == 1 else 'aanbieders die'} elke maand "
                       f"{'declareert' if n == 1 else 'declareren'} (samen gewoonlijk "
                       f"{nl_euro(usual)}) {'heeft' if n == 1 else 'hebben'} over die maand nog "
                       "niets gedeclareerd")
    else:
        what = head + (f"{nl_euro(got)} gedeclareerd, tegen gewoonlijk {nl_euro(reference)} "
                       "in de drie maanden ervoor")
    if given:
        return ClaimMonthCheck(month.to_timestamp(), what + "; de prognose is dan te laag. "
                               "Kies een eerdere peilmaand of lees eerst de rest in.")
    earlier = month - 1
    return ClaimMonthCheck(earlier.to_timestamp(),
                           what + "; de prognose rekent daarom met peilmaand "
                           f"{earlier.strftime('%m-%Y')} (een eigen peilmaand kiest u met "
                           "grip prognose --peilmaand JJJJ-MM).")
