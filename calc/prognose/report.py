"""One prognose run over the record tables.

``compute_prognose`` takes the record tables (``calc.records``) and returns a
``PrognoseResult``: the year-end forecast, the provider view, referrers, trajectory costs,
start lags, the monthly spending series with its forecast to December, the snapshot of this
run and the look-back at last year's forecasts. The tables the sheets and the ribbon button
show of it (headers, Dutch labels, fixed sizes) are ``workbooks.tables.prognose``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calc.errors import GripError
from calc.names import provider_name
from calc.prognose.backtest import (LookBackSummary, complete_snapshots, look_back, snapshot,
                                    summarise_look_back)
from calc.prognose.commitments import start_lags
from calc.prognose.providers import provider_view, referrers, trajectory_costs
from calc.prognose.series import forecast_series
from calc.prognose.order import CLAIM_LINE_ORDER, REQUESTS_ORDER, in_content_order
from calc.prognose.yearend import (YearEndForecast, accepted_lines, content_ordered,
                                   year_end_forecast)
from calc.records import CLAIM_ANSWERS, REJECTED_LINES

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
    #: Bias and coverage of last year's forecasts (``backtest.summarise_look_back``): how
    #: far to trust this year's; None without a look-back.
    trust: LookBackSummary | None = None
    #: The municipality's provider register (AGB code -> name) the tables show beside codes.
    provider_names: Mapping[str, str] = field(default_factory=dict)
    #: Per taakveld what the forecast stands on (``calc.budget.plausibility.coverage``):
    #: months of claims, claim lines, clients; set by ``grip.jobs.prognose.run_prognose``.
    coverage: pd.DataFrame | None = None

    def provider_name(self, code) -> str:
        """The provider's name from the register, ``AGB <code>`` without one."""
        return provider_name(code, self.provider_names)


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    frame = tables.get(name)
    return frame if frame is not None and len(frame) else None


def compute_prognose(tables: Mapping[str, pd.DataFrame], *, as_of=None, level: float = 0.8,
                     snapshots: pd.DataFrame | None = None,
                     taakveld_map: Mapping[str, str] | None = None,
                     history_months: int = 36, look_back_year: bool = True,
                     provider_names: Mapping[str, str] | None = None,
                     inflow_change: tuple | None = None) -> PrognoseResult:
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
    provider_names : mapping AGB code -> name, optional
        The municipality's provider register; the result carries it to every table.
    inflow_change : (month, fraction), optional
        An announced change of the inflow of new clients (``year_end_forecast``); this
        year's forecast only, not the look-back's replays of last year.
    """
    lines = tables["claim_lines"]
    rejected, answers = _table(tables, "rejected_lines"), _table(tables, "claim_answers")
    replays: dict = {}      # the calibration's replays, shared with the look-back's
    # every table in content order: the same records in another row order give the same
    # figures to the last bit (calc.prognose.order)
    lines = in_content_order(lines, CLAIM_LINE_ORDER)
    rejected, answers = (None if t is None else in_content_order(t, columns)
                         for t, columns in ((rejected, REJECTED_LINES), (answers, CLAIM_ANSWERS)))
    spent, allocations, ss = content_ordered(accepted_lines(lines, rejected),
                                             tables["allocations"],
                                             _table(tables, "starts_stops"), replays)
    forecast = year_end_forecast(spent, allocations, as_of=as_of, level=level,
                                 taakveld_map=taakveld_map, starts_stops=ss,
                                 inflow_change=inflow_change, replays=replays)
    notes = list(forecast.notes)
    view = provider_view(forecast, lines, rejected_lines=rejected, claim_answers=answers)
    reqs = _table(tables, "requests")
    reqs = None if reqs is None else in_content_order(reqs, REQUESTS_ORDER)
    refs = referrers(reqs, lines, year=forecast.year) if reqs is not None else pd.DataFrame()
    end_of_month = forecast.as_of + pd.offsets.MonthEnd(0)
    trajectories = trajectory_costs(allocations, lines, as_of=end_of_month)
    lags = start_lags(allocations, ss, as_of=end_of_month) if ss is not None else pd.DataFrame()
    monthly, model = _monthly_forecast(forecast, level, history_months, notes)
    snap = snapshot(forecast)
    report = replayed = None
    previous = forecast.year - 1
    if look_back_year and (pd.to_datetime(spent["service_month"]).dt.year == previous).any():
        try:
            snaps = complete_snapshots(spent, allocations, year=previous, known_at=forecast.as_of,
                                       snapshots=snapshots, notes=notes, level=level,
                                       taakveld_map=taakveld_map, starts_stops=ss,
                                       replays=replays)
            report = look_back(snaps, spent, year=previous, known_at=forecast.as_of)
            known = (set(pd.to_datetime(snapshots.loc[snapshots["year"] == previous, "as_of"]))
                     if snapshots is not None and len(snapshots) else set())
            replayed = snaps[~pd.to_datetime(snaps["as_of"]).isin(known)]
        except GripError as exc:
            notes.append(f"Terugblik niet mogelijk: {exc.message}")
    trust = summarise_look_back(report, year=previous, level=level)
    return PrognoseResult(forecast, view, refs, trajectories, lags, monthly, model, snap,
                          report, notes, replayed, trust, dict(provider_names or {}))


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
            "forecast_euro": f.mean, "upper_euro": f.upper,
            # a month's spending is not negative: nor is the band's lower edge
            "lower_euro": np.maximum(f.lower, 0.0) if (out["expected_euro"] >= 0).all()
            else f.lower})
        out = pd.concat([out, future], ignore_index=True)
    for col in ("forecast_euro", "lower_euro", "upper_euro"):
        if col not in out:
            out[col] = np.nan
    return out, model
