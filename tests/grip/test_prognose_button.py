"""The Prognose button's way out (status and every note on the sheet, also in a workbook saved
before that range existed) and its way in (an announced change of the inflow of new clients)."""

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest
from openpyxl import load_workbook

from berichten import store as berichten_store
from calc.errors import InputError
from grip.buttons import run_button
from grip.cli import main
from grip.jobs import prognose
from tests.factories import FakeStore
from workbooks import fit, layout
from workbooks.bookio import OpenpyxlBook, fit_rows
from workbooks.tables.prognose import (HEAD_LINE_WIDTH, REFERRER_HEADER, TRAJECTORY_HEADER,
                                       head_rows, plain)

NOW = dt.datetime(2026, 1, 12, 9, 30)
HEAD = layout.NAME_OUT_PROGNOSE_HEAD


class MemoryBook:
    """An in-memory ``BookIO``: named ranges of a fixed size, ``None`` for empty cells."""

    def __init__(self, shapes, values=None):
        self.grids = {name: [[None] * cols for _ in range(rows)]
                      for name, (rows, cols) in shapes.items()}
        for name, grid in (values or {}).items():
            self.grids[name] = grid
        self.messages = []

    def names(self):
        return set(self.grids)

    def read(self, name):
        return [list(r) for r in self.grids[name]]

    def write(self, name, rows):
        grid = self.grids[name]
        self.grids[name] = fit_rows(rows, len(grid), len(grid[0]))

    def saved_path(self):
        return None

    def message(self, text):
        self.messages.append(text)


def shapes(*, old=False):
    """The names "Prognose bijwerken" uses, with the sizes of the template (``old``: a workbook
    of template 1.1, without the status range, the inflow inputs and the gemeentecode)."""
    out = {layout.NAME_STORE_PATH: (1, 1), layout.NAME_PROVIDER_REGISTER: (layout.REGISTER_ROWS, 2),
           layout.NAME_OUT_PROGNOSE: (layout.PROG_TABLE_ROWS, layout.PROG_TABLE_COLS),
           layout.NAME_OUT_PROVIDERS: (layout.PROV_TABLE_ROWS, layout.PROV_TABLE_COLS),
           layout.NAME_PROG_MONTHLY: (layout.PROG_MONTHLY_ROWS, 5),
           layout.NAME_OUT_TERUGBLIK: (12, 10)}
    if not old:
        out.update({HEAD: (layout.PROG_HEAD_ROWS, 1), layout.NAME_INFLOW_FROM: (1, 1),
                    layout.NAME_INFLOW_CHANGE: (1, 1), layout.NAME_MUNICIPALITY_CODE: (1, 1),
                    layout.NAME_OUT_REFERRERS: (layout.REFERRER_ROWS, len(REFERRER_HEADER)),
                    layout.NAME_OUT_TRAJECTORIES: (layout.TRAJECTORY_ROWS,
                                                   len(TRAJECTORY_HEADER))})
    return out


def joined(rows) -> str:
    """The lines of ``head_rows`` as one text (a note's next lines joined to it)."""
    return " ".join(r[0].strip() for r in rows if r[0])


@pytest.fixture()
def fake_store(monkeypatch):
    """Every store the button opens is the synthetic municipality in memory."""
    monkeypatch.setattr(berichten_store, "open_store", FakeStore)
    monkeypatch.setattr(prognose, "clock", lambda: NOW)


def test_head_rows_name_peilmaand_time_store_and_every_note(demo_forecast):
    """The status names year, peilmaand, time and store; every note of the calc follows, in
    lines that fit the sheet's width; the range has its fixed size."""
    rows = head_rows(demo_forecast, layout.PROG_HEAD_ROWS, store="opslag.duckdb", computed_at=NOW)
    assert len(rows) == layout.PROG_HEAD_ROWS and all(len(r) == 1 for r in rows)
    f = demo_forecast.forecast
    assert rows[0][0] == (f"Jaar {f.year}, peilmaand {f.as_of:%m-%Y}, marge 80%; berekend op "
                          "12-01-2026 09:30 uit de opslag opslag.duckdb.")
    # the demo's notes take more lines than the range has (the last row then counts the rest:
    # test_head_rows_say_how_many_lines_did_not_fit); in a range long enough every note follows
    every = head_rows(demo_forecast, 500, store="opslag.duckdb", computed_at=NOW)
    text = joined(every)
    assert demo_forecast.notes
    for note in demo_forecast.notes:
        assert plain(note) in text
    assert all(fit.text_width(r[0]) <= HEAD_LINE_WIDTH for r in rows + every if r[0])


