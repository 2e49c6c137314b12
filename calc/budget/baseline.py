"""Baseline lasten per taakveld and theme: starting amounts indexed for wages, prices and volume.

For a line with wage share ``s`` (loonaandeel), the amount in year ``y`` of the horizon is

    L[y] = L[start] * prod_{k = start+1 .. y} (1 + s w_k + (1 - s) p_k) (1 + v_k)

with ``w_k`` the wage index, ``p_k`` the price index and ``v_k`` the volume growth of year
``k`` (fractions: 0.03 is 3 %). The starting amounts are those of ``Horizon.start`` (by
default the year before the budget year: the year-end forecast of the current year).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from calc import cells
from calc.budget.checks import (VOLUME_LIMIT, rate_problems, share_problem,
                                taakveld_problem)
from calc.budget.years import Horizon, PerYear, per_year
from calc.errors import InputError, Problem, raise_if
from calc.names import TAAKVELDEN

#: Columns of the starting table (one row per taakveld and theme). ``theme``,
#: ``wage_share`` and ``volume_growth`` are optional.
START_COLUMNS = ("taakveld", "theme", "amount_euro", "wage_share", "volume_growth")
REQUIRED = ("taakveld", "amount_euro")


def index_factors(wage_share: np.ndarray, wage_index: np.ndarray, price_index: np.ndarray,
                  volume_growth: np.ndarray, *, index_first_year: bool = True) -> np.ndarray:
    """Cumulative index factor per line (rows) and year (columns): the pure kernel.

    Parameters
    ----------
    wage_share : shape (n,), fractions 0-1
    wage_index, price_index : shape (Y,), fractions per year
    volume_growth : shape (Y,) or (n, Y), fractions per year
    index_first_year : bool
        False when the starting amounts are already at budget-year level.

    >>> index_factors(np.array([0.5]), np.array([0.04, 0.04]), np.array([0.02, 0.02]),
    ...               np.array([0.0, 0.0])).round(6)
    array([[1.03  , 1.0609]])
    """
    s = np.asarray(wage_share, dtype=float).reshape(-1, 1)
    yearly = (1.0 + s * wage_index[None, :] + (1.0 - s) * price_index[None, :]) \
        * (1.0 + np.broadcast_to(volume_growth, (s.shape[0], wage_index.shape[0])))
    if not index_first_year:
        yearly = yearly.copy()
        yearly[:, 0] = 1.0
    return np.cumprod(yearly, axis=1)


def check_start(start: pd.DataFrame, *, argument: str = "lasten") -> pd.DataFrame:
    """Validate the starting table; all problems at once, each naming row and column.

    Returns a clean copy with every optional column filled (NaN where not given) and
    ``theme`` defaulting to the taakveld's Iv3 description.
    """
    if not isinstance(start, pd.DataFrame):
        raise InputError("verwacht een tabel (DataFrame) met een rij per taakveld", argument=argument)
    missing = [c for c in REQUIRED if c not in start.columns]
    if missing:
        raise InputError(f"kolom {', '.join(missing)} ontbreekt (verwacht: {', '.join(START_COLUMNS)})",
                         argument=argument)
    if start.empty:
        raise InputError("de tabel heeft geen regels", argument=argument)
    df = start.reset_index(drop=True).copy()
    for col in START_COLUMNS:
        if col not in df.columns:
            df[col] = np.nan
    columns = list(df.columns)
    problems: list[Problem] = []
    for r, row in enumerate(df.itertuples(index=False)):
        p = taakveld_problem(row.taakveld, argument=argument, row=r, column=columns.index("taakveld"))
        if p:
            problems.append(p)
        amount = cells.parse_number(row.amount_euro)[0] if not cells.is_empty(row.amount_euro) \
            else None
        if amount is None:
            problems.append(Problem(f"bedrag '{row.amount_euro}' is geen getal", argument, r,
                                    columns.index("amount_euro")))
        share = cells.number(row.wage_share, (argument, r, columns.index("wage_share")), problems,
                             default=math.nan)
        cells.number(row.volume_growth, (argument, r, columns.index("volume_growth")), problems,
                     default=0.0)
        if share is not None and not math.isnan(share):
            p = share_problem(share, argument=argument, row=r, column=columns.index("wage_share"))
            if p:
                problems.append(p)
    raise_if(problems)
    df["taakveld"] = df["taakveld"].astype(str).str.strip()
    for col in ("amount_euro", "wage_share", "volume_growth"):  # the cell rules: "0,8" is 0.8
        df[col] = [cells.parse_number(v)[0] if not cells.is_empty(v) else np.nan for v in df[col]]
        df[col] = df[col].astype(float)
    theme = df["theme"].astype(object)
    no_theme = theme.isna() | (theme.astype(str).str.strip() == "")
    df["theme"] = theme.where(~no_theme, df["taakveld"].map(TAAKVELDEN)).astype(str).str.strip()
    dup = df.duplicated(["taakveld", "theme"], keep="first")
    raise_if([Problem(f"taakveld {df.taakveld[r]} met thema '{df.theme[r]}' staat er twee keer in",
                      argument, int(r), columns.index("taakveld")) for r in np.flatnonzero(dup)])
    return df


def start_from_forecast(forecast, rest: pd.DataFrame | None = None, *,
                        amount_column: str = "forecast_euro") -> pd.DataFrame:
    """Starting amounts from the prognose's year-end forecast, completed with other lines.

    Parameters
    ----------
    forecast : DataFrame or object with ``detail``
        ``calc.prognose`` output (``YearEndForecast`` or its ``detail`` / ``by("taakveld")``
        table): columns ``taakveld``, ``forecast_euro`` and optionally ``theme``. Rows are
        summed per taakveld (and theme).
    rest : DataFrame, optional
        Starting table for the lines the messages do not cover (bijstand, Wsw, toegang ...),
        in ``START_COLUMNS``; a (taakveld, theme) the forecast also has is taken from the forecast.

    >>> fc = pd.DataFrame({"taakveld": ["6.72a", "6.72a"], "theme": ["Jeugd", "Jeugd"],
    ...                    "forecast_euro": [1.0, 2.0]})
    >>> rest = pd.DataFrame({"taakveld": ["6.3", "6.72a"], "theme": ["Bijstand", "Jeugd"],
    ...                      "amount_euro": [10.0, 99.0]})
    >>> start_from_forecast(fc, rest)[["taakveld", "theme", "amount_euro"]].values.tolist()
    [['6.72a', 'Jeugd', 3.0], ['6.3', 'Bijstand', 10.0]]
    """
    frame = getattr(forecast, "detail", forecast)
    if not isinstance(frame, pd.DataFrame) or not {"taakveld", amount_column} <= set(frame.columns):
        raise InputError(f"de prognose heeft geen kolommen taakveld en {amount_column}",
                         argument="prognose")
    keys = ["taakveld", "theme"] if "theme" in frame.columns else ["taakveld"]
    grouped = (frame.groupby(keys, sort=False, dropna=False)[amount_column].sum()
               .rename("amount_euro").reset_index())
    if rest is None or rest.empty:
        return grouped
    rest = rest.copy()
    if "theme" not in rest.columns:
        rest["theme"] = np.nan
    if "theme" not in grouped.columns:
        covered = rest["taakveld"].astype(str).isin(set(grouped["taakveld"].astype(str)))
    else:
        have = set(zip(grouped["taakveld"].astype(str), grouped["theme"].astype(str)))
        covered = pd.Series([(str(t), str(h)) in have for t, h in zip(rest["taakveld"], rest["theme"])],
                            index=rest.index)
    # A replaced line keeps its own assumptions (wage share, volume growth).
    own = [c for c in ("wage_share", "volume_growth") if c in rest.columns]
    if own:
        kept = rest.loc[covered, keys + own].drop_duplicates(keys)
        grouped = grouped.merge(kept, on=keys, how="left")
    return pd.concat([grouped, rest[~covered]], ignore_index=True)


def baseline_lasten(start: pd.DataFrame, horizon: Horizon, *, wage_index: PerYear,
                    price_index: PerYear, volume_growth: PerYear = 0.0,
                    wage_share: float = 0.5) -> pd.DataFrame:
    """Baseline lasten per taakveld and theme for each year of the horizon, in euro.

    Parameters
    ----------
    start : DataFrame
        One row per taakveld (and theme): ``taakveld`` (Iv3 code), ``amount_euro`` (lasten
        in ``horizon.start``, e.g. the prognose's year-end forecast), optionally ``theme``,
        ``wage_share`` (overrides the default) and ``volume_growth`` (a constant yearly
        growth for this line, overrides the horizon-wide one).
    horizon : Horizon
    wage_index, price_index, volume_growth : number, list per year or mapping per year
        Fractions (0.035 is 3.5 %).
    wage_share : float
        Default loonaandeel of a line (fraction 0-1).

    Returns
    -------
    DataFrame indexed by (taakveld, theme), one column per year, euro.

    Examples
    --------
    >>> start = pd.DataFrame({"taakveld": ["6.3"], "amount_euro": [1_000_000.0]})
    >>> baseline_lasten(start, Horizon(first_year=2026, n_years=2),
    ...                 wage_index=0.04, price_index=0.02).round(0)
                                     2026       2027
    taakveld theme
    6.3      Inkomensregelingen  1030000.0  1060900.0
    """
    problem = share_problem(float(wage_share), argument="loonaandeel")
    raise_if([problem] if problem else [])
    df = check_start(start)
    w = per_year(wage_index, horizon, argument="loonindex")
    p = per_year(price_index, horizon, argument="prijsindex")
    v = per_year(volume_growth, horizon, argument="volumegroei")
    raise_if(rate_problems(w, argument="loonindex") + rate_problems(p, argument="prijsindex")
             + rate_problems(v, argument="volumegroei", limit=VOLUME_LIMIT)
             + rate_problems(df["volume_growth"].dropna(), argument="volumegroei",
                             limit=VOLUME_LIMIT))
    shares = df["wage_share"].fillna(float(wage_share)).to_numpy()
    own = df["volume_growth"].to_numpy()
    volume = np.where(np.isnan(own)[:, None], v[None, :], own[:, None])
    factors = index_factors(shares, w, p, volume, index_first_year=horizon.start < horizon.first_year)
    values = df["amount_euro"].to_numpy()[:, None] * factors
    index = pd.MultiIndex.from_frame(df[["taakveld", "theme"]])
    return pd.DataFrame(values, index=index, columns=list(horizon.years))
