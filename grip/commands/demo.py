"""``grip demo``: the begrotingsmodel of the built-in demo municipality."""

from __future__ import annotations

from pathlib import Path

from grip.jobs.demo import run_demo, summary


def register(sub) -> None:
    p = sub.add_parser("demo", help="bouw en herbereken het demomodel van Gemeente Voorbeeld",
                       description="Bouwt het begrotingsmodel van Gemeente Voorbeeld, rekent het "
                                   "zonder Excel door en schrijft het onder --uit.")
    p.add_argument("--uit", type=Path, default=Path("out"), metavar="MAP",
                   help="map voor de werkmappen (standaard: out)")
    p.set_defaults(handler=run)


def run(args) -> int:
    print("\n".join(summary(run_demo(args.uit))))
    return 0