def test_head_rows_say_how_many_lines_did_not_fit(demo_forecast):
    """More notes than rows: the last row counts the lines left out and says where to read them."""
    many = replace(demo_forecast, notes=[f"Aantekening {k}: " + "woord " * 40 for k in range(30)])
    rows = head_rows(many, layout.PROG_HEAD_ROWS)
    full = head_rows(many, 500)
    used = sum(1 for r in full if r[0])
    left = used - (layout.PROG_HEAD_ROWS - 1)
    assert rows[-1][0].startswith(f"… nog {left} regels met aantekeningen")
    assert "grip prognose" in rows[-1][0]


def test_without_a_result_the_head_is_the_hint():
    rows = head_rows(None, 4)
    assert "Prognose bijwerken" in rows[0][0] and rows[1:] == [[None]] * 3


def test_button_writes_status_and_notes_through_the_bookio(fake_store, tmp_path):
    """In a current workbook the button fills all seven ranges; the status line names the
    store's file name (not its folder) and the announced change stands among the notes."""
    book = MemoryBook(shapes(), {layout.NAME_STORE_PATH: [[str(tmp_path / "geheim" / "s.duckdb")]],
                                 layout.NAME_INFLOW_FROM: [[dt.datetime(2025, 7, 1)]],
                                 layout.NAME_INFLOW_CHANGE: [[-0.2]]})
    (tmp_path / "geheim").mkdir()
    message = run_button("grip_prognose", book)
    assert message == "Prognose bijwerken: klaar, 7 tabel(len) bijgewerkt."
    head = book.grids[HEAD]
    assert "peilmaand" in head[0][0] and "12-01-2026 09:30" in head[0][0]
    assert "s.duckdb" in head[0][0] and "geheim" not in joined(head)
    assert "instroom (vanaf 07-2025, -20%)" in joined(head) or \
        "instroom: vanaf 07-2025 -20%" in joined(head)
    assert book.grids[layout.NAME_OUT_PROGNOSE][0][0] == "Totaal"


def test_workbook_saved_before_the_notes_range_still_works(fake_store, tmp_path):
    """A 1.1 workbook lacks the status range and the inflow inputs: the four tables are written,
    and the message says what is missing, how to add it, and carries the status and notes."""
    book = MemoryBook(shapes(old=True), {layout.NAME_STORE_PATH: [[str(tmp_path / "s.duckdb")]]})
    message = run_button("grip_prognose", book)
    assert message.startswith("Prognose bijwerken: klaar, 4 tabel(len) bijgewerkt.")
    assert HEAD in message and "'grip werkmap bijwerken'" in message
    assert layout.NAME_INFLOW_FROM in message
    assert "peilmaand" in message and "12-01-2026 09:30" in message
    assert len(message) < 1024                      # Excel's message box shows about that much
    notes = prognose.run_prognose(tmp_path / "again.duckdb", open_store=FakeStore).notes
    shown = [n for n in notes if plain(n).split(". ")[0][:60] in message]
    assert shown == notes[:len(shown)] and shown      # the first notes, in the calc's order
    if len(shown) < len(notes):
        assert f"… en nog {len(notes) - len(shown)} aantekening(en)" in message
    assert book.grids[layout.NAME_OUT_PROGNOSE][0][0] == "Totaal"


