"""Chain ladder and Mack against the published tables.

Sources
-------
* Taylor-Ashe ("GenIns") triangle: Taylor, G.C. and Ashe, F.R. (1983), J. Econometrics 23,
  as used in Mack, T. (1993), "Distribution-free calculation of the standard error of chain
  ladder reserve estimates", ASTIN Bulletin 23(2), 213-225, Tables 1-2 (factors, reserves,
  s.e. as % of the reserve). The euro figures below are the same results to the unit as
  printed by the R package ChainLadder, ``MackChainLadder(GenIns)``.
* RAA triangle: Reinsurance Association of America, as used in Mack, T. (1994),
  "Measuring the variability of chain ladder reserve estimates", CAS Forum; figures as
  printed by ``MackChainLadder(RAA)``.
"""

import numpy as np
import pytest

from calc.prognose.reserving import ChainLadder, chain_ladder
from calc.prognose.samples import RAA, TAYLOR_ASHE_INCREMENTAL, square
from calc.prognose.triangle import cumulate

NAN = np.nan

GENINS = cumulate(square(TAYLOR_ASHE_INCREMENTAL))
RAA_TRI = square(RAA)

# Published: factors (Mack 1993, Table 1), IBNR and Mack S.E. per origin and in total.
GENINS_FACTORS = [3.491, 1.747, 1.457, 1.174, 1.104, 1.086, 1.054, 1.077, 1.018]
GENINS_IBNR = [0, 94634, 469511, 709638, 984889, 1419459, 2177641, 3920301, 4278972, 4625811]
GENINS_SE = [0, 75535, 121699, 133549, 261406, 411010, 558317, 875328, 971258, 1363155]
GENINS_TOTAL = (18680856, 2447095)
#: Mack 1993, Table 2: s.e. as a percentage of the reserve, origins 2..10 and total.
GENINS_SE_PERCENT = [80, 26, 19, 27, 29, 26, 22, 23, 29]
GENINS_TOTAL_PERCENT = 13

RAA_FACTORS = [2.999, 1.624, 1.271, 1.172, 1.113, 1.042, 1.033, 1.017, 1.009]
RAA_IBNR = [0, 154, 617, 1636, 2747, 3649, 5435, 10907, 10650, 16339]
RAA_SE = [0, 206, 623, 747, 1469, 2002, 2209, 5358, 6333, 24566]
RAA_TOTAL = (52135, 26909)


@pytest.mark.parametrize("tri, factors, ibnr, se, total", [
    (GENINS, GENINS_FACTORS, GENINS_IBNR, GENINS_SE, GENINS_TOTAL),
    (RAA_TRI, RAA_FACTORS, RAA_IBNR, RAA_SE, RAA_TOTAL),
], ids=["taylor-ashe", "raa"])
def test_mack_published_tables_are_reproduced_to_their_rounding(tri, factors, ibnr, se, total):
    """Factors to 3 decimals, IBNR and Mack standard errors to the unit, as published."""
    res = chain_ladder(tri)
    np.testing.assert_array_equal(np.round(res.development_factors, 3), factors)
    np.testing.assert_array_equal(np.round(res.ibnr), ibnr)
    np.testing.assert_array_equal(np.round(res.mack_se), se)
    assert (round(res.ibnr.sum()), round(res.total_mack_se)) == total


def test_mack_1993_percentages_of_the_reserve():
    """Mack's Table 2 gives s.e.(R_i) / R_i in whole percents; we give the same."""
    res = chain_ladder(GENINS)
    np.testing.assert_array_equal(np.round(100 * res.mack_se[1:] / res.ibnr[1:]), GENINS_SE_PERCENT)
    assert round(100 * res.total_mack_se / res.ibnr.sum()) == GENINS_TOTAL_PERCENT


def test_mack_last_sigma_rule_on_taylor_ashe():
    """The last sigma2 follows Mack's rule min(s8^2/s7, s7, s8) from the two before it."""
    s = chain_ladder(GENINS).sigma2
    assert s[-1] == pytest.approx(min(s[-2] ** 2 / s[-3], s[-3], s[-2]))


def test_incremental_input_gives_the_same_answer():
    """The incremental Taylor-Ashe with cumulative=False equals the cumulative one."""
    a = chain_ladder(square(TAYLOR_ASHE_INCREMENTAL), cumulative=False)
    b = chain_ladder(GENINS)
    np.testing.assert_allclose(a.mack_se, b.mack_se)
    assert a.total_mack_se == pytest.approx(b.total_mack_se)


def test_estimator_and_function_agree_and_vectorise():
    """The estimator on both published triangles at once equals the function on each."""
    stacked = np.stack([GENINS, RAA_TRI / 1000])
    model = ChainLadder().fit(stacked)
    for g, tri in enumerate([GENINS, RAA_TRI / 1000]):
        res = chain_ladder(tri)
        np.testing.assert_allclose(model.ibnr_[g], res.ibnr)
        np.testing.assert_allclose(model.mack_se_[g], res.mack_se)
        assert model.total_mack_se_[g] == pytest.approx(res.total_mack_se)


def test_raa_decrease_is_accepted_with_a_note():
    """RAA's 1982 row drops from 15,599 to 15,496: accepted (as Mack did) and noted."""
    notes = chain_ladder(RAA_TRI).notes
    assert len(notes) == 1 and "rij 2, kolom 7" in notes[0] and "daalt" in notes[0]
