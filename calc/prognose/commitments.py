"""Commitments (verplichtingen) from allocations, and utilisation (benuttingsgraad).

An allocation (301) commits the municipality to ``volume`` units per ``frequency`` over its
validity (``start_date`` .. ``end_date``), or to a ``budget_euro`` over that validity. The
commitment in euro over a window is::

    units in window x tariff              (volume allocations)
    budget x share of validity in window  (budget allocations, pro rata)

Frequency codes (iJw/iWmo codelist ``Frequentie``): 1 per day, 2 per week, 4 per month,
6 in total over the validity (spread pro rata over the days). Unit codes (``Eenheid``): 01
minute, 04 hour, 16 dagdeel (4 hours), 14 etmaal, 82/84 pieces, 83 euro (tariff 1).

The allocation carries no tariff: it comes from ``tariffs`` (product code -> euro per unit)
when given, otherwise the median ``tariff_euro`` of the debit claim lines of the same product
code and unit (then the same product category and unit). Time units convert into each other
(a tariff per hour is 60 x the tariff per minute).

Allocations without an end date get an expected end: the median observed duration of closed
allocations of the same product category *among those that lasted longer than this one has
already run* (a conditional median), falling back to all categories and, without any
history, to the end of the window. Durations of still-open allocations are censored and not
used (this shortens the expectation a little; stated in ``notes``).

All amounts are euro; dates are days (``datetime64[ns]``); months are first-of-month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calc.errors import InputError
from calc.records import ALLOCATIONS, CLAIM_LINES, STARTS_STOPS, require_columns

#: Days per frequency period; ``None`` = total over the validity (pro rata).
FREQUENCY_DAYS: dict[str, float | None] = {"1": 1.0, "2": 7.0, "4": 365.25 / 12, "6": None}

#: Time units in hours, so a tariff per minute and one per hour can stand in for each other.
UNIT_HOURS: dict[str, float] = {"01": 1 / 60, "04": 1.0, "16": 4.0}

#: Unit code whose tariff is one euro per unit.
UNIT_EURO = "83"

#: Key columns of an allocation (one allocation = one ToewijzingNummer at one provider).
ALLOCATION_KEY = ("provider", "client", "allocation_number")


def _code(series: pd.Series, width: int) -> pd.Series:
    """Codelist values as zero-padded text ('4' -> '04' for width 2); missing stays None."""
    text = series.astype("string").str.strip()
    text = text.str.replace(r"\.0$", "", regex=True)
    return text.str.zfill(width).where(text.notna() & (text != ""), None)


def current_allocations(allocations: pd.DataFrame) -> pd.DataFrame:
    """The latest version of every allocation (the last 301 that carried it).

    Parameters
    ----------
    allocations : DataFrame with the columns of ``calc.records.ALLOCATIONS``

    Returns
    -------
    DataFrame with one row per (provider, client, allocation_number).
    """
    require_columns(allocations, ALLOCATIONS, argument="allocations")
    if allocations.empty:
        return allocations.copy()
    order = allocations.sort_values("valid_from", kind="stable")
    return order.drop_duplicates(list(ALLOCATION_KEY), keep="last").reset_index(drop=True)


def expected_end_dates(allocations: pd.DataFrame, *, as_of: pd.Timestamp,
                       fallback: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Expected end date of each allocation; open-ended ones get a conditional median duration.

    Returns the end dates and a boolean series telling which ones were estimated.
    """
    start = pd.to_datetime(allocations["start_date"])
    end = pd.to_datetime(allocations["end_date"])
    open_ = end.isna()
    closed = ~open_ & (end >= start)
    durations = (end[closed] - start[closed]).dt.days.to_numpy(dtype=float)
    cats = allocations["product_category"].astype("string")[closed].to_numpy()
    by_cat = {c: np.sort(durations[cats == c]) for c in pd.unique(cats)}
    all_sorted = np.sort(durations)
    result = end.copy()
    elapsed = (as_of - start).dt.days.clip(lower=0).to_numpy(dtype=float)
    cat_open = allocations["product_category"].astype("string").to_numpy()
    for i in np.flatnonzero(open_.to_numpy()):
        expected = None
        for pool in (by_cat.get(cat_open[i]), all_sorted):
            if pool is None or len(pool) == 0:
                continue
            longer = pool[pool > elapsed[i]]
            if len(longer):
                expected = float(np.median(longer))
                break
        result.iat[i] = (start.iat[i] + pd.Timedelta(days=expected)) if expected is not None \
            else max(fallback, start.iat[i])
    return result, open_


