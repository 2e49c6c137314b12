"""Start: what this workbook is, for which municipality, and a table of contents."""

from __future__ import annotations

from openpyxl import Workbook

from workbooks import layout, style
from workbooks.context import BuildContext


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Start sheet (the table of contents is added by ``table_of_contents``)."""
    ws = wb.create_sheet(layout.START)
    style.title(ws, f"Begrotingsmodel sociaal domein — {ctx.municipality}",
                "Gemaakt met Grip. Gele cellen zijn invoer, groene cellen rekent Grip uit.")
    ws["A4"], ws["B4"] = "Gemeente", ctx.municipality
    ws["A5"], ws["B5"] = "Begrotingsjaar", ctx.budget_year
    ws["A6"], ws["B6"] = "Versie sjabloon", layout.TEMPLATE_VERSION
    style.write_data(ws, "B4", ctx.municipality)
    style.define_name(wb, layout.NAME_MUNICIPALITY, ws, "B4")
    style.define_name(wb, layout.NAME_VERSION, ws, "B6")
    style.widths(ws, {1: 28, 2: 60})


def table_of_contents(wb: Workbook) -> None:
    """List every sheet with a link, below the header of the Start sheet."""
    ws = wb[layout.START]
    ws["A8"] = "Inhoud"
    ws["A8"].font = style.HEADER
    ws["A8"].fill = style.HEADER_FILL
    ws["B8"].fill = style.HEADER_FILL
    for k, sheet in enumerate(s for s in wb.sheetnames if s != layout.START):
        cell = ws.cell(row=9 + k, column=1, value=sheet)
        quoted = sheet.replace("'", "''")
        cell.hyperlink = f"#'{quoted}'!A1"
        cell.style = "Hyperlink"
        ws.cell(row=9 + k, column=2, value=wb[sheet]["A2"].value)
