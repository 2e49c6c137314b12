"""The Meerjarenraming sheet: recalculated headless, its SD_ cells equal the calc core."""

import numpy as np
import pytest
from openpyxl import Workbook, load_workbook

from calc.budget import demo
from calc.budget.baseline import baseline_lasten
from calc.budget.income import ROW_CUT, ROW_REFORM, ROW_TOTAL, FundScenario, baten
from calc.budget.measures import SALDO, SALDO_BEFORE
from grip.jobs.begroting import run_begroting, run_button
from workbooks import layout
from workbooks.context import BuildContext
from workbooks.files import save
from workbooks.recalc import recalculate
from workbooks.sheets import meerjarenraming as mjr
from tests.factories import named_range

SHEET = layout.MEERJARENRAMING


def build_sheet(ctx=None):
    wb = Workbook()
    wb.remove(wb.active)
    mjr.build(wb, ctx or BuildContext(budget_year=demo.HORIZON.first_year))
    return wb


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    path = save(build_sheet(), tmp_path_factory.mktemp("mjr") / "mjr.xlsx")
    return path, recalculate(path)


def named(path, name):
    return named_range(path, name)[1]


def values(rec, path, name):
    return np.array(rec.get(SHEET, named(path, name)), dtype=float)


@pytest.fixture(scope="module")
def core():
    return run_begroting()


def test_no_error_cells(sheet):
    """Every formula of the sheet computes; no Excel error, no # message."""
    assert list(sheet[1].errors()) == []


def test_lasten_equal_baseline_lasten(sheet):
    """SD_BASISRAMING cells equal calc.budget.baseline on the demo figures."""
    path, rec = sheet
    expected = baseline_lasten(demo.start_table(), demo.HORIZON, wage_index=demo.WAGE_INDEX,
                               price_index=demo.PRICE_INDEX, volume_growth=demo.VOLUME_GROWTH)
    got = values(rec, path, layout.NAME_MJR_LASTEN)
    np.testing.assert_allclose(got[:len(expected)], expected.to_numpy(), rtol=1e-12)
    assert np.isnan(got[len(expected):]).all()  # the spare rows stay empty


def fake_prognose(year=2025):
    """A PrognoseResult-like object: only .forecast (a YearEndForecast) is read by the sheet."""
    import pandas as pd
    from types import SimpleNamespace

    from calc.prognose.yearend import YearEndForecast

    detail = pd.DataFrame({"taakveld": ["6.72a", "6.72a", "6.71d", "6.73c"],
                           "theme": ["Jeugdhulp zonder verblijf", "Jeugdhulp zonder verblijf",
                                     "Wmo begeleiding en dagbesteding", "Jeugdhulp met verblijf"],
                           "forecast_euro": [1_000_000.0, 500_000.0, 250_000.0, 4_000_000.0]})
    return SimpleNamespace(forecast=YearEndForecast(detail=detail, year=year,
                                                    as_of=pd.Timestamp(f"{year}-06-01"), level=0.8))


def test_starting_amounts_come_from_the_prognose_where_it_has_them(tmp_path):
    """With a prognose, its taakvelden start from the forecast (labelled with year and peilmaand),
    the others keep the demo figures (labelled aanname); SD_ cells equal run_begroting(forecast=...)."""
    prognose = fake_prognose()
    path = save(build_sheet(BuildContext(budget_year=2026, data={"prognose": prognose})),
                tmp_path / "p.xlsx")
    rec = recalculate(path)
    assert list(rec.errors()) == []
    start = demo.start_table(prognose.forecast)
    got = values(rec, path, layout.NAME_MJR_START).ravel()
    np.testing.assert_allclose(got[:len(start)], start["amount_euro"])
    assert got[0] == 1_500_000.0 and start["taakveld"][0] == "6.72a"  # two rows summed
    demo_72a = [a for t, _, a, _ in demo.START if t == "6.72a"][0]
    assert demo_72a not in got and 17_500_000 in got  # 6.72a replaced, bijstand kept
    ws = load_workbook(path)[SHEET]
    first = named(path, layout.NAME_MJR_START).split(":")[0]
    row = int(first[1:])
    bron = [ws[f"I{row + k}"].value for k in range(len(start))]
    assert bron[0] == "prognose jaareinde 2025, peilmaand 06-2025"
    assert bron[-1].startswith("aanname")
    assert [b.startswith("prognose") for b in bron] == list(start["from_forecast"])
    core = run_begroting(forecast=prognose.forecast)
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_SALDO_BEFORE)[0],
                               core.table.loc[SALDO_BEFORE], rtol=1e-12)
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_CHANCE)[0],
                               core.band.loc["Kans sluitend"], rtol=1e-9)


