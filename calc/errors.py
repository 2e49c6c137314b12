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

from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: What a user reads for an input that calc names by its Python argument (a table of the
#: store, a keyword option, an input block): ``describe`` shows these Dutch words, the error
#: keeps ``argument`` as raised, for developers and for a channel to find its own place (the
#: command line's option, ``grip.cli``). The UDFs' parameters are Dutch already and need none;
#: ``tests/calc/test_errors_dutch.py`` checks that every argument calc raises with is one or
#: the other.
LABELS = {
    "claim_lines": "declaratieregels in de opslag",
    "allocations": "toewijzingen in de opslag",
    "starts_stops": "start- en stopberichten in de opslag",
    "requests": "aanvragen (315) in de opslag",
    "rejected_lines": "afgewezen declaratieregels in de opslag",
    "snapshots": "eerdere prognoses",
    "as_of": "peilmaand",
    "window_end": "einde van de periode",
    "level": "marge",
    "tail": "staartfactor",
    "prior": "verwachting uit de verplichtingen",
    "sample_weight": "gewichten",
    "backtest": "prognosefout",
    "start_dagen": "startdagen",
    "demo": "voorbeeldbeoordeling",
    "aandeel_sociaal_domein": "aandeel sociaal domein",
    "onttrekking_reserves": "onttrekking reserves",
    "overige_baten": "overige baten",
    "afwijkingen": "afwijkingen",
    "grootboek": "grootboek",
    "hervormingsagenda": "hervormingsagenda",
    "korting": "korting",
    "lasten": "lasten",
    "niveaus": "niveaus",
    "prognose": "prognose",
    "routekaart": "routekaart",
    "zelfbeoordeling": "zelfbeoordeling",
    "thema's": "thema's",
}


#: How ``describe`` counts the problems after the first: `` (en nog 2 problemen)``.
MORE = " (en nog "


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


def label(argument: str | None) -> str | None:
    """The Dutch words for an argument (``LABELS``; a UDF's Dutch parameter stays as it is).

    >>> label("claim_lines"), label("schok"), label(None)
    ('declaratieregels in de opslag', 'schok', None)
    """
    return LABELS.get(argument, argument) if argument else argument


def describe(error: GripError, places: Mapping[str, str] | None = None,
             cell: Callable[[str, int | None, int | None], str | None] | None = None) -> str:
    """Where and what, the one way every channel shows a ``GripError``: the argument, the
    1-based row and column within it, the message, and how many more problems there are.

    The add-in puts the prefix before it (``#INVOER: ...``), a ribbon button the button's
    label, the command line ``Fout:``. A message that already names its place (it starts with
    the argument, as a file reader's "m.csv, regel 2, kolom thema: ...") is shown as it is.
    The argument is shown as ``places`` names it (the command line: its option) or else in
    the Dutch words of ``LABELS``, never as a Python name. ``cell``: where the argument's row
    and column stand in the user's own terms (a ribbon button: the workbook's cell of a named
    range, ``Parameters!B8``), or ``None`` for an argument it does not know.

    >>> describe(InputError("tekst 'x' is geen getal", argument="matrix", row=1, column=2))
    "matrix, rij 2, kolom 3: tekst 'x' is geen getal"
    >>> describe(InputError.from_problems([Problem("leeg", "schok", 4), Problem("leeg", "schok", 5)]))
    'schok, rij 5: leeg (en nog 1 probleem)'
    >>> describe(InputError("m.csv, regel 2: te kort", argument="m.csv", row=0))
    'm.csv, regel 2: te kort'
    >>> describe(InputError("er zijn geen declaratieregels", argument="claim_lines"))
    'declaratieregels in de opslag: er zijn geen declaratieregels'
    >>> describe(InputError("ligt niet in 2025", argument="as_of"), {"as_of": "--peilmaand"})
    '--peilmaand: ligt niet in 2025'
    >>> describe(InputError("leeg", argument="grip_berichtenmap", row=0, column=0),
    ...          cell=lambda name, row, column: "Parameters!B8")
    'Parameters!B8: leeg'
    """
    where = []
    located = bool(error.argument) and error.message.startswith((f"{error.argument},",
                                                                 f"{error.argument}:"))
    at = cell(error.argument, error.row, error.column) if cell and error.argument else None
    if at and not located:
        where.append(at)
    elif error.argument and not located:
        where.append((places or {}).get(error.argument) or label(error.argument))
        if error.row is not None:
            where.append(f"rij {error.row + 1}")
        if error.column is not None:
            where.append(f"kolom {error.column + 1}")
    text = (", ".join(where) + ": " if where else "") + error.message
    extra = len(error.problems) - 1
    if extra > 0:
        text += f"{MORE}{extra} {'probleem' if extra == 1 else 'problemen'})"
    return text


def unexpected(what: str | None, exc: BaseException, log: str | None = None) -> str:
    """The one text for an error nobody foresaw (the details go to Grip's log, never to the user).
    ``what`` names where it happened (a UDF, a button); the command line leaves it out.

    >>> unexpected("SD_X", ZeroDivisionError())
    'onverwachte fout in SD_X (ZeroDivisionError); de details staan in het logbestand van Grip'
    >>> unexpected(None, RecursionError(), log="de details staan in grip.log")
    'onverwachte fout (RecursionError); de details staan in grip.log'
    """
    where = log or "de details staan in het logbestand van Grip"
    place = f" in {what}" if what else ""
    return f"onverwachte fout{place} ({type(exc).__name__}); {where}"


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
