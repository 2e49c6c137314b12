"""Layout and print: the demo's values copy fits its content, prints legibly, and the lint can fail."""

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from workbooks import fit, layout, printing, style


@pytest.fixture(scope="module")
def values_copy(demo):
    return load_workbook(demo.values_copy)


def test_the_demo_values_copy_lints_clean(values_copy):
    """No clipped text, no number that shows ###, no text below 4.5:1 contrast on any sheet."""
    problems = [p for ws in values_copy.worksheets for p in fit.lint(ws)]
    assert problems == []


def test_the_lint_finds_each_kind_of_problem():
    """A narrow number, a clipped label, a wrapped text without room and white on yellow."""
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A1"].number_format = 12_345_678.0, '"€" #,##0'
    ws["A2"], ws["B2"] = "Een label dat niet in de kolom past", 1
    ws["A3"] = "Een lange tekst die over meerdere regels loopt en dus meer hoogte nodig heeft"
    ws["A3"].alignment = Alignment(wrap_text=True)
    ws["A4"] = "Noord"
    ws["A4"].font = Font(color="FFFFFF")
    ws["A4"].fill = PatternFill("solid", fgColor="FFF2CC")
    found = "\n".join(fit.lint(ws))
    assert "A1: getal '€ 12.345.678' toont ###" in found
    assert "A2: tekst afgekapt" in found
    assert "A3: tekst afgekapt" in found
    assert "A4: contrast 1.1:1" in found


def test_fit_sheet_removes_what_the_lint_finds():
    """After fit_sheet the same content lints clean (contrast is the builder's to fix)."""
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A1"].number_format = -12_345_678.0, '"€" #,##0;[Red]"€" -#,##0'
    ws["A2"], ws["B2"] = "Een label dat niet in de kolom past", 1
    ws["A3"] = "Een lange tekst die over meerdere regels loopt en dus meer hoogte nodig heeft " * 3
    ws["A3"].alignment = Alignment(wrap_text=True)
    ws["C2"] = "=SUM(B2:B3)"
    ws["C2"].number_format = '"€" #,##0'
    fit.fit_sheet(ws)
    assert fit.lint(ws) == []
    # a formula's column holds the widest sample of its format (ten million euro)
    assert fit.column_width(ws, 3) >= fit.text_width("€ -99.999.999")
    assert ws.row_dimensions[3].height > 2 * fit.DEFAULT_HEIGHT


def test_every_cell_of_an_array_formula_gets_room_for_its_numbers():
    """An array formula is written into its first cell; the others stay empty until Excel
    computes them, and sized by their header they showed ### (Dwarsverbanden's path, years
    3-10 in the model). Text beside a capped column wraps; a number there is never cut."""
    from openpyxl.worksheet.formula import ArrayFormula

    wb = Workbook()
    ws = wb.active
    ws["A1"] = ArrayFormula("A1:C1", "=SD_EFFECTPAD(1,2,3)")
    for c in ("A1", "B1", "C1"):
        ws[c].number_format = '"€" #,##0;[Red]"€" -#,##0'
    ws["D1"] = "een bron die in een smalle kolom over meer regels loopt"
    ws["E1"] = 1
    fit.cap_width(ws, 3, 6)
    fit.cap_width(ws, 4, 20)
    fit.fit_sheet(ws)
    sample = fit.text_width("€ -99.999.999") + fit.PADDING
    assert [fit.column_width(ws, c) for c in (1, 2, 3)] == [pytest.approx(sample, abs=0.1)] * 3
    assert fit.column_width(ws, 4) == 20 and ws["D1"].alignment.wrap_text
    assert ws.row_dimensions[1].height > fit.DEFAULT_HEIGHT


