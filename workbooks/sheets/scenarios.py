"""Scenario's: direct, indirect and total effect per theme per year for two municipalities,
their band, the sensitivity (tornado), and the Monte Carlo table of the ribbon button.

Everything here is a formula over the inputs of Thema's, Dwarsverbanden and Maatregelen
(``SD_SCENARIO``, ``SD_BANDBREEDTE``, ``SD_GEVOELIGHEID``), except ``grip_uit_scenario``,
which the ribbon button "Scenario doorrekenen" fills (10,000 draws) and a job may hand in
``ctx.data["scenario"]`` (a ``ScenarioEffects`` with bands).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import get_column_letter, quote_sheetname

from calc import profile
from calc.text import nl_number
from workbooks import fit, layout, printing, style
from workbooks.context import BuildContext, checked_sum, put_formula
from workbooks.tables.scenario import TOTAL_LABEL, band_table

N, T = layout.TH_ROWS, layout.MT_YEARS
#: First column of the totaal, direct and indirect blocks.
BLOCKS = (("totaal", "Totaal (€ per jaar)", 2), ("direct", "Direct: de maatregelen zelf", 2 + T + 1),
          ("indirect", "Indirect: via andere thema's", 2 + 2 * (T + 1)))
#: Rows of a municipality block: heading, header, N themes, sum row, gap, 3 band rows, gap.
BLOCK_HEIGHT = N + 9
FIRST = 6
BAND_DRAWS = profile.DRAWS
TORNADO_ROWS = 10
CHART_COL = 2 + 3 * (T + 1) + 1
#: The charts' rows in ``CHART_COL``, one below the other (at 15 pt a row, a cm is 1,9 rows):
#: the effect per theme (14 cm: its legend of twenty themes below it; at 10 cm with the legend
#: beside it the plot was a strip of two centimetres), the band (8), the two municipalities
#: (8), the tornado (9) and the scenarios (8).
CHART_ROWS = {"stacked": 5, "band": 34, "both": 52, "bars": 70, "scenarios": 89}
#: The scenarios compared side by side (names typed on the sheet; the demo's measures use these).
SCENARIO_NAMES = ("Investeren", "Bezuinigen")
#: Beside the Monte Carlo table of the copy to share, when themes without effect are folded.
ZERO_THEMES_FOLDED = ("{folded} van de {groups} thema's tonen in elk jaar € 0 en zijn ingeklapt: "
                      "klik op + in de kantlijn om ze te tonen.")



def _draws() -> str:
    """The number of draws as the sheet writes it (``10.000``)."""
    return nl_number(BAND_DRAWS, 0)


def _inputs(themes: str, links: str) -> str:
    return (f"{themes},{links},{layout.NAME_MT_MEASURES},{layout.NAME_MT_FIRST_YEAR},"
            f"{layout.NAME_MT_YEARS}")


def _year_headers(ws, ctx: BuildContext, row: int, col: int) -> None:
    style.header_row(ws, row, col, [""] * T)
    for k in range(T):
        put_formula(ws, ctx, ws.cell(row=row, column=col + k).coordinate, f"={layout.NAME_MT_FIRST_YEAR}+{k}")


def _municipality(wb: Workbook, ws, ctx: BuildContext, top: int, who: str, themes: str, links: str,
                  names: dict[str, str]) -> dict[str, int]:
    """One municipality: the three SD_SCENARIO blocks, sum rows and the band. Returns key rows."""
    style.write_data(ws, f"A{top}", who)
    ws[f"A{top}"].font = style.TITLE
    head = top + 1
    style.header_row(ws, head, 1, ["Thema"])
    theme_sheet = quote_sheetname(layout.THEMAS)
    for i in range(N):
        put_formula(ws, ctx, f"A{head + 1 + i}", f"={theme_sheet}!A{layout.TH_FIRST_ROW + i}")
    sums = head + 1 + N
    ws.cell(row=sums, column=1, value="Totaal alle thema's").font = style.SUBTITLE
    for view, label, col in BLOCKS:
        if col > 2:
            # the direct and indirect blocks name their themes too (in the column before them):
            # printed, each block is a page of its own, and a page of amounts without the
            # themes they belong to says nothing
            ws.cell(row=top, column=col - 1, value=label).font = style.SUBTITLE
            style.header_row(ws, head, col - 1, ["Thema"])
            for r in range(head + 1, sums):
                put_formula(ws, ctx, ws.cell(row=r, column=col - 1).coordinate, f"=$A{r}")
            ws.cell(row=sums, column=col - 1, value="Totaal alle thema's").font = style.SUBTITLE
        else:
            ws.cell(row=top, column=col, value=label).font = style.SUBTITLE
        _year_headers(ws, ctx, head, col)
        ref = style.area(head + 1, col, N, T)
        put_formula(ws, ctx, ref, f'=SD_SCENARIO({_inputs(themes, links)},"{view}")')
        style.mark_output((c for row in ws[ref] for c in row), number_format=style.EURO)
        for k in range(T):
            letter = get_column_letter(col + k)
            cell = ws.cell(row=sums, column=col + k)
            put_formula(ws, ctx, cell.coordinate, checked_sum(f"{letter}{head + 1}:{letter}{head + N}"))
            style.mark_output([cell], number_format=style.EURO)
        if view in names:
            style.define_name(wb, names[view], ws, ref)
    band = sums + 2
    for q, label in enumerate(("P10 (optimistisch)", "P50 (mediaan)", "P90 (pessimistisch)")):
        ws.cell(row=band + q, column=1, value=f"Bandbreedte totaal: {label}")
    ref = style.area(band, 2, 3, T)
    put_formula(ws, ctx, ref, f"=SD_BANDBREEDTE({_inputs(themes, links)},{BAND_DRAWS},1)")
    style.mark_output((c for row in ws[ref] for c in row), number_format=style.EURO)
    style.define_name(wb, names["band"], ws, ref)
    ws.cell(row=band + 3, column=1, value=(
        f"Grip rekent {_draws()} keer door met willekeurige waarden binnen de bandbreedtes (laag / "
        "verwacht / hoog) van verbanden en maatregelen. P10 en P90: 80% van de uitkomsten ligt ertussen. "
        "Een lagere P geeft een lager (gunstiger) bedrag."))
    return {"head": head, "sums": sums, "band": band}


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Scenario's sheet."""
    ws = wb.create_sheet(layout.SCENARIOS)
    style.title(ws, "Scenario's", "Direct, indirect en totaal effect van de maatregelen per thema per jaar.")
    ws["A3"] = ("Zet maatregelen aan op het blad Maatregelen. Negatief is een besparing. Direct: het bedrag "
                "van de maatregel zelf; indirect: wat daardoor in andere thema's verandert.")
    a = _municipality(wb, ws, ctx, FIRST, ctx.municipality, layout.NAME_TH_THEMES, layout.NAME_DV_LINKS,
                      {"totaal": layout.NAME_SC_TOTAL, "direct": layout.NAME_SC_DIRECT,
                       "indirect": layout.NAME_SC_INDIRECT, "band": layout.NAME_SC_BAND})
    b = _municipality(wb, ws, ctx, FIRST + BLOCK_HEIGHT, ctx.second_municipality,
                      layout.NAME_TH_THEMES_B, layout.NAME_DV_LINKS_B,
                      {"totaal": layout.NAME_SC_TOTAL_B, "band": layout.NAME_SC_BAND_B})
    side = _side_by_side(ws, ctx, FIRST + 2 * BLOCK_HEIGHT, a, b)
    compare = _scenarios_side_by_side(wb, ws, ctx, side + 9)
    tornado_top = _tornado(wb, ws, ctx, compare + 2 + 4 * len(SCENARIO_NAMES) + 2)
    _monte_carlo_table(wb, ws, ctx, tornado_top + TORNADO_ROWS + 4)
    _charts(ws, a, side, tornado_top)
    style.widths(ws, {1: 40, **{c: 13 for c in range(2, CHART_COL)},
                      **{col - 1: 40 for _, _, col in BLOCKS[1:]}})
    printing.column_sections(ws, *(col - 1 for _, _, col in BLOCKS[1:]))
    ws.freeze_panes = "B6"


