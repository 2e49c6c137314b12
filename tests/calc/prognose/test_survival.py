"""The stop model (Kaplan-Meier per product category) and that it sees no future."""

import numpy as np
import pandas as pd
import pytest

from calc.prognose.commitments import commitments
from calc.prognose.survival import (DAYS_PER_MONTH, allocation_spells, known_versions,
                                    running_weights, stop_model)
from calc.prognose.yearend import year_end_forecast
from tests.factories import T, allocation, allocations


def spells(rows, category="A"):
    """Spells from (entry_days, exit_days, stopped) tuples."""
    return pd.DataFrame({"product_category": category,
                         "entry_days": [r[0] for r in rows], "exit_days": [r[1] for r in rows],
                         "stopped": [r[2] for r in rows]})


# exit days 20, 45, 75, 100 fall in months 0, 1, 2, 3 since the start (30.44 days a month)
FOUR = [(0, 45, True), (0, 20, True), (0, 75, False), (0, 100, True)]


def test_kaplan_meier_by_hand():
    """n = 4, 3, 2, 1 at risk; stops 1, 1, 0, 1: h = 1/4, 1/3, 0, 1; S = 3/4, 1/2, 1/2, 0."""
    m = stop_model(spells(FOUR), prior_weight=0)
    np.testing.assert_allclose(m.at_risk[0], [4, 3, 2, 1])
    np.testing.assert_allclose(m.stops[0], [1, 1, 0, 1])
    np.testing.assert_allclose(m.hazard[0], [0.25, 1 / 3, 0.0, 1.0])
    np.testing.assert_allclose(m.survival("A", 4), [1, 0.75, 0.5, 0.5, 0.0], atol=1e-9)
    assert m.tail == pytest.approx(3 / 10)          # 3 stops in 10 allocation-months
    # conditional: running after 1 month, still running after 2: S(2) / S(1)
    assert m.still_running(["A"], [1.0], [2.0])[0] == pytest.approx(0.5 / 0.75)
    # within a month the log-survival is linear: half a month in month 0 is sqrt(3/4)
    assert m.still_running(["A"], [0.0], [0.5])[0] == pytest.approx(np.sqrt(0.75))


def test_censored_spell_is_at_risk_but_no_stop():
    """The same four, with the third stopped instead of censored: month 2 gets h = 1/2."""
    censored = stop_model(spells(FOUR), prior_weight=0)
    stopped = stop_model(spells([(0, 45, True), (0, 20, True), (0, 75, True),
                                 (0, 100, True)]), prior_weight=0)
    assert censored.hazard[0, 2] == 0.0 and stopped.hazard[0, 2] == pytest.approx(0.5)
    assert censored.at_risk[0, 2] == stopped.at_risk[0, 2] == 2


def test_delayed_entry_counts_only_from_when_seen():
    """An allocation seen first after 70 days (the stock) is not at risk in months 0 and 1."""
    m = stop_model(spells([*FOUR, (70, 100, False)]), prior_weight=0)
    np.testing.assert_allclose(m.at_risk[0], [4, 3, 3, 2])
    np.testing.assert_allclose(m.hazard[0], [0.25, 1 / 3, 0.0, 0.5])


def test_small_category_is_shrunk_to_its_own_level_of_the_pool():
    """h_c = (d_c + w p_c) / (n_c + w), p_c = 1 - (1 - h_pool) ** level_c; h_pool =
    (d + w h_all) / (n + w); level_c = exp(Z b), b = log(D_c / E_c), Z = 1 - (1/D_c) / b^2."""
    big = spells([(0, 400, False)] * 90 + [(0, 10, True)] * 10, "B")
    small = spells([(0, 10, True), (0, 400, False)], "S")
    m = stop_model(pd.concat([big, small], ignore_index=True), prior_weight=30)
    n_all = m.at_risk.sum(axis=0)
    tail = 11 / n_all.sum()
    pooled0 = (11 + 30 * tail) / (102 + 30)
    assert m.pooled[0] == pytest.approx(pooled0)
    s = list(m.categories).index("S")
    b = np.log(1 / (m.at_risk[s] * m.pooled).sum())
    level = np.exp(max(0.0, 1 - 1 / b ** 2) * b)
    prior0 = 1 - (1 - pooled0) ** level
    assert m.hazard[s, 0] == pytest.approx((1 + 30 * prior0) / (2 + 30))
    # one stop in two is mostly noise: the small category's rate (1/2) is pulled far
    # towards the pool (about 1/10)
    assert 0.08 < m.hazard[s, 0] < 0.3
    # a category never seen takes the pooled hazard
    assert m.still_running(["onbekend"], [0.0], [1.0])[0] == pytest.approx(1 - m.pooled[0])


