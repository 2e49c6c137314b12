"""``grip addin``: build the Excel add-in file and its VBA modules."""

from __future__ import annotations

from pathlib import Path

from grip.jobs.addin_build import DEFAULT_PYTHON_WIN, build_addin


def register(sub) -> None:
    p = sub.add_parser("addin", help="bouw de invoegtoepassing voor Excel (grip.xlam)")
    actions = p.add_subparsers(dest="actie", required=True, metavar="ACTIE")
    bouw = actions.add_parser("bouw", help="schrijf grip.xlam en de VBA-modules in een map")
    bouw.add_argument("--uit", type=Path, required=True, metavar="MAP", help="doelmap")
    bouw.add_argument("--python", default=DEFAULT_PYTHON_WIN, metavar="PAD",
                      help="pythonw.exe die Excel start (standaard: %(default)s)")
    bouw.set_defaults(handler=run_build)


def run_build(args) -> int:
    files = build_addin(args.uit, python_win=args.python)
    print(f"Invoegtoepassing geschreven: {files.addin}")
    print(f"VBA-modules (eenmalig importeren, zie README): {files.ribbon_module.name}, "
          f"{files.udf_module.name}")
    return 0
