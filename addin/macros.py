"""What a ribbon button does: button id → job, inputs from named ranges, outputs to the
job's own output ranges only.

Two kinds of job module under ``grip.jobs`` (see ``grip/jobs/__init__.py``):

* an engine job has ``INPUT_NAMES``, ``OUTPUT_NAMES`` and ``run_button(inputs) -> outputs``;
  the dispatcher reads the inputs, calls it and writes each output through ``BookIO.write``,
  which refuses a name the job did not declare, a table larger than its range, and any
  target cell that is an input cell (unlocked);
* a workbook job (``controleren``, ``waarden``) has ``run_book(book) -> str`` and works on
  the whole workbook through the same ``BookIO``.

``BookIO`` has two implementations: ``XlwingsBook`` (Excel, imported lazily) and
``OpenpyxlBook`` (headless, for tests and the command line). A job that is not installed
(its engine is not in this version) gives a Dutch message instead of an error.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from addin import ribbon
from calc.errors import GripError

log = logging.getLogger("grip.addin")

Rows = list[list[Any]]


@dataclass(frozen=True)
class CellLink:
    """A link to a cell, written as a hyperlink whose text is ``Blad!A1``."""

    sheet: str
    address: str

    @property
    def text(self) -> str:
        return f"{self.sheet}!{self.address}"

    @property
    def location(self) -> str:
        """The in-workbook location, e.g. ``'Blad 1'!A1``."""
        quoted = self.sheet.replace("'", "''")
        return f"'{quoted}'!{self.address}"

    @property
    def target(self) -> str:
        return "#" + self.location


class JobUnavailable(Exception):
    """The job behind a button is not part of this version of Grip."""


class WriteRefused(Exception):
    """A job tried to write where it may not (an input cell, an undeclared range, too much)."""


@runtime_checkable
class BookIO(Protocol):
    """The workbook as a job sees it: named ranges in, its own output ranges out."""

    def names(self) -> set[str]:
        """Workbook-level names present in the workbook."""

    def read(self, name: str) -> Rows:
        """The 2-D values of a named range: rows of cells, ``None`` for empty."""

    def write(self, name: str, rows: Rows) -> None:
        """Write ``rows`` into the named range (top-left aligned; the rest is cleared).
        Refuses with ``WriteRefused`` when a target cell is an input cell or ``rows`` is
        larger than the range."""

    def saved_path(self) -> Path | None:
        """The workbook's file on disk (Excel saves it first), or ``None``."""

    def message(self, text: str) -> None:
        """Show a Dutch message to the user."""


def load_job(button_id: str):
    """The job module of a button, or ``JobUnavailable`` with a Dutch message."""
    b = ribbon.button(button_id)
    module_name = f"grip.jobs.{b.job}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise JobUnavailable(
                f"De knop '{b.label}' is in deze versie van Grip nog niet beschikbaar "
                f"(onderdeel {module_name} ontbreekt).") from None
        raise
    if not (hasattr(module, "run_button") or hasattr(module, "run_book")):
        raise JobUnavailable(f"De knop '{b.label}' is in deze versie van Grip nog niet "
                             f"beschikbaar ({module_name} heeft geen run_button).")
    return module


def pad(rows: Rows, n_rows: int, n_cols: int) -> Rows:
    """``rows`` placed top-left in an ``n_rows`` x ``n_cols`` grid of ``None``; refused if larger.

    >>> pad([[1, 2]], 2, 3)
    [[1, 2, None], [None, None, None]]
    """
    rows = [list(r) for r in rows]
    if len(rows) > n_rows or any(len(r) > n_cols for r in rows):
        width = max((len(r) for r in rows), default=0)
        raise WriteRefused(f"de tabel ({len(rows)} rijen x {width} kolommen) past niet in het "
                           f"uitvoerbereik ({n_rows} x {n_cols})")
    return [r + [None] * (n_cols - len(r)) for r in rows] + \
        [[None] * n_cols for _ in range(n_rows - len(rows))]


def run_button(button_id: str, book: BookIO) -> str:
    """Run the job of one ribbon button on ``book``; returns the Dutch message for the user.

    Known problems (job not available, missing named range, a ``GripError`` of the calc
    core, a refused write) become the message; anything else is logged and summarised."""
    try:
        b = ribbon.button(button_id)
    except KeyError as exc:
        return f"Grip: {exc.args[0]}"
    try:
        module = load_job(button_id)
        if hasattr(module, "run_button"):
            return _run_engine(b, module, book)
        return module.run_book(book)
    except JobUnavailable as exc:
        return str(exc)
    except GripError as exc:
        where = f" ({exc.argument})" if exc.argument else ""
        return f"{b.label}: niet gelukt{where}: {exc.message}"
    except WriteRefused as exc:
        return f"{b.label}: niet geschreven: {exc}"
    except Exception as exc:  # noqa: BLE001 — the user gets a message, the log the details
        from addin.logfile import ensure_log_file, where_text

        ensure_log_file()
        log.exception("button %s failed", button_id)
        return f"{b.label}: onverwachte fout ({type(exc).__name__}); {where_text()}."


