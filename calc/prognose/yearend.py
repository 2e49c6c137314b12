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
product category (an allocation whose end on paper came, followed by another for the same
client within ``RENEWAL_DAYS`` or extended under its own number) times the chance it runs
until its planned end; counted in the remaining months. New clients are first allocations
only. **Stop messages come late**: a 307 comes days after the care ended
(``survival.stop_report_delay``, measured in the store), so an allocation without one is
known to run only until that long before the peilmaand.

**Seasonality of delivery** (``calc.prognose.season``): ambulant care dips in the summer
holidays and in December; utilisation is learned without the season and the remaining
months (and Bornhuetter-Ferguson priors) carry it. **Open-ended allocations** count each month
to December by the share of the category's closed durations that last that long
(``commitments.open_running``). **Batch providers** (a November or quarter batch beside
monthly claims) are developed by the same calendar month of earlier years
(``calendar.seasonal_reported``), not by the triangle.

**Interval**: a normal interval at ``level`` from the variances of the three uncertain parts,
taken as independent: Mack's standard error of the late claims (per origin, added in
quadrature), the spread of monthly utilisation (month-to-month and of its mean), and a
Poisson count of new allocations. Aggregates add variances (groups independent), which is
a little narrow where providers move together; the backtest shows how far to trust it.

**Calibration on earlier years** (``calibrate=True``, :mod:`calc.prognose.calibration`): the
forward part (remaining months + new clients) is multiplied by a factor learned from replays of
this forecast in earlier years, and carries a model error that moves all groups together:
each group carries ``model_se_euro`` = the calibration's model CV x its forward part, and
``by`` adds these linearly (fully correlated) before combining them with the independent
variances. In January the forward part is most of the year, so the interval is widest there.

The steps of ``year_end_forecast``, one function each: the evaluation window (``_Window``),
the allocations known then with their stop model (``_known_allocations``), the claim triangle
(``_late_claims``), claimed so far, utilisation over the past window (``_past_utilisation``),
this year's late claims (``_late_this_year``), the remaining months (``_remaining_months``),
new clients (``_inflow``), renewals (``_continuation``), the parts per group (``_parts``), the
calibration and interval (``_calibrated_interval``), taakveld and theme (``_labelled``).

Taakveld and theme come from the default table ``taakvelden.csv`` (copied from the shared
domain table productcategorie -> taakveld, with the default theme catalogue), overridable
with ``taakveld_map`` (product category -> taakveld) and ``theme_map`` (taakveld -> theme).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources

import numpy as np
import pandas as pd
from scipy.stats import norm

from calc.cells import parse_month
from calc.errors import GripError, InputError
from calc.prognose.arrays import dates, key_rows
from calc.prognose.calendar import (calendars_and_batches, due_months, first_shares,
                                    month_numbers, reported_shares)
from calc.prognose.calibration import Calibration, model_cv
from calc.prognose.calibration import calibrate as calibrate_forward
from calc.prognose.completeness import check_claim_month, latest_claim_month
from calc.prognose.commitments import (ALLOCATION_KEY, DAYS_PER_MONTH, AllocationBasis,
                                       TariffLines, factorize_rows, open_running)
from calc.prognose.inflow import InflowBreak, inflow_break
from calc.prognose.order import (ALLOCATION_ORDER, CLAIM_LINE_ORDER, STARTS_STOPS_ORDER,
                                 in_content_order)
from calc.prognose.reserving import chain_ladder
from calc.prognose.season import season_factor, seasonal_index
from calc.prognose.starts import (care_share, care_starts, claims_stopped, start_model,
                                  started_share)
from calc.prognose.stopped import stopped_providers
from calc.prognose.survival import (RENEWAL_DAYS, StopModel, care_episodes, known_versions,
                                    latest_rows, latest_versions, mapped_spells, running_at,
                                    running_weights, stop_model, stop_report_delay)
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
#: Prior weight (client-months) of the care-episode survival's shrinkage to all categories:
#: weak, a category's own ends (three-month crisis placements) must show.
EPISODE_PRIOR_WEIGHT = 3.0

#: Levels a forecast can be summed to, with their Dutch column names.
LEVELS = {"taakveld": "taakveld", "theme": "thema", "product_category": "productcategorie",
          "provider": "aanbieder"}
#: The claim-line columns the forecast reads (the rest is not copied).
LINE_COLUMNS = ("provider", "product_category", "product_code", "service_month", "claim_month",
                "unit", "tariff_euro", "amount_euro", "debit_credit")
PARTS = ("claimed_euro", "late_euro", "remaining_euro", "inflow_euro", "forecast_euro")


def default_taakvelden() -> pd.DataFrame:
    """The default table: product category -> taakveld and theme (with the domain)."""
    return _default_taakvelden().copy()


