"""The UDF module Excel imports: ``UDF_MODULES = addin.udfs``.

xlwings registers every function in this module's namespace that carries ``__xlfunc__``,
so each engine's UDFs are imported here by name. Adding a UDF means adding it to the
contract snapshot too (``make snapshot``); renaming or reordering breaks saved workbooks.
"""

from addin.udfs.begroting import SD_BASISRAMING, SD_KANS_SLUITEND, SD_RAVIJN, SD_SALDOBAND
from addin.udfs.dwarsverbanden import SD_TOTAALEFFECT

__all__ = [
    "SD_TOTAALEFFECT",
    "SD_KANS_SLUITEND",
    "SD_RAVIJN",
    "SD_BASISRAMING",
    "SD_SALDOBAND",
]
