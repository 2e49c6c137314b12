"""Print setup: every sheet on A4 landscape at a legible size, split into pages between sections.

No sheet is fitted to one page wide (that shrank wide sheets to 3-5 pt). Instead each sheet gets
one scale between ``MIN_SCALE`` and 100 % — the largest at which its content fits the page width,
but never below ``MIN_SCALE``, so Calibri 11 prints at 8.25 pt or more — and the content is cut
into pages by hand:

- column breaks fall on an empty spacer column where one is available, never inside a chart,
  nor right before a chart that has an empty column before it (a chart drawn a few points left
  of its anchor left a page with only its edge);
- a wrapped note merged over columns a break cuts (``fit`` merges a long note to its right) is
  narrowed to end on its own page and its row made taller, so no page holds a cut line of it;
- row breaks fall before a section (a row that follows an empty row), never inside a chart;
- the print area is the content (values, formulas and charts), not the empty capacity of a
  fixed-size table; the header rows a builder marked (``ws.print_title_rows``) repeat on every page;
- the footer names the municipality, the sheet, the date and the page, at 9 pt on paper in
  Excel (not scaled with the sheet; LibreOffice ignores that and scales it); the date is Excel's ``&D``, shown in the user's own locale.

Distances are in points (1/72 inch); a column of width ``w`` is ``w * 7 + 5`` pixels of 0.75 pt.
"""

from __future__ import annotations

import functools
import weakref

from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.pagebreak import Break, ColBreak, RowBreak
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from workbooks import fit
from workbooks.template import is_output_name, sheet_title

#: A4 landscape minus the margins below, in points.
MARGINS = PageMargins(left=0.4, right=0.4, top=0.55, bottom=0.65, header=0.25, footer=0.3)
#: LibreOffice and Excel round column widths and row heights their own way: keep 4 % free.
PAGE_WIDTH = (297 / 25.4 - MARGINS.left - MARGINS.right) * 72 * 0.96
PAGE_HEIGHT = (210 / 25.4 - MARGINS.top - MARGINS.bottom) * 72 * 0.96
#: 75 %: body text of 11 pt prints at 8.25 pt.
MIN_SCALE = 75
CM = 72 / 2.54


def column_points(ws: Worksheet, col: int) -> float:
    return fit.column_pixels(ws, col) * 0.75


#: ``(max_row, max_column)`` of a sheet, with the stamp of its cells they were read at.
_EXTENT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _extent(ws: Worksheet) -> tuple[int, int]:
    """``ws.max_row, ws.max_column`` without scanning every cell on each of many calls.

    openpyxl computes both from all cell keys; they change only when a cell is added or
    removed, which changes the count of cells or the last key added (a dict appends new
    keys), so both are read again only then.
    """
    cells = ws._cells
    stamp = (len(cells), next(reversed(cells), None))
    known = _EXTENT.get(ws)
    if known is None or known[0] != stamp:
        known = (stamp, (ws.max_row, ws.max_column))
        _EXTENT[ws] = known
    return known[1]


def row_points(ws: Worksheet, row: int) -> float:
    """Height of a row: set by the builder or ``fit``, else that of its largest font."""
    dim = ws.row_dimensions.get(row)
    if dim is not None and dim.hidden:
        return 0.0
    if dim is not None and dim.height:
        return float(dim.height)
    max_row, max_col = _extent(ws)
    cells = fit.filled_cells(ws, row, row, 1, max_col) if row <= max_row else ()
    fonts = [c.font for c in cells if c.font is not None and c.font.sz and c.font.sz > 11]
    return max([fit.DEFAULT_HEIGHT, *(fit.line_height(f) + 1 for f in fonts)])


def _anchor(chart) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    anchor = chart.anchor
    if isinstance(anchor, str):
        letters, row = coordinate_from_string(anchor)
        return column_index_from_string(letters), row
    marker = anchor._from
    return marker.col + 1, marker.row + 1


#: EMU (the drawing's unit) per point.
EMU_PER_POINT = 12700


def _size(chart) -> tuple[float, float]:
    """Width and height in points: the anchor's extent for a chart read from a file (openpyxl
    leaves ``width`` and ``height`` at their defaults then), else what the builder set."""
    ext = getattr(chart.anchor, "ext", None)
    if ext is not None and ext.width and ext.height:
        return ext.width / EMU_PER_POINT, ext.height / EMU_PER_POINT
    return chart.width * CM, chart.height * CM


def chart_spans(ws: Worksheet) -> list[tuple[int, int, int, int]]:
    """(first col, first row, last col, last row) each chart covers."""
    spans = []
    for chart in ws._charts:
        col, row = _anchor(chart)
        width, height = _size(chart)
        last_col, used = col, column_points(ws, col)
        while used < width:
            last_col += 1
            used += column_points(ws, last_col)
        last_row, used = row, row_points(ws, row)
        while used < height:
            last_row += 1
            used += row_points(ws, last_row)
        spans.append((col, row, last_col, last_row))
    return spans


