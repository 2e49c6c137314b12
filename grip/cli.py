"""The ``grip`` command line. Each command group lives in ``grip.commands.<name>``."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import re
import sys

from calc.errors import GripError, describe, label, unexpected
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


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def options(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Every long option of the command line and its subcommands, by its letters
    (``startdagen`` -> ``--startdagen``)."""
    found: dict[str, str] = {}
    for action in parser._actions:
        for option in action.option_strings:
            if option.startswith("--"):
                found.setdefault(_key(option), option)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                for key, option in options(sub).items():
                    found.setdefault(key, option)
    return found


def places(error: GripError, parser: argparse.ArgumentParser) -> dict[str, str]:
    """The option a calc argument stands for, by its name or its Dutch words: ``start_dagen``
    -> ``--startdagen``, ``as_of`` (peilmaand) -> ``--peilmaand``; none for the others."""
    known = options(parser)
    out = {}
    for problem in error.problems:
        arg = problem.argument
        option = arg and (known.get(_key(arg)) or known.get(_key(label(arg))))
        if option:
            out[arg] = option
    return out


#: Further problems of one error listed under its first line (a file's other bad lines).
MORE_PROBLEMS = 20


def _more_problems(exc: GripError, where: dict[str, str]) -> list[str]:
    """The problems after the first, one line each, as ``describe`` words the first (a
    terminal has room for them; a cell and a button message do not)."""
    from calc.errors import InputError

    rest = exc.problems[1:]
    errors = (InputError(p.message, argument=p.argument, row=p.row, column=p.column)
              for p in rest[:MORE_PROBLEMS])
    lines = [f"  ook: {describe(e, where)}" for e in errors]
    if len(rest) > MORE_PROBLEMS:
        lines.append(f"  … en nog {len(rest) - MORE_PROBLEMS}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run one command; a GripError becomes a Dutch message (``calc.errors.describe``, as on a
    button and in a cell) and exit code 2."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except GripError as exc:
        where = places(exc, parser)
        print(f"Fout: {describe(exc, where)}", file=sys.stderr)
        for line in _more_problems(exc, where):
            print(line, file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped early (`grip ... | head`): that is no error of the command; the
        # rest of the output goes nowhere, as the Python docs advise (signal.SIGPIPE's note)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
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
