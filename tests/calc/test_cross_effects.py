"""Tests of the total cross-theme effect against textbooks and invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from calc.cross_effects import spectral_radius, total_effect
from calc.errors import InputError, ModelError


def test_miller_blair_two_sector_example():
    """Miller & Blair (2009), section 2.3: L = [[1.254, .330], [.264, 1.122]], x = (1247.52, 1841.58)."""
    a = [[0.15, 0.25], [0.20, 0.05]]
    leontief = np.column_stack([total_effect(a, e) for e in np.eye(2)])
    np.testing.assert_allclose(leontief.round(3), [[1.254, 0.330], [0.264, 1.122]])
    np.testing.assert_allclose(total_effect(a, [600, 1500]).round(2), [1247.52, 1841.58])


def test_lay_three_sector_example():
    """Lay, Linear Algebra and Its Applications, section 2.6 example 1: x = (226, 119, 78)."""
    c = [[0.50, 0.40, 0.20], [0.20, 0.30, 0.10], [0.10, 0.10, 0.30]]
    np.testing.assert_allclose(total_effect(c, [50, 30, 20]).round(0), [226, 119, 78])


@pytest.mark.parametrize("matrix", [
    [[1.0]],
    [[0.0, 2.0], [0.5, 0.0]],          # rho = 1 exactly
    [[0.6, 0.6], [0.6, 0.6]],          # rho = 1.2
    [[-1.5, 0.0], [0.0, 0.2]],         # negative feedback that still explodes
])
def test_unstable_matrix_is_refused(matrix):
    """A spectral radius of 1 or more is refused with a message that explains why."""
    with pytest.raises(ModelError, match="doven niet uit.*spectraalstraal"):
        total_effect(matrix, np.ones(len(matrix)))


@pytest.mark.parametrize("matrix, shock, argument", [
    ([[0.1, 0.2]], [1.0], "matrix"),
    ([[0.1, 0.0], [0.0, 0.1]], [1.0, 2.0, 3.0], "schok"),
    ([[0.1, np.nan], [0.0, 0.1]], [1.0, 2.0], "matrix"),
    ([[0.1, 0.0], [0.0, 0.1]], [1.0, np.inf], "schok"),
])
def test_bad_input_names_the_argument(matrix, shock, argument):
    """Wrong shapes and non-finite values are refused naming the argument."""
    with pytest.raises(InputError) as info:
        total_effect(matrix, shock)
    assert info.value.argument == argument


stable = st.integers(1, 6).flatmap(lambda n: arrays(
    float, (n, n), elements=st.floats(-1, 1, allow_nan=False, allow_infinity=False)))


@settings(max_examples=60, deadline=None)
@given(stable, st.floats(-1e6, 1e6, allow_nan=False))
def test_total_effect_is_the_sum_of_all_rounds(raw, scale):
    """x equals s + As + A^2 s + ... for any stable matrix (series summed to convergence)."""
    n = raw.shape[0]
    rho = spectral_radius(raw)
    a = raw if rho < 0.9 else raw * (0.9 / rho)
    s = np.linspace(1.0, 2.0, n) * scale
    series, term = np.zeros(n), s.copy()
    for _ in range(400):
        series += term
        term = a @ term
    np.testing.assert_allclose(total_effect(a, s), series, rtol=1e-6, atol=1e-6 * (1 + abs(scale)))


@settings(max_examples=40, deadline=None)
@given(stable, st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False))
def test_linear_in_the_shock_and_zero_in_zero_out(raw, k):
    """Scaling the shock scales the effect; no shock, no effect."""
    rho = spectral_radius(raw)
    a = raw if rho < 0.9 else raw * (0.9 / rho)
    s = np.arange(1.0, raw.shape[0] + 1)
    np.testing.assert_allclose(total_effect(a, k * s), k * total_effect(a, s), rtol=1e-9, atol=1e-9)
    assert not total_effect(a, np.zeros_like(s)).any()
