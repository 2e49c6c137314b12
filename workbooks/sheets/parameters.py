"""Parameters: the municipality, the budget year, indexation and the paths the ribbon uses.

Every input has data validation (a typo is stopped with a Dutch message) and a named range
(``workbooks.layout``) through which formulas and the ribbon's jobs read it.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment

from workbooks import fit, layout, style
from workbooks.context import BuildContext, put_formula

#: Demo indexation (wages, prices) per year from the budget year on: assumptions of the demo
#: municipality, to be replaced by the figures of the meicirculaire / CPB.
DEMO_INDEX = ((0.035, 0.022), (0.030, 0.020), (0.028, 0.020), (0.028, 0.020))

HEADER_ROW = 4
ROW_MUNICIPALITY, ROW_YEAR, ROW_STORE, ROW_MESSAGES = 5, 6, 7, 8
ROW_CODE = layout.PAR_CODE_ROW
#: Width of the values column (B): a municipality's name or a short path on one line.
VALUE_WIDTH = 28
INDEX_HEADER_ROW = 10
IMPORT_HEADER_ROW = 17
IMPORT_ROWS, IMPORT_COLS = 10, 4
QUARANTINE_HEADER_ROW = IMPORT_HEADER_ROW + IMPORT_ROWS + 3


def build(wb: Workbook, ctx: BuildContext) -> None:
    ws = wb.create_sheet(layout.PARAMETERS)
    style.title(ws, "Parameters",
                "Algemene invoer: gemeente, begrotingsjaar, indexatie en de bestanden van Grip.")
    style.header_row(ws, HEADER_ROW, 1, ["Parameter", "Waarde", "Toelichting"])
    rows = (
        (ROW_MUNICIPALITY, "Gemeente", ctx.municipality, layout.NAME_MUNICIPALITY,
         "Naam van de gemeente, zoals op de begroting."),
        (ROW_YEAR, "Begrotingsjaar", ctx.budget_year, layout.NAME_BUDGET_YEAR,
         "Het eerste jaar van de begroting; de raming loopt drie jaar verder."),
        (ROW_STORE, "Opslag berichtenverkeer", None, layout.NAME_STORE_PATH,
         "Pad van het opslagbestand van Grip; leeg = naast deze werkmap."),
        (ROW_MESSAGES, "Map met berichten", None, layout.NAME_MESSAGES_PATH,
         "Map met iJw/iWmo-berichten en exports voor de knop Berichtenverkeer inlezen."),
        (ROW_CODE, "Gemeentecode (CBS)", None, layout.NAME_MUNICIPALITY_CODE,
         "Vier cijfers, bijvoorbeeld 0363. Leeg = alle gemeenten in de opslag (een regio)."),
    )
    for row, label, value, name, note in rows:
        ws.cell(row=row, column=1, value=label)
        style.write_data(ws, f"B{row}", value)
        style.mark_input([ws[f"B{row}"]])
        ws.cell(row=row, column=3, value=note)
        style.define_name(wb, name, ws, f"B{row}")
    for row in (ROW_MUNICIPALITY, ROW_STORE, ROW_MESSAGES):
        # a path of 40-80 characters (C:\Users\...\OneDrive - Gemeente ...) wraps in its cell
        # instead of being cut at the next column; the column keeps its width (``VALUE_WIDTH``:
        # a name or a short path on one line), so the wrap does not narrow it to one word
        ws[f"B{row}"].alignment = Alignment(wrap_text=True)
    fit.keep_width(ws, 2)
    ws[f"B{ROW_YEAR}"].number_format = "0"
    ws[f"B{ROW_CODE}"].number_format = "@"        # text: 0363 keeps its leading zero
    style.validation(ws, f"B{ROW_CODE}", "textLength", minimum=0, maximum=6, title="Gemeentecode",
               message="De CBS-code van de gemeente uit de berichten, vier cijfers, "
                       "bijvoorbeeld 0363; leeg = alle gemeenten in de opslag.")
    style.validation(ws, f"B{ROW_YEAR}", "whole", minimum=layout.BUDGET_YEAR_MIN,
               maximum=layout.BUDGET_YEAR_MAX, title="Begrotingsjaar",
               message=f"Een jaar van {layout.BUDGET_YEAR_MIN} tot en met "
                       f"{layout.BUDGET_YEAR_MAX}.")
    style.validation(ws, f"B{ROW_MUNICIPALITY}", "textLength", minimum=1, maximum=100,
               title="Gemeente", message="De naam van de gemeente, hoogstens 100 tekens.")
    style.validation(ws, f"B{ROW_STORE}:B{ROW_MESSAGES}", "textLength", minimum=0, maximum=260,
               title="Pad", message="Een pad van hoogstens 260 tekens (grens van Windows).")

    top = INDEX_HEADER_ROW
    style.header_row(ws, top, 1, ["Jaar", "Loonindex", "Prijsindex", "Bron"])
    for k, (wages, prices) in enumerate(DEMO_INDEX[:layout.INDEX_YEARS]):
        r = top + 1 + k
        put_formula(ws, ctx, f"A{r}", f"=$B${ROW_YEAR}+{k}" if k else f"=$B${ROW_YEAR}")
        ws[f"A{r}"].number_format = "0"
        ws[f"B{r}"], ws[f"C{r}"] = wages, prices
        style.write_data(ws, f"D{r}", "aanname (demo): vervang door meicirculaire / CPB")
    years = style.area(top + 1, 1, layout.INDEX_YEARS, 1)
    index = style.area(top + 1, 2, layout.INDEX_YEARS, 2)
    style.mark_output((c for row in ws[years] for c in row))
    style.mark_input((c for row in ws[index] for c in row), number_format=style.PERCENT)
    style.validation(ws, index, "decimal", minimum=-0.05, maximum=0.25, title="Indexatie",
               message="Een percentage van -5% tot en met 25% (bijvoorbeeld 3,5%).")
    style.define_name(wb, layout.NAME_INDEX_YEARS, ws, years)
    style.define_name(wb, layout.NAME_INDEX, ws, index)

    ws.cell(row=IMPORT_HEADER_ROW - 1, column=1,
            value="Laatste inlezing berichtenverkeer (knop Berichtenverkeer inlezen)")
    style.header_row(ws, IMPORT_HEADER_ROW, 1, ["Onderdeel", "Aantal", "Periode", "Opmerking"])
    out = style.area(IMPORT_HEADER_ROW + 1, 1, IMPORT_ROWS, IMPORT_COLS)
    style.mark_output(c for row in ws[out] for c in row)
    style.define_name(wb, layout.NAME_OUT_IMPORT, ws, out)

    top = QUARANTINE_HEADER_ROW
    ws.cell(row=top - 1, column=1,
            value="Quarantaine van die inlezing per reden (alle records: grip berichten "
                  "quarantaine)")
    style.header_row(ws, top, 1, ["Aantal", "Bedrag (€)", "Eerste voorbeeld (bestand:regel)",
                                  "Reden"])
    out = style.area(top + 1, 1, layout.QUARANTINE_ROWS, 4)
    style.mark_output(c for row in ws[out] for c in row)
    style.mark_output((row[1] for row in ws[out]), number_format=style.EURO_CENTS)
    # the reason is long (it names the allowed values, a totals row's comparison): it wraps
    # inside its column, so a printed page shows it whole
    for row in ws[out]:
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    style.define_name(wb, layout.NAME_OUT_QUARANTINE, ws, out)
    style.widths(ws, {1: 30, 2: VALUE_WIDTH, 3: 30, 4: 50})
