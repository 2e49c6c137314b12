"""Backtesting snapshots, provider view, referrers and trajectory costs."""

import numpy as np
import pandas as pd
import pytest

from calc.errors import InputError
from calc.prognose.backtest import (LOOK_BACK_COLUMNS, SNAPSHOT_COLUMNS, backtest,
                                    complete_snapshots, look_back, replay, snapshot)
from calc.prognose.providers import (NO_REQUEST, claim_habits, provider_export, provider_view,
                                     referrers, trajectory_costs)
from calc.prognose.yearend import year_end_forecast
from tests.factories import (T, allocation, allocations, claim_line, claim_lines,
                                           request, requests, synthetic_store)


@pytest.fixture(scope="module")
def store():
    return synthetic_store(n_clients=60, year=2025)


def test_snapshot_has_one_row_per_key_and_level(store):
    """A run stores the total and every taakveld, with its interval and level."""
    f = year_end_forecast(store["claim_lines"], store["allocations"], as_of="2025-06-01")
    snap = snapshot(f)
    assert list(snap.columns) == list(SNAPSHOT_COLUMNS)
    assert (snap["level"] == "total").sum() == 1
    assert set(snap.loc[snap["level"] == "taakveld", "key"]) == set(f.detail["taakveld"])


def test_replay_and_backtest_report_per_month(store):
    """Replaying three months gives three rows; errors shrink as the year fills."""
    snaps = replay(store["claim_lines"], store["allocations"], year=2025, months=(3, 7, 11))
    report = backtest(snaps, store["claim_lines"], level="total")
    assert report["month"].tolist() == [3, 7, 11]
    assert report["mape"].iloc[-1] <= report["mape"].iloc[0] + 1e-9
    assert report["mape"].iloc[-1] < 0.1
    assert report["coverage"].between(0, 1).all()


def test_look_back_prefers_stored_runs_and_sees_only_what_was_known(store):
    """Stored months are used as stored; others are replayed; months after ``known_at`` are
    left out; the actual is what was claimed by ``known_at``; error = forecast / actual - 1."""
    lines, allocs = store["claim_lines"], store["allocations"]
    stored = replay(lines, allocs, year=2025, months=(2,))
    stored[["forecast_euro", "lower_euro", "upper_euro"]] *= 1.5   # a stored run far off
    snaps = complete_snapshots(lines, allocs, year=2025, known_at="2025-12-01",
                               snapshots=stored, months=(2, 5, 12))
    out = look_back(snaps, lines, year=2025, known_at="2025-12-01")
    assert list(out.columns) == list(LOOK_BACK_COLUMNS)
    assert out["month"].tolist() == [2, 5, 12]
    assert out["source"].tolist() == ["opgeslagen", "nagespeeld", "nagespeeld"]
    total = stored[stored["level"] == "total"]["forecast_euro"].iloc[0]
    assert out["forecast_euro"].iloc[0] == pytest.approx(total)
    known = lines[pd.to_datetime(lines["claim_month"]) <= "2025-12-01"]
    actual = known.loc[pd.to_datetime(known["service_month"]).dt.year == 2025, "amount_euro"].sum()
    assert out["actual_euro"].tolist() == pytest.approx([actual] * 3)
    np.testing.assert_allclose(out["error"], out["forecast_euro"] / actual - 1)
    assert out["error"].iloc[0] > 0.4 and out["coverage"].iloc[0] == 0
    early = complete_snapshots(lines, allocs, year=2025, known_at="2025-04-01",
                               months=(2, 5, 12))
    assert sorted(early["as_of"].dt.month.unique()) == [2]
    assert (early["source"] == "nagespeeld").all()


def test_backtest_hand_calculation_and_missing_level():
    """Forecast 110 with interval 90..130 against an actual of 100: MAPE 10%, covered."""
    snaps = pd.DataFrame([dict(year=2025, as_of=T("2025-03-01"), level="taakveld", key="6.72d",
                               forecast_euro=110.0, lower_euro=90.0, upper_euro=130.0,
                               confidence=0.8),
                          dict(year=2025, as_of=T("2025-03-01"), level="taakveld", key="6.73c",
                               forecast_euro=50.0, lower_euro=40.0, upper_euro=60.0,
                               confidence=0.8)])
    lines = claim_lines(claim_line(service_month=T("2025-02-01"), amount_euro=100.0),
                        claim_line(service_month=T("2025-02-01"), amount_euro=100.0,
                                   product_category="43"))
    out = backtest(snaps, lines)
    assert out["mape"].iloc[0] == pytest.approx((0.10 + 0.50) / 2)
    assert out["coverage"].iloc[0] == pytest.approx(0.5)
    with pytest.raises(InputError, match="geen opgeslagen"):
        backtest(snaps, lines, level="provider")


