"""The synthetic catalogue uses only codes the iStandaarden define."""

from pathlib import Path

import pytest
from lxml import etree

from berichten.synth import _LAW, _REFERRERS, MESSAGE_CODES
from berichten.synth_catalog import HABITS, JEUGD_PRODUCTS, PRODUCTS, PROVIDERS, WMO_PRODUCTS

ROOT = Path(__file__).parents[2] / "berichten"
XS = "{http://www.w3.org/2001/XMLSchema}"


def enumeration(name: str) -> set[str]:
    """The values of one simple type of the iJw 3.2 basisschema."""
    tree = etree.parse(str(ROOT / "xsd" / "basisschema.xsd"))
    node = tree.find(f"{XS}simpleType[@name='{name}']")
    return {e.get("value") for e in node.iter(f"{XS}enumeration")}


def test_youth_products_use_ijw_categories_units_and_frequencies():
    """Every iJw product's category, unit and frequency is in the basisschema's enumerations."""
    for p in JEUGD_PRODUCTS:
        assert p.category in enumeration("LDT_ProductCategorie"), p
        assert p.code.startswith(p.category) and len(p.code) == 5
    for p in PRODUCTS.values():
        assert p.unit in enumeration("LDT_Eenheid"), p
        assert p.frequency in enumeration("LDT_Frequentie"), p
        assert p.tariff > 0 and 0 < p.utilisation <= 1 and p.volume[0] <= p.volume[1]


def test_reasons_and_referrers_are_in_the_code_lists():
    """Stop reasons and referrer types come from the basisschema's enumerations."""
    for law in _LAW.values():
        assert {r for r, _ in law["stops"]} <= enumeration("LDT_RedenBeeindiging")
    assert {r for r, _ in _REFERRERS} <= enumeration("LDT_TypeVerwijzer")


def test_one_referrer_list_for_the_import_and_the_names():
    """The import checks referrers against the list the sheets name them by: one file, the
    basisschema's codes, and 08 in the codelist's own words (the hand-kept copy had lost
    "functionaris")."""
    from berichten.codes import code_list
    from calc.names import REFERRERS, referrer_name

    assert code_list("verwijzer") == REFERRERS
    assert set(REFERRERS) == enumeration("LDT_TypeVerwijzer")
    assert referrer_name("08") == ("Rechter, Officier van Justitie of functionaris "
                                   "justitiële jeugdinrichting")
    assert not (ROOT / "codelijsten" / "verwijzer.csv").exists()


def test_wmo_categories_are_iwmo_categories():
    """Every iWmo product category is in the iWmo code list (where the project ships it)."""
    from calc.names import PRODUCT_CATEGORIES

    codes = set(PRODUCT_CATEGORIES["wmo"])
    assert {p.category for p in WMO_PRODUCTS} <= codes


def test_message_codes_match_the_berichtcode_list():
    """The header BerichtCode of each message is the one in the berichtcode list (iJw 323 = 490)."""
    assert MESSAGE_CODES["jw"]["323"] == "490" and MESSAGE_CODES["wmo"]["323"] == "484"
    path = ROOT / "codelijsten" / "berichtcode.csv"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            number, _, jw, wmo, _ = line.split(";")
            assert MESSAGE_CODES["jw"][number] == jw and MESSAGE_CODES["wmo"][number] == wmo


def test_providers_are_many_fictional_and_cover_every_habit():
    """At least 30 providers, unique 8-digit AGB codes, every habit and product delivered."""
    agbs = [p.agb for p in PROVIDERS]
    assert len(PROVIDERS) >= 30 and len(set(agbs)) == len(agbs)
    assert all(len(a) == 8 and a.isdigit() for a in agbs)
    assert {p.habit for p in PROVIDERS} == set(HABITS)
    delivered = {code for p in PROVIDERS for code in p.products}
    assert delivered == set(PRODUCTS)
    for habit in HABITS.values():
        assert abs(sum(habit.lag_weights) - 1) < 1e-9
