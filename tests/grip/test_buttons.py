"""The dispatcher: button id → job; inputs from named ranges; writes only its own outputs."""

import sys
import types

import pytest
from openpyxl import Workbook, load_workbook

from grip import buttons
from grip.buttons import run_button
from workbooks.bookio import BookIO, CellLink, OpenpyxlBook
from calc.errors import InputError
from workbooks import style
from workbooks.files import save


@pytest.fixture()
def book_path(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad 1"
    ws["A1"], ws["B1"], ws["A2"], ws["B2"] = 1, 2, 3, None
    style.mark_input([ws["A1"], ws["B1"], ws["A2"], ws["B2"]])
    ws["C1"] = "=A1*2"
    style.define_name(wb, "t_in", ws, "A1:B2")
    style.define_name(wb, "t_formule", ws, "C1")
    style.define_name(wb, "t_uit", ws, "D1:E3")
    style.define_name(wb, "t_invoer_als_uit", ws, "A1:A2")
    return save(wb, tmp_path / "boek.xlsx")


def fake_job(monkeypatch, job, **attrs):
    module = types.ModuleType(f"grip.jobs.{job}")
    module.__dict__.update(attrs)
    monkeypatch.setitem(sys.modules, f"grip.jobs.{job}", module)
    return module


def test_openpyxl_book_is_a_bookio(book_path):
    assert isinstance(OpenpyxlBook(book_path), BookIO)


def test_engine_job_reads_inputs_and_writes_its_output(monkeypatch, book_path):
    seen = {}

    def run(inputs):
        seen.update(inputs)
        total = sum(v or 0 for row in inputs["t_in"] for v in row) + inputs["t_formule"][0][0]
        return {"t_uit": [["totaal", total], ["=kwaad()", None]]}

    fake_job(monkeypatch, "prognose", INPUT_NAMES=("t_in", "t_formule"),
             OUTPUT_NAMES=("t_uit",), run_button=run)
    book = OpenpyxlBook(book_path)
    message = run_button("grip_prognose", book)
    assert message == "Prognose bijwerken: klaar, 1 tabel(len) bijgewerkt."
    assert seen["t_in"] == [[1, 2], [3, None]]
    assert seen["t_formule"] == [[2]]  # a formula input is read as its value
    out = book.save(book_path.with_name("uit.xlsx"))
    ws = load_workbook(out)["Blad 1"]
    assert [[c.value for c in row] for row in ws["D1:E3"]] == \
        [["totaal", 8], ["'=kwaad()", None], [None, None]]
    assert ws["D2"].data_type == "s"  # data text never becomes a formula
    assert ws["A1"].value == 1 and ws["C1"].value == "=A1*2"  # inputs untouched


def test_job_may_not_write_outside_its_outputs(monkeypatch, book_path):
    fake_job(monkeypatch, "scenario", INPUT_NAMES=(), OUTPUT_NAMES=("t_uit",),
             run_button=lambda inputs: {"t_in": [[0]]})
    message = run_button("grip_scenario", OpenpyxlBook(book_path))
    assert "niet geschreven" in message and "t_in" in message


def test_job_output_over_input_cells_is_refused(monkeypatch, book_path):
    fake_job(monkeypatch, "scenario", INPUT_NAMES=(), OUTPUT_NAMES=("t_invoer_als_uit",),
             run_button=lambda inputs: {"t_invoer_als_uit": [[0], [0]]})
    book = OpenpyxlBook(book_path)
    message = run_button("grip_scenario", book)
    assert "invoercellen" in message and "A1" in message
    assert book.read("t_in")[0][0] == 1


def test_too_large_table_is_refused(monkeypatch, book_path):
    fake_job(monkeypatch, "scenario", INPUT_NAMES=(), OUTPUT_NAMES=("t_uit",),
             run_button=lambda inputs: {"t_uit": [[1, 2, 3]]})
    assert "past niet" in run_button("grip_scenario", OpenpyxlBook(book_path))


def test_missing_named_range_is_named(monkeypatch, book_path):
    fake_job(monkeypatch, "begroting", INPUT_NAMES=("grip_bestaat_niet",),
             OUTPUT_NAMES=("t_uit",), run_button=lambda inputs: {})
    message = run_button("grip_begroting", OpenpyxlBook(book_path))
    assert "grip_bestaat_niet" in message and "bijwerken" in message


@pytest.mark.parametrize("error, shown", [
    (InputError("te weinig historie", argument="t_in"), "Blad 1!A1:B2: te weinig historie"),
    (InputError("leeg", argument="t_in", row=1, column=1), "Blad 1!B2: leeg"),
    (InputError("geen declaraties", argument="claim_lines"),
     "declaratieregels in de opslag: geen declaraties"),
])
def test_grip_error_becomes_the_dutch_message(monkeypatch, book_path, error, shown):
    """A named range's problem is shown at the user's cell: the button said 'grip_berichtenmap,
    rij 1, kolom 1: vul de map met berichten in' where Parameters!B8 is meant."""
    def run(inputs):
        raise error

    fake_job(monkeypatch, "gripniveau", INPUT_NAMES=("t_in",), OUTPUT_NAMES=("t_uit",),
             run_button=run)
    assert run_button("grip_gripniveau", OpenpyxlBook(book_path)) == \
        f"Gripniveau bijwerken: niet gelukt: {shown}"


@pytest.mark.parametrize("fault, words", [
    (OSError(28, "No space left on device", "opslag.duckdb"), "de schijf is vol: opslag.duckdb"),
    (FileNotFoundError(2, "No such file", "berichten"), "bestand niet gevonden: berichten"),
])
def test_a_file_system_fault_is_worded_as_on_the_command_line(monkeypatch, book_path, fault,
                                                               words):
    """Disk full, a missing file: the button says it in grip.faults' words, not 'onverwacht'."""
    def run(inputs):
        raise fault

    fake_job(monkeypatch, "gripniveau", INPUT_NAMES=(), OUTPUT_NAMES=(), run_button=run)
    assert run_button("grip_gripniveau", OpenpyxlBook(book_path)) == \
        f"Gripniveau bijwerken: niet gelukt: {words}"


def test_unexpected_error_is_logged_not_shown(monkeypatch, book_path, caplog):
    fake_job(monkeypatch, "gripniveau", INPUT_NAMES=(), OUTPUT_NAMES=(),
             run_button=lambda inputs: 1 / 0)
    message = run_button("grip_gripniveau", OpenpyxlBook(book_path))
    assert "onverwachte fout in de knop 'Gripniveau bijwerken' (ZeroDivisionError)" in message
    assert "Traceback" not in message and "ZeroDivisionError" in caplog.text


def test_job_not_installed_gives_a_dutch_message(monkeypatch, book_path):
    monkeypatch.setitem(sys.modules, "grip.jobs.berichten", None)  # as if not installed
    message = run_button("grip_berichten", OpenpyxlBook(book_path))
    assert message.startswith("De knop 'Berichtenverkeer inlezen' is in deze versie van Grip "
                              "nog niet beschikbaar")


def test_module_without_contract_is_not_available(monkeypatch, book_path):
    fake_job(monkeypatch, "begroting")
    assert "nog niet beschikbaar" in run_button("grip_begroting", OpenpyxlBook(book_path))


def test_unknown_button():
    assert "onbekende knop" in run_button("grip_bestaat_niet", None)


def test_workbook_job_gets_the_book_and_can_write_links(monkeypatch, book_path):
    def run_book(book):
        book.write("t_uit", [[CellLink("Blad 1", "A1"), "melding"]])
        return "klaar"

    fake_job(monkeypatch, "waarden", run_book=run_book)
    book = OpenpyxlBook(book_path)
    assert run_button("grip_waarden", book) == "klaar"
    cell = book.wb["Blad 1"]["D1"]
    assert cell.value == "Blad 1!A1" and cell.hyperlink.location == "'Blad 1'!A1"


def test_xlwings_side_imports_lazily():
    """The Excel side exists; xlwings is imported only when Excel calls it."""
    assert callable(buttons.run_from_excel) and "xlwings" not in buttons.__dict__
    import grip

    assert callable(grip.main)


def test_the_ribbon_callback_statement_reaches_the_dispatcher(monkeypatch):
    """The Python statement inside the VBA callback GripRibbon.OnAction runs as written and
    hands the button id to grip.buttons.run_from_excel (no module in addin stands between)."""
    import re

    from addin import vba

    vba_line = next(line for line in vba.render_ribbon_module().splitlines() if "RunPython" in line)
    template = re.fullmatch(r'\s*RunPython "(.*)"', vba_line).group(1)
    statement = template.replace('" & control.Id & "', "grip_prognose")
    seen = []
    monkeypatch.setattr(buttons, "run_from_excel", seen.append)
    exec(statement, {})  # noqa: S102 — the text Excel hands to Python
    assert seen == ["grip_prognose"]


def test_names_on_a_sheet_with_an_apostrophe(tmp_path):
    """Sheet names like "Thema's" are escaped in names ('Thema''s'!A1); read and write work."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Thema's"
    ws["A1"] = 5
    style.define_name(wb, "t_in", ws, "A1")
    style.define_name(wb, "t_uit", ws, "B1:B2")
    book = OpenpyxlBook(save(wb, tmp_path / "a.xlsx"))
    assert book.read("t_in") == [[5]]
    book.write("t_uit", [[CellLink("Thema's", "A1")]])
    cell = book.wb["Thema's"]["B1"]
    assert cell.value == "Thema's!A1" and cell.hyperlink.location == "'Thema''s'!A1"
