"""Year-end forecast: parts add up, hand-checkable cases, taakveld mapping, interval."""

import numpy as np
import pandas as pd
import pytest

from calc.errors import InputError
from calc.prognose.commitments import commitments
from calc.prognose.yearend import taakveld_table, year_end_forecast
from tests.factories import (T, allocation, allocations, claim_line, claim_lines,
                                           synthetic_store)


def monthly_claims(lag: int, amount: float = 400.0, first="2025-01-01", last="2026-12-01",
                   as_of="2026-06-01"):
    rows = []
    for i, m in enumerate(pd.date_range(first, last, freq="MS")):
        claim = m + pd.DateOffset(months=lag)
        if claim <= T(as_of):
            rows.append(claim_line(service_month=m, claim_month=claim, amount_euro=amount,
                                   reference_number=f"R{i}", claim_number=f"D{i}"))
    return claim_lines(*rows)


ONE_ALLOCATION = allocations(allocation(start_date=T("2025-01-01"), end_date=T("2026-12-31"),
                                        volume=10, unit="04", frequency="4",
                                        valid_from=T("2024-12-15")))


def test_provider_claiming_in_the_month_itself_hand_calculation():
    """No lag: nothing late; remaining = utilisation x commitments Jul..Dec; no inflow."""
    lines = monthly_claims(lag=0)
    f = year_end_forecast(lines, ONE_ALLOCATION, as_of="2026-06-01")
    row = f.detail.iloc[0]
    tariffs = {"45A08": 60.0}
    window = commitments(ONE_ALLOCATION, window_start="2025-07-01", window_end="2026-06-30",
                         tariffs=tariffs).monthly["committed_euro"].sum()
    future = commitments(ONE_ALLOCATION, window_start="2026-07-01", window_end="2026-12-31",
                         tariffs=tariffs).monthly["committed_euro"].sum()
    u = 12 * 400.0 / window
    assert row["claimed_euro"] == pytest.approx(6 * 400.0)
    assert row["late_euro"] == pytest.approx(0.0, abs=1e-6)
    assert row["utilisation"] == pytest.approx(u)
    assert row["remaining_euro"] == pytest.approx(u * future)
    assert row["inflow_euro"] == 0
    assert row["forecast_euro"] == pytest.approx(2400 + u * future)
    assert row["taakveld"] == "6.72d" and row["theme"] == "Jeugdhulp zonder verblijf"


def test_structurally_late_provider_gets_its_last_month_completed():
    """Claims one month late: June is not claimed yet and is expected in full (400)."""
    f = year_end_forecast(monthly_claims(lag=1), ONE_ALLOCATION, as_of="2026-06-01")
    row = f.detail.iloc[0]
    assert row["claimed_euro"] == pytest.approx(5 * 400.0)
    assert row["late_euro"] == pytest.approx(400.0, rel=0.05)
    assert any("Bornhuetter-Ferguson" in n for n in f.notes)


def test_parts_add_up_and_levels_sum_to_the_total():
    """forecast = sum of the parts; every level sums to the same total; interval around it."""
    s = synthetic_store(n_clients=60)
    f = year_end_forecast(s["claim_lines"], s["allocations"], as_of="2026-05-01")
    d = f.detail
    np.testing.assert_allclose(d["forecast_euro"], d[["claimed_euro", "late_euro",
                                                      "remaining_euro", "inflow_euro"]].sum(axis=1))
    total = f.by("total")["forecast_euro"].iloc[0]
    for level in ("taakveld", "theme", "product_category", "provider"):
        assert f.by(level)["forecast_euro"].sum() == pytest.approx(total)
    assert (d["lower_euro"] <= d["forecast_euro"]).all()
    assert (d["forecast_euro"] <= d["upper_euro"]).all()
    assert (d["lower_euro"] >= d["claimed_euro"] - 1e-9).all()


