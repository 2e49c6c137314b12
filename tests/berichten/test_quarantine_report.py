"""The import report a person sees: `grip berichten quarantaine`, the summary after `inlezen`
and the block the button "Berichtenverkeer inlezen" fills (issue 13, item 3)."""

import json

from grip.cli import main
from grip.jobs import berichten as job
from workbooks import layout

HEAD = ("Gemeente;AGB-code;BSN;Referentienummer;Productcategorie;Productcode;Productperiode;"
        "Declaratieperiode;Volume;Eenheid;Tarief;Bedrag;Debet/credit")
LINES = [
    "0384;65656055;999990019;R1;45;45A03;2026-03;2026-04;10;Uur;85.50;855.00;Debet",
    "0384;65656055;999990032;R3;45;45A03;2026-03;2026-04;4;Uurtjes;85.50;342.00;Debet",
    "0384;65656055;999990032;R4;45;45A03;2026-03;2026-04;4;Uurtjes;85.50;342.00;Debet",
    "0384;65656055;999990032;R5;45;45A03;2026-03;2026-04;4;Uur;85.50;350.00;Debet",
]


def _export(folder):
    folder.mkdir(exist_ok=True)
    path = folder / "export.csv"
    path.write_text("\n".join([HEAD, *LINES]) + "\n", encoding="utf-8")
    return path


