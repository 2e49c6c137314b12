"""KPIs measured from small hand-made message tables (expected values computed by hand)."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from calc.errors import InputError
from calc.grip_level.kpis import (DEFAULT_KPIS, KpiDefinition, kpi_definitions, measure_kpis,
                                  provider_claim_lags, topic_kpi_scores)
from calc.grip_level.rubric import NO_DATA, Level
from workbooks.tables.gripniveau import KPI_TABLE_HEADER, kpi_rows

from tests.factories import allocations, claim_answers, claim_lines, rejected_lines, starts_stops

T = pd.Timestamp

# Provider A: lags 0, 1, 1, 4 months; provider B: lags 2, 6 months; one credit line (ignored for lags).
LINES = claim_lines(*[
    {"provider": "A", "service_month": T("2026-01-01"), "claim_month": T("2026-01-01"), "amount_euro": 100.0},
    {"provider": "A", "service_month": T("2026-01-01"), "claim_month": T("2026-02-01"), "amount_euro": 100.0},
    {"provider": "A", "service_month": T("2026-02-01"), "claim_month": T("2026-03-01"), "amount_euro": 200.0},
    {"provider": "A", "service_month": T("2026-01-01"), "claim_month": T("2026-05-01"), "amount_euro": 300.0},
    {"provider": "B", "service_month": T("2026-03-01"), "claim_month": T("2026-05-01"), "amount_euro": 100.0},
    {"provider": "B", "service_month": T("2025-12-01"), "claim_month": T("2026-06-01"), "amount_euro": 200.0},
    {"provider": "B", "service_month": T("2026-03-01"), "claim_month": T("2026-06-01"), "amount_euro": -100.0,
     "debit_credit": "C"},
])


def test_claim_lag_per_provider():
    """A: lags 0,1,1,4 → median 1, P90 = 1 + 0.7*3 = 3.1; B: 2,6 → median 4, P90 = 2 + 0.9*4 = 5.6."""
    table = provider_claim_lags(LINES)
    assert table["provider"].tolist() == ["B", "A"]          # worst P90 first
    assert table["lines"].tolist() == [2, 4]
    assert table["median_months"].tolist() == pytest.approx([4.0, 1.0])
    assert table["p90_months"].tolist() == pytest.approx([5.6, 3.1])


def test_overall_lag_and_late_share():
    """All six debit lags 0,1,1,2,4,6: median 1.5, P90 = 4 + 0.5*2 = 5; late (>3): 300 + 200 of 1000."""
    m = measure_kpis(claim_lines=LINES)
    assert m.by_key("vertraging_mediaan").value == pytest.approx(1.5)
    assert m.by_key("vertraging_p90").value == pytest.approx(5.0)
    assert m.by_key("laat_gedeclareerd").value == pytest.approx(0.5)


def test_rejected_share_from_answers_and_from_lines():
    """Answers: claimed 1000 + 1000, granted 950 + 1000 → 2,5 %. Lines: rejected 50 of debit 1000 → 5 %."""
    answers = claim_answers(*[{"claim_number": "1", "claimed_euro": 1000.0, "granted_euro": 950.0},
                             {"claim_number": "2", "claimed_euro": 1000.0, "granted_euro": 1000.0}])
    assert measure_kpis(claim_answers=answers).by_key("afgewezen").value == pytest.approx(0.025)
    rejected = rejected_lines(*[{"claim_number": "1", "reference_number": "r1", "amount_euro": 50.0}])
    m = measure_kpis(claim_lines=LINES, rejected_lines=rejected)
    assert m.by_key("afgewezen").value == pytest.approx(0.05)


def test_allocations_without_start_message_within_the_agreed_days():
    """Four allocations due by 1 April with 30 days: a1 start in time, a2 late, a3 none, a4 deleted → 3/4.

    a5 starts on 20 March and is not due yet; its missing start does not count.
    """
    alloc = allocations(*[
        {"allocation_number": "a1", "start_date": T("2026-01-01"), "valid_from": T("2025-12-20")},
        {"allocation_number": "a2", "start_date": T("2026-01-01"), "valid_from": T("2025-12-20")},
        {"allocation_number": "a3", "start_date": T("2026-02-01"), "valid_from": T("2026-01-15")},
        {"allocation_number": "a4", "start_date": T("2026-01-10"), "valid_from": T("2026-01-20")},
        {"allocation_number": "a5", "start_date": T("2026-03-20"), "valid_from": T("2026-03-01")},
    ])
    ss = starts_stops(*[
        {"allocation_number": "a1", "message_date": T("2026-01-25")},
        {"allocation_number": "a2", "message_date": T("2026-02-15")},
        {"allocation_number": "a4", "message_date": T("2026-01-25")},
        {"allocation_number": "a4", "message_date": T("2026-02-01"), "status": 3},
        {"allocation_number": "a1", "message_date": T("2026-03-01"), "kind": "stop"},
    ])
    m = measure_kpis(allocations=alloc, starts_stops=ss, as_of="2026-04-01", start_days=30)
    assert m.by_key("zonder_start").value == pytest.approx(0.75)
    # a4's reference is its allocation day 20 January (after its start date): deadline 19 February
    m = measure_kpis(allocations=alloc, starts_stops=ss, as_of="2026-02-19", start_days=30)
    assert m.by_key("zonder_start").value == pytest.approx(2 / 3)   # a1 on time; a2, a4 not


def test_allocations_from_an_export_without_any_start_message_are_not_a_measurement():
    """A store whose allocations came from the municipality's own export holds no 305 at all:
    'Toewijzingen zonder tijdig startbericht' read 100% and 'ernstig' (my claims and allocations
    export); that is data not read in, not every provider failing. No level, and the reason."""
    alloc = allocations(*[{"allocation_number": f"a{i}", "start_date": T("2026-01-01"),
                           "valid_from": T("2025-12-20")} for i in range(30)])
    only_stops = starts_stops(*[{"allocation_number": "a1", "message_date": T("2026-02-01"),
                                 "kind": "stop"}])
    for ss in (None, only_stops):
        r = measure_kpis(allocations=alloc, starts_stops=ss, as_of="2026-04-01").by_key(
            "zonder_start")
        assert not r.has_data and r.level is None
        assert r.note == ("geen startberichten (305) in de opslag, wel toewijzingen: lees de "
                          "305-berichten in om dit te meten")
    one = starts_stops(*[{"allocation_number": "a1", "message_date": T("2026-01-10")}])
    r = measure_kpis(allocations=alloc, starts_stops=one, as_of="2026-04-01").by_key("zonder_start")
    assert r.value == pytest.approx(29 / 30) and r.level is not None


def test_forecast_error_and_outside_messages():
    """Backtest 2025: forecast 1.060.000 vs actual 1.000.000 → 6 %; ledger 1250 vs net claimed 900 → 28 %."""
    backtest = pd.DataFrame({"year": [2024, 2025, 2025], "forecast_euro": [5.0, 600_000.0, 460_000.0],
                             "actual_euro": [1.0, 550_000.0, 450_000.0]})
    m = measure_kpis(claim_lines=LINES, backtest=backtest, ledger_total_euro=1250.0)
    assert m.by_key("prognosefout").value == pytest.approx(0.06)
    assert m.by_key("buiten_berichten").value == pytest.approx(350 / 1250)
    assert m.by_key("prognosefout").level is Level.WAAKZAAM
    assert m.by_key("buiten_berichten").level is Level.ERNSTIG


def test_no_data_shows_geen_gegevens_and_no_level():
    """Nothing handed over: every KPI is 'geen gegevens' with a reason, no score, no level."""
    m = measure_kpis()
    assert all(not r.has_data and r.level is None and math.isnan(r.score) for r in m.results)
    rows = kpi_rows(m.results)
    assert len(rows[0]) == len(KPI_TABLE_HEADER)
    assert all(row[3] == NO_DATA and row[5] == NO_DATA and row[6] is None and row[9] for row in rows)
    assert np.isnan(topic_kpi_scores(m.results)).all()


def test_kpi_scores_map_to_their_topics():
    """Topic 7 gets the mean of median-lag and P90 scores; topics without KPIs stay empty.
    (Six lines: the minimum number of records is lowered to test the scoring itself.)"""
    m = measure_kpis(claim_lines=LINES, min_records=1)
    scores = m.topic_scores()
    # median 1.5 → between 1 (70) and 2 (40): 55; P90 5.0 → between 3 (70) and 6 (40): 50
    assert scores[6] == pytest.approx((55.0 + 50.0) / 2)
    assert math.isnan(scores[0]) and math.isnan(scores[1])
    assert scores[4] == pytest.approx(0.0)          # 50 % late ≥ worst 30 % → 0


def test_missing_columns_are_named():
    """A table without the contract's columns is refused, naming them."""
    with pytest.raises(InputError, match="kolommen ontbreken: .*claim_month") as info:
        measure_kpis(claim_lines=LINES.drop(columns=["claim_month"]))
    assert info.value.argument == "declaratieregels"


