"""One prognose run over the record tables, and its tables as the workbook shows them.

``compute_prognose`` takes the record tables (``calc.records``) and returns a
``PrognoseResult``: the year-end forecast, the provider view, referrers, trajectory costs,
start lags, the monthly spending series with its forecast to December, the snapshot of this
run and the look-back at last year's forecasts. ``yearend_rows``, ``provider_rows``,
``monthly_rows`` and ``look_back_rows`` give fixed-size rows with Dutch labels for the sheets
and the ribbon button's output ranges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calc.errors import GripError
from calc.prognose.backtest import complete_snapshots, look_back, snapshot
from calc.prognose.commitments import start_lags
from calc.prognose.providers import provider_view, referrers, trajectory_costs
from calc.prognose.series import forecast_series
from calc.prognose.yearend import YearEndForecast, accepted_lines, year_end_forecast

#: Columns of the year-end table (sheet Prognose, named range ``grip_uit_prognose``).
YEAREND_HEADER = ("Niveau", "Naam", "Gedeclareerd", "Nog te declareren", "Resterende maanden",
                  "Nieuwe cliënten", "Prognose", "Ondergrens", "Bovengrens", "Verplicht")
#: Columns of the provider table (sheet Aanbieders, named range ``grip_uit_aanbieders``).
PROVIDER_HEADER = ("Aanbieder (AGB)", "Verplicht", "Gedeclareerd", "Nog te declareren",
                   "Prognose", "Ondergrens", "Bovengrens", "Benuttingsgraad",
                   "Mediane vertraging (mnd)", "Aandeel laat", "Aandeel afgewezen",
                   "Structureel laat")
#: Columns of the monthly chart data (sheet Prognose).
MONTHLY_HEADER = ("Maand", "Gedeclareerd + nagekomen", "Prognose", "Ondergrens", "Marge")
#: Columns of the look-back (sheet Prognose, "Terugblik").
LOOK_BACK_HEADER = ("Peilmaand", "Bron", "Prognose", "Ondergrens", "Bovengrens", "Werkelijk",
                    "Afwijking", "Binnen marge", "MAPE taakvelden", "Dekking taakvelden")
#: Rows of the look-back: one per evaluation month.
LOOK_BACK_ROWS = 12

_LEVEL_LABELS = (("total", "Totaal"), ("taakveld", "Taakveld"), ("theme", "Thema"),
                 ("product_category", "Productcategorie"))
_AMOUNTS = ("claimed_euro", "late_euro", "remaining_euro", "inflow_euro", "forecast_euro",
            "lower_euro", "upper_euro", "committed_euro")


@dataclass(frozen=True)
class PrognoseResult:
    """Everything one prognose run produces (amounts in euro)."""

    forecast: YearEndForecast
    providers: pd.DataFrame
    referrers: pd.DataFrame
    trajectories: pd.DataFrame
    start_lags: pd.DataFrame
    monthly: pd.DataFrame          # month, expected_euro, forecast_euro, lower_euro, upper_euro
    series_model: str
    snapshot: pd.DataFrame
    #: Last year's forecast per evaluation month against what came in
    #: (``calc.prognose.backtest.look_back``); None when there is no previous year.
    backtest: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    #: The snapshots the look-back replayed in this run (to keep with the stored ones: the
    #: next run need not replay them again).
    replayed: pd.DataFrame | None = None
    #: Per taakveld what the forecast stands on (``calc.budget.plausibility.coverage``):
    #: months of claims, claim lines, clients; set by ``grip.jobs.prognose.run_prognose``.
    coverage: pd.DataFrame | None = None


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    frame = tables.get(name)
    return frame if frame is not None and len(frame) else None


def compute_prognose(tables: Mapping[str, pd.DataFrame], *, as_of=None, level: float = 0.8,
                     snapshots: pd.DataFrame | None = None,
                     taakveld_map: Mapping[str, str] | None = None,
                     history_months: int = 36, look_back_year: bool = True) -> PrognoseResult:
    """Run the whole prognose on the record tables.

    Parameters
    ----------
    tables : mapping name -> DataFrame
        ``claim_lines`` and ``allocations`` (required); ``starts_stops``, ``requests``,
        ``claim_answers``, ``rejected_lines`` (optional).
    as_of, level, taakveld_map : as in ``year_end_forecast``
    snapshots : DataFrame, optional
        Earlier snapshots (``calc.prognose.backtest``), used by the look-back where they
        have the previous year's evaluation months.
    look_back_year : bool
        Report last year's forecast per evaluation month against what came in
        (``look_back``: stored snapshots, the missing months replayed).
    history_months : int
        Months of history shown (and used) for the monthly series forecast.
    """
    lines = tables["claim_lines"]
    allocations = tables["allocations"]
    rejected, answers = _table(tables, "rejected_lines"), _table(tables, "claim_answers")
    spent = accepted_lines(lines, rejected)
    forecast = year_end_forecast(spent, allocations, as_of=as_of, level=level,
                                 taakveld_map=taakveld_map)
    notes = list(forecast.notes)
    view = provider_view(forecast, lines, rejected_lines=rejected, claim_answers=answers)
    reqs = _table(tables, "requests")
    refs = referrers(reqs, lines, year=forecast.year) if reqs is not None else pd.DataFrame()
    end_of_month = forecast.as_of + pd.offsets.MonthEnd(0)
    trajectories = trajectory_costs(allocations, lines, as_of=end_of_month)
    ss = _table(tables, "starts_stops")
    lags = start_lags(allocations, ss, as_of=end_of_month) if ss is not None else pd.DataFrame()
    monthly, model = _monthly_forecast(forecast, level, history_months, notes)
    snap = snapshot(forecast)
    report = replayed = None
    previous = forecast.year - 1
    if look_back_year and (pd.to_datetime(spent["service_month"]).dt.year == previous).any():
        try:
            snaps = complete_snapshots(spent, allocations, year=previous, known_at=forecast.as_of,
                                       snapshots=snapshots, notes=notes, level=level,
                                       taakveld_map=taakveld_map)
            report = look_back(snaps, spent, year=previous, known_at=forecast.as_of)
            known = (set(pd.to_datetime(snapshots.loc[snapshots["year"] == previous, "as_of"]))
                     if snapshots is not None and len(snapshots) else set())
            replayed = snaps[~pd.to_datetime(snaps["as_of"]).isin(known)]
        except GripError as exc:
            notes.append(f"Terugblik niet mogelijk: {exc.message}")
    return PrognoseResult(forecast, view, refs, trajectories, lags, monthly, model, snap,
                          report, notes, replayed)


def _monthly_forecast(forecast: YearEndForecast, level: float, history_months: int,
                      notes: list[str]) -> tuple[pd.DataFrame, str]:
    """Monthly spending (claimed + expected late) and its series forecast up to December."""
    m = forecast.monthly.tail(history_months)
    out = pd.DataFrame({"month": pd.to_datetime(m["service_month"]).to_numpy(),
                        "expected_euro": m["expected_euro"].to_numpy(float)})
    horizon = 12 - forecast.as_of.month
    model = ""
    if horizon > 0 and len(out) >= 4:
        try:
            f = forecast_series(out["expected_euro"].to_numpy(), horizon, level=level)
        except GripError as exc:
            notes.append(f"Reeksprognose per maand niet mogelijk: {exc.message}")
            return out, model
        model = f.model
        if f.note:
            notes.append(f.note)
        future = pd.DataFrame({
            "month": pd.date_range(forecast.as_of + pd.offsets.MonthBegin(1), periods=horizon,
                                   freq="MS"),
            "forecast_euro": f.mean, "lower_euro": f.lower, "upper_euro": f.upper})
        out = pd.concat([out, future], ignore_index=True)
    for col in ("forecast_euro", "lower_euro", "upper_euro"):
        if col not in out:
            out[col] = np.nan
    return out, model


def _pad(rows: list[list], n_rows: int, n_cols: int) -> list[list]:
    rows = [list(r) + [None] * (n_cols - len(r)) for r in rows[:n_rows]]
    return rows + [[None] * n_cols for _ in range(n_rows - len(rows))]


def _number(x):
    return None if x is None or (isinstance(x, float) and not np.isfinite(x)) else float(x)


def yearend_rows(result: PrognoseResult | None, n_rows: int) -> list[list]:
    """The year-end table: total, then per taakveld, theme and product category (fixed size).

    Without a result, one row with a Dutch hint. When the rows do not fit, the last row
    says how many were left out.
    """
    width = len(YEAREND_HEADER)
    if result is None:
        return _pad([["Nog geen prognose", "Klik op 'Prognose bijwerken' in het lint."]],
                    n_rows, width)
    rows = []
    for level, label in _LEVEL_LABELS:
        table = result.forecast.by(level)
        key = "total" if level == "total" else level
        for _, r in table.iterrows():
            rows.append([label, str(r[key]), *(_number(r[c]) for c in _AMOUNTS)])
    if len(rows) > n_rows:
        left = len(rows) - (n_rows - 1)
        rows = rows[: n_rows - 1] + [["…", f"{left} regels passen niet; zie de export"]]
    return _pad(rows, n_rows, width)


def provider_rows(result: PrognoseResult | None, n_rows: int) -> list[list]:
    """The provider table, largest forecast first (fixed size)."""
    width = len(PROVIDER_HEADER)
    if result is None:
        return _pad([["Nog geen prognose: klik op 'Prognose bijwerken' in het lint."]],
                    n_rows, width)
    cols = ("committed_euro", "claimed_euro", "late_euro", "forecast_euro", "lower_euro",
            "upper_euro", "utilisation", "median_lag_months", "late_share", "rejected_share")
    rows = [[str(r["provider"]), *(_number(r[c]) for c in cols),
             "ja" if r["structurally_late"] else "nee"]
            for _, r in result.providers.iterrows()]
    if len(rows) > n_rows:
        left = len(rows) - (n_rows - 1)
        rows = rows[: n_rows - 1] + [[f"… nog {left} aanbieders (zie de export)"]]
    return _pad(rows, n_rows, width)


def look_back_rows(result: PrognoseResult | None, n_rows: int = LOOK_BACK_ROWS) -> list[list]:
    """Last year's forecast per evaluation month against what came in (fixed size)."""
    width = len(LOOK_BACK_HEADER)
    report = None if result is None else result.backtest
    if report is None or report.empty:
        text = ("Nog geen prognose: klik op 'Prognose bijwerken' in het lint." if result is None
                else "Geen terugblik: de opslag heeft geen declaraties van vorig jaar.")
        return _pad([[text]], n_rows, width)
    rows = [[r["as_of"].to_pydatetime(), r["source"], _number(r["forecast_euro"]),
             _number(r["lower_euro"]), _number(r["upper_euro"]), _number(r["actual_euro"]),
             _number(r["error"]), "ja" if r["coverage"] >= 1 else "nee",
             _number(r["mape_taakveld"]), _number(r["coverage_taakveld"])]
            for _, r in report.iterrows()]
    return _pad(rows, n_rows, width)


def monthly_rows(result: PrognoseResult | None, n_rows: int) -> list[list]:
    """Chart data: month, actual (claimed + late), forecast, lower bound, band width.

    The last ``n_rows`` months, *bottom-aligned* (empty rows first, December last): a chart
    over the fixed range then ends at the last month instead of dropping to zero over empty
    rows. The last month with an actual value also carries it as forecast and lower bound
    (band width 0), so the dashed forecast and its band start from the actual line.
    """
    width = len(MONTHLY_HEADER)
    if result is None:
        return _pad([], n_rows, width)
    m = result.monthly.tail(n_rows)
    rows = [[r["month"].to_pydatetime(), _number(r["expected_euro"]),
             _number(r["forecast_euro"]), _number(r["lower_euro"]),
             _number(r["upper_euro"] - r["lower_euro"])] for _, r in m.iterrows()]
    actual = [i for i, r in enumerate(rows) if r[1] is not None]
    if actual and actual[-1] + 1 < len(rows) and rows[actual[-1]][2] is None:
        joint = rows[actual[-1]]
        joint[2], joint[3], joint[4] = joint[1], joint[1], 0.0
    return [[None] * width for _ in range(n_rows - len(rows))] + rows
