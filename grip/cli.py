"""The ``grip`` command line. Each command group lives in ``grip.commands.<name>``."""

from __future__ import annotations

import importlib
import logging
import sys

from calc.errors import GripError, describe, unexpected
from grip.faults import os_error_text
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
    except OSError as exc:
        print(f"Fout: {os_error_text(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — the user gets a Dutch line, the log the details
        from addin.logfile import record_exception, where_text

        record_exception("grip.cli", "command failed", exc)
        print(f"Fout: {unexpected(None, exc, log=where_text())}.", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
