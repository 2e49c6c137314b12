"""Cross-check against chainladder-python on random triangles (Hypothesis).

chainladder-python (the dev extra) is the peer: ``Development(sigma_interpolation="mack")``
with ``MackChainladder``, ``BornhuetterFerguson`` and ``TailCurve`` must give our numbers.
"""

import functools
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calc.prognose.reserving import ChainLadder, bornhuetter_ferguson, chain_ladder

cl = pytest.importorskip("chainladder")


@functools.cache
def _template(n: int):
    rows = [(f"{2000 + i}-01-01", f"{2000 + i + k}-01-01", 1.0)
            for i in range(n) for k in range(n - i)]
    df = pd.DataFrame(rows, columns=["origin", "valuation", "values"])
    return cl.Triangle(df, origin="origin", development="valuation", columns="values",
                       cumulative=True)


def to_chainladder(cum: np.ndarray):
    """A square cumulative array as a chainladder Triangle (values swapped into a template)."""
    tri = _template(cum.shape[0]).copy()
    tri.values = cum[None, None].copy()
    return tri


@st.composite
def triangles(draw):
    """Square cumulative triangles, 4 to 8 origins, positive increments of varied size."""
    n = draw(st.integers(4, 8))
    scale = draw(st.floats(1.0, 1e6))
    cells = draw(st.lists(st.floats(0.05, 10.0), min_size=n * n, max_size=n * n))
    inc = np.array(cells).reshape(n, n) * scale
    inc[np.add.outer(np.arange(n), np.arange(n)) >= n] = np.nan
    return np.where(np.isnan(inc), np.nan, np.nancumsum(inc, axis=1))


def peer_mack(cum):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dev = cl.Development(sigma_interpolation="mack").fit_transform(to_chainladder(cum))
        mack = cl.MackChainladder().fit(dev)
    return dev, mack


@settings(max_examples=12, deadline=None)
@given(triangles())
def test_mack_equals_chainladder_python(cum):
    """Factors, sigma, IBNR, Mack s.e. per origin and in total equal chainladder-python's."""
    dev, mack = peer_mack(cum)
    # Where every link ratio of the last two lags is equal, Mack's rule is 0/0: the peer
    # gives NaN, we give 0 (no spread observed). Compare only where the peer has a number.
    assume(np.isfinite(dev.sigma_.values).all())
    ours = chain_ladder(cum)
    np.testing.assert_allclose(ours.development_factors, dev.ldf_.values[0, 0, 0], rtol=1e-10)
    np.testing.assert_allclose(ours.sigma2, dev.sigma_.values[0, 0, 0] ** 2, rtol=1e-8,
                               atol=1e-12 * float(np.nanmax(dev.sigma_.values) ** 2))  # 0 vs 4e-27
    np.testing.assert_allclose(ours.ibnr, np.nan_to_num(mack.ibnr_.values[0, 0, :, 0]),
                               rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(ours.mack_se, np.nan_to_num(mack.mack_std_err_.values[0, 0, :, -1]),
                               rtol=1e-8, atol=1e-6)
    assert ours.total_mack_se == pytest.approx(float(mack.total_mack_std_err_.values.ravel()[0]),
                                               rel=1e-8)


@settings(max_examples=6, deadline=None)
@given(triangles(), st.floats(0.5, 3.0))
def test_bornhuetter_ferguson_equals_chainladder_python(cum, ratio):
    """With the prior passed as sample_weight, our BF IBNR equals chainladder-python's."""
    n = cum.shape[0]
    prior = ratio * np.nanmax(cum, axis=1)
    tri = to_chainladder(cum)
    weight = tri.latest_diagonal * 0 + prior[:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dev = cl.Development(sigma_interpolation="mack").fit_transform(tri)
        bf = cl.BornhuetterFerguson(apriori=1.0).fit(dev, sample_weight=weight)
    ours = bornhuetter_ferguson(cum, prior)
    np.testing.assert_allclose(ours.ibnr, np.nan_to_num(bf.ibnr_.values[0, 0, :, 0]), rtol=1e-9,
                               atol=1e-6)
    assert ours.ibnr.shape == (n,)


@settings(max_examples=5, deadline=None)
@given(triangles())
def test_exponential_tail_equals_chainladder_tailcurve(cum):
    """tail="curve" gives chainladder-python's TailCurve() tail factor."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dev = cl.Development(sigma_interpolation="mack").fit_transform(to_chainladder(cum))
        curve = cl.TailCurve().fit(dev)
    ours = chain_ladder(cum, tail="curve")
    # Where f - 1 does not decay the peer extrapolates a growing curve (tails of 1e65 are
    # seen); we use tail 1 with a note instead (tested below). Compare the decaying cases.
    assume(not any("staart 1" in note for note in ours.notes))
    ours = ours.tail
    assert ours == pytest.approx(float(np.asarray(curve.tail_).ravel()[0]), rel=1e-8)


def test_many_groups_at_once_equal_one_by_one():
    """The estimator over a stack of triangles gives each triangle's own answer."""
    rng = np.random.default_rng(7)
    n = 6
    inc = rng.lognormal(5, 1, (20, n, n))
    inc[:, np.add.outer(np.arange(n), np.arange(n)) >= n] = np.nan
    cum = np.where(np.isnan(inc), np.nan, np.nancumsum(inc, axis=2))
    model = ChainLadder().fit(cum)
    for g in (0, 7, 19):
        _, mack = peer_mack(cum[g])
        assert model.total_mack_se_[g] == pytest.approx(
            float(mack.total_mack_std_err_.values.ravel()[0]), rel=1e-8)


def test_non_decaying_factors_give_tail_one_with_a_note():
    """Factors that grow with the lag give no curve tail: 1, with a note (not 1e65)."""
    cum = np.array([[1.0, 2.0, 2.5, 4.5], [1.0, 2.0, 3.0, np.nan], [2.0, 3.0, np.nan, np.nan],
                    [1.0, np.nan, np.nan, np.nan]])
    res = chain_ladder(cum, tail="curve")
    assert res.tail == 1.0 and any("staart 1" in n for n in res.notes)
