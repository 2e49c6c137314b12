"""LiteBook: the BookIO of the workbook xlwings Lite hands a script (xlwings' remote Book)."""

import pytest

from workbooks.bookio import BookIO, CellLink, WriteRefused


@pytest.fixture
def book(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings PRO, noncommercial
    import xlwings as xw

    import grip.lite

    api = {"version": "Office.js", "client": "Office.js",
           "book": {"name": "m.xlsx", "active_sheet_index": 0, "selection": "A1"},
           "sheets": [{"name": "Blad 1", "pictures": [], "tables": [],
                       "values": [[1.0, "", "=x"], [3.0, "#N/A", ""], ["", "", ""]]}],
           "names": [{"name": "t_in", "sheet_index": 0, "address": "A1:B2", "book_scope": True,
                      "scope_sheet_name": None, "scope_sheet_index": None},
                     {"name": "t_uit", "sheet_index": 0, "address": "A3:C3", "book_scope": True,
                      "scope_sheet_name": None, "scope_sheet_index": None}]}
    return grip.lite.LiteBook(xw.Book(json=api))


def test_reads_names_and_values_with_empty_as_none(book):
    assert isinstance(book, BookIO)
    assert book.names() == {"t_in", "t_uit"}
    # an error cell is its text, not an empty cell (xlwings' default turns it into None)
    assert book.read("t_in") == [[1.0, None], [3.0, "#N/A"]]
    assert book.saved_path() is None


def test_writes_values_safely_and_links(book):
    """Text that looks like a formula stays text; a CellLink becomes a hyperlink action."""
    book.write("t_uit", [["=kwaad()", CellLink("Blad 1", "B2")]])
    actions = book.book.json()["actions"]
    assert actions[0]["func"] == "setValues"
    assert actions[0]["values"] == [["'=kwaad()", "Blad 1!B2", ""]]
    assert (actions[0]["start_row"], actions[0]["start_column"]) == (2, 0)
    assert actions[1]["func"] == "addHyperlink" and actions[1]["args"][0] == "#'Blad 1'!B2"


def test_too_large_table_is_refused(book):
    with pytest.raises(WriteRefused, match="past niet"):
        book.write("t_uit", [[1, 2, 3, 4]])
    assert book.book.json()["actions"] == []
