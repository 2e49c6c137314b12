"""Measures: planned result per year, structural vs one-off, indirect effects, band and chance."""

import numpy as np
import pandas as pd
import pytest

from calc.budget.chance import chance_closing
from calc.budget.measures import (BAND_ROWS, Measure, INDIRECT, LASTEN_AFTER, RESERVE, SALDO, SALDO_BEFORE,
                                  SALDO_ONE_OFF, SALDO_STRUCTURAL, SAVINGS_ONE_OFF,
                                  SAVINGS_STRUCTURAL, measure_matrix, meerjarenraming,
                                  simulate_savings)
from calc.budget.years import Horizon
from calc.errors import InputError

H = Horizon(first_year=2026, n_years=4)
YEARS = list(H.years)


def lasten(amount=1000.0):
    idx = pd.MultiIndex.from_tuples([("6.72a", "Jeugdhulp"), ("6.3", "Bijstand")],
                                    names=["taakveld", "theme"])
    return pd.DataFrame([[amount] * 4, [500.0] * 4], index=idx, columns=YEARS)


def baten(total=1400.0):
    return pd.DataFrame([[total] * 4], index=["Totaal baten"], columns=YEARS)


def measure(**kw):
    base = dict(name="m", theme="Jeugdhulp", low=0.0, most_likely=100.0, high=200.0, start_year=2026)
    return {**base, **kw}


def test_planned_rows_by_hand():
    """Gap 100 a year; structural 60 from 2027, one-off 30 in 2026, reserve 20 in 2029."""
    r = meerjarenraming(lasten(), baten(), [measure(most_likely=60, high=80, start_year=2027),
                                           measure(name="x", most_likely=30, start_year=2026,
                                                   structural=False)],
                        H, reserve_use=[0, 0, 0, 20])
    t = r.table
    assert t.loc[SALDO_BEFORE].tolist() == [-100] * 4
    assert t.loc[SAVINGS_STRUCTURAL].tolist() == [0, 60, 60, 60]
    assert t.loc[SAVINGS_ONE_OFF].tolist() == [30, 0, 0, 0]
    assert t.loc[LASTEN_AFTER].tolist() == [1470, 1440, 1440, 1440]
    assert t.loc[RESERVE].tolist() == [0, 0, 0, 20]
    assert t.loc[SALDO_STRUCTURAL].tolist() == [-100, -40, -40, -40]
    assert t.loc[SALDO_ONE_OFF].tolist() == [30, 0, 0, 20]
    assert t.loc[SALDO].tolist() == [-70, -40, -40, -20]


def test_indirect_effects_count_and_scale_with_the_saving():
    """An indirect saving of 20 on Bijstand at most likely 100 adds 20 to the plan."""
    m = measure(indirect={"Bijstand": (20.0, 20.0, 20.0, 20.0)})
    r = meerjarenraming(lasten(), baten(), [m], H)
    assert r.table.loc[INDIRECT].tolist() == [20.0] * 4
    assert r.table.loc[SALDO].tolist() == [20.0] * 4
    mm = measure_matrix([Measure(**m)], H, ["Jeugdhulp", "Bijstand"])
    np.testing.assert_allclose(mm.scale, [[1.2] * 4])


def test_chance_per_year_is_the_exact_chance_of_the_active_measures():
    """Year 2026 has measure A only, 2027 A and B: each equals chance_closing on those."""
    a = measure(low=50, most_likely=100, high=150)
    b = measure(name="b", low=0, most_likely=10, high=40, start_year=2027, chance=0.5)
    r = meerjarenraming(lasten(), baten(), [a, b], H)
    close = r.band.loc["Kans sluitend"]
    assert close[2026] == pytest.approx(chance_closing(100, [[50, 100, 150]]).probability)
    assert close[2027] == pytest.approx(
        chance_closing(100, [[50, 100, 150], [0, 10, 40, 0.5]]).probability)
    assert close[2026] == pytest.approx(0.5)


def test_band_agrees_with_the_exact_chance_and_median():
    """Monte Carlo: P50 of a symmetric saving is its mode; the share >= 0 matches the exact chance."""
    r = meerjarenraming(lasten(), baten(), [measure(low=40, most_likely=120, high=200)], H)
    assert r.band.loc["P50 saldo", 2026] == pytest.approx(20, abs=2)
    mm = measure_matrix([Measure(**measure(low=40, most_likely=120, high=200))], H, ["Jeugdhulp"])
    sims = -100 + simulate_savings(mm)
    assert (sims[:, 0] >= 0).mean() == pytest.approx(r.band.loc["Kans sluitend", 2026], abs=0.015)
    assert list(r.band.index) == list(BAND_ROWS)
    assert (r.band.loc["P10 saldo"] <= r.band.loc["P50 saldo"]).all()
    assert (r.band.loc["P50 saldo"] <= r.band.loc["P90 saldo"]).all()


def test_one_off_and_reserve_do_not_make_a_budget_structurally_closing():
    """A one-off saving closes 2026 but not structurally."""
    r = meerjarenraming(lasten(), baten(), [measure(low=150, most_likely=150, high=150,
                                                    structural=False)], H)
    assert r.band.loc["Kans sluitend", 2026] == 1.0
    assert r.band.loc["Kans structureel sluitend", 2026] == 0.0
    assert r.band.loc["Kans sluitend", 2027] == 0.0


@pytest.mark.parametrize("bad, row, column, text", [
    (measure(start_year=2031), 0, 5, "jaar 2031 ligt buiten de horizon 2026-2029"),
    (measure(theme="Onbekend"), 0, 1, "thema of taakveld 'Onbekend'"),
    (measure(low=300), 0, None, "laag (300) is groter dan hoog (200)"),
    (measure(chance=1.5), 0, 7, "realisatiekans: mag hoogstens 1 zijn"),
])
def test_bad_measures_name_the_cell(bad, row, column, text):
    """A year outside the horizon, a theme not in the baseline, low > high, a chance > 100 %."""
    with pytest.raises(InputError) as err:
        meerjarenraming(lasten(), baten(), [bad], H)
    assert (err.value.argument, err.value.row, err.value.column) == ("maatregelen", row, column)
    assert text in err.value.message
