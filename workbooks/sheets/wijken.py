"""Wijken: the effect of the scenario spread over districts by a configurable key.

The key (verdeelsleutel) has a header row with the wijk names and one row per theme with
weights, e.g. clients per wijk from the berichtenverkeer; the row ``*`` is the key for
every other theme (here: inhabitants). Each row is normalised, so the wijken add up to the
municipal total (see ``calc.cross_effects.districts``).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from workbooks import layout, style
from workbooks.context import BuildContext, put_formula

DISTRICTS = ("Centrum", "Noord", "Oost", "Zuid")
#: Demo key: inhabitants (row *) and clients per wijk for a few themes (assumptions).
DEMO_KEY = (
    ("*", 12_000, 15_000, 11_000, 12_000),
    ("Bijstand", 420, 250, 280, 150),
    ("Minimabeleid en bijzondere bijstand", 900, 600, 650, 350),
    ("Schuldhulpverlening", 150, 90, 100, 60),
    ("Jeugdhulp zonder verblijf", 450, 550, 500, 500),
    ("Wmo huishoudelijke hulp", 160, 220, 150, 170),
)
KEY_TOP = 7


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Wijken sheet."""
    ws = wb.create_sheet(layout.WIJKEN)
    style.title(ws, "Wijken", f"Het totaaleffect van de maatregelen per wijk, {ctx.municipality}.")
    ws["A3"] = ("Verdeelsleutel: per thema een gewicht per wijk, bijvoorbeeld het aantal cliënten per wijk. "
                "De regel * geldt voor elk thema zonder eigen regel (hier: inwoners). Grip deelt elke regel "
                "door zijn totaal, dus de wijken tellen op tot het totaal van de gemeente.")
    ws["A4"] = "Wijknamen en gewichten zijn invoer; een lege regel telt niet mee."
    width = 1 + layout.WK_DISTRICTS
    style.header_row(ws, KEY_TOP, 1, ["Thema", *DISTRICTS])
    header = ws[style.area(KEY_TOP, 2, 1, layout.WK_DISTRICTS)][0]
    style.mark_input(header)
    for cell in header:             # the wijk names are input: dark text on the yellow fill
        cell.font = style.INPUT_HEADER
    for r, row in enumerate(DEMO_KEY):
        for c, value in enumerate(row):
            style.write_data(ws, ws.cell(row=KEY_TOP + 1 + r, column=1 + c).coordinate, value,
                             number_format=None if c == 0 else style.NUMBER)
    body = style.area(KEY_TOP + 1, 1, layout.WK_KEY_ROWS, width)
    style.mark_input(c for row in ws[body] for c in row)
    style.dropdown(ws, style.area(KEY_TOP + 2, 1, layout.WK_KEY_ROWS - 1, 1), layout.NAME_TH_NAMES,
                   prompt="Kies een thema; de regel * is de standaardsleutel.")
    key = style.area(KEY_TOP, 1, layout.WK_KEY_ROWS + 1, width)
    if ctx.values_only:                 # the copy to share: no empty rows inside the table
        from workbooks import fit

        fit.hide_empty_rows(ws, KEY_TOP + 1, KEY_TOP + layout.WK_KEY_ROWS, range(1, width + 1))
    style.define_name(wb, layout.NAME_WK_KEY, ws, key)

    top = KEY_TOP + layout.WK_KEY_ROWS + 3
    ws.cell(row=top - 1, column=1, value="Totaaleffect per wijk (€ per jaar)").font = style.SUBTITLE
    style.header_row(ws, top, 1, ["Wijk"] + [""] * layout.MT_YEARS)
    for k in range(layout.MT_YEARS):
        put_formula(ws, ctx, ws.cell(row=top, column=2 + k).coordinate, f"={layout.NAME_MT_FIRST_YEAR}+{k}")
    for w in range(layout.WK_DISTRICTS):
        put_formula(ws, ctx, f"A{top + 1 + w}", f"={ws.cell(row=KEY_TOP, column=2 + w).coordinate}")
    ref = style.area(top + 1, 2, layout.WK_DISTRICTS, layout.MT_YEARS)
    put_formula(ws, ctx, ref, f"=SD_WIJKEN({layout.NAME_SC_TOTAL},{layout.NAME_TH_NAMES},{layout.NAME_WK_KEY})")
    style.mark_output((c for row in ws[ref] for c in row), number_format=style.EURO)
    style.define_name(wb, layout.NAME_WK_RESULT, ws, ref)
    total_row = top + 1 + layout.WK_DISTRICTS
    ws.cell(row=total_row, column=1, value="Samen (gelijk aan het totaal op Scenario's)")
    from openpyxl.utils import get_column_letter

    for k in range(layout.MT_YEARS):
        letter = get_column_letter(2 + k)
        cell = ws.cell(row=total_row, column=2 + k)
        put_formula(ws, ctx, cell.coordinate, f"=SUM({letter}{top + 1}:{letter}{total_row - 1})")
        style.mark_output([cell], number_format=style.EURO)

    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = "Totaaleffect per wijk per jaar (€)"
    chart.add_data(Reference(ws, min_col=1, max_col=1 + layout.MT_YEARS, min_row=top + 1,
                             max_row=top + layout.WK_DISTRICTS), from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=1 + layout.MT_YEARS, min_row=top))
    chart.height, chart.width = 8, 20
    ws.add_chart(chart, f"A{total_row + 3}")
    style.widths(ws, {1: 40, **{c: 13 for c in range(2, 2 + layout.MT_YEARS)}})