def test_every_sheet_prints_a4_landscape_legibly_with_a_footer(values_copy):
    """A4 landscape, no fit-to-width, scale >= 75 % (11 pt body >= 8.25 pt), print area, footer."""
    for ws in values_copy.worksheets:
        setup = ws.page_setup
        assert (int(setup.paperSize), setup.orientation) == (9, "landscape"), ws.title
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert printing.MIN_SCALE <= int(setup.scale) <= 100, ws.title
        assert ws.print_area, ws.title
        assert ws.oddFooter.left.text == "Gemeente Voorbeeld"
        assert ws.oddFooter.center.text == "&A" and "&P" in ws.oddFooter.right.text
        assert "&D" in ws.oddFooter.right.text
        assert ws.HeaderFooter.scaleWithDoc is False, ws.title  # the 9 pt footer stays 9 pt


def test_chart_text_prints_at_8_pt_or_more(demo):
    """Axis labels, axis titles and legends at CHART_TEXT_SIZE, so >= 8,25 pt at a 75 % scale;
    category labels below the plot, not on the zero line through negative values. Read from
    the chart parts themselves (openpyxl reads a combined chart's axes back incompletely)."""
    import zipfile
    from xml.etree import ElementTree as ET

    from workbooks import style

    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    want = str(style.CHART_TEXT_SIZE * 100)
    assert style.CHART_TEXT_SIZE * printing.MIN_SCALE / 100 >= 8
    with zipfile.ZipFile(demo.values_copy) as z:
        parts = {n: ET.fromstring(z.read(n)) for n in z.namelist()
                 if n.startswith("xl/charts/chart")}
    assert len(parts) >= 10
    for name, root in parts.items():
        axes = [ax for kind in ("catAx", "valAx", "dateAx") for ax in root.iter(f"{c}{kind}")]
        assert len(axes) >= 2, name
        for ax in axes:
            sizes = {r.get("sz") for r in ax.iter(f"{a}defRPr")}   # labels and the axis title
            assert sizes == {want}, (name, sizes)
        for ax in root.iter(f"{c}catAx"):
            assert ax.find(f"{c}tickLblPos").get("val") == "low", name
        for legend in root.iter(f"{c}legend"):
            assert {r.get("sz") for r in legend.iter(f"{a}defRPr")} == {want}, name


def test_page_breaks_keep_charts_whole(values_copy):
    """No row or column break falls inside a chart."""
    wb = values_copy
    for ws in wb.worksheets:
        spans = printing.chart_spans(ws)
        rows = {b.id for b in ws.row_breaks.brk}
        cols = {b.id for b in ws.col_breaks.brk}
        for c0, r0, c1, r1 in spans:
            assert not any(r0 <= r < r1 for r in rows), ws.title
            assert not any(c0 <= c < c1 for c in cols), ws.title


def test_no_page_starts_at_a_chart_with_a_spacer_before_it(values_copy):
    """A chart whose column before it is empty does not begin a page: LibreOffice drew the
    scenario charts (column AJ, a break after AI) a few points left, and two pages of
    Scenario's held only a chart's edge."""
    checked = 0
    for ws in values_copy.worksheets:
        cols = {b.id for b in ws.col_breaks.brk}
        filled = {c.column for row in ws.iter_rows() for c in row if c.value not in (None, "")}
        for c0, _, _, _ in printing.chart_spans(ws):
            if c0 > 1 and c0 - 1 not in filled:
                checked += 1
                assert c0 - 1 not in cols, (ws.title, c0)
    assert checked


def test_the_monthly_chart_prints_beside_its_table(values_copy):
    """The Prognose chart of the monthly spending prints on the page of its table. It stood
    right of the year-end table: its columns printed after all the others, a page with
    nothing on it (page 49 of 88) and then the chart by itself."""
    ws = values_copy[layout.PROGNOSE]
    (c0, r0, c1, r1), = printing.chart_spans(ws)
    assert r0 == layout.PROG_MONTHLY_ROW and c1 <= layout.PROG_TABLE_COLS
    assert not ws.col_breaks.brk
    assert not any(r0 <= b.id < r1 for b in ws.row_breaks.brk)
    assert any(b.id == r0 - 2 for b in ws.row_breaks.brk)   # the table's title starts the page


