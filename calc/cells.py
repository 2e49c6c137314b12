"""Reading cells: the one set of rules for what a controller typed, and one Dutch message table.

Every UDF, job and sheet reader reads its cells here, so a cell means the same everywhere:

- **empty** is ``None`` or blank text (Office.js hands ``""``); it takes the caller's default;
- **a number** is an ``int``/``float`` or text such as ``"0,8"``, ``"1.234,5"`` or ``"€ 12"``
  (decimal comma; a dot alone is a decimal point, as before); ``WAAR``/``ONWAAR`` is not a number;
  an Excel error value (``#N/B``, ``#N/A`` ...) is named as such;
- **yes/no** is ``WAAR``/``ONWAAR`` (a bool, or typed as text), ``TRUE``/``FALSE``, ``ja``/``nee``,
  ``1``/``0`` and the few words of ``TRUE_WORDS``/``FALSE_WORDS``;
- **a date or a month** is a date cell (``datetime``/``date``, or Excel's day number such as
  45658 when a date cell arrives as a number) or text in the forms Dutch systems and Excel
  write: ``2025-07-15``, ``15-07-2025`` (also with ``/`` or ``.``), ``15-7-25`` (a two-digit
  year is 20..), ``20250715``, ``2025-07``, ``07-2025``, ``202507``, ``jul 2025``, ``juli 2025``,
  ``jul-25``, ``15-okt-2025``; a month is the first day of its month (``parse_date``,
  ``parse_month``);
- every problem is a ``Problem`` naming the argument and the 0-based row and column, so a
  caller collects them and raises them at once; ``addin.policy`` shows them 1-based.

Two styles over the same rules: the collecting readers (``number``, ``whole``, ``flag``,
``text``) take ``where = (argument, row, column)`` and a problem list, for a table read row by
row; the raising readers (``to_matrix``, ``to_vector``, ``to_number``, ``to_whole``,
``to_bool``, ``to_text``) take a whole argument as Excel hands it over (a scalar, a flat list
or a list of rows: ``grid``) and raise ``InputError`` with every problem.

``MESSAGES`` is the one Dutch table of reading problems; ``PYDANTIC_MESSAGES`` and
``pydantic_message`` translate pydantic's error types with the same words.

>>> to_number("0,8", "betrouwbaarheid"), to_bool("ja", "cumulatief", default=False)
(0.8, True)
>>> to_matrix([[1.0, "veel"]], "matrix")
Traceback (most recent call last):
...
calc.errors.InputError: tekst 'veel' is geen getal
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from calc.errors import InputError, Problem, raise_if
from calc.text import FALSE_TEXT, NO, TRUE_TEXT, YES, excel_bool

#: The Dutch reading problems, by key (``{...}`` filled by the reader).
MESSAGES = {
    "empty": "de cel is leeg",
    "no_number": "er is geen getal opgegeven",
    "no_text": "er is geen tekst opgegeven",
    "text": "tekst '{shown}' is geen getal",
    "bool": "{word} is geen getal",
    "excel_error": "foutwaarde {code} in de cel",
    "value": "waarde '{shown}' is geen getal",
    "date_number": "datum {shown} is geen getal (is de cel als datum opgemaakt?)",
    "not_finite": "waarde is geen eindig getal",
    "not_whole": "moet een geheel getal zijn, maar is {value}",
    "below": "moet minstens {limit} zijn, maar is {value}",
    "above": "mag hoogstens {limit} zijn, maar is {value}",
    "flag": "verwacht WAAR of ONWAAR (of ja, nee), maar kreeg '{shown}'",
    "not_vector": "verwacht één kolom of één rij, maar kreeg {rows} x {columns} cellen",
    "no_date": "'{shown}' is geen datum (typ bijvoorbeeld 15-07-2025 of 2025-07-15)",
    "no_month": "'{shown}' is geen maand: typ bijvoorbeeld 2025-07, 07-2025 of juli 2025",
    "no_such_date": "'{shown}' is geen bestaande datum",
    "years": "{shown} ligt buiten de jaren {first}–{last}",
}

#: pydantic error type -> Dutch text (``{...}`` filled from the error's ctx), same words as above.
PYDANTIC_MESSAGES = {
    "missing": "ontbreekt",
    "greater_than_equal": "moet minstens {ge} zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "float_parsing": "is geen getal",
    "float_type": "is geen getal",
    "int_parsing": "is geen geheel getal",
    "int_type": "is geen geheel getal",
    "int_from_float": "is geen geheel getal",
    "bool_parsing": "verwacht WAAR of ONWAAR (of ja, nee)",
    "bool_type": "verwacht WAAR of ONWAAR (of ja, nee)",
    "string_type": "moet tekst zijn",
    "finite_number": "is geen eindig getal",
    "extra_forbidden": "is een onbekend veld",
}

#: Excel's error values as they may arrive as text (English and Dutch Excel).
EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#DEEL/0!", "#WAARDE!", "#VERW!", "#NAAM?", "#GETAL!", "#N/B", "#LEEG!",
})

#: Yes/no typed as text (compared in lower case); Grip's own written words among them.
TRUE_WORDS = frozenset({TRUE_TEXT.lower(), "true", YES, "j", "1", "x", "aan", "structureel"})
FALSE_WORDS = frozenset({FALSE_TEXT.lower(), "false", NO, "n", "0", "uit", "incidenteel",
                         "eenmalig"})

_DUTCH_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d*")
#: Thousands dots without a decimal comma, as Dutch Excel reads them when typed and writes
#: them in a CSV of a cell with a number format: '€ 80.000' is eighty thousand, not 80.
#: A leading 0 ('0.125') is a decimal point: no group of thousands starts with 0.
_DUTCH_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+")

Where = tuple[str | None, int | None, int | None]

#: Largest magnitude accepted in a number cell: 10^15. Excel keeps 15 significant digits, an
#: amount beyond a thousand trillion euro is a typing error, and it keeps every engine far
#: from float overflow (10^308). Stated in the README.
MAX_ABS = 1e15


def nl(value: float) -> str:
    """A number as a message shows it: exact and shortest, decimal comma, no thousands dots
    (a year is 2026, not 2.026; ``:g`` wrote 100000,5 as '100000', 1234567 as '1,23457e+06').

    >>> nl(1.5), nl(40.0), nl(-0.25), nl(1234567.0), nl(100000.5)
    ('1,5', '40', '-0,25', '1234567', '100000,5')
    """
    text = repr(float(value))                  # the shortest text that reads back exactly
    if "e" in text or "n" in text:             # 1e+16, 1e-07, inf, nan
        return f"{value:g}".replace(".", ",")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    frac = frac.rstrip("0")
    return sign + whole + ("," + frac if frac else "")


def is_empty(cell: Any) -> bool:
    """True for ``None`` and blank text (also a NaN, as pandas gives for an empty cell).

    >>> is_empty(None), is_empty("  "), is_empty(0.0), is_empty(float("nan"))
    (True, True, False, True)
    """
    if cell is None:
        return True
    if isinstance(cell, str):
        return cell.strip() == ""
    return isinstance(cell, float) and math.isnan(cell)


def _shown(cell: Any) -> str:
    text = str(cell)
    return text if len(text) <= 20 else text[:17] + "..."


def parse_number(cell: Any) -> tuple[float | None, str | None]:
    """``(number, None)`` for a usable number, ``(None, Dutch reason)`` for anything else.

    An empty cell is not handled here (see ``is_empty``).

    >>> parse_number("1.234,5"), parse_number(" € 12 "), parse_number(2)
    ((1234.5, None), (12.0, None), (2.0, None))
    >>> [parse_number(t)[0] for t in ("€ 80.000", "12.345.678", "0.125", "1.5", "0,8")]
    [80000.0, 12345678.0, 0.125, 1.5, 0.8]
    >>> parse_number(True)[1], parse_number("#N/B")[1], parse_number("abc")[1]
    ('WAAR is geen getal', 'foutwaarde #N/B in de cel', "tekst 'abc' is geen getal")
    >>> parse_number(dt.datetime(2027, 1, 1))[1]
    'datum 01-01-2027 is geen getal (is de cel als datum opgemaakt?)'
    """
    if isinstance(cell, (bool, np.bool_)):
        return None, MESSAGES["bool"].format(word=excel_bool(cell))
    if isinstance(cell, str):
        stripped = cell.strip()
        if stripped.upper() in EXCEL_ERRORS:
            return None, MESSAGES["excel_error"].format(code=stripped.upper())
        text = stripped.replace("€", "").replace(" ", "").replace("\u00a0", "")
        if _DUTCH_GROUPED.fullmatch(text) or _DUTCH_THOUSANDS.fullmatch(text):
            text = text.replace(".", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return None, MESSAGES["text"].format(shown=_shown(cell))
    elif isinstance(cell, (int, float, np.integer, np.floating)):
        value = float(cell)
    elif isinstance(cell, dt.date):     # a date cell arrives from Excel as a date
        return None, MESSAGES["date_number"].format(shown=f"{cell:%d-%m-%Y}")
    else:
        return None, MESSAGES["value"].format(shown=_shown(cell))
    if not math.isfinite(value):
        return None, MESSAGES["not_finite"]
    if abs(value) > MAX_ABS:
        return None, f"getal {value:.16g} is groter dan de grens van 10^15 (1.000 biljoen)"
    return value, None


def parse_fraction(cell: Any) -> tuple[float | None, str | None]:
    """``(fraction, None)`` for a share or a change as typed: a number (Excel's 6% cell is
    0.06) or text with a percent sign (``6%``, ``-12,5 %``, ``−20%``); ``(None, reason)``
    otherwise. The range is the caller's.

    >>> parse_fraction("6%"), parse_fraction("0,06"), parse_fraction("−12,5 %"), parse_fraction(-0.2)
    ((0.06, None), (0.06, None), (-0.125, None), (-0.2, None))
    """
    if isinstance(cell, str) and cell.strip().endswith("%"):
        number, reason = parse_number(cell.strip()[:-1].strip().replace("\u2212", "-"))
        return (None, reason) if reason else (number / 100, None)
    return parse_number(cell)


def _limits(value: float, minimum: float | None, maximum: float | None) -> str | None:
    if minimum is not None and value < minimum:
        return MESSAGES["below"].format(limit=nl(minimum), value=nl(value))
    if maximum is not None and value > maximum:
        return MESSAGES["above"].format(limit=nl(maximum), value=nl(value))
    return None


# --- collecting readers: one cell of a table row ------------------------------------------


def number(cell: Any, where: Where, problems: list[Problem], *, default: float | None = None,
           minimum: float | None = None, maximum: float | None = None,
           parse: Callable[[Any], tuple[float | None, str | None]] | None = None
           ) -> float | None:
    """A finite number; ``default`` for an empty cell (``None`` default: empty is a problem).

    >>> p = []
    >>> number("0,25", ("verbanden", 0, 2), p), number(None, ("x", 0, 0), p, default=1.0), p
    (0.25, 1.0, [])
    >>> number("veel", ("verbanden", 3, 2), p), p[0]
    (None, Problem(message="tekst 'veel' is geen getal", argument='verbanden', row=3, column=2))
    """
    if is_empty(cell):
        if default is None:
            problems.append(Problem(MESSAGES["empty"], *where))
        return default
    value, reason = (parse or parse_number)(cell)
    if reason is None:
        reason = _limits(value, minimum, maximum)
    if reason is not None:
        problems.append(Problem(reason, *where))
        return None
    return value


def whole(cell: Any, where: Where, problems: list[Problem], *, default: int | None = None,
          minimum: int | None = 0, maximum: int | None = None) -> int | None:
    """A whole number (e.g. a lag in years), at least ``minimum``.

    >>> p = []
    >>> whole(2.0, ("v", 0, 6), p), whole("1,5", ("v", 1, 6), p), p[0].message
    (2, None, 'moet een geheel getal zijn, maar is 1,5')
    """
    value = number(cell, where, problems, default=None if default is None else float(default))
    if value is None:
        return None
    reason = MESSAGES["not_whole"].format(value=nl(value)) if value != int(value) else \
        _limits(value, minimum, maximum)
    if reason is not None:
        problems.append(Problem(reason, *where))
        return None
    return int(value)


def text(cell: Any) -> str:
    """A cell as trimmed text (empty for an empty cell; 2.0 becomes '2').

    >>> text(" Jeugd "), text(2.0), text(None)
    ('Jeugd', '2', '')
    """
    if is_empty(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def flag(cell: Any, where: Where, problems: list[Problem], *, default: bool) -> bool:
    """Yes/no: WAAR/ONWAAR, TRUE/FALSE, ja/nee, 1/0 (and ``TRUE_WORDS``/``FALSE_WORDS``).

    >>> p = []
    >>> flag("ja", ("m", 0, 0), p, default=False), flag(None, ("m", 0, 0), p, default=True)
    (True, True)
    >>> flag("misschien", ("m", 2, 9), p, default=True), p[0].message
    (True, "verwacht WAAR of ONWAAR (of ja, nee), maar kreeg 'misschien'")
    """
    if is_empty(cell):
        return default
    if isinstance(cell, (bool, np.bool_)):
        return bool(cell)
    word = text(cell).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    problems.append(Problem(MESSAGES["flag"].format(shown=_shown(text(cell))), *where))
    return default


def row_cells(row: Sequence[Any], width: int) -> list[Any]:
    """A table row as read from a sheet or file: cells missing at its end (a short CSV line,
    a narrower range) are empty, so column ``k < width`` can always be read; extra cells stay.

    >>> row_cells(["a"], 3), row_cells([1, 2, 3, 4], 2)
    (['a', None, None], [1, 2, 3, 4])
    """
    cells = list(row)
    return cells + [None] * (width - len(cells))


# --- raising readers: a whole argument as Excel hands it over ------------------------------


def grid(value: Any) -> list[list[Any]]:
    """Any Excel argument as a list of rows (a scalar becomes 1 x 1, a flat list one row).

    >>> grid(3.0), grid([1.0, 2.0]), grid([[1.0], [2.0]])
    ([[3.0]], [[1.0, 2.0]], [[1.0], [2.0]])
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [[value]]
    if len(value) == 0:
        return []
    if not isinstance(value[0], (list, tuple)):
        return [list(value)]
    return [list(row) for row in value]


