"""Every SD_ function on the demo model's inputs: classic call path and Lite call path side by
side, without and with the result cache.

Data: the demo begrotingsmodel of Gemeente Voorbeeld (``grip.jobs.demo.run_demo``, scale
``SCALE``); every SD_ call its headless recalculation makes is recorded
(``workbooks.recorded``) and timed again per call, plus SD_NAGEKOMEN and
SD_ONTWIKKELFACTOREN on the demo's claim triangle (no formula of the model uses them) and
SD_VERSIE:

* klassiek: the registered UDF as xlwings' COM dispatcher calls it (lists of rows, None);
* Lite: the same call through xlwings' own Office.js code (``custom_functions_call`` with the
  arguments Office.js sends: 2-D arrays, "" for empty; ``XLWINGS_LICENSE_KEY=noncommercial``);
* herhaald: the Lite call once more with unchanged arguments (answered from the cache).

In CPython the Lite path is given a stand-in ``pyodide.ffi`` (see ``_pyodide_ffi``): without
it xlwings' per-cell check for Pyodide's ``JsNull`` searches the disk for every cell.

The peer of the Lite path is the classic path; the target is Excel waiting at most 2 s per
function (issue 15). Printed per function: number of calls, the slowest cold call on each
path, the ratio Lite / klassiek, and the slowest repeated call. Nothing here ran in Excel:
Pyodide itself was measured earlier at about 2-3x CPython on the calc (../shared/EXCEL.md).

Run: ``python benchmarks/bench_udfs.py [--schaal 0.25]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def _pyodide_ffi() -> None:
    """xlwings' Office.js converter asks, per cell, ``from pyodide.ffi import JsNull``. In
    Pyodide that module is loaded, so the question costs nothing; in CPython every cell
    would search the whole path for a package ``pyodide`` (0.3 ms per cell, 0.6 s for the
    Scenario ranges), which is not what Lite pays. A stand-in module answers as Pyodide 0.28
    does (a ``JsNull`` class that no Excel value is)."""
    import types

    ffi = types.ModuleType("pyodide.ffi")
    ffi.JsNull = type("JsNull", (), {})
    package = types.ModuleType("pyodide")
    package.ffi = ffi
    sys.modules.setdefault("pyodide", package)
    sys.modules.setdefault("pyodide.ffi", ffi)

sys.path.insert(0, str(Path(__file__).parent))

LIMIT = 2.0
SCALE = 0.25


def cold(fn, *args):
    """Best of three calls, each with an empty cache: (wall seconds, CPU seconds)."""
    import time

    from addin import cache

    wall, cpu = float("inf"), float("inf")
    for _ in range(3):
        cache.RESULTS.clear()
        w, c = time.perf_counter(), time.process_time()
        fn(*args)
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return wall, cpu


def warm(fn, *args):
    """Best of three calls with unchanged arguments (the cache holds the answer)."""
    from timing import best_of

    fn(*args)
    return best_of(3, lambda: fn(*args))[0]


def extra_calls(scale: float):
    """The SD_ functions the demo model has no formula for, on the demo's own data: the
    claim triangle of all providers (service month x lag, as of the demo's evaluation month)
    for SD_NAGEKOMEN and SD_ONTWIKKELFACTOREN, and SD_VERSIE."""
    import numpy as np

    from calc.prognose.triangle import build_triangles
    from grip.jobs.synth import DEMO_AS_OF, demo_tables
    from workbooks.recorded import UdfCall

    lines = demo_tables(scale=scale)["claim_lines"]
    tri = build_triangles(lines[lines["claim_month"] <= DEMO_AS_OF], by=(), as_of=DEMO_AS_OF)
    rows = [[None if np.isnan(v) else float(v) for v in row] for row in tri.values[0]]
    return [UdfCall("SD_NAGEKOMEN", (rows, False), None),
            UdfCall("SD_ONTWIKKELFACTOREN", (rows, False), None), UdfCall("SD_VERSIE", (), None)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schaal", type=float, default=SCALE)
    scale = parser.parse_args().schaal
    _pyodide_ffi()

    from addin import lite
    from addin.policy import REGISTRY
    from grip.jobs.demo import run_demo
    from workbooks.recorded import record_calls

    with tempfile.TemporaryDirectory() as folder:
        demo = run_demo(Path(folder), scale=scale)
        calls = record_calls(demo.workbook) + extra_calls(scale)
    rows = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0.0])
    for c in calls:
        spec = REGISTRY[c.name]
        classic, classic_cpu = cold(spec.function, *c.args)
        officejs, _ = cold(lite.call_through_protocol, spec, c.args)
        again = warm(lite.call_through_protocol, spec, c.args)
        r = rows[c.name]
        r[0] += 1
        r[1], r[2], r[3] = max(r[1], classic), max(r[2], officejs), max(r[3], again)
        r[4] = max(r[4], classic_cpu)
    print(f"Demo begrotingsmodel, schaal {scale}: {len(calls)} SD_-aanroepen (3 op de "
          f"declaratiedriehoek van de demo), "
          f"{len(rows)} functies (traagste aanroep per functie, seconden)")
    print(f"{'functie':<24}{'aanroepen':>10}{'klassiek':>10}{'(cpu)':>8}{'Lite':>10}"
          f"{'Lite/kl.':>10}{'herhaald':>11}")
    worst = 0.0
    for name in sorted(rows):
        n, classic, officejs, again, cpu = rows[name]
        worst = max(worst, classic, officejs)
        print(f"{name:<24}{n:>10}{classic:>10.3f}{cpu:>8.3f}{officejs:>10.3f}"
              f"{officejs / classic:>10.2f}{again * 1000:>9.2f}ms")
    missing = sorted(set(REGISTRY) - set(rows))
    if missing:
        print(f"Niet in het demomodel: {', '.join(missing)}")
    print(f"Belasting van de machine (1 min): {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen")
    print(f"Traagste functie: {worst:.3f} s (grens {LIMIT:.0f} s): "
          f"{'binnen de grens' if worst <= LIMIT else 'TE TRAAG'}")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
