"""Grip in xlwings Lite: every ``SD_`` function and the workbook jobs, for Lite's ``main.py``.

xlwings Lite runs Python (Pyodide) inside Excel and registers the custom functions and
scripts it finds in ``main.py``; ``grip addin lite`` writes a ``main.py`` that only does
``from grip.lite import *``. Nothing here is a second copy of a UDF:

* every ``SD_`` function of ``addin.policy.REGISTRY`` is exposed under the same name with
  the same parameters, help texts and error policy: a thin copy of the registered (policy
  wrapped) function with xlwings' Office.js decorators (``xlwings.server.func``/``arg``)
  applied by the same ``apply_xlwings`` the classic add-in uses (ranges ``ndim=2``). The
  answers, the ``#`` messages and the result cache are the classic function's own.
  Office.js hands an empty cell as ``""`` (``null`` for an omitted argument) and every
  number as a float; xlwings' ``officejs`` converter turns ``""`` into ``None`` before the
  UDF sees it, and ``addin.convert`` reads ``""`` like ``None`` too;
* the ribbon jobs that work on workbook data alone (``ribbon.Button.lite``: Scenario
  doorrekenen, Begroting doorrekenen) are Lite scripts (``@script``, generated from the
  ribbon description like the functions from the registry) that run the same dispatcher
  (``grip.buttons.run_button``) on ``LiteBook``, the ``BookIO`` of xlwings' remote book.
  Jobs that need the store or the file system (Berichtenverkeer inlezen, Prognose
  bijwerken, Gripniveau bijwerken, Werkmap controleren, Deel als waarden) are not here:
  Lite has no folders and no DuckDB file; they run on a machine with Python (README).

In CPython, ``xlwings.server`` is xlwings' PRO part (PolyForm Noncommercial with
``XLWINGS_LICENSE_KEY=noncommercial``, or a commercial key); in xlwings Lite it is part of
the add-in.
"""

from __future__ import annotations

import functools
from typing import Any

import xlwings as xw
from xlwings import server


def _register_officejs_engines() -> None:
    """xlwings registers its Office.js engines (``officejs`` for arguments, ``remote`` for
    a script's book) only if its PRO part imported when xlwings itself was imported; a
    CPython process that set ``XLWINGS_LICENSE_KEY`` later (a test, the benchmark) gets
    them here. In xlwings Lite they are always there."""
    from xlwings.main import Engine
    from xlwings.pro import _xlofficejs, _xlremote

    present = {engine.name for engine in xw.engines}
    for impl in (_xlremote.engine, _xlofficejs.engine):
        if impl.name not in present:
            xw.engines.add(Engine(impl=impl))


_register_officejs_engines()

import addin.udfs  # noqa: F401  (fills REGISTRY)
from addin import ribbon
from addin.convert import Rows
from addin.policy import REGISTRY, UdfSpec, apply_xlwings
from grip import buttons
from workbooks.bookio import CellLink, WriteRefused, XlwingsBook, follow_written, fit_rows

#: Ribbon buttons whose job needs nothing but the workbook (``ribbon.Button.lite``): scripts.
LITE_BUTTONS = tuple(b.id for b in ribbon.buttons() if b.lite)


def lite_function(spec: UdfSpec) -> Any:
    """The registered UDF with xlwings' Office.js decorators (the registry stays untouched)."""

    def call(*args: Any) -> Any:
        return spec.function(*args)

    fn = functools.wraps(spec.function)(call)
    fn.__dict__.pop("__xlfunc__", None)  # the classic decorators' record, if any
    fn.__module__ = __name__
    return apply_xlwings(fn, spec, server.func, server.arg)


def officejs_cell(value: Any) -> Any:
    """One cell as Office.js hands it to Python: empty is ``""``, every number a float."""
    if value is None:
        return ""
    if isinstance(value, (bool, str)):
        return value
    return float(value)


def officejs_request(spec: UdfSpec, args: tuple[Any, ...]) -> dict[str, Any]:
    """The request Office.js makes for one call of ``spec`` with the arguments xlwings would
    hand the classic UDF: every parameter is declared a matrix (``custom_functions_meta``),
    so each argument is a 2-D array, and an omitted one is ``null``."""
    sent = [[[officejs_cell(c) for c in row] for row in (a if p.kind == "bereik" else [[a]])]
            for a, p in zip(args, spec.params)]
    sent += [None] * (len(spec.params) - len(sent))
    return {"func_name": spec.name, "args": sent, "version": "Office.js", "client": "Office.js",
            "runtime": "1.4", "culture_info_name": "nl-NL", "date_format": "d-m-jjjj"}


def call_through_protocol(spec: UdfSpec, args: tuple[Any, ...]) -> Any:
    """One call through xlwings' own Office.js code, as xlwings Lite makes it."""
    import asyncio
    import sys

    return asyncio.run(server.custom_functions_call(officejs_request(spec, args),
                                                    sys.modules[__name__]))


class LiteBook(XlwingsBook):
    """``BookIO`` on the workbook xlwings Lite hands a script (``xlwings.Book`` on the
    ``remote`` engine: the values Office.js sent, writes queued as actions).

    ``XlwingsBook``'s ``names`` and ``read`` work on this book unchanged; its ``write`` does
    not: the ``.api`` of a remote range is its values and of a sheet its JSON, so there is no
    ``Locked`` and no ``Unprotect``. Here the check that a target holds no input cell rests on
    the job's declared ``OUTPUT_NAMES`` (the dispatcher refuses any other name) and on the
    output tables being locked cells (tested on the openpyxl side); the Lite workbook makes
    them allowed edit ranges (``grip.jobs.addin_lite``). There is no file.
    """

    def __init__(self, book: xw.Book):
        super().__init__(book)
        self.messages: list[str] = []

    def write(self, name: str, rows: Rows) -> None:
        from calc.text import safe_text

        rng = self.book.names[name].refers_to_range
        n_rows, n_cols = rng.shape
        values = fit_rows(rows, n_rows, n_cols)
        rng.value = [[v.text if isinstance(v, CellLink) else safe_text(v) for v in row]
                     for row in values]
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                if isinstance(v, CellLink):
                    rng[i, j].add_hyperlink(v.target, v.text)
        follow_written(rng, values)

    def saved_path(self) -> None:
        return None

    def folder(self) -> None:
        """In the browser the workbook has no folder on disk."""
        return None

    def message(self, text: str) -> None:
        self.messages.append(text)
        print(text)  # Lite's output pane
        self.book.app.alert(text, title="Grip")


def run_script(button_id: str, book: xw.Book) -> str:
    """Run one ribbon job on the workbook Lite handed over; returns the Dutch message."""
    if button_id not in LITE_BUTTONS:
        raise WriteRefused(f"knop {button_id} werkt niet in xlwings Lite")
    io = LiteBook(book)
    text = buttons.run_button(button_id, io)
    io.message(text)
    return text


def lite_script(button: ribbon.Button) -> Any:
    """The ribbon button as a Lite script: named after the button id, shown with its label."""

    def script(book: xw.Book):
        run_script(button.id, book)

    script.__name__ = script.__qualname__ = button.id
    script.__doc__ = button.tip
    return server.script(name=button.label)(script)


for _spec in REGISTRY.values():
    globals()[_spec.name] = lite_function(_spec)
for _id in LITE_BUTTONS:
    globals()[_id] = lite_script(ribbon.button(_id))

#: What ``main.py`` takes over: every SD_ function and the scripts.
__all__ = [*REGISTRY, *LITE_BUTTONS]