def test_no_page_holds_a_cut_line_of_a_note(values_copy):
    """No column break falls inside a merged cell: the note above the scenarios side by side on
    Scenario's (merged E74:M74) was cut at column K, and a page of its own held the cut line."""
    for ws in values_copy.worksheets:
        cols = {b.id for b in ws.col_breaks.brk}
        for merged in ws.merged_cells.ranges:
            assert not any(merged.min_col <= c < merged.max_col for c in cols), (ws.title, merged)


def test_a_note_across_a_column_break_is_narrowed_and_taller():
    """A wrapped note merged across a page's last column ends there, in a taller row."""
    ws = Workbook().active
    for c in range(1, 41):
        ws.column_dimensions[get_column_letter(c)].width = 12
        ws.cell(row=2, column=c, value=c)
    ws["E1"] = "Een lange toelichting die over veel kolommen loopt. " * 3
    ws["E1"].alignment = Alignment(wrap_text=True)
    ws.merge_cells("E1:T1")
    printing.setup(ws, "Gemeente Proef")
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks and 5 <= breaks[0] < 20
    assert [str(m) for m in ws.merged_cells.ranges] == [f"E1:{get_column_letter(breaks[0])}1"]
    assert ws.row_dimensions[1].height > 15


def test_breaks_prefer_a_section_start_and_respect_the_page():
    """Pages hold at most the limit; a break falls before a section once the page is half full."""
    sizes = [10.0] * 30
    breaks = printing._breaks(sizes, 100.0, good={8}, blocked=set())
    assert breaks[0] == 7                     # before row 8, the section start (page 70 % full)
    pages = [0, *breaks, len(sizes)]
    assert all(sum(sizes[a:b]) <= 100.0 for a, b in zip(pages, pages[1:]))
    assert printing._breaks(sizes, 100.0, good={3}, blocked=set())[0] == 10   # 3 is too early


def test_wijken_names_are_dark_on_the_yellow_input(values_copy):
    """The district names (input on yellow) have a contrast of at least 4.5:1."""
    ws = values_copy[layout.WIJKEN]
    for cell in ws[7][1:1 + layout.WK_DISTRICTS]:
        assert fit.cell_contrast(cell) >= fit.MIN_CONTRAST


def test_helper_blocks_are_folded_away(values_copy):
    """The rekenblok of SD_KANS_SLUITEND and the waterfall's helper rows are hidden (grouped)."""
    from workbooks.sheets import meerjarenraming as mjr

    ws = values_copy[layout.MEERJARENRAMING]
    letter = fit.get_column_letter(mjr.TRI_COL)
    assert ws.column_dimensions[letter].hidden and ws.column_dimensions[letter].outlineLevel == 1
    assert ws.row_dimensions[mjr.R_W].hidden
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert not any("Rekenblok" in t or "onzichtbaar" in t for t in texts)


def test_no_empty_rows_inside_the_prognose_tables(values_copy):
    """Spare rows of the fixed-size tables are folded in the copy to share."""
    ws = values_copy[layout.PROGNOSE]
    top = layout.PROG_TABLE_ROW
    for r in range(top + 1, top + layout.PROG_TABLE_ROWS + 1):
        if ws.cell(row=r, column=1).value is None:
            assert ws.row_dimensions[r].hidden, r
    m_top = layout.PROG_MONTHLY_ROW
    for r in range(m_top + 1, m_top + layout.PROG_MONTHLY_ROWS + 1):
        assert (ws.cell(row=r, column=1).value is None) == bool(ws.row_dimensions[r].hidden), r


def test_no_jargon_where_a_wethouder_reads(values_copy):
    """The methods' names stand on Toelichting only."""
    words = ("Monte Carlo", "Kaplan", "Bornhuetter", "MAPE", "chain ladder", "x(t)")
    for ws in values_copy.worksheets:
        if ws.title == layout.TOELICHTING:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not any(w.lower() in cell.value.lower() for w in words), \
                        f"{ws.title}!{cell.coordinate}: {cell.value}"


