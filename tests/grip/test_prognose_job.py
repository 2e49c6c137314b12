"""The prognose job: reads a store (a stand-in here), keeps snapshots, fills the button's ranges."""

from pathlib import Path

import pandas as pd
import pytest

from calc.errors import InputError
from grip.cli import main
from grip.jobs import prognose
from workbooks import layout
from tests.factories import FakeStore


def test_run_prognose_keeps_a_snapshot_per_evaluation_month(tmp_path):
    """Two runs for the same month keep one snapshot; another month adds one."""
    store = tmp_path / "berichten.duckdb"
    first = prognose.run_prognose(store, as_of="2025-06-01", open_store=FakeStore)
    assert first.forecast.year == 2025 and len(first.providers) > 0
    prognose.run_prognose(store, as_of="2025-06-01", open_store=FakeStore)
    prognose.run_prognose(store, as_of="2025-05-01", open_store=FakeStore)
    snaps = prognose.read_snapshots(prognose.snapshot_path(store))
    runs = snaps[snaps["year"] == 2025]
    assert sorted(runs["as_of"].dt.month.unique()) == [5, 6]
    assert (runs["level"] == "total").sum() == 2
    assert runs["source"].isna().all()                 # real runs, not replays
    replays = snaps[snaps["year"] == 2024]             # the look-back's, kept once
    assert (replays["source"] == "nagespeeld").all()
    assert (replays["level"] == "total").sum() == 12


def test_backtest_of_last_year_appears_once_its_claims_are_in(tmp_path):
    """A snapshot of 2024 plus claims of 2024: the next year's run reports the terugblik,
    the stored run for September and the other months replayed."""
    store = tmp_path / "b.duckdb"
    first = prognose.run_prognose(store, as_of="2024-09-01", open_store=FakeStore)
    result = prognose.run_prognose(store, as_of="2025-06-01", open_store=FakeStore)
    report = result.backtest
    assert report is not None and report["month"].tolist() == list(range(1, 13))
    assert report.set_index("month")["source"].to_dict() == {
        m: "opgeslagen" if m == 9 else "nagespeeld" for m in range(1, 13)}
    stored_total = first.forecast.by("total").iloc[0]["forecast_euro"]
    assert report.set_index("month").loc[9, "forecast_euro"] == pytest.approx(stored_total)
    assert (report["actual_euro"] > 0).all() and report["mape"].notna().all()
    assert any("Terugblik 2024" in line for line in prognose.summary(result))
    rows = prognose.output_tables(result)[layout.NAME_OUT_TERUGBLIK]
    assert len(rows) == 12 and rows[8][1] == "opgeslagen" and rows[8][7] in ("ja", "nee")
    again = prognose.run_prognose(store, as_of="2025-06-01", open_store=FakeStore)
    assert again.replayed is not None and again.replayed.empty     # kept from the last run
    pd.testing.assert_frame_equal(again.backtest, report)


def test_run_button_returns_exactly_the_fixed_ranges(tmp_path):
    """The ribbon contract: both outputs, each its fixed size; the total row first."""
    out = prognose.run_button({layout.NAME_STORE_PATH: [[str(tmp_path / "s.duckdb")]]},
                              open_store=FakeStore)
    assert set(out) == set(prognose.OUTPUT_NAMES)
    table = out[layout.NAME_OUT_PROGNOSE]
    assert len(table) == layout.PROG_TABLE_ROWS
    assert all(len(r) == layout.PROG_TABLE_COLS for r in table)
    assert table[0][0] == "Totaal" and table[0][7] > table[0][3] > 0
    providers = out[layout.NAME_OUT_PROVIDERS]
    assert len(providers) == layout.PROV_TABLE_ROWS
    assert all(len(r) == layout.PROV_TABLE_COLS for r in providers)


def test_run_button_without_store_path_says_where_to_fill_it_in():
    """An empty grip_opslag is a Dutch message naming the range."""
    with pytest.raises(InputError) as err:
        prognose.run_button({layout.NAME_STORE_PATH: [[None]]})
    assert err.value.argument == layout.NAME_STORE_PATH


