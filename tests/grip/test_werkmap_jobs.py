"""Workbook jobs: check, values-only copy, template update — on a built model a user edited."""

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

from calc.cross_effects import total_effect
from calc.errors import InputError
from grip.buttons import run_button
from grip.cli import main
from grip.jobs import bijwerken, controleren, waarden
from workbooks import layout
from workbooks.bookio import OpenpyxlBook
from workbooks.files import save
from workbooks.recalc import recalculate
from workbooks.template import is_formula
from tests.factories import named_range

DV = layout.DWARSVERBANDEN
PAR = layout.PARAMETERS
CTL = layout.CONTROLE  # free cells right of the list: F3, F4, F5 (our own sheet)
MJR = layout.MEERJARENRAMING
SV = layout.SAMENVATTING
GN = layout.GRIPNIVEAU
MT = layout.MAATREGELEN


@pytest.fixture()
def model(model_copy):
    # The demo municipality: its self-assessment is filled in, so a clean model has no
    # Gripniveau messages (a new municipality's empty self-assessment is itself a finding).
    return model_copy


def named(path, name):
    """(sheet, [addresses]) of a named range, row by row."""
    from workbooks.context import cells_of

    sheet, ref = named_range(path, name)
    return sheet, cells_of(ref)


def edit(path, out, changes):
    wb = load_workbook(path)
    for (sheet, address), value in changes.items():
        wb[sheet][address] = value
    wb.save(out)
    return out


def no_formulas(path_or_wb):
    """Whether a saved workbook (its path, or as loaded) holds no formula."""
    wb = load_workbook(path_or_wb) if not isinstance(path_or_wb, Workbook) else path_or_wb
    return not any(is_formula(c.value) for ws in wb.worksheets for row in ws.iter_rows()
                   for c in row)


# --- Werkmap controleren --------------------------------------------------------------------

@pytest.fixture(scope="module")
def broken(model_file, tmp_path_factory):
    """The default model with bad inputs and broken formulas, made once for this file (the
    tests read it; the button writes only to the workbook in memory)."""
    sheet, matrix = named(model_file, layout.NAME_DV_MATRIX)
    assert sheet == DV
    start = named(model_file, layout.NAME_MJR_START)[1]
    return edit(model_file, tmp_path_factory.mktemp("kapot") / "kapot.xlsx", {
        (PAR, "B6"): 2019, (PAR, "C12"): -0.5, (PAR, "B7"): "#mijn notitie",
        (CTL, "F3"): "=1/0", (CTL, "F4"): "=#REF!+1", (CTL, "F5"): "#ook tekst",
        # two texts in the matrix and two in the start amounts: each SD_ message names the
        # first and "(en nog 1 probleem)"
        (DV, matrix[1]): "abc", (DV, matrix[13]): "4,1 mln",
        (MJR, start[0]): "4,1 mln", (MJR, start[2]): "abc",
        (GN, named(model_file, layout.NAME_GN_ASSESSMENT)[1][0]): "goed",
        # a start year after the outcomes' last year (2062: the measure counted in no year,
        # without a word), a year within them (allowed), a ramp beyond the 10 years
        (MT, "H10"): 2062, (MT, "H11"): 2030, (MT, "I9"): 12,
        # a theme typed (or pasted) that is not in the dropdown's list of Thema's, and one in
        # another case (Excel's list takes it, and so does Grip)
        (MT, "C11"): "Schuldhulp", (MT, "C12"): "re-integratie"})


@pytest.fixture(scope="module")
def broken_found(broken):
    """What Werkmap controleren finds in ``broken``, checked once for this file (read only)."""
    return tuple(controleren.check_workbook(broken))


@pytest.fixture(scope="module")
def clean_found(model_file):
    """What it finds in the default model, checked once for this file (read only)."""
    return tuple(controleren.check_workbook(model_file))


