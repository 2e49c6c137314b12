"""Prognose: the year-end forecast per taakveld, theme and product category, the monthly
spending with its forecast and band (a native chart), and an SD_PROGNOSE demo block.

The tables show ``ctx.data["prognose"]`` (a ``calc.prognose.report.PrognoseResult``) when a
job computed one; otherwise they are empty with a Dutch hint to press "Prognose bijwerken".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import AreaChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.styles import Alignment, Font

from calc.names import PRODUCT_CATEGORIES, TAAKVELDEN, label
from calc.prognose.report import PrognoseResult
from workbooks import fit, layout, style
from workbooks.context import BuildContext, put_formula
from workbooks.tables.prognose import (HINT, LOOK_BACK_HEADER, LOOK_BACK_ROWS,  # noqa: F401
                                       MONTHLY_HEADER, YEAREND_HEADER, head_rows, look_back_rows,
                                       monthly_rows, trust_text, yearend_rows)

#: Rows of the SD_PROGNOSE demo block: months of history and months ahead.
DEMO_MONTHS = 36
DEMO_HORIZON = 12
#: The monthly chart beside its table, as wide as columns F-K (inside the page of the table):
#: its height in cm, and the table's last rows that stay unfolded so that the chart never
#: covers the Terugblik below (rows of 15 pt).
CHART_HEIGHT_CM = 9
CHART_ROWS = math.ceil(CHART_HEIGHT_CM / 2.54 * 72 / 15)
#: The announced change of the inflow: labels and the note beside the two input cells.
INFLOW_LABELS = ("Instroom anders vanaf", "Verandering nieuwe cliënten")
INFLOW_NOTE = ("Aangekondigd besluit, bijvoorbeeld een korting op nieuwe toewijzingen: de maand "
               "(2025-07, juli 2025 of 1-7-2025) en de verandering (-20%). Leeg = geen; dan zoekt "
               "Grip zelf naar een breuk in de instroom.")


def demo_series(result: PrognoseResult | None) -> list[float]:
    """36 monthly amounts for the SD_PROGNOSE demo: the store's spending when there is a
    result, else a fixed illustrative series (euro, trend and season, rounded)."""
    if result is not None:
        values = result.monthly["expected_euro"].dropna().to_numpy()
        if len(values) >= 4:
            return [round(float(v), 2) for v in values[-DEMO_MONTHS:]]
    k = np.arange(DEMO_MONTHS)
    wobble = np.array([3, -2, 5, 1, -4, 2, -1, 4, -3, 0, 2, -5] * 3)
    series = (400_000 + 2_500 * k) * (1 + 0.06 * np.cos(2 * np.pi * k / 12)) + 1_000 * wobble
    return [round(float(v), 0) for v in series]


CATEGORY_CODES = tuple(code for table in PRODUCT_CATEGORIES.values() for code in table)


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Prognose sheet."""
    ws = wb.create_sheet(layout.PROGNOSE)
    result: PrognoseResult | None = ctx.data.get("prognose")
    style.title(ws, "Prognose", "Jaareindeprognose per taakveld, thema en productcategorie uit "
                                "het berichtenverkeer, met marge.")
    _inflow_inputs(wb, ws, ctx)
    _head_block(wb, ws, ctx, result)

    top = layout.PROG_TABLE_ROW
    n_cols = layout.PROG_TABLE_COLS
    style.header_row(ws, top, 1, YEAREND_HEADER)
    table = style.area(top + 1, 1, layout.PROG_TABLE_ROWS, n_cols)
    _write_rows(ws, top + 1, yearend_rows(result, layout.PROG_TABLE_ROWS))
    style.mark_output((c for row in ws[style.area(top + 1, 4, layout.PROG_TABLE_ROWS, n_cols - 3)]
                       for c in row), number_format=style.EURO)
    style.define_name(wb, layout.NAME_OUT_PROGNOSE, ws, table)
    # what the button will write there: the longest label of a level and a description
    fit.expect(ws, 1, "Productcategorie")
    fit.expect(ws, 3, *(label("taakveld", c) for c in TAAKVELDEN),
               *(label("product_category", c) for c in CATEGORY_CODES))

    m_top = layout.PROG_MONTHLY_ROW
    ws.cell(row=m_top - 1, column=1, value="Uitgaven per maand (gedeclareerd + nagekomen) en "
                                           "reeksprognose tot december").font = style.SUBTITLE
    style.header_row(ws, m_top, 1, MONTHLY_HEADER)
    rows = monthly_rows(result, layout.PROG_MONTHLY_ROWS)
    _write_rows(ws, m_top + 1, rows)
    for r in range(m_top + 1, m_top + 1 + layout.PROG_MONTHLY_ROWS):
        ws.cell(row=r, column=1).number_format = "mmm yyyy"
        for c in range(2, 6):
            ws.cell(row=r, column=c).number_format = style.EURO
    monthly = style.area(m_top + 1, 1, layout.PROG_MONTHLY_ROWS, len(MONTHLY_HEADER))
    style.define_name(wb, layout.NAME_PROG_MONTHLY, ws, monthly)
    chart = _chart(ws, m_top, layout.PROG_MONTHLY_ROWS)
    ws.add_chart(chart, f"F{m_top}")
    fit.chart_over(ws, chart, len(MONTHLY_HEADER) + 1, n_cols)

    _look_back_block(wb, ws, result)
    _demo_block(wb, ws, ctx, result, layout.PROG_DEMO_ROW)
    if result is not None or ctx.values_only:
        # the months before the series starts are spare rows of the bottom-aligned chart range:
        # folded, so the table shows no gap (the chart skips hidden rows); the copy to share
        # folds them too, also when the button filled the table (``fit.refold``); the last
        # rows stay, as tall as the chart beside them
        fit.hide_empty_rows(ws, m_top + 1, m_top + layout.PROG_MONTHLY_ROWS - CHART_ROWS,
                            range(1, 6))
    if ctx.values_only:
        # the copy to share: the spare capacity of the year-end table and the Terugblik is
        # folded too
        fit.hide_empty_rows(ws, top + 1, top + layout.PROG_TABLE_ROWS, range(1, n_cols + 1))
        fit.hide_empty_rows(ws, layout.PROG_LOOK_BACK_ROW + 1,
                            layout.PROG_LOOK_BACK_ROW + LOOK_BACK_ROWS,
                            range(1, len(LOOK_BACK_HEADER) + 1))
    style.widths(ws, {1: 18, 2: 10, 3: 44, **{c: 16 for c in range(4, 12)}, 12: 4})
    # no frozen panes: the status and notes above the table take many rows


