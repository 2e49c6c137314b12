"""The job behind ``grip berichten synthetisch``: write the messages of the synthetic municipality.

Free of argparse and Excel, so the command line, the demo and the ribbon call the same function.
``DEMO_SCALE`` is a size big enough to show every habit (about 400 youth and 650 Wmo clients
with care a year, ~30,000 claim lines), small enough to generate in about two seconds of CPU.
Writing messages for an import should pass ``retours=False``: the header-only retour messages
carry nothing the store uses and would double the files to import (about 11,600 instead of
20,400 at ``DEMO_SCALE``).

``demo_tables`` gives the same municipality as record tables in memory
(``berichten.synth.synthetic_tables``: what an import of its messages would give, without
writing and parsing XML), for the demo views that need no store (``demo_gripniveau``),
the tests and the benchmarks.
"""

from __future__ import annotations

import functools
from pathlib import Path

from berichten.synth import SynthSummary, SynthTables, draw_habits, generate, synthetic_tables
from calc.text import nl_euro, nl_number

#: Seed of the demo municipality.
DEMO_SEED = 2026
#: A small Gemeente Voorbeeld (see the module docstring).
DEMO_SCALE = 0.25
#: The evaluation month of the demo views: the forecast of the last year in June, when the
#: controller makes it (``grip demo`` uses the same month, ``grip.jobs.demo.AS_OF``).
DEMO_AS_OF = "2025-06-01"


def run_synth(out_dir: Path, seed: int = 2026, scale: float = 1.0, *, first_year: int = 2023,
              years: int = 3, retours: bool = True, habits: bool = False) -> SynthSummary:
    """Generate Gemeente Voorbeeld into ``out_dir`` (see :func:`berichten.synth.generate`);
    ``habits``: with the habits drawn for ``seed`` (``berichten.synth.draw_habits``)."""
    drawn = draw_habits(seed, first_year=first_year, years=years) if habits else None
    return generate(Path(out_dir), seed=seed, scale=scale, first_year=first_year, years=years,
                    retours=retours, habits=drawn)


@functools.lru_cache(maxsize=2)
def _tables(seed: int, scale: float) -> SynthTables:
    return synthetic_tables(seed=seed, scale=scale)


def demo_tables(*, seed: int = DEMO_SEED, scale: float = DEMO_SCALE) -> dict:
    """Gemeente Voorbeeld (2023-2025) as record tables with the columns of ``calc.records``,
    made in memory once per process and handed out as copies (callers may change them)."""
    return {name: frame.copy() for name, frame in _tables(seed, float(scale)).tables.items()}


def _n(value: int) -> str:
    return nl_number(value, 0)


def summary_lines(summary: SynthSummary) -> list[str]:
    """The Dutch lines the command prints."""
    scale = nl_number(summary.scale, 3).rstrip("0").rstrip(",")
    lines = [
        f"Synthetische berichten van {summary.municipality_name} (CBS-code {summary.municipality_code}), "
        f"seed {summary.seed}, schaal {scale}",
        f"Periode: {summary.first_year} t/m {summary.first_year + summary.years - 1}, "
        f"peildatum {summary.peildatum}",
        f"Bestanden: {_n(summary.files)}",
    ]
    for law, label in (("jw", "Jeugdwet (iJw)"), ("wmo", "Wmo (iWmo)")):
        counts = summary.messages.get(law, {})
        lines.append(f"  {label}: " + ", ".join(f"{code}: {_n(n)}" for code, n in counts.items()))
    lines += [
        f"Cliënten: jeugd {_n(summary.clients.get('jw', 0))}, wmo {_n(summary.clients.get('wmo', 0))}; "
        f"aanbieders: {summary.providers}",
        f"Declaratieregels: {_n(summary.claim_lines)} (waarvan {_n(summary.claim_lines_credit)} "
        f"credit, {_n(summary.rejected_lines)} afgewezen)",
        f"Gedeclareerd netto: {nl_euro(summary.claimed_net_cents / 100)}",
    ]
    for year, cents in summary.claimed_net_cents_per_year.items():
        delivered = summary.delivered_cents_per_year.get(year, 0)
        lines.append(f"  {year}: gedeclareerd {nl_euro(cents / 100)}, "
                     f"geleverd (incl. nog te declareren) {nl_euro(delivered / 100)}")
    if summary.habits:
        h = summary.habits
        lines.append(f"Gewoonten: {len(h['declaratiekalender_per_aanbieder'])} aanbieders met "
                     f"vaste declaratiemaanden, aanbieder {h['stoppende_aanbieder']} stopt op "
                     f"{h['stopdatum']}, bezuiniging op nieuwe cliënten vanaf "
                     f"{h['beleidskorting_vanaf']}")
    lines.append("Samenvatting met de uitkomsten: samenvatting.json")
    return lines
