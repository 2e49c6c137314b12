"""The demo: Gemeente Voorbeeld from its berichtenverkeer to a recalculated begrotingsmodel.

The whole way a controller's data travels, once, without Excel::

    synthetic iJw/iWmo messages (berichten.synth)      -> out/berichten_gemeente_voorbeeld/
    import, pseudonymised (berichten.importer)         -> out/grip_opslag.duckdb
    prognose, gripniveau KPIs (calc, via grip.jobs)     -> BuildContext.data
    scenario Monte Carlo, meerjarenraming (calc)        -> BuildContext.data
    begrotingsmodel (workbooks), headless recalculation -> out/begrotingsmodel_*.xlsx (+ waarden)

Every step is idempotent: a second run reuses the messages and the store (an import of the
same files changes nothing), so the output is the same.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from calc import profile
from calc.text import nl_euro, nl_number
from grip.jobs import DEFAULT_STORE_NAME
from grip.jobs.synth import DEMO_AS_OF, DEMO_SEED
from workbooks import layout
from workbooks.begrotingsmodel import build_workbook
from workbooks.context import BuildContext
from workbooks.files import save
from workbooks.recalc import Recalculation, recalculate

MUNICIPALITY = profile.NAME
#: Seed and size of the synthetic berichtenverkeer (1.0: about 60,000 inhabitants).
SEED = DEMO_SEED
SCALE = 1.0
#: The demo's evaluation date: the controller forecasts year-end 2025 in the summer, so the
#: synthetic data's own outcome for 2025 shows how good the forecast was.
AS_OF = pd.Timestamp(DEMO_AS_OF) + pd.offsets.MonthEnd(0)
#: The begroting made in that summer: budget year 2026 (the meerjarenraming 2026-2029 starts
#: from the year-end forecast 2025). New workbooks keep ``BuildContext``'s default.
BUDGET_YEAR = AS_OF.year + 1


@dataclass(frozen=True)
class DemoResult:
    workbook: Path
    values_copy: Path
    recalculation: Recalculation
    data: dict[str, Any] = field(default_factory=dict)


def slug(name: str) -> str:
    """File-name part for a municipality.

    >>> slug("Gemeente Voorbeeld")
    'gemeente_voorbeeld'
    """
    return "_".join(name.lower().split())


def messages_and_store(out_dir: Path, *, seed: int = SEED, scale: float = SCALE) -> dict[str, Any]:
    """Write (once) the synthetic messages and import them (idempotent) into the demo store."""
    from grip.jobs.berichten import inlezen, overzicht
    from grip.jobs.synth import run_synth

    folder = out_dir / f"berichten_{slug(MUNICIPALITY)}"
    truth_file = folder / "samenvatting.json"
    if not truth_file.exists():
        run_synth(folder, seed, scale, retours=False)
    store = out_dir / DEFAULT_STORE_NAME      # where a button looks when grip_opslag is empty
    report = inlezen(store, [folder], progress=False)
    return {"map": folder, "opslag": store, "import": report, "overzicht": overzicht(store),
            "waarheid": json.loads(truth_file.read_text(encoding="utf-8"))}


def compute(out_dir: Path, *, seed: int = SEED, scale: float = SCALE,
            as_of: pd.Timestamp = AS_OF,
            inflow: tuple[pd.Timestamp, float] | None = None) -> dict[str, Any]:
    """Messages -> store -> the engines: the ``BuildContext.data`` of the demo workbook.

    ``inflow``: an announced change of the inflow of new clients
    (``grip.jobs.prognose.inflow_change``), used by the forecast and shown in its input cells.
    """
    import datetime as dt

    from berichten.store import Store
    from calc.budget.years import Horizon
    from grip.jobs.begroting import run_begroting
    from grip.jobs.gripniveau import demo_gripniveau
    from grip.jobs.prognose import read_tables, run_prognose, snapshot_path

    berichten = messages_and_store(out_dir, seed=seed, scale=scale)
    # the demo is the same every run: no snapshots (or replays) of an earlier demo run
    snapshot_path(berichten["opslag"]).unlink(missing_ok=True)
    # the municipality's provider register, as an export it could keep (AGB code; name)
    register = demo_register(out_dir)
    prognose = run_prognose(berichten["opslag"], as_of=as_of, provider_names=register,
                            inflow=inflow)
    computed_at = dt.datetime.now().replace(second=0, microsecond=0)
    with Store(berichten["opslag"]) as store:
        tables = read_tables(store)
    return {
        "berichten": berichten,
        "prognose": prognose,
        # the status line of the Prognose sheet: which store (its name only) and when
        "prognose_bron": {"opslag": berichten["opslag"].name, "berekend": computed_at},
        "instroom": inflow,
        "aanbieders": register,
        "gripniveau": demo_gripniveau(tables, backtest=prognose.backtest),
        # The Meerjarenraming sheet starts from the prognose where it has the taakveld (the
        # demo's figures elsewhere), so the button's table starts from the same amounts.
        "begroting": run_begroting(forecast=prognose.forecast, coverage=prognose.coverage,
                                   horizon=Horizon(first_year=BUDGET_YEAR)),
    }


def demo_register(out_dir: Path) -> dict[str, str]:
    """Write the demo's provider register as the CSV a municipality would export
    (``aanbiedersregister_gemeente_voorbeeld.csv``) and read it back the way
    ``grip prognose --aanbieders`` does."""
    from berichten.register import read_register
    from berichten.synth_catalog import provider_register
    from calc.text import safe_frame

    path = out_dir / f"aanbiedersregister_{slug(MUNICIPALITY)}.csv"
    frame = pd.DataFrame(sorted(provider_register().items()), columns=["AGB-code", "Naam"])
    safe_frame(frame).to_csv(path, sep=";", index=False, encoding="utf-8")
    return read_register(path).names


def _with_scenario(ctx: BuildContext, out_dir: Path) -> BuildContext:
    """Run the Monte Carlo of the measures as the Maatregelen sheet shows them (what the button
    'Scenario doorrekenen' does) and add it to the build's data."""
    from grip.jobs.scenario import model_from_workbook, run_scenario

    draft = save(build_workbook(ctx), out_dir / ".grip_ontwerp.xlsx")
    model, measures, first_year, years = model_from_workbook(draft)
    draft.unlink()
    data = dict(ctx.data)
    data["scenario"] = run_scenario(model, measures, first_year=first_year, years=years)
    return BuildContext(municipality=ctx.municipality, budget_year=ctx.budget_year, data=data)


