"""Maatregelen: the policy knobs (beleidsknoppen) the controller switches on and off.

One row per measure: on/off, name, theme (dropdown of the Thema's sheet), euro or volume,
low / most likely / high amount per year, start year, ramp-up years, structural or one-off.
Scenario's and Wijken compute from the measures that are switched on.
"""

from __future__ import annotations

from openpyxl import Workbook

from calc.cross_effects import MEASURE_COLUMNS, Measure, measures_to_rows
from workbooks import fit, layout, style
from workbooks.context import BuildContext

HEADERS = ("Aan", "Maatregel", "Thema", "Soort", "Laag", "Verwacht", "Hoog", "Startjaar",
           "Aanloop (jaren)", "Structureel", "Scenario's")
FORMATS = (None, None, None, None, style.NUMBER, style.NUMBER, style.NUMBER, "0", "0", None, None)
FIRST_ROW = 9
#: The earliest start year a measure may have (an older one is structural from the first year).
START_YEAR_MIN = 2000


def demo_measures(year: int) -> tuple[Measure, ...]:
    """The demo's measures: two switched on, two ready to switch on."""
    return (
        Measure(name="Meer schuldhulpverlening", theme="Schuldhulpverlening", low=100_000, mode=200_000,
                high=250_000, start_year=year, ramp_years=2, scenarios=("Investeren",)),
        Measure(name="Korting minimabeleid", theme="Minimabeleid en bijzondere bijstand", low=-300_000,
                mode=-200_000, high=-100_000, start_year=year + 1, scenarios=("Bezuinigen",)),
        Measure(name="Extra preventie jeugd", theme="Preventie en voorliggend veld", low=100_000,
                mode=150_000, high=200_000, start_year=year, ramp_years=3, active=False,
                scenarios=("Investeren",)),
        Measure(name="40 extra re-integratietrajecten", theme="Re-integratie", kind="volume", low=30,
                mode=40, high=50, start_year=year, active=False),
    )


def measures(ctx: BuildContext) -> tuple[Measure, ...]:
    """The measures the sheet shows (a job may hand its own in ``ctx.data``)."""
    data = ctx.data.get("dwarsverbanden", {}) if isinstance(ctx.data.get("dwarsverbanden"), dict) else {}
    return tuple(data.get("measures") or demo_measures(ctx.budget_year))


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Maatregelen sheet."""
    ws = wb.create_sheet(layout.MAATREGELEN)
    style.title(ws, "Maatregelen", "Beleidsknoppen: zet een maatregel aan en zie het effect op elk thema.")
    ws["A3"] = ("Bedrag per jaar in euro (soort euro) of in cliënten (soort volume, gerekend met de kosten "
                "per cliënt van het thema). Negatief is een bezuiniging. Aanloop: in zoveel jaren naar het "
                "volle effect. Niet structureel: alleen in het startjaar. Scenario's: de namen van de "
                "scenario's waar de maatregel bij hoort, met komma's; leeg = alle scenario's.")
    ws["A5"], ws["A6"] = "Eerste jaar van de uitkomst", "Aantal jaren"
    ws["B5"], ws["B6"] = ctx.budget_year, layout.MT_YEARS
    ws["C6"] = "vast: de uitkomsten op Scenario's en Wijken hebben 10 kolommen"
    style.mark_input([ws["B5"]], number_format="0")
    style.define_name(wb, layout.NAME_MT_FIRST_YEAR, ws, "B5")
    style.define_name(wb, layout.NAME_MT_YEARS, ws, "B6")

    style.header_row(ws, FIRST_ROW - 1, 1, HEADERS)
    rows = measures_to_rows(measures(ctx))
    if len(rows) > layout.MT_ROWS:
        raise ValueError(f"the sheet holds {layout.MT_ROWS} measures, got {len(rows)}")
    for r, row in enumerate(rows):
        for c, (value, fmt) in enumerate(zip(row, FORMATS)):
            style.write_data(ws, ws.cell(row=FIRST_ROW + r, column=1 + c).coordinate, value, number_format=fmt)
    width = len(MEASURE_COLUMNS)
    ref = style.area(FIRST_ROW, 1, layout.MT_ROWS, width)
    style.mark_input(c for row in ws[ref] for c in row)
    for c, fmt in enumerate(FORMATS):
        if fmt:
            for (cell,) in ws[style.area(FIRST_ROW, 1 + c, layout.MT_ROWS, 1)]:
                cell.number_format = fmt
    n = layout.MT_ROWS
    style.dropdown(ws, style.area(FIRST_ROW, 1, n, 1), "ja,nee", prompt="ja = de maatregel telt mee.")
    style.dropdown(ws, style.area(FIRST_ROW, 3, n, 1), layout.NAME_TH_NAMES,
                   prompt="Kies een thema van het blad Thema's.")
    style.dropdown(ws, style.area(FIRST_ROW, 4, n, 1), "euro,volume")
    style.dropdown(ws, style.area(FIRST_ROW, 10, n, 1), "ja,nee", prompt="nee = eenmalig, alleen in het startjaar.")
    # a start year after the last year of the outcomes counts in no year at all (2062 for
    # 2026 took the measure out of every total without a word): refused as it is typed, and
    # 'grip werkmap controleren' names a pasted one
    last = layout.MT_YEARS - 1
    style.validation(ws, style.area(FIRST_ROW, 8, n, 1), "whole", minimum=START_YEAR_MIN,
                     maximum=f"$B$5+{last}", title="Startjaar",
                     message=f"Een jaar van {START_YEAR_MIN} tot en met het laatste jaar van de "
                             f"uitkomsten (het eerste jaar in B5 plus {last}); een latere "
                             "maatregel telt in geen enkel jaar mee.")
    style.validation(ws, style.area(FIRST_ROW, 9, n, 1), "whole", minimum=0,
                     maximum=layout.MT_YEARS, title="Aanloop",
                     message=f"Een heel aantal jaren van 0 tot en met {layout.MT_YEARS}.")
    style.define_name(wb, layout.NAME_MT_MEASURES, ws, ref)
    if ctx.values_only:                 # the copy to share: no empty rows inside the table
        fit.hide_empty_rows(ws, FIRST_ROW, FIRST_ROW + n - 1, range(1, width + 1))
    style.widths(ws, {1: 28, 2: 34, 3: 36, 4: 10, 5: 13, 6: 13, 7: 13, 8: 10, 9: 10, 10: 12, 11: 24})
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
