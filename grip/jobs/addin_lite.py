"""``grip addin lite``: what xlwings Lite needs (``main.py``, ``requirements.txt``) and a
begrotingsmodel that carries both.

xlwings Lite keeps a workbook's code as Office.js settings of its add-in, which Excel saves
in ``xl/webextensions/webextension1.xml`` as ``<we:property name="main.py" value="..."/>``
(each value JSON text, escaped as an XML attribute), with a task pane part and a package
relationship pointing at it (learned from workbooks saved by Lite, see
``/work/shared/EXCEL.md``; never checked against a real Excel here). openpyxl drops these
parts, so they are added on the zip after the final save, and the file never passes through
openpyxl again.

``main.py`` stays small (Office limits settings to about 2 MB): it imports ``grip.lite``,
which exposes every ``SD_`` function and the workbook jobs from the one definition.
``requirements.txt`` names the Grip wheel the municipality hosts (an https URL of a
``.whl``, served with CORS for Lite's origin, or a name on a private index of a
self-hosted Lite); the wheel's own dependencies come from Pyodide or the package index.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from calc.errors import InputError
from workbooks.files import zip_parts

#: The xlwings Lite add-in in Microsoft's add-in store (AppSource).
STORE_ID = "wa200008175"
STORE_TYPE = "OMEX"
TASKPANES_PART = "xl/webextensions/taskpanes.xml"
WEBEXTENSION_PART = "xl/webextensions/webextension1.xml"
TASKPANES_REL = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
WEBEXTENSION_REL = "http://schemas.microsoft.com/office/2011/relationships/webextension"
TASKPANES_TYPE = "application/vnd.ms-office.webextensiontaskpanes+xml"
WEBEXTENSION_TYPE = "application/vnd.ms-office.webextension+xml"
#: Office's limit for the settings of one add-in in one file is about 2 MB; errors are
#: reported above 1 MB, so stay well below.
MAX_SETTINGS = 500_000

MAIN_PY = '''\
# Grip in xlwings Lite: alle SD_-functies en de knoppen die alleen de werkmap nodig hebben.
# Dit bestand is geschreven door `grip addin lite`; pas het niet aan. De code zelf zit in
# het pakket Grip (zie requirements.txt), zodat dezelfde functies hetzelfde rekenen als in
# de klassieke invoegtoepassing.
from grip.lite import *  # noqa: F401,F403
'''


@dataclass(frozen=True)
class LiteFiles:
    main: Path
    requirements: Path
    workbook: Path


def requirement_line(wheel: str) -> str:
    """The requirements line for the Grip wheel, checked.

    An https URL of a ``.whl`` (no user or password in it: anyone can read the file's
    settings), or a requirement such as ``grip-gemeente==0.1.0`` on a private index. The
    bare name ``grip`` is refused: on the public index that is another project.

    >>> requirement_line("https://intern.gemeente.nl/grip/grip-0.1.0-py3-none-any.whl")
    'https://intern.gemeente.nl/grip/grip-0.1.0-py3-none-any.whl'
    """
    text = wheel.strip()
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme != "https":
            raise InputError("het adres van het wiel moet met https:// beginnen", argument="wiel")
        if parts.username or parts.password or "@" in parts.netloc:
            raise InputError("geen gebruikersnaam of wachtwoord in het adres van het wiel: "
                             "iedereen met de werkmap kan het lezen", argument="wiel")
        if not parts.path.endswith(".whl"):
            raise InputError("het adres moet naar een .whl-bestand wijzen", argument="wiel")
        return text
    name = re.split(r"[\s<>=!~\[;]", text, maxsplit=1)[0]
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name or ""):
        raise InputError(f"'{text}' is geen adres van een wiel en geen pakketnaam", argument="wiel")
    if name.lower() == "grip":
        raise InputError("de naam 'grip' is in de openbare pakketindex een ander pakket; geef "
                         "het https-adres van het Grip-wiel van de gemeente", argument="wiel")
    return text


def requirements_text(wheel: str) -> str:
    return ("# Grip in xlwings Lite (geschreven door `grip addin lite`).\n"
            "# Het Grip-wiel van de gemeente; numpy, pandas, scipy, pydantic\n"
            "# en de rest komen uit Pyodide of de pakketindex.\n"
            f"{requirement_line(wheel)}\n")


def _property(name: str, text: str) -> str:
    return f"<we:property name={quoteattr(name)} value={quoteattr(json.dumps(text))}/>"


def webextension_xml(main_py: str, requirements: str) -> bytes:
    """The Lite add-in's part: the store reference and the code as settings."""
    settings = _property("main.py", main_py) + _property("requirements.txt", requirements)
    if len(settings.encode("utf-8")) > MAX_SETTINGS:
        raise InputError("main.py en requirements.txt zijn samen te groot voor de werkmap",
                         argument="main.py")
    guid = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "grip/xlwings-lite")).upper() + "}"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/'
            f'webextension/2010/11" id="{guid}">'
            f'<we:reference id="{STORE_ID}" version="1.0.0.0" store="nl-NL" '
            f'storeType="{STORE_TYPE}"/>'
            f'<we:alternateReferences><we:reference id="{STORE_ID.upper()}" version="1.0.0.0" '
            f'store="{STORE_ID.upper()}" storeType="{STORE_TYPE}"/></we:alternateReferences>'
            f"<we:properties>{settings}</we:properties><we:bindings/>"
            '<we:snapshot xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"/>'
            f'<we:extLst><a:ext xmlns:a="{a}" uri="{{D87F86FE-615C-45B5-9D79-34F1136793EB}}">'
            "<we:containsCustomFunctions/></a:ext>"
            f'<a:ext xmlns:a="{a}" uri="{{7C84B067-C214-45C3-A712-C9D94CD141B2}}">'
            "<we:customFunctionIdList/></a:ext></we:extLst></we:webextension>").encode("utf-8")


