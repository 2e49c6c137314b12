"""Thema's, Dwarsverbanden, Maatregelen, Scenario's, Wijken: recalculated SD_ cells equal calc."""

import numpy as np
from openpyxl import load_workbook

from calc.cross_effects import effect_path, scenario_effects, tornado
from calc.cross_effects.districts import district_totals
from calc.cross_effects.scenario import model_from_rows
from grip.jobs.demo import BUDGET_YEAR as DEMO_BUDGET_YEAR  # the demo budgets 2026
from grip.jobs.scenario import run_button
from workbooks import layout
from workbooks.begrotingsmodel import build_workbook
from workbooks.context import BuildContext
from workbooks.files import save
from workbooks.recalc import recalculate
from workbooks.sheets.scenarios import BAND_DRAWS
from tests.factories import named_range


ref_of = named_range


def values(rec, path, name):
    """A named range as rows (a single cell too), as Excel hands it over."""
    sheet, ref = ref_of(path, name)
    return rec.get(sheet, ref) if ":" in ref else [[rec.get(sheet, ref)]]


def scalar(rec, path, name):
    return values(rec, path, name)[0][0]


def inputs(rec, path, themes=layout.NAME_TH_THEMES, links=layout.NAME_DV_LINKS):
    first = int(scalar(rec, path, layout.NAME_MT_FIRST_YEAR))
    model, measures = model_from_rows(values(rec, path, themes), values(rec, path, links),
                                      values(rec, path, layout.NAME_MT_MEASURES), default_year=first)
    return model, measures, first, int(scalar(rec, path, layout.NAME_MT_YEARS))


def grid(rec, path, name):
    return np.array(values(rec, path, name), dtype=float)


def test_effectpad_block_equals_the_calc_core(demo):
    """SD_EFFECTPAD on Dwarsverbanden equals effect_path on the sheet's own matrix, shock and lags."""
    rec, wb = demo.recalculation, demo.workbook
    matrix = np.nan_to_num(grid(rec, wb, layout.NAME_DV_MATRIX))
    shock = np.nan_to_num(grid(rec, wb, layout.NAME_DV_SHOCK)).ravel()
    lags = grid(rec, wb, layout.NAME_DV_LAGS)
    path = grid(rec, wb, layout.NAME_DV_PATH)
    np.testing.assert_allclose(path, effect_path(matrix, shock, layout.MT_YEARS, lags), rtol=1e-12)
    assert not np.array_equal(path[:, 0], path[:, -1])


