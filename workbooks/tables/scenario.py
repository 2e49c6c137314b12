"""The Monte Carlo table of the sheet Scenario's and the button "Scenario doorrekenen"
(named range ``grip_uit_scenario``): per theme and the total, per year, P10/P50/P90."""

from __future__ import annotations

from addin.convert import Rows, fixed_rows
from calc.cross_effects.scenario import ScenarioEffects
from calc.errors import InputError


#: The label of the total rows of the Monte Carlo table.
TOTAL_LABEL = "Totaal alle thema's"


def band_table(effects: ScenarioEffects, *, rows: int | None = None,
               total_label: str = TOTAL_LABEL) -> Rows:
    """The Monte Carlo table: per theme and the total, per year: thema, jaar, P10, P50, P90.

    Themes first (in catalogue order, years inside), then the total rows. With ``rows`` the
    table is placed in a fixed range (``fixed_rows``: padded with empty rows, refused if it
    does not fit).
    """
    if effects.bands is None or effects.total_bands is None:
        raise InputError("er is geen Monte Carlo gedraaid (trekkingen = 0)", argument="trekkingen")
    out = []
    for k, theme in enumerate(effects.themes):
        for j, year in enumerate(effects.years):
            out.append([theme, year, *(float(b[k, j]) for b in effects.bands)])
    for j, year in enumerate(effects.years):
        out.append([total_label, year, *(float(b[j]) for b in effects.total_bands)])
    if rows is None:
        return out
    return fixed_rows(out, rows, 2 + len(effects.quantiles))
