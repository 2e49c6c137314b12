"""``grip scenario``: run the scenarios of a measure table file through the dwarsverbanden model."""

from __future__ import annotations

from pathlib import Path

from calc.cross_effects.measures import MEASURE_COLUMNS
from calc.text import safe_frame
from grip.commands import begrotingsjaar
from grip.jobs.scenario import DRAWS, scenario_report


def register(sub) -> None:
    p = sub.add_parser("scenario", help="reken scenario's door met de dwarsverbanden (met bandbreedte)",
                       description="Rekent elk scenario uit een maatregelenbestand (CSV met ; en de kolommen "
                                   f"{';'.join(MEASURE_COLUMNS)}) door: direct, indirect en totaal "
                                   "per jaar, met P10 en P90.")
    p.add_argument("maatregelen", type=Path, metavar="MAATREGELEN",
                   help="maatregelenbestand (.csv), of een begrotingsmodel (.xlsx): dan komen thema's, "
                        "verbanden, maatregelen en beginjaar uit de werkmap")
    p.add_argument("--themas", type=Path, metavar="CSV", help="themabestand (standaard: ingebouwd)")
    p.add_argument("--verbanden", type=Path, metavar="CSV", help="verbandenbestand (standaard: ingebouwd)")
    p.add_argument("--beginjaar", type=begrotingsjaar, default=2027, metavar="JAAR", help="eerste jaar (standaard 2027)")
    p.add_argument("--jaren", type=int, default=10, metavar="N", help="aantal jaren (standaard 10)")
    p.add_argument("--trekkingen", type=int, default=DRAWS, metavar="N",
                   help=f"trekkingen van de Monte Carlo (standaard {DRAWS})")
    p.add_argument("--uit", type=Path, metavar="CSV",
                   help="schrijf de tabel per scenario, thema en jaar (met P10/P50/P90) naar dit bestand")
    p.set_defaults(handler=run)


def run(args) -> int:
    lines, table = scenario_report(args.maatregelen, themes_file=args.themas, links_file=args.verbanden,
                                   first_year=args.beginjaar, years=args.jaren, draws=args.trekkingen)
    print("\n".join(lines))
    if args.uit:
        safe_frame(table).to_csv(args.uit, sep=";", index=False)
        print(f"\nTabel geschreven: {args.uit}")
    return 0