def test_unordered_thresholds_are_refused():
    """A KPI whose thresholds do not rise is refused in Dutch."""
    with pytest.raises(ValueError, match="de grenzen moeten oplopen"):
        KpiDefinition(key="x", name="x", topic=1, unit="%", in_controle_to=0.2,
                      ernstig_from=0.1, worst=0.3)


@given(st.sampled_from(DEFAULT_KPIS), st.floats(0, 1), st.floats(0, 1))
def test_a_better_kpi_value_never_scores_lower(d, a, b):
    """Lower is better: the smaller value has the higher (or equal) score and level."""
    lo, hi = sorted((a, b))
    assert d.score(lo) >= d.score(hi)


def test_kpi_rows_carry_topic_number_level_and_score():
    """A measured KPI row: name, topic number and name, value, unit, level, score, no note."""
    row = kpi_rows(measure_kpis(claim_lines=LINES, min_records=1).results)[4]
    assert row[:7] == ["Aandeel bedrag meer dan 3 maanden laat gedeclareerd", 5.0, "Contractmanagement",
                       0.5, "%", "ernstig", 0.0]


@pytest.mark.parametrize("months, mapes, expected", [
    ([3, 6, 9], [0.12, 0.07, 0.03], 0.07),      # June's forecast
    ([3, 5, 9], [0.12, 0.08, 0.03], 0.08),      # latest before June
    ([9, 12], [0.05, 0.01], 0.05),              # none before June: the first one
])
def test_forecast_error_from_the_prognose_backtest(months, mapes, expected):
    """The backtest of the prognose (per evaluation month a MAPE) gives the June forecast's error."""
    bt = pd.DataFrame({"as_of": pd.NaT, "month": months, "mape": mapes})
    assert measure_kpis(backtest=bt).by_key("prognosefout").value == pytest.approx(expected)


