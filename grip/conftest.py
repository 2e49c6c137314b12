"""Doctest collection of ``grip``: ``grip/lite.py`` imports xlwings' PRO part, which needs a
licence key in CPython; its tests set ``XLWINGS_LICENSE_KEY=noncommercial`` themselves
(``tests/addin/test_contract.py``, ``tests/workbooks/test_lite_protocol.py``), so the module
is not imported bare for doctests (it has none)."""

collect_ignore = ["lite.py"]
