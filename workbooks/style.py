"""Dutch number formats, fonts and small cell helpers shared by every sheet builder.

Number formats are stored in Excel's file syntax (``.`` decimal, ``,`` thousands); Dutch
Excel shows them as ``€ 1.234`` and ``12,5%``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from calc.text import safe_text

EURO = '"€" #,##0;[Red]"€" -#,##0'
EURO_CENTS = '"€" #,##0.00;[Red]"€" -#,##0.00'
#: A difference with the budget (expected minus budget): red with a plus sign when more is
#: spent than budgeted, a minus sign in black when less (``EURO`` shows an underspend in red).
EURO_OVER_BUDGET = '[Red]"€" +#,##0;"€" -#,##0;"€" 0'
PERCENT = "0.0%"
FACTOR = "0.000"
NUMBER = "#,##0"
DATE = "dd-mm-yyyy"

TITLE = Font(name="Calibri", size=16, bold=True, color="1F3864")
SUBTITLE = Font(name="Calibri", size=11, italic=True, color="595959")
HEADER = Font(name="Calibri", size=11, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")     # yellow: the controller types here
#: A header the controller types (a name on the yellow fill): dark, contrast 11:1.
INPUT_HEADER = Font(name="Calibri", size=11, bold=True, color="1F3864")
OUTPUT_FILL = PatternFill("solid", fgColor="E2EFDA")    # green: Grip computes this
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

#: Text from data is made safe in one place (``calc.text``): never a formula.


def write_data(ws: Worksheet, ref: str, value: Any, *, number_format: str | None = None) -> None:
    """Write a data value (never interpreted as a formula)."""
    cell = ws[ref]
    cell.value = safe_text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format


def title(ws: Worksheet, text: str, subtitle: str | None = None) -> None:
    """Sheet title in A1 and an optional one-line explanation in A2."""
    ws["A1"] = text
    ws["A1"].font = TITLE
    if subtitle:
        ws["A2"] = subtitle
        ws["A2"].font = SUBTITLE


def header_row(ws: Worksheet, row: int, col: int, labels: Sequence[str]) -> None:
    """A row of table headers."""
    for k, label in enumerate(labels):
        cell = ws.cell(row=row, column=col + k, value=label)
        _set_styles((cell,), {"font": HEADER, "fill": HEADER_FILL, "alignment": HEADER_ALIGN,
                              "border": BOX})


UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

#: Per workbook: the index in its style list of each style object above (by identity), so a
#: range of cells gets it without openpyxl hashing the object again for every cell.
_INDEX: "weakref.WeakKeyDictionary[Workbook, dict[tuple[str, int], int]]" = \
    weakref.WeakKeyDictionary()


def _set_styles(cells: Iterable, styles: dict[str, Any]) -> None:
    """``cell.fill = ...`` (etc.) for every cell, with the same result: each style object is
    added to the workbook's list once (``IndexedList.add`` returns the index of an equal
    entry and adds nothing) and its index then set directly. Only for the module's own style
    objects, which are never changed (the index is kept by the object's identity)."""
    from openpyxl.styles.cell_style import StyleArray

    keys = {"fill": ("_fills", "fillId"), "border": ("_borders", "borderId"),
            "protection": ("_protections", "protectionId"), "font": ("_fonts", "fontId"),
            "alignment": ("_alignments", "alignmentId")}
    index = None
    for cell in cells:
        if index is None:
            wb = cell.parent.parent
            known = _INDEX.setdefault(wb, {})
            index = []
            for attribute, value in styles.items():
                collection, key = keys[attribute]
                found = known.get((collection, id(value)))
                if found is None:
                    found = known[(collection, id(value))] = getattr(wb, collection).add(value)
                index.append((key, found))
        if not cell._style:
            cell._style = StyleArray()
        for key, found in index:
            setattr(cell._style, key, found)


def mark_input(cells: Iterable, *, number_format: str | None = None) -> None:
    """Yellow, unlocked: the controller types here."""
    for cell in cells:
        _set_styles((cell,), {"fill": INPUT_FILL, "border": BOX, "protection": UNLOCKED})
        if number_format:
            cell.number_format = number_format


def mark_output(cells: Iterable, *, number_format: str | None = None) -> None:
    """Green, locked: Grip computes this."""
    for cell in cells:
        _set_styles((cell,), {"fill": OUTPUT_FILL, "border": BOX, "protection": LOCKED})
        if number_format:
            cell.number_format = number_format


def widths(ws: Worksheet, columns: dict[int, float]) -> None:
    """Set column widths by 1-based column number."""
    for col, width in columns.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def area(first_row: int, first_col: int, n_rows: int, n_cols: int) -> str:
    """An A1 range from a top-left corner and a size.

    >>> area(6, 2, 3, 1)
    'B6:B8'
    """
    a = f"{get_column_letter(first_col)}{first_row}"
    b = f"{get_column_letter(first_col + n_cols - 1)}{first_row + n_rows - 1}"
    return f"{a}:{b}"


def define_name(wb: Workbook, name: str, ws: Worksheet, ref: str) -> None:
    """A workbook-level named range (absolute) for a range on ``ws``."""
    wb.defined_names[name] = DefinedName(
        name, attr_text=f"{quote_sheetname(ws.title)}!{absolute_coordinate(ref)}")


def validation(ws, ref: str, kind: str, *, minimum=None, maximum=None, title: str,
               message: str) -> None:
    """Data validation on ``ref`` that stops wrong input with a Dutch message. A bound may
    be a formula of a cell on the same sheet plus or minus a whole number (``"$B$5+9"``),
    which ``grip werkmap controleren`` reads too."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type=kind, operator="between", formula1=str(minimum),
                        formula2=str(maximum), allow_blank=True, showErrorMessage=True,
                        showInputMessage=True, errorStyle="stop", errorTitle=title,
                        error=message, promptTitle=title, prompt=message)
    ws.add_data_validation(dv)
    dv.add(ref)


def dropdown(ws: Worksheet, ref: str, source: str, *, prompt: str | None = None) -> None:
    """A list data validation on ``ref``: ``source`` is a named range (``th_namen``) or a
    comma list (``"ja,nee"``); anything else typed is refused with a Dutch message."""
    from openpyxl.worksheet.datavalidation import DataValidation

    formula = f'"{source}"' if "," in source else f"={source}"
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                        showErrorMessage=True, errorTitle="Ongeldige keuze",
                        error="Kies een waarde uit de lijst.")
    if prompt:
        dv.promptTitle, dv.prompt, dv.showInputMessage = "Grip", prompt, True
    ws.add_data_validation(dv)
    dv.add(ref)


def show_axes(wb: Workbook) -> None:
    """Write ``<c:delete val="0"/>`` on every axis of every chart (combined charts included).

    openpyxl 3.1 leaves the element out, and Excel then hides the axis with its labels;
    LibreOffice and the headless checks show it either way, so this is the one place that
    makes the axes explicit. Axis labels, axis titles and legends get ``CHART_TEXT_SIZE``
    (the default 10 pt prints at 7,5 pt on a sheet printed at 75 %), and the category
    labels sit below the plot (``low``), not on the zero line through negative values.
    """
    from openpyxl.drawing.text import CharacterProperties, ParagraphProperties

    for ws in wb.worksheets:
        for chart in ws._charts:
            for part in (chart, *getattr(chart, "_charts", ())):
                for axis in (part.x_axis, part.y_axis):
                    if axis.delete is None:
                        axis.delete = False
                    axis.txPr = _chart_text(CHART_TEXT_SIZE)
                    if axis.title is not None:
                        for paragraph in axis.title.tx.rich.p:
                            paragraph.pPr = ParagraphProperties(
                                defRPr=CharacterProperties(sz=CHART_TEXT_SIZE * 100, b=True))
                part.x_axis.tickLblPos = "low"
            if chart.legend is not None:
                chart.legend.txPr = _chart_text(CHART_TEXT_SIZE)


#: Text size of chart axes and legends, in points.
CHART_TEXT_SIZE = 11


def _chart_text(points: int):
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    props = CharacterProperties(sz=points * 100)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])
