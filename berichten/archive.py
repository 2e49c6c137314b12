"""The archive checks of an .xlsx from outside, before any parser sees it.

An .xlsx is a zip file; a small file can unpack to gigabytes (a zip bomb). ``check_archive``
checks file size, number of parts, total unpacked size and compression ratio; that it is a
workbook at all; that no XML part carries a DOCTYPE; and that the cells, shared strings and
formulas, counted by streaming the parts, stay within limits. It lives here, below
``workbooks``, because both the flat exports of ``berichten.flat`` and the workbooks of
``workbooks.safety`` come from outside and pass the same checks.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from calc.errors import InputError

#: Limits for a workbook from outside (a begrotingsmodel is a few MB at most).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_PARTS = 5_000
MAX_RATIO = 200
#: Cells (``<c>`` elements over all worksheets) openpyxl may load: measured about 0,5 KB of
#: memory each (200.000 numbers: 190 MB), so at most about 500 MB per load.
MAX_CELLS = 1_000_000
#: Shared strings openpyxl may load.
MAX_STRINGS = 1_000_000
#: Formula cells the headless engine may compile: measured about 40 KB each (20.000 simple
#: formulas: 830 MB), so at most about 400 MB; the begrotingsmodel has under a thousand.
MAX_FORMULAS = 10_000

EXTENSIONS = (".xlsx", ".xlsm")



_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CHUNK = 1 << 20


def _refuse(path: Path, text: str) -> InputError:
    return InputError(f"{path.name}: {text}", argument="werkmap")


def check_archive(path: str | Path) -> None:
    """Raise ``InputError`` (Dutch, naming the file) if ``path`` is not a sane workbook."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(2, "bestand niet gevonden", str(path))
    if path.suffix.lower() not in EXTENSIONS:
        raise _refuse(path, "alleen .xlsx- en .xlsm-werkmappen worden geopend")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"het bestand is {size // 2**20} MB, meer dan de grens van "
                            f"{MAX_FILE_BYTES // 2**20} MB")
    if not zipfile.is_zipfile(path):
        raise _refuse(path, "dit is geen Excel-werkmap (geen zip-bestand)")
    # these very bytes passed a moment ago, under the same limits
    digest = (hashlib.sha256(path.read_bytes()).hexdigest(), MAX_FILE_BYTES, MAX_UNPACKED_BYTES,
              MAX_PARTS, MAX_RATIO, MAX_CELLS, MAX_STRINGS, MAX_FORMULAS)
    if digest in _PASSED:
        _FORMULA_COUNTS[_file_key(path)] = _PASSED[digest]
        return
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_sizes(path, infos)
            names = {i.filename for i in infos}
            if not infos:
                raise _refuse(path, "dit is geen Excel-werkmap (het zip-bestand is leeg)")
            missing = [n for n in ("[Content_Types].xml", "xl/workbook.xml") if n not in names]
            if missing:
                raise _refuse(path, f"dit is geen Excel-werkmap ({', '.join(missing)} "
                                    "ontbreekt)")
            for info in infos:
                _check_part(path, archive, info)
            _check_counts(path, archive, infos)
        _PASSED[digest] = _FORMULA_COUNTS[_file_key(path)]
        while len(_PASSED) > _PASSED_FILES:
            del _PASSED[next(iter(_PASSED))]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError,
            RuntimeError, ValueError, OSError) as exc:
        if isinstance(exc, (FileNotFoundError, InputError)):
            raise
        raise _refuse(path, f"het zip-bestand is beschadigd ({type(exc).__name__})") from None


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise _refuse(path, f"{len(infos)} onderdelen, meer dan de grens van {MAX_PARTS}")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(path, f"uitgepakt {unpacked // 2**20} MB, meer dan de grens van "
                            f"{MAX_UNPACKED_BYTES // 2**20} MB (mogelijk een zip-bom)")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO \
                and info.file_size > 1024 * 1024:
            raise _refuse(path, f"onderdeel {info.filename} is verdacht sterk gecomprimeerd "
                                "(mogelijk een zip-bom)")


def _check_part(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a DOCTYPE in an XML part: lxml reads the prolog up to the root and reports it."""
    from berichten.xmlreader import XMLSyntaxError, prolog_doctype

    if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
        return
    with archive.open(info) as stream:
        try:
            doctype = prolog_doctype(_Bounded(stream, info.file_size))
        except StopIteration:
            raise _refuse(path, f"onderdeel {info.filename} is leeg") from None
        except XMLSyntaxError as exc:
            raise _refuse(path, f"onderdeel {info.filename} is geen geldige XML (regel "
                                f"{exc.lineno or '?'})") from None
        if doctype:
            raise _refuse(path, f"onderdeel {info.filename} bevat een DOCTYPE-declaratie "
                                "(mogelijke entiteitenbom); om veiligheidsredenen geweigerd")


class _Bounded:
    """A read-only stream that never yields more than the part's declared size (a lying zip
    header cannot make a prolog scan unpack more)."""

    def __init__(self, stream, limit: int) -> None:
        self.stream, self.left = stream, limit

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.stream.read(n)
        self.left -= len(data)
        return data


def _count(archive: zipfile.ZipFile, info: zipfile.ZipInfo, pattern: re.Pattern,
           limit: int) -> int:
    """Occurrences of ``pattern`` in a part, streamed in 1 MB chunks; stops past ``limit``."""
    found, tail = 0, b""
    with archive.open(info) as stream:
        read = 0
        while read <= info.file_size:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            read += len(chunk)
            data = tail + chunk
            # a match cannot start in the last 16 bytes: they are kept for the next chunk
            cut = max(len(data) - 16, 0)
            found += len(pattern.findall(data, 0, cut))
            tail = data[cut:]
            if found > limit:
                return found
        found += len(pattern.findall(tail))
    return found


def _check_counts(path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    cells = formulas = strings = 0
    for info in infos:
        name = info.filename.lower()
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            cells += _count(archive, info, _CELL, MAX_CELLS - cells)
            if cells > MAX_CELLS:
                raise _refuse(path, f"meer dan {MAX_CELLS:_} cellen (grens); te groot om veilig "
                                    "te openen".replace("_", "."))
            formulas += _count(archive, info, _FORMULA, MAX_FORMULAS * 100)
        elif name == "xl/sharedstrings.xml":
            strings = _count(archive, info, _STRING, MAX_STRINGS)
            if strings > MAX_STRINGS:
                raise _refuse(path, f"meer dan {MAX_STRINGS:_} teksten (grens); te groot om "
                                    "veilig te openen".replace("_", "."))
    _FORMULA_COUNTS[_file_key(path)] = formulas


#: Formula cells per checked file version (for the headless recalculation's own limit).
_FORMULA_COUNTS: dict[tuple[str, int, int], int] = {}
#: The SHA-256 of the last files that passed (with the limits they passed), and their formula
#: cells: one command opens a workbook several times (the check of a workbook: its formulas,
#: its saved values, the recalculation), and the same bytes pass the same checks, so they are
#: streamed once. Other bytes under the same name are checked anew.
_PASSED: dict[tuple, int] = {}
_PASSED_FILES = 256


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


def formula_count(path: str | Path) -> int:
    """Formula cells of a file ``check_archive`` has passed (checks it if not yet)."""
    path = Path(path)
    if not path.is_file() or _file_key(path) not in _FORMULA_COUNTS:
        check_archive(path)
    return _FORMULA_COUNTS[_file_key(path)]