def content_extent(ws: Worksheet) -> tuple[int, int]:
    """Last column and last row holding a value, a formula, a chart or a named range (an
    output table a button fills later is printed then too)."""
    last_col, last_row = 1, 1
    for cell in fit.filled_cells(ws):
        last_col, last_row = max(last_col, fit.overflow_end(ws, cell)), max(last_row, cell.row)
    for c0, r0, c1, r1 in [*chart_spans(ws), *named_spans(ws)]:
        last_col, last_row = max(last_col, c1), max(last_row, r1)
    for merged in ws.merged_cells.ranges:      # a filled merged block prints whole
        if fit.value_at(ws, merged.min_row, merged.min_col) not in (None, ""):
            last_col, last_row = max(last_col, merged.max_col), max(last_row, merged.max_row)
    return last_col, last_row


#: An input table (a name that is no output) of at most this many rows prints whole, filled
#: or not: what a controller types into it later must be on paper. A longer one, and an
#: output table, print as far as they are filled; a button that fills an output table
#: extends the print area (``covering``, called by ``workbooks.bookio``).
INPUT_ROWS_PRINTED = 60


@functools.lru_cache(maxsize=1024)
def _destinations(text: str | None) -> tuple[tuple[str, str], ...] | None:
    """``DefinedName.destinations`` of a name's text (openpyxl tokenizes the text on every
    call; the print setup asks for every name once per sheet), ``None`` if it is no range."""
    try:
        return tuple(DefinedName(name="x", attr_text=text).destinations)
    except (ValueError, TypeError):
        return None


def named_spans(ws: Worksheet) -> list[tuple[int, int, int, int]]:
    """(first col, first row, last col, last row) to print of every workbook name on this
    sheet: see ``INPUT_ROWS_PRINTED``."""
    wb = ws.parent
    out = []
    for name, dn in wb.defined_names.items():
        destinations = _destinations(dn.attr_text)
        if destinations is None:                # a name that is no plain range
            continue
        for sheet, ref in destinations:
            if sheet_title(sheet) != ws.title:
                continue
            c0, r0, c1, r1 = range_boundaries(ref.replace("$", ""))
            if is_output_name(name) or r1 - r0 + 1 > INPUT_ROWS_PRINTED:
                filled = [c.row for c in fit.filled_cells(ws, r0, r1, c0, c1)]
                r1 = max(filled, default=r0)
            out.append((c0, r0, c1, r1))
    return out


def covering(area: str | None, last_col: int, last_row: int) -> str:
    """A print area (``A1:E30``, ``'Blad'!$A$1:$E$30`` or none) grown to reach
    ``last_col``/``last_row``, as ``$A$1:$E$50``.

    >>> covering("'Parameters'!$A$1:$E$30", 4, 32), covering(None, 3, 9)
    ('$A$1:$E$32', '$A$1:$C$9')
    """
    c1 = r1 = 1
    if area:
        _, _, c1, r1 = range_boundaries(str(area).split("!")[-1].replace("$", ""))
    return (f"$A$1:${get_column_letter(max(c1, last_col))}${max(r1, last_row)}")


def cover_written(ws: Worksheet, last_col: int, last_row: int) -> None:
    """After a table was written into a built sheet (a button, a template update carrying a
    button's table): rows as high as their wrapped text, and the print area grown to the
    table's last filled row, so that what was written is printed too."""
    fit.fit_rows(ws)
    ws.print_area = covering(ws.print_area, last_col, last_row)


def _empty_columns(ws: Worksheet, last_col: int, last_row: int) -> set[int]:
    used = {c.column for c in fit.filled_cells(ws, max_row=last_row, max_col=last_col)}
    return set(range(1, last_col + 1)) - used


def _section_rows(ws: Worksheet, last_col: int, last_row: int) -> tuple[set[int], set[int]]:
    """Rows that start a section (content after an empty row; folded rows do not count),
    and the rows without content."""
    filled = {c.row for c in fit.filled_cells(ws, max_row=last_row, max_col=last_col)}
    out = set()
    for r in filled:
        above = r - 1
        while above >= 1 and row_points(ws, above) == 0.0:      # skip folded rows
            above -= 1
        if above >= 1 and above not in filled:
            out.add(r)
    return out, set(range(1, last_row + 1)) - filled


#: A section cut so that at most this many of its rows (or columns) go to the next page starts
#: on that page instead, also when the page before is then less than half full (but at least a
#: quarter: ``_without_widows``).
WIDOW = 3


