"""``grip demo``: the begrotingsmodel of the built-in demo municipality."""

from __future__ import annotations

from pathlib import Path

from grip.commands import add_inflow_option
from grip.jobs.demo import SCALE, run_demo, summary


def register(sub) -> None:
    p = sub.add_parser("demo", help="bouw en herbereken het demomodel van Gemeente Voorbeeld",
                       description="Schrijft het synthetische berichtenverkeer van Gemeente "
                                   "Voorbeeld, leest het in, rekent prognose, gripniveau, "
                                   "scenario's en meerjarenraming door, bouwt het "
                                   "begrotingsmodel, rekent het zonder Excel door en schrijft "
                                   "het onder --uit.")
    p.add_argument("--uit", type=Path, default=Path("out"), metavar="MAP",
                   help="map voor de werkmappen (standaard: out)")
    p.add_argument("--schaal", type=float, default=SCALE, metavar="X",
                   help="grootte van het synthetische berichtenverkeer (1 = ongeveer 60.000 "
                        "inwoners; kleiner is sneller)")
    add_inflow_option(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    if args.instroom is None:
        result = run_demo(args.uit, scale=args.schaal)
    else:
        result = run_demo(args.uit, scale=args.schaal, inflow=args.instroom)
    print("\n".join(summary(result)))
    return 0
