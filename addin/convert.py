"""Translate what Excel hands a UDF into numpy, and results back into what Excel shows.

Reading goes through ``calc.cells``, the one set of cell rules of Grip (decimal comma, Dutch
yes/no, empty as the default, located problems); its readers are re-exported here so a UDF
reads ``convert.to_matrix(...)`` and writes ``convert.column(...)``. Writing back is this
module's own: NaN becomes an empty cell, numpy scalars plain Python values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from calc.cells import grid, to_bool, to_matrix, to_number, to_text, to_vector, to_whole

__all__ = ["grid", "to_matrix", "to_vector", "to_number", "to_whole", "to_bool", "to_text",
           "column", "row", "table"]


def _cell_out(x: Any) -> Any:
    if isinstance(x, (np.floating, float)):
        x = float(x)
        return x if math.isfinite(x) else None
    if isinstance(x, np.integer):
        return float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


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
