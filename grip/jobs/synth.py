"""The job behind ``grip berichten synthetisch``: write the messages of the synthetic municipality.

Free of argparse and Excel, so the command line, the demo and the ribbon call the same function.
``DEMO_SCALE`` is the size ``grip demo`` uses: big enough to show every habit, small enough to
generate in a few seconds.
"""

from __future__ import annotations

from pathlib import Path

from berichten.synth import SynthSummary, generate
from calc.text import nl_euro

#: Scale for ``grip demo`` (about 370 youth and 620 Wmo clients a year, ~30,000 claim lines).
DEMO_SCALE = 0.25


def run_synth(out_dir: Path, seed: int = 2026, scale: float = 1.0, *, first_year: int = 2023,
              years: int = 3) -> SynthSummary:
    """Generate Gemeente Voorbeeld into ``out_dir`` (see :func:`berichten.synth.generate`)."""
    return generate(Path(out_dir), seed=seed, scale=scale, first_year=first_year, years=years)


def summary_lines(summary: SynthSummary) -> list[str]:
    """The Dutch lines the command prints."""
    lines = [
        f"Synthetische berichten van {summary.municipality_name} (CBS-code {summary.municipality_code}), "
        f"seed {summary.seed}, schaal {summary.scale:g}",
        f"Periode: {summary.first_year} t/m {summary.first_year + summary.years - 1}, "
        f"peildatum {summary.peildatum}",
        f"Bestanden: {summary.files:n}".replace(",", "."),
    ]
    for law, label in (("jw", "Jeugdwet (iJw)"), ("wmo", "Wmo (iWmo)")):
        counts = summary.messages.get(law, {})
        lines.append(f"  {label}: " + ", ".join(f"{code}: {n}" for code, n in counts.items()))
    lines += [
        f"Cliënten: jeugd {summary.clients.get('jw', 0)}, wmo {summary.clients.get('wmo', 0)}; "
        f"aanbieders: {summary.providers}",
        f"Declaratieregels: {summary.claim_lines} (waarvan {summary.claim_lines_credit} credit, "
        f"{summary.rejected_lines} afgewezen)",
        f"Gedeclareerd netto: {nl_euro(summary.claimed_net_cents / 100)}",
    ]
    for year, cents in summary.claimed_net_cents_per_year.items():
        delivered = summary.delivered_cents_per_year.get(year, 0)
        lines.append(f"  {year}: gedeclareerd {nl_euro(cents / 100)}, "
                     f"geleverd (incl. nog te declareren) {nl_euro(delivered / 100)}")
    lines.append("Samenvatting met de uitkomsten: samenvatting.json")
    return lines
