"""Translate what Excel hands a UDF into numpy, and results back into what Excel shows.

Reading goes through ``calc.cells``, the one set of cell rules of Grip (decimal comma, Dutch
yes/no, empty as the default, located problems); its readers are re-exported here so a UDF
reads ``convert.to_matrix(...)`` and writes ``convert.column(...)``. Writing back is this
module's own: NaN becomes an empty cell, numpy scalars plain Python values; ``fixed_rows``
places a table in a range of fixed size (a UDF's output range, a button's named range:
``workbooks.tables`` and ``workbooks.bookio`` use it too, so it lives here, the lowest layer
that knows Excel ranges).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from calc.cells import (MAX_ABS, cells_1d, grid, single, to_bool, to_fraction, to_matrix,
                        to_number, to_text, to_vector, to_whole)
from calc.errors import InputError, ModelError

__all__ = ["MAX_ABS", "cells_1d", "grid", "single", "to_matrix", "to_vector", "to_number",
           "to_whole", "to_bool", "to_text", "column", "row", "table", "scalar", "Rows",
           "TableTooLarge", "fixed_rows"]

Rows = list[list[Any]]

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
    return _cell_out(x) if isinstance(x, np.generic) else x


def column(values: Sequence[float] | np.ndarray) -> list[list[Any]]:
    """A 1-D result as an N x 1 Excel range (NaN becomes an empty cell).

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


class TableTooLarge(InputError):
    """The rows do not fit the fixed range (and the table has no "more" row)."""


def fixed_rows(rows: Sequence[Sequence[Any]], n_rows: int, n_cols: int, *,
               more: Callable[[int], list[Any]] | None = None, bottom: bool = False,
               fill: Any = None) -> Rows:
    """``rows`` placed in an ``n_rows`` x ``n_cols`` grid of ``fill`` (every row padded).

    When there are more rows than fit: with ``more`` the first ``n_rows - 1`` rows are kept and
    the last row is ``more(left_out)``, saying how many were left out; without it the table is
    refused (``TableTooLarge``), as is a row wider than ``n_cols``: never a silent cut.
    ``bottom``: empty rows first (a chart over the fixed range then ends at the last row).
    ``fill``: the empty cell (``None``); ``SD_GRIPAGENDA`` fills with empty text ``""``, as
    it always did.

    >>> fixed_rows([[1, 2]], 2, 3)
    [[1, 2, None], [None, None, None]]
    >>> fixed_rows([[1], [2], [3]], 2, 2, more=lambda n: ["…", f"nog {n}"])
    [[1, None], ['…', 'nog 2']]
    >>> fixed_rows([[1]], 2, 1, bottom=True)
    [[None], [1]]
    >>> fixed_rows([["a"]], 2, 2, fill="")
    [['a', ''], ['', '']]
    >>> fixed_rows([[1], [2]], 1, 1)
    Traceback (most recent call last):
    ...
    addin.convert.TableTooLarge: de tabel (2 rijen x 1 kolommen) past niet in het uitvoerbereik (1 x 1)
    """
    rows = [list(r) for r in rows]
    if len(rows) > n_rows and more is not None:
        left = len(rows) - (n_rows - 1)
        rows = rows[: n_rows - 1] + [list(more(left))]
    width = max((len(r) for r in rows), default=0)
    if len(rows) > n_rows or width > n_cols:
        raise TableTooLarge(f"de tabel ({len(rows)} rijen x {width} kolommen) past niet in het "
                            f"uitvoerbereik ({n_rows} x {n_cols})")
    padded = [r + [fill] * (n_cols - len(r)) for r in rows]
    empty = [[fill] * n_cols for _ in range(n_rows - len(rows))]
    return empty + padded if bottom else padded + empty