@functools.lru_cache(maxsize=1)
def _default_taakvelden() -> pd.DataFrame:
    with resources.files("calc.prognose").joinpath("taakvelden.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, sep=";", dtype=str)


def taakveld_table(taakveld_map: Mapping[str, str] | None = None,
                   theme_map: Mapping[str, str] | None = None) -> pd.DataFrame:
    """product_category -> taakveld, theme: the default, with the given overrides applied."""
    # read once per set of overrides (every forecast and look-back labels its rows with it)
    return _taakveld_table(tuple((str(k), str(v)) for k, v in (taakveld_map or {}).items()),
                           tuple((theme_map or {}).items())).copy()


@functools.lru_cache(maxsize=16)
def _taakveld_table(taakveld_map: tuple, theme_map: tuple) -> pd.DataFrame:
    table = _default_taakvelden()[["productcategorie", "taakveld", "thema"]]
    table = table.rename(columns={"productcategorie": "product_category", "thema": "theme"})
    themes = dict(zip(table["taakveld"], table["theme"]))
    themes.update(theme_map)
    mapping = dict(zip(table["product_category"], table["taakveld"]))
    mapping.update(taakveld_map)
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
    #: The calibration on earlier years (``calc.prognose.calibration.Calibration``; an empty
    #: dict without): ``observed`` (pooled factor of the replays), ``factor`` (after
    #: credibility, over all categories), ``years``, ``credibility`` and ``replays``
    #: (evaluation month -> its factor), also readable as ``calibration["replays"]``.
    calibration: Calibration | dict = field(default_factory=dict)
    #: No allocation was known at ``as_of`` (a store of claims only): the months left and the
    #: months barely claimed run at the claims' own rate (``_claims_rate``), new clients inside.
    claims_only: bool = False

    def by(self, level: str) -> pd.DataFrame:
        """Sum to ``taakveld``, ``theme``, ``product_category``, ``provider`` or ``total``."""
        zero = pd.Series(0.0, index=self.detail.index)
        model = self.detail.get("model_se_euro", zero)
        cat = self.detail.get("category_se_euro", zero)
        d = self.detail.assign(var=self.detail["se_euro"] ** 2 - model ** 2 - cat ** 2,
                               model=model, cat=cat)
        if level == "total":
            d = d.assign(total="Totaal")
            key = "total"
        elif level in LEVELS:
            key = level
        else:
            raise InputError(f"onbekend niveau '{level}'; kies uit {', '.join(LEVELS)} of total",
                             argument="level")
        g = d.groupby(key)
        out = g[[*PARTS, "committed_euro", "var", "model"]].sum()
        # independent parts add variances; the model error shared by all groups adds
        # linearly; a category's own error adds linearly within it, in quadrature between
        per_cat = d.groupby([key, "product_category"])["cat"].sum() ** 2
        out["var"] += per_cat.groupby(level=0).sum().reindex(out.index).fillna(0.0)
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
    """The first day of ``value``'s month, read as everywhere (``calc.cells.parse_month``)."""
    month, reason = parse_month(value)
    if reason is not None:
        raise InputError(reason, argument="as_of")
    return pd.Timestamp(month)


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


#: Months after its due month that a calendar provider's service month may still grow.
CALENDAR_GROWTH_MONTHS = 3


def period_medians(lines: pd.DataFrame, year: int, cache: dict | None = None
                   ) -> tuple[dict, dict]:
    """Median tariffs as they were in ``year``: of the claim lines of that service year where
    a product (or category) has them, else of the year before, else of all years.

    A 1 January indexation moves every tariff; the all-time median would value this year's
    months at an average of the older years. ``cache`` (a dict, empty at first) keeps the
    medians of all years and of each service year for another ``year`` on the same lines.
    """
    cache = {} if cache is None else cache
    if "lines" not in cache:            # the lines' columns read once for all the years
        cache["lines"] = TariffLines.of(lines)
        cache["service_year"] = pd.to_datetime(lines["service_month"]).dt.year.to_numpy()

    def medians(y: int | None) -> tuple[dict, dict] | None:
        if y not in cache:
            if y is None:
                cache[y] = cache["lines"].medians()
            else:
                part = cache["service_year"] == y
                cache[y] = cache["lines"].medians(part) if part.any() else None
        return cache[y]

    by_code, by_cat = medians(None)
    for y in (year - 1, year):
        if (found := medians(y)) is not None:
            by_code, by_cat = {**by_code, **found[0]}, {**by_cat, **found[1]}
    return by_code, by_cat


def _calendar_development(lines: pd.DataFrame, late: pd.DataFrame, a: pd.Timestamp,
                          notes: list[str]) -> pd.DataFrame:
    """Providers that claim in batches (``calc.prognose.calendar``): no triangle development.

    A service month's reported share is that of the same calendar month in earlier years at
    the same lag (``seasonal_reported``); under ``BF_BELOW`` Bornhuetter-Ferguson expects the
    rest from commitments x utilisation, and the utilisation leaves the month out. Without
    earlier years, a calendar provider's month whose due claim month has passed is complete up
    to its ``first_share`` (divided by it for ``CALENDAR_GROWTH_MONTHS`` after its due month);
    one not yet due is "not reported" (0).
    """
    calendars, batch = calendars_and_batches(lines, a)
    batches = sorted(set(batch) | set(calendars))
    if not batches or late.empty:
        return late
    late = late.copy()
    shares = first_shares(lines, calendars, a)
    providers = late["provider"].astype(str).to_numpy()
    # the lines' months as numbers once, each provider's lines picked from them
    line_provider = lines["provider"].astype(str).to_numpy()
    line_service = month_numbers(lines["service_month"])
    line_claim = month_numbers(lines["claim_month"])
    line_amount = lines["amount_euro"].to_numpy(dtype=float)
    a_number = int(month_numbers([a])[0])
    # the providers' rows are disjoint: each one's columns change in arrays, the frame once
    latest_all, service = late["latest"].to_numpy(), late["service_month"]
    col = {c: late[c].to_numpy(dtype=float, copy=True)
           for c in ("ultimate", "ibnr", "se", "reported")}
    for provider in batches:
        rows = providers == provider
        if not rows.any():
            continue
        latest = latest_all[rows]
        months = service[rows]
        mine = line_provider == provider
        reported = reported_shares(line_service[mine], line_claim[mine], line_amount[mine],
                                   month_numbers(months), a_number)
        ultimate = np.where(reported > 0, latest / np.where(reported > 0, reported, 1.0),
                            latest)
        if provider in calendars:       # no earlier year to learn from: the calendar
            calendar = calendars[provider]
            due = due_months(months, calendar)
            passed = (due <= a).to_numpy()
            recent = passed & (due > a - pd.DateOffset(months=CALENDAR_GROWTH_MONTHS)).to_numpy()
            fallback = np.where(recent, latest / shares[provider], latest)
            ultimate = np.where(np.isnan(reported), fallback, ultimate)
            reported = np.where(np.isnan(reported), np.where(passed, 1.0, 0.0), reported)
        else:                           # nothing learned: the triangle's development stays
            keep = np.isnan(reported)
            ultimate = np.where(keep, col["ultimate"][rows], ultimate)
            reported = np.where(keep, col["reported"][rows], reported)
            se_keep = col["se"][rows]
        col["ultimate"][rows] = ultimate
        col["ibnr"][rows] = ultimate - latest
        se = (ultimate - latest) * BF_CV
        col["se"][rows] = se if provider in calendars else np.where(keep, se_keep, se)
        col["reported"][rows] = reported
    for name, values in col.items():
        late[name] = values
    shown = "; ".join(
        f"{p}: {', '.join(str(m) for m in calendars[p])}" if p in calendars
        else f"{p}: partijen naast maandelijkse declaraties" for p in batches)
    notes.append(f"Declaratiekalender: {len(batches)} aanbieder(s) declareren (vooral) in vaste "
                 f"maanden ({shown}); hoeveel van een maand al binnen is, komt uit dezelfde "
                 "maand van eerdere jaren; wat nog niet aan de beurt was telt als verplichting "
                 "x benuttingsgraad, niet via de vertragingsdriehoek.")
    return late


def _season(late: pd.DataFrame, notes: list[str], steps: pd.Series | None = None
            ) -> pd.DataFrame:
    """Seasonal factors of delivery per product category (``calc.prognose.season``), from
    the service months of the triangle that are at least ``BF_BELOW`` reported, each valued
    at one year's tariffs (``steps``, ``_tariff_steps``): a 1 January indexation is a step
    that the centred moving average turns into a season (the months before it below their
    average, those after it above), and the months left after June or September came out
    low by half the indexation."""
    if late.empty:
        return pd.DataFrame()
    done = late[late["reported"] >= BF_BELOW]
    amount = done["ultimate"].astype(float) * _step_factor(steps, done)
    index = seasonal_index(done["service_month"], done["product_category"], amount)
    moved = index[(index - 1.0).abs().max(axis=1) >= 0.05]
    if len(moved):
        low = ", ".join(f"{c}: maand {min(range(1, 13), key=lambda m: index.loc[c, m])} "
                        f"({nl_number(float(index.loc[c].min()))})" for c in moved.index)
        notes.append("Seizoen: de zorg per maand volgt een vast patroon over het jaar "
                     f"(laagste maand per productcategorie: {low}); de resterende maanden tellen "
                     "met dat patroon, de benuttingsgraad is zonder seizoen geleerd.")
    return index


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
                      calibrate: bool = True,
                      starts_stops: pd.DataFrame | None = None,
                      inflow_change: tuple | None = None,
                      replays: dict | None = None) -> YearEndForecast:
    """Forecast the year's spending per provider and product category, with an interval.

    Parameters
    ----------
    claim_lines : DataFrame (``calc.records.CLAIM_LINES``), euro
    allocations : DataFrame (``calc.records.ALLOCATIONS``)
    as_of : date-like, optional
        Evaluation month: claims up to and including this claim month are known. Default:
        the latest claim month in ``claim_lines`` whose declarations look complete
        (``calc.prognose.completeness``: a month still arriving moves the default one month
        back, and a given month that looks incomplete gets a warning note).
    year : int, optional
        The year to forecast (default: the year of ``as_of``).
    level : float
        Coverage of the interval (0.8 = 80%).
    taakveld_map, theme_map : mappings, optional
        Overrides of the default product category -> taakveld and taakveld -> theme.
    tariffs : mapping product code -> euro per unit, optional
    calibrate : bool
        Correct the forward part by replays of earlier years (``calc.prognose.calibration``).
    starts_stops : DataFrame (``calc.records.STARTS_STOPS``), optional
        Start messages (305): which allocations wait for care (``calc.prognose.starts``);
        without them every allocation counts as started.
    inflow_change : (month, fraction), optional
        An announced change of the inflow of new clients (a policy cut decided by the
        council): from that month ``1 + fraction`` times the new clients (e.g.
        ``("2025-07", -0.2)``). Without it a break is looked for in the data.
    replays : dict, optional
        Kept between forecasts on the same tables (a look-back's twelve months): the
        calibration's uncalibrated replays of earlier years, per evaluation month, so a
        month two forecasts share is replayed once. Start with an empty dict; pass it only
        with the same ``claim_lines``, ``allocations`` and options.

    Returns
    -------
    YearEndForecast
    """
    # the same records in another row order (a store filled in another order) give the same
    # figures to the last bit; the replays are kept per caller's tables
    ident = (id(claim_lines), id(allocations), id(starts_stops))
    ordered = content_ordered(claim_lines, allocations, starts_stops, replays)
    return _forecast(ordered[0], ordered[1], as_of=as_of, year=year, level=level,
                     taakveld_map=taakveld_map, theme_map=theme_map, tariffs=tariffs,
                     calibrate=calibrate, starts_stops=ordered[2], inflow_change=inflow_change,
                     replays=replays, ident=ident)


def content_ordered(claim_lines: pd.DataFrame, allocations: pd.DataFrame,
                    starts_stops: pd.DataFrame | None, replays: dict | None = None) -> tuple:
    """The three tables in content order (``calc.prognose.order``): the forecast's figures
    do not depend on the order of the store's rows.

    With ``replays`` (kept between forecasts on the same tables) each table is sorted once:
    the sorted tables are kept under the given ones, and themselves count as sorted, so a
    caller that sorts first (``compute_prognose``) and passes the sorted tables on pays once.
    """
    ident = (id(claim_lines), id(allocations), id(starts_stops))
    ordered = replays.get(("in_content_order", ident)) if replays is not None else None
    if ordered is None:
        ordered = (in_content_order(claim_lines, CLAIM_LINE_ORDER),
                   in_content_order(allocations, ALLOCATION_ORDER),
                   None if starts_stops is None else in_content_order(starts_stops,
                                                                      STARTS_STOPS_ORDER))
        if replays is not None:
            replays[("in_content_order", ident)] = ordered
            replays[("in_content_order", tuple(map(id, ordered)))] = ordered
    return ordered


