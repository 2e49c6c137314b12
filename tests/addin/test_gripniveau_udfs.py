"""The gripniveau UDFs: thin translators over calc.grip_level, with located Dutch messages."""

import pytest

from addin.udfs import (SD_GRIPAGENDA, SD_GRIPKPISCORES, SD_GRIPNIVEAU, SD_GRIPNIVEAUS, SD_GRIPONDERWERPSCORES,
                        SD_GRIPSCORE)
from calc.grip_level import assess, grip_level, grip_score, load_rubric
from calc.grip_level.rubric import demo_assessment

COLUMN = [[50.0], [80.0], [20.0], [70.0], [90.0], [45.0], [60.0], [75.0], [65.0]]
ROW = [[r[0] for r in COLUMN]]


def test_level_and_score_from_a_column_or_a_row_equal_calc():
    """9 x 1 and 1 x 9 give the same level and score as the calc core."""
    flat = [r[0] for r in COLUMN]
    for rng in (COLUMN, ROW):
        assert SD_GRIPNIVEAU(rng) == grip_level(flat).value == "waakzaam"
        assert SD_GRIPSCORE(rng) == pytest.approx(grip_score(flat)) == pytest.approx(555 / 9)


def test_weights_and_thresholds_from_the_sheet():
    """Weights put all mass on topic 5 (90) → score 90; limits 10/95 make that waakzaam."""
    weights = [[0.0]] * 4 + [[1.0]] + [[0.0]] * 4
    assert SD_GRIPSCORE(COLUMN, weights) == pytest.approx(90.0)
    assert SD_GRIPNIVEAU(COLUMN, weights, [[10.0], [95.0]]) == "waakzaam"


@pytest.mark.parametrize("value, expected", [
    ([[50.0]] * 8, "#INVOER: scores: verwacht 9 scores"),
    ([[50.0]] * 8 + [[120.0]], "#INVOER: scores, rij 9: score 120 van onderwerp 9 ligt buiten 0 tot 100"),
    ([[50.0, None] + [50.0] * 7], "#INVOER: scores, rij 1, kolom 2: de score van onderwerp 2 ontbreekt"),
    ([[50.0]] * 8 + [["veel"]], "#INVOER: scores, rij 9, kolom 1: tekst 'veel' is geen getal"),
])
def test_bad_scores_give_a_located_dutch_message(value, expected):
    """A missing topic or a score outside 0-100 names the cell within the range."""
    assert SD_GRIPNIVEAU(value).startswith(expected)


def test_weights_that_sum_to_zero_are_refused():
    """Weights must be sensible: not all zero."""
    assert SD_GRIPSCORE(COLUMN, [[0.0]] * 9).startswith("#INVOER: gewichten: ")
    assert "tellen op tot 0" in SD_GRIPSCORE(COLUMN, [[0.0]] * 9)


def test_levels_per_score_with_no_data():
    """An empty cell is 'geen gegevens', never a pretended level."""
    assert SD_GRIPNIVEAUS([[39.0], [None], [70.0]]) == [["ernstig"], ["geen gegevens"], ["in controle"]]


def test_topic_scores_from_the_dropdown_column_equal_calc():
    """The demo self-assessment typed into two columns gives calc's topic scores."""
    demo = demo_assessment()
    ids = [[c.id] for c in load_rubric().criteria()]
    levels = [[demo[c[0]].value if demo[c[0]] else "n.v.t."] for c in ids]
    kpis = [[None]] * 2 + [[30.0]] + [[None]] * 6
    got = [r[0] for r in SD_GRIPONDERWERPSCORES(ids, levels, kpis)]
    want = assess(demo, load_rubric(), kpi_scores=[float("nan")] * 2 + [30.0] + [float("nan")] * 6)
    assert got == pytest.approx(list(want.topic_scores))


def test_a_typo_in_the_dropdown_is_located():
    """A level that is not in the list names its row."""
    out = SD_GRIPONDERWERPSCORES([["1.1"], ["1.2"]], [["waakzaam"], ["goed"]])
    assert out.startswith("#INVOER: beoordelingen, rij 2: 'goed' is geen niveau")


