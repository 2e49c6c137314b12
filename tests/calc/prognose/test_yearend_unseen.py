"""Issue 17 on unseen municipalities: a November batch beside monthly claims, a waiting list of
one product, claimed care without a start message, open-ended allocations that end some day."""

import numpy as np
import pandas as pd
import pytest

from calc.prognose.calendar import batch_providers, claim_calendars, seasonal_reported
from calc.prognose.commitments import open_running
from calc.prognose.starts import care_starts, start_model, started_share
from calc.prognose.yearend import year_end_forecast
from tests.factories import T, allocation, allocations, claim_line, claim_lines, start_stop, \
    starts_stops

MONTHLY = 10 * 60.0           # the factory's allocation: 4 hours a week; claimed 10 x 60 a month


def batch_claims(as_of: str, regular: float = 0.25) -> pd.DataFrame:
    """A quarter of each month claimed in the month, the rest in the November batch (the
    December of that year for December itself)."""
    rows = []
    for i, m in enumerate(pd.date_range("2023-01-01", as_of, freq="MS")):
        batch = T(year=m.year, month=11, day=1)
        batch = batch if m.month <= 11 else batch + pd.DateOffset(months=12)
        for k, (claim, share) in enumerate(((m, regular), (batch, 1 - regular))):
            if claim <= T(as_of):
                rows.append(claim_line(service_month=m, claim_month=claim,
                                       amount_euro=MONTHLY * share, volume=10 * share,
                                       reference_number=f"R{i}{k}", claim_number=f"D{i}{k}"))
    return claim_lines(*rows)


def test_batch_beside_monthly_claims_is_expected_in_full():
    """No calendar of six months (a quarter comes every month), yet in June of 2025 the
    forecast expects the year in full: claimed a quarter of January-June, the rest by the
    same months of 2023-2024. The triangle alone expected January-June at about a third."""
    lines = batch_claims("2025-06-01")
    a = T("2025-06-01")
    assert claim_calendars(lines, a) == {}
    assert batch_providers(lines, a) == ["11111111"]
    shares = seasonal_reported(lines, pd.date_range("2025-01-01", "2025-06-01", freq="MS"), a)
    np.testing.assert_allclose(shares, 0.25)
    allocs = allocations(allocation(start_date=T("2022-12-01"), end_date=T("2026-12-31"),
                                    volume=10, frequency="4", valid_from=T("2022-11-20")))
    f = year_end_forecast(lines, allocs, as_of="2025-06-01", calibrate=False)
    row = f.by("total").iloc[0]
    assert row["claimed_euro"] == pytest.approx(6 * MONTHLY * 0.25)
    assert row["forecast_euro"] == pytest.approx(12 * MONTHLY, rel=0.03)


def test_waiting_list_belongs_to_its_product():
    """Category 43 waits four months for every start, 45 starts at once. Pooled, two thirds
    of all start in their first month, so 43 would too; per category (shrunk to the pool with
    weight 10) 43's first-month chance is (0 + 10 x 2/3) / (10 + 10) = 1/3 and 45's
    (20 + 10 x 2/3) / (20 + 10) = 8/9; by four and a half months 43 has started."""
    rows, ss = [], []
    for i in range(30):
        cat, wait = ("43", 120) if i % 3 == 0 else ("45", 3)
        start = T("2024-01-01") + pd.Timedelta(days=10 * i)
        rows.append(allocation(client=f"c{i}", allocation_number=f"A{i}", product_category=cat,
                               start_date=start, end_date=T("2026-12-31"),
                               valid_from=start - pd.Timedelta(days=5)))
        ss.append(start_stop(client=f"c{i}", allocation_number=f"A{i}", product_category=cat,
                             date=start + pd.Timedelta(days=wait),
                             message_date=start + pd.Timedelta(days=wait + 1)))
    allocs = allocations(*rows)
    care_start, _, used = care_starts(allocs, starts_stops(*ss), T("2025-12-31"))
    model = start_model(allocs, care_start, used, T("2025-12-31"))
    share = started_share(model, ["43", "45"], np.array([1.5, 3.5, 4.5]))
    assert share[0, 0] == pytest.approx(1 / 3) and share[0, 2] == pytest.approx(1.0)
    assert share[1, 0] == pytest.approx(8 / 9)


def test_claimed_care_has_started_without_a_start_message():
    """The 305 of an old allocation lies before the messages kept; its claims show the care
    runs, so it is not on the waiting list."""
    allocs = allocations(allocation(client="old", allocation_number="OLD",
                                    start_date=T("2019-03-01"), end_date=pd.NaT),
                         allocation(client="new", allocation_number="NEW",
                                    start_date=T("2025-01-10")))
    ss = starts_stops(start_stop(client="new", allocation_number="NEW", date=T("2025-01-20"),
                                 message_date=T("2025-01-21")))
    lines = claim_lines(claim_line(client="old", allocation_number="OLD",
                                   service_month=T("2025-01-01"), claim_month=T("2025-01-01")))
    without, _, _ = care_starts(allocs, ss, T("2025-02-28"))
    start, _, _ = care_starts(allocs, ss, T("2025-02-28"), lines)
    assert np.isnat(without[0])
    assert [str(d)[:10] for d in start] == ["2025-01-01", "2025-01-20"]


