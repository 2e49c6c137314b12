"""Year-end forecast against the synthetic municipality's ground truth, per evaluation month.

Generates (once, seeded) Gemeente Voorbeeld at ``scale`` 0.5 (``berichten.synth``, years
2023-2025), imports it, and forecasts the year end as of each month January .. September of
the year with only what was known then. Compares with ``geleverd_euro_per_jaar`` (the value of
all care delivered in the year, including claims that come after the peildatum) and says
whether it lies in the 80% interval. The peer figure is the truth itself; the ratio is
forecast / truth. Also prints the calibration factor over all product categories (``ijking``).

To avoid tuning to one year and one seed, ``--jaar`` and ``--seed`` take comma-separated
lists: every (seed, year) is a run of its own, and a summary line closes. Another seed is
generated (once) next to ``out_dir`` (``<out_dir>_seed<seed>``). 2024 has only one year of
claims before it (the replay a year earlier lacks a full window: uncalibrated).

Run: ``python benchmarks/bench_yearend_truth.py [out_dir] [scale] [--jaar 2024,2025]
[--seed 2026,7] [--zonder-ijking] [--met-afgewezen]`` (the last flag keeps the rejected claim
lines in, as before they were left out).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from calc.prognose.yearend import accepted_lines, year_end_forecast

SEED, YEAR, MONTHS = 2026, 2025, range(1, 10)


def load(out_dir: Path, scale: float, seed: int = SEED):
    from berichten.store import Store
    from grip.jobs.demo import messages_and_store
    from grip.jobs.prognose import read_tables

    if seed != SEED:
        out_dir = out_dir.with_name(f"{out_dir.name}_seed{seed}")
    data = messages_and_store(out_dir, seed=seed, scale=scale)
    with Store(data["opslag"]) as store:
        tables = read_tables(store)
    return tables, {int(y): float(v) for y, v in data["waarheid"]["geleverd_euro_per_jaar"].items()}


def _option(name: str, default: list[int]) -> list[int]:
    for i, arg in enumerate(sys.argv):
        if arg == name and i + 1 < len(sys.argv):
            return [int(v) for v in sys.argv[i + 1].split(",")]
        if arg.startswith(name + "="):
            return [int(v) for v in arg.split("=", 1)[1].split(",")]
    return default


def _factor(f) -> str:
    """The calibration factor: replayed (pooled) -> applied; from the note on older code."""
    c = getattr(f, "calibration", None)
    if c:
        return f"{c['observed']:.2f} -> {c['factor']:.2f}"
    found = [re.search(r"factor (\d+[.,]\d+)", n) for n in f.notes]
    found = [m.group(1) for m in found if m]
    return found[0] if found else "-"


def run(tables, truth: float, year: int, calibrate: bool) -> tuple[list[float], int]:
    print(f"{'peildatum':<10}{'prognose':>10}{'onder':>9}{'boven':>9}{'waarheid':>10}"
          f"{'verh.':>7}{'fout':>8}  binnen  gedecl. nagek.  rest. nieuw  ijking")
    lines = tables["claim_lines"]
    if "--met-afgewezen" not in sys.argv:     # as compute_prognose: rejected is not spent
        lines = accepted_lines(lines, tables.get("rejected_lines"))
    errors, inside = [], 0
    for m in MONTHS:
        f = year_end_forecast(lines, tables["allocations"],
                              as_of=pd.Timestamp(year=year, month=m, day=1), year=year,
                              calibrate=calibrate)
        t = f.by("total").iloc[0]
        ok = t["lower_euro"] <= truth <= t["upper_euro"]
        inside += ok
        err = t["forecast_euro"] / truth - 1
        errors.append(err)
        print(f"{year}-{m:02d}   {t['forecast_euro'] / 1e6:>10.2f}{t['lower_euro'] / 1e6:>9.2f}"
              f"{t['upper_euro'] / 1e6:>9.2f}{truth / 1e6:>10.2f}{t['forecast_euro'] / truth:>7.3f}"
              f"{err:>8.1%}  {'ja' if ok else 'NEE':<6}"
              f"{t['claimed_euro'] / 1e6:>7.2f}{t['late_euro'] / 1e6:>7.2f}"
              f"{t['remaining_euro'] / 1e6:>7.2f}{t['inflow_euro'] / 1e6:>6.2f}  {_factor(f)}")
    mape = sum(abs(e) for e in errors) / len(errors)
    print(f"MAPE {mape:.1%}; waarheid binnen het 80%-interval: {inside} van {len(errors)}")
    return errors, inside


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--") and "," not in a
            and not (sys.argv[sys.argv.index(a) - 1] in ("--jaar", "--seed"))]
    out_dir = Path(args[0] if args else "/tmp/grip_bench_yearend_truth")
    scale = float(args[1]) if len(args) > 1 else 0.5
    seeds, years = _option("--seed", [SEED]), _option("--jaar", [YEAR])
    calibrate = "--zonder-ijking" not in sys.argv
    summary = []
    for seed in seeds:
        tables, truths = load(out_dir, scale, seed)
        for year in years:
            print(f"\nsynthetische gemeente schaal {scale}, seed {seed}; werkelijk geleverd "
                  f"{year}: {truths[year] / 1e6:.2f} mln")
            errors, inside = run(tables, truths[year], year, calibrate)
            summary.append((seed, year, errors, inside))
    if len(summary) > 1:
        print("\nsamenvatting")
        all_errors = [abs(e) for _, _, errors, _ in summary for e in errors]
        for seed, year, errors, inside in summary:
            print(f"  seed {seed} jaar {year}: MAPE {sum(map(abs, errors)) / len(errors):.1%}, "
                  f"januari {errors[0]:+.1%}, binnen {inside} van {len(errors)}")
        print(f"  samen: MAPE {sum(all_errors) / len(all_errors):.1%}, binnen "
              f"{sum(s[3] for s in summary)} van {len(all_errors)}")


if __name__ == "__main__":
    main()
