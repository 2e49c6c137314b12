"""Grip add-in: the thin layer between Excel (xlwings) and the calc core.

``addin.udfs`` is the UDF module Excel imports (``UDF_MODULES = addin.udfs``);
``addin.policy`` owns the error policy every UDF uses; ``addin.convert`` translates what
Excel hands over into numpy and back; ``addin.vba`` renders the VBA wrappers xlwings
would import, for the contract test and the add-in build.
"""
