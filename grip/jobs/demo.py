"""The demo: the begrotingsmodel of Gemeente Voorbeeld, built, recalculated without Excel,
and summarised in Dutch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from calc.text import nl_euro
from grip.jobs.begroting import demo_lines, run_begroting
from grip.jobs.prognose import demo_prognose
from workbooks import layout
from workbooks.begrotingsmodel import build_workbook
from workbooks.context import BuildContext
from workbooks.files import save
from workbooks.recalc import Recalculation, recalculate

MUNICIPALITY = "Gemeente Voorbeeld"


@dataclass(frozen=True)
class DemoResult:
    workbook: Path
    values_copy: Path
    recalculation: Recalculation


def slug(name: str) -> str:
    """File-name part for a municipality.

    >>> slug("Gemeente Voorbeeld")
    'gemeente_voorbeeld'
    """
    return "_".join(name.lower().split())


def run_demo(out_dir: Path, *, municipality: str = MUNICIPALITY) -> DemoResult:
    """Build, save, recalculate and save the values-only copy of the demo begrotingsmodel."""
    ctx = BuildContext(municipality=municipality,
                       data={"prognose": demo_prognose(), "begroting": run_begroting()})
    base = f"begrotingsmodel_{slug(municipality)}"
    workbook = save(build_workbook(ctx), out_dir / f"{base}.xlsx")
    recalculation = recalculate(workbook)
    values_ctx = BuildContext(municipality=municipality, values=recalculation.values,
                              data=ctx.data)
    values_copy = save(build_workbook(values_ctx), out_dir / f"{base}_waarden.xlsx")
    return DemoResult(workbook, values_copy, recalculation)


def summary(result: DemoResult) -> list[str]:
    """The Dutch lines ``grip demo`` prints, all read from the recalculated workbook."""
    rec = result.recalculation
    dv = layout.DWARSVERBANDEN
    lines = [
        f"Grip demo — {MUNICIPALITY}",
        f"Begrotingsmodel:  {result.workbook}",
        f"Kopie met waarden: {result.values_copy}",
        f"Zonder Excel herberekend: {len(rec.values)} cellen, "
        f"{sum(1 for _ in rec.errors())} foutmeldingen.",
        "",
        "Dwarsverbanden: structurele schok en totaaleffect per thema (€ per jaar)",
    ]
    names = rec.get(dv, _named(layout.NAME_DV_THEMES, result.workbook))
    shocks = rec.get(dv, _named(layout.NAME_DV_SHOCK, result.workbook))
    totals = rec.get(dv, _named(layout.NAME_DV_TOTAL, result.workbook))
    width = max(len(n[0]) for n in names)
    for (name,), (shock,), (total,) in zip(names, shocks, totals):
        lines.append(f"  {name:<{width}}  schok {nl_euro(shock or 0):>12}"
                     f"  totaal {nl_euro(total or 0):>12}")
    shock_sum = sum(s[0] or 0 for s in shocks)
    total_sum = sum(t[0] or 0 for t in totals)
    lines.append(f"  Samen: schok {nl_euro(shock_sum)}, totaaleffect {nl_euro(total_sum)}, "
                 f"waarvan via andere thema's {nl_euro(total_sum - shock_sum)}.")
    return lines + _scenario_lines(result) + demo_lines(result.recalculation, result.workbook)


def _scenario_lines(result: DemoResult) -> list[str]:
    """Scenario's: the total effect of the measures switched on, per year, with its band, for
    both municipalities (read from the recalculated sheet)."""
    rec, sc = result.recalculation, layout.SCENARIOS
    total_a = rec.get(sc, _named(layout.NAME_SC_TOTAL, result.workbook))
    total_b = rec.get(sc, _named(layout.NAME_SC_TOTAL_B, result.workbook))
    band = rec.get(sc, _named(layout.NAME_SC_BAND, result.workbook))
    first = rec.get(layout.MAATREGELEN, _named(layout.NAME_MT_FIRST_YEAR, result.workbook))
    lines = ["", f"Scenario's: totaaleffect van de maatregelen die aan staan, alle thema's (€ per jaar)",
             f"  {'jaar':<6}{MUNICIPALITY:>20}{'P10 .. P90':>28}{layout.SECOND_MUNICIPALITY:>24}"]
    for k in range(len(total_a[0])):
        a = sum(row[k] or 0 for row in total_a)
        b = sum(row[k] or 0 for row in total_b)
        spread = f"{nl_euro(band[0][k] or 0)} .. {nl_euro(band[2][k] or 0)}"
        lines.append(f"  {int(first) + k:<6}{nl_euro(a):>20}{spread:>28}{nl_euro(b):>24}")
    return lines


def _named(name: str, workbook: Path) -> str:
    """The A1 range a workbook-level name points at (without the sheet)."""
    from openpyxl import load_workbook

    wb = load_workbook(workbook, read_only=True)
    return wb.defined_names[name].attr_text.split("!")[1].replace("$", "")
