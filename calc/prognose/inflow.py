"""A break in the inflow of new clients (a policy cut, a new access route), seen in the data.

The year-end forecast expects new clients at the rate of the last ``window`` months. When the
inflow changed within that window (a policy cut on new allocations from mid-year), the rest of
the year follows the recent months, not the year's average. ``inflow_break`` compares the
last ``RECENT_MONTHS`` months with the months before them, each against the same months a
year earlier (so the season and the yearly growth cancel), in counts of new clients over all
product categories (counts per category are too small to see a break in):

    b = log(n_recent / n_recent_year_before) - log(n_earlier / n_earlier_year_before)

with the Poisson variance ``v = sum of 1/n`` of the four counts. The break counts with the
positive-part James-Stein weight ``Z = max(0, 1 - v / b^2)`` (a jump within its own noise
counts for nothing), and the rate of the rest of the year relative to the window's average is

    f = exp(Z b) * window / (window - RECENT_MONTHS + RECENT_MONTHS * exp(Z b)).

Without a full year before the window there is no comparison: ``f = 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Months that make up "recent" inflow.
RECENT_MONTHS = 3


@dataclass(frozen=True)
class InflowBreak:
    """``factor`` on the window's inflow rate for the rest of the year; ``log_break`` (b),
    its variance ``var`` and weight ``weight`` (Z); ``counts`` (recent, a year before,
    earlier, a year before)."""

    factor: float = 1.0
    log_break: float = 0.0
    var: float = 0.0
    weight: float = 0.0
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)


def inflow_break(first_starts, a: pd.Timestamp, *, window: int, first_month=None
                 ) -> InflowBreak:
    """The break in the monthly count of new clients up to evaluation month ``a``.

    ``first_starts``: the start dates of the new clients' first allocations (all of them
    known, any date). ``first_month``: the first month of the data (no comparison reaches
    before it).

    >>> months = pd.date_range("2023-01-01", "2025-06-01", freq="MS")
    >>> n = [20] * 27 + [10] * 3                    # halved from April 2025
    >>> starts = pd.Series(np.repeat(months.to_numpy(), n))
    >>> br = inflow_break(starts, pd.Timestamp("2025-06-01"), window=12)
    >>> br.counts, round(br.log_break, 3), round(br.factor, 3)
    ((30, 60, 180, 180), -0.693, 0.616)
    """
    s = pd.to_datetime(pd.Series(np.asarray(first_starts))).dt.to_period("M")
    a_p = pd.Timestamp(a).to_period("M")
    oldest = a_p - (window + 12 - 1)
    if first_month is not None and pd.Timestamp(first_month).to_period("M") > oldest:
        return InflowBreak()
    if s.empty or s.min() > oldest:
        return InflowBreak()
    per = s.value_counts()

    def count(lo_back: int, hi_back: int) -> int:
        months = [a_p - k for k in range(lo_back, hi_back)]
        return int(per.reindex(months).fillna(0).sum())

    n_r, n_r0 = count(0, RECENT_MONTHS), count(12, 12 + RECENT_MONTHS)
    n_e, n_e0 = count(RECENT_MONTHS, window), count(12 + RECENT_MONTHS, 12 + window)
    counts = (n_r, n_r0, n_e, n_e0)
    if min(counts) == 0:
        return InflowBreak(counts=counts)
    b = float(np.log(n_r / n_r0) - np.log(n_e / n_e0))
    v = float(sum(1.0 / c for c in counts))
    z = float(np.clip(1.0 - v / b ** 2, 0.0, 1.0)) if b != 0 else 0.0
    jump = float(np.exp(z * b))
    factor = jump * window / (window - RECENT_MONTHS + RECENT_MONTHS * jump)
    return InflowBreak(factor, b, v, z, counts)