def test_short_stays_run_by_their_own_measured_duration():
    """Ten crisis placements that all end within two months, beside a hundred long
    allocations: the crisis' survival after two months is near 0, not the pool's (the old
    shrinkage to the pool per month kept 3 in 4 running)."""
    long = spells([(0, 400, False)] * 90 + [(0, 200, True)] * 10, "43")
    crisis = spells([(0, 20, True)] * 5 + [(0, 40, True)] * 5, "46")
    m = stop_model(pd.concat([long, crisis], ignore_index=True))
    assert m.survival("46", 2)[2] < 0.25
    assert m.survival("43", 2)[2] > 0.9


def test_spells_from_versions_stop_replacement_and_censoring():
    """T1 shortened (a stop), T2 shortened and followed by T3 (replaced: no stop), T4 shortened
    only after as_of (not seen: runs on), T5 reached its planned end (censored there)."""
    v = allocations(
        allocation(allocation_number="T1", client="a", start_date=T("2026-01-01"),
                   end_date=T("2026-12-31"), valid_from=T("2025-12-20")),
        allocation(allocation_number="T1", client="a", start_date=T("2026-01-01"),
                   end_date=T("2026-03-15"), valid_from=T("2026-03-20"), reason_change="01"),
        allocation(allocation_number="T2", client="b", start_date=T("2026-01-01"),
                   end_date=T("2026-12-31"), valid_from=T("2025-12-20")),
        allocation(allocation_number="T2", client="b", start_date=T("2026-01-01"),
                   end_date=T("2026-02-28"), valid_from=T("2026-02-20"), reason_change="01"),
        allocation(allocation_number="T3", client="b", start_date=T("2026-03-01"),
                   end_date=T("2026-12-31"), valid_from=T("2026-02-20")),
        allocation(allocation_number="T4", client="c", start_date=T("2026-01-01"),
                   end_date=T("2026-12-31"), valid_from=T("2025-12-20")),
        allocation(allocation_number="T4", client="c", start_date=T("2026-01-01"),
                   end_date=T("2026-04-10"), valid_from=T("2026-07-01"), reason_change="01"),
        allocation(allocation_number="T5", client="d", start_date=T("2026-01-01"),
                   end_date=T("2026-03-31"), valid_from=T("2025-12-20")))
    as_of = T("2026-05-31")
    with pytest.raises(ValueError, match="future"):
        allocation_spells(v, as_of)
    s = allocation_spells(known_versions(v, as_of), as_of).set_index("allocation_number")
    assert s.loc["T1", ["stopped", "exit_days"]].tolist() == [True, 73]   # stopped on day 73
    assert s.loc["T2", ["stopped", "exit_days"]].tolist() == [False, 58]  # replaced by T3
    assert s.loc["T4", ["stopped", "exit_days"]].tolist() == [False, 150]  # runs at as_of
    assert s.loc["T5", ["stopped", "exit_days"]].tolist() == [False, 89]  # its planned end
    assert s.loc["T3", "exit_days"] == 91 and s.loc["T3", "entry_days"] == 0
    assert (s["planned_end"] == T("2026-12-31")).sum() == 4


def test_stock_allocation_enters_when_first_seen():
    """An allocation that started before the data (first 301 a year later) enters late."""
    v = allocations(allocation(start_date=T("2025-01-01"), end_date=T("2027-12-31"),
                               valid_from=T("2026-01-02")))
    s = allocation_spells(v, T("2026-05-31"))
    assert s["entry_days"].iloc[0] == 366 and s["exit_days"].iloc[0] == 515


def test_running_weights_only_after_as_of_and_not_for_open_ended():
    """Hazard 1/10 in month 1 since the start, else 0. T1 (from 1 January) at the end of
    January (0.99 months) runs mid-February (44.5 days, 1.46 months) with chance
    0.9 ** 0.46 and from mid-March on (2.43 months) with 0.9; open-ended T2 always 1."""
    m = stop_model(spells([(0, 400, False)] * 9 + [(0, 40, True)]), prior_weight=0)
    np.testing.assert_allclose(m.hazard[0, :3], [0.0, 0.1, 0.0])
    allocs = allocations(
        allocation(allocation_number="T1", start_date=T("2026-01-01"), end_date=T("2026-12-31")),
        allocation(allocation_number="T2", client="p2", start_date=T("2026-01-01"),
                   end_date=pd.NaT))
    c = commitments(allocs, window_start="2026-01-01", window_end="2026-12-31",
                    as_of="2026-01-31", tariffs={"45A08": 60.0})
    pa = c.per_allocation.assign(product_category="A")
    w = running_weights(m, pa, c.months, T("2026-01-31"))
    assert (w[:, 0] == 1).all() and (w[1] == 1).all()
    assert w[0, 1] == pytest.approx(0.9 ** (44.5 / DAYS_PER_MONTH - 1))
    np.testing.assert_allclose(w[0, 2:], 0.9)


# --- no future: the forecast as of a month sees nothing sent later -----------------------

@pytest.fixture(scope="module")
def records():
    """Gemeente Voorbeeld, small (2023-2025, with its own stops), as record tables."""
    from berichten.synth import synthetic_tables

    return synthetic_tables(seed=5, scale=0.1).tables