def test_open_ended_allocation_counts_by_its_chance_to_run():
    """Closed allocations of the category lasted 2, 5 and 11 months; one open-ended allocation
    of 1 January runs February in full, then by the share of those durations still running:
    2/3 in March-May, 1/3 June-November, 0 in December (all were shorter than 11,5 months)."""
    a = pd.DataFrame({"product_category": "45",
                      "start_date": pd.to_datetime(["2023-01-01"] * 3 + ["2025-01-01"]),
                      "end_date": pd.to_datetime(["2023-03-02", "2023-06-01", "2023-12-01",
                                                  None])})
    months = pd.date_range("2025-01-01", "2025-12-01", freq="MS")
    p = open_running(a, as_of=T("2025-01-31"), months=months)[3]
    np.testing.assert_allclose(p, [1, 1, 2 / 3, 2 / 3, 2 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3,
                                   1 / 3, 0])
    assert (open_running(a, as_of=T("2025-01-31"), months=months)[:3] == 1).all()


def test_summer_dip_is_expected_in_the_remaining_months():
    """Claims of 600 a month, 420 in July and August (two and a half years). In June the
    rest of the year is July-December: 2 x 420 + 4 x 600, not six months at the twelve-month
    average (0,95 x 600): the year 6 x 600 + 840 + 2.400 = 6.840, not 7.020."""
    rows = []
    for i, m in enumerate(pd.date_range("2023-01-01", "2025-06-01", freq="MS")):
        amount = 420.0 if m.month in (7, 8) else 600.0
        rows.append(claim_line(service_month=m, claim_month=m, amount_euro=amount,
                               volume=amount / 60.0, reference_number=f"R{i}",
                               claim_number=f"D{i}"))
    allocs = allocations(allocation(start_date=T("2022-12-01"), end_date=T("2026-12-31"),
                                    volume=10, frequency="4", valid_from=T("2022-11-20")))
    f = year_end_forecast(claim_lines(*rows), allocs, as_of="2025-06-01", calibrate=False)
    assert f.by("total").iloc[0]["forecast_euro"] == pytest.approx(6840.0, rel=0.005)
    assert any(n.startswith("Seizoen") for n in f.notes)


def test_calibration_compares_the_forward_part_with_its_own_months():
    """2024 came to 100 a month. Each replay forecast the months after its peilmaand exactly
    but missed 50 of the late claims before it: the forward factor is 1 (the late claims'
    miss counted as the forward part's made it 1 + 50 / forward, 1,06-1,07 here)."""
    from calc.prognose.calibration import calibrate

    late = pd.DataFrame({"service_month": pd.date_range("2024-01-01", "2024-12-01", freq="MS"),
                         "product_category": "45", "ultimate": 100.0})

    def replay(m, y):
        return pd.DataFrame({"product_category": ["45"],
                             "claimed_euro": [100.0 * m.month - 50.0], "late_euro": [0.0],
                             "remaining_euro": [100.0 * (12 - m.month)],
                             "inflow_euro": [0.0]})

    k = calibrate(T("2023-01-01"), late, T("2025-03-01"), 2025, replay, [],
                  history_years=3, window_months=12)
    assert k.observed == pytest.approx(1.0)
    assert sorted(m.month for m in k.replays) == [2, 3, 4]


def _export_store():
    """An export without stop messages: two open-ended allocations of one provider that
    claims a month later; client "gone" was claimed January-June 2024 and never since, client
    "on" every month to February 2025."""
    allocs = allocations(
        allocation(client="gone", allocation_number="G", product_category="43",
                   product_code="43A11", start_date=T("2024-01-01"), end_date=pd.NaT,
                   volume=10, frequency="4", valid_from=T("2024-01-01")),
        allocation(client="on", allocation_number="O", start_date=T("2024-01-01"),
                   end_date=pd.NaT, volume=10, frequency="4", valid_from=T("2024-01-01")),
        allocation(client="short", allocation_number="S", start_date=T("2024-01-01"),
                   end_date=T("2024-02-29"), volume=10, frequency="4",
                   valid_from=T("2024-01-01")))
    rows = []
    for i, m in enumerate(pd.date_range("2024-01-01", "2025-02-01", freq="MS")):
        for client, number, cat, code in (("gone", "G", "43", "43A11"), ("on", "O", "45", "45A08")):
            if client == "gone" and m > T("2024-06-01"):
                continue
            rows.append(claim_line(client=client, allocation_number=number,
                                   product_category=cat, product_code=code, service_month=m,
                                   claim_month=m + pd.DateOffset(months=1),
                                   reference_number=f"R{client}{i}", claim_number=f"D{i}"))
    return claim_lines(*rows), allocs


