"""The Lite edition through xlwings' own Office.js protocol code, on the demo begrotingsmodel.

Every ``SD_`` call the headless recalculation makes is recorded (arguments as xlwings hands
them, result) and replayed through ``xlwings.server.custom_functions_call`` with the
arguments Office.js sends (every parameter a 2-D array, ``""`` for an empty cell, floats,
``null`` for an omitted argument); the scripts run through ``custom_scripts_call`` on the
workbook as Office.js describes it and must queue the same output tables the openpyxl path
writes. Nothing here ran in a real Excel.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from addin import cache
from grip.buttons import run_button
from workbooks.bookio import OpenpyxlBook
from addin.policy import REGISTRY
from workbooks.template import is_formula, sheet_title


@pytest.fixture(scope="module")
def lite(request):
    mp = pytest.MonkeyPatch()
    mp.setenv("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings PRO, noncommercial licence
    mp.setenv("XLWINGS_ON_SERVER", "true")
    import grip.lite

    request.addfinalizer(mp.undo)
    return grip.lite


def officejs_value(value):
    """A cell value as Office.js holds it (a date as its serial number)."""
    if isinstance(value, (dt.date, dt.datetime)):
        from openpyxl.utils.datetime import to_excel

        return float(to_excel(value))
    from grip.lite import officejs_cell

    return officejs_cell(value)


def officejs_result(value):
    """A UDF result as xlwings' officejs converter hands it back (None -> "")."""
    rows = value if isinstance(value, list) else [[value]]
    return [["" if c is None else c for c in row] for row in rows]


def call(lite, name, args):
    from xlwings import server

    request = {**lite.officejs_request(REGISTRY[name], ()), "args": args}
    return asyncio.run(server.custom_functions_call(request, lite))


@pytest.fixture(scope="module")
def recorded(demo):
    """Every SD_ call of the headless recalculation of the demo model."""
    from workbooks.recorded import record_calls

    return record_calls(demo.workbook)


def test_every_sd_call_of_the_demo_model_agrees_through_the_protocol(lite, recorded):
    """Through custom_functions_call with Office.js arguments, every SD_ call gives the
    headless value (the cache is cleared first, so Lite computes it again)."""
    names = {c.name for c in recorded}
    assert len(recorded) >= 30 and len(names) >= 18, names
    cache.RESULTS.clear()
    misses = cache.RESULTS.misses
    for c in recorded:
        assert lite.call_through_protocol(REGISTRY[c.name], c.args) == officejs_result(c.result), \
            c.name
    assert cache.RESULTS.misses - misses >= len({(c.name, repr(c.args)) for c in recorded})


def test_a_grip_message_reaches_the_cell_unchanged(lite):
    """A '#' message of the error policy is text for Office.js, not an Excel error value."""
    out = call(lite, "SD_TOTAALEFFECT", [[[0.0, "abc"], [0.0, 0.0]], [[1.0], [1.0]]])
    assert out == [["#INVOER: matrix, rij 1, kolom 2: tekst 'abc' is geen getal"]]


def test_sd_versie_names_the_route(lite, demo):
    """SD_VERSIE says Lite through the protocol and 'zonder Excel' in the recalculation."""
    assert "; xlwings Lite; " in call(lite, "SD_VERSIE", [])[0][0]
    from workbooks.recalc import register_udfs
    import formulas

    register_udfs()
    func = formulas.get_functions()["SD_VERSIE"]
    assert "; zonder Excel; " in str(func())


# --- scripts -----------------------------------------------------------------------------

def officejs_book(path, values):
    """The workbook as Office.js describes it to a script (xlwings' getBookData): per sheet
    the values from A1 (computed values for formulas, "" for empty), and the names."""
    wb = load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        grid = []
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            grid.append([officejs_value(values.get(ws.title, c.coordinate) if is_formula(c.value)
                                        or type(c.value).__name__ == "ArrayFormula" else c.value)
                         for c in row])
        sheets.append({"name": ws.title, "values": grid, "pictures": [], "tables": []})
    index = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    names = []
    for name, dn in wb.defined_names.items():
        (sheet, ref), = list(dn.destinations)
        names.append({"name": name, "sheet_index": index[sheet_title(sheet)], "address": ref.replace("$", ""),
                      "book_scope": True, "scope_sheet_name": None, "scope_sheet_index": None})
    return {"version": "Office.js", "client": "Office.js",
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "sheets": sheets, "names": names}


@pytest.mark.parametrize("button, script, output", [
    ("grip_scenario", "grip_scenario", "grip_uit_scenario"),
    ("grip_begroting", "grip_begroting", "grip_uit_begroting"),
])
def test_scripts_write_what_the_openpyxl_path_writes(lite, demo, tmp_path, button, script,
                                                     output):
    """custom_scripts_call queues exactly the output table the openpyxl dispatcher writes."""
    import xlwings as xw
    from xlwings import server

    # the openpyxl path, on a copy
    copy = shutil.copy(demo.workbook, tmp_path / "model.xlsx")
    book = OpenpyxlBook(copy)
    assert "klaar" in run_button(button, book)
    (sheet, ref), = list(book.wb.defined_names[output].destinations)
    sheet = sheet_title(sheet)
    expected = [[officejs_value(c.value) for c in row] for row in book.wb[sheet][ref.replace("$", "")]]
    # the Lite path, on the book as Office.js sends it
    lite_book = xw.Book(json=officejs_book(demo.workbook, demo.recalculation))
    asyncio.run(server.custom_scripts_call(lite, script, typehint_to_value={xw.Book: lite_book}))
    actions = lite_book.json()["actions"]
    writes = [a for a in actions if a["func"] == "setValues"]
    assert len(writes) == 1
    write = writes[0]
    names = load_workbook(demo.workbook, read_only=True).sheetnames
    min_col, min_row, _, _ = range_boundaries(ref.replace("$", ""))
    assert (names[write["sheet_position"]], write["start_row"] + 1, write["start_column"] + 1) == \
        (sheet, min_row, min_col)
    assert write["values"] == expected
    # then rows as high as their text; Office.js does not send the print area, so it is
    # not touched (a guess could shrink it)
    assert [a["func"] for a in actions] == ["setValues", "setAutofit", "alert"]
    assert "klaar" in actions[-1]["args"][0]


def test_an_error_cell_is_refused_by_its_place_through_the_protocol(lite):
    """Office.js sends a #N/A cell as the text '#N/A'; xlwings' own conversion turned it into
    None (an empty cell: SD_BASISRAMING left the line out) unless the argument asks for
    err_to_str, which every parameter does."""
    args = [[[1000.0], ["#N/A"]], [[0.8], [0.8]], [[0.03]], [[0.02]], [[0.0]]]
    assert call(lite, "SD_BASISRAMING", args) == [
        ["#INVOER: bedragen, rij 2, kolom 1: foutwaarde #N/A in de cel"]]
