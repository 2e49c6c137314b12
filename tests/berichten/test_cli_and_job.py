"""`grip berichten inlezen/overzicht` and the ribbon job `run_button`."""

import json

import pytest

from calc.errors import InputError
from grip.jobs import DEFAULT_STORE_NAME
from grip.cli import main
from grip.jobs import berichten as job
from workbooks import layout


def test_inlezen_then_overzicht_json(msg, store_path, capsys):
    """The JSON has berichten per code, declaratieregels, gedeclareerd_euro and quarantaine."""
    assert main(["berichten", "inlezen", "--opslag", str(store_path), "--stil",
                 str(msg.EXAMPLES)]) == 0
    out = capsys.readouterr().out
    assert "Records: 24 gelezen = 22 opgenomen + 2 in quarantaine" in out
    assert main(["berichten", "overzicht", "--opslag", str(store_path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["declaratieregels"] == 5 and figures["gedeclareerd_euro"] == 790.0
    assert figures["quarantaine"] == 2 and figures["berichten"]["JW301"] == 1
    assert main(["berichten", "overzicht", "--opslag", str(store_path)]) == 0
    out = capsys.readouterr().out
    assert "Gedeclareerd (debet min credit): € 790" in out
    assert "per gemeente" not in out            # one municipality


def test_overzicht_names_each_municipality_of_a_region_store(tmp_path, capsys):
    """Claims of two municipalities: the overview lists each code with its lines and euros
    (one municipality: no such lines)."""
    head = ("Gemeente;AGB-code;BSN;Referentienummer;Productcategorie;Productcode;Productperiode;"
            "Declaratieperiode;Geleverd volume;Eenheid;Tarief;Bedrag;Debet/credit\n")
    line = "{};87654321;999990019;{};45;45A48;01-01-2025;28-01-2025;4;uur;85,50;342,00;D\n"
    csv = tmp_path / "regio.csv"
    csv.write_text(head + line.format("0363", "R1") + line.format("0363", "R2")
                   + line.format("0344", "R3"), encoding="utf-8")
    store = str(tmp_path / "s.duckdb")
    assert main(["berichten", "inlezen", "--opslag", store, "--stil", str(csv)]) == 0
    capsys.readouterr()
    assert main(["berichten", "overzicht", "--opslag", store, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["gemeenten"] == {"0363": {"declaratieregels": 2, "gedeclareerd_euro": 684.0},
                                    "0344": {"declaratieregels": 1, "gedeclareerd_euro": 342.0}}
    assert main(["berichten", "overzicht", "--opslag", store]) == 0
    out = capsys.readouterr().out
    assert "Declaraties per gemeente" in out and "  0363: 2 regels, € 684" in out


def test_overzicht_of_a_missing_store_is_a_dutch_error(tmp_path, capsys):
    """A store that does not exist: exit code 2 and a Dutch message, no file created."""
    assert main(["berichten", "overzicht", "--opslag", str(tmp_path / "nee.duckdb")]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert not (tmp_path / "nee.duckdb").exists()


def test_run_button_reads_the_named_ranges_and_returns_the_summary(msg, tmp_path):
    """The ribbon job imports grip_berichtenmap into grip_opslag and fills grip_uit_import."""
    store = tmp_path / "st.duckdb"
    out = job.run_button({layout.NAME_STORE_PATH: [[str(store)]],
                          layout.NAME_MESSAGES_PATH: [[str(msg.EXAMPLES)]]})
    table = out[layout.NAME_OUT_IMPORT]
    assert (len(table), len(table[0])) == job.SUMMARY_SHAPE
    summary = dict(table)
    assert summary["Records gelezen"] == 24 and summary["Records in quarantaine"] == 2
    assert set(out) == set(job.OUTPUT_NAMES)
    out2 = job.run_button({layout.NAME_STORE_PATH: [[None]],
                           layout.NAME_MESSAGES_PATH: [[str(msg.EXAMPLES)]]},
                          folder=tmp_path)
    assert dict(out2[layout.NAME_OUT_IMPORT])["Ingelezen"] == 12
    assert (tmp_path / DEFAULT_STORE_NAME).exists()
    with pytest.raises(InputError, match="grip_berichtenmap"):
        job.run_button({layout.NAME_STORE_PATH: [[str(store)]]})


def test_synthetisch_writes_the_municipality_and_it_imports(tmp_path, capsys):
    """`grip berichten synthetisch` writes messages whose summary the import reconciles with."""
    folder = tmp_path / "voorbeeld"
    assert main(["berichten", "synthetisch", "--uit", str(folder), "--schaal", "0.01",
                 "--seed", "7", "--zonder-retour"]) == 0
    out = capsys.readouterr().out
    assert "Gemeente Voorbeeld" in out and "Declaratieregels" in out
    truth = json.loads((folder / "samenvatting.json").read_text(encoding="utf-8"))
    store = tmp_path / "opslag.duckdb"
    assert main(["berichten", "inlezen", "--opslag", str(store), "--stil", str(folder)]) == 0
    capsys.readouterr()
    assert main(["berichten", "overzicht", "--opslag", str(store), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["declaratieregels"] == truth["declaratieregels"]
    assert figures["gedeclareerd_euro"] == pytest.approx(truth["gedeclareerd_euro"], abs=0.005)
    assert figures["quarantaine"] == 0
    # a folder that already holds messages is refused in Dutch, nothing overwritten
    assert main(["berichten", "synthetisch", "--uit", str(folder), "--schaal", "0.01"]) == 2
    assert capsys.readouterr().err.startswith("Fout")
