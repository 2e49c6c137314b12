"""Baten: the algemene uitkering under the gemeentefonds cut (the 2026 cliff) as a scenario.

The national cut and the Hervormingsagenda Jeugd savings are national amounts in billion
euro; a municipality carries its share of the gemeentefonds:

    cut[y] = algemene_uitkering[y] / (fund_bn * 1e9) * national_bn * 1e9   for y >= from_year

Published sizes of the cut vary by date and scope (2.0, 2.3, 2.4 or 3.4 billion euro; the
fund is about 47.5 billion in 2026); the Hervormingsagenda books about 1.0 billion (2023
agreement), later 1.5 billion, from 2028 (DOMAIN.md 2.4). We book the reform savings as an
uitname from the fund (lower baten); savings the municipality itself realises on youth care
are measures (``calc.budget.measures``).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from calc.budget.checks import share_problem, validated
from calc.budget.years import Horizon, PerYear, per_year
from calc.errors import InputError, Problem, raise_if

#: Size of the gemeentefonds in 2026, billion euro.
FUND_BN = 47.5
#: Published national cuts of the gemeentefonds, billion euro (label as on the sheet).
CUT_SCENARIOS: dict[str, float] = {"2,0 mld": 2.0, "2,3 mld": 2.3, "2,4 mld": 2.4, "3,4 mld": 3.4}
#: Hervormingsagenda Jeugd savings, billion euro.
REFORM_SCENARIOS: dict[str, float] = {"geen": 0.0, "1,0 mld": 1.0, "1,5 mld": 1.5}

#: Row labels of the baten table.
ROW_AU = "Algemene uitkering (vóór korting)"
ROW_CUT = "Korting gemeentefonds"
ROW_REFORM = "Uitname Hervormingsagenda Jeugd"
ROW_OTHER = "Overige baten"
ROW_TOTAL = "Totaal baten"


#: What the gemeentefonds can be, billion euro (it was 30-50 in 2015-2026): a fund typed in
#: million (47.500) made the municipality's cut a thousand times too small, in silence.
FUND_RANGE_BN = (10.0, 200.0)
#: The smallest algemene uitkering a municipality has (the Wadden islands get several
#: million a year): an amount typed in million (99 for 99.000.000) is below it.
MIN_ALGEMENE_UITKERING = 1_000_000.0


def municipal_cut(algemene_uitkering: float, national_cut_bn: float, fund_bn: float = FUND_BN) -> float:
    """The municipality's part of a national cut of the gemeentefonds, euro per year (positive).

    >>> round(municipal_cut(95_000_000, 2.4))
    4800000
    >>> municipal_cut(60e9, 2.4)
    Traceback (most recent call last):
    ...
    calc.errors.InputError: aandeel 126,3% ligt boven 100%
    >>> municipal_cut(95_000_000, 2.4, 47_500)
    Traceback (most recent call last):
    ...
    calc.errors.InputError: een gemeentefonds van 47500 mld is niet aannemelijk (tussen 10 en 200 mld): het bedrag is in miljard euro, bedoelt u 47,5?
    """
    from calc.cells import nl
    from calc.text import nl_number

    problems: list[Problem] = []
    low, high = FUND_RANGE_BN
    if not np.isfinite(fund_bn) or fund_bn <= 0:
        problems.append(Problem("de omvang van het gemeentefonds moet groter zijn dan 0", "fonds_mld"))
    elif not low <= fund_bn <= high:
        meant = f", bedoelt u {nl(fund_bn / 1000)}?" if low <= fund_bn / 1000 <= high else ""
        problems.append(Problem(f"een gemeentefonds van {nl(fund_bn)} mld is niet aannemelijk "
                                f"(tussen {nl(low)} en {nl(high)} mld): het bedrag is in miljard "
                                f"euro{meant}", "fonds_mld"))
    if not np.isfinite(national_cut_bn) or national_cut_bn < 0:
        problems.append(Problem("de landelijke korting moet 0 of meer zijn (in miljard euro)",
                                "landelijke_korting_mld"))
    elif np.isfinite(fund_bn) and fund_bn > 0 and national_cut_bn > fund_bn:
        problems.append(Problem(f"de landelijke korting ({nl(national_cut_bn)} mld) is groter dan "
                                f"het gemeentefonds ({nl(fund_bn)} mld)", "landelijke_korting_mld"))
    if not np.isfinite(algemene_uitkering) or algemene_uitkering < 0:
        problems.append(Problem("de algemene uitkering moet 0 of meer zijn (euro per jaar)",
                                "algemene_uitkering"))
    elif 0 < algemene_uitkering < MIN_ALGEMENE_UITKERING:
        problems.append(Problem(f"een algemene uitkering van € {nl(algemene_uitkering)} per jaar is "
                                "niet aannemelijk (de kleinste gemeente krijgt enkele miljoenen): het "
                                f"bedrag is in euro, bedoelt u € {nl_number(algemene_uitkering * 1e6, 0)}?",
                                "algemene_uitkering"))
    raise_if(problems)
    share = algemene_uitkering / (fund_bn * 1e9)
    problem = share_problem(share, argument="algemene_uitkering")
    raise_if([problem] if problem else [])
    return share * national_cut_bn * 1e9


class FundScenario(BaseModel):
    """The cliff scenario: national cut and reform savings, each from a year.

    >>> FundScenario(national_cut_bn=2.4, cut_from_year=2026).reform_from_year
    2028
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    #: Dutch words of the fields in messages (``calc.budget.checks.validated``).
    LABELS: ClassVar[dict[str, str]] = {
        "national_cut_bn": "landelijke korting (mld)", "cut_from_year": "korting vanaf",
        "reform_bn": "Hervormingsagenda (mld)", "reform_from_year": "Hervormingsagenda vanaf",
        "fund_bn": "gemeentefonds (mld)"}

    national_cut_bn: float = Field(ge=0, le=FUND_BN, allow_inf_nan=False)
    cut_from_year: int = Field(ge=2020, le=2100)
    reform_bn: float = Field(default=0.0, ge=0, le=FUND_BN, allow_inf_nan=False)
    reform_from_year: int = Field(default=2028, ge=2020, le=2100)
    fund_bn: float = Field(default=FUND_BN, gt=0, allow_inf_nan=False)

    @classmethod
    def from_labels(cls, cut: str, cut_from_year: int, reform: str = "geen",
                    reform_from_year: int = 2028, *, custom_cut_bn: float | None = None,
                    fund_bn: float = FUND_BN) -> "FundScenario":
        """From the sheet's dropdown labels ("2,4 mld", ... or "eigen bedrag")."""
        if cut in CUT_SCENARIOS:
            national = CUT_SCENARIOS[cut]
        elif cut == "eigen bedrag" and custom_cut_bn is not None:
            national = custom_cut_bn
        else:
            raise InputError(f"onbekend kortingsscenario '{cut}' (kies uit "
                             f"{', '.join(CUT_SCENARIOS)} of eigen bedrag)", argument="korting")
        if reform not in REFORM_SCENARIOS:
            raise InputError(f"onbekend scenario Hervormingsagenda '{reform}' (kies uit "
                             f"{', '.join(REFORM_SCENARIOS)})", argument="hervormingsagenda")
        return validated(cls, dict(national_cut_bn=national, cut_from_year=cut_from_year,
                                   reform_bn=REFORM_SCENARIOS[reform],
                                   reform_from_year=reform_from_year, fund_bn=fund_bn),
                         argument="scenario")


