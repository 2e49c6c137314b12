"""Late-claim completion: Grip's chain ladder + Mack against chainladder-python.

Same data in the same run: 500 providers x 36 service months x 36 lags (monthly), positive
claims with a realistic lag pattern (most in the first three months, a long thin tail).
Both compute volume-weighted factors, Mack's sigma with Mack's last-sigma rule
(``sigma_interpolation="mack"``), the IBNR and Mack's standard errors per origin and in
total. Printed: the largest absolute difference of each figure, and the time of each side
(best of several runs, the two sides alternated so both see the same machine load) with the
ratio; the issue's target is at least 40 times faster.

Two timings: the fit alone (ours on the 3-D array, the peer on its ``Triangle``), and the
whole path from the long table of claim lines (ours ``build_triangles`` + fit, the peer
``Triangle(...)`` + fit).

Run: ``.venv/bin/python benchmarks/bench_chainladder.py [providers]``
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd

from calc.prognose.reserving import ChainLadder
from calc.prognose.triangle import build_triangles
from calc.text import nl_number
from timing import best_of  # benchmarks/timing.py (the script's own folder)

MONTHS = 36
TARGET = 40.0



def claim_lines(providers: int, seed: int = 2024) -> pd.DataFrame:
    """One line per provider, service month and lag (the known cells), positive amounts."""
    rng = np.random.default_rng(seed)
    lag_share = np.exp(-0.9 * np.arange(MONTHS)) + 0.002
    size = rng.lognormal(10, 1, providers)
    s, lag = np.meshgrid(np.arange(MONTHS), np.arange(MONTHS), indexing="ij")
    known = s + lag < MONTHS
    s, lag = s[known], lag[known]
    p = np.repeat(np.arange(providers), len(s))
    s, lag = np.tile(s, providers), np.tile(lag, providers)
    amount = size[p] * lag_share[lag] * rng.lognormal(0, 0.3, len(p))
    months = pd.date_range("2022-01-01", periods=2 * MONTHS, freq="MS")
    return pd.DataFrame({
        "provider": np.array([f"P{i:04d}" for i in range(providers)])[p],
        "product_category": "45",
        "service_month": months[s], "claim_month": months[s + lag],
        "amount_euro": np.round(amount, 2),
    })


def peer_triangle(lines: pd.DataFrame):
    import chainladder as cl

    return cl.Triangle(lines, origin="service_month", development="claim_month",
                       columns="amount_euro", index="provider", cumulative=False,
                       origin_format="%Y-%m-%d", development_format="%Y-%m-%d").incr_to_cum()


def peer_fit(tri):
    import chainladder as cl

    dev = cl.Development(sigma_interpolation="mack").fit_transform(tri)
    return cl.MackChainladder().fit(dev)


def main() -> None:
    providers = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    warnings.simplefilter("ignore")
    lines = claim_lines(providers)
    print(f"{providers} aanbieders x {MONTHS} productmaanden x {MONTHS} vertragingen, "
          f"{len(lines):,} declaratieregels".replace(",", "."))

    # Alternate the two sides, so that both see the same load of the machine; keep the best.
    ours_build = ours_fit = peer_build = peer_time = float("inf")
    for _ in range(3):
        t, tris = best_of(3, lambda: build_triangles(lines, by=("provider",), cumulative=True))
        ours_build = min(ours_build, t)
        t, model = best_of(10, lambda: ChainLadder().fit(tris))
        ours_fit = min(ours_fit, t)
        t, ptri = best_of(1, lambda: peer_triangle(lines))
        peer_build = min(peer_build, t)
        t, mack = best_of(1, lambda: peer_fit(ptri))
        peer_time = min(peer_time, t)

    # Align the peer's index (sorted provider codes) with our keys.
    order = [k[0] for k in tris.keys]
    peer_index = list(ptri.index["provider"])
    pos = [peer_index.index(k) for k in order]
    p_ibnr = np.nan_to_num(mack.ibnr_.values[pos, 0, :, 0])
    p_se = np.nan_to_num(mack.mack_std_err_.values[pos, 0, :, -1])
    p_total = np.asarray(mack.total_mack_std_err_.values).reshape(len(peer_index), -1)[pos, 0]
    p_ldf = mack.ldf_.values[pos, 0, 0, : MONTHS - 1]

    def diff(a, b):
        return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))

    print("\nzelfde getallen (grootste absolute verschil, euro of factor):")
    print(f"  ontwikkelfactoren         {diff(model.development_factors_, p_ldf):.3e}")
    print(f"  nagekomen (IBNR)          {diff(model.ibnr_, p_ibnr):.3e}"
          f"   (grootste IBNR € {nl_number(np.max(p_ibnr), 0)})")
    print(f"  Mack-standaardfout        {diff(model.mack_se_, p_se):.3e}")
    print(f"  totale Mack-standaardfout {diff(model.total_mack_se_, p_total):.3e}")

    print(f"\n{'meting':<44}{'Grip (s)':>10}{'chainladder (s)':>17}{'verhouding':>12}")
    print(f"{'schatten (Development + Mack)':<44}{ours_fit:>10.4f}{peer_time:>17.3f}"
          f"{peer_time / ours_fit:>11.0f}x")
    total_ours, total_peer = ours_build + ours_fit, peer_build + peer_time
    print(f"{'van declaratieregels: driehoek + schatten':<44}{total_ours:>10.4f}"
          f"{total_peer:>17.3f}{total_peer / total_ours:>11.0f}x")
    ratio = peer_time / ours_fit
    print(f"\ndoel: minstens {TARGET:.0f}x sneller bij het schatten: "
          f"{'gehaald' if ratio >= TARGET else 'NIET gehaald'} ({ratio:.0f}x)")


if __name__ == "__main__":
    main()
