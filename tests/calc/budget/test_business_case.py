"""Opgave business case: payback year, net present value and Dutch validation."""

import pytest

from calc.budget.business_case import (ROW_CUMULATIVE, BusinessCase, evaluate, payback_year)
from calc.budget.checks import validated
from calc.errors import InputError

CASE = dict(goal="Minder uithuisplaatsingen", themes=("Jeugdhulp met verblijf",), first_year=2026,
            investment=(400_000, 200_000, 0, 0, 0), savings=(0, 250_000, 450_000, 500_000, 500_000),
            indicators=("kosten per cliënt met verblijf", "aantal uithuisplaatsingen"))


def test_hand_computed_business_case():
    """Cumulative -400k, -350k, +100k, +600k, +1.1m: paid back in 2028; NPV at 5 % by hand."""
    r = evaluate(BusinessCase(**CASE, discount_rate=0.05))
    assert r.table.loc[ROW_CUMULATIVE].tolist() == [-400_000, -350_000, 100_000, 600_000, 1_100_000]
    assert r.payback_year == 2028
    assert r.total_net == 1_100_000
    expected = -400_000 + 50_000 / 1.05 + 450_000 / 1.05**2 + 500_000 / 1.05**3 + 500_000 / 1.05**4
    assert r.net_present_value == pytest.approx(expected)


@pytest.mark.parametrize("net, expected", [
    ([0, 10], 2026), ([-1, 1], 2027), ([-1, 2, -3, 5], 2029), ([-5, 1, 1], None), ([5, -10, 6], 2028)])
def test_payback_is_where_the_cumulative_stays_non_negative(net, expected):
    """A dip after an early break-even delays the payback year."""
    assert payback_year(net, list(range(2026, 2026 + len(net)))) == expected


def test_unknown_theme_is_named():
    """A linked theme that is not in the baseline: Dutch, naming the row."""
    with pytest.raises(InputError, match="thema 'Jeugdhulp met verblijf' van opgave") as err:
        evaluate(BusinessCase(**CASE), known_themes=["Bijstand"])
    assert err.value.row == 0


def test_lengths_must_match_in_dutch():
    """Investment and savings over different years: one Dutch line."""
    with pytest.raises(InputError, match="investering heeft 2 jaren, besparing 5"):
        validated(BusinessCase, {**CASE, "investment": (1, 2)}, argument="opgave")