def test_inlezen_prints_the_reasons_and_quarantaine_lists_the_records(tmp_path, capsys):
    path, store = _export(tmp_path / "in"), tmp_path / "s.duckdb"
    assert main(["berichten", "inlezen", str(path), "--opslag", str(store), "--stil"]) == 0
    out = capsys.readouterr().out
    assert "Records: 4 gelezen = 1 opgenomen + 3 in quarantaine" in out
    assert ("  2 × onbekende waarde 'Uurtjes' in kolom 'Eenheid' (toegestaan: 01 (Minuut), "
            "04 (Uur)") in out
    assert "(€ 684,00; eerste: export.csv:3)" in out
    assert ("  1 × bedrag € 350,00 is niet volume × tarief (4 × € 85,50 = € 342,00) "
            "(€ 350,00; eerste: export.csv:5)") in out

    assert main(["berichten", "quarantaine", "--opslag", str(store)]) == 0
    plain = capsys.readouterr().out.splitlines()
    assert plain[0] == "In quarantaine: 3 records, 2 redenen, € 1.034,00"
    i = plain.index("  2 records, € 684,00")
    assert plain[i + 1:i + 3] == [f"  {path}:3  € 342,00", f"  {path}:4  € 342,00"]

    assert main(["berichten", "quarantaine", "--opslag", str(store), "--json",
                 "--bestand", "export.csv"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [(r["regel"], r["bedrag_euro"]) for r in records] == [(3, 342.0), (4, 342.0),
                                                                 (5, 350.0)]
    assert {"bestand", "regel", "reden"} <= set(records[0])
    assert main(["berichten", "quarantaine", "--opslag", str(store), "--bestand",
                 "ander.csv"]) == 0
    assert capsys.readouterr().out.strip() == "De quarantaine is leeg."


def test_a_regions_quarantine_names_each_records_municipality(tmp_path, capsys):
    """A region's export (0384 and 0385): each refused line is listed with its gemeentecode,
    and the JSON has it; a line whose gemeentecode is unreadable has none."""
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [LINES[1], LINES[2].replace("0384;", "0385;"), LINES[3].replace("0384;", "12345;")]
    (folder / "regio.csv").write_text("\n".join([HEAD, LINES[0], *rows]) + "\n",
                                      encoding="utf-8")
    store = tmp_path / "s.duckdb"
    assert main(["berichten", "inlezen", str(folder), "--opslag", str(store), "--stil"]) == 0
    capsys.readouterr()
    assert main(["berichten", "quarantaine", "--opslag", str(store), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [(r["regel"], r["gemeente"]) for r in records] == [(3, "0384"), (4, "0385"),
                                                              (5, None)]
    assert main(["berichten", "quarantaine", "--opslag", str(store)]) == 0
    plain = capsys.readouterr().out
    assert "regio.csv:3  € 342,00  gemeente 0384" in plain
    assert "regio.csv:4  € 342,00  gemeente 0385" in plain


def test_the_button_fills_the_quarantine_block(tmp_path):
    _export(tmp_path / "in")
    out = job.run_button({layout.NAME_STORE_PATH: [[str(tmp_path / "s.duckdb")]],
                          layout.NAME_MESSAGES_PATH: [[str(tmp_path / "in")]]})
    block = out[layout.NAME_OUT_QUARANTINE]
    assert block[0][:3] == [2, 684.0, "export.csv:3"]
    assert block[0][3].startswith("onbekende waarde 'Uurtjes' in kolom 'Eenheid'")
    assert block[1][:3] == [1, 350.0, "export.csv:5"]
    assert len(block) <= layout.QUARANTINE_ROWS and all(len(r) == 4 for r in block)
    again = job.run_button({layout.NAME_STORE_PATH: [[str(tmp_path / "s.duckdb")]],
                            layout.NAME_MESSAGES_PATH: [[str(tmp_path / "in")]]})
    assert again[layout.NAME_OUT_QUARANTINE] == [
        [0, None, None, "Geen records in quarantaine bij deze inlezing."]]


def test_the_quarantine_block_sums_what_does_not_fit(monkeypatch):
    import pandas as pd

    groups = pd.DataFrame({"reason": [f"reden {i}" for i in range(25)], "records": [2] * 25,
                           "amount_euro": [1.5] * 25, "file": ["a.csv"] * 25,
                           "position": list(range(25)), "sheet": [None] * 25})
    rows = job.quarantine_table(groups, "s.duckdb")
    assert len(rows) == layout.QUARANTINE_ROWS
    assert rows[-1][3].startswith("… en 6 andere redenen") and rows[-1][:2] == [12, 9.0]


def test_one_record_in_the_quarantine_is_said_in_the_singular(tmp_path, capsys):
    path, store = tmp_path / "export.csv", tmp_path / "s.duckdb"
    path.write_text("\n".join([HEAD, LINES[0], LINES[3]]) + "\n", encoding="utf-8")
    assert main(["berichten", "inlezen", str(path), "--opslag", str(store), "--stil"]) == 0
    capsys.readouterr()
    assert main(["berichten", "quarantaine", "--opslag", str(store)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == ("In quarantaine: 1 record, 1 reden, "
                                                       "€ 350,00")


def test_a_record_in_a_workbook_is_found_by_its_sheet(tmp_path, capsys):
    """An export workbook with a cover sheet first: 'titel.xlsx:24' sent the controller to row
    24 of the cover sheet; the sheet is named wherever a record's place is shown."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Toelichting"
    wb.active["A1"] = "Export uit het zorgsysteem"
    ws = wb.create_sheet("Export 2026")
    ws.append(["Declaraties januari 2026"])
    ws.append(HEAD.split(";"))
    for line in LINES[:1] + LINES[3:]:
        ws.append(line.split(";"))
    path, store = tmp_path / "titel.xlsx", tmp_path / "s.duckdb"
    wb.save(path)
    assert main(["berichten", "inlezen", str(path), "--opslag", str(store)]) == 0
    out = capsys.readouterr().out
    assert "(€ 350,00; eerste: titel.xlsx, blad Export 2026, rij 4)" in out
    assert main(["berichten", "quarantaine", "--opslag", str(store)]) == 0
    assert f"  {path}, blad Export 2026, rij 4  € 350,00" in capsys.readouterr().out.splitlines()
    assert main(["berichten", "quarantaine", "--opslag", str(store), "--json"]) == 0
    record, = json.loads(capsys.readouterr().out)
    assert (record["bestand"], record["blad"], record["regel"]) == (str(path), "Export 2026", 4)
    records, groups = job.quarantaine(store)
    assert job.quarantine_table(groups, store)[0][2] == "titel.xlsx, blad Export 2026, rij 4"


def test_a_store_written_before_the_sheet_column_still_shows_its_quarantine(tmp_path, capsys):
    """A store of an older Grip, opened read-only, has no imports.sheet: no sheet, no error."""
    import duckdb

    path, store = _export(tmp_path / "in"), tmp_path / "s.duckdb"
    assert main(["berichten", "inlezen", str(path), "--opslag", str(store), "--stil"]) == 0
    con = duckdb.connect(str(store))
    con.execute("ALTER TABLE imports DROP COLUMN sheet")
    con.execute("ALTER TABLE quarantine DROP COLUMN municipality")     # nor the gemeente
    con.close()
    capsys.readouterr()
    assert main(["berichten", "quarantaine", "--opslag", str(store)]) == 0
    assert f"  {path}:5  € 350,00" in capsys.readouterr().out.splitlines()
    assert main(["berichten", "quarantaine", "--opslag", str(store), "--json"]) == 0
    assert {r["gemeente"] for r in json.loads(capsys.readouterr().out)} == {None}
    assert main(["prognose", "--opslag", str(store)]) in (0, 2)     # read, not a Binder Error
    assert "Binder" not in capsys.readouterr().err
