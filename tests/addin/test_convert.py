"""Tests of the translation between Excel arguments and numpy."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin import convert
from calc.errors import InputError


@pytest.mark.parametrize("value, expected", [
    (2.0, [[2.0]]),
    ([1.0, 2.0], [[1.0, 2.0]]),
    ([[1.0], [2.0]], [[1.0], [2.0]]),
    ([[1.0, None], [None, 4.0]], [[1.0, 0.0], [0.0, 4.0]]),
])
def test_to_matrix_accepts_what_excel_hands_over(value, expected):
    """Scalars, flat lists and lists of rows all become 2-D; empty cells become 0."""
    np.testing.assert_array_equal(convert.to_matrix(value, "x"), expected)


@pytest.mark.parametrize("value, message", [
    ([[1.0, True]], "WAAR is geen getal"),
    ([["12,5 uur"]], "tekst '12,5 uur' is geen getal"),
    ([["#N/A"]], "foutwaarde #N/A in de cel"),
])
def test_to_matrix_names_what_is_wrong(value, message):
    """Booleans, text and error values are refused with a Dutch reason."""
    with pytest.raises(InputError, match=message):
        convert.to_matrix(value, "x")


def test_to_vector_refuses_a_block():
    """A vector argument must be one row or one column."""
    with pytest.raises(InputError, match="één kolom of één rij"):
        convert.to_vector([[1.0, 2.0], [3.0, 4.0]], "schok")


@pytest.mark.parametrize("value, default, expected", [(None, 12, 12), (6.0, 12, 6)])
def test_to_whole_uses_the_default_for_an_empty_cell(value, default, expected):
    """An omitted optional number takes its default."""
    assert convert.to_whole(value, "horizon", default=default) == expected


def test_to_whole_refuses_fractions_and_out_of_range():
    """2,5 is not a whole number; limits are checked."""
    with pytest.raises(InputError, match="geheel getal"):
        convert.to_whole(2.5, "jaren")
    with pytest.raises(InputError, match="minstens 1"):
        convert.to_whole(0.0, "jaren", minimum=1)


@pytest.mark.parametrize("value, expected", [(None, True), ("", True), (False, False), ("ONWAAR", False),
                                             (1.0, True), ("nee", False), ("ja", True)])
def test_to_bool(value, expected):
    """TRUE/FALSE arrive as bool, typed Dutch words (WAAR, ja, nee) and 1/0 are understood."""
    assert convert.to_bool(value, "cumulatief", default=True) is expected


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@given(st.lists(st.lists(finite, min_size=3, max_size=3), min_size=1, max_size=8))
def test_range_to_model_and_back_is_lossless(rows):
    """An Excel range of numbers survives the round trip to numpy and back unchanged."""
    assert convert.table(convert.to_matrix(rows, "x")) == rows


@given(st.lists(finite, min_size=1, max_size=20))
def test_column_round_trip(values):
    """A column result read back as a vector gives the same numbers."""
    assert convert.to_vector(convert.column(np.array(values)), "x").tolist() == values


def test_every_udf_reads_a_cell_the_same_way():
    """"0,8" is a number and "ja"/"nee" a yes/no in every UDF, as the same typed values."""
    from addin.udfs import SD_KANS_SLUITEND, SD_NAGEKOMEN, SD_PROGNOSE, SD_SALDOBAND

    series = [[10.0 + k % 4 + 0.3 * k] for k in range(12)]  # short: no season, fast
    assert SD_PROGNOSE(series, "2", "1", "0,8") == SD_PROGNOSE(series, 2.0, 1.0, 0.8)
    triangle = [[1.0, 2.0, 3.0], [1.5, 2.5, None], [2.0, None, None]]
    assert SD_NAGEKOMEN(triangle, "nee") == SD_NAGEKOMEN(triangle, False)
    assert SD_NAGEKOMEN(triangle, "ja") == SD_NAGEKOMEN(triangle, "WAAR") == SD_NAGEKOMEN(triangle, None)
    assert SD_KANS_SLUITEND("100,5", [["0", "50", "200,5"]]) == SD_KANS_SLUITEND(100.5, [[0.0, 50.0, 200.5]])
    years, saldo, measures = [[2026.0, 2027.0]], [[-100.0, -100.0]], [[10.0, 50.0, 90.0, 2026.0, "nee", ""]]
    typed = SD_SALDOBAND(years, saldo, [[0.0, 0.0]], measures)
    assert isinstance(typed, list)
    assert typed == SD_SALDOBAND(years, saldo, [[0.0, 0.0]], [[10.0, 50.0, 90.0, 2026.0, False, None]])
    assert typed != SD_SALDOBAND(years, saldo, [[0.0, 0.0]], [[10.0, 50.0, 90.0, 2026.0, "ja", None]])


def test_office_js_empty_text_is_empty_everywhere():
    """Office.js hands "" for an empty cell: optional ranges and ids read it as empty, like None."""
    from addin.udfs import SD_GRIPNIVEAU, SD_GRIPONDERWERPSCORES

    scores = [[60.0]] * 9
    assert SD_GRIPNIVEAU(scores, [[""]] * 9, [[""], [""]]) == SD_GRIPNIVEAU(scores, None, None)
    ids, levels = [["1.1"], [""]], [["waakzaam"], [""]]
    assert SD_GRIPONDERWERPSCORES(ids, levels, None, "") == \
        SD_GRIPONDERWERPSCORES([["1.1"], [None]], [["waakzaam"], [None]], None, None)
