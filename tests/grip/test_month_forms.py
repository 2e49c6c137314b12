"""One month reader for the three ways a month comes in: the CLI's --peilmaand and
--instroom-wijziging, the Prognose sheet's cell B3 and the dates of a flat export."""

import datetime as dt

import pandas as pd
import pytest

from berichten.importer import import_paths
from berichten.store import Store
from grip.cli import main
from grip.commands import instroom_wijziging, peilmaand
from grip.jobs.prognose import inflow_month

FORMS = ["2025-07", "07-2025", "jul 2025", "juli 2025", "jul-25", "1-7-2025", "20250701",
         "2025-07-15"]
JULY = pd.Timestamp("2025-07-01")


@pytest.mark.parametrize("text", FORMS)
def test_the_cli_and_the_sheet_read_the_same_months(text):
    """--peilmaand, --instroom-wijziging and Prognose!B3 take the same forms."""
    assert peilmaand(text) == JULY
    assert instroom_wijziging(f"{text}:-20%") == (JULY, pytest.approx(-0.2))
    assert inflow_month(text, "Prognose!B3") == JULY


def test_the_sheet_takes_an_excel_date_cell_as_a_number():
    """xlwings Lite hands a date cell over as Excel's day number."""
    assert inflow_month(45853.0, "Prognose!B3") == JULY
    assert inflow_month(dt.datetime(2025, 7, 15), "Prognose!B3") == JULY


@pytest.mark.parametrize("text, words", [
    ("juli", "'juli' is geen maand: typ bijvoorbeeld 2025-07, 07-2025 of juli 2025"),
    ("1999-12", "12-1999 ligt buiten de jaren 2000–2100"),
])
def test_a_bad_peilmaand_is_refused_in_dutch_on_the_command_line(text, words, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["prognose", "--opslag", str(tmp_path / "s.duckdb"), "--peilmaand", text])
    assert exit_.value.code == 2
    assert words in capsys.readouterr().err


def test_an_export_reads_the_months_a_controller_types(tmp_path):
    """Productperiode and Declaratieperiode as 07-2025, jul 2025, juli 2025 (a controller's own
    export from Excel): the same months as the CLI reads."""
    head = ("Gemeente;AGB-code;BSN;Referentienummer;Productcategorie;Productcode;"
            "Productperiode;Declaratieperiode;Volume;Eenheid;Tarief;Bedrag;Debet/credit")
    lines = [f"0384;65656055;999990019;R{k};45;45A03;{month};08-2025;2;04;10,00;20,00;D"
             for k, month in enumerate(["07-2025", "jul 2025", "juli 2025", "2025-07"])]
    path = tmp_path / "export.csv"
    path.write_text("\n".join([head, *lines]) + "\n", encoding="utf-8")
    report = import_paths(tmp_path / "s.duckdb", [path])
    assert (report.read, report.accepted, report.quarantined) == (4, 4, 0)
    with Store(tmp_path / "s.duckdb") as store:
        claims = store.claim_lines()
    assert set(pd.to_datetime(claims["service_month"])) == {JULY}
    assert set(pd.to_datetime(claims["claim_month"])) == {pd.Timestamp("2025-08-01")}
