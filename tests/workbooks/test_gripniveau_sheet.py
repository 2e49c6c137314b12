"""The Gripniveau sheet: built, recalculated headless, its SD_ cells equal to the calc core."""

import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from addin.udfs.gripniveau import agenda_rows
from calc.grip_level import assess, grip_level, grip_score, load_rubric
from calc.grip_level.kpis import measure_kpis
from calc.grip_level.routemap import development_agenda
from calc.grip_level.rubric import demo_assessment
from calc.records import CLAIM_LINES
from workbooks import layout
from workbooks.begrotingsmodel import build_workbook
from workbooks.context import BuildContext
from workbooks.files import save
from workbooks.recalc import recalculate
from workbooks.tables.gripniveau import kpi_rows
from tests.factories import named_range

T = pd.Timestamp


def measurement():
    """Three claim lines (lags 0, 1, 5 months), a 6 % forecast error and a ledger of 1.000."""
    lines = pd.DataFrame([{c: None for c in CLAIM_LINES} | r for r in [
        {"provider": "A", "service_month": T("2026-01-01"), "claim_month": T("2026-01-01"), "amount_euro": 400.0},
        {"provider": "A", "service_month": T("2026-01-01"), "claim_month": T("2026-02-01"), "amount_euro": 300.0},
        {"provider": "B", "service_month": T("2026-01-01"), "claim_month": T("2026-06-01"), "amount_euro": 200.0},
    ]], columns=list(CLAIM_LINES))
    # a handful of lines: the minimum number of records is lowered, the sheet is under test
    return measure_kpis(claim_lines=lines, backtest=0.06, ledger_total_euro=1000.0,
                        min_records=1)


named = named_range


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = save(build_workbook(BuildContext(data={"gripniveau": measurement()})),
                tmp_path_factory.mktemp("gn") / "gn.xlsx")
    return path, recalculate(path)


def cells(built, name):
    path, rec = built
    sheet, ref = named(path, name)
    return rec.get(sheet, ref)


def test_topic_scores_levels_and_grip_kpi_equal_the_calc_core(built):
    """Recalculated SD_GRIPKPISCORES/ONDERWERPSCORES/NIVEAUS/SCORE/NIVEAU cells equal calc on the same inputs."""
    m = measurement()
    want = assess(demo_assessment(), load_rubric(), kpi_scores=m.topic_scores())
    kpi = [r[0] for r in cells(built, layout.NAME_GN_KPI_SCORES)]
    np.testing.assert_allclose([math.nan if v is None else v for v in kpi], m.topic_scores())
    scores = [r[0] for r in cells(built, layout.NAME_GN_SCORES)]
    np.testing.assert_allclose(scores, want.topic_scores, rtol=1e-12)
    assert [r[0] for r in cells(built, layout.NAME_GN_LEVELS)] == [lv.value for lv in want.topic_levels]
    assert cells(built, layout.NAME_GN_GRIP_SCORE) == pytest.approx(grip_score(want.topic_scores))
    assert cells(built, layout.NAME_GN_GRIP_LEVEL) == grip_level(want.topic_scores).value
    assert not math.isnan(want.kpi_scores[6])      # the measured KPIs really flowed in


def test_agenda_cells_equal_the_calc_agenda(built):
    """The SD_GRIPAGENDA range equals development_agenda on the recalculated topic scores."""
    scores = [r[0] for r in cells(built, layout.NAME_GN_SCORES)]
    want = assess(demo_assessment(), load_rubric(), kpi_scores=measurement().topic_scores())
    rows = agenda_rows(development_agenda(list(want.topic_levels), scores=scores, start="2027-K1"))
    got = cells(built, layout.NAME_GN_AGENDA)
    assert got[:len(rows)] == rows[:layout.GN_AGENDA_ROWS]
    assert all(cell in ("", None) for row in got[len(rows):] for cell in row)


def test_measured_kpi_table_is_the_named_output(built):
    """grip_uit_gripniveau holds the KPI rows from ctx.data, 'geen gegevens' where data lack."""
    got = cells(built, layout.NAME_OUT_GRIPNIVEAU)
    want = kpi_rows(measurement().results)
    assert len(got) == layout.GN_KPI_ROWS == len(want)
    for g, w in zip(got, want):
        assert g[:3] == w[:3] and g[5] == w[5]
    assert [r[3] for r in got if r[0] == "Aandeel gedeclareerd bedrag afgewezen"] == ["geen gegevens"]


def test_no_error_values_on_the_sheet(built):
    """No # message anywhere on the Gripniveau sheet of the demo."""
    assert [e for e in built[1].errors() if e[0] == layout.GRIPNIVEAU] == []


