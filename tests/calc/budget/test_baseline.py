"""Baseline lasten: indexation by hand, per-line overrides and Dutch messages naming the cell."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.budget.baseline import baseline_lasten
from calc.budget.checks import validated
from calc.budget.years import Horizon, per_year
from calc.errors import InputError

H = Horizon(first_year=2026, n_years=4)


def test_hand_computed_indexation():
    """1 mln, 60 % wages at 4 %, prices 2 %, volume 1 %: factor 1.032 x 1.01 a year."""
    start = pd.DataFrame({"taakveld": ["6.72a"], "amount_euro": [1_000_000.0], "wage_share": [0.6]})
    out = baseline_lasten(start, H, wage_index=0.04, price_index=0.02, volume_growth=0.01)
    yearly = (1 + 0.6 * 0.04 + 0.4 * 0.02) * 1.01
    assert out.iloc[0].tolist() == pytest.approx([1e6 * yearly ** k for k in range(1, 5)])


def test_per_year_parameters_and_own_volume_growth():
    """Indices per year; a line's own volume growth overrides the general one."""
    start = pd.DataFrame({"taakveld": ["6.3", "6.73a"], "theme": ["Bijstand", "Pleegzorg"],
                          "amount_euro": [100.0, 100.0], "volume_growth": [None, 0.05]})
    out = baseline_lasten(start, H, wage_index=[0.05, 0.03, 0.02, 0.02], price_index=0.0,
                          volume_growth={2026: 0.0, 2027: 0.0, 2028: 0.01, 2029: 0.01}, wage_share=1.0)
    assert out.loc[("6.3", "Bijstand")].tolist() == pytest.approx(
        [105, 105 * 1.03, 105 * 1.03 * 1.02 * 1.01, 105 * 1.03 * 1.02 * 1.01 * 1.02 * 1.01])
    assert out.loc[("6.73a", "Pleegzorg")].tolist() == pytest.approx(
        [100 * 1.05 * 1.05, 100 * 1.05 * 1.03 * 1.05**2,
         100 * 1.05 * 1.03 * 1.02 * 1.05**3, 100 * 1.05 * 1.03 * 1.02 * 1.02 * 1.05**4])


def test_amounts_at_budget_year_level_are_not_indexed_in_the_first_year():
    """With base_year = budget year the first column is the starting amount."""
    start = pd.DataFrame({"taakveld": ["6.3"], "amount_euro": [100.0]})
    out = baseline_lasten(start, Horizon(first_year=2026, base_year=2026), wage_index=0.1,
                          price_index=0.1)
    assert out.iloc[0, 0] == 100.0 and out.iloc[0, 1] == pytest.approx(110.0)


@given(st.floats(0, 1e9), st.floats(0, 1e9), st.floats(-0.05, 0.1), st.floats(0, 1))
def test_totals_equal_the_sum_of_their_parts(a, b, index, share):
    """Property: indexing two lines separately or together gives the same total."""
    both = pd.DataFrame({"taakveld": ["6.3", "6.4"], "amount_euro": [a, b]})
    one = pd.DataFrame({"taakveld": ["6.3"], "amount_euro": [a + b]})
    kw = dict(wage_index=index, price_index=index / 2, wage_share=share)
    assert baseline_lasten(both, H, **kw).sum().tolist() == pytest.approx(
        baseline_lasten(one, H, **kw).iloc[0].tolist(), rel=1e-12, abs=1e-6)


@pytest.mark.parametrize("frame, row, column, text", [
    ({"taakveld": ["6.3", None], "amount_euro": [1.0, 2.0]}, 1, 0, "het taakveld ontbreekt"),
    ({"taakveld": ["6.72"], "amount_euro": [1.0]}, 0, 0, "sinds 2023 gesplitst"),
    ({"taakveld": ["9.9"], "amount_euro": [1.0]}, 0, 0, "geen Iv3-taakveld"),
    ({"taakveld": ["6.3"], "amount_euro": ["veel"]}, 0, 1, "bedrag 'veel' is geen getal"),
    ({"taakveld": ["6.3"], "amount_euro": [1.0], "wage_share": [1.2]}, 0, 2, "boven 100%"),
])
def test_bad_start_rows_name_the_cell(frame, row, column, text):
    """A missing or unknown taakveld, text for an amount, a share above 100 %: the cell is named."""
    with pytest.raises(InputError) as err:
        baseline_lasten(pd.DataFrame(frame), H, wage_index=0.0, price_index=0.0)
    assert (err.value.argument, err.value.row, err.value.column) == ("lasten", row, column)
    assert text in err.value.message


