"""The gripniveau jobs: KPIs through the store API (a fake), the ribbon button, the quick-scan report."""

import pandas as pd
import pytest

from calc.errors import InputError
from calc.grip_level.rubric import demo_assessment
from grip.cli import main
from grip.jobs import gripniveau as job
from tests import factories
from workbooks import layout
from workbooks.tables.gripniveau import KPI_TABLE_HEADER

T = pd.Timestamp


class FakeStore:
    """Stands in for berichten.store.Store: the same five methods, tiny tables."""

    opened = []
    closed = 0

    def __init__(self, path):
        FakeStore.opened.append(path)

    def close(self):
        FakeStore.closed += 1

    def claim_lines(self):
        return factories.claim_lines(*[
            {"provider": "A", "service_month": T("2026-01-01"), "claim_month": T("2026-01-01"), "amount_euro": 600.0},
            {"provider": "B", "service_month": T("2026-01-01"), "claim_month": T("2026-06-01"), "amount_euro": 400.0}])

    def allocations(self):
        return factories.allocations(*[{"allocation_number": "a1", "start_date": T("2026-01-01"),
                                    "valid_from": T("2026-01-01")}])

    def starts_stops(self):
        return factories.starts_stops(*[{"allocation_number": "a1", "kind": "start", "status": 1,
                                     "message_date": T("2026-06-01")}])

    def claim_answers(self):
        return factories.claim_answers(*[{"claim_number": "1", "claimed_euro": 1000.0, "granted_euro": 990.0}])

    def rejected_lines(self):
        return factories.rejected_lines(*[])


def test_measure_kpis_reads_the_five_tables_through_the_store(tmp_path):
    """Rejected 1 %, late 40 % (lag 5 > 3), the one allocation started 5 months late: 100 %."""
    m = job.measure_kpis(tmp_path / "opslag.duckdb", open_store=FakeStore)
    assert FakeStore.opened[-1] == tmp_path / "opslag.duckdb" and FakeStore.closed >= 1
    assert m.by_key("afgewezen").value == pytest.approx(0.01)
    assert m.by_key("laat_gedeclareerd").value == pytest.approx(0.4)
    assert m.by_key("zonder_start").value == pytest.approx(1.0)
    assert m.by_key("prognosefout").level is None


def test_run_button_fills_only_its_output_table(tmp_path):
    """The button returns exactly grip_uit_gripniveau, sized to the fixed range."""
    out = job.run_button({layout.NAME_STORE_PATH: [[str(tmp_path / "x.duckdb")]]},
                         open_store=FakeStore)
    assert set(out) == set(job.OUTPUT_NAMES) == {layout.NAME_OUT_GRIPNIVEAU}
    table = out[layout.NAME_OUT_GRIPNIVEAU]
    assert len(table) == layout.GN_KPI_ROWS and all(len(r) == len(KPI_TABLE_HEADER) for r in table)
    # 1 % rejected, but on the stand-in's one claim answer: a value and no level (issue 13)
    assert table[0][3] == pytest.approx(0.01) and table[0][5] == "te weinig gegevens (n=1)"


def test_run_button_without_a_store_path_says_where_to_fill_it_in():
    """An empty store path is a Dutch message naming the named range."""
    with pytest.raises(InputError, match="pad naar de opslag") as info:
        job.run_button({layout.NAME_STORE_PATH: [[None]]})
    assert info.value.argument == layout.NAME_STORE_PATH


def test_a_missing_store_file_is_a_dutch_message(tmp_path):
    """No file at the path: a message with the path, not a traceback."""
    with pytest.raises(InputError, match="bestaat niet"):
        job.measure_kpis(tmp_path / "geen.duckdb")


def test_quick_scan_report_is_one_dutch_page(tmp_path):
    """The HTML holds the urgency, the nine topics with levels, the KPIs and the agenda."""
    kpis = job.measure_kpis(tmp_path / "x", open_store=FakeStore)
    scan = job.quick_scan(demo_assessment(), kpis=kpis, challenge_euro=2_500_000)
    html = job.report_html(scan)
    assert "€ 2.500.000" in html and "Gripniveau: <b>" in html
    assert html.count("<td class=\"lvl\"") >= 9 + 7
    assert "Inkoop" in html and "geen gegevens" in html
    assert scan.agenda[0].measure in html
    assert "Langste declaratievertraging" in html and "<td>B</td>" in html
    assert "eigen uitwerking" in html


def test_read_assessment_from_a_built_workbook(model_file):
    """The self-assessment typed on the sheet comes back as levels per criterion id."""
    assert job.read_assessment(model_file) == demo_assessment()


