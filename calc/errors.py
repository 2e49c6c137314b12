"""The exception hierarchy of the calc core.

Every error carries a Dutch message for the controller and, where it applies, the
argument it concerns and the 0-based row and column *within that argument*. The
add-in's error policy turns these into a short cell message with a stable ``#`` prefix;
the command line prints them; the calc core never formats cell addresses itself.

>>> err = InputError("tekst 'abc' is geen getal", argument="matrix", row=1, column=2)
>>> err.prefix, err.argument, err.row, err.column
('#INVOER', 'matrix', 1, 2)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem with an input: what is wrong and where (0-based within the argument)."""

    message: str
    argument: str | None = None
    row: int | None = None
    column: int | None = None


class GripError(Exception):
    """Base of all errors the calc core raises on purpose.

    Parameters
    ----------
    message : str
        Dutch, one sentence, for the controller: which rule, what was received.
    argument : str, optional
        Name of the input (the UDF parameter name where there is one).
    row, column : int, optional
        0-based position inside that input.
    problems : list of Problem, optional
        Further problems found in the same check, so a user sees them all at once.
    """

    prefix = "#FOUT"

    def __init__(
        self,
        message: str,
        *,
        argument: str | None = None,
        row: int | None = None,
        column: int | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument
        self.row = row
        self.column = column
        self.problems = list(problems or [Problem(message, argument, row, column)])

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> "GripError":
        """Build one error from several problems; the first one leads."""
        first = problems[0]
        return cls(first.message, argument=first.argument, row=first.row,
                   column=first.column, problems=problems)


class InputError(GripError, ValueError):
    """An input breaks a rule (wrong shape, text where a number belongs, low > high ...)."""

    prefix = "#INVOER"


class ModelError(GripError, ArithmeticError):
    """The inputs are well-formed but the model refuses to answer (e.g. an unstable system)."""

    prefix = "#MODEL"


class TooLittleHistoryError(InputError):
    """Not enough history to estimate what was asked (too few periods, an empty lag column)."""

    prefix = "#HISTORIE"


class NotFittedError(GripError, AttributeError):
    """An estimator was asked for results before ``fit`` was called."""

    prefix = "#NIETGESCHAT"


def raise_if(problems: list[Problem], error: type[GripError] = InputError) -> None:
    """Raise ``error`` with all collected problems, if there are any.

    >>> raise_if([])
    >>> raise_if([Problem("te groot", "x")])
    Traceback (most recent call last):
    ...
    calc.errors.InputError: te groot
    """
    if problems:
        raise error.from_problems(problems)