def _forecast(claim_lines: pd.DataFrame, allocations: pd.DataFrame, *, as_of, year, level,
              taakveld_map, theme_map, tariffs, calibrate, starts_stops, inflow_change,
              replays: dict | None, ident: tuple) -> YearEndForecast:
    """``year_end_forecast`` on tables in content order; ``ident`` names the caller's tables
    (the replays' key)."""
    require_columns(claim_lines, CLAIM_LINES, argument="claim_lines")
    require_columns(allocations, ALLOCATIONS, argument="allocations")
    if not 0 < level < 1:
        raise InputError(f"het betrouwbaarheidsniveau moet tussen 0 en 1 liggen, niet {level}",
                         argument="level")
    if len(claim_lines) == 0:
        raise InputError("er zijn geen declaratieregels", argument="claim_lines")
    claim_month = pd.to_datetime(claim_lines["claim_month"])
    given = _month(as_of) if as_of is not None else None
    checked_end = latest_claim_month(claim_lines, given) + pd.offsets.MonthEnd(0)
    stopped_then = stopped_providers(latest_versions(known_versions(allocations, checked_end)))
    peil = check_claim_month(claim_lines, given, stopped=stopped_then)
    w = _Window.of(peil.as_of, year)
    notes: list[str] = [peil.note] if peil.note else []
    by = GROUP
    lines = claim_lines.loc[claim_month <= w.a, list(LINE_COLUMNS)]
    known = _known_allocations(allocations, w.a_end, notes, starts_stops,
                               claim_lines.loc[claim_month <= w.a])
    late = _late_claims(lines, w.a, by, notes)
    late = _calendar_development(lines, late, w.a, notes)
    claimed = _claimed_so_far(lines, w, by)
    steps = _tariff_steps(lines, w.year, by)
    season = _season(late, notes, steps)
    past = _past_utilisation(lines, known, late, w, tariffs, by, notes, season)
    # nothing to build on but the claims: the rate of the last mature months
    rate = _claims_rate(late, w, by, steps) if known.allocations.empty else None
    this_year, late_part, monthly = _late_this_year(late, past, w, by, notes, rate)
    remaining, year_com = _remaining_months(known, past, w, tariffs, by)
    if rate is not None and w.months_left > 0:
        remaining = _run_rate(rate, w, notes)
    inflow = _inflow(known.allocations, past.hist, past.util, past.fallback_u, w.a,
                     w.months_left, by, known.episodes, known.starts, notes, inflow_change)
    continued = _continuation(known.allocations, past.hist, past.util, past.fallback_u, w.a,
                              w.y1, by, known.stops, known.planned_end, known.stop_delay,
                              known.clock)
    if known.stopped and len(continued):             # a stopped provider renews nothing
        continued = continued[~continued.index.get_level_values("provider").astype(str)
                              .isin(list(known.stopped))]
    detail, forward_var = _parts(claimed, late_part, remaining, inflow, continued, year_com, by)
    k = None
    if calibrate and w.months_left > 0:
        options = dict(level=level, taakveld_map=taakveld_map, theme_map=theme_map,
                       tariffs=tariffs, starts_stops=starts_stops)

        def replay(m: pd.Timestamp, y: int) -> pd.DataFrame:
            key = (*ident, level, repr((taakveld_map, theme_map, tariffs)), m, y)
            if replays is None or key not in replays:
                detail = _forecast(claim_lines, allocations, as_of=m, year=y, calibrate=False,
                                   inflow_change=None, replays=None, ident=ident,
                                   **options).detail
                if replays is None:
                    return detail
                replays[key] = detail
            return replays[key]

        forward = float((detail["remaining_euro"] + detail["inflow_euro"]).sum())
        k = calibrate_forward(pd.to_datetime(claim_lines["service_month"]).min(), late, w.a,
                              w.year, replay, notes, history_years=HISTORY_MONTHS // 12,
                              window_months=WINDOW_MONTHS,
                              noise=float(np.sqrt(forward_var.sum())) / forward
                              if forward > 0 else 0.0)
    detail = _calibrated_interval(detail, forward_var, late_part, k, level, by)
    detail["committed_euro"] = (year_com.groupby(list(by))["committed_euro"].sum()
                                .reindex(detail.index).fillna(0.0))
    detail["utilisation"] = past.util.set_index(list(by))["utilisation"].reindex(detail.index)
    detail = _labelled(detail.reset_index(), taakveld_map, theme_map, notes)
    return YearEndForecast(detail, w.year, w.a, level, notes, monthly, k if k is not None else {},
                           claims_only=rate is not None)


@dataclass(frozen=True)
class _Window:
    """The evaluation month ``a`` (and its last day), the year ``y0``..``y1``, months left."""

    a: pd.Timestamp
    a_end: pd.Timestamp
    year: int
    y0: pd.Timestamp
    y1: pd.Timestamp
    months_left: int

    @classmethod
    def of(cls, as_of, year: int | None) -> _Window:
        a = _month(as_of)
        year = int(year or a.year)
        y0 = pd.Timestamp(year=year, month=1, day=1)
        y1 = pd.Timestamp(year=year, month=12, day=31)
        if a < y0 - pd.DateOffset(months=1) or a > y1:
            raise InputError(f"de peildatum {a:%m-%Y} ligt niet in {year}", argument="as_of")
        return cls(a, a + pd.offsets.MonthEnd(0), year, y0, y1,
                   (y1.to_period("M") - a.to_period("M")).n)


@dataclass(frozen=True)
class _Known:
    """The allocations as known at the evaluation month, with the stop model learned from them."""

    allocations: pd.DataFrame
    stops: StopModel
    planned_end: np.ndarray
    #: Providers that stopped (``calc.prognose.stopped``) -> their stop day.
    stopped: dict = field(default_factory=dict)
    #: How long a client stays in care (renewals merged; ``survival.care_episodes``).
    episodes: StopModel | None = None
    #: Waiting lists (``calc.prognose.starts``): care start per row (NaT: none known),
    #: whether its provider sends 305, and the "not yet started" model.
    care_start: np.ndarray | None = None
    uses_starts: np.ndarray | None = None
    starts: StopModel | None = None
    #: Mean months from a care's end to its stop message (``survival.stop_report_delay``).
    stop_delay: float = 0.0
    #: The first claimed service month: the data begin there (left truncation).
    data_start: pd.Timestamp | None = None
    #: Per row the day its stop clock starts (``care_clock``): the care start where 305
    #: told it, else the allocation's start.
    clock: np.ndarray | None = None

    def clocked(self, per_allocation: pd.DataFrame) -> pd.DataFrame:
        """``per_allocation`` (rows as ``allocations``) with ``start`` on the stop clock."""
        if self.clock is None:
            return per_allocation
        return per_allocation.assign(start=self.clock)

    def care_share(self, months: pd.DatetimeIndex, as_of_end: pd.Timestamp) -> np.ndarray:
        """(allocations, months): share of each month's commitment in which care runs."""
        if self.care_start is None:
            return np.ones((len(self.allocations), len(months)))
        return care_share(self.starts, self.allocations, self.care_start, self.uses_starts,
                          months, as_of_end)


#: The columns of the allocation versions that the stop model reads (``mapped_spells``).
_SPELL_INPUT = (*ALLOCATION_KEY, "product_category", "start_date", "end_date", "valid_from")


def _known_allocations(allocations: pd.DataFrame, a_end: pd.Timestamp,
                       notes: list[str], starts_stops: pd.DataFrame | None = None,
                       claim_lines: pd.DataFrame | None = None) -> _Known:
    """Allocations sent by ``a_end`` (as a backtest replays) and the early-stop model."""
    versions = known_versions(allocations, a_end)
    current = latest_versions(versions)
    versions = versions[list(_SPELL_INPUT)]      # all that is read of them from here on
    care_start, care_stop, used = care_starts(current, starts_stops, a_end, claim_lines)
    versions, current = _shortened_by_stops(versions, current, care_stop, notes)
    # no stop message, but no claim either since longer than the provider ever takes
    by_claims = claims_stopped(current, claim_lines, a_end)
    by_claims[~np.isnat(care_stop)] = np.datetime64("NaT")
    versions, current = _shortened_by_stops(versions, current, by_claims, notes, CLAIMS_STOP_NOTE)
    # early stops: Kaplan-Meier per product category on the spells known at the evaluation month
    # the data begin with the claims: an allocation that started before counts from then
    # (one that ended before is not in an export: long ones only would be left)
    data_start = (pd.to_datetime(claim_lines["service_month"]).min()
                  if claim_lines is not None and len(claim_lines) else None)
    # each allocation once (its first and latest version), and the one of each current row
    spells, spell_of, valid_from, first = mapped_spells(versions, a_end,
                                                        data_start=data_start)
    allocation_of = key_rows([versions[k].to_numpy(dtype=object)[first] for k in ALLOCATION_KEY],
                             [current[k].to_numpy(dtype=object) for k in ALLOCATION_KEY])
    clock = care_clock(current, care_start, used, a_end)
    spells, kept = _clocked(spells, _clock_shift(
        current, clock, _first_row_of(allocation_of, len(first))[spell_of]))
    spell_of = spell_of[kept]
    stops = stop_model(spells)
    if len(spells):
        notes.append(f"Voortijdig stoppen: stopkans per productcategorie per maand sinds de "
                     f"start van de zorg (startbericht 305; zonder: de ingangsdatum; "
                     f"Kaplan-Meier) uit {len(spells)} toewijzingen met een "
                     f"einddatum, waarvan {int(spells['stopped'].sum())} voor hun einddatum "
                     "gestopt; toekomstige verplichtingen tellen naar de kans dat de toewijzing "
                     "dan nog loopt.")
    # per current row: the planned end of its spell (NaT without one), its first valid_from
    planned = np.full(len(first) + 1, np.datetime64("NaT"), dtype="datetime64[ns]")
    planned[spell_of] = spells["planned_end"].to_numpy(dtype="datetime64[ns]")
    planned = planned[allocation_of]                        # -1 (none): the last, NaT
    if current.empty:
        later = ""
        if len(allocations):   # all of them known only after the peilmaand: say so
            first_known = pd.to_datetime(allocations["valid_from"]).min()
            later = (f" ({len(allocations)} toewijzingsregels in de opslag zijn pas bekend "
                     f"vanaf {first_known:%d-%m-%Y}, na de peilmaand; een export zonder kolom "
                     "Peildatum telt vanaf de datum van het bestand)")
        notes.append("Geen toewijzingen bekend" + later + ": de resterende maanden rekenen "
                     "met het tempo van de laatste declaraties, niet met verplichtingen.")
    seen = np.append(valid_from[first], np.datetime64("NaT"))[allocation_of]
    if data_start is not None and pd.notna(data_start):
        seen = np.where(seen < data_start.to_datetime64(), data_start.to_datetime64(), seen)
    end = dates(current["end_date"]).astype("datetime64[ns]", copy=False)
    early = ~np.isnat(end) & ~np.isnat(planned) & (end < planned)
    episodes = stop_model(care_episodes(current, seen, a_end, stopped=early),
                          prior_weight=EPISODE_PRIOR_WEIGHT)
    stopped = stopped_providers(current)
    if stopped:
        shown = ", ".join(f"{p} op {d:%d-%m-%Y}" for p, d in sorted(stopped.items()))
        notes.append(f"Gestopte aanbieder(s): {shown} (hun cliënten stapten samen over naar "
                     "een andere aanbieder); na die dag telt bij hen geen zorg meer, ook niet "
                     "waar de toewijzing op papier doorloopt.")
    starts = start_model(current, care_start, used, a_end)
    if starts is not None:
        waiting = used & (np.isnat(care_start) | (care_start > np.datetime64(a_end)))
        waiting &= ~(pd.to_datetime(current["start_date"]) > a_end).to_numpy()
        notes.append(f"Wachtlijst: {int(waiting.sum())} toewijzingen zonder startbericht (305) "
                     "tellen naar de kans dat de zorg alsnog start (geleerd uit de tijd tussen "
                     "ingangsdatum en start bij eerdere toewijzingen; sommige starten nooit); "
                     "de benuttingsgraad geldt voor de maanden waarin de zorg liep.")
    delay = stop_report_delay(starts_stops, a_end)
    if delay > 0:
        notes.append(f"Stopberichten (307) komen gemiddeld {delay * DAYS_PER_MONTH:.0f} "
                     "dagen na het einde van de zorg: een toewijzing zonder stopbericht loopt "
                     "zeker tot zo lang voor de peilmaand, daarna telt de stopkans.")
    return _Known(current, stops, planned, stopped, episodes, care_start, used, starts, delay,
                  data_start, clock)


