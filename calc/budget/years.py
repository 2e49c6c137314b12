"""The horizon of a meerjarenraming and the one helper that broadcasts an assumption per year.

A begroting covers the budget year plus three years (configurable). An assumption such as
the wage index may be given as one number (every year), a list (one per year, in order) or
a mapping ``{year: value}`` (every year of the horizon present); ``per_year`` turns each
into one float per horizon year, or raises a Dutch ``InputError`` naming the argument and
the offending position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from calc.errors import InputError, Problem, raise_if

#: One number, one per year in order, or a mapping year -> value.
PerYear = Union[float, Sequence[float], Mapping[int, float]]


#: Limits of a meerjarenraming: budget years 2000-2100, at most 15 years.
FIRST_YEAR_MIN, FIRST_YEAR_MAX, MAX_YEARS = 2000, 2100, 15


class Horizon(BaseModel):
    """The years of a meerjarenraming.

    Parameters
    ----------
    first_year : int
        The budget year (begrotingsjaar).
    n_years : int
        Number of years including the budget year (default 4: budget year plus three).
    base_year : int, optional
        Year of the starting amounts (e.g. the year-end forecast of the current year);
        default ``first_year - 1``; it may also be ``first_year`` itself (amounts already at
        budget-year prices). Indexation and volume growth apply from the year after.

    >>> Horizon(first_year=2026).years
    (2026, 2027, 2028, 2029)
    """

    model_config = ConfigDict(frozen=True)
    #: Dutch words of the fields in messages (``calc.budget.checks.validated``).
    LABELS: ClassVar[dict[str, str]] = {"first_year": "begrotingsjaar",
                                        "n_years": "aantal jaren", "base_year": "basisjaar"}

    first_year: int = Field(ge=FIRST_YEAR_MIN, le=FIRST_YEAR_MAX)
    n_years: int = Field(default=4, ge=1, le=MAX_YEARS)
    base_year: int | None = None

    @model_validator(mode="after")
    def _base_not_after_first(self) -> "Horizon":
        if self.base_year is not None and self.base_year not in (self.first_year - 1, self.first_year):
            raise ValueError(f"basisjaar {self.base_year} moet het begrotingsjaar {self.first_year} "
                             "of het jaar ervoor zijn")
        return self

    @property
    def start(self) -> int:
        """The year of the starting amounts."""
        return self.first_year - 1 if self.base_year is None else self.base_year

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.first_year + self.n_years))

    @property
    def last_year(self) -> int:
        return self.first_year + self.n_years - 1

    def index_of(self, year: int, *, argument: str, row: int | None = None,
                 column: int | None = None) -> int:
        """Position of ``year`` in the horizon; a Dutch error naming the cell if outside."""
        if year not in self.years:
            raise InputError(
                f"jaar {year} ligt buiten de horizon {self.first_year}-{self.last_year}",
                argument=argument, row=row, column=column)
        return year - self.first_year

    def check_year(self, year: int, *, argument: str, row: int | None = None,
                   column: int | None = None) -> Problem | None:
        """A problem if ``year`` is outside the horizon, else None."""
        if year in self.years:
            return None
        return Problem(f"jaar {year} ligt buiten de horizon {self.first_year}-{self.last_year}",
                       argument, row, column)


def per_year(value: PerYear, horizon: Horizon, *, argument: str) -> np.ndarray:
    """One float per horizon year from a number, a list per year or a mapping per year.

    >>> h = Horizon(first_year=2026, n_years=3)
    >>> per_year(0.02, h, argument="loonindex")
    array([0.02, 0.02, 0.02])
    >>> per_year([0.03, 0.02, 0.02], h, argument="loonindex")
    array([0.03, 0.02, 0.02])
    >>> per_year({2026: 1, 2027: 2, 2028: 3}, h, argument="x")
    array([1., 2., 3.])
    >>> per_year([0.03], h, argument="loonindex")
    Traceback (most recent call last):
    ...
    calc.errors.InputError: verwacht 3 waarden (één per jaar 2026-2028), maar kreeg 1
    """
    n = horizon.n_years
    if isinstance(value, Mapping):
        problems = [horizon.check_year(int(y), argument=argument) for y in value]
        problems += [Problem(f"jaar {y} ontbreekt", argument) for y in horizon.years if y not in value]
        raise_if([p for p in problems if p])
        out = np.array([value[y] for y in horizon.years], dtype=float)
    elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        out = np.full(n, float(value))
    else:
        out = np.asarray(list(value), dtype=float).reshape(-1)
        if out.shape[0] != n:
            raise InputError(
                f"verwacht {n} waarden (één per jaar {horizon.first_year}-{horizon.last_year}), "
                f"maar kreeg {out.shape[0]}", argument=argument)
    bad = np.flatnonzero(~np.isfinite(out))
    raise_if([Problem("waarde is geen eindig getal", argument, None, int(i)) for i in bad])
    return out
