"""The peilmaand guard: a claim month still arriving is not taken as complete without a word."""

import pandas as pd
import pytest

from calc.prognose.completeness import check_claim_month
from calc.prognose.yearend import year_end_forecast
from tests.factories import T, allocation, allocations, claim_line, claim_lines

ONE_ALLOCATION = allocations(allocation(start_date=T("2025-01-01"), end_date=T("2026-12-31"),
                                        volume=10, unit="04", frequency="4",
                                        valid_from=T("2024-12-15")))


def _claims(last="2026-06-01", last_amount=400.0, provider="11111111", quarterly=False):
    rows = []
    for i, m in enumerate(pd.date_range("2025-01-01", last, freq="MS")):
        if quarterly and m.month % 3:
            continue
        amount = (1200.0 if quarterly else 400.0) if m < T(last) else last_amount
        rows.append(claim_line(service_month=m, claim_month=m, amount_euro=amount,
                               provider=provider, reference_number=f"R{provider}{i}",
                               claim_number=f"D{provider}{i}"))
    return rows


def test_half_arrived_month_moves_the_default_peilmaand_back_and_says_so():
    """June holds a quarter of a month: without a peilmaand the forecast is May's, with a note."""
    partial = claim_lines(*_claims(last_amount=100.0))
    f = year_end_forecast(partial, ONE_ALLOCATION)
    assert f.as_of == T("2026-05-01")
    assert any(n.startswith("De declaraties over 06-2026 lijken nog niet compleet") and
               "peilmaand 05-2026" in n for n in f.notes)
    may = year_end_forecast(partial[partial["claim_month"] < T("2026-06-01")], ONE_ALLOCATION,
                            as_of="2026-05-01")
    assert f.by("total")["forecast_euro"].iloc[0] == pytest.approx(
        may.by("total")["forecast_euro"].iloc[0])


def test_a_given_incomplete_peilmaand_is_kept_with_a_warning_and_is_lower():
    partial = claim_lines(*_claims(last_amount=100.0))
    f = year_end_forecast(partial, ONE_ALLOCATION, as_of="2026-06-01")
    assert f.as_of == T("2026-06-01")
    assert any("te laag" in n for n in f.notes)
    default = year_end_forecast(partial, ONE_ALLOCATION)
    assert (f.by("total")["forecast_euro"].iloc[0]
            < default.by("total")["forecast_euro"].iloc[0])


def test_complete_month_and_batch_months_pass_without_a_note():
    full = claim_lines(*_claims())
    assert check_claim_month(full) == check_claim_month(full, "2026-06-01")
    assert check_claim_month(full).note is None
    # a quarterly provider beside a monthly one: July after the June batch is an ordinary month
    mixed = claim_lines(*_claims(last="2026-07-01"),
                        *_claims(last="2026-07-01", provider="11111112", quarterly=True))
    c = check_claim_month(mixed)
    assert c.as_of == T("2026-07-01") and c.note is None
    only_quarterly = claim_lines(*_claims(last="2026-06-01", provider="11111112",
                                          quarterly=True))
    assert check_claim_month(only_quarterly).note is None


def test_a_regular_provider_not_yet_in_makes_the_month_incomplete():
    """Two providers claim every month; one has not sent June yet: June is still arriving,
    although the month's amount (half) would pass the amount rule alone at a lower bar."""
    lines = claim_lines(*_claims(), *_claims(provider="11111112", last="2026-05-01"),
                        *_claims(provider="11111113", last="2026-06-01"))
    c = check_claim_month(lines)
    assert c.as_of == T("2026-05-01")
    assert ("1 aanbieder die elke maand declareert (samen gewoonlijk € 400) heeft over die "
            "maand nog niets gedeclareerd" in c.note)


def test_a_peilmaand_that_is_no_month_keeps_its_dutch_message():
    from calc.errors import InputError
    with pytest.raises(InputError, match="'juni' is geen maand"):
        year_end_forecast(claim_lines(*_claims()), ONE_ALLOCATION, as_of="juni")


def test_a_provider_that_stopped_is_not_awaited():
    """Provider 11111112 claimed every month until its clients moved to 11111113 on 10 May;
    June without it is complete. Without the stop it would look like a month still arriving
    (the false alarm of the month after a bankruptcy)."""
    from calc.prognose.stopped import stopped_providers

    lines = claim_lines(*_claims(), *_claims(provider="11111112", last="2026-05-01"),
                        *_claims(provider="11111113", last="2026-06-01"))
    rows = []
    for i in range(4):
        rows.append(allocation(provider="11111112", client=f"c{i}", allocation_number=f"A{i}",
                               start_date=T("2025-01-01"), end_date=T("2026-12-31"),
                               valid_from=T("2024-12-15")))
        rows.append(allocation(provider="11111113", client=f"c{i}", allocation_number=f"B{i}",
                               start_date=T("2026-05-10"), end_date=T("2026-12-31"),
                               valid_from=T("2026-05-05")))
    allocs = allocations(*rows)
    stopped = stopped_providers(allocs)
    assert stopped == {"11111112": T("2026-05-10")}
    c = check_claim_month(lines, stopped=stopped)
    assert c.as_of == T("2026-06-01") and c.note is None
    assert check_claim_month(lines).as_of == T("2026-05-01")
    f = year_end_forecast(lines, allocs, calibrate=False)
    assert f.as_of == T("2026-06-01")
    assert not any("lijken nog niet compleet" in n for n in f.notes)
