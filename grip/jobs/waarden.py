"""``Deel als waarden`` / ``grip werkmap waarden``: a copy without formulas and without any
dependency on the add-in, for a wethouder or an auditor.

For a begrotingsmodel of the current template (same version, same sheets) the copy is the
template's own builder run with the computed values (``BuildContext.values``) and the
user's inputs and button tables put back: layout, formats and charts exactly as built.
Any other workbook (user-edited beyond the input cells, an older template, not ours) gets
every formula replaced by its value with openpyxl; formats, names and charts are kept.
"""

from __future__ import annotations

import functools
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calc import cells
from calc.errors import InputError
from workbooks import layout
from workbooks.context import BuildContext, cells_of
from workbooks.files import save, unpickled
from workbooks.template import (changed_cells, computed_values, formula_text, input_cells,
                                is_formula, named_cells, output_cells, template_version,
                                user_values)

METHOD_TEMPLATE = "sjabloon opnieuw opgebouwd met de berekende waarden"
METHOD_REPLACE = "formules vervangen door hun waarden"


@dataclass(frozen=True)
class ValuesCopy:
    path: Path
    method: str
    formulas: int


def default_target(path: Path) -> Path:
    return path.with_name(f"{path.stem}_waarden.xlsx")


def context_of(wb) -> BuildContext:
    """Municipality and budget year as the workbook holds them (defaults if absent or empty),
    read with ``calc.cells`` like every input: a year typed as text counts, a year that is no
    whole number is a located ``InputError``."""
    def one(name: str) -> Any:
        keys = named_cells(wb, name)
        return wb[keys[0][0]][keys[0][1]].value if len(keys) == 1 else None

    municipality = one(layout.NAME_MUNICIPALITY)
    year = one(layout.NAME_BUDGET_YEAR)
    ctx = BuildContext()
    return BuildContext(
        municipality=cells.text(municipality) or ctx.municipality,
        budget_year=cells.to_whole(year, layout.NAME_BUDGET_YEAR, default=ctx.budget_year))


@functools.lru_cache(maxsize=2)
def _pickled_template(municipality: str, budget_year: int) -> bytes:
    from workbooks.begrotingsmodel import build_workbook

    return pickle.dumps(build_workbook(BuildContext(municipality=municipality,
                                                    budget_year=budget_year)), protocol=5)


def template_copy(municipality: str, budget_year: int):
    """The current template as built for this municipality and year: a new workbook on each
    call, which the caller may change and save (``grip werkmap bijwerken``). Built once per
    process and kept pickled: unpickling takes a third of a build, and the saved file is
    byte for byte that of a build (``tests/grip/test_werkmap_jobs.py``)."""
    return unpickled(_pickled_template(municipality, budget_year))


@functools.lru_cache(maxsize=2)
def fresh_template(municipality: str, budget_year: int):
    """The current template as built for this municipality and year, kept for the next copy
    of the same workbook (a build takes seconds). Only read: ``changed_cells`` compares with
    it (reading a cell creates it empty, which no comparison sees)."""
    return template_copy(municipality, budget_year)


def template_sheetnames() -> tuple[str, ...]:
    """The sheets of the current template, in order (the names depend on no input)."""
    ctx = BuildContext()
    return tuple(fresh_template(ctx.municipality, ctx.budget_year).sheetnames)


def is_current_template(wb) -> bool:
    return template_version(wb) == layout.TEMPLATE_VERSION and \
        tuple(wb.sheetnames) == template_sheetnames()


def values_copy(path: str | Path, out: str | Path | None = None) -> ValuesCopy:
    """Write the values-only copy of the workbook at ``path`` to ``out``."""
    from workbooks.safety import open_workbook

    path = Path(path)
    out = Path(out) if out else default_target(path)
    if out.resolve() == path.resolve():
        raise InputError("de kopie met waarden mag de werkmap zelf niet overschrijven",
                         argument="uit")
    wb = open_workbook(path)
    values = computed_values(path, wb)  # the workbook just opened, not read a second time
    if is_current_template(wb):
        copy = _rebuilt(wb, values)
        if copy is not None:
            return ValuesCopy(save(_marked(copy), out), METHOD_TEMPLATE, len(values))
    wb = open_workbook(path)  # an .xlsm's macros: workbooks.files.save drops them from the copy
    count = replace_formulas(wb, values)
    wb.calculation.fullCalcOnLoad = False
    return ValuesCopy(save(_marked(wb), out), METHOD_REPLACE, count)


def _marked(wb):
    """The copy carries ``layout.NAME_VALUES_COPY`` (a constant name, invisible on the sheets)."""
    from openpyxl.workbook.defined_name import DefinedName

    wb.defined_names[layout.NAME_VALUES_COPY] = DefinedName(layout.NAME_VALUES_COPY,
                                                            attr_text='"ja"')
    return wb


def refusal(label: str) -> str:
    """Why a button or ``grip werkmap bijwerken`` does not touch a values copy (Dutch)."""
    return (f"{label}: niet gedaan: deze werkmap is een kopie met alleen waarden (Deel als "
            "waarden); haar bladen rekenen niet meer, dus een bijgewerkte tabel zou niet "
            "kloppen met de rest. Gebruik het begrotingsmodel zelf.")


def _rebuilt(wb, values):
    from workbooks.begrotingsmodel import build_workbook

    ctx = context_of(wb)
    fresh = fresh_template(ctx.municipality, ctx.budget_year)
    if changed_cells(wb, fresh):
        return None
    user = user_values(wb)
    user = {k: values.get(k) if is_formula(v) else v for k, v in user.items()}
    places = input_cells(fresh) | output_cells(fresh)       # the same template: the same places
    if any(key not in places and value is not None for key, value in user.items()):
        return None
    # the user's values go in before the layout and print passes: a measure typed in a spare
    # row of Maatregelen is shown in the copy, not folded away with the empty rows
    return build_workbook(BuildContext(municipality=ctx.municipality,
                                       budget_year=ctx.budget_year, values=dict(values),
                                       inputs=user))


def replace_formulas(wb, values) -> int:
    """Replace every formula of ``wb`` by its value; returns how many cells changed."""
    count = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if formula_text(cell.value) is None:
                    continue
                covered = cells_of(cell.value.ref) if hasattr(cell.value, "ref") else \
                    [cell.coordinate]
                for address in covered:
                    _put(ws[address], values.get((ws.title, address)))
                    count += 1
    return count


def _put(cell, value) -> None:
    from calc.text import safe_text

    cell.value = safe_text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"


def run_book(book) -> str:
    """The ribbon button: write ``<naam>_waarden.xlsx`` beside the saved workbook."""
    path = book.saved_path()
    if path is None:
        return "Deel als waarden: sla de werkmap eerst op."
    result = values_copy(path)
    return f"Deel als waarden: kopie zonder formules geschreven: {result.path}"
