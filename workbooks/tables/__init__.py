"""Sheet-shaped output tables: the fixed-size rows a sheet and its ribbon button write.

A button writes into a named range of fixed size, and a builder fills the same range, so both
take their rows from here: ``prognose`` (year-end, providers, monthly chart data, look-back),
``gripniveau`` (the measured KPIs), ``scenario`` (the Monte Carlo band table). The calc core
returns results; the headers, Dutch labels, hints and fixed sizes of the tables live here.
``fixed_rows`` is the one helper that places rows in a range of fixed size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from calc.errors import InputError

Rows = list[list[Any]]


class TableTooLarge(InputError):
    """The rows do not fit the fixed range (and the table has no "more" row)."""


def fixed_rows(rows: Sequence[Sequence[Any]], n_rows: int, n_cols: int, *,
               more: Callable[[int], list[Any]] | None = None, bottom: bool = False) -> Rows:
    """``rows`` placed in an ``n_rows`` x ``n_cols`` grid of ``None`` (every row padded).

    When there are more rows than fit: with ``more`` the first ``n_rows - 1`` rows are kept and
    the last row is ``more(left_out)``, saying how many were left out; without it the table is
    refused (``TableTooLarge``), as is a row wider than ``n_cols``: never a silent cut.
    ``bottom``: empty rows first (a chart over the fixed range then ends at the last row).

    >>> fixed_rows([[1, 2]], 2, 3)
    [[1, 2, None], [None, None, None]]
    >>> fixed_rows([[1], [2], [3]], 2, 2, more=lambda n: ["…", f"nog {n}"])
    [[1, None], ['…', 'nog 2']]
    >>> fixed_rows([[1]], 2, 1, bottom=True)
    [[None], [1]]
    >>> fixed_rows([[1], [2]], 1, 1)
    Traceback (most recent call last):
    ...
    workbooks.tables.TableTooLarge: de tabel (2 rijen x 1 kolommen) past niet in het uitvoerbereik (1 x 1)
    """
    rows = [list(r) for r in rows]
    if len(rows) > n_rows and more is not None:
        left = len(rows) - (n_rows - 1)
        rows = rows[: n_rows - 1] + [list(more(left))]
    width = max((len(r) for r in rows), default=0)
    if len(rows) > n_rows or width > n_cols:
        raise TableTooLarge(f"de tabel ({len(rows)} rijen x {width} kolommen) past niet in het "
                            f"uitvoerbereik ({n_rows} x {n_cols})")
    padded = [r + [None] * (n_cols - len(r)) for r in rows]
    empty = [[None] * n_cols for _ in range(n_rows - len(rows))]
    return empty + padded if bottom else padded + empty