def test_claim_habits_flag_structurally_late_provider():
    """Provider B claims three months late: median lag 3, flagged; A claims on time."""
    rows = []
    for i, m in enumerate(pd.date_range("2025-01-01", "2025-09-01", freq="MS")):
        rows.append(claim_line(provider="A", service_month=m, claim_month=m))
        rows.append(claim_line(provider="B", service_month=m,
                               claim_month=m + pd.DateOffset(months=3)))
    habits = claim_habits(claim_lines(*rows), as_of="2025-12-01").set_index("provider")
    assert habits.loc["A", "median_lag_months"] == 0 and not habits.loc["A", "structurally_late"]
    assert habits.loc["B", "median_lag_months"] == 3 and habits.loc["B", "structurally_late"]
    assert habits.loc["B", "late_share"] == pytest.approx(1.0)


def test_provider_view_and_export(store):
    """Every provider once; forecast sums to the total; rejected share from 325 lines."""
    f = year_end_forecast(store["claim_lines"], store["allocations"], as_of="2025-06-01")
    first = store["claim_lines"]["provider"].iloc[0]
    rejected = pd.DataFrame({"law": ["jw"], "provider": [first], "claim_number": ["D1"],
                             "reference_number": ["R1"], "retour_codes": ["0001"],
                             "amount_euro": [100.0]})
    view = provider_view(f, store["claim_lines"], rejected_lines=rejected)
    assert view["provider"].is_unique
    assert view["forecast_euro"].sum() == pytest.approx(f.by("total")["forecast_euro"].iloc[0])
    assert view.set_index("provider").loc[first, "rejected_share"] > 0
    export = provider_export(first, f, store["claim_lines"], view)
    assert set(export) == {"overview", "per_product", "per_month"}
    assert len(export["overview"]) == 1 and "se_euro" not in export["per_product"]
    mine = store["claim_lines"][store["claim_lines"]["provider"] == first]
    months = export["per_month"].drop(columns="service_month")
    assert months.to_numpy().sum() == pytest.approx(mine["amount_euro"].sum())
    assert export["per_product"]["forecast_euro"].sum() == pytest.approx(
        view.set_index("provider").loc[first, "forecast_euro"])


def test_referrers_link_claims_to_the_latest_request():
    """Client p1 referred by the huisarts, p2 without request: spending split accordingly."""
    lines = claim_lines(claim_line(client="p1", amount_euro=300.0),
                        claim_line(client="p2", amount_euro=200.0))
    reqs = requests(request(client="p1", referrer_type="01", request_date=T("2025-01-01")),
                    request(client="p1", referrer_type="02", request_date=T("2026-01-05")))
    out = referrers(reqs, lines, year=2026).set_index("referrer")
    assert out.loc["Huisarts", "spending_euro"] == 300.0
    assert out.loc[NO_REQUEST, "spending_euro"] == 200.0
    assert out.loc["Huisarts", "requests"] == 1


def test_referrers_carry_the_code_and_keep_an_unknown_code_apart():
    """Each row has the codelist's code beside its name; a code outside the codelist (07)
    counts its request and its spending on one row of its own (its request was counted under
    'no request' before, its spending under the bare code)."""
    lines = claim_lines(claim_line(client="p1", amount_euro=300.0),
                        claim_line(client="p2", amount_euro=200.0))
    reqs = requests(request(client="p1", referrer_type="2", request_date=T("2026-01-05")),
                    request(client="p2", referrer_type="07", request_date=T("2026-01-05")))
    out = referrers(reqs, lines, year=2026)
    assert list(out.columns[:2]) == ["referrer_type", "referrer"]
    rows = {r.referrer_type: (r.referrer, r.requests, r.spending_euro) for r in out.itertuples()}
    assert rows == {"02": ("Huisarts", 1, 300.0),
                    "07": ("code 07 (niet in de codelijst)", 1, 200.0)}


def test_trajectory_costs_median_and_p80():
    """Three closed one-month trajectories of 10, 20 and 30 hours at 10 euro: median 200."""
    allocs = allocations(*[allocation(client=f"c{i}", allocation_number=f"T{i}",
                                      start_date=T("2025-01-01"), end_date=T("2025-01-31"),
                                      volume=v, frequency="6")
                           for i, v in enumerate((10, 20, 30))])
    out = trajectory_costs(allocs, claim_lines(), as_of="2026-01-01",
                           tariffs={"45A08": 10.0}).iloc[0]
    assert out["allocations"] == 3
    assert out["planned_median_euro"] == pytest.approx(200.0)
    assert out["planned_p80_euro"] == pytest.approx(np.quantile([100, 200, 300], 0.8))
