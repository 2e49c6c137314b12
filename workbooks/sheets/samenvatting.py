"""Samenvatting: the first page a wethouder reads, on one printed page, in plain Dutch.

Three blocks and two charts, every figure a formula on the sheets that compute it (so the page
follows when a ribbon button refreshes them); the methods are named on Toelichting, not here:

1. spending this year: per theme the begroting (input) against the year-end forecast of the
   Prognose sheet (``SUMIFS`` over ``grip_uit_prognose``, rows of level "Thema"), its range and
   the difference, and the total over the themes that have a forecast; a bar chart;
2. the meerjarenraming: per year the planned saldo, the saldo band (``mjr_band``) and the chance
   the year closes (``mjr_kans``); a line chart of the band;
3. the gripniveau and grip score (``gn_gripniveau``, ``gn_gripscore``) and the number of topics
   at "ernstig".
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter as col

from calc.budget import demo
from workbooks import fit, layout, printing, style
from workbooks.context import BuildContext, checked_sum, put_formula
from workbooks.tables.prognose import YEAREND_HEADER

SECTION = Font(name="Calibri", size=13, bold=True, color="1F3864")
BOLD = Font(name="Calibri", size=11, bold=True)
WARNING = Font(name="Calibri", size=10, bold=True, color="9C0006")
#: Theme rows of block 1 (input: the controller may type other themes).
THEME_ROWS = 16
R_SPEND = 4                       # section title; header on the next row
R_THEMES = R_SPEND + 2
R_TOTAL = R_THEMES + THEME_ROWS
R_BUDGET = R_TOTAL + 2            # section title
#: The saldo chart's row, below the spending chart (``SPENDING_CHART_CM`` tall from row
#: ``R_SPEND``: each of the 16 themes named; at 9,5 cm LibreOffice left out every other name).
R_BAND_CHART = R_TOTAL + 3
SPENDING_CHART_CM = 10.5
R_YEARS = R_BUDGET + 1
R_SALDO, R_LOW, R_MID, R_HIGH, R_CHANCE = (R_YEARS + k for k in range(1, 6))
R_GRIP = R_CHANCE + 2
YEARS = layout.INDEX_YEARS
SPEND_HEADER = ("Thema", "Begroting", "Verwacht", "Marge van", "Marge tot", "Verschil")


def demo_budget() -> list[tuple[str, float]]:
    """Per theme the demo's lasten of the base year (``calc.budget.demo.START``), in its order:
    Gemeente Voorbeeld's begroting for this year, an assumption."""
    out: dict[str, float] = {}
    for _, theme, amount, _ in demo.START:
        out[theme] = out.get(theme, 0.0) + float(amount)
    return list(out.items())


def _column(header: str) -> int:
    """1-based column of ``header`` in the Prognose sheet's year-end table."""
    return YEAREND_HEADER.index(header) + 1


#: The year-end table's columns the summary reads: level, the theme's name, and the forecast.
LEVEL_COL, NAME_COL = _column("Niveau"), _column("Omschrijving")
FORECAST_COLS = tuple(_column(h) for h in ("Prognose", "Ondergrens", "Bovengrens"))


def _prognose(column: int, level: str, key: str) -> str:
    """SUMIFS over the year-end table of the Prognose sheet: ``column`` of the rows of ``level``."""
    top = layout.PROG_TABLE_ROW + 1
    bottom = top + layout.PROG_TABLE_ROWS - 1
    sheet = style.quote_sheetname(layout.PROGNOSE)

    def rng(c: int) -> str:
        return f"{sheet}!${col(c)}${top}:${col(c)}${bottom}"
    return f'SUMIFS({rng(column)},{rng(LEVEL_COL)},"{level}",{rng(NAME_COL)},{key})'