def first(value: Any) -> Any:
    """The first cell of an argument (``None`` for an empty range).

    >>> first([["a", "b"]]), first([]), first(2.0)
    ('a', None, 2.0)
    """
    rows = grid(value)
    return rows[0][0] if rows and rows[0] else None


def single(value: Any, argument: str) -> Any:
    """The one cell of a scalar argument (``None`` for an empty range); a range of more than
    one cell is refused, never cut to its first value.

    >>> single([[5.0]], "jaren"), single([[]], "jaren"), single([], "jaren")
    (5.0, None, None)
    >>> single([[5.0, 6.0]], "jaren")
    Traceback (most recent call last):
    ...
    calc.errors.InputError: verwacht één cel, maar kreeg 1 x 2 cellen
    """
    rows = grid(value)
    found = [c for r in rows for c in r]
    if len(found) > 1:
        raise InputError(f"verwacht één cel, maar kreeg {len(rows)} x "
                         f"{max(len(r) for r in rows)} cellen", argument=argument)
    return found[0] if found else None


def cells_1d(value: Any, argument: str) -> list[Any]:
    """The cells of one column or one row, in order; a block of several rows and columns is
    refused (never cut to its first column).

    >>> cells_1d([["a"], ["b"]], "themas"), cells_1d([["a", "b"]], "themas"), cells_1d([], "x")
    (['a', 'b'], ['a', 'b'], [])
    """
    rows = grid(value)
    width = max((len(r) for r in rows), default=0)
    if len(rows) > 1 and width > 1:
        raise InputError(f"verwacht één kolom of één rij, maar kreeg {len(rows)} x {width} "
                         "cellen", argument=argument)
    if len(rows) == 1:
        return list(rows[0])
    return [r[0] if r else None for r in rows]