def test_agenda_is_padded_to_the_range():
    """The agenda fills the asked rows; extra rows are empty text."""
    out = SD_GRIPAGENDA([[80.0]] * 8 + [[30.0]], "2027-K2", None, 5.0)
    assert len(out) == 5 and all(len(r) == 8 for r in out)
    assert out[0][:4] == [1.0, "9 Monitoring", "ernstig", "waakzaam"] and out[0][6] == "2027-K2"
    assert out[3] == [""] * 8
    assert SD_GRIPAGENDA([[80.0]] * 9, "volgend jaar").startswith("#INVOER: startkwartaal")


def test_agenda_rows_have_the_header_width():
    """Rows for the sheet and the report carry order, topic, levels, measure, owner and quarters."""
    from addin.udfs.gripniveau import agenda_rows
    from calc.grip_level.routemap import development_agenda
    from calc.grip_level.rubric import Level

    rows = agenda_rows(development_agenda([Level.ERNSTIG] + [Level.IN_CONTROLE] * 8,
                                          start="2027-K1"))
    assert rows[0][:4] == [1.0, "1 Visie en koers", "ernstig", "waakzaam"] and len(rows[0]) == 8


def test_a_full_agenda_range_says_how_many_measures_did_not_fit():
    """More measures than rows: the last row counts the rest, never a silent cut."""
    import inspect

    from addin.udfs import gripniveau
    from addin.udfs.gripniveau import AGENDA_HEADER

    full = SD_GRIPAGENDA([[10.0]] * 9, "2027-K1")       # every topic ernstig: 27 measures
    out = SD_GRIPAGENDA([[10.0]] * 9, "2027-K1", None, 5.0)
    assert len(full) == 20 and len(out) == 5 and all(len(r) == len(AGENDA_HEADER) for r in out)
    assert out[:4] == full[:4] and [r[0] for r in out[:4]] == [1.0, 2.0, 3.0, 4.0]
    assert out[4][0] == "" and out[4][1].startswith("… en nog 23 maatregelen")
    assert full[19][1].startswith("… en nog 8 maatregelen")
    assert f"Kolommen: {', '.join(AGENDA_HEADER)}." in inspect.getsource(gripniveau)  # its doc too


def test_kpi_scores_per_topic_from_the_kpi_table():
    """Topic 8 has KPI scores 40 and 'geen gegevens' → 40; topic 7 has 55 and 50 → 52,5."""
    out = SD_GRIPKPISCORES([[8.0], [7.0], [7.0], [8.0]], [[40.0], [55.0], [50.0], ["geen gegevens"]])
    assert out[7] == [40.0] and out[6] == [52.5] and out[0] == [None]
    assert SD_GRIPKPISCORES([[12.0]], [[40.0]]).startswith("#INVOER: onderwerpen, rij 1: onderwerp 12")


def test_criterion_numbers_typed_as_numbers_are_understood():
    """Excel may turn 4.1 into a number; it still names criterion 4.1."""
    out = SD_GRIPONDERWERPSCORES([[4.1], [4.2]], [["in controle"], ["waakzaam"]])
    assert out[3] == [75.0] and out[0] == [None]


def test_scores_formatted_as_percentages_are_refused():
    """A score range formatted as percentages holds 0,65 for '65%': every level was 'ernstig'
    without a word. Now the message says what happened; all 0 (or 0 and 1) is still a score."""
    from addin.udfs import SD_GRIPNIVEAU

    assert SD_GRIPNIVEAU([[0.65]] * 9).startswith(
        "#INVOER: scores: alle scores liggen tussen 0 en 1: staan ze als percentage")
    assert SD_GRIPNIVEAU([[0.0]] * 9) == "ernstig"
    assert SD_GRIPNIVEAU([[65]] * 9, None, [[0.5], [0.75]]).startswith(
        "#INVOER: grenzen: de grenzen 0,5 en 0,75 liggen tussen 0 en 1: staan ze als percentage")
