"""Opgave business case: a goal with its investment, expected savings, payback year and indicators.

An opgave (for example "minder uithuisplaatsingen") invests first and saves later. Per year
``net = savings - investment``; the payback year is the first year from which the cumulative
net stays at or above zero (``None`` when that does not happen within the years given). The
net present value discounts year ``k`` (0 for the first year) by ``(1 + rate)^k``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from calc.errors import InputError

ROW_INVESTMENT = "Investering"
ROW_SAVINGS = "Verwachte besparing"
ROW_NET = "Netto"
ROW_CUMULATIVE = "Cumulatief netto"
ROW_DISCOUNTED = "Contante waarde netto"


class BusinessCase(BaseModel):
    """One opgave.

    >>> case = BusinessCase(goal="Minder uithuisplaatsingen", themes=("Jeugdhulp met verblijf",),
    ...                     first_year=2026, investment=(400_000, 200_000, 0, 0),
    ...                     savings=(0, 250_000, 450_000, 500_000),
    ...                     indicators=("kosten per cliënt met verblijf",))
    >>> evaluate(case).payback_year
    2028
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    LABELS: ClassVar[dict[str, str]] = {
        "goal": "doel", "themes": "thema's", "first_year": "eerste jaar", "investment": "investering",
        "savings": "besparing", "indicators": "indicatoren", "discount_rate": "disconteringsvoet"}

    goal: str = Field(min_length=1)
    themes: tuple[str, ...] = Field(min_length=1)
    first_year: int = Field(ge=2000, le=2100)
    investment: tuple[float, ...] = Field(min_length=1)
    savings: tuple[float, ...] = Field(min_length=1)
    indicators: tuple[str, ...] = ()
    discount_rate: float = Field(default=0.0, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _same_years(self) -> "BusinessCase":
        if len(self.investment) != len(self.savings):
            raise ValueError(f"investering heeft {len(self.investment)} jaren, besparing "
                             f"{len(self.savings)}: geef voor elk jaar beide")
        if any(not np.isfinite(x) for x in (*self.investment, *self.savings)):
            raise ValueError("investering en besparing moeten eindige getallen zijn")
        if any(x < 0 for x in self.investment):
            raise ValueError("een investering is 0 of meer (een opbrengst hoort bij besparing)")
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.first_year + len(self.savings)))


@dataclass(frozen=True)
class BusinessCaseResult:
    """``table`` (rows above, a column per year), payback year, net present value and total."""

    case: BusinessCase
    table: pd.DataFrame
    payback_year: int | None
    net_present_value: float
    total_net: float


def payback_year(net: Sequence[float], years: Sequence[int]) -> int | None:
    """First year from which the cumulative net stays >= 0.

    >>> payback_year([-100, 50, 60, 10], [2026, 2027, 2028, 2029])
    2028
    >>> payback_year([-100, 50], [2026, 2027]) is None
    True
    """
    cumulative = np.cumsum(np.asarray(net, dtype=float))
    negative = np.flatnonzero(cumulative < 0)
    if negative.size == 0:
        return int(years[0])
    k = int(negative[-1]) + 1
    return int(years[k]) if k < len(years) else None


def evaluate(case: BusinessCase, *, known_themes: Sequence[str] | None = None) -> BusinessCaseResult:
    """Net per year, cumulative, discounted, the payback year; themes checked when given.

    Raises
    ------
    InputError
        A linked theme that is not in ``known_themes``.
    """
    if known_themes is not None:
        for k, theme in enumerate(case.themes):
            if theme not in set(known_themes):
                raise InputError(f"thema '{theme}' van opgave '{case.goal}' staat niet in de "
                                 "basisraming", argument="thema's", row=k)
    inv = np.asarray(case.investment, dtype=float)
    sav = np.asarray(case.savings, dtype=float)
    net = sav - inv
    discount = (1.0 + case.discount_rate) ** -np.arange(net.size)
    table = pd.DataFrame([inv, sav, net, np.cumsum(net), net * discount],
                         index=[ROW_INVESTMENT, ROW_SAVINGS, ROW_NET, ROW_CUMULATIVE, ROW_DISCOUNTED],
                         columns=case.years)
    return BusinessCaseResult(case, table, payback_year(net, case.years),
                              float((net * discount).sum()), float(net.sum()))
