"""Paths through time: convergence to the total effect, lags, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from calc.cross_effects import effect_path, load_model, total_effect, years_to_converge
from calc.errors import InputError, ModelError

MILLER_BLAIR = [[0.15, 0.25], [0.20, 0.05]]


def test_all_lags_one_is_the_partial_sum():
    """With every lag 1: x_1 = s, x_2 = s + A s, x_3 = s + A s + A^2 s."""
    a, s = np.array(MILLER_BLAIR), np.array([600.0, 1500.0])
    path = effect_path(a, s, 3)
    np.testing.assert_allclose(path[:, 0], s)
    np.testing.assert_allclose(path[:, 1], s + a @ s)
    np.testing.assert_allclose(path[:, 2], s + a @ s + a @ a @ s)


def test_path_converges_to_the_total_effect():
    """Miller & Blair (2009) 2.3: the path tends to (1247.52, 1841.58)."""
    path = effect_path(MILLER_BLAIR, [600, 1500], 60)
    np.testing.assert_allclose(path[:, -1], total_effect(MILLER_BLAIR, [600, 1500]), rtol=1e-12)
    np.testing.assert_allclose(path[:, -1].round(2), [1247.52, 1841.58])


@settings(max_examples=40, deadline=None)
@given(arrays(float, (4, 4), elements=st.floats(-1, 1)), arrays(float, 4, elements=st.floats(-1e6, 1e6)),
       arrays(int, (4, 4), elements=st.integers(1, 3)))
def test_any_lags_converge_to_the_total_effect(a, s, lags):
    """Whatever the lags (1 to 3 years), a stable structural path ends at (I - A)^-1 s."""
    rho = np.max(np.abs(np.linalg.eigvals(np.abs(a))))
    a = a * (0.6 / rho) if rho > 0.6 else a      # |A| below 1: stable with any lags
    path = effect_path(a, s, 200, lags)
    np.testing.assert_allclose(path[:, -1], total_effect(a, s), rtol=1e-7, atol=1e-6)


def test_lag_zero_acts_in_the_same_year():
    """A lag-0 link is solved within the year: x_1 = (I - A_0)^-1 s."""
    a = np.array([[0.0, 0.5], [0.0, 0.0]])
    path = effect_path(a, [0.0, 100.0], 2, [[1, 0], [1, 1]])
    np.testing.assert_allclose(path[:, 0], [50.0, 100.0])


def test_lag_two_delays_the_effect():
    """A lag-2 link shows in year 3 first."""
    path = effect_path([[0.0, 0.5], [0.0, 0.0]], [0.0, 100.0], 4, [[1, 2], [1, 1]])
    np.testing.assert_allclose(path[0], [0.0, 0.0, 50.0, 50.0])


def test_default_model_path_converges():
    """The default 20-theme model settles to its total effect with its own lags."""
    model = load_model()
    a = model.matrix()
    s = np.zeros(20)
    s[model.catalogue.index("Schuldhulpverlening")] = 100_000
    lags = np.ones((20, 20))
    arr = model.arrays()
    lags[arr.target, arr.source] = arr.lag
    path = effect_path(a, s, 80, lags)
    np.testing.assert_allclose(path[:, -1], total_effect(a, s), atol=1e-6)
    assert years_to_converge(a, tolerance=1e-6) < 80


@pytest.mark.parametrize("lags, text", [
    ([[1, -1], [1, 1]], "0 of meer"),
    ([[1, 1.5], [1, 1]], "geheel aantal"),
])
def test_bad_lag_names_the_cell(lags, text):
    """A negative or fractional lag is refused naming its cell."""
    with pytest.raises(InputError, match=text) as info:
        effect_path(MILLER_BLAIR, [1, 1], 3, lags)
    assert (info.value.argument, info.value.row, info.value.column) == ("vertragingen", 0, 1)


def test_unstable_sum_is_refused():
    """The spectral radius of the summed matrix decides, as for the total effect."""
    with pytest.raises(ModelError, match="spectraalstraal"):
        effect_path([[0.6, 0.6], [0.6, 0.6]], [1, 1], 5)


def test_lags_can_make_a_signed_system_swing_up():
    """Summed matrix below 1 but the lagged system explodes: refused, saying so (found by Hypothesis)."""
    a = np.array([[-0.5, 0.5, 0, 0], [1, 1, 0, 1], [0, 0, 0, 0], [0, -0.5, 0, 0]]) * 0.84852814
    assert np.max(np.abs(np.linalg.eigvals(a))) < 1
    with pytest.raises(ModelError, match="met deze vertragingen"):
        effect_path(a, [1, 1, 1, 1], 10, [[1, 2, 2, 2]] + [[2] * 4] * 3)


def test_self_effect_in_the_same_year_is_refused():
    """A theme acting on itself with lag 0 has no meaning."""
    with pytest.raises(ModelError, match="hetzelfde jaar"):
        effect_path([[0.5]], [1], 3, [[0]])


def test_shapes_are_checked():
    """Lags of the wrong shape and a bad number of years are refused."""
    with pytest.raises(InputError, match="2 x 2"):
        effect_path(MILLER_BLAIR, [1, 1], 3, [[1]])
    with pytest.raises(InputError) as info:
        effect_path(MILLER_BLAIR, [1, 1], 0)
    assert info.value.argument == "jaren"


def test_same_year_cycle_is_solved_exactly():
    """Lag-0 links that form a cycle: x_1 = (I - A)^-1 s in the first year already."""
    a = [[0.0, 0.5], [0.5, 0.0]]
    path = effect_path(a, [100.0, 0.0], 2, [[1, 0], [0, 1]])
    np.testing.assert_allclose(path[:, 0], total_effect(a, [100.0, 0.0]))
    np.testing.assert_allclose(path[:, 1], path[:, 0])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(0, 3), st.data())
def test_the_abs_shortcut_never_calls_an_unsettling_system_stable(n, seed, data):
    """``lag_system_radius`` may answer with the bound rho(sum |M A_k|) instead of the
    companion's eigenvalues; that bound is never below the exact radius, so a system the
    shortcut passes always settles (mixed signs, lags 0 to MAX_LAG)."""
    from calc.cross_effects.model import MAX_LAG
    from calc.cross_effects.paths import lag_system_radius
    from calc.cross_effects.total import spectral_radius

    rng = np.random.default_rng(seed)
    lags = data.draw(st.lists(st.integers(1, MAX_LAG), min_size=1, max_size=3, unique=True))
    scale = data.draw(st.floats(0.05, 2.0))
    by_lag = {k: rng.uniform(-1, 1, (n, n)) * scale / (n * len(lags)) for k in lags}
    top = max(lags)
    companion = np.zeros((n * top, n * top))
    for k, a in by_lag.items():
        companion[:n, (k - 1) * n:k * n] = a
    companion[n:, :-n] = np.eye(n * (top - 1))
    exact = spectral_radius(companion)
    answer = lag_system_radius(by_lag)
    assert answer >= exact - 1e-9
    if answer < 1:
        assert exact < 1
