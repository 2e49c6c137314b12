"""Commitments from allocations, utilisation and start lags (hand-calculated values)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from calc.errors import InputError
from calc.prognose.commitments import (AllocationBasis, commitments, current_allocations,
                                       median_tariffs, start_lags, utilisation)
from tests.factories import (T, allocation, allocations, claim_line,
                                           claim_lines, start_stop, starts_stops)

YEAR = dict(window_start="2026-01-01", window_end="2026-12-31")


@pytest.mark.parametrize("frequency, volume, expected", [
    ("1", 2, 2 * 31 * 50.0),              # 2 hours a day in January
    ("2", 7, 7 * 31 / 7 * 50.0),           # 7 hours a week
    ("4", 10, 10 * 31 / (365.25 / 12) * 50.0),  # 10 hours a month
    ("6", 62, 62 * 50.0),                  # 62 hours in total, all within the validity
])
def test_frequency_codes_give_hand_calculated_euro(frequency, volume, expected):
    """Per day, week, month and total: units in the window x tariff."""
    a = allocations(allocation(start_date=T("2026-01-01"), end_date=T("2026-01-31"),
                               frequency=frequency, volume=volume))
    c = commitments(a, **YEAR, tariffs={"45A08": 50.0})
    assert c.per_allocation["committed_euro"].iloc[0] == pytest.approx(expected)
    assert c.monthly["committed_euro"].sum() == pytest.approx(expected)


def test_window_clips_the_validity_and_total_is_pro_rata():
    """A total volume over two months, window of one month: half the volume (by days)."""
    a = allocations(allocation(start_date=T("2025-12-01"), end_date=T("2026-01-31"),
                               frequency="6", volume=62))
    c = commitments(a, **YEAR, tariffs={"45A08": 10.0})
    assert c.per_allocation["committed_euro"].iloc[0] == pytest.approx(620 * 31 / 62)
    assert list(c.monthly["month"]) == [T("2026-01-01")]


def test_budget_allocation_is_pro_rata_over_its_validity():
    """Budget of 3650 euro over 365 days, 31 of them in the window."""
    a = allocations(allocation(start_date=T("2025-07-01"), end_date=T("2026-06-30"),
                               volume=None, unit=None, frequency=None, budget_euro=3650.0))
    c = commitments(a, window_start="2026-01-01", window_end="2026-01-31")
    assert c.per_allocation["committed_euro"].iloc[0] == pytest.approx(3650 * 31 / 365)


def test_tariff_from_median_claim_lines_and_time_unit_conversion():
    """No contract tariff: median of the claim lines; a per-minute tariff serves an hour allocation."""
    lines = claim_lines(claim_line(tariff_euro=1.0, unit="01"),
                        claim_line(tariff_euro=2.0, unit="01"),
                        claim_line(tariff_euro=3.0, unit="01"))
    a = allocations(allocation(start_date=T("2026-01-01"), end_date=T("2026-01-01"),
                               frequency="1", volume=1, unit="04"))
    c = commitments(a, **YEAR, claim_lines=lines)
    assert c.per_allocation["tariff_euro"].iloc[0] == pytest.approx(120.0)
    assert c.per_allocation["committed_euro"].iloc[0] == pytest.approx(120.0)


def test_missing_tariff_is_noted_not_silently_zero():
    """An allocation of a product nobody claimed: zero euro and a Dutch note."""
    a = allocations(allocation())
    c = commitments(a, **YEAR, claim_lines=claim_lines())
    assert c.per_allocation["committed_euro"].iloc[0] == 0
    assert any("tarief" in n for n in c.notes)


def test_open_ended_gets_conditional_median_duration():
    """Closed allocations of 31, 59 and 90 days; an open one running 40 days expects 59 or 90 -> median 74.5."""
    closed = [allocation(client=f"c{i}", allocation_number=f"T{i}",
                         start_date=T("2025-01-01"), end_date=T("2025-01-01") + pd.Timedelta(days=d))
              for i, d in enumerate((31, 59, 90))]
    open_ = allocation(client="o", allocation_number="O", start_date=T("2025-11-22"),
                       end_date=pd.NaT)
    c = commitments(allocations(*closed, open_), **YEAR, as_of=T("2026-01-01"),
                    tariffs={"45A08": 1.0})
    row = c.per_allocation.set_index("allocation_number").loc["O"]
    assert row["end_estimated"]
    assert row["end"] == T("2025-11-22") + pd.Timedelta(days=74)  # normalised to the day
    assert any("einddatum" in n for n in c.notes)


def test_one_basis_serves_several_windows_and_medians():
    """The forecast's four commitments share one basis: each equals a commitment of its own
    (window, medians, open-ended until December), also when the medians change in between."""
    a = allocations(
        allocation(client="v", allocation_number="V", start_date=T("2025-11-01"),
                   end_date=T("2026-03-31"), volume=4, unit="04", frequency="2"),
        allocation(client="o", allocation_number="O", start_date=T("2025-12-10"),
                   end_date=pd.NaT, volume=3, unit="01", frequency="1"),
        allocation(client="b", allocation_number="B", start_date=T("2025-07-01"),
                   end_date=T("2026-06-30"), volume=None, unit=None, frequency=None,
                   budget_euro=3650.0))
    now, then = ({("45A08", "04"): 60.0}, {}), ({("45A08", "01"): 0.5}, {})
    basis = AllocationBasis.of(a, as_of=T("2026-02-28"))
    for w0, w1, medians, until in [("2025-03-01", "2026-02-28", now, None),
                                   ("2025-03-01", "2026-02-28", then, None),
                                   ("2026-01-01", "2026-12-31", now, "2026-12-31")]:
        shared = basis.commitments(w0, w1, medians=medians, open_until=until)
        alone = commitments(a, window_start=w0, window_end=w1, as_of=T("2026-02-28"),
                            medians=medians, open_until=until)
        pd.testing.assert_frame_equal(shared.per_allocation, alone.per_allocation,
                                      check_exact=True)
        np.testing.assert_array_equal(shared.euro, alone.euro)
        assert shared.notes == alone.notes
    assert shared.per_allocation["committed_euro"].gt(0).all()


def test_median_tariffs_leave_out_credits_missing_keys_and_non_numbers():
    """Credit lines, a tariff that is no number and lines without code or unit do not count;
    units are codes ('4' and 4.0 are '04'), codes are text (7 is '7')."""
    lines = pd.DataFrame({"product_code": ["45A01", None, "45A01", "45A02", "45A02", 7],
                          "product_category": ["45", "45", None, "45", "45", "46"],
                          "unit": ["04", "4", 4.0, None, "01", 1],
                          "tariff_euro": [60.0, 70.0, "90", 1.0, "x", 2],
                          "debit_credit": ["D", "D", None, "D", "D", "D"]})
    assert median_tariffs(lines) == ({("45A01", "04"): 75.0, ("7", "01"): 2.0},
                                     {("45", "04"): 65.0, ("46", "01"): 2.0})


def test_latest_version_of_an_allocation_counts():
    """Two 301 versions of one allocation: the last one (shortened) is the commitment."""
    a = allocations(allocation(valid_from=T("2025-12-01"), end_date=T("2026-12-31")),
                    allocation(valid_from=T("2026-02-01"), end_date=T("2026-01-31")))
    assert len(current_allocations(a)) == 1
    c = commitments(a, **YEAR, tariffs={"45A08": 1.0})
    assert c.monthly["month"].max() == T("2026-01-01")


def test_reversed_window_is_refused():
    """An end before the start is a Dutch input error."""
    with pytest.raises(InputError, match="voor het begin"):
        commitments(allocations(allocation()), window_start="2026-12-01",
                    window_end="2026-01-01")


def test_missing_columns_are_named():
    """A table without the contract's columns is refused, naming them."""
    with pytest.raises(InputError, match="kolommen ontbreken"):
        commitments(pd.DataFrame({"provider": []}), **YEAR)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 400), st.integers(1, 400), st.floats(0.5, 40), st.sampled_from("1246"))
