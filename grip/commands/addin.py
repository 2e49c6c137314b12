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
    register_lite(actions)
    register_install(actions)


def run_build(args) -> int:
    files = build_addin(args.uit, python_win=args.python)
    print(f"Invoegtoepassing geschreven: {files.addin}")
    print(f"VBA-modules (eenmalig importeren, zie README): {files.ribbon_module.name}, "
          f"{files.udf_module.name}")
    return 0


def register_lite(actions) -> None:
    from grip.jobs.addin_lite import build_lite  # noqa: F401  (fails early if missing)

    lite = actions.add_parser(
        "lite", help="schrijf main.py, requirements.txt en een begrotingsmodel voor xlwings Lite")
    lite.add_argument("--uit", type=Path, required=True, metavar="MAP", help="doelmap")
    lite.add_argument("--wiel", required=True, metavar="ADRES",
                      help="https-adres van het Grip-wiel (.whl) dat de gemeente aanbiedt, of "
                           "de pakketnaam in een eigen pakketindex")
    lite.add_argument("--werkmap", type=Path, metavar="PAD",
                      help="bestaand begrotingsmodel dat de code meekrijgt (wordt niet "
                           "gewijzigd; de kopie heet <naam>_lite.xlsx)")
    lite.set_defaults(handler=run_lite)


def run_lite(args) -> int:
    from grip.jobs.addin_lite import build_lite

    files = build_lite(args.uit, args.wiel, workbook=args.werkmap)
    print(f"Voor xlwings Lite geschreven: {files.main}, {files.requirements}")
    print(f"Begrotingsmodel met de code erin: {files.workbook}")
    print("Niet in Excel getest: opent xlwings Lite de code niet vanzelf, plak dan main.py en "
          "requirements.txt in de editor van xlwings Lite.")
    return 0


def register_install(actions) -> None:
    inst = actions.add_parser(
        "installeer", help="installeer grip.xlam in het eigen Excel-profiel (Windows, zonder "
                           "beheerdersrechten): VBA-modules erin, in de map XLSTART")
    inst.add_argument("--python", metavar="PAD",
                      help="pythonw.exe die Excel start (standaard: die naast deze Python)")
    inst.set_defaults(handler=run_install)
    rm = actions.add_parser("verwijder", help="haal grip.xlam weer uit het eigen Excel-profiel")
    rm.set_defaults(handler=run_uninstall)


def run_install(args) -> int:
    from grip.jobs.addin_install import (ExcelVbaImporter, Profile, WindowsRegistry, install)

    profile = Profile.current()
    report = install(profile, WindowsRegistry(), ExcelVbaImporter(), python_win=args.python)
    print("\n".join(report.lines))
    return 0


def run_uninstall(args) -> int:
    from grip.jobs.addin_install import Profile, uninstall

    print("\n".join(uninstall(Profile.current()).lines))
    return 0