def test_check_finds_exactly_the_problems(broken_found, clean_found, model):
    baseline = clean_found  # other engines' sheets, untouched here
    found = [f for f in broken_found if f not in baseline]
    _, matrix = named(model, layout.NAME_DV_MATRIX)
    _, start = named(model, layout.NAME_MJR_START)
    _, assessment = named(model, layout.NAME_GN_ASSESSMENT)
    kinds = {controleren.KIND_GRIP, controleren.KIND_EXCEL}
    # the inputs first, where the controller begins: two out of bounds, four that cause
    # messages (two behind each message with "en nog 1 probleem"), one that does both ('goed'
    # is not in the dropdown's list)
    assert [(f.sheet, f.address, f.kind) for f in found if f.kind not in kinds] == [
        (PAR, "B6", controleren.KIND_INPUT), (PAR, "C12", controleren.KIND_INPUT),
        (DV, matrix[1], controleren.KIND_CAUSE), (DV, matrix[13], controleren.KIND_CAUSE),
        (MT, "I9", controleren.KIND_INPUT),
        (MT, "H10", controleren.KIND_INPUT), (MT, "C11", controleren.KIND_INPUT),
        (MJR, start[0], controleren.KIND_CAUSE), (MJR, start[2], controleren.KIND_CAUSE),
        (GN, assessment[0], controleren.KIND_INPUT), (CTL, "F4", controleren.KIND_REF)]
    # The text in the matrix shows in the total effect and in every SD_ cell that reads the
    # matrix (the effect path too), and nowhere else; the text in a start amount on the
    # Meerjarenraming and in what calculates on from it, up to the saldo on the Samenvatting.
    by_cause = {}
    for f in found:
        if f.kind in kinds:
            cause = f.message.rpartition("(oorza")[2].partition(": ")[2].rstrip(")") \
                if " (oorza" in f.message else None
            by_cause.setdefault(cause, set()).add(f.sheet)
    assert by_cause == {f"{DV}!{matrix[1]}, {DV}!{matrix[13]}": {DV},
                        f"{MJR}!{start[0]}, {MJR}!{start[2]}": {MJR, SV},
                        f"{MT}!C11": {layout.SCENARIOS, layout.WIJKEN},
                        f"{GN}!{assessment[0]}": {GN}, None: {CTL}}
    _, totals = named(model, layout.NAME_DV_TOTAL)
    cells = {(f.sheet, c) for f in found for c in f.cells or [f.address]}
    assert {(DV, a) for a in totals} <= cells
    assert [f.address for f in found if f.sheet == CTL] == ["F3", "F4"]


def test_one_wrong_input_is_one_cause_not_a_thousand_lines(broken_found, model):
    """Typed texts in the matrix and in the start amounts: each block of one formula is one
    line, its causes named; each cause lists what follows from it."""
    found = list(broken_found)
    by_cell = {f.where: f for f in found}
    _, matrix = named(model, layout.NAME_DV_MATRIX)
    _, totals = named(model, layout.NAME_DV_TOTAL)
    _, start = named(model, layout.NAME_MJR_START)
    block = next(f for f in found if totals[0] in f.cells)
    assert block.where == f"{DV}!{totals[0]}:{totals[-1]}"
    assert block.message == ("#INVOER: matrix, rij 1, kolom 2: tekst 'abc' is geen getal "
                             f"(en nog 1 probleem) (oorzaken: {DV}!{matrix[1]}, {DV}!{matrix[13]})")
    saldo = [f for f in found if f.sheet == SV]
    assert len(saldo) == 1 and saldo[0].message.startswith("#VALUE! in 4 cellen") and \
        saldo[0].message.endswith(f"(oorzaken: {MJR}!{start[0]}, {MJR}!{start[2]})")
    assert len(found) < 50 < sum(len(f.cells) or 1 for f in found)
    assert controleren.summary(found).endswith(
        "Begin bij de 6 invoercellen bovenaan: daaruit volgen de foutmeldingen eronder.")


def test_every_wrong_cell_behind_one_message_is_named_with_its_own_reason(broken_found, model):
    """A message names its first problem and "(en nog 1 probleem)"; the check names the cell
    of each problem, each with its own reason (once only named the first: the second came to
    light after the first was mended and the check run again)."""
    by_cell = {f.where: f for f in broken_found}
    _, matrix = named(model, layout.NAME_DV_MATRIX)
    _, start = named(model, layout.NAME_MJR_START)
    reasons = {(DV, matrix[1]): "tekst 'abc'", (DV, matrix[13]): "tekst '4,1 mln'",
               (MJR, start[0]): "tekst '4,1 mln'", (MJR, start[2]): "tekst 'abc'"}
    for (sheet, address), text in reasons.items():
        cause = by_cell[f"{sheet}!{address}"]
        assert cause.kind == controleren.KIND_CAUSE
        assert cause.message.startswith(f"{text} is geen getal; daardoor een foutmelding in ")
    # both causes of one block give the same cells
    _, totals = named(model, layout.NAME_DV_TOTAL)
    effect = {by_cell[f"{DV}!{a}"].message.partition("; ")[2] for a in (matrix[1], matrix[13])}
    assert len(effect) == 1 and f"{DV}!{totals[0]}:{totals[-1]}" in effect.pop()