def test_update_carries_a_moved_input_block_and_adds_the_new_ranges(tmp_path, monkeypatch):
    """'grip werkmap bijwerken' on a workbook of the previous template (its SD_PROGNOSE series
    block 24 rows higher, no status range, no inflow inputs): the series the controller typed
    moves with its name, and the new ranges are there afterwards."""
    from grip.jobs.bijwerken import update_workbook
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext
    from workbooks.files import save
    from workbooks.template import named_cells

    with monkeypatch.context() as m:                 # the old layout
        m.setattr(layout, "PROG_DEMO_ROW", layout.PROG_DEMO_ROW - layout.PROG_HEAD_ROWS)
        old = build_workbook(BuildContext(municipality="Gemeente Proef"))
    for name in (HEAD, layout.NAME_INFLOW_FROM, layout.NAME_INFLOW_CHANGE):
        del old.defined_names[name]
    sheet, address = named_cells(old, layout.NAME_VERSION)[0]
    old[sheet][address] = "1.1"
    typed = [1000.0 + k for k in range(len(named_cells(old, layout.NAME_PROG_SERIES)))]
    for (s, a), v in zip(named_cells(old, layout.NAME_PROG_SERIES), typed):
        old[s][a] = v
    path = save(old, tmp_path / "oud.xlsx")
    update_workbook(path)
    new = load_workbook(path)
    assert [new[s][a].value for s, a in named_cells(new, layout.NAME_PROG_SERIES)] == typed
    for name in (HEAD, layout.NAME_INFLOW_FROM, layout.NAME_INFLOW_CHANGE):
        assert named_cells(new, name)


def test_button_on_a_built_workbook_headless(fake_store, model_copy, tmp_path):
    """The default model, the store path and an announced change typed in: after the button the
    line that said 'Nog geen prognose berekend' gives the peilmaand and the notes follow."""
    wb = load_workbook(model_copy)
    wb[layout.PARAMETERS]["B7"] = str(tmp_path / "s.duckdb")
    ws = wb[layout.PROGNOSE]
    ws[f"B{layout.PROG_INFLOW_ROW}"] = "2025-10"
    ws[f"D{layout.PROG_INFLOW_ROW}"] = "-20%"
    wb.save(model_copy)
    book = OpenpyxlBook(model_copy)
    assert run_button("grip_prognose", book) == \
        "Prognose bijwerken: klaar, 7 tabel(len) bijgewerkt."
    ws = load_workbook(book.save(tmp_path / "na.xlsx"))[layout.PROGNOSE]
    lines = [ws.cell(row=r, column=1).value for r in
             range(layout.PROG_HEAD_ROW, layout.PROG_HEAD_ROW + layout.PROG_HEAD_ROWS)]
    assert lines[0].startswith("Jaar ") and "peilmaand" in lines[0]
    assert not any("Nog geen prognose" in (x or "") for x in lines)
    assert any("Aantekeningen bij deze prognose" in (x or "") for x in lines)
    assert "verandering van de instroom" in " ".join(x or "" for x in lines)
    assert ws[f"A{layout.PROG_TABLE_ROW + 1}"].value == "Totaal"
    # the Aanbieders tables below the providers: filled too (they kept the hint before 1.6)
    aanbieders = load_workbook(tmp_path / "na.xlsx")[layout.AANBIEDERS]
    referrers = [[aanbieders.cell(row=r, column=c).value for c in range(1, 6)]
                 for r in range(layout.REFERRER_ROW + 1, layout.REFERRER_ROW + 4)]
    assert referrers[0][1] and "Nog geen prognose" not in referrers[0][1]
    assert all(isinstance(row[4], (int, float)) for row in referrers if row[1])
    first_product = [aanbieders.cell(row=layout.TRAJECTORY_ROW + 1, column=c).value
                     for c in range(1, 5)]
    assert first_product[2] and isinstance(first_product[3], (int, float))


def test_filled_table_shows_no_hashes_and_no_clipped_text(demo_forecast, model_copy, tmp_path):
    """Widths of the empty model come from what the table will hold: once the button's rows
    are in, nothing in the year-end table shows ### or is cut off (``fit.lint``)."""
    book = OpenpyxlBook(model_copy)
    for name, rows in prognose.output_tables(demo_forecast, store="s.duckdb",
                                             computed_at=NOW).items():
        book.write(name, rows)
    ws = load_workbook(book.save(tmp_path / "gevuld.xlsx"))[layout.PROGNOSE]
    first, last = layout.PROG_TABLE_ROW + 1, layout.PROG_TABLE_ROW + layout.PROG_TABLE_ROWS
    problems = [p for p in fit.lint(ws)
                if first <= int("".join(ch for ch in p.split("!")[1].split(":")[0]
                                        if ch.isdigit())) <= last]
    assert problems == []
    assert ws[f"K{first}"].value > 1_000_000      # Verplicht: the column that showed ###


