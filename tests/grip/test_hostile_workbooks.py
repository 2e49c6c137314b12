"""Workbooks from outside are untrusted (issue 16): every `grip werkmap` command that opens one
checks the archive first, follows no external reference, turns a broken part into a Dutch
refusal and never writes macros into an .xlsx."""

import re
import zipfile

import pytest
from openpyxl import Workbook

from grip.cli import main
from berichten import archive
from workbooks import safety
from workbooks.files import save

COMMANDS = [
    ["werkmap", "herbereken", "{pad}", "--uit", "{uit}"],
    ["werkmap", "waarden", "{pad}", "--uit", "{uit}"],
    ["werkmap", "controleren", "{pad}"],
    ["werkmap", "bijwerken", "{pad}"],
]
IDS = ["herbereken", "waarden", "controleren", "bijwerken"]


def run(command, path, tmp_path, capsys):
    out = tmp_path / "uit.xlsx"
    code = main([a.format(pad=path, uit=out) for a in command])
    captured = capsys.readouterr()
    return code, captured.out + captured.err, out


def _secret(tmp_path):
    wb = Workbook()
    wb.active.title = "Blad1"
    wb.active["A1"] = "GEHEIM-7731"
    return save(wb, tmp_path / "geheim.xlsx")


def _with_formula(tmp_path, formula, name="extern.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws["A1"] = 1
    ws["B2"] = formula
    return save(wb, tmp_path / name)


@pytest.mark.parametrize("command", COMMANDS[:3], ids=IDS[:3])
def test_an_external_reference_is_never_followed(tmp_path, capsys, command):
    """`='[/pad/geheim.xlsx]Blad1'!A1`: refused naming the cell; the secret is in no output."""
    secret = _secret(tmp_path)
    path = _with_formula(tmp_path, f"='[{secret}]Blad1'!A1")
    code, text, out = run(command, path, tmp_path, capsys)
    assert code == 2 and "Blad1!B2" in text and "andere werkmap" in text
    assert "Traceback" not in text and "GEHEIM" not in text
    assert not out.exists()


@pytest.mark.parametrize("formula", [
    r"='\\server\share\[x.xlsx]Blad1'!A1",
    "=[1]Blad1!A1*2",
    "=SUM('C:\\pad\\[bom.xlsx]Blad1'!A1:A9)",
])
def test_unc_paths_and_linked_books_are_refused_by_the_engine(tmp_path, formula):
    """A network path or a numbered link is refused before the engine could reach it."""
    from calc.errors import InputError
    from workbooks.recalc import recalculate

    with pytest.raises(InputError, match=r"Blad1!B2.*geen externe verwijzingen"):
        recalculate(_with_formula(tmp_path, formula))


def _replace_part(source, target, part, data):
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == part else src.read(info))
        if part not in src.namelist():
            dst.writestr(part, data)
    return target


BOMB_SHEET = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row>'
              b'</sheetData></worksheet>')


@pytest.fixture
def plain(tmp_path):
    return _with_formula(tmp_path, "=A1*2", "gewoon.xlsx")


def _hostile(kind, plain, tmp_path):
    if kind == "kapotte-xml":
        return _replace_part(plain, tmp_path / "h.xlsx", "xl/worksheets/sheet1.xml",
                             b"<worksheet><sheetData><row><c r='A1'><v>1</v></row>")
    if kind == "kapotte-xml-diep":  # well-formed for the first 200 KB: the prolog scan passes
        rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r)
                        for r in range(1, 6000))
        return _replace_part(plain, tmp_path / "h.xlsx", "xl/worksheets/sheet1.xml",
                             b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                             b'spreadsheetml/2006/main"><sheetData>' + rows + b"<row><c>")
    if kind == "entiteitenbom":
        return _replace_part(plain, tmp_path / "h.xlsx", "xl/worksheets/sheet1.xml", BOMB_SHEET)
    if kind == "kapotte-workbook-xml":
        return _replace_part(plain, tmp_path / "h.xlsx", "xl/workbook.xml", b"<workbook")
    if kind == "geen-zip":
        (tmp_path / "h.xlsx").write_bytes(b"dit is tekst, geen werkmap")
    elif kind == "lege-zip":
        zipfile.ZipFile(tmp_path / "h.xlsx", "w").close()
    elif kind == "afgebroken-zip":
        (tmp_path / "h.xlsx").write_bytes(plain.read_bytes()[:2000])
    return tmp_path / "h.xlsx"


