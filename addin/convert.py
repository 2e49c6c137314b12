"""Translate what Excel hands a UDF into numpy, and results back into what Excel shows.

Excel (through xlwings, without a converter, ``ndim=2``) hands a range as a list of rows,
``None`` for an empty cell, ``float`` for a number, ``str`` for text and ``bool`` for
TRUE/FALSE. A single cell may arrive as a bare scalar and a single row or column as a flat
list; everything here accepts all three. Positions in messages are 0-based within the
argument; ``addin.policy`` turns them into "rij 2, kolom 3".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from calc.errors import InputError, ModelError, Problem, raise_if

#: Largest magnitude accepted in a number cell: 10^15. Excel keeps 15 significant digits, an
#: amount beyond a thousand trillion euro is a typing error, and it keeps every engine far
#: from float overflow (10^308). Stated in the README.
MAX_ABS = 1e15

#: What Excel error values look like when they arrive as text.
_EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                 "#GETTING_DATA", "#SPILL!", "#CALC!", "#DEEL/0!", "#WAARDE!", "#VERW!",
                 "#NAAM?", "#GETAL!", "#N/B", "#LEEG!"}


def grid(value: Any) -> list[list[Any]]:
    """Any Excel argument as a list of rows (a scalar becomes 1 x 1, a flat list one row).

    >>> grid(3.0), grid([1.0, 2.0]), grid([[1.0], [2.0]])
    ([[3.0]], [[1.0, 2.0]], [[1.0], [2.0]])
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [[value]]
    if len(value) == 0:
        return []
    if not isinstance(value[0], (list, tuple)):
        return [list(value)]
    return [list(row) for row in value]


def _describe(cell: Any) -> str:
    if isinstance(cell, str) and cell.strip().upper() in _EXCEL_ERRORS:
        return f"foutwaarde {cell.strip()} in de cel"
    if isinstance(cell, str):
        shown = cell if len(cell) <= 20 else cell[:17] + "..."
        return f"tekst '{shown}' is geen getal"
    if isinstance(cell, bool):
        return f"{'WAAR' if cell else 'ONWAAR'} is geen getal"
    return f"waarde '{cell!s:.20}' is geen getal"


def _too_large(x: float) -> str:
    return f"getal {x:.16g} is groter dan de grens van 10^15 (1.000 biljoen)"


