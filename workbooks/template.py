"""What belongs to the user in a begrotingsmodel, and the computed values of a saved file.

*User values* are every input cell (unlocked, yellow; also when emptied) and every cell of
a ribbon button's output table (named ``grip_uit_*``, ``is_output_name``). A template update and the values-only
copy build the template anew and put these back at the same addresses.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.formula import ArrayFormula

from workbooks import layout
from workbooks.context import cells_of
from workbooks.fit import existing_cells, value_at
from workbooks.protection import input_test

OUTPUT_PREFIX = "grip_uit_"
#: A button's output table named before ``OUTPUT_PREFIX`` existed: saved workbooks carry it.
OUTPUT_NAMES_UNPREFIXED = (layout.NAME_PROG_MONTHLY,)

Key = tuple[str, str]


def is_formula(value: Any) -> bool:
    return isinstance(value, ArrayFormula) or isinstance(value, str) and value.startswith("=")


def formula_text(value: Any) -> str | None:
    """The formula of a cell value, or ``None``."""
    if isinstance(value, ArrayFormula):
        return value.text
    return value if is_formula(value) else None


def named_cells(wb: Workbook, name: str) -> list[Key]:
    """Every ``(sheet, address)`` of a workbook-level name (empty if it does not resolve)."""
    try:
        destinations = list(wb.defined_names[name].destinations)
    except (KeyError, ValueError):
        return []
    return [(sheet_title(sheet), a) for sheet, ref in destinations
            if sheet_title(sheet) in wb.sheetnames for a in cells_of(ref.replace("$", ""))]


def sheet_title(name: str) -> str:
    """A sheet name as openpyxl's ``destinations`` gives it, unescaped: ``Thema''s`` → ``Thema's``.

    >>> sheet_title("Thema''s")
    "Thema's"
    """
    return name.replace("''", "'")


def shape_of(wb: Workbook, name: str) -> tuple[str, int, int] | None:
    """``(sheet, rows, columns)`` of a single-area name, or ``None``."""
    from openpyxl.utils.cell import range_boundaries

    try:
        (sheet, ref), = list(wb.defined_names[name].destinations)
    except (KeyError, ValueError):
        return None
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    return sheet_title(sheet), max_row - min_row + 1, max_col - min_col + 1


def moved_inputs(old: Workbook, new: Workbook) -> dict[Key, Key]:
    """Input cells of a named range, and every cell of a button's output table, that sit
    elsewhere in ``new`` with the same shape (a new block above moved them down, or the
    template reordered its tables): old cell -> new cell, so a template update carries them to
    their new place instead of refusing them or writing them into another cell."""
    inputs = input_cells(old)
    moved: dict[Key, Key] = {}
    for name in new.defined_names:
        shape = shape_of(new, name)
        if shape is None or shape_of(old, name) != shape:
            continue
        before, after = named_cells(old, name), named_cells(new, name)
        if before != after:
            moved.update({o: a for o, a in zip(before, after)
                          if o in inputs or is_output_name(name)})
    return moved


def is_output_name(name: str) -> bool:
    """Whether a defined name is the output table of a ribbon button."""
    return name.startswith(OUTPUT_PREFIX) or name in OUTPUT_NAMES_UNPREFIXED


def output_cells(wb: Workbook) -> set[Key]:
    return {key for name in wb.defined_names if is_output_name(name)
            for key in named_cells(wb, name)}


def input_cells(wb: Workbook) -> set[Key]:
    """The unlocked cells. Read from the cells that exist (``fit.existing_cells``): a cell
    that does not exist has the first style, locked unless a foreign workbook unlocked it,
    and only then is every cell of each sheet's rectangle looked at (``iter_rows`` creates
    the missing ones: three in four of a begrotingsmodel's cells, in every later pass too)."""
    unlocked = input_test(wb)  # is_input, by the protection's index
    if unlocked(Cell(None)):
        return {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows()
                for c in row if unlocked(c)}
    return {(ws.title, c.coordinate) for ws in wb.worksheets for c in existing_cells(ws)
            if unlocked(c)}


def user_values(wb: Workbook) -> dict[Key, Any]:
    """Every input cell and every output-table cell with its value (``None`` included)."""
    keys = input_cells(wb) | output_cells(wb)
    return {(s, a): wb[s][a].value for s, a in sorted(keys)}


