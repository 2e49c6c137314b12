"""The council's announced change of the inflow (issue 17): on which base it counts."""

import numpy as np
import pandas as pd
import pytest

from calc.prognose.commitments import DAYS_PER_MONTH, commitments
from calc.prognose.yearend import _inflow
from tests.factories import T, allocation, allocations

#: One new client a month from April 2025 to March 2026, 4 hours a week at 60 euro, 30 days.
STARTS = pd.date_range("2025-04-01", "2026-03-01", freq="MS")
AS_OF = T("2026-03-01")
DAILY = 4 / 7 * 60.0


def _new_clients(change=None) -> float:
    allocs = allocations(*[allocation(client=f"c{i}", allocation_number=f"A{i}", start_date=m,
                                      end_date=m + pd.Timedelta(days=29),
                                      valid_from=m - pd.Timedelta(days=10))
                           for i, m in enumerate(STARTS)])
    hist = commitments(allocs, window_start=T("2025-04-01"), window_end=T("2026-03-31"),
                       as_of=T("2026-03-31"), tariffs={"45A08": 60.0}, already_current=True)
    util = pd.DataFrame({"provider": ["11111111"], "product_category": ["45"],
                         "utilisation": [1.0]})
    out = _inflow(allocs, hist, util, 1.0, AS_OF, 9, ("provider", "product_category"),
                  inflow_change=change)
    return float(out["inflow"].sum())


def test_announced_cut_from_a_later_month_counts_only_for_the_new_clients_from_then():
    """Rate 1 a month (12 in 12 months, no test of the model's own break); each client runs
    29 / 30,44 months, the last cohort (December) half a month. A cut of 40 % from July: the
    cohorts of April-June count in full, July-December at 0,6: known answer by hand."""
    typical = 29 / DAYS_PER_MONTH
    active = np.minimum(np.arange(9)[::-1] + 0.5, typical)          # April .. December
    cohort = np.array([1, 1, 1, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6])
    cost = DAILY * DAYS_PER_MONTH
    assert _new_clients() == pytest.approx(cost * active.sum(), rel=1e-9)
    assert _new_clients(("2026-07", -0.4)) == pytest.approx(cost * (active * cohort).sum(),
                                                            rel=1e-9)


def test_announced_cut_already_in_the_window_takes_the_rate_before_it_as_base():
    """A cut of half from October 2025 (inside the twelve months watched): the base is the
    rate before it (6 new clients in April-September: 1 a month), every month ahead at half,
    not the window's mean lowered again."""
    typical = 29 / DAYS_PER_MONTH
    active = np.minimum(np.arange(9)[::-1] + 0.5, typical)
    cost = DAILY * DAYS_PER_MONTH
    assert _new_clients(("2025-10", -0.5)) == pytest.approx(0.5 * cost * active.sum(),
                                                            rel=1e-9)
