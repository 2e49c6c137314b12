"""Dwarsverbanden: the effect matrix, a structural shock and its total effect per theme.

The coefficients written here are the demo municipality's *assumptions* (marked
"aanname" on the sheet); a controller replaces them with their own.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.series import SeriesLabel

from calc.profile import second_word
from calc.cross_effects import LINK_COLUMNS, Link, links_to_rows, load_links
from workbooks import fit, layout, style
from workbooks.context import BuildContext, checked_sum, put_formula

#: Demo themes, effect coefficients A[i][j] (change in theme i per euro in theme j) and shock.
DEMO_THEMES = (
    "Minimabeleid en bijzondere bijstand",
    "Schuldhulpverlening",
    "Bijstand",
    "Preventie en voorliggend veld",
    "Jeugdhulp zonder verblijf",
)
DEMO_MATRIX = (
    (0.0, 0.0, 0.10, 0.0, 0.0),
    (-0.30, 0.0, 0.05, 0.0, 0.0),
    (0.0, -0.50, 0.0, 0.0, 0.0),
    (0.0, 0.0, 0.0, 0.0, 0.0),
    (0.0, 0.0, 0.0, -0.40, 0.0),
)
DEMO_SHOCK = (-200_000.0, 0.0, 0.0, 150_000.0, 0.0)
DEMO_NOTES = (
    "aanname: meer bijstand geeft meer aanvragen bijzondere bijstand",
    "aanname: minder minimabeleid geeft meer schulden; meer bijstand ook",
    "bron: MKBA schuldhulpverlening (rendement ca. 2, ongeveer de helft voor de gemeente)",
    "",
    "aanname: preventie verlaagt de vraag naar jeugdhulp zonder verblijf",
)
#: Lags (whole years) of the demo matrix for SD_EFFECTPAD: prevention pays off after 2 years.
DEMO_LAGS = (
    (1, 1, 0, 1, 1),
    (1, 1, 1, 1, 1),
    (1, 1, 1, 1, 1),
    (1, 1, 1, 1, 1),
    (1, 1, 1, 2, 1),
)
#: Width of the column of sources (the matrix's Bron, the links' Bron of aanname, the path's
#: Jaar 8) and of column B (the links' Naar, the path's Jaar 1): the path table A:K prints on
#: one page at 75 %, with room for ten million euro in each year.
NOTE_COL_WIDTH = 24.0
TARGET_COL_WIDTH = 20.0
LINK_HEADERS = ("Van (bron)", "Naar (doel)", "Eenheid", "Laag", "Verwacht", "Hoog", "Vertraging (jaren)",
                "Aandeel gemeente", "Bron of aanname")
LINK_FORMATS = (None, None, None, style.FACTOR, style.FACTOR, style.FACTOR, "0", style.PERCENT, None)


def second_links(links: tuple[Link, ...], word: str = "buurgemeente") -> tuple[Link, ...]:
    """The neighbour's coefficients: the defaults, with two of its own (assumptions)."""
    own = {
        "Re-integratie → Bijstand": {"low": -0.8, "mode": -0.4, "high": -0.1,
                                     "note": f"aanname {word}: minder uitstroom naar werk"},
        "Minimabeleid en bijzondere bijstand → Schuldhulpverlening": {
            "low": -0.6, "mode": -0.4, "high": -0.2,
            "note": f"aanname {word}: meer huishoudens met schulden"},
    }
    out = [link.model_copy(update=own[link.label]) if link.label in own else link for link in links]
    return tuple(out)


