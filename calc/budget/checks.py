"""Small shared checks of the budget inputs, each returning Dutch problems that name the cell.

Also the bridge from pydantic: ``validated(Model, data, argument=...)`` builds a frozen model
and turns a ``ValidationError`` into one ``InputError`` listing every problem in Dutch.
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from calc.cells import is_empty, nl, pydantic_message
from calc.errors import InputError, Problem
from calc.names import TAAKVELDEN
from calc.text import nl_number

M = TypeVar("M", bound=BaseModel)

_SPLIT = {"6.71", "6.72", "6.73", "6.74", "6.81", "6.82"}

def validated(model: type[M], data: Any, *, argument: str, row: int | None = None) -> M:
    """Validate ``data`` into ``model``; every problem as one Dutch line naming the field.

    A model may declare ``LABELS`` (field -> Dutch label) and ``COLUMNS`` (field order of
    its table on the sheet) so the message uses the label and carries the column.

    >>> from calc.budget.years import Horizon
    >>> validated(Horizon, {"first_year": 2026, "n_years": 0}, argument="horizon")
    Traceback (most recent call last):
    ...
    calc.errors.InputError: aantal jaren: moet minstens 1 zijn (ontvangen: 0)
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        labels = getattr(model, "LABELS", {})
        columns = list(getattr(model, "COLUMNS", ()))
        problems = []
        for e in exc.errors():
            field = str(e["loc"][0]) if e["loc"] else None
            label = labels.get(field, field) if field else model.__name__
            column = columns.index(field) if field in columns else None
            problems.append(Problem(f"{label}: {pydantic_message(e)}", argument, row, column))
        raise InputError.from_problems(problems) from None


def taakveld_problem(code: Any, *, argument: str, row: int | None, column: int | None) -> Problem | None:
    """A problem if ``code`` is empty or not an Iv3 taakveld, else None.

    >>> taakveld_problem("6.72", argument="lasten", row=0, column=0).message
    "taakveld '6.72' bestaat niet meer: sinds 2023 gesplitst in 6.72a, 6.72b, ..."
    >>> taakveld_problem("6.3", argument="lasten", row=0, column=0) is None
    True
    """
    if is_empty(code):
        return Problem("het taakveld ontbreekt", argument, row, column)
    text = str(code).strip()
    if text in TAAKVELDEN:
        return None
    if text in _SPLIT:
        return Problem(f"taakveld '{text}' bestaat niet meer: sinds 2023 gesplitst in "
                       f"{text}a, {text}b, ...", argument, row, column)
    return Problem(f"taakveld '{text}' is geen Iv3-taakveld van het sociaal domein", argument, row, column)


#: Largest yearly rate that can be meant (a fraction): a wage or price index of 25% a year,
#: a volume that doubles. Beyond it the number is a percentage typed without its sign: a
#: loonindex of 3,5 read as 350% a year multiplied the raming by 3,8 in silence.
INDEX_LIMIT = 0.25
VOLUME_LIMIT = 1.0


def rate_problem(value: float, *, argument: str, limit: float = INDEX_LIMIT,
                 row: int | None = None, column: int | None = None) -> Problem | None:
    """A problem if a yearly rate (fraction) lies outside ``±limit``.

    >>> rate_problem(3.5, argument="loonindex").message
    '350,0% per jaar is niet aannemelijk (grens 25%): bedoelt u 3,5%? Typ dan 3,5% of 0,035'
    >>> rate_problem(0.035, argument="loonindex") is None
    True
    """
    if not math.isfinite(value) or abs(value) <= limit:
        return None
    text = f"{nl_number(100 * value, 1)}% per jaar is niet aannemelijk (grens {limit:.0%})"
    if abs(value) <= 100 * limit:          # a percentage typed without its sign
        text += f": bedoelt u {nl(value)}%? Typ dan {nl(value)}% of {nl(value / 100)}"
    return Problem(text, argument, row, column)


def rate_problems(values, *, argument: str, limit: float = INDEX_LIMIT) -> list[Problem]:
    """``rate_problem`` of every cell of a row (or a matrix: one row per line) of rates."""
    import numpy as np

    grid = np.atleast_2d(np.asarray(values, dtype=float))
    return [p for (r, c), v in np.ndenumerate(grid)
            if (p := rate_problem(float(v), argument=argument, limit=limit,
                                  row=r if grid.shape[0] > 1 else None, column=c))]


def share_problem(value: float, *, argument: str, row: int | None = None,
                  column: int | None = None) -> Problem | None:
    """A problem if a share (fraction) is outside 0-100 %.

    >>> share_problem(1.2, argument="loonaandeel").message
    'aandeel 120,0% ligt boven 100%'
    """
    if not math.isfinite(value):
        return Problem("aandeel is geen eindig getal", argument, row, column)
    if value > 1.0:
        return Problem(f"aandeel {nl_number(100 * value, 1)}% ligt boven 100%", argument, row, column)
    if value < 0.0:
        return Problem(f"aandeel {nl_number(100 * value, 1)}% ligt onder 0%", argument, row, column)
    return None


def triangle_problems(low: float, mode: float, high: float, *, argument: str,
                      row: int | None = None) -> list[Problem]:
    """Problems with a low / most likely / high triple (columns 0, 1, 2 of ``row``).

    >>> [p.message for p in triangle_problems(5, 3, 4, argument="besparingen", row=0)]
    ['laag (5) is groter dan hoog (4)']
    >>> [p.message for p in triangle_problems(1, 5, 4, argument="besparingen", row=0)]
    ['waarschijnlijk (5) ligt niet tussen laag (1) en hoog (4)']
    """
    problems = []
    for col, x in enumerate((low, mode, high)):
        if not math.isfinite(x):
            problems.append(Problem("waarde is geen eindig getal", argument, row, col))
    if problems:
        return problems
    if low > high:
        problems.append(Problem(f"laag ({nl(low)}) is groter dan hoog ({nl(high)})", argument, row, 0))
    elif not low <= mode <= high:
        problems.append(Problem(f"waarschijnlijk ({nl(mode)}) ligt niet tussen laag ({nl(low)}) en "
                                f"hoog ({nl(high)})", argument, row, 1))
    return problems
