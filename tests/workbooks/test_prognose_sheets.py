"""Sheets Prognose and Aanbieders: filled from a prognose result, empty with a hint without one,
SD_PROGNOSE recalculated headless equal to the calc core, and a native chart with its band."""

import numpy as np
import pytest
from openpyxl import load_workbook

from calc.prognose.series import forecast_series
from workbooks import layout
from workbooks.begrotingsmodel import build_workbook
from workbooks.context import BuildContext
from workbooks.files import save
from workbooks.recalc import recalculate


@pytest.fixture(scope="module")
def result(demo_forecast):
    return demo_forecast


def ref_of(wb, name):
    sheet, ref = wb.defined_names[name].attr_text.split("!")
    return sheet.strip("'"), ref.replace("$", "")


def test_filled_sheets_show_the_forecast_per_taakveld_and_provider(result):
    """The year-end table starts with the total; the provider table lists every provider."""
    wb = build_workbook(BuildContext(data={"prognose": result}))
    sheet, ref = ref_of(wb, layout.NAME_OUT_PROGNOSE)
    rows = [[c.value for c in row] for row in wb[sheet][ref]]
    assert len(rows) == layout.PROG_TABLE_ROWS and len(rows[0]) == layout.PROG_TABLE_COLS
    total = result.forecast.by("total").iloc[0]
    assert rows[0][:3] == ["Totaal", None, "Totaal"]
    assert rows[0][7] == pytest.approx(total["forecast_euro"])
    taakvelden = {r[1] for r in rows if r[0] == "Taakveld"}
    assert taakvelden == set(result.forecast.detail["taakveld"])
    sheet, ref = ref_of(wb, layout.NAME_OUT_PROVIDERS)
    codes = [row[0].value for row in wb[sheet][ref] if row[0].value]
    assert set(codes) == set(result.providers["provider"])


def test_names_stand_beside_every_code(result):
    """Taakvelden and product categories carry their description, providers the register's
    name (the demo ships names for its invented providers); no name column is empty."""
    from berichten.synth_catalog import provider_register
    from calc.names import TAAKVELDEN, product_category_name

    register = provider_register()
    wb = build_workbook(BuildContext(data={"prognose": result}))
    sheet, ref = ref_of(wb, layout.NAME_OUT_PROGNOSE)
    rows = [[c.value for c in row] for row in wb[sheet][ref] if row[0].value]
    for level, code, text, *_ in rows:
        if level == "Taakveld":
            assert text == TAAKVELDEN[code]
        elif level == "Productcategorie":
            assert text == product_category_name(code) and text
        else:
            assert code is None and text
    sheet, ref = ref_of(wb, layout.NAME_OUT_PROVIDERS)
    pairs = [(row[0].value, row[1].value) for row in wb[sheet][ref] if row[0].value]
    assert pairs and all(name == register[code] for code, name in pairs)
    names_sheet, names_ref = ref_of(wb, layout.NAME_PROVIDER_REGISTER)
    typed = {r[0].value: r[1].value for r in wb[names_sheet][names_ref] if r[0].value}
    assert typed == register


def test_a_provider_without_a_name_says_so(result):
    """Without a register the name column reads 'AGB <code>', never empty."""
    from dataclasses import replace

    from workbooks.tables.prognose import provider_rows

    rows = [r for r in provider_rows(replace(result, provider_names={}), 5) if r[0]]
    assert len(rows) == 5 and all(r[1] == f"AGB {r[0]}" for r in rows[:4])


def test_empty_sheets_carry_a_dutch_hint(default_model):
    """Without a result the tables are empty and say which button fills them."""
    wb = default_model
    assert "Prognose bijwerken" in wb[layout.PROGNOSE][f"A{layout.PROG_HEAD_ROW}"].value
    assert "Prognose bijwerken" in wb[layout.AANBIEDERS]["A3"].value
    sheet, ref = ref_of(wb, layout.NAME_OUT_PROVIDERS)
    values = [c.value for row in wb[sheet][ref] for c in row]
    assert sum(v is not None for v in values) <= 2


def test_chart_has_band_and_lines(default_model):
    """A native chart: stacked area for the band (2 series) combined with 2 lines."""
    wb = default_model
    charts = wb[layout.PROGNOSE]._charts
    assert len(charts) == 1
    chart = charts[0]
    assert chart.grouping == "stacked" and len(chart.series) == 2
    assert len(chart._charts) == 2 and len(chart._charts[1].series) == 2


def test_provider_chart_reads_the_provider_table(default_model):
    """Aanbieders has a native bar chart over the first rows of the provider table."""
    from workbooks.sheets.aanbieders import CHART_PROVIDERS

    wb = default_model
    charts = wb[layout.AANBIEDERS]._charts
    assert len(charts) == 1 and charts[0].type == "bar"
    refs = [s.val.numRef.f for s in charts[0].series]
    first, last = layout.PROV_TABLE_ROW + 1, layout.PROV_TABLE_ROW + CHART_PROVIDERS
    assert refs == [f"'Aanbieders'!${c}${first}:${c}${last}" for c in "CDF"]
    assert charts[0].series[0].tx.strRef.f == f"'Aanbieders'!C{layout.PROV_TABLE_ROW}"
    assert charts[0].series[0].cat.numRef.f == f"'Aanbieders'!$B${first}:$B${last}"