def _breaks(sizes: list[float], limit: float, good: set[int], blocked: set[int],
            first_limit: float | None = None, blank: set[int] = frozenset()) -> list[int]:
    """Indices (1-based) after which a page ends: pages hold at most ``limit`` (the first page
    ``first_limit``); a break after index i prefers i + 1 in ``good`` (a section start) and
    avoids i + 1 in ``blocked``; no section leaves only its last ``WIDOW`` rows to a page (a
    section ends at the next section start or at its first ``blank`` row, so the empty rows
    after a table's last one do not count as its rows).

    >>> _breaks([10.0] * 10, 75, good={4}, blocked=set())     # rows 8-10 would be widows
    [3]
    >>> _breaks([10.0] * 20, 75, good={4}, blocked=set())     # a long section is cut
    [7, 14]
    >>> _breaks([10.0] * 12, 75, good={4}, blocked=set(), blank={10, 11, 12})  # 8-9 widows
    [3, 10]
    >>> _breaks([10.0] * 12, 75, good={4}, blocked=set(), blank={8, 9, 10, 11, 12})
    [7]
    """
    breaks, start, used = [], 1, 0.0
    i = 1
    while i <= len(sizes):
        size = sizes[i - 1]
        page = first_limit if first_limit is not None and not breaks else limit
        if used + size > page and i > start:
            candidates = [k for k in range(start + 1, i + 1) if k not in blocked]
            # a section start is preferred once the page is half full (no near-empty pages)
            preferred = [k for k in candidates
                         if k in good and sum(sizes[start - 1:k - 1]) >= page / 2]
            cut = (preferred or candidates or [i])[-1]
            cut = _without_widows(cut, start, sizes, page, good, blocked, blank)
            breaks.append(cut - 1)
            start, used = cut, sum(sizes[cut - 1:i - 1])
            continue
        used += size
        i += 1
    return breaks


def _without_widows(cut: int, start: int, sizes: list[float], page: float, good: set[int],
                    blocked: set[int], blank: set[int] = frozenset()) -> int:
    """``cut``, or the start of its section when the section's rest from ``cut`` on (up to
    the next section or its first ``blank`` row) is at most ``WIDOW`` long and the page before
    that start is at least a quarter full (not a page of one spacer column)."""
    if cut in good:
        return cut
    section = max((k for k in good if k < cut), default=None)
    end = min([k for k in good if k > cut] + [k for k in blank if k >= cut],
              default=len(sizes) + 1)
    if section is not None and section not in blocked and 0 < end - cut <= WIDOW and \
            sum(sizes[start - 1:section - 1]) >= page / 4:
        return section
    return cut


#: Columns where a builder's side-by-side blocks begin, per sheet (see ``column_sections``).
_COLUMN_SECTIONS: "weakref.WeakKeyDictionary[Worksheet, set[int]]" = weakref.WeakKeyDictionary()


def column_sections(ws: Worksheet, *columns: int) -> None:
    """Blocks side by side without an empty column between them (each with its own name
    column) begin at ``columns``: a page prefers to start there, and the widest block, not
    the whole row of blocks, decides the scale."""
    _COLUMN_SECTIONS.setdefault(ws, set()).update(columns)


#: Sheets a builder wants on one page (see ``one_page``).
_ONE_PAGE: "weakref.WeakSet[Worksheet]" = weakref.WeakSet()


def one_page(ws: Worksheet) -> None:
    """Ask for one printed page: the scale fits the whole width and the height (never below
    ``MIN_SCALE``)."""
    _ONE_PAGE.add(ws)


def scale_for(width: float) -> int:
    """The print scale (percent) for content ``width`` points wide.

    >>> scale_for(500.0), scale_for(5000.0)
    (100, 75)
    """
    return int(max(MIN_SCALE, min(100, PAGE_WIDTH / width * 100 if width else 100)))


