"""Start: what this workbook is, for which municipality, and a table of contents."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from workbooks import fit, layout, style
from workbooks.context import BuildContext, put_formula


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Start sheet (the table of contents is added by ``table_of_contents``)."""
    ws = wb.create_sheet(layout.START)
    style.title(ws, f"Begrotingsmodel sociaal domein — {ctx.municipality}",
                "Gemaakt met Grip. Gele cellen zijn invoer, groene cellen rekent Grip uit.")
    ws["A4"], ws["A5"] = "Gemeente", "Begrotingsjaar"
    ws["A6"], ws["B6"] = "Versie sjabloon", layout.TEMPLATE_VERSION
    # the inputs live on Parameters; Start shows them
    put_formula(ws, ctx, "B4", f"={_ref(layout.PARAMETERS)}!B5")
    put_formula(ws, ctx, "B5", f"={_ref(layout.PARAMETERS)}!B6")
    ws["B5"].number_format = "0"
    ws["B5"].alignment = style.Alignment(horizontal="left")
    style.define_name(wb, layout.NAME_VERSION, ws, "B6")
    style.widths(ws, {1: 28, 2: 60})


def _ref(sheet: str) -> str:
    """A sheet name as a formula reference (quoted when needed)."""
    from openpyxl.utils.cell import quote_sheetname

    return quote_sheetname(sheet)


def table_of_contents(wb: Workbook) -> None:
    """List every sheet with a link, below the header of the Start sheet."""
    ws = wb[layout.START]
    ws.column_dimensions["B"].width = 100       # one line per sheet description
    fit.keep_width(ws, 2)
    ws["A8"] = "Inhoud"
    ws["A8"].font = style.HEADER
    ws["A8"].fill = style.HEADER_FILL
    ws["B8"].fill = style.HEADER_FILL
    for k, sheet in enumerate(s for s in wb.sheetnames if s != layout.START):
        cell = ws.cell(row=9 + k, column=1, value=sheet)
        quoted = sheet.replace("'", "''")
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1")
        cell.style = "Hyperlink"
        ws.cell(row=9 + k, column=2, value=wb[sheet]["A2"].value)