def test_a_text_in_a_summed_range_gives_no_wrong_total(broken):
    """The start amount '4,1 mln' is text: Excel's SUM would skip it and the saldo on the
    wethouder's page would be tens of millions too good. The total passes the message on."""
    rec = recalculate(broken)
    _, cells = named(broken, layout.NAME_SV_SALDO)
    saldo = [rec.values[(SV, a)] for a in cells if a[1:] == cells[0][1:]]   # the first row
    assert all(isinstance(v, str) and v.startswith("#") for v in saldo), saldo
    total = next(v for (sheet, a), v in rec.values.items()
                 if sheet == MJR and isinstance(v, str) and v.startswith("#INVOER: bedragen"))
    assert "4,1 mln" in total
    # and the page says why, in its warning line at the top
    from workbooks.sheets import samenvatting as sv

    assert rec.values[(SV, f"A{sv.R_ASSUMED}")] == sv.SALDO_BROKEN


def test_a_typo_in_the_self_assessment_is_not_no_self_assessment(broken):
    """One 'goed' in a filled-in self-assessment made the grip level say 'nog geen
    zelfbeoordeling', on the Samenvatting too: untrue. The message is passed on instead."""
    rec = recalculate(broken)        # the same content as above: one recalculation
    for name in (layout.NAME_GN_GRIP_LEVEL, layout.NAME_GN_GRIP_SCORE):
        value = rec.get(GN, named(broken, name)[1][0])
        assert value.startswith("#INVOER: beoordelingen, rij 1: 'goed' is geen niveau"), value
    from workbooks.sheets import samenvatting as sv

    assert rec.get(SV, f"B{sv.R_GRIP + 1}").startswith("#INVOER: beoordelingen")


def test_a_bound_from_the_first_year_is_read_and_said(broken, broken_found):
    """The start year's upper bound is a formula of the first year (B5 plus 9): controleren
    reads it and says it in numbers, and the sheet refuses such a year as it is typed."""
    found = {f.address: f.message for f in broken_found if f.sheet == MT}
    last = load_workbook(broken)[MT]["B5"].value + 9
    assert found["H10"].startswith(f"2062 is niet toegestaan: moet tussen 2000 en {last} liggen (")
    assert found["I9"].startswith("12 is niet toegestaan: moet tussen 0 en 10 liggen (")
    # the list of a dropdown whose source is a name (=th_namen) is read from its cells
    assert found["C11"].startswith("'Schuldhulp' staat niet in de keuzelijst van deze cel")
    assert "C12" not in found
    rules = [dv for dv in load_workbook(broken)[MT].data_validations.dataValidation
             if "H9" in str(dv.sqref)]
    assert [(r.type, r.formula1, r.formula2, r.errorStyle) for r in rules] == \
        [("whole", "2000", "$B$5+9", "stop")]


def test_check_messages_are_dutch_and_precise(broken_found):
    by_cell = {f.where: f.message for f in broken_found}
    assert by_cell[f"{PAR}!B6"].startswith("2019 is niet toegestaan: moet tussen 2020 en 2050")
    assert by_cell[f"{PAR}!C12"].startswith("-0,5 is niet toegestaan: moet tussen -0,05 en 0,25")


def test_clean_model_has_no_findings(clean_found):
    assert clean_found == ()


def test_broken_name_is_found(model, tmp_path):
    wb = load_workbook(model)
    wb.defined_names[layout.NAME_DV_SHOCK].attr_text = "#REF!"
    path = save(wb, tmp_path / "naam.xlsx")
    found = controleren.check_workbook(path)
    assert [(f.where, f.kind) for f in found] == [(layout.NAME_DV_SHOCK, controleren.KIND_REF)]


