"""Meerjarenraming: baseline lasten per taakveld, baten under the cliff, measures, saldo band.

Every figure of Gemeente Voorbeeld written here is an *aanname* from ``calc.budget.demo``
(the sheet says so). Grip computes with SD_BASISRAMING (lasten per taakveld and year),
SD_RAVIJN (the municipality's part of the national cut), SD_SALDOBAND (P10/P50/P90 of the
saldo) and SD_KANS_SLUITEND (the chance each year closes, on the per-year triangles of the
rekenblok). The waterfall is a stacked bar chart with an invisible base series (openpyxl has
no waterfall type); the band is a stacked area (invisible P10, visible P90 - P10) plus lines.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.chart import AreaChart, BarChart, LineChart, Reference, Series
from openpyxl.utils import get_column_letter as col
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from calc import profile
from calc.budget import demo
from calc.budget.income import CUT_SCENARIOS, REFORM_SCENARIOS
from calc.budget.years import Horizon
from calc.errors import ModelError
from calc.text import YES, nl_number, yes_no
from workbooks import fit, layout, style
from workbooks.context import BuildContext, checked_sum, put_formula

#: Number of years of the raming (budget year plus three) and their columns (E..H).
Y = demo.HORIZON.n_years
FIRST_COL = 5
YEAR_COLS = [col(FIRST_COL + k) for k in range(Y)]
#: Capacity of the measures table (empty rows do not count).
MEASURE_ROWS = 8

# Scenario block (values in column B); its tables of scenarios stand at the sheet's foot.
R_CUT, R_CUT_OWN, R_CUT_BN, R_CUT_FROM = 6, 7, 8, 9
R_REFORM, R_REFORM_BN, R_REFORM_FROM, R_FUND, R_SHARE = 10, 11, 12, 13, 14
# Assumptions per year.
R_YEARS, R_WAGE, R_PRICE, R_VOLUME, R_AU, R_OTHER, R_RESERVE = 17, 18, 19, 20, 21, 22, 23
# Lasten per taakveld.
R_LASTEN_HEAD = 25
R_LASTEN = R_LASTEN_HEAD + 1
#: Capacity of the lasten table: the demo lines, or the prognose's taakvelden plus the demo's
#: other lines, and room for the user's own lines (empty rows do not count).
N_LASTEN = 30
R_LASTEN_TOTAL = R_LASTEN + N_LASTEN
# Baten.
R_BATEN_HEAD = R_LASTEN_TOTAL + 2
R_B_AU, R_B_CUT, R_B_REFORM, R_B_OTHER, R_B_TOTAL = (R_BATEN_HEAD + k for k in range(1, 6))
# Maatregelen.
R_M_HEAD = R_B_TOTAL + 2
R_M = R_M_HEAD + 1
R_M_TOTAL = R_M + MEASURE_ROWS
#: The folded helper block of SD_KANS_SLUITEND (factors, then 4 columns per year), right of
#: the lasten's Bron and Omschrijving (I, J).
FACTOR_COL = FIRST_COL + Y + 2                                       # K..
TRI_COL = FACTOR_COL + Y                                             # O..
# Saldo.
R_S_HEAD = R_M_TOTAL + 2
(R_S_LASTEN, R_S_BATEN, R_S_BEFORE, R_S_MEASURES, R_S_RESERVE, R_S_SALDO,
 R_P10, R_P50, R_P90, R_WIDTH, R_CHANCE) = (R_S_HEAD + k for k in range(1, 12))
# Waterfall data and the output table.
R_W_HEAD = R_CHANCE + 2
R_W = R_W_HEAD + 3
W_STEPS = ("Saldo zonder ravijn", "Korting gemeentefonds", "Uitname Hervormingsagenda",
           "Maatregelen (gepland)", "Onttrekking reserves", "Saldo na maatregelen en reserves")
R_OUT_HEAD = R_W + len(W_STEPS) + 2
R_OUT = R_OUT_HEAD + 2
OUT_COLUMNS = ("Jaar", "P10 saldo", "P50 saldo", "P90 saldo", "Kans sluitend",
               "Kans structureel sluitend")
HINT = "Klik op 'Begroting doorrekenen' (lint Grip) om deze tabel te vullen."
# Opgave business case.
BC_YEARS = len(demo.BUSINESS_CASE.savings)
R_BC_HEAD = R_OUT + Y + 2
R_BC_GOAL, R_BC_THEMES, R_BC_INDICATORS, R_BC_RATE = (R_BC_HEAD + k for k in range(1, 5))
R_BC_YEARS = R_BC_RATE + 2
R_BC_INVEST, R_BC_SAVE, R_BC_NET, R_BC_CUM, R_BC_DISCOUNT = (R_BC_YEARS + k for k in range(1, 6))
R_BC_PAYBACK, R_BC_NPV = R_BC_DISCOUNT + 1, R_BC_DISCOUNT + 2
BC_COL = 3
# Per measure and year, in the year columns E..H (template 1.9; they stood beside the measures
# in I..P, so the measures table printed over three pages): the planned saving, the indirect
# effect (input), then the two charts and the scenarios to choose from.
R_PLAN_HEAD = R_BC_NPV + 3
R_PLAN = R_PLAN_HEAD + 1
R_PLAN_TOTAL = R_PLAN + MEASURE_ROWS
R_IND_HEAD = R_PLAN_TOTAL + 2
R_IND = R_IND_HEAD + 1
R_CHARTS = R_IND + MEASURE_ROWS + 1
#: Rows a chart of 10 cm takes (with a free row below it).
CHART_ROWS = 21
R_CUT_HEAD = R_CHARTS + 2 * CHART_ROWS
R_REFORM_HEAD = R_CUT_HEAD + len(CUT_SCENARIOS) + 3
R_SCENARIO_NOTE = R_REFORM_HEAD + len(REFORM_SCENARIOS) + 1
#: Widest the label column (A), the theme column (B) and the lasten's Bron (I) and
#: Omschrijving (J) become: the lasten table A:J prints on one page at 75 %.
CAPS = {1: 32.0, 2: 28.0, FIRST_COL + Y: 24.0, FIRST_COL + Y + 1: 24.0}


def horizon(ctx: BuildContext) -> Horizon:
    """The raming's years: the build's budget year plus three."""
    return Horizon(first_year=ctx.budget_year, n_years=Y)


def _years(ctx: BuildContext) -> tuple[int, ...]:
    return horizon(ctx).years


def _rng(row: int, first: int = FIRST_COL, n: int = Y) -> str:
    return f"{col(first)}{row}:{col(first + n - 1)}{row}"


def _label(ws: Worksheet, row: int, text: str, note: str | None = None) -> None:
    style.write_data(ws, f"A{row}", text)
    if note:
        style.write_data(ws, f"C{row}", note)
        ws[f"C{row}"].font = style.SUBTITLE
        fit.note(ws, f"C{row}")


def _input(ws: Worksheet, ref: str, value: Any, fmt: str | None = None) -> None:
    style.write_data(ws, ref, value)
    style.mark_input([ws[ref]], number_format=fmt)


def _scenario(wb: Workbook, ws: Worksheet, ctx: BuildContext) -> None:
    style.header_row(ws, 5, 1, ["Scenario (ravijnjaar)", "Keuze", "Toelichting"])
    # the scenarios to choose from, at the sheet's foot (beside the block in K:L they printed
    # on a page of their own, next to the repeated labels of this block)
    style.header_row(ws, R_CUT_HEAD, 1, ["Kortingsscenario", "mld €"])
    cut_rows = list(CUT_SCENARIOS.items()) + [("eigen bedrag", None)]
    for k, (label, bn) in enumerate(cut_rows):
        style.write_data(ws, f"A{R_CUT_HEAD + 1 + k}", label)
        ws[f"B{R_CUT_HEAD + 1 + k}"] = bn
    style.header_row(ws, R_REFORM_HEAD, 1, ["Hervormingsagenda", "mld €"])
    for k, (label, bn) in enumerate(REFORM_SCENARIOS.items()):
        style.write_data(ws, f"A{R_REFORM_HEAD + 1 + k}", label)
        ws[f"B{R_REFORM_HEAD + 1 + k}"] = bn
    style.write_data(ws, f"A{R_SCENARIO_NOTE}",
                     "bron: gemeentefonds, korting 2026 volgens publicaties 2,0 tot 3,4 mld "
                     "(fonds ca. 47,5 mld); Hervormingsagenda Jeugd 1,0 of 1,5 mld vanaf 2028")
    ws[f"A{R_SCENARIO_NOTE}"].font = style.SUBTITLE
    fit.note(ws, f"A{R_SCENARIO_NOTE}")
    first, last = R_CUT_HEAD + 1, R_CUT_HEAD + len(cut_rows)
    cut_list, cut_table = f"$A${first}:$A${last}", f"$A${first}:$B${last}"
    first, last = R_REFORM_HEAD + 1, R_REFORM_HEAD + len(REFORM_SCENARIOS)
    reform_list, reform_table = f"$A${first}:$A${last}", f"$A${first}:$B${last}"

    _label(ws, R_CUT, "Korting gemeentefonds (scenario)", "kies in de keuzelijst")
    _input(ws, f"B{R_CUT}", demo.CUT_LABEL)
    _label(ws, R_CUT_OWN, "Eigen bedrag landelijke korting (mld €)", "alleen bij 'eigen bedrag'")
    _input(ws, f"B{R_CUT_OWN}", None, "0.0")
    _label(ws, R_CUT_BN, "Landelijke korting (mld €)")
    put_formula(ws, ctx, f"B{R_CUT_BN}",
                f'=IF(B{R_CUT}="eigen bedrag",B{R_CUT_OWN},VLOOKUP(B{R_CUT},{cut_table},2,FALSE))')
    _label(ws, R_CUT_FROM, "Korting vanaf jaar")
    _input(ws, f"B{R_CUT_FROM}", demo.CUT_FROM, "0")
    _label(ws, R_REFORM, "Hervormingsagenda Jeugd (scenario)", "kies in de keuzelijst")
    _input(ws, f"B{R_REFORM}", demo.REFORM_LABEL)
    _label(ws, R_REFORM_BN, "Uitname Hervormingsagenda (mld €)")
    put_formula(ws, ctx, f"B{R_REFORM_BN}", f"=VLOOKUP(B{R_REFORM},{reform_table},2,FALSE)")
    _label(ws, R_REFORM_FROM, "Hervormingsagenda vanaf jaar")
    _input(ws, f"B{R_REFORM_FROM}", demo.REFORM_FROM, "0")
    _label(ws, R_FUND, "Omvang gemeentefonds (mld €)")
    _input(ws, f"B{R_FUND}", demo.FUND, "0.0")
    _label(ws, R_SHARE, "Aandeel sociaal domein in de algemene uitkering",
           "aanname: dit deel van de algemene uitkering én van de korting valt op het sociaal domein")
    _input(ws, f"B{R_SHARE}", demo.DOMAIN_SHARE, style.PERCENT)
    style.mark_output([ws[f"B{R_CUT_BN}"], ws[f"B{R_REFORM_BN}"]], number_format="0.0")
    for ref, formula in ((f"B{R_CUT}", cut_list), (f"B{R_REFORM}", reform_list)):
        dv = DataValidation(type="list", formula1=formula, allow_blank=False,
                            error="Kies een scenario uit de lijst.", errorTitle="Scenario")
        ws.add_data_validation(dv)
        dv.add(ref)
    style.define_name(wb, layout.NAME_MJR_CUT, ws, f"B{R_CUT}")
    style.define_name(wb, layout.NAME_MJR_REFORM, ws, f"B{R_REFORM}")


def _assumptions(wb: Workbook, ws: Worksheet, ctx: BuildContext) -> None:
    style.header_row(ws, R_YEARS - 1, 1, [f"Aannames {nl_number(demo.INHABITANTS, 0)} inwoners"
                                          + " (demo: vervang door eigen cijfers)", "", "", ""])
    _label(ws, R_YEARS, "Jaar")
    rows = ((R_WAGE, "Loonindex", demo.WAGE_INDEX, style.PERCENT),
            (R_PRICE, "Prijsindex", demo.PRICE_INDEX, style.PERCENT),
            (R_VOLUME, "Volumegroei (demografie, groei vraag)", demo.VOLUME_GROWTH, style.PERCENT),
            (R_AU, "Algemene uitkering totaal, vóór korting (€)", demo.ALGEMENE_UITKERING, style.EURO),
            (R_OTHER, "Overige baten sociaal domein: BUIG, eigen bijdragen (€)", demo.OTHER_INCOME,
             style.EURO),
            (R_RESERVE, "Onttrekking reserves, incidenteel (€)", demo.RESERVE_USE, style.EURO))
    for k, year in enumerate(_years(ctx)):
        _input(ws, f"{YEAR_COLS[k]}{R_YEARS}", year, "0")
    for row, label, values, fmt in rows:
        _label(ws, row, label, "aanname")
        for k, v in enumerate(values):
            _input(ws, f"{YEAR_COLS[k]}{row}", v, fmt)
    style.define_name(wb, layout.NAME_MJR_YEARS, ws, _rng(R_YEARS))
    style.define_name(wb, layout.NAME_MJR_RESERVES, ws, _rng(R_RESERVE))


def _year_headers(ws: Worksheet, ctx: BuildContext, row: int, first: int = FIRST_COL) -> None:
    for k in range(Y):
        put_formula(ws, ctx, f"{col(first + k)}{row}", f"={YEAR_COLS[k]}${R_YEARS}")


def _year_text(ws: Worksheet, ctx: BuildContext, ref: str, before: str, k: int, after: str = "",
               offset: int = 0) -> None:
    """A label that names a year of the raming as a formula on the years row, so a different
    budget year changes no template cell (``grip werkmap bijwerken`` compares those)."""
    year = f"{YEAR_COLS[k]}${R_YEARS}" + (f"{offset:+d}" if offset else "")
    put_formula(ws, ctx, ref, f'="{before}"&({year})&"{after}"')


def _lasten(wb: Workbook, ws: Worksheet, ctx: BuildContext) -> None:
    style.header_row(ws, R_LASTEN_HEAD, 1, ["Taakveld", "Thema", f"Lasten {horizon(ctx).start} (€)",
                                            "Loonaandeel", *[str(y) for y in _years(ctx)], "Bron"])
    _year_headers(ws, ctx, R_LASTEN_HEAD)
    _year_text(ws, ctx, f"C{R_LASTEN_HEAD}", "Lasten ", 0, " (€)", offset=-1)
    last = R_LASTEN_TOTAL - 1
    prognose = ctx.data.get("prognose")
    forecast = prognose.forecast if prognose is not None else None
    table = demo.start_table(forecast, getattr(prognose, "coverage", None))
    if len(table) > N_LASTEN:
        raise ModelError(f"de prognose en de overige regels hebben samen {len(table)} regels; het blad "
                         f"{layout.MEERJARENRAMING} heeft plaats voor {N_LASTEN}", argument="prognose")
    sources = lasten_sources(forecast, horizon(ctx).start)
    for k, line in enumerate(table.itertuples(index=False)):
        r = R_LASTEN + k
        _input(ws, f"A{r}", line.taakveld)
        _input(ws, f"B{r}", line.theme)
        _input(ws, f"C{r}", float(line.amount_euro), style.EURO)
        _input(ws, f"D{r}", float(line.wage_share), style.PERCENT)
        _input(ws, f"{col(FIRST_COL + Y)}{r}", f"aanname (demo): {line.note}" if line.note
               else sources[bool(line.from_forecast)])
    for r in range(R_LASTEN + len(table), R_LASTEN_TOTAL):
        for c, fmt in (("A", None), ("B", None), ("C", style.EURO), ("D", style.PERCENT),
                       (col(FIRST_COL + Y), None)):
            _input(ws, f"{c}{r}", None, fmt)
    out = f"{YEAR_COLS[0]}{R_LASTEN}:{YEAR_COLS[-1]}{last}"
    put_formula(ws, ctx, out, f"=SD_BASISRAMING(C{R_LASTEN}:C{last},D{R_LASTEN}:D{last},"
                              f"{_rng(R_WAGE)},{_rng(R_PRICE)},{_rng(R_VOLUME)})")
    style.mark_output((c for row in ws[out] for c in row), number_format=style.EURO)
    _label(ws, R_LASTEN_TOTAL, "Totaal lasten basisraming")
    ws[f"A{R_LASTEN_TOTAL}"].font = style.Font(name="Calibri", bold=True)
    for c in YEAR_COLS:
        put_formula(ws, ctx, f"{c}{R_LASTEN_TOTAL}", checked_sum(f"{c}{R_LASTEN}:{c}{last}"))
    style.mark_output((ws[f"{c}{R_LASTEN_TOTAL}"] for c in YEAR_COLS), number_format=style.EURO)
    style.define_name(wb, layout.NAME_MJR_TAAKVELDEN, ws, f"A{R_LASTEN}:A{last}")
    # the Iv3 description beside each taakveld code, looked up on the sheet Namen
    name_col = col(FIRST_COL + Y + 1)
    style.header_row(ws, R_LASTEN_HEAD, FIRST_COL + Y + 1, ["Omschrijving taakveld (Iv3)"])
    for r in range(R_LASTEN, R_LASTEN_TOTAL):
        put_formula(ws, ctx, f"{name_col}{r}",
                    f'=IFERROR(VLOOKUP(A{r},{layout.NAME_NM_TAAKVELDEN},2,FALSE),"")')
    if ctx.values_only:                 # the copy to share: no empty rows inside the table
        fit.hide_empty_rows(ws, R_LASTEN, last, range(1, 5))
    style.define_name(wb, layout.NAME_MJR_START, ws, f"C{R_LASTEN}:C{last}")
    style.define_name(wb, layout.NAME_MJR_LASTEN, ws, out)


def _baten(wb: Workbook, ws: Worksheet, ctx: BuildContext) -> None:
    style.header_row(ws, R_BATEN_HEAD, 1, ["Baten sociaal domein", "", "", "",
                                           *[str(y) for y in _years(ctx)]])
    _year_headers(ws, ctx, R_BATEN_HEAD)
    labels = {R_B_AU: "Algemene uitkering, deel sociaal domein",
              R_B_CUT: "Korting gemeentefonds (SD_RAVIJN)",
              R_B_REFORM: "Uitname Hervormingsagenda Jeugd (SD_RAVIJN)",
              R_B_OTHER: "Overige baten", R_B_TOTAL: "Totaal baten"}
    for row, text in labels.items():
        _label(ws, row, text)
    for c in YEAR_COLS:
        put_formula(ws, ctx, f"{c}{R_B_AU}", f"={c}{R_AU}*$B${R_SHARE}")
        put_formula(ws, ctx, f"{c}{R_B_CUT}", f"=IF({c}${R_YEARS}>=$B${R_CUT_FROM},"
                                              f"-SD_RAVIJN({c}{R_AU},$B${R_CUT_BN},$B${R_FUND})*$B${R_SHARE},0)")
        put_formula(ws, ctx, f"{c}{R_B_REFORM}", f"=IF({c}${R_YEARS}>=$B${R_REFORM_FROM},"
                                                 f"-SD_RAVIJN({c}{R_AU},$B${R_REFORM_BN},$B${R_FUND})"
                                                 f"*$B${R_SHARE},0)")
        put_formula(ws, ctx, f"{c}{R_B_OTHER}", f"={c}{R_OTHER}")
        put_formula(ws, ctx, f"{c}{R_B_TOTAL}", checked_sum(f"{c}{R_B_AU}:{c}{R_B_OTHER}"))
    style.mark_output((ws[f"{c}{r}"] for c in YEAR_COLS for r in labels), number_format=style.EURO)
    style.define_name(wb, layout.NAME_MJR_BATEN, ws, _rng(R_B_TOTAL))


def _active(r: int, year_ref: str) -> str:
    """Excel: 1 when the measure in row r is active in the year of ``year_ref``."""
    return (f'IF(OR(AND($G{r}="{YES}",{year_ref}>=$F{r}),AND($G{r}<>"{YES}",{year_ref}=$F{r})),'
            '1,0)')


def _measures(wb: Workbook, ws: Worksheet, ctx: BuildContext) -> None:
    heads = ["Maatregel", "Thema", "Laag (€/jaar)", "Waarschijnlijk", "Hoog", "Startjaar",
             "Structureel (ja/nee)", "Realisatiekans"]
    style.header_row(ws, R_M_HEAD, 1, heads)
    years = _years(ctx)
    style.header_row(ws, R_PLAN_HEAD, 1, ["Gepland per maatregel (waarschijnlijk, incl. indirect)",
                                          "Thema", "", "", *[str(y) for y in years]])
    style.header_row(ws, R_IND_HEAD, 1, ["Indirect effect op andere thema's (€, uit de "
                                         "dwarsverbanden)", "Thema", "", "", *[str(y) for y in years]])
    style.header_row(ws, R_M_HEAD, FACTOR_COL, [f"Factor {y}" for y in years])
    for k, y in enumerate(years):
        style.header_row(ws, R_M_HEAD, TRI_COL + 4 * k,
                         [f"Laag {y}", f"Waarsch. {y}", f"Hoog {y}", f"Kans {y}"])
    ws.cell(row=R_M_HEAD - 1, column=FACTOR_COL,
            value="Hulpkolommen (verborgen): besparing per jaar als driehoek, voor SD_KANS_SLUITEND")
    _year_headers(ws, ctx, R_PLAN_HEAD)
    _year_headers(ws, ctx, R_IND_HEAD)
    _year_headers(ws, ctx, R_M_HEAD, FACTOR_COL)
    for k in range(Y):
        for t, word in enumerate(("Laag ", "Waarsch. ", "Hoog ", "Kans ")):
            _year_text(ws, ctx, f"{col(TRI_COL + 4 * k + t)}{R_M_HEAD}", word, k)
    structural = DataValidation(type="list", formula1='"ja,nee"', allow_blank=True)
    ws.add_data_validation(structural)
    measures = demo.measures(horizon(ctx))
    for k in range(MEASURE_ROWS):
        r, plan_row, ind_row = R_M + k, R_PLAN + k, R_IND + k
        m = measures[k] if k < len(measures) else None
        if m:
            indirect = tuple(sum(v[j] for v in m.indirect.values()) for j in range(Y))
            style.write_data(ws, f"A{r}", m.name)
            style.write_data(ws, f"B{r}", m.theme)
            values = (m.low, m.most_likely, m.high, m.start_year, yes_no(m.structural),
                      m.chance)
        else:
            indirect, values = (None,) * Y, (None,) * 6
        for j, v in enumerate(values):
            fmt = (style.EURO, style.EURO, style.EURO, "0", None, style.PERCENT)[j]
            _input(ws, f"{col(3 + j)}{r}", v, fmt)
        style.mark_input([ws[f"A{r}"], ws[f"B{r}"]])
        structural.add(f"G{r}")
        for row in (plan_row, ind_row):     # the measure and its theme name the row
            for c in ("A", "B"):
                put_formula(ws, ctx, f"{c}{row}", f'=IF(${c}${r}="","",${c}${r})')
        for j in range(Y):
            year, factor = YEAR_COLS[j], col(FACTOR_COL + j)
            ind = f"${year}${ind_row}"
            _input(ws, f"{year}{ind_row}", indirect[j] or None, style.EURO)
            put_formula(ws, ctx, f"{year}{plan_row}",
                        f'=IF($C${r}="",0,{_active(r, f"{year}${R_PLAN_HEAD}")}*$D{r}+{ind})')
            put_formula(ws, ctx, f"{factor}{r}", f'=IF($C{r}="","",{_active(r, f"{factor}${R_M_HEAD}")}'
                                                 f"+IF($D{r}=0,0,{ind}/$D{r}))")
            # A negative factor (indirect effects larger than the saving) turns the triangle over.
            for t, expr in enumerate((f"MIN($C{r}*{factor}{r},$E{r}*{factor}{r})", f"$D{r}*{factor}{r}",
                                      f"MAX($C{r}*{factor}{r},$E{r}*{factor}{r})")):
                put_formula(ws, ctx, f"{col(TRI_COL + 4 * j + t)}{r}", f'=IF($C{r}="","",{expr})')
            put_formula(ws, ctx, f"{col(TRI_COL + 4 * j + 3)}{r}",
                        f'=IF($C{r}="","",IF($H{r}="",1,$H{r}))')
    if ctx.values_only:                 # the copy to share: no empty rows inside the tables
        fit.hide_empty_rows(ws, R_M, R_M_TOTAL - 1, range(1, 9))
        fit.hide_empty_rows(ws, R_PLAN, R_PLAN_TOTAL - 1, (1,))
        fit.hide_empty_rows(ws, R_IND, R_IND + MEASURE_ROWS - 1, (1, *range(FIRST_COL, FIRST_COL + Y)))
    plan_cells = [ws[f"{c}{R_PLAN + k}"] for c in YEAR_COLS for k in range(MEASURE_ROWS)]
    style.mark_output(plan_cells, number_format=style.EURO)
    ws[f"A{R_M_TOTAL}"] = (f"Per jaar: gepland (rij {R_PLAN_HEAD}) en het indirecte effect "
                           f"(rij {R_IND_HEAD}) staan onder de business case.")
    ws[f"A{R_M_TOTAL}"].font = style.SUBTITLE
    fit.note(ws, f"A{R_M_TOTAL}")
    _label(ws, R_PLAN_TOTAL, "Totaal maatregelen gepland (waarschijnlijk, incl. indirect)")
    for c in YEAR_COLS:
        put_formula(ws, ctx, f"{c}{R_PLAN_TOTAL}", checked_sum(f"{c}{R_PLAN}:{c}{R_PLAN_TOTAL - 1}"))
        style.mark_output([ws[f"{c}{R_PLAN_TOTAL}"]], number_format=style.EURO)
    style.define_name(wb, layout.NAME_MJR_MEASURES, ws, f"C{R_M}:H{R_M_TOTAL - 1}")
    style.define_name(wb, layout.NAME_MJR_INDIRECT, ws, _indirect_range())


def _indirect_range() -> str:
    return f"{YEAR_COLS[0]}{R_IND}:{YEAR_COLS[-1]}{R_IND + MEASURE_ROWS - 1}"


def _saldo(wb: Workbook, ws: Worksheet, ctx: BuildContext) -> None:
    style.header_row(ws, R_S_HEAD, 1, ["Saldo (positief = overschot)", "", "", "",
                                       *[str(y) for y in _years(ctx)]])
    _year_headers(ws, ctx, R_S_HEAD)
    rows = {R_S_LASTEN: "Lasten basisraming", R_S_BATEN: "Baten",
            R_S_BEFORE: "Saldo vóór maatregelen", R_S_MEASURES: "Maatregelen gepland",
            R_S_RESERVE: "Onttrekking reserves", R_S_SALDO: "Saldo na maatregelen en reserves (gepland)",
            R_P10: "P10 saldo (SD_SALDOBAND)", R_P50: "P50 saldo", R_P90: "P90 saldo",
            R_WIDTH: "Bandbreedte P90 - P10", R_CHANCE: "Kans op een sluitende begroting (SD_KANS_SLUITEND)"}
    for row, text in rows.items():
        _label(ws, row, text)
    measures = f"C{R_M}:H{R_M_TOTAL - 1}"
    indirect = _indirect_range()
    for k, c in enumerate(YEAR_COLS):
        put_formula(ws, ctx, f"{c}{R_S_LASTEN}", f"={c}{R_LASTEN_TOTAL}")
        put_formula(ws, ctx, f"{c}{R_S_BATEN}", f"={c}{R_B_TOTAL}")
        put_formula(ws, ctx, f"{c}{R_S_BEFORE}", f"={c}{R_S_BATEN}-{c}{R_S_LASTEN}")
        put_formula(ws, ctx, f"{c}{R_S_MEASURES}", f"={c}{R_PLAN_TOTAL}")
        put_formula(ws, ctx, f"{c}{R_S_RESERVE}", f"={c}{R_RESERVE}")
        put_formula(ws, ctx, f"{c}{R_S_SALDO}", f"={c}{R_S_BEFORE}+{c}{R_S_MEASURES}+{c}{R_S_RESERVE}")
        put_formula(ws, ctx, f"{c}{R_WIDTH}", f"={c}{R_P90}-{c}{R_P10}")
        tri = f"{col(TRI_COL + 4 * k)}{R_M}:{col(TRI_COL + 4 * k + 3)}{R_M_TOTAL - 1}"
        put_formula(ws, ctx, f"{c}{R_CHANCE}",
                    f"=SD_KANS_SLUITEND(-({c}{R_S_BEFORE}+{c}{R_S_RESERVE}),{tri})")
    band = f"{YEAR_COLS[0]}{R_P10}:{YEAR_COLS[-1]}{R_P90}"
    put_formula(ws, ctx, band, f"=SD_SALDOBAND({_rng(R_YEARS)},{_rng(R_S_BEFORE)},{_rng(R_S_RESERVE)},"
                               f"{measures},{indirect})")
    style.mark_output((ws[f"{c}{r}"] for c in YEAR_COLS for r in rows if r != R_CHANCE),
                      number_format=style.EURO)
    style.mark_output((ws[f"{c}{R_CHANCE}"] for c in YEAR_COLS), number_format=style.PERCENT)
    style.define_name(wb, layout.NAME_MJR_SALDO_BEFORE, ws, _rng(R_S_BEFORE))
    style.define_name(wb, layout.NAME_MJR_SALDO, ws, _rng(R_S_SALDO))
    style.define_name(wb, layout.NAME_MJR_BAND, ws, band)
    style.define_name(wb, layout.NAME_MJR_CHANCE, ws, _rng(R_CHANCE))


def _waterfall(ws: Worksheet, ctx: BuildContext) -> BarChart:
    """Data (begin, end, invisible base, rises and falls split at zero) and the stacked bar chart."""
    style.header_row(ws, R_W_HEAD, 1, ["Waterval van het jaar", "Jaar", "Kolom"])
    _input(ws, f"B{R_W_HEAD + 1}", _years(ctx)[-1], "0")
    dv = DataValidation(type="list", formula1=f"${YEAR_COLS[0]}${R_YEARS}:${YEAR_COLS[-1]}${R_YEARS}")
    ws.add_data_validation(dv)
    dv.add(f"B{R_W_HEAD + 1}")
    pick = f"$C${R_W_HEAD + 1}"
    put_formula(ws, ctx, pick[1:].replace("$", ""), f"=MATCH(B{R_W_HEAD + 1},{_rng(R_YEARS)},0)")
    heads = ["Stap", "Begin", "Eind", "Onderkant balk", "Stijging", "Stijging (onder 0)",
             "Daling", "Daling (onder 0)", "Totaal"]
    style.write_data(ws, f"A{R_W_HEAD + 1}", "Kies het jaar (de kolom volgt)")
    style.header_row(ws, R_W - 1, 1, heads)

    def at(row: int) -> str:
        return f"INDEX({_rng(row)},1,{pick})"

    deltas = {1: at(R_B_CUT), 2: at(R_B_REFORM), 3: at(R_S_MEASURES), 4: at(R_S_RESERVE)}
    for k, step in enumerate(W_STEPS):
        r = R_W + k
        style.write_data(ws, f"A{r}", step)
        if k == 0:
            put_formula(ws, ctx, f"B{r}", "=0")
            put_formula(ws, ctx, f"C{r}", f"={at(R_B_AU)}+{at(R_B_OTHER)}-{at(R_S_LASTEN)}")
        elif k == len(W_STEPS) - 1:
            put_formula(ws, ctx, f"B{r}", "=0")
            put_formula(ws, ctx, f"C{r}", f"={at(R_S_SALDO)}")
        else:
            put_formula(ws, ctx, f"B{r}", f"=C{r - 1}")
            put_formula(ws, ctx, f"C{r}", f"=B{r}+{deltas[k]}")
        total = k in (0, len(W_STEPS) - 1)
        lo, hi = f"MIN(B{r},C{r})", f"MAX(B{r},C{r})"
        base = f"IF({lo}>=0,{lo},IF({hi}<=0,{hi},0))"
        pos = f"IF({lo}>=0,{hi}-{lo},IF({hi}<=0,0,{hi}))"
        neg = f"IF({lo}>=0,0,IF({hi}<=0,{lo}-{hi},{lo}))"
        formulas = (["=0", "=0", "=0", "=0", "=0", f"=C{r}"] if total else
                    [f"={base}", f"=IF(C{r}>=B{r},{pos},0)", f"=IF(C{r}>=B{r},{neg},0)",
                     f"=IF(C{r}<B{r},{pos},0)", f"=IF(C{r}<B{r},{neg},0)", "=0"])
        for j, f in enumerate(formulas):
            put_formula(ws, ctx, f"{col(4 + j)}{r}", f)
        style.mark_output((ws[f"{col(2 + j)}{r}"] for j in range(8)), number_format=style.EURO)

    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = "Van basisraming naar saldo (waterval)"
    chart.y_axis.title = "€"
    last = R_W + len(W_STEPS) - 1
    chart.add_data(Reference(ws, min_col=4, max_col=9, min_row=R_W - 1, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=R_W, max_row=last))
    colours = (None, "70AD47", "70AD47", "C00000", "C00000", "1F3864")
    for series, colour in zip(chart.series, colours):
        if colour is None:
            series.graphicalProperties.noFill = True
            series.graphicalProperties.line.noFill = True
        else:
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
    chart.legend = None
    chart.visible_cells_only = False    # its data rows are folded away
    chart.width, chart.height = 22, 10
    return chart


def _band_chart(ws: Worksheet) -> AreaChart:
    """Stacked area: invisible P10 and the P90 - P10 band; lines for P50 and the planned saldo."""
    cats = Reference(ws, min_col=FIRST_COL, max_col=FIRST_COL + Y - 1, min_row=R_YEARS)
    area = AreaChart()
    area.grouping = "stacked"
    area.title = "Saldo na maatregelen: bandbreedte P10 - P90"
    area.y_axis.title = "€"
    for row, name in ((R_P10, "P10"), (R_WIDTH, "P10 tot P90")):
        area.series.append(Series(Reference(ws, min_col=FIRST_COL, max_col=FIRST_COL + Y - 1,
                                            min_row=row), title=name))
    area.series[0].graphicalProperties.noFill = True
    area.series[0].graphicalProperties.line.noFill = True
    area.series[1].graphicalProperties.solidFill = "BDD7EE"
    area.set_categories(cats)
    lines = LineChart()
    for row, name in ((R_P50, "P50"), (R_S_SALDO, "Gepland saldo")):
        lines.series.append(Series(Reference(ws, min_col=FIRST_COL, max_col=FIRST_COL + Y - 1,
                                             min_row=row), title=name))
    lines.set_categories(cats)
    area += lines
    area.width, area.height = 22, 10
    return area


def _output(wb: Workbook, ws: Worksheet, ctx: BuildContext) -> None:
    style.write_data(ws, f"A{R_OUT_HEAD}", "Uitkomst van de knop 'Begroting doorrekenen' "
                                           "(alle maatregelen vele keren doorgerekend)")
    ws[f"A{R_OUT_HEAD}"].font = style.Font(name="Calibri", bold=True)
    style.header_row(ws, R_OUT - 1, 1, list(OUT_COLUMNS))
    result = ctx.data.get("begroting")
    rows = output_rows(result) if result is not None else None
    for k in range(Y):
        for j in range(len(OUT_COLUMNS)):
            cell = ws.cell(row=R_OUT + k, column=1 + j, value=rows[k][j] if rows else None)
            fmt = "0" if j == 0 else (style.PERCENT if j >= 4 else style.EURO)
            style.mark_output([cell], number_format=fmt)
    if rows is None:    # in the table's first cell, which the button overwrites (the header
        # row above keeps its 'Jaar': the hint stood there, grey on the header's dark blue,
        # and stayed after the button had filled the table)
        style.write_data(ws, f"A{R_OUT}", HINT)
        ws[f"A{R_OUT}"].font = style.SUBTITLE
    style.define_name(wb, layout.NAME_OUT_BEGROTING, ws,
                      style.area(R_OUT, 1, Y, len(OUT_COLUMNS)))


def _business_case(ws: Worksheet, ctx: BuildContext) -> None:
    """The opgave: goal, themes, indicators, investment and savings per year, payback, NPV."""
    case = demo.business_case(horizon(ctx))
    style.header_row(ws, R_BC_HEAD, 1, ["Opgave business case", "Invoer"])
    for row, label, value in ((R_BC_GOAL, "Doel", case.goal),
                              (R_BC_THEMES, "Gekoppelde thema's", "; ".join(case.themes)),
                              (R_BC_INDICATORS, "Financiële indicatoren om te volgen",
                               "; ".join(case.indicators))):
        _label(ws, row, label)
        _input(ws, f"B{row}", value)
        ws[f"B{row}"].alignment = style.Alignment(wrap_text=True, vertical="top")
    _label(ws, R_BC_RATE, "Disconteringsvoet (aanname)")
    _input(ws, f"B{R_BC_RATE}", case.discount_rate, style.PERCENT)
    cols = [col(BC_COL + k) for k in range(BC_YEARS)]
    span = lambda row: f"{cols[0]}{row}:{cols[-1]}{row}"  # noqa: E731
    _label(ws, R_BC_YEARS, "Jaar")
    for k, year in enumerate(case.years):
        _input(ws, f"{cols[k]}{R_BC_YEARS}", year, "0")
        _input(ws, f"{cols[k]}{R_BC_INVEST}", case.investment[k], style.EURO)
        _input(ws, f"{cols[k]}{R_BC_SAVE}", case.savings[k], style.EURO)
        c = cols[k]
        put_formula(ws, ctx, f"{c}{R_BC_NET}", f"={c}{R_BC_SAVE}-{c}{R_BC_INVEST}")
        put_formula(ws, ctx, f"{c}{R_BC_CUM}", checked_sum(f"${cols[0]}{R_BC_NET}:{c}{R_BC_NET}"))
        put_formula(ws, ctx, f"{c}{R_BC_DISCOUNT}",
                    f"=1/(1+$B${R_BC_RATE})^({c}{R_BC_YEARS}-${cols[0]}${R_BC_YEARS})")
    _label(ws, R_BC_INVEST, "Investering (€, aanname)")
    _label(ws, R_BC_SAVE, "Verwachte besparing (€, aanname)")
    _label(ws, R_BC_NET, "Netto (€)")
    _label(ws, R_BC_CUM, "Cumulatief netto (€)")
    _label(ws, R_BC_DISCOUNT, "Disconteringsfactor")
    _label(ws, R_BC_PAYBACK, "Terugverdienjaar (SD_TERUGVERDIENJAAR)")
    _label(ws, R_BC_NPV, "Netto contante waarde (€)")
    put_formula(ws, ctx, f"B{R_BC_PAYBACK}", f"=SD_TERUGVERDIENJAAR({span(R_BC_YEARS)},"
                                             f"{span(R_BC_INVEST)},{span(R_BC_SAVE)})")
    put_formula(ws, ctx, f"B{R_BC_NPV}", f"=SUMPRODUCT({span(R_BC_NET)},{span(R_BC_DISCOUNT)})")
    style.mark_output((ws[f"{c}{r}"] for c in cols for r in (R_BC_NET, R_BC_CUM)),
                      number_format=style.EURO)
    style.mark_output((ws[f"{c}{R_BC_DISCOUNT}"] for c in cols), number_format=style.FACTOR)
    style.mark_output([ws[f"B{R_BC_PAYBACK}"]], number_format="0")
    style.mark_output([ws[f"B{R_BC_NPV}"]], number_format=style.EURO)


def lasten_sources(forecast: Any, base_year: int) -> dict[bool, str]:
    """The 'Bron' text of a lasten line: from the prognose (year and peilmaand) or an assumption."""
    if forecast is None:
        return {False: "aanname (demo)", True: "aanname (demo)"}
    text = f"prognose jaareinde {forecast.year}, peilmaand {forecast.as_of:%m-%Y}"
    if forecast.year != base_year:
        text += f" (let op: niet het basisjaar {base_year})"
    return {True: text, False: "aanname (demo): niet in de berichten"}


def output_rows(result: Any) -> list[list[Any]]:
    """The output table (one row per year) from a ``calc.budget.measures.BudgetResult``."""
    band = result.band
    return [[int(year), *(float(band.loc[r, year]) for r in band.index)] for year in band.columns]


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Meerjarenraming sheet."""
    ws = wb.create_sheet(layout.MEERJARENRAMING)
    years = _years(ctx)
    style.title(ws, f"Meerjarenraming {years[0]}-{years[-1]}",
                "Basisraming per taakveld, baten onder het ravijnscenario, maatregelen met onzekere "
                "besparingen en de kans op een sluitende begroting.")
    whose = f"van {profile.NAME} " if profile.is_demo(ctx.municipality) else "van het voorbeeld "
    ws["A3"] = (f"Geel: invoer (de cijfers {whose}zijn aannames; bij de lasten zegt kolom "
                "Bron welke uit de prognose komen). Groen: Grip rekent. "
                "Besparingen en saldo in euro per jaar; een positief saldo is een overschot.")
    _scenario(wb, ws, ctx)
    _assumptions(wb, ws, ctx)
    put_formula(ws, ctx, "A1", f'="Meerjarenraming "&{YEAR_COLS[0]}{R_YEARS}&"-"&{YEAR_COLS[-1]}{R_YEARS}')
    _lasten(wb, ws, ctx)
    _baten(wb, ws, ctx)
    _measures(wb, ws, ctx)
    _saldo(wb, ws, ctx)
    # the charts at the sheet's foot, in the columns of the tables (beside the saldo in K they
    # printed on pages of their own)
    ws.add_chart(_waterfall(ws, ctx), f"A{R_CHARTS}")
    ws.add_chart(_band_chart(ws), f"A{R_CHARTS + CHART_ROWS}")
    _output(wb, ws, ctx)
    _business_case(ws, ctx)
    style.widths(ws, {1: 52, 2: 34, 3: 18, 4: 14, **{FIRST_COL + k: 15 for k in range(Y)},
                      9: 14, 10: 34})
    for column, width in CAPS.items():
        fit.cap_width(ws, column, width)
    ws.freeze_panes = "B4"
    ws.print_title_cols = "A:A"         # every printed page names its rows
    fit.note(ws, "A3")
    # the helper block of SD_KANS_SLUITEND (factors and triangles per year) is folded away
    fit.hide_columns(ws, FACTOR_COL, TRI_COL + 4 * Y - 1)
    # the waterfall's helper columns (base, rises, falls) feed the chart only
    fit.hide_rows(ws, R_W - 1, R_W + len(W_STEPS) - 1)