def care_clock(current: pd.DataFrame, care_start: np.ndarray, used: np.ndarray,
               a_end: pd.Timestamp) -> np.ndarray:
    """Per row the day the allocation's stop clock starts: its care start (305, known by
    ``a_end``) where that lies after the allocation's start, else the start itself.

    Care ends a care's length after it starts, not after the allocation starts: with a
    waiting list the clock from the allocation's start mixes the wait into the durations,
    so a client who started at once was given the stop chances of one who waited (too few
    in the months ahead). Allocations still waiting keep their start (``care_share`` gives
    their chance to start).

    >>> cur = pd.DataFrame({"start_date": pd.to_datetime(["2025-01-01", "2025-01-01",
    ...                                                   "2025-02-01"])})
    >>> cs = pd.to_datetime(["2025-03-10", "NaT", "2025-05-01"]).to_numpy()
    >>> [str(d)[:10] for d in care_clock(cur, cs, np.array([True, True, True]),
    ...                                  pd.Timestamp("2025-03-31"))]
    ['2025-03-10', '2025-01-01', '2025-02-01']
    """
    start = dates(current["start_date"]).astype("datetime64[ns]")     # a copy of its own
    if care_start is None or not len(start):
        return start
    begun = (np.asarray(used, dtype=bool) & ~np.isnat(care_start) & ~np.isnat(start)
             & (care_start > start) & (care_start <= np.datetime64(a_end)))
    return np.where(begun, care_start, start)


def _on_clock(spells: pd.DataFrame, current: pd.DataFrame, clock: np.ndarray) -> pd.DataFrame:
    """The spells' entry and exit days counted from each allocation's stop clock."""
    row = key_rows([current[k].to_numpy(dtype=object) for k in ALLOCATION_KEY],
                   [spells[k].to_numpy(dtype=object) for k in ALLOCATION_KEY])
    return _clocked(spells, _clock_shift(current, clock, row))[0]


def _clock_shift(current: pd.DataFrame, clock: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Per spell the days from its allocation's start to its stop clock (``row``: the row of
    ``current`` of its allocation; -1, none: 0)."""
    if not len(current):
        return np.zeros(len(row))
    shift = (clock - dates(current["start_date"]).astype("datetime64[ns]", copy=False)
             ) / np.timedelta64(1, "D")
    return np.nan_to_num(np.where(row >= 0, shift[row], np.nan))


def _clocked(spells: pd.DataFrame, days: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """``spells`` with entry and exit ``days`` later (``_clock_shift``), and which rows are
    kept (the exit not before the entry)."""
    kept = np.ones(len(spells), dtype=bool)
    if spells.empty or not days.any():
        return spells, kept
    entry = np.clip(spells["entry_days"].to_numpy(float) - days, 0, None)
    exit_ = np.clip(spells["exit_days"].to_numpy(float) - days, 0, None)
    kept = exit_ >= entry
    out = spells.assign(entry_days=entry, exit_days=exit_)
    return out[kept].reset_index(drop=True), kept


def _first_row_of(allocation_of: np.ndarray, n: int) -> np.ndarray:
    """Per allocation (0..n-1) the first row that ``allocation_of`` gives it, -1 for none."""
    out = np.full(n, -1, dtype=np.intp)
    numbers, rows = np.unique(allocation_of, return_index=True)
    out[numbers[numbers >= 0]] = rows[numbers >= 0]
    return out


#: The note on allocations ended by their claims (``starts.claims_stopped``).
CLAIMS_STOP_NOTE = ("Zonder stopbericht: {n} toewijzingen, al langer zonder declaratie dan "
                    "hun aanbieder ooit nodig had, tellen tot hun laatst gedeclareerde maand.")
#: The note on allocations ended by a stop message.
STOP_NOTE = ("Stopberichten (307): {n} toewijzingen waarvan de zorg stopte voor hun einddatum "
             "tellen tot die stopdatum, ook waar de toewijzing (nog) niet is ingekort.")


def _shortened_by_stops(versions: pd.DataFrame, current: pd.DataFrame, care_stop: np.ndarray,
                        notes: list[str], note: str = STOP_NOTE
                        ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stop message (307) known then ends the allocation's care on its date, also where
    the municipality did not shorten the allocation (its latest version) in a new 301; so
    does the end of the last claimed month where the claims show the care stopped
    (``starts.claims_stopped``, with its ``note``).

    Commitments, the stop model, care episodes and renewals then all count care, not paper.
    """
    start = dates(current["start_date"]).astype("datetime64[ns]", copy=False)
    end = dates(current["end_date"]).astype("datetime64[ns]", copy=False)
    cut = ~np.isnat(care_stop) & (care_stop >= start) & (np.isnat(end) | (care_stop < end))
    if not cut.any():
        return versions, current
    # each row of ``current`` with its latest version, matched on the key: after a first
    # shortening the latest versions no longer come in ``current``'s order (taking them by
    # place copied the versions of other allocations)
    last = latest_rows(versions)
    mine = key_rows([versions[k].to_numpy()[last] for k in ALLOCATION_KEY],
                    [current[k].to_numpy() for k in ALLOCATION_KEY])
    if (mine[cut] < 0).any():
        raise ValueError("_shortened_by_stops: an allocation of current has no version")
    stop = pd.to_datetime(pd.Series(care_stop[cut])).to_numpy(dtype="datetime64[ns]")
    # a version of its own, after the latest: the first version keeps the planned end, so
    # the stop model sees an early stop (overwriting the only version made the stop date the
    # planned end: a censoring, and 4 in 10 stops of Grip's own generator went unseen)
    shortened = versions.iloc[last[mine[cut]]]
    shortened = shortened.assign(end_date=stop, valid_from=np.maximum(
        dates(shortened["valid_from"]).astype("datetime64[ns]", copy=False), stop))
    versions = pd.concat([versions, shortened], ignore_index=True)
    ends = pd.to_datetime(current["end_date"]).copy()                # all open: not object
    ends.loc[cut] = stop
    current = current.assign(end_date=ends)
    notes.append(note.format(n=int(cut.sum())))
    return versions, current


def _claimed_so_far(lines: pd.DataFrame, w: _Window, by: tuple[str, ...]) -> pd.Series:
    """Per group: net claimed for the year's service months up to the evaluation month."""
    months_here = pd.to_datetime(lines["service_month"])
    here = lines[(months_here >= w.y0) & (months_here <= w.a)]
    return here.groupby(list(by))["amount_euro"].sum()


@dataclass(frozen=True)
class _Past:
    """What the last ``WINDOW_MONTHS`` say: commitments then (``hist``, per group and month
    ``hist_m``), utilisation per group (``util``) and over all (``fallback_u``), the median
    tariffs of the claims (``medians``), the known allocations as commitments read them
    (``basis``, for the year's commitments)."""

    medians: dict
    hist: object
    hist_m: pd.DataFrame
    util: pd.DataFrame
    fallback_u: float
    basis: AllocationBasis
    #: Seasonal factor of delivery per product category x calendar month (``season.py``).
    season: pd.DataFrame = field(default_factory=pd.DataFrame)


def _past_utilisation(lines: pd.DataFrame, known: _Known, late: pd.DataFrame, w: _Window,
                      tariffs, by: tuple[str, ...], notes: list[str],
                      season: pd.DataFrame | None = None) -> _Past:
    """Utilisation over the last ``WINDOW_MONTHS`` service months (ultimates over commitments).

    Tariffs per period: the window's months of an earlier year are valued at that year's
    tariffs and the months of this year (and all that lies ahead) at this year's, so an
    indexation on 1 January does not read as a change in utilisation
    (``period_medians``).
    """
    w0 = w.a - pd.DateOffset(months=WINDOW_MONTHS - 1)
    cache: dict = {}
    medians = period_medians(lines, w.a.year, cache)
    basis = AllocationBasis.of(known.allocations, as_of=w.a_end, already_current=True)
    hist = basis.commitments(w0, w.a_end, tariffs=tariffs, medians=medians)
    notes += hist.notes
    if w0.year < w.a.year:
        before = basis.commitments(w0, w.a_end, tariffs=tariffs,
                                   medians=period_medians(lines, w0.year, cache))
        earlier = (hist.months.year < w.a.year)[None, :]
        euro = np.where(earlier, before.euro, hist.euro)
    else:
        euro = hist.euro
    # utilisation on the months in which care ran (waiting lists, ``calc.prognose.starts``)
    hist_m = replace(hist, euro=euro * known.care_share(hist.months, w.a_end)).by(*by)
    hist_m = hist_m.rename(columns={"month": "service_month"})
    ult = late[pd.to_datetime(late["service_month"]) >= w0]
    season = season if season is not None else pd.DataFrame()
    if not season.empty and len(ult):       # utilisation without the season's dips
        ult = ult.assign(ultimate=ult["ultimate"] / season_factor(
            season, ult["product_category"], ult["service_month"]))
    util = _utilisation(hist_m, ult, by, notes)
    return _Past(medians, hist, hist_m, util, _overall_utilisation(util), basis, season)