def test_button_writes_the_list_with_links(broken, broken_found):
    book = OpenpyxlBook(broken)
    found = list(broken_found)
    n = len(found)
    assert run_button("grip_controleren", book) == \
        f"{controleren.summary(found)} Zie het blad Controle."
    ws = book.wb[layout.CONTROLE]
    first = ws["A6"]
    assert (first.value, first.hyperlink.location) == (f"{PAR}!B6", f"'{PAR}'!B6")
    assert ws["B6"].value == controleren.KIND_INPUT
    assert ws[f"A{6 + n - 1}"].value and ws[f"A{6 + n}"].value is None
    assert book.wb[PAR]["B6"].value == 2019  # the input itself is untouched
    # every cause its own line with a link to its cell, both texts in the matrix among them
    causes = {ws[f"A{r}"].value: ws[f"A{r}"].hyperlink.location for r in range(6, 6 + n)
              if ws[f"B{r}"].value == controleren.KIND_CAUSE}
    assert causes == {f.where: f"'{f.sheet}'!{f.address}" for f in found
                      if f.kind == controleren.KIND_CAUSE}
    _, matrix = named(broken, layout.NAME_DV_MATRIX)
    assert {f"{DV}!{matrix[1]}", f"{DV}!{matrix[13]}"} <= set(causes)


def test_a_clean_check_says_so_on_the_controle_sheet(model, clean_found):
    """No findings: the list says 'geen meldingen' instead of staying blank (before: 'nog niet')."""
    book = OpenpyxlBook(model)
    assert book.wb[layout.CONTROLE]["C6"].value.startswith("Nog niet gecontroleerd")
    assert clean_found == ()
    run_button("grip_controleren", book)
    assert book.wb[layout.CONTROLE]["C6"].value == controleren.NO_FINDINGS


def test_check_command_exit_code(broken, model, capsys):
    assert main(["werkmap", "controleren", str(broken)]) == 1
    out = capsys.readouterr().out
    _, start = named(model, layout.NAME_MJR_START)
    assert "Parameters!B6" in out
    for address, text in ((start[0], "'4,1 mln'"), (start[2], "'abc'")):   # both start amounts
        assert f"{MJR}!{address}  {controleren.KIND_CAUSE}: tekst {text} is geen getal;" in out
    assert main(["werkmap", "controleren", str(model)]) == 0


# --- Deel als waarden -------------------------------------------------------------------------

def test_values_copy_of_the_template_keeps_inputs_and_matches_the_core(model, tmp_path):
    _, shock_cells = named(model, layout.NAME_DV_SHOCK)
    _, matrix_cells = named(model, layout.NAME_DV_MATRIX)
    _, total_cells = named(model, layout.NAME_DV_TOTAL)
    n = len(shock_cells)
    shock = [(-50_000.0, 0.0, 80_000.0, 0.0, 10_000.0)[i % 5] for i in range(n)]
    edited = edit(model, tmp_path / "e.xlsx",
                  {(DV, a): s or None for a, s in zip(shock_cells, shock)})
    result = waarden.values_copy(edited, tmp_path / "w.xlsx")
    assert result.method == waarden.METHOD_TEMPLATE
    copy = load_workbook(result.path)
    assert no_formulas(copy)
    ws = copy[DV]
    matrix = np.array([ws[a].value or 0.0 for a in matrix_cells]).reshape(n, n)
    got = [ws[a].value for a in total_cells]
    assert [ws[a].value or 0.0 for a in shock_cells] == shock
    np.testing.assert_allclose(got, total_effect(matrix, np.array(shock)), rtol=1e-12)
    first = total_cells[0]
    assert ws.protection.sheet and ws[first].number_format == \
        load_workbook(model)[DV][first].number_format
    assert layout.NAME_VALUES_COPY in copy.defined_names


def test_values_copy_of_an_edited_workbook_replaces_formulas(broken, tmp_path):
    result = waarden.values_copy(broken, tmp_path / "w.xlsx")
    wb = load_workbook(result.path)
    assert result.method == waarden.METHOD_REPLACE and no_formulas(wb)
    assert wb[CTL]["F3"].value == "#DIV/0!" and wb[CTL]["F5"].value == "#ook tekst"
    _, totals = named(broken, layout.NAME_DV_TOTAL)
    assert wb[DV][totals[0]].value.startswith("#INVOER")


