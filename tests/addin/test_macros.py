"""The VBA-facing entry keeps its name; the old import path resolves to the new homes."""

import pytest

from addin import macros


def test_the_ribbon_callback_entry_stays():
    """The built add-in's VBA calls addin.macros.run_from_excel; it hands over to grip.buttons."""
    import grip.buttons

    assert callable(macros.run_from_excel) and callable(grip.buttons.run_from_excel)


def test_old_names_resolve_to_their_new_homes():
    """from addin.macros import OpenpyxlBook, run_button ... still works this session."""
    from grip import buttons
    from workbooks import bookio, tables

    assert macros.OpenpyxlBook is bookio.OpenpyxlBook and macros.BookIO is bookio.BookIO
    assert macros.CellLink is bookio.CellLink and macros.WriteRefused is bookio.WriteRefused
    assert macros.run_button is buttons.run_button and macros.load_job is buttons.load_job
    assert macros.JobUnavailable is buttons.JobUnavailable and macros.pad is tables.fixed_rows
    with pytest.raises(AttributeError):
        macros.bestaat_niet
