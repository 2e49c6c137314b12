"""The year-end forecast against the synthetic municipality's ground truth (issue 4).

Before the fixes the forecast counted rejected claim lines as spending and projected future
commitments as if no allocation stops early: at scale 0.5 it was 4-9% too high every month
with the truth outside the 80% interval (benchmarks/bench_yearend_truth.py). Early stops now
have a model of their own (``calc.prognose.survival``) and the calibration on earlier years
pools three replayed months. Pinned here on a small seeded set, January included: the
calibrated forecast on accepted lines is closer to the truth than the old way (rejected lines
counted, no calibration) and its interval holds the truth in at least three of the four months
(an 80% interval that always held it would be too wide: issue 17 item 3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calc.prognose.yearend import accepted_lines, year_end_forecast

MONTHS = (1, 3, 6, 9)


@pytest.fixture(scope="module")
def synthetic():
    """Gemeente Voorbeeld at scale 0,1 as the tables an import of its messages gives, made in
    memory (``synthetic_tables``: equal to the imported tables, ``tests/berichten/
    test_synth_tables.py``; writing and importing 8.000 files added nothing to this test), and
    its delivered euro of 2025 from the same ``samenvatting``."""
    from berichten.synth import synthetic_tables

    made = synthetic_tables(seed=2026, scale=0.1)
    return made.tables, float(made.summary.to_json()["geleverd_euro_per_jaar"]["2025"])


def _total(lines, allocations, month, **options):
    f = year_end_forecast(lines, allocations, as_of=pd.Timestamp(2025, month, 1), year=2025,
                          **options)
    return f.by("total").iloc[0]


def test_rejected_lines_are_not_spending(synthetic):
    tables, _ = synthetic
    lines = accepted_lines(tables["claim_lines"], tables["rejected_lines"])
    assert len(tables["claim_lines"]) - len(lines) == len(tables["rejected_lines"])


def test_forecast_is_closer_to_the_truth_and_its_interval_holds_it(synthetic):
    tables, truth = synthetic
    allocations = tables["allocations"]
    lines = accepted_lines(tables["claim_lines"], tables["rejected_lines"])
    # as compute_prognose: with the start and stop messages (waiting lists, 307 stops)
    new = [_total(lines, allocations, m, starts_stops=tables["starts_stops"]) for m in MONTHS]
    old = [_total(tables["claim_lines"], allocations, m, calibrate=False) for m in MONTHS]
    new_err = np.array([t["forecast_euro"] / truth - 1 for t in new])
    old_err = np.array([t["forecast_euro"] / truth - 1 for t in old])
    assert old_err.mean() > 0.05                        # the bias this fixes
    assert np.abs(new_err).mean() < np.abs(old_err).mean() - 0.02
    # an honest 80% interval misses now and then (issue 17 item 3: coverage near nominal,
    # measured over 90 forecasts in bench_yearend_truth.py); here at most one month of four
    assert sum(t["lower_euro"] <= truth <= t["upper_euro"] for t in new) >= 3
    # the interval widens with the model error but stays useful (within +-20%; wider than
    # before in January on this small municipality: the per-category model error, issue 17)
    assert all(t["upper_euro"] - t["lower_euro"] < 0.4 * truth for t in new)
