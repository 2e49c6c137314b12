"""The one timer of the benchmarks: best of ``n`` runs (the least disturbed by other load)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(n: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds of the fastest of ``n`` calls of ``fn``, and the result of the last call."""
    best, result = float("inf"), None
    for _ in range(n):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result