def _side_by_side(ws, ctx: BuildContext, top: int, a: dict[str, int], b: dict[str, int]) -> int:
    """Both municipalities per year: direct, indirect, total and P50. Returns the header row."""
    ws.cell(row=top, column=1, value="Twee gemeenten naast elkaar (alle thema's samen)").font = style.TITLE
    head = top + 1
    style.header_row(ws, head, 1, ["€ per jaar"])
    _year_headers(ws, ctx, head, 2)
    lines = [(f"{ctx.municipality}: direct", a["sums"], BLOCKS[1][2]),
             (f"{ctx.municipality}: indirect", a["sums"], BLOCKS[2][2]),
             (f"{ctx.municipality}: totaal", a["sums"], BLOCKS[0][2]),
             (f"{ctx.second_municipality}: direct", b["sums"], BLOCKS[1][2]),
             (f"{ctx.second_municipality}: indirect", b["sums"], BLOCKS[2][2]),
             (f"{ctx.second_municipality}: totaal", b["sums"], BLOCKS[0][2])]
    for r, (label, row, col) in enumerate(lines):
        style.write_data(ws, f"A{head + 1 + r}", label)
        for k in range(T):
            cell = ws.cell(row=head + 1 + r, column=2 + k)
            put_formula(ws, ctx, cell.coordinate, f"={get_column_letter(col + k)}{row}")
            style.mark_output([cell], number_format=style.EURO)
    return head


