"""Samenvatting: every figure on the wethouder's page equals the sheet that computes it."""

import pytest
from openpyxl import load_workbook

from workbooks import layout
from workbooks.context import cells_of
from workbooks.sheets import samenvatting as sv


def named(wb, name):
    (sheet, ref), = list(wb.defined_names[name].destinations)
    return sheet, ref.replace("$", "")


@pytest.fixture(scope="module")
def book(demo):
    return load_workbook(demo.workbook)


def test_saldo_band_and_chance_equal_the_meerjarenraming(demo, book):
    """Planned saldo, P10/P50/P90 and the chance per year are the Meerjarenraming's cells."""
    rec = demo.recalculation
    mine = rec.get(*named(book, layout.NAME_SV_SALDO))
    saldo = rec.get(*named(book, layout.NAME_MJR_SALDO))
    band = rec.get(*named(book, layout.NAME_MJR_BAND))
    chance = rec.get(*named(book, layout.NAME_MJR_CHANCE))
    assert mine == [saldo[0], *band, chance[0]]
    assert all(isinstance(v, float) for row in mine for v in row)


def test_forecast_per_theme_and_total_equal_the_prognose_table(demo, book):
    """Expected, lower and upper per theme are the Prognose table's rows of level 'Thema'."""
    rec = demo.recalculation
    _, ref = named(book, layout.NAME_OUT_PROGNOSE)
    ws = book[layout.PROGNOSE]
    rows = [[c.value for c in row] for row in ws[ref]]
    level, name = sv.LEVEL_COL - 1, sv.NAME_COL - 1
    by_theme = {r[name]: tuple(r[c - 1] for c in sv.FORECAST_COLS) for r in rows if r[level] == "Thema"}
    out = rec.get(layout.SAMENVATTING, f"B{sv.R_THEMES}:F{sv.R_TOTAL}")
    names = [book[layout.SAMENVATTING][f"A{r}"].value for r in range(sv.R_THEMES, sv.R_TOTAL)]
    matched = 0
    budget = expected = 0.0
    for name, cells in zip(names, out):
        if name in by_theme:
            assert cells[1:4] == pytest.approx(list(by_theme[name]), rel=1e-12)
            assert cells[4] == pytest.approx(cells[1] - cells[0], rel=1e-12)
            budget, expected = budget + cells[0], expected + cells[1]
            matched += 1
        else:                      # no claims for this theme: empty, not a misleading 0
            assert cells[1:] == ["", "", "", ""]
    assert matched >= 3
    # the total compares only the themes that have a forecast
    assert [out[-1][0], out[-1][1]] == pytest.approx([budget, expected], rel=1e-12)


def test_grip_level_is_the_gripniveau_sheets(demo, book):
    rec = demo.recalculation
    level = rec.get(*named(book, layout.NAME_GN_GRIP_LEVEL))
    assert rec.get(layout.SAMENVATTING, f"B{sv.R_GRIP + 1}") == level
    assert level in ("ernstig", "waakzaam", "in controle")
    sheet, ref = named(book, layout.NAME_GN_LEVELS)
    levels = [rec.get(sheet, a) for a in cells_of(ref)]
    assert rec.get(layout.SAMENVATTING, f"B{sv.R_GRIP + 3}") == levels.count("ernstig")


def test_one_printed_page_with_two_charts(book):
    """The page the wethouder reads prints on one page (no breaks) and has two charts."""
    from workbooks.begrotingsmodel import build_workbook

    ws = book[layout.SAMENVATTING]
    assert not ws.row_breaks.brk and not ws.col_breaks.brk
    assert ws.page_setup.orientation == "landscape"
    assert len(build_workbook()[layout.SAMENVATTING]._charts) == 2


def test_the_spending_chart_has_room_to_name_every_theme():
    """Each theme's name needs a line of chart text on the category axis: at 9,5 cm for 16
    themes LibreOffice named every other one. The plot is the chart less its one-line title,
    the amounts' axis and the legend (about 2,5 cm)."""
    from workbooks.style import CHART_TEXT_SIZE

    plot = (sv.SPENDING_CHART_CM - 2.5) / 2.54 * 72
    assert plot >= sv.THEME_ROWS * CHART_TEXT_SIZE * 1.2
    from openpyxl import Workbook

    assert sv._spending_chart(Workbook().active).height == sv.SPENDING_CHART_CM