def test_a_topic_without_kpis_says_so(values_copy):
    """Where the measured KPI score is empty, the overview says why instead of a blank cell."""
    from workbooks.sheets.gripniveau import NO_KPI

    ws = values_copy[layout.GRIPNIVEAU]
    (sheet, ref), = list(values_copy.defined_names[layout.NAME_GN_KPI_SCORES].destinations)
    rows = ws[ref.replace("$", "")]
    assert any(c.value is None for (c,) in rows) and any(c.value is not None for (c,) in rows)
    for (cell,) in rows:
        note = ws.cell(row=cell.row, column=7).value
        if cell.value is None:
            assert note == NO_KPI, cell.coordinate
        else:
            assert note in (None, ""), cell.coordinate


def test_controle_says_it_has_not_checked_yet(values_copy):
    from workbooks.sheets.controle import HEADER_ROW, NOT_CHECKED

    assert values_copy[layout.CONTROLE].cell(row=HEADER_ROW + 1, column=3).value == NOT_CHECKED


def test_the_print_area_reaches_input_tables_and_follows_what_a_button_writes(tmp_path):
    """An input table prints whole (what a controller types later is on paper); an empty
    output table prints only its first row until a button fills it, and then as far as it is
    filled, with rows as high as their wrapped text."""
    from openpyxl.workbook.defined_name import DefinedName

    from workbooks.bookio import OpenpyxlBook

    wb = Workbook()
    ws = wb.active
    ws.title = "Blad"
    ws["A1"] = "Titel"
    for name, ref in (("maatregelen", "$A$3:$C$12"), ("grip_uit_tabel", "$A$14:$D$40")):
        wb.defined_names[name] = DefinedName(name, attr_text=f"'Blad'!{ref}")
    for row in ws["A14:D40"]:
        row[3].alignment = Alignment(wrap_text=True)
    printing.setup(ws, "Gemeente Proef")
    assert ws.print_area == "'Blad'!$A$1:$D$14"
    wb.save(tmp_path / "b.xlsx")
    book = OpenpyxlBook(tmp_path / "b.xlsx")
    book.write("grip_uit_tabel", [[1, 2, 3, "kort"], [4, 5, 6, "een reden die " * 20]])
    ws = book.wb["Blad"]
    assert ws.print_area == "'Blad'!$A$1:$D$15"
    assert ws.row_dimensions[15].height > 2 * (ws.row_dimensions[14].height or 15)
    assert printing.covering("'Blad'!$A$1:$F$30", 4, 20) == "$A$1:$F$30"


def test_filled_cells_are_the_filled_cells_of_iter_rows_and_create_none(default_model):
    """``fit.filled_cells`` gives what ``iter_rows`` gives less its empty and merged-over cells,
    in the same order, for the whole sheet and for a part, and leaves the sheet's cells as
    they were (``iter_rows`` creates every missing cell of its rectangle)."""
    from copy import copy

    wb = Workbook()
    ws = wb.active
    ws["C5"], ws["A2"], ws["B2"], ws["E1"], ws["D3"] = "laatste", 1, "", "=A2*2", 0
    ws.merge_cells("A7:C7")
    ws["A7"] = "samengevoegd"
    ws["B9"].font = copy(ws["B9"].font)                 # a styled, empty cell
    for sheet in [ws, *default_model.worksheets[:4]]:
        before = dict(sheet._cells)
        for bounds in [{}, {"min_row": 2, "max_row": 5, "min_col": 2, "max_col": 5},
                       {"min_row": 3, "max_row": 3}]:
            got = fit.filled_cells(sheet, **bounds)
            assert sheet._cells == before
            want = [c for row in copy_sheet_rows(sheet, bounds) for c in row
                    if c.value not in (None, "") and type(c).__name__ != "MergedCell"]
            assert [c.coordinate for c in got] == [c.coordinate for c in want]
    assert [c.coordinate for c in fit.filled_cells(ws)] == ["E1", "A2", "D3", "C5", "A7"]
    assert fit.value_at(ws, 5, 3) == "laatste" and fit.value_at(ws, 40, 40) is None
    assert (40, 40) not in ws._cells