def _scenarios_side_by_side(wb: Workbook, ws, ctx: BuildContext, top: int) -> int:
    """Named scenarios next to each other (direct, indirect, total over all themes). Returns the
    header row."""
    ws.cell(row=top, column=1, value=f"Scenario's naast elkaar, {ctx.municipality}").font = style.TITLE
    ws.cell(row=top, column=5, value=(
        "Typ de naam van een scenario uit de kolom Scenario's op het blad Maatregelen. Een maatregel "
        "zonder scenarionaam telt in elk scenario mee; alleen maatregelen die aan staan tellen."))
    head = top + 1
    style.header_row(ws, head, 1, ["Scenario"])
    _year_headers(ws, ctx, head, 2)
    row = head + 1
    for name in SCENARIO_NAMES:
        name_cell = ws.cell(row=row, column=1)
        style.write_data(ws, name_cell.coordinate, name)
        style.mark_input([name_cell])
        for k, label in enumerate(("direct", "indirect", "totaal")):
            ws.cell(row=row + 1 + k, column=1, value=f"  {label}")
        ref = style.area(row + 1, 2, 3, T)
        put_formula(ws, ctx, ref, f'=SD_SCENARIO({_inputs(layout.NAME_TH_THEMES, layout.NAME_DV_LINKS)},'
                                  f'"samen",{name_cell.coordinate})')
        style.mark_output((c for r in ws[ref] for c in r), number_format=style.EURO)
        row += 4
    style.define_name(wb, layout.NAME_SC_COMPARE, ws, style.area(head + 1, 1, 4 * len(SCENARIO_NAMES), 1 + T))

    chart = BarChart()
    chart.type, chart.title = "col", "Totaaleffect per scenario, alle thema's (€)"
    for k, name in enumerate(SCENARIO_NAMES):
        chart.add_data(Reference(ws, min_col=2, max_col=1 + T, min_row=head + 4 + 4 * k), from_rows=True,
                       titles_from_data=False)
        chart.series[-1].tx = SeriesLabel(v=name)
    chart.set_categories(Reference(ws, min_col=2, max_col=1 + T, min_row=head))
    chart.height, chart.width = 8, 22
    ws.add_chart(chart, f"{get_column_letter(CHART_COL)}{CHART_ROWS['scenarios']}")
    return head


def _tornado(wb: Workbook, ws, ctx: BuildContext, top: int) -> int:
    """SD_GEVOELIGHEID for municipality A. Returns the header row."""
    ws.cell(row=top - 1, column=1, value=f"Gevoeligheid (tornado), {ctx.municipality}").font = style.TITLE
    ws.cell(row=top, column=5, value=(
        "Verschil met de verwachte uitkomst (totaal over alle jaren en thema's) als één verband of "
        "maatregel op laag of hoog staat en de rest op verwacht."))
    style.header_row(ws, top, 1, ["Verband of maatregel", "Bij laag (€)", "Bij hoog (€)"])
    ref = style.area(top + 1, 1, TORNADO_ROWS, 3)
    put_formula(ws, ctx, ref, f"=SD_GEVOELIGHEID({_inputs(layout.NAME_TH_THEMES, layout.NAME_DV_LINKS)},"
                              f"{TORNADO_ROWS})")
    style.mark_output((c for row in ws[ref] for c in row), number_format=style.EURO)
    style.define_name(wb, layout.NAME_SC_TORNADO, ws, ref)
    return top