def _run_engine(b: ribbon.Button, module, book: BookIO) -> str:
    inputs_wanted: Sequence[str] = tuple(getattr(module, "INPUT_NAMES", ()))
    allowed: Sequence[str] = tuple(getattr(module, "OUTPUT_NAMES", ()))
    present = book.names()
    missing = [n for n in (*inputs_wanted, *allowed) if n not in present]
    if missing:
        return (f"{b.label}: deze werkmap mist de bereiken {', '.join(missing)}. "
                "Werk de werkmap bij met 'grip werkmap bijwerken'.")
    outputs = module.run_button({name: book.read(name) for name in inputs_wanted})
    foreign = [n for n in outputs if n not in allowed]
    if foreign:
        raise WriteRefused(f"de taak wil buiten zijn eigen uitvoer schrijven: {', '.join(foreign)}")
    for name, rows in outputs.items():
        book.write(name, rows)
    return f"{b.label}: klaar, {len(outputs)} tabel(len) bijgewerkt."


# --- headless: openpyxl -------------------------------------------------------------------

class OpenpyxlBook:
    """A saved workbook, read and written with openpyxl (tests, command line).

    Input cells holding formulas are read as their values from a headless recalculation.
    Nothing is written to disk until ``save(path)``."""

    def __init__(self, path: str | Path):
        from workbooks.safety import open_workbook

        self.path = Path(path)
        self.wb = open_workbook(self.path)
        self._values = None

    def names(self) -> set[str]:
        return set(self.wb.defined_names.keys())

    def _destination(self, name: str):
        try:
            dn = self.wb.defined_names[name]
        except KeyError:
            raise KeyError(f"het bereik {name} ontbreekt in de werkmap") from None
        from workbooks.template import sheet_title

        (sheet, ref), = list(dn.destinations)
        return self.wb[sheet_title(sheet)], ref.replace("$", "")

    def _cells(self, name: str):
        ws, ref = self._destination(name)
        cells = ws[ref]
        if not isinstance(cells, tuple):
            return ws, [[cells]]
        if not isinstance(cells[0], tuple):
            return ws, [list(cells)]
        return ws, [list(r) for r in cells]

    def read(self, name: str) -> Rows:
        ws, grid = self._cells(name)
        return [[self._value(ws.title, c) for c in row] for row in grid]

    def _value(self, sheet: str, cell) -> Any:
        value = cell.value
        if isinstance(value, str) and value.startswith("=") or \
                type(value).__name__ == "ArrayFormula":
            if self._values is None:
                from workbooks.recalc import recalculate

                self._values = recalculate(self.path)
            return self._values.get(sheet, cell.coordinate)
        return value

    def write(self, name: str, rows: Rows) -> None:
        from openpyxl.worksheet.hyperlink import Hyperlink

        from workbooks.style import safe_text

        _, grid = self._cells(name)
        values = pad(rows, len(grid), len(grid[0]))
        inputs = [c.coordinate for row in grid for c in row if c.protection.locked is False]
        if inputs:
            raise WriteRefused(f"{name} bevat invoercellen ({', '.join(inputs[:5])})")
        for cells, row in zip(grid, values):
            for cell, value in zip(cells, row):
                if isinstance(value, CellLink):
                    cell.value = safe_text(value.text)
                    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=value.location)
                else:
                    cell.value = safe_text(value)
                    if isinstance(cell.value, str):
                        cell.data_type = "s"

    def saved_path(self) -> Path:
        return self.path

    def message(self, text: str) -> None:
        print(text)

    def save(self, path: str | Path) -> Path:
        from workbooks.files import save

        return save(self.wb, path)


# --- Excel: xlwings (Windows/macOS only; imported lazily) ----------------------------------

class XlwingsBook:
    """The workbook open in Excel, through xlwings. Cannot be tested on Linux."""

    def __init__(self, book):
        self.book = book

    def names(self) -> set[str]:
        return {n.name for n in self.book.names}

    def read(self, name: str) -> Rows:
        return self.book.names[name].refers_to_range.options(ndim=2).value

    def write(self, name: str, rows: Rows) -> None:
        from workbooks.style import safe_text

        rng = self.book.names[name].refers_to_range
        n_rows, n_cols = rng.shape
        values = pad(rows, n_rows, n_cols)
        if rng.api.Locked is not True:  # False or None (mixed): there is an input cell
            raise WriteRefused(f"{name} bevat invoercellen")
        sheet = rng.sheet
        protected = bool(sheet.api.ProtectContents)
        if protected:
            sheet.api.Unprotect()
        try:
            plain = [[v.text if isinstance(v, CellLink) else safe_text(v) for v in row]
                     for row in values]
            rng.value = plain
            for i, row in enumerate(values):
                for j, v in enumerate(row):
                    if isinstance(v, CellLink):
                        rng[i, j].add_hyperlink(v.target, v.text)
        finally:
            if protected:  # the same allowances as workbooks.protection
                sheet.api.Protect(AllowFormattingColumns=True, AllowFormattingRows=True,
                                  AllowSorting=True, AllowFiltering=True)

    def saved_path(self) -> Path | None:
        """Saves the workbook first (so the file holds Excel's current results); ``None``
        for a workbook that was never saved (no folder to write next to)."""
        if not Path(self.book.fullname).is_absolute():
            return None
        self.book.save()
        return Path(self.book.fullname)

    def message(self, text: str) -> None:
        self.book.app.alert(text, title="Grip")


def run_from_excel(button_id: str) -> None:
    """Entry point of the VBA callback ``GripRibbon.OnAction`` (via ``RunPython``)."""
    import xlwings as xw

    book = XlwingsBook(xw.Book.caller())
    book.message(run_button(button_id, book))
