"""Results of pure UDFs kept by their arguments, so an unchanged recalculation costs milliseconds.

Excel recalculates a formula whenever anything it depends on *might* have changed (opening
a file, a full recalculation, a change elsewhere in a chain); xlwings Lite recalculates
every custom function when the add-in loads. Every ``SD_`` function is pure (the same
arguments give the same cell), so ``addin.policy`` looks the arguments up here first.

The key is the function name and the arguments as Excel handed them over, made hashable:
lists become tuples, and every cell is tagged with its kind, because ``True == 1.0`` in
Python while ``convert.to_matrix`` refuses TRUE and accepts 1. The cache is bounded (least
recently used entries go first) and holds only finished answers: a value or a ``#`` message
of a ``GripError``; an unexpected error is never kept (it may be passing, e.g. memory).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

#: Most results kept; a begrotingsmodel has a few hundred ``SD_`` cells.
MAX_ENTRIES = 512
#: Arguments larger than this many cells are not cached (hashing them costs what it saves).
MAX_CELLS = 250_000


class Unhashable(Exception):
    """An argument that cannot be a key (too large, or of an unknown kind)."""


def _cell(value: Any) -> Hashable:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", float(value))
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:  # numpy scalar
        return _cell(value.item())
    raise Unhashable(type(value).__name__)


def key(name: str, args: tuple[Any, ...]) -> tuple[Hashable, ...]:
    """The cache key of one call.

    >>> key("SD_X", ([[1.0, None]], True)) == key("SD_X", ([[1, None]], True))
    True
    >>> key("SD_X", ([[1.0]],)) == key("SD_X", ([[True]],))
    False
    """
    budget = [MAX_CELLS]

    def freeze(value: Any) -> Hashable:
        if hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0:  # numpy array
            value = value.tolist()
        if isinstance(value, (list, tuple)):
            budget[0] -= len(value)
            if budget[0] < 0:
                raise Unhashable("te groot")
            return ("l", tuple(freeze(v) for v in value))
        return _cell(value)

    return (name, *(freeze(a) for a in args))


def _copy(result: Any) -> Any:
    """A fresh list of rows, so no caller can change what the cache holds."""
    if isinstance(result, list):
        return [list(r) if isinstance(r, list) else r for r in result]
    return result


class ResultCache:
    """A bounded, thread-safe least-recently-used map from call key to result."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, k: Hashable) -> tuple[bool, Any]:
        with self._lock:
            if k in self._data:
                self._data.move_to_end(k)
                self.hits += 1
                return True, _copy(self._data[k])
            self.misses += 1
            return False, None

    def put(self, k: Hashable, result: Any) -> None:
        with self._lock:
            self._data[k] = _copy(result)
            self._data.move_to_end(k)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


#: The one cache of all UDF results (per Python process: Excel's COM server, Lite's Pyodide).
RESULTS = ResultCache()
