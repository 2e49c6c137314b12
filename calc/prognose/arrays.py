"""Columns as numpy arrays, converted once: the forecast's small helpers for speed.

A forecast at the scale of a municipality handles a few thousand rows, where pandas' fixed
cost per call (a ``pd.to_datetime`` on a column that already holds dates, a sort of a whole
table to order three of its columns) outweighs the work itself. These helpers give the
arrays the rest of the code then works on, with the same values pandas would use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def dates(values) -> np.ndarray:
    """``values`` (a column, an index or a sequence) as a numpy datetime64 array.

    A column that holds dates already is read as it is (its own unit); anything else goes
    through ``pd.to_datetime`` as before.

    >>> [str(d)[:10] for d in dates(pd.Series(pd.to_datetime(["2025-01-31", None])))]
    ['2025-01-31', 'NaT']
    >>> [str(d)[:10] for d in dates(["2025-01-31"])]
    ['2025-01-31']
    """
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        return np.asarray(values)
    return np.asarray(pd.to_datetime(values if dtype is not None else pd.Series(values)))


def sort_codes(values) -> np.ndarray:
    """Integer codes that sort as ``values`` do, a missing value after all others.

    ``np.lexsort`` on these orders rows as ``DataFrame.sort_values`` on several columns does
    (that sort is stable, missing values last).

    >>> sort_codes(pd.Series(["b", None, "a", "b"])).tolist()
    [1, 2, 0, 1]
    >>> sort_codes(pd.to_datetime(pd.Series(["2025-02-01", None, "2025-01-01"]))).tolist()
    [1, 2, 0]
    """
    codes, uniques = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(uniques), codes)


def descending(values: np.ndarray) -> np.ndarray:
    """The positions of ``values`` (no NaN) from largest to smallest, ties as pandas'
    ``Series.sort_values(ascending=False)`` orders them (its default, unstable quicksort).

    >>> values = np.array([1.0, 3.0, 1.0, 2.0])
    >>> descending(values).tolist(), pd.Series(values).sort_values(ascending=False).index.tolist()
    ([1, 3, 0, 2], [1, 3, 0, 2])
    """
    backwards = np.arange(len(values))[::-1]
    return backwards[values[::-1].argsort(kind="quicksort")][::-1]


def key_codes(frame: pd.DataFrame, columns) -> np.ndarray:
    """Per row one integer for its values in ``columns`` together: rows with equal values get
    equal codes, a missing value counting as a value of its own (as ``groupby(dropna=False)``
    and ``drop_duplicates`` group them). The codes are not dense (``pd.factorize`` them).

    >>> f = pd.DataFrame({"a": ["x", "y", "x", None], "b": ["1", "1", "1", "1"]})
    >>> pd.factorize(key_codes(f, ["a", "b"]))[0].tolist()
    [0, 1, 0, 2]
    """
    combined = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)
        combined = combined * (len(uniques) + 1) + codes
    return combined


def running_max(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The running maximum of ``values`` within each group, for rows sorted so that a
    group's rows lie together: ``pd.Series(values).groupby(groups).cummax()`` without the
    groupby. ``values`` must hold no NaN (``inf`` is fine).

    >>> running_max(np.array([3.0, 1.0, 5.0, 2.0, np.inf, 1.0]), np.array([0, 0, 0, 1, 1, 1]))
    array([ 3.,  3.,  5.,  2., inf, inf])
    """
    values = np.asarray(values, dtype=float)
    if not len(values):
        return values.copy()
    distinct, rank = np.unique(values, return_inverse=True)
    run = np.cumsum(np.r_[True, groups[1:] != groups[:-1]])
    # a later group's keys lie above every key of the groups before it
    base = run * (len(distinct) + 1)
    return distinct[np.maximum.accumulate(base + rank) - base]


def key_rows(left: list[np.ndarray], right: list[np.ndarray]) -> np.ndarray:
    """Per row of ``right`` the first row of ``left`` with equal values in every column (the
    columns given as arrays, in the same order), -1 where there is none. A missing value
    equals a missing value, as ``merge`` matches keys: a left ``merge`` without its table.

    >>> key_rows([np.array(["a", "b", None], dtype=object), np.array([1, 1, 1])],
    ...          [np.array(["b", None, "c"], dtype=object), np.array([1, 1, 1])]).tolist()
    [1, 2, -1]
    """
    n = len(left[0])
    combined = np.zeros(n + len(right[0]), dtype=np.int64)
    for mine, theirs in zip(left, right, strict=True):
        codes, uniques = pd.factorize(np.concatenate([np.asarray(mine, dtype=object),
                                                      np.asarray(theirs, dtype=object)]),
                                      use_na_sentinel=False)
        combined = combined * (len(uniques) + 1) + codes
    keys, first = np.unique(combined[:n], return_index=True)
    if not len(keys):
        return np.full(len(combined) - n, -1, dtype=np.intp)
    at = np.minimum(np.searchsorted(keys, combined[n:]), len(keys) - 1)
    return np.where(keys[at] == combined[n:], first[at], -1)
