"""The year-end forecast with habits: claim calendars, tariffs per period, stopped providers,
and a calibration whose shrinkage and model error are estimated from the replays."""

import pandas as pd
import pytest

from calc.prognose.calendar import claim_calendars, due_months
from calc.prognose.calibration import estimated_credibility, factor_spread
from calc.prognose.commitments import commitments
from calc.prognose.stopped import stopped_providers
from calc.prognose.yearend import period_medians, year_end_forecast
from tests.factories import T, allocation, allocations, claim_line, claim_lines

TARIFF = 60.0
ONE_ALLOCATION = allocations(allocation(start_date=T("2024-01-01"), end_date=T("2026-12-31"),
                                        volume=10, unit="04", frequency="4",
                                        valid_from=T("2023-12-15")))


def claims(calendar=None, first="2024-01-01", last="2026-12-01", as_of="2026-06-01",
           tariff=lambda m: TARIFF, volume=10):
    """One line per service month, claimed in the month itself or in the next calendar month."""
    rows = []
    for i, m in enumerate(pd.date_range(first, last, freq="MS")):
        claim = m
        if calendar:
            claim = due_months(pd.Series([m]), calendar).iloc[0]
        if claim <= T(as_of):
            t = tariff(m)
            rows.append(claim_line(service_month=m, claim_month=claim, tariff_euro=t,
                                   volume=volume, amount_euro=volume * t,
                                   reference_number=f"R{i}", claim_number=f"D{i}"))
    return claim_lines(*rows)


def test_calendar_is_learned_and_monthly_claimers_have_none():
    """A quarterly claimer gets (3, 6, 9, 12); one claiming every month gets no calendar."""
    assert claim_calendars(claims((3, 6, 9, 12)), T("2026-06-01")) == {"11111111": (3, 6, 9, 12)}
    assert claim_calendars(claims(), T("2026-06-01")) == {}


def test_december_catch_up_provider_is_expected_from_its_commitments():
    """A provider claiming the whole year in December: in June nothing of this year is
    claimed, yet the forecast expects the year in full (not 0, not the triangle's inflation)."""
    lines = claims((12,))
    f = year_end_forecast(lines, ONE_ALLOCATION, as_of="2026-06-01", calibrate=False)
    row = f.detail.iloc[0]
    assert row["claimed_euro"] == 0
    assert row["forecast_euro"] == pytest.approx(12 * 10 * TARIFF, rel=0.02)
    assert any("Declaratiekalender" in n for n in f.notes)


def test_quarterly_provider_between_its_months():
    """In May the quarterly provider has claimed January-March; April-May are expected from
    the commitments and June-December too: the year in full."""
    lines = claims((3, 6, 9, 12), as_of="2026-05-01")
    f = year_end_forecast(lines, ONE_ALLOCATION, as_of="2026-05-01", calibrate=False)
    row = f.detail.iloc[0]
    assert row["claimed_euro"] == pytest.approx(3 * 10 * TARIFF)
    assert row["forecast_euro"] == pytest.approx(12 * 10 * TARIFF, rel=0.02)


def test_indexation_values_the_rest_of_the_year_at_this_years_tariff():
    """Tariffs rise 7% each 1 January: this year's remaining months are valued at this year's
    tariff (the all-time median would be last year's), utilisation stays 1."""
    rate = {2024: 50.0, 2025: 53.5, 2026: 57.25}
    lines = claims(tariff=lambda m: rate[m.year])
    by_code, _ = period_medians(lines, 2026)
    assert by_code[("45A08", "04")] == 57.25
    f = year_end_forecast(lines, ONE_ALLOCATION, as_of="2026-06-01", calibrate=False)
    row = f.detail.iloc[0]
    assert row["utilisation"] == pytest.approx(1.0, abs=0.01)
    assert row["forecast_euro"] == pytest.approx(12 * 10 * 57.25, rel=0.01)


def test_stopped_provider_counts_no_care_after_its_stop():
    """Four clients of provider A move to B on 10 April 2026; A's allocations run on paper to
    December. Only B's months count after April (no double count)."""
    rows, lines = [], []
    for i in range(4):
        rows.append(allocation(provider="A", client=f"c{i}", allocation_number=f"A{i}",
                               start_date=T("2025-01-01"), end_date=T("2026-12-31"),
                               volume=10, frequency="4", valid_from=T("2024-12-15")))
        rows.append(allocation(provider="B", client=f"c{i}", allocation_number=f"B{i}",
                               start_date=T("2026-04-10"), end_date=T("2026-12-31"),
                               volume=10, frequency="4", valid_from=T("2026-04-05")))
        for k, m in enumerate(pd.date_range("2025-01-01", "2026-05-01", freq="MS")):
            who = "A" if m < T("2026-04-01") else "B"
            lines.append(claim_line(provider=who, client=f"c{i}", service_month=m,
                                    claim_month=m, allocation_number=f"{who}{i}",
                                    reference_number=f"R{i}-{k}", claim_number=f"D{i}-{k}",
                                    volume=10, amount_euro=600.0))
    allocs = allocations(*rows)
    assert stopped_providers(allocs) == {"A": T("2026-04-10")}
    f = year_end_forecast(claim_lines(*lines), allocs, as_of="2026-05-01", calibrate=False)
    per = f.by("provider").set_index("provider")
    assert per.loc["A", "remaining_euro"] == 0
    assert any("Gestopte aanbieder" in n for n in f.notes)
    hist = commitments(allocs, window_start="2026-06-01", window_end="2026-12-31",
                       tariffs={"45A08": TARIFF})
    assert per["remaining_euro"].sum() < 0.6 * hist.per_allocation["committed_euro"].sum()


def test_shrinkage_is_estimated_from_the_replays():
    """A factor far outside its own noise counts almost fully, one inside it not at all;
    with one earlier year no more than a bias of the prior size (0,08) against that noise
    (a noise of the prior size: one half); the spread is at least the floor and grows with
    the replays' own scatter."""
    assert estimated_credibility(1.25, 0.03, 1) > 0.85
    assert estimated_credibility(1.25, 0.08, 1) == pytest.approx(0.5)
    assert estimated_credibility(1.02, 0.08, 1) == 0.0
    assert estimated_credibility(1.10, 0.05, 2) > estimated_credibility(1.10, 0.05, 1)
    years = pd.Series([2024, 2024, 2024, 2025, 2025, 2025])
    assert factor_spread(pd.Series([1.0] * 6), years) == 0.03
    assert factor_spread(pd.Series([0.9, 0.9, 0.9, 1.1, 1.1, 1.1]), years) > 0.1