def test_all_problems_at_once():
    """Two bad rows give one error with both problems."""
    with pytest.raises(InputError) as err:
        baseline_lasten(pd.DataFrame({"taakveld": [None, "6.72"], "amount_euro": [1.0, 1.0]}), H,
                        wage_index=0.0, price_index=0.0)
    assert len(err.value.problems) == 2


def test_per_year_wrong_length_and_year_outside_the_horizon():
    """A list of the wrong length or a year outside the horizon is named."""
    with pytest.raises(InputError, match="verwacht 4 waarden"):
        per_year([0.1, 0.2], H, argument="loonindex")
    with pytest.raises(InputError, match="jaar 2031 ligt buiten de horizon 2026-2029"):
        per_year({2026: 0, 2027: 0, 2028: 0, 2029: 0, 2031: 0}, H, argument="loonindex")


def test_horizon_validation_is_dutch():
    """pydantic's errors come out as Dutch lines naming the field."""
    with pytest.raises(InputError, match="Horizon: basisjaar 2020 moet het begrotingsjaar"):
        validated(Horizon, {"first_year": 2026, "base_year": 2020}, argument="horizon")


def test_start_from_a_year_end_forecast_object():
    """A prognose result (an object with ``detail``) sums per taakveld and theme; other lines stay."""
    from types import SimpleNamespace

    from calc.budget.baseline import start_from_forecast

    detail = pd.DataFrame({"provider": ["a", "b", "a"], "taakveld": ["6.72a", "6.72a", "6.71a"],
                           "theme": ["Jeugdhulp zonder verblijf"] * 2 + ["Wmo huishoudelijke hulp"],
                           "forecast_euro": [100.0, 50.0, 70.0]})
    rest = pd.DataFrame({"taakveld": ["6.3"], "theme": ["Bijstand"], "amount_euro": [1000.0],
                         "wage_share": [1.0]})
    start = start_from_forecast(SimpleNamespace(detail=detail), rest)
    out = baseline_lasten(start, H, wage_index=0.0, price_index=0.0)
    assert out[2026].to_dict() == {("6.72a", "Jeugdhulp zonder verblijf"): 150.0,
                                   ("6.71a", "Wmo huishoudelijke hulp"): 70.0, ("6.3", "Bijstand"): 1000.0}
    with pytest.raises(InputError, match="geen kolommen taakveld en forecast_euro"):
        start_from_forecast(pd.DataFrame({"x": [1]}))


def test_a_percentage_typed_without_its_sign_is_refused_with_what_was_meant():
    """A loonindex of 3,5 (meant 3,5 %) multiplied the raming by 1 + 3,5 a year in silence."""
    from addin.udfs.begroting import SD_BASISRAMING

    start = pd.DataFrame({"taakveld": ["6.3"], "amount_euro": [1000.0]})
    with pytest.raises(InputError) as err:
        baseline_lasten(start, H, wage_index=3.5, price_index=0.02)
    assert err.value.argument == "loonindex" and err.value.message == (
        "350,0% per jaar is niet aannemelijk (grens 25%): bedoelt u 3,5%? Typ dan 3,5% of 0,035")
    assert SD_BASISRAMING([[1000.0]], [[0.8]], [[0.035, 3.5]], [[0.02, 0.02]], [[0.0, 0.0]]) == (
        "#INVOER: loonindex, kolom 2: 350,0% per jaar is niet aannemelijk (grens 25%): bedoelt "
        "u 3,5%? Typ dan 3,5% of 0,035")
    # a volume that may double, an index of 25%: still accepted
    assert baseline_lasten(start, H, wage_index=0.25, price_index=0.0,
                           volume_growth=1.0).iloc[0, 0] > 0