def test_a_values_copy_takes_no_button_and_no_update(tmp_path, capsys):
    """'Prognose bijwerken' on a values copy filled its tables while every other sheet kept
    the old values (the Samenvatting disagreed with the Prognose sheet); 'grip werkmap knop'
    wrote the result with exit code 0 even when a button refused. Both now refuse it by the
    name only a values copy carries, and the command writes nothing and exits with 2."""
    wb = Workbook()
    wb.active["A1"], wb.active["B1"] = 2, "=A1*2"
    copy = waarden.values_copy(save(wb, tmp_path / "m.xlsx"), tmp_path / "m_w.xlsx").path
    assert layout.NAME_VALUES_COPY in load_workbook(copy).defined_names
    message = run_button("grip_prognose", OpenpyxlBook(copy))
    assert not message.ok and message.startswith(
        "Prognose bijwerken: niet gedaan: deze werkmap is een kopie met alleen waarden")
    assert main(["werkmap", "knop", str(copy), "grip_prognose", "--uit",
                 str(tmp_path / "uit.xlsx")]) == 2
    assert "Niets geschreven" in capsys.readouterr().out
    assert not (tmp_path / "uit.xlsx").exists()
    with pytest.raises(InputError, match="is een kopie met alleen waarden"):
        bijwerken.update_workbook(copy)
    assert run_button("grip_controleren", OpenpyxlBook(copy)).ok   # reading it is fine


def test_values_copy_keeps_charts(tmp_path):
    wb = Workbook()
    ws = wb.active
    for r in range(1, 4):
        ws[f"A{r}"], ws[f"B{r}"] = r, f"=A{r}*2"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3))
    ws.add_chart(chart, "D2")
    path = save(wb, tmp_path / "grafiek.xlsx")
    result = waarden.values_copy(path, tmp_path / "grafiek_w.xlsx")
    back = load_workbook(result.path).active
    assert [back[f"B{r}"].value for r in range(1, 4)] == [2, 4, 6]
    assert len(back._charts) == 1


def test_values_copy_after_the_buttons_shows_what_the_user_typed_and_pressed(model, tmp_path):
    """The copy to share of a model whose Prognose button was pressed and whose user added a
    measure in a spare row of Maatregelen. The button's monthly table (named before the
    ``grip_uit_`` prefix) counted as a change to the template: the copy fell back to replacing
    formulas (every spare row of every table on paper) and 'grip werkmap bijwerken' refused
    the model. And a copy rebuilt from the template folded the spare rows before the user's
    values went back: the added measure counted in every total but its row was hidden."""
    _, measures = named(model, layout.NAME_MT_MEASURES)
    width = 11                                           # A..K
    row = measures[4 * width: 5 * width]                 # the fifth row: a spare one
    sheet, monthly = named(model, layout.NAME_PROG_MONTHLY)
    last = monthly[-2 * 5:]                              # the two last months, 5 columns
    months = {(sheet, a): v for a, v in zip(last, [
        pd.Timestamp("2025-05-01").to_pydatetime(), 41_023.0, None, None, None,
        pd.Timestamp("2025-06-01").to_pydatetime(), 31_097.0, None, None, None])}
    _, look_back = named(model, layout.NAME_OUT_TERUGBLIK)     # 12 rows, 10 columns
    back = {(sheet, a): v for a, v in zip(look_back[:2 * 10], [
        pd.Timestamp("2024-02-01").to_pydatetime(), "nagespeeld", 5_952.0, *[None] * 7,
        pd.Timestamp("2024-03-01").to_pydatetime(), "nagespeeld", 7_440.0, *[None] * 7])}
    edited = edit(model, tmp_path / "mijn.xlsx", {
        **months, **back, **{(layout.MAATREGELEN, a): v for a, v in zip(row, [
            "ja", "Inkoop jeugd herzien", "Jeugdhulp met verblijf", "euro",
            -400_000, -300_000, -200_000])}})
    result = waarden.values_copy(edited, tmp_path / "w.xlsx")
    assert result.method == waarden.METHOD_TEMPLATE
    wb = load_workbook(result.path)
    ws = wb[layout.MAATREGELEN]
    n_row = int(row[0][1:])
    assert ws[row[1]].value == "Inkoop jeugd herzien"
    assert not ws.row_dimensions[n_row].hidden and ws.row_dimensions[n_row + 1].hidden
    ws = wb[layout.PROGNOSE]
    rows = sorted({int(a[1:]) for a in monthly})
    shown = [r for r in rows if not ws.row_dimensions[r].hidden]
    assert rows[-2] in shown and rows[-1] in shown and rows[0] not in shown
    assert len(shown) < len(rows)
    back_rows = sorted({int(a[1:]) for a in look_back})      # two filled, ten spare
    assert [ws.row_dimensions[r].hidden for r in back_rows] == [False] * 2 + [True] * 10
    bijwerken.update_workbook(edited)                    # no refusal: the outputs are the user's
    assert load_workbook(edited)[sheet][last[1]].value == 41_023.0


