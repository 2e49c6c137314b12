"""The command line: grip demo prints a Dutch summary; argparse speaks Dutch too."""

import pytest

from grip.cli import main


def test_demo_prints_a_dutch_summary_from_the_recalculated_workbook(tmp_path, capsys):
    """`grip demo` writes both workbooks and summarises the computed effects."""
    assert main(["demo", "--uit", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Gemeente Voorbeeld" in out and "0 foutmeldingen" in out
    assert "totaaleffect € -83.267" in out
    assert "Scenario's: totaaleffect van de maatregelen" in out and "Gemeente Buurgemeente" in out
    assert (tmp_path / "begrotingsmodel_gemeente_voorbeeld.xlsx").exists()
    assert (tmp_path / "begrotingsmodel_gemeente_voorbeeld_waarden.xlsx").exists()


def test_usage_errors_are_dutch(capsys):
    """A missing argument is reported in Dutch."""
    with pytest.raises(SystemExit):
        main(["werkmap", "herbereken"])
    err = capsys.readouterr().err
    assert "gebruik:" in err and "deze argumenten ontbreken" in err


def test_werkmap_herbereken_reports_cells(tmp_path, capsys):
    """`grip werkmap bouw` then `herbereken` recalculates without errors."""
    path = tmp_path / "model.xlsx"
    assert main(["werkmap", "bouw", "--uit", str(path)]) == 0
    assert main(["werkmap", "herbereken", str(path), "--uit", str(tmp_path / "w.xlsx")]) == 0
    assert "0 foutmeldingen" in capsys.readouterr().out