def _number(cell: Any) -> float | None:
    """A float for a usable number, None for anything else (bool is not a number here)."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, (int, float, np.integer, np.floating)):
        x = float(cell)
        return x if math.isfinite(x) else None
    return None


def to_matrix(value: Any, argument: str, *, empty: float | None = 0.0) -> np.ndarray:
    """A range of numbers as a 2-D float array.

    Parameters
    ----------
    value : what Excel handed over
    argument : the UDF parameter name, for messages
    empty : value for an empty cell; ``None`` makes an empty cell an error, ``nan`` keeps it

    >>> to_matrix([[1.0, None], [3.0, 4.0]], "matrix")
    array([[1., 0.],
           [3., 4.]])
    >>> to_matrix([[1.0, "abc"]], "matrix")
    Traceback (most recent call last):
    ...
    calc.errors.InputError: tekst 'abc' is geen getal
    """
    rows = grid(value)
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), np.nan)
    problems: list[Problem] = []
    for i, row in enumerate(rows):
        for j in range(width):
            cell = row[j] if j < len(row) else None
            if cell is None or (isinstance(cell, str) and cell.strip() == ""):
                if empty is None:
                    problems.append(Problem("de cel is leeg", argument, i, j))
                else:
                    out[i, j] = empty
                continue
            x = _number(cell)
            if x is None:
                problems.append(Problem(_describe(cell), argument, i, j))
            elif abs(x) > MAX_ABS:
                problems.append(Problem(_too_large(x), argument, i, j))
            else:
                out[i, j] = x
    raise_if(problems)
    return out


def to_vector(value: Any, argument: str, *, empty: float | None = 0.0) -> np.ndarray:
    """A single row or column of numbers as a 1-D float array.

    >>> to_vector([[1.0], [2.0]], "schok"), to_vector([[1.0, 2.0]], "schok")
    (array([1., 2.]), array([1., 2.]))
    """
    m = to_matrix(value, argument, empty=empty)
    if m.ndim == 2 and min(m.shape) > 1:
        raise InputError(
            f"verwacht één kolom of één rij, maar kreeg {m.shape[0]} x {m.shape[1]} cellen",
            argument=argument,
        )
    return m.reshape(-1)


def single(value: Any, argument: str) -> Any:
    """The one cell of a scalar argument (``None`` for an empty range); a range of more than
    one cell is refused, never cut to its first value.

    >>> single([[5.0]], "jaren"), single([[]], "jaren"), single([], "jaren")
    (5.0, None, None)
    >>> single([[5.0, 6.0]], "jaren")
    Traceback (most recent call last):
    ...
    calc.errors.InputError: verwacht één cel, maar kreeg 1 x 2 cellen
    """
    rows = grid(value)
    cells = [c for r in rows for c in r]
    if len(cells) > 1:
        raise InputError(f"verwacht één cel, maar kreeg {len(rows)} x "
                         f"{max(len(r) for r in rows)} cellen", argument=argument)
    return cells[0] if cells else None


def cells_1d(value: Any, argument: str) -> list[Any]:
    """The cells of one column or one row, in order; a block of several rows and columns is
    refused (never cut to its first column).

    >>> cells_1d([["a"], ["b"]], "themas"), cells_1d([["a", "b"]], "themas"), cells_1d([], "x")
    (['a', 'b'], ['a', 'b'], [])
    """
    rows = grid(value)
    width = max((len(r) for r in rows), default=0)
    if len(rows) > 1 and width > 1:
        raise InputError(f"verwacht één kolom of één rij, maar kreeg {len(rows)} x {width} "
                         "cellen", argument=argument)
    if len(rows) == 1:
        return list(rows[0])
    return [r[0] if r else None for r in rows]


def to_number(value: Any, argument: str, *, default: float | None = None,
              minimum: float | None = None, maximum: float | None = None) -> float:
    """One number (a single cell or a typed value); ``default`` for an empty cell."""
    cell = single(value, argument)
    if cell is None or (isinstance(cell, str) and cell.strip() == ""):
        if default is None:
            raise InputError("er is geen getal opgegeven", argument=argument)
        return float(default)
    x = _number(cell)
    if x is None:
        raise InputError(_describe(cell), argument=argument)
    if abs(x) > MAX_ABS:
        raise InputError(_too_large(x), argument=argument)
    if minimum is not None and x < minimum:
        raise InputError(f"moet minstens {minimum:g} zijn, maar is {x:g}", argument=argument)
    if maximum is not None and x > maximum:
        raise InputError(f"mag hoogstens {maximum:g} zijn, maar is {x:g}", argument=argument)
    return x


def to_whole(value: Any, argument: str, *, default: int | None = None,
             minimum: int | None = None, maximum: int | None = None) -> int:
    """One whole number; refuses 2,5."""
    x = to_number(value, argument, default=default, minimum=minimum, maximum=maximum)
    if x != int(x):
        raise InputError(f"moet een geheel getal zijn, maar is {x:g}", argument=argument)
    return int(x)


def to_bool(value: Any, argument: str, *, default: bool) -> bool:
    """TRUE/FALSE (also 1/0 and the Dutch words WAAR/ONWAAR typed as text)."""
    cell = single(value, argument)
    if cell is None or (isinstance(cell, str) and cell.strip() == ""):
        return default
    if isinstance(cell, (bool, np.bool_)):
        return bool(cell)
    if isinstance(cell, str) and cell.strip().upper() in {"WAAR", "ONWAAR", "TRUE", "FALSE"}:
        return cell.strip().upper() in {"WAAR", "TRUE"}
    x = _number(cell)
    if x in (0.0, 1.0):
        return bool(x)
    raise InputError("verwacht WAAR of ONWAAR", argument=argument)


def to_text(value: Any, argument: str, *, default: str | None = None) -> str:
    """One piece of text (a number is taken as its text)."""
    cell = single(value, argument)
    if cell is None or (isinstance(cell, str) and cell.strip() == ""):
        if default is None:
            raise InputError("er is geen tekst opgegeven", argument=argument)
        return default
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


OVERFLOW = ("de uitkomst is te groot om te tonen (overloop); controleer de invoer op extreem "
            "grote of kleine getallen")


def _cell_out(x: Any) -> Any:
    """One result cell: NaN (no answer) becomes an empty cell; an infinite value is an
    overflow and refused with ``ModelError``, never shown as an empty cell."""
    if isinstance(x, (np.floating, float)):
        x = float(x)
        if math.isinf(x):
            raise ModelError(OVERFLOW)
        return x if math.isfinite(x) else None
    if isinstance(x, np.integer):
        return float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def scalar(x: Any) -> Any:
    """A single result: an overflow (infinity) or a NaN that slipped through is an error,
    never a number Excel would show as ``#GETAL!`` or an empty cell without a reason.

    >>> scalar(2.5), scalar("ernstig")
    (2.5, 'ernstig')
    """
    if isinstance(x, (float, np.floating)) and not math.isfinite(x):
        if math.isinf(x):
            raise ModelError(OVERFLOW)
        raise ModelError("de berekening geeft geen getal (NaN); controleer de invoer op extreem "
                         "grote of kleine getallen")
    return _cell_out(x) if isinstance(x, (np.generic,)) else x


def column(values: Sequence[float] | np.ndarray) -> list[list[Any]]:
    """A 1-D result as an N x 1 Excel range (NaN becomes an empty cell, infinity an error).

    >>> column(np.array([1.5, np.nan]))
    [[1.5], [None]]
    """
    return [[_cell_out(v)] for v in np.asarray(values, dtype=object).reshape(-1)]


def row(values: Sequence[float] | np.ndarray) -> list[list[Any]]:
    """A 1-D result as a 1 x N Excel range."""
    return [[_cell_out(v) for v in np.asarray(values, dtype=object).reshape(-1)]]


def table(values: Any) -> list[list[Any]]:
    """A 2-D result (array or list of rows) as an Excel range."""
    return [[_cell_out(v) for v in r] for r in np.asarray(values, dtype=object).tolist()] \
        if isinstance(values, np.ndarray) else [[_cell_out(v) for v in r] for r in values]
