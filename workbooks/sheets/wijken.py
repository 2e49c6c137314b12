"""Wijken: the effect of the scenario spread over districts by a configurable key.

The key (verdeelsleutel) has a header row with the wijk names and one row per theme with
weights, e.g. clients per wijk from the berichtenverkeer; the row ``*`` is the key for
every other theme (here: inhabitants). Each row is normalised, so the wijken add up to the
municipal total (see ``calc.cross_effects.districts``).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from calc import profile
from workbooks import layout, style
from workbooks.context import BuildContext, checked_sum, put_formula

DISTRICTS = profile.DISTRICTS
#: How a few themes' clients spread over the wijken (shares, assumptions); the key scales them
#: to the theme's clients on Thema's, and row * is the profile's inhabitants per wijk.
DEMO_SPREAD = (
    ("Bijstand", (0.38, 0.23, 0.25, 0.14)),
    ("Minimabeleid en bijzondere bijstand", (0.36, 0.24, 0.26, 0.14)),
    ("Schuldhulpverlening", (0.375, 0.225, 0.25, 0.15)),
    ("Jeugdhulp zonder verblijf", (0.225, 0.275, 0.25, 0.25)),
    ("Wmo huishoudelijke hulp", (0.23, 0.31, 0.22, 0.24)),
)


def demo_key(ctx: BuildContext) -> list[tuple]:
    """The demo key: inhabitants per wijk (row *), then clients per wijk of a few themes,
    adding up to the clients of the first theme table on Thema's (one profile)."""
    from workbooks.sheets.themas import catalogues

    clients = {t.name: t.clients for t in catalogues(ctx)[0].themes}
    rows = [("*", *profile.DISTRICT_INHABITANTS)]
    for theme, shares in DEMO_SPREAD:
        total = clients.get(theme)
        if total:
            counts = [round(total * s) for s in shares[:-1]]
            rows.append((theme, *counts, round(total) - sum(counts)))
    return rows
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
    for r, row in enumerate(demo_key(ctx)):
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
        put_formula(ws, ctx, cell.coordinate, checked_sum(f"{letter}{top + 1}:{letter}{total_row - 1}"))
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
