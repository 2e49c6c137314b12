"""Opening a workbook that comes from outside: size limits first, and never written back.

An .xlsx is a zip file; a small file can unpack to gigabytes (a zip bomb). Before openpyxl
sees it, the archive is checked: file size, number of parts, total unpacked size and
compression ratio; that it is a workbook at all (``[Content_Types].xml``,
``xl/workbook.xml``); no XML part carries a DOCTYPE (entity bombs; lxml reads each part's
prolog and reports it); and the number of cells, shared strings and formulas, counted by
streaming the parts, stays within limits — so memory is bounded before anything is
parsed. Any parse error of any part becomes a Dutch ``InputError`` naming the file.

External references (``='[geheim.xlsx]Blad1'!A1``, ``[1]Blad1!A1`` with an
``xl/externalLinks`` part, a UNC path ``\\\\server\\share\\[x.xlsx]``) are never followed:
``external_references`` lists them with their cell, and the headless recalculation refuses
a workbook that has any. Grip never saves over a workbook it opened this way (``grip werkmap
bijwerken`` writes a backup first; every other command writes a new file).
"""

from __future__ import annotations

import re
from pathlib import Path

from berichten.archive import _refuse, check_archive
from calc.errors import InputError


def open_workbook(path: str | Path, *, data_only: bool = False, read_only: bool = False,
                  load=None):
    """Load a workbook after ``check_archive``; macros (.xlsm) are kept in memory, never run
    (``workbooks.files.save`` drops them from an ``.xlsx``). Any parse error of any part
    becomes a Dutch ``InputError``. ``load``: the reader (default ``openpyxl.load_workbook``;
    ``workbooks.recalc`` passes the ``formulas`` engine's own, which keeps dates as numbers)."""
    from openpyxl import load_workbook

    check_archive(path)
    path = Path(path)
    try:
        return (load or load_workbook)(path, data_only=data_only, read_only=read_only,
                             keep_vba=path.suffix.lower() == ".xlsm" and not read_only)
    except MemoryError:
        raise _refuse(path, "te groot om te openen (onvoldoende geheugen)") from None
    except Exception as exc:  # noqa: BLE001 — any broken part: a Dutch refusal, never a traceback
        raise _refuse(path, f"de werkmap kan niet worden gelezen: een onderdeel is beschadigd "
                            f"of onvolledig ({type(exc).__name__})") from None


# --- external references --------------------------------------------------------------------

#: A reference into another workbook: ``[1]Blad1!``, ``'[x.xlsx]Blad 1'!``, ``'C:\\p\\[x.xlsx]B'!``,
#: ``[1]!naam``; string literals are removed before matching.
_EXTERNAL = re.compile(r"\[[^\]\[]*\][^!\[\]\"]*!|\\\\[^\s\"]+|\[[^\]\[]*\.xl[a-z]*\]",
                       re.IGNORECASE)
_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')


def is_external(formula: str) -> bool:
    """Whether a formula refers to another workbook or a network path.

    >>> is_external("='[geheim.xlsx]Blad1'!A1"), is_external("=[1]Blad1!A1+1")
    (True, True)
    >>> is_external("=SUM(Tabel1[Bedrag])"), is_external('="[a]b!"'), is_external("=Blad1!A1")
    (False, False, False)
    >>> is_external("='\\\\\\\\server\\\\share\\\\[x.xlsx]Blad1'!A1")
    True
    """
    return bool(_EXTERNAL.search(_STRING_LITERAL.sub('""', formula)))


def external_references(wb) -> list[tuple[str, str, str]]:
    """``(sheet, cell or name, formula)`` of every formula and defined name that refers to
    another workbook, plus one entry per external link part the workbook keeps."""
    from workbooks.template import formula_text

    found: list[tuple[str, str, str]] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = formula_text(cell.value)
                if text is not None and is_external(text):
                    found.append((ws.title, cell.coordinate, text))
    for name, dn in wb.defined_names.items():
        if dn.attr_text and is_external(dn.attr_text):
            found.append(("", name, dn.attr_text))
    for link in getattr(wb, "_external_links", []):
        target = getattr(getattr(link, "file_link", None), "Target", None) or "?"
        found.append(("", "externe koppeling", str(target)))
    return found


def refuse_external(path: Path, wb) -> None:
    """Raise a Dutch ``InputError`` naming the cells if ``wb`` refers to other workbooks."""
    found = external_references(wb)
    if not found:
        return
    shown = ", ".join(f"{s}!{a}" if s else a for s, a, _ in found[:5])
    more = f" (en nog {len(found) - 5})" if len(found) > 5 else ""
    raise _refuse(path, f"verwijst naar een andere werkmap of netwerkpad ({shown}{more}); "
                        "Grip volgt geen externe verwijzingen. Vervang ze eerst door waarden.")
