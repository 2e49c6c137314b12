"""Every ``SD_`` call a headless recalculation makes: the arguments as xlwings hands them
over and the result. The Lite protocol test replays them through xlwings' Office.js code and
``benchmarks/bench_udfs.py`` times them; both need exactly the calls a real model makes
(nested ones such as ``-SD_RAVIJN(...)*B5`` included), which only the recalculation knows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from addin import cache
from addin.policy import REGISTRY


@dataclass(frozen=True)
class UdfCall:
    name: str
    args: tuple[Any, ...]
    result: Any


def record_calls(path: str | Path) -> list[UdfCall]:
    """Recalculate ``path`` (cache cleared first) and return its ``SD_`` calls in order."""
    from workbooks import recalc
    from workbooks.recalc import recalculate, register_udfs

    calls: list[UdfCall] = []

    def recording(spec):
        def record(*args):
            result = spec.function(*args)
            calls.append(UdfCall(spec.name, args, result))
            return result
        return dataclasses.replace(spec, function=record)

    import addin.udfs  # noqa: F401  (fills REGISTRY)

    original, recent = dict(REGISTRY), recalc._RECENT
    try:
        REGISTRY.update({name: recording(spec) for name, spec in original.items()})
        recalc._RECENT = type(recent)()  # evaluate, even if these bytes were just recalculated
        cache.RESULTS.clear()
        recalculate(path)
    finally:
        REGISTRY.update(original)
        recalc._RECENT = recent
        register_udfs()  # the engine would keep the recording functions otherwise
    return calls
