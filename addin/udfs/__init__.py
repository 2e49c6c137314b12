"""The UDF module Excel imports: ``UDF_MODULES = addin.udfs``.

xlwings registers every function in this module's namespace that carries ``__xlfunc__``,
so every ``SD_`` function of each engine module below is brought in here. Adding a UDF
means adding it to the contract test and its snapshot too (``make snapshot``); renaming or
reordering parameters breaks saved workbooks.
"""

from importlib import import_module

#: One module per engine, each defining its ``SD_`` functions with ``addin.policy.udf``.
ENGINES = (
    "dwarsverbanden",
    "prognose",
    "gripniveau",
    "begroting",
    "versie",
)

for _engine in ENGINES:
    _module = import_module(f"addin.udfs.{_engine}")
    for _name in dir(_module):
        if _name.startswith("SD_"):
            globals()[_name] = getattr(_module, _name)

__all__ = sorted(name for name in globals() if name.startswith("SD_"))