def test_the_years_follow_the_budget_year(tmp_path):
    """Budget year 2028: the sheet runs 2028-2031, the demo measures shift along, no error cells,
    and the SD_ cells equal the calc core on that horizon."""
    from calc.budget.years import Horizon

    horizon = Horizon(first_year=2028)
    path = save(build_sheet(BuildContext(budget_year=2028)), tmp_path / "y.xlsx")
    rec = recalculate(path)
    assert list(rec.errors()) == []
    assert [int(y) for y in rec.get(SHEET, named(path, layout.NAME_MJR_YEARS))[0]] == [2028, 2029, 2030, 2031]
    assert rec.get(SHEET, "A1") == "Meerjarenraming 2028-2031"
    assert rec.get(SHEET, f"C{mjr.R_LASTEN_HEAD}") == "Lasten 2027 (€)"
    core = run_begroting(horizon=horizon)
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_SALDO)[0], core.table.loc[SALDO],
                               rtol=1e-9)
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_BAND), core.band.iloc[:3].to_numpy(),
                               rtol=1e-9)
    from calc.budget.business_case import evaluate

    first_bc_year = f"{mjr.col(mjr.BC_COL)}{mjr.R_BC_YEARS}"
    assert rec.get(SHEET, first_bc_year) == 2028      # the opgave starts in the budget year
    assert rec.get(SHEET, f"B{mjr.R_BC_PAYBACK}") == evaluate(demo.business_case(horizon)).payback_year


def test_baten_and_cut_equal_the_calc_core(sheet):
    """The SD_RAVIJN rows (cut and reform uitname) and total baten equal calc.budget.income."""
    path, rec = sheet
    b = baten(demo.HORIZON, demo.SCENARIO, algemene_uitkering=demo.ALGEMENE_UITKERING,
              other_income=demo.OTHER_INCOME, domain_share=demo.DOMAIN_SHARE)
    got = lambda row: np.array(rec.get(SHEET, mjr._rng(row))[0], dtype=float)  # noqa: E731
    np.testing.assert_allclose(got(mjr.R_B_CUT), b.loc[ROW_CUT], rtol=1e-12)
    np.testing.assert_allclose(got(mjr.R_B_REFORM), b.loc[ROW_REFORM], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_BATEN)[0], b.loc[ROW_TOTAL], rtol=1e-12)


def test_saldo_band_and_chance_equal_the_calc_core(sheet, core):
    """Planned saldo, SD_SALDOBAND (same seed) and SD_KANS_SLUITEND per year equal meerjarenraming."""
    path, rec = sheet
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_SALDO_BEFORE)[0],
                               core.table.loc[SALDO_BEFORE], rtol=1e-12)
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_SALDO)[0], core.table.loc[SALDO],
                               rtol=1e-9)
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_BAND), core.band.iloc[:3].to_numpy(),
                               rtol=1e-9)
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_CHANCE)[0],
                               core.band.loc["Kans sluitend"], rtol=1e-9)
    chance = core.band.loc["Kans sluitend"].to_numpy()
    assert 0 < chance.min() < chance.max() < 1  # the demo tells a story: not all or nothing


def test_waterfall_adds_up_and_has_an_invisible_base(sheet, core):
    """The waterfall runs from the saldo without the cliff to the saldo of the chosen (last) year."""
    path, rec = sheet
    steps = rec.get(SHEET, f"B{mjr.R_W}:C{mjr.R_W + len(mjr.W_STEPS) - 1}")
    assert steps[-1][1] == pytest.approx(core.table.loc[SALDO, demo.HORIZON.last_year])
    assert steps[-2][1] == pytest.approx(steps[-1][1])  # the running total ends at the saldo
    wb = load_workbook(path)
    charts = wb[SHEET]._charts
    assert len(charts) == 2
    bar = charts[0]
    assert bar.grouping == "stacked" and bar.series[0].graphicalProperties.noFill