def copy_sheet_rows(sheet, bounds):
    """``iter_rows`` with ``bounds`` on a copy of the sheet's cells (it creates cells)."""
    saved = dict(sheet._cells)
    try:
        return [list(row) for row in sheet.iter_rows(**bounds)]
    finally:
        sheet._cells.clear()
        sheet._cells.update(saved)


def test_what_the_buttons_write_fits_its_cells(model_copy, tmp_path, monkeypatch):
    """After 'Gripniveau bijwerken' and 'Begroting doorrekenen' on a new model the sheets lint
    clean: the KPI names (up to 46 wide) were cut off in column A of 26, and the begroting's
    hint stood in the header row of its table (grey on dark blue, 1,7:1) and stayed there
    after the button had filled the table."""
    from berichten import store as berichten_store
    from grip.buttons import run_button
    from tests.factories import FakeStore
    from workbooks.bookio import OpenpyxlBook

    monkeypatch.setattr(berichten_store, "open_store", FakeStore)
    wb = load_workbook(model_copy)
    wb[layout.PARAMETERS]["B7"] = str(tmp_path / "opslag.duckdb")
    wb.save(model_copy)
    book = OpenpyxlBook(model_copy)
    for button in ("grip_gripniveau", "grip_begroting"):
        assert run_button(button, book).ok, button
    back = load_workbook(book.save(tmp_path / "na_knoppen.xlsx"))
    for sheet in (layout.GRIPNIVEAU, layout.MEERJARENRAMING):
        assert fit.lint(back[sheet]) == [], sheet


def test_the_provider_table_prints_its_columns_on_one_page(values_copy):
    """Aanbieders: the thirteen columns of the provider table on one page's width, the codes
    narrow (the referrer names widened column A to 45 and the last three columns, with the
    'ja' of a structurally late provider, printed ten pages later beside the chart); the chart
    above the tables, and the referrer and trajectory tables each whole on a page (the
    trajectory table's last rows printed on the next page without a header)."""
    ws = values_copy[layout.AANBIEDERS]
    assert not ws.col_breaks.brk
    assert fit.column_width(ws, 1) < 20
    (c0, r0, _, r1), = printing.chart_spans(ws)
    assert c0 == 1 and r0 == layout.PROV_CHART_ROW and r1 < layout.REFERRER_ROW
    for head, rows in ((layout.REFERRER_ROW, layout.REFERRER_ROWS),
                       (layout.TRAJECTORY_ROW, layout.TRAJECTORY_ROWS)):
        assert not [b.id for b in ws.row_breaks.brk if head <= b.id < head + rows], head


def test_the_model_prints_the_provider_table_one_page_wide_before_the_button():
    """A new model (no forecast yet): the hints of the empty tables stand in column A, as the
    provider table's does, so they do not widen the names column (the referrer hint, wrapped
    in column B, made it 40 and column M printed on a page of its own)."""
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext

    ws = build_workbook(BuildContext(municipality="Gemeente Proef"))[layout.AANBIEDERS]
    assert not ws.col_breaks.brk and fit.lint(ws) == []


