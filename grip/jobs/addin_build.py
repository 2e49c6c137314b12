"""``grip addin bouw``: the add-in file ``grip.xlam`` and the VBA modules beside it.

The add-in is xlwings' own ribbon add-in template (the file ``xlwings quickstart --addin
--ribbon`` copies) with, as the last step, our parts put in by zip manipulation:

* ``customUI/customUI14.xml`` from ``addin.ribbon`` (the template's ``customUI.xml`` and its
  relationship are replaced);
* the settings sheet ``myaddin.conf`` (the template ships it disabled as ``_myaddin.conf``;
  its VBA reads the sheet named after its project, ``myaddin``), with ``UDF Modules =
  addin.udfs`` and the Python interpreter;
* ``xl/vbaProject.bin`` is the template's, byte for byte: VBA cannot be written reliably
  without Excel. Beside the add-in go ``GripRibbon.bas`` (the one ribbon callback) and
  ``xlwings_udfs.bas`` (the UDF wrappers, the same generator as the contract test), for a
  one-time import on Windows.

The add-in file is named ``grip.xlam``: the template's own callback ``RunMain`` then runs
``import grip; grip.main()``, which is the button "Werkmap controleren".
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from addin import ribbon, vba
from workbooks.files import zip_parts

ADDIN_FILE = "grip.xlam"
TEMPLATE_FILE = "quickstart_addin_ribbon.xlam"
#: The template's VBA project is called ``myaddin``; its settings sheet is ``<project>.conf``.
CONF_SHEET = "myaddin.conf"
CUSTOMUI_PART = "customUI/customUI14.xml"
UI_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: Default interpreter: the virtual environment the README installs Grip into.
DEFAULT_PYTHON_WIN = r"%LOCALAPPDATA%\Grip\venv\Scripts\pythonw.exe"


@dataclass(frozen=True)
class AddinFiles:
    addin: Path
    ribbon_module: Path
    udf_module: Path


def template_path() -> Path:
    """The ribbon add-in template inside the installed xlwings package."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise FileNotFoundError(2, "xlwings is niet geïnstalleerd", "xlwings")
    path = Path(spec.origin).parent / TEMPLATE_FILE
    if not path.is_file():
        raise FileNotFoundError(2, "sjabloon van xlwings niet gevonden", str(path))
    return path


def settings(python_win: str = DEFAULT_PYTHON_WIN) -> list[tuple[str, str | bool]]:
    """The rows of the settings sheet, in the template's order (key, value)."""
    return [
        ("Interpreter_Win", python_win),
        ("Interpreter_Mac", ""),
        ("PYTHONPATH", ""),
        ("Conda Path", ""),
        ("Conda Env", ""),
        ("UDF Modules", vba.UDF_MODULE),
        ("Debug UDFs", False),
        ("Use UDF Server", False),
        ("Show Console", False),
    ]


def _cell(ref: str, value: str | bool) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def settings_sheet_xml(rows: list[tuple[str, str | bool]]) -> bytes:
    """The worksheet part of the settings sheet (codeName kept: the VBA project binds it)."""
    body = "".join(f'<row r="{r}">{_cell(f"A{r}", key)}{_cell(f"B{r}", value)}</row>'
                   for r, (key, value) in enumerate(rows, start=1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetPr codeName="Sheet2"/>'
            '<cols><col min="1" max="1" width="18" customWidth="1"/>'
            '<col min="2" max="2" width="60" customWidth="1"/></cols>'
            f"<sheetData>{body}</sheetData></worksheet>").encode("utf-8")


def _root_rels(data: bytes) -> bytes:
    """The package relationships with the ribbon pointing at customUI14.xml only."""
    ET.register_namespace("", REL_NS)
    root = ET.fromstring(data)
    for rel in list(root):
        if rel.get("Type", "").endswith("/ui/extensibility"):
            root.remove(rel)
    ET.SubElement(root, f"{{{REL_NS}}}Relationship",
                  {"Id": "gripRibbon", "Type": UI_REL_TYPE, "Target": CUSTOMUI_PART})
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + ET.tostring(root)


def _sheet_part(files: dict[str, bytes]) -> str:
    """The worksheet part of the template's (only) sheet."""
    names = [n for n in files if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")]
    if len(names) != 1:
        raise ValueError(f"sjabloon van xlwings heeft {len(names)} werkbladen; verwacht 1")
    return names[0]


def build_addin_bytes(template: bytes, *, python_win: str = DEFAULT_PYTHON_WIN) -> bytes:
    """The add-in: the template with our settings sheet and, last, our ribbon."""
    with zipfile.ZipFile(io.BytesIO(template)) as src:
        files = {i.filename: src.read(i.filename) for i in src.infolist()}
    workbook = files["xl/workbook.xml"].decode("utf-8")
    if f'name="_{CONF_SHEET}"' not in workbook and f'name="{CONF_SHEET}"' not in workbook:
        raise ValueError(f"sjabloon van xlwings heeft geen blad {CONF_SHEET}")
    files["xl/workbook.xml"] = workbook.replace(
        f'name="_{CONF_SHEET}"', f'name="{CONF_SHEET}"').encode("utf-8")
    files[_sheet_part(files)] = settings_sheet_xml(settings(python_win))
    # the ribbon, last: drop the template's, add ours
    files.pop("customUI/customUI.xml", None)
    files["_rels/.rels"] = _root_rels(files["_rels/.rels"])
    files[CUSTOMUI_PART] = ribbon.customui_xml().encode("utf-8")
    return zip_parts(files)


def build_addin(out_dir: str | Path, *, python_win: str = DEFAULT_PYTHON_WIN) -> AddinFiles:
    """Write ``grip.xlam``, ``GripRibbon.bas`` and ``xlwings_udfs.bas`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    addin = out_dir / ADDIN_FILE
    addin.write_bytes(build_addin_bytes(template_path().read_bytes(), python_win=python_win))
    ribbon_module = out_dir / f"{vba.RIBBON_MODULE}.bas"
    ribbon_module.write_bytes(vba.bas_bytes(vba.render_ribbon_module()))
    udf_module = out_dir / "xlwings_udfs.bas"
    udf_module.write_bytes(vba.bas_bytes(vba.render_udf_module(vba.UDF_MODULE, ADDIN_FILE)))
    return AddinFiles(addin, ribbon_module, udf_module)