def test_scenario_blocks_equal_the_calc_core_for_both_municipalities(demo):
    """Totaal, direct, indirect and the band equal scenario_effects on the sheets' inputs."""
    rec, wb = demo.recalculation, demo.workbook
    model, measures, first, years = inputs(rec, wb)
    fx = scenario_effects(model, measures, first_year=first, years=years, draws=BAND_DRAWS, seed=1)
    np.testing.assert_allclose(grid(rec, wb, layout.NAME_SC_TOTAL), fx.total, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(grid(rec, wb, layout.NAME_SC_DIRECT), fx.direct, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(grid(rec, wb, layout.NAME_SC_INDIRECT), fx.indirect, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(grid(rec, wb, layout.NAME_SC_BAND), fx.total_bands, rtol=1e-12)
    assert fx.direct.any() and fx.indirect.any()
    model_b, measures_b, _, _ = inputs(rec, wb, layout.NAME_TH_THEMES_B, layout.NAME_DV_LINKS_B)
    fx_b = scenario_effects(model_b, measures_b, first_year=first, years=years, draws=BAND_DRAWS, seed=1)
    np.testing.assert_allclose(grid(rec, wb, layout.NAME_SC_TOTAL_B), fx_b.total, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(grid(rec, wb, layout.NAME_SC_BAND_B), fx_b.total_bands, rtol=1e-12)
    assert not np.allclose(fx.total, fx_b.total)        # own coefficients and baselines


def test_named_scenarios_side_by_side_equal_the_calc_core(demo):
    """Each named scenario block equals scenario_effects on its measures, summed over the themes."""
    rec, wb = demo.recalculation, demo.workbook
    model, measures, first, years = inputs(rec, wb)
    block = values(rec, wb, layout.NAME_SC_COMPARE)
    totals = []
    for k in range(0, len(block), 4):
        name = block[k][0]
        fx = scenario_effects(model, [m for m in measures if m.in_scenario(name)], first_year=first, years=years)
        got = np.array([row[1:] for row in block[k + 1:k + 4]], dtype=float)
        np.testing.assert_allclose(got, [fx.direct.sum(0), fx.indirect.sum(0), fx.total.sum(0)], rtol=1e-12)
        totals.append(got[2])
    assert len(totals) == 2 and not np.allclose(totals[0], totals[1])


def test_tornado_and_wijken_equal_the_calc_core(demo):
    """SD_GEVOELIGHEID and SD_WIJKEN equal tornado and district_totals; the wijken add up."""
    rec, wb = demo.recalculation, demo.workbook
    model, measures, first, years = inputs(rec, wb)
    base, rows = tornado(model, measures, first_year=first, years=years)
    cells = values(rec, wb, layout.NAME_SC_TORNADO)
    k = len(rows[:10])
    assert [r[0] for r in cells] == [r.label for r in rows[:10]] + [None] * (10 - k)
    np.testing.assert_allclose([r[1] for r in cells[:k]], [r.at_low - base for r in rows[:k]], rtol=1e-12)
    total = grid(rec, wb, layout.NAME_SC_TOTAL)
    names = [r[0] for r in values(rec, wb, layout.NAME_TH_NAMES)]
    wijken = grid(rec, wb, layout.NAME_WK_RESULT)
    _, expected = district_totals(total, names, values(rec, wb, layout.NAME_WK_KEY))
    np.testing.assert_allclose(wijken, expected, rtol=1e-12)
    np.testing.assert_allclose(wijken.sum(axis=0), total.sum(axis=0), rtol=1e-9, atol=1e-6)


def test_dropdowns_and_charts(demo):
    """Themes are chosen from a dropdown; Scenario's has its charts, one a horizontal tornado."""
    wb = load_workbook(demo.workbook)
    validations = {dv.formula1 for dv in wb[layout.MAATREGELEN].data_validations.dataValidation}
    assert f"={layout.NAME_TH_NAMES}" in validations and '"ja,nee"' in validations
    assert f"={layout.NAME_TH_NAMES}" in {dv.formula1 for dv in
                                          wb[layout.DWARSVERBANDEN].data_validations.dataValidation}
    import zipfile

    with zipfile.ZipFile(demo.workbook) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 7
    assert any('barDir val="bar"' in c for c in charts)


def test_switching_a_measure_on_changes_the_result_and_stays_equal(demo, tmp_path):
    """A controller switches the prevention measure on: the recalculated sheet follows the calc core."""
    wb = load_workbook(demo.workbook)
    sheet, ref = ref_of(demo.workbook, layout.NAME_MT_MEASURES)
    ws = wb[sheet]
    top = int("".join(ch for ch in ref.split(":")[0] if ch.isdigit()))
    row = next(r for r in range(top, top + layout.MT_ROWS) if ws[f"B{r}"].value == "Extra preventie jeugd")
    ws[f"A{row}"] = "ja"
    path = wb.save(tmp_path / "aan.xlsx") or tmp_path / "aan.xlsx"
    rec = recalculate(path)
    model, measures, first, years = inputs(rec, path)
    assert sum(m.active for m in measures) == 3
    fx = scenario_effects(model, measures, first_year=first, years=years)
    np.testing.assert_allclose(grid(rec, path, layout.NAME_SC_TOTAL), fx.total, rtol=1e-12, atol=1e-6)
    assert not np.allclose(fx.total, grid(demo.recalculation, demo.workbook, layout.NAME_SC_TOTAL))


def test_ribbon_button_fills_the_monte_carlo_table(demo, tmp_path):
    """run_button reads the named ranges and returns grip_uit_scenario to fit its fixed range; a build
    with that result writes it on Scenario's."""
    rec, wb = demo.recalculation, demo.workbook
    named = {name: values(rec, wb, name) for name in
             (layout.NAME_TH_THEMES, layout.NAME_DV_LINKS, layout.NAME_MT_MEASURES,
              layout.NAME_MT_FIRST_YEAR, layout.NAME_MT_YEARS)}
    out = run_button(named)[layout.NAME_OUT_SCENARIO]
    sheet, ref = ref_of(wb, layout.NAME_OUT_SCENARIO)
    assert np.array(rec.get(sheet, ref), dtype=object).shape == np.array(out, dtype=object).shape
    assert out[0][:2] == ["Jeugdhulp zonder verblijf", DEMO_BUDGET_YEAR]
    assert out[-1][0] == "Totaal alle thema's"
    p10, p50, p90 = (np.array([r[k] for r in out]) for k in (2, 3, 4))
    assert (p10 <= p50).all() and (p50 <= p90).all()

    from grip.jobs.scenario import run_scenario

    model, measures, first, years = inputs(rec, wb)
    ctx = BuildContext(data={"scenario": run_scenario(model, measures, first_year=first, draws=200)})
    built = save(build_workbook(ctx), tmp_path / "met_mc.xlsx")
    table = load_workbook(built)[sheet][ref]
    assert table[0][0].value == "Jeugdhulp zonder verblijf"
    assert table[-1][0].value == "Totaal alle thema's" and table[-1][3].value < 0


def test_model_written_to_the_sheets_reads_back_unchanged(tmp_path):
    """A model and measures handed to the builder come back from the saved workbook as they were."""
    from calc.cross_effects import Measure, load_model
    from grip.jobs.scenario import model_from_workbook

    model = load_model()
    model = model.with_catalogue(model.catalogue.override({"Bijstand": {"baseline": 12_345_678.0}}))
    measures = (Measure(name="Proef", theme="Vervoer", kind="volume", low=-20, mode=-10, high=0,
                        start_year=2029, ramp_years=2, structural=False, active=False,
                        scenarios=("Zuinig", "Breed")),)
    ctx = BuildContext(budget_year=2028, data={"dwarsverbanden": {"catalogue": model.catalogue,
                                                                  "links": model.links,
                                                                  "measures": measures}})
    path = save(build_workbook(ctx), tmp_path / "model.xlsx")
    got_model, got_measures, first, years = model_from_workbook(path)
    assert got_model == model and got_measures == measures
    assert (first, years) == (2028, layout.MT_YEARS)


def test_grip_scenario_reads_a_workbook(demo, capsys):
    """`grip scenario model.xlsx` runs the scenarios of the workbook's own measures."""
    from grip.cli import main

    assert main(["scenario", str(demo.workbook), "--trekkingen", "300"]) == 0
    out = capsys.readouterr().out
    assert "Scenario Investeren (1 maatregelen aan)" in out and "Scenario Bezuinigen" in out


def test_ribbon_button_scenario_doorrekenen_headless(demo, tmp_path):
    """The ribbon button runs grip.jobs.scenario on the saved demo and writes only grip_uit_scenario."""
    from grip.buttons import run_button as press
    from workbooks.bookio import OpenpyxlBook

    book = OpenpyxlBook(demo.workbook)
    message = press("grip_scenario", book)
    assert message.startswith("Scenario doorrekenen: klaar"), message
    table = book.read(layout.NAME_OUT_SCENARIO)
    assert table[0][:2] == ["Jeugdhulp zonder verblijf", DEMO_BUDGET_YEAR] and table[-1][0] == "Totaal alle thema's"


def test_each_block_of_effects_prints_with_its_themes(demo):
    """The direct and indirect blocks name their themes in the column before them, and each
    block begins a printed page: their pages were amounts without a single theme name (the
    names stood only in column A, pages earlier)."""
    from openpyxl import load_workbook

    from workbooks.sheets.scenarios import BLOCKS, FIRST

    ws = load_workbook(demo.values_copy)[layout.SCENARIOS]
    breaks = {b.id for b in ws.col_breaks.brk}
    head = FIRST + 1
    for _, _, col in BLOCKS[1:]:
        assert ws.cell(row=head, column=col - 1).value == "Thema"
        assert [ws.cell(row=r, column=col - 1).value for r in range(head + 1, head + 4)] == \
            [ws.cell(row=r, column=1).value for r in range(head + 1, head + 4)]
        assert col - 2 in breaks           # the page begins with the names
    assert ws.page_setup.scale > 75        # one block, not the three, sets the scale


def test_the_copy_to_share_folds_the_themes_without_effect_and_says_so(demo):
    """The Monte Carlo table printed 22 themes x 10 years (six pages, most rows EUR 0): the
    copy folds every theme whose P10, P50 and P90 are 0 in each year, never the total, and
    says beside the table how many; the model keeps them all in sight."""
    from openpyxl.utils.cell import range_boundaries

    from workbooks.sheets.scenarios import ZERO_THEMES_FOLDED

    for path, copy in ((demo.values_copy, True), (demo.workbook, False)):
        ws = load_workbook(path)[layout.SCENARIOS]
        _, first, _, last = range_boundaries(named_range(path, layout.NAME_OUT_SCENARIO)[1])
        hidden = {r for r in range(first, last + 1) if ws.row_dimensions[r].hidden}
        notes = [c.value for row in ws.iter_rows(min_row=first - 1, max_row=first - 1)
                 for c in row if isinstance(c.value, str) and "ingeklapt" in c.value]
        if not copy:
            assert not hidden and not notes
            continue
        themes: dict = {}
        for r in range(first, last + 1):
            themes.setdefault(ws.cell(r, 1).value, []).append(r)
        quiet = {t for t, rows in themes.items()
                 if all(abs(ws.cell(r, c).value or 0) < 0.5 for r in rows for c in (3, 4, 5))}
        assert quiet and "Totaal alle thema's" not in quiet
        assert hidden == {r for t in quiet for r in themes[t]}
        assert notes == [ZERO_THEMES_FOLDED.format(folded=len(quiet), groups=len(themes) - 1)]