def _late_this_year(late: pd.DataFrame, past: _Past, w: _Window, by: tuple[str, ...],
                    notes: list[str], rate: pd.DataFrame | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Late claims of this year's service months: chain ladder, or Bornhuetter-Ferguson
    (prior = commitments x utilisation, or without any allocation the claims' own ``rate``,
    ``_claims_rate``) where less than half is reported yet.

    Returns the long table of this year's months, per group ``ibnr`` and ``late_var``, and
    the monthly totals over all groups.
    """
    service = pd.to_datetime(late["service_month"])
    this_year = late[(service >= w.y0) & (service <= w.a)]
    this_year = _blend_bornhuetter_ferguson(this_year, past.hist_m, past.util, past.fallback_u,
                                            by, notes, season=past.season, rate=rate)
    monthly = _monthly_totals(late, this_year)
    part = this_year.groupby(list(by))[["ibnr"]].sum()
    part["late_var"] = this_year.assign(v=this_year["se"] ** 2).groupby(list(by))["v"].sum()
    if rate is not None and len(rate) and "from_rate" in this_year.columns:
        # the rate's own error (its spread / sqrt(n)) is one error for every month it values:
        # the months less than half claimed (b month-equivalents) and the months left (n);
        # the months left carry n^2 of (b + n)^2 (``_run_rate``), the rest is added here
        valued = this_year[this_year["from_rate"]]
        keys = [valued[c] for c in by]
        b = valued["reported"].rsub(1.0).clip(0, 1).groupby(keys).sum().reindex(part.index)
        count = valued.groupby(keys).size().reindex(part.index).fillna(0)
        bf_var = (valued["se"] ** 2).groupby(keys).sum().reindex(part.index).fillna(0.0)
        n = w.months_left
        r = rate.reindex(part.index)
        k = r["n"].clip(lower=1)
        weight = b.fillna(0.0) + n                      # month-equivalents the rate values
        shared = r["spread"] ** 2 / k * (weight ** 2 - n ** 2)
        # the rate's error as measured in the store's own past (``_rate_sum_errors``): how far
        # the next H months together came from H x the rate then; where that is wider than
        # the months (here and in ``_run_rate``) with their shared error, it counts instead
        run_var = _rate_forward_var(r, n)
        horizon = (count + n).clip(1, RATE_HORIZON).astype(int)
        sums = r.filter(like="sum_sd_").to_numpy(dtype=float)
        measured = np.take_along_axis(sums, (horizon.to_numpy() - 1)[:, None], 1)[:, 0]
        beyond = (measured * weight / horizon) ** 2 - bf_var - run_var
        extra = np.fmax(shared.to_numpy(dtype=float), beyond.to_numpy(dtype=float))
        part["late_var"] += np.nan_to_num(np.clip(extra, 0.0, None))
    return this_year, part, monthly


def _remaining_months(known: _Known, past: _Past, w: _Window, tariffs, by: tuple[str, ...]
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Remaining months ``a``+1..December per group: commitments x chance the allocation
    still runs in that month x utilisation, with its variance (``rem_var``); and the whole
    year's commitments per group and month."""
    future = pd.DataFrame(columns=[*by, "month", "committed_euro"])
    year_all = past.basis.commitments(w.y0, w.y1, tariffs=tariffs, medians=past.medians)
    year_com = year_all.by(*by)
    if w.a < w.y1.to_period("M").to_timestamp():
        # open-ended allocations: every month to December by the chance they still run
        ahead = past.basis.commitments(w.y0, w.y1, tariffs=tariffs, medians=past.medians,
                                       open_until=w.y1)
        running = replace(ahead, euro=ahead.euro * running_weights(
            known.stops, known.clocked(ahead.per_allocation), ahead.months, w.a_end,
            known.stop_delay)
            * known.care_share(ahead.months, w.a_end)
            * open_running(known.allocations, as_of=w.a_end, months=ahead.months,
                           data_start=known.data_start))
        future = running.by(*by)
        future = future[future["month"] > w.a]
        for provider, day in known.stopped.items():     # no care after a provider stopped
            future = future[~((future["provider"].astype(str) == provider)
                              & (future["month"] > day))]
    util = past.util
    committed = future["committed_euro"].to_numpy(dtype=float)
    u = _group_values(util, "utilisation", future, by)
    u = np.where(np.isnan(u), past.fallback_u, u)
    u = u * season_factor(past.season, future["product_category"], future["month"])
    sums = future[list(by)].assign(euro=committed * u, committed_euro=committed,
                                   c2=committed ** 2).groupby(list(by)).sum()
    groups = sums.index.to_frame(index=False)
    spread = _group_values(util, "u_sd", groups, by)
    spread = np.where(np.isnan(spread), util["u_sd"].median() if len(util) else 0.0, spread)
    out = pd.DataFrame({"remaining": sums["euro"], "c_sum": sums["committed_euro"],
                        "c2_sum": sums["c2"], "spread": np.where(np.isnan(spread), 0.0, spread),
                        "n_months": _group_values(util, "n_months", groups, by)},
                       index=sums.index).astype(float)
    out["rem_var"] = out["spread"] ** 2 * (
        out["c2_sum"] + out["c_sum"] ** 2 / out["n_months"].fillna(1).clip(lower=1))
    return out, year_com


def _group_values(table: pd.DataFrame, column: str, rows: pd.DataFrame,
                  by: tuple[str, ...]) -> np.ndarray:
    """Per row of ``rows``: ``column`` of the row of ``table`` (one per group) with the same
    ``by`` keys, NaN where it has none (a left merge, without the merge)."""
    at = key_rows([table[k].to_numpy() for k in by], [rows[k].to_numpy() for k in by])
    values = np.append(table[column].to_numpy(dtype=float), np.nan)
    return values[np.where(at >= 0, at, len(table))]


#: Service months whose mean is the run rate when no allocation is known (``_run_rate``).
RUN_RATE_MONTHS = 3


def _claims_rate(late: pd.DataFrame, w: _Window, by: tuple[str, ...],
                 steps: pd.Series | None = None) -> pd.DataFrame:
    """Per group the expected amount of a service month when no allocation is known (a store
    of claims only): the mean of the last ``RUN_RATE_MONTHS`` service months up to ``a`` that
    are at least ``BF_BELOW`` reported (claimed + expected late claims), ``rate``; the
    month-to-month spread of those months in the last twelve, ``spread``; and how many months
    the mean took, ``n``. A month barely claimed yet would pull the rate down: where every
    provider claims a month later, the peilmaand's own month holds nothing yet.
    ``steps`` (``_tariff_steps``): each month valued at the forecast year's tariffs first,
    so a rate of last year's autumn months carries the 1 January indexation (it did not:
    a March forecast of a claims export came out low by the indexation).

    >>> late = pd.DataFrame({"provider": "1", "product_category": "45",
    ...     "service_month": pd.date_range("2025-01-01", periods=6, freq="MS"),
    ...     "latest": [100.0, 120, 100, 100, 110, 0], "ibnr": [0.0, 0, 0, 0, 20, 0],
    ...     "reported": [1.0, 1, 1, 1, 0.8, 0]})
    >>> w = _Window.of(pd.Timestamp("2025-06-01"), None)
    >>> float(_claims_rate(late, w, ("provider", "product_category"))["rate"].iloc[0])
    110.0
    >>> # (100 + 100 + 130) / 3: March to May; June, claimed 0 so far, is not in the rate
    """
    cols = ["rate", "spread", "n"]
    service = pd.to_datetime(late["service_month"])
    mature = late[(service <= w.a) & (late["reported"] >= BF_BELOW)]
    if steps is not None and len(steps) and len(mature):
        factor = _step_factor(steps, mature)
        mature = mature.assign(latest=mature["latest"].astype(float) * factor,
                               ibnr=mature["ibnr"].astype(float) * factor)
    history = _expected_grid(mature, by)
    grid = history.loc[:, history.columns > w.a - pd.DateOffset(months=12)].dropna(how="all")
    if grid.empty:
        return pd.DataFrame(columns=cols)
    last = grid.apply(lambda row: row.dropna().iloc[-RUN_RATE_MONTHS:], axis=1)
    spread = grid.std(axis=1, ddof=1).fillna(0.0)
    out = pd.DataFrame({"rate": last.mean(axis=1), "spread": spread,
                        "n": last.notna().sum(axis=1)})
    return out.join(_rate_sum_errors(history))


def _step_factor(steps: pd.Series | None, rows: pd.DataFrame) -> np.ndarray | float:
    """Per row of ``rows`` (its group columns and ``service_month``) the ``_tariff_steps``
    factor; 1 where none is known, and 1 for all without ``steps``."""
    if steps is None or not len(steps) or not len(rows):
        return 1.0
    keys = pd.MultiIndex.from_arrays([*(rows[c] for c in steps.index.names[:-1]),
                                      pd.to_datetime(rows["service_month"])])
    return steps.reindex(keys).fillna(1.0).to_numpy()


def _tariff_steps(lines: pd.DataFrame, year: int, by: tuple[str, ...]) -> pd.Series:
    """Per group and service month (index ``(*by, service_month)``): the factor that values
    the month's claims at the tariffs of ``year``.

    Per product code and unit the median tariff of each service year (debit lines with a
    positive tariff); the tariff of ``year`` is that of the latest service year up to it that
    has one (none yet: the month keeps its own). A month's factor is the amount-weighted mean
    over its lines of (that tariff / the tariff of the month's own year): a 1 January
    indexation of 5 % gives last year's months 1,05 and this year's 1. Lines without a
    tariff, and months of a later year than ``year``, count 1.

    >>> lines = pd.DataFrame({"provider": "1", "product_category": "45",
    ...     "product_code": "45A08", "unit": "04", "debit_credit": "D",
    ...     "service_month": pd.to_datetime(["2025-11-01", "2025-12-01", "2026-01-01"]),
    ...     "tariff_euro": [60.0, 60.0, 63.0], "amount_euro": [600.0, 600.0, 630.0]})
    >>> [round(float(v), 4) for v in _tariff_steps(lines, 2026, ("provider", "product_category"))]
    [1.05, 1.05, 1.0]
    """
    index_names = [*by, "service_month"]
    empty = pd.Series(dtype=float, index=pd.MultiIndex.from_arrays(
        [[] for _ in index_names], names=index_names))
    if lines.empty:
        return empty
    tariff = pd.to_numeric(lines["tariff_euro"], errors="coerce")
    amount = pd.to_numeric(lines["amount_euro"], errors="coerce").fillna(0.0)
    service = pd.to_datetime(lines["service_month"])
    service_year = service.dt.year
    code = lines["product_code"].astype("string").fillna("")
    unit = lines["unit"].astype("string").fillna("")
    priced = ((lines["debit_credit"] != "C") & (tariff > 0)).to_numpy()
    if not priced.any():
        return empty
    # product code and unit as one number per line, with the service year as one key per
    # line: lookups by integer, not by an index of tuples over every line
    pair, _ = factorize_rows([code.to_numpy(dtype=object), unit.to_numpy(dtype=object)],
                             rows=False)
    years = service_year.to_numpy(dtype=float)
    dated = ~np.isnan(years)
    first = int(years[dated].min()) if dated.any() else 0
    span = int(years[dated].max()) - first + 1 if dated.any() else 1
    key = np.where(dated, pair * span + (np.nan_to_num(years) - first), -1).astype(np.int64)
    use = priced & dated
    per_year = tariff[use].groupby(key[use]).median()
    known = per_year.index.to_numpy()
    up_to = per_year[known % span + first <= year]
    # the latest year up to ``year`` (the keys run by pair, then year)
    target = up_to.groupby(up_to.index.to_numpy() // span).last()
    own = per_year.reindex(key).to_numpy()
    then = target.reindex(pair).to_numpy()
    ratio = np.where(priced & np.isfinite(own) & np.isfinite(then)
                     & (service_year.to_numpy() <= year), then / own, 1.0)
    ratio = np.where(np.isfinite(ratio) & (ratio > 0), ratio, 1.0)
    weight = amount.abs().to_numpy()
    frame = pd.DataFrame({**{c: lines[c].to_numpy() for c in by}, "service_month": service,
                          "w": weight, "wr": weight * ratio})
    sums = frame.groupby(index_names)[["w", "wr"]].sum()
    return (sums["wr"] / sums["w"].where(sums["w"] > 0)).fillna(1.0)


def _expected_grid(late: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """Claimed + expected late claims per group (rows) and service month (columns)."""
    return (late.assign(expected=late["latest"].astype(float) + late["ibnr"].astype(float))
            .pivot_table(index=list(by), columns="service_month", values="expected",
                         aggfunc="sum"))


#: Months ahead (months less than half claimed and months left) whose sum the rate's error
#: is measured for (``_rate_sum_errors``).
RATE_HORIZON = 24
#: Fewest past windows a measured error of the rate rests on.
RATE_MIN_WINDOWS = 6


def _rate_sum_errors(grid: pd.DataFrame) -> pd.DataFrame:
    """Per group of ``grid`` (``_expected_grid`` of the months at least half claimed) and
    horizon H (``sum_sd_1`` .. ``sum_sd_24``): how far the sum of the next H
    service months came from H x the rate (mean of the ``RUN_RATE_MONTHS`` before them), root
    mean square over every month of the store's past (at least ``RATE_MIN_WINDOWS`` windows,
    else NaN). A caseload that drifts makes the months ahead move together; this measures that
    in the municipality's own claims instead of assuming months independent.

    >>> mature = pd.DataFrame({"provider": "1", "product_category": "45",
    ...     "service_month": pd.date_range("2024-01-01", periods=12, freq="MS"),
    ...     "latest": [100.0 + 10 * i for i in range(12)], "ibnr": 0.0})
    >>> e = _rate_sum_errors(_expected_grid(mature, ("provider", "product_category")))
    >>> float(e["sum_sd_1"].iloc[0])     # a rising line: the next month is 20 above the rate
    20.0
    >>> float(e["sum_sd_3"].iloc[0])     # 20 + 30 + 40
    90.0
    """
    columns = [f"sum_sd_{h}" for h in range(1, RATE_HORIZON + 1)]
    if grid.empty:
        return pd.DataFrame(columns=columns)
    months = pd.date_range(grid.columns.min(), grid.columns.max(), freq="MS")
    k = RUN_RATE_MONTHS
    if len(months) < k:             # a store younger than one rate: nothing to measure
        return pd.DataFrame(np.nan, index=grid.index, columns=columns)
    x = grid.reindex(columns=months).to_numpy(dtype=float)            # (groups, months)
    windows = np.lib.stride_tricks.sliding_window_view(x, k, axis=1)   # rate at t = k-1..
    rate = windows.mean(axis=-1)                                       # NaN if one is missing
    cum = np.concatenate([np.zeros((len(x), 1)), np.cumsum(np.nan_to_num(x), axis=1)], 1)
    missing = np.concatenate([np.zeros((len(x), 1)), np.cumsum(np.isnan(x), axis=1)], 1)
    out = np.full((len(x), RATE_HORIZON), np.nan)
    for h in range(1, RATE_HORIZON + 1):
        t = np.arange(k - 1, x.shape[1] - h)            # the last month in the rate
        if len(t) == 0:
            break
        ahead = cum[:, t + h + 1] - cum[:, t + 1]
        whole = (missing[:, t + h + 1] - missing[:, t + 1]) == 0
        err = np.where(whole, ahead - h * rate[:, t - k + 1], np.nan)
        count = np.sum(~np.isnan(err), axis=1)
        rms = np.sqrt(np.nansum(err ** 2, axis=1) / np.maximum(count, 1))
        out[:, h - 1] = np.where(count >= RATE_MIN_WINDOWS, rms, np.nan)
    return pd.DataFrame(out, index=grid.index, columns=columns)


def _run_rate(rate: pd.DataFrame, w: _Window, notes: list[str]) -> pd.DataFrame:
    """The remaining months when no allocation is known at all (a store of claims only, or
    allocations known only later): per group ``_claims_rate`` for each month left; new clients
    are inside that rate. Variance: the month-to-month spread, once per month left and once
    more for the uncertainty of the mean (so the interval is never the claimed amount alone).
    Without this the rest of the year counted as 0.

    >>> rate = pd.DataFrame({"rate": [100.0], "spread": [10.0], "n": [3]},
    ...                     index=pd.MultiIndex.from_tuples([("1", "45")]))
    >>> w = _Window.of(pd.Timestamp("2025-06-01"), None)
    >>> float(_run_rate(rate, w, [])["remaining"].iloc[0])       # 100 x 6 months
    600.0
    """
    cols = ["remaining", "rem_var"]
    if rate.empty:
        return pd.DataFrame(columns=cols)
    n = w.months_left
    used = int(rate["n"].max())
    out = pd.DataFrame({"remaining": rate["rate"] * n, "rem_var": _rate_forward_var(rate, n)})
    notes.append(f"Resterende maanden zonder toewijzingen: {n} maanden tegen het gemiddelde van "
                 f"de laatste {used} productmaanden die voor minstens de helft gedeclareerd "
                 f"zijn (gedeclareerd + nagekomen), samen {nl_number(float(rate['rate'].sum()))} "
                 "euro per maand; nieuwe cliënten zitten daarin, de marge rekent met de "
                 "spreiding van de laatste 12 maanden.")
    return out


def _rate_forward_var(rate: pd.DataFrame, n: int) -> pd.Series:
    """Per group of ``rate`` (``_claims_rate``): the variance of ``n`` months at the rate.

    The month-to-month spread, once per month and once more for the uncertainty of the
    mean, or where the store's own past shows the sum of ``n`` months further from ``n`` x
    the rate (``sum_sd_n``, ``_rate_sum_errors``: a caseload that drifts moves the months
    together), that error.

    >>> rate = pd.DataFrame({"spread": [10.0, 10.0], "n": [3, 3], "sum_sd_2": [5.0, 40.0]})
    >>> _rate_forward_var(rate, 2).tolist()      # 100 x (2 + 4 / 3); 40 ** 2
    [333.3333333333333, 1600.0]
    """
    if n <= 0:
        return pd.Series(0.0, index=rate.index)
    independent = rate["spread"] ** 2 * (n + n ** 2 / rate["n"].clip(lower=1))
    column = f"sum_sd_{min(n, RATE_HORIZON)}"
    if column not in rate.columns:
        return independent
    measured = rate[column].astype(float) ** 2
    return np.fmax(independent, measured)


def _parts(claimed: pd.Series, late_part: pd.DataFrame, remaining: pd.DataFrame,
           inflow: pd.DataFrame, continued: pd.DataFrame, year_com: pd.DataFrame,
           by: tuple[str, ...]) -> tuple[pd.DataFrame, pd.Series]:
    """One row per group with the four parts (uncalibrated), and the forward part's variance."""
    keys = set(late_part.index) | set(claimed.index) | set(remaining.index) | set(inflow.index)
    keys |= set(continued.index)
    keys |= set(year_com.groupby(list(by)).size().index)
    detail = pd.DataFrame(index=pd.MultiIndex.from_tuples(sorted(keys), names=list(by)))
    detail["claimed_euro"] = claimed.reindex(detail.index).fillna(0.0)
    detail["late_euro"] = late_part["ibnr"].reindex(detail.index).fillna(0.0)
    detail["remaining_euro"] = (remaining["remaining"].reindex(detail.index).fillna(0.0)
                                + continued["continued"].reindex(detail.index).fillna(0.0))
    detail["inflow_euro"] = inflow["inflow"].astype(float).reindex(detail.index).fillna(0.0)
    forward_var = (remaining["rem_var"].reindex(detail.index).fillna(0.0)
                   + inflow["inflow_var"].astype(float).reindex(detail.index).fillna(0.0)
                   + continued["continued_var"].reindex(detail.index).fillna(0.0))
    return detail, forward_var


def _calibrated_interval(detail: pd.DataFrame, forward_var: pd.Series, late_part: pd.DataFrame,
                         k: Calibration | None, level: float, by: tuple[str, ...]
                         ) -> pd.DataFrame:
    """The calibration factor on the forward part, the forecast, its s.e. and interval.

    The model error (``model_se_euro`` = the calibration's model CV x the forward part) is
    shared by all groups; ``YearEndForecast.by`` adds it linearly.
    """
    factor = pd.Series(1.0, index=detail.index)
    if k is not None:
        factor[:] = k.for_categories(detail.index.get_level_values("product_category"))
        detail["remaining_euro"] *= factor
        detail["inflow_euro"] *= factor
    detail["forecast_euro"] = detail[["claimed_euro", "late_euro", "remaining_euro",
                                      "inflow_euro"]].sum(axis=1)
    cv = k.model_cv if k is not None else model_cv(0)
    forward = (detail["remaining_euro"] + detail["inflow_euro"]).abs()
    model_se = cv * forward
    cat_cv = 0.0
    if k is not None and len(k.category_cv):
        cats = detail.index.get_level_values("product_category")
        cat_cv = k.category_cv.reindex(cats).fillna(k.category_cv.median()).to_numpy()
    category_se = cat_cv * forward
    var = (late_part["late_var"].reindex(detail.index).fillna(0.0) + forward_var * factor ** 2)
    detail["se_euro"] = np.sqrt(var + model_se ** 2 + category_se ** 2)
    detail["model_se_euro"] = model_se
    detail["category_se_euro"] = category_se
    # the forward part's own chance error (before model error): the calibration of a later
    # forecast weighs a replayed year's miss against it (``calibration.replay_noise``)
    detail["forward_se_euro"] = np.sqrt(forward_var * factor ** 2)
    z = norm.ppf(0.5 + level / 2)
    detail["lower_euro"] = np.maximum(detail["forecast_euro"] - z * detail["se_euro"],
                                      detail["claimed_euro"])
    detail["upper_euro"] = detail["forecast_euro"] + z * detail["se_euro"]
    return detail


def _labelled(detail: pd.DataFrame, taakveld_map, theme_map, notes: list[str]) -> pd.DataFrame:
    """Taakveld and theme per row (``onbekend`` with a note), columns in their order."""
    detail["product_category"] = detail["product_category"].astype(str)
    mapping = taakveld_table(taakveld_map, theme_map)
    detail = detail.merge(mapping, on="product_category", how="left")
    unknown = detail["taakveld"].isna()
    if unknown.any():
        cats = ", ".join(sorted(detail.loc[unknown, "product_category"].unique())[:5])
        notes.append(f"Productcategorie zonder taakveld ({cats}): onder 'onbekend'.")
        detail.loc[unknown, ["taakveld", "theme"]] = "onbekend"
    order = ["provider", "product_category", "taakveld", "theme", *PARTS, "se_euro",
             "lower_euro", "upper_euro", "committed_euro", "utilisation", "model_se_euro",
             "category_se_euro", "forward_se_euro"]
    return detail[order]


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
    if small.any() and per_group["committed_euro"].sum() > 0:   # none at all: nothing to say
        notes.append(f"{int(small.sum())} combinaties van aanbieder en productcategorie met weinig "
                     "verplichtingen: benuttingsgraad van de productcategorie gebruikt.")
    return out.reset_index()


def _blend_bornhuetter_ferguson(late: pd.DataFrame, hist_m: pd.DataFrame, util: pd.DataFrame,
                                fallback_u: float, by: tuple[str, ...],
                                notes: list[str], *,
                                season: pd.DataFrame | None = None,
                                rate: pd.DataFrame | None = None) -> pd.DataFrame:
    """Replace the chain ladder by Bornhuetter-Ferguson where less than ``BF_BELOW`` is reported.

    The prior (expected final amount of a service month) is its commitment x the group's
    utilisation; ``ibnr = prior x (1 - reported share)``. Its standard error takes the
    coefficient of variation of the chain ladder of that month (or ``BF_CV`` without one).
    Without commitments, ``rate`` (``_claims_rate``) is the prior, with its month-to-month
    spread as the coefficient of variation: a month of which nothing is claimed yet (every
    provider claims a month later) is a month of care, not 0.
    """
    if late.empty:
        return late
    out = late.merge(hist_m, on=[*by, "service_month"], how="left")
    out = out.merge(util[[*by, "utilisation"]], on=list(by), how="left")
    # astype: merged from an empty history the columns are object, and so would be ibnr
    prior = (out["committed_euro"].astype(float).fillna(0.0)
             * out["utilisation"].astype(float).fillna(fallback_u))
    if season is not None and not season.empty:
        prior = prior * season_factor(season, out["product_category"], out["service_month"])
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(out["ibnr"] > 0, out["se"] / out["ibnr"], BF_CV)
    if rate is not None and len(rate):
        keyed = out.set_index(list(by)).index
        by_rate = rate["rate"].reindex(keyed).to_numpy(dtype=float)
        rate_cv = (rate["spread"] / rate["rate"]).reindex(keyed).to_numpy(dtype=float)
        from_rate = ~(prior > 0) & (np.nan_to_num(by_rate) > 0)
        prior = prior.where(~from_rate, by_rate)
        cv = np.where(from_rate, np.nan_to_num(rate_cv, nan=BF_CV), cv)
    use = (out["reported"] < BF_BELOW) & (prior > 0)
    bf = prior * (1.0 - out["reported"].clip(0, 1))
    out["ibnr"] = np.where(use, bf, out["ibnr"])
    out["se"] = np.where(use, bf * cv, out["se"])
    if rate is not None and len(rate):
        out["from_rate"] = use & from_rate
    if use.any():
        prior_text = ("het tempo van de declaraties per maand" if rate is not None and len(rate)
                      else "verplichting x benuttingsgraad")
        notes.append(f"{int(use.sum())} recente productmaanden met minder dan "
                     f"{BF_BELOW:.0%} gedeclareerd: nagekomen bedrag volgens Bornhuetter-Ferguson "
                     f"({prior_text}).")
    return out


def _overall_utilisation(util: pd.DataFrame) -> float:
    u = util["utilisation"].dropna()
    return float(u.median()) if len(u) else 1.0


def _inflow(allocations: pd.DataFrame, hist, util: pd.DataFrame, fallback_u: float,
            a: pd.Timestamp, months_left: int, by: tuple[str, ...],
            stops: StopModel | None = None, starts: StopModel | None = None,
            notes: list[str] | None = None, inflow_change=None) -> pd.DataFrame:
    """Expected spending (and variance) of new clients, unknown yet, from after ``a`` to December.

    New clients are counted as first allocations of a client in a product category in the last
    ``WINDOW_MONTHS`` months (a renewal is not a new client; see ``_continuation``). A client
    starting ``t`` months before December is active the expected ``integral_0^t S(u) du``
    months, ``S`` the category's care-episode survival (``stops``: ``stop_model`` of
    ``survival.care_episodes``: how long new clients stayed in care, renewals included and
    short allocations ending at their planned end); without it ``min(t, typical duration)``.
    With a waiting list (``starts``, ``calc.prognose.starts``) a month counts when the care
    has started and the episode (from the allocation's start) still runs:
    ``integral_0^t max(S(u) - W(u), 0) du`` (``_expected_months``). A break in the inflow
    (``calc.prognose.inflow``: a policy cut, seen in the last months against a year before)
    moves the rate of the rest of the year. An announced change (``inflow_change``: from
    month, relative change, e.g. ``("2025-07", -0.2)``) replaces that test: new clients from
    that month count at ``1 + change`` times the rate before it.
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
    is_first = start.to_numpy() == first
    is_recent &= is_first
    if not is_recent.any():
        return pd.DataFrame(columns=cols)
    brk = InflowBreak()
    if inflow_change is None:               # an announced change replaces the test
        known_by_then = (start <= a + pd.offsets.MonthEnd(0)).to_numpy()
        brk = inflow_break(start.to_numpy()[is_first & known_by_then], a, window=WINDOW_MONTHS,
                           first_month=pd.to_datetime(allocations["valid_from"]).min())
    if brk.weight > 0 and notes is not None:
        r, r0, e, e0 = brk.counts
        notes.append(f"Instroom veranderd: de laatste 3 maanden {r} nieuwe cliënten (een jaar "
                     f"eerder {r0}), de 9 maanden daarvoor {e} ({e0}); de nieuwe cliënten voor "
                     f"de rest van het jaar tellen met factor {nl_number(brk.factor)} op het "
                     "gemiddelde van 12 maanden (gewogen naar hoe zeker de breuk is).")
    recent = allocations.loc[is_recent, ["provider", "client", "product_category"]].copy()
    recent["start"] = start[is_recent].to_numpy()
    recent["daily_euro"] = hist.per_allocation["daily_euro"].to_numpy()[is_recent]
    per_cat = recent.groupby("product_category").agg(n=("client", "size"),
                                                     daily=("daily_euro", "median"))
    cat_u = util.groupby("product_category")["utilisation"].median()
    per_cat["u"] = cat_u.reindex(per_cat.index).fillna(fallback_u)
    per_cat["rate"] = per_cat["n"] / WINDOW_MONTHS * brk.factor   # new clients per month
    per_cat["cost_month"] = per_cat["daily"].fillna(0.0) * DAYS_PER_MONTH * per_cat["u"]
    # months each monthly cohort is active until December, at most the typical duration
    pa = hist.per_allocation
    closed = ~pa["end_estimated"].to_numpy()
    months = ((pa["end"] - pa["start"]).dt.days / DAYS_PER_MONTH).to_numpy()
    typical = pd.Series(months[closed]).groupby(
        pa["product_category"].to_numpy()[closed]).median()
    left = months_left - np.arange(months_left) - 0.5
    if stops is not None and len(stops.categories):
        active = _expected_months(stops, per_cat.index.astype(str), left, starts=starts)
    else:
        cap = typical.reindex(per_cat.index).fillna(np.inf).to_numpy()[:, None]
        active = np.minimum(left[None, :], cap)
    cohort = np.ones(months_left)                  # relative inflow of each month ahead
    cohort *= _inflow_season(start.to_numpy()[is_first], a, months_left,
                             pd.to_datetime(allocations["valid_from"]).min(), notes)
    if inflow_change is not None:
        since, change = _month(inflow_change[0]), float(inflow_change[1])
        ahead = pd.date_range(a + pd.DateOffset(months=1), periods=months_left, freq="MS")
        cohort = np.where(ahead >= since, 1.0 + change, 1.0)
        if since <= a:          # already in the window: the rate before it is the base
            before = recent["start"] < since
            months_before = max((since.to_period("M") - w0.to_period("M")).n, 0)
            if before.any() and months_before > 0:
                n_before = recent[before].groupby("product_category").size()
                per_cat["rate"] = (n_before.reindex(per_cat.index).fillna(0.0)
                                   / months_before)
            else:
                cohort = np.ones(months_left)      # the whole window has the new level
        if notes is not None:
            notes.append(f"Aangekondigde verandering van de instroom: vanaf {since:%m-%Y} "
                         f"{change:+.0%} nieuwe cliënten (opgegeven).")
    per_cat["inflow"] = per_cat["rate"] * per_cat["cost_month"] * (active * cohort).sum(axis=1)
    per_cat["inflow_var"] = (per_cat["rate"] * per_cat["cost_month"] ** 2
                             * (active ** 2 * cohort).sum(axis=1)
                             + per_cat["inflow"] ** 2 * brk.var * brk.weight)
    share = recent.groupby(list(by)).size() / recent.groupby("product_category").size().reindex(
        recent.groupby(list(by)).size().index.get_level_values("product_category")).to_numpy()
    cats = share.index.get_level_values("product_category")
    out = pd.DataFrame(index=share.index)
    out["inflow"] = share.to_numpy() * per_cat["inflow"].reindex(cats).to_numpy()
    out["inflow_var"] = share.to_numpy() * per_cat["inflow_var"].reindex(cats).to_numpy()
    return out


def _inflow_season(first_starts: np.ndarray, a: pd.Timestamp, months_left: int,
                   first_seen: pd.Timestamp, notes: list[str] | None = None) -> np.ndarray:
    """The seasonal factor (mean 1 over the year) of the new clients of each month ahead.

    New clients come in a pattern over the year (fewer in the summer holidays, more after
    them): the rate of the last twelve months is their mean, and the months left are not an
    average year (after June they hold the summer and few months to run after the autumn's
    peak). Learned from the store's own months of new clients (first allocations starting
    from the first month the store saw, up to ``a``) by ``season.seasonal_index`` over all
    categories together (a category's count is too small to show a pattern); 1 where the
    store holds too few years.

    >>> months = pd.date_range("2022-01-01", "2025-06-01", freq="MS")
    >>> n = [20 if m.month in (7, 8) else 40 for m in months]
    >>> starts = np.repeat(months.to_numpy(), n)
    >>> f = _inflow_season(starts, pd.Timestamp("2025-06-01"), 6, pd.Timestamp("2022-01-01"))
    >>> [round(float(v), 2) for v in f]    # July-December: 20 against a mean of 36,7
    [0.55, 0.55, 1.09, 1.09, 1.09, 1.09]
    """
    ones = np.ones(months_left)
    if months_left <= 0:
        return ones
    start = pd.Series(pd.to_datetime(first_starts))
    first = pd.Timestamp(first_seen).to_period("M").to_timestamp() if pd.notna(first_seen) \
        else start.min()
    start = start[(start >= first) & (start <= a + pd.offsets.MonthEnd(0))]
    if start.empty:
        return ones
    month = start.dt.to_period("M").dt.to_timestamp()
    index = seasonal_index(month, pd.Series("alle", index=month.index),
                           pd.Series(1.0, index=month.index))
    if index.empty:
        return ones
    ahead = pd.date_range(a + pd.DateOffset(months=1), periods=months_left, freq="MS")
    factor = season_factor(index, ["alle"] * months_left, ahead)
    if notes is not None and (np.abs(index.loc["alle"] - 1.0) >= 0.05).any():
        row = index.loc["alle"]
        notes.append(f"Instroom per maand volgt een seizoen (minste nieuwe cliënten in maand "
                     f"{int(row.idxmin())}: {nl_number(float(row.min()))} x het gemiddelde, "
                     f"meeste in maand {int(row.idxmax())}: {nl_number(float(row.max()))} x); "
                     "de nieuwe cliënten van de resterende maanden tellen met dat patroon.")
    return factor


def _expected_months(stops: StopModel, categories, left: np.ndarray, step: float = 0.25, *,
                     starts: StopModel | None = None) -> np.ndarray:
    """(categories, len(left)): expected months running within the first ``left`` months.

    ``integral_0^left S(u) du`` (midpoint rule on a grid of ``step`` months). With a start
    model (``W(u)``: the chance the care has not started ``u`` months after the allocation's
    start), ``integral max(S(u) - W(u), 0) du``: ``S`` is the care episode from the
    allocation's start to the care's end, the wait included, so care runs in month ``u``
    when the episode still runs and the care has started. The product ``(1 - W) S`` took
    start and end as independent, but the care ends after it starts: a client who waits
    long also ends late, and the product counted months of clients whose short care (a
    crisis placement of weeks) was over before the others had started.
    """
    grid = np.arange(0.0, max(float(np.max(left, initial=0.0)), 0.0) + step, step)
    mids = grid[:-1] + step / 2
    cats = np.asarray(categories, dtype=object)
    s = stops.still_running(cats[:, None], np.zeros((1, 1)), mids[None, :])    # (C, grid)
    if starts is not None:
        s = np.clip(s - (1.0 - started_share(starts, cats, mids)), 0.0, None)
    cum = np.concatenate([np.zeros((len(cats), 1)), np.cumsum(s * step, axis=1)], axis=1)
    at = np.clip(left, 0.0, grid[-1]) / step
    lo = np.floor(at).astype(int)
    hi = np.minimum(lo + 1, len(grid) - 1)
    frac = at - lo
    return cum[:, lo] * (1 - frac) + cum[:, hi] * frac


def _residual_months(stops: StopModel, categories, elapsed: np.ndarray, left: np.ndarray,
                     step: float = 0.25) -> np.ndarray:
    """Per row: expected months an episode that runs at ``elapsed`` months goes on within
    the next ``left`` months: ``integral_0^left S(elapsed + u) / S(elapsed) du`` (midpoint
    rule on a grid of ``step`` months).
    """
    left = np.clip(np.asarray(left, dtype=float), 0.0, None)
    if not len(left):
        return left
    mids = np.arange(0.0, float(left.max()) + step, step)[:-1] + step / 2
    e = np.clip(np.asarray(elapsed, dtype=float), 0.0, None)[:, None]
    cats = np.asarray(categories, dtype=object)[:, None]
    s = stops.still_running(cats, e, e + mids[None, :])               # (rows, grid)
    weight = np.clip(left[:, None] - (mids[None, :] - step / 2), 0.0, step)
    return (s * weight).sum(axis=1)


def _continuation(allocations: pd.DataFrame, hist, util: pd.DataFrame, fallback_u: float,
                  a: pd.Timestamp, y1: pd.Timestamp, by: tuple[str, ...],
                  stops: StopModel | None = None,
                  planned_end: np.ndarray | None = None,
                  unreported: float = 0.0, clock: np.ndarray | None = None) -> pd.DataFrame:
    """Expected spending after the end date of allocations that end before December.

    Many allocations are followed by a new one for the same client and product category
    (an extension or a change of product code), or extended under their own number (a later
    version with a later end date). The chance of that, per product category, is the share
    of the allocations whose end on paper (the first version's) lay in the last
    ``WINDOW_MONTHS`` months that were extended or followed within ``RENEWAL_DAYS`` days by
    another (an extension in place counted neither way before, which halved the chance
    where half the extensions keep their number); an allocation ending after ``a`` and
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
    # the end on paper: the first version's (an extension of the same allocation number,
    # RedenWijziging 04, moves only the latest version's end date)
    paper = end if planned_end is None else np.where(np.isnat(planned_end), end, planned_end)
    ended = ~np.isnat(paper) & (paper >= w0) & (paper <= window_end)
    extended = np.zeros(len(end), dtype=bool)
    if stops is not None and planned_end is not None:      # renewal at the planned end only
        ended &= np.isnat(planned_end) | np.isnat(end) | (end >= planned_end)
        extended = ~np.isnat(planned_end) & (np.isnat(end) | (end > planned_end))
    renewed = ended & (extended | (~np.isnat(next_start) & (
        next_start <= paper + np.timedelta64(RENEWAL_DAYS, "D"))))
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
        since = start if clock is None else clock       # the stop clock (``care_clock``)
        p = p * running_at(stops, cats[ending], since[ending], a + pd.offsets.MonthEnd(0),
                           end[ending], unreported)
    u = rows.merge(util[[*by, "utilisation"]], on=list(by), how="left")["utilisation"]
    days = (np.datetime64(y1) - end[ending]) / np.timedelta64(1, "D")
    if stops is not None and len(stops.categories):    # the renewed care may stop too
        # it goes on in an episode that has run since the client's first allocation in the
        # category: its months ahead are the episode's residual ones, not a new client's
        # (whose curve holds a waiting list's months without care and the first months'
        # stops)
        first = pd.Series(start).groupby(codes).transform("min").to_numpy()
        elapsed = (end[ending] - first[ending]) / np.timedelta64(1, "D") / DAYS_PER_MONTH
        days = _residual_months(stops, cats[ending], elapsed, days / DAYS_PER_MONTH) \
            * DAYS_PER_MONTH
    amount = (hist.per_allocation["daily_euro"].to_numpy()[ending] * days
              * u.fillna(fallback_u).to_numpy())
    rows["continued"] = p * amount
    rows["continued_var"] = p * (1 - p) * amount ** 2
    return rows.groupby(list(by))[cols].sum()
