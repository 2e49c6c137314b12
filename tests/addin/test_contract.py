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


def _windows_cleaning():
    """xlwings' own Windows cleaning of a cell value (``_xlwindows._clean_value_data_element``
    and its ``cell_errors``), taken from its source: the module itself needs pywin32."""
    import ast
    import importlib.util

    source = Path(importlib.util.find_spec("xlwings").origin).with_name("_xlwindows.py")
    tree = ast.parse(source.read_text(encoding="utf-8"))
    keep = [n for n in tree.body if (isinstance(n, ast.FunctionDef) and n.name ==
                                     "_clean_value_data_element") or (
        isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "cell_errors")]
    namespace = {"time_types": ()}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(source), "exec"), namespace)
    return namespace["_clean_value_data_element"]


def test_an_error_cell_reaches_every_udf_as_its_text_on_windows_too():
    """On Windows xlwings hands a cell holding #N/A over as None (an empty cell) unless the
    argument asks for err_to_str: SD_BASISRAMING then left that line out of the raming without
    a word. Every parameter asks for it, so the error arrives as '#N/A' (as in xlwings Lite and
    the headless recalculation) and is refused by its place."""
    from addin.udfs.begroting import SD_BASISRAMING

    clean = _windows_cleaning()
    for name, meta in xlfunc_metadata().items():
        for arg in meta["args"]:
            assert arg["options"].get("err_to_str") is True, (name, arg["name"])
    options = xlfunc_metadata()["SD_BASISRAMING"]["args"][0]["options"]
    na = -2146826246                                  # what COM gives for a #N/A cell
    cells = [[clean(v, None, None, None, options["err_to_str"]) for v in row]
             for row in [[1000.0], [na]]]
    assert cells == [[1000.0], ["#N/A"]]
    assert SD_BASISRAMING(cells, [[0.8], [0.8]], 0.03, 0.02, 0.0) == (
        "#INVOER: bedragen, rij 2, kolom 1: foutwaarde #N/A in de cel")
    silent = [[clean(v, None, None, None, False) for v in row] for row in [[1000.0], [na]]]
    assert SD_BASISRAMING(silent, [[0.8], [0.8]], 0.03, 0.02, 0.0)[1] == [None]  # the old way
