"""``grip werkmap``: build, recalculate, share, update and check the begrotingsmodel."""

from __future__ import annotations

from pathlib import Path

from addin import ribbon
from calc import profile
from calc.errors import GripError, InputError
from grip.commands import begrotingsjaar
from workbooks import layout
from workbooks.begrotingsmodel import build_workbook
from workbooks.context import BuildContext
from workbooks.files import save
from workbooks.recalc import recalculate


def register(sub) -> None:
    p = sub.add_parser("werkmap", help="bouw of herbereken een begrotingsmodel")
    actions = p.add_subparsers(dest="actie", required=True, metavar="ACTIE")

    bouw = actions.add_parser("bouw", help="bouw een nieuw begrotingsmodel")
    bouw.add_argument("--uit", type=Path, required=True, metavar="PAD", help="doelbestand (.xlsx)")
    bouw.add_argument("--gemeente", default=profile.NAME, help="naam van de gemeente")
    bouw.add_argument("--jaar", type=begrotingsjaar, default=BuildContext().budget_year,
                      help="begrotingsjaar (standaard: %(default)s)")
    bouw.add_argument("--waarden", type=Path, metavar="PAD2",
                      help="schrijf ook de kopie met alleen waarden (zonder Excel doorgerekend)")
    bouw.add_argument("--vervang", action="store_true",
                      help="vervang een bestaand bestand (eerst een reservekopie ernaast); "
                           "zonder deze optie weigert Grip een bestaand bestand")
    bouw.set_defaults(handler=run_build)

    waarden = actions.add_parser("waarden", help="kopie zonder formules, voor wie Grip niet heeft")
    waarden.add_argument("pad", type=Path, metavar="PAD", help="de werkmap (.xlsx, .xlsm)")
    waarden.add_argument("--uit", type=Path, metavar="PAD2",
                         help="doelbestand (standaard: PAD met _waarden)")
    waarden.set_defaults(handler=run_values)

    bij = actions.add_parser("bijwerken",
                             help="zet een begrotingsmodel over naar het nieuwe sjabloon")
    bij.add_argument("pad", type=Path, metavar="PAD", help="de werkmap (.xlsx)")
    bij.add_argument("--reservekopie", type=Path, metavar="PAD2",
                     help="waar de reservekopie komt (standaard naast PAD; nooit overschreven)")
    bij.set_defaults(handler=run_update)

    knop = actions.add_parser("knop", help="voer een knop van het tabblad Grip uit zonder Excel")
    knop.add_argument("pad", type=Path, metavar="PAD", help="de werkmap (.xlsx)")
    knop.add_argument("knop", metavar="KNOP",
                      help="knop-id: " + ", ".join(b.id for b in ribbon.buttons()))
    knop.add_argument("--uit", type=Path, required=True, metavar="PAD2",
                      help="schrijf de bijgewerkte werkmap hierheen (PAD blijft ongewijzigd)")
    knop.set_defaults(handler=run_button_headless)

    ctl = actions.add_parser("controleren", help="lijst van fouten en invoer buiten de grenzen")
    ctl.add_argument("pad", type=Path, metavar="PAD", help="de werkmap (.xlsx, .xlsm)")
    ctl.add_argument("--uit", type=Path, metavar="PAD2",
                     help="schrijf een kopie met de lijst op het blad Controle")
    ctl.set_defaults(handler=run_check)

    her = actions.add_parser("herbereken", help="reken een werkmap door zonder Excel")
    her.add_argument("pad", type=Path, metavar="PAD", help="de werkmap (.xlsx)")
    her.add_argument("--uit", type=Path, metavar="PAD2",
                     help="schrijf een kopie met de berekende waarden")
    her.set_defaults(handler=run_recalc)


