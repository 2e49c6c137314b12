"""The full begrotingsmodel: sheet order, protection, validation, named inputs, determinism."""

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from addin import ribbon
from addin.policy import REGISTRY
from workbooks import layout, style
from workbooks.begrotingsmodel import build_workbook
from workbooks.context import BuildContext, cells_of
from workbooks.files import save

ISSUE_ORDER = [layout.START, layout.SAMENVATTING, layout.PARAMETERS, layout.THEMAS, layout.DWARSVERBANDEN,
               layout.MAATREGELEN, layout.SCENARIOS, layout.MEERJARENRAMING, layout.PROGNOSE,
               layout.AANBIEDERS, layout.GRIPNIVEAU, layout.WIJKEN, layout.TOELICHTING]


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return save(build_workbook(BuildContext(municipality="Gemeente Proef", budget_year=2028)),
                tmp_path_factory.mktemp("model") / "model.xlsx")


@pytest.fixture(scope="module")
def wb(path):
    return load_workbook(path)


def destination(wb, name):
    (sheet, ref), = list(wb.defined_names[name].destinations)
    return wb[sheet], ref.replace("$", "")


def is_formula(value):
    return isinstance(value, ArrayFormula) or isinstance(value, str) and value.startswith("=")


def test_sheets_in_the_order_of_the_issue(wb):
    present = [s for s in wb.sheetnames if s in ISSUE_ORDER]
    assert present == [s for s in ISSUE_ORDER if s in present]
    assert wb.sheetnames[:3] == [layout.START, layout.SAMENVATTING, layout.PARAMETERS]
    assert wb.active.title == layout.SAMENVATTING     # the wethouder's page opens first
    assert wb.sheetnames[-2:] == [layout.TOELICHTING, layout.CONTROLE]


def test_every_sheet_protected_formulas_locked_inputs_unlocked(wb):
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        for row in ws.iter_rows():
            for cell in row:
                if is_formula(cell.value):
                    assert cell.protection.locked, f"{ws.title}!{cell.coordinate}"
                if cell.protection.locked is False:
                    assert cell.fill == style.INPUT_FILL, f"{ws.title}!{cell.coordinate}"


def test_parameters_are_named_unlocked_and_validated(wb):
    for name in (layout.NAME_MUNICIPALITY, layout.NAME_BUDGET_YEAR, layout.NAME_STORE_PATH,
                 layout.NAME_MESSAGES_PATH, layout.NAME_INDEX):
        ws, ref = destination(wb, name)
        assert ws.title == layout.PARAMETERS
        validated = {c for dv in ws.data_validations.dataValidation
                     for rng in dv.sqref.ranges for c in cells_of(rng.coord)}
        for address in cells_of(ref):
            assert ws[address].protection.locked is False, name
            assert address in validated, name
    ws, ref = destination(wb, layout.NAME_BUDGET_YEAR)
    assert ws[ref].value == 2028
    ws, ref = destination(wb, layout.NAME_MUNICIPALITY)
    assert ws[ref].value == "Gemeente Proef"
    ws, ref = destination(wb, layout.NAME_INDEX)
    assert all(ws[a].number_format == style.PERCENT for a in cells_of(ref))
    year = next(dv for dv in ws.data_validations.dataValidation if "B6" in str(dv.sqref))
    assert (year.type, year.formula1, year.formula2, year.showErrorMessage) == \
        ("whole", "2020", "2050", True)
    assert "2020" in year.error


def test_output_tables_of_the_buttons_are_locked(wb):
    for name in (layout.NAME_OUT_IMPORT, layout.NAME_OUT_CONTROLE):
        ws, ref = destination(wb, name)
        assert all(ws[a].protection.locked for a in cells_of(ref))
    ws, ref = destination(wb, layout.NAME_OUT_CONTROLE)
    assert len(cells_of(ref)) == layout.CONTROLE_ROWS * 3


def test_table_of_contents_links_every_sheet(wb):
    ws = wb[layout.START]
    links = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=1).hyperlink.location
             for r in range(9, 9 + len(wb.sheetnames) - 1)}
    assert links["Toelichting"] == "'Toelichting'!A1"
    assert set(links) == set(wb.sheetnames) - {layout.START}