def _inflow_inputs(wb, ws, ctx: BuildContext) -> None:
    """The announced change of the inflow: month (B) and relative change (D), yellow inputs;
    a demo or CLI run that used one shows it (``ctx.data["instroom"]``: (month, fraction))."""
    row = layout.PROG_INFLOW_ROW
    given = ctx.data.get("instroom")
    month, change = (given[0], given[1]) if given is not None else (None, None)
    ws.cell(row=row, column=1, value=INFLOW_LABELS[0]).alignment = Alignment(vertical="center")
    ws.cell(row=row, column=3, value=INFLOW_LABELS[1]).alignment = Alignment(
        horizontal="right", vertical="center")
    month_cell = ws.cell(row=row, column=2, value=None if month is None
                         else pd.Timestamp(month).to_pydatetime())
    change_cell = ws.cell(row=row, column=4, value=None if change is None else float(change))
    style.mark_input([month_cell], number_format="mm-yyyy")
    style.mark_input([change_cell], number_format=style.PERCENT)
    for cell in (month_cell, change_cell):
        cell.alignment = Alignment(horizontal="right", vertical="center")
    ws.cell(row=row, column=5, value=INFLOW_NOTE)
    fit.note(ws, f"E{row}")
    style.validation(ws, change_cell.coordinate, "decimal", minimum=-1, maximum=1,
               title="Verandering nieuwe cliënten",
               message="Een percentage van -100% tot en met 100%, bijvoorbeeld -20% voor een "
                       "korting van een vijfde op de nieuwe cliënten. Leeg = geen.")
    # the month is checked by the button (a date, or text such as 2025-07): Excel's own date
    # check would refuse the text form
    style.define_name(wb, layout.NAME_INFLOW_FROM, ws, month_cell.coordinate)
    style.define_name(wb, layout.NAME_INFLOW_CHANGE, ws, change_cell.coordinate)


def _head_block(wb, ws, ctx: BuildContext, result: PrognoseResult | None) -> None:
    """``grip_uit_prognose_kop``: the status and notes (``head_rows``), one line per row that
    runs over the empty cells to its right; the button writes the same rows."""
    top, n = layout.PROG_HEAD_ROW, layout.PROG_HEAD_ROWS
    source = ctx.data.get("prognose_bron") or {}
    rows = head_rows(result, n, store=source.get("opslag"), computed_at=source.get("berekend"))
    _write_rows(ws, top, rows)
    ws.cell(row=top, column=1).font = Font(name="Calibri", size=11, bold=True)
    fit.runs_over(ws, *(f"A{r}" for r in range(top, top + n)))
    style.define_name(wb, layout.NAME_OUT_PROGNOSE_HEAD, ws, style.area(top, 1, n, 1))