def test_monthly_sums_to_window_total_and_scales(offset, length, volume, frequency):
    """Months add up to the allocation total; doubling the volume doubles the euro."""
    start = T("2025-10-01") + pd.Timedelta(days=offset)
    a = allocations(allocation(start_date=start, end_date=start + pd.Timedelta(days=length),
                               volume=volume, frequency=frequency))
    one = commitments(a, **YEAR, tariffs={"45A08": 3.0})
    a2 = a.assign(volume=2 * volume)
    two = commitments(a2, **YEAR, tariffs={"45A08": 3.0})
    total = one.per_allocation["committed_euro"].sum()
    assert one.monthly["committed_euro"].sum() == pytest.approx(total)
    assert two.per_allocation["committed_euro"].sum() == pytest.approx(2 * total)


def test_utilisation_is_declared_over_committed():
    """Committed 4 h/week x 60 = 240/week; claimed 600 for January -> 600 / (240 x 31/7)."""
    a = allocations(allocation())
    lines = claim_lines(claim_line(amount_euro=600.0),
                        claim_line(amount_euro=-100.0, debit_credit="C"))
    u = utilisation(lines, a, window_start="2026-01-01", window_end="2026-01-31")
    row = u.iloc[0]
    assert row["committed_euro"] == pytest.approx(240 * 31 / 7)
    assert row["utilisation"] == pytest.approx(500 / (240 * 31 / 7))


def test_start_lags_and_never_started():
    """One started after 14 days, one never started (over 60 days), one too recent to judge."""
    a = allocations(allocation(),
                    allocation(client="p2", allocation_number="T2"),
                    allocation(client="p3", allocation_number="T3",
                               start_date=T("2026-03-20")))
    ss = starts_stops(start_stop(), start_stop(client="p2", allocation_number="T2",
                                               status="3"))
    out = start_lags(a, ss, as_of="2026-04-01").iloc[0]
    assert out["allocations"] == 3
    assert out["started"] == 1
    assert out["never_started"] == 1
    assert out["median_start_lag_days"] == 14
    assert np.isclose(out["never_started_share"], 1 / 3)


def test_allocation_without_start_date_is_noted_and_left_out():
    """A missing Ingangsdatum: zero euro (not NaN) and a Dutch note."""
    a = allocations(allocation(), allocation(client="p2", allocation_number="T2",
                                             start_date=pd.NaT))
    c = commitments(a, **YEAR, tariffs={"45A08": 10.0})
    assert np.isfinite(c.per_allocation["committed_euro"]).all()
    assert c.per_allocation.set_index("allocation_number").loc["T2", "committed_euro"] == 0
    assert any("ingangsdatum" in n for n in c.notes)
