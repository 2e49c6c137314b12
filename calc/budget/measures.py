"""Measures with uncertain savings, the result per year, and the band of the saldo.

A measure (maatregel) saves ``X`` euro a year on its theme, ``X`` triangular (low, most
likely, high), from its start year on (structural) or only in its start year (one-off),
realised only with its realisation chance (else 0). Its indirect effects on other themes
(from the dwarsverbanden model: ``calc.cross_effects``) are given per theme and year as the
saving at the most likely ``X``; the model is linear, so they scale with ``X / most_likely``.

Signs: a saving is positive (lower lasten); saldo = baten - lasten, positive is a surplus;
reserve use (onttrekking) is positive and one-off. The planned figures use the most likely
savings (what the council books); the band (P10/P50/P90, Monte Carlo) and the chance that a
year closes (exact where computable: ``calc.budget.chance``) show what they may really bring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from calc import profile
from calc.budget.chance import SEED, chance_closing, draw_triangular
from calc.budget.checks import validated
from calc.budget.income import ROW_TOTAL
from calc.budget.years import Horizon, per_year
from calc.cells import nl
from calc.errors import InputError, Problem, raise_if

#: Monte Carlo draws of the saldo band (percentiles; the chance itself is exact where possible).
BAND_DRAWS = profile.DRAWS

# Row labels of the result table (Dutch: they appear on the sheet as they are).
LASTEN = "Lasten basisraming"
SAVINGS_STRUCTURAL = "Maatregelen structureel"
SAVINGS_ONE_OFF = "Maatregelen incidenteel"
INDIRECT = "Indirecte effecten maatregelen"
LASTEN_AFTER = "Lasten na maatregelen"
BATEN = "Baten"
SALDO_BEFORE = "Saldo vóór maatregelen"
RESERVE = "Onttrekking reserves"
SALDO_STRUCTURAL = "Structureel saldo"
SALDO_ONE_OFF = "Incidenteel saldo"
SALDO = "Saldo na maatregelen en reserves"
RESULT_ROWS = (LASTEN, SAVINGS_STRUCTURAL, SAVINGS_ONE_OFF, INDIRECT, LASTEN_AFTER, BATEN,
               SALDO_BEFORE, RESERVE, SALDO_STRUCTURAL, SALDO_ONE_OFF, SALDO)
BAND_ROWS = ("P10 saldo", "P50 saldo", "P90 saldo", "Kans sluitend", "Kans structureel sluitend")


class Measure(BaseModel):
    """One maatregel.

    ``indirect`` maps a theme to its indirect saving per horizon year (euro, at the most
    likely direct saving; a list of one value per year).

    >>> Measure(name="Praktijkondersteuner jeugd", theme="Jeugdhulp", low=100_000,
    ...         most_likely=250_000, high=300_000, start_year=2026).structural
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Column order of a measures table (sheet, UDF) and the Dutch label of each field.
    COLUMNS: ClassVar[tuple[str, ...]] = ("name", "theme", "low", "most_likely", "high",
                                          "start_year", "structural", "chance")
    LABELS: ClassVar[dict[str, str]] = {
        "name": "naam", "theme": "thema", "low": "laag", "most_likely": "waarschijnlijk",
        "high": "hoog", "start_year": "startjaar", "structural": "structureel",
        "chance": "realisatiekans", "indirect": "indirect effect"}

    name: str = Field(min_length=1)
    theme: str = Field(min_length=1)
    low: float = Field(allow_inf_nan=False)
    most_likely: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)
    start_year: int
    structural: bool = True
    chance: float | None = Field(default=None, ge=0.0, le=1.0)
    indirect: Mapping[str, tuple[float, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> "Measure":
        if self.low > self.high:
            raise ValueError(f"laag ({nl(self.low)}) is groter dan hoog ({nl(self.high)})")
        if not self.low <= self.most_likely <= self.high:
            raise ValueError(f"waarschijnlijk ({nl(self.most_likely)}) ligt niet tussen laag "
                             f"({nl(self.low)}) en hoog ({nl(self.high)})")
        return self


def measures_from(rows: Sequence[Mapping], *, argument: str = "maatregelen") -> list[Measure]:
    """Validate measures given as mappings; every problem names its row.

    >>> measures_from([{"name": "x", "theme": "t", "low": 5, "most_likely": 3, "high": 4,
    ...                 "start_year": 2026}])
    Traceback (most recent call last):
    ...
    calc.errors.InputError: Measure: laag (5) is groter dan hoog (4)
    """
    out: list[Measure] = []
    problems: list[Problem] = []
    for r, row in enumerate(rows):
        try:
            out.append(row if isinstance(row, Measure) else validated(Measure, dict(row),
                                                                      argument=argument, row=r))
        except InputError as exc:
            problems += exc.problems
    raise_if(problems)
    return out


@dataclass(frozen=True)
class MeasureMatrix:
    """The measures as arrays over the horizon (the Monte Carlo and exact kernels' input).

    ``table`` (m, 4): low, most likely, high, chance; ``scale`` (m, Y): the saving in year y
    per euro of the measure's own saving (activity plus indirect / most likely);
    ``constant`` (Y,): indirect effects of measures whose most likely saving is 0;
    ``structural`` (m,): bool; ``active`` (m, Y): 1 where the measure's own saving counts.
    """

    table: np.ndarray
    scale: np.ndarray
    constant: np.ndarray
    structural: np.ndarray
    active: np.ndarray


def measure_matrix(measures: Sequence[Measure], horizon: Horizon, themes: Sequence[str] | None, *,
                   argument: str = "maatregelen") -> MeasureMatrix:
    """Check the measures against the horizon and the baseline's themes; build the arrays.

    ``themes=None`` skips the theme check (a sheet range without theme names).
    """
    years = np.array(horizon.years)
    known = None if themes is None else set(themes)
    problems: list[Problem] = []
    m = len(measures)
    table = np.zeros((m, 4))
    scale = np.zeros((m, years.size))
    activity = np.zeros((m, years.size))
    constant = np.zeros(years.size)
    for r, ms in enumerate(measures):
        p = horizon.check_year(ms.start_year, argument=argument, row=r,
                               column=Measure.COLUMNS.index("start_year"))
        if p:
            problems.append(p)
        for theme in [ms.theme, *ms.indirect]:
            if known is not None and theme not in known:
                problems.append(Problem(f"thema of taakveld '{theme}' van maatregel '{ms.name}' staat "
                                        "niet in de basisraming", argument, r, 1))
        on = years >= ms.start_year if ms.structural else years == ms.start_year
        active = activity[r] = on.astype(float)
        indirect = np.zeros(years.size)
        for theme, values in ms.indirect.items():
            try:
                indirect += per_year(list(values), horizon, argument=argument)
            except InputError as exc:
                problems.append(Problem(f"indirect effect op '{theme}': {exc.message}", argument, r))
        table[r] = (ms.low, ms.most_likely, ms.high, 1.0 if ms.chance is None else ms.chance)
        if ms.most_likely != 0:
            scale[r] = active + indirect / ms.most_likely
        else:
            scale[r] = active
            constant += indirect * table[r, 3]
    raise_if(problems)
    return MeasureMatrix(table, scale, constant,
                         np.array([ms.structural for ms in measures], dtype=bool), activity)


def _scaled(table: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Each triangle times its factor ``k`` (order kept low <= mode <= high for k < 0)."""
    lo, mo, hi = table[:, 0] * k, table[:, 1] * k, table[:, 2] * k
    return np.column_stack([np.minimum(lo, hi), mo, np.maximum(lo, hi), table[:, 3]])


def year_chance(threshold: float, mm: MeasureMatrix, y: int, *, only: np.ndarray | None = None) -> float:
    """Chance that the measures' saving in year ``y`` is at least ``threshold`` euro."""
    keep = mm.scale[:, y] != 0
    if only is not None:
        keep &= only
    if not keep.any():
        return 1.0 if threshold <= 0 else 0.0
    return chance_closing(threshold, _scaled(mm.table[keep], mm.scale[keep, y])).probability


def simulate_savings(mm: MeasureMatrix, *, draws: int = BAND_DRAWS, seed: int = SEED) -> np.ndarray:
    """Monte Carlo of the measures' total saving per year: shape (draws, Y), euro."""
    rng = np.random.default_rng(seed)
    m = mm.table.shape[0]
    if m == 0:
        return np.zeros((draws, mm.scale.shape[1])) + mm.constant
    u = rng.random((draws, m))
    real = rng.random((draws, m)) < mm.table[:, 3]
    x = draw_triangular(mm.table[:, 0], mm.table[:, 1], mm.table[:, 2], u) * real
    return x @ mm.scale + mm.constant


@dataclass(frozen=True)
class BudgetResult:
    """The meerjarenraming: ``table`` (RESULT_ROWS x years) and ``band`` (BAND_ROWS x years)."""

    table: pd.DataFrame
    band: pd.DataFrame


def meerjarenraming(lasten: pd.DataFrame, baten: pd.DataFrame, measures: Sequence[Measure | Mapping],
                    horizon: Horizon, *, reserve_use=0.0, draws: int = BAND_DRAWS,
                    seed: int = SEED) -> BudgetResult:
    """The result per year, its structural and one-off parts, the saldo band and the chance to close.

    Parameters
    ----------
    lasten : DataFrame
        ``calc.budget.baseline.baseline_lasten``: rows (taakveld, theme), a column per year.
    baten : DataFrame
        ``calc.budget.income.baten`` (its ``Totaal baten`` row is used).
    measures : list of Measure (or mappings with its fields)
        Their ``theme`` must be a theme or taakveld of ``lasten``.
    horizon : Horizon
    reserve_use : number, list or mapping per year
        Onttrekking uit reserves (euro, one-off, positive improves the saldo).
    draws, seed : Monte Carlo settings of the band.

    Returns
    -------
    BudgetResult
    """
    ms = measures_from(measures)
    years = list(horizon.years)
    missing = [y for y in years if y not in lasten.columns or y not in baten.columns]
    if missing:
        raise InputError(f"de lasten of baten missen jaar {missing[0]}", argument="lasten")
    themes = [*lasten.index.get_level_values("theme"), *lasten.index.get_level_values("taakveld")]
    mm = measure_matrix(ms, horizon, themes)
    reserve = per_year(reserve_use, horizon, argument="onttrekking_reserves")
    base = lasten[years].sum(axis=0).to_numpy(dtype=float)
    income = baten.loc[ROW_TOTAL, years].to_numpy(dtype=float)
    planned = mm.table[:, 1:2] * mm.scale           # (m, Y) at the most likely saving
    direct = mm.table[:, 1:2] * mm.active
    indirect = planned - direct
    structural = mm.structural[:, None]
    s_struct = (direct * structural).sum(axis=0)
    s_once = (direct * ~structural).sum(axis=0)
    s_indirect = indirect.sum(axis=0) + mm.constant
    ind_struct = (indirect * structural).sum(axis=0) + mm.constant
    lasten_after = base - s_struct - s_once - s_indirect
    before = income - base
    saldo_struct = before + s_struct + ind_struct
    saldo_once = s_once + (indirect * ~structural).sum(axis=0) + reserve
    table = pd.DataFrame(
        [base, s_struct, s_once, s_indirect, lasten_after, income, before, reserve,
         saldo_struct, saldo_once, saldo_struct + saldo_once],
        index=list(RESULT_ROWS), columns=years)
    return BudgetResult(table, saldo_band(before, reserve, mm, years, draws=draws, seed=seed))


def saldo_band(before: np.ndarray, reserve: np.ndarray, mm: MeasureMatrix, years: Sequence[int], *,
               draws: int = BAND_DRAWS, seed: int = SEED, chances: bool = True) -> pd.DataFrame:
    """P10/P50/P90 of the saldo (Monte Carlo) and the chance each year closes (exact where possible).

    Parameters
    ----------
    before : shape (Y,)
        Saldo before measures and reserves (baten - baseline lasten), euro.
    reserve : shape (Y,)
        Reserve use per year, euro.
    mm : MeasureMatrix
    years : the column labels
    chances : bool
        Also the chance each year closes (the exact method is the slow part: with many
        measures seconds per year); ``False`` gives only P10/P50/P90 (``SD_SALDOBAND``).

    Returns
    -------
    DataFrame with rows ``BAND_ROWS`` (the first three without ``chances``) and a column per
    year.
    """
    before = np.asarray(before, dtype=float)
    reserve = np.asarray(reserve, dtype=float)
    sims = before + reserve + simulate_savings(mm, draws=draws, seed=seed)
    p10, p50, p90 = np.percentile(sims, [10, 50, 90], axis=0)
    if not chances:
        return pd.DataFrame([p10, p50, p90], index=list(BAND_ROWS[:3]), columns=list(years))
    close = [year_chance(-(before[y] + reserve[y] + mm.constant[y]), mm, y) for y in range(len(years))]
    close_struct = [year_chance(-(before[y] + mm.constant[y]), mm, y, only=mm.structural)
                    for y in range(len(years))]
    return pd.DataFrame([p10, p50, p90, close, close_struct], index=list(BAND_ROWS),
                        columns=list(years))
