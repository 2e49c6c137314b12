"""The chance that triangular savings cover a gap: hand values, Irwin-Hall, Monte Carlo."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.budget.chance import MC_DRAWS, _monte_carlo_below, chance_closing, draw_triangular
from calc.errors import InputError


@pytest.mark.parametrize("gap, savings, expected", [
    (25, [[0, 50, 100]], 1 - 25**2 / (100 * 50)),          # n = 1, left of the mode
    (75, [[0, 50, 100]], 25**2 / (100 * 50)),              # n = 1, right of the mode
    (50, [[0, 50, 100]], 0.5),
    (-1, [[0, 50, 100]], 1.0),                             # a surplus: always covered
    (101, [[0, 50, 100]], 0.0),
    (1, [[0, 0, 1], [0, 0, 1]], 1 / 6),                    # density 2(1-x): P(X+Y<1) = 5/6
    (1, [[0, 1, 1], [0, 1, 1]], 5 / 6),                    # density 2x: P(X+Y<1) = 1/6
    (2, [[0, 1, 2], [0, 1, 2]], 0.5),                      # symmetric around 2
    (25, [[0, 50, 100, 0.8]], 0.8 * 0.875),                # realisation chance 0.8
    (3, [[3, 3, 3]], 1.0),                                 # a certain saving of exactly the gap
    (3.5, [[3, 3, 3], [0, 0.5, 1]], 0.5),                  # point mass plus a triangle
])
def test_hand_computed_values(gap, savings, expected):
    """Exact answers computed by hand, including the degenerate triangles."""
    r = chance_closing(gap, savings)
    assert r.exact
    assert r.probability == pytest.approx(expected, abs=1e-12)


def irwin_hall_cdf(x, n):
    """P(U_1 + ... + U_n <= x) for independent uniforms on (0, 1)."""
    return sum((-1) ** k * math.comb(n, k) * (x - k) ** n for k in range(int(math.floor(x)) + 1)) \
        / math.factorial(n)


@pytest.mark.parametrize("n, x", [(2, 1.3), (3, 2.5), (4, 3.1), (5, 6.2)])
def test_sum_of_symmetric_triangles_is_irwin_hall(n, x):
    """Triangle (0, 1, 2) is the sum of two uniforms, so n of them give Irwin-Hall with 2n."""
    r = chance_closing(x, [[0, 1, 2]] * n)
    assert r.probability == pytest.approx(1 - irwin_hall_cdf(x, 2 * n), abs=1e-12)


def test_many_measures_fall_back_to_monte_carlo_within_the_bound():
    """Beyond the exact limit the answer is Monte Carlo and still within 0.01 of the truth."""
    n = 12  # 12 triangles (0, 1, 2) = Irwin-Hall with 24 uniforms
    r = chance_closing(12.9, [[0, 1, 2]] * n, max_exact_terms=0)
    assert not r.exact and r.error_bound < 0.01
    assert r.probability == pytest.approx(1 - irwin_hall_cdf(12.9, 2 * n), abs=0.01)


def test_same_inputs_same_answer():
    """The generator is seeded: a recalculation never changes the number."""
    table = [[0, 1, 2]] * 12
    assert chance_closing(12.5, table).probability == chance_closing(12.5, table).probability


def test_inverse_cdf_hits_the_quantiles():
    """The sampler's quantiles are the triangle's: F(25) = 0.125 for (0, 50, 100)."""
    u = np.array([0.0, 0.125, 0.5, 0.875, 1.0])
    np.testing.assert_allclose(draw_triangular(np.array(0.0), np.array(50.0), np.array(100.0), u),
                               [0, 25, 50, 75, 100])


@pytest.mark.parametrize("savings, where, text", [
    ([[5, 3, 4]], (0, 0), "laag (5) is groter dan hoog (4)"),
    ([[1, 2, 3], [1, 5, 4]], (1, 1), "waarschijnlijk (5) ligt niet tussen"),
    ([[1, 2, 3, 1.5]], (0, 3), "aandeel 150,0% ligt boven 100%"),
    ([[1, 2]], (None, None), "verwacht n rijen met 3 kolommen"),
])
def test_bad_savings_name_the_cell(savings, where, text):
    """Low > high, a mode outside, a chance above 100 %, a wrong shape: Dutch, with the cell."""
    with pytest.raises(InputError) as err:
        chance_closing(1, savings)
    assert err.value.argument == "besparingen"
    assert (err.value.row, err.value.column) == where
    assert text in err.value.message


amount = st.floats(0, 100).map(lambda x: round(x, 2))
triangles = st.tuples(amount.map(lambda x: x - 50), st.floats(0, 1), amount,
                      st.sampled_from([1.0, 1.0, 0.7, 0.3])).map(
    lambda t: (t[0], t[0] + t[1] * t[2], t[0] + t[2], t[3]))


@settings(max_examples=25, deadline=None)
@given(st.lists(triangles, min_size=1, max_size=4), st.floats(0, 1))
def test_exact_agrees_with_monte_carlo(table, where):
    """Property: the exact chance is within Monte Carlo error (< 0.01) of 200,000 draws."""
    table = np.array(table)
    lo, hi = table[:, 0].clip(max=0).sum(), table[:, 2].clip(min=0).sum()
    gap = lo + where * (hi - lo)
    exact = chance_closing(gap, table)
    assert exact.exact and 0.0 <= exact.probability <= 1.0
    mc = 1 - _monte_carlo_below(gap, table, draws=MC_DRAWS, seed=7)
    assert exact.probability == pytest.approx(mc, abs=0.01)
