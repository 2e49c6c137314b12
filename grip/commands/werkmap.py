"""``grip werkmap``: build and recalculate the begrotingsmodel."""

from __future__ import annotations

from pathlib import Path

from workbooks.begrotingsmodel import build_workbook
from workbooks.context import BuildContext
from workbooks.files import save
from workbooks.recalc import recalculate


def register(sub) -> None:
    p = sub.add_parser("werkmap", help="bouw of herbereken een begrotingsmodel")
    actions = p.add_subparsers(dest="actie", required=True, metavar="ACTIE")

    bouw = actions.add_parser("bouw", help="bouw een nieuw begrotingsmodel")
    bouw.add_argument("--uit", type=Path, required=True, metavar="PAD", help="doelbestand (.xlsx)")
    bouw.add_argument("--gemeente", default="Gemeente Voorbeeld", help="naam van de gemeente")
    bouw.set_defaults(handler=run_build)

    her = actions.add_parser("herbereken", help="reken een werkmap door zonder Excel")
    her.add_argument("pad", type=Path, metavar="PAD", help="de werkmap (.xlsx)")
    her.add_argument("--uit", type=Path, metavar="PAD2",
                     help="schrijf een kopie met de berekende waarden")
    her.set_defaults(handler=run_recalc)


def run_build(args) -> int:
    path = save(build_workbook(BuildContext(municipality=args.gemeente)), args.uit)
    print(f"Begrotingsmodel geschreven: {path}")
    return 0


def run_recalc(args) -> int:
    rec = recalculate(args.pad)
    errors = list(rec.errors())
    print(f"Herberekend: {len(rec.values)} cellen, {len(errors)} foutmeldingen.")
    for sheet, address, value in errors[:20]:
        print(f"  {sheet}!{address}: {value}")
    if args.uit:
        from openpyxl import load_workbook

        wb = load_workbook(args.pad)
        for (sheet, address), value in rec.values.items():
            cell = wb[sheet][address]
            if isinstance(cell.value, str) and cell.value.startswith("=") or \
                    type(cell.value).__name__ == "ArrayFormula" or \
                    (cell.value is None and value is not None):
                cell.value = value
        save(wb, args.uit)
        print(f"Kopie met waarden geschreven: {args.uit}")
    return 1 if errors else 0
