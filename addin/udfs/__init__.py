"""The UDF module Excel imports: ``UDF_MODULES = addin.udfs``.

xlwings registers every function in this module's namespace that carries ``__xlfunc__``,
so each engine's UDFs are imported here by name. Adding a UDF means adding it to the
contract snapshot too (``make snapshot``); renaming or reordering breaks saved workbooks.
"""

from addin.udfs.dwarsverbanden import SD_TOTAALEFFECT
from addin.udfs.prognose import SD_NAGEKOMEN, SD_ONTWIKKELFACTOREN, SD_PROGNOSE

__all__ = [
    "SD_TOTAALEFFECT",
    "SD_NAGEKOMEN",
    "SD_ONTWIKKELFACTOREN",
    "SD_PROGNOSE",
]
