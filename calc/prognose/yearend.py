"""The year-end forecast (jaareindeprognose) per taakveld, theme, product category and provider.

Per group (provider x product category) and evaluation month ``A`` (``as_of``)::

    forecast = claimed so far              service months Jan..A of the year, claimed by A
             + expected late claims        chain ladder (Mack) on the claim triangle, same months
             + remaining months            commitments A+1..Dec x P(still running) x utilisation
             + inflow of new clients       new allocations per month x cost per month x
                                           expected months running until December

Only what was known at ``A`` is used: claim lines with a claim month up to ``A`` and allocation
versions (301) sent up to the end of ``A``.

**Early stops** (``calc.prognose.survival``): a stop (307, followed by a 301 that shortens the
allocation) ends an allocation before its planned end, so future commitments run ahead of
what will be delivered. A Kaplan-Meier stop model per product category, on months since the
start (planned end = the first version's end date; censored at the planned end, at ``A``, or
where a new allocation for the client replaces it; small categories shrunk to all), gives
``P(still running in month m | running at A) = S(t_m) / S(t_A)``, which weighs every future
month's commitment. Open-ended allocations keep their expected end (observed durations).

**Utilisation** is the chain-ladder *ultimate* of the last 12 service months up to ``A`` over
their commitments (so recent months are not undercounted); a group with less than
``MIN_COMMITTED`` euro committed in that window takes its product category's utilisation.
**Inflow**: the number of new allocations per month of the last 12 months per product
category, each costing the category's median daily commitment x utilisation, starting in the
middle of its month and running the expected ``integral S(u) du`` months of the stop model
until December; shared over the providers by their share of new allocations.

**Renewals**: an allocation that ends before December continues with the chance observed per
product category (an ended allocation followed by another for the same client within
``RENEWAL_DAYS``) times the chance it runs until its planned end; counted in the remaining
months. New clients are first allocations only.

**Interval**: a normal interval at ``level`` from the variances of the three uncertain parts,
taken as independent: Mack's standard error of the late claims (per origin, added in
quadrature), the spread of monthly utilisation (month-to-month and of its mean), and a
Poisson count of new allocations. Aggregates add variances (groups independent), which is
a little narrow where providers move together; the backtest shows how far to trust it.

**Calibration on earlier years** (``calibrate=True``), a second-order correction of the
forward part (remaining months + new clients) for what the model misses. The forecast is
replayed (only what was known then) as of ``REPLAYS_PER_YEAR`` months of every earlier year
whose outcome lies in the claim triangle and that has ``WINDOW_MONTHS`` of claims before it:
the same month and its neighbours, so one month's luck does not decide it. What those years
came to (claimed + chain-ladder late claims as known now) gives the pooled ratio
``k^ = sum(actual - claimed - late) / sum(remaining + new clients)``, per product category
shrunk towards all categories (credibility weight of an average-sized category: one half).
Then credibility towards 1 (no correction) in a normal hierarchy: each year's factor varies
by ``MODEL_CV`` around a mean that is 1 give or take ``CALIBRATION_PRIOR_CV``; with ``J``
earlier years ``k = 1 + Z (k^ - 1)``, ``Z = J / (J + (MODEL_CV / CALIBRATION_PRIOR_CV)^2)``,
kept within ``CALIBRATION_BOUNDS``; it multiplies this year's forward part. The model error
is the predictive spread of this year's factor, ``sqrt(MODEL_CV^2 + 1 / (1 /
CALIBRATION_PRIOR_CV^2 + J / MODEL_CV^2))`` (wider without earlier years); it moves all
groups together: each group carries ``model_se_euro`` = that x its forward part, and ``by``
adds these linearly (fully correlated) before combining them with the independent
variances. In January the forward part is most of the year, so the interval is widest there.

Taakveld and theme come from the default table ``taakvelden.csv`` (copied from the shared
domain table productcategorie -> taakveld, with the default theme catalogue), overridable
with ``taakveld_map`` (product category -> taakveld) and ``theme_map`` (taakveld -> theme).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources

import numpy as np
import pandas as pd
from scipy.stats import norm

from calc.errors import GripError, InputError
from calc.prognose.commitments import (ALLOCATION_KEY, DAYS_PER_MONTH, commitments,
                                       current_allocations, factorize_rows, median_tariffs)
from calc.prognose.reserving import chain_ladder
from calc.prognose.survival import (RENEWAL_DAYS, StopModel, allocation_spells, known_versions,
                                    running_at, running_weights, stop_model)
from calc.prognose.triangle import build_triangles, last_known_lag
from calc.records import ALLOCATIONS, CLAIM_LINES, require_columns
from calc.text import nl_number

GROUP = ("provider", "product_category")
#: Service months of history in the triangle (older months are complete).
HISTORY_MONTHS = 36
#: Months of history for utilisation and inflow.
WINDOW_MONTHS = 12
#: Below this commitment (euro over the window) a group borrows its category's utilisation.
MIN_COMMITTED = 5_000.0
#: Utilisation is kept within these bounds (a ratio far outside is a data problem).
UTILISATION_BOUNDS = (0.0, 2.0)
#: Below this expected reported share a service month's late claims come from Bornhuetter-Ferguson.
BF_BELOW = 0.5
#: Coefficient of variation of a Bornhuetter-Ferguson estimate without a chain-ladder one.
BF_CV = 0.5

#: Year-to-year spread of the forward part's factor (relative model error in a year, about
#: the spread seen in the synthetic replays with the stop model).
MODEL_CV = 0.08
#: Prior spread of the mean factor around 1 (no correction) once early stops are modelled.
CALIBRATION_PRIOR_CV = 0.08
#: Evaluation months replayed per earlier year (the same month and its neighbours).
REPLAYS_PER_YEAR = 3
#: The calibration factor of the forward part is kept within these bounds.
CALIBRATION_BOUNDS = (0.5, 1.5)

#: Levels a forecast can be summed to, with their Dutch column names.
LEVELS = {"taakveld": "taakveld", "theme": "thema", "product_category": "productcategorie",
          "provider": "aanbieder"}
#: The claim-line columns the forecast reads (the rest is not copied).
LINE_COLUMNS = ("provider", "product_category", "product_code", "service_month", "claim_month",
                "unit", "tariff_euro", "amount_euro", "debit_credit")
PARTS = ("claimed_euro", "late_euro", "remaining_euro", "inflow_euro", "forecast_euro")


def default_taakvelden() -> pd.DataFrame:
    """The default table: product category -> taakveld and theme (with the domain)."""
    with resources.files("calc.prognose").joinpath("taakvelden.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, sep=";", dtype=str)


def taakveld_table(taakveld_map: Mapping[str, str] | None = None,
                   theme_map: Mapping[str, str] | None = None) -> pd.DataFrame:
    """product_category -> taakveld, theme: the default, with the given overrides applied."""
    table = default_taakvelden()[["productcategorie", "taakveld", "thema"]]
    table = table.rename(columns={"productcategorie": "product_category", "thema": "theme"})
    themes = dict(zip(table["taakveld"], table["theme"]))
    themes.update(theme_map or {})
    mapping = dict(zip(table["product_category"], table["taakveld"]))
    mapping.update({str(k): str(v) for k, v in (taakveld_map or {}).items()})
    out = pd.DataFrame({"product_category": list(mapping), "taakveld": list(mapping.values())})
    out["theme"] = out["taakveld"].map(themes).fillna("Overig")
    return out


@dataclass(frozen=True)
class YearEndForecast:
    """The year-end forecast per provider x product category, with its parts and interval.

    ``detail`` columns: provider, product_category, taakveld, theme, claimed_euro, late_euro,
    remaining_euro, inflow_euro, forecast_euro, se_euro, lower_euro, upper_euro, committed_euro
    (commitments of the whole year), utilisation. Amounts in euro.
    """

    detail: pd.DataFrame
    year: int
    as_of: pd.Timestamp
    level: float
    notes: list[str] = field(default_factory=list)
    #: Per service month of the triangle (oldest first): ``service_month``, ``claimed_euro``
    #: (known at ``as_of``) and ``expected_euro`` (claimed + expected late claims), all groups.
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The calibration on earlier years (empty without): ``observed`` (pooled factor of the
    #: replays), ``factor`` (after credibility, over all categories), ``years``,
    #: ``credibility`` and ``replays`` (evaluation month -> its factor).
    calibration: dict = field(default_factory=dict)

    def by(self, level: str) -> pd.DataFrame:
        """Sum to ``taakveld``, ``theme``, ``product_category``, ``provider`` or ``total``."""
        model = (self.detail["model_se_euro"] if "model_se_euro" in self.detail
                 else pd.Series(0.0, index=self.detail.index))
        d = self.detail.assign(var=self.detail["se_euro"] ** 2 - model ** 2, model=model)
        if level == "total":
            g = d.assign(total="Totaal").groupby("total")
        elif level in LEVELS:
            g = d.groupby(level)
        else:
            raise InputError(f"onbekend niveau '{level}'; kies uit {', '.join(LEVELS)} of total",
                             argument="level")
        out = g[[*PARTS, "committed_euro", "var", "model"]].sum()
        # independent parts add variances; model error (shared by all groups) adds linearly
        out["se_euro"] = np.sqrt(out.pop("var").clip(lower=0) + out.pop("model") ** 2)
        z = norm.ppf(0.5 + self.level / 2)
        out["lower_euro"] = np.maximum(out["forecast_euro"] - z * out["se_euro"],
                                       out["claimed_euro"])
        out["upper_euro"] = out["forecast_euro"] + z * out["se_euro"]
        return out.reset_index()


#: Columns that identify a claim line in a 325 answer (rejected lines).
REJECTED_KEY = ("law", "provider", "claim_number", "reference_number")


def accepted_lines(claim_lines: pd.DataFrame, rejected_lines: pd.DataFrame | None
                   ) -> pd.DataFrame:
    """The claim lines without those the municipality rejected (325): rejected is not spent.

    A rejected line that is resubmitted comes back as a new debit line, so counting the
    rejected one too would count that care twice.
    """
    if rejected_lines is None or not len(rejected_lines) or not len(claim_lines):
        return claim_lines
    require_columns(rejected_lines, REJECTED_KEY, argument="rejected_lines")
    key = list(REJECTED_KEY)
    rejected = pd.MultiIndex.from_frame(rejected_lines[key].astype(str)).unique()
    mine = pd.MultiIndex.from_frame(claim_lines[key].astype(str))
    return claim_lines[~mine.isin(rejected)]


def _month(value) -> pd.Timestamp:
    try:
        return pd.Timestamp(value).to_period("M").to_timestamp()
    except (TypeError, ValueError) as exc:
        raise InputError(f"'{value}' is geen maand (verwacht bijvoorbeeld 2027-06)",
                         argument="as_of") from exc


def _late_claims(lines: pd.DataFrame, as_of: pd.Timestamp, by: tuple[str, ...],
                 notes: list[str]) -> pd.DataFrame:
    """Per group and service month: claimed so far, ultimate, IBNR and Mack s.e. (long table)."""
    first = as_of - pd.DateOffset(months=HISTORY_MONTHS - 1)
    recent = lines[pd.to_datetime(lines["service_month"]) >= first]
    columns = [*by, "service_month", "latest", "ultimate", "ibnr", "se", "reported"]
    if recent.empty:
        return pd.DataFrame(columns=columns)
    tri = build_triangles(recent, by=by, as_of=as_of)
    cum = tri.to_cumulative().values
    if (np.nan_to_num(cum) < 0).any():
        notes.append("Sommige cumulatieve declaraties zijn negatief (meer creditering dan "
                     "declaratie); voor de nagekomen declaraties op 0 gezet.")
        cum = np.where(np.isnan(cum), np.nan, np.maximum(cum, 0.0))
    origins = tri.origins.to_timestamp()
    try:
        res = chain_ladder(cum, cumulative=True, argument="claim_lines")
        latest, ultimate, se = res.latest, res.ultimate, res.mack_se
        reported = _reported_share(cum, res.completed[..., -1])
    except GripError as exc:     # e.g. only one service month of history
        notes.append(f"Nagekomen declaraties niet te schatten ({exc.message}); op 0 gezet.")
        latest = np.nan_to_num(cum).max(axis=-1)
        ultimate, se = latest.copy(), np.zeros_like(latest)
        reported = np.ones_like(latest)
    g_n, o_n = latest.shape
    keys = pd.DataFrame(tri.keys, columns=list(by)) if by else pd.DataFrame(index=range(g_n))
    out = keys.loc[np.repeat(np.arange(g_n), o_n)].reset_index(drop=True)
    out["service_month"] = np.tile(origins.to_numpy(dtype="datetime64[ns]"), g_n)
    out["latest"] = latest.ravel()
    out["ultimate"] = ultimate.ravel()
    out["ibnr"] = (ultimate - latest).ravel()
    out["se"] = np.nan_to_num(se).ravel()
    out["reported"] = reported.ravel()
    return out


def _reported_share(cum: np.ndarray, ultimate: np.ndarray) -> np.ndarray:
    """Expected share of the final amount known at each origin's latest lag, per group.

    The share at lag k is the sum over the origins known at lag k of their amount at k over
    the sum of their final amounts. Unlike ``1 / cdf`` it is 0 (not 1) at a lag where a
    provider never claims, so a structurally late provider's last months are recognised.
    """
    known = ~np.isnan(cum)
    at_k = np.where(known, cum, 0.0).sum(axis=1)                                 # (G, L)
    base = np.where(known, ultimate[..., None], 0.0).sum(axis=1)                 # (G, L)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(base > 0, np.clip(at_k / base, 0.0, 1.0), 1.0)
    d = np.clip(last_known_lag(known), 0, None)
    return np.take_along_axis(share, d, axis=-1)


def year_end_forecast(claim_lines: pd.DataFrame, allocations: pd.DataFrame, *, as_of=None,
                      year: int | None = None, level: float = 0.8,
                      taakveld_map: Mapping[str, str] | None = None,
                      theme_map: Mapping[str, str] | None = None,
                      tariffs: Mapping[str, float] | None = None,
                      calibrate: bool = True) -> YearEndForecast:
    """Forecast the year's spending per provider and product category, with an interval.

    Parameters
    ----------
    claim_lines : DataFrame (``calc.records.CLAIM_LINES``), euro
    allocations : DataFrame (``calc.records.ALLOCATIONS``)
    as_of : date-like, optional
        Evaluation month: claims up to and including this claim month are known. Default:
        the latest claim month in ``claim_lines``.
    year : int, optional
        The year to forecast (default: the year of ``as_of``).
    level : float
        Coverage of the interval (0.8 = 80%).
    taakveld_map, theme_map : mappings, optional
        Overrides of the default product category -> taakveld and taakveld -> theme.
    tariffs : mapping product code -> euro per unit, optional
    calibrate : bool
        Correct the forward part by replays of earlier years (see the module docstring).

    Returns
    -------
    YearEndForecast
    """
    require_columns(claim_lines, CLAIM_LINES, argument="claim_lines")
    require_columns(allocations, ALLOCATIONS, argument="allocations")
    if not 0 < level < 1:
        raise InputError(f"het betrouwbaarheidsniveau moet tussen 0 en 1 liggen, niet {level}",
                         argument="level")
    if len(claim_lines) == 0:
        raise InputError("er zijn geen declaratieregels", argument="claim_lines")
    claim_month = pd.to_datetime(claim_lines["claim_month"])
    a = _month(as_of if as_of is not None else claim_month.max())
    year = int(year or a.year)
    y0, y1 = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
    if a < y0 - pd.DateOffset(months=1) or a > y1:
        raise InputError(f"de peildatum {a:%m-%Y} ligt niet in {year}", argument="as_of")
    a_end = a + pd.offsets.MonthEnd(0)
    notes: list[str] = []
    by = GROUP
    lines = claim_lines.loc[claim_month <= a, list(LINE_COLUMNS)]
    raw_allocations = allocations
    # what was known at the evaluation month: allocations sent by then (as a backtest replays)
    versions = known_versions(allocations, a_end)
    allocations = current_allocations(versions)
    # early stops: Kaplan-Meier per product category on the spells known at the evaluation month
    spells = allocation_spells(versions, a_end)
    stops = stop_model(spells)
    if len(spells):
        notes.append(f"Voortijdig stoppen: stopkans per productcategorie per maand sinds de "
                     f"ingangsdatum (Kaplan-Meier) uit {len(spells)} toewijzingen met een "
                     f"einddatum, waarvan {int(spells['stopped'].sum())} voor hun einddatum "
                     "gestopt; toekomstige verplichtingen tellen naar de kans dat de toewijzing "
                     "dan nog loopt.")
    planned_end = allocations.merge(spells[[*ALLOCATION_KEY, "planned_end"]],
                                    on=list(ALLOCATION_KEY), how="left")["planned_end"]
    if allocations.empty:
        notes.append("Geen toewijzingen bekend: de resterende maanden en nieuwe cliënten tellen "
                     "als 0; de prognose is alleen gedeclareerd + nagekomen.")

    # 1: claimed so far; chain ladder on the triangle of the last HISTORY_MONTHS months
    late = _late_claims(lines, a, by, notes)
    months_here = pd.to_datetime(lines["service_month"])
    claimed = lines[(months_here >= y0) & (months_here <= a)].groupby(list(by))["amount_euro"].sum()

    # utilisation over the last WINDOW_MONTHS service months (ultimates over commitments)
    w0 = a - pd.DateOffset(months=WINDOW_MONTHS - 1)
    medians = median_tariffs(lines)
    hist = commitments(allocations, window_start=w0, window_end=a_end, as_of=a_end,
                       tariffs=tariffs, medians=medians, already_current=True)
    notes += hist.notes
    hist_m = hist.by(*by).rename(columns={"month": "service_month"})
    ult = late[pd.to_datetime(late["service_month"]) >= w0]
    util = _utilisation(hist_m, ult, by, notes)
    fallback_u = _overall_utilisation(util)

    # 2: late claims of this year's service months: chain ladder, or Bornhuetter-Ferguson
    # (prior = commitments x utilisation) where less than half is reported yet
    service = pd.to_datetime(late["service_month"])
    this_year = late[(service >= y0) & (service <= a)]
    this_year = _blend_bornhuetter_ferguson(this_year, hist_m, util, fallback_u, by, notes)
    monthly = _monthly_totals(late, this_year)
    part1 = this_year.groupby(list(by))[["ibnr"]].sum()
    part1["late_var"] = this_year.assign(v=this_year["se"] ** 2).groupby(list(by))["v"].sum()

    # 3: remaining months A+1..Dec
    # (commitments x chance the allocation still runs in that month x utilisation)
    future = pd.DataFrame(columns=[*by, "month", "committed_euro"])
    year_all = commitments(allocations, window_start=y0, window_end=y1, as_of=a_end,
                           tariffs=tariffs, medians=medians, already_current=True)
    year_com = year_all.by(*by)
    if a < y1.to_period("M").to_timestamp():
        running = replace(year_all, euro=year_all.euro * running_weights(
            stops, year_all.per_allocation, year_all.months, a_end))
        future = running.by(*by)
        future = future[future["month"] > a]
    rem = future.merge(util, on=list(by), how="left")
    rem["u"] = rem["utilisation"].fillna(fallback_u)
    rem["spread"] = rem["u_sd"].fillna(util["u_sd"].median() if len(util) else 0.0).fillna(0.0)
    rem["euro"] = rem["committed_euro"] * rem["u"]
    rem["c2"] = rem["committed_euro"] ** 2
    g = rem.groupby(list(by))
    part3 = pd.DataFrame({"remaining": g["euro"].sum(), "c_sum": g["committed_euro"].sum(),
                          "c2_sum": g["c2"].sum(), "spread": g["spread"].first(),
                          "n_months": g["n_months"].first()})
    part3 = part3.astype(float)
    part3["rem_var"] = part3["spread"] ** 2 * (
        part3["c2_sum"] + part3["c_sum"] ** 2 / part3["n_months"].fillna(1).clip(lower=1))

    # 4: inflow of new clients
    months_left = (y1.to_period("M") - a.to_period("M")).n
    part4 = _inflow(allocations, hist, util, fallback_u, a, months_left, by, stops)
    part5 = _continuation(allocations, hist, util, fallback_u, a, y1, by, stops,
                          planned_end.to_numpy(dtype="datetime64[ns]"))

    # together
    keys = set(part1.index) | set(claimed.index) | set(part3.index) | set(part4.index)
    keys |= set(part5.index)
    keys |= set(year_com.groupby(list(by)).size().index)
    detail = pd.DataFrame(index=pd.MultiIndex.from_tuples(sorted(keys), names=list(by)))
    detail["claimed_euro"] = claimed.reindex(detail.index).fillna(0.0)
    detail["late_euro"] = part1["ibnr"].reindex(detail.index).fillna(0.0)
    detail["remaining_euro"] = (part3["remaining"].reindex(detail.index).fillna(0.0)
                                + part5["continued"].reindex(detail.index).fillna(0.0))
    detail["inflow_euro"] = part4["inflow"].astype(float).reindex(detail.index).fillna(0.0)
    forward_var = (part3["rem_var"].reindex(detail.index).fillna(0.0)
                   + part4["inflow_var"].astype(float).reindex(detail.index).fillna(0.0)
                   + part5["continued_var"].reindex(detail.index).fillna(0.0))
    k = None
    if calibrate and months_left > 0:
        k = _calibration(claim_lines, raw_allocations, late, a, year, notes,
                         dict(level=level, taakveld_map=taakveld_map, theme_map=theme_map,
                              tariffs=tariffs))
    factor = pd.Series(1.0, index=detail.index)
    if k is not None:
        cats = detail.index.get_level_values("product_category")
        factor[:] = k[0].reindex(cats).fillna(k[1]).to_numpy()
        detail["remaining_euro"] *= factor
        detail["inflow_euro"] *= factor
    detail["forecast_euro"] = detail[["claimed_euro", "late_euro", "remaining_euro",
                                      "inflow_euro"]].sum(axis=1)
    cv = _model_cv(k[2]["years"] if k is not None else 0)
    model_se = cv * (detail["remaining_euro"] + detail["inflow_euro"]).abs()
    var = (part1["late_var"].reindex(detail.index).fillna(0.0) + forward_var * factor ** 2)
    detail["se_euro"] = np.sqrt(var + model_se ** 2)
    detail["model_se_euro"] = model_se
    z = norm.ppf(0.5 + level / 2)
    detail["lower_euro"] = np.maximum(detail["forecast_euro"] - z * detail["se_euro"],
                                      detail["claimed_euro"])
    detail["upper_euro"] = detail["forecast_euro"] + z * detail["se_euro"]
    detail["committed_euro"] = (year_com.groupby(list(by))["committed_euro"].sum()
                                .reindex(detail.index).fillna(0.0))
    detail["utilisation"] = util.set_index(list(by))["utilisation"].reindex(detail.index)
    detail = detail.reset_index()
    detail["product_category"] = detail["product_category"].astype(str)
    mapping = taakveld_table(taakveld_map, theme_map)
    detail = detail.merge(mapping, on="product_category", how="left")
    unknown = detail["taakveld"].isna()
    if unknown.any():
        cats = ", ".join(sorted(detail.loc[unknown, "product_category"].unique())[:5])
        notes.append(f"Productcategorie zonder taakveld ({cats}): onder 'onbekend'.")
        detail.loc[unknown, ["taakveld", "theme"]] = "onbekend"
    order = ["provider", "product_category", "taakveld", "theme", *PARTS, "se_euro",
             "lower_euro", "upper_euro", "committed_euro", "utilisation", "model_se_euro"]
    return YearEndForecast(detail[order], year, a, level, notes, monthly,
                           k[2] if k is not None else {})


def _replay_months(a: pd.Timestamp, year: int, back: int) -> list[pd.Timestamp]:
    """The ``REPLAYS_PER_YEAR`` evaluation months of year ``year - back`` nearest to ``a - back``.

    The same month a year (or two) earlier first, then its neighbours inside that year, so
    one month's luck does not decide the calibration.
    """
    same = a - pd.DateOffset(months=12 * back)
    first = pd.Timestamp(year=year - back, month=1, day=1)
    last = pd.Timestamp(year=year - back, month=11, day=1)    # December has nothing ahead
    out = [same]
    for step in (1, -1, 2, -2, 3, -3):
        m = same + pd.DateOffset(months=step)
        if len(out) < REPLAYS_PER_YEAR and first <= m <= last:
            out.append(m)
    return out


def _calibration(claim_lines: pd.DataFrame, allocations: pd.DataFrame, late: pd.DataFrame,
                 a: pd.Timestamp, year: int, notes: list[str], options: dict
                 ) -> tuple[pd.Series, float, dict] | None:
    """Factor on the forward part per product category (and over all), from earlier years.

    Replays the forecast (uncalibrated) as of ``REPLAYS_PER_YEAR`` months of each earlier
    year with a full ``WINDOW_MONTHS`` of claims before it and all its service months inside
    the claim triangle of ``late`` (what that year came to, as known at ``a``). Pooled ratio
    ``k^ = sum(actual - claimed - late) / sum(remaining + new clients)`` over the replays,
    per product category shrunk to all categories; then credibility towards 1 (no
    correction): ``k = 1 + Z (k^ - 1)``, ``Z = J / (J + (MODEL_CV / CALIBRATION_PRIOR_CV)^2)``
    with ``J`` earlier years. None when no earlier year can be replayed.
    """
    service = pd.to_datetime(late["service_month"])
    first_claim = pd.to_datetime(claim_lines["service_month"]).min()
    oldest_known = service.min() if len(service) else a
    replays: list[tuple[pd.Timestamp, int, pd.DataFrame]] = []
    for back in range(1, HISTORY_MONTHS // 12 + 1):
        if pd.Timestamp(year=year - back, month=1, day=1) < oldest_known:
            break                           # that year's outcome is not in the triangle
        for m in _replay_months(a, year, back):
            if first_claim > m - pd.DateOffset(months=WINDOW_MONTHS - 1):
                continue
            try:
                prev = year_end_forecast(claim_lines, allocations, as_of=m, year=year - back,
                                         calibrate=False, **options).detail
            except GripError as exc:
                notes.append(f"IJking op {m:%m-%Y} niet mogelijk ({exc.message}).")
                continue
            replays.append((m, year - back, prev))
    if not replays:
        notes.append("Te weinig historie om de prognose op eerdere jaren te ijken; de marge "
                     f"rekent met {_model_cv(0):.0%} modelfout op resterende maanden en "
                     "nieuwe cliënten.")
        return None
    parts = ["claimed_euro", "late_euro", "remaining_euro", "inflow_euro"]
    rows, per_replay = [], {}
    for m, y, prev in replays:
        done = late[service.dt.year == y]
        actual = done.groupby(done["product_category"].astype(str))["ultimate"].sum()
        per = prev.groupby("product_category")[parts].sum()
        per["actual"] = actual.reindex(per.index).fillna(0.0)
        per["fwd"] = per["remaining_euro"] + per["inflow_euro"]
        per["miss"] = per["actual"] - per["claimed_euro"] - per["late_euro"]
        if per["fwd"].sum() > 0:
            per_replay[m] = float(per["miss"].sum() / per["fwd"].sum())
        rows.append(per[["fwd", "miss"]])
    pooled = pd.concat(rows).groupby(level=0).sum()
    if pooled["fwd"].sum() <= 0:
        return None
    lo, hi = CALIBRATION_BOUNDS
    years = len({y for _, y, _ in replays})
    z = _credibility(years)
    k_obs = float(pooled["miss"].sum() / pooled["fwd"].sum())
    weight = pooled["fwd"].sum() / max(len(pooled), 1)     # credibility of an average category
    k_cat = (pooled["miss"] + k_obs * weight) / (pooled["fwd"] + weight)
    k = (1.0 + z * (k_cat - 1.0)).clip(lo, hi)
    k_all = float(np.clip(1.0 + z * (k_obs - 1.0), lo, hi))
    shown = "; ".join(f"{m:%m-%Y}: {nl_number(v)}" for m, v in sorted(per_replay.items()))
    notes.append(f"Resterende maanden en nieuwe cliënten geijkt op {len(replays)} eerdere "
                 f"peilmaanden ({shown}): samen {nl_number(k_obs)}; dat telt voor {z:.0%} "
                 f"mee tegenover geen correctie ({years} "
                 f"{'eerder jaar' if years == 1 else 'eerdere jaren'}): factor "
                 f"{nl_number(k_all)} over alle productcategorieën.")
    info = {"observed": k_obs, "factor": k_all, "years": years, "credibility": z,
            "replays": per_replay}
    return k, k_all, info


def _credibility(years: int) -> float:
    """Weight of the replayed factor against no correction, with ``years`` earlier years."""
    ratio = (MODEL_CV / CALIBRATION_PRIOR_CV) ** 2
    return years / (years + ratio)


def _model_cv(years: int) -> float:
    """Relative model error of the forward part after calibrating on ``years`` earlier years.

    A normal hierarchy: each year's factor varies by ``MODEL_CV`` around a mean that is 1
    give or take ``CALIBRATION_PRIOR_CV``; the predictive spread of this year's factor is
    ``sqrt(MODEL_CV^2 + posterior variance of the mean)``.
    """
    posterior = 1.0 / (1.0 / CALIBRATION_PRIOR_CV ** 2 + years / MODEL_CV ** 2)
    return float(np.sqrt(MODEL_CV ** 2 + posterior))


def _monthly_totals(late: pd.DataFrame, this_year: pd.DataFrame) -> pd.DataFrame:
    """Claimed and expected (claimed + late) per service month over all groups."""
    if late.empty:
        return pd.DataFrame(columns=["service_month", "claimed_euro", "expected_euro"])
    ibnr = late.groupby("service_month")["ibnr"].sum()
    if len(this_year):
        ibnr.update(this_year.groupby("service_month")["ibnr"].sum())
    claimed = late.groupby("service_month")["latest"].sum()
    return pd.DataFrame({"service_month": claimed.index, "claimed_euro": claimed.to_numpy(),
                         "expected_euro": (claimed + ibnr).to_numpy()})


def _utilisation(hist_m: pd.DataFrame, ult: pd.DataFrame, by: tuple[str, ...],
                 notes: list[str]) -> pd.DataFrame:
    """Per group: utilisation, its monthly spread (sd) and the number of months behind it.

    Service months with less than ``BF_BELOW`` reported (a chain-ladder ultimate there is
    unreliable) are left out of numerator and denominator alike.
    """
    m = hist_m.merge(ult[[*by, "service_month", "ultimate", "reported"]],
                     on=[*by, "service_month"], how="outer").fillna(
        {"committed_euro": 0.0, "ultimate": 0.0, "reported": 1.0})
    m = m[m["reported"] >= BF_BELOW]
    lo, hi = UTILISATION_BOUNDS
    per_group = m.groupby(list(by))[["committed_euro", "ultimate"]].sum()
    per_cat = m.groupby("product_category")[["committed_euro", "ultimate"]].sum()
    cat_u = (per_cat["ultimate"] / per_cat["committed_euro"].where(
        per_cat["committed_euro"] > 0)).clip(lo, hi)
    u = per_group["ultimate"] / per_group["committed_euro"].where(per_group["committed_euro"] > 0)
    small = per_group["committed_euro"] < MIN_COMMITTED
    cats = per_group.index.get_level_values("product_category")
    u = u.where(~small, cat_u.reindex(cats).to_numpy()).clip(lo, hi)
    monthly = m[m["committed_euro"] > 0].assign(
        r=lambda d: (d["ultimate"] / d["committed_euro"]).clip(lo, hi))
    spread = monthly.groupby(list(by))["r"].agg(["std", "count"])
    out = pd.DataFrame({"utilisation": u, "u_sd": spread["std"].reindex(u.index),
                        "n_months": spread["count"].reindex(u.index)})
    if small.any():
        notes.append(f"{int(small.sum())} combinaties van aanbieder en productcategorie met weinig "
                     "verplichtingen: benuttingsgraad van de productcategorie gebruikt.")
    return out.reset_index()


def _blend_bornhuetter_ferguson(late: pd.DataFrame, hist_m: pd.DataFrame, util: pd.DataFrame,
                                fallback_u: float, by: tuple[str, ...],
                                notes: list[str]) -> pd.DataFrame:
    """Replace the chain ladder by Bornhuetter-Ferguson where less than ``BF_BELOW`` is reported.

    The prior (expected final amount of a service month) is its commitment x the group's
    utilisation; ``ibnr = prior x (1 - reported share)``. Its standard error takes the
    coefficient of variation of the chain ladder of that month (or ``BF_CV`` without one).
    """
    if late.empty:
        return late
    out = late.merge(hist_m, on=[*by, "service_month"], how="left")
    out = out.merge(util[[*by, "utilisation"]], on=list(by), how="left")
    prior = out["committed_euro"].fillna(0.0) * out["utilisation"].fillna(fallback_u)
    use = (out["reported"] < BF_BELOW) & (prior > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(out["ibnr"] > 0, out["se"] / out["ibnr"], BF_CV)
    bf = prior * (1.0 - out["reported"].clip(0, 1))
    out["ibnr"] = np.where(use, bf, out["ibnr"])
    out["se"] = np.where(use, bf * cv, out["se"])
    if use.any():
        notes.append(f"{int(use.sum())} recente productmaanden met minder dan "
                     f"{BF_BELOW:.0%} gedeclareerd: nagekomen bedrag volgens Bornhuetter-Ferguson "
                     "(verplichting x benuttingsgraad).")
    return out


def _overall_utilisation(util: pd.DataFrame) -> float:
    u = util["utilisation"].dropna()
    return float(u.median()) if len(u) else 1.0


def _inflow(allocations: pd.DataFrame, hist, util: pd.DataFrame, fallback_u: float,
            a: pd.Timestamp, months_left: int, by: tuple[str, ...],
            stops: StopModel | None = None) -> pd.DataFrame:
    """Expected spending (and variance) of new clients, unknown yet, from after ``a`` to December.

    New clients are counted as first allocations of a client in a product category in the last
    ``WINDOW_MONTHS`` months (a renewal is not a new client; see ``_continuation``). A client
    starting ``t`` months before December is active the expected ``integral_0^t S(u) du``
    months of the category's stop model (care goes on through renewals); without a stop model
    ``min(t, typical duration)``.
    """
    cols = ["inflow", "inflow_var"]
    if months_left <= 0 or allocations.empty:
        return pd.DataFrame(columns=cols)
    start = pd.to_datetime(allocations["start_date"])    # current versions, rows as in hist
    w0 = a - pd.DateOffset(months=WINDOW_MONTHS - 1)
    is_recent = ((start >= w0) & (start <= a + pd.offsets.MonthEnd(0))).to_numpy(copy=True)
    # a new client: the first allocation of that client in that product category
    codes, _ = factorize_rows([allocations["client"].to_numpy(),
                               allocations["product_category"].to_numpy()], rows=False)
    first = pd.Series(start.to_numpy()).groupby(codes).transform("min").to_numpy()
    is_recent &= start.to_numpy() == first
    if not is_recent.any():
        return pd.DataFrame(columns=cols)
    recent = allocations.loc[is_recent, ["provider", "client", "product_category"]].copy()
    recent["daily_euro"] = hist.per_allocation["daily_euro"].to_numpy()[is_recent]
    per_cat = recent.groupby("product_category").agg(n=("client", "size"),
                                                     daily=("daily_euro", "median"))
    cat_u = util.groupby("product_category")["utilisation"].median()
    per_cat["u"] = cat_u.reindex(per_cat.index).fillna(fallback_u)
    per_cat["rate"] = per_cat["n"] / WINDOW_MONTHS                # new clients per month
    per_cat["cost_month"] = per_cat["daily"].fillna(0.0) * DAYS_PER_MONTH * per_cat["u"]
    # months each monthly cohort is active until December, at most the typical duration
    pa = hist.per_allocation
    closed = ~pa["end_estimated"].to_numpy()
    months = ((pa["end"] - pa["start"]).dt.days / DAYS_PER_MONTH).to_numpy()
    typical = pd.Series(months[closed]).groupby(
        pa["product_category"].to_numpy()[closed]).median()
    left = months_left - np.arange(months_left) - 0.5
    if stops is not None and len(stops.categories):
        active = _expected_months(stops, per_cat.index.astype(str), left)
    else:
        cap = typical.reindex(per_cat.index).fillna(np.inf).to_numpy()[:, None]
        active = np.minimum(left[None, :], cap)
    per_cat["inflow"] = per_cat["rate"] * per_cat["cost_month"] * active.sum(axis=1)
    per_cat["inflow_var"] = (per_cat["rate"] * per_cat["cost_month"] ** 2
                             * (active ** 2).sum(axis=1))
    share = recent.groupby(list(by)).size() / recent.groupby("product_category").size().reindex(
        recent.groupby(list(by)).size().index.get_level_values("product_category")).to_numpy()
    cats = share.index.get_level_values("product_category")
    out = pd.DataFrame(index=share.index)
    out["inflow"] = share.to_numpy() * per_cat["inflow"].reindex(cats).to_numpy()
    out["inflow_var"] = share.to_numpy() * per_cat["inflow_var"].reindex(cats).to_numpy()
    return out


def _expected_months(stops: StopModel, categories, left: np.ndarray, step: float = 0.25
                     ) -> np.ndarray:
    """(categories, len(left)): expected months running within the first ``left`` months.

    ``integral_0^left S(u) du`` (midpoint rule on a grid of ``step`` months).
    """
    grid = np.arange(0.0, max(float(np.max(left, initial=0.0)), 0.0) + step, step)
    mids = grid[:-1] + step / 2
    cats = np.asarray(categories, dtype=object)
    s = stops.still_running(cats[:, None], np.zeros((1, 1)), mids[None, :])    # (C, grid)
    cum = np.concatenate([np.zeros((len(cats), 1)), np.cumsum(s * step, axis=1)], axis=1)
    at = np.clip(left, 0.0, grid[-1]) / step
    lo = np.floor(at).astype(int)
    hi = np.minimum(lo + 1, len(grid) - 1)
    frac = at - lo
    return cum[:, lo] * (1 - frac) + cum[:, hi] * frac


def _continuation(allocations: pd.DataFrame, hist, util: pd.DataFrame, fallback_u: float,
                  a: pd.Timestamp, y1: pd.Timestamp, by: tuple[str, ...],
                  stops: StopModel | None = None,
                  planned_end: np.ndarray | None = None) -> pd.DataFrame:
    """Expected spending after the end date of allocations that end before December.

    Many allocations are followed by a new one for the same client and product category
    (an extension or a change of product code). The chance of that, per product category, is
    the share of the allocations that ended in the last ``WINDOW_MONTHS`` months and were
    followed within ``RENEWAL_DAYS`` days by another; an allocation ending after ``a`` and
    before December then adds that chance x its daily cost x utilisation x the days left.

    With a stop model (and ``planned_end`` per row, the first version's end): the chance is
    taken among allocations that reached their planned end (an early stop is the stop
    model's), times the chance this one runs until its end (none where a stop is already
    known); the renewed care runs the expected months ``integral S`` of a new allocation. An
    allocation whose successor is already allocated continues in that one's commitments.
    """
    cols = ["continued", "continued_var"]
    if allocations.empty:
        return pd.DataFrame(columns=cols, dtype=float)
    start = pd.to_datetime(allocations["start_date"]).to_numpy()
    end = pd.to_datetime(allocations["end_date"]).to_numpy()
    cats = allocations["product_category"].astype(str).to_numpy()
    codes, _ = factorize_rows([allocations["client"].to_numpy(), cats], rows=False)
    order = np.lexsort((start, codes))
    next_start = np.full(len(start), np.datetime64("NaT"), dtype="datetime64[ns]")
    same = codes[order][1:] == codes[order][:-1]
    next_start[order[:-1]] = np.where(same, start[order][1:], np.datetime64("NaT"))
    window_end = np.datetime64(a + pd.offsets.MonthEnd(0))
    w0 = np.datetime64(a - pd.DateOffset(months=WINDOW_MONTHS - 1))
    ended = ~np.isnat(end) & (end >= w0) & (end <= window_end)
    if stops is not None and planned_end is not None:      # renewal at the planned end only
        ended &= np.isnat(planned_end) | (end >= planned_end)
    renewed = ended & ~np.isnat(next_start) & (
        next_start <= end + np.timedelta64(RENEWAL_DAYS, "D"))
    frame = pd.DataFrame({"cat": cats, "ended": ended, "renewed": renewed})
    rates = frame.groupby("cat")[["ended", "renewed"]].sum()
    p_cat = (rates["renewed"] / rates["ended"].where(rates["ended"] > 0)).fillna(0.0)
    ending = ~np.isnat(end) & (end > window_end) & (end < np.datetime64(y1))
    # a successor already allocated counts in the commitments itself
    ending &= ~(~np.isnat(next_start) & (next_start <= end + np.timedelta64(RENEWAL_DAYS, "D")))
    if stops is not None and planned_end is not None:      # a stop already known: no renewal
        ending &= np.isnat(planned_end) | (end >= planned_end)
    if not ending.any():
        return pd.DataFrame(columns=cols, dtype=float)
    rows = allocations.loc[ending, list(by)].copy()
    p = p_cat.reindex(cats[ending]).fillna(0.0).to_numpy()
    if stops is not None:        # an allocation that stops early is not renewed at its end
        p = p * running_at(stops, cats[ending], start[ending], a + pd.offsets.MonthEnd(0),
                           end[ending])
    u = rows.merge(util[[*by, "utilisation"]], on=list(by), how="left")["utilisation"]
    days = (np.datetime64(y1) - end[ending]) / np.timedelta64(1, "D")
    if stops is not None and len(stops.categories):    # the renewed allocation may stop too
        left = days / DAYS_PER_MONTH
        uniq, inv = np.unique(cats[ending], return_inverse=True)
        months = _expected_months(stops, uniq, left)           # (categories, rows)
        days = months[inv, np.arange(len(left))] * DAYS_PER_MONTH
    amount = (hist.per_allocation["daily_euro"].to_numpy()[ending] * days
              * u.fillna(fallback_u).to_numpy())
    rows["continued"] = p * amount
    rows["continued_var"] = p * (1 - p) * amount ** 2
    return rows.groupby(list(by))[cols].sum()
