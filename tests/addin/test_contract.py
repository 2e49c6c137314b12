"""The UDF contract with every saved workbook: names, parameters, help texts, VBA wrappers.

A change here breaks workbooks in the field. Add a UDF by extending CONTRACT and running
``make snapshot``; never rename or reorder: deprecate.
"""

from pathlib import Path

import pytest

from addin.policy import CATEGORY, MAX_TEXT, REGISTRY
from addin.vba import render_udf_module, xlfunc_metadata

#: Every UDF and its positional parameters, in order.
CONTRACT = {
    "SD_TOTAALEFFECT": ("matrix", "schok"),
    "SD_NAGEKOMEN": ("driehoek", "cumulatief"),
    "SD_ONTWIKKELFACTOREN": ("driehoek", "cumulatief"),
    "SD_PROGNOSE": ("reeks", "horizon", "seizoen", "betrouwbaarheid"),
    "SD_EFFECTPAD": ("matrix", "schok", "jaren", "vertragingen"),
    "SD_SCENARIO": ("themas", "verbanden", "maatregelen", "beginjaar", "jaren", "weergave", "scenario"),
    "SD_BANDBREEDTE": ("themas", "verbanden", "maatregelen", "beginjaar", "jaren", "trekkingen", "zaad",
                       "thema"),
    "SD_GEVOELIGHEID": ("themas", "verbanden", "maatregelen", "beginjaar", "jaren", "aantal"),
    "SD_WIJKEN": ("effecten", "themas", "sleutel"),
    "SD_GRIPNIVEAU": ("scores", "gewichten", "grenzen"),
    "SD_GRIPSCORE": ("scores", "gewichten", "grenzen"),
    "SD_GRIPNIVEAUS": ("scores", "grenzen"),
    "SD_GRIPKPISCORES": ("onderwerpen", "scores"),
    "SD_GRIPONDERWERPSCORES": ("criteria", "beoordelingen", "kpi_scores", "kpi_gewicht"),
    "SD_GRIPAGENDA": ("scores", "startkwartaal", "per_kwartaal", "aantal", "grenzen"),
    "SD_KANS_SLUITEND": ("tekort", "besparingen"),
    "SD_RAVIJN": ("algemene_uitkering", "landelijke_korting_mld", "fonds_mld"),
    "SD_BASISRAMING": ("bedragen", "loonaandeel", "loonindex", "prijsindex", "volumegroei"),
    "SD_SALDOBAND": ("jaren", "saldo", "reserves", "maatregelen", "indirect"),
    "SD_TERUGVERDIENJAAR": ("jaren", "investering", "besparing"),
    "SD_VERSIE": (),
}

SNAPSHOT = Path(__file__).parents[1] / "snapshots" / "xlwings_udfs.bas"


def test_registry_matches_the_contract():
    """Exactly the pinned UDFs exist, each with its pinned parameters in order."""
    import addin.udfs  # noqa: F401

    assert {name: tuple(p.name for p in spec.params) for name, spec in REGISTRY.items()} == CONTRACT


def test_udf_module_exposes_every_udf():
    """Excel imports addin.udfs; every registered UDF must be reachable there."""
    import addin.udfs

    assert set(addin.udfs.__all__) == set(REGISTRY)
    assert all(callable(getattr(addin.udfs, name)) for name in REGISTRY)


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_xlwings_sees_names_parameters_help_and_category(name):
    """With xlwings' real decorators, each UDF has our name, parameters, Dutch help and category."""
    meta = xlfunc_metadata()[name]
    assert meta["name"] == name
    assert [a["name"] for a in meta["args"]] == list(CONTRACT[name])
    assert meta["category"] == CATEGORY
    assert 0 < len(meta["ret"]["doc"]) <= MAX_TEXT
    assert not meta["ret"]["doc"].startswith("Python function")
    for arg in meta["args"]:
        assert not arg["doc"].startswith("Positional argument"), arg
        assert len(arg["doc"]) <= MAX_TEXT


def test_vba_wrappers_match_the_snapshot():
    """The VBA module xlwings would import is unchanged (run `make snapshot` after a reviewed change)."""
    assert render_udf_module() == SNAPSHOT.read_text(encoding="utf-8")


def test_lite_metadata_lists_every_udf_with_the_same_parameters(monkeypatch):
    """xlwings' Office.js metadata of the Lite edition (custom_functions_meta) holds every
    classic UDF with the same parameters, optional ones marked, and the same help texts."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings PRO, noncommercial
    import grip.lite
    from xlwings import server

    meta = {f["name"]: f for f in server.custom_functions_meta(grip.lite)["functions"]}
    assert {name: tuple(p["name"] for p in f["parameters"]) for name, f in meta.items()} == CONTRACT
    for name, spec in REGISTRY.items():
        assert meta[name]["description"] == spec.help
        assert [p["description"] for p in meta[name]["parameters"]] == [p.help for p in spec.params]
        assert [bool(p.get("optional")) for p in meta[name]["parameters"]] == \
            [p.optional for p in spec.params]