def test_command_reports_a_missing_store_in_dutch(tmp_path, capsys):
    """grip prognose --opslag on a missing file: exit code 2 and a Dutch message."""
    code = main(["prognose", "--opslag", str(tmp_path / "nergens.duckdb")])
    assert code == 2
    assert "bestaat niet" in capsys.readouterr().err


def test_a_store_without_claims_says_what_to_read_in(tmp_path):
    """Only allocations imported yet: a Dutch message naming the store and what is missing,
    not the calc's parameter name."""
    class OnlyAllocations(FakeStore):
        def claim_lines(self):
            return FakeStore(self.path).claim_lines().iloc[:0]

    with pytest.raises(InputError) as err:
        prognose.run_prognose(tmp_path / "s.duckdb", open_store=OnlyAllocations)
    assert err.value.argument == "opslag"
    assert str(err.value).startswith("de opslag s.duckdb bevat nog geen declaratieregels (wel ")
    assert "lees declaraties in: 323-berichten of een declaratie-export" in str(err.value)


@pytest.mark.parametrize("month, text", [
    ("2031-05", "05-2031 ligt na de laatste declaratiemaand in de opslag ("),
    ("2010-01", "01-2010 ligt voor de eerste declaratiemaand in de opslag (")])
def test_a_peilmaand_the_claims_do_not_reach_is_refused(tmp_path, month, text):
    """A peilmaand after the data (a typo, 2031) or before them: a Dutch refusal, not a
    crash deep in the forecast."""
    with pytest.raises(InputError) as err:
        prognose.run_prognose(tmp_path / "s.duckdb", as_of=month, open_store=FakeStore)
    assert err.value.argument == "peilmaand" and str(err.value).startswith(text)


def test_summary_is_dutch_and_complete(tmp_path):
    """The printed summary names the year, the total and every taakveld."""
    result = prognose.run_prognose(tmp_path / "s.duckdb", open_store=FakeStore)
    text = "\n".join(prognose.summary(result))
    assert "Jaareindeprognose 2025" in text
    for taakveld in result.forecast.detail["taakveld"].unique():
        assert taakveld in text


def test_export_writes_one_workbook_per_provider(tmp_path):
    """--export: a workbook per provider with the three sheets, Dutch headers."""
    from openpyxl import load_workbook

    result = prognose.run_prognose(tmp_path / "s.duckdb", open_store=FakeStore,
                                   export=tmp_path / "export")
    files = sorted((tmp_path / "export").glob("aanbieder_*.xlsx"))
    assert len(files) == len(result.providers)
    wb = load_workbook(files[0])
    assert wb.sheetnames == ["Overzicht", "Per product", "Per maand"]
    assert "Prognose" in [c.value for c in wb["Per product"][4]]
    assert wb["Overzicht"]["B8"].number_format == '"€" #,##0;[Red]"€" -#,##0'


def test_gripniveau_reads_the_forecast_error_from_the_kept_prognoses(tmp_path):
    """After a prognose run, 'Gripniveau meten' on the same store measures prognosefout from
    the kept look-back (June of last year); before it, there is no data for that KPI."""
    from grip.jobs import gripniveau

    store = tmp_path / "g.duckdb"
    before = gripniveau.measure_kpis(store, open_store=FakeStore)
    assert before.by_key("prognosefout").value != before.by_key("prognosefout").value  # NaN
    result = prognose.run_prognose(store, as_of="2025-12-01", open_store=FakeStore)
    after = gripniveau.measure_kpis(store, open_store=FakeStore)
    june = result.backtest.set_index("month").loc[6]
    # the same June forecast; the actual is what came in by the latest claim month (a little
    # more than by 2025-12), hence the tolerance
    assert after.by_key("prognosefout").value == pytest.approx(june["mape"], rel=0.05)
