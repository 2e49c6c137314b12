"""Namen: the names beside the codes.

* the municipality's **aanbiedersregister** (input: AGB code, name), which "Prognose
  bijwerken" reads so the Prognose and Aanbieders sheets show a name beside every AGB code;
  the demo fills it with the names of its invented providers;
* the Iv3 taakvelden and the iJw/iWmo product categories with their descriptions
  (``calc.names``), for reading and for the lookups of other sheets (``nm_taakvelden``).

The register comes from ``ctx.data["aanbieders"]`` (AGB code -> name) or from the register
the prognose carries; otherwise it is empty for the controller to fill or paste.
"""

from __future__ import annotations

from openpyxl import Workbook

from calc.names import PRODUCT_CATEGORIES, TAAKVELDEN
from workbooks import layout, style
from workbooks.context import BuildContext

#: Columns of the reference lists: Iv3 taakvelden (E:F) and product categories (H:J).
IV3_COL, CAT_COL = 5, 8
LAW_LABELS = {"jw": "Jeugdwet", "wmo": "Wmo"}


def register_of(ctx: BuildContext) -> dict[str, str]:
    """The provider register the sheet shows: ``ctx.data["aanbieders"]``, else the one the
    prognose carries."""
    register = ctx.data.get("aanbieders")
    if register is None and ctx.data.get("prognose") is not None:
        register = ctx.data["prognose"].provider_names
    return dict(register or {})


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Namen sheet."""
    ws = wb.create_sheet(layout.NAMEN)
    style.title(ws, "Namen", "Namen bij de codes: het aanbiedersregister van de gemeente, de "
                             "Iv3-taakvelden en de productcategorieën.")
    ws["A3"] = ("Aanbiedersregister: vul per AGB-code de naam in (of plak een export uit uw "
                "eigen systeem). 'Prognose bijwerken' zet de naam naast de AGB-code op de "
                "bladen Prognose en Aanbieders; een code zonder naam verschijnt als 'AGB ...'.")
    ws["A3"].font = style.SUBTITLE
    top, n = layout.REGISTER_ROW, layout.REGISTER_ROWS
    register = sorted(register_of(ctx).items())
    if len(register) > n:
        style.write_data(ws, "A4", f"Let op: {len(register) - n} aanbieders passen niet in het "
                                   f"register (plaats voor {n}).")
    style.header_row(ws, top, 1, ["AGB-code", "Naam aanbieder"])
    for k, (code, name) in enumerate(register[:n]):
        style.write_data(ws, f"A{top + 1 + k}", code)
        style.write_data(ws, f"B{top + 1 + k}", name)
    ref = style.area(top + 1, 1, n, 2)
    style.mark_input(c for row in ws[ref] for c in row)
    for row in ws[style.area(top + 1, 1, n, 1)]:
        row[0].number_format = "@"
    style.define_name(wb, layout.NAME_PROVIDER_REGISTER, ws, ref)

    ws.cell(row=top - 1, column=IV3_COL, value="Iv3-taakvelden").font = style.SUBTITLE
    style.header_row(ws, top, IV3_COL, ["Taakveld", "Omschrijving"])
    for k, (code, text) in enumerate(TAAKVELDEN.items(), start=top + 1):
        ws.cell(row=k, column=IV3_COL, value=code)
        ws.cell(row=k, column=IV3_COL + 1, value=text)
    style.define_name(wb, layout.NAME_NM_TAAKVELDEN, ws,
                      style.area(top + 1, IV3_COL, len(TAAKVELDEN), 2))

    ws.cell(row=top - 1, column=CAT_COL, value="Productcategorieën (iJw en iWmo)"
            ).font = style.SUBTITLE
    style.header_row(ws, top, CAT_COL, ["Productcategorie", "Omschrijving", "Wet"])
    rows = [(code, text, LAW_LABELS[law]) for law, table in PRODUCT_CATEGORIES.items()
            for code, text in table.items()]
    for k, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            cell = ws.cell(row=k, column=CAT_COL + c, value=value)
            cell.number_format = "@"
    style.define_name(wb, layout.NAME_NM_CATEGORIES, ws,
                      style.area(top + 1, CAT_COL, len(rows), 2))
    style.widths(ws, {1: 14, 2: 44, 3: 3, 4: 3, IV3_COL: 10, IV3_COL + 1: 54, 7: 3,
                      CAT_COL: 16, CAT_COL + 1: 54, CAT_COL + 2: 10})
    ws.freeze_panes = f"A{top + 1}"