def baten(horizon: Horizon, scenario: FundScenario, *, algemene_uitkering: PerYear,
          other_income: PerYear = 0.0, domain_share: float = 1.0) -> pd.DataFrame:
    """Baten per year under the scenario, euro (cuts as negative amounts).

    Parameters
    ----------
    horizon : Horizon
    scenario : FundScenario
    algemene_uitkering : number, list or mapping per year
        The algemene uitkering before the cut (e.g. from the latest circulaire), euro.
    other_income : number, list or mapping per year
        Other baten of the sociaal domein (rijksbijdragen, eigen bijdragen ...), euro.
    domain_share : float
        Part of the algemene uitkering, and so of the cut, that the sociaal domein carries
        (fraction 0-1; 1 books the whole algemene uitkering here).

    Returns
    -------
    DataFrame with rows ``ROW_AU, ROW_CUT, ROW_REFORM, ROW_OTHER, ROW_TOTAL`` and a column
    per year.

    >>> b = baten(Horizon(first_year=2026, n_years=3),
    ...           FundScenario(national_cut_bn=2.4, cut_from_year=2026, reform_bn=1.0),
    ...           algemene_uitkering=95_000_000)
    >>> b.loc[ROW_CUT].tolist(), b.loc[ROW_REFORM].tolist()
    ([-4800000.0, -4800000.0, -4800000.0], [0.0, 0.0, -2000000.0])
    """
    for field, year, amount in (("cut_from_year", scenario.cut_from_year, scenario.national_cut_bn),
                                ("reform_from_year", scenario.reform_from_year, scenario.reform_bn)):
        if amount and year > horizon.last_year:
            raise InputError(f"jaar {year} ligt buiten de horizon {horizon.first_year}-"
                             f"{horizon.last_year}", argument=field)
    problem = share_problem(float(domain_share), argument="aandeel_sociaal_domein")
    raise_if([problem] if problem else [])
    au = per_year(algemene_uitkering, horizon, argument="algemene_uitkering")
    other = per_year(other_income, horizon, argument="overige_baten")
    years = np.array(horizon.years)
    cut = np.array([municipal_cut(a, scenario.national_cut_bn, scenario.fund_bn) for a in au])
    reform = np.array([municipal_cut(a, scenario.reform_bn, scenario.fund_bn) for a in au])
    cut = -np.where(years >= scenario.cut_from_year, cut, 0.0)
    reform = -np.where(years >= scenario.reform_from_year, reform, 0.0)
    au, cut, reform = au * domain_share, cut * domain_share, reform * domain_share
    rows = {ROW_AU: au, ROW_CUT: cut, ROW_REFORM: reform, ROW_OTHER: other,
            ROW_TOTAL: au + cut + reform + other}
    return pd.DataFrame(rows, index=list(horizon.years)).T