def median_tariffs(claim_lines: pd.DataFrame) -> tuple[dict, dict]:
    """Median tariff (euro per unit) per (product_code, unit) and per (product_category, unit).

    Only debit lines with a positive tariff count.
    """
    require_columns(claim_lines, CLAIM_LINES, argument="claim_lines")
    lines = claim_lines[(claim_lines["debit_credit"] != "C")
                        & (pd.to_numeric(claim_lines["tariff_euro"], errors="coerce") > 0)]
    unit = _code(lines["unit"], 2)
    tariff = pd.to_numeric(lines["tariff_euro"])
    by_code = tariff.groupby([lines["product_code"].astype("string"), unit]).median().to_dict()
    by_cat = tariff.groupby([lines["product_category"].astype("string"), unit]).median().to_dict()
    return by_code, by_cat


def _lookup(table: dict, key: str, unit: str | None) -> float:
    """A tariff for (key, unit), converting between time units when only another one is known."""
    if unit is not None and (key, unit) in table:
        return float(table[(key, unit)])
    if unit in UNIT_HOURS:
        for other, hours in UNIT_HOURS.items():
            if (key, other) in table:
                return float(table[(key, other)]) / hours * UNIT_HOURS[unit]
    return float("nan")


def allocation_tariffs(allocs: pd.DataFrame, claim_lines: pd.DataFrame | None,
                       tariffs: Mapping[str, float] | None = None) -> np.ndarray:
    """The tariff (euro per allocated unit) of every allocation row; NaN where none is known."""
    codes = allocs["product_code"].astype("string").fillna("").to_numpy()
    cats = allocs["product_category"].astype("string").fillna("").to_numpy()
    units = _code(allocs["unit"], 2).to_numpy()
    by_code, by_cat = median_tariffs(claim_lines) if claim_lines is not None else ({}, {})
    given = dict(tariffs or {})
    out = np.full(len(allocs), np.nan)
    for i in range(len(allocs)):
        unit = None if pd.isna(units[i]) else str(units[i])
        if unit == UNIT_EURO:
            out[i] = 1.0
        elif codes[i] in given:
            out[i] = float(given[codes[i]])
        else:
            t = _lookup(by_code, codes[i], unit)
            out[i] = t if np.isfinite(t) else _lookup(by_cat, cats[i], unit)
    return out


@dataclass(frozen=True)
class Commitments:
    """Commitments per allocation and per month of the window.

    Attributes
    ----------
    per_allocation : DataFrame
        One row per allocation: keys, ``start``, ``end`` (expected where open-ended),
        ``end_estimated``, ``tariff_euro``, ``units_in_window``, ``committed_euro``.
    monthly : DataFrame
        Long table (provider, product_category, product_code, allocation_number, client,
        month, committed_euro) of the window's months.
    notes : list of str
        Dutch notes on estimates and gaps (missing tariffs, open-ended allocations).
    """

    per_allocation: pd.DataFrame
    monthly: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def by(self, *keys: str) -> pd.DataFrame:
        """Monthly commitments summed per the given keys and month."""
        return (self.monthly.groupby([*keys, "month"], observed=True)["committed_euro"]
                .sum().reset_index())