def test_dropdowns_colours_and_radar_chart(built):
    """Self-assessment cells have the level dropdown; levels are coloured; a radar chart shows the topics."""
    ws = load_workbook(built[0])[layout.GRIPNIVEAU]
    _, ref = named(built[0], layout.NAME_GN_ASSESSMENT)
    dv = ws.data_validations.dataValidation
    assert any(ref in str(v.sqref) and "in controle" in v.formula1 for v in dv)
    rules = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules]
    assert {'"ernstig"', '"waakzaam"', '"in controle"'} <= set(rules)
    assert ws._charts and type(ws._charts[0]).__name__ == "RadarChart"
    assert "eigen uitwerking" in ws["A3"].value


def test_without_measured_kpis_the_table_is_empty_with_a_hint(tmp_path):
    """No ctx.data: empty KPI table and a Dutch hint naming the button; other municipality: no assessment."""
    wb = build_workbook(BuildContext(municipality="Gemeente Elders"))
    path = save(wb, tmp_path / "leeg.xlsx")
    ws = load_workbook(path)[layout.GRIPNIVEAU]
    _, ref = named(path, layout.NAME_OUT_GRIPNIVEAU)
    assert all(c.value is None for row in ws[ref] for c in row)
    assert any("Gripniveau bijwerken" in str(c.value) for row in ws.iter_rows() for c in row)
    _, ref = named(path, layout.NAME_GN_ASSESSMENT)
    assert all(c.value is None for row in ws[ref] for c in row)
    rec = recalculate(path)
    # a new model says so in words instead of a #INVOER message (issue 14)
    assert rec.get(layout.GRIPNIVEAU, named(path, layout.NAME_GN_GRIP_LEVEL)[1]) == \
        "nog geen zelfbeoordeling"
    assert rec.get(layout.GRIPNIVEAU, named(path, layout.NAME_GN_GRIP_SCORE)[1]) == \
        "nog geen zelfbeoordeling"


def test_measured_kpis_without_a_self_assessment_say_what_is_missing(tmp_path):
    """'Gripniveau bijwerken' pressed before the self-assessment is filled in: some topics have
    a score from the KPIs, the others none. The grip level and score (and the Samenvatting,
    which shows them) say in words that the self-assessment is to be completed; before, the
    printed Samenvatting showed '#INVOER: scores, rij 1: de score van onderwerp 1 ontbreekt'."""
    from calc.grip_level.kpis import measure_kpis
    from tests.factories import synthetic_store

    tables = synthetic_store()
    kpis = measure_kpis(claim_lines=tables["claim_lines"], allocations=tables["allocations"],
                        starts_stops=tables["starts_stops"])
    assert 0 < sum(s == s for s in kpis.topic_scores()) < 9      # some topics scored
    wb = build_workbook(BuildContext(municipality="Gemeente Elders", data={"gripniveau": kpis}))
    path = save(wb, tmp_path / "kpis.xlsx")
    rec = recalculate(path)
    for name in (layout.NAME_GN_GRIP_LEVEL, layout.NAME_GN_GRIP_SCORE):
        assert rec.get(layout.GRIPNIVEAU, named(path, name)[1]) == \
            "nog geen totaaloordeel: vul de zelfbeoordeling aan"
    assert not [v for (sheet, _), v in rec.values.items()
                if sheet == layout.SAMENVATTING and str(v).startswith("#")]


def test_the_demo_shows_the_grip_level_from_self_assessment_and_measured_kpis(demo):
    """Gemeente Voorbeeld: every KPI measured on its synthetic messages, level equal to calc."""
    data = demo.data["gripniveau"]  # measured by grip demo on the store of its messages
    want = assess(data["zelfbeoordeling"], load_rubric(), kpi_scores=data["kpis"].topic_scores())
    built = (demo.workbook, demo.recalculation)
    assert all(row[3] != "geen gegevens" for row in cells(built, layout.NAME_OUT_GRIPNIVEAU))
    assert cells(built, layout.NAME_GN_GRIP_SCORE) == pytest.approx(want.score)
    assert cells(built, layout.NAME_GN_GRIP_LEVEL) == want.level.value


def test_the_copy_to_share_prints_no_empty_evidence_columns(demo):
    """The demo's self-assessment gives no Onderbouwing or Eigenaar and its KPIs no
    Toelichting: the copy to share leaves those columns out (four pages of empty yellow
    boxes), printed across and then down, so a Toelichting would follow its KPI table."""
    from openpyxl import load_workbook

    ws = load_workbook(demo.values_copy)[layout.GRIPNIVEAU]
    headers = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "Zelfbeoordeling" in headers and "In controle tot" in headers
    assert not {"Onderbouwing", "Eigenaar", "Toelichting"} & {
        ws.cell(row=r, column=c).value for r in range(1, ws.max_row + 1) for c in (8, 9, 10)}
    assert ws.page_setup.pageOrder == "overThenDown"
