"""The built add-in: xlwings' template, our ribbon and settings in, its VBA untouched;
the .bas files beside it as the VBA editor imports them."""

import xml.etree.ElementTree as ET
import zipfile

import pytest

from addin import ribbon, vba
from grip.cli import main
from grip.jobs import addin_build
from grip.jobs.addin_build import build_addin, template_path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_addin(tmp_path_factory.mktemp("addin"))


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_ribbon_xml_is_in_and_the_relationship_points_at_it(built):
    files = parts(built.addin)
    assert files["customUI/customUI14.xml"].decode() == ribbon.customui_xml()
    assert "customUI/customUI.xml" not in files
    rels = ET.fromstring(files["_rels/.rels"])
    ui = [r for r in rels if r.get("Type").endswith("/ui/extensibility")]
    assert [(r.get("Type"), r.get("Target")) for r in ui] == \
        [(addin_build.UI_REL_TYPE, "customUI/customUI14.xml")]
    assert files["customUI/customUI14.xml"] == parts(built.addin)[ui[0].get("Target")]


def test_settings_sheet_points_excel_at_our_udf_module(built):
    files = parts(built.addin)
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    sheets = ET.fromstring(files["xl/workbook.xml"]).findall("m:sheets/m:sheet", ns)
    assert [s.get("name") for s in sheets] == ["myaddin.conf"]

    def value(c):
        return bool(int(c.find("m:v", ns).text)) if c.get("t") == "b" else \
            (c.find("m:is/m:t", ns).text or "")

    sheet = ET.fromstring(files["xl/worksheets/sheet1.xml"])
    rows = {}
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        key, val = row.findall("m:c", ns)
        assert key.get("r").startswith("A") and val.get("r").startswith("B")
        rows[value(key)] = value(val)
    assert rows["UDF Modules"] == "addin.udfs"
    assert rows["Interpreter_Win"] == addin_build.DEFAULT_PYTHON_WIN
    assert rows["Show Console"] is False
    # xlwings reads keys from A1 down to the first empty cell: no gaps
    assert list(rows) == [k for k, _ in addin_build.settings()]


def test_vba_project_is_the_templates_and_has_the_callback_ribbon_xml_names(built):
    """The VBA is xlwings' own (byte for byte); olevba reads it back: the template callback
    that one button uses is there, and RunPython, which GripRibbon.bas calls, too."""
    from oletools.olevba import VBA_Parser

    files = parts(built.addin)
    assert files["xl/vbaProject.bin"] == parts(template_path())["xl/vbaProject.bin"]
    parser = VBA_Parser(str(built.addin))
    try:
        modules = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()
    module, sub = ribbon.TEMPLATE_CALLBACK.split(".")
    assert f"Sub {sub}(control As IRibbonControl)" in modules[module]
    assert '".main()"' in modules[module]  # RunMain runs <add-in name>.main(): grip.main()
    assert "Public Function RunPython(" in modules["xlwings"]
    assert 'PROJECT_NAME As String = "myaddin"' in modules["xlwings"]


def test_bas_files_are_cp1252_with_crlf(built):
    for path in (built.ribbon_module, built.udf_module):
        raw = path.read_bytes()
        assert raw.count(b"\n") == raw.count(b"\r\n") > 3
        raw.decode("cp1252")  # strict
    ribbon_text = built.ribbon_module.read_bytes().decode("cp1252")
    module, sub = ribbon.CALLBACK.split(".")
    assert ribbon_text.startswith(f'Attribute VB_Name = "{module}"\r\n')
    assert f"Sub {sub}(control As IRibbonControl)\r\n" in ribbon_text
    assert ("RunPython \"import grip.buttons; grip.buttons.run_from_excel('\" & control.Id "
            "& \"')\"") in ribbon_text
    assert "Eén callback" in ribbon_text  # é survived in cp1252


def test_udf_module_is_the_contract_rendering(built):
    text = built.udf_module.read_bytes().decode("cp1252").replace("\r\n", "\n")
    assert text == vba.render_udf_module(vba.UDF_MODULE, "grip.xlam").translate(
        vba._CP1252_FALLBACK)
    assert text.startswith('Attribute VB_Name = "xlwings_udfs"')
    assert "ActiveWorkbook" in text  # wrappers in an add-in call with the active workbook


def test_build_is_deterministic(tmp_path):
    a = build_addin(tmp_path / "a").addin.read_bytes()
    b = build_addin(tmp_path / "b").addin.read_bytes()
    assert a == b


def test_command_line(tmp_path, capsys):
    assert main(["addin", "bouw", "--uit", str(tmp_path), "--python", r"C:\Py\pythonw.exe"]) == 0
    assert "grip.xlam" in capsys.readouterr().out
    assert b"C:\\Py\\pythonw.exe" in parts(tmp_path / "grip.xlam")["xl/worksheets/sheet1.xml"]


def test_settings_text_is_escaped():
    xml = addin_build.settings_sheet_xml([("PYTHONPATH", "a<b&c")])
    assert ET.fromstring(xml) is not None and b"a&lt;b&amp;c" in xml