def test_the_title_follows_the_forecast_on_the_prognose_sheet(demo, tmp_path):
    """The spending block's title names the forecast's year and peilmaand from the Prognose
    sheet, so it follows the button; a model without a forecast says there is none yet (before,
    the title was written when the model was built: a model built empty and then filled by
    'Prognose bijwerken' printed 'nog geen prognose' above the forecast's figures)."""
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext
    from workbooks.files import save
    from workbooks.recalc import recalculate

    title = demo.recalculation.get(layout.SAMENVATTING, f"A{sv.R_SPEND}")
    f = demo.data["prognose"].forecast
    assert title == (f"Uitgaven: verwacht tegen de begroting (jaar {f.year}, "
                     f"peilmaand {f.as_of:%m-%Y}; in euro)")
    empty = save(build_workbook(BuildContext(municipality="Gemeente Elders")),
                 tmp_path / "leeg.xlsx")
    rec = recalculate(empty)
    assert rec.get(layout.SAMENVATTING, f"A{sv.R_SPEND}") == sv.NO_FORECAST
    # no self-assessment yet: the count of topics at 'ernstig' is not a reassuring 0 (same
    # recalculation, so no second one: one recalculation by content)
    score = rec.get(layout.SAMENVATTING, f"B{sv.R_GRIP + 2}")
    assert isinstance(score, str) and rec.get(layout.SAMENVATTING, f"B{sv.R_GRIP + 3}") == score


def test_the_page_says_how_many_amounts_are_still_assumptions(demo, book):
    """The wethouder's page counts the amounts that still rest on Grip's assumptions: lasten
    lines of the Meerjarenraming with 'aanname' as their Bron and begroting cells per theme that
    still hold the demo's amount (a model built for another municipality printed the demo's
    budget as its own, without a word on this page)."""
    from workbooks.sheets import meerjarenraming as mjr
    from openpyxl.utils import get_column_letter

    source = get_column_letter(mjr.FIRST_COL + mjr.Y)
    ws = book[layout.MEERJARENRAMING]
    lines = sum(str(ws[f"{source}{r}"].value or "").startswith("aanname")
                for r in range(mjr.R_LASTEN, mjr.R_LASTEN_TOTAL))
    page = book[layout.SAMENVATTING]
    budget = sum(page[f"B{sv.R_THEMES + k}"].value == amount
                 for k, (_, amount) in enumerate(sv.demo_budget()))
    assert lines > 0 and budget > 0
    text = demo.recalculation.get(layout.SAMENVATTING, f"A{sv.R_ASSUMED}")
    assert text.startswith(f"Let op: {lines + budget} bedragen op deze pagina rusten nog op "
                           "aannames van Grip")


def test_one_page_also_before_a_complete_self_assessment():
    """A municipality without a complete self-assessment: the gripniveau cell holds a sentence
    (``gripniveau.NOT_COMPLETE``). In the copy to share it widened column B and both charts
    went to a second page; it now runs over the empty cells beside it."""
    from workbooks import fit
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext
    from workbooks.sheets.gripniveau import NOT_COMPLETE

    cells = (f"B{sv.R_GRIP + 1}", f"B{sv.R_GRIP + 2}")      # level and score
    ws = build_workbook(BuildContext(values={(layout.SAMENVATTING, c): NOT_COMPLETE
                                             for c in cells}))[layout.SAMENVATTING]
    assert all(ws[c].value == NOT_COMPLETE for c in cells)
    assert not ws.row_breaks.brk and not ws.col_breaks.brk
    assert fit.column_width(ws, 2) < fit.text_width(NOT_COMPLETE)
    assert fit.lint(ws) == []


def test_an_overspend_is_red_and_an_underspend_is_not(demo):
    """Verschil (expected minus budget): more spent than budgeted prints red with a plus sign,
    less without red. The euro format showed every underspend red and an overspend of
    € 2,5 mln in black on the wethouder's page."""
    from workbooks import fit, style

    ws = load_workbook(demo.values_copy)[layout.SAMENVATTING]
    diffs = [ws[f"F{r}"] for r in range(sv.R_THEMES, sv.R_TOTAL + 1)
             if isinstance(ws[f"F{r}"].value, (int, float))]
    assert diffs
    assert {c.number_format for c in diffs} == {style.EURO_OVER_BUDGET}
    over, under = style.EURO_OVER_BUDGET.split(";")[:2]
    assert over.startswith("[Red]") and "+" in over and "[Red]" not in under
    assert fit.display_text(2_481_738.0, style.EURO_OVER_BUDGET) == "€ +2.481.738"