def apply_user_values(wb: Workbook, values: Mapping[Key, Any]) -> list[Key]:
    """Put ``values`` into ``wb`` where the same cell is an input or output cell there too;
    returns the cells that have no such place (nothing is written for those)."""
    places = input_cells(wb) | output_cells(wb)
    missing = [key for key, value in values.items() if key not in places and value is not None]
    for (sheet, address), value in values.items():
        if (sheet, address) in places:
            cell = wb[sheet][address]
            cell.value = value
            if isinstance(value, str) and not is_formula(value):
                cell.data_type = "s"
    return missing


def template_version(wb: Workbook) -> str | None:
    """The template version stored in the workbook, or ``None`` if it is not ours."""
    keys = named_cells(wb, layout.NAME_VERSION)
    if len(keys) != 1:
        return None
    sheet, address = keys[0]
    value = wb[sheet][address].value
    return str(value) if value is not None else None


def computed_values(path: str | Path, formulas_wb=None) -> dict[Key, Any]:
    """The value of every formula cell: as Excel last saved it, or, for a file without
    saved results (written by Grip itself), from a headless recalculation.

    ``formulas_wb``: the workbook at ``path`` as the caller already opened it (formulas, not
    values); its cells are read, none is created. Without it the file is opened here.
    """
    from workbooks.safety import open_workbook

    if formulas_wb is None:
        formulas_wb = open_workbook(path)
    keys: list[Key] = []
    for ws in formulas_wb.worksheets:
        for cell in existing_cells(ws):       # a formula is in a cell that exists
            value = cell.value
            if isinstance(value, ArrayFormula):
                keys += [(ws.title, a) for a in cells_of(value.ref)]
            elif is_formula(value):
                keys.append((ws.title, cell.coordinate))
    cached = _saved_values(path, keys)
    if keys and all(v is None for v in cached.values()):
        from workbooks.recalc import recalculate

        rec = recalculate(path)
        return {key: rec.values.get(key) for key in keys}
    return cached


def _saved_values(path: str | Path, keys: list[Key]) -> dict[Key, Any]:
    """The values Excel saved for ``keys`` (``None`` where it saved none), read in one pass
    over each sheet in openpyxl's read-only mode (a full load with ``data_only`` builds every
    cell with its style: twice the time for a begrotingsmodel)."""
    from workbooks.safety import open_workbook

    wanted: dict[str, set[str]] = {}
    for sheet, address in keys:
        wanted.setdefault(sheet, set()).add(address)
    saved: dict[Key, Any] = {}
    wb = open_workbook(path, data_only=True, read_only=True)
    try:
        for sheet, addresses in wanted.items():
            for row in wb[sheet].iter_rows():
                for cell in row:
                    address = getattr(cell, "coordinate", None)
                    if address in addresses and cell.value is not None:
                        saved[(sheet, address)] = cell.value
    finally:
        wb.close()
    return {key: saved.get(key) for key in keys}


def _comparable(value: Any) -> Any:
    if value == "":
        return None  # openpyxl does not write empty text: it reads back as empty
    if isinstance(value, ArrayFormula):
        return ("{}", value.ref, value.text)
    if isinstance(value, float) and value == int(value):
        return int(value)
    if value == "":
        return None  # openpyxl reads an empty string back as an empty cell
    return value


def _value(ws, address: str) -> Any:
    """The value at ``address``, without creating the cell (``ws[address]`` would)."""
    row, column = coordinate_to_tuple(address)
    return value_at(ws, row, column)


def changed_cells(wb: Workbook, fresh: Workbook) -> list[Key]:
    """Cells outside the user's cells (inputs, output tables) whose content differs from
    the freshly built template ``fresh``: what a user changed in the template itself."""
    skip = input_cells(wb) | output_cells(wb) | input_cells(fresh) | output_cells(fresh)
    changed: list[Key] = []
    for name in dict.fromkeys([*wb.sheetnames, *fresh.sheetnames]):
        if name not in wb.sheetnames or name not in fresh.sheetnames:
            changed.append((name, "A1"))
            continue
        a, b = wb[name], fresh[name]
        cells = {(c.row, c.column): c.coordinate for ws in (a, b) for c in existing_cells(ws)
                 if c.value is not None}
        for address in sorted(cells.values()):
            if (name, address) not in skip and _comparable(_value(a, address)) != \
                    _comparable(_value(b, address)):
                changed.append((name, address))
    return changed