def test_rapport_command_writes_the_html(tmp_path, capsys):
    """`grip gripniveau rapport --uit` writes the report for the demo municipality."""
    target = tmp_path / "quickscan.html"
    assert main(["gripniveau", "rapport", "--uit", str(target), "--opgave", "1200000"]) == 0
    assert target.exists() and "Quickscan geschreven" in capsys.readouterr().out
    assert "€ 1.200.000" in target.read_text(encoding="utf-8")


def test_rapport_for_another_municipality_needs_a_workbook(tmp_path, capsys):
    """Without --werkmap only the demo municipality has a self-assessment: Dutch message, exit 2."""
    assert main(["gripniveau", "rapport", "--uit", str(tmp_path / "r.html"),
                 "--gemeente", "Gemeente Elders"]) == 2
    assert "--werkmap" in capsys.readouterr().err



def test_report_from_a_filled_workbook_uses_its_weights_limits_and_challenge(tmp_path, capsys,
                                                                              model_copy):
    """Typed on the sheet: one topic changed, limits 10/20, challenge 3 mln → the report follows."""
    from openpyxl import load_workbook

    path = model_copy
    wb = load_workbook(path)
    ws = wb[layout.GRIPNIVEAU]
    ws["C6"], ws["C7"], ws["C11"] = 10.0, 20.0, 3_000_000.0
    wb.save(path)
    sheet = job.read_sheet(path)
    assert (sheet.settings.waakzaam_from, sheet.settings.in_controle_from) == (10.0, 20.0)
    assert sheet.challenge_euro == 3_000_000.0 and sheet.start == "2027-K1"
    target = tmp_path / "r.html"
    assert main(["gripniveau", "rapport", "--uit", str(target), "--werkmap", str(path),
                 "--gemeente", "Gemeente Elders"]) == 0
    text = target.read_text(encoding="utf-8")
    assert "€ 3.000.000" in text and "Gripniveau: <b>in controle</b>" in text


def test_a_typo_in_the_workbook_names_the_cell_range(model_copy):
    """A self-assessment that is not a level: Dutch message with the named range and row."""
    from openpyxl import load_workbook

    path = model_copy
    wb = load_workbook(path)
    sheet, ref = wb.defined_names[layout.NAME_GN_ASSESSMENT].attr_text.split("!")
    first = ref.replace("$", "").split(":")[0]
    wb[layout.GRIPNIVEAU][first] = "prima"
    wb.save(path)
    with pytest.raises(InputError, match="'prima' is geen niveau") as info:
        job.read_sheet(path)
    assert info.value.row == 0 and layout.NAME_GN_ASSESSMENT in info.value.argument


def test_demo_data_from_given_tables_has_kpis_and_the_demo_assessment():
    """demo_gripniveau on tables: measured KPIs (ledger 6 % above claims, forecast error 4,5 %)."""
    store = FakeStore("x")
    tables = {name: getattr(store, name)() for name in
              ("claim_lines", "allocations", "starts_stops", "claim_answers", "rejected_lines")}
    data = job.demo_gripniveau(tables)
    assert data["zelfbeoordeling"] == demo_assessment()
    assert data["kpis"].by_key("buiten_berichten").value == pytest.approx(0.06)
    assert data["kpis"].by_key("prognosefout").value == pytest.approx(0.045)


def test_demo_data_from_the_synthetic_berichtenverkeer():
    """On Gemeente Voorbeeld's tables (berichten.synth, in memory) every KPI has a value."""
    data = job.demo_gripniveau()
    assert all(r.has_data for r in data["kpis"].results)


def test_meten_without_a_store_file_is_a_dutch_error(tmp_path, capsys):
    """`grip gripniveau meten` on a missing store: Dutch message naming the store, exit code 2."""
    assert main(["gripniveau", "meten", "--opslag", str(tmp_path / "geen.duckdb")]) == 2
    assert "bestaat niet" in capsys.readouterr().err


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    """The synthetic municipality of issue 3, imported into a real store."""
    from berichten.importer import import_paths
    from berichten.synth import generate

    folder = tmp_path_factory.mktemp("gn_store")
    generate(folder / "berichten", seed=5, scale=0.01, years=2)
    import_paths(folder / "opslag.duckdb", [folder / "berichten"])
    return folder / "opslag.duckdb"


def test_kpis_from_a_real_store_equal_a_plain_recount(synthetic_store):
    """Through berichten.store.Store: late share and rejected share equal a line-by-line recount."""
    from berichten.store import Store

    m = job.measure_kpis(synthetic_store)
    with Store(synthetic_store, read_only=True) as store:
        lines, answers = store.claim_lines(), store.claim_answers()
    late = total = 0.0
    for row in lines.itertuples():
        if row.amount_euro > 0:
            lag = (row.claim_month.year - row.service_month.year) * 12 + \
                row.claim_month.month - row.service_month.month
            total += row.amount_euro
            late += row.amount_euro if lag > 3 else 0.0
    assert m.by_key("laat_gedeclareerd").value == pytest.approx(late / total)
    rejected = 1 - answers["granted_euro"].sum() / answers["claimed_euro"].sum()
    assert m.by_key("afgewezen").value == pytest.approx(rejected)
    assert m.by_key("zonder_start").has_data and m.by_key("vertraging_p90").has_data
    out = job.run_button({layout.NAME_STORE_PATH: [[str(synthetic_store)]]})
    assert out[layout.NAME_OUT_GRIPNIVEAU][0][3] == pytest.approx(rejected)