@pytest.mark.parametrize("month, change, where, words", [
    ("juli", -0.2, "Prognose!B3", "'juli' is geen maand"),
    ("2025-13", -0.2, "Prognose!B3", "'2025-13' is geen maand"),
    (2025, -0.2, "Prognose!B3", "is geen maand"),
    ("2025-07", 1.5, "Prognose!D3", "150% ligt niet tussen -100% en 100%"),
    ("2025-07", "150%", "Prognose!D3", "150% ligt niet tussen -100% en 100%"),
    ("2025-07", "veel", "Prognose!D3", "tekst 'veel' is geen getal"),
    ("2025-07", True, "Prognose!D3", "WAAR is geen getal"),
    ("2025-07", None, "Prognose!D3", "vul ook de verandering in"),
    (None, -0.2, "Prognose!B3", "vul ook de maand in"),
])
def test_announced_change_is_validated_naming_sheet_and_cell(month, change, where, words):
    with pytest.raises(InputError) as err:
        prognose.inflow_change(month, change)
    assert err.value.message.startswith(f"{where}: ") and words in err.value.message


@pytest.mark.parametrize("month, change, expected", [
    (dt.datetime(2025, 7, 1), -0.2, ("2025-07-01", -0.2)),
    ("07-2025", "-20%", ("2025-07-01", -0.2)),
    ("1-7-2025", "−12,5 %", ("2025-07-01", -0.125)),
    ("2025-7", 0.1, ("2025-07-01", 0.1)),
])
def test_announced_change_reads_what_excel_hands_over(month, change, expected):
    got = prognose.inflow_change(month, change)
    assert got == (pd.Timestamp(expected[0]), pytest.approx(expected[1]))


def test_empty_inputs_mean_no_announced_change():
    assert prognose.inflow_change(None, "") is None
    assert prognose.inflow_change("  ", None) is None


def test_button_with_a_bad_percentage_says_where(fake_store, tmp_path):
    book = MemoryBook(shapes(), {layout.NAME_STORE_PATH: [[str(tmp_path / "s.duckdb")]],
                                 layout.NAME_INFLOW_FROM: [["2025-07"]],
                                 layout.NAME_INFLOW_CHANGE: [[1.5]]})
    message = run_button("grip_prognose", book)
    assert message == ("Prognose bijwerken: niet gelukt: Prognose!D3: 150% ligt niet tussen "
                       "-100% en 100% (een korting van een vijfde is -20%)")
    assert book.grids[HEAD] == [[None]] * layout.PROG_HEAD_ROWS      # nothing written


def test_announced_change_moves_the_forecast_and_is_noted(tmp_path):
    """Mid-year, a cut of the new clients lowers the forecast; the calc's note says it was given."""
    base = prognose.run_prognose(tmp_path / "a.duckdb", open_store=FakeStore, as_of="2025-06")
    cut = prognose.run_prognose(tmp_path / "b.duckdb", open_store=FakeStore, as_of="2025-06",
                                inflow=(pd.Timestamp("2025-08-01"), -0.5))
    total = lambda r: r.forecast.by("total").iloc[0]["forecast_euro"]  # noqa: E731
    assert total(cut) < total(base)
    assert any(n.startswith(prognose.INFLOW_NOTE) and "-50%" in n for n in cut.notes)


def test_announced_change_after_the_year_is_noted_as_unused(tmp_path):
    """At peilmaand December no new clients are left to forecast: the notes say the given change
    did not count, instead of keeping silent."""
    result = prognose.run_prognose(tmp_path / "s.duckdb", open_store=FakeStore, as_of="2025-12",
                                   inflow=(pd.Timestamp("2025-10-01"), -0.2))
    assert any("telt niet mee" in n and "10-2025" in n for n in result.notes)


