"""The ``grip`` command line. Each command group lives in ``grip.commands.<name>``."""

from __future__ import annotations

import errno
import importlib
import logging
import sys

from calc.errors import GripError
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
    """Run one command; a GripError becomes a Dutch message and exit code 2."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except GripError as exc:
        where = f" ({exc.argument})" if exc.argument else ""
        print(f"Fout{where}: {exc.message}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"Fout: bestand niet gevonden: {exc.filename}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Fout: {os_error_text(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — the user gets a Dutch line, the log the details
        from addin.logfile import ensure_log_file, where_text

        ensure_log_file()
        logging.getLogger("grip.cli").error("command failed", exc_info=exc)
        print(f"Fout: onverwachte fout ({type(exc).__name__}); {where_text()}.", file=sys.stderr)
        return 3


#: Dutch text per errno of the file-system faults a user meets.
_OS_ERRORS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EACCES: "geen toegang (alleen-lezen of geen rechten)",
    errno.EPERM: "geen toegang (alleen-lezen of geen rechten)",
    errno.EROFS: "de map is alleen-lezen",
    getattr(errno, "EDQUOT", -1): "de schijfruimte (quotum) is op",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
}


def os_error_text(exc: OSError) -> str:
    """A Dutch line for a file-system fault, naming the file.

    >>> os_error_text(OSError(28, "No space left on device", "/tmp/x.duckdb"))
    'de schijf is vol: /tmp/x.duckdb'
    """
    what = _OS_ERRORS.get(exc.errno, f"het bestand kan niet worden gelezen of geschreven "
                                     f"(systeemfout {exc.errno})")
    where = exc.filename or ""
    return f"{what}: {where}" if where else what


if __name__ == "__main__":
    raise SystemExit(main())