def test_scenario_dropdown_drives_the_cut(tmp_path):
    """Choosing '3,4 mld' in the dropdown gives the calc core's cut for 3.4 billion."""
    path = save(build_sheet(), tmp_path / "mjr.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    assert ws.data_validations.dataValidation  # the dropdowns are there
    ws[f"B{mjr.R_CUT}"] = "3,4 mld"
    wb.save(path)
    rec = recalculate(path)
    b = baten(demo.HORIZON, FundScenario.from_labels("3,4 mld", demo.CUT_FROM, demo.REFORM_LABEL),
              algemene_uitkering=demo.ALGEMENE_UITKERING, domain_share=demo.DOMAIN_SHARE)
    np.testing.assert_allclose(rec.get(SHEET, mjr._rng(mjr.R_B_CUT))[0], b.loc[ROW_CUT], rtol=1e-12)


def test_output_table_from_context_data_or_a_hint(tmp_path, core):
    """grip_uit_begroting is filled from ctx.data['begroting']; without it the sheet says which button."""
    path = save(build_sheet(BuildContext(data={"begroting": core})), tmp_path / "a.xlsx")
    ref = named(path, layout.NAME_OUT_BEGROTING)
    ws = load_workbook(path)[SHEET]
    rows = [[c.value for c in row] for row in ws[ref]]
    np.testing.assert_allclose(np.array(rows, dtype=float), np.array(mjr.output_rows(core)), rtol=1e-14)
    empty = save(build_sheet(), tmp_path / "b.xlsx")
    ws = load_workbook(empty)[SHEET]
    cells = [c for row in ws[ref] for c in row]
    # the hint is the table's first cell (the button overwrites it); the header keeps 'Jaar'
    assert cells[0].value == mjr.HINT and all(c.value is None for c in cells[1:])
    assert [c.value for c in ws[mjr.R_OUT - 1][:len(mjr.OUT_COLUMNS)]] == list(mjr.OUT_COLUMNS)


def test_button_job_on_the_sheets_values_equals_the_core(sheet, core):
    """run_button on the recalculated named ranges gives the calc core's band and chances."""
    path, rec = sheet
    from grip.jobs.begroting import INPUT_NAMES

    inputs = {name: rec.get(SHEET, named(path, name)) for name in INPUT_NAMES}
    table = np.array(run_button(inputs)[layout.NAME_OUT_BEGROTING], dtype=float)
    np.testing.assert_allclose(table[:, 0], demo.HORIZON.years)
    np.testing.assert_allclose(table[:, 1:], core.band.to_numpy().T, rtol=1e-9)


def test_business_case_block_equals_the_calc_core(sheet):
    """SD_TERUGVERDIENJAAR and the net present value on the sheet equal calc.budget.business_case."""
    from calc.budget.business_case import evaluate

    _, rec = sheet
    r = evaluate(demo.BUSINESS_CASE)
    assert rec.get(SHEET, f"B{mjr.R_BC_PAYBACK}") == r.payback_year
    assert rec.get(SHEET, f"B{mjr.R_BC_NPV}") == pytest.approx(r.net_present_value, rel=1e-12)


def test_demo_lines_read_the_recalculated_sheet(demo):
    """The lines for grip demo carry the years, the band and the chance from the workbook."""
    from grip.jobs import demo as job

    lines = job.summary(demo)
    head = next(k for k, line in enumerate(lines) if line.startswith("Meerjarenraming:"))
    rec = demo.recalculation
    years = [rec.get(SHEET, f"{c}{mjr.R_YEARS}") for c in mjr.YEAR_COLS]
    assert [int(y) for y in years] == [2026, 2027, 2028, 2029]
    for k, year in enumerate(years):
        chance = job._cells(demo, layout.NAME_MJR_CHANCE)[0][k]
        line = lines[head + 1 + k]
        assert line.startswith(f"  {int(year)}:") and line.endswith(
            f"kans sluitend {100 * chance:.0f}%")


def test_a_thin_prognose_keeps_the_existing_lines_and_bron_says_why(tmp_path):
    """Issue 13: a forecast standing on a few claims does not replace the begroting; the Bron
    cell names the coverage, and the sheet equals run_begroting with the same coverage."""
    import pandas as pd

    from calc.budget.plausibility import coverage

    prognose = fake_prognose()
    lines = pd.DataFrame({"product_category": ["45"] * 200 + ["43"] * 3,
                          "service_month": ["2025-01-01", "2025-02-01", "2025-03-01",
                                            "2025-04-01", "2025-05-01", "2025-06-01"] * 33
                          + ["2025-01-01"] * 5,
                          "client": [f"p{i % 40}" for i in range(203)], "amount_euro": 10.0})
    cover = coverage(lines, prognose.forecast)
    prognose.coverage = cover
    path = save(build_sheet(BuildContext(budget_year=2026, data={"prognose": prognose})),
                tmp_path / "p.xlsx")
    start = demo.start_table(prognose.forecast, cover)
    verblijf = start[start["theme"] == "Jeugdhulp met verblijf"]
    # 3 lines of verblijf (43 -> 6.73c): the demo's own lines stay, with the reason
    assert not verblijf["from_forecast"].any()
    assert sorted(verblijf["amount_euro"]) == [2_200_000, 5_600_000]
    assert verblijf["note"].iloc[0].startswith("prognose niet gebruikt: 1 maand declaraties")
    ws = load_workbook(path)[SHEET]
    row = int(named(path, layout.NAME_MJR_START).split(":")[0][1:])
    bron = {ws[f"A{row + k}"].value: ws[f"I{row + k}"].value for k in range(len(start))}
    assert bron["6.73c"].startswith("aanname (demo): prognose niet gebruikt: 1 maand "
                                    "declaraties (minimaal 6), 3 declaratieregels")
    # a line without a note says where it comes from (pandas 3 made the missing notes NaN,
    # and every line said 'aanname (demo): nan', the forecast's own lines too)
    assert not [v for v in bron.values() if "nan" in v.split()[-1]], bron
    plain = start[start["note"].isna()]["taakveld"]
    assert len(plain) and all(bron[t] == "aanname (demo): niet in de berichten" for t in plain)
    rec = recalculate(path)
    core = run_begroting(forecast=prognose.forecast, coverage=cover)
    np.testing.assert_allclose(values(rec, path, layout.NAME_MJR_SALDO_BEFORE)[0],
                               core.table.loc[SALDO_BEFORE].to_numpy(), rtol=1e-9)
