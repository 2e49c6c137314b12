"""A layout that fits its content: column widths, row heights and contrast, one helper for all sheets.

Every sheet builder places its cells; ``fit_sheet`` then sizes the sheet from what the cells hold:

- a column is as wide as its numbers *rendered in their number format* (so Excel never shows
  ``###``) and its labels that have a neighbour on the right; a formula cell counts as the widest
  value its format is likely to show (``FORMULA_SAMPLES``), because its result is not known yet;
- an empty cell of a button's output table (``grip_uit_*``) with a number format counts like a
  formula cell, and a builder names what a text column of such a table will hold (``expect``),
  so a page the button fills later shows no ``###`` and no clipped text;
- wrapped text (headers, descriptions) gets the rows it needs; a label wider than ``MAX_WIDTH``
  wraps; a sentence alone in its row that would run past the sheet's content is merged over the
  content's columns and wrapped, so it prints whole;
- ``lint`` finds what still does not fit (clipped text, ``###``-prone numbers, text on a fill with a
  contrast below 4.5:1) — the lint test runs it over the demo's values copy.

Widths are in Excel's unit, the width of the digit ``0`` of the default font (Calibri 11); the
character widths below are Calibri's (measured from its metric twin Carlito, which LibreOffice
uses), as a fraction of that digit.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import weakref
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from calc.text import excel_bool

#: Calibri 11 advance widths as a fraction of the digit 0 (Carlito Regular, same metrics).
_WIDTHS = {
    **dict.fromkeys("0123456789$€#*+<=>^_~±−–×", 1.0), " ": 0.45, "!": 0.64, '"': 0.79,
    "%": 1.41, "&": 1.35, "'": 0.44, "(": 0.6, ")": 0.6, ",": 0.49, "-": 0.6, ".": 0.5,
    "/": 0.76, ":": 0.53, ";": 0.53, "?": 0.91, "@": 1.76, "[": 0.6, "]": 0.6, "\\": 0.76,
    "`": 0.57, "{": 0.62, "}": 0.62, "|": 0.91, "·": 0.5, "—": 1.79, "…": 1.36,
    "A": 1.14, "B": 1.07, "C": 1.05, "D": 1.21, "E": 0.96, "F": 0.91, "G": 1.25, "H": 1.23,
    "I": 0.5, "J": 0.63, "K": 1.03, "L": 0.83, "M": 1.69, "N": 1.27, "O": 1.31, "P": 1.02,
    "Q": 1.33, "R": 1.07, "S": 0.91, "T": 0.96, "U": 1.27, "V": 1.12, "W": 1.76, "X": 1.02,
    "Y": 0.96, "Z": 0.92, "a": 0.95, "b": 1.04, "c": 0.83, "d": 1.04, "e": 0.98, "f": 0.6,
    "g": 0.93, "h": 1.04, "i": 0.45, "j": 0.47, "k": 0.9, "l": 0.45, "m": 1.58, "n": 1.04,
    "o": 1.04, "p": 1.04, "q": 1.04, "r": 0.69, "s": 0.77, "t": 0.66, "u": 1.04, "v": 0.89,
    "w": 1.41, "x": 0.86, "y": 0.89, "z": 0.78,
    "é": 0.98, "ë": 0.98, "è": 0.98, "ï": 0.45, "í": 0.45, "ö": 1.04, "ó": 1.04, "ü": 1.04,
    "ú": 1.04, "á": 0.95, "à": 0.95, "ç": 0.83,
}
#: Bold Calibri is about 3% wider.
BOLD = 1.03
#: Room a cell keeps free beside its text (Excel's 5 px of padding and LibreOffice's wider
#: rendering of the euro sign and digits), in digits.
PADDING = 1.0
#: The widest a column becomes for a label; wider labels wrap.
MAX_WIDTH = 60.0
#: Width of a column whose only content is wrapped text (descriptions).
WRAP_WIDTH = 40.0
MIN_WIDTH = 4.0
#: A wrapped text of at most this many words is a header: it may wrap at every word.
HEADER_WORDS = 4
#: Default row height (points) of Calibri 11.
DEFAULT_HEIGHT = 15.0
#: What a formula cell may show, per number format: its result is unknown when the workbook is
#: built, so its column is made wide enough for this (ten million euro, a percentage, a year).
FORMULA_SAMPLES = {"euro": -99_999_999.0, "percent": -1.0, "number": 9_999_999.0}
#: Minimum contrast between text and fill (WCAG AA for normal text).
MIN_CONTRAST = 4.5


def text_width(text: str, font: Font | None = None) -> float:
    """Width of ``text`` on one line, in Excel column units (digits 0 of Calibri 11).

    >>> round(text_width("0000"), 2)
    4.0
    >>> text_width("Wmo") < text_width("WMO")
    True
    """
    size = float(font.sz) if font is not None and font.sz else 11.0
    width = _units(text) * size / 11.0
    return width * BOLD if font is not None and font.b else width


@functools.lru_cache(maxsize=8192)
def _units(text: str) -> float:
    """The widths of ``text``'s characters added up (the layout passes measure the same
    labels and numbers again and again)."""
    return sum(_WIDTHS.get(ch, 1.0) for ch in text)


def _split_format(number_format: str, value: float) -> str:
    sections = number_format.split(";")
    if value < 0 and len(sections) > 1:
        return sections[1]
    if value == 0 and len(sections) > 2:
        return sections[2]
    return sections[0]


def display_text(value: Any, number_format: str = "General") -> str:
    """The text a cell shows: a number rendered in its (Dutch) number format.

    >>> display_text(-1234567.4, '"€" #,##0;[Red]"€" -#,##0')
    '€ -1.234.567'
    >>> display_text(0.125, "0.0%")
    '12,5%'
    >>> display_text(2027, "0")
    '2027'
    >>> display_text(dt.datetime(2025, 6, 1), "mmm yyyy")
    'jun 2025'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return excel_bool(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return _date_text(value, number_format)
    if not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "#GETAL!"
    fmt = number_format or "General"
    if fmt == "General":
        text = f"{value:.10g}" if isinstance(value, float) else str(value)
        return text.replace(".", ",")
    section = _split_format(fmt, value)
    section = re.sub(r"\[[^\]]*\]", "", section)          # [Red], conditions
    literal = re.sub(r'"([^"]*)"', lambda m: "\x00" * len(m.group(1)), section)
    quoted = re.findall(r'"([^"]*)"', section)
    percent = "%" in literal
    number = abs(value) * (100 if percent else 1)
    if len(fmt.split(";")) == 1 and value < 0:
        prefix_sign = "-"
    else:
        prefix_sign = ""
    digits = re.search(r"[0#?][0#?,]*(\.[0#?]+)?", literal)
    if digits is None:
        return section.replace('"', "")
    decimals = len(digits.group(1)) - 1 if digits.group(1) else 0
    thousands = "," in digits.group(0)
    body = f"{number:,.{decimals}f}" if thousands else f"{number:.{decimals}f}"
    body = body.replace(",", "\x01").replace(".", ",").replace("\x01", ".")
    out = literal[:digits.start()] + prefix_sign + body + literal[digits.end():]
    for q in quoted:
        out = out.replace("\x00" * len(q), q, 1)
    return out.replace("\\", "").replace("_)", " ")


_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _date_text(value: dt.date, fmt: str) -> str:
    f = fmt.lower()
    out = f.replace("yyyy", f"{value.year:04d}").replace("dd", f"{value.day:02d}")
    if "mmm" in out:
        return out.replace("mmm", _MONTHS[value.month - 1])
    return out.replace("mm", f"{value.month:02d}") if "mm" in out else f"{value:%d-%m-%Y}"


def _kind(number_format: str) -> str | None:
    if "€" in number_format:
        return "euro"
    if "%" in number_format:
        return "percent"
    if number_format and number_format != "General" and "y" not in number_format:
        return "number"
    return None


def _array_cells(ws: Worksheet) -> set[str]:
    from workbooks.context import cells_of

    out: set[str] = set()
    for cell in filled_cells(ws):
        if isinstance(cell.value, ArrayFormula):
            out.update(cells_of(cell.value.ref))
    return out


def is_formula(value: Any) -> bool:
    return isinstance(value, ArrayFormula) or (isinstance(value, str) and value.startswith("=")
                                               and len(value) > 1)


def shown(cell: Cell, formula: bool) -> str:
    """What the cell shows; a formula shows the widest sample of its number format."""
    if formula:
        kind = _kind(cell.number_format)
        if kind is None:
            return ""
        return display_text(FORMULA_SAMPLES[kind], cell.number_format)
    return display_text(cell.value, cell.number_format)


def _merged_width(ws: Worksheet) -> dict[str, tuple[int, int, int, int]]:
    """Top-left coordinate of each merged range -> (min_col, min_row, max_col, max_row)."""
    return {f"{get_column_letter(r.min_col)}{r.min_row}": (r.min_col, r.min_row, r.max_col, r.max_row)
            for r in ws.merged_cells.ranges}


def column_width(ws: Worksheet, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    return float(dim.width) if dim is not None and dim.width else 8.43


def column_pixels(ws: Worksheet, col: int) -> float:
    """A column as Excel draws it: ``width * 7 + 5`` pixels; 0 when hidden."""
    dim = ws.column_dimensions.get(get_column_letter(col))
    if dim is not None and dim.hidden:
        return 0.0
    return column_width(ws, col) * 7 + 5


def wrapped_lines(text: str, width: float, font: Font | None = None) -> int:
    """Lines ``text`` takes when wrapped in ``width`` column units (greedy, word by word).

    >>> wrapped_lines("een twee drie", 100)
    1
    >>> wrapped_lines("een twee drie", 6)
    3
    """
    usable = max(width - PADDING, 1.0)
    space = text_width(" ", font)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            w = text_width(word, font)
            if used and used + space + w <= usable:
                used += space + w
                continue
            if used:
                lines += 1
            while w > usable:           # a word longer than the line breaks by characters
                lines += 1
                w -= usable
            used = w
    return lines


def line_height(font: Font | None) -> float:
    size = float(font.sz) if font is not None and font.sz else 11.0
    return size * 1.32 + 0.5


def value_at(ws: Worksheet, row: int, column: int) -> Any:
    """The value of a cell, ``None`` for a cell that does not exist (``ws.cell`` would create
    it: an empty cell more in the sheet, to save and to read again)."""
    cell = ws._cells.get((row, column))
    return None if cell is None else cell.value


def existing_cells(ws: Worksheet) -> list[Cell]:
    """Every cell the sheet holds (empty ones with a style included), row by row and left to
    right: what ``ws.iter_rows()`` gives less the cells it would create. A cell that does not
    exist has no value and the workbook's first style (``protection.input_test`` reads it as
    a locked cell)."""
    cells = ws._cells
    return [cells[key] for key in sorted(cells)]


def filled_cells(ws: Worksheet, min_row: int = 1, max_row: int | None = None,
                 min_col: int = 1, max_col: int | None = None) -> list[Cell]:
    """The cells inside the bounds that hold something (not ``None``, not ``""``; never a
    merged-over cell), row by row and left to right: what ``ws.iter_rows`` with these bounds
    gives, less its empty cells.

    ``iter_rows`` creates every missing cell of its rectangle: the layout passes over a built
    sheet (``fit_sheet``, ``workbooks.printing``) filled every sheet with empty cells (about
    three in four of the begrotingsmodel's cells), each one more to save and to read. This
    reads the cells that exist and creates none.
    """
    cells = ws._cells
    last_row = max_row if max_row is not None else 1048576
    last_col = max_col if max_col is not None else 16384
    if max_row is not None and max_col is not None and \
            (max_row - min_row + 1) * (max_col - min_col + 1) <= len(cells):
        keys = ((r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)
                if (r, c) in cells)                 # a small area: look its cells up
    else:
        keys = (k for k in sorted(cells)
                if min_row <= k[0] <= last_row and min_col <= k[1] <= last_col)
    out = []
    for key in keys:
        cell = cells[key]
        value = cell.value
        if value is not None and value != "" and not isinstance(cell, MergedCell):
            out.append(cell)
    return out


def last_content_column(ws: Worksheet) -> int:
    return max((c.column for c in filled_cells(ws)), default=1)


#: Columns whose width a builder set on purpose, per sheet (see ``keep_width``).
_KEPT: "weakref.WeakKeyDictionary[Worksheet, set[int]]" = weakref.WeakKeyDictionary()


def keep_width(ws: Worksheet, *columns: int) -> None:
    """Tell ``fit_sheet`` to leave the width of these columns as the builder set it."""
    _KEPT.setdefault(ws, set()).update(columns)


#: Widest a column may become, per sheet (see ``cap_width``).
_CAPS: "weakref.WeakKeyDictionary[Worksheet, dict[int, float]]" = weakref.WeakKeyDictionary()


def cap_width(ws: Worksheet, column: int, width: float) -> None:
    """Tell ``fit_sheet`` that ``column`` is at most ``width`` wide: a longer text in it wraps
    (a text column that shares its width with the number columns of another table, so that
    each table prints whole across a page)."""
    _CAPS.setdefault(ws, {})[column] = width


#: Charts a builder laid over a run of columns, per sheet (see ``chart_over``).
_CHARTS_OVER: "weakref.WeakKeyDictionary[Worksheet, list[tuple[Any, int, int]]]" = \
    weakref.WeakKeyDictionary()
#: Kept free at a chart's right edge: LibreOffice and Excel draw a chart a few points off.
CHART_MARGIN_CM = 0.3


def chart_over(ws: Worksheet, chart: Any, first: int, last: int) -> None:
    """Make ``chart`` as wide as columns ``first..last`` once ``fit_sheet`` sized them (a chart
    beside a table, inside the page of that table)."""
    _CHARTS_OVER.setdefault(ws, []).append((chart, first, last))


def _size_charts(ws: Worksheet) -> None:
    for chart, first, last in _CHARTS_OVER.get(ws, ()):
        pixels = sum(column_pixels(ws, c) for c in range(first, last + 1))
        chart.width = round(pixels / 96 * 2.54 - CHART_MARGIN_CM, 2)


#: Cells a builder marked as notes, per sheet (see ``note``).
_NOTES: "weakref.WeakKeyDictionary[Worksheet, set[str]]" = weakref.WeakKeyDictionary()


def note(ws: Worksheet, *coordinates: str) -> None:
    """Mark cells as notes: their text runs over the empty cells to the right (or wraps there)
    and does not widen its column."""
    _NOTES.setdefault(ws, set()).update(coordinates)


#: Text a builder expects in a column once a button fills it, per sheet (see ``expect``).
_EXPECTED: "weakref.WeakKeyDictionary[Worksheet, dict[int, float]]" = weakref.WeakKeyDictionary()


def expect(ws: Worksheet, column: int, *samples: str | None) -> None:
    """Tell ``fit_sheet`` what a column of an output table will hold (the longest of
    ``samples``, at most ``MAX_WIDTH``), though it is empty when the workbook is built."""
    widths = [text_width(str(s)) + PADDING for s in samples if s]
    if widths:
        known = _EXPECTED.setdefault(ws, {})
        known[column] = max(known.get(column, 0.0), min(max(widths), MAX_WIDTH))


#: Cells whose one line of text runs over the empty cells to its right, as it is, per sheet.
_RUNS: "weakref.WeakKeyDictionary[Worksheet, set[str]]" = weakref.WeakKeyDictionary()


def runs_over(ws: Worksheet, *coordinates: str) -> None:
    """Mark cells whose text a builder cut into lines itself (``tables.prognose.wrap_line``):
    ``fit_sheet`` neither widens their column nor merges or wraps them, so a button that
    writes other lines there later finds the same layout."""
    _RUNS.setdefault(ws, set()).update(coordinates)


#: The cells of the output tables by sheet, per workbook, with the output names and sheets they
#: were read from: ``fit_sheet`` sizes every sheet of a workbook in turn, and each read every
#: output name of the workbook again (a sixth of a build).
_OUTPUTS: "weakref.WeakKeyDictionary[Any, tuple[tuple, dict[str, list[str]]]]" = \
    weakref.WeakKeyDictionary()


def _output_addresses(wb: Any) -> dict[str, list[str]]:
    """The addresses of the ``grip_uit_*`` ranges, by sheet (read again when a name or a
    sheet changed)."""
    from workbooks.template import is_output_name, named_cells

    names = tuple(sorted((n, d.attr_text) for n, d in wb.defined_names.items()
                         if is_output_name(n)))
    signature = (names, tuple(wb.sheetnames))
    kept = _OUTPUTS.get(wb)
    if kept is None or kept[0] != signature:
        by_sheet: dict[str, list[str]] = {}
        for name, _ in names:
            for sheet, address in named_cells(wb, name):
                by_sheet.setdefault(sheet, []).append(address)
        kept = _OUTPUTS[wb] = (signature, by_sheet)
    return kept[1]


def _output_samples(ws: Worksheet) -> dict[int, float]:
    """Per column, the width an empty numeric cell of a ``grip_uit_*`` range needs once filled."""
    out: dict[int, float] = {}
    for address in _output_addresses(ws.parent).get(ws.title, ()):
        cell = ws[address]
        if cell.value not in (None, "") or isinstance(cell, MergedCell):
            continue
        kind = _kind(cell.number_format)
        if kind is not None:
            font = cell.font
            width = _sample_width(kind, cell.number_format, font.sz if font is not None else None,
                                  bool(font is not None and font.b))
            out[cell.column] = max(out.get(cell.column, 0.0), width)
    return out


@functools.lru_cache(maxsize=256)
def _sample_width(kind: str, number_format: str, size: float | None, bold: bool) -> float:
    """``FORMULA_SAMPLES[kind]`` as it shows in ``number_format`` and a font of this size and
    weight, with the padding (thousands of output cells share a handful of formats)."""
    return text_width(display_text(FORMULA_SAMPLES[kind], number_format),
                      Font(sz=size, b=bold)) + PADDING


def fit_sheet(ws: Worksheet, *, keep: Iterable[int] = ()) -> None:
    """Size the columns and rows of ``ws`` from their content (see the module docstring).

    ``keep``: columns whose width the builder set on purpose (also ``keep_width``).
    """
    keep = set(keep) | _KEPT.get(ws, set())
    _omit_empty_blocks(ws)
    _fold_zero_groups(ws)
    arrays = _array_cells(ws)
    merged = _merged_width(ws)
    filled = {(c.row, c.column) for c in filled_cells(ws)} | {
        coordinate_to_tuple(a) for a in arrays}
    needed: dict[int, float] = {}
    wrapped_only: dict[int, float] = {}
    wrap_words: dict[int, float] = {}
    last_col = max(last_content_column(ws), max((c for _, c in filled), default=1))
    notes: list[Cell] = []
    runs = _RUNS.get(ws, set())
    caps = _CAPS.get(ws, {})
    numbers: dict[int, float] = {}      # a cap never cuts a number (it would show ###)
    # the cells of an array formula other than its first hold nothing until Excel computes
    # them: they count as formula cells too (Dwarsverbanden's path showed ### in Jaar 3-10)
    spill = [cell for cell in (ws._cells.get(coordinate_to_tuple(a)) for a in sorted(arrays))
             if cell is not None and cell.value is None]
    for cell in [*filled_cells(ws), *spill]:
        if cell.coordinate in merged or cell.coordinate in runs:
            continue
        formula = is_formula(cell.value) or cell.coordinate in arrays
        text = shown(cell, formula)
        if not text:
            continue
        width = text_width(text, cell.font) + PADDING
        numeric = formula or not isinstance(cell.value, str)
        if cell.alignment is not None and cell.alignment.wrap_text and not numeric:
            longest = max((text_width(w, cell.font) for w in text.split()), default=0) + PADDING
            wrap_words[cell.column] = max(wrap_words.get(cell.column, 0), longest)
            room = min(WRAP_WIDTH, caps.get(cell.column, WRAP_WIDTH))
            if len(text.split()) > HEADER_WORDS:      # a description, not a header: room to read
                wrap_words[cell.column] = max(wrap_words[cell.column], min(width, room))
            wrapped_only[cell.column] = max(wrapped_only.get(cell.column, 0), min(width, room))
            continue
        last_in_row = not any((cell.row, c) in filled for c in range(cell.column + 1, last_col + 1))
        in_table = (cell.row, cell.column - 1) in filled       # the last column of a table
        marked = cell.coordinate in _NOTES.get(ws, ())
        if numeric or ((not last_in_row or in_table) and not marked):
            limit = caps.get(cell.column, MAX_WIDTH)
            if width > limit and not numeric:
                cell.alignment = wrapped(cell.alignment)
                wrap_words[cell.column] = max(wrap_words.get(cell.column, 0), limit)
                continue
            needed[cell.column] = max(needed.get(cell.column, 0), width)
            if numeric:
                numbers[cell.column] = max(numbers.get(cell.column, 0), width)
        else:
            notes.append(cell)            # the last text of its row overflows: checked below
    for col, width in [*_output_samples(ws).items(), *_EXPECTED.get(ws, {}).items()]:
        needed[col] = max(needed.get(col, 0.0), width)
        numbers[col] = max(numbers.get(col, 0.0), width)
    for col in set(needed) | set(wrapped_only) | set(wrap_words):
        if col in keep:
            continue
        width = needed.get(col)
        if width is None:
            width = wrapped_only.get(col, 0)
        width = max(width, wrap_words.get(col, 0), MIN_WIDTH)
        width = min(width, MAX_WIDTH + PADDING, max(caps.get(col, math.inf), numbers.get(col, 0)))
        ws.column_dimensions[get_column_letter(col)].width = round(width, 1)
    _wrap_notes(ws, notes, last_col, filled)
    fit_rows(ws)
    _size_charts(ws)


def wrapped(alignment: Alignment | None) -> Alignment:
    a = alignment or Alignment()
    return Alignment(horizontal=a.horizontal, vertical=a.vertical or "top", wrap_text=True,
                     indent=a.indent)


def _span_width(ws: Worksheet, first: int, last: int) -> float:
    return sum(column_width(ws, c) for c in range(first, last + 1))


#: The last text of a row may run over empty cells up to this width; a longer one wraps in
#: this width (well inside a page: 142 columns at 100 %, 190 at 75 %).
NOTE_WIDTH = 90.0


def overflow_end(ws: Worksheet, cell: Cell) -> int:
    """Last column an unwrapped text runs into (its own column when it fits or wraps; a
    formula's text is not what it shows)."""
    if not isinstance(cell.value, str) or is_formula(cell.value) or \
            (cell.alignment is not None and cell.alignment.wrap_text):
        return cell.column
    need = text_width(cell.value, cell.font) + PADDING
    col, width = cell.column, column_width(ws, cell.column)
    while width < need and value_at(ws, cell.row, col + 1) in (None, ""):
        col += 1
        width += column_width(ws, col)
    return col


def _wrap_notes(ws: Worksheet, notes: list[Cell], last_col: int, filled: set) -> None:
    """The last text of a row wider than ``NOTE_WIDTH``: merged over the empty cells to its
    right as far as ``NOTE_WIDTH``, but never past the sheet's last content column or into a
    filled cell, and wrapped."""
    for cell in notes:
        width = text_width(str(cell.value), cell.font) + PADDING
        if width <= NOTE_WIDTH:
            continue
        stop = next((c for c in range(cell.column + 1, last_col + 1) if (cell.row, c) in filled),
                    None)                       # a note never runs into the next filled cell
        end = cell.column              # merged no further than the sheet's content reaches
        while _span_width(ws, cell.column, end) < min(NOTE_WIDTH, width) and end < last_col and \
                (stop is None or end + 1 < stop):
            end += 1
        if end == cell.column:
            cell.alignment = wrapped(cell.alignment)
            continue
        ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row,
                       end_column=end)
        cell.alignment = wrapped(cell.alignment)


def fit_rows(ws: Worksheet) -> None:
    """Row heights for wrapped text (merged ranges over one row count with their full width)."""
    merged = _merged_width(ws)
    heights: dict[int, float] = {}
    for cell in filled_cells(ws):
        if cell.alignment is None or not cell.alignment.wrap_text or not isinstance(cell.value, str):
            continue
        if is_formula(cell.value):
            continue
        span = merged.get(cell.coordinate)
        if span is not None:
            if span[1] != span[3]:
                continue
            width = _span_width(ws, span[0], span[2])
        else:
            width = column_width(ws, cell.column)
        lines = wrapped_lines(cell.value, width, cell.font)
        heights[cell.row] = max(heights.get(cell.row, 0.0), lines * line_height(cell.font) + 2)
    for row, height in heights.items():
        if height > DEFAULT_HEIGHT + 1:
            ws.row_dimensions[row].height = round(height, 1)
            for cell in filled_cells(ws, row, row):   # a taller row reads from the top
                a = cell.alignment
                if a is None or a.vertical is None:
                    cell.alignment = Alignment(horizontal=a.horizontal if a else None,
                                               vertical="top", wrap_text=a.wrap_text if a else None,
                                               indent=a.indent if a else 0)


# --- contrast --------------------------------------------------------------------------------

def _rgb(color: Any, default: str) -> str | None:
    """``RRGGBB`` of an openpyxl colour, ``default`` when unset, None for theme/indexed colours."""
    if color is None:
        return default
    if getattr(color, "type", "rgb") != "rgb":
        return None if getattr(color, "type", None) == "theme" else default
    value = str(color.rgb or "")
    if len(value) == 8:
        value = value[2:]
    return value.upper() if re.fullmatch(r"[0-9A-Fa-f]{6}", value) else default


def _luminance(hex6: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex6[k:k + 2], 16) for k in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``RRGGBB`` colours (1 to 21).

    >>> round(contrast("FFFFFF", "1F3864"), 1)
    11.6
    >>> round(contrast("FFFFFF", "FFF2CC"), 1)
    1.1
    """
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def cell_contrast(cell: Cell) -> float | None:
    """Contrast between a cell's text and its fill (None when a theme colour is involved)."""
    fg = _rgb(cell.font.color if cell.font is not None else None, "000000")
    fill = cell.fill
    bg = "FFFFFF"
    if fill is not None and fill.fill_type == "solid":
        bg = _rgb(fill.fgColor, "FFFFFF")
    if fg is None or bg is None:
        return None
    return contrast(fg, bg)


# --- lint ----------------------------------------------------------------------------------

def lint(ws: Worksheet) -> list[str]:
    """What does not fit on ``ws``: one line per problem (sheet!cell, what, by how much)."""
    problems: list[str] = []
    merged = _merged_width(ws)
    inside_merge = {(r, c) for (c0, r0, c1, r1) in merged.values()
                    for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    filled = {(c.row, c.column) for c in filled_cells(ws)}
    where = f"{ws.title}!"
    for cell in filled_cells(ws):
        if is_formula(cell.value):
            continue
        text = display_text(cell.value, cell.number_format)
        span = merged.get(cell.coordinate)
        width = (_span_width(ws, span[0], span[2]) if span else column_width(ws, cell.column))
        need = text_width(text, cell.font) + PADDING
        wrap = cell.alignment is not None and cell.alignment.wrap_text
        if not isinstance(cell.value, str):
            if need > width + 0.05 and not isinstance(cell.value, bool):
                problems.append(f"{where}{cell.coordinate}: getal '{text}' toont ### "
                                f"(nodig {need:.1f}, kolom {width:.1f})")
        elif wrap:
            height = ws.row_dimensions[cell.row].height or DEFAULT_HEIGHT
            rows = 1 if span is None else span[3] - span[1] + 1
            lines = wrapped_lines(text, width, cell.font)
            if lines * line_height(cell.font) > height * rows + 1.5:
                problems.append(f"{where}{cell.coordinate}: tekst afgekapt, {lines} regels in "
                                f"{height * rows:.0f} pt")
        elif need > width + 0.05:
            right = (cell.row, (span[2] if span else cell.column) + 1)
            if right in filled or right in inside_merge:
                problems.append(f"{where}{cell.coordinate}: tekst afgekapt "
                                f"(nodig {need:.1f}, kolom {width:.1f})")
        ratio = cell_contrast(cell)
        if ratio is not None and ratio < MIN_CONTRAST:
            problems.append(f"{where}{cell.coordinate}: contrast {ratio:.1f}:1 tussen tekst en "
                            f"vulling (minstens {MIN_CONTRAST}:1)")
    return problems


def hide_columns(ws: Worksheet, first: int, last: int) -> None:
    """Group and fold columns ``first..last`` (a helper block a formula needs but nobody reads)."""
    for c in range(first, last + 1):
        dim = ws.column_dimensions[get_column_letter(c)]
        dim.hidden, dim.outlineLevel = True, 1


def hide_rows(ws: Worksheet, first: int, last: int) -> None:
    """Group and fold rows ``first..last``."""
    for r in range(first, last + 1):
        ws.row_dimensions[r].hidden, ws.row_dimensions[r].outlineLevel = True, 1
    ws.sheet_properties.outlinePr.summaryBelow = False


#: The fixed-size tables whose spare rows ``hide_empty_rows`` folded, per sheet: ``refold``
#: folds them again after the user's values were put back into a new build.
_SPARE: "weakref.WeakKeyDictionary[Worksheet, list[tuple[int, int, tuple[int, ...]]]]" = \
    weakref.WeakKeyDictionary()


def hide_empty_rows(ws: Worksheet, first: int, last: int, columns: Iterable[int]) -> int:
    """Group and fold the rows of a fixed-size table that hold nothing in ``columns`` (the spare
    capacity of a table a button fills), so no empty rows sit inside the table; returns how many.
    The user unfolds them with the + in the margin."""
    columns = tuple(columns)
    _SPARE.setdefault(ws, []).append((first, last, columns))
    return _fold_empty(ws, first, last, columns)


def refold(ws: Worksheet) -> None:
    """The tables ``hide_empty_rows`` folded on ``ws``, folded again for what they hold now: a
    row the user's values filled since is shown (a measure typed in a spare row of the copy
    to share), a row emptied is folded."""
    for first, last, columns in _SPARE.get(ws, ()):
        _fold_empty(ws, first, last, columns)


def _fold_empty(ws: Worksheet, first: int, last: int, columns: tuple[int, ...]) -> int:
    hidden = 0
    for r in range(first, last + 1):
        empty = all(value_at(ws, r, c) in (None, "") for c in columns)
        if empty or ws.row_dimensions[r].hidden:
            ws.row_dimensions[r].outlineLevel = 1 if empty else 0
            ws.row_dimensions[r].hidden = empty
        hidden += empty
    if hidden:
        ws.sheet_properties.outlinePr.summaryBelow = False
    return hidden


#: Blocks of a copy to share that are left out when nothing is in them, per sheet (see
#: ``omit_when_empty``).
_OMITTED: "weakref.WeakKeyDictionary[Worksheet, list[tuple[str, str]]]" = \
    weakref.WeakKeyDictionary()


def omit_when_empty(ws: Worksheet, block: str, header: str) -> None:
    """In the copy to share: when every cell of ``block`` (input cells, or an output column
    of notes) is empty once the user's values are in (``fit_sheet`` decides), its cells and
    its ``header`` cells are cleared of value and style, so the printed copy has no pages of
    empty boxes."""
    _OMITTED.setdefault(ws, []).append((block, header))


#: Tables of a copy to share whose groups of rows that show only zeros are folded, per sheet
#: (see ``fold_zero_groups``).
_ZERO_GROUPS: "weakref.WeakKeyDictionary[Worksheet, list[tuple]]" = weakref.WeakKeyDictionary()


def fold_zero_groups(ws: Worksheet, block: str, key: int, numbers: Iterable[int], note: str,
                     text: str, *, keep: Iterable[str] = ()) -> None:
    """In the copy to share: the rows of ``block`` are grouped by their value in column ``key``
    (a theme over its years); a group whose every cell in ``numbers`` is empty or rounds to 0
    (an amount in whole euros) is folded, unless its key is in ``keep`` (a total). The cell
    ``note`` then gets ``text`` with ``{folded}`` and ``{groups}`` filled in, so no row
    disappears without a word (``fit_sheet`` decides, after the user's values are in)."""
    _ZERO_GROUPS.setdefault(ws, []).append((block, key, tuple(numbers), note, text,
                                            frozenset(keep)))


def _fold_zero_groups(ws: Worksheet) -> None:
    from openpyxl.utils.cell import range_boundaries

    for block, key, numbers, note, text, keep in _ZERO_GROUPS.get(ws, ()):
        _, first, _, last = range_boundaries(block)
        groups: dict[Any, list[int]] = {}
        for r in range(first, last + 1):
            label = ws.cell(row=r, column=key).value
            if label not in (None, "") and label not in keep:
                groups.setdefault(label, []).append(r)
        quiet = [rows for rows in groups.values()
                 if all(_shows_zero(ws.cell(row=r, column=c).value) for r in rows for c in numbers)]
        for rows in quiet:
            for r in rows:
                hide_rows(ws, r, r)
        if quiet:
            ws[note] = text.format(folded=len(quiet), groups=len(groups))


def _shows_zero(value: Any) -> bool:
    return value in (None, "") or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                   and abs(value) < 0.5)


def _omit_empty_blocks(ws: Worksheet) -> None:
    from workbooks.context import cells_of

    for block, header in _OMITTED.get(ws, ()):
        cells = [ws[a] for a in cells_of(block)]
        if any(c.value not in (None, "") for c in cells):
            continue
        for cell in [*cells, *(ws[a] for a in cells_of(header))]:
            cell.value = None
            cell.style = "Normal"
