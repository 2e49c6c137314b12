"""Spreading effects over wijken by a configurable key."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from calc.cross_effects import DistrictKey, distribute
from calc.errors import InputError

KEY_ROWS = [["thema", "Centrum", "Noord", "Zuid"],
            ["*", 12000, 20000, 18000],
            ["Bijstand", 400, 300, 400],
            [None, None, None, None]]


def test_own_row_else_default_row():
    """A theme with its own row uses it; others use the '*' row (inhabitants)."""
    key = DistrictKey.from_rows(KEY_ROWS)
    assert key.districts == ("Centrum", "Noord", "Zuid")
    np.testing.assert_allclose(key.shares_for("bijstand"), [4 / 11, 3 / 11, 4 / 11])
    np.testing.assert_allclose(key.shares_for("Vervoer"), [0.24, 0.4, 0.36])


@settings(max_examples=30, deadline=None)
@given(arrays(float, (2, 5), elements=st.floats(-1e7, 1e7)))
def test_wijken_add_up_to_the_municipality(effects):
    """The wijk amounts always sum back to the municipal amount."""
    key = DistrictKey.from_rows(KEY_ROWS)
    spread = distribute(effects, ["Bijstand", "Vervoer"], key)
    assert spread.shape == (3, 2, 5)
    np.testing.assert_allclose(spread.sum(axis=0), effects, atol=1e-6)


#: Key weights as a spreadsheet can hold them within Grip's number limit (10^15): huge, tiny,
#: subnormal and zero (a wijk without clients).
weight = st.one_of(st.floats(0, 1e15), st.sampled_from([0.0, 5e-324, 1e-300, 1e15, 1.0]))


@settings(max_examples=60, deadline=None)
@given(st.lists(weight, min_size=1, max_size=6),
       arrays(float, (1, 3), elements=st.floats(-1e15, 1e15)))
def test_extreme_key_weights_still_add_up(weights, effects):
    """Huge, tiny and subnormal weights: either refused with a message or the wijken add up to
    the municipality (never a silent 0 and 0)."""
    rows = [["thema", *(f"W{k}" for k in range(len(weights)))], ["*", *weights]]
    try:
        key = DistrictKey.from_rows(rows)
    except InputError:
        assert sum(weights) == 0 or not all(np.isfinite(weights))
        return
    spread = distribute(effects, ["Bijstand"], key)
    assert np.isfinite(spread).all()
    np.testing.assert_allclose(spread.sum(axis=0), effects, rtol=1e-9, atol=1e-3)


@pytest.mark.parametrize("rows, where", [
    ([["thema", "A", "B"], ["Bijstand", -1, 2]], (1, 1)),
    ([["thema", "A", "B"], ["Bijstand", 0, 0]], (1, 1)),
    ([["thema", "A", "B"], ["Bijstand", "veel", 2]], (1, 1)),
    ([["thema", "A", None, "C"], ["Bijstand", 1, 2, 3]], (0, 2)),
])
def test_bad_key_names_the_cell(rows, where):
    """Negative, all-zero or non-numeric weights and an unnamed wijk are refused with their cell."""
    with pytest.raises(InputError) as info:
        DistrictKey.from_rows(rows)
    assert (info.value.row, info.value.column) == where


def test_theme_without_key_is_refused():
    """Without its own row and without a '*' row a theme cannot be spread."""
    key = DistrictKey.from_rows([["thema", "A"], ["Bijstand", 1]])
    with pytest.raises(InputError, match="geen regel voor 'Vervoer'"):
        distribute(np.ones((1, 2)), ["Vervoer"], key)