def _shorten(allocs: pd.DataFrame, sent: str, share: float, seed: int = 0) -> pd.DataFrame:
    """A new 301 on ``sent`` shortening a share of the allocations running then to that day."""
    rng = np.random.default_rng(seed)
    day = T(sent)
    running = allocs[(allocs["start_date"] < day) & (allocs["end_date"] > day + pd.Timedelta(
        days=90))]
    pick = running[rng.random(len(running)) < share]
    new = pick.assign(end_date=day, valid_from=day, reason_change="01")
    return pd.concat([allocs, new], ignore_index=True)


@pytest.fixture(scope="module")
def plain_forecast(records):
    """The forecast as of 03-2025 on the records as they are (read-only; two tests compare
    with it)."""
    return year_end_forecast(records["claim_lines"], records["allocations"], as_of="2025-03-01")


def test_stops_sent_after_as_of_change_nothing(records, plain_forecast):
    """Stops sent after the evaluation month leave the forecast (and its replays) as it was;
    the same stops sent before it lower the forecast (so this test can fail)."""
    lines, allocs = records["claim_lines"], records["allocations"]
    base = plain_forecast.by("total").iloc[0]
    later = year_end_forecast(lines, _shorten(allocs, "2025-04-10", 0.3),
                              as_of="2025-03-01").by("total").iloc[0]
    pd.testing.assert_series_equal(base, later)
    before = year_end_forecast(lines, _shorten(allocs, "2025-03-10", 0.3),
                               as_of="2025-03-01").by("total").iloc[0]
    assert before["remaining_euro"] < base["remaining_euro"]


def test_replays_of_earlier_years_see_only_their_own_past(records, plain_forecast):
    """Stops sent in mid 2024 (after the replayed months 02..04-2024, before as_of 03-2025)
    change this year's forecast but not the factor of any replay."""
    lines, allocs = records["claim_lines"], records["allocations"]
    base = plain_forecast
    with_stops = year_end_forecast(lines, _shorten(allocs, "2024-06-15", 0.2),
                                   as_of="2025-03-01")
    assert base.calibration["replays"].keys() == with_stops.calibration["replays"].keys()
    assert set(base.calibration["replays"]) == {T("2024-02-01"), T("2024-03-01"),
                                                T("2024-04-01")}
    np.testing.assert_allclose(list(base.calibration["replays"].values()),
                               list(with_stops.calibration["replays"].values()))
    assert not np.isclose(base.by("total")["forecast_euro"].iloc[0],
                          with_stops.by("total")["forecast_euro"].iloc[0])


def test_early_stops_lower_the_remaining_months(records):
    """Where more allocations of the past stopped early, future commitments count for less:
    the remaining months fall, the stop hazard is visible."""
    lines, allocs = records["claim_lines"], records["allocations"]
    stopped = allocs.copy()
    for i, sent in enumerate(pd.date_range("2023-06-01", "2025-01-01", freq="3MS")):
        stopped = _shorten(stopped, str((sent + pd.Timedelta(days=14)).date()), 0.05, seed=i)
    plain = year_end_forecast(lines, allocs, as_of="2025-03-01", calibrate=False)
    stops = year_end_forecast(lines, stopped, as_of="2025-03-01", calibrate=False)
    assert stops.by("total")["remaining_euro"].iloc[0] < 0.97 * plain.by(
        "total")["remaining_euro"].iloc[0]


def test_an_unreported_stop_counts_from_the_report_delay_before_as_of():
    """Constant hazard 1/2 a month; an allocation 2 months old at ``as_of``. Stop messages
    come 0,25 month after the care ended, so it is known to run only at 1,75 months: in
    the next month (its middle at 2,5 months) it runs with 0,5 ** 0,75, not 0,5 ** 0,5."""
    from calc.prognose.survival import StopModel, running_at

    half = np.full((1, 24), 0.5)
    model = StopModel(pd.Index(["46"]), half, half[0], 0.5, half, half)
    as_of = T("2025-03-31")
    start = as_of - pd.Timedelta(days=2 * DAYS_PER_MONTH)
    pa = pd.DataFrame({"product_category": ["46"], "start": [start],
                       "end": [T("2025-12-31")], "end_estimated": [False]})
    month = pd.DatetimeIndex([T("2025-04-01")])
    def age(day):                                           # months since the start
        return (day - start) / pd.Timedelta(days=1) / DAYS_PER_MONTH

    mid = (age(T("2025-04-01")) + age(T("2025-04-30"))) / 2
    for delay in (0.0, 0.25):
        got = running_weights(model, pa, month, as_of, delay)[0, 0]
        assert got == pytest.approx(0.5 ** (mid - 2 + delay))
    assert running_at(model, ["46"], [start], as_of, [T("2025-06-01")], 0.25)[0] == \
        pytest.approx(0.5 ** (age(T("2025-06-01")) - 1.75))
