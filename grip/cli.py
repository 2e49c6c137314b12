"""The ``grip`` command line. Each command group lives in ``grip.commands.<name>``."""

from __future__ import annotations

import importlib
import logging
import sys

from calc.errors import GripError, describe
from grip.nl_argparse import ArgumentParser

#: Command groups, in the order ``grip --help`` lists them.
COMMANDS = (
    "demo",
    "berichten",
    "prognose",
    "begroting",
    "gripniveau",
    "scenario",
    "werkmap",
    "addin",
)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="grip",
        description="Grip: grip op de begroting van het sociaal domein.",
    )
    sub = parser.add_subparsers(dest="opdracht", required=True, metavar="OPDRACHT",
                                parser_class=ArgumentParser)
    for name in COMMANDS:
        importlib.import_module(f"grip.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; a GripError becomes a Dutch message (``calc.errors.describe``, as on a
    button and in a cell) and exit code 2."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except GripError as exc:
        print(f"Fout: {describe(exc)}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"Fout: bestand niet gevonden: {exc.filename}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
