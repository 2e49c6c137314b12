"""Dutch text for the file-system faults a user meets (file not found, disk full, read-only
folder, ...): the one wording for the command line and the ribbon buttons."""

from __future__ import annotations

import errno

#: Dutch text per errno of the file-system faults a user meets.
_OS_ERRORS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EACCES: "geen toegang (alleen-lezen of geen rechten)",
    errno.EPERM: "geen toegang (alleen-lezen of geen rechten)",
    errno.EROFS: "de map is alleen-lezen",
    getattr(errno, "EDQUOT", -1): "de schijfruimte (quotum) is op",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
}


def os_error_text(exc: OSError) -> str:
    """A Dutch line for a file-system fault, naming the file.

    >>> os_error_text(OSError(28, "No space left on device", "/tmp/x.duckdb"))
    'de schijf is vol: /tmp/x.duckdb'
    >>> os_error_text(FileNotFoundError(2, "No such file or directory", "model.xlsx"))
    'bestand niet gevonden: model.xlsx'
    """
    if isinstance(exc, FileNotFoundError):
        what = "bestand niet gevonden"
    else:
        what = _OS_ERRORS.get(exc.errno, f"het bestand kan niet worden gelezen of geschreven "
                                         f"(systeemfout {exc.errno})")
    where = exc.filename or ""
    return f"{what}: {where}" if where else what
