"""The dwarsverbanden UDFs: thin translators that give what the calc core gives."""

import numpy as np
import pytest
from openpyxl import Workbook

from addin.udfs import SD_BANDBREEDTE, SD_EFFECTPAD, SD_GEVOELIGHEID, SD_SCENARIO
from calc.cross_effects import (
    effect_path,
    links_to_rows,
    load_model,
    measures_to_rows,
    scenario_effects,
    tornado,
    Measure,
)
from workbooks.files import save
from workbooks.recalc import recalculate

A = [[0.15, 0.25], [0.20, 0.05]]
MODEL = load_model()
THEMES = [r[:5] for r in MODEL.catalogue.to_rows()]
LINKS = links_to_rows(MODEL.links)
MEASURES = [Measure(name="Meer schuldhulp", theme="Schuldhulpverlening", low=1e5, mode=2e5, high=2.5e5,
                    start_year=2027, ramp_years=2),
            Measure(name="Korting minima", theme="Minimabeleid en bijzondere bijstand", low=-3e5,
                    mode=-2e5, high=-1e5, start_year=2028),
            Measure(name="Uit", theme="Bijstand", low=1e6, mode=1e6, high=1e6, start_year=2027, active=False)]
ROWS = measures_to_rows(MEASURES) + [[None] * 10]


def test_effectpad_equals_the_calc_core():
    """SD_EFFECTPAD returns N rows x jaren columns, equal to effect_path."""
    cells = SD_EFFECTPAD(A, [[600.0], [1500.0]], 5.0)
    np.testing.assert_allclose(np.array(cells), effect_path(A, [600, 1500], 5))
    lagged = SD_EFFECTPAD(A, [[600.0], [1500.0]], 5.0, [[1.0, 2.0], [None, 1.0]])
    np.testing.assert_allclose(np.array(lagged), effect_path(A, [600, 1500], 5, [[1, 2], [1, 1]]))


@pytest.mark.parametrize("args, message", [
    ((A, [[1.0], [1.0]], 3.0, [[1.0, -1.0], [1.0, 1.0]]), "#INVOER: vertragingen, rij 1, kolom 2: "),
    ((A, [[1.0], [1.0]], 2.5), "#INVOER: jaren: moet een geheel getal zijn"),
    (([[0.1, 0.2]], [[1.0]], 3.0), "#INVOER: matrix: de matrix moet vierkant zijn"),
    (([[0.6, 0.6], [0.6, 0.6]], [[1.0], [1.0]], 3.0), "#MODEL: matrix: de effecten doven niet uit"),
])
def test_effectpad_bad_input_is_a_dutch_message(args, message):
    """Bad input becomes a short Dutch message naming the cell."""
    assert SD_EFFECTPAD(*args).startswith(message)


def test_scenario_views_equal_the_calc_core():
    """SD_SCENARIO totaal/direct/indirect equal scenario_effects with the measures switched on."""
    fx = scenario_effects(MODEL, MEASURES, first_year=2027, years=6)
    for view, expected in (("totaal", fx.total), ("direct", fx.direct), ("indirect", fx.indirect)):
        cells = SD_SCENARIO(THEMES, LINKS, ROWS, 2027.0, 6.0, view)
        np.testing.assert_allclose(np.array(cells, dtype=float), expected)
    assert SD_SCENARIO(THEMES, LINKS, ROWS, 2027.0, 6.0) == SD_SCENARIO(THEMES, LINKS, ROWS, 2027.0, 6.0, "totaal")


def test_scenario_filter_and_the_summed_view():
    """With a scenario name only its measures (and those without a name) count; 'samen' sums the themes."""
    named = [MEASURES[0].model_copy(update={"scenarios": ("Investeren",)}),
             MEASURES[1].model_copy(update={"scenarios": ("Bezuinigen",)}), MEASURES[2]]
    rows = measures_to_rows(named)
    fx = scenario_effects(MODEL, [named[0], named[2]], first_year=2027, years=4)
    cells = np.array(SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 4.0, "samen", "investeren"), dtype=float)
    np.testing.assert_allclose(cells, [fx.direct.sum(0), fx.indirect.sum(0), fx.total.sum(0)])
    assert SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 4.0, None, "Sport").startswith(
        "#INVOER: scenario: geen maatregel hoort bij scenario 'Sport'")


def test_text_parameters_are_read_as_one_cell_never_cut_to_the_first():
    """weergave, scenario and thema are read by calc.cells like every scalar parameter: a
    one-cell range is its value, a range of several cells is refused naming the parameter
    (the first cell was taken silently; a range for weergave was shown as a Python list)."""
    named = [MEASURES[0].model_copy(update={"scenarios": ("Investeren",)}), MEASURES[2]]
    rows = measures_to_rows(named)
    assert SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 4.0, [["direct"]], [["Investeren"]]) == \
        SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 4.0, "direct", "Investeren")
    for args, argument in ((([["direct", "totaal"]], None), "weergave"),
                           ((None, [["Investeren", "Sport"]]), "scenario")):
        assert SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 4.0, *args) == \
            f"#INVOER: {argument}: verwacht één cel, maar kreeg 1 x 2 cellen"
    assert SD_BANDBREEDTE(THEMES, LINKS, ROWS, 2027.0, 2.0, 100.0, 1.0, [["Bijstand"], ["Jeugd"]]) \
        == "#INVOER: thema: verwacht één cel, maar kreeg 2 x 1 cellen"