def test_forecast_is_near_what_came_in_on_synthetic_data():
    """On the synthetic store the forecast in May lands within 15% of the final year total."""
    s = synthetic_store(n_clients=120)
    f = year_end_forecast(s["claim_lines"], s["allocations"], as_of="2026-05-01")
    lines = s["claim_lines"]
    actual = lines[pd.to_datetime(lines["service_month"]).dt.year == 2026]["amount_euro"].sum()
    assert f.by("total")["forecast_euro"].iloc[0] == pytest.approx(actual, rel=0.15)


def test_taakveld_override_and_theme_override():
    """A municipality maps category 45 to 6.72a and names its own theme."""
    table = taakveld_table({"45": "6.72a"}, {"6.72a": "Eigen thema"}).set_index("product_category")
    assert table.loc["45", "taakveld"] == "6.72a" and table.loc["45", "theme"] == "Eigen thema"
    assert table.loc["02", "taakveld"] == "6.71b"


def test_unknown_category_is_reported_not_dropped():
    """A category without a taakveld still counts, under 'onbekend', with a note."""
    lines = monthly_claims(lag=0)
    lines["product_category"] = "99"
    f = year_end_forecast(lines, ONE_ALLOCATION.assign(product_category="99"), as_of="2026-06-01")
    assert (f.detail["taakveld"] == "onbekend").all()
    assert any("zonder taakveld" in n for n in f.notes)


def test_bad_as_of_and_level_are_refused():
    """An evaluation month outside the year and a level of 80 are Dutch input errors."""
    lines = monthly_claims(lag=0)
    with pytest.raises(InputError, match="peildatum"):
        year_end_forecast(lines, ONE_ALLOCATION, as_of="2026-06-01", year=2024)
    with pytest.raises(InputError) as err:
        year_end_forecast(lines, ONE_ALLOCATION, level=80)
    assert err.value.argument == "level"


def test_renewed_allocations_continue_and_are_not_new_clients():
    """T1 (2025) was followed by T2 (ends September 2026): T2 continues after September with
    the observed renewal chance (1 here) and is no new client, so there is no inflow."""
    allocs = allocations(
        allocation(allocation_number="T1", start_date=T("2025-01-01"), end_date=T("2025-12-31"),
                   volume=10, frequency="4", valid_from=T("2024-12-15")),
        allocation(allocation_number="T2", start_date=T("2026-01-01"), end_date=T("2026-09-30"),
                   volume=10, frequency="4", valid_from=T("2025-12-15")))
    lines = monthly_claims(lag=0, last="2026-06-01")
    f = year_end_forecast(lines, allocs, as_of="2026-06-01")
    row = f.detail.iloc[0]
    u = row["utilisation"]
    tariffs = {"45A08": 60.0}
    jul_sep = commitments(allocs, window_start="2026-07-01", window_end="2026-12-31",
                          tariffs=tariffs).monthly["committed_euro"].sum()
    daily = 10 / (365.25 / 12) * 60.0
    assert row["inflow_euro"] == 0
    assert row["remaining_euro"] == pytest.approx(u * jul_sep + u * daily * 92)


