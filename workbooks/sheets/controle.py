"""Controle: the list the button "Werkmap controleren" writes (cell link, kind, message)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment

from workbooks import fit, layout, style
from workbooks.context import BuildContext

HEADER_ROW = 5
NOT_CHECKED = "Nog niet gecontroleerd: klik op 'Werkmap controleren' op het lint Grip."


def build(wb: Workbook, ctx: BuildContext) -> None:
    ws = wb.create_sheet(layout.CONTROLE)
    style.title(ws, "Controle",
                "Invoer buiten de grenzen, de invoer die foutmeldingen veroorzaakt (bovenaan: "
                "begin daar), kapotte verwijzingen en foutmeldingen.")
    ws["A3"] = ("Deze lijst vult de knop Werkmap controleren op het tabblad Grip "
                "(of: grip werkmap controleren PAD). Klik op een cel om ernaartoe te gaan.")
    style.header_row(ws, HEADER_ROW, 1, ["Cel", "Soort", "Melding"])
    out = style.area(HEADER_ROW + 1, 1, layout.CONTROLE_ROWS, 3)
    style.mark_output(c for row in ws[out] for c in row)
    for (message,) in ws[style.area(HEADER_ROW + 1, 3, layout.CONTROLE_ROWS, 1)]:
        message.alignment = Alignment(wrap_text=True, vertical="top")   # a cause's long text
    # until the button has run, the list says so (the button writes 'geen meldingen' when clean)
    ws.cell(row=HEADER_ROW + 1, column=3, value=NOT_CHECKED)
    style.define_name(wb, layout.NAME_OUT_CONTROLE, ws, out)
    style.widths(ws, {1: 28, 2: 26, 3: 100})
    fit.keep_width(ws, 1, 2, 3)         # the list the button fills later needs the room
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