def run_build(args) -> int:
    targets = [args.uit] + ([args.waarden] if args.waarden else [])
    if args.waarden and args.waarden.resolve() == args.uit.resolve():
        raise InputError("--waarden mag niet hetzelfde bestand zijn als --uit",
                         argument="--waarden")
    existing = [p for p in targets if p.exists()]
    if existing and not args.vervang:
        names = " en ".join(str(p) for p in existing)
        raise InputError(f"{names} bestaat al; Grip overschrijft geen werkmap waarin u "
                         "misschien hebt gewerkt. Kies een andere naam, of geef --vervang mee "
                         "(dan komt er eerst een reservekopie naast).", argument="--uit")
    for old in existing:
        print(f"Reservekopie: {backup_existing(old)}")
    ctx = BuildContext(municipality=args.gemeente, budget_year=args.jaar)
    path = save(build_workbook(ctx), args.uit)
    print(f"Begrotingsmodel geschreven: {path}")
    if args.waarden:
        rec = recalculate(path)
        values_ctx = BuildContext(municipality=ctx.municipality, budget_year=ctx.budget_year,
                                  values=rec.values)
        print(f"Kopie met waarden geschreven: {save(build_workbook(values_ctx), args.waarden)}")
    return 0


def backup_existing(path: Path) -> Path:
    """The backup ``grip werkmap bijwerken`` makes, for a file ``bouw --vervang`` replaces:
    named after the file's template version (``oud`` when it is no Grip model)."""
    from grip.jobs.bijwerken import keep_backup
    from workbooks.safety import open_workbook
    from workbooks.template import template_version

    try:
        version = template_version(open_workbook(path)) or "oud"
    except (GripError, OSError):   # an unreadable or foreign file is kept all the same
        version = "oud"
    return keep_backup(path, version)


def run_values(args) -> int:
    from grip.jobs.waarden import values_copy

    result = values_copy(args.pad, args.uit)
    print(f"Kopie met waarden geschreven: {result.path} ({result.method}; "
          f"{result.formulas} formulecellen).")
    return 0


def run_update(args) -> int:
    from grip.jobs.bijwerken import update_workbook

    result = update_workbook(args.pad, backup=args.reservekopie)
    print(f"Reservekopie: {result.backup}")
    _carry_lite(result.backup, result.path)
    print(f"Bijgewerkt van sjabloonversie {result.old_version} naar {layout.TEMPLATE_VERSION}: "
          f"{result.path} ({result.carried} ingevulde cellen meegenomen).")
    if result.emptied:
        print(f"Deze tabellen hebben nu een andere vorm en zijn leeggemaakt; vul ze opnieuw met "
              f"hun knop: {', '.join(result.emptied)}.")
    return 0


def run_button_headless(args) -> int:
    from grip.buttons import run_button
    from workbooks.bookio import OpenpyxlBook

    if args.uit.resolve() == args.pad.resolve():
        print("Fout: --uit mag niet gelijk zijn aan PAD; Grip overschrijft de werkmap niet.")
        return 2
    book = OpenpyxlBook(args.pad)
    message = run_button(args.knop, book)
    print(message)
    if not message.ok:
        print(f"Niets geschreven: {args.uit} is niet gemaakt.")
        return 2
    print(f"Werkmap geschreven: {book.save(args.uit)}")
    _carry_lite(args.pad, args.uit)
    return 0


def _carry_lite(source: Path, target: Path) -> None:
    """openpyxl drops the code of xlwings Lite; put it back as it was (issue 15)."""
    from grip.jobs.addin_lite import carry_lite_parts

    if carry_lite_parts(source, target):
        print("De code van xlwings Lite (main.py, requirements.txt) is meegenomen.")


def run_check(args) -> int:
    from grip.jobs.controleren import check_workbook, run_book, summary

    findings = check_workbook(args.pad)
    print(summary(findings))
    for f in findings:
        print(f"  {f.where}  {f.kind}: {f.message}")
    if args.uit:
        from workbooks.bookio import OpenpyxlBook

        book = OpenpyxlBook(args.pad)
        print(run_book(book))
        print(f"Kopie met de lijst geschreven: {book.save(args.uit)}")
    return 1 if findings else 0


def run_recalc(args) -> int:
    rec = recalculate(args.pad)
    errors = list(rec.errors())
    print(f"Herberekend: {len(rec.values)} cellen, {len(errors)} foutmeldingen.")
    for sheet, address, value in errors[:20]:
        print(f"  {sheet}!{address}: {value}")
    if args.uit:
        from grip.jobs.waarden import replace_formulas
        from workbooks.safety import open_workbook

        wb = open_workbook(args.pad)
        replace_formulas(wb, rec.values)
        wb.calculation.fullCalcOnLoad = False
        save(wb, args.uit)
        print(f"Kopie met waarden geschreven: {args.uit}")
    return 1 if errors else 0
