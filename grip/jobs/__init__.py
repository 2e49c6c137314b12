"""The work behind a command or a ribbon button, free of Excel and argparse.

Contract for a ribbon button's job (``grip/jobs/<engine>.py``)::

    INPUT_NAMES: tuple[str, ...]   # named ranges (workbooks.layout) the button reads
    OUTPUT_NAMES: tuple[str, ...]  # named ranges it writes: its own output tables only

    def run_button(inputs: dict[str, list[list]]) -> dict[str, list[list]]:
        '''inputs: named range -> 2-D values as Excel hands them over (rows of cells,
        None for empty); returns named range -> 2-D values that fit that fixed range.'''

``grip.buttons`` reads the inputs (through ``workbooks.bookio``: xlwings in Excel, openpyxl
headless), calls ``run_button`` and writes the outputs; it never touches user input cells.
A job reads a cell of ``inputs`` with ``input_text`` / ``store_path`` (the rules of
``calc.cells``), so every button asks for a missing store in the same words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from calc import cells
from calc.errors import InputError
from workbooks import layout

#: What a button says when ``grip_opslag`` is empty and the workbook has no folder (never
#: saved; xlwings Lite).
NO_STORE = ("vul op het blad Parameters het pad naar de opslag van het berichtenverkeer in "
            f"({layout.NAME_STORE_PATH})")
#: The store beside the workbook when ``grip_opslag`` is empty (the Parameters sheet: "leeg =
#: naast deze werkmap"); ``Berichtenverkeer inlezen`` makes it there.
DEFAULT_STORE_NAME = "grip_opslag.duckdb"


def input_text(inputs: dict[str, Any], name: str) -> str | None:
    """The text of the first cell of named range ``name`` (``None`` when it is empty).

    >>> input_text({"grip_opslag": [["  d:/opslag.duckdb "]]}, "grip_opslag")
    'd:/opslag.duckdb'
    >>> input_text({"grip_opslag": [[""]]}, "grip_opslag") is None
    True
    """
    return cells.text(cells.first(inputs.get(name))) or None


def store_path(inputs: dict[str, Any], *, folder: Path | None = None,
               must_exist: bool = False) -> Path:
    """The store named in ``grip_opslag``; empty: ``DEFAULT_STORE_NAME`` in ``folder`` (the
    workbook's folder), or a Dutch error when the workbook has no folder. ``must_exist``: a
    button that reads the store says so when there is none beside the workbook yet.

    >>> store_path({"grip_opslag": [[None]]}, folder=Path("d:/begroting")).name
    'grip_opslag.duckdb'
    """
    text = input_text(inputs, layout.NAME_STORE_PATH)
    if text is not None:
        return Path(text)
    if folder is None:
        raise InputError(NO_STORE, argument=layout.NAME_STORE_PATH, row=0, column=0)
    beside = Path(folder) / DEFAULT_STORE_NAME
    if must_exist and not beside.exists():
        raise InputError(f"leeg, dus zoekt Grip de opslag naast deze werkmap ({beside}), maar "
                         "daar is er nog geen: lees eerst het berichtenverkeer in (knop "
                         "Berichtenverkeer inlezen) of vul het pad naar de opslag in",
                         argument=layout.NAME_STORE_PATH, row=0, column=0)
    return beside