def link_sets(ctx: BuildContext) -> tuple[tuple[Link, ...], tuple[Link, ...]]:
    """The link tables of both municipalities (a job may hand its own in ``ctx.data``)."""
    data = ctx.data.get("dwarsverbanden", {}) if isinstance(ctx.data.get("dwarsverbanden"), dict) else {}
    first = data.get("links") or load_links()
    return first, data.get("links_b") or second_links(first, second_word(ctx.municipality))


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Dwarsverbanden sheet with the SD_TOTAALEFFECT block."""
    ws = wb.create_sheet(layout.DWARSVERBANDEN)
    style.title(ws, "Dwarsverbanden",
                "Hoe een structurele verandering in één thema doorwerkt in de andere thema's.")
    ws["A3"] = ("Cel (rij i, kolom j) van de matrix: directe verandering in thema i per euro "
                "verandering in thema j. De kolom Totaaleffect rekent Grip uit met "
                "SD_TOTAALEFFECT, inclusief de schok zelf.")
    n = len(DEMO_THEMES)
    top = layout.DV_FIRST_ROW
    col = layout.DV_NAME_COL
    shock_col, total_col, note_col = col + n + 1, col + n + 2, col + n + 3
    style.header_row(ws, top, col, ["Thema", *DEMO_THEMES,
                                    "Schok (€ per jaar)", "Totaaleffect (€ per jaar)", "Bron"])
    for i, name in enumerate(DEMO_THEMES):
        r = top + 1 + i
        style.write_data(ws, f"A{r}", name)
        for j in range(n):
            ws.cell(row=r, column=col + 1 + j, value=DEMO_MATRIX[i][j] or None)
        ws.cell(row=r, column=shock_col, value=DEMO_SHOCK[i] or None)
        style.write_data(ws, ws.cell(row=r, column=note_col).coordinate, DEMO_NOTES[i] or None)
    matrix = style.area(top + 1, col + 1, n, n)
    shock = style.area(top + 1, shock_col, n, 1)
    total = style.area(top + 1, total_col, n, 1)
    style.mark_input((c for row in ws[matrix] for c in row), number_format=style.FACTOR)
    style.mark_input((c for row in ws[shock] for c in row), number_format=style.EURO)
    put_formula(ws, ctx, total, f"=SD_TOTAALEFFECT({matrix},{shock})")
    style.mark_output((c for row in ws[total] for c in row), number_format=style.EURO)

    sums = top + n + 2
    ws.cell(row=sums, column=col, value="Totaal schok")
    ws.cell(row=sums + 1, column=col, value="Totaal effect, alle thema's")
    ws.cell(row=sums + 2, column=col, value="Waarvan indirect (via andere thema's)")
    shock_sum = ws.cell(row=sums, column=total_col).coordinate
    total_sum = ws.cell(row=sums + 1, column=total_col).coordinate
    indirect = ws.cell(row=sums + 2, column=total_col).coordinate
    put_formula(ws, ctx, shock_sum, checked_sum(shock))
    put_formula(ws, ctx, total_sum, checked_sum(total))
    put_formula(ws, ctx, indirect, f"={total_sum}-{shock_sum}")
    style.mark_output((ws[a] for a in (shock_sum, total_sum, indirect)), number_format=style.EURO)

    style.define_name(wb, layout.NAME_DV_THEMES, ws, style.area(top + 1, col, n, 1))
    style.define_name(wb, layout.NAME_DV_MATRIX, ws, matrix)
    style.define_name(wb, layout.NAME_DV_SHOCK, ws, shock)
    style.define_name(wb, layout.NAME_DV_TOTAL, ws, total)
    path_top = _path_block(wb, ws, ctx, sums + 4, matrix, shock)
    _link_tables(wb, ws, ctx, path_top)
    style.widths(ws, {col: 38, **{col + 1 + j: 14 for j in range(n)},
                      shock_col: 18, total_col: 20, note_col: NOTE_COL_WIDTH})
    # the sources and the links' target themes wrap in columns narrow enough that the path's
    # ten years (B..K) print on one page with their themes: at 60 wide the sources pushed
    # Jaar 8-10 and every source to pages of their own, beside only the repeated theme names
    fit.cap_width(ws, note_col, NOTE_COL_WIDTH)
    fit.cap_width(ws, col + 1, TARGET_COL_WIDTH)
    ws.freeze_panes = ws.cell(row=top + 1, column=col + 1)
    ws.print_title_cols = "A:A"         # every printed page names its rows


def _path_block(wb: Workbook, ws, ctx: BuildContext, top: int, matrix: str, shock: str) -> int:
    """Lags and the SD_EFFECTPAD path of the demo matrix, with a line chart. Returns the next free row."""
    n, col, years = len(DEMO_THEMES), layout.DV_NAME_COL, layout.MT_YEARS
    ws.cell(row=top, column=col, value="Pad door de tijd").font = style.SUBTITLE
    ws.cell(row=top + 1, column=col, value=(
        "Vertraging per verband in hele jaren (0 = hetzelfde jaar). Elk jaar telt de schok plus wat "
        "de andere thema's (na hun vertraging) doorgeven; het pad loopt naar het totaaleffect hierboven."))
    head = top + 2
    path_col = col + 1
    path_head = head + n + 2           # the path below the lags, in the same columns
    style.header_row(ws, head, col, ["Vertraging (jaren)", *DEMO_THEMES])
    style.header_row(ws, path_head, col, ["Pad (€ per jaar)", *[f"Jaar {t}" for t in range(1, years + 1)]])
    for i, name in enumerate(DEMO_THEMES):
        style.write_data(ws, f"A{head + 1 + i}", name)
        for j in range(n):
            ws.cell(row=head + 1 + i, column=col + 1 + j, value=DEMO_LAGS[i][j])
    for i, name in enumerate(DEMO_THEMES):
        style.write_data(ws, f"A{path_head + 1 + i}", name)
    lags = style.area(head + 1, col + 1, n, n)
    path = style.area(path_head + 1, path_col, n, years)
    style.mark_input((c for row in ws[lags] for c in row), number_format="0")
    put_formula(ws, ctx, path, f"=SD_EFFECTPAD({matrix},{shock},{years},{lags})")
    style.mark_output((c for row in ws[path] for c in row), number_format=style.EURO)
    style.define_name(wb, layout.NAME_DV_LAGS, ws, lags)
    style.define_name(wb, layout.NAME_DV_PATH, ws, path)

    chart = LineChart()
    chart.title = "Pad door de tijd per thema (€ per jaar)"
    chart.y_axis.title, chart.x_axis.title = "€ per jaar", "jaar"
    for i in range(n):
        values = Reference(ws, min_col=path_col, max_col=path_col + years - 1,
                           min_row=path_head + 1 + i)
        chart.add_data(values, from_rows=True, titles_from_data=False)
        chart.series[-1].tx = SeriesLabel(v=DEMO_THEMES[i])
    chart.set_categories(Reference(ws, min_col=path_col, max_col=path_col + years - 1,
                                   min_row=path_head))
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, ws.cell(row=path_head + n + 2, column=path_col).coordinate)
    return path_head + n + 20


def _link_tables(wb: Workbook, ws, ctx: BuildContext, top: int) -> None:
    """The links of the 20-theme model of both municipalities (input for SD_SCENARIO)."""
    first, second = link_sets(ctx)
    ws.cell(row=top, column=1, value="Verbanden van het model (thema's op het blad Thema's)").font = style.SUBTITLE
    ws.cell(row=top + 1, column=1, value=(
        "Per verband: het directe effect op het doelthema per euro (of per cliënt) in het bronthema, "
        "laag / verwacht / hoog, de vertraging, het deel dat bij de gemeente landt (de rest valt bij "
        "andere partijen) en de bron, of 'aanname'. Lege regels tellen niet mee."))
    width = len(LINK_COLUMNS)
    for k, (links, col, name, who) in enumerate((
            (first, 1, layout.NAME_DV_LINKS, ctx.municipality),
            (second, 1, layout.NAME_DV_LINKS_B, ctx.second_municipality))):
        if k:                           # the second municipality below the first
            top += layout.DV_LINK_ROWS + 4
        style.write_data(ws, ws.cell(row=top + 2, column=col).coordinate, who)
        ws.cell(row=top + 2, column=col).font = style.SUBTITLE
        style.header_row(ws, top + 3, col, LINK_HEADERS)
        rows = links_to_rows(links)
        if len(rows) > layout.DV_LINK_ROWS:
            raise ValueError(f"the sheet holds {layout.DV_LINK_ROWS} links, got {len(rows)}")
        first_row = top + 4
        for r, row in enumerate(rows):
            for c, (value, fmt) in enumerate(zip(row, LINK_FORMATS)):
                style.write_data(ws, ws.cell(row=first_row + r, column=col + c).coordinate, value,
                                 number_format=fmt)
        ref = style.area(first_row, col, layout.DV_LINK_ROWS, width)
        style.mark_input((c for row in ws[style.area(first_row, col, layout.DV_LINK_ROWS, width - 1)]
                          for c in row))
        for c in range(width - 1):
            fmt = LINK_FORMATS[c]
            if fmt:
                for cell_row in ws[style.area(first_row, col + c, layout.DV_LINK_ROWS, 1)]:
                    cell_row[0].number_format = fmt
        style.dropdown(ws, style.area(first_row, col, layout.DV_LINK_ROWS, 2), layout.NAME_TH_NAMES,
                       prompt="Kies een thema van het blad Thema's.")
        style.dropdown(ws, style.area(first_row, col + 2, layout.DV_LINK_ROWS, 1), "euro,client")
        style.define_name(wb, name, ws, ref)
        if ctx.values_only:             # the copy to share: no empty rows inside the table
            fit.hide_empty_rows(ws, first_row, first_row + layout.DV_LINK_ROWS - 1,
                                range(col, col + width))