def setup(ws: Worksheet, municipality: str) -> None:
    """A4 landscape, scale, print area, page breaks and footer for one sheet."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins = MARGINS
    ws.print_options.horizontalCentered = False
    last_col, last_row = content_extent(ws)
    widths = [column_points(ws, c) for c in range(1, last_col + 1)]
    heights = [row_points(ws, r) for r in range(1, last_row + 1)]
    spans = chart_spans(ws)
    empty = _empty_columns(ws, last_col, last_row)
    starts = {c for c in _COLUMN_SECTIONS.get(ws, ()) if c <= last_col}
    # the widest block between empty spacer columns (with the spacer a page after a break
    # starts with) or a builder's column sections decides the scale
    block, widest = 0.0, 0.0
    for c, w in enumerate(widths, start=1):
        block = w if c in empty or c in starts else block + w
        widest = max(widest, block)
    total = sum(widths)
    scale = scale_for(total if total * MIN_SCALE / 100 <= PAGE_WIDTH else widest)
    if ws in _ONE_PAGE:
        scale = max(MIN_SCALE, min(scale_for(total), int(PAGE_HEIGHT / sum(heights) * 100)))
    ws.page_setup.scale = scale
    factor = scale / 100
    # a page does not start at a chart's first column when an empty column stands before it:
    # LibreOffice (and Excel at another zoom) draws a chart a few points off its anchor, and
    # a chart that began on a page's first column left a page holding only its edge
    inside_chart_cols = {c for c0, _, c1, _ in spans
                         for c in range(c0 if c0 - 1 in empty else c0 + 1, c1 + 1)}
    inside_chart_rows = {r for _, r0, _, r1 in spans for r in range(r0 + 1, r1 + 1)}
    title_cols = _title_cols_width(ws)
    col_breaks = _breaks(widths, PAGE_WIDTH / factor - title_cols,
                         {c + 1 for c in empty} | starts, inside_chart_cols,
                         first_limit=PAGE_WIDTH / factor, blank=empty)
    if _narrow_notes(ws, col_breaks):
        fit.fit_rows(ws)
        heights = [row_points(ws, r) for r in range(1, last_row + 1)]
    title_rows = _title_rows_height(ws)
    sections, blank_rows = _section_rows(ws, last_col, last_row)
    row_breaks = _breaks(heights, PAGE_HEIGHT / factor - title_rows, sections, inside_chart_rows,
                         first_limit=PAGE_HEIGHT / factor, blank=blank_rows)
    ws.col_breaks = ColBreak(brk=[Break(id=c, max=1048575) for c in col_breaks])
    ws.row_breaks = RowBreak(brk=[Break(id=r) for r in row_breaks])
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.oddFooter.left.text = municipality.replace("&", "&&")
    ws.oddFooter.center.text = "&A"
    ws.oddFooter.right.text = "&D — pagina &P van &N"
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = 9
    ws.HeaderFooter.scaleWithDoc = False  # 9 pt on paper, also on a sheet printed at 75 %


def _narrow_notes(ws: Worksheet, col_breaks: list[int]) -> bool:
    """A wrapped text merged over one row across a column break ends at the break (or wraps in
    its own column when the break follows it); so does a text that runs over the empty cells
    to its right across a break (its end was printed on the next page of columns, pages
    later). True when a note was narrowed."""
    narrowed = False
    if col_breaks:
        for cell in fit.filled_cells(ws):
            end = fit.overflow_end(ws, cell)
            cuts = [c for c in col_breaks if cell.column <= c < end]
            if not cuts or (cuts[0] == cell.column and _spill(ws, cell) <= SPILL):
                continue
            if cuts[0] > cell.column:
                ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row,
                               end_column=cuts[0])
            cell.alignment = fit.wrapped(cell.alignment)
            narrowed = True
    for merged in list(ws.merged_cells.ranges):
        cell = ws.cell(row=merged.min_row, column=merged.min_col)
        cuts = [c for c in col_breaks if merged.min_col <= c < merged.max_col]
        if (merged.min_row != merged.max_row or not cuts or not isinstance(cell.value, str)
                or cell.alignment is None or not cell.alignment.wrap_text):
            continue
        ws.unmerge_cells(str(merged))
        if cuts[0] > merged.min_col:
            ws.merge_cells(start_row=merged.min_row, start_column=merged.min_col,
                           end_row=merged.min_row, end_column=cuts[0])
        narrowed = True
    return narrowed


#: A text in a page's last column may run this far (in characters) past it: the page's free
#: margin (``PAGE_WIDTH`` keeps 4 % free) still prints it (Thema's Bron column).
SPILL = 5.0


def _spill(ws: Worksheet, cell) -> float:
    """How far (in characters) the text of ``cell`` runs past its own column."""
    return fit.text_width(str(cell.value), cell.font) + fit.PADDING - fit.column_width(ws, cell.column)


def _title_cols_width(ws: Worksheet) -> float:
    cols = ws.print_title_cols
    if not cols:
        return 0.0
    from openpyxl.utils.cell import column_index_from_string

    first, last = (column_index_from_string(x) for x in cols.replace("$", "").split(":"))
    return sum(column_points(ws, c) for c in range(first, last + 1))


def _title_rows_height(ws: Worksheet) -> float:
    rows = ws.print_title_rows
    if not rows:
        return 0.0
    first, last = (int(x) for x in rows.replace("$", "").split(":"))
    return sum(row_points(ws, r) for r in range(first, last + 1))


def print_setup(wb, municipality: str) -> None:
    """Every sheet of ``wb``: see ``setup``."""
    for ws in wb.worksheets:
        setup(ws, municipality)


__all__ = ["Break", "covering", "print_setup", "setup", "scale_for"]
