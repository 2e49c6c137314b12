"""The whole year-end forecast on about one million claim lines (target: under 10 s).

The store is built synthetically in memory (``calc.prognose.synthetic``: ~120,000 allocations,
200 providers, 7 products, claims from two and a half years) and not timed. Timed:

* Grip ``year_end_forecast`` (triangles, chain ladder + Mack, Bornhuetter-Ferguson for the
  recent months, commitments, utilisation, inflow, interval) and ``compute_prognose`` (the
  whole job: also provider view, referrers, trajectory costs, start lags, series forecast);
* the floor: one pandas ``groupby(provider, product_category, service_month).sum()`` over the
  same lines, the least any forecast from these lines has to do; the ratio says how many such
  passes the whole forecast costs.

Run: ``python benchmarks/bench_yearend.py [number of allocations]``.
"""

from __future__ import annotations

import sys
import time

from calc.prognose.report import compute_prognose
from calc.prognose.synthetic import synthetic_records
from calc.prognose.yearend import year_end_forecast
from timing import best_of  # benchmarks/timing.py (the script's own folder)

TARGET_SECONDS = 10.0



def main() -> None:
    n_allocations = int(sys.argv[1]) if len(sys.argv) > 1 else 120_000
    t = time.perf_counter()
    tables = synthetic_records(n_clients=n_allocations, n_providers=200, year=2027,
                               until="2027-06-01")
    lines, allocs = tables["claim_lines"], tables["allocations"]
    print(f"synthetische opslag: {len(lines):,} declaratieregels, {len(allocs):,} toewijzingen "
          f"({time.perf_counter() - t:.1f} s, niet gemeten)")
    yearend = best_of(2, lambda: year_end_forecast(lines, allocs, as_of="2027-06-01"))[0]
    whole = best_of(1, lambda: compute_prognose(tables, as_of="2027-06-01"))[0]
    floor = best_of(3, lambda: lines.groupby(["provider", "product_category", "service_month"])
                    ["amount_euro"].sum())[0]
    print(f"{'meting':<58}{'seconden':>10}")
    print(f"{'Grip year_end_forecast':<58}{yearend:>10.2f}")
    print(f"{'Grip compute_prognose (hele opdracht)':<58}{whole:>10.2f}")
    print(f"{'pandas groupby-som (ondergrens, één pass)':<58}{floor:>10.2f}")
    print(f"verhouding jaareindeprognose / groupby-som: {yearend / floor:.1f}")
    print(f"doel: jaareindeprognose onder {TARGET_SECONDS:.0f} s: "
          f"{'gehaald' if yearend < TARGET_SECONDS else 'NIET gehaald'} "
          f"({yearend / TARGET_SECONDS:.0%} van het doel)")


if __name__ == "__main__":
    main()