def test_values_copy_refuses_to_overwrite_its_source(model):
    with pytest.raises(InputError, match="niet overschrijven"):
        waarden.values_copy(model, model)


# --- Werkmap bijwerken ------------------------------------------------------------------------

#: Template 1.8's Aanbieders: the provider table first, then referrers and trajectories
#: (header rows 6, 109, 122), and a row the button wrote into each.
OLD_AANBIEDERS = {layout.NAME_OUT_PROVIDERS: ("A7:M106", ["98010001", "Zorg BV", 1000.0]),
                  layout.NAME_OUT_REFERRERS: ("A110:E119", ["02", "Huisarts", 405]),
                  layout.NAME_OUT_TRAJECTORIES: ("A123:I152", ["45", "Jeugdhulp ambulant"])}


def _as_version_1_8(path, out, indirect):
    """The model as template 1.8 laid it out: Meerjarenraming's indirect effects per measure
    (``mjr_indirect``, input) in M:P beside the measures, ``indirect`` typed there; the
    provider table above the referrer and trajectory tables (``OLD_AANBIEDERS``)."""
    from openpyxl.styles import Protection

    from workbooks.sheets import meerjarenraming as mjr
    from workbooks.template import named_cells

    wb = load_workbook(path)
    for name, (ref, row) in OLD_AANBIEDERS.items():
        wb.defined_names[name].attr_text = f"'{layout.AANBIEDERS}'!{ref}"
        first = wb[layout.AANBIEDERS][ref][0]
        for cell, value in zip(first, row):
            cell.value = value
    ws = wb[layout.MEERJARENRAMING]
    for sheet, address in named_cells(wb, layout.NAME_MJR_INDIRECT):
        ws[address].protection = Protection(locked=True)
    old = f"$M${mjr.R_M}:$P${mjr.R_M + mjr.MEASURE_ROWS - 1}"
    wb.defined_names[layout.NAME_MJR_INDIRECT].attr_text = f"'{layout.MEERJARENRAMING}'!{old}"
    for k, row in enumerate(ws[old.replace("$", "")]):
        for j, cell in enumerate(row):
            cell.protection = Protection(locked=False)
            cell.value = indirect[k][j]
    sheet, address = named_cells(wb, layout.NAME_VERSION)[0]
    wb[sheet][address] = "1.8"
    wb.save(out)
    return out


def test_update_keeps_every_input_after_a_backup(model, tmp_path):
    """From template 1.8 (the indirect effects of the measures stood in M:P): every input
    stays, the indirect effects move with their name to the block below the business case."""
    from workbooks.sheets import meerjarenraming as mjr
    from openpyxl.utils.cell import range_boundaries

    from workbooks.template import named_cells

    _, shock = named(model, layout.NAME_DV_SHOCK)
    indirect = [[1000.0 * k + j if (k + j) % 3 else None for j in range(4)] for k in range(8)]
    # 40 providers the button wrote into 1.8's table (A7:M106), after its first row
    providers = {(layout.AANBIEDERS, f"{col}{8 + k}"): value for k in range(39)
                 for col, value in (("A", f"980100{k + 10}"), ("B", f"Aanbieder {k}"))}
    edited = edit(_as_version_1_8(model, tmp_path / "oud.xlsx", indirect), tmp_path / "mijn.xlsx", {
        (PAR, "B6"): 2029, (PAR, "B12"): 0.041, (DV, shock[0]): None, (DV, shock[2]): 123.0,
        (PAR, "B8"): "C:\\berichten", (PAR, "A18"): "oude import", **providers})
    wb_before = load_workbook(edited)
    original = edited.read_bytes()
    result = bijwerken.update_workbook(edited)
    assert result.backup.read_bytes() == original and result.old_version == "1.8"
    after = load_workbook(edited)
    for sheet, address in [(PAR, "B6"), (PAR, "B12"), (DV, shock[0]), (DV, shock[2]),
                           (PAR, "B8"), (PAR, "A18")]:
        assert after[sheet][address].value == wb_before[sheet][address].value
    moved = named_cells(after, layout.NAME_MJR_INDIRECT)
    assert moved[0] == (layout.MEERJARENRAMING, f"E{mjr.R_IND}")
    assert [after[s][a].value for s, a in moved] == [v for row in indirect for v in row]
    # the button's tables on Aanbieders moved with their names, in their new order
    assert result.emptied == ()
    for name, (_, row) in OLD_AANBIEDERS.items():
        cells = named_cells(after, name)[:len(row)]
        assert [after[s][a].value for s, a in cells] == row, name
    assert cells[0] == (layout.AANBIEDERS, f"A{layout.TRAJECTORY_ROW + 1}")
    # ... and print: the template's print area ended above its empty provider table (row 74),
    # so the 40 providers carried there were not on paper
    table = named_cells(after, layout.NAME_OUT_PROVIDERS)
    last = next(a for s, a in reversed(table) if after[s][a].value == "Aanbieder 38")
    area = after[layout.AANBIEDERS].print_area.split("!")[-1].replace("$", "")
    assert range_boundaries(area)[3] >= int(last[1:]), (area, last)
    assert after[PAR]["A12"].value == "=$B$6+1"
    again = bijwerken.update_workbook(edited)
    assert again.backup != result.backup and result.backup.read_bytes() == original


