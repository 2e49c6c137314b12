"""Saving workbooks deterministically: the same inputs give the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import pickle
import zipfile
from pathlib import Path

from openpyxl import Workbook

#: Timestamp written into the document properties and every zip entry.
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)


def save(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` to ``path`` with fixed timestamps (document properties and zip entries).

    An ``.xlsx`` never carries macros: a workbook opened from an ``.xlsm`` loses its
    ``vbaProject.bin`` here (Excel refuses an ``.xlsx`` with macros, and a copy for others
    must not run code)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    macros_allowed = path.suffix.lower() in (".xlsm", ".xltm")
    if not macros_allowed:
        wb.vba_archive = None
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "Grip"
    wb.properties.lastModifiedBy = "Grip"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if not macros_allowed and info.filename.lower().endswith("vbaproject.bin"):
                continue
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fix_modified(data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, data)
    path.write_bytes(out.getvalue())
    return path


def unpickled(data: bytes) -> Workbook:
    """A workbook from ``pickle.dumps(wb)``: a new one on each call, which saves byte for byte
    as ``wb`` would. A pickle keeps the row and column dimensions but not how openpyxl makes a
    new one (the holders' default factory): without it the first row a caller sized raised
    ``KeyError``."""
    wb = pickle.loads(data)
    for ws in wb.worksheets:
        ws.row_dimensions.default_factory = ws._add_row
        ws.column_dimensions.default_factory = ws._add_column
    return wb


def zip_parts(files: dict[str, bytes]) -> bytes:
    """The parts as a zip with fixed timestamps, in the order given (deterministic bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def _fix_modified(core_xml: bytes) -> bytes:
    """openpyxl stamps ``modified`` with the clock at save time; put the fixed time back."""
    import re

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                  rb"\g<1>" + stamp + rb"\g<2>", core_xml)