HOSTILE = {
    "kapotte-xml": "geen geldige XML|beschadigd",
    "kapotte-xml-diep": "beschadigd of onvolledig",
    "entiteitenbom": "DOCTYPE",
    "kapotte-workbook-xml": "geen geldige XML",
    "geen-zip": "geen Excel-werkmap",
    "lege-zip": "geen Excel-werkmap",
    "afgebroken-zip": "geen Excel-werkmap",
}


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_broken_workbook_is_a_dutch_refusal_in_every_command(tmp_path, capsys, plain,
                                                               command, kind):
    """Malformed sheet XML, an entity bomb, a non-zip, an empty or cut zip: exit 2, Dutch."""
    path = _hostile(kind, plain, tmp_path)
    code, text, out = run(command, path, tmp_path, capsys)
    assert code == 2, text
    assert re.search(HOSTILE[kind], text) and "h.xlsx" in text
    assert "Traceback" not in text and not out.exists()


def test_limits_on_cells_and_formulas_are_checked_before_parsing(tmp_path, monkeypatch, plain):
    """Counting happens on the zip stream, so a workbook that would exhaust memory is refused
    before openpyxl or the engine builds anything."""
    from calc.errors import InputError
    from workbooks.recalc import recalculate

    monkeypatch.setattr(archive, "MAX_CELLS", 1)
    with pytest.raises(InputError, match="meer dan 1 cellen"):
        safety.open_workbook(plain)
    monkeypatch.setattr(archive, "MAX_CELLS", 10)
    monkeypatch.setattr(archive, "MAX_FORMULAS", 0)
    with pytest.raises(InputError, match="1 formulecellen, meer dan de grens van 0"):
        recalculate(plain)


def test_many_small_cells_are_refused_quickly(tmp_path):
    """2,1 million cells in a few MB: refused by the count before openpyxl builds any."""
    rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="A%d"><v>1</v></c>' % r for _ in range(7))
                    + b"</row>" for r in range(1, 300_001))
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>" + rows + b"</sheetData></worksheet>")
    plain = _with_formula(tmp_path, "=A1", "basis.xlsx")
    path = _replace_part(plain, tmp_path / "groot.xlsx", "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(Exception, match="cellen") as info:
        safety.open_workbook(path)
    assert "InputError" in type(info.value).__name__


def test_an_xlsm_recalculated_to_xlsx_carries_no_macros(tmp_path, capsys):
    """`herbereken` and `waarden` of an .xlsm write an .xlsx without vbaProject.bin."""
    plain = _with_formula(tmp_path, "=A1*2", "basis.xlsx")
    xlsm = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(xlsm, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType='
                                    b'"application/vnd.ms-office.vbaProject"/></Types>')
            dst.writestr(info.filename, data)
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 nep-macro")
    for command in (COMMANDS[0], COMMANDS[1]):
        code, text, out = run(command, xlsm, tmp_path, capsys)
        assert code == 0, text
        names = zipfile.ZipFile(out).namelist()
        assert not any("vba" in n.lower() for n in names)
        assert b"macroEnabled" not in zipfile.ZipFile(out).read("[Content_Types].xml")
        out.unlink()


def test_controleren_lists_an_external_reference_saved_by_excel(tmp_path, capsys):
    """A workbook with Excel's saved results is not recalculated; the external reference is
    still listed with its cell, and nothing of the other file is read."""
    secret = _secret(tmp_path)
    built = _with_formula(tmp_path, f"='[{secret}]Blad1'!A1", "met_waarden_bron.xlsx")
    saved = tmp_path / "met_waarden.xlsx"
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v></v>", b"<v>5</v>")  # as Excel keeps its last result
            dst.writestr(info.filename, data)
    code, text, _ = run(COMMANDS[2], saved, tmp_path, capsys)
    assert code == 1 and "Blad1!B2  externe verwijzing" in text and "GEHEIM" not in text
