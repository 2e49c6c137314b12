"""``grip gripniveau``: measure the grip KPIs and write the one-page quick-scan report."""

from __future__ import annotations

from pathlib import Path

from grip.commands import add_code_option, bedrag, fractie
from grip.jobs import gripniveau as job


def register(sub) -> None:
    p = sub.add_parser("gripniveau", help="gripniveau: KPI's meten en de quickscan maken",
                       description="Gripniveau (ernstig / waakzaam / in controle) over negen "
                                   "onderwerpen, uit de zelfbeoordeling en het berichtenverkeer.")
    actions = p.add_subparsers(dest="actie", required=True, metavar="ACTIE")

    meet = actions.add_parser("meten", help="meet de KPI's uit de opslag van het berichtenverkeer")
    meet.add_argument("--opslag", type=Path, required=True, metavar="PAD",
                      help="de opslag van het berichtenverkeer")
    _kpi_options(meet)
    meet.set_defaults(handler=run_measure)

    rap = actions.add_parser("rapport", help="schrijf de quickscan (één pagina HTML)")
    rap.add_argument("--uit", type=Path, required=True, metavar="PAD", help="doelbestand (.html)")
    rap.add_argument("--gemeente", default="Gemeente Voorbeeld", help="naam van de gemeente")
    rap.add_argument("--werkmap", type=Path, metavar="PAD",
                     help="begrotingsmodel met de ingevulde zelfbeoordeling (blad Gripniveau); "
                          "zonder: de demo van Gemeente Voorbeeld")
    rap.add_argument("--opslag", type=Path, metavar="PAD",
                     help="opslag van het berichtenverkeer; zonder: alleen de zelfbeoordeling")
    rap.add_argument("--opgave", type=bedrag, metavar="EURO",
                     help="financiële opgave (tekort, positief) per jaar uit de meerjarenraming, in euro "
                          "(standaard: uit de werkmap)")
    rap.add_argument("--start", metavar="KWARTAAL",
                     help="eerste kwartaal van de ontwikkelagenda (standaard: uit de werkmap, "
                          "anders 2027-K1)")
    _kpi_options(rap)
    rap.set_defaults(handler=run_report)


def _kpi_options(p) -> None:
    p.add_argument("--grootboek", type=bedrag, metavar="EURO",
                   help="totaal van de uitgaven in het grootboek (voor het aandeel buiten de berichten)")
    p.add_argument("--prognosefout", type=fractie, metavar="FRACTIE",
                   help="prognosefout van vorig jaar, bijv. 0,06 of 6%%")
    p.add_argument("--startdagen", type=int, default=30, metavar="DAGEN",
                   help="afgesproken termijn voor het startbericht (standaard 30 dagen)")
    add_code_option(p)


def _options(args) -> dict:
    return {"ledger_total_euro": args.grootboek, "backtest": args.prognosefout,
            "start_days": args.startdagen, "municipality_code": args.code,
            "code_where": "--gemeentecode"}


def run_measure(args) -> int:
    measurement = job.measure_kpis(args.opslag, **_options(args))
    for note in measurement.notes:
        print(note)
    print(f"Gemeten KPI's uit {args.opslag}:")
    print("\n".join(job.kpi_lines(measurement)))
    return 0


def run_report(args) -> int:
    sheet = job.demo_or_read(args.werkmap, args.gemeente)
    kpis = job.measure_kpis(args.opslag, **_options(args)) if args.opslag else None
    challenge = args.opgave if args.opgave is not None else sheet.challenge_euro
    scan = job.quick_scan(sheet.assessment, kpis=kpis, challenge_euro=challenge,
                          municipality=args.gemeente, start=args.start or sheet.start or "2027-K1",
                          settings=sheet.settings,
                          provider_names=job.provider_register_of(args.werkmap, args.gemeente))
    path = job.write_report(scan, args.uit)
    level = scan.assessment.level.value if scan.assessment.level else "geen gegevens"
    print(f"Quickscan geschreven: {path} (gripniveau: {level})")
    for note in kpis.notes if kpis is not None else ():
        print(note)
    return 0
