"""Backtest of the year-end forecast on a synthetic berichtenverkeer whose year is complete.

Data: Gemeente Voorbeeld (``berichten.synth.synthetic_tables``, seed 11, scale 0.5: the record
tables an import of its messages gives, 2023-2025); the year judged is 2024, whose claims are
all in by the end of 2025 (the latest habit claims six months late, corrections follow within
three months). Rejected lines (325) are left out of both the forecast and the actuals, as
``compute_prognose`` does: a rejected line is not spent, and its resubmission is a new line.

For each month of the year the forecast is replayed with only what was known then (claims up to
that claim month, allocations sent by then) and compared per taakveld with what came in.
Peer: the controller's spreadsheet habit, the run rate ("claimed so far for the months past,
scaled to twelve months"), on the same data. Printed per evaluation month: MAPE over the
taakvelden for both, and the coverage of Grip's 80% interval.

Run: ``python benchmarks/bench_backtest.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from berichten.synth import synthetic_tables
from calc.prognose.backtest import actuals, backtest, replay
from calc.prognose.yearend import accepted_lines, taakveld_table

YEAR = 2024
SEED, SCALE = 11, 0.5


def run_rate(lines: pd.DataFrame, month: int) -> pd.Series:
    """Claimed so far (claims up to ``month``) for service months 1..month, times 12 / month."""
    as_of = pd.Timestamp(year=YEAR, month=month, day=1)
    known = lines[(pd.to_datetime(lines["claim_month"]) <= as_of)
                  & (pd.to_datetime(lines["service_month"]).dt.year == YEAR)]
    table = taakveld_table().set_index("product_category")["taakveld"]
    key = known["product_category"].astype(str).map(table).fillna("onbekend")
    return known.groupby(key)["amount_euro"].sum() * 12 / month


def main() -> None:
    tables = synthetic_tables(seed=SEED, scale=SCALE, first_year=YEAR - 1, years=3).tables
    # what was spent: lines the municipality rejected (325) are left out, as compute_prognose does
    lines = accepted_lines(tables["claim_lines"], tables["rejected_lines"])
    allocs = tables["allocations"]
    print(f"synthetische opslag: {len(lines):,} declaratieregels (zonder afgewezen); "
          f"jaar {YEAR} is compleet")
    snaps = replay(lines, allocs, year=YEAR, months=range(1, 13), levels=("taakveld",))
    ours = backtest(snaps, lines, level="taakveld", year=YEAR)
    truth = actuals(lines, YEAR, "taakveld")
    print(f"{'peilmaand':<10}{'MAPE Grip':>12}{'MAPE run rate':>16}{'dekking 80%':>14}")
    for _, r in ours.iterrows():
        rr = run_rate(lines, int(r["month"])).reindex(truth.index).fillna(0.0)
        ok = truth != 0
        mape_rr = float(np.mean(np.abs(rr[ok] - truth[ok]) / np.abs(truth[ok])))
        print(f"{int(r['month']):<10}{r['mape']:>12.1%}{mape_rr:>16.1%}{r['coverage']:>14.0%}")
    print(f"gemiddeld: MAPE Grip {ours['mape'].mean():.1%}, dekking {ours['coverage'].mean():.0%}")


if __name__ == "__main__":
    main()
