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

#: Days in an average month (the one month length of the prognose).
DAYS_PER_MONTH = 365.25 / 12
#: Days per frequency period; ``None`` = total over the validity (pro rata).
FREQUENCY_DAYS: dict[str, float | None] = {"1": 1.0, "2": 7.0, "4": DAYS_PER_MONTH, "6": None}

#: Time units in hours, so a tariff per minute and one per hour can stand in for each other.
UNIT_HOURS: dict[str, float] = {"01": 1 / 60, "04": 1.0, "16": 4.0}

#: Unit code whose tariff is one euro per unit.
UNIT_EURO = "83"

#: Claim-line columns the median tariffs read.
TARIFF_COLUMNS = ("product_code", "product_category", "unit", "tariff_euro", "debit_credit")

#: Key columns of an allocation (one allocation = one ToewijzingNummer at one provider).
ALLOCATION_KEY = ("provider", "client", "allocation_number")


def _code(series: pd.Series, width: int) -> pd.Series:
    """Codelist values as zero-padded text ('4' -> '04' for width 2); missing stays None.

    Works on the distinct values only, so a million claim lines cost one factorize.

    >>> _code(pd.Series([4, "04", 4.0, None]), 2).tolist()
    ['04', '04', '04', None]
    """
    codes, uniques = pd.factorize(series)
    try:        # the few distinct values with type and text (4, 4.0 and -0.0, 0.0 differ)
        key = tuple((type(v), str(v), v) for v in uniques)
        hash(key)
    except TypeError:
        table = _code_table(tuple(uniques), width)
    else:
        table = _code_table_of(key, width)
    return pd.Series(table[np.where(codes < 0, len(table) - 1, codes)], index=series.index,
                     dtype=object)


def _code_table(uniques: tuple, width: int) -> np.ndarray:
    """The texts of ``_code`` for its distinct values, and None (for missing) last."""
    text = pd.Series(uniques, dtype=object).astype("string").str.strip()
    text = text.str.replace(r"\.0$", "", regex=True)
    text = text.str.zfill(width).where(text.notna() & (text != ""), None)
    return np.append(text.to_numpy(dtype=object), None)


#: ``_code_table`` by (type, text, value) of the distinct values: a store's unit and frequency
#: columns hold the same few codes in every forecast and replay (``_code`` takes a copy).
_CODE_TABLES: dict = {}


def _code_table_of(key: tuple, width: int) -> np.ndarray:
    if (key, width) not in _CODE_TABLES:
        if len(_CODE_TABLES) >= 256:
            _CODE_TABLES.clear()
        _CODE_TABLES[key, width] = _code_table(tuple(v for _, _, v in key), width)
    return _CODE_TABLES[key, width]


def factorize_rows(columns: list, *, rows: bool = True) -> tuple[np.ndarray, list[tuple]]:
    """Codes of the distinct rows of several equally long arrays, and those rows as tuples.

    Combines per-column codes arithmetically (no tuple per row), so it stays fast on a
    million rows. A missing value is a value of its own. Codes follow first appearance;
    ``rows=False`` skips building the tuples.

    >>> codes, distinct = factorize_rows([np.array(["a", "b", "a"]), np.array([1, 2, 1])])
    >>> codes.tolist(), distinct
    ([0, 1, 0], [('a', 1), ('b', 2)])
    """
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    uniques = []
    for col in columns:
        codes, values = pd.factorize(pd.Series(col, dtype=object), use_na_sentinel=False)
        combined = combined * (len(values) + 1) + codes
        uniques.append((np.asarray(values, dtype=object), len(values) + 1))
    inverse, distinct = pd.factorize(combined)
    out: list[tuple] = []
    if rows:
        parts = []
        rest = np.asarray(distinct, dtype=np.int64)
        for values, base in reversed(uniques):
            parts.append(values[rest % base])
            rest = rest // base
        out = list(zip(*reversed(parts))) if len(distinct) else []
    return inverse, out


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
    guess, known = _expected_ends(start, end, allocations["product_category"], as_of)
    open_ = end.isna()
    result = end.copy()
    rows = np.flatnonzero(open_.to_numpy())
    result.iloc[rows] = _or_fallback(guess, known, start.to_numpy(), fallback)[rows]
    return result, open_