def taskpanes_xml() -> bytes:
    """The task pane of Lite, open on the right when the workbook opens."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/'
            'taskpanes/2010/11"><wetp:taskpane dockstate="right" visibility="1" width="438" '
            'row="3"><wetp:webextensionref xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships" r:id="rId1"/></wetp:taskpane>'
            "</wetp:taskpanes>").encode("utf-8")


def _rels(rels: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>'
                   for i, t, target in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            f'"http://schemas.openxmlformats.org/package/2006/relationships">{body}'
            "</Relationships>").encode("utf-8")


def script_outputs() -> tuple[str, ...]:
    """The output ranges of the ribbon jobs that are Lite scripts (``ribbon.Button.lite``)."""
    import importlib

    from addin import ribbon

    return tuple(name for b in ribbon.buttons() if b.lite
                 for name in importlib.import_module(f"grip.jobs.{b.job}").OUTPUT_NAMES)


def _sheet_parts(files: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> its worksheet part, from the workbook and its relationships."""
    from xml.etree import ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    rels = {r.get("Id"): r.get("Target")
            for r in ET.fromstring(files["xl/_rels/workbook.xml.rels"])}
    out = {}
    for sheet in ET.fromstring(files["xl/workbook.xml"]).iter(f"{main}sheet"):
        target = rels[sheet.get(f"{rel}id")].lstrip("/")
        out[sheet.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def allow_script_edits(files: dict[str, bytes], names: tuple[str, ...]) -> list[str]:
    """Let the Lite scripts write their output tables on the protected sheets.

    Office.js has no way to unprotect a sheet through xlwings (the classic ``XlwingsBook``
    unprotects through COM), so each output range becomes an *allowed edit range* without
    password (``<protectedRange>`` right after ``<sheetProtection>``). Returns the ranges
    done. Never tried in Excel.
    """
    from xml.etree import ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    parts = _sheet_parts(files)
    by_part: dict[str, list[str]] = {}
    done = []
    for dn in ET.fromstring(files["xl/workbook.xml"]).iter(f"{main}definedName"):
        if dn.get("name") not in names or dn.get("localSheetId") is not None:
            continue
        sheet, _, ref = (dn.text or "").rpartition("!")
        sheet = sheet.strip("'").replace("''", "'")
        if sheet not in parts:
            continue
        by_part.setdefault(parts[sheet], []).append(
            f'<protectedRange sqref="{ref.replace("$", "")}" name="{dn.get("name")}"/>')
        done.append(dn.get("name"))
    for part, ranges in by_part.items():
        xml = files[part].decode("utf-8")
        m = re.search(r"<sheetProtection\b[^>]*/>", xml)
        if m is None or "<protectedRanges" in xml:
            continue
        xml = xml[:m.end()] + f"<protectedRanges>{''.join(ranges)}</protectedRanges>" + xml[m.end():]
        files[part] = xml.encode("utf-8")
    return done


def _read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return {i.filename: src.read(i.filename) for i in src.infolist()}


def _add_parts(files: dict[str, bytes], parts: dict[str, bytes]) -> None:
    """Put Lite's parts (``xl/webextensions/...``) into a workbook that has none: the parts,
    the package relationship to the task panes and the content types; then the scripts'
    allowed edit ranges."""
    if any(name.startswith("xl/webextensions/") for name in files):
        raise InputError("deze werkmap heeft al een Office-invoegtoepassing met eigen code; "
                         "plak main.py en requirements.txt in de editor van xlwings Lite",
                         argument="werkmap")
    root = files["_rels/.rels"].decode("utf-8")
    taken = set(re.findall(r'Id="([^"]+)"', root))
    rel_id = next(f"rId{k}" for k in range(1, 1000) if f"rId{k}" not in taken)
    files["_rels/.rels"] = root.replace(
        "</Relationships>",
        f'<Relationship Id="{rel_id}" Type="{TASKPANES_REL}" Target="{TASKPANES_PART}"/>'
        "</Relationships>").encode("utf-8")
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType='
        f'"{TASKPANES_TYPE if name == TASKPANES_PART else WEBEXTENSION_TYPE}"/>'
        for name in sorted(parts) if name.endswith(".xml") and "/_rels/" not in name)
    types = files["[Content_Types].xml"].decode("utf-8")
    files["[Content_Types].xml"] = types.replace("</Types>", overrides + "</Types>").encode("utf-8")
    files.update(parts)
    allow_script_edits(files, script_outputs())


