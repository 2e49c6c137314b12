"""What a sheet builder needs to know about the workbook it is building."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.utils.cell import range_boundaries, get_column_letter

from calc import profile


@dataclass(frozen=True)
class BuildContext:
    """Inputs of one build of the begrotingsmodel.

    ``values`` is empty for the normal workbook (formulas are written); when it holds the
    results of a headless recalculation, keyed by ``(sheet, "B7")``, the builder writes
    those values instead of formulas: the values-only copy, with the same layout and charts.

    ``data`` carries engine results a job computed before the build (messages → store →
    calc → workbook), keyed by engine: ``"prognose"``, ``"gripniveau"``, ``"scenario"``,
    ``"begroting"``, ``"berichten"``. A builder whose key is absent writes its tables empty
    with a Dutch hint which ribbon button fills them; it never computes from the store itself.
    """

    municipality: str = profile.NAME
    budget_year: int = 2027
    values: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    #: The user's values (input cells and button tables, ``workbooks.template.user_values``)
    #: of the workbook this build copies: put back after the sheet builders, before the
    #: layout, folding and print passes, so those see what the user typed and pressed.
    inputs: Mapping[tuple[str, str], Any] = field(default_factory=dict)

    @property
    def values_only(self) -> bool:
        return bool(self.values)

    @property
    def second_municipality(self) -> str:
        """The municipality shown beside this one: the demo's neighbour in the demo, a neutral
        'Vergelijkingsgemeente' in a model for anyone else (``calc.profile``)."""
        return profile.second_municipality(self.municipality)


def cells_of(ref: str) -> list[str]:
    """Every cell address of an A1 range, row by row.

    >>> cells_of("B2:C3")
    ['B2', 'C2', 'B3', 'C3']
    """
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return [f"{get_column_letter(c)}{r}" for r in range(min_row, max_row + 1)
            for c in range(min_col, max_col + 1)]


def checked_sum(ref: str) -> str:
    """``=SUM(ref)`` that never adds up around a problem: Excel's SUM skips text, so one
    Grip message (``#INVOER: ...``) or one typed "4,1 mln" in the range would give a total
    without those cells, and every sheet after it a wrong number without a warning. The
    total shows the range's first Grip message instead (and arithmetic on it gives an error
    value further on), or says that the range holds text; a formula's empty text ("") is no
    problem. ``ref`` is one row or one column (MATCH needs one).

    >>> checked_sum("B8:B27")[:60]
    '=IF(COUNTIF(B8:B27,"#*"),INDEX(B8:B27,MATCH("#*",B8:B27,0)),'
    """
    return (f'=IF(COUNTIF({ref},"#*"),INDEX({ref},MATCH("#*",{ref},0)),'
            f'IF(SUMPRODUCT(ISTEXT({ref})*(LEN({ref})>0)),'
            f'"#INVOER: {ref.replace("$", "")} bevat tekst in plaats van een getal",SUM({ref})))')


def put_formula(ws: Worksheet, ctx: BuildContext, ref: str, formula: str) -> None:
    """Write a formula, or its recalculated value(s) in a values-only build.

    A multi-cell ``ref`` becomes an array formula over that fixed range, which both Excel
    and the headless engine compute.
    """
    anchor = ref.split(":")[0]
    if ctx.values_only:
        for address in cells_of(ref):
            ws[address] = ctx.values.get((ws.title, address))
        return
    ws[anchor] = ArrayFormula(ref, formula) if ":" in ref else formula
