"""Reading one cell of a table row (from a CSV file or an Excel range) with a located error.

Rows arrive as lists of cells: ``None`` or ``""`` for empty, numbers, or text (a CSV
file gives only text; Dutch decimal commas such as ``"0,25"`` are accepted). Every
problem is a ``Problem`` naming the argument and the 0-based row and column, so a caller
can collect them all and raise them at once.
"""

from __future__ import annotations

import math
from typing import Any

from calc.errors import Problem


def is_empty(cell: Any) -> bool:
    """True for ``None`` and blank text.

    >>> is_empty(None), is_empty("  "), is_empty(0.0)
    (True, True, False)
    """
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def number(cell: Any, where: tuple[str, int, int], problems: list[Problem], *,
           default: float | None = None) -> float | None:
    """A finite number; ``default`` for an empty cell (``None`` default: empty is a problem).

    >>> p = []
    >>> number("0,25", ("verbanden", 0, 2), p), number(None, ("x", 0, 0), p, default=1.0), p
    (0.25, 1.0, [])
    >>> number("veel", ("verbanden", 3, 2), p), p[0].message
    (None, "tekst 'veel' is geen getal")
    """
    argument, row, column = where
    if is_empty(cell):
        if default is None:
            problems.append(Problem("de cel is leeg, maar hier hoort een getal", argument, row, column))
        return default
    if isinstance(cell, bool):
        problems.append(Problem("WAAR/ONWAAR is geen getal", argument, row, column))
        return None
    if isinstance(cell, str):
        text = cell.strip().replace("€", "").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            shown = cell if len(cell) <= 20 else cell[:17] + "..."
            problems.append(Problem(f"tekst '{shown}' is geen getal", argument, row, column))
            return None
    else:
        try:
            value = float(cell)
        except (TypeError, ValueError):
            problems.append(Problem(f"waarde '{cell!s:.20}' is geen getal", argument, row, column))
            return None
    if not math.isfinite(value):
        problems.append(Problem("waarde is geen eindig getal", argument, row, column))
        return None
    return value


def whole(cell: Any, where: tuple[str, int, int], problems: list[Problem], *,
          default: int | None = None, minimum: int | None = 0,
          maximum: int | None = None) -> int | None:
    """A whole number (e.g. a lag in years), at least ``minimum``.

    >>> p = []
    >>> whole(2.0, ("v", 0, 6), p), whole(1.5, ("v", 1, 6), p), p[0].message
    (2, None, 'moet een geheel getal zijn, maar is 1.5')
    """
    value = number(cell, where, problems, default=None if default is None else float(default))
    if value is None:
        return None
    argument, row, column = where
    if value != int(value):
        problems.append(Problem(f"moet een geheel getal zijn, maar is {value:g}", argument, row, column))
        return None
    if minimum is not None and value < minimum:
        problems.append(Problem(f"moet minstens {minimum} zijn, maar is {value:g}", argument, row, column))
        return None
    if maximum is not None and value > maximum:
        problems.append(Problem(f"mag hoogstens {maximum} zijn, maar is {value:g}", argument, row, column))
        return None
    return int(value)


def text(cell: Any) -> str:
    """A cell as trimmed text (empty for an empty cell; 2.0 becomes '2')."""
    if is_empty(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


_TRUE = {"ja", "j", "waar", "true", "1", "x", "aan", "structureel"}
_FALSE = {"nee", "n", "onwaar", "false", "0", "uit", "incidenteel", "eenmalig"}


def flag(cell: Any, where: tuple[str, int, int], problems: list[Problem], *, default: bool) -> bool:
    """Yes/no: WAAR/ONWAAR, 1/0, ja/nee, aan/uit, structureel/incidenteel.

    >>> p = []
    >>> flag("ja", ("m", 0, 0), p, default=False), flag(None, ("m", 0, 0), p, default=True)
    (True, True)
    """
    if is_empty(cell):
        return default
    if isinstance(cell, bool):
        return cell
    word = text(cell).lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    argument, row, column = where
    problems.append(Problem(f"'{word[:20]}' is geen ja/nee (gebruik ja of nee)", argument, row, column))
    return default