def test_sd_prognose_demo_recalculates_to_the_calc_core(tmp_path, result):
    """The recalculated SD_PROGNOSE block equals forecast_series on the sheet's own series."""
    from openpyxl import Workbook

    from workbooks.sheets import prognose as sheet

    wb = Workbook()
    wb.remove(wb.active)
    sheet.build(wb, BuildContext(data={"prognose": result}))   # only this sheet: fast recalc
    path = save(wb, tmp_path / "p.xlsx")
    rec = recalculate(path)
    wb = load_workbook(path)
    sheet, series_ref = ref_of(wb, layout.NAME_PROG_SERIES)
    _, out_ref = ref_of(wb, layout.NAME_PROG_SERIES_FORECAST)
    series = [r[0] for r in rec.get(sheet, series_ref)]
    cells = np.array(rec.get(sheet, out_ref), dtype=float)
    expected = forecast_series(series, len(cells)).as_rows()
    np.testing.assert_allclose(cells, expected, rtol=1e-9)
    assert list(rec.errors()) == []


def test_chart_rows_end_in_december_and_the_band_starts_at_the_actual_line(result):
    """Bottom-aligned: the fixed range ends at the forecast's last month; the last actual
    month carries itself as forecast and lower bound with a band of width 0."""
    from workbooks.tables.prognose import monthly_rows

    rows = monthly_rows(result, layout.PROG_MONTHLY_ROWS)
    assert len(rows) == layout.PROG_MONTHLY_ROWS
    months = [r[0] for r in rows if r[0] is not None]
    assert rows[-1][0] == months[-1] and months[-1].month == 12
    assert all(r == [None] * 5 for r in rows[:len(rows) - len(months)])
    last_actual = max(i for i, r in enumerate(rows) if r[1] is not None)
    joint = rows[last_actual]
    assert joint[2] == joint[3] == joint[1] and joint[4] == 0.0
    assert rows[last_actual + 1][1] is None and rows[last_actual + 1][2] > 0


def test_demo_model_shows_names_on_meerjarenraming_and_namen(demo):
    """In the recalculated demo: the Iv3 description beside every taakveld of the lasten
    table (a lookup on Namen), and the register with the demo's providers."""
    from openpyxl import load_workbook

    from berichten.synth_catalog import provider_register
    from calc.names import TAAKVELDEN
    from workbooks.sheets.meerjarenraming import FIRST_COL, R_LASTEN, R_LASTEN_TOTAL, Y

    wb = load_workbook(demo.values_copy)
    ws = wb[layout.MEERJARENRAMING]
    pairs = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=FIRST_COL + Y + 1).value)
             for r in range(R_LASTEN, R_LASTEN_TOTAL)]
    filled = [(code, text) for code, text in pairs if code]
    assert filled and all(text == TAAKVELDEN[code] for code, text in filled)
    assert all(text in (None, "") for code, text in pairs if not code)
    sheet, ref = ref_of(wb, layout.NAME_PROVIDER_REGISTER)
    shown = {r[0].value: r[1].value for r in wb[sheet][ref] if r[0].value}
    assert shown == provider_register()


def test_prognose_sheet_says_how_far_to_trust_this_years_forecast(result):
    """Bias and coverage of last year's forecasts (result.trust) stand at the top of the sheet
    and above the Terugblik, in Dutch, with the numbers of the calc result."""
    from workbooks.sheets.prognose import trust_text

    t = result.trust
    assert t is not None and t.months == len(result.backtest)
    assert t.bias == pytest.approx(result.backtest["error"].mean())
    assert t.coverage == pytest.approx(result.backtest["coverage"].mean())
    wb = build_workbook(BuildContext(data={"prognose": result}))
    ws = wb[layout.PROGNOSE]
    text = trust_text(result)
    head = " ".join((ws.cell(row=r, column=1).value or "").strip() for r in
                    range(layout.PROG_HEAD_ROW, layout.PROG_HEAD_ROW + layout.PROG_HEAD_ROWS))
    assert text in head and "Betrouwbaarheid" in text
    assert f"{abs(t.bias) * 100:.1f}%".replace(".", ",") in text
    assert ("te hoog" if t.bias > 0 else "te laag") in text
    assert text in ws.cell(row=layout.PROG_LOOK_BACK_ROW - 1, column=1).value
    empty = build_workbook(BuildContext())[layout.PROGNOSE]
    assert all(empty.cell(row=r, column=1).value is None for r in
               range(layout.PROG_HEAD_ROW + 1, layout.PROG_HEAD_ROW + layout.PROG_HEAD_ROWS))