def _count(level: str, key: str) -> str:
    """How many rows of the Prognose table have ``level`` and name ``key``."""
    top = layout.PROG_TABLE_ROW + 1
    bottom = top + layout.PROG_TABLE_ROWS - 1
    sheet = style.quote_sheetname(layout.PROGNOSE)
    level_col, name_col = col(LEVEL_COL), col(NAME_COL)
    return (f'COUNTIFS({sheet}!${level_col}${top}:${level_col}${bottom},"{level}",'
            f"{sheet}!${name_col}${top}:${name_col}${bottom},{key})")


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Samenvatting sheet."""
    ws = wb.create_sheet(layout.SAMENVATTING)
    style.title(ws, f"Samenvatting — {ctx.municipality}",
                "De uitkomsten van dit begrotingsmodel op één pagina. Hoe Grip rekent: zie het blad "
                "Toelichting.")
    _spending(wb, ws, ctx)
    _budget(wb, ws, ctx)
    _grip(ws, ctx)
    ws.add_chart(_spending_chart(ws), "H4")
    ws.add_chart(_band_chart(ws), f"H{R_BAND_CHART}")
    style.widths(ws, {1: 36, **{c: 14 for c in range(2, 7)}, 7: 2})
    printing.one_page(ws)


#: The spending block's title before any forecast ...
NO_FORECAST = "Uitgaven dit jaar: nog geen prognose (knop 'Prognose bijwerken' op het lint Grip)."


def _spending_title() -> str:
    """The title of the spending block as a formula: the year and peilmaand of the forecast on
    the Prognose sheet (the start of its status line, ``grip_uit_prognose_kop``), so the page
    follows the button; ``NO_FORECAST`` while no theme has a forecast."""
    status = f"INDEX({layout.NAME_OUT_PROGNOSE_HEAD},1,1)"
    year_month = f'LOWER(LEFT({status},FIND(",",{status},FIND(",",{status})+1)-1))'
    themes = f"C{R_THEMES}:C{R_TOTAL - 1}"
    return (f'=IF(COUNT({themes})=0,"{NO_FORECAST}",IFERROR("Uitgaven: verwacht tegen de '
            f'begroting ("&{year_month}&"; in euro)","Uitgaven: verwacht tegen de begroting '
            '(in euro)"))')


def _spending(wb: Workbook, ws, ctx: BuildContext) -> None:
    put_formula(ws, ctx, f"A{R_SPEND}", _spending_title())
    ws[f"A{R_SPEND}"].font = SECTION
    style.header_row(ws, R_SPEND + 1, 1, SPEND_HEADER)
    budget = demo_budget()
    for k in range(THEME_ROWS):
        r = R_THEMES + k
        name, amount = budget[k] if k < len(budget) else (None, None)
        style.write_data(ws, f"A{r}", name)
        ws[f"B{r}"] = amount
        style.mark_input([ws[f"A{r}"]])
        style.mark_input([ws[f"B{r}"]], number_format=style.EURO)
        for c, column in zip((3, 4, 5), FORECAST_COLS):
            put_formula(ws, ctx, f"{col(c)}{r}", f'=IF({_count("Thema", f"$A{r}")}=0,"",'
                                                 f'{_prognose(column, "Thema", f"$A{r}")})')
        put_formula(ws, ctx, f"F{r}", f'=IF(OR($B{r}="",$C{r}=""),"",C{r}-B{r})')
        style.mark_output([ws[f"{col(c)}{r}"] for c in range(3, 6)], number_format=style.EURO)
        style.mark_output([ws[f"F{r}"]], number_format=style.EURO_OVER_BUDGET)
    style.write_data(ws, f"A{R_TOTAL}", "Totaal van de thema's met declaraties")
    ws[f"A{R_TOTAL}"].font = BOLD
    themes = f"{R_THEMES}:{{c}}{R_TOTAL - 1}"
    # only the themes with an expectation: a begroting without claims would look like an underspend
    put_formula(ws, ctx, f"B{R_TOTAL}", f'=SUMPRODUCT((C{themes.format(c="C")}<>"")*B{themes.format(c="B")})')
    put_formula(ws, ctx, f"C{R_TOTAL}", checked_sum(f"C{themes.format(c='C')}"))
    put_formula(ws, ctx, f"F{R_TOTAL}", f"=C{R_TOTAL}-B{R_TOTAL}")
    style.mark_output([ws[f"{col(c)}{R_TOTAL}"] for c in range(2, 6)], number_format=style.EURO)
    style.mark_output([ws[f"F{R_TOTAL}"]], number_format=style.EURO_OVER_BUDGET)
    for c in range(1, 7):
        ws.cell(row=R_TOTAL, column=c).font = BOLD
    style.write_data(ws, f"A{R_TOTAL + 1}", (
        "Begroting: typ de begroting per thema (geel; in de demo een aanname). Verwacht: gedeclareerd "
        "plus wat nog komt, uit het berichtenverkeer (leeg: geen declaraties voor dit thema, zoals "
        "bijstand; die telt ook in het totaal niet mee; de marge staat per thema). Verschil: verwacht min begroting; rood "
        "met + is meer dan begroot, met - minder."))
    ws[f"A{R_TOTAL + 1}"].font = style.SUBTITLE
    style.define_name(wb, layout.NAME_SV_BUDGET, ws, f"A{R_THEMES}:B{R_TOTAL - 1}")
    style.define_name(wb, layout.NAME_SV_FORECAST, ws, f"C{R_THEMES}:F{R_TOTAL}")


def _budget(wb: Workbook, ws, ctx: BuildContext) -> None:
    ws[f"A{R_BUDGET}"] = "Meerjarenraming: saldo en kans op een sluitende begroting (euro)"
    ws[f"A{R_BUDGET}"].font = SECTION
    style.header_row(ws, R_YEARS, 1, ["Jaar", *[""] * YEARS])
    labels = {R_SALDO: "Saldo met de geplande maatregelen",
              R_LOW: "Saldo als het tegenzit (1 op 10 kans op minder)",
              R_MID: "Saldo, middelste verwachting",
              R_HIGH: "Saldo als het meezit (1 op 10 kans op meer)",
              R_CHANCE: "Kans dat het jaar sluitend is"}
    for row, text in labels.items():
        ws.cell(row=row, column=1, value=text)
    sources = {R_SALDO: (layout.NAME_MJR_SALDO, 1), R_LOW: (layout.NAME_MJR_BAND, 1),
               R_MID: (layout.NAME_MJR_BAND, 2), R_HIGH: (layout.NAME_MJR_BAND, 3),
               R_CHANCE: (layout.NAME_MJR_CHANCE, 1)}
    for k in range(YEARS):
        c = col(2 + k)
        put_formula(ws, ctx, f"{c}{R_YEARS}", f"=INDEX({layout.NAME_MJR_YEARS},1,{k + 1})")
        for row, (name, line) in sources.items():
            put_formula(ws, ctx, f"{c}{row}", f"=INDEX({name},{line},{k + 1})")
    style.mark_output((ws[f"{col(2 + k)}{r}"] for k in range(YEARS) for r in labels if r != R_CHANCE),
                      number_format=style.EURO)
    style.mark_output((ws[f"{col(2 + k)}{R_CHANCE}"] for k in range(YEARS)), number_format="0%")
    style.write_data(ws, f"A{R_CHANCE + 1}", (
        "Een positief saldo is een overschot, een negatief saldo een tekort. Details: blad "
        f"{layout.MEERJARENRAMING}."))
    ws[f"A{R_CHANCE + 1}"].font = style.SUBTITLE
    style.define_name(wb, layout.NAME_SV_SALDO, ws, style.area(R_SALDO, 2, 5, YEARS))


def _grip(ws, ctx: BuildContext) -> None:
    ws[f"A{R_GRIP}"] = "Grip op het sociaal domein"
    ws[f"A{R_GRIP}"].font = SECTION
    rows = ((R_GRIP + 1, "Gripniveau (ernstig, waakzaam of in controle)", f"={layout.NAME_GN_GRIP_LEVEL}", None),
            (R_GRIP + 2, "Gripscore (0 tot 100)", f"={layout.NAME_GN_GRIP_SCORE}", "0"),
            # no score yet (or an error): the count would say 0, as if nothing were at
            # 'ernstig'; the sentence of the score stands there instead
            (R_GRIP + 3, "Onderwerpen op ernstig (van de negen)",
             f'=IF(ISNUMBER({layout.NAME_GN_GRIP_SCORE}),'
             f'COUNTIF({layout.NAME_GN_LEVELS},"ernstig"),{layout.NAME_GN_GRIP_SCORE})', "0"))
    for row, label, formula, fmt in rows:
        ws.cell(row=row, column=1, value=label)
        put_formula(ws, ctx, f"B{row}", formula)
        style.mark_output([ws[f"B{row}"]], number_format=fmt)
        ws[f"B{row}"].font = BOLD
    from workbooks.sheets.gripniveau import _level_colours

    _level_colours(ws, f"B{R_GRIP + 1}")
    # before a complete self-assessment level and score are a sentence ('nog geen
    # totaaloordeel: vul de zelfbeoordeling aan'): it runs over the empty cells to its right;
    # as the width of column B it pushed both charts onto a second page of the copy to share
    fit.note(ws, f"B{R_GRIP + 1}", f"B{R_GRIP + 2}", f"B{R_GRIP + 3}")
    _assumptions(ws, ctx)


#: Row of the warning that the page still rests on Grip's assumptions: at the top, between the
#: subtitle and the first block, where it is read first (and the page stays one page).
R_ASSUMED = R_SPEND - 1
#: What that row says first when the saldo cannot be computed.
SALDO_BROKEN = ("Let op: het saldo van de meerjarenraming is niet te berekenen: er staat een "
                "foutmelding in het model. De knop 'Werkmap controleren' (tabblad Grip) wijst "
                "de oorzaak aan; deel deze pagina pas daarna.")


def _assumptions(ws, ctx: BuildContext) -> None:
    """A page handed to the wethouder says when its figures still rest on Grip's assumptions:
    the lasten lines of the Meerjarenraming whose Bron begins with 'aanname', and the begroting
    per theme above where it is still the demo's amount. Empty once all are the municipality's
    own."""
    from workbooks.sheets import meerjarenraming as mjr

    source = col(mjr.FIRST_COL + mjr.Y)
    sheet = style.quote_sheetname(layout.MEERJARENRAMING)
    lines = (f'COUNTIF({sheet}!${source}${mjr.R_LASTEN}:${source}${mjr.R_LASTEN_TOTAL - 1},'
             '"aanname*")')
    budget = "+".join(f"(B{R_THEMES + k}={amount:.0f})"
                      for k, (_, amount) in enumerate(demo_budget()[:THEME_ROWS]))
    n = f"({lines}+{budget})"
    # a message anywhere upstream of the saldo: the page says so first (its cells show an
    # error value, and a reader should know why and where to look)
    saldo = f"B{R_SALDO}:{col(1 + YEARS)}{R_CHANCE}"
    broken = f'(SUMPRODUCT(--ISERROR({saldo}))+COUNTIF({saldo},"#*"))'
    put_formula(ws, ctx, f"A{R_ASSUMED}",
                f'=IF({broken}>0,"{SALDO_BROKEN}",'
                f'IF({n}=0,"","Let op: "&{n}&" bedragen op deze pagina rusten nog op aannames '
                "van Grip, niet op de eigen begroting (de begroting per thema met het bedrag van "
                "de demo; op Meerjarenraming de lasten met 'aanname' bij Bron). Vervang ze "
                'voordat u deze pagina deelt."))')
    ws.merge_cells(f"A{R_ASSUMED}:F{R_ASSUMED}")
    ws[f"A{R_ASSUMED}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws[f"A{R_ASSUMED}"].font = WARNING
    ws.row_dimensions[R_ASSUMED].height = 27       # two lines of 10 pt


def _spending_chart(ws) -> BarChart:
    chart = BarChart()
    chart.type, chart.grouping = "bar", "clustered"
    chart.title = "Begroting en verwacht per thema"          # one line
    for c in (2, 3):
        chart.add_data(Reference(ws, min_col=c, min_row=R_SPEND + 1, max_row=R_TOTAL - 1),
                       titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=R_THEMES, max_row=R_TOTAL - 1))
    for series, colour in zip(chart.series, ("A6A6A6", "1F3864")):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.numFmt = style.EURO
    chart.y_axis.majorGridlines = None
    chart.legend.position = "b"
    chart.width, chart.height = 14, SPENDING_CHART_CM
    return chart


def _band_chart(ws) -> LineChart:
    chart = LineChart()
    chart.title = "Saldo per jaar: verwachting en bandbreedte"
    names = {R_LOW: "Als het tegenzit", R_MID: "Middelste verwachting", R_HIGH: "Als het meezit",
             R_SALDO: "Gepland"}
    colours = {R_LOW: "C00000", R_MID: "1F3864", R_HIGH: "70AD47", R_SALDO: "7F7F7F"}
    for row, name in names.items():
        chart.add_data(Reference(ws, min_col=2, max_col=1 + YEARS, min_row=row), from_rows=True,
                       titles_from_data=False)
        chart.series[-1].tx = SeriesLabel(v=name)
        chart.series[-1].graphicalProperties.line.solidFill = colours[row]
    chart.series[-1].graphicalProperties.line.dashStyle = "dash"
    chart.set_categories(Reference(ws, min_col=2, max_col=1 + YEARS, min_row=R_YEARS))
    chart.y_axis.numFmt = style.EURO
    chart.legend.position = "b"
    chart.width, chart.height = 14, 7.0
    return chart