def run_demo(out_dir: Path, *, municipality: str = MUNICIPALITY, seed: int = SEED,
             scale: float = SCALE,
             inflow: tuple[pd.Timestamp, float] | None = None) -> DemoResult:
    """Messages, store, engines, workbook, headless recalculation, values-only copy.

    ``inflow``: an announced change of the inflow (``compute``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = compute(out_dir, seed=seed, scale=scale, inflow=inflow)
    ctx = _with_scenario(BuildContext(municipality=municipality, budget_year=BUDGET_YEAR, data=data),
                         out_dir)
    base = f"begrotingsmodel_{slug(municipality)}"
    workbook = save(build_workbook(ctx), out_dir / f"{base}.xlsx")
    recalculation = recalculate(workbook)
    values_ctx = BuildContext(municipality=municipality, budget_year=ctx.budget_year,
                              values=recalculation.values, data=ctx.data)
    values_copy = save(build_workbook(values_ctx), out_dir / f"{base}_waarden.xlsx")
    return DemoResult(workbook, values_copy, recalculation, dict(ctx.data))


def summary(result: DemoResult) -> list[str]:
    """The Dutch lines ``grip demo`` prints, all read from the recalculated workbook."""
    rec = result.recalculation
    lines = [
        f"Grip demo — {MUNICIPALITY}",
        f"Begrotingsmodel:  {result.workbook}",
        f"Kopie met waarden: {result.values_copy}",
        f"Zonder Excel herberekend: {len(rec.values)} cellen, "
        f"{sum(1 for _ in rec.errors())} foutmeldingen.",
        "",
        "Dwarsverbanden: structurele schok en totaaleffect per thema (€ per jaar)",
    ]
    names = _cells(result, layout.NAME_DV_THEMES)
    shocks = _cells(result, layout.NAME_DV_SHOCK)
    totals = _cells(result, layout.NAME_DV_TOTAL)
    width = max(len(n[0]) for n in names)
    for (name,), (shock,), (total,) in zip(names, shocks, totals):
        lines.append(f"  {name:<{width}}  schok {nl_euro(shock or 0):>12}"
                     f"  totaal {nl_euro(total or 0):>12}")
    shock_sum = sum(s[0] or 0 for s in shocks)
    total_sum = sum(t[0] or 0 for t in totals)
    lines.append(f"  Samen: schok {nl_euro(shock_sum)}, totaaleffect {nl_euro(total_sum)}, "
                 f"waarvan via andere thema's {nl_euro(total_sum - shock_sum)}.")
    return (_berichten_lines(result) + lines + _scenario_lines(result) + _prognose_lines(result)
            + _begroting_lines(result) + _gripniveau_lines(result))


def _berichten_lines(result: DemoResult) -> list[str]:
    """Berichtenverkeer: what was imported, and that the counts reconcile."""
    b = result.data.get("berichten")
    if not b:
        return []
    o, truth = b["overzicht"], b["waarheid"]
    messages = sum(o["berichten"].values())
    return [
        f"Berichtenverkeer {MUNICIPALITY} (synthetisch, {truth['eerste_jaar']} t/m "
        f"{truth['eerste_jaar'] + truth['jaren'] - 1}): {nl_number(messages, 0)} berichten in "
        f"{nl_number(o['bestanden'], 0)} bestanden",
        f"  Opslag: {b['opslag']} (BSN gepseudonimiseerd)",
        f"  Declaratieregels {nl_number(o['declaratieregels'], 0)}; netto gedeclareerd "
        f"{nl_euro(o['gedeclareerd_euro'])} (volgens de berichten zelf: "
        f"{nl_euro(truth['gedeclareerd_euro'])}); in quarantaine: {o['quarantaine']}",
        "",
    ]


def _prognose_lines(result: DemoResult) -> list[str]:
    """The year-end forecast, and how far it was from what the synthetic year really brought."""
    p, b = result.data.get("prognose"), result.data.get("berichten")
    if p is None:
        return []
    f = p.forecast
    total = f.by("total").iloc[0]
    lines = ["", f"Prognose jaareinde {f.year} op peilmaand {f.as_of:%m-%Y} (marge {f.level:.0%}): "
             f"{nl_euro(total['forecast_euro'])} ({nl_euro(total['lower_euro'])} tot "
             f"{nl_euro(total['upper_euro'])})"]
    if b is not None:
        actual = b["waarheid"]["geleverd_euro_per_jaar"].get(str(f.year))
        if actual:
            off = total["forecast_euro"] / actual - 1
            lines.append(f"  Werkelijk geleverd {f.year} (synthetisch, inclusief later gedeclareerd): "
                         f"{nl_euro(actual)}; afwijking prognose "
                         f"{'+' if off >= 0 else ''}{nl_number(100 * off, 1)}%")
    late = p.providers[p.providers["structurally_late"]]
    lines.append(f"  Aanbieders: {len(p.providers)}, waarvan structureel laat: {len(late)}")
    bt = p.backtest
    if bt is not None and len(bt):
        mean_abs = nl_number(100 * float(bt["mape"].mean()), 1)
        lines.append(f"  Terugblik {f.year - 1} (prognose per peilmaand tegen wat binnenkwam): "
                     f"gemiddelde afwijking {mean_abs}%, binnen de marge in "
                     f"{int((bt['coverage'] >= 1).sum())} van {len(bt)} peilmaanden")
    return lines


def _begroting_lines(result: DemoResult) -> list[str]:
    """Meerjarenraming: saldo band and chance of a closing budget per year (from the workbook)."""
    years = _cells(result, layout.NAME_MJR_YEARS)[0]
    band = _cells(result, layout.NAME_MJR_BAND)
    chance = _cells(result, layout.NAME_MJR_CHANCE)[0]
    lines = ["", "Meerjarenraming: saldo na maatregelen (P10 / P50 / P90) en kans op een sluitende "
                 "begroting"]
    for k, year in enumerate(years):
        p10, p50, p90 = (band[i][k] for i in range(3))
        lines.append(f"  {int(year)}: {nl_euro(p10 or 0):>14} {nl_euro(p50 or 0):>14} "
                     f"{nl_euro(p90 or 0):>14}   kans sluitend "
                     f"{100 * (chance[k] or 0):.0f}%")
    prognose = result.data.get("prognose")
    if prognose is not None and prognose.coverage is not None:
        from calc.budget.demo import verdict
        from calc.budget.plausibility import warning_lines

        lines += ["  " + w for w in warning_lines(verdict(prognose.coverage))]
    return lines


def _gripniveau_lines(result: DemoResult) -> list[str]:
    """The grip score and level, and the level per topic (from the workbook)."""
    score = _cells(result, layout.NAME_GN_GRIP_SCORE)[0][0]
    level = _cells(result, layout.NAME_GN_GRIP_LEVEL)[0][0]
    topics = _cells(result, layout.NAME_GN_TOPICS)
    levels = _cells(result, layout.NAME_GN_LEVELS)
    lines = ["", f"Gripniveau: {level} (gripscore {score:.0f} van 100)"]
    lines += [f"  {t[0]:<28} {lv[0]}" for t, lv in zip(topics, levels)]
    return lines


def _scenario_lines(result: DemoResult) -> list[str]:
    """Scenario's: the total effect of the measures switched on, per year, with its band, for
    both municipalities (read from the recalculated sheet)."""
    total_a = _cells(result, layout.NAME_SC_TOTAL)
    total_b = _cells(result, layout.NAME_SC_TOTAL_B)
    band = _cells(result, layout.NAME_SC_BAND)
    first = _cells(result, layout.NAME_MT_FIRST_YEAR)[0][0]
    lines = ["", "Scenario's: totaaleffect van de maatregelen die aan staan, alle thema's (€ per jaar)",
             f"  {'jaar':<6}{MUNICIPALITY:>20}{'P10 .. P90':>28}{profile.NEIGHBOUR:>24}"]
    for k in range(len(total_a[0])):
        a = sum(row[k] or 0 for row in total_a)
        b = sum(row[k] or 0 for row in total_b)
        spread = f"{nl_euro(band[0][k] or 0)} .. {nl_euro(band[2][k] or 0)}"
        lines.append(f"  {int(first) + k:<6}{nl_euro(a):>20}{spread:>28}{nl_euro(b):>24}")
    return lines


def _cells(result: DemoResult, name: str) -> list[list[Any]]:
    """The recalculated values of a workbook-level name, as a list of rows (also for one cell)."""
    sheet, ref = _names(result.workbook)[name]
    value = result.recalculation.get(sheet, ref)
    return value if ":" in ref else [[value]]


@functools.cache
def _names(workbook: Path) -> dict[str, tuple[str, str]]:
    """Every workbook-level name of the saved model: (sheet, A1 range), read once per file."""
    from openpyxl import load_workbook

    from workbooks.template import sheet_title

    wb = load_workbook(workbook, read_only=True)
    names = {}
    for name, defined in wb.defined_names.items():
        for sheet, ref in defined.destinations:
            names[name] = (sheet_title(sheet), ref.replace("$", ""))
    return names