def add_lite_parts(xlsx: bytes, main_py: str, requirements: str) -> bytes:
    """The workbook with Lite's add-in parts and code added (a zip step, after any save)."""
    files = _read_zip(xlsx)
    _add_parts(files, {
        TASKPANES_PART: taskpanes_xml(),
        "xl/webextensions/_rels/taskpanes.xml.rels": _rels(
            [("rId1", WEBEXTENSION_REL, "webextension1.xml")]),
        WEBEXTENSION_PART: webextension_xml(main_py, requirements),
    })
    return zip_parts(files)


def carry_lite_parts(source: str | Path, target: str | Path) -> bool:
    """Give ``target`` (a workbook Grip wrote from ``source`` through openpyxl, which drops
    them) the Lite parts of ``source`` byte for byte: the code, Lite's own settings and the
    task pane stay as Lite saved them. False when ``source`` has none or ``target`` has some."""
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist() if n.startswith("xl/webextensions/")}
    if not parts or TASKPANES_PART not in parts:
        return False
    target = Path(target)
    files = _read_zip(target.read_bytes())
    if any(name.startswith("xl/webextensions/") for name in files):
        return False
    _add_parts(files, parts)
    target.write_bytes(zip_parts(files))
    return True


def lite_settings(xlsx: str | Path) -> dict[str, str]:
    """The Lite settings a workbook carries (name -> text), read back from the zip."""
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(xlsx) as z:
        if WEBEXTENSION_PART not in z.namelist():
            return {}
        root = ET.fromstring(z.read(WEBEXTENSION_PART))
    ns = "{http://schemas.microsoft.com/office/webextensions/webextension/2010/11}"
    return {p.get("name"): json.loads(p.get("value")) for p in root.iter(f"{ns}property")}


def build_lite(out_dir: str | Path, wheel: str, *, workbook: str | Path | None = None,
               municipality: str | None = None, budget_year: int | None = None) -> LiteFiles:
    """Write ``main.py``, ``requirements.txt`` and a begrotingsmodel carrying both.

    ``workbook``: an existing begrotingsmodel to carry the code (copied, never changed);
    without it a new one is built (``municipality``, ``budget_year``).
    """
    out_dir = Path(out_dir)
    requirements = requirements_text(wheel)  # checked before anything is written
    if workbook is not None:
        from berichten.archive import check_archive

        workbook = Path(workbook)
        check_archive(workbook)
        source = workbook.read_bytes()
        target = out_dir / f"{workbook.stem}_lite.xlsx"
    else:
        from workbooks.begrotingsmodel import build_workbook
        from workbooks.context import BuildContext
        from workbooks.files import save

        ctx = BuildContext() if municipality is None and budget_year is None else BuildContext(
            **{k: v for k, v in (("municipality", municipality), ("budget_year", budget_year))
               if v is not None})
        target = out_dir / "begrotingsmodel_lite.xlsx"
        source = save(build_workbook(ctx), target).read_bytes()  # the final openpyxl save
    if workbook is not None and target.resolve() == workbook.resolve():
        raise InputError("de Lite-werkmap zou over het origineel heen komen", argument="uit")
    data = add_lite_parts(source, MAIN_PY, requirements)
    out_dir.mkdir(parents=True, exist_ok=True)
    main = out_dir / "main.py"
    main.write_text(MAIN_PY, encoding="utf-8")
    req = out_dir / "requirements.txt"
    req.write_text(requirements, encoding="utf-8")
    target.write_bytes(data)
    return LiteFiles(main, req, target)
