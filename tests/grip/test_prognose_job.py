"""The prognose job: reads a store (a stand-in here), keeps snapshots, fills the button's ranges."""

from pathlib import Path

import pandas as pd
import pytest

from calc.errors import InputError
from grip.cli import main
from grip.jobs import prognose
from workbooks import layout
from tests.factories import FakeStore


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """One run on a new store at the default peilmaand, with ``--export`` (folder, result):
    the summary, the export and the button read it (do not change the folder)."""
    folder = tmp_path_factory.mktemp("eerste_run")
    result = prognose.run_prognose(folder / "s.duckdb", open_store=FakeStore,
                                   export=folder / "export")
    return folder, result


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
    lines = prognose.summary(result)
    assert any("Terugblik 2024" in line for line in lines)
    # how far to trust this year's forecast, as the Prognose sheet's head says it
    trust = [line for line in lines if line.startswith("  Betrouwbaarheid: vorig jaar (2024)")]
    assert len(trust) == 1 and "peilmaanden binnen de 80%-marge" in trust[0]
    rows = prognose.output_tables(result)[layout.NAME_OUT_TERUGBLIK]
    assert len(rows) == 12 and rows[8][1] == "opgeslagen" and rows[8][7] in ("ja", "nee")
    again = prognose.run_prognose(store, as_of="2025-06-01", open_store=FakeStore)
    assert again.replayed is not None and again.replayed.empty     # kept from the last run
    pd.testing.assert_frame_equal(again.backtest, report)


def test_run_button_returns_exactly_the_fixed_ranges(tmp_path, first_run):
    """The ribbon contract: both outputs, each its fixed size; the total row first.

    The store's folder holds the snapshots of an earlier run (``first_run``'s, copied), as
    after a first press: last year's look-back is read from it, not replayed again."""
    import shutil

    shutil.copyfile(prognose.snapshot_path(first_run[0] / "s.duckdb"),
                    prognose.snapshot_path(tmp_path / "s.duckdb"))
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


def test_summary_is_dutch_and_complete(first_run):
    """The printed summary names the year, the total and every taakveld."""
    _, result = first_run
    text = "\n".join(prognose.summary(result))
    assert "Jaareindeprognose 2025" in text
    for taakveld in result.forecast.detail["taakveld"].unique():
        assert taakveld in text


def test_export_writes_one_workbook_per_provider(first_run):
    """--export: a workbook per provider with the three sheets, Dutch headers."""
    from openpyxl import load_workbook

    folder, result = first_run
    files = sorted((folder / "export").glob("aanbieder_*.xlsx"))
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


class RegionStore(FakeStore):
    """A region's store: the synthetic municipality and a neighbour (code 0344) with half its
    claims, allocations and messages."""

    def __getattr__(self, name):
        table = super().__getattr__(name)()
        if "municipality" not in table.columns:
            return lambda: table
        other = table.assign(municipality="0344")
        if "amount_euro" in other.columns:
            other["amount_euro"] = other["amount_euro"] / 2
        return lambda: pd.concat([table, other], ignore_index=True)


def test_a_region_store_is_summed_only_with_a_warning():
    """Claims of two municipalities: without a code the forecast counts both and the first
    note says so, with each one's amount and how to choose (a wrong number without a word
    before: the neighbour's claims were in the municipality's forecast)."""
    tables = prognose.read_tables(RegionStore("s.duckdb"))
    same, note = prognose.for_municipality(tables, None, store="s.duckdb", where="gemeentecode")
    own = prognose.read_tables(FakeStore("s.duckdb"))["claim_lines"]
    code = own["municipality"].iloc[0]
    assert same is tables and note.startswith("Let op: de declaraties in de opslag komen van 2")
    assert f"{code} (" in note and "0344 (" in note and "telt ze samen" in note
    assert f"--gemeentecode {code}" in note and "Parameters!B9" in note
    one, note = prognose.for_municipality(tables, code, store="s.duckdb", where="gemeentecode")
    assert note is None and one["claim_lines"]["amount_euro"].sum() == own["amount_euro"].sum()
    with pytest.raises(InputError, match=r"gemeentecode 0599 komt niet voor .* \(wel: "):
        prognose.for_municipality(tables, "0599", store="s.duckdb", where="gemeentecode")
    empty = {**tables, "claim_lines": tables["claim_lines"].iloc[:0]}
    out, note = prognose.for_municipality(empty, "0599", store="s.duckdb", where="g")
    assert out is empty and note is None     # no claims: run_prognose says what to read in