def test_backtest_without_known_columns_is_refused():
    """A table that is neither the backtest nor year/forecast/actual names the missing column."""
    with pytest.raises(InputError, match="kolom year of jaar ontbreekt"):
        measure_kpis(backtest=pd.DataFrame({"x": [1]}))


def test_a_municipality_sets_its_own_kpi_thresholds():
    """Stricter limits for rejections: 2,5 % is then ernstig instead of waakzaam."""
    answers = claim_answers(*[{"claim_number": "1", "claimed_euro": 1000.0, "granted_euro": 975.0}])
    strict = kpi_definitions({"afgewezen": {"in_controle_tot": 0.005, "ernstig_vanaf": 0.02}})
    one = {"claim_answers": answers, "min_records": 1}  # one answer: the scoring itself
    assert measure_kpis(**one).by_key("afgewezen").level is Level.WAAKZAAM
    assert measure_kpis(**one, definitions=strict).by_key("afgewezen").level is Level.ERNSTIG
    row = kpi_rows(measure_kpis(**one, definitions=strict).results)[0]
    assert row[7:9] == [0.005, 0.02]


def test_bad_kpi_overrides_are_all_reported():
    """An unknown KPI and an unknown field are reported together in Dutch."""
    with pytest.raises(InputError, match="onbekende KPI: wachttijd") as info:
        kpi_definitions({"wachttijd": {}, "afgewezen": {"grens": 1}})
    assert len(info.value.problems) == 2


def test_kpis_on_too_few_records_say_so_instead_of_a_level():
    """Five claim lines give no level of grip: 'te weinig gegevens (n=5)' (issue 13)."""
    from calc.grip_level.kpis import MIN_RECORDS
    lines = claim_lines(*[dict(service_month=pd.Timestamp("2025-01-01"), claim_month=pd.Timestamp(m),
                               amount_euro=100.0, provider="12345678")
                          for m in ["2025-02-01"] * 4 + ["2025-09-01"]])
    m = measure_kpis(lines)
    for key in ("vertraging_mediaan", "vertraging_p90", "laat_gedeclareerd"):
        r = m.by_key(key)
        assert r.level is None and math.isnan(r.score) and r.n == 5 < MIN_RECORDS
        assert r.no_data_text == "te weinig gegevens (n=5)"
    assert m.by_key("laat_gedeclareerd").value == pytest.approx(0.2)  # the value is exact
    assert m.by_key("afgewezen").no_data_text == NO_DATA  # no answers at all: no data
    rows = {row[0]: row for row in kpi_rows(m.results)}
    late = rows[m.by_key("laat_gedeclareerd").definition.name]
    assert late[3] == pytest.approx(0.2) and late[5] == "te weinig gegevens (n=5)"
    assert late[6] is None
    assert np.isnan(m.topic_scores()).all()
    enough = measure_kpis(pd.concat([lines] * 4, ignore_index=True))
    assert enough.by_key("laat_gedeclareerd").level is not None
