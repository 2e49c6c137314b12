"""Where a Grip message points in the workbook: the cell behind ``matrix, rij 2, kolom 3``.

A UDF's message names its argument by the parameter's Dutch name and the 1-based row and
column within it (``calc.errors.describe``). A controller sees the cell of the formula, not
the cell that is wrong. ``argument_cell`` finds the latter: the ``SD_`` call in the formula
(Excel's own tokenizer, ``openpyxl.formula.Tokenizer``), the argument at the parameter's
position (``addin.policy.REGISTRY``), the range that argument names (a defined name, a range
on this or another sheet) and the row and column in it.

>>> message_place("#INVOER: maatregelen, rij 2, kolom 7: tekst 'veel' is geen getal")
Place(parameter='maatregelen', row=2, column=7, what="tekst 'veel' is geen getal")
>>> message_place("#INVOER: schok, rij 5: leeg (en nog 1 probleem)")
Place(parameter='schok', row=5, column=None, what='leeg (en nog 1 probleem)')
>>> message_place("#MODEL: de effecten doven niet uit") is None
True
>>> call_arguments("=IFERROR(SD_X(A1:B2,'Blad 1'!C3,MAX(1,2)),\\"\\")", "SD_X")
['A1:B2', "'Blad 1'!C3", 'MAX(1,2)']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.workbook import Workbook

from workbooks.template import sheet_title

if TYPE_CHECKING:
    from addin.policy import UdfSpec

#: ``#INVOER: themas, rij 1, kolom 3: ...``: the prefix, the parameter, its row and column.
_PLACE = re.compile(r"^#[A-Z]+: (?P<parameter>[a-z_0-9]+)(?:, rij (?P<row>\d+))?"
                    r"(?:, kolom (?P<column>\d+))?: (?P<what>.+)$", re.DOTALL)
#: A call's name as a saved workbook may write it: ``SD_X(``, ``_xludf.SD_X(`` or with the
#: add-in's path before it (``'C:\\...\\grip.xlam'!SD_X(``).
_SD_NAME = re.compile(r"(?:^|[.!])(SD_[A-Z0-9_]+)\($", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """What a located message says: which parameter, where in it (1-based), and what."""

    parameter: str
    row: int | None
    column: int | None
    what: str


def message_place(message: str) -> Place | None:
    """The parameter, row and column a Grip message names, or ``None`` (no such prefix)."""
    match = _PLACE.match(message or "")
    if not match:
        return None
    row, column = match["row"], match["column"]
    return Place(match["parameter"], int(row) if row else None, int(column) if column else None,
                 match["what"])


def sd_calls(formula: str) -> list[tuple[str, list[str]]]:
    """Every ``SD_`` call in ``formula``: its name (upper case) and its argument texts."""
    try:
        items = Tokenizer(formula).items
    except Exception:   # a formula Excel's grammar does not cover: no place, not a crash
        return []
    calls: list[tuple[str, list[str]]] = []
    stack: list[tuple[str | None, list[str], list[str]]] = []   # (name, args, current arg)
    for token in items:
        if token.subtype == Token.OPEN:
            if stack:
                stack[-1][2].append(token.value)
            match = _SD_NAME.search(token.value) if token.type == Token.FUNC else None
            stack.append((match[1].upper() if match else None, [], []))
        elif token.subtype == Token.CLOSE and stack:
            name, args, current = stack.pop()
            args = [*args, "".join(current)] if (args or current) else []
            if name is not None:
                calls.append((name, [a.strip() for a in args]))
            if stack:       # the call, written out again, is part of its parent's argument
                stack[-1][2].append(",".join(args) + token.value)
        elif token.type == Token.SEP and token.subtype == Token.ARG and stack:
            stack[-1][1].append("".join(stack[-1][2]))
            stack[-1][2].clear()
        elif stack:
            stack[-1][2].append(token.value)
    return calls


def call_arguments(formula: str, function: str) -> list[str] | None:
    """The argument texts of the first call of ``function`` in ``formula``, or ``None``."""
    for name, args in sd_calls(formula):
        if name == function.upper():
            return args
    return None


def resolve(wb: Workbook, sheet: str, text: str) -> tuple[str, tuple[int, int, int, int]] | None:
    """The sheet and ``(min_col, min_row, max_col, max_row)`` that an argument's text names:
    a defined name of one area, ``'Blad'!A1:B2`` or ``A1:B2`` on ``sheet``; else ``None``."""
    text = text.strip()
    if text in wb.defined_names:
        try:
            (target, ref), = list(wb.defined_names[text].destinations)
        except ValueError:
            return None
        target = sheet_title(target)
    elif "!" in text:
        target, ref = text.rsplit("!", 1)
        target = sheet_title(target.strip("'"))
    else:
        target, ref = sheet, text
    if target not in wb.sheetnames:
        return None
    try:
        bounds = range_boundaries(ref.replace("$", ""))
    except (ValueError, TypeError):
        return None
    if None in bounds:
        return None
    return target, bounds


def argument_cell(wb: Workbook, sheet: str, formula: str, place: Place) -> tuple[str, str] | None:
    """The ``(sheet, cell)`` a located message of the ``SD_`` call in ``formula`` points at.

    ``None`` when the place cannot be found for certain: no ``SD_`` call with that parameter,
    an argument that is not a plain range, a row or column outside it, or a range that is
    more than one cell while the message gives no row (nothing to point at).
    """
    import addin.udfs  # noqa: F401  (fills REGISTRY)
    from addin.policy import REGISTRY

    for name, args in sd_calls(formula):
        spec = REGISTRY.get(name)
        if spec is not None and _position(spec, place.parameter, args) is not None:
            return call_cell(wb, sheet, spec, args, place)
    return None


def _position(spec: UdfSpec, parameter: str, args: list[str]) -> int | None:
    """Where ``parameter`` of ``spec`` stands among the call's ``args``, if it is given."""
    names = [p.name for p in spec.params]
    return names.index(parameter) if parameter in names[:len(args)] else None


def call_cell(wb: Workbook, sheet: str, spec: UdfSpec, args: list[str], place: Place
              ) -> tuple[str, str] | None:
    """The ``(sheet, cell)`` ``place`` stands for in the call of ``spec`` with the argument
    texts ``args`` (``sd_calls``), or ``None`` (as ``argument_cell``)."""
    position = _position(spec, place.parameter, args)
    area = resolve(wb, sheet, args[position]) if position is not None else None
    if area is None:
        return None
    target, (min_col, min_row, max_col, max_row) = area
    row, column = place.row, place.column
    if row is not None and column is None and min_row == max_row and min_col != max_col:
        row, column = 1, row            # a vector given as a row: the n-th is a column
    row = row or (1 if min_row == max_row else None)
    column = column or (1 if min_col == max_col else None)
    if row is None or column is None:
        return None
    r, c = min_row + row - 1, min_col + column - 1
    if r > max_row or c > max_col:
        return None
    return target, f"{get_column_letter(c)}{r}"