def to_matrix(value: Any, argument: str, *, empty: float | None = 0.0,
              fractions: Sequence[int] | bool = ()) -> np.ndarray:
    """A range of numbers as a 2-D float array.

    Parameters
    ----------
    value : what Excel handed over
    argument : the parameter name, for messages
    empty : value for an empty cell; ``None`` makes an empty cell an error, ``nan`` keeps it
    fractions : columns of shares (``True``: all), read as ``parse_fraction`` reads them
        ('80%' is 0.8)

    >>> to_matrix([[1.0, None], ["3,5", 4.0]], "matrix")
    array([[1. , 0. ],
           [3.5, 4. ]])
    >>> to_matrix([[10.0, "80%"]], "besparingen", fractions=(1,))
    array([[10. ,  0.8]])
    """
    rows = grid(value)
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), np.nan)
    problems: list[Problem] = []
    for i, row in enumerate(rows):
        for j in range(width):
            x = number(row[j] if j < len(row) else None, (argument, i, j), problems, default=empty,
                       parse=parse_fraction if fractions is True or (
                           fractions is not False and j in fractions) else None)
            if x is not None:
                out[i, j] = x
    raise_if(problems)
    return out


def to_vector(value: Any, argument: str, *, empty: float | None = 0.0,
              fractions: bool = False) -> np.ndarray:
    """A single row or column of numbers as a 1-D float array (``fractions``: shares or
    rates, '3,5%' is 0.035).

    >>> to_vector([[1.0], [2.0]], "schok"), to_vector([[1.0, "3,5%"]], "loonindex", fractions=True)
    (array([1., 2.]), array([1.   , 0.035]))
    """
    m = to_matrix(value, argument, empty=empty, fractions=fractions)
    if m.ndim == 2 and min(m.shape) > 1:
        raise InputError(MESSAGES["not_vector"].format(rows=m.shape[0], columns=m.shape[1]),
                         argument=argument)
    return m.reshape(-1)


