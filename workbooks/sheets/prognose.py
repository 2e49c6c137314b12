"""Prognose: the year-end forecast per taakveld, theme and product category, the monthly
spending with its forecast and band (a native chart), and an SD_PROGNOSE demo block.

The tables show ``ctx.data["prognose"]`` (a ``calc.prognose.report.PrognoseResult``) when a
job computed one; otherwise they are empty with a Dutch hint to press "Prognose bijwerken".
"""

from __future__ import annotations

import numpy as np
from openpyxl import Workbook
from openpyxl.chart import AreaChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties

from calc.prognose.report import PrognoseResult
from workbooks import fit, layout, style
from workbooks.context import BuildContext, put_formula
from workbooks.tables.prognose import (LOOK_BACK_HEADER, LOOK_BACK_ROWS, MONTHLY_HEADER,
                                       YEAREND_HEADER, look_back_rows, monthly_rows, yearend_rows)

#: Rows of the SD_PROGNOSE demo block: months of history and months ahead.
DEMO_MONTHS = 36
DEMO_HORIZON = 12
HINT = ("Nog geen prognose berekend: vul bij Parameters de opslag in en klik in het lint op "
        "'Prognose bijwerken' (of gebruik 'grip prognose --opslag PAD').")


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


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Prognose sheet."""
    ws = wb.create_sheet(layout.PROGNOSE)
    result: PrognoseResult | None = ctx.data.get("prognose")
    style.title(ws, "Prognose", "Jaareindeprognose per taakveld, thema en productcategorie uit "
                                "het berichtenverkeer, met marge.")
    if result is None:
        ws["A3"] = HINT
    else:
        f = result.forecast
        ws["A3"] = (f"Jaar {f.year}, peilmaand {f.as_of:%m-%Y}, marge {f.level:.0%}. Prognose = "
                    "gedeclareerd + nog te declareren (uit hoe laat er eerder is gedeclareerd) + "
                    "verplichtingen van de resterende maanden x benuttingsgraad (zorg die nog "
                    "niet startte naar de kans dat ze start) + nieuwe cliënten. "
                    "De methoden staan op het blad Toelichting.")
        if result.notes:
            ws["A4"] = "Aantekeningen bij deze prognose: zie het blad Toelichting."
        style.write_data(ws, "A5", trust_text(result))
    ws["A3"].font = style.SUBTITLE

    top = layout.PROG_TABLE_ROW
    n_cols = layout.PROG_TABLE_COLS
    style.header_row(ws, top, 1, YEAREND_HEADER)
    table = style.area(top + 1, 1, layout.PROG_TABLE_ROWS, n_cols)
    _write_rows(ws, top + 1, yearend_rows(result, layout.PROG_TABLE_ROWS))
    style.mark_output((c for row in ws[style.area(top + 1, 4, layout.PROG_TABLE_ROWS, n_cols - 3)]
                       for c in row), number_format=style.EURO)
    style.define_name(wb, layout.NAME_OUT_PROGNOSE, ws, table)

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
    ws.add_chart(_chart(ws, m_top, layout.PROG_MONTHLY_ROWS), "L6")

    _look_back_block(wb, ws, result)
    _demo_block(wb, ws, ctx, result, layout.PROG_DEMO_ROW)
    if result is not None:
        # the months before the series starts are spare rows of the bottom-aligned chart range:
        # folded, so the table shows no gap (the chart skips hidden rows)
        fit.hide_empty_rows(ws, m_top + 1, m_top + layout.PROG_MONTHLY_ROWS, range(1, 6))
    if ctx.values_only:
        # the copy to share: the spare capacity of the year-end table is folded too
        fit.hide_empty_rows(ws, top + 1, top + layout.PROG_TABLE_ROWS, range(1, n_cols + 1))
    style.widths(ws, {1: 18, 2: 10, 3: 44, **{c: 16 for c in range(4, 12)}, 12: 4})
    ws.freeze_panes = ws.cell(row=top + 1, column=4)


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


def _pct(x: float) -> str:
    """A fraction as a Dutch percentage with one decimal (0.0123 -> '1,2%')."""
    return f"{x * 100:.1f}%".replace(".", ",")


def trust_text(result: PrognoseResult | None) -> str | None:
    """One Dutch sentence on how far to trust this year's forecast (``result.trust``).

    None without a look-back (no previous year in the store).
    """
    t = None if result is None else result.trust
    if t is None:
        return None
    direction = "te hoog" if t.bias > 0 else "te laag"
    text = (f"Betrouwbaarheid: vorig jaar ({t.year}) zat de prognose over {t.months} "
            f"peilmaanden gemiddeld {_pct(abs(t.bias))} {direction} (gemiddelde afwijking "
            f"{_pct(t.mape)}); de werkelijkheid lag in {round(t.coverage * t.months)} van de "
            f"{t.months} peilmaanden binnen de {t.level:.0%}-marge")
    if t.coverage_taakveld == t.coverage_taakveld:        # not NaN
        text += f", per taakveld in {t.coverage_taakveld:.0%} van de gevallen"
    return text + ". Werkelijk = wat tot nu is gedeclareerd; vlak na het jaar nog wat laag."


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
    band.height, band.width = 9, 22
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