def test_a_section_leaves_no_widows_before_the_empty_rows_below_it():
    """The last two rows of a table with empty rows below it (a chart's place) start its
    page with the table: the empty rows are not the table's (Aanbieders: the trajectory
    table's last two rows printed alone above the chart)."""
    per_page = int(printing.PAGE_HEIGHT // fit.DEFAULT_HEIGHT)
    ws = Workbook().active
    table = range(12, per_page + 3)               # its last two rows do not fit on page 1
    for r in [*range(1, 11), *table, *range(per_page + 10, per_page + 20)]:
        ws.cell(row=r, column=1, value=r)
    printing.setup(ws, "Gemeente Proef")
    assert ws.page_setup.scale == 100
    assert [b.id for b in ws.row_breaks.brk][0] == table[0] - 1


def test_an_empty_block_is_left_out_of_the_copy_and_a_filled_one_kept():
    """``fit.omit_when_empty``: the Gripniveau rubric's Onderbouwing and Eigenaar (two input
    columns beside 40 criteria) printed on four pages of empty yellow boxes."""
    from workbooks import style

    for typed in (None, "notulen MT 3-2026"):
        ws = Workbook().active
        style.header_row(ws, 1, 1, ["Criterium", "Onderbouwing"])
        for r in range(2, 6):
            ws.cell(row=r, column=1, value=f"criterium {r}")
        style.mark_input(ws["B2:B5"][k][0] for k in range(4))
        ws["B4"] = typed
        fit.omit_when_empty(ws, "B2:B5", "B1")
        fit.fit_sheet(ws)
        if typed is None:
            assert ws["B1"].value is None and ws["B2"].fill.fgColor.rgb != style.INPUT_FILL.fgColor.rgb
        else:
            assert ws["B1"].value == "Onderbouwing" and ws["B4"].value == typed
            assert ws["B2"].fill.fgColor.rgb == style.INPUT_FILL.fgColor.rgb


def test_a_long_path_on_parameters_wraps_in_its_cell():
    """A store path typed after the build (OneDrive, 70 characters) was cut after 16
    characters on screen and on paper ('/work/main/out/g'): the path cells wrap, and their rows
    keep no fixed height, so Excel makes the row as high as the path when it is typed; a
    workbook rebuilt with the path (bijwerken, the copy to share) gets the width it needs."""
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext

    ws = build_workbook(BuildContext(municipality="Gemeente Proef"))[layout.PARAMETERS]
    for address in ("B7", "B8"):
        assert ws[address].alignment.wrap_text, address
        assert not ws.row_dimensions[ws[address].row].customHeight, address
    # the wrap does not narrow the column to one word ('Gemeente' above 'Voorbeeld' made the
    # sheet print on two pages)
    assert fit.column_width(ws, 2) >= fit.text_width("Gemeente Voorbeeld") + fit.PADDING
    path = r"C:\Users\jansen\OneDrive - Gemeente Proef\Grip\opslag_berichtenverkeer.duckdb"
    ws = build_workbook(BuildContext(municipality="Gemeente Proef",
                                     inputs={(layout.PARAMETERS, "B7"): path}))[layout.PARAMETERS]
    assert ws["B7"].value == path and not [p for p in fit.lint(ws) if "!B7" in p]


def test_blocks_side_by_side_begin_their_own_pages():
    """Two tables of a name column and ten amounts, side by side without an empty column
    (``printing.column_sections``): the second begins a page, and one table sets the scale."""
    ws = Workbook().active
    for c in range(1, 23):
        ws.column_dimensions[get_column_letter(c)].width = 30 if c in (1, 12) else 9
        for r in range(1, 5):
            ws.cell(row=r, column=c, value=f"thema {r}" if c in (1, 12) else r * c)
    printing.column_sections(ws, 12)
    printing.setup(ws, "Gemeente Proef")
    assert [b.id for b in ws.col_breaks.brk] == [11]
    assert ws.page_setup.scale == printing.scale_for(
        sum(printing.column_points(ws, c) for c in range(1, 12)))


def _table_headers(ws):
    """(row, first col, last col) of every run of header cells (``style.header_row``)."""
    out = []
    for row in ws.iter_rows():
        run = [c.column for c in row if c.fill is not None and c.fill.fgColor is not None
               and c.fill.fgColor.rgb == "00" + style.HEADER_FILL.fgColor.rgb[-6:]
               and c.value not in (None, "")]
        for col in run:
            if out and out[-1][0] == row[0].row and out[-1][2] == col - 1:
                out[-1] = (out[-1][0], out[-1][1], col)
            else:
                out.append((row[0].row, col, col))
    return out


def test_a_table_that_fits_a_page_prints_whole_across(values_copy, demo):
    """No column break falls inside a table whose columns fit one page at its sheet's scale.
    Gripniveau's KPI table printed its limits (In controle tot, Ernstig boven) and the
    agenda its Gereed on pages of their own, without the names they belong to."""
    model = load_workbook(demo.workbook)
    checked = 0
    # every table of these fits: their stacked blocks shared columns of different widths (the
    # taakveld table's Bron and Omschrijving in I:J, where the measures' years stood below;
    # the matrix's Bron in I, where the path's Jaar 8 stood), so columns of a lower table
    # printed on a page of their own beside only the repeated first column
    whole = (layout.DWARSVERBANDEN, layout.MEERJARENRAMING)
    for wb in (values_copy, model):
        for ws in wb.worksheets:
            cols = {b.id for b in ws.col_breaks.brk}
            for row, c0, c1 in _table_headers(ws):
                width = sum(printing.column_points(ws, c) for c in range(c0, c1 + 1))
                fits = width * ws.page_setup.scale / 100 <= printing.PAGE_WIDTH
                assert fits or ws.title not in whole, (ws.title, row, c0, c1)
                if not fits:
                    continue
                checked += 1
                assert not any(c0 <= c < c1 for c in cols), (ws.title, row, c0, c1)
    assert checked > 50
    for wb in (values_copy, model):              # every table of Gripniveau fits the page
        ws = wb[layout.GRIPNIVEAU]
        assert all(b.id >= 9 for b in ws.col_breaks.brk), [b.id for b in ws.col_breaks.brk]


def test_every_printed_page_of_the_provider_table_shows_its_header(values_copy):
    """Aanbieders: the provider table's header repeats on its pages (print titles); it is the
    last table, so no page of the referrer or trajectory table shows it (it stood first, and
    its last rows printed on the next page without a header)."""
    ws = values_copy[layout.AANBIEDERS]
    assert ws.print_title_rows.replace("$", "") == f"{layout.PROV_TABLE_ROW}:{layout.PROV_TABLE_ROW}"
    headers = [row for row, _, _ in _table_headers(ws)]
    assert headers[-1] == layout.PROV_TABLE_ROW and len(headers) == 3, headers


def test_the_gripniveau_overview_prints_whole_with_its_grip_score(values_copy, demo):
    """The nine topics, the grip score and its rule on one page: the radar chart began above the
    overview's title, so no page could start there, and Monitoring with the grip score went to
    the page after the chart."""
    for wb in (values_copy, load_workbook(demo.workbook)):
        ws = wb[layout.GRIPNIVEAU]
        rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value in
                ("Overzicht per onderwerp", "Gemeten KPI's uit het berichtenverkeer")]
        assert len(rows) == 2
        first, after = rows
        assert not [b.id for b in ws.row_breaks.brk if first <= b.id < after - 2], wb


