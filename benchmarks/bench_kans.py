"""Chance that triangular savings cover a gap (SD_KANS_SLUITEND): exact vs plain Monte Carlo.

Ours: ``calc.budget.chance.chance_closing`` — exact (truncated powers in rational arithmetic).
Peer: what a developer writes first — 200,000 draws per measure with ``scipy.stats.triang``
(plus ``numpy`` for the realisation chance), the share of sums at or above the gap.
Case A has a closed form (n triangles (0, 1, 2) are Irwin-Hall with 2n uniforms), so both
errors are measured against the truth; case B (six different measures with realisation
chances, the size of a real council proposal) compares the peer with our exact answer.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from calc.budget.chance import chance_closing
from timing import best_of  # benchmarks/timing.py (the script's own folder)

DRAWS = 200_000


def irwin_hall_sf(x: float, n: int) -> float:
    cdf = sum((-1) ** k * math.comb(n, k) * (x - k) ** n for k in range(int(x) + 1)) / math.factorial(n)
    return 1 - cdf


def peer(gap: float, table: np.ndarray, seed: int = 1) -> float:
    rng = np.random.default_rng(seed)
    total = np.zeros(DRAWS)
    for low, mode, high, *chance in table:
        width = high - low
        c = (mode - low) / width if width > 0 else 0.0
        x = stats.triang.rvs(c, loc=low, scale=width, size=DRAWS, random_state=rng)
        if chance and chance[0] < 1:
            x = x * (rng.random(DRAWS) < chance[0])
        total += x
    return float(np.mean(total >= gap))



def main() -> None:
    print(f"{'geval':<34}{'ons (s)':>10}{'fout ons':>12}{'peer (s)':>10}{'fout peer':>12}{'peer/ons':>10}")
    n, gap = 5, 5.7
    table_a = np.array([[0.0, 1.0, 2.0]] * n)
    truth = irwin_hall_sf(gap, 2 * n)
    t_ours, ours = best_of(5, lambda: chance_closing(gap, table_a).probability)
    t_peer, theirs = best_of(3, lambda: peer(gap, table_a))
    print(f"{'A: 5 x (0,1,2), Irwin-Hall':<34}{t_ours:>10.4f}{abs(ours - truth):>12.1e}"
          f"{t_peer:>10.4f}{abs(theirs - truth):>12.1e}{t_peer / t_ours:>10.1f}")
    table_b = np.array([[300e3, 650e3, 900e3, 0.9], [200e3, 300e3, 400e3, 1.0],
                        [300e3, 600e3, 800e3, 0.85], [800e3, 1.6e6, 2.4e6, 0.7],
                        [150e3, 300e3, 400e3, 1.0], [400e3, 800e3, 1.0e6, 0.8]])
    gap_b = 3.2e6
    t_ours, ours = best_of(3, lambda: chance_closing(gap_b, table_b))
    t_peer, theirs = best_of(3, lambda: peer(gap_b, table_b))
    label = "B: 6 maatregelen, met kansen"
    print(f"{label:<34}{t_ours:>10.4f}{'exact' if ours.exact else 'MC':>12}"
          f"{t_peer:>10.4f}{abs(theirs - ours.probability):>12.1e}{t_peer / t_ours:>10.1f}")
    print(f"\nKans B: ons {ours.probability:.4f} ({'exact' if ours.exact else 'Monte Carlo'}), "
          f"peer {theirs:.4f}.")


if __name__ == "__main__":
    main()
