"""Why a cell shows an error: the input cell at the start of a chain of messages.

One wrong input (a typed "4,1 mln") gives a Grip message in every cell of the ``SD_``
formula that reads it, and an error value in every formula that calculates on, up to the
saldo on the Samenvatting. ``ErrorTrace.cause`` walks that chain back:

* a cell of an ``SD_`` formula whose message names its place (``bedragen, rij 1, kolom 1``)
  points at the cell in the range the formula hands over (``workbooks.udf_calls``); if that
  cell shows an error itself, the walk goes on from there;
* a plain formula (``=E78-E77``, a checked total) points at the first cell it reads that
  shows an error;
* the walk ends at a cell without a formula: the cause, if it holds what the message says
  ("tekst '4,1 mln'": that text; "leeg": nothing; otherwise something). When that cannot be
  said for certain, there is no cause rather than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token
from openpyxl.utils import get_column_letter

from calc import cells
from workbooks.udf_calls import argument_cell, message_place, resolve

Key = tuple[str, str]
_SD_CALL = re.compile(r"\bSD_[A-Z0-9_]+\s*\(", re.IGNORECASE)
#: How a message begins that passes on another cell's error (``calc.cells`` words).
PASSED_ON = ("foutwaarde", "tekst '#")
#: Cells of one range read when looking for the error a formula passes on.
MAX_RANGE_CELLS = 20_000


def is_sd_formula(formula: str) -> bool:
    """Does the formula call a Grip UDF?"""
    return bool(_SD_CALL.search(formula))


def shows_error(value: Any) -> bool:
    """A Grip message or an Excel error value (both begin with ``#``)."""
    return isinstance(value, str) and value.startswith("#")


class ErrorTrace:
    """The causes of the errors in one workbook: ``formulas`` maps every formula cell to its
    formula's text (an array formula: each of its cells), ``values`` the computed values."""

    def __init__(self, wb, values: Mapping[Key, Any], formulas: Mapping[Key, str]):
        self.wb, self.values, self.formulas = wb, values, formulas
        self._causes: dict[Key, Key | None] = {}

    def value(self, key: Key) -> Any:
        if key in self.formulas:
            return self.values.get(key)
        return self.wb[key[0]][key[1]].value

    def cause(self, key: Key) -> Key | None:
        """The input cell behind the error ``key`` shows, or ``None``."""
        if key not in self._causes:
            self._causes[key] = None            # a loop in the chain ends without a cause
            self._causes[key] = self._find(key)
        return self._causes[key]

    def _find(self, key: Key) -> Key | None:
        formula = self.formulas.get(key)
        if formula is None or not shows_error(self.values.get(key)):
            return None
        if is_sd_formula(formula):
            place = message_place(self.values[key])
            spot = argument_cell(self.wb, key[0], formula, place) if place else None
            if spot is None:
                # an argument that is an expression (``-(E79+E81)``) passing an error on:
                # the error is in what the formula reads
                passes_on = place is not None and place.what.startswith(PASSED_ON)
                return self._from_precedents(key[0], formula) if passes_on else None
            value = self.value(spot)
            if shows_error(value):
                return self.cause(spot) if spot in self.formulas else None
            return spot if _holds(place.what, value) else None
        return self._from_precedents(key[0], formula)

    def _from_precedents(self, sheet: str, formula: str) -> Key | None:
        for spot in self._precedents(sheet, formula):
            if shows_error(self.value(spot)):
                return self.cause(spot)
        return None

    def _precedents(self, sheet: str, formula: str) -> Iterator[Key]:
        try:
            items = Tokenizer(formula).items
        except Exception:
            return
        for token in items:
            if token.type != Token.OPERAND or token.subtype != Token.RANGE:
                continue
            area = resolve(self.wb, sheet, token.value)
            if area is None:
                continue
            target, (min_col, min_row, max_col, max_row) = area
            if (max_row - min_row + 1) * (max_col - min_col + 1) > MAX_RANGE_CELLS:
                continue
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    yield target, f"{get_column_letter(c)}{r}"


def _holds(what: str, value: Any) -> bool:
    """Does the cell hold what the message says (the quoted text, nothing, or something)?"""
    quoted = re.match(r"tekst '(.*?)(?:\.\.\.)?' ", what)
    if quoted:
        return isinstance(value, str) and value.startswith(quoted[1])
    if what.startswith("leeg"):
        return cells.is_empty(value)
    return not cells.is_empty(value)
