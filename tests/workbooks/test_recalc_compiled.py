"""The compiled formulas of earlier recalculations (``workbooks.recalc._COMPILED``): a formula
another workbook had is not compiled again, and nothing a compilation depends on is missed."""

from collections import OrderedDict

import formulas
import pytest
from openpyxl import Workbook

from workbooks import recalc, style
from workbooks.files import save


@pytest.fixture()
def compiled(monkeypatch):
    """An empty memo of compiled formulas and of recent values (the run's own may know these
    workbooks) for the test, and the formulas it compiles."""
    monkeypatch.setattr(recalc, "_COMPILED", recalc._CompiledFormulas())
    monkeypatch.setattr(recalc, "_RECENT", OrderedDict())
    seen = []
    original = formulas.ExcelModel._compile_cell

    def counting(crd, val, context, check_formula, references):
        if isinstance(val, str) and val.startswith("="):
            seen.append((context["sheet"], crd, val))
        return original(crd, val, context, check_formula, references)

    monkeypatch.setattr(formulas.ExcelModel, "_compile_cell", staticmethod(counting))
    return seen


def _values(path):
    """A recalculation from scratch: no recent values, no compiled formulas."""
    keep = recalc._COMPILED, recalc._RECENT
    recalc._COMPILED, recalc._RECENT = recalc._CompiledFormulas(), OrderedDict()
    try:
        return recalc.recalculate(path).values
    finally:
        recalc._COMPILED, recalc._RECENT = keep


def _book(a1, formula_b2="=A1*2"):
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad"
    ws["A1"], ws["A2"], ws["A3"] = a1, 10.0, 100.0
    ws["B1"] = "=A1+A2"
    ws["B2"] = formula_b2
    ws["B3"] = "=SUM(reeks)"
    style.define_name(wb, "reeks", ws, "A1:A2")
    return wb


def test_another_file_with_the_same_formulas_compiles_only_what_changed(tmp_path, compiled):
    first = recalc.recalculate(save(_book(1.0), tmp_path / "een.xlsx"))
    assert sorted(f for _, _, f in compiled) == ["=A1*2", "=A1+A2", "=SUM(reeks)"]
    compiled.clear()
    # another name, another input and one other formula: only that formula is compiled
    second = save(_book(5.0, "=A1*3"), tmp_path / "twee.xlsx")
    values = recalc.recalculate(second).values
    assert compiled == [("BLAD", "B2", "=A1*3")]
    assert (first.get("Blad", "B1"), values[("Blad", "B1")]) == (11.0, 15.0)
    assert values[("Blad", "B2")] == 15.0 and values[("Blad", "B3")] == 15.0
    assert values == _values(second)


def test_a_name_on_another_range_recompiles_the_formulas_that_use_it(tmp_path, compiled):
    recalc.recalculate(save(_book(1.0), tmp_path / "een.xlsx"))
    compiled.clear()
    wb = _book(1.0)
    wb.defined_names["reeks"].attr_text = "Blad!$A$1:$A$3"
    moved = save(wb, tmp_path / "verplaatst.xlsx")
    values = recalc.recalculate(moved).values
    assert compiled == [("BLAD", "B3", "=SUM(reeks)")]
    assert values[("Blad", "B3")] == 111.0 and values == _values(moved)


def test_recorded_calls_are_recorded_after_the_formula_was_compiled(tmp_path, compiled):
    """``record_calls`` swaps the UDFs for recording ones: a formula compiled before with the
    real UDF calls the UDF by name when it is calculated, so every call is seen without
    compiling it again (and the real one is back after)."""
    from workbooks.recorded import record_calls

    from addin.udfs import SD_RAVIJN

    wb = Workbook()
    wb.active["A1"], wb.active["A2"] = 1e8, "=SD_RAVIJN(A1,1)"
    path = save(wb, tmp_path / "udf.xlsx")
    plain = recalc.recalculate(path).get("Sheet", "A2")
    assert plain == SD_RAVIJN(1e8, 1.0)
    assert compiled == [("SHEET", "A2", "=SD_RAVIJN(A1,1)")]
    compiled.clear()
    calls = record_calls(save(wb, tmp_path / "opnieuw.xlsx"))
    assert [(c.name, c.result) for c in calls] == [("SD_RAVIJN", plain)]
    assert compiled == []                                       # the same compiled formula
    wb.active["A1"] = 5e7
    again = recalc.recalculate(save(wb, tmp_path / "weer.xlsx"))
    assert compiled == []
    assert again.get("Sheet", "A2") == SD_RAVIJN(5e7, 1.0)      # the real UDF again
    assert record_calls(save(wb, tmp_path / "nogmaals.xlsx"))[0].result == again.get("Sheet", "A2")


def test_other_udfs_empty_the_memo(tmp_path, compiled, monkeypatch):
    """A formula compiled while a UDF name was unknown (or with other parameters) is compiled
    again once the registered UDFs change."""
    from addin.policy import REGISTRY

    wb = Workbook()
    wb.active["A1"], wb.active["A2"] = 1e8, "=SD_RAVIJN(A1,1)"
    recalc.recalculate(save(wb, tmp_path / "een.xlsx"))
    compiled.clear()
    monkeypatch.setitem(REGISTRY, "SD_PROEF", REGISTRY["SD_RAVIJN"])
    wb.active["A1"] = 5e7
    recalc.recalculate(save(wb, tmp_path / "twee.xlsx"))
    assert compiled == [("SHEET", "A2", "=SD_RAVIJN(A1,1)")]


def test_the_memo_keeps_a_bounded_number_of_cells(tmp_path, monkeypatch, compiled):
    monkeypatch.setattr(recalc, "_COMPILED", recalc._CompiledFormulas(size=2))
    values = recalc.recalculate(save(_book(1.0), tmp_path / "een.xlsx")).values
    assert len(recalc._COMPILED.cells) == 2
    assert values[("Blad", "B3")] == 11.0


def test_a_plain_value_cell_is_compiled_once_per_place_and_value(tmp_path, compiled,
                                                                  monkeypatch):
    """Numbers, text and truth values are kept compiled by place and value (``_VALUES``): the
    same place with another value, or the same value of another type, is compiled anew and
    every value reads as in a recalculation from scratch."""
    monkeypatch.setattr(recalc, "_VALUES", recalc._CompiledFormulas(size=100))
    made = []
    for k, (a1, a3) in enumerate([(1.0, "1"), (1.0, "1"), (True, "=1"), (0.0, 2.5), (1, 3.5)]):
        wb = _book(a1)
        wb.active["A3"] = a3
        if isinstance(a3, str):
            wb.active["A3"].data_type = "s"       # text, also where it looks like a formula
        path = save(wb, tmp_path / f"b{k}.xlsx")
        before = len(recalc._VALUES.cells)
        values = recalc.recalculate(path).values
        made.append(len(recalc._VALUES.cells) - before)
        assert values == _values(path)
    # the second book is the first again; the others each differ in one or two values
    assert made[1] == 0 and all(n >= 1 for n in made[2:])
    assert len(recalc._VALUES.cells) <= 100
