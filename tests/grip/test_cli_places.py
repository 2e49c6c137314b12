"""Wrong clicks on the command line: calc's refusal names the option that was typed, in
Dutch, never a Python argument name or an unexpected error."""

import pytest

from berichten.importer import import_paths
from grip.cli import main

MEASURES = ("aan;maatregel;thema;soort;laag;verwacht;hoog;startjaar;aanloopjaren;structureel;"
            "scenarios\nja;Schuldhulp eerder;Bijstand;euro;1;2;3;2027;0;ja;A\n")
CLAIMS = ("Gemeente;AGB-code;BSN;Referentienummer;Productcategorie;Productcode;Productperiode;"
          "Declaratieperiode;Volume;Eenheid;Tarief;Bedrag;Debet/credit\n"
          "0384;65656055;999990019;R1;45;45A03;2025-06;2025-07;2;04;10,00;20,00;D\n")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "m.csv").write_text(MEASURES, encoding="utf-8")
    (tmp_path / "d.csv").write_text(CLAIMS, encoding="utf-8")
    import_paths(tmp_path / "s.duckdb", [tmp_path / "d.csv"])
    return tmp_path


@pytest.mark.parametrize("argv, words", [
    (["scenario", "{m}", "--trekkingen", "0"],
     "--trekkingen: het aantal trekkingen moet een geheel getal van 2 tot en met 100.000 zijn, "
     "maar is 0"),
    (["scenario", "{m}", "--trekkingen", "10000000000"], "--trekkingen: het aantal trekkingen"),
    (["scenario", "{m}", "--trekkingen", "50000"],
     "--trekkingen: 50.000 trekkingen over 10 jaar is meer dan de grens"),
    (["scenario", "{m}", "--jaren", "0"], "--jaren: het aantal jaren moet"),
    (["gripniveau", "meten", "--opslag", "{s}", "--startdagen", "-3"],
     "--startdagen: de termijn voor het startbericht"),
    (["gripniveau", "meten", "--opslag", "{s}", "--grootboek", "-5"], "--grootboek: het totaal"),
    (["prognose", "--opslag", "{s}", "--peilmaand", "2025-09"],
     "--peilmaand: 09-2025 ligt na de laatste declaratiemaand"),
])
def test_a_refusal_names_the_option(files, capsys, argv, words):
    argv = [a.format(m=files / "m.csv", s=files / "s.duckdb") for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"Fout: {words}" in err
    assert "onverwachte fout" not in err and "_" not in err.split(":")[1]


def test_a_share_is_a_fraction_or_a_percentage(files, capsys):
    """--prognosefout 6 would have been 600% ('ernstig') without a word; now 6% or 0,06."""
    store = str(files / "s.duckdb")
    with pytest.raises(SystemExit) as exit_:
        main(["gripniveau", "meten", "--opslag", store, "--prognosefout", "6"])
    assert exit_.value.code == 2
    assert "--prognosefout: 6 is 600%; typ een fractie van 0 tot en met 1 of een percentage" \
        in capsys.readouterr().err
    for typed in ("6%", "0,06", "0.06"):
        assert main(["gripniveau", "meten", "--opslag", store, "--prognosefout", typed]) == 0
        assert "Prognosefout vorig jaar" in (out := capsys.readouterr().out) and "6,0%" in out


def test_an_amount_is_read_as_a_controller_types_it(files, capsys):
    store = str(files / "s.duckdb")
    assert main(["gripniveau", "meten", "--opslag", store, "--grootboek", "€ 2.000,00"]) == 0
    # € 20 of claims against € 2.000 in the ledger: 99% outside the messages
    assert "99,0%" in capsys.readouterr().out
