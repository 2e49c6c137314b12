"""The claim triangle: service month x lag, per provider and product category.

A claim line (323 Prestatie) has a service month (ProductPeriode) and a claim month
(DeclaratiePeriode). Its **lag** is the claim month minus the service month, in whole
months: 0 when the provider claims in the month of service, 3 when it claims three
months later. Summing the net amounts (credits are negative) per service month and lag
gives the *incremental* triangle; summing along the lag gives the *cumulative* one.

Cells that lie after the evaluation month (``as_of``) are not known yet and hold NaN; a
known cell without claims holds 0. Every group shares the same origins, lags and known
cells, so many providers are one 3-D array ``[group, origin, lag]`` and the reserving
methods work on all groups at once.

>>> import pandas as pd
>>> lines = pd.DataFrame({
...     "provider": ["A", "A", "A"], "product_category": ["45", "45", "45"],
...     "service_month": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
...     "claim_month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-02-01"]),
...     "amount_euro": [100.0, 50.0, 80.0]})
>>> tri = build_triangles(lines)
>>> tri.keys, [str(m) for m in tri.origins]
([('A', '45')], ['2024-01', '2024-02'])
>>> tri.values[0]
array([[100.,  50.],
       [ 80.,  nan]])
>>> tri.to_cumulative().values[0]
array([[100., 150.],
       [ 80.,  nan]])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from calc.errors import InputError, Problem, raise_if
from calc.records import require_columns

#: The columns ``build_triangles`` reads (a subset of ``calc.records.CLAIM_LINES``).
TRIANGLE_COLUMNS = ("service_month", "claim_month", "amount_euro")
#: At most this many bad lines are listed in one error.
MAX_LISTED = 20


@dataclass(frozen=True)
class Triangles:
    """Claim triangles of many groups that share origins and lags.

    Attributes
    ----------
    values : ndarray, shape (groups, origins, lags)
        Euro; NaN where the cell lies after the evaluation month.
    keys : list of tuple
        One key per group, the values of the ``by`` columns (``[()]`` without grouping).
    by : tuple of str
        The columns the groups were formed by.
    origins : pandas.PeriodIndex
        The service months, oldest first (freq ``M``).
    cumulative : bool
        Whether ``values`` are cumulative along the lag axis.
    """

    values: np.ndarray
    keys: list[tuple] = field(default_factory=lambda: [()])
    by: tuple[str, ...] = ()
    origins: pd.PeriodIndex | None = None
    cumulative: bool = False

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=float)
        if values.ndim == 2:
            values = values[None]
        if values.ndim != 3:
            raise InputError("een driehoek moet 2 of 3 dimensies hebben", argument="driehoek")
        object.__setattr__(self, "values", values)
        if len(self.keys) != values.shape[0]:
            raise InputError(f"{len(self.keys)} groepssleutels voor {values.shape[0]} driehoeken",
                             argument="driehoek")

    @property
    def shape(self) -> tuple[int, int, int]:
        """(groups, origins, lags)."""
        return self.values.shape  # type: ignore[return-value]

    @property
    def known(self) -> np.ndarray:
        """Boolean mask of the known cells, shape (groups, origins, lags)."""
        return ~np.isnan(self.values)

    def to_cumulative(self) -> "Triangles":
        """The cumulative view (sums along the lag axis; unknown cells stay NaN)."""
        if self.cumulative:
            return self
        return replace(self, values=cumulate(self.values), cumulative=True)

    def to_incremental(self) -> "Triangles":
        """The incremental view (the claims per lag)."""
        if not self.cumulative:
            return self
        return replace(self, values=decumulate(self.values), cumulative=False)

    def group(self, key: tuple) -> np.ndarray:
        """The 2-D triangle (origins x lags) of one group."""
        return self.values[self.keys.index(tuple(key))]

    def latest(self) -> np.ndarray:
        """Claimed so far per group and origin (euro), shape (groups, origins)."""
        cum = self.to_cumulative().values
        last = last_known_lag(~np.isnan(cum))
        out = np.take_along_axis(cum, np.maximum(last, 0)[..., None], axis=-1)[..., 0]
        return np.where(last >= 0, out, np.nan)


def cumulate(incremental: np.ndarray) -> np.ndarray:
    """Cumulative sums along the last axis; NaN (unknown) cells stay NaN.

    >>> cumulate(np.array([[1.0, 2.0, np.nan]]))
    array([[ 1.,  3., nan]])
    """
    values = np.asarray(incremental, dtype=float)
    return np.where(np.isnan(values), np.nan, np.nancumsum(values, axis=-1))


def decumulate(cumulative: np.ndarray) -> np.ndarray:
    """Increments along the last axis (inverse of ``cumulate`` on a left-aligned triangle).

    >>> decumulate(np.array([[1.0, 3.0, np.nan]]))
    array([[ 1.,  2., nan]])
    """
    values = np.asarray(cumulative, dtype=float)
    previous = np.concatenate([np.zeros(values.shape[:-1] + (1,)), values[..., :-1]], axis=-1)
    return values - previous


def last_known_lag(known: np.ndarray) -> np.ndarray:
    """Index of the last known lag per origin (-1 when nothing is known).

    >>> last_known_lag(np.array([[True, True, False], [False, False, False]]))
    array([ 1, -1])
    """
    known = np.asarray(known, dtype=bool)
    lags = known.shape[-1]
    reversed_first = np.argmax(known[..., ::-1], axis=-1)
    return np.where(known.any(axis=-1), lags - 1 - reversed_first, -1)


def future_zeros_as_unknown(triangle: np.ndarray) -> np.ndarray:
    """A spreadsheet's triangle with the 0s where nothing can be known yet read as empty.

    A triangle built with SUMIFS (SOMMEN.ALS) has 0, not an empty cell, in the lower right:
    the later delays of the recent product periods. Read as known, those 0s say "nothing more
    comes" (a cumulative amount falling to 0, an incremental 0) and the chain ladder gives
    almost no late claims: a wrong number without a warning. The lower right is cell (i, j)
    with ``i + j >= rows + s`` for the smallest shift ``s >= 0`` (the last period may lie a
    few months before the peildatum) at which every such cell is 0 or empty and one is 0;
    those become empty; with ``s > 0`` only when the last cell before them in each row holds
    an amount. A triangle with the newest period on top has that corner in the upper right
    (the chain ladder does not mind the order of the rows). A nonzero value there, or no 0
    at all, leaves the triangle as it is: then it is no SUMIFS triangle of this shape and
    nothing is guessed.

    >>> future_zeros_as_unknown(np.array([[10.0, 20.0, 25.0], [12.0, 22.0, 0.0],
    ...                                   [11.0, 0.0, 0.0]]))
    array([[10., 20., 25.],
           [12., 22., nan],
           [11., nan, nan]])
    >>> future_zeros_as_unknown(np.array([[11.0, 0.0], [10.0, 20.0]]))   # newest on top
    array([[11., nan],
           [10., 20.]])
    >>> future_zeros_as_unknown(np.array([[10.0, 20.0], [12.0, 5.0]]))   # a full rectangle
    array([[10., 20.],
           [12.,  5.]])
    """
    tri = np.array(triangle, dtype=float)
    if tri.ndim != 2:
        return tri
    if _blank_lower_right(tri):
        return tri
    upside_down = tri[::-1].copy()
    return upside_down[::-1].copy() if _blank_lower_right(upside_down) else tri


def _blank_lower_right(tri: np.ndarray) -> bool:
    """Blank the zero corner of ``future_zeros_as_unknown`` in place; whether it did."""
    rows, lags = tri.shape
    diagonal = np.add.outer(np.arange(rows), np.arange(lags))
    for shift in range(lags):
        future = diagonal >= rows + shift
        cells = tri[future]
        if cells.size == 0:
            return False
        if np.all(np.isnan(cells) | (cells == 0)):
            # a later peildatum (shift > 0) only when the last known cell of each row with
            # unknown cells holds an amount: else the 0s may be known ones, and nothing is read
            last = (diagonal == rows + shift - 1) & np.roll(future, -1, axis=1)
            last[:, -1] = False
            plausible = shift == 0 or np.all(np.nan_to_num(tri[last]) != 0)
            if plausible and np.any(cells == 0) and np.nansum(np.abs(tri[~future])) > 0:
                tri[future] = np.nan
                return True
            return False
    return False


def _month_number(values: pd.Series) -> np.ndarray:
    """Months since year 0 (NaT becomes a very negative number; callers check NaT first).

    The few distinct dates are converted once and spread by their codes (fast on millions
    of lines).
    """
    codes, uniques = pd.factorize(pd.to_datetime(pd.Series(values)), use_na_sentinel=False)
    stamps = np.asarray(uniques, dtype="datetime64[ns]")
    return (stamps.astype("datetime64[M]").astype(np.intp) + 1970 * 12)[codes]


def _group_codes(frame: pd.DataFrame, by: tuple[str, ...]) -> tuple[np.ndarray, list[tuple]]:
    """A group number per line and the sorted group keys (per column factorised, then combined)."""
    if not by:
        return np.zeros(len(frame), dtype=np.intp), [()]
    combined = np.zeros(len(frame), dtype=np.intp)
    levels = []
    for column in by:
        codes, uniques = pd.factorize(frame[column], sort=True, use_na_sentinel=False)
        combined = combined * len(uniques) + codes
        levels.append(uniques)
    if len(by) == 1:             # factorize(sort=True) already gives 0.. in key order
        return combined, [(v.item() if isinstance(v, np.generic) else v,) for v in levels[0]]
    codes, present = pd.factorize(combined, sort=True)
    keys = []
    for number in present.tolist():
        key = []
        for uniques in reversed(levels):
            number, k = divmod(number, len(uniques))
            value = uniques[k]
            key.append(value.item() if isinstance(value, np.generic) else value)
        keys.append(tuple(reversed(key)))
    return codes.reshape(-1), keys


def build_triangles(
    claim_lines: pd.DataFrame,
    *,
    by: Sequence[str] = ("provider", "product_category"),
    as_of: object = None,
    cumulative: bool = False,
) -> Triangles:
    """Claim triangles per group from the long table of claim lines.

    Parameters
    ----------
    claim_lines : DataFrame
        Columns of ``calc.records.CLAIM_LINES`` (at least ``service_month``, ``claim_month``,
        ``amount_euro`` and the ``by`` columns); ``amount_euro`` in euro, negative for credit.
    by : sequence of str
        Group columns; ``()`` gives one triangle of all lines.
    as_of : date-like, optional
        Evaluation month: lines claimed after it are left out and cells after it are NaN.
        Default: the latest claim month in the table.
    cumulative : bool
        Return the cumulative view instead of the incremental one.

    Returns
    -------
    Triangles
        Origins are every month from the earliest service month up to ``as_of``; lags run
        from 0 to the number of origins minus 1, so the array is square per group.

    Raises
    ------
    InputError
        A missing column, an empty table, a missing month or amount, or a claim month
        before its service month, naming the 0-based line (all problems at once).
    """
    by = tuple(by)
    require_columns(claim_lines, (*TRIANGLE_COLUMNS, *by), argument="claim_lines")
    if len(claim_lines) == 0:
        raise InputError("er zijn geen declaratieregels", argument="claim_lines")
    service = _month_number(claim_lines["service_month"])
    claim = _month_number(claim_lines["claim_month"])
    amount = pd.to_numeric(claim_lines["amount_euro"], errors="coerce").to_numpy(dtype=float)
    lag = claim - service

    problems: list[Problem] = []
    for column, bad in (("service_month", pd.isna(claim_lines["service_month"]).to_numpy()),
                        ("claim_month", pd.isna(claim_lines["claim_month"]).to_numpy()),
                        ("amount_euro", ~np.isfinite(amount))):
        for r in np.flatnonzero(bad)[:MAX_LISTED]:
            problems.append(Problem(f"regel {r}: {column} ontbreekt of is geen getal/datum",
                                    "claim_lines", int(r), list(claim_lines.columns).index(column)))
    raise_if(problems)
    for r in np.flatnonzero(lag < 0)[:MAX_LISTED]:
        problems.append(Problem(f"regel {r}: de declaratiemaand ligt vóór de productmaand",
                                "claim_lines", int(r)))
    raise_if(problems)

    last = int(claim.max()) if as_of is None else int(_month_number(pd.Series([as_of]))[0])
    keep = claim <= last
    first = int(service[keep].min()) if keep.any() else last
    n = last - first + 1
    if n < 1:
        raise InputError("de peildatum ligt vóór de eerste productmaand", argument="as_of")

    codes, keys = _group_codes(claim_lines, by)
    g = len(keys)
    flat = (codes[keep] * n + (service[keep] - first)) * n + lag[keep]
    values = np.bincount(flat, weights=amount[keep], minlength=g * n * n).reshape(g, n, n)
    future = np.add.outer(np.arange(n), np.arange(n)) >= n
    values[:, future] = np.nan
    origins = pd.period_range(pd.Period(year=first // 12, month=first % 12 + 1, freq="M"),
                              periods=n, freq="M")
    out = Triangles(values, keys=keys, by=by, origins=origins, cumulative=False)
    return out.to_cumulative() if cumulative else out
