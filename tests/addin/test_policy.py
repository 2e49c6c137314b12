"""Tests of the one error policy every UDF goes through."""

import logging

import pytest

from addin.policy import MAX_TEXT, REGISTRY, bereik, error_text, getal, udf
from addin.udfs import SD_TOTAALEFFECT
from calc.errors import InputError, ModelError, Problem


def test_text_in_the_matrix_names_argument_row_and_column():
    """Text in a range gives the argument, the 1-based row and column, and what was found."""
    out = SD_TOTAALEFFECT([[0.1, 0.0], [0.0, "veel"]], [[1.0], [2.0]])
    assert out == "#INVOER: matrix, rij 2, kolom 2: tekst 'veel' is geen getal"


def test_all_problems_are_counted():
    """Several bad cells: the first is shown, the others are counted."""
    out = SD_TOTAALEFFECT([["a", "b"], ["c", 0.0]], [[1.0], [2.0]])
    assert out.startswith("#INVOER: matrix, rij 1, kolom 1:") and out.endswith("(en nog 2 problemen)")


def test_unstable_matrix_gives_a_model_message():
    """An unstable matrix is refused in the cell with the reason."""
    out = SD_TOTAALEFFECT([[1.2]], [[1.0]])
    assert out.startswith("#MODEL: matrix: de effecten doven niet uit")


def test_excel_error_value_in_a_cell_is_named():
    """An error value such as #DEEL/0! in an input range is reported as such."""
    assert "foutwaarde #DIV/0!" in SD_TOTAALEFFECT([["#DIV/0!"]], [[1.0]])


def test_unexpected_error_is_logged_in_full_and_shown_short(scratch_registry, caplog):
    """An error nobody foresaw reaches the log with its traceback and the cell without it."""

    @udf(x=getal("een getal"))
    def SD_PROEF_DELING(x):
        """Proef."""
        return 1 / x

    with caplog.at_level(logging.ERROR, logger="grip.addin"):
        out = SD_PROEF_DELING(0.0)
    assert out.startswith("#INTERN: onverwachte fout in SD_PROEF_DELING (ZeroDivisionError)")
    assert "Traceback" not in out
    assert "ZeroDivisionError" in caplog.text and caplog.records[0].exc_info


def test_messages_never_exceed_255_characters():
    """However long the message, the cell text is cut at 255 characters."""
    long = InputError("x" * 1000, argument="matrix", row=0, column=0,
                      problems=[Problem("x" * 1000)] * 5)
    assert len(error_text(long)) == MAX_TEXT


@pytest.mark.parametrize("definition, rule", [
    ("def SD_A(x, *, y=1):\n    'Hulp.'\n", "positional"),
    ("def GEEN_SD(x):\n    'Hulp.'\n", "start with SD_"),
    ("def SD_B(x):\n    pass\n", "docstring"),
    ("def SD_C(x, y):\n    'Hulp.'\n", "no help text"),
])
def test_the_decorator_enforces_the_conventions(scratch_registry, definition, rule):
    """Keyword-only parameters, a missing SD_ prefix, help or docstring are refused at import."""
    namespace = {}
    exec(definition + "    return x", namespace)
    fn = next(v for k, v in namespace.items() if callable(v))
    with pytest.raises(TypeError, match=rule):
        udf(x=bereik("x"))(fn)


def test_model_errors_use_their_own_prefix():
    """Every error kind keeps a stable prefix."""
    assert error_text(ModelError("instabiel")) == "#MODEL: instabiel"


def test_optional_parameter_is_recorded_and_may_be_omitted(scratch_registry):
    """A trailing parameter with default None is optional in the contract and may be left out."""

    @udf(x=getal("een getal"), y=getal("optioneel: tweede getal, standaard 2"))
    def SD_PROEF_OPTIONEEL(x, y=None):
        """Proef."""
        return x * (2.0 if y is None else y)

    assert [p.optional for p in REGISTRY["SD_PROEF_OPTIONEEL"].params] == [False, True]
    assert SD_PROEF_OPTIONEEL(3.0) == 6.0 and SD_PROEF_OPTIONEEL(3.0, None) == 6.0
    assert SD_PROEF_OPTIONEEL(3.0, 3.0) == 9.0


def test_optional_parameter_must_default_to_none(scratch_registry):
    """A default other than None is refused: Excel and the headless engine hand None."""
    def SD_PROEF_STANDAARD(x, y=True):
        """Proef."""
        return x

    with pytest.raises(TypeError, match="must default to None"):
        udf(x=getal("x"), y=getal("y"))(SD_PROEF_STANDAARD)
