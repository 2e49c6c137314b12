"""Begroting doorrekenen: the meerjarenraming from inputs, and the ribbon button's job.

``run_begroting`` computes the whole raming (baseline, baten under the cliff, measures,
band and chance per year) from plain inputs; without arguments it uses the demo figures of
Gemeente Voorbeeld (``calc.budget.demo``). ``run_button`` is the ribbon macro "Begroting
doorrekenen" (contract in ``grip.jobs``): it reads the Meerjarenraming sheet's named ranges
and returns the output table ``grip_uit_begroting``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from calc.budget import demo
from calc.budget.baseline import baseline_lasten, start_from_forecast
from calc.budget.income import FundScenario, baten
from calc.budget.measures import BudgetResult, Measure, meerjarenraming
from calc.budget.years import Horizon, PerYear
from calc.text import nl_euro
from workbooks import layout

INPUT_NAMES = (layout.NAME_MJR_YEARS, layout.NAME_MJR_SALDO_BEFORE, layout.NAME_MJR_RESERVES,
               layout.NAME_MJR_MEASURES, layout.NAME_MJR_INDIRECT)
OUTPUT_NAMES = (layout.NAME_OUT_BEGROTING,)


def run_begroting(start: pd.DataFrame | None = None, *, forecast=None,
                  coverage: pd.DataFrame | None = None, horizon: Horizon = demo.HORIZON,
                  scenario: FundScenario = demo.SCENARIO, wage_index: PerYear = demo.WAGE_INDEX,
                  price_index: PerYear = demo.PRICE_INDEX, volume_growth: PerYear = demo.VOLUME_GROWTH,
                  algemene_uitkering: PerYear = demo.ALGEMENE_UITKERING,
                  other_income: PerYear = demo.OTHER_INCOME, domain_share: float = demo.DOMAIN_SHARE,
                  measures: Sequence[Measure] | None = None,
                  reserve_use: PerYear = demo.RESERVE_USE) -> BudgetResult:
    """The meerjarenraming; every argument defaults to the demo of Gemeente Voorbeeld.

    ``start`` is the table of starting amounts per taakveld (``calc.budget.baseline``);
    ``forecast`` (a ``calc.prognose`` year-end forecast or its table with ``taakveld``,
    ``theme``, ``forecast_euro``) replaces the lines it covers. Without ``start`` the demo
    figures completed with the forecast exactly as the Meerjarenraming sheet shows them
    (``calc.budget.demo.start_table``), where ``coverage`` (the prognose's per taakveld)
    judges the forecast plausible. The demo measures' start years follow ``horizon``.
    """
    if start is None:
        start = demo.start_table(forecast, coverage)
    elif forecast is not None:
        start = start_from_forecast(forecast, start)
    lasten = baseline_lasten(start, horizon, wage_index=wage_index, price_index=price_index,
                             volume_growth=volume_growth)
    income = baten(horizon, scenario, algemene_uitkering=algemene_uitkering,
                   other_income=other_income, domain_share=domain_share)
    return meerjarenraming(lasten, income, demo.measures(horizon) if measures is None else measures,
                           horizon, reserve_use=reserve_use)


def forecast_lasten(forecast, coverage: pd.DataFrame | None, horizon: Horizon) -> pd.DataFrame:
    """The lasten per taakveld that a forecast covers (and may replace: ``demo.start_table``'s
    gate), indexed over ``horizon`` with the model's wage and price index and volume growth:
    all of a raming that belongs to a municipality whose begroting Grip does not have."""
    start = demo.start_table(forecast, coverage)
    own = start[start["from_forecast"]]
    if own.empty:               # no taakveld of the forecast stands on enough data
        return pd.DataFrame(columns=list(horizon.years))
    return baseline_lasten(own.sort_values("taakveld", kind="stable"), horizon,
                           wage_index=demo.WAGE_INDEX, price_index=demo.PRICE_INDEX,
                           volume_growth=demo.VOLUME_GROWTH)


def lasten_summary(lasten: pd.DataFrame) -> list[str]:
    """Dutch lines for ``grip begroting`` of another municipality: its forecast's lasten."""
    years = list(lasten.columns)
    if lasten.empty:
        return ["Geen lasten uit de prognose: geen taakveld van de prognose staat op genoeg "
                "gegevens (zie de dekking hierboven); lees meer maanden of meer berichten in."]
    labels = [f"{tv} {theme}" for tv, theme in lasten.index]
    width = max(len(label) for label in [*labels, "Totaal"])
    lines = [f"Lasten uit de prognose {years[0]}-{years[-1]} (geïndexeerd met de loon- en "
             "prijsindex en de volumegroei van het begrotingsmodel)", "",
             " " * width + "".join(f"{y:>16}" for y in years)]
    for label, (_, row) in zip(labels, lasten.iterrows()):
        lines.append(f"{label:<{width}}" + "".join(f"{nl_euro(v):>16}" for v in row))
    lines.append(f"{'Totaal':<{width}}" + "".join(f"{nl_euro(v):>16}" for v in lasten.sum()))
    return lines


def run_button(inputs: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    """Ribbon "Begroting doorrekenen": the band and the chance per year from the sheet's ranges.

    Reads the computed values of the years, the saldo before measures, the reserve use, the
    measures (laag, waarschijnlijk, hoog, startjaar, structureel, kans) and their indirect
    effects; returns ``grip_uit_begroting``: per year P10, P50, P90, chance closing and chance
    closing structurally.
    """
    from calc import cells
    from addin.udfs.begroting import measure_matrix_from_ranges, years_row
    from calc.budget.measures import saldo_band

    years = years_row(inputs[layout.NAME_MJR_YEARS], layout.NAME_MJR_YEARS)
    horizon = Horizon(first_year=years[0], n_years=len(years))
    before = cells.to_vector(inputs[layout.NAME_MJR_SALDO_BEFORE], layout.NAME_MJR_SALDO_BEFORE,
                             empty=None)
    reserve = cells.to_vector(inputs[layout.NAME_MJR_RESERVES], layout.NAME_MJR_RESERVES)
    mm = measure_matrix_from_ranges(inputs[layout.NAME_MJR_MEASURES], inputs[layout.NAME_MJR_INDIRECT],
                                    horizon, argument=layout.NAME_MJR_MEASURES,
                                    indirect_argument=layout.NAME_MJR_INDIRECT)
    band = saldo_band(before, reserve, mm, years)
    table = [[float(y), *(float(band.loc[r, y]) for r in band.index)] for y in years]
    return {layout.NAME_OUT_BEGROTING: table}


def summary(result: BudgetResult) -> list[str]:
    """Dutch lines for ``grip begroting``."""
    t, band = result.table, result.band
    years = list(t.columns)
    lines = [f"Meerjarenraming {years[0]}-{years[-1]} — {layout.MEERJARENRAMING} "
             f"(scenario: korting {demo.CUT_LABEL} vanaf {demo.CUT_FROM}, Hervormingsagenda "
             f"{demo.REFORM_LABEL} vanaf {demo.REFORM_FROM})", ""]
    width = max(len(str(r)) for r in [*t.index, *band.index])
    lines.append(" " * width + "".join(f"{y:>16}" for y in years))
    for label, row in t.iterrows():
        lines.append(f"{label:<{width}}" + "".join(f"{nl_euro(v):>16}" for v in row))
    for label, row in band.iterrows():
        fmt = (lambda v: f"{100 * v:.0f}%") if str(label).startswith("Kans") else nl_euro
        lines.append(f"{label:<{width}}" + "".join(f"{fmt(v):>16}" for v in row))
    return lines
