"""Opening a workbook that comes from outside: size limits first, and never written back.

An .xlsx is a zip file; a small file can unpack to gigabytes (a zip bomb). Before openpyxl
sees it, the archive is checked: file size, number of parts, total unpacked size and
compression ratio. Grip never saves over a workbook it opened this way (``grip werkmap
bijwerken`` writes a backup first; every other command writes a new file).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from calc.errors import InputError

#: Limits for a workbook from outside (a begrotingsmodel is a few MB at most).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_PARTS = 5_000
MAX_RATIO = 200

EXTENSIONS = (".xlsx", ".xlsm")


def check_archive(path: str | Path) -> None:
    """Raise ``InputError`` (Dutch, naming the file) if ``path`` is not a sane workbook."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(2, "bestand niet gevonden", str(path))
    if path.suffix.lower() not in EXTENSIONS:
        raise InputError(f"{path.name}: alleen .xlsx- en .xlsm-werkmappen worden geopend",
                         argument="werkmap")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path.name}: het bestand is {size // 2**20} MB, meer dan de grens van "
                         f"{MAX_FILE_BYTES // 2**20} MB", argument="werkmap")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path.name}: dit is geen Excel-werkmap (geen zip-bestand)",
                         argument="werkmap")
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise InputError(f"{path.name}: {len(infos)} onderdelen, meer dan de grens van "
                         f"{MAX_PARTS}", argument="werkmap")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(f"{path.name}: uitgepakt {unpacked // 2**20} MB, meer dan de grens van "
                         f"{MAX_UNPACKED_BYTES // 2**20} MB (mogelijk een zip-bom)",
                         argument="werkmap")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO \
                and info.file_size > 1024 * 1024:
            raise InputError(f"{path.name}: onderdeel {info.filename} is verdacht sterk "
                             f"gecomprimeerd (mogelijk een zip-bom)", argument="werkmap")


def open_workbook(path: str | Path, *, data_only: bool = False):
    """Load a workbook after ``check_archive``; macros (.xlsm) are kept, never run."""
    from openpyxl import load_workbook

    check_archive(path)
    path = Path(path)
    try:
        return load_workbook(path, data_only=data_only,
                             keep_vba=path.suffix.lower() == ".xlsm")
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path.name}: de werkmap kan niet worden gelezen ({exc})",
                         argument="werkmap") from None
