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

Values are as Excel last saved them; a file Grip wrote itself (no saved results) is
recalculated headless first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calc import cells
from calc.text import excel_bool, nl_number
from workbooks import layout
from workbooks.context import cells_of
from workbooks.template import computed_values, formula_text

KIND_INPUT = "invoer buiten de grenzen"
KIND_REF = "kapotte verwijzing"
KIND_GRIP = "foutmelding Grip"
KIND_EXCEL = "foutwaarde Excel"
KIND_EXTERNAL = "externe verwijzing"

EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                "#GETTING_DATA", "#SPILL!", "#CALC!")
_SD_CALL = re.compile(r"\bSD_[A-Z0-9_]+\s*\(", re.IGNORECASE)

#: What the Controle sheet says when the check found nothing.
NO_FINDINGS = "Geen meldingen: de werkmap is gecontroleerd en in orde."


@dataclass(frozen=True)
class Finding:
    sheet: str
    address: str
    kind: str
    message: str

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.address}" if self.sheet else self.address


def check_workbook(path: str | Path) -> list[Finding]:
    """Every finding in the workbook at ``path`` (opened read-only, size-checked)."""
    from workbooks.safety import external_references, open_workbook

    wb = open_workbook(path)
    values = computed_values(path)
    findings: list[Finding] = []
    for name, dn in wb.defined_names.items():
        if "#REF!" in (dn.attr_text or ""):
            findings.append(Finding("", name, KIND_REF,
                                    f"de naam {name} verwijst naar een verwijderd bereik"))
    for ws in wb.worksheets:
        anchors: dict[str, str] = {}
        for row in ws.iter_rows():
            for cell in row:
                text = formula_text(cell.value)
                if text is None:
                    continue
                covered = cells_of(cell.value.ref) if hasattr(cell.value, "ref") else \
                    [cell.coordinate]
                for address in covered:
                    anchors[address] = text
                if "#REF!" in text.upper():
                    findings.append(Finding(ws.title, cell.coordinate, KIND_REF,
                                            f"de formule verwijst naar een verwijderde cel: "
                                            f"{text[:120]}"))
        for address, text in anchors.items():
            value = values.get((ws.title, address))
            if not (isinstance(value, str) and value.startswith("#")):
                continue
            if _SD_CALL.search(text):
                findings.append(Finding(ws.title, address, KIND_GRIP, value[:255]))
            elif value.upper() in EXCEL_ERRORS and "#REF!" not in text.upper():
                findings.append(Finding(ws.title, address, KIND_EXCEL,
                                        f"{value} in {text[:120]}"))
        findings += _validation_findings(ws, values)
    findings += [Finding(sheet, where, KIND_EXTERNAL,
                         f"verwijst naar een andere werkmap of netwerkpad ({text[:120]}); Grip "
                         "volgt dat niet")
                 for sheet, where, text in external_references(wb)]
    order = {s: k for k, s in enumerate(wb.sheetnames)}
    return sorted(findings, key=lambda f: (order.get(f.sheet, -1), _row_col(f.address)))


def _row_col(address: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
    from openpyxl.utils.exceptions import CellCoordinatesException

    try:
        col, row = coordinate_from_string(address)
        return row, column_index_from_string(col)
    except (ValueError, CellCoordinatesException):
        return 0, 0


def _number(text: Any) -> float | None:
    try:
        return float(str(text).strip().lstrip("="))
    except (TypeError, ValueError):
        return None


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
        a, b = _number(dv.formula1), _number(dv.formula2)
        allowed = None
        if kind == "list" and dv.formula1 and dv.formula1.startswith('"'):
            allowed = [x.strip() for x in dv.formula1.strip('"').split(",")]
        for rng in dv.sqref.ranges:
            for address in cells_of(rng.coord):
                value = ws[address].value
                if formula_text(value) is not None:
                    value = values.get((ws.title, address))
                if cells.is_empty(value):
                    continue
                problem = _breaks(kind, op, a, b, allowed, value)
                if problem:
                    rule = f" ({dv.error})" if dv.error else ""
                    found.append(Finding(ws.title, address, KIND_INPUT,
                                         f"{_show(value)} {problem}{rule}"))
    return found


def _breaks(kind, op, a, b, allowed, value) -> str | None:
    """Why ``value`` breaks the rule, or ``None`` (also when the rule cannot be read)."""
    if kind == "list":
        if allowed is not None and str(value) not in allowed:
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
    return f"Werkmap controleren: {len(findings)} melding(en)."


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