def _expected_ends(start: pd.Series, end: pd.Series, categories: pd.Series,
                   as_of: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """Per row: start + the conditional median duration of the open-ended allocations (NaT for
    the others), and where such a duration is known. The part of ``expected_end_dates`` that
    does not depend on the window (``_or_fallback`` adds its end).
    """
    s, e = start.to_numpy(), end.to_numpy()
    todo = np.isnat(e)
    closed = ~todo & (e >= s)
    durations = ((e[closed] - s[closed]) // _DAY).astype(float)       # whole days (floor)
    cats, _ = pd.factorize(categories)
    closed_cats = cats[closed]
    no_start = np.isnat(s)
    age = (as_of.to_datetime64() - np.where(no_start, as_of.to_datetime64(), s)) // _DAY
    elapsed = np.where(no_start, np.nan, np.maximum(age, 0))
    expected = np.full(len(start), np.nan)
    pools = [(c, np.sort(durations[closed_cats == c])) for c in pd.unique(cats[todo])]
    for cat, pool in pools:
        rows = np.flatnonzero(todo & (cats == cat))
        expected[rows] = conditional_median(pool, elapsed[rows])
    rest = np.flatnonzero(todo & np.isnan(expected))
    expected[rest] = conditional_median(np.sort(durations), elapsed[rest])
    rows = np.flatnonzero(todo)
    guess = np.full(len(start), np.datetime64("NaT"), dtype=start.dtype)
    days = pd.to_timedelta(np.nan_to_num(expected[rows]), unit="D")
    guess[rows] = (start.iloc[rows] + days).to_numpy()
    return guess, np.isfinite(expected)


def _or_fallback(guess: np.ndarray, known: np.ndarray, start: np.ndarray,
                 fallback: pd.Timestamp) -> np.ndarray:
    """``guess`` where ``known``, else ``fallback`` (or the start, where that is later)."""
    day = np.datetime64(fallback)
    return np.where(known, guess, np.where(start > day, start, day))


def open_running(allocations: pd.DataFrame, *, as_of: pd.Timestamp,
                 months: pd.DatetimeIndex, data_start=None) -> np.ndarray:
    """(allocations, months): chance an open-ended allocation still runs in each month.

    An allocation without an end date ends some day, as the closed ones of its product
    category did (all categories where it has none): of the closed durations longer than it
    has run at ``as_of``, the share longer than its age in the middle of the month. Running to
    the conditional median with certainty instead counts a month before that median in full,
    though some of these allocations end before it. 1 for allocations with an end date, and
    in months up to ``as_of``. With ``data_start`` (the first day of the data) the closed
    durations are those of the allocations that started from then (of the ones that started
    before, an export holds only those that were still running then: the long ones), where
    there are any.

    >>> a = pd.DataFrame({"product_category": ["45"] * 4,
    ...     "start_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-01", "2025-01-01"]),
    ...     "end_date": pd.to_datetime(["2024-02-15", "2024-05-15", "2024-09-15", None])})
    >>> open_running(a, as_of=pd.Timestamp("2025-01-31"),
    ...              months=pd.date_range("2025-01-01", "2025-06-01", freq="MS"))[3].round(2).tolist()
    [1.0, 1.0, 0.67, 0.67, 0.33, 0.33]
    """
    n = len(allocations)
    out = np.ones((n, len(months)))
    start = pd.to_datetime(allocations["start_date"])
    end = pd.to_datetime(allocations["end_date"])
    open_ = (end.isna() & start.notna()).to_numpy()
    if not open_.any() or not len(months):
        return out
    closed = (end.notna() & (end >= start)).to_numpy()
    if data_start is not None and pd.notna(data_start):
        since = closed & (start >= pd.Timestamp(data_start)).to_numpy()
        if since.any():
            closed = since
    durations = (end - start).dt.days.to_numpy(dtype=float)
    cats = allocations["product_category"].astype(str).to_numpy()
    day = np.timedelta64(1, "D")
    mid = (months + pd.offsets.MonthEnd(0) - pd.Timedelta(days=14)).to_numpy(dtype="datetime64[ns]")
    s = start.to_numpy(dtype="datetime64[ns]")
    age_then = np.clip((np.datetime64(as_of) - s) / day, 0, None)
    age = np.clip((mid[None, :] - s[:, None]) / day, 0, None)          # (n, months)
    every = np.sort(durations[closed])
    future = np.asarray(months > as_of)
    for cat in np.unique(cats[open_]):
        pool = np.sort(durations[closed & (cats == cat)])
        rows = np.flatnonzero(open_ & (cats == cat))
        for values in (pool, every):
            alive = len(values) - np.searchsorted(values, age_then[rows], side="right")
            later = len(values) - np.searchsorted(values, age[rows].ravel(), side="right")
            later = later.reshape(len(rows), -1)
            ok = alive > 0
            if ok.any() or values is every:
                break
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(ok[:, None], later / np.maximum(alive, 1)[:, None], 1.0)
        out[rows] = np.where(future[None, :], np.clip(p, 0.0, 1.0), 1.0)
    return out


def conditional_median(pool: np.ndarray, elapsed: np.ndarray) -> np.ndarray:
    """Median of the sorted ``pool`` among the values above each ``elapsed``; NaN if none.

    >>> conditional_median(np.array([31.0, 59.0, 90.0]), np.array([0.0, 40.0, 100.0]))
    array([59. , 74.5,  nan])
    """
    n = len(pool)
    first = np.searchsorted(pool, elapsed, side="right")
    count = n - first
    lo = first + (count - 1) // 2
    hi = first + count // 2
    safe = np.clip(np.stack([lo, hi]), 0, max(n - 1, 0))
    if n == 0:
        return np.full(len(elapsed), np.nan)
    values = (pool[safe[0]] + pool[safe[1]]) / 2
    return np.where(count > 0, values, np.nan)


def median_tariffs(claim_lines: pd.DataFrame) -> tuple[dict, dict]:
    """Median tariff (euro per unit) per (product_code, unit) and per (product_category, unit).

    Only debit lines with a positive tariff count.

    >>> lines = pd.DataFrame({"product_code": ["45A01", "45A01", "45A01", "45A02"],
    ...     "product_category": "45", "unit": ["04", "4", "04", "01"],
    ...     "tariff_euro": [60.0, 70.0, 90.0, 1.0], "debit_credit": ["D", "D", "C", "D"]})
    >>> median_tariffs(lines)
    ({('45A01', '04'): 65.0, ('45A02', '01'): 1.0}, {('45', '01'): 1.0, ('45', '04'): 65.0})
    """
    return TariffLines.of(claim_lines).medians()


@dataclass(frozen=True)
class TariffLines:
    """The claim lines as ``median_tariffs`` reads them, converted once: the debit lines with
    a positive tariff (``rows`` of the given lines), their tariffs and their groups of
    (product code, unit) and (product category, unit), -1 where a key is missing.

    ``medians(subset)`` gives the medians of part of the lines (a service year) without
    reading the columns again.
    """

    rows: np.ndarray
    tariff: np.ndarray
    by_code: tuple[np.ndarray, list[tuple]]
    by_cat: tuple[np.ndarray, list[tuple]]

    @classmethod
    def of(cls, claim_lines: pd.DataFrame) -> TariffLines:
        require_columns(claim_lines, TARIFF_COLUMNS, argument="claim_lines")
        tariff = pd.to_numeric(claim_lines["tariff_euro"], errors="coerce")
        keep = ((claim_lines["debit_credit"] != "C") & (tariff > 0)).to_numpy()
        lines = claim_lines.loc[keep, list(TARIFF_COLUMNS)]
        unit = pd.factorize(_code(lines["unit"], 2))     # missing: -1
        return cls(np.flatnonzero(keep), tariff.to_numpy(dtype=float)[keep],
                   _key_groups(lines["product_code"], *unit),
                   _key_groups(lines["product_category"], *unit))

    def medians(self, subset: np.ndarray | None = None) -> tuple[dict, dict]:
        """The medians of ``median_tariffs``; of the lines where ``subset`` (a boolean per
        given line) is true, if given."""
        take = np.ones(len(self.rows), dtype=bool) if subset is None else subset[self.rows]
        return (_group_medians(self.tariff, *self.by_code, take),
                _group_medians(self.tariff, *self.by_cat, take))


def _key_groups(key: pd.Series, unit_codes: np.ndarray, units: np.ndarray
                ) -> tuple[np.ndarray, list[tuple]]:
    """Group per line of (key as text, unit) and the groups' pairs; -1 where either misses.

    ``unit_codes`` and ``units`` are the lines' units factorized (-1 for a missing one).
    """
    key_codes, keys = pd.factorize(key.astype("string"))
    pair = key_codes * len(units) + unit_codes
    known = (key_codes >= 0) & (unit_codes >= 0)
    groups = np.full(len(pair), -1)
    groups[known], distinct = pd.factorize(pair[known])
    units = np.asarray(units, dtype=object)
    return groups, [(keys[p // len(units)], units[p % len(units)]) for p in distinct.tolist()]


def _group_medians(values: np.ndarray, groups: np.ndarray, pairs: list[tuple],
                   take: np.ndarray) -> dict:
    """{pair: median of the ``values`` of its group} over the lines where ``take``, in the
    order of a groupby on the keys (groups without a missing key)."""
    take = take & (groups >= 0)
    medians = pd.Series(values[take]).groupby(groups[take]).median()
    table = {pairs[g]: m for g, m in zip(medians.index.tolist(), medians.tolist())}
    return dict(sorted(table.items()))


def _lookup(table: dict, keys: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Tariffs for (key, unit) pairs; a time unit converts from another time unit of that key.

    Looks up each distinct pair once (many allocations share a product and unit).
    """
    if not table or len(keys) == 0:
        return np.full(len(keys), np.nan)
    codes, pairs = factorize_rows([keys, units])
    per_hour: dict = {}
    for unit, hours in UNIT_HOURS.items():
        for (key, u), value in table.items():
            if u == unit and key not in per_hour:
                per_hour[key] = float(value) / hours
    values = np.full(len(pairs), np.nan)
    for i, (key, unit) in enumerate(pairs):
        if (key, unit) in table:
            values[i] = float(table[(key, unit)])
        elif unit in UNIT_HOURS and key in per_hour:
            values[i] = per_hour[key] * UNIT_HOURS[unit]
    return np.where(codes >= 0, values[np.maximum(codes, 0)], np.nan)


def allocation_tariffs(allocs: pd.DataFrame, claim_lines: pd.DataFrame | None,
                       tariffs: Mapping[str, float] | None = None, *,
                       medians: tuple[dict, dict] | None = None) -> np.ndarray:
    """The tariff (euro per allocated unit) of every allocation row; NaN where none is known.

    Order: unit 83 (euro) is 1; a contract tariff from ``tariffs``; the median of the claim
    lines for the product code (``medians`` if precomputed), then for the product category.
    """
    keys = _tariff_keys(allocs)
    if medians is None:
        medians = median_tariffs(claim_lines) if claim_lines is not None else ({}, {})
    return _tariffs_of(keys, medians, tariffs)


def _tariff_keys(allocs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Product code and category (text, '' where missing) and unit code of every row."""
    codes = allocs["product_code"].astype("string").fillna("").to_numpy(dtype=object)
    cats = allocs["product_category"].astype("string").fillna("").to_numpy(dtype=object)
    units = _code(allocs["unit"], 2).to_numpy(dtype=object)
    return codes, cats, units


def _tariffs_of(keys: tuple[np.ndarray, np.ndarray, np.ndarray], medians: tuple[dict, dict],
                tariffs: Mapping[str, float] | None) -> np.ndarray:
    """``allocation_tariffs`` on the rows' ``_tariff_keys``."""
    codes, cats, units = keys
    by_code, by_cat = medians
    out = _lookup(by_code, codes, units)
    out = np.where(np.isfinite(out), out, _lookup(by_cat, cats, units))
    if tariffs:
        given = pd.Series(codes).map({str(k): float(v) for k, v in tariffs.items()})
        out = np.where(given.notna(), given.to_numpy(dtype=float), out)
    return np.where(units == UNIT_EURO, 1.0, out)


@dataclass(frozen=True)
class Commitments:
    """Commitments per allocation and per month of the window.

    Attributes
    ----------
    per_allocation : DataFrame
        One row per allocation: keys, ``start``, ``end`` (expected where open-ended),
        ``end_estimated``, ``tariff_euro``, ``units_in_window``, ``committed_euro``.
    euro, months : ndarray (allocations, months), DatetimeIndex
        Euro per allocation (rows of ``per_allocation``) and calendar month of the window;
        ``monthly`` gives it as a long table, ``by(...)`` summed per keys and month.
    notes : list of str
        Dutch notes on estimates and gaps (missing tariffs, open-ended allocations).
    """

    per_allocation: pd.DataFrame
    euro: np.ndarray                 # (allocations, months) euro per allocation and month
    months: pd.DatetimeIndex
    notes: list[str] = field(default_factory=list)

    @property
    def monthly(self) -> pd.DataFrame:
        """The long table (one row per allocation and month with a commitment)."""
        rows, cols = np.nonzero(self.euro)
        keys = self.per_allocation[["provider", "product_category", "product_code",
                                    "allocation_number", "client"]].iloc[rows]
        keys = keys.reset_index(drop=True)
        keys["month"] = self.months[cols]
        keys["committed_euro"] = self.euro[rows, cols]
        return keys

    def by(self, *keys: str) -> pd.DataFrame:
        """Monthly commitments summed per the given keys and month (months with euro only)."""
        if len(self.per_allocation) == 0 or len(self.months) == 0:
            return pd.DataFrame(columns=[*keys, "month", "committed_euro"])
        codes, uniques = factorize_rows([self.per_allocation[k].to_numpy() for k in keys])
        n_m = len(self.months)
        flat = (codes[:, None] * n_m + np.arange(n_m)[None, :]).ravel()
        sums = np.bincount(flat, weights=self.euro.ravel(),
                           minlength=len(uniques) * n_m).reshape(len(uniques), n_m)
        g, m = np.nonzero(sums)
        out = pd.DataFrame([uniques[i] for i in g], columns=list(keys))
        out["month"] = self.months[m]
        out["committed_euro"] = sums[g, m]
        return out


def _as_day(value, argument: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(value).normalize()
    except (TypeError, ValueError) as exc:
        raise InputError(f"'{value}' is geen datum", argument=argument) from exc


def commitments(allocations: pd.DataFrame, *, window_start, window_end, as_of=None,
                claim_lines: pd.DataFrame | None = None,
                tariffs: Mapping[str, float] | None = None,
                medians: tuple[dict, dict] | None = None,
                already_current: bool = False, monthly: bool = True,
                open_until=None) -> Commitments:
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
    medians : result of ``median_tariffs``, optional
        Precomputed claim-line medians (saves the pass over the claim lines).
    already_current : bool
        The table holds one (the latest) version per allocation already; rows of
        ``per_allocation`` then keep the order of ``allocations``.
    monthly : bool
        Spread over the calendar months (set False when only the totals are needed).
    open_until : date-like, optional
        Open-ended allocations run until this day (still marked ``end_estimated``) instead of
        their conditional median duration; the caller weighs their months by the chance they
        still run (``open_running``).

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
    basis = AllocationBasis.of(allocations, as_of=ref, already_current=already_current)
    return basis.commitments(w0, w1, claim_lines=claim_lines, tariffs=tariffs, medians=medians,
                             monthly=monthly, open_until=open_until)


#: One day, to turn differences of datetime64 into (float) days.
_DAY = np.timedelta64(1, "D")


def _days(values: np.ndarray) -> np.ndarray:
    """datetime64 values at midnight (as ``Series.dt.normalize``), in their own unit."""
    return values.astype("datetime64[D]").astype(values.dtype)


@dataclass(frozen=True)
class AllocationBasis:
    """What the commitments of one table of current allocations at one reference day share,
    whatever the window and the median tariffs: the dates, expected ends, volumes and codes,
    converted once. A forecast asks four windows of the same allocations (``commitments``);
    each equals the ``commitments`` call with the same arguments.
    """

    #: The current allocations (index 0..n-1) and the reference day of the expected ends.
    allocs: pd.DataFrame
    as_of: pd.Timestamp
    #: Start day (at midnight) and end date as given, per row (datetime64).
    start: np.ndarray
    end: np.ndarray
    #: Open-ended rows; their start + conditional median duration and where that is known
    #: (``_expected_ends``; the window's end stands in elsewhere).
    estimated: np.ndarray
    guess: np.ndarray
    known: np.ndarray
    #: The raw start (``_or_fallback`` compares it with the window's end).
    start_given: np.ndarray
    volume: np.ndarray
    budget: np.ndarray
    #: Days per frequency period (NaN for 6 and unknown codes), frequency 6 (total).
    period: np.ndarray
    total: np.ndarray
    tariff_keys: tuple[np.ndarray, np.ndarray, np.ndarray]
    #: ``_tariffs_of`` per (medians, tariffs), by identity: the windows share their medians.
    _tariff_memo: list = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def of(cls, allocations: pd.DataFrame, *, as_of, already_current: bool = False
           ) -> AllocationBasis:
        """The basis of ``allocations`` (all versions, or ``already_current``) at ``as_of``."""
        if already_current:
            require_columns(allocations, ALLOCATIONS, argument="allocations")
            allocs = allocations.reset_index(drop=True)
        else:
            allocs = current_allocations(allocations)
        ref = _as_day(as_of, "as_of")
        start = pd.to_datetime(allocs["start_date"])
        end = pd.to_datetime(allocs["end_date"])
        guess, known = _expected_ends(start, end, allocs["product_category"], ref)
        freq = _code(allocs["frequency"], 1)
        return cls(
            allocs, ref, _days(start.to_numpy()), end.to_numpy(), end.isna().to_numpy(),
            guess, known, start.to_numpy(),
            pd.to_numeric(allocs["volume"], errors="coerce").to_numpy(dtype=float),
            pd.to_numeric(allocs["budget_euro"], errors="coerce").to_numpy(dtype=float),
            freq.map({k: v for k, v in FREQUENCY_DAYS.items() if v}).to_numpy(dtype=float),
            (freq == "6").to_numpy(), _tariff_keys(allocs))

    def tariffs(self, medians: tuple[dict, dict], tariffs: Mapping[str, float] | None
                ) -> np.ndarray:
        """``allocation_tariffs`` of the rows (a fresh array)."""
        for m, t, values in self._tariff_memo:
            if m is medians and t is tariffs:
                return values.copy()
        values = _tariffs_of(self.tariff_keys, medians, tariffs)
        self._tariff_memo.append((medians, tariffs, values))
        return values.copy()

    def commitments(self, window_start, window_end, *,
                    claim_lines: pd.DataFrame | None = None,
                    tariffs: Mapping[str, float] | None = None,
                    medians: tuple[dict, dict] | None = None, monthly: bool = True,
                    open_until=None) -> Commitments:
        """``commitments`` of these allocations over a window (same arguments)."""
        w0 = _as_day(window_start, "window_start")
        w1 = _as_day(window_end, "window_end")
        if w1 < w0:
            raise InputError("het einde van de periode ligt voor het begin",
                             argument="window_end")
        notes: list[str] = []
        start, estimated = self.start, self.estimated
        end = np.where(estimated, _or_fallback(self.guess, self.known, self.start_given, w1),
                       self.end)
        end = _days(end.astype(self.end.dtype))
        if open_until is not None and estimated.any():
            until = _as_day(open_until, "open_until").to_datetime64()
            end = np.where(~estimated | (start > until), end, until).astype(end.dtype)
        if estimated.any():
            notes.append(f"{int(estimated.sum())} toewijzingen zonder einddatum: verwachte duur "
                         "uit de waargenomen duur van afgesloten toewijzingen (mediaan).")
        days_valid = np.clip((end - start) / _DAY + 1, 1, None)
        first, last = w0.to_datetime64(), w1.to_datetime64()
        lo = np.where(start > first, start, first)
        hi = np.where(end < last, end, last)
        days_in = np.clip((hi - lo) / _DAY + 1, 0, None)
        days_in = np.where(np.isnan(days_in), 0.0, days_in)
        no_start = np.isnat(start)
        if no_start.any():
            notes.append(f"{int(no_start.sum())} toewijzingen zonder ingangsdatum tellen niet "
                         "mee.")

        volume, budget = self.volume, self.budget
        per_day = np.where(self.total, volume / days_valid, volume / self.period)
        is_budget = np.isfinite(budget) & ~np.isfinite(volume)
        bad_freq = ~is_budget & np.isfinite(volume) & ~np.isfinite(per_day)
        if bad_freq.any():
            notes.append(f"{int(bad_freq.sum())} toewijzingen met een onbekende frequentie "
                         "tellen niet mee.")
        if medians is None:
            medians = median_tariffs(claim_lines) if claim_lines is not None else ({}, {})
        tariff = self.tariffs(medians, tariffs)
        tariff[is_budget] = np.nan
        no_tariff = ~is_budget & np.isfinite(per_day) & ~np.isfinite(tariff)
        if no_tariff.any():
            notes.append(f"{int(no_tariff.sum())} toewijzingen zonder bekend tarief (geen "
                         "declaraties van dat product) tellen niet mee.")
        daily_euro = np.where(is_budget, budget / days_valid, per_day * tariff)
        daily_euro = np.where(np.isfinite(daily_euro) & ~no_start, daily_euro, 0.0)

        keys = ("law", "provider", "client", "allocation_number", "product_category",
                "product_code")
        per_alloc = pd.DataFrame({
            **{k: self.allocs[k] for k in keys}, "start": start, "end": end,
            "end_estimated": estimated, "budget": is_budget, "tariff_euro": tariff,
            "daily_euro": daily_euro,
            "units_in_window": np.where(is_budget, np.nan, per_day * days_in),
            "committed_euro": daily_euro * days_in})

        if monthly:
            months, euro = _spread_monthly(daily_euro, lo, hi, w0, w1)
        else:
            months, euro = pd.DatetimeIndex([]), np.zeros((len(per_alloc), 0))
        return Commitments(per_alloc, euro, months, notes)


def _spread_monthly(daily_euro: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                    w0: pd.Timestamp, w1: pd.Timestamp) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Split each allocation's daily euro over the calendar months of the window (vectorised)."""
    months = pd.date_range(w0.to_period("M").to_timestamp(), w1, freq="MS")
    m_start = months.to_numpy(dtype="datetime64[D]")
    m_end = (months + pd.offsets.MonthEnd(0)).to_numpy(dtype="datetime64[D]")
    m_start = np.maximum(m_start, np.datetime64(w0.date()))
    m_end = np.minimum(m_end, np.datetime64(w1.date()))
    a_lo = lo.astype("datetime64[D]")[:, None]
    a_hi = hi.astype("datetime64[D]")[:, None]
    first = np.maximum(a_lo, m_start[None, :])
    last = np.minimum(a_hi, m_end[None, :])
    days = np.clip((last - first).astype(int) + 1, 0, None)
    return months, days * daily_euro[:, None]


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
