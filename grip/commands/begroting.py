"""``grip begroting``: the meerjarenraming of the demo municipality under the cliff scenario."""

from __future__ import annotations

from grip.jobs.begroting import run_begroting, summary


def register(sub) -> None:
    p = sub.add_parser("begroting", help="reken de meerjarenraming van Gemeente Voorbeeld door",
                       description="Rekent de meerjarenraming 2026-2029 van Gemeente Voorbeeld door "
                                   "onder het ravijnscenario: lasten, baten, maatregelen, de "
                                   "bandbreedte van het saldo en de kans op een sluitende begroting.")
    p.set_defaults(handler=run)


def run(args) -> int:
    print("\n".join(summary(run_begroting())))
    return 0