def to_number(value: Any, argument: str, *, default: float | None = None,
              minimum: float | None = None, maximum: float | None = None,
              row: int | None = None, column: int | None = None,
              parse: Callable[[Any], tuple[float | None, str | None]] | None = None) -> float:
    """One number (a single cell or a typed value); ``default`` for an empty cell.

    >>> to_number(None, "kans", default=1.0), to_number("0,8", "kans", maximum=1)
    (1.0, 0.8)
    >>> to_number(2.5, "kans", maximum=1)
    Traceback (most recent call last):
    ...
    calc.errors.InputError: mag hoogstens 1 zijn, maar is 2,5
    """
    cell = single(value, argument)
    if is_empty(cell) and default is None:
        raise InputError(MESSAGES["no_number"], argument=argument, row=row, column=column)
    problems: list[Problem] = []
    x = number(cell, (argument, row, column), problems, default=default,
               minimum=minimum, maximum=maximum, parse=parse)
    raise_if(problems)
    return float(x)


def to_fraction(value: Any, argument: str, *, default: float | None = None,
                minimum: float | None = None, maximum: float | None = None) -> float:
    """One share or level as typed: a number (Excel's 80% cell is 0.8) or text with a percent
    sign ('80%'); ``default`` for an empty cell.

    >>> to_fraction("80%", "betrouwbaarheid"), to_fraction(None, "betrouwbaarheid", default=0.8)
    (0.8, 0.8)
    """
    return to_number(value, argument, default=default, minimum=minimum, maximum=maximum,
                     parse=parse_fraction)


