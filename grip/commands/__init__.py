"""Command groups of ``grip``; each module has ``register(subparsers)``.

The options that several commands share are defined here once.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd


def peilmaand(text: str) -> pd.Timestamp:
    """A month as the controller types it everywhere (``calc.cells.parse_month``: 2025-06,
    06-2025, jun 2025, juni 2025 ...) -> its first day (argparse type, Dutch error).

    >>> peilmaand("2025-06"), peilmaand("juni 2025")
    (Timestamp('2025-06-01 00:00:00'), Timestamp('2025-06-01 00:00:00'))
    """
    from calc.cells import parse_month

    month, reason = parse_month(text)
    if reason is not None:
        raise argparse.ArgumentTypeError(reason)
    return pd.Timestamp(month)


def instroom_wijziging(text: str):
    """``JJJJ-MM:PERCENTAGE`` -> the announced change of the inflow (argparse type, Dutch
    error); the rules of the Prognose sheet's two input cells
    (``grip.jobs.prognose.inflow_change``).

    >>> instroom_wijziging("2025-07:-20%")
    (Timestamp('2025-07-01 00:00:00'), -0.2)
    """
    from calc.errors import InputError
    from grip.jobs.prognose import inflow_change

    month, sep, change = text.partition(":")
    flag = "--instroom-wijziging"
    if not sep or not month.strip() or not change.strip():
        raise argparse.ArgumentTypeError(f"'{text}': schrijf MAAND:PERCENTAGE, bijvoorbeeld "
                                         "2025-07:-20%")
    try:
        return inflow_change(month, change.strip() if change.strip().endswith("%")
                             else change.strip() + "%", where=(flag, flag))
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message.removeprefix(f"{flag}: ")) from None


def bedrag(text: str) -> float:
    """An amount in euro as a controller types it (``calc.cells``: 1.234.567, € 1.234.567,89,
    1234567.89) (argparse type, Dutch error).

    >>> bedrag("€ 1.234.567,89"), bedrag("2500000")
    (1234567.89, 2500000.0)
    """
    from calc.cells import parse_number

    value, reason = parse_number(text)
    if reason is not None:
        raise argparse.ArgumentTypeError(f"{reason}; typ een bedrag in euro, bijvoorbeeld "
                                         "1.250.000")
    return value


def fractie(text: str) -> float:
    """A share from 0 to 1 as a controller types it: 0,06, 0.06 or 6% (argparse type, Dutch
    error). A number above 1 is refused: 6 would be 600%, and is meant as 6%.

    >>> fractie("6%"), fractie("0,06")
    (0.06, 0.06)
    """
    from calc.cells import nl, parse_fraction

    value, reason = parse_fraction(text)
    if reason is None and not 0 <= value <= 1:
        reason = (f"{nl(value)} is {nl(value * 100)}%; typ een fractie van 0 tot en met 1 "
                  f"of een percentage, bijvoorbeeld 0,06 of 6%")
    if reason is not None:
        raise argparse.ArgumentTypeError(reason)
    return value


def add_inflow_option(parser) -> None:
    """``--instroom-wijziging JJJJ-MM:PERCENTAGE``: an announced change of the new clients."""
    parser.add_argument("--instroom-wijziging", dest="instroom", type=instroom_wijziging,
                        default=None, metavar="JJJJ-MM:PCT",
                        help="aangekondigde verandering van het aantal nieuwe cliënten vanaf "
                             "een maand, bijvoorbeeld 2025-07:-20%% voor een korting van een "
                             "vijfde vanaf juli 2025 (zelfde als de invoer op het blad Prognose)")


def gemeentecode(text: str) -> str | None:
    """argparse type of ``--gemeentecode``: ``municipality_code``'s rules, its Dutch message.

    >>> gemeentecode("363")
    '0363'
    """
    from calc.errors import InputError
    from grip.jobs.prognose import municipality_code

    try:
        return municipality_code(text, "--gemeentecode")
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def add_code_option(parser) -> None:
    """``--gemeentecode CODE``: one municipality of a region's store (read as ``code``)."""
    parser.add_argument("--gemeentecode", dest="code", default=None, metavar="CODE",
                        type=gemeentecode,
                        help="alleen de berichten van deze gemeente (CBS-code, bijvoorbeeld "
                             "0363); standaard alle gemeenten in de opslag")


def begrotingsjaar(text: str) -> int:
    """A begrotingsjaar within what a model can hold (argparse type, Dutch error).

    >>> begrotingsjaar("2028")
    2028
    """
    from workbooks.layout import BUDGET_YEAR_MAX, BUDGET_YEAR_MIN

    if not text.strip().isdigit() or not BUDGET_YEAR_MIN <= int(text) <= BUDGET_YEAR_MAX:
        raise argparse.ArgumentTypeError(f"'{text}' is geen begrotingsjaar: een jaar van "
                                         f"{BUDGET_YEAR_MIN} tot en met {BUDGET_YEAR_MAX}")
    return int(text)


def add_store_options(parser, *, required: bool, store_help: str) -> None:
    """``--opslag PAD`` and ``--peilmaand MAAND`` (the evaluation month of the prognose)."""
    parser.add_argument("--opslag", type=Path, required=required, default=None, metavar="PAD",
                        help=store_help)
    parser.add_argument("--peilmaand", type=peilmaand, default=None, metavar="MAAND",
                        help="rekenen alsof het deze maand is, bijvoorbeeld 2025-06, 06-2025 "
                             "of juni 2025 (standaard: de laatste declaratiemaand)")