@pytest.mark.parametrize("typed,code", [(363.0, "0363"), ("0363", "0363"), ("GM0363", "0363"),
                                        (" 344 ", "0344"), ("", None), (None, None)])
def test_a_gemeentecode_is_read_as_typed(typed, code):
    assert prognose.municipality_code(typed, "Parameters!B9") == code


@pytest.mark.parametrize("typed", ["Utrecht", "03633", "0", 3.5])
def test_a_wrong_gemeentecode_names_the_cell(typed):
    with pytest.raises(InputError, match="geen gemeentecode") as err:
        prognose.municipality_code(typed, "Parameters!B9")
    assert err.value.argument == "Parameters!B9"


def test_the_button_forecasts_the_gemeentecode_typed_on_parameters(tmp_path, first_run):
    """The code on Parameters: the region's store gives exactly the municipality's own
    forecast, the status names the code, the prognoses are kept per code."""
    code = prognose.read_tables(FakeStore("s.duckdb"))["claim_lines"]["municipality"].iloc[0]
    store = tmp_path / "regio.duckdb"
    out = prognose.run_button({layout.NAME_STORE_PATH: [[str(store)]],
                               layout.NAME_MUNICIPALITY_CODE: [[code]]}, open_store=RegionStore)
    total = out[layout.NAME_OUT_PROGNOSE][0]
    assert total[0] == "Totaal" and total == prognose.output_tables(first_run[1])[
        layout.NAME_OUT_PROGNOSE][0]
    head = "\n".join(str(r[0]) for r in out[layout.NAME_OUT_PROGNOSE_HEAD] if r[0])
    assert f"gemeentecode {code}" in head and "Let op: de declaraties" not in head
    assert prognose.snapshot_path(store, code).exists()
    assert not prognose.snapshot_path(store).exists()



def test_the_commands_read_the_gemeentecode_with_a_dutch_message(tmp_path, capsys):
    """grip prognose and grip begroting take --gemeentecode; a wrong one is named in Dutch, and
    begroting asks for the store it belongs to."""
    with pytest.raises(SystemExit):
        main(["prognose", "--opslag", str(tmp_path / "s.duckdb"), "--gemeentecode", "Utrecht"])
    assert "'Utrecht' is geen gemeentecode" in capsys.readouterr().err
    assert main(["begroting", "--gemeentecode", "363"]) != 0
    assert "--gemeentecode hoort bij --opslag" in capsys.readouterr().err


def test_begroting_refuses_a_gemeentecode_the_store_does_not_hold(tmp_path, capsys):
    """A code not in the store: the codes that are there, not 'de opslag heeft 0
    declaratieregels' (the store is not too thin; the code is wrong)."""
    from berichten.importer import import_paths

    csv = tmp_path / "export.csv"
    csv.write_text("Gemeente;AGB-code;BSN;Referentienummer;Productcategorie;Productcode;"
                   "Productperiode;Declaratieperiode;Geleverd volume;Eenheid;Tarief;Bedrag;"
                   "Debet/credit\n0363;87654321;999990019;R1;45;45A48;01-01-2025;28-01-2025;4;"
                   "uur;85,50;342,00;D\n", encoding="utf-8")
    import_paths(tmp_path / "s.duckdb", [csv])
    assert main(["begroting", "--opslag", str(tmp_path / "s.duckdb"), "--gemeentecode", "599"]) != 0
    err = capsys.readouterr().err
    assert "gemeentecode 0599 komt niet voor" in err and "(wel: 0363)" in err


