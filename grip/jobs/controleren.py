"""``Werkmap controleren`` / ``grip werkmap controleren``: a Dutch list of what is wrong in a
workbook, each with a link to the cell.

Four kinds of finding:

* **invoer buiten de grenzen**: a cell with data validation whose value breaks the rule;
* **kapotte verwijzing**: a formula or a named range containing ``#REF!``;
* **externe verwijzing**: a formula or name that points into another workbook or a network
  path (never followed; a file without saved results is refused by the recalculation);
* **foutmelding**: a formula cell whose value is an error — for an ``SD_`` formula the ``#``
  message of Grip, otherwise an Excel error value. Text a user typed that starts with ``#``
  is not a finding: only formula cells count.

* **oorzaak van foutmeldingen**: the input cell a Grip message points at (``matrix, rij 2,
  kolom 3`` is the cell in the range the formula hands over as ``matrix``;
  ``workbooks.udf_calls``), with the cells whose message it causes. A message that only
  passes on another formula's message (``tekst '#INVOER: ...' is geen getal``) is followed to
  that formula's cause. A message with several problems (``(en nog 1 probleem)``) has a
  cause for each, each with its own reason (``workbooks.error_trace``): one run of the
  check names every wrong input.

The cells of one formula (an array formula fills a block) with one message are one finding,
its address the block (``Scenario's!B8:K27``): one wrong input no longer gives a thousand
lines. Input findings come first (that is where to begin), then the rest in sheet order.

Values are as Excel last saved them; a file Grip wrote itself (no saved results) is
recalculated headless first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from calc import cells
from calc.text import excel_bool, nl_number
from workbooks import layout
from workbooks.context import cells_of
from workbooks.error_trace import ErrorTrace, is_sd_formula, shows_error
from workbooks.fit import existing_cells
from workbooks.template import computed_values, formula_text
from workbooks.udf_calls import resolve

KIND_INPUT = "invoer buiten de grenzen"
KIND_REF = "kapotte verwijzing"
KIND_GRIP = "foutmelding Grip"
KIND_EXCEL = "foutwaarde Excel"
KIND_EXTERNAL = "externe verwijzing"
KIND_CAUSE = "oorzaak van foutmeldingen"
#: Kinds that point at an input cell: listed first, where the controller begins.
INPUT_KINDS = (KIND_INPUT, KIND_CAUSE)
#: Blocks named in a cause's text before "en nog N".
CAUSE_BLOCKS_SHOWN = 3
#: Runs of cells named in a finding of error values that follow from a cause.
RUNS_SHOWN = 4
#: Causes named in the line of a block before "en nog N" (each has its own line).
CAUSES_SHOWN = 5

EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                "#GETTING_DATA", "#SPILL!", "#CALC!")

#: What the Controle sheet says when the check found nothing.
NO_FINDINGS = "Geen meldingen: de werkmap is gecontroleerd en in orde."


@dataclass(frozen=True)
class Finding:
    sheet: str
    address: str
    kind: str
    message: str
    #: The cells the finding stands for (a block of one formula), when more than its address.
    cells: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.address}" if self.sheet else self.address


def check_workbook(path: str | Path) -> list[Finding]:
    """Every finding in the workbook at ``path`` (opened read-only, size-checked)."""
    from workbooks.safety import external_references, open_workbook

    wb = open_workbook(path)
    values = computed_values(path, wb)
    findings: list[Finding] = []
    for name, dn in wb.defined_names.items():
        if "#REF!" in (dn.attr_text or ""):
            findings.append(Finding("", name, KIND_REF,
                                    f"de naam {name} verwijst naar een verwijderd bereik"))
    formulas: dict[tuple[str, str], str] = {}     # every formula cell -> its formula
    blocks: dict[tuple[str, str, str, str], list[str]] = {}   # (sheet, ref, kind, message)
    for ws in wb.worksheets:
        anchors: dict[str, tuple[str, str]] = {}    # cell -> (formula, the formula's block)
        for cell in existing_cells(ws):            # a formula is in a cell that exists
            text = formula_text(cell.value)
            if text is None:
                continue
            ref = getattr(cell.value, "ref", None) or cell.coordinate
            for address in cells_of(ref) if ref != cell.coordinate else [ref]:
                anchors[address] = (text, ref)
                formulas[(ws.title, address)] = text
            if "#REF!" in text.upper():
                findings.append(Finding(ws.title, cell.coordinate, KIND_REF,
                                        f"de formule verwijst naar een verwijderde cel: "
                                        f"{text[:120]}"))
        for address, (text, ref) in anchors.items():
            value = values.get((ws.title, address))
            if not shows_error(value):
                continue
            if is_sd_formula(text):
                kind, message = KIND_GRIP, value[:255]
            elif value.upper() in EXCEL_ERRORS and "#REF!" not in text.upper():
                kind, message = KIND_EXCEL, f"{value} in {text[:120]}"
            else:
                continue
            blocks.setdefault((ws.title, ref, kind, message), []).append(address)
        findings += _validation_findings(ws, values)
    findings += _blocks_and_causes(ErrorTrace(wb, values, formulas), blocks, findings)
    findings += [Finding(sheet, where, KIND_EXTERNAL,
                         f"verwijst naar een andere werkmap of netwerkpad ({text[:120]}); Grip "
                         "volgt dat niet")
                 for sheet, where, text in external_references(wb)]
    order = {s: k for k, s in enumerate(wb.sheetnames)}
    return sorted(findings, key=lambda f: (f.kind not in INPUT_KINDS, order.get(f.sheet, -1),
                                           _row_col(f.address.split(":")[0])))


def _span(cells: list[str]) -> str:
    """One cell, or the block from the first to the last of ``cells`` (``B8:K27``)."""
    if len(cells) == 1:
        return cells[0]
    spots = [_row_col(a) for a in cells]
    top, left = min(r for r, _ in spots), min(c for _, c in spots)
    bottom, right = max(r for r, _ in spots), max(c for _, c in spots)
    return f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}"


def _runs(cells: list[str]) -> list[str]:
    """``cells`` as runs along a row: E79, F79, G79, C92 -> E79:G79, C92."""
    runs: list[list[tuple[int, int]]] = []
    for r, c in sorted(_row_col(a) for a in cells):
        if runs and runs[-1][-1] == (r, c - 1):
            runs[-1].append((r, c))
        else:
            runs.append([(r, c)])
    def name(r: int, c: int) -> str:
        return f"{get_column_letter(c)}{r}"

    return [name(*run[0]) if len(run) == 1 else f"{name(*run[0])}:{name(*run[-1])}"
            for run in runs]


def _blocks_and_causes(trace: ErrorTrace, blocks, findings: list[Finding]) -> list[Finding]:
    """One finding per Grip block, with its causes; the error values that follow from the
    same causes, one finding per sheet; one finding per cause (or the cause added to that
    cell's input finding); error values without a cause as before, one per formula."""
    out: list[Finding] = []
    effects: dict[tuple[str, str], list[str]] = {}          # cause -> the blocks it gives
    counted: dict[tuple[str, str], int] = {}                 # cause -> the cells it gives
    passed_on: dict[tuple[str, tuple], list[str]] = {}       # (sheet, causes) -> cells
    error_value: dict[tuple[str, tuple], str] = {}
    for (sheet, _ref, kind, message), cells in blocks.items():
        causes = trace.causes((sheet, cells[0]))
        if not causes:
            out.append(Finding(sheet, _span(cells), kind, message,
                               tuple(cells) if len(cells) > 1 else ()))
            continue
        for cause in causes:
            counted[cause] = counted.get(cause, 0) + len(cells)
        if kind == KIND_EXCEL:
            passed_on.setdefault((sheet, causes), []).extend(cells)
            error_value.setdefault((sheet, causes), message.split(" in ")[0])
            continue
        for cause in causes:
            effects.setdefault(cause, []).append(f"{sheet}!{_span(cells)}")
        out.append(Finding(sheet, _span(cells), kind, f"{message} {_named(causes)}",
                           tuple(cells) if len(cells) > 1 else ()))
    for (sheet, causes), cells in passed_on.items():
        runs = _runs(cells)
        n = len(cells)
        out.append(Finding(sheet, runs[0].split(":")[0], KIND_EXCEL,
                           f"{error_value[(sheet, causes)]} in {n} {'cel' if n == 1 else 'cellen'}"
                           f" ({_some(runs, RUNS_SHOWN)}): ze rekenen met een foutmelding "
                           f"{_named(causes)}", tuple(cells)))
        for cause in causes:
            effects.setdefault(cause, []).append(f"{sheet}!{runs[0]}")
    inputs = {(f.sheet, f.address): k for k, f in enumerate(findings) if f.kind == KIND_INPUT}
    for cause, shown_blocks in effects.items():
        n = counted[cause]
        effect = (f"daardoor een foutmelding in {n} {'cel' if n == 1 else 'cellen'} "
                  f"({_some(shown_blocks, CAUSE_BLOCKS_SHOWN, 'blok', 'blokken')})")
        if cause in inputs:
            k = inputs[cause]
            findings[k] = Finding(*cause, KIND_INPUT, f"{findings[k].message}; {effect}")
        else:
            what = trace.reasons.get(cause, "deze invoer geeft foutmeldingen")
            out.append(Finding(*cause, KIND_CAUSE, f"{what}; {effect}"))
    return out


def _named(causes: tuple[tuple[str, str], ...]) -> str:
    """``(oorzaak: Blad!C7)``, or with several causes ``(oorzaken: Blad!C7, Blad!E9)``."""
    where = [f"{sheet}!{address}" for sheet, address in causes]
    return (f"(oorzaak: {where[0]})" if len(where) == 1 else
            f"(oorzaken: {_some(where, CAUSES_SHOWN)})")


def _some(items: list[str], limit: int, one: str = "", many: str = "") -> str:
    """The first ``limit`` of ``items`` and how many more: ``A, B en nog 2 blokken``."""
    more = len(items) - limit
    rest = f" en nog {more}" + (f" {one if more == 1 else many}" if one else "")
    return ", ".join(items[:limit]) + (rest if more > 0 else "")


def _row_col(address: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
    from openpyxl.utils.exceptions import CellCoordinatesException

    try:
        col, row = coordinate_from_string(address)
        return row, column_index_from_string(col)
    except (ValueError, CellCoordinatesException):
        return 0, 0


def _shown(wb, sheet: str, address: str, values) -> Any:
    """What a cell shows: its value, or the computed value of its formula."""
    value = wb[sheet][address].value
    return values.get((sheet, address)) if formula_text(value) is not None else value


#: A bound that is a cell of the same sheet plus or minus a whole number (``style.validation``).
_CELL_BOUND = re.compile(r"^=?\$?([A-Z]{1,3})\$?(\d+)\s*(?:([+-])\s*(\d+))?$")


def _number(text: Any, ws=None, values=None) -> float | None:
    """A validation's bound: a number, or a cell of ``ws`` (its value, or the recalculated
    value of its formula) plus or minus a whole number; ``None`` when it cannot be read."""
    try:
        return float(str(text).strip().lstrip("="))
    except (TypeError, ValueError):
        pass
    match = _CELL_BOUND.match(str(text).strip()) if ws is not None else None
    if match is None:
        return None
    letters, row, sign, step = match.groups()
    number, _ = cells.parse_number(_shown(ws.parent, ws.title, f"{letters}{row}", values or {}))
    if number is None:
        return None
    return number + (int(step) if sign == "+" else -int(step) if sign else 0)


_OPS = {
    "between": lambda v, a, b: a <= v <= b,
    "notBetween": lambda v, a, b: not a <= v <= b,
    "equal": lambda v, a, b: v == a,
    "notEqual": lambda v, a, b: v != a,
    "greaterThan": lambda v, a, b: v > a,
    "lessThan": lambda v, a, b: v < a,
    "greaterThanOrEqual": lambda v, a, b: v >= a,
    "lessThanOrEqual": lambda v, a, b: v <= a,
}
_RULES = {
    "between": "tussen {a} en {b}", "notBetween": "niet tussen {a} en {b}",
    "equal": "gelijk aan {a}", "notEqual": "niet gelijk aan {a}",
    "greaterThan": "groter dan {a}", "lessThan": "kleiner dan {a}",
    "greaterThanOrEqual": "minstens {a}", "lessThanOrEqual": "hoogstens {a}",
}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return excel_bool(value)
    if isinstance(value, (int, float)):
        return _bound(float(value))
    return f"'{value}'"


def _validation_findings(ws, values) -> list[Finding]:
    found = []
    for dv in ws.data_validations.dataValidation:
        kind = dv.type
        op = dv.operator or "between"
        a, b = _number(dv.formula1, ws, values), _number(dv.formula2, ws, values)
        allowed = _list_items(ws, dv.formula1, values) if kind == "list" else None
        for rng in dv.sqref.ranges:
            for address in cells_of(rng.coord):
                value = _shown(ws.parent, ws.title, address, values)
                if cells.is_empty(value):
                    continue
                problem = _breaks(kind, op, a, b, allowed, value)
                if problem:
                    rule = f" ({dv.error})" if dv.error else ""
                    found.append(Finding(ws.title, address, KIND_INPUT,
                                         f"{_show(value)} {problem}{rule}"))
    return found


#: A dropdown list longer than this is not read (its source is a whole column, say).
MAX_LIST_ITEMS = 1000


def _list_items(ws, formula: str | None, values) -> list[str] | None:
    """The items of a dropdown: a comma list (``"ja,nee"``), or the filled cells of the range
    or name its source is (``=th_namen``: the themes as the sheet holds them now); ``None``
    when that cannot be read."""
    if not formula:
        return None
    if formula.startswith('"'):
        return [x.strip() for x in formula.strip('"').split(",")]
    area = resolve(ws.parent, ws.title, formula.lstrip("="))
    if area is None:
        return None
    sheet, (min_col, min_row, max_col, max_row) = area
    if (max_row - min_row + 1) * (max_col - min_col + 1) > MAX_LIST_ITEMS:
        return None
    items = []
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            value = _shown(ws.parent, sheet, f"{get_column_letter(c)}{r}", values)
            if not cells.is_empty(value) and not shows_error(value):
                items.append(str(value).strip())
    return items


def _breaks(kind, op, a, b, allowed, value) -> str | None:
    """Why ``value`` breaks the rule, or ``None`` (also when the rule cannot be read)."""
    if kind == "list":
        # as Excel compares a typed value with its list: without regard to case
        if allowed is not None and str(value).strip().casefold() not in \
                {a.casefold() for a in allowed}:
            if len(allowed) > 6:              # a long list (the themes): name it, not all items
                return "staat niet in de keuzelijst van deze cel"
            return f"staat niet in de lijst {', '.join(allowed)}"
        return None
    if kind in ("whole", "decimal"):
        number, _ = cells.parse_number(value)   # read as every engine reads it: "0,8" is 0.8
        if number is None:
            return "is geen getal"
        if kind == "whole" and number != int(number):
            return "is geen geheel getal"
        subject = number
    elif kind == "textLength":
        subject = float(len(str(value)))
    else:
        return None
    check = _OPS.get(op)
    if check is None or a is None or (op in ("between", "notBetween") and b is None):
        return None
    if check(subject, a, b):
        return None
    rule = _RULES[op].format(a=_bound(a), b=_bound(b))
    what = "de lengte moet" if kind == "textLength" else "moet"
    return f"is niet toegestaan: {what} {rule} liggen" if "tussen" in rule else \
        f"is niet toegestaan: {what} {rule} zijn"


def _bound(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if x == int(x) else nl_number(x, 4).rstrip("0").rstrip(",")


def summary(findings: list[Finding]) -> str:
    if not findings:
        return "Werkmap controleren: geen meldingen."
    causes = sum(f.kind == KIND_CAUSE or (f.kind == KIND_INPUT and "daardoor" in f.message)
                 for f in findings)
    start = (f" Begin bij {'de invoercel' if causes == 1 else f'de {causes} invoercellen'} "
             "bovenaan: daaruit volgen de foutmeldingen eronder." if causes else "")
    return f"Werkmap controleren: {len(findings)} melding(en).{start}"


def run_book(book) -> str:
    """The ribbon button: check the saved workbook, write the list to the Controle sheet."""
    from workbooks.bookio import CellLink

    path = book.saved_path()
    if path is None:
        return "Werkmap controleren: sla de werkmap eerst op."
    findings = check_workbook(path)
    text = summary(findings)
    if layout.NAME_OUT_CONTROLE not in book.names():
        lines = [f"{f.where}: {f.kind}: {f.message}" for f in findings[:15]]
        return "\n".join([text, *lines])
    rows: list[list[Any]] = [[CellLink(f.sheet, f.address) if f.sheet else f.address,
                              f.kind, f.message] for f in findings]
    if not rows:
        rows = [["", "", NO_FINDINGS]]
    limit = layout.CONTROLE_ROWS
    if len(rows) > limit:
        rows = rows[:limit - 1] + [["", "", f"en nog {len(rows) - limit + 1} meldingen"]]
    book.write(layout.NAME_OUT_CONTROLE, rows)
    return f"{text} Zie het blad {layout.CONTROLE}." if findings else text
