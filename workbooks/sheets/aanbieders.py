"""Aanbieders: a chart of the largest providers, inflow and spending per referrer, the typical
cost of a trajectory per product, and per provider committed, claimed, late, forecast,
utilisation, claim lag, share rejected and the flag for structurally late providers. The
provider table comes last: its header repeats on each printed page of it (print titles), and
no page of the other tables shows it.

Shows ``ctx.data["prognose"]`` when present; otherwise empty tables with a Dutch hint. The
button "Prognose bijwerken" writes all three tables (``grip.jobs.prognose.output_tables``).
The columns are those of a printed page: the codes (AGB-code, referrer, product category) in
a narrow column A, the names beside them in B, so the provider table's thirteen columns fit
the width of an A4 page.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, PatternFill

from calc.names import provider_name
from calc.prognose.report import PrognoseResult
from calc.text import YES
from workbooks import fit, layout, style
from workbooks.context import BuildContext
from workbooks.sheets.prognose import _write_rows
from workbooks.tables.prognose import (PROVIDER_HEADER, REFERRER_HEADER, TRAJECTORY_HEADER,
                                       provider_rows, referrer_rows, trajectory_rows)

LATE_FILL = PatternFill("solid", fgColor="F8CBAD")
#: The line above an empty provider table: still true once the button has filled it (the
#: button writes the tables, not this line; the peilmaand and notes stand on Prognose).
HINT = ("Deze tabellen vult de knop 'Prognose bijwerken' (vul bij Parameters eerst de opslag in); "
        "peilmaand, tijdstip en aantekeningen van de prognose staan bovenaan het blad Prognose.")
#: What the name column will hold: the calc's name of a provider outside the register, and a
#: name of 36 characters from a register (longer names run into the next column's edge).
NAME_SAMPLES = (provider_name("98010001", {}), "Stichting Jeugdhulp Regio Noord-Oost")
#: Providers shown in the chart: the first rows of the table (sorted by forecast, largest first).
CHART_PROVIDERS = 15
#: The chart below the tables is as wide as columns A to this one.
CHART_COLS = 8


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Aanbieders sheet."""
    ws = wb.create_sheet(layout.AANBIEDERS)
    result: PrognoseResult | None = ctx.data.get("prognose")
    style.title(ws, "Aanbieders", "Per aanbieder: verplichtingen, declaraties, nagekomen "
                                  "declaraties, benutting en declaratiegedrag.")
    ws["A3"] = HINT if result is None else (
        "Structureel laat: mediane vertraging van 2 maanden of meer, of meer dan een kwart van "
        "het bedrag 3 maanden of later gedeclareerd. Namen komen uit het aanbiedersregister "
        f"(blad {layout.NAMEN}). Werkmap per aanbieder: grip prognose --export MAP.")
    ws["A3"].font = style.SUBTITLE

    top = layout.PROV_TABLE_ROW
    n_rows, n_cols = layout.PROV_TABLE_ROWS, layout.PROV_TABLE_COLS
    ws.cell(row=top - 1, column=1, value="Per aanbieder").font = style.SUBTITLE
    style.header_row(ws, top, 1, PROVIDER_HEADER)
    _write_rows(ws, top + 1, provider_rows(result, n_rows))
    table = style.area(top + 1, 1, n_rows, n_cols)
    style.mark_output((c for row in ws[style.area(top + 1, 3, n_rows, 6)] for c in row),
                      number_format=style.EURO)
    for row in ws[style.area(top + 1, 9, n_rows, 4)]:
        for c in row:
            c.number_format = style.PERCENT
    for row in ws[style.area(top + 1, 10, n_rows, 1)]:
        row[0].number_format = "0.0"
    flag = style.area(top + 1, n_cols, n_rows, 1)
    ws.conditional_formatting.add(flag, CellIsRule(operator="equal", formula=[f'"{YES}"'],
                                                   fill=LATE_FILL))
    style.define_name(wb, layout.NAME_OUT_PROVIDERS, ws, table)
    fit.expect(ws, 2, *NAME_SAMPLES)

    r0 = layout.REFERRER_ROW
    ws.cell(row=r0 - 1, column=1, value="Instroom en uitgaven per verwijzer").font = style.SUBTITLE
    style.header_row(ws, r0, 1, REFERRER_HEADER)
    _write_rows(ws, r0 + 1, referrer_rows(result, layout.REFERRER_ROWS))
    style.define_name(wb, layout.NAME_OUT_REFERRERS, ws,
                      style.area(r0 + 1, 1, layout.REFERRER_ROWS, len(REFERRER_HEADER)))
    for (cell,) in ws[style.area(r0 + 1, 2, layout.REFERRER_ROWS, 1)]:
        cell.alignment = Alignment(wrap_text=True)   # the codelist's long names
    for (cell,) in ws[style.area(r0 + 1, 5, layout.REFERRER_ROWS, 1)]:
        cell.number_format = style.EURO

    t0 = layout.TRAJECTORY_ROW
    ws.cell(row=t0 - 1, column=1, value="Kosten van een traject per product (tarief x volume x "
                                        "duur)").font = style.SUBTITLE
    style.header_row(ws, t0, 1, TRAJECTORY_HEADER)
    _write_rows(ws, t0 + 1, trajectory_rows(result, layout.TRAJECTORY_ROWS))
    style.define_name(wb, layout.NAME_OUT_TRAJECTORIES, ws,
                      style.area(t0 + 1, 1, layout.TRAJECTORY_ROWS, len(TRAJECTORY_HEADER)))
    for row in ws[style.area(t0 + 1, 5, layout.TRAJECTORY_ROWS, 4)]:
        for c in row:
            c.number_format = style.EURO
    for (cell,) in ws[style.area(t0 + 1, 9, layout.TRAJECTORY_ROWS, 1)]:
        cell.number_format = "0.0"          # months, one decimal

    chart = _chart(ws, top)
    ws.add_chart(chart, f"A{layout.PROV_CHART_ROW}")
    fit.chart_over(ws, chart, 1, CHART_COLS)
    if ctx.values_only:
        # the copy to share: the spare capacity of the three tables is folded
        fit.hide_empty_rows(ws, top + 1, top + n_rows, range(1, n_cols + 1))
        fit.hide_empty_rows(ws, r0 + 1, r0 + layout.REFERRER_ROWS,
                            range(1, len(REFERRER_HEADER) + 1))
        fit.hide_empty_rows(ws, t0 + 1, t0 + layout.TRAJECTORY_ROWS,
                            range(1, len(TRAJECTORY_HEADER) + 1))
    # the provider table's header on each of its printed pages (Excel and LibreOffice repeat
    # it from the page where it stands on: the tables above keep their own)
    ws.print_title_rows = f"{top}:{top}"
    style.widths(ws, {1: 10, 2: 36, **{c: 16 for c in range(3, n_cols + 1)}})
    ws.freeze_panes = "C1"                  # codes and names stay in view


def _chart(ws, header_row: int) -> BarChart:
    """Native bar chart of the largest providers: committed, claimed so far and forecast.

    It reads the table's own cells, so it follows when "Prognose bijwerken" rewrites them.
    """
    first, last = header_row + 1, header_row + CHART_PROVIDERS
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    for col in (3, 4, 6):    # Verplicht, Gedeclareerd, Prognose
        chart.add_data(Reference(ws, min_col=col, min_row=header_row, max_row=last),
                       titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))   # names
    for series, colour in zip(chart.series, ("A6A6A6", "1F3864", "C00000")):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.title = f"Grootste {CHART_PROVIDERS} aanbieders: verplicht, gedeclareerd en prognose"
    chart.x_axis.scaling.orientation = "maxMin"     # largest provider on top ...
    chart.y_axis.crosses = "max"                    # ... and the amounts below the bars
    chart.y_axis.numFmt = style.EURO
    chart.y_axis.majorGridlines = None
    chart.legend.position = "b"
    chart.height, chart.width = 10, 20
    return chart