@pytest.mark.parametrize("change, match", [
    ({(CTL, "F3"): "=1+1"}, "buiten de gele cellen"),
    ({(layout.START, "Z1"): "eigen"}, "buiten de gele cellen"),
])
def test_update_refuses_and_changes_nothing(model, tmp_path, change, match):
    edited = edit(model, tmp_path / "mijn.xlsx", change)
    before = edited.read_bytes()
    with pytest.raises(InputError, match=match):
        bijwerken.update_workbook(edited)
    assert edited.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.xlsx", "mijn.xlsx"]


def test_update_refuses_extra_sheets_and_foreign_workbooks(model, tmp_path):
    wb = load_workbook(model)
    wb.create_sheet("Eigen blad")
    with pytest.raises(InputError, match="Eigen blad"):
        bijwerken.update_workbook(save(wb, tmp_path / "extra.xlsx"))
    plain = Workbook()
    with pytest.raises(InputError, match="geen begrotingsmodel van Grip"):
        bijwerken.update_workbook(save(plain, tmp_path / "vreemd.xlsx"))


def test_update_refuses_an_existing_backup(model, tmp_path):
    backup = tmp_path / "bestaat.xlsx"
    backup.write_bytes(b"van iemand anders")
    with pytest.raises(InputError, match="bestaat al"):
        bijwerken.update_workbook(model, backup=backup)
    assert backup.read_bytes() == b"van iemand anders"


def test_update_command(model, capsys):
    assert main(["werkmap", "bijwerken", str(model)]) == 0
    assert "Reservekopie" in capsys.readouterr().out


# --- values as Excel saved them ---------------------------------------------------------------

