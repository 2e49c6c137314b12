"""Which Excel route a UDF call came through: xlwings Lite, classic xlwings, or none.

Read from the call stack, so no caller has to announce itself: xlwings' Office.js protocol
(``xlwings.pro.udfs_officejs``, what xlwings Lite runs in Pyodide) → Lite; xlwings' COM
UDF dispatcher (``xlwings.udfs``, classic Excel on Windows) → klassiek; the headless
recalculation (``workbooks.recalc``) → zonder Excel. A plain Python call in Pyodide is Lite
too (Lite's own editor); anything else is a plain Python call.
"""

from __future__ import annotations

import sys

LITE = "xlwings Lite"
CLASSIC = "klassiek (xlwings)"
HEADLESS = "zonder Excel"
PYTHON = "los in Python"

#: Module of a frame on the stack → engine (first match from the innermost frame out).
_CALLERS = {
    "xlwings.pro.udfs_officejs": LITE,
    "xlwings.udfs": CLASSIC,
    "workbooks.recalc": HEADLESS,
}


def current() -> str:
    """The engine of the running UDF call.

    >>> current()
    'los in Python'
    """
    frame = sys._getframe(1)
    while frame is not None:
        engine = _CALLERS.get(frame.f_globals.get("__name__", ""))
        if engine:
            return engine
        frame = frame.f_back
    return LITE if sys.platform == "emscripten" else PYTHON


def version(distribution: str) -> str:
    """The installed version of a distribution, or ``onbekend``."""
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "onbekend"
