"""Seasonality of delivery: fewer hours in the summer holidays and around Christmas.

Ambulant care (begeleiding, behandeling) drops in July and August and in December, while the
allocations run on; a 24-hour stay does not. The year-end forecast learns its utilisation over
the last twelve months, an average over the seasons, and would value April-December (three of
its nine months are holiday months) or July-December (three of six) at that average: too high.

``seasonal_index`` learns per product category a factor per calendar month from the claims
themselves: the ratio of each service month's (developed) amount to its centred twelve-month
moving average (the classical ratio-to-moving-average decomposition; the moving average
carries the trend and the indexation), averaged over the years, normalised to a mean of 1.
Few years make a noisy index, so each category's deviations from 1 are shrunk by the
positive-part James-Stein weight ``1 - noise / mean square deviation``, the noise being the
year-to-year scatter of the ratios over the number of years: a category without a real
season (a stay) keeps 1, one with a clear summer dip keeps most of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Years of ratios a calendar month needs for its scatter to count.
MIN_YEARS = 2
#: Calendar months with a scatter a category needs (each month needs one ratio at least).
MIN_SCATTER_MONTHS = 6


def seasonal_index(service_month: pd.Series, category: pd.Series, amount: pd.Series
                   ) -> pd.DataFrame:
    """Product category x calendar month (1..12): the delivery's seasonal factor (mean 1).

    ``service_month``, ``category``, ``amount``: complete (developed) amounts per service
    month and category (several rows of one month and category are summed); months missing
    in between break the moving average there.

    A 30 % dip in July and August on a growing amount: relative to a mean of 1 the months are
    0,7 / 0,95 = 0,74 and 1 / 0,95 = 1,05 (the moving average follows the growth up to a
    little curvature):

    >>> months = pd.date_range("2021-01-01", "2024-12-01", freq="MS")
    >>> dip = {7: 0.7, 8: 0.7}
    >>> amount = pd.Series([100.0 * 1.01 ** i * dip.get(m.month, 1.0) for i, m in enumerate(months)])
    >>> idx = seasonal_index(pd.Series(months), pd.Series("45", index=amount.index), amount)
    >>> round(float(idx.loc["45", 7]), 2), round(float(idx.loc["45", 3]), 2)
    (0.74, 1.06)
    """
    d = pd.DataFrame({"month": pd.to_datetime(service_month).dt.to_period("M"),
                      "cat": category.astype(str).to_numpy(), "euro": amount.to_numpy(float)})
    # one groupby for every category's monthly sums (each group's rows summed in the same
    # order as a groupby per category: the same sums)
    sums = d.groupby(["cat", "month"])["euro"].sum()
    ratios = _ratios(sums)
    if ratios.empty:
        return pd.DataFrame(columns=range(1, 13), dtype=float)
    # and one for every category's calendar months (each group's ratios in month order, as a
    # groupby per category: the same means and variances)
    by_month = ratios.groupby(["cat", "calendar_month"], sort=True)["ratio"]
    stats = pd.DataFrame({"mean": by_month.mean(), "var": by_month.var(ddof=1),
                          "n": by_month.size()})
    cats = stats.index.get_level_values("cat").to_numpy()
    starts = np.r_[0, np.flatnonzero(cats[1:] != cats[:-1]) + 1]
    ends = np.r_[starts[1:], len(cats)]
    columns = {name: stats[name].to_numpy(dtype=float) for name in ("mean", "var", "n")}
    out = {}
    for lo, hi in zip(starts, ends):
        mean, var, n = (columns[name][lo:hi] for name in ("mean", "var", "n"))
        ok = n >= MIN_YEARS
        if hi - lo < 12 or ok.sum() < MIN_SCATTER_MONTHS:
            continue
        mean = mean / _mean(mean)
        dev = mean - 1.0
        # the scatter of one year's ratio, from the months seen in two years or more
        noise = float(_mean(float(_mean(var[ok])) / n))
        signal = float(_mean(dev ** 2))
        w = max(0.0, 1.0 - noise / signal) if signal > 0 else 0.0
        out[str(cats[lo])] = pd.Series(1.0 + w * dev, index=range(1, 13))
    if not out:
        return pd.DataFrame(columns=range(1, 13), dtype=float)
    return pd.DataFrame(out).T.reindex(columns=range(1, 13)).fillna(1.0)


def _ratios(sums: pd.Series) -> pd.DataFrame:
    """Per category (``sums``: euro per category and month, sorted) the ratio of each month to
    its centred twelve-month moving average, where both are known (``cat``,
    ``calendar_month``, ``ratio``; months in order)."""
    cats = sums.index.get_level_values("cat").to_numpy()
    months = sums.index.get_level_values("month")
    ordinal = months.asi8 if hasattr(months, "asi8") else pd.PeriodIndex(months).asi8
    values_all = sums.to_numpy(float)
    starts = np.r_[0, np.flatnonzero(cats[1:] != cats[:-1]) + 1] if len(cats) else []
    ends = np.r_[starts[1:], len(cats)] if len(cats) else []
    weights = np.r_[0.5, np.ones(11), 0.5] / 12.0
    parts = []
    for lo, hi in zip(starts, ends):
        first = ordinal[lo]
        full = np.arange(first, ordinal[hi - 1] + 1)
        values = np.full(len(full), np.nan)          # a month missing in between: NaN
        values[ordinal[lo:hi] - first] = values_all[lo:hi]
        if len(values) < 13:
            continue
        ma = np.convolve(values, weights, mode="valid")     # a missing month stays NaN
        with np.errstate(divide="ignore", invalid="ignore"):  # ma = 0: dropped just below
            ratio = values[6:-6] / ma
        keep = np.isfinite(ratio) & (ma > 0)
        parts.append(pd.DataFrame({"cat": cats[lo], "calendar_month": full[6:-6][keep] % 12 + 1,
                                   "ratio": ratio[keep]}))
    if not parts:
        return pd.DataFrame(columns=["cat", "calendar_month", "ratio"])
    return pd.concat(parts, ignore_index=True)


def _mean(values) -> float | np.ndarray:
    """The mean as pandas takes it (NaN left out: summed as 0, divided by the count)."""
    values = np.asarray(values, dtype=float)
    known = ~np.isnan(values)
    return np.where(known, values, 0.0).sum() / known.sum()


def season_factor(index: pd.DataFrame, categories, months) -> np.ndarray:
    """The factor of each (category, month) pair (arrays of equal length); 1 where unknown."""
    cats = np.asarray(categories, dtype=object).astype(str)
    mo = pd.to_datetime(pd.Series(np.asarray(months))).dt.month.to_numpy()
    if index.empty or not len(cats):
        return np.ones(len(cats))
    rows = index.index.get_indexer(cats)
    table = index.to_numpy(float)
    return np.where(rows >= 0, table[np.clip(rows, 0, None), mo - 1], 1.0)
