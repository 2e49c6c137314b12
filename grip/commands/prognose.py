"""``grip prognose``: the year-end forecast from the store of the berichtenverkeer."""

from __future__ import annotations

from pathlib import Path

from grip.commands import add_store_options
from grip.jobs.prognose import run_prognose, summary


def register(sub) -> None:
    p = sub.add_parser("prognose", help="jaareindeprognose uit de opslag van het berichtenverkeer",
                       description="Rekent de jaareindeprognose per taakveld, thema, "
                                   "productcategorie en aanbieder uit de opslag en bewaart de "
                                   "prognose voor de terugblik.")
    add_store_options(p, required=True,
                      store_help="de opslag van het berichtenverkeer (DuckDB-bestand)")
    p.add_argument("--export", type=Path, default=None, metavar="MAP",
                   help="schrijf per aanbieder een werkmap voor het gesprek met die aanbieder")
    p.set_defaults(handler=run)


def run(args) -> int:
    result = run_prognose(args.opslag, as_of=args.peilmaand, export=args.export)
    print("\n".join(summary(result)))
    if args.export is not None:
        print(f"\nExport per aanbieder: {len(result.providers)} werkmappen in {args.export}")
    return 0
