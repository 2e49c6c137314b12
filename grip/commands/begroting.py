"""``grip begroting``: the meerjarenraming under the cliff scenario.

Without ``--opslag`` the demo figures of Gemeente Voorbeeld; with it, the starting amounts of
the taakvelden the prognose covers come from the year-end forecast of that store (as the
Meerjarenraming sheet does in the demo), the rest from the demo table.
"""

from __future__ import annotations

from calc.errors import InputError
from grip.commands import add_store_options
from grip.jobs.begroting import run_begroting, summary


def register(sub) -> None:
    p = sub.add_parser("begroting", help="reken de meerjarenraming door",
                       description="Rekent de meerjarenraming door onder het ravijnscenario: "
                                   "lasten, baten, maatregelen, de bandbreedte van het saldo en "
                                   "de kans op een sluitende begroting. Zonder --opslag met de "
                                   "cijfers van Gemeente Voorbeeld 2026-2029.")
    add_store_options(p, required=False, store_help="begin bij de jaareindeprognose uit deze "
                                                     "opslag van het berichtenverkeer")
    p.add_argument("--begrotingsjaar", type=int, default=None, metavar="JJJJ",
                   help="eerste jaar van de raming (standaard: het jaar na de prognose, "
                        "zonder opslag 2026)")
    p.set_defaults(handler=run)


def run(args) -> int:
    from calc.budget import demo
    from calc.budget.checks import validated
    from calc.budget.years import Horizon

    if args.peilmaand and args.opslag is None:
        raise InputError("--peilmaand hoort bij --opslag: geef ook de opslag op",
                         argument="peilmaand")
    forecast, lines = None, []
    if args.opslag is not None:
        from grip.jobs.prognose import run_prognose

        prognose = run_prognose(args.opslag, as_of=args.peilmaand)
        forecast = prognose.forecast
        lines = [f"Beginbedragen uit de jaareindeprognose {forecast.year} (peilmaand "
                 f"{forecast.as_of:%m-%Y}) voor de taakvelden die de prognose dekt; de rest uit "
                 "de voorbeeldtabel.", ""]
    first = args.begrotingsjaar or (forecast.year + 1 if forecast is not None
                                    else demo.HORIZON.first_year)
    result = run_begroting(forecast=forecast, horizon=validated(
        Horizon, {"first_year": first}, argument="begrotingsjaar"))
    print("\n".join(lines + summary(result)))
    return 0