def _monte_carlo_table(wb: Workbook, ws, ctx: BuildContext, top: int) -> None:
    """grip_uit_scenario: per theme and the total, per year, P10/P50/P90 (filled by the button)."""
    ws.cell(row=top - 1, column=1, value=f"Bandbreedte per thema per jaar ({_draws()} keer doorgerekend)").font = style.TITLE
    rows = (N + 1) * T
    result = ctx.data.get("scenario")
    if result is None:
        ws.cell(row=top, column=7, value=("Leeg: klik op 'Scenario doorrekenen' in het lint Grip; dan "
                                          f"rekent Grip {ctx.municipality} {_draws()} keer door."))
    style.header_row(ws, top, 1, list(layout.SC_OUT_COLUMNS))
    ref = style.area(top + 1, 1, rows, len(layout.SC_OUT_COLUMNS))
    if result is not None:
        for r, row in enumerate(band_table(result, rows=rows)):
            for c, value in enumerate(row):
                style.write_data(ws, ws.cell(row=top + 1 + r, column=1 + c).coordinate, value)
    style.mark_output(c for row in ws[ref] for c in row)
    for row in ws[style.area(top + 1, 3, rows, 3)]:
        for cell in row:
            cell.number_format = style.EURO
    style.define_name(wb, layout.NAME_OUT_SCENARIO, ws, ref)
    if ctx.values_only:
        # the copy to share folds the themes no measure reaches (22 themes x 10 years: six
        # printed pages, most of them rows of EUR 0), and says so beside the table
        ws.cell(row=top, column=7).font = style.SUBTITLE
        fit.fold_zero_groups(ws, ref, 1, range(3, 3 + len(layout.SC_OUT_COLUMNS) - 2),
                             ws.cell(row=top, column=7).coordinate, ZERO_THEMES_FOLDED,
                             keep=(TOTAL_LABEL,))


def _charts(ws, a: dict[str, int], side: int, tornado: int) -> None:
    """Effect per theme per year (stacked columns), band, both municipalities, tornado."""
    col = BLOCKS[0][2]
    cats = Reference(ws, min_col=col, max_col=col + T - 1, min_row=a["head"])

    stacked = BarChart()
    stacked.type, stacked.grouping, stacked.overlap = "col", "stacked", 100
    stacked.title = "Totaaleffect per thema per jaar (€)"
    # the theme name in column A is each row's title (the totaal block starts in column B)
    stacked.add_data(Reference(ws, min_col=1, max_col=col + T - 1, min_row=a["head"] + 1,
                               max_row=a["head"] + N), from_rows=True, titles_from_data=True)
    stacked.set_categories(cats)
    stacked.legend.position = "b"
    stacked.height, stacked.width = 14, 22
    ws.add_chart(stacked, f"{get_column_letter(CHART_COL)}{CHART_ROWS['stacked']}")

    band = LineChart()
    band.title = "Bandbreedte totaaleffect, alle thema's (€)"
    for q, label in enumerate(("P10", "P50", "P90")):
        band.add_data(Reference(ws, min_col=2, max_col=1 + T, min_row=a["band"] + q), from_rows=True,
                      titles_from_data=False)
        band.series[-1].tx = SeriesLabel(v=label)
    band.set_categories(cats)
    band.height, band.width = 8, 22
    ws.add_chart(band, f"{get_column_letter(CHART_COL)}{CHART_ROWS['band']}")

    both = BarChart()
    both.type, both.title = "col", "Totaaleffect, twee gemeenten naast elkaar (€)"
    for r in (3, 6):
        both.add_data(Reference(ws, min_col=1, max_col=1 + T, min_row=side + r), from_rows=True,
                      titles_from_data=True)
    both.set_categories(Reference(ws, min_col=2, max_col=1 + T, min_row=side))
    both.height, both.width = 8, 22
    ws.add_chart(both, f"{get_column_letter(CHART_COL)}{CHART_ROWS['both']}")

    bars = BarChart()
    bars.type, bars.grouping, bars.overlap = "bar", "clustered", 100
    bars.title = "Gevoeligheid: verschil met verwacht bij laag en hoog (€)"
    bars.add_data(Reference(ws, min_col=2, max_col=3, min_row=tornado, max_row=tornado + TORNADO_ROWS),
                  titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=1, min_row=tornado + 1, max_row=tornado + TORNADO_ROWS))
    bars.y_axis.title = "€"
    bars.x_axis.scaling.orientation = "maxMin"
    bars.height, bars.width = 9, 22
    ws.add_chart(bars, f"{get_column_letter(CHART_COL)}{CHART_ROWS['bars']}")
