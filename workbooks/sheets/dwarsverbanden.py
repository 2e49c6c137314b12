"""Dwarsverbanden: the effect matrix, a structural shock and its total effect per theme.

The coefficients written here are the demo municipality's *assumptions* (marked
"aanname" on the sheet); a controller replaces them with their own.
"""

from __future__ import annotations

from openpyxl import Workbook

from workbooks import layout, style
from workbooks.context import BuildContext, put_formula

#: Demo themes, effect coefficients A[i][j] (change in theme i per euro in theme j) and shock.
DEMO_THEMES = (
    "Minimabeleid en bijzondere bijstand",
    "Schuldhulpverlening",
    "Bijstand",
    "Preventie en voorliggend veld",
    "Jeugdhulp zonder verblijf",
)
DEMO_MATRIX = (
    (0.0, 0.0, 0.10, 0.0, 0.0),
    (-0.30, 0.0, 0.05, 0.0, 0.0),
    (0.0, -0.50, 0.0, 0.0, 0.0),
    (0.0, 0.0, 0.0, 0.0, 0.0),
    (0.0, 0.0, 0.0, -0.40, 0.0),
)
DEMO_SHOCK = (-200_000.0, 0.0, 0.0, 150_000.0, 0.0)
DEMO_NOTES = (
    "aanname: meer bijstand geeft meer aanvragen bijzondere bijstand",
    "aanname: minder minimabeleid geeft meer schulden; meer bijstand ook",
    "bron: MKBA schuldhulpverlening (rendement ca. 2, ongeveer de helft voor de gemeente)",
    "",
    "aanname: preventie verlaagt de vraag naar jeugdhulp zonder verblijf",
)


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Dwarsverbanden sheet with the SD_TOTAALEFFECT block."""
    ws = wb.create_sheet(layout.DWARSVERBANDEN)
    style.title(ws, "Dwarsverbanden",
                "Hoe een structurele verandering in één thema doorwerkt in de andere thema's.")
    ws["A3"] = ("Cel (rij i, kolom j) van de matrix: directe verandering in thema i per euro "
                "verandering in thema j. De kolom Totaaleffect rekent Grip uit met "
                "SD_TOTAALEFFECT, inclusief de schok zelf.")
    n = len(DEMO_THEMES)
    top = layout.DV_FIRST_ROW
    col = layout.DV_NAME_COL
    shock_col, total_col, note_col = col + n + 1, col + n + 2, col + n + 3
    style.header_row(ws, top, col, ["Thema", *DEMO_THEMES,
                                    "Schok (€ per jaar)", "Totaaleffect (€ per jaar)", "Bron"])
    for i, name in enumerate(DEMO_THEMES):
        r = top + 1 + i
        style.write_data(ws, f"A{r}", name)
        for j in range(n):
            ws.cell(row=r, column=col + 1 + j, value=DEMO_MATRIX[i][j] or None)
        ws.cell(row=r, column=shock_col, value=DEMO_SHOCK[i] or None)
        style.write_data(ws, ws.cell(row=r, column=note_col).coordinate, DEMO_NOTES[i] or None)
    matrix = style.area(top + 1, col + 1, n, n)
    shock = style.area(top + 1, shock_col, n, 1)
    total = style.area(top + 1, total_col, n, 1)
    style.mark_input((c for row in ws[matrix] for c in row), number_format=style.FACTOR)
    style.mark_input((c for row in ws[shock] for c in row), number_format=style.EURO)
    put_formula(ws, ctx, total, f"=SD_TOTAALEFFECT({matrix},{shock})")
    style.mark_output((c for row in ws[total] for c in row), number_format=style.EURO)

    sums = top + n + 2
    ws.cell(row=sums, column=col, value="Totaal schok")
    ws.cell(row=sums + 1, column=col, value="Totaal effect, alle thema's")
    ws.cell(row=sums + 2, column=col, value="Waarvan indirect (via andere thema's)")
    shock_sum = ws.cell(row=sums, column=total_col).coordinate
    total_sum = ws.cell(row=sums + 1, column=total_col).coordinate
    indirect = ws.cell(row=sums + 2, column=total_col).coordinate
    put_formula(ws, ctx, shock_sum, f"=SUM({shock})")
    put_formula(ws, ctx, total_sum, f"=SUM({total})")
    put_formula(ws, ctx, indirect, f"={total_sum}-{shock_sum}")
    style.mark_output((ws[a] for a in (shock_sum, total_sum, indirect)), number_format=style.EURO)

    style.define_name(wb, layout.NAME_DV_THEMES, ws, style.area(top + 1, col, n, 1))
    style.define_name(wb, layout.NAME_DV_MATRIX, ws, matrix)
    style.define_name(wb, layout.NAME_DV_SHOCK, ws, shock)
    style.define_name(wb, layout.NAME_DV_TOTAL, ws, total)
    style.widths(ws, {col: 38, **{col + 1 + j: 14 for j in range(n)},
                      shock_col: 18, total_col: 20, note_col: 70})
    ws.freeze_panes = ws.cell(row=top + 1, column=col + 1)
