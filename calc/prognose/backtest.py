"""Backtesting the year-end forecast: how far was each month's forecast from what came in?

Every forecast run is kept as a **snapshot** (one row per key of a level, e.g. per taakveld:
evaluation month, forecast, lower, upper). Once a year's claims are in, ``backtest`` compares
each snapshot with the actual year total per key and reports per evaluation month the MAPE
(mean absolute percentage error over the keys) and the interval coverage (share of keys whose
actual lies inside the interval; ideally the forecast's level). ``replay`` builds the snapshots
of a past year afterwards, by forecasting as of each month with only what was known then
(claims up to that claim month, allocations sent by then).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from calc.errors import InputError
from calc.prognose.yearend import YearEndForecast, year_end_forecast
from calc.records import CLAIM_LINES, require_columns

SNAPSHOT_COLUMNS = ("year", "as_of", "level", "key", "forecast_euro", "lower_euro",
                    "upper_euro", "confidence")


def snapshot(forecast: YearEndForecast, levels: Iterable[str] = ("total", "taakveld")
             ) -> pd.DataFrame:
    """The rows to store for one forecast run (one per key of each level)."""
    parts = []
    for level in levels:
        table = forecast.by(level)
        key_col = "total" if level == "total" else level
        parts.append(pd.DataFrame({
            "year": forecast.year, "as_of": forecast.as_of, "level": level,
            "key": table[key_col].astype(str), "forecast_euro": table["forecast_euro"],
            "lower_euro": table["lower_euro"], "upper_euro": table["upper_euro"],
            "confidence": forecast.level}))
    return pd.concat(parts, ignore_index=True)[list(SNAPSHOT_COLUMNS)]


def actuals(claim_lines: pd.DataFrame, year: int, level: str,
            taakvelden: pd.DataFrame | None = None) -> pd.Series:
    """Net claimed euro per key of ``level`` for the service months of ``year``."""
    require_columns(claim_lines, CLAIM_LINES, argument="claim_lines")
    months = pd.to_datetime(claim_lines["service_month"])
    lines = claim_lines[months.dt.year == year]
    if level == "total":
        return pd.Series({"Totaal": float(lines["amount_euro"].sum())})
    if level in ("taakveld", "theme"):
        from calc.prognose.yearend import taakveld_table

        table = taakvelden if taakvelden is not None else taakveld_table()
        mapped = lines["product_category"].astype(str).map(
            table.set_index("product_category")[level]).fillna("onbekend")
        return lines.groupby(mapped)["amount_euro"].sum()
    return lines.groupby(lines[level].astype(str))["amount_euro"].sum()


def backtest(snapshots: pd.DataFrame, claim_lines: pd.DataFrame, *, level: str = "taakveld",
             year: int | None = None) -> pd.DataFrame:
    """Per evaluation month: MAPE and interval coverage of the snapshots against the actuals.

    Parameters
    ----------
    snapshots : DataFrame with ``SNAPSHOT_COLUMNS`` (from ``snapshot`` or ``replay``)
    claim_lines : DataFrame (``calc.records.CLAIM_LINES``) with the year's claims in
    level : str
        Which level of the snapshots to judge.
    year : int, optional
        Default: the latest year in the snapshots.

    Returns
    -------
    DataFrame: ``as_of``, ``month`` (1..12), ``keys``, ``mape`` (fraction), ``coverage``
    (fraction), ``forecast_euro`` and ``actual_euro`` (sums over the keys).

    Examples
    --------
    >>> snaps = pd.DataFrame({"year": 2025, "as_of": pd.Timestamp("2025-03-01"),
    ...     "level": "total", "key": "Totaal", "forecast_euro": 110.0, "lower_euro": 90.0,
    ...     "upper_euro": 130.0, "confidence": 0.8}, index=[0])
    >>> lines = pd.DataFrame({c: [None] for c in CLAIM_LINES})
    >>> lines["service_month"], lines["amount_euro"] = pd.Timestamp("2025-02-01"), 100.0
    >>> backtest(snaps, lines, level="total")[["month", "mape", "coverage"]].values.tolist()
    [[3.0, 0.1, 1.0]]
    """
    missing = [c for c in SNAPSHOT_COLUMNS if c not in snapshots.columns]
    if missing:
        raise InputError(f"kolommen ontbreken: {', '.join(missing)}", argument="snapshots")
    snaps = snapshots[snapshots["level"] == level]
    if snaps.empty:
        raise InputError(f"er zijn geen opgeslagen prognoses op niveau '{level}'",
                         argument="snapshots")
    year = int(year or snaps["year"].max())
    snaps = snaps[snaps["year"] == year]
    actual = actuals(claim_lines, year, level)
    rows = []
    for as_of, s in snaps.groupby("as_of"):
        a = actual.reindex(s["key"].astype(str)).fillna(0.0).to_numpy()
        f = s["forecast_euro"].to_numpy(float)
        ok = a != 0
        mape = float(np.mean(np.abs(f[ok] - a[ok]) / np.abs(a[ok]))) if ok.any() else np.nan
        inside = (a >= s["lower_euro"].to_numpy(float)) & (a <= s["upper_euro"].to_numpy(float))
        rows.append({"as_of": pd.Timestamp(as_of), "month": pd.Timestamp(as_of).month,
                     "keys": len(s), "mape": mape, "coverage": float(inside.mean()),
                     "forecast_euro": float(f.sum()), "actual_euro": float(a.sum())})
    return pd.DataFrame(rows).sort_values("as_of").reset_index(drop=True)


def replay(claim_lines: pd.DataFrame, allocations: pd.DataFrame, *, year: int,
           months: Iterable[int] = range(1, 13), levels: Iterable[str] = ("total", "taakveld"),
           **options) -> pd.DataFrame:
    """Snapshots of a past year, as if the forecast had run as of each given month."""
    parts = []
    for m in months:
        as_of = pd.Timestamp(year=year, month=int(m), day=1)
        forecast = year_end_forecast(claim_lines, allocations, as_of=as_of, year=year, **options)
        parts.append(snapshot(forecast, levels))
    return pd.concat(parts, ignore_index=True)
