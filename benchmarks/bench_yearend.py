"""The whole year-end forecast on about one million claim lines (target: under 10 s).

The store is Gemeente Voorbeeld at ``MILLION_SCALE`` (``berichten.synth.synthetic_tables``:
the record tables an import of its messages gives, made in memory; 2023-2025, about one million
claim lines, 36 providers, 25 products), not timed. The forecast is made as of June 2025, when a
controller makes it: two and a half years of claims are known. Timed:

* Grip ``year_end_forecast`` (triangles, chain ladder + Mack, Bornhuetter-Ferguson for the
  recent months, commitments, utilisation, inflow, interval) and ``compute_prognose`` (the
  whole job: also provider view, referrers, trajectory costs, start lags, series forecast, and
  the Terugblik: once with last year's 12 forecasts replayed, as on a first run, and once
  with those replays given as stored snapshots, as on later runs);
* the floor: one pandas ``groupby(provider, product_category, service_month).sum()`` over the
  same lines, the least any forecast from these lines has to do; the ratio says how many such
  passes the whole forecast costs.

Run: ``python benchmarks/bench_yearend.py [scale]`` (default ``MILLION_SCALE``).

Measured at scale 1 (acc17c, issue 17's CPU step): acc17 had made ``year_end_forecast`` 2,47 s
(this bench, before) and ``compute_prognose`` 11,4 s. Main's checkout and acc17c side by side
in fresh processes, alternately, three rounds, on a loaded machine (load 8-10 on 2 cores;
``process_time``, best round): ``year_end_forecast`` 2,90 -> 1,99 CPU s (0,69 x),
``compute_prognose`` 11,96 -> 9,01 CPU s (0,75 x). Every figure unchanged: 11 forecasts
(scale 1 at 03 and 06-2025, three habit draws at 03/06/09) and ``compute_prognose``'s detail,
look-back and notes identical (``assert_frame_equal``, exact); the held-out benches printed
the same figures on both (blind seeds 13..24: 36 forecasts, one of them 1e-9 euro apart in the
last bit; own seeds 201..230: 90 forecasts). What it took: the calendar and batch tests share one
groupby (were a groupby per provider, twice), median tariffs of all years and of each service
year once per forecast, care starts by one factorize per key column (no MultiIndex reindex),
and ``compute_prognose`` shares the calibration's replays with the look-back.

Measured at scale 0,25 (issue 18's forecast step, 2026-12-07): the last landing ``96f9934``
and main after speedA, speedB and the lead's calendar, season, tariff-step and taakveld-table
changes, side by side in one session, alternately, two rounds each (``perf_counter``, load 2):
``year_end_forecast`` 1,75 / 2,26 -> 0,98 / 0,96 s, ``compute_prognose`` with the look-back
replayed 8,37 / 8,97 -> 4,65 / 5,45 s, with it stored 2,72 / 1,72 -> 1,51 / 1,54 s. What it
took: per forecast every column converted once (dates, month numbers, key codes), the four
commitments of a forecast on one ``AllocationBasis`` and the claim lines' tariffs on one
``TariffLines``, the allocations' versions mapped once (``calc/prognose/arrays.py``), the
calendars and the seasonal index without a pandas object per provider or category. Every
figure identical to the bit on six stores (a harness comparing every field of the results
exactly) and on thousands of random inputs against the old functions; one defect found on
the way (a claims stop after a stop message shortened another allocation) was fixed after
that, as its own change.
"""

from __future__ import annotations

import sys
import time

from berichten.synth import MILLION_SCALE, synthetic_tables
from calc.prognose.report import compute_prognose
from calc.prognose.yearend import year_end_forecast
from timing import best_of  # benchmarks/timing.py (the script's own folder)

TARGET_SECONDS = 10.0
#: The evaluation month: June of the last year (the demo's month too).
AS_OF = "2025-06-01"


def main() -> None:
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else MILLION_SCALE
    t = time.perf_counter()
    tables = synthetic_tables(scale=scale).tables
    lines, allocs = tables["claim_lines"], tables["allocations"]
    known = int((lines["claim_month"] <= AS_OF).sum())
    print(f"synthetische opslag (schaal {scale:g}): {len(lines):,} declaratieregels, waarvan "
          f"{known:,} tot de peildatum {AS_OF[:7]}; {len(allocs):,} toewijzingsversies "
          f"({time.perf_counter() - t:.1f} s, niet gemeten)")
    yearend = best_of(2, lambda: year_end_forecast(lines, allocs, as_of=AS_OF,
                                                   starts_stops=tables["starts_stops"]))[0]
    whole, first = best_of(1, lambda: compute_prognose(tables, as_of=AS_OF))
    kept = best_of(1, lambda: compute_prognose(tables, as_of=AS_OF,
                                               snapshots=first.replayed))[0]
    floor = best_of(3, lambda: lines.groupby(["provider", "product_category", "service_month"])
                    ["amount_euro"].sum())[0]
    print(f"{'meting':<58}{'seconden':>10}")
    print(f"{'Grip year_end_forecast':<58}{yearend:>10.2f}")
    print(f"{'Grip compute_prognose (hele opdracht, terugblik nagespeeld)':<58}{whole:>10.2f}")
    print(f"{'Grip compute_prognose (terugblik al bewaard)':<58}{kept:>10.2f}")
    print(f"{'pandas groupby-som (ondergrens, één pass)':<58}{floor:>10.2f}")
    print(f"verhouding jaareindeprognose / groupby-som: {yearend / floor:.1f}")
    print(f"doel: jaareindeprognose onder {TARGET_SECONDS:.0f} s: "
          f"{'gehaald' if yearend < TARGET_SECONDS else 'NIET gehaald'} "
          f"({yearend / TARGET_SECONDS:.0%} van het doel)")


if __name__ == "__main__":
    main()