def test_open_ended_allocation_not_claimed_for_longer_than_its_provider_takes_has_stopped():
    """At March 2025 the provider never took more than a month to claim: "gone" (last claim
    for June 2024) stopped at the end of June and counts nothing for the rest of 2025 (it
    ran on paper to December, beyond every known duration); "on" runs on."""
    lines, allocs = _export_store()
    f = year_end_forecast(lines, allocs, as_of="2025-03-01", calibrate=False)
    per = f.by("product_category").set_index("product_category")
    assert per.loc["43", "remaining_euro"] == 0.0
    assert per.loc["45", "remaining_euro"] > 5 * MONTHLY
    assert any(n.startswith("Zonder stopbericht: 1 toewijzingen") for n in f.notes)


def test_a_store_of_open_ended_allocations_only_is_forecast():
    """Every allocation open-ended (an export): no spell has a planned end, and the forecast
    runs (it stopped with "Could not convert object to NumPy datetime")."""
    lines, allocs = _export_store()
    f = year_end_forecast(lines, allocs[allocs["client"] != "short"], as_of="2025-03-01",
                          calibrate=False)
    assert f.by("total").iloc[0]["remaining_euro"] > 5 * MONTHLY


def test_data_begin_with_the_claims_for_the_stop_model():
    """An allocation seen "from its start" in 2022 while the claims begin in 2024 counts in
    the stop model from 2024 (the entry), and closed durations of allocations that started
    before the claims are left out of the open-ended allocations' chance to run."""
    from calc.prognose.survival import allocation_spells
    v = allocations(allocation(start_date=T("2022-01-01"), end_date=T("2024-06-30"),
                               valid_from=T("2022-01-01")))
    spells = allocation_spells(v, T("2025-03-31"), data_start=T("2024-01-01"))
    assert spells["entry_days"].iloc[0] == (T("2024-01-01") - T("2022-01-01")).days
    a = pd.DataFrame({"product_category": "45",
                      "start_date": pd.to_datetime(["2022-01-01", "2024-02-01", "2025-01-01"]),
                      "end_date": pd.to_datetime(["2024-06-30", "2024-04-30", None])})
    months = pd.date_range("2025-01-01", "2025-12-01", freq="MS")
    p = open_running(a, as_of=T("2025-01-31"), months=months, data_start=T("2024-01-01"))[2]
    assert p[3] == 0.0           # the one closed duration since 2024 is under three months
    assert open_running(a, as_of=T("2025-01-31"), months=months)[2][3] == 0.5


def _two_provider_replays(a_month: float, b_month: float):
    """2024's months after each replayed peilmaand came to ``a_month`` at provider a and
    ``b_month`` at b; every replay forecast 100 a month at each."""
    months = pd.date_range("2024-01-01", "2024-12-01", freq="MS")
    late = pd.DataFrame({"service_month": list(months) * 2, "provider": ["a"] * 12 + ["b"] * 12,
                         "product_category": "45",
                         "ultimate": [a_month] * 12 + [b_month] * 12})

    def replay(m, y):
        left = 12 - m.month
        return pd.DataFrame({"provider": ["a", "b"], "product_category": ["45", "45"],
                             "claimed_euro": [100.0 * m.month] * 2, "late_euro": [0.0] * 2,
                             "remaining_euro": [100.0 * left] * 2, "inflow_euro": [0.0] * 2})

    return late, replay


def test_calibration_does_not_carry_one_lucky_year_forward():
    """Provider a came to 200 a month, b to 60: together 1,3 x the forecast, but the two
    scatter by 0,7 around it (which clients came, not a bias both share). The three
    neighbouring replays share that outcome, so their own scatter (0) took it for a bias
    and applied 1,30 to the next year; the groups' scatter counts it as chance."""
    from calc.prognose.calibration import calibrate

    late, replay = _two_provider_replays(200.0, 60.0)
    k = calibrate(T("2023-01-01"), late, T("2025-03-01"), 2025, replay, [],
                  history_years=3, window_months=12)
    assert k.observed == pytest.approx(1.3)
    assert k.credibility == 0.0 and k.factor == 1.0


def test_calibration_keeps_a_bias_every_group_shares():
    """Both providers came to 130 a month: a bias, measured precisely; it counts (with one
    earlier year up to the weight of a bias of the prior size: 0,88)."""
    from calc.prognose.calibration import calibrate

    late, replay = _two_provider_replays(130.0, 130.0)
    k = calibrate(T("2023-01-01"), late, T("2025-03-01"), 2025, replay, [],
                  history_years=3, window_months=12)
    assert k.observed == pytest.approx(1.3)
    assert k.credibility == pytest.approx(0.0064 / (0.0064 + 0.0009))
    assert k.factor == pytest.approx(1.0 + 0.3 * k.credibility)
