"""Baten under the cliff: the municipality's share of the national cut and the reform savings."""

import pytest

from calc.budget.income import (CUT_SCENARIOS, ROW_CUT, ROW_REFORM, ROW_TOTAL, FundScenario,
                                baten, municipal_cut)
from calc.budget.years import Horizon
from calc.errors import InputError


@pytest.mark.parametrize("label, euro", [("2,0 mld", 4_000_000), ("2,3 mld", 4_600_000),
                                         ("2,4 mld", 4_800_000), ("3,4 mld", 6_800_000)])
def test_cut_by_share_of_the_fund(label, euro):
    """95 mln of a 47.5 bln fund is 0.2 %: 0.2 % of each published national cut."""
    assert municipal_cut(95_000_000, CUT_SCENARIOS[label]) == pytest.approx(euro)


def test_custom_fund_size():
    """A custom fund size changes the share: 95 mln of 50 bln of 3 bln is 5.7 mln."""
    assert municipal_cut(95_000_000, 3.0, 50.0) == pytest.approx(5_700_000)


@pytest.mark.parametrize("args, argument, text", [
    ((60e9, 2.4), "algemene_uitkering", "ligt boven 100%"),
    ((95e6, -1.0), "landelijke_korting_mld", "0 of meer"),
    ((95e6, 50.0), "landelijke_korting_mld", "groter dan het gemeentefonds"),
    ((95e6, 2.0, 0.0), "fonds_mld", "groter zijn dan 0"),
])
def test_bad_cut_inputs(args, argument, text):
    """A share above 100 %, a negative or too large cut, an empty fund: Dutch, naming the input."""
    with pytest.raises(InputError) as err:
        municipal_cut(*args)
    assert err.value.argument == argument and text in err.value.message


def test_baten_per_year_from_the_chosen_years():
    """The cut counts from its year, the reform savings from 2028; totals add up."""
    scenario = FundScenario.from_labels("3,4 mld", 2027, "1,5 mld", 2028)
    b = baten(Horizon(first_year=2026), scenario, algemene_uitkering=[95e6, 96e6, 97e6, 98e6],
              other_income=1e6)
    assert b.loc[ROW_CUT].tolist() == pytest.approx([0, -96e6 / 47.5e9 * 3.4e9,
                                                     -97e6 / 47.5e9 * 3.4e9, -98e6 / 47.5e9 * 3.4e9])
    assert b.loc[ROW_REFORM].tolist() == pytest.approx([0, 0, -97e6 / 47.5e9 * 1.5e9,
                                                        -98e6 / 47.5e9 * 1.5e9])
    assert b.loc[ROW_TOTAL].tolist() == pytest.approx(b.iloc[:-1].sum().tolist())


def test_cut_year_after_the_horizon_is_refused():
    """A cut that starts after the last year of the horizon: Dutch message naming the field."""
    with pytest.raises(InputError, match="buiten de horizon 2026-2029") as err:
        baten(Horizon(first_year=2026), FundScenario(national_cut_bn=2, cut_from_year=2031),
              algemene_uitkering=95e6)
    assert err.value.argument == "cut_from_year"


def test_unknown_scenario_label():
    """A label that is not in the dropdown is named."""
    with pytest.raises(InputError, match="onbekend kortingsscenario '5 mld'"):
        FundScenario.from_labels("5 mld", 2026)


def test_custom_amount():
    """'eigen bedrag' takes the custom national cut."""
    assert FundScenario.from_labels("eigen bedrag", 2026, custom_cut_bn=3.0).national_cut_bn == 3.0


def test_domain_share_scales_income_and_cut():
    """With 55 % for the sociaal domein, the domain carries 55 % of the algemene uitkering and the cut."""
    b = baten(Horizon(first_year=2026, n_years=1), FundScenario(national_cut_bn=2.4, cut_from_year=2026),
              algemene_uitkering=95e6, domain_share=0.55)
    assert b[2026].tolist() == pytest.approx([52.25e6, -2.64e6, 0, 0, 49.61e6])
    with pytest.raises(InputError, match="boven 100%"):
        baten(Horizon(first_year=2026), FundScenario(national_cut_bn=2.4, cut_from_year=2026),
              algemene_uitkering=95e6, domain_share=1.2)


def test_amounts_typed_in_the_wrong_unit_are_refused_with_what_was_meant():
    """The gemeentefonds typed in million (47.500) made the cut a thousand times too small
    (EUR 5.002 instead of 5,0 mln); an algemene uitkering typed in million (99) gave EUR 5."""
    from addin.udfs.begroting import SD_RAVIJN

    assert SD_RAVIJN(99_000_000, 2.4, 47_500) == (
        "#INVOER: fonds_mld: een gemeentefonds van 47500 mld is niet aannemelijk (tussen 10 en "
        "200 mld): het bedrag is in miljard euro, bedoelt u 47,5?")
    assert SD_RAVIJN(99, 2.4, None).startswith(
        "#INVOER: algemene_uitkering: een algemene uitkering van € 99 per jaar is niet "
        "aannemelijk")
    assert SD_RAVIJN(99_000_000, 2.4, None) == pytest.approx(99e6 / 47.5e9 * 2.4e9)
    assert SD_RAVIJN(0, 2.4, None) == 0          # not filled in yet: no cut, no message