def test_toelichting_names_every_button_and_function(wb):
    text = {c.value for row in wb[layout.TOELICHTING].iter_rows() for c in row if c.value}
    assert {b.label for b in ribbon.buttons()} <= text
    assert set(REGISTRY) <= text


def test_build_is_deterministic(tmp_path, path):
    again = save(build_workbook(BuildContext(municipality="Gemeente Proef", budget_year=2028)),
                 tmp_path / "again.xlsx")
    assert again.read_bytes() == path.read_bytes()


def test_municipality_name_is_data_not_a_formula(tmp_path):
    path = save(build_workbook(BuildContext(municipality="=HYPERLINK(\"x\")")), tmp_path / "m.xlsx")
    ws, ref = destination(load_workbook(path), layout.NAME_MUNICIPALITY)
    assert not is_formula(ws[ref].value)


def test_every_chart_axis_is_written_as_visible(model_file):
    """Each axis of each chart carries <c:delete val="0"/>: Excel hides an axis without it."""
    import re
    import zipfile

    with zipfile.ZipFile(model_file) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) >= 10
        for name in charts:
            xml = z.read(name).decode()
            axes = re.findall(r"<(?:c:)?(catAx|valAx|dateAx|serAx)>(.*?)</(?:c:)?\1>", xml, flags=re.S)
            assert axes, name
            assert all(re.search(r'<(?:c:)?delete val="0"\s*/>', a) for _, a in axes), name


def test_the_fast_input_test_agrees_with_is_input_on_every_cell(model_file):
    """``protection.input_test`` (what ``template.input_cells`` uses) says of every cell of
    the saved model, and of a new workbook, what ``is_input`` says."""
    from openpyxl import Workbook

    from workbooks.protection import input_test, is_input

    fresh = Workbook()
    fresh.active["A1"], fresh.active["B2"] = 1.0, 2.0
    style.mark_input([fresh.active["B2"]])
    for book in (load_workbook(model_file), fresh):
        test = input_test(book)
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert [test(c) for c in cells] == [is_input(c) for c in cells]
        assert 0 < sum(map(is_input, cells)) < len(cells)


def test_reading_the_users_cells_creates_no_cell(model_file):
    """``input_cells``, ``changed_cells`` and ``computed_values`` (a check, a values copy, an
    update) read the cells that exist: ``iter_rows`` created every missing cell of each
    sheet's rectangle (three in four of the model's cells), in the workbook read and in the
    kept template, which then saved them as empty rows. The same cells are found as by a
    look at every cell of the rectangle."""
    from workbooks.protection import input_test
    from workbooks.template import changed_cells, computed_values, input_cells

    book, fresh = load_workbook(model_file), load_workbook(model_file)
    counts = [sum(len(ws._cells) for ws in b.worksheets) for b in (book, fresh)]
    found = input_cells(book)
    assert not changed_cells(book, fresh)
    values = computed_values(model_file, book)
    assert [sum(len(ws._cells) for ws in b.worksheets) for b in (book, fresh)] == counts
    unlocked = input_test(fresh)
    assert found == {(ws.title, c.coordinate) for ws in fresh.worksheets
                     for row in ws.iter_rows() for c in row if unlocked(c)}
    assert len(values) == sum(1 for ws in fresh.worksheets for row in ws.iter_rows()
                              for c in row if isinstance(c.value, ArrayFormula) or
                              isinstance(c.value, str) and c.value.startswith("=")
                              for _ in (cells_of(c.value.ref) if isinstance(c.value, ArrayFormula)
                                        else [c]))


def test_no_total_adds_up_around_text(wb):
    """Every SUM in the model is a checked total (``context.checked_sum``): Excel's SUM skips
    text, so a Grip message or a typed '4,1 mln' above it would give a wrong total, and the
    saldo on the Samenvatting a wrong number without a warning."""
    import re

    sums = [(ws.title, c.coordinate, text) for ws in wb.worksheets for row in ws.iter_rows()
            for c in row
            if (text := getattr(c.value, "text", c.value)) and isinstance(text, str)
            and re.search(r"(?<![A-Z.])SUM\(", text)]
    assert len(sums) > 80
    bare = [s for s in sums if 'MATCH("#*"' not in s[2]]
    assert not bare, bare[:5]
