"""The UDFs at the limits their help states (issue 16): each must answer within 5 seconds.

Peer: the 5-second budget of the issue ("answers within 5 s inside the limits"); printed per
case are the best-of-3 seconds and the ratio to that budget (below 1 is inside). Each case is
at a stated limit: 30 themes with mixed signs and lags up to 10 years over 200 years (the
eigenvalue path of the lag check, not the |A| shortcut), 200 measures, draws x years at
200.000, a 1000 x 1000 triangle. Before issue 16 the same kind of calls took 35-37 s or ran
out of memory (SD_EFFECTPAD lag 1000, SD_SALDOBAND 1.000 measures, SD_SCENARIO lag 1000).

Run: ``python benchmarks/bench_udf_limits.py``.
"""

from __future__ import annotations

import numpy as np

from addin.udfs import (SD_BANDBREEDTE, SD_EFFECTPAD, SD_GEVOELIGHEID, SD_KANS_SLUITEND,
                        SD_NAGEKOMEN, SD_SALDOBAND, SD_SCENARIO)
from calc.cross_effects import links_to_rows, load_model
from timing import best_of  # benchmarks/timing.py (the script's own folder)

BUDGET_S = 5.0


def cases():
    model = load_model()
    themes = [r[:5] for r in model.catalogue.to_rows()]
    links10 = [r[:6] + [10.0] + r[7:] for r in links_to_rows(model.links)]
    measures = [[True, f"m{k}", model.catalogue.names[k % 20], "euro", -3e3, -2e3, -1e3, 2027.0,
                 1.0, "ja", None] for k in range(30)]
    rng = np.random.default_rng(1)
    mixed = (rng.choice([-1, 1], (30, 30)) * 1.2 / 30).tolist()
    lags = np.where(np.arange(30) % 2, 10.0, 1.0)[None, :].repeat(30, 0).tolist()
    n = 1000
    tri = np.where(np.add.outer(np.arange(n), np.arange(n)) < n,
                   np.cumsum(np.full((n, n), 10.0), axis=1), np.nan)
    tri = [[None if np.isnan(x) else float(x) for x in row] for row in tri]
    years = [[2026.0, 2027.0, 2028.0, 2029.0]]
    saldo_measures = [[1e5, 2e5, 3e5, 2026.0 + k % 4, "ja", 0.8] for k in range(200)]
    savings = [[1e4 + k, 2e5 + 3 * k, 3e5 + 7 * k, 0.8] for k in range(200)]
    return [
        ("SD_EFFECTPAD 30 thema's, vertraging 10, 200 jaar",
         lambda: SD_EFFECTPAD(mixed, [[1.0]] * 30, 200.0, lags)),
        ("SD_SCENARIO vertraging 10, 100 jaar",
         lambda: SD_SCENARIO(themes, links10, measures, 2027.0, 100.0)),
        ("SD_GEVOELIGHEID vertraging 10, 100 jaar",
         lambda: SD_GEVOELIGHEID(themes, links10, measures, 2027.0, 100.0)),
        ("SD_BANDBREEDTE 2.000 trekkingen x 100 jaar",
         lambda: SD_BANDBREEDTE(themes, links10, measures, 2027.0, 100.0, 2_000.0)),
        ("SD_BANDBREEDTE 20.000 trekkingen x 10 jaar",
         lambda: SD_BANDBREEDTE(themes, links10, measures, 2027.0, 10.0, 20_000.0)),
        ("SD_SALDOBAND 200 maatregelen",
         lambda: SD_SALDOBAND(years, [[-1e6] * 4], [[0.0] * 4], saldo_measures)),
        ("SD_KANS_SLUITEND 200 maatregelen", lambda: SD_KANS_SLUITEND(2e7, savings)),
        ("SD_NAGEKOMEN 1000 x 1000", lambda: SD_NAGEKOMEN(tri)),
    ]


def main() -> None:
    print(f"{'UDF aan de grens':48} {'s':>7} {'/ 5 s':>7}  uitkomst")
    for label, call in cases():
        seconds, out = best_of(3, call)
        answer = out if isinstance(out, str) else "antwoord"
        print(f"{label:48} {seconds:7.2f} {seconds / BUDGET_S:7.2f}  {answer[:60]}")


if __name__ == "__main__":
    main()
