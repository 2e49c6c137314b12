"""Why a cell shows an error: the input cell at the start of a chain of messages.

One wrong input (a typed "4,1 mln") gives a Grip message in every cell of the ``SD_``
formula that reads it, and an error value in every formula that calculates on, up to the
saldo on the Samenvatting. ``ErrorTrace.causes`` walks that chain back:

* a cell of an ``SD_`` formula whose message names its place (``bedragen, rij 1, kolom 1``)
  points at the cell in the range the formula hands over (``workbooks.udf_calls``); if that
  cell shows an error itself, the walk goes on from there. A message shows the first problem
  and how many more (``(en nog 1 probleem)``), or it was cut: the call is run again on what
  its arguments hold (``addin.policy.raised``, the UDF's own reader), and when that gives the
  very message, each of its problems points at its own cell;
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
from addin.policy import REGISTRY, error_text, raised, shows_all
from workbooks.recalc import excel_value
from workbooks.udf_calls import Place, argument_cell, call_cell, message_place, resolve, sd_calls

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
        self._causes: dict[Key, tuple[Key, ...]] = {}
        #: What is wrong with each cause found, in the words of the problem that points at it.
        self.reasons: dict[Key, str] = {}

    def value(self, key: Key) -> Any:
        if key in self.formulas:
            return self.values.get(key)
        return self.wb[key[0]][key[1]].value

    def cause(self, key: Key) -> Key | None:
        """The first input cell behind the error ``key`` shows, or ``None``."""
        found = self.causes(key)
        return found[0] if found else None

    def causes(self, key: Key) -> tuple[Key, ...]:
        """Every input cell behind the error ``key`` shows (a message with several problems:
        the cell of each), the first problem's first; empty when none is certain."""
        if key not in self._causes:
            self._causes[key] = ()              # a loop in the chain ends without a cause
            self._causes[key] = tuple(dict.fromkeys(self._find(key)))
        return self._causes[key]

    def _find(self, key: Key) -> list[Key]:
        formula = self.formulas.get(key)
        if formula is None or not shows_error(self.values.get(key)):
            return []
        if not is_sd_formula(formula):
            return self._from_precedents(key[0], formula)
        message = self.values[key]
        place = message_place(message)
        spots = self._problem_cells(key[0], formula, message) if place and \
            not shows_all(message) else []
        if not spots and place:
            spot = argument_cell(self.wb, key[0], formula, place)
            spots = [(spot, place.what)] if spot else []
        if not spots:
            # the same message in a cell the formula reads: passed on (INDEX around
            # the call); an argument that is an expression (``-(E79+E81)``) passing an
            # error on: the error is in what the formula reads
            same = self._from_precedents(key[0], formula, message)
            if same:
                return same
            passes_on = place is not None and place.what.startswith(PASSED_ON)
            return self._from_precedents(key[0], formula) if passes_on else []
        found: list[Key] = []
        for spot, what in spots:
            value = self.value(spot)
            if shows_error(value):
                found += self.causes(spot) if spot in self.formulas else ()
            elif _holds(what, value):
                self.reasons.setdefault(spot, what)
                found.append(spot)
        return found

    def _problem_cells(self, sheet: str, formula: str, message: str) -> list[tuple[Key, str]]:
        """The cell and the words of every problem behind ``message``: the ``SD_`` call of
        ``formula`` run again on what its arguments hold, when that gives this very message
        (which shows only the first problem and how many more); else none."""
        import addin.udfs  # noqa: F401  (fills REGISTRY)

        for name, args in sd_calls(formula):
            spec = REGISTRY.get(name)
            values = self._call_values(sheet, spec, args) if spec else None
            error = raised(spec, values) if values is not None else None
            if error is None or error_text(error) != message:
                continue
            spots = []
            for problem in error.problems:
                place = Place(problem.argument or "", _one_based(problem.row),
                              _one_based(problem.column), problem.message)
                spot = call_cell(self.wb, sheet, spec, args, place)
                if spot is not None:
                    spots.append((spot, problem.message))
            return spots
        return []

    def _call_values(self, sheet: str, spec, args: list[str]) -> list[Any] | None:
        """The arguments as Excel hands them to the call (``workbooks.recalc.excel_value``):
        a range's values as a list of rows (a single value for a parameter that is not a
        range), a number, text or logical value as written; ``None`` for anything else (an
        expression, a nested call): the call cannot be run again."""
        if len(args) > len(spec.params):
            return None
        values: list[Any] = []
        for param, text in zip(spec.params, args):
            area = resolve(self.wb, sheet, text) if text else None
            if area is not None:
                target, (min_col, min_row, max_col, max_row) = area
                if (max_row - min_row + 1) * (max_col - min_col + 1) > MAX_RANGE_CELLS:
                    return None
                rows = [[excel_value(self.value((target, f"{get_column_letter(c)}{r}")))
                         for c in range(min_col, max_col + 1)]
                        for r in range(min_row, max_row + 1)]
                values.append(rows if param.kind == "bereik" else rows[0][0])
                continue
            value = _literal(text)
            if value is _NOT_LITERAL:
                return None
            values.append([[value]] if param.kind == "bereik" and value is not None else value)
        return values

    def _from_precedents(self, sheet: str, formula: str, message: str | None = None
                         ) -> list[Key]:
        """The causes of the first cell the formula reads that shows an error (``message``:
        that very message)."""
        for spot in self._precedents(sheet, formula):
            value = self.value(spot)
            if shows_error(value) and (message is None or value == message):
                return list(self.causes(spot))
        return []

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


_NOT_LITERAL = object()
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _literal(text: str) -> Any:
    """An argument written as a value (``10``, ``"totaal"``, ``TRUE``; nothing: ``None``),
    as Excel hands it over, or ``_NOT_LITERAL``.

    >>> _literal("10"), _literal('"totaal"'), _literal("TRUE"), _literal("")
    (10.0, 'totaal', True, None)
    >>> _literal("-(E79+E81)") is _NOT_LITERAL, _literal("nan") is _NOT_LITERAL, _literal("-1.5E3")
    (True, True, -1500.0)
    """
    if not text:
        return None
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return float(text) if _NUMBER.fullmatch(text) else _NOT_LITERAL


def _one_based(index: int | None) -> int | None:
    return None if index is None else index + 1


def _holds(what: str, value: Any) -> bool:
    """Does the cell hold what the message says (the quoted text, nothing, or something)?"""
    quoted = re.match(r"tekst '(.*?)(?:\.\.\.)?' ", what)
    if quoted:
        return isinstance(value, str) and value.startswith(quoted[1])
    if what.startswith("leeg"):
        return cells.is_empty(value)
    return not cells.is_empty(value)
