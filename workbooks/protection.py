"""Sheet protection: formula cells locked, input cells (``style.mark_input``) unlocked.

No password: protection stops accidents, not a controller who knows what they do. Column
widths and row heights stay adjustable, filters and sorting work.
"""

from __future__ import annotations

from openpyxl import Workbook


def protect(wb: Workbook) -> None:
    """Protect every sheet of ``wb``."""
    for ws in wb.worksheets:
        p = ws.protection
        p.sheet = True
        p.formatColumns = False
        p.formatRows = False
        p.autoFilter = False
        p.sort = False
        p.selectLockedCells = False
        p.selectUnlockedCells = False


def is_input(cell) -> bool:
    """An input cell: unlocked (yellow)."""
    return cell.protection is not None and cell.protection.locked is False
