"""The provider register: read with the column mapping (CSV or xlsx), nothing lost, and the
sheet's rows checked with located Dutch messages."""

import pytest
from openpyxl import Workbook

from berichten.register import read_register, register_from_rows
from calc.errors import InputError


def test_csv_register_with_other_headers_and_a_lost_leading_zero(tmp_path):
    """Headers in another spelling are found through kolommen.toml; a code Excel shortened
    regains its 8 digits; bad rows are kept with line and reason: read = names + repeated +
    rejected."""
    path = tmp_path / "register.csv"
    path.write_text("agb code;Naam aanbieder;Plaats\n"
                    "98010001;Zorggroep De Linde;Ommen\n"
                    "1234567;Jeugdhulp Noord;Hardenberg\n"
                    "98010001;Zorggroep De Linde;Ommen\n"
                    "98010001;Andere Naam BV;Ommen\n"
                    ";Zonder Code;Ommen\n"
                    "98010003;;Ommen\n", encoding="cp1252")
    reg = read_register(path)
    assert reg.names == {"98010001": "Zorggroep De Linde", "01234567": "Jeugdhulp Noord"}
    assert reg.repeated == 1 and [line for line, _ in reg.rejected] == [5, 6, 7]
    assert "Zorggroep De Linde" in reg.rejected[0][1] and "ontbreekt" in reg.rejected[1][1]
    assert reg.read == len(reg.names) + reg.repeated + len(reg.rejected)


def test_codes_written_in_groups_are_read_and_no_code_is_refused_by_line(tmp_path):
    """'9801 0001' and '98.01.00.02' are AGB codes written in groups; 'ABC' and a nine-digit
    number are none: refused with their line (before, they were kept as names of codes no
    message carries, and the provider stayed nameless without a word)."""
    path = tmp_path / "register.csv"
    path.write_text("AGB-code;Naam\n9801 0001;Een\n98.01.00.02;Twee\nABC;Drie\n"
                    "123456789;Vier\n", encoding="utf-8")
    register = read_register(path)
    assert register.names == {"98010001": "Een", "98010002": "Twee"}
    assert register.rejected == [
        (4, "'ABC' is geen AGB-code (8 cijfers); 'Drie' is niet overgenomen"),
        (5, "'123456789' is geen AGB-code (8 cijfers); 'Vier' is niet overgenomen")]
    assert register.read == len(register.names) + register.repeated + len(register.rejected)


def test_xlsx_register(tmp_path):
    """An xlsx export: the first sheet, numbers as codes."""
    wb = Workbook()
    wb.active.append(["AGB-code", "Naam"])
    wb.active.append([98010001, "Zorggroep De Linde"])
    wb.save(tmp_path / "r.xlsx")
    assert read_register(tmp_path / "r.xlsx").names == {"98010001": "Zorggroep De Linde"}


def test_a_file_without_the_columns_is_refused_in_dutch(tmp_path):
    """The message names the file and the headers it looked for."""
    path = tmp_path / "r.csv"
    path.write_text("code;omschrijving\n1;x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"r\.csv: geen aanbiedersregister.*AGB-code"):
        read_register(path)


def test_sheet_rows_refuse_half_rows_with_their_place():
    """The Namen sheet: empty rows skipped, a code without a name refused with its row."""
    rows = [["98010001", "Zorggroep De Linde"], [None, None], [98010002.0, None]]
    with pytest.raises(InputError) as err:
        register_from_rows(rows, argument="grip_aanbiedersregister")
    assert err.value.argument == "grip_aanbiedersregister" and err.value.row == 2
    assert register_from_rows(rows[:2], argument="x") == {"98010001": "Zorggroep De Linde"}


def test_prognose_command_reads_the_register(tmp_path, capsys, monkeypatch):
    """grip prognose --aanbieders: the names reach the summary, the counts are printed."""
    from berichten.synth_catalog import provider_register
    from grip.cli import main
    from grip.jobs import prognose
    from tests.grip.test_prognose_job import FakeStore

    register = tmp_path / "aanbieders.csv"
    register.write_text("AGB-code;Naam\n" + "".join(
        f"{code};{name}\n" for code, name in provider_register().items()), encoding="utf-8")
    real = prognose.run_prognose
    monkeypatch.setattr("grip.commands.prognose.run_prognose",
                        lambda *a, **k: real(*a, open_store=FakeStore, **k))
    assert main(["prognose", "--opslag", str(tmp_path / "s.duckdb"), "--aanbieders",
                 str(register)]) == 0
    out = capsys.readouterr().out
    assert f"{len(provider_register())} namen, 0 herhaald, 0 geweigerd" in out
    assert "Jeugdhulp begeleiding" in out
