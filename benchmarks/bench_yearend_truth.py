"""Year-end forecast against the synthetic municipality's ground truth, per evaluation month.

Generates (once, seeded) Gemeente Voorbeeld at ``scale`` 0.5 (``berichten.synth``), imports
it, and forecasts year-end 2025 as of each month 2025-01 .. 2025-09 with only what was known
then. Compares with ``geleverd_euro_per_jaar`` (the value of all care delivered in 2025,
including claims that come after the peildatum) and says whether it lies in the 80% interval.
The peer figure is the truth itself; the ratio is forecast / truth.

Run: ``python benchmarks/bench_yearend_truth.py [out_dir] [scale] [--met-afgewezen]``
(the flag keeps the rejected claim lines in, as before they were left out).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from calc.prognose.yearend import accepted_lines, year_end_forecast

SEED, YEAR, MONTHS = 2026, 2025, range(1, 10)


def load(out_dir: Path, scale: float):
    from berichten.store import Store
    from grip.jobs.demo import messages_and_store
    from grip.jobs.prognose import read_tables

    data = messages_and_store(out_dir, seed=SEED, scale=scale)
    with Store(data["opslag"]) as store:
        tables = read_tables(store)
    return tables, float(data["waarheid"]["geleverd_euro_per_jaar"][str(YEAR)])


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out_dir = Path(args[0] if args else "/tmp/grip_bench_yearend_truth")
    scale = float(args[1]) if len(args) > 1 else 0.5
    tables, truth = load(out_dir, scale)
    print(f"synthetische gemeente schaal {scale}, seed {SEED}; werkelijk geleverd {YEAR}: "
          f"{truth / 1e6:.2f} mln")
    print(f"{'peildatum':<10}{'prognose':>10}{'onder':>9}{'boven':>9}{'waarheid':>10}"
          f"{'verh.':>7}{'fout':>8}  binnen  gedecl. nagek.  rest. nieuw")
    lines = tables["claim_lines"]
    if "--met-afgewezen" not in sys.argv:     # as compute_prognose: rejected is not spent
        lines = accepted_lines(lines, tables.get("rejected_lines"))
    errors, inside = [], 0
    for m in MONTHS:
        f = year_end_forecast(lines, tables["allocations"],
                              as_of=pd.Timestamp(year=YEAR, month=m, day=1), year=YEAR)
        t = f.by("total").iloc[0]
        ok = t["lower_euro"] <= truth <= t["upper_euro"]
        inside += ok
        err = t["forecast_euro"] / truth - 1
        errors.append(abs(err))
        print(f"{YEAR}-{m:02d}   {t['forecast_euro'] / 1e6:>10.2f}{t['lower_euro'] / 1e6:>9.2f}"
              f"{t['upper_euro'] / 1e6:>9.2f}{truth / 1e6:>10.2f}{t['forecast_euro'] / truth:>7.3f}"
              f"{err:>8.1%}  {'ja' if ok else 'NEE':<6}"
              f"{t['claimed_euro'] / 1e6:>7.2f}{t['late_euro'] / 1e6:>7.2f}"
              f"{t['remaining_euro'] / 1e6:>7.2f}{t['inflow_euro'] / 1e6:>6.2f}")
    print(f"MAPE {sum(errors) / len(errors):.1%}; waarheid binnen het 80%-interval: "
          f"{inside} van {len(errors)}")


if __name__ == "__main__":
    main()