def test_a_running_text_across_a_column_break_wraps_before_it(values_copy):
    """A text that runs over the empty cells to its right stops at a column break, wrapped in
    a taller row: the note beside the folded Monte Carlo table of Scenario's ran from G over
    the break after K, and its end printed four pages later."""
    ws = Workbook().active
    for c in range(1, 41):
        ws.column_dimensions[get_column_letter(c)].width = 12
        ws.cell(row=2, column=c, value=c)
    ws["E1"] = "Een toelichting die over de lege cellen rechts loopt, verder dan de pagina. " * 4
    printing.setup(ws, "Gemeente Proef")
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks and 5 <= breaks[0] < 20
    assert [str(m) for m in ws.merged_cells.ranges] == [f"E1:{get_column_letter(breaks[0])}1"]
    assert ws["E1"].alignment.wrap_text and ws.row_dimensions[1].height > 15
    for sheet in values_copy.worksheets:        # and no text of the demo runs over a break
        cols = {b.id for b in sheet.col_breaks.brk}
        for cell in fit.filled_cells(sheet):
            end = fit.overflow_end(sheet, cell)
            cut = [c for c in cols if cell.column <= c < end]
            assert not cut or (cut[0] == cell.column and
                               printing._spill(sheet, cell) <= printing.SPILL), \
                (sheet.title, cell.coordinate)
