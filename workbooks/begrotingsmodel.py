"""The begrotingsmodel: every sheet, in order, from its own builder module."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.workbook.properties import CalcProperties

from workbooks import fit, layout, printing, style
from workbooks.context import BuildContext
from workbooks.protection import protect
from workbooks.sheets import (
    aanbieders,
    controle,
    dwarsverbanden,
    gripniveau,
    maatregelen,
    meerjarenraming,
    namen,
    parameters,
    prognose,
    samenvatting,
    scenarios,
    start,
    themas,
    toelichting,
    wijken,
)

#: Sheet builders in workbook order; each module has ``build(wb, ctx)``.
SHEETS = (
    start,
    samenvatting,
    parameters,
    themas,
    dwarsverbanden,
    maatregelen,
    scenarios,
    meerjarenraming,
    prognose,
    aanbieders,
    gripniveau,
    wijken,
    namen,
    toelichting,
    controle,
)


def build_workbook(ctx: BuildContext | None = None) -> Workbook:
    """Build the begrotingsmodel (not saved; see ``workbooks.files.save``)."""
    ctx = ctx or BuildContext()
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        sheet.build(wb, ctx)
    if ctx.inputs:
        from workbooks.template import apply_user_values

        apply_user_values(wb, ctx.inputs)
        for ws in wb.worksheets:
            fit.refold(ws)
    start.table_of_contents(wb)
    style.show_axes(wb)
    for ws in wb.worksheets:
        fit.fit_sheet(ws)
    printing.print_setup(wb, ctx.municipality)
    protect(wb)
    # the wethouder's page is the one that opens
    wb.active = wb.sheetnames.index(layout.SAMENVATTING)
    # Excel recomputes every formula when it opens the file (openpyxl stores no results).
    wb.calculation = CalcProperties(fullCalcOnLoad=not ctx.values_only)
    return wb