def test_command_takes_the_announced_change(monkeypatch, tmp_path, capsys):
    """grip prognose --instroom-wijziging 2025-07:-20% hands (July 2025, -0.2) to the job."""
    seen = {}

    def fake_run(path, **kwargs):
        seen.update(kwargs)
        return prognose.run_prognose(path, open_store=FakeStore, **kwargs)

    monkeypatch.setattr("grip.commands.prognose.run_prognose", fake_run)
    assert main(["prognose", "--opslag", str(tmp_path / "s.duckdb"), "--peilmaand", "2025-06",
                 "--instroom-wijziging", "2025-07:-20%"]) == 0
    assert seen["inflow"] == (pd.Timestamp("2025-07-01"), pytest.approx(-0.2))
    assert "Aangekondigde verandering van de instroom: vanaf 07-2025 -20%" in capsys.readouterr().out


@pytest.mark.parametrize("value, words", [("2025-07", "MAAND:PERCENTAGE"),
                                          ("juli:-20%", "'juli' is geen maand"),
                                          ("2025-07:-150%", "-150% ligt niet tussen")])
def test_command_refuses_a_bad_announced_change_in_dutch(value, words, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["prognose", "--opslag", str(tmp_path / "s.duckdb"), "--instroom-wijziging", value])
    assert exit_.value.code == 2
    assert words in capsys.readouterr().err


def test_demo_takes_the_announced_change(monkeypatch, demo):
    """grip demo --instroom-wijziging hands the change to the demo's run (same rules)."""
    import grip.commands.demo as command

    calls = []
    monkeypatch.setattr(command, "run_demo", lambda out, **kw: calls.append(kw) or demo)
    assert main(["demo", "--uit", str(demo.workbook.parent), "--instroom-wijziging",
                 "2025-09:+10%"]) == 0
    assert calls[0]["inflow"] == (pd.Timestamp("2025-09-01"), pytest.approx(0.1))


def test_demo_workbook_shows_its_store_and_the_inputs_empty(demo):
    """The demo model's status names its store by file name; without a change the inputs are
    empty yellow cells."""
    ws = load_workbook(demo.workbook)[layout.PROGNOSE]
    status = ws[f"A{layout.PROG_HEAD_ROW}"].value
    assert "peilmaand" in status and "uit de opslag grip_opslag.duckdb" in status
    for col in "BD":
        cell = ws[f"{col}{layout.PROG_INFLOW_ROW}"]
        assert cell.value is None and cell.protection.locked is False


def test_head_rows_say_what_no_forecast_can_see(demo_forecast):
    """Under the status, the method line says that a decision or a stopping provider after the
    peilmaand is not in the forecast (in March a later cut made it 2-3 % high unannounced),
    within the head's fixed rows and with every note still there."""
    rows = head_rows(demo_forecast, layout.PROG_HEAD_ROWS, store="opslag.duckdb", computed_at=NOW)
    text = joined(rows[:3])
    assert "Niet daarin: wat na de peilmaand besloten wordt of gebeurt (een korting op de " \
           "instroom, een aanbieder die stopt)." in text


def test_an_empty_store_cell_means_the_store_beside_the_workbook(demo, model_copy):
    """The Parameters sheet says of the store 'leeg = naast deze werkmap', but every button
    asked to fill in the path, and 'Berichtenverkeer inlezen' never got the workbook's folder.
    Now an empty cell means the store beside the workbook: without one there the buttons that
    read it say so at the cell; with one there they use it."""
    from grip.jobs import DEFAULT_STORE_NAME
    from tests.factories import copy_store

    beside = model_copy.parent / DEFAULT_STORE_NAME
    assert load_workbook(model_copy)[layout.PARAMETERS]["B7"].value is None
    for button in ("grip_prognose", "grip_gripniveau"):
        message = run_button(button, OpenpyxlBook(model_copy))
        assert not message.ok
        assert f"{layout.PARAMETERS}!B7: leeg, dus zoekt Grip de opslag naast deze werkmap " \
               f"({beside}), maar daar is er nog geen" in message, message
    copy_store(demo.workbook.parent / DEFAULT_STORE_NAME, beside)
    book = OpenpyxlBook(model_copy)
    assert run_button("grip_prognose", book) == \
        "Prognose bijwerken: klaar, 7 tabel(len) bijgewerkt."
    status = book.wb[layout.PROGNOSE][f"A{layout.PROG_HEAD_ROW}"].value
    assert status.endswith(f"uit de opslag {DEFAULT_STORE_NAME}."), status