def to_whole(value: Any, argument: str, *, default: int | None = None,
             minimum: int | None = None, maximum: int | None = None,
             row: int | None = None, column: int | None = None) -> int:
    """One whole number; refuses 2,5.

    >>> to_whole("12", "horizon"), to_whole(None, "seizoen", default=12)
    (12, 12)
    """
    cell = single(value, argument)
    if is_empty(cell) and default is None:
        raise InputError(MESSAGES["no_number"], argument=argument, row=row, column=column)
    problems: list[Problem] = []
    x = whole(cell, (argument, row, column), problems, default=default, minimum=minimum,
              maximum=maximum)
    raise_if(problems)
    return int(x)


def to_bool(value: Any, argument: str, *, default: bool,
            row: int | None = None, column: int | None = None) -> bool:
    """Yes/no from one cell (the rules of ``flag``); ``default`` for an empty cell.

    >>> to_bool("ONWAAR", "cumulatief", default=True), to_bool(None, "x", default=True)
    (False, True)
    """
    problems: list[Problem] = []
    out = flag(single(value, argument), (argument, row, column), problems, default=default)
    raise_if(problems)
    return out


def to_text(value: Any, argument: str, *, default: str | None = None,
            row: int | None = None, column: int | None = None) -> str:
    """One piece of text (a number is taken as its text); ``default`` for an empty cell.

    >>> to_text(2027.0, "startjaar"), to_text("", "pad", default="")
    ('2027', '')
    """
    cell = single(value, argument)
    if is_empty(cell):
        if default is None:
            raise InputError(MESSAGES["no_text"], argument=argument, row=row, column=column)
        return default
    return text(cell)


# --- dates and months ---------------------------------------------------------------------

