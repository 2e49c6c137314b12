"""The UDF module Excel imports: ``UDF_MODULES = addin.udfs``.

xlwings registers every function in this module's namespace that carries ``__xlfunc__``,
so each engine's UDFs are imported here by name. Adding a UDF means adding it to the
contract snapshot too (``make snapshot``); renaming or reordering breaks saved workbooks.
"""

from addin.udfs.dwarsverbanden import (
    SD_BANDBREEDTE,
    SD_EFFECTPAD,
    SD_GEVOELIGHEID,
    SD_SCENARIO,
    SD_TOTAALEFFECT,
    SD_WIJKEN,
)

__all__ = [
    "SD_TOTAALEFFECT",
    "SD_EFFECTPAD",
    "SD_SCENARIO",
    "SD_BANDBREEDTE",
    "SD_GEVOELIGHEID",
    "SD_WIJKEN",
]
