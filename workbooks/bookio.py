"""The workbook as a button's job sees it: named ranges in, its own output ranges out.

``BookIO`` is the protocol; ``OpenpyxlBook`` is a saved workbook read and written with
openpyxl (tests, the command line ``grip werkmap knop``), ``XlwingsBook`` the workbook open
in Excel (xlwings, imported lazily; cannot be tested on Linux). ``write`` refuses a table
larger than the range and any target cell that is an input cell (unlocked), puts data text
through ``calc.text.safe_text`` (never a formula) and writes a ``CellLink`` as a hyperlink.
The dispatcher that uses them is ``grip.buttons``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from addin.convert import Rows, TableTooLarge, fixed_rows
from workbooks.protection import is_input


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

    # optional: ``cell_of(name, row, column) -> str | None``, the user's address of a cell of
    # a named range (``Parameters!B8``; the whole range without row and column), so that a
    # button's message says where to look (``grip.buttons``); ``folder() -> Path | None``,
    # the folder of the workbook's file without saving it (None: never saved, or Lite), where
    # a job finds the store when ``grip_opslag`` is empty


def printed_reach(values: Rows) -> int | None:
    """Index of the last row of a written table that holds something (the print area must
    reach it), or ``None`` for an empty table."""
    filled = [i for i, row in enumerate(values) if any(v not in (None, "") for v in row)]
    return filled[-1] if filled else None


def follow_written(rng, values: Rows) -> None:
    """After a write in Excel: rows as high as their wrapped text, and the sheet's print area
    grown to the last filled row (where Excel tells what it is: xlwings Lite's Office.js
    payload does not, so there the build's print area stays). Layout is no reason to fail a
    button: an engine without it is passed over."""
    reach = printed_reach(values)
    if reach is None:
        return
    from workbooks.printing import covering

    try:
        rng.rows.autofit()
        setup = rng.sheet.page_setup
        if setup.print_area:    # unknown (Office.js does not send it) or none: left alone
            setup.print_area = covering(setup.print_area, rng.column + rng.shape[1] - 1,
                                        rng.row + reach)
    except Exception:  # noqa: BLE001 — see the docstring
        pass


def fit_rows(rows: Rows, n_rows: int, n_cols: int) -> Rows:
    """``rows`` in a named range of ``n_rows`` x ``n_cols`` (``fixed_rows``), or ``WriteRefused``."""
    try:
        return fixed_rows(rows, n_rows, n_cols)
    except TableTooLarge as exc:
        raise WriteRefused(str(exc)) from None


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

    def cell_of(self, name: str, row: int | None, column: int | None) -> str | None:
        """``Parameters!B8``: the cell (0-based ``row``, ``column``) of a named range, or the
        whole range when both are ``None``; ``None`` for a name the workbook lacks."""
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.cell import range_boundaries

        try:
            ws, ref = self._destination(name)
        except (KeyError, ValueError):
            return None
        if row is None and column is None:
            return CellLink(ws.title, ref).text
        min_col, min_row, _, _ = range_boundaries(ref)
        return CellLink(ws.title, f"{get_column_letter(min_col + (column or 0))}"
                                  f"{min_row + (row or 0)}").text

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

        from calc.text import safe_text

        _, grid = self._cells(name)
        values = fit_rows(rows, len(grid), len(grid[0]))
        inputs = [c.coordinate for row in grid for c in row if is_input(c)]
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
        reach = printed_reach(values)
        if reach is not None:        # as ``follow_written`` does in Excel
            from workbooks.printing import cover_written

            cover_written(grid[0][0].parent, grid[0][-1].column, grid[reach][0].row)

    def saved_path(self) -> Path:
        return self.path

    def folder(self) -> Path:
        return self.path.resolve().parent

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
        # err_to_str: a #N/A cell is its text, as openpyxl and the UDFs see it (policy.py);
        # without it xlwings hands it over as None, an empty cell (Windows and Lite alike)
        return self.book.names[name].refers_to_range.options(ndim=2, err_to_str=True).value

    def cell_of(self, name: str, row: int | None, column: int | None) -> str | None:
        """As ``OpenpyxlBook.cell_of``, from Excel's own range (``None`` if Excel cannot say)."""
        try:
            rng = self.book.names[name].refers_to_range
            if row is not None or column is not None:
                rng = rng[row or 0, column or 0]
            return CellLink(rng.sheet.name, rng.address.replace("$", "")).text
        except Exception:  # noqa: BLE001 — a place is a help, never a reason to fail
            return None

    def write(self, name: str, rows: Rows) -> None:
        from calc.text import safe_text

        rng = self.book.names[name].refers_to_range
        n_rows, n_cols = rng.shape
        values = fit_rows(rows, n_rows, n_cols)
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
            follow_written(rng, values)
        finally:
            if protected:  # the same allowances as workbooks.protection
                sheet.api.Protect(AllowFormattingColumns=True, AllowFormattingRows=True,
                                  AllowSorting=True, AllowFiltering=True)

    def folder(self) -> Path | None:
        """The folder of the workbook's file (not saved for it); ``None`` for a workbook that
        was never saved."""
        path = Path(self.book.fullname)
        return path.parent if path.is_absolute() else None

    def saved_path(self) -> Path | None:
        """Saves the workbook first (so the file holds Excel's current results); ``None``
        for a workbook that was never saved (no folder to write next to)."""
        if not Path(self.book.fullname).is_absolute():
            return None
        self.book.save()
        return Path(self.book.fullname)

    def message(self, text: str) -> None:
        self.book.app.alert(text, title="Grip")