#: The years a month of Grip's data may lie in; outside them a month is a typing error.
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: Day 0 of Excel's day numbers (1900 system, with its leap-year bug: from March 1900 on).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Excel's day numbers read as a date: 2000-01-01 .. 2099-12-31. Outside them a number is
#: taken as a number (an amount, a year), not as a date cell.
SERIAL_FIRST, SERIAL_LAST = 36526, 73050
#: Month names and Excel's abbreviations, Dutch and English ("mrt-25" and "mar-25").
MONTH_NAMES = {name: k for k, names in enumerate((
    ("jan", "januari", "january"), ("feb", "februari", "february"),
    ("mrt", "mar", "maart", "march"), ("apr", "april"), ("mei", "may"),
    ("jun", "juni", "june"), ("jul", "juli", "july"), ("aug", "augustus", "august"),
    ("sep", "sept", "september"), ("okt", "oct", "oktober", "october"),
    ("nov", "november"), ("dec", "december")), start=1) for name in names}

_SEP = r"[-/.]"
#: (pattern, groups as (year, month, day)) in the order tried; text in lower case.
_DATE_FORMS = (
    (re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})"), (1, 2, 3)),      # 2025-07-15
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), (1, 2, 3)),                           # 20250715
    (re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})"), (3, 2, 1)),      # 15-07-2025
    (re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})"), (1, 2, None)),                     # 2025-07
    (re.compile(rf"(\d{{1,2}}){_SEP}(\d{{4}})"), (2, 1, None)),                     # 07-2025
    (re.compile(r"(20\d{2})(\d{2})"), (1, 2, None)),                                # 202507
    (re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{2}})"), (3, 2, 1)),        # 15-7-25
)
#: A month by name as Excel shows it: jul 2025, juli 2025, jul-25, 15-okt-2025, 1 mei '26.
_NAMED = re.compile(r"(?:(\d{1,2})[- ]?)?([a-z]+)\.?[- ]?'?(\d{4}|\d{2})")
#: A time after a date, as a CSV of a date cell may carry it (2025-07-15 00:00:00).
_TIME = re.compile(r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _serial(number: float) -> dt.date | None:
    """The date of an Excel day number of ``SERIAL_FIRST``..``SERIAL_LAST`` (a whole one)."""
    if number == int(number) and SERIAL_FIRST <= number <= SERIAL_LAST:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


@lru_cache(maxsize=65536)
def _date_text(text: str) -> tuple[dt.date | None, str | None]:
    lower = _TIME.sub("", text.strip().lower())
    if lower.isdigit() and len(lower) == 5:
        day = _serial(int(lower))
        if day is not None:
            return day, None
    parts = None
    for pattern, (y, m, d) in _DATE_FORMS:
        match = pattern.fullmatch(lower)
        if match:
            parts = (match.group(y), match.group(m), match.group(d) if d else "1")
            if len(parts[0]) == 2:          # 15-7-25: Excel's short year, this century
                parts = ("20" + parts[0], *parts[1:])
            break
    if parts is None and (match := _NAMED.fullmatch(lower)) and match.group(2) in MONTH_NAMES:
        year = match.group(3)
        parts = ("20" + year if len(year) == 2 else year, MONTH_NAMES[match.group(2)],
                 match.group(1) or "1")
    if parts is None:
        return None, MESSAGES["no_date"].format(shown=_shown(text.strip()))
    try:
        return dt.date(*(int(p) for p in parts)), None
    except ValueError:
        return None, MESSAGES["no_such_date"].format(shown=_shown(text.strip()))


def parse_date(cell: Any) -> tuple[dt.date | None, str | None]:
    """``(date, None)`` for a date as a cell or an export holds it, ``(None, Dutch reason)``
    for anything else. An empty cell is not handled here (see ``is_empty``); the year is not
    checked (an export's 31-12-9999 is its way of saying "no end").

    A date cell (``datetime``, ``date``, ``numpy.datetime64``) is its day; a number is Excel's
    day number of 2000–2099 (45658 is 2025-01-01) or ``JJJJMMDD``; text is any of the forms in
    the module's docstring, a month alone being its first day.

    >>> parse_date("15-7-2025"), parse_date("20250715"), parse_date(45853)
    ((datetime.date(2025, 7, 15), None), (datetime.date(2025, 7, 15), None), (datetime.date(2025, 7, 15), None))
    >>> parse_date("jul 2025")[0], parse_date("15-okt-2026")[0], parse_date("07-2025")[0]
    (datetime.date(2025, 7, 1), datetime.date(2026, 10, 15), datetime.date(2025, 7, 1))
    >>> parse_date("15-7-25")[0], parse_date("202507")[0], parse_date(202507)[0]
    (datetime.date(2025, 7, 15), datetime.date(2025, 7, 1), datetime.date(2025, 7, 1))
    >>> parse_date("31-02-2025")[1], parse_date("morgen")[1]
    ("'31-02-2025' is geen bestaande datum", "'morgen' is geen datum (typ bijvoorbeeld 15-07-2025 of 2025-07-15)")
    """
    if isinstance(cell, dt.datetime):
        return cell.date(), None
    if isinstance(cell, dt.date):
        return cell, None
    if isinstance(cell, np.datetime64):
        return cell.astype("datetime64[D]").item(), None
    if isinstance(cell, (bool, np.bool_)):
        return None, MESSAGES["no_date"].format(shown=excel_bool(cell))
    if isinstance(cell, (int, float, np.integer, np.floating)):
        number = float(cell)
        if math.isfinite(number):
            day = _serial(number)
            if day is not None:
                return day, None
            if number == int(number) and (10_000_000 <= number <= 99_999_999
                                          or 200_001 <= number <= 209_912):
                return _date_text(str(int(number)))
        return None, MESSAGES["no_date"].format(shown=nl(number) if math.isfinite(number)
                                                else _shown(cell))
    if isinstance(cell, str):
        return _date_text(cell)
    return None, MESSAGES["no_date"].format(shown=_shown(cell))


def parse_month(cell: Any) -> tuple[dt.date | None, str | None]:
    """``(first day of the month, None)`` for a month as a controller types it or a date cell
    (its month), ``(None, Dutch reason)`` otherwise, also for a year outside
    ``FIRST_YEAR``..``LAST_YEAR``. The forms of ``parse_date``.

    >>> [str(parse_month(m)[0]) for m in ("2025-07", "07-2025", "jul 2025", "juli 2025",
    ...                                   "1-7-2025", dt.datetime(2025, 7, 15), 45853)]
    ['2025-07-01', '2025-07-01', '2025-07-01', '2025-07-01', '2025-07-01', '2025-07-01', '2025-07-01']
    >>> parse_month("juli")[1], parse_month("2025-13")[1]
    ("'juli' is geen maand: typ bijvoorbeeld 2025-07, 07-2025 of juli 2025", "'2025-13' is geen maand: typ bijvoorbeeld 2025-07, 07-2025 of juli 2025")
    >>> parse_month("1999-12")[1]
    '12-1999 ligt buiten de jaren 2000–2100'
    """
    day, reason = parse_date(cell)
    if day is None:
        shown = text(cell) if isinstance(cell, (str, int, float)) and not isinstance(cell, bool) \
            else str(cell)
        return None, MESSAGES["no_month"].format(shown=_shown(shown))
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None, MESSAGES["years"].format(shown=f"{day:%m-%Y}", first=FIRST_YEAR,
                                              last=LAST_YEAR)
    return day.replace(day=1), None


# --- pydantic's errors in the same words -------------------------------------------------


def pydantic_message(error: Mapping[str, Any], *, extra: Mapping[str, str] | None = None) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as a Dutch phrase.

    A ``value_error`` keeps the model's own (Dutch) text; a known type gets the table's words
    (numbers with a decimal comma) and, for a value that breaks a rule, what was received.
    ``extra`` adds types a model knows better (e.g. ``enum``).

    >>> pydantic_message({"type": "less_than_equal", "ctx": {"le": 1.0}, "input": 1.5})
    'mag hoogstens 1 zijn (ontvangen: 1,5)'
    >>> pydantic_message({"type": "missing", "input": {}})
    'ontbreekt'
    """
    kind = error["type"]
    if kind == "value_error":
        ctx_error = (error.get("ctx") or {}).get("error")
        return str(ctx_error) if ctx_error is not None else \
            str(error.get("msg", "")).removeprefix("Value error, ")
    template = (extra or {}).get(kind) or PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return f"ongeldige waarde ({kind})"
    ctx = {k: nl(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
           for k, v in (error.get("ctx") or {}).items()}
    message = template.format(**ctx)
    if kind not in ("missing", "extra_forbidden") and "input" in error:
        received = error["input"]
        shown = nl(received) if isinstance(received, (int, float)) and not isinstance(received, bool) \
            else str(received)
        message += f" (ontvangen: {shown[:20]})"
    return message
