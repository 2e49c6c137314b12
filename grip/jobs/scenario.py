"""The ribbon button "Scenario doorrekenen": the Monte Carlo of the scenario on the sheets.

Reads the theme table, the links and the measures of the workbook (named ranges), runs
10,000 draws through ``calc.cross_effects.scenario_effects`` and returns the table
``grip_uit_scenario`` (thema, jaar, P10, P50, P90 per theme and for the total) for the
fixed range on Scenario's. Free of Excel: ``grip.buttons`` reads and writes the ranges.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from calc import cells
from calc.cross_effects import (
    EffectModel,
    Measure,
    Scenario,
    ScenarioEffects,
    compare_scenarios,
    load_model,
    load_scenarios,
    scenario_effects,
    scenarios_from_measures,
)
from calc import profile
from calc.text import nl_euro
from calc.cross_effects.scenario import check_draws, model_from_rows
from calc.errors import InputError
from workbooks import layout
from workbooks.tables.scenario import band_table

INPUT_NAMES = (layout.NAME_TH_THEMES, layout.NAME_DV_LINKS, layout.NAME_MT_MEASURES,
               layout.NAME_MT_FIRST_YEAR, layout.NAME_MT_YEARS)
OUTPUT_NAMES = (layout.NAME_OUT_SCENARIO,)
#: Draws of the button (the sheet formulas use fewer, for speed while typing).
DRAWS = profile.DRAWS
SEED = 1


def run_scenario(model: EffectModel, scenario: Scenario | Sequence[Measure], *, first_year: int,
                 years: int = layout.MT_YEARS, draws: int = DRAWS, seed: int = SEED) -> ScenarioEffects:
    """The scenario with its Monte Carlo band (P10, P50, P90 per theme and year)."""
    return scenario_effects(model, scenario, first_year=first_year, years=years, draws=draws, seed=seed)


def model_from_inputs(inputs: dict[str, list[list]]) -> tuple[EffectModel, tuple[Measure, ...], int, int]:
    """The effect model, the measures, the first year and the number of years from the named
    ranges of a begrotingsmodel (rows as Excel hands them over)."""
    missing = [name for name in INPUT_NAMES if name not in inputs]
    if missing:
        raise InputError(f"het werkboek mist de benoemde bereiken {', '.join(missing)}", argument="werkboek")
    first = cells.to_whole(inputs[layout.NAME_MT_FIRST_YEAR], layout.NAME_MT_FIRST_YEAR, minimum=1900)
    years = cells.to_whole(inputs[layout.NAME_MT_YEARS], layout.NAME_MT_YEARS, minimum=1)
    model, measures = model_from_rows(inputs[layout.NAME_TH_THEMES], inputs[layout.NAME_DV_LINKS],
                                      inputs[layout.NAME_MT_MEASURES], default_year=first)
    return model, measures, first, years


def read_inputs(workbook: str | Path, names: Sequence[str] = INPUT_NAMES) -> dict[str, list[list]]:
    """The named ranges of a saved begrotingsmodel as rows of cell values (what the button reads)."""
    from openpyxl.utils.cell import range_boundaries

    from workbooks.safety import open_workbook

    wb = open_workbook(workbook, read_only=True)
    out = {}
    for name in names:
        if name not in wb.defined_names:
            raise InputError(f"de werkmap heeft geen bereik {name}; is het een begrotingsmodel met de "
                             "bladen Thema's, Dwarsverbanden en Maatregelen?", argument="werkmap")
        sheet, ref = wb.defined_names[name].attr_text.split("!")
        ws = wb[sheet.strip("'").replace("''", "'")]
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        out[name] = [list(row) for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col,
                                                       max_col=max_col, values_only=True)]
    return out


def model_from_workbook(workbook: str | Path) -> tuple[EffectModel, tuple[Measure, ...], int, int]:
    """The effect model (municipality A), measures, first year and years of a saved begrotingsmodel."""
    return model_from_inputs(read_inputs(workbook))


def run_button(inputs: dict[str, list[list]]) -> dict[str, list[list]]:
    """Named ranges in (rows as Excel hands them over), ``grip_uit_scenario`` out (fixed size)."""
    model, measures, first, years = model_from_inputs(inputs)
    result = run_scenario(model, measures, first_year=first, years=years)
    rows = (layout.TH_ROWS + 1) * layout.MT_YEARS
    return {layout.NAME_OUT_SCENARIO: band_table(result, rows=rows)}


def scenario_report(measures_file: str | Path, *, themes_file: str | Path | None = None,
                    links_file: str | Path | None = None, first_year: int, years: int = layout.MT_YEARS,
                    draws: int = DRAWS, seed: int = SEED) -> tuple[list[str], pd.DataFrame]:
    """``grip scenario``: every scenario of a measure table file through the model (CSV files,
    package defaults where none is given), or of a saved begrotingsmodel (.xlsx: its Thema's,
    Dwarsverbanden and Maatregelen of the first municipality, and its first year). Returns the Dutch lines to print and the long table
    (scenario, thema, jaar, direct, indirect, totaal, p10, p50, p90)."""
    if Path(measures_file).suffix.lower() in (".xlsx", ".xlsm"):
        model, measures, first_year, _ = model_from_workbook(measures_file)
        scenarios = scenarios_from_measures([m for m in measures if m.active])
    else:
        model = load_model(themes_file, links_file)
        scenarios = load_scenarios(measures_file, catalogue=model.catalogue)
    check_draws(draws, years)    # the report prints a band: without draws there is none
    results = compare_scenarios(model, scenarios, first_year=first_year, years=years, draws=draws, seed=seed)
    lines = [f"Dwarsverbanden: {len(model.names)} thema's, {len(model.links)} verbanden, "
             f"{draws} trekkingen; bedragen in € per jaar, alle thema's samen (negatief = besparing)"]
    for name, fx in results.items():
        active = sum(m.active for m in next(s for s in scenarios if s.name == name).measures)
        lines += ["", f"Scenario {name} ({active} maatregelen aan)",
                  f"  {'jaar':<6}{'direct':>14}{'indirect':>14}{'totaal':>14}{'P10':>14}{'P90':>14}"]
        for k, year in enumerate(fx.years):
            lines.append(f"  {year:<6}" + "".join(f"{nl_euro(v):>14}" for v in (
                fx.direct[:, k].sum(), fx.indirect[:, k].sum(), fx.total[:, k].sum(),
                fx.total_bands[0, k], fx.total_bands[-1, k])))
    table = pd.concat([fx.to_frame() for fx in results.values()], ignore_index=True)
    return lines, table
