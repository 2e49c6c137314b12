"""``grip prognose``: the year-end forecast from the store of the berichtenverkeer."""

from __future__ import annotations

from pathlib import Path

from grip.commands import add_code_option, add_inflow_option, add_store_options
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
    p.add_argument("--aanbieders", type=Path, default=None, metavar="REGISTER",
                   help="aanbiedersregister van de gemeente (CSV of xlsx met AGB-code en naam): "
                        "de naam komt naast de AGB-code")
    p.add_argument("--kolommen", type=Path, default=None, metavar="TOML",
                   help="eigen kolomindeling voor het register (standaard: "
                        "berichten/kolommen.toml, sectie [aanbieders])")
    p.add_argument("--gemeente", default=None, help="naam van de gemeente (op de exports)")
    add_code_option(p)
    add_inflow_option(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    names = None
    if args.aanbieders is not None:
        from berichten.register import read_register

        register = read_register(args.aanbieders, mapping=args.kolommen)
        names = register.names
        print(f"Aanbiedersregister {args.aanbieders.name}: {register.read} regels gelezen, "
              f"{len(names)} namen, {register.repeated} herhaald, {len(register.rejected)} geweigerd.")
        for line, reason in register.rejected[:20]:
            print(f"  regel {line}: {reason}")
    result = run_prognose(args.opslag, as_of=args.peilmaand, export=args.export,
                          provider_names=names, municipality=args.gemeente,
                          inflow=args.instroom, municipality_code=args.code,
                          code_where="--gemeentecode")
    print("\n".join(summary(result)))
    if args.export is not None:
        print(f"\nExport per aanbieder: {len(result.providers)} werkmappen in {args.export}")
    return 0