def test_scenario_measure_on_unknown_theme_names_the_row():
    """A measure on a theme that is not in the list is refused with its row and column."""
    rows = [list(r) for r in ROWS]
    rows[1][2] = "Sport"
    assert SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 6.0).startswith(
        "#INVOER: maatregelen, rij 2, kolom 3: onbekend thema 'Sport'")
    rows[1][2] = "Schuldhulp"                  # a shortened name: the theme meant is named
    assert SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 6.0) == (
        "#INVOER: maatregelen, rij 2, kolom 3: onbekend thema 'Schuldhulp': bedoelt u "
        "'Schuldhulpverlening'?")


def test_a_volume_measure_without_cost_per_client_is_named_at_its_own_row():
    """A volume measure on a theme without cost per client, after an inactive measure: the
    message named the row of its place among the active measures (rij 3, the measure 'Uit'),
    and Werkmap controleren sent the controller to that other measure."""
    rows = [list(r) for r in ROWS]
    rows[3] = ["ja", "Extra wijkteam", "Toegang en wijkteams", "volume", 5, 10, 15, 2027, 0, "ja"]
    assert np.isnan(MODEL.catalogue.cost_per_client()[MODEL.catalogue.index("Toegang en wijkteams")])
    want = ("#INVOER: maatregelen, rij 4, kolom 4: een volumemaatregel vraagt kosten per cliënt "
            "van 'Toegang en wijkteams'")
    assert SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 6.0) == want
    assert SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 6.0, "samen", "Sport").startswith(want[:40])
    rows[3][0] = "nee"                       # switched off, it is not simulated: no message
    assert not str(SD_SCENARIO(THEMES, LINKS, rows, 2027.0, 6.0)[0][0]).startswith("#")


def test_bandbreedte_equals_the_calc_core_and_is_ordered():
    """SD_BANDBREEDTE gives P10 <= P50 <= P90 per year, equal to scenario_effects with the same seed."""
    cells = np.array(SD_BANDBREEDTE(THEMES, LINKS, ROWS, 2027.0, 6.0, 500.0, 3.0), dtype=float)
    fx = scenario_effects(MODEL, MEASURES, first_year=2027, years=6, draws=500, seed=3)
    np.testing.assert_allclose(cells, fx.total_bands)
    assert (np.diff(cells, axis=0) >= 0).all()
    one = np.array(SD_BANDBREEDTE(THEMES, LINKS, ROWS, 2027.0, 6.0, 500.0, 3.0, "bijstand"), dtype=float)
    np.testing.assert_allclose(one, fx.bands[:, MODEL.catalogue.index("Bijstand"), :])


def test_gevoeligheid_pads_to_the_fixed_range():
    """SD_GEVOELIGHEID gives exactly `aantal` rows, largest swing first."""
    cells = SD_GEVOELIGHEID(THEMES, LINKS, ROWS, 2027.0, 6.0, 40.0)
    assert len(cells) == 40 and cells[0][0] == "Schuldhulpverlening → Bijstand"
    swings = [abs(r[2] - r[1]) for r in cells if r[0]]
    assert swings == sorted(swings, reverse=True)
    base, rows = tornado(MODEL, MEASURES, first_year=2027, years=6)
    assert cells[0][1:] == [rows[0].at_low - base, rows[0].at_high - base]
    assert cells[-1] == [None, None, None]


def test_optional_parameters_can_be_left_out_headless(tmp_path):
    """An omitted optional parameter works in the headless engine as in Excel (its default)."""
    wb = Workbook()
    ws = wb.active
    for i, row in enumerate(A, start=1):
        ws.cell(row=i, column=1, value=row[0])
        ws.cell(row=i, column=2, value=row[1])
    ws["D1"], ws["D2"] = 600.0, 1500.0
    from openpyxl.worksheet.formula import ArrayFormula

    ws["F1"] = ArrayFormula("F1:H2", "=SD_EFFECTPAD(A1:B2,D1:D2,3)")
    path = save(wb, tmp_path / "pad.xlsx")
    got = np.array(recalculate(path).get(ws.title, "F1:H2"), dtype=float)
    np.testing.assert_allclose(got, effect_path(A, [600, 1500], 3))


def test_a_percentage_typed_as_a_whole_number_is_named():
    """10 where 10 % (0,1) was meant: the effects do not die out, and the message names the
    cell and the likely cause instead of only the spectral radius."""
    from addin.udfs import SD_TOTAALEFFECT

    out = SD_TOTAALEFFECT([[0, 10, 0], [5, 0, 0], [0, 0, 0]], [[100], [0], [0]])
    assert out.startswith("#MODEL: matrix: de effecten doven niet uit") and \
        "rij 1, kolom 2 is 10: een effect van 1 euro of meer per euro" in out, out
    assert len(out) <= 255 and out.endswith("(10 voor 10% = 0,1)?")
