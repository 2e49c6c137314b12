"""Dutch number formats, fonts and small cell helpers shared by every sheet builder.

Number formats are stored in Excel's file syntax (``.`` decimal, ``,`` thousands); Dutch
Excel shows them as ``€ 1.234`` and ``12,5%``.
"""

from __future__ import annotations

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
        cell.font = HEADER
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX


def mark_input(cells: Iterable, *, number_format: str | None = None) -> None:
    """Yellow, unlocked: the controller types here."""
    for cell in cells:
        cell.fill = INPUT_FILL
        cell.border = BOX
        cell.protection = Protection(locked=False)
        if number_format:
            cell.number_format = number_format


def mark_output(cells: Iterable, *, number_format: str | None = None) -> None:
    """Green, locked: Grip computes this."""
    for cell in cells:
        cell.fill = OUTPUT_FILL
        cell.border = BOX
        cell.protection = Protection(locked=True)
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