def test_known_stop_or_known_successor_gives_no_renewal():
    """As above, but T2 was shortened to 31 July (a stop, known in June): it is not renewed;
    and with a successor T3 already allocated from October, T3's own commitments count
    instead of a renewal chance (no double count)."""
    t1 = allocation(allocation_number="T1", start_date=T("2025-01-01"),
                    end_date=T("2025-12-31"), volume=10, frequency="4",
                    valid_from=T("2024-12-15"))
    t2 = allocation(allocation_number="T2", start_date=T("2026-01-01"),
                    end_date=T("2026-09-30"), volume=10, frequency="4",
                    valid_from=T("2025-12-15"))
    lines = monthly_claims(lag=0, last="2026-06-01")
    tariffs = {"45A08": 60.0}
    daily = 10 / (365.25 / 12) * 60.0

    stopped = allocations(t1, t2, {**t2, "end_date": T("2026-07-31"),
                                   "valid_from": T("2026-06-10"), "reason_change": "01"})
    row = year_end_forecast(lines, stopped, as_of="2026-06-01").detail.iloc[0]
    assert row["remaining_euro"] == pytest.approx(row["utilisation"] * daily * 31)

    t3 = allocation(allocation_number="T3", start_date=T("2026-10-01"),
                    end_date=T("2027-09-30"), volume=10, frequency="4",
                    valid_from=T("2026-05-20"))
    succeeded = allocations(t1, t2, t3)
    row = year_end_forecast(lines, succeeded, as_of="2026-06-01").detail.iloc[0]
    jul_dec = commitments(succeeded, window_start="2026-07-01", window_end="2026-12-31",
                          tariffs=tariffs).monthly["committed_euro"].sum()
    assert row["remaining_euro"] == pytest.approx(row["utilisation"] * jul_dec)


def test_a_first_year_without_allocations_known_by_then():
    """Claims of ten months of one year only, in the month itself, and allocations known only
    after the peilmaand (an export of today): no error (an empty history once made the late
    part an object column); the two months left run at the rate of the last three (they
    counted as 0), with an interval wider than the claimed amount; the notes say why."""
    lines = monthly_claims(lag=0, first="2025-01-01", last="2025-10-01", as_of="2025-10-01")
    later = allocations(allocation(start_date=T("2025-01-01"), end_date=T("2025-12-31"),
                                   valid_from=T("2026-12-06")))
    f = year_end_forecast(lines, later, as_of="2025-10-01")
    assert f.detail["remaining_euro"].sum() == pytest.approx(2 * 400.0, rel=0.2)
    assert f.detail["forecast_euro"].sum() == pytest.approx(12 * 400.0, rel=0.05)
    assert (f.detail["upper_euro"] > f.detail["lower_euro"]).all()
    assert np.isfinite(f.detail["se_euro"]).all()
    assert any("Geen toewijzingen bekend (1 toewijzingsregels in de opslag zijn pas bekend "
               "vanaf 06-12-2026, na de peilmaand" in n for n in f.notes)
    assert any(n.startswith("Resterende maanden zonder toewijzingen: 2 maanden") for n in f.notes)


def test_claims_only_store_younger_than_one_run_rate():
    """A store of claims only that begins two months before the peilmaand (its first export):
    no error (the measured error of the rate took a three-month window of a two-month history,
    and the previous year's replays of a controller's first export raised the same), the ten
    months left run at the rate of the two months there are."""
    lines = monthly_claims(lag=0, first="2025-01-01", last="2025-02-01", as_of="2025-02-01")
    f = year_end_forecast(lines, allocations().iloc[:0], as_of="2025-02-01", calibrate=False)
    assert f.detail["remaining_euro"].sum() == pytest.approx(10 * 400.0)
    assert f.detail["forecast_euro"].sum() == pytest.approx(12 * 400.0)
    assert (f.detail["upper_euro"] > f.detail["lower_euro"]).all()
    # no allocation at all: no note on combinations 'with few commitments'
    assert not any("weinig verplichtingen" in n for n in f.notes)


def _steady_care(rise: float):
    """Ten hours a month since 2022 under one allocation, claimed a month later, the tariff
    60 x (1 + rise) ** (year - 2022): the claims up to peilmaand September 2025."""
    rows = []
    for i, m in enumerate(pd.date_range("2022-01-01", "2025-12-01", freq="MS")):
        tariff = 60.0 * (1 + rise) ** (m.year - 2022) / (1 + rise) ** 3
        claim = m + pd.DateOffset(months=1)
        if claim <= T("2025-09-01"):
            rows.append(claim_line(service_month=m, claim_month=claim, volume=10,
                                   tariff_euro=tariff, amount_euro=10 * tariff,
                                   reference_number=f"R{i}", claim_number=f"D{i}"))
    alloc = allocations(allocation(start_date=T("2022-01-01"), end_date=T("2026-12-31"),
                                   volume=10, unit="04", frequency="4",
                                   valid_from=T("2021-12-15")))
    return year_end_forecast(claim_lines(*rows), alloc, as_of="2025-09-01", calibrate=False)