def test_quick_scan_shows_the_provider_name_beside_the_code(tmp_path):
    """The lag table names each provider from the register; a code without one says so."""
    kpis = job.measure_kpis(tmp_path / "x", open_store=FakeStore)
    scan = job.quick_scan(demo_assessment(), kpis=kpis, provider_names={"B": "Zorggroep B"})
    page = job.report_html(scan)
    assert "<td>B</td><td>Zorggroep B</td>" in page
    others = [str(p) for p in kpis.provider_lags.head(5)["provider"] if str(p) != "B"]
    assert all(f"<td>{p}</td><td>AGB {p}</td>" in page for p in others)


def test_register_for_the_scan_comes_from_the_workbook_sheet(tmp_path):
    """--werkmap: the names typed on the sheet Namen; the demo: its invented names."""
    from berichten.synth_catalog import provider_register
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext
    from workbooks.files import save

    path = save(build_workbook(BuildContext(data={"aanbieders": {"12345678": "Zorg BV"}})),
                tmp_path / "m.xlsx")
    assert job.provider_register_of(path, "Gemeente X") == {"12345678": "Zorg BV"}
    assert job.provider_register_of(None, "Gemeente Voorbeeld") == provider_register()
    assert job.provider_register_of(None, "Gemeente X") == {}


def _of_0363(method):
    def table(self):
        t = method(self)
        return t.assign(municipality="0363") if "municipality" in t.columns else t
    return table


class OwnStore(FakeStore):
    """The stand-in's records, all of municipality 0363."""

    claim_lines = _of_0363(FakeStore.claim_lines)
    allocations = _of_0363(FakeStore.allocations)
    starts_stops = _of_0363(FakeStore.starts_stops)
    claim_answers = _of_0363(FakeStore.claim_answers)
    rejected_lines = _of_0363(FakeStore.rejected_lines)


class RegionStore(OwnStore):
    """The stand-in's records for municipality 0363 and a neighbour 0344 with other claims."""

    def claim_lines(self):
        own = super().claim_lines()
        other = factories.claim_lines(*[
            {"provider": "C", "service_month": T("2026-01-01"), "claim_month": T("2026-01-01"),
             "amount_euro": 5000.0}]).assign(municipality="0344")
        return pd.concat([own, other], ignore_index=True)


def test_a_region_store_is_measured_together_only_with_a_warning(tmp_path, capsys):
    """Claims of two municipalities and no code: every KPI row on the sheet, the command and the
    quick scan say the KPIs are of both (before: the region was measured in silence); with a
    code: that municipality's KPIs alone, equal to a store of it alone, and no warning."""
    store = tmp_path / "regio.duckdb"
    region = job.measure_kpis(store, open_store=RegionStore)
    assert len(region.notes) == 1 and "2 gemeenten: 0344 (" in region.notes[0]
    assert "Deze meting telt ze samen" in region.notes[0]
    assert "grip gripniveau meten --gemeentecode 0344" in region.notes[0]
    warning = "Let op: gemeten over 2 gemeenten samen (0344, 0363)"
    assert all(r.note.startswith(warning) for r in region.results)
    # late share over both: 400 of 6000 euro, not the municipality's own 400 of 1000
    assert region.by_key("laat_gedeclareerd").value == pytest.approx(400 / 6000)

    out = job.run_button({layout.NAME_STORE_PATH: [[str(store)]]}, open_store=RegionStore)
    toelichting = KPI_TABLE_HEADER.index("Toelichting")
    rows = [r for r in out[layout.NAME_OUT_GRIPNIVEAU] if r[0]]
    assert rows and all(str(r[toelichting]).startswith(warning) for r in rows)

    code_cell = {layout.NAME_STORE_PATH: [[str(store)]], layout.NAME_MUNICIPALITY_CODE: [[363.0]]}
    one = job.run_button(code_cell, open_store=RegionStore)[layout.NAME_OUT_GRIPNIVEAU]
    alone = job.run_button({layout.NAME_STORE_PATH: [[str(store)]]},
                           open_store=OwnStore)[layout.NAME_OUT_GRIPNIVEAU]
    assert one == alone and not any("Let op" in str(r[toelichting]) for r in one)

    html = job.report_html(job.quick_scan(demo_assessment(), kpis=region))
    assert "Deze meting telt ze samen" in html and "class='warn'" in html
