"""Thema's: the theme catalogue of both municipalities side by side (names, taakvelden, baselines).

Municipality A is ``ctx.municipality`` with the package defaults (``calc.profile``: 60,000
inhabitants);
municipality B (``layout.SECOND_MUNICIPALITY``) is a smaller neighbour with its own
baselines and costs per client. Both tables are input: the controller types their own.
"""

from __future__ import annotations

from openpyxl import Workbook

from calc import profile
from calc.cross_effects import THEME_COLUMNS, ThemeCatalogue, load_catalogue
from calc.text import nl_number
from workbooks import layout, style
from workbooks.context import BuildContext

HEADERS = ("Thema", "Iv3-taakvelden", "Basislast (€ per jaar)", "Cliënten", "Kosten per cliënt (€)", "Bron")
FORMATS = (None, None, style.EURO, style.NUMBER, style.EURO, None)
#: Column of the first table (A) and of the second (B).
COL_A, COL_B = 1, 8


def second_catalogue(first: ThemeCatalogue, word: str = "buurgemeente") -> ThemeCatalogue:
    """The demo neighbour (``calc.profile``: 70% of the baselines and clients, so about 42,000
    inhabitants) and a few costs per client of its own. Assumptions, marked as such on the
    sheet; ``word`` names the second municipality in the source column."""
    changes = {}
    inhabitants = nl_number(profile.NEIGHBOUR_INHABITANTS, 0)
    for theme in first.themes:
        fields = {"baseline": round(theme.baseline * profile.NEIGHBOUR_SHARE, -3),
                  "source": f"aanname: {word} van ongeveer {inhabitants} inwoners"}
        if theme.clients is not None:
            fields["clients"] = round(theme.clients * profile.NEIGHBOUR_SHARE)
        changes[theme.name] = fields
    changes["Bijstand"]["cost_per_client"] = 14_500.0
    changes["Schuldhulpverlening"]["cost_per_client"] = 2_400.0
    changes["Jeugdhulp met verblijf"]["cost_per_client"] = 65_000.0
    return first.override(changes)


def catalogues(ctx: BuildContext) -> tuple[ThemeCatalogue, ThemeCatalogue]:
    """The two catalogues the workbook shows (a job may hand its own in ``ctx.data``)."""
    data = ctx.data.get("dwarsverbanden", {}) if isinstance(ctx.data.get("dwarsverbanden"), dict) else {}
    first = data.get("catalogue") or load_catalogue()
    return first, data.get("catalogue_b") or second_catalogue(
        first, profile.second_word(ctx.municipality))


def _table(ws, top: int, col: int, name: str, catalogue: ThemeCatalogue) -> str:
    style.write_data(ws, ws.cell(row=top - 2, column=col).coordinate, name)
    ws.cell(row=top - 2, column=col).font = style.SUBTITLE
    style.header_row(ws, top - 1, col, HEADERS)
    rows = catalogue.to_rows()
    if len(rows) != layout.TH_ROWS:
        raise ValueError(f"the sheet holds {layout.TH_ROWS} themes, got {len(rows)}")
    for r, row in enumerate(rows):
        for c, (value, fmt) in enumerate(zip(row, FORMATS)):
            cell = ws.cell(row=top + r, column=col + c)
            style.write_data(ws, cell.coordinate, value, number_format=fmt)
    ref = style.area(top, col, layout.TH_ROWS, len(THEME_COLUMNS))
    style.mark_input((c for row in ws[style.area(top, col, layout.TH_ROWS, 5)] for c in row))
    return ref


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Thema's sheet with both theme tables."""
    ws = wb.create_sheet(layout.THEMAS)
    style.title(ws, "Thema's", "De thema's van het sociaal domein met taakveld, basislast en kosten per cliënt.")
    ws["A3"] = ("Twee gemeenten, één model: elke gemeente heeft eigen basislasten en kosten per cliënt. "
                "Een volumemaatregel (cliënten) rekent met de kosten per cliënt van het thema.")
    first, second = catalogues(ctx)
    top = layout.TH_FIRST_ROW
    ref_a = _table(ws, top, COL_A, ctx.municipality, first)
    ref_b = _table(ws, top, COL_B, ctx.second_municipality, second)
    style.define_name(wb, layout.NAME_TH_THEMES, ws, ref_a)
    style.define_name(wb, layout.NAME_TH_NAMES, ws, style.area(top, COL_A, layout.TH_ROWS, 1))
    style.define_name(wb, layout.NAME_TH_THEMES_B, ws, ref_b)
    style.widths(ws, {COL_A: 36, COL_A + 1: 22, COL_A + 2: 16, COL_A + 3: 10, COL_A + 4: 14, COL_A + 5: 40,
                      COL_B: 36, COL_B + 1: 22, COL_B + 2: 16, COL_B + 3: 10, COL_B + 4: 14, COL_B + 5: 40})
    ws.freeze_panes = ws.cell(row=top, column=2)
    ws.print_title_rows = f"{top - 1}:{top - 1}"
