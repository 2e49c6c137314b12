"""Backtesting the year-end forecast: how far was each month's forecast from what came in?

Every forecast run is kept as a **snapshot** (one row per key of a level, e.g. per taakveld:
evaluation month, forecast, lower, upper). Once a year's claims are in, ``backtest`` compares
each snapshot with the actual year total per key and reports per evaluation month the MAPE
(mean absolute percentage error over the keys) and the interval coverage (share of keys whose
actual lies inside the interval; ideally the forecast's level). ``replay`` builds the snapshots
of a past year afterwards, by forecasting as of each month with only what was known then
(claims up to that claim month, allocations sent by then). ``look_back`` is what the controller
sees (the Terugblik on the Prognose sheet): last year's forecast per evaluation month against
what came in, over the snapshots ``complete_snapshots`` gives (stored where there are any,
replayed where not).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calc.errors import GripError, InputError
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


#: Columns of ``look_back``.
LOOK_BACK_COLUMNS = ("as_of", "month", "source", "forecast_euro", "lower_euro", "upper_euro",
                     "actual_euro", "error", "mape", "coverage", "mape_taakveld",
                     "coverage_taakveld")
STORED, REPLAYED = "opgeslagen", "nagespeeld"


def complete_snapshots(claim_lines: pd.DataFrame, allocations: pd.DataFrame, *, year: int,
                       known_at, snapshots: pd.DataFrame | None = None,
                       months: Iterable[int] = range(1, 13), notes: list[str] | None = None,
                       **options) -> pd.DataFrame:
    """The snapshots of ``year``'s evaluation months up to ``known_at``, with a ``source``.

    A month with a stored snapshot keeps it (``source`` as stored, default "opgeslagen");
    a month without one is replayed with only what was known then ("nagespeeld"). Saving the
    replayed rows with the stored ones spares the next run the replay. A month that cannot be
    replayed (too little history) is left out with a Dutch line in ``notes``. ``options`` go
    to ``year_end_forecast`` (``level``, ``taakveld_map``, ...).
    """
    known_at = pd.Timestamp(known_at)
    stored = (snapshots[snapshots["year"] == year].copy()
              if snapshots is not None and len(snapshots)
              else pd.DataFrame(columns=[*SNAPSHOT_COLUMNS, "source"]))
    if "source" not in stored:
        stored["source"] = STORED
    stored["source"] = stored["source"].fillna(STORED)
    stored_months = {pd.Timestamp(a).month: pd.Timestamp(a) for a in stored["as_of"]}
    parts, skipped = [], []
    for m in months:
        as_of = pd.Timestamp(year=year, month=int(m), day=1)
        if as_of > known_at:
            continue
        if m in stored_months:
            parts.append(stored[pd.to_datetime(stored["as_of"]) == stored_months[m]])
            continue
        try:
            replayed = replay(claim_lines, allocations, year=year, months=(m,), **options)
        except GripError:
            skipped.append(f"{m:02d}-{year}")
            continue
        parts.append(replayed.assign(source=REPLAYED))
    if skipped and notes is not None:
        notes.append(f"Terugblik: de prognose van peilmaand {', '.join(skipped)} is niet na te "
                     "spelen (te weinig geschiedenis).")
    if not parts:
        return pd.DataFrame(columns=[*SNAPSHOT_COLUMNS, "source"])
    return pd.concat(parts, ignore_index=True)


def look_back(snapshots: pd.DataFrame, claim_lines: pd.DataFrame, *, year: int,
              known_at) -> pd.DataFrame:
    """How far the forecasts of ``year`` were, per evaluation month, from what came in.

    ``snapshots``: those of ``year`` (``complete_snapshots``: stored or replayed, column
    ``source``). What came in is the net claimed amount of ``year``'s service months as
    known at ``known_at`` (claims up to that claim month); claims that come even later are
    not in it, so shortly after the year it still runs a little low.

    Returns one row per evaluation month with ``LOOK_BACK_COLUMNS``: the total forecast, its
    interval and the actual total; ``error`` = forecast / actual - 1 and ``mape`` = its size;
    ``coverage`` 1 when the actual lies in the interval, else 0; ``mape_taakveld`` and
    ``coverage_taakveld`` the same over the taakvelden.
    """
    require_columns(claim_lines, CLAIM_LINES, argument="claim_lines")
    snaps = snapshots[snapshots["year"] == year]
    if snaps.empty or not (snaps["level"] == "total").any():
        return pd.DataFrame(columns=list(LOOK_BACK_COLUMNS))
    known = claim_lines[pd.to_datetime(claim_lines["claim_month"]) <= pd.Timestamp(known_at)]
    total = backtest(snaps, known, level="total", year=year).set_index("as_of")
    rows = snaps[snaps["level"] == "total"].set_index(
        pd.to_datetime(snaps.loc[snaps["level"] == "total", "as_of"]))
    source = rows["source"] if "source" in rows else pd.Series(STORED, index=rows.index)
    out = pd.DataFrame({
        "as_of": total.index, "month": total["month"].astype(int).to_numpy(),
        "source": source.reindex(total.index).fillna(STORED).to_numpy(),
        "forecast_euro": total["forecast_euro"].to_numpy(),
        "lower_euro": rows.loc[total.index, "lower_euro"].to_numpy(float),
        "upper_euro": rows.loc[total.index, "upper_euro"].to_numpy(float),
        "actual_euro": total["actual_euro"].to_numpy()})
    with np.errstate(divide="ignore", invalid="ignore"):
        out["error"] = np.where(out["actual_euro"] != 0,
                                out["forecast_euro"] / out["actual_euro"] - 1, np.nan)
    out["mape"] = out["error"].abs()
    out["coverage"] = total["coverage"].to_numpy()
    if (snaps["level"] == "taakveld").any():
        by_tv = backtest(snaps, known, level="taakveld", year=year).set_index("as_of")
        out["mape_taakveld"] = by_tv["mape"].reindex(out["as_of"]).to_numpy()
        out["coverage_taakveld"] = by_tv["coverage"].reindex(out["as_of"]).to_numpy()
    else:
        out["mape_taakveld"] = out["coverage_taakveld"] = np.nan
    return out[list(LOOK_BACK_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class LookBackSummary:
    """How far to trust this year's forecast: last year's forecasts against what came in.

    Over ``months`` evaluation months of ``year``: ``bias`` the mean of forecast / actual - 1
    (positive: too high), ``mape`` the mean of its size, ``coverage`` the share of months whose
    actual total lay inside the interval at ``level``, ``coverage_taakveld`` the same over the
    taakvelden (NaN without them). Fractions, not percentages.
    """

    year: int
    months: int
    bias: float
    mape: float
    coverage: float
    coverage_taakveld: float
    level: float


def summarise_look_back(report: pd.DataFrame | None, *, year: int, level: float
                        ) -> LookBackSummary | None:
    """Bias, MAPE and coverage over a ``look_back`` table; None when it has no months.

    >>> report = pd.DataFrame({"error": [0.04, -0.02], "coverage": [1.0, 0.0],
    ...                        "coverage_taakveld": [0.8, 0.6]})
    >>> s = summarise_look_back(report, year=2025, level=0.8)
    >>> round(s.bias, 3), round(s.mape, 3), s.coverage, round(s.coverage_taakveld, 2)
    (0.01, 0.03, 0.5, 0.7)
    """
    if report is None or report.empty:
        return None
    error = pd.to_numeric(report["error"], errors="coerce").dropna()
    if error.empty:
        return None
    return LookBackSummary(year=int(year), months=int(len(error)), bias=float(error.mean()),
                           mape=float(error.abs().mean()),
                           coverage=float(pd.to_numeric(report["coverage"]).mean()),
                           coverage_taakveld=float(pd.to_numeric(
                               report["coverage_taakveld"], errors="coerce").mean()),
                           level=float(level))
