"""Aanbieders: per provider committed, claimed, late, forecast, utilisation, claim lag, share
rejected and the flag for structurally late providers; below it inflow and spending per
referrer and the typical cost of a trajectory per product.

Shows ``ctx.data["prognose"]`` when present; otherwise empty tables with a Dutch hint.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill

from calc.names import provider_name, product_category_name
from calc.prognose.report import PrognoseResult
from calc.text import YES
from workbooks import fit, layout, style
from workbooks.context import BuildContext
from workbooks.sheets.prognose import _write_rows
from workbooks.tables.prognose import PROVIDER_HEADER, provider_rows

REFERRER_HEADER = ("Verwijzer", "Verzoeken", "Cliënten", "Uitgaven")
REFERRER_ROWS = 10
TRAJECTORY_HEADER = ("Productcategorie", "Omschrijving", "Productcode", "Toewijzingen", "Gepland mediaan",
                     "Gepland P80", "Gedeclareerd mediaan", "Gedeclareerd P80",
                     "Mediane duur (mnd)")
TRAJECTORY_ROWS = 30
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
    ws.add_chart(_chart(ws, top), ws.cell(row=top, column=n_cols + 2).coordinate)

    r0 = top + n_rows + 3
    ws.cell(row=r0 - 1, column=1, value="Instroom en uitgaven per verwijzer").font = style.SUBTITLE
    style.header_row(ws, r0, 1, REFERRER_HEADER)
    refs = result.referrers if result is not None else None
    rows = [] if refs is None or refs.empty else [
        [r["referrer"], float(r["requests"]), float(r["clients"]), float(r["spending_euro"])]
        for _, r in refs.head(REFERRER_ROWS).iterrows()]
    _write_rows(ws, r0 + 1, rows)
    for row in ws[style.area(r0 + 1, 4, REFERRER_ROWS, 1)]:
        row[0].number_format = style.EURO

    t0 = r0 + REFERRER_ROWS + 3
    ws.cell(row=t0 - 1, column=1, value="Kosten van een traject per product (tarief x volume x "
                                        "duur)").font = style.SUBTITLE
    style.header_row(ws, t0, 1, TRAJECTORY_HEADER)
    traj = result.trajectories if result is not None else None
    cols = ("allocations", "planned_median_euro", "planned_p80_euro", "claimed_median_euro",
            "claimed_p80_euro", "median_months")
    rows = [] if traj is None or traj.empty else [
        [str(r["product_category"]), product_category_name(r["product_category"]),
         str(r["product_code"]), *(None if r[c] != r[c] else float(r[c]) for c in cols)]
        for _, r in traj.head(TRAJECTORY_ROWS).iterrows()]
    _write_rows(ws, t0 + 1, rows)
    for row in ws[style.area(t0 + 1, 5, TRAJECTORY_ROWS, 4)]:
        for c in row:
            c.number_format = style.EURO
    for (cell,) in ws[style.area(t0 + 1, 9, TRAJECTORY_ROWS, 1)]:
        cell.number_format = "0.0"          # months, one decimal
    if ctx.values_only:
        # the copy to share: the spare capacity of the provider table is folded
        fit.hide_empty_rows(ws, top + 1, top + n_rows, range(1, n_cols + 1))
    ws.print_title_rows = f"{top}:{top}"
    style.widths(ws, {1: 16, 2: 36, **{c: 16 for c in range(3, n_cols + 1)}})
    ws.freeze_panes = ws.cell(row=top + 1, column=3)


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
    chart.height, chart.width = 12, 20
    return chart
