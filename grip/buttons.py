"""What a ribbon button does: button id → job, inputs from named ranges, outputs to the
job's own output ranges only.

Two kinds of job module under ``grip.jobs`` (see ``grip/jobs/__init__.py``):

* an engine job has ``INPUT_NAMES``, ``OUTPUT_NAMES`` and ``run_button(inputs) -> outputs``
  (with a keyword ``folder`` it also gets the workbook's folder, ``BookIO.folder``, or None);
  the dispatcher reads the inputs, calls it and writes each output through ``BookIO.write``
  (``workbooks.bookio``), which refuses a name the job did not declare, a table larger than
  its range, and any target cell that is an input cell (unlocked). Names in the job's
  ``OPTIONAL_NAMES`` may be missing (a workbook saved before they existed): such an input is
  not handed over, such an output is not written, and the message says so and adds what the
  job's ``skipped_text(name, rows)`` makes of it;
* a workbook job (``controleren``, ``waarden``) has ``run_book(book) -> str`` and works on
  the whole workbook through the same ``BookIO``.

A job that is not installed (its engine is not in this version) gives a Dutch message
instead of an error. Errors read as everywhere else: a ``GripError`` through
``calc.errors.describe`` after the button's label, anything unforeseen logged in full and
summarised by ``calc.errors.unexpected``. Excel calls ``run_from_excel`` by name: the
ribbon's VBA callback (``addin.vba.render_ribbon_module``) and ``grip.main``.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Sequence

from addin import ribbon
from calc.errors import GripError, describe, unexpected
from grip.faults import os_error_text
from workbooks import layout
from workbooks.bookio import BookIO, WriteRefused

log = logging.getLogger("grip.addin")


class Message(str):
    """A button's Dutch message; ``ok`` is False when the button did not do its work (a
    refusal or an error), so that ``grip werkmap knop`` writes nothing and exits with 2."""

    ok: bool

    def __new__(cls, text: str, ok: bool = True) -> "Message":
        message = super().__new__(cls, text)
        message.ok = ok
        return message


class JobUnavailable(Exception):
    """The job behind a button is not part of this version of Grip."""


def load_job(button_id: str):
    """The job module of a button, or ``JobUnavailable`` with a Dutch message."""
    b = ribbon.button(button_id)
    module_name = f"grip.jobs.{b.job}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise JobUnavailable(
                f"De knop '{b.label}' is in deze versie van Grip nog niet beschikbaar "
                f"(onderdeel {module_name} ontbreekt).") from None
        raise
    if not (hasattr(module, "run_button") or hasattr(module, "run_book")):
        raise JobUnavailable(f"De knop '{b.label}' is in deze versie van Grip nog niet "
                             f"beschikbaar ({module_name} heeft geen run_button).")
    return module


def run_button(button_id: str, book: BookIO) -> Message:
    """Run the job of one ribbon button on ``book``; returns the Dutch message for the user.

    Known problems (job not available, missing named range, a ``GripError`` of the calc
    core, a refused write, a file-system fault in ``grip.faults``' words) become the message;
    anything else is logged and summarised."""
    try:
        b = ribbon.button(button_id)
    except KeyError as exc:
        return Message(f"Grip: {exc.args[0]}", ok=False)
    try:
        module = load_job(button_id)
        if hasattr(module, "run_button"):
            return _run_engine(b, module, book)
        return Message(module.run_book(book))
    except JobUnavailable as exc:
        return Message(str(exc), ok=False)
    except GripError as exc:       # a named range's problem is shown at its cell
        return Message(f"{b.label}: niet gelukt: "
                       f"{describe(exc, cell=getattr(book, 'cell_of', None))}", ok=False)
    except WriteRefused as exc:
        return Message(f"{b.label}: niet geschreven: {exc}", ok=False)
    except OSError as exc:  # a file-system fault: worded as on the command line
        return Message(f"{b.label}: niet gelukt: {os_error_text(exc)}", ok=False)
    except Exception as exc:  # noqa: BLE001 — the user gets a message, the log the details
        from addin.logfile import ensure_log_file, where_text

        ensure_log_file()
        log.exception("button %s failed", button_id)
        return Message(unexpected(f"de knop '{b.label}'", exc, log=where_text()), ok=False)


def _run_engine(b: ribbon.Button, module, book: BookIO) -> Message:
    inputs_wanted: Sequence[str] = tuple(getattr(module, "INPUT_NAMES", ()))
    allowed: Sequence[str] = tuple(getattr(module, "OUTPUT_NAMES", ()))
    optional: Sequence[str] = tuple(getattr(module, "OPTIONAL_NAMES", ()))
    present = book.names()
    if layout.NAME_VALUES_COPY in present:
        from grip.jobs.waarden import refusal

        return Message(refusal(b.label), ok=False)
    missing = [n for n in (*inputs_wanted, *allowed) if n not in present]
    if [n for n in missing if n not in optional]:
        return Message(f"{b.label}: deze werkmap mist de bereiken {', '.join(missing)}. "
                       "Werk de werkmap bij met 'grip werkmap bijwerken'.", ok=False)
    inputs = {name: book.read(name) for name in inputs_wanted if name in present}
    if "folder" in inspect.signature(module.run_button).parameters:
        # a job that works beside the workbook (the store when grip_opslag is empty)
        folder = getattr(book, "folder", None)
        outputs = module.run_button(inputs, folder=folder() if folder is not None else None)
    else:
        outputs = module.run_button(inputs)
    foreign = [n for n in outputs if n not in allowed]
    if foreign:
        raise WriteRefused(f"de taak wil buiten zijn eigen uitvoer schrijven: {', '.join(foreign)}")
    written = {name: rows for name, rows in outputs.items() if name in present}
    for name, rows in written.items():
        book.write(name, rows)
    text = f"{b.label}: klaar, {len(written)} tabel(len) bijgewerkt."
    if missing:
        # a workbook saved before these ranges existed: the rest works, the message says
        # what it lacks, and carries what would have been written there (``skipped_text``)
        text += (f"\nDeze werkmap mist nog {', '.join(missing)}; 'grip werkmap bijwerken' "
                 "voegt die toe.")
        skipped = getattr(module, "skipped_text", None)
        for name in missing:
            extra = skipped(name, outputs[name]) if skipped and name in outputs else ""
            if extra:
                text += "\n\n" + extra
    return Message(text)


def run_from_excel(button_id: str) -> None:
    """Run a button on the workbook that called it in Excel and show the message there."""
    import xlwings as xw

    from workbooks.bookio import XlwingsBook

    book = XlwingsBook(xw.Book.caller())
    book.message(str(run_button(button_id, book)))