def with_cached_value(path, out, sheet_part, address, formula, value, kind="e"):
    """A copy of ``path`` in which one formula cell carries a saved result, as Excel writes."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet_part:
                pattern = rf'<c r="{address}"([^>]*)><f>{re.escape(formula)}</f><v\s*/?>(</v>)?'
                data, n = re.subn(pattern.encode(),
                                  f'<c r="{address}" t="{kind}"><f>{formula}</f><v>{value}</v>'
                                  .encode(), data)
                assert n == 1
            dst.writestr(info, data)
    return out


def test_check_uses_the_values_excel_saved(model, tmp_path, monkeypatch):
    edited = edit(model, tmp_path / "e.xlsx", {(CTL, "F3"): "=1/0"})
    names = load_workbook(model, read_only=True).sheetnames
    sheet_part = f"xl/worksheets/sheet{names.index(CTL) + 1}.xml"
    saved = with_cached_value(edited, tmp_path / "excel.xlsx", sheet_part, "F3", "1/0",
                              "#DIV/0!")

    def no_recalc(path):
        raise AssertionError("saved values must be used, not a recalculation")

    monkeypatch.setattr("workbooks.recalc.recalculate", no_recalc)
    found = controleren.check_workbook(saved)
    assert [(f.where, f.kind) for f in found] == [(f"{CTL}!F3", controleren.KIND_EXCEL)]


def test_share_as_values_button(model):
    message = run_button("grip_waarden", OpenpyxlBook(model))
    target = model.with_name("m_waarden.xlsx")
    assert message == f"Deel als waarden: kopie zonder formules geschreven: {target}"
    assert no_formulas(target)


def test_button_from_the_command_line(model, tmp_path, capsys):
    out = tmp_path / "na_knop.xlsx"
    assert main(["werkmap", "knop", str(model), "grip_controleren", "--uit", str(out)]) == 0
    assert "Werkmap controleren" in capsys.readouterr().out and out.exists()
    assert main(["werkmap", "knop", str(model), "grip_controleren", "--uit", str(model)]) == 2


def test_update_empties_an_output_table_whose_columns_changed(model, tmp_path):
    """From a template whose provider table had other columns, the old numbers are not put
    into columns that now mean something else: the table is emptied and named."""
    from workbooks.files import save

    wb = load_workbook(model)
    sheet = wb.defined_names[layout.NAME_OUT_PROVIDERS].attr_text.split("!")[0]
    first = layout.PROV_TABLE_ROW + 1
    last = first + layout.PROV_TABLE_ROWS - 1
    wb.defined_names[layout.NAME_OUT_PROVIDERS].attr_text = f"{sheet}!$A${first}:$L${last}"
    wb[layout.AANBIEDERS][f"B{first}"] = 123.0
    wb[layout.START]["B6"] = "1.0"
    path = save(wb, tmp_path / "oud.xlsx")
    result = bijwerken.update_workbook(path)
    assert result.emptied == (layout.NAME_OUT_PROVIDERS,)
    assert load_workbook(path)[layout.AANBIEDERS][f"B{first}"].value is None


@pytest.mark.parametrize("year, want", [(2028.0, 2028), ("2028", 2028), (" 2028 ", 2028),
                                        (None, None), ("", None)])
def test_the_workbooks_own_year_is_read_like_every_input(year, want):
    """Begrotingsjaar and gemeente through calc.cells: a year typed as text counts, an empty
    cell takes the default (it used to fall back to the default silently for "2028")."""
    from workbooks import style
    from workbooks.context import BuildContext

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = " Gemeente Elders ", year
    style.define_name(wb, layout.NAME_MUNICIPALITY, ws, "A1")
    style.define_name(wb, layout.NAME_BUDGET_YEAR, ws, "A2")
    ctx = waarden.context_of(wb)
    assert ctx.municipality == "Gemeente Elders"
    assert ctx.budget_year == (BuildContext().budget_year if want is None else want)


def test_a_year_that_is_no_whole_number_is_located():
    from workbooks import style

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "volgend jaar"
    style.define_name(wb, layout.NAME_BUDGET_YEAR, ws, "A1")
    with pytest.raises(InputError) as info:
        waarden.context_of(wb)
    assert info.value.argument == layout.NAME_BUDGET_YEAR


@pytest.mark.parametrize("value, problem", [
    ("0,8", None), (0.8, None), (" 0,8 ", None),
    ("1,5", "is niet toegestaan: moet tussen 0 en 1 liggen"), ("veel", "is geen getal"),
    (True, "is geen getal")])
def test_the_check_reads_a_number_as_the_engines_do(value, problem):
    """'Werkmap controleren' reads a validated input with calc.cells, as every SD_ formula and
    button does: text "0,8" is the number 0,8, not "geen getal"."""
    assert controleren._breaks("decimal", "between", 0.0, 1.0, None, value) == problem


def test_a_template_copy_is_new_each_time_and_saves_as_a_build(model_file, tmp_path):
    """``waarden.template_copy`` (what ``bijwerken`` fills): built once, unpickled per call;
    a change to one copy reaches no other, and a copy saves byte for byte as a build."""
    from workbooks.context import BuildContext

    ctx = BuildContext()
    changed = waarden.template_copy(ctx.municipality, ctx.budget_year)
    changed[PAR]["B6"] = 2049
    copy = waarden.template_copy(ctx.municipality, ctx.budget_year)
    assert copy is not changed and copy[PAR]["B6"].value != 2049
    assert save(copy, tmp_path / "t.xlsx").read_bytes() == model_file.read_bytes()
