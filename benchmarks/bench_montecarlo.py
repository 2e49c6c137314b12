"""Monte Carlo of the dwarsverbanden: 10,000 draws x 20 themes x 10 years (issue 5: < 0.5 s).

Ours: ``calc.cross_effects.scenario_effects(..., draws=10_000)`` — triangular draws of every
link and measure, the vectorised kernel over all draws at once, P10/P50/P90 per theme and
year. Peer: the straightforward implementation a developer would write first — the same
draws, then per draw dense N x N matrices per lag, ``inv(I - A_0)`` and a loop over the
years with ``numpy`` matrix products, then ``numpy.quantile``. Both run here, side by side,
on the default 20-theme model; the script also checks that both give the same band.
"""

from __future__ import annotations


import numpy as np

from calc.cross_effects import Measure, load_model, scenario_effects
from calc.cross_effects.measures import shock_pattern
from calc.cross_effects.scenario import BAND, draw
from timing import best_of  # benchmarks/timing.py (the script's own folder)

DRAWS, YEARS, FIRST = 10_000, 10, 2027
TARGET = 0.5


def measures() -> list[Measure]:
    return [
        Measure(name="Meer schuldhulp", theme="Schuldhulpverlening", low=1e5, mode=2e5, high=2.5e5,
                start_year=2027, ramp_years=2),
        Measure(name="Korting minima", theme="Minimabeleid en bijzondere bijstand", low=-3e5, mode=-2e5,
                high=-1e5, start_year=2028),
        Measure(name="Wijkteams versterken", theme="Toegang en wijkteams", low=2e5, mode=3e5, high=4e5,
                start_year=2027, ramp_years=3),
    ]


def peer(model, ms, seed: int) -> np.ndarray:
    """Per-draw loop with dense matrices; returns the (Q, N, T) band."""
    coef, amounts = draw(model, ms, DRAWS, seed=seed)
    arr = model.arrays()
    n = len(model.names)
    pattern = shock_pattern(model.catalogue, ms, FIRST, YEARS)
    out = np.empty((DRAWS, YEARS, n))
    lags = sorted(set(arr.lag.tolist()))
    for d in range(DRAWS):
        mats = {k: np.zeros((n, n)) for k in lags}
        for l in range(arr.lag.size):
            mats[int(arr.lag[l])][arr.target[l], arr.source[l]] += coef[d, l]
        solve = np.linalg.inv(np.eye(n) - mats[0]) if 0 in mats else np.eye(n)
        shock = np.tensordot(amounts[d], pattern, axes=1)
        x = out[d]
        for t in range(YEARS):
            b = shock[t].copy()
            for k in lags:
                if k > 0 and t - k >= 0:
                    b += mats[k] @ x[t - k]
            x[t] = solve @ b
    return np.quantile(out, BAND, axis=0).transpose(0, 2, 1)



def main() -> None:
    model, ms = load_model(), measures()
    scenario_effects(model, ms, first_year=FIRST, years=YEARS, draws=100)     # warm up imports
    ours, fx = best_of(5, lambda: scenario_effects(model, ms, first_year=FIRST, years=YEARS,
                                                   draws=DRAWS, seed=1))
    theirs, band = best_of(1, lambda: peer(model, ms, seed=1))
    diff = float(np.max(np.abs(fx.bands - band)))
    print(f"Monte Carlo dwarsverbanden: {DRAWS} trekkingen x {len(model.names)} thema's x {YEARS} jaar, "
          f"{len(model.links)} verbanden, {len(ms)} maatregelen")
    print(f"{'meting':<52}{'seconden':>10}")
    print(f"{'Grip scenario_effects (gevectoriseerd, beste van 5)':<52}{ours:>10.3f}"
          f"   doel < {TARGET} s: {'gehaald' if ours < TARGET else 'NIET gehaald'}")
    print(f"{'peer: numpy-lus per trekking (dichte matrices)':<52}{theirs:>10.3f}")
    print(f"{'verhouding peer / Grip':<52}{theirs / ours:>10.1f}")
    print(f"{'grootste verschil P10/P50/P90 (euro)':<52}{diff:>10.2e}")


if __name__ == "__main__":
    main()