def _look_back_block(wb, ws, result) -> None:
    """Terugblik: last year's forecast per evaluation month against what came in."""
    top = layout.PROG_LOOK_BACK_ROW
    summary = trust_text(result)
    ws.cell(row=top - 1, column=1, value=(
        "Terugblik: de prognose van vorig jaar per peilmaand tegen wat er binnenkwam "
        "(bron: opgeslagen prognose, of nagespeeld met alleen wat toen bekend was). Afwijking = "
        "prognose / werkelijk - 1; werkelijk = gedeclareerd tot nu."
        + (f" {summary}" if summary else ""))).font = style.SUBTITLE
    style.header_row(ws, top, 1, LOOK_BACK_HEADER)
    _write_rows(ws, top + 1, look_back_rows(result, LOOK_BACK_ROWS))
    for row in ws[style.area(top + 1, 1, LOOK_BACK_ROWS, len(LOOK_BACK_HEADER))]:
        row[0].number_format = "mm-yyyy"
        for c in row[2:6]:
            c.number_format = style.EURO
        for c in (row[6], row[8], row[9]):
            c.number_format = style.PERCENT
    style.mark_output((c for row in ws[style.area(top + 1, 1, LOOK_BACK_ROWS,
                                                  len(LOOK_BACK_HEADER))] for c in row))
    style.define_name(wb, layout.NAME_OUT_TERUGBLIK, ws,
                      style.area(top + 1, 1, LOOK_BACK_ROWS, len(LOOK_BACK_HEADER)))


def _write_rows(ws, first_row: int, rows: list[list]) -> None:
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = ws.cell(row=first_row + i, column=1 + j)
            if isinstance(value, str):
                style.write_data(ws, cell.coordinate, value)
            else:
                cell.value = value


def _chart(ws, header_row: int, n_rows: int):
    """Native chart: the band (stacked area: lower bound invisible + band width) and lines."""
    first, last = header_row + 1, header_row + n_rows
    months = Reference(ws, min_col=1, min_row=first, max_row=last)
    band = AreaChart(grouping="stacked")
    band.add_data(Reference(ws, min_col=4, max_col=5, min_row=header_row, max_row=last),
                  titles_from_data=True)
    band.set_categories(months)
    band.series[0].graphicalProperties = GraphicalProperties(noFill=True)
    band.series[0].graphicalProperties.line.noFill = True
    band.series[1].graphicalProperties = GraphicalProperties(solidFill="C9DAF8")
    band.series[1].graphicalProperties.line.noFill = True
    lines = LineChart()
    lines.add_data(Reference(ws, min_col=2, max_col=3, min_row=header_row, max_row=last),
                   titles_from_data=True)
    lines.set_categories(months)
    lines.series[0].graphicalProperties.line.solidFill = "1F3864"
    lines.series[1].graphicalProperties.line.solidFill = "C00000"
    lines.series[1].graphicalProperties.line.dashStyle = "dash"
    band.title = "Uitgaven per maand met prognose en marge"
    band.y_axis.title = "€"
    band.y_axis.numFmt = style.EURO
    band.height, band.width = CHART_HEIGHT_CM, 18     # the width: ``fit.chart_over``
    band += lines
    return band


def _demo_block(wb, ws, ctx: BuildContext, result, m_top: int) -> None:
    """SD_PROGNOSE on a monthly series: input column, horizon, and the array formula."""
    col = 1
    ws.cell(row=m_top - 1, column=col, value="Voorbeeld SD_PROGNOSE: reeks (oudste eerst), "
                                             "horizon en de prognose met marge"
            ).font = style.SUBTITLE
    style.header_row(ws, m_top, col, ["Reeks (€)", "Horizon", "Verwacht", "Ondergrens",
                                      "Bovengrens"])
    values = demo_series(result)
    for i, v in enumerate(values):
        ws.cell(row=m_top + 1 + i, column=col, value=v)
    series = style.area(m_top + 1, col, len(values), 1)
    style.mark_input((c for row in ws[series] for c in row), number_format=style.EURO)
    horizon = ws.cell(row=m_top + 1, column=col + 1, value=DEMO_HORIZON)
    style.mark_input([horizon])
    out = style.area(m_top + 1, col + 2, DEMO_HORIZON, 3)
    put_formula(ws, ctx, out, f"=SD_PROGNOSE({series},{horizon.coordinate})")
    style.mark_output((c for row in ws[out] for c in row), number_format=style.EURO)
    style.define_name(wb, layout.NAME_PROG_SERIES, ws, series)
    style.define_name(wb, layout.NAME_PROG_HORIZON, ws, horizon.coordinate)
    style.define_name(wb, layout.NAME_PROG_SERIES_FORECAST, ws, out)
