"""``generate(out, seed=, scale=, off=, until=)``: messages + ``waarheid.json`` of one municipality.

Command line: ``python -m benchmarks.blind.generate MAP [--seed N] [--schaal X] [--zonder HABIT ...]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np

from benchmarks.blind.habits import HABIT_NAMES, Habits
from benchmarks.blind.messages import write_messages
from benchmarks.blind.world import START_YEAR, STRUCTURES, simulate, truth, truth_split

TRUTH_FILE = "waarheid.json"


def generate(out: Path | str, *, seed: int = 1, scale: float = 1.0, off=(),
             until: dt.date | None = None, structure: str = "gewoon") -> dict:
    """Simulate one municipality, write its messages dated before ``until`` into ``out``
    and its truth into ``out/waarheid.json``; return that truth as a dict (euro)."""
    out = Path(out)
    rng = np.random.default_rng(seed)
    habits = Habits.draw(rng, seed=seed, scale=scale, off=frozenset(off))
    world = simulate(habits, rng, STRUCTURES[structure])
    written = write_messages(world, out, rng, until=until)
    per_year = truth(world)
    result = {
        "uitleg": ("waarde van de zorg per leverjaar die uiteindelijk gedeclareerd en "
                   "geaccepteerd wordt (credits verrekend, afgewezen regels niet), in euro; "
                   "niet_gedeclareerd: zorg van de failliete aanbieder die nooit wordt "
                   "gedeclareerd; splitsing_2025 per peilmaand: zorg voor de peilmaand "
                   "(before), vanaf de peilmaand onder toewijzingen van voor de peildatum "
                   "(known_allocations) en onder latere (new_allocations)"),
        "gewoonten": habits.to_json(),
        "jaren": {str(y): {"totaal_euro": v["total"] / 100,
                           "per_productcategorie_euro": {c: e / 100 for c, e in
                                                         sorted(v["per_category"].items())}}
                  for y, v in sorted(per_year.items()) if y >= START_YEAR},
        "splitsing_2025": {str(m): {k: v / 100 for k, v in truth_split(world, 2025, m).items()}
                           for m in (3, 4, 6, 7, 9, 10)},
        "niet_gedeclareerd_euro": {str(y): c / 100 for y, c in sorted(world.unclaimed.items())
                                   if y >= START_YEAR},
        "geschreven_tot": until.isoformat() if until else None,
        "berichten": written["messages"],
        "bestanden": written["files"],
        "declaratieregels": written["claim_lines"],
        "gedeclareerd_euro": written["claimed_eurocent"] / 100,
        "afgewezen_regels": written["rejected_lines"],
        "afgewezen_euro": written["rejected_eurocent"] / 100,
        "aanbieders": [{"agb": p.agb, "gewoonte": p.habit, "failliet": p.bankrupt,
                        "late_indexatie": p.late_index, "producten": list(p.products)}
                       for p in world.providers],
        "structuur": structure,
        "producten": [p.code for p in STRUCTURES[structure].products],
        "clienten": len(world.clients),
        "toewijzingen": len(world.allocations),
    }
    (out / TRUTH_FILE).write_text(json.dumps(result, indent=1, ensure_ascii=False),
                                  encoding="utf-8")
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Schrijf een blinde gemeente (iJw 3.2-berichten).")
    ap.add_argument("map", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--schaal", type=float, default=1.0)
    ap.add_argument("--tot", help="alleen berichten met een dagtekening voor deze datum (JJJJ-MM-DD)")
    ap.add_argument("--zonder", nargs="*", default=[], choices=HABIT_NAMES)
    ap.add_argument("--structuur", choices=sorted(STRUCTURES), default="gewoon")
    a = ap.parse_args(argv)
    until = dt.date.fromisoformat(a.tot) if a.tot else None
    r = generate(a.map, seed=a.seed, scale=a.schaal, off=a.zonder, until=until,
                 structure=a.structuur)
    print(f"{r['bestanden']} bestanden, {r['declaratieregels']} declaratieregels, "
          f"{r['clienten']} clienten; waarheid 2025: {r['jaren'].get('2025', {}).get('totaal_euro')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
