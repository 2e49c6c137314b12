"""The VBA-facing entry of the ribbon: ``GripRibbon.OnAction`` runs
``import addin.macros; addin.macros.run_from_excel('<knop-id>')`` through xlwings' ``RunPython``
(the text is in every built add-in, so the name stays).

The dispatcher lives in the application layer (``grip.buttons``) and the workbook I/O in the
workbook layer (``workbooks.bookio``). This module is the one place where ``addin`` reaches
up, and only when Excel calls it (``tests/test_architecture.py`` names the exception).

For this session the old import path still works: ``from addin.macros import OpenpyxlBook,
run_button`` (and ``BookIO``, ``CellLink``, ``WriteRefused``, ``JobUnavailable``,
``load_job``, ``pad``) resolves to the new homes. Import from those instead.
"""

from __future__ import annotations

from typing import Any

#: Old name -> (new module, name there); resolved on first use.
_MOVED = {
    "BookIO": ("workbooks.bookio", "BookIO"),
    "CellLink": ("workbooks.bookio", "CellLink"),
    "OpenpyxlBook": ("workbooks.bookio", "OpenpyxlBook"),
    "XlwingsBook": ("workbooks.bookio", "XlwingsBook"),
    "WriteRefused": ("workbooks.bookio", "WriteRefused"),
    "Rows": ("workbooks.tables", "Rows"),
    "pad": ("workbooks.tables", "fixed_rows"),
    "JobUnavailable": ("grip.buttons", "JobUnavailable"),
    "load_job": ("grip.buttons", "load_job"),
    "run_button": ("grip.buttons", "run_button"),
}


def run_from_excel(button_id: str) -> None:
    """Entry point of the VBA callback ``GripRibbon.OnAction`` (via ``RunPython``)."""
    from grip.buttons import run_from_excel as run

    run(button_id)


def __getattr__(name: str) -> Any:
    """The re-export shim of the old layout (see the module docstring)."""
    if name not in _MOVED:
        raise AttributeError(f"module 'addin.macros' has no attribute {name!r}")
    module, attr = _MOVED[name]
    import importlib

    return getattr(importlib.import_module(module), attr)