def _as_day(value, argument: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(value).normalize()
    except (TypeError, ValueError) as exc:
        raise InputError(f"'{value}' is geen datum", argument=argument) from exc


def commitments(allocations: pd.DataFrame, *, window_start, window_end, as_of=None,
                claim_lines: pd.DataFrame | None = None,
                tariffs: Mapping[str, float] | None = None) -> Commitments:
    """Commitments in euro of every current allocation over a window, per month.

    Parameters
    ----------
    allocations : DataFrame with the columns of ``calc.records.ALLOCATIONS``
    window_start, window_end : date-like
        First and last day of the forecast window (inclusive).
    as_of : date-like, optional
        Reference day for open-ended allocations (default: ``window_start``).
    claim_lines : DataFrame, optional
        Claim lines (``calc.records.CLAIM_LINES``) for median tariffs.
    tariffs : mapping product code -> euro per unit, optional
        Contract tariffs; they win over the claim-line medians.

    Examples
    --------
    Four hours a week for 28 days at a tariff of 60 euro per hour is 4 x 4 x 60 = 960 euro:

    >>> a = pd.DataFrame([dict(law="jw", municipality="0999", provider="12345678",
    ...     client="p1", allocation_number="T1", product_category="45",
    ...     product_code="45A08", start_date=pd.Timestamp("2026-02-01"),
    ...     end_date=pd.Timestamp("2026-02-28"), volume=4, unit="04", frequency="2",
    ...     budget_euro=None, reason_change=None, valid_from=pd.Timestamp("2026-01-20"),
    ...     valid_to=pd.NaT)])
    >>> c = commitments(a, window_start="2026-01-01", window_end="2026-12-31",
    ...                 tariffs={"45A08": 60.0})
    >>> round(float(c.per_allocation["committed_euro"].iloc[0]), 2)
    960.0
    """
    w0 = _as_day(window_start, "window_start")
    w1 = _as_day(window_end, "window_end")
    if w1 < w0:
        raise InputError("het einde van de periode ligt voor het begin", argument="window_end")
    ref = _as_day(as_of, "as_of") if as_of is not None else w0
    allocs = current_allocations(allocations)
    notes: list[str] = []
    start = pd.to_datetime(allocs["start_date"]).dt.normalize()
    end, estimated = expected_end_dates(allocs, as_of=ref, fallback=w1)
    end = pd.to_datetime(end).dt.normalize()
    if estimated.any():
        notes.append(f"{int(estimated.sum())} toewijzingen zonder einddatum: verwachte duur uit "
                     "de waargenomen duur van afgesloten toewijzingen (mediaan).")
    days_valid = ((end - start).dt.days + 1).clip(lower=1).to_numpy(dtype=float)
    lo = start.where(start > w0, w0)
    hi = end.where(end < w1, w1)
    days_in = ((hi - lo).dt.days + 1).clip(lower=0).to_numpy(dtype=float)

    volume = pd.to_numeric(allocs["volume"], errors="coerce").to_numpy(dtype=float)
    budget = pd.to_numeric(allocs["budget_euro"], errors="coerce").to_numpy(dtype=float)
    freq = _code(allocs["frequency"], 1).to_numpy()
    period = np.array([FREQUENCY_DAYS.get(str(f), np.nan) if f is not None and not pd.isna(f)
                       else np.nan for f in freq], dtype=object)
    per_day = np.full(len(allocs), np.nan)
    for i, p in enumerate(period):
        if p is None:          # total over the validity
            per_day[i] = volume[i] / days_valid[i]
        elif np.isfinite(p):
            per_day[i] = volume[i] / p
    is_budget = np.isfinite(budget) & ~np.isfinite(volume)
    bad_freq = ~is_budget & np.isfinite(volume) & ~np.isfinite(per_day)
    if bad_freq.any():
        notes.append(f"{int(bad_freq.sum())} toewijzingen met een onbekende frequentie "
                     "tellen niet mee.")
    tariff = allocation_tariffs(allocs, claim_lines, tariffs)
    tariff[is_budget] = np.nan
    no_tariff = ~is_budget & np.isfinite(per_day) & ~np.isfinite(tariff)
    if no_tariff.any():
        notes.append(f"{int(no_tariff.sum())} toewijzingen zonder bekend tarief (geen "
                     "declaraties van dat product) tellen niet mee.")
    daily_euro = np.where(is_budget, budget / days_valid, per_day * tariff)
    daily_euro = np.where(np.isfinite(daily_euro), daily_euro, 0.0)

    per_alloc = allocs[["law", "provider", "client", "allocation_number", "product_category",
                        "product_code"]].copy()
    per_alloc["start"] = start.to_numpy()
    per_alloc["end"] = end.to_numpy()
    per_alloc["end_estimated"] = estimated.to_numpy()
    per_alloc["budget"] = is_budget
    per_alloc["tariff_euro"] = tariff
    per_alloc["daily_euro"] = daily_euro
    per_alloc["units_in_window"] = np.where(is_budget, np.nan, per_day * days_in)
    per_alloc["committed_euro"] = daily_euro * days_in

    monthly = _spread_monthly(per_alloc, lo, hi, w0, w1)
    return Commitments(per_alloc, monthly, notes)


def _spread_monthly(per_alloc: pd.DataFrame, lo: pd.Series, hi: pd.Series,
                    w0: pd.Timestamp, w1: pd.Timestamp) -> pd.DataFrame:
    """Split each allocation's daily euro over the calendar months of the window (vectorised)."""
    months = pd.date_range(w0.to_period("M").to_timestamp(), w1, freq="MS")
    m_start = months.to_numpy(dtype="datetime64[D]")
    m_end = (months + pd.offsets.MonthEnd(0)).to_numpy(dtype="datetime64[D]")
    m_start = np.maximum(m_start, np.datetime64(w0.date()))
    m_end = np.minimum(m_end, np.datetime64(w1.date()))
    a_lo = lo.to_numpy(dtype="datetime64[D]")[:, None]
    a_hi = hi.to_numpy(dtype="datetime64[D]")[:, None]
    first = np.maximum(a_lo, m_start[None, :])
    last = np.minimum(a_hi, m_end[None, :])
    days = np.clip((last - first).astype(int) + 1, 0, None)
    euro = days * per_alloc["daily_euro"].to_numpy()[:, None]
    rows, cols = np.nonzero(euro)
    keys = per_alloc[["provider", "product_category", "product_code", "allocation_number",
                      "client"]].iloc[rows].reset_index(drop=True)
    keys["month"] = months[cols]
    keys["committed_euro"] = euro[rows, cols]
    return keys


# --- utilisation, start lag, never started -------------------------------------------------

def utilisation(claim_lines: pd.DataFrame, allocations: pd.DataFrame, *, window_start,
                window_end, by=("provider", "product_category"), as_of=None,
                tariffs: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Utilisation (declared / committed) per group over a historic window.

    ``declared`` is the net claimed amount (debit minus credit) for service months inside the
    window; ``committed`` the commitments over the same window. Take a window whose claims are
    mostly in (a few months back), or complete it with the late-claim estimate first.

    Returns
    -------
    DataFrame with ``by`` columns, ``committed_euro``, ``declared_euro``, ``utilisation``
    (NaN where nothing was committed).
    """
    require_columns(claim_lines, CLAIM_LINES, argument="claim_lines")
    by = list(by)
    w0 = _as_day(window_start, "window_start")
    w1 = _as_day(window_end, "window_end")
    com = commitments(allocations, window_start=w0, window_end=w1, as_of=as_of or w1,
                      claim_lines=claim_lines, tariffs=tariffs)
    committed = com.monthly.groupby(by, observed=True)["committed_euro"].sum()
    months = pd.to_datetime(claim_lines["service_month"])
    inside = (months >= w0.to_period("M").to_timestamp()) & (months <= w1)
    if as_of is not None:
        inside &= pd.to_datetime(claim_lines["claim_month"]) <= _as_day(as_of, "as_of")
    declared = claim_lines[inside].groupby(by, observed=True)["amount_euro"].sum()
    out = pd.concat([committed.rename("committed_euro"), declared.rename("declared_euro")],
                    axis=1).fillna(0.0)
    c = out["committed_euro"].to_numpy()
    out["utilisation"] = np.where(c > 0, out["declared_euro"] / np.where(c > 0, c, 1), np.nan)
    return out.reset_index()


def start_lags(allocations: pd.DataFrame, starts_stops: pd.DataFrame, *, as_of,
               never_started_after_days: int = 60,
               by=("provider", "product_category")) -> pd.DataFrame:
    """Start lag (days from allocation start to the first 305 start) and never-started allocations.

    An allocation counts as never started when its start date lies more than
    ``never_started_after_days`` before ``as_of`` and no start message (status other than 3,
    delete) names it.

    Returns
    -------
    DataFrame per group: ``allocations``, ``started``, ``never_started``,
    ``never_started_share``, ``median_start_lag_days``.
    """
    require_columns(starts_stops, STARTS_STOPS, argument="starts_stops")
    ref = _as_day(as_of, "as_of")
    allocs = current_allocations(allocations)
    ss = starts_stops[(starts_stops["kind"] == "start")
                      & (starts_stops["status"].astype("string") != "3")]
    first = (ss.assign(date=pd.to_datetime(ss["date"]))
             .groupby(["provider", "client", "allocation_number"])["date"].min())
    joined = allocs.join(first, on=["provider", "client", "allocation_number"])
    start = pd.to_datetime(joined["start_date"])
    joined["started"] = joined["date"].notna()
    joined["start_lag_days"] = (joined["date"] - start).dt.days.clip(lower=0)
    joined["never_started"] = ~joined["started"] & (
        (ref - start).dt.days > never_started_after_days)
    g = joined.groupby(list(by), observed=True)
    out = pd.DataFrame({
        "allocations": g.size(),
        "started": g["started"].sum(),
        "never_started": g["never_started"].sum(),
        "median_start_lag_days": g["start_lag_days"].median(),
    })
    out["never_started_share"] = out["never_started"] / out["allocations"]
    return out.reset_index()
