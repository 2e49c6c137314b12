"""The command line: grip demo prints a Dutch summary; argparse speaks Dutch too."""

import pytest

from grip.cli import main


def test_demo_prints_a_dutch_summary_from_the_recalculated_workbook(tmp_path, capsys, monkeypatch,
                                                                    demo):
    """`grip demo` writes both workbooks and summarises the computed effects.

    The command runs as typed, with the session's demo run (the same ``run_demo`` at the same
    scale) in place of a second one: the suite builds and recalculates the demo once.
    """
    import grip.commands.demo as command

    calls = []
    monkeypatch.setattr(command, "run_demo",
                        lambda out, scale: calls.append((out, scale)) or demo)
    assert main(["demo", "--uit", str(tmp_path), "--schaal", "0.05"]) == 0
    assert calls == [(tmp_path, 0.05)]  # the scale of the session's demo (tests/conftest.py)
    tmp_path = demo.workbook.parent
    out = capsys.readouterr().out
    assert "Gemeente Voorbeeld" in out and "0 foutmeldingen" in out
    assert "totaaleffect € -83.267" in out
    assert "Scenario's: totaaleffect van de maatregelen" in out and "Gemeente Buurgemeente" in out
    for part in ("Berichtenverkeer Gemeente Voorbeeld", "in quarantaine: 0",
                 "Prognose jaareinde 2025", "kans sluitend", "Gripniveau: "):
        assert part in out
    assert (tmp_path / "begrotingsmodel_gemeente_voorbeeld.xlsx").exists()
    assert (tmp_path / "begrotingsmodel_gemeente_voorbeeld_waarden.xlsx").exists()


def test_usage_errors_are_dutch(capsys):
    """A missing argument is reported in Dutch."""
    with pytest.raises(SystemExit):
        main(["werkmap", "herbereken"])
    err = capsys.readouterr().err
    assert "gebruik:" in err and "deze argumenten ontbreken" in err


@pytest.mark.parametrize("argv, choice, what", [
    ([], "demo", "grip: kies een van de opdrachten hierboven (bijvoorbeeld: grip demo)."),
    (["werkmap"], "controleren", "grip werkmap: kies een van de acties hierboven."),
])
def test_without_a_command_the_commands_are_shown(argv, choice, what, capsys):
    """A new user's first call, `grip`, listed nothing ('deze argumenten ontbreken: OPDRACHT'):
    it shows the commands, each with its line, and exits with 2."""
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and choice in err and err.rstrip().endswith(what)


def test_werkmap_herbereken_reports_cells(tmp_path, capsys):
    """`grip werkmap bouw` then `herbereken` recalculates without errors."""
    path = tmp_path / "model.xlsx"
    assert main(["werkmap", "bouw", "--uit", str(path)]) == 0
    assert main(["werkmap", "herbereken", str(path), "--uit", str(tmp_path / "w.xlsx")]) == 0
    assert "0 foutmeldingen" in capsys.readouterr().out


def test_scenario_command_runs_a_measure_file(tmp_path, capsys):
    """`grip scenario` runs every scenario of a measure file and writes the long table."""
    from calc.cross_effects import Measure, Scenario, save_scenarios

    m = Measure(name="Meer schuldhulp", theme="Schuldhulpverlening", low=1e5, mode=1e5, high=1e5,
                start_year=2027)
    path = save_scenarios([Scenario(name="Investeren", measures=(m,))], tmp_path / "m.csv")
    out_csv = tmp_path / "uit.csv"
    assert main(["scenario", str(path), "--jaren", "3", "--trekkingen", "200", "--uit", str(out_csv)]) == 0
    out = capsys.readouterr().out
    assert "Scenario Investeren (1 maatregelen aan)" in out and "€ 100.000" in out
    assert out_csv.read_text(encoding="utf-8").splitlines()[0] == \
        "scenario;thema;jaar;direct;indirect;totaal;p10;p50;p90"


def test_scenario_command_reports_a_bad_line_in_dutch(tmp_path, capsys):
    """A measure on an unknown theme is reported with file, line and column; exit code 2."""
    path = tmp_path / "m.csv"
    path.write_text("aan;maatregel;thema;soort;laag;verwacht;hoog;startjaar;aanloopjaren;structureel;scenarios\n"
                    "ja;x;Sport;euro;1;1;1;2027;0;ja;\n", encoding="utf-8")
    assert main(["scenario", str(path)]) == 2
    assert "m.csv, regel 2, kolom thema: onbekend thema 'Sport'" in capsys.readouterr().err


def test_a_reader_that_stops_early_gets_no_error_message():
    """`grip begroting | head -1`: the pipe closes before the command has written; that is no
    fault of the command, and printed 'Fout: ... (systeemfout 32)' twice."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-m", "grip.cli", "begroting"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()                       # the reader is gone before the first line
    err = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=60) == 1
    assert err == ""


def test_a_measure_file_saved_by_dutch_excel_reads_as_written(tmp_path, capsys):
    """Excel on Windows saves a CSV in Windows-1252 and writes a currency cell as shown:
    'grip scenario' failed with 'onverwachte fout (UnicodeDecodeError)' on the euro sign, and
    '€ 80.000' would have been 80 euro (read as a decimal point, as '120.000' was 120). A
    file with a bad line lists every problem of it, not only the first."""
    head = "aan;maatregel;thema;soort;laag;verwacht;hoog;startjaar;aanloopjaren;structureel;scenarios"
    path = tmp_path / "maatregelen.csv"
    path.write_bytes("\n".join([
        head, "ja;Meer schuldhulp;Schuldhulpverlening;euro;€ 80.000;€ 100.000,00;€ 120.000;2027;"
              "0;ja;Investeren", ""]).encode("cp1252"))
    assert main(["scenario", str(path), "--jaren", "1", "--trekkingen", "200"]) == 0
    out = capsys.readouterr().out
    assert "  2027       € 100.000           € 0     € 100.000" in out
    path.write_bytes("\n".join([head, ";Totaal;;;;;;;;;", ""]).encode("cp1252"))
    assert main(["scenario", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("Fout: maatregelen.csv, regel 2, kolom thema: het thema van de "
                             "maatregel ontbreekt (en nog ")
    assert "  ook: maatregelen.csv, regel 2, kolom verwacht: de cel is leeg" in err
