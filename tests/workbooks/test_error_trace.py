"""From a Grip message to the cell that is wrong: ``workbooks.udf_calls`` and
``workbooks.error_trace`` on small workbooks with the values a recalculation would give."""

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from workbooks.context import checked_sum
from workbooks.error_trace import ErrorTrace
from workbooks.recalc import recalculate
from workbooks.files import save
from workbooks.udf_calls import Place, argument_cell, call_arguments, message_place


def book():
    wb = Workbook()
    ws = wb.active
    ws.title = "Invoer"
    wb.create_sheet("Uit")
    wb.defined_names["matrix"] = DefinedName("matrix", attr_text="'Invoer'!$B$2:$D$4")
    return wb


def test_the_place_in_the_named_range_of_the_argument():
    wb = book()
    formula = "=SD_TOTAALEFFECT(matrix,Invoer!F2:F4)"
    assert argument_cell(wb, "Uit", formula, Place("matrix", 2, 3, "x")) == ("Invoer", "D3")
    assert argument_cell(wb, "Uit", formula, Place("schok", 3, None, "x")) == ("Invoer", "F4")
    # outside the range, an unknown parameter, an expression: no place rather than a wrong one
    assert argument_cell(wb, "Uit", formula, Place("matrix", 4, 1, "x")) is None
    assert argument_cell(wb, "Uit", formula, Place("jaren", 1, 1, "x")) is None
    assert argument_cell(wb, "Uit", "=SD_TOTAALEFFECT(matrix,-F2:F4)",
                         Place("schok", 1, None, "x")) is None


def test_a_vector_given_as_a_row_counts_along_the_row():
    wb = book()
    formula = "=SD_TOTAALEFFECT(matrix,B7:D7)"
    assert argument_cell(wb, "Invoer", formula, Place("schok", 3, None, "x")) == ("Invoer", "D7")


def test_arguments_of_a_nested_call():
    assert call_arguments('=IFERROR(SD_X(A1, MAX(B1,B2)), "")', "SD_X") == ["A1", "MAX(B1,B2)"]
    # as a saved workbook may write the call: with Excel's prefix or the add-in's path
    for written in ("=_xludf.SD_X(A1,B2)", "='C:\\Grip\\grip.xlam'!SD_X(A1,B2)"):
        assert call_arguments(written, "SD_X") == ["A1", "B2"], written
    assert call_arguments("=XSD_X(A1)", "SD_X") is None
    assert call_arguments("=SUM(A1:A3)", "SD_X") is None
    assert message_place("#INVOER: matrix: leeg") == Place("matrix", None, None, "leeg")


def test_the_chain_back_to_the_typed_text():
    """Input -> SD_ block -> a plain formula -> an SD_ call on an expression: every link
    leads back to Invoer!C3, and only where the cell holds what the message says."""
    wb = book()
    wb["Invoer"]["C3"] = "veel"
    formulas = {("Uit", "A1"): "=SD_TOTAALEFFECT(matrix,Invoer!F2:F4)",
                ("Uit", "A2"): "=SD_TOTAALEFFECT(matrix,Invoer!F2:F4)",
                ("Uit", "B1"): "=A1*2",
                ("Uit", "C1"): "=SD_KANS_SLUITEND(-(B1+1),Invoer!H2:J4)",
                ("Uit", "D1"): "=SD_TOTAALEFFECT(matrix,Invoer!F2:F4)",
                # an SD_ call behind INDEX: the message of A1 passed on, not its own
                ("Uit", "E1"): '=IF(COUNTIF(A1:A2,"#*"),INDEX(A1:A2,1),SD_GRIPSCORE(A1:A2))'}
    message = "#INVOER: matrix, rij 2, kolom 2: tekst 'veel' is geen getal"
    values = {("Uit", "A1"): message, ("Uit", "A2"): message, ("Uit", "B1"): "#VALUE!",
              ("Uit", "C1"): "#INVOER: tekort: foutwaarde #VALUE! in de cel",
              ("Uit", "D1"): "#INVOER: matrix, rij 1, kolom 1: tekst 'x' is geen getal",
              ("Uit", "E1"): message}
    trace = ErrorTrace(wb, values, formulas)
    assert [trace.cause(("Uit", a)) for a in ("A1", "B1", "C1", "E1")] == [("Invoer", "C3")] * 4
    assert trace.cause(("Uit", "D1")) is None     # B2 does not hold 'x': no claim


def test_every_problem_of_a_message_points_at_its_own_cell():
    """A message shows its first problem and "(en nog 1 probleem)": the call, run again on
    what its ranges hold, gives every problem, each with its own cell and reason; a plain
    formula that calculates on passes them all on."""
    wb = book()
    wb["Invoer"]["C3"], wb["Invoer"]["B4"] = "veel", "4,1 mln"
    for r in (2, 3, 4):
        wb["Invoer"][f"F{r}"] = float(r)
    message = "#INVOER: matrix, rij 2, kolom 2: tekst 'veel' is geen getal (en nog 1 probleem)"
    formulas = {("Uit", "A1"): "=SD_TOTAALEFFECT(matrix,Invoer!F2:F4)", ("Uit", "B1"): "=A1*2"}
    values = {("Uit", "A1"): message, ("Uit", "B1"): "#VALUE!"}
    trace = ErrorTrace(wb, values, formulas)
    both = (("Invoer", "C3"), ("Invoer", "B4"))
    assert trace.causes(("Uit", "A1")) == both and trace.causes(("Uit", "B1")) == both
    assert trace.reasons == {("Invoer", "C3"): "tekst 'veel' is geen getal",
                             ("Invoer", "B4"): "tekst '4,1 mln' is geen getal"}
    # the cells no longer give this message (mended after the last save): the first problem
    # only, as the message names it, not a list made up from what the cells hold now
    wb["Invoer"]["B4"] = 0.5
    assert ErrorTrace(wb, values, formulas).causes(("Uit", "A1")) == (("Invoer", "C3"),)


def test_a_loop_of_formulas_ends_without_a_cause():
    wb = book()
    formulas = {("Uit", "A1"): "=B1+1", ("Uit", "B1"): "=A1+1"}
    values = {("Uit", "A1"): "#VALUE!", ("Uit", "B1"): "#VALUE!"}
    assert ErrorTrace(wb, values, formulas).cause(("Uit", "A1")) is None


def test_checked_sum_passes_the_message_on_and_skips_empty_text(tmp_path):
    """Headless as in Excel: a Grip message in the range is the total; typed text says so;
    a formula's "" is no problem; numbers add up."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad1"
    columns = {"A": [1, "#INVOER: x, rij 1: leeg", 3], "B": [1, '=IF(1=1,"","x")', 2],
               "C": [1, "4,1 mln", 2], "D": [1.5, 2, None]}
    for letter, cells in columns.items():
        for r, v in enumerate(cells, start=1):
            ws[f"{letter}{r}"] = v
        ws[f"{letter}5"] = checked_sum(f"{letter}1:{letter}3")
    rec = recalculate(save(wb, tmp_path / "som.xlsx"))
    assert [rec.values[("Blad1", f"{c}5")] for c in "ABCD"] == [
        "#INVOER: x, rij 1: leeg", 3, "#INVOER: C1:C3 bevat tekst in plaats van een getal", 3.5]
