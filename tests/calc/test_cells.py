"""Tests of the one cell reader: the same rules for every UDF, job and sheet reader."""

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc import cells
from calc.errors import InputError, Problem


@pytest.mark.parametrize("cell, expected", [
    (2.0, 2.0), (3, 3.0), ("0,8", 0.8), ("0.8", 0.8), (" 12 ", 12.0), ("€ 1.234,50", 1234.5),
    ("1.234.567,5", 1234567.5), ("-0,25", -0.25), (np.float64(1.5), 1.5), (np.int64(7), 7.0),
])
def test_numbers_are_read_with_a_decimal_comma(cell, expected):
    """A number arrives as a float, an int or Dutch text; all give the same value."""
    assert cells.parse_number(cell) == (expected, None)


@pytest.mark.parametrize("cell, reason", [
    (True, "WAAR is geen getal"), (False, "ONWAAR is geen getal"),
    ("veel", "tekst 'veel' is geen getal"), ("#N/B", "foutwaarde #N/B in de cel"),
    ("#n/a", "foutwaarde #N/A in de cel"), (math.inf, "waarde is geen eindig getal"),
    (object, "waarde '<class 'object'>' is geen getal"),
])
def test_what_is_not_a_number_is_named(cell, reason):
    """Yes/no, text, Excel error values and infinities are refused with their Dutch reason."""
    value, message = cells.parse_number(cell)
    assert value is None and message.startswith(reason[:20])


@pytest.mark.parametrize("cell, expected", [
    (True, True), (False, False), ("WAAR", True), ("onwaar", False), ("TRUE", True),
    ("false", False), ("ja", True), ("Nee", False), (1.0, True), (0.0, False), ("1", True),
    ("structureel", True), ("incidenteel", False), (np.bool_(True), True),
])
def test_yes_no_words(cell, expected):
    """WAAR/ONWAAR, TRUE/FALSE, ja/nee and 1/0 mean the same in every reader."""
    problems = []
    assert cells.flag(cell, ("x", 0, 0), problems, default=not expected) is expected
    assert cells.to_bool(cell, "x", default=not expected) is expected
    assert problems == []


@pytest.mark.parametrize("empty", [None, "", "   ", [[None]], [[""]], []])
def test_empty_takes_the_default_everywhere(empty):
    """``None`` (xlwings) and ``""`` (Office.js) are both empty and give the default."""
    assert cells.to_number(empty, "x", default=4.0) == 4.0
    assert cells.to_whole(empty, "x", default=3) == 3
    assert cells.to_bool(empty, "x", default=True) is True
    assert cells.to_text(empty, "x", default="d") == "d"


def test_empty_without_default_is_a_located_problem():
    """A required cell left empty names the argument, row and column."""
    problems: list[Problem] = []
    assert cells.number(None, ("verbanden", 2, 4), problems) is None
    assert problems == [Problem("de cel is leeg", "verbanden", 2, 4)]
    with pytest.raises(InputError) as info:
        cells.to_number("", "horizon")
    assert (info.value.message, info.value.argument) == ("er is geen getal opgegeven", "horizon")


def test_every_problem_of_a_range_at_once():
    """A range with several bad cells reports each, with its own position."""
    with pytest.raises(InputError) as info:
        cells.to_matrix([[1.0, "x"], [True, "2,5"]], "matrix", empty=None)
    assert [(p.row, p.column) for p in info.value.problems] == [(0, 1), (1, 0)]


def test_limits_and_whole_numbers_in_dutch():
    """Limits and fractions are refused with the number written with a decimal comma."""
    with pytest.raises(InputError, match="mag hoogstens 1 zijn, maar is 1,5"):
        cells.to_number("1,5", "kans", maximum=1)
    with pytest.raises(InputError, match="moet een geheel getal zijn, maar is 2,5"):
        cells.to_whole(2.5, "jaren")
    with pytest.raises(InputError, match="moet minstens 1 zijn, maar is 0"):
        cells.to_whole(0.0, "jaren", minimum=1)


def test_a_bad_flag_says_what_is_expected():
    """An unknown yes/no word is named, with the words that are understood."""
    with pytest.raises(InputError) as info:
        cells.to_bool("misschien", "cumulatief", default=True, row=3)
    assert info.value.message == "verwacht WAAR of ONWAAR (of ja, nee), maar kreeg 'misschien'"
    assert info.value.row == 3


def test_pydantic_errors_use_the_same_words():
    """A pydantic error reads as the cell reader's: Dutch rule, decimal comma, value received."""
    assert cells.pydantic_message({"type": "greater_than_equal", "ctx": {"ge": 0.5}, "input": 0.25}) \
        == "moet minstens 0,5 zijn (ontvangen: 0,25)"
    assert cells.pydantic_message({"type": "float_parsing", "input": "veel"}) \
        == "is geen getal (ontvangen: veel)"
    assert cells.pydantic_message({"type": "enum", "input": "x"}, extra={"enum": "kies"}) \
        == "kies (ontvangen: x)"
    assert cells.pydantic_message({"type": "nieuw", "input": 1}) == "ongeldige waarde (nieuw)"


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_dutch_text_of_a_number_reads_back(x):
    """A number written with a decimal comma reads back as the same number; beyond 10^15 it
    is refused with the limit named (issue 16), never cut or rounded."""
    value, reason = cells.parse_number(repr(x).replace(".", ","))
    if abs(x) <= cells.MAX_ABS:
        assert value == x
    else:
        assert value is None and "grens van 10^15" in reason


@pytest.mark.parametrize("cell", [
    "2025-07", "07-2025", "7-2025", "2025/07", "07/2025", "jul 2025", "Juli 2025", "jul-25",
    "JUL. 2025", "1-7-2025", "01-07-2025", "15/07/2025", "2025-07-15", "20250715",
    "2025-07-15 00:00:00", "45853", 45853, 45853.0, dt.datetime(2025, 7, 15),
    dt.date(2025, 7, 1), np.datetime64("2025-07-15"), "15-jul-2025", "1 juli 2025",
])
def test_a_month_is_read_the_same_ways_everywhere(cell):
    """Every form a controller or an export writes is July 2025 (first day)."""
    assert cells.parse_month(cell) == (dt.date(2025, 7, 1), None)


@pytest.mark.parametrize("cell, reason", [
    ("juli", "'juli' is geen maand: typ bijvoorbeeld 2025-07, 07-2025 of juli 2025"),
    ("2025-13", "'2025-13' is geen maand"),
    ("13-2025", "'13-2025' is geen maand"),
    (2025, "'2025' is geen maand"),
    (True, "is geen maand"),
    ("1999-12", "12-1999 ligt buiten de jaren 2000–2100"),
    ("9999-12", "12-9999 ligt buiten de jaren 2000–2100"),
])
def test_what_is_not_a_month_is_named(cell, reason):
    month, problem = cells.parse_month(cell)
    assert month is None and reason in problem


def test_dates_keep_the_day_and_any_year():
    """A date keeps its day; 31-12-9999 (an export's "no end") is a date, not a problem."""
    assert cells.parse_date("31-12-9999") == (dt.date(9999, 12, 31), None)
    assert cells.parse_date("15-okt-2026") == (dt.date(2026, 10, 15), None)
    assert cells.parse_date("31-02-2026")[1] == "'31-02-2026' is geen bestaande datum"
    assert cells.parse_date(12.5)[1].startswith("'12,5' is geen datum")