def test_claim_lines_in_the_quarantine_are_named_by_every_forecast(tmp_path):
    """A claims export with lines the import put in the quarantine: the forecast (without them)
    says how many, their amount and the main reason, every time it runs, not only at the
    import; the export's totals row is no claim and not counted, and neither are the lines of
    a second export of the year so far that are already in the store. A store without
    quarantined claims gets no such note. (The store is of claims only: its head and an
    announced change of the inflow say what that means.)"""
    from berichten.importer import import_paths
    from workbooks.tables.prognose import head_rows

    head = ("Gemeente;AGB-code;BSN;Referentienummer;Productcategorie;Productcode;Productperiode;"
            "Declaratieperiode;Geleverd volume;Eenheid;Tarief;Bedrag;Debet/credit\n")
    good = "".join(f"0363;87654321;999990019;R{m};45;45A48;01-{m:02d}-2025;01-{m + 1:02d}-2025;"
                   f"4;uur;85,50;342,00;D\n" for m in range(1, 11))
    bad = "".join(f"0363;87654321;999990020;B{m};45;45A48;01-{m:02d}-2025;01-{m + 1:02d}-2025;"
                  f"4;dag;85,50;342,00;D\n" for m in (3, 4, 5))
    clean = tmp_path / "schoon.csv"
    clean.write_text(head + good + ";;;;;;;;;;;3.420,00;\n", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    import_paths(store, [clean])
    result = prognose.run_prognose(store)
    assert not any("quarantaine" in n for n in result.notes)
    # no allocations: the sum the forecast is says the months left run at the claims' rate
    shown = " ".join(r[0] for r in head_rows(result, 40) if r[0])
    assert "resterende maanden (het tempo van de declaraties per maand;" in shown
    assert "verplichting x benuttingsgraad" not in shown

    # an announced change of the inflow cannot be told apart in a store of claims only: said so
    # (before: 'na peilmaand 06-2025 komen geen nieuwe cliënten meer bij', untrue with months left)
    changed = prognose.run_prognose(store, as_of="2025-06",
                                    inflow=(pd.Timestamp("2025-09-01"), -0.2)).notes
    assert any("telt niet mee: zonder toewijzingen zijn nieuwe cliënten niet apart te zien" in n
               for n in changed)
    again = tmp_path / "tot_en_met_november.csv"      # the year so far once more: doubles
    again.write_text(head + good, encoding="utf-8")
    import_paths(store, [again])
    assert not any("quarantaine" in n for n in prognose.run_prognose(store).notes)

    export = tmp_path / "export.csv"
    export.write_text(head + bad, encoding="utf-8")
    import_paths(store, [export])
    notes = prognose.run_prognose(store).notes
    held = [n for n in notes if n.startswith("In de quarantaine staan")]
    assert held == [
        "In de quarantaine staan 3 declaratieregels (€ 1.026) die niet meetellen in deze "
        "prognose; de meeste: onbekende waarde 'dag' in kolom 'Eenheid' (3×). Bekijk ze met "
        "grip berichten quarantaine --opslag s.duckdb (of op het blad Parameters na "
        "'Berichtenverkeer inlezen'), verbeter de export en lees hem opnieuw in."]

    # a region: a second municipality's claims in the same store. The quarantine keeps each
    # refused line's gemeentecode: the forecast of one municipality counts its own lines (it
    # said the store's, for either municipality), the whole store's forecast says it sums
    other = tmp_path / "buurgemeente.csv"
    other.write_text(head + good.replace("0363;", "0599;").replace(";R", ";N"), encoding="utf-8")
    import_paths(store, [other])
    held = {code: [n for n in prognose.run_prognose(store, municipality_code=code).notes
                   if "quarantaine" in n and "declaratieregels" in n]
            for code in (None, "0363", "0599")}
    assert held["0599"] == []
    assert held["0363"][0].startswith("In de quarantaine van deze opslag staan 3 "
                                      "declaratieregels van gemeente 0363 (€ 1.026)")
    assert held[None][0].startswith("In de quarantaine van deze opslag (alle gemeenten samen: "
                                    "kies een gemeentecode voor die van één gemeente) staan 3 "
                                    "declaratieregels (€ 1.026)")
    from berichten.store import open_store

    kept = open_store(store)
    try:
        assert kept.quarantine_records()["municipality"].tolist()[-3:] == ["0363"] * 3
    finally:
        kept.close()


def test_the_quarantine_note_of_one_municipality_counts_the_unknown_apart():
    """A region's store: one municipality's forecast counts its own refused claim lines and,
    apart, those whose municipality is not known (a line without a readable gemeentecode,
    or a store imported before the quarantine kept it), never the neighbour's."""

    class Kept:
        @staticmethod
        def quarantine_records():
            return pd.DataFrame({
                "message_code": ["CSV-declaraties"] * 4,
                "reason": ["BSN voldoet niet aan de elfproef"] * 3 + ["lege gemeentecode"],
                "amount_euro": [100.0, 200.0, 400.0, 800.0],
                "municipality": ["0363", "0363", "0599", None]})

    note = prognose.quarantined_claims_note(Kept, "s.duckdb", regional=True, code="0363")
    assert note.startswith("In de quarantaine van deze opslag staan 2 declaratieregels van "
                           "gemeente 0363 (€ 300) die niet meetellen")
    assert "Daarnaast staat 1 declaratieregel (€ 800) waarvan niet bekend is" in note
    alone = prognose.quarantined_claims_note(Kept, "s.duckdb", regional=True, code="0599")
    assert "2 declaratieregels" not in alone and "€ 400" in alone
    whole = prognose.quarantined_claims_note(Kept, "s.duckdb", regional=True)
    assert "staan 4 declaratieregels (€ 1.500)" in whole