def test_indexation_on_1_january_is_not_read_as_a_season():
    """The same care with a 5 % indexation every 1 January or without (this year's tariff
    the same in both): the same forecast. The seasonal index (ratio to the centred moving
    average) read the step as a season, the months before 1 January 2 % below average, and
    valued October-December so: 7.162 against 7.204 without the indexation."""
    flat = _steady_care(0.0).detail.iloc[0]
    indexed = _steady_care(0.05).detail.iloc[0]
    assert indexed["claimed_euro"] == pytest.approx(flat["claimed_euro"])
    for part in ("late_euro", "remaining_euro", "forecast_euro"):
        assert indexed[part] == pytest.approx(flat[part], rel=1e-3), part


def test_claims_only_rate_carries_the_indexation_of_1_january():
    """A store of claims only: 10 hours a month at 60 euro in 2025, at 63 from 1 January 2026
    (an indexation of 5 %), each month claimed a month later; peilmaand March 2026. The run
    rate is the mean of December, January and February: December at last year's tariff made
    it 620 instead of 630, and the ten months left came out 100 euro low (7.460 against
    12 x 630 = 7.560). Valued at this year's tariffs the forecast is exact."""
    rows = []
    for i, m in enumerate(pd.date_range("2024-01-01", "2026-12-01", freq="MS")):
        tariff = 63.0 if m.year == 2026 else 60.0
        claim = m + pd.DateOffset(months=1)
        if claim <= T("2026-03-01"):
            rows.append(claim_line(service_month=m, claim_month=claim, volume=10,
                                   tariff_euro=tariff, amount_euro=10 * tariff,
                                   reference_number=f"R{i}", claim_number=f"D{i}"))
    f = year_end_forecast(claim_lines(*rows), allocations().iloc[:0], as_of="2026-03-01",
                          calibrate=False)
    row = f.detail.iloc[0]
    assert row["claimed_euro"] == pytest.approx(2 * 630.0)
    assert row["forecast_euro"] == pytest.approx(12 * 630.0)
    assert row["lower_euro"] <= 12 * 630.0 <= row["upper_euro"]


@pytest.mark.parametrize("lag", [1, 2])
def test_claims_only_with_every_month_claimed_later_hand_calculation(lag):
    """A store of claims only, 400 a month, every month claimed ``lag`` months later; peilmaand
    June: January to June - lag are claimed, the months since (nothing or little claimed yet)
    and July to December run at 400 a month: 12 x 400. Before, the peilmaand's own month
    counted 0 and pulled the run rate down by a third (a controller's claims export of 2024-2026
    came out 11 % low at November, the truth outside the interval)."""
    lines = monthly_claims(lag=lag, first="2024-01-01", last="2026-12-01", as_of="2026-06-01")
    none = allocations().iloc[:0]
    f = year_end_forecast(lines, none, as_of="2026-06-01", calibrate=False)
    row = f.detail.iloc[0]
    assert row["claimed_euro"] == pytest.approx((6 - lag) * 400.0)
    assert row["late_euro"] == pytest.approx(lag * 400.0)
    assert row["remaining_euro"] == pytest.approx(6 * 400.0)
    assert row["forecast_euro"] == pytest.approx(12 * 400.0)
    assert row["lower_euro"] <= 12 * 400.0 <= row["upper_euro"]
    assert any("Bornhuetter-Ferguson (het tempo van de declaraties per maand)" in n
               for n in f.notes)
    calibrated = year_end_forecast(lines, none, as_of="2026-06-01")
    assert calibrated.detail["forecast_euro"].sum() == pytest.approx(12 * 400.0)
