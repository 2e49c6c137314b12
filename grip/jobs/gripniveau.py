"""The gripniveau jobs: measure the KPIs from the store, the ribbon button "Gripniveau bijwerken",
and the one-page quick-scan report (HTML) for the wethouder.

``measure_kpis(store_path)`` reads the berichtenverkeer through ``berichten.store.Store``
(``claim_lines()``, ``allocations()``, ``starts_stops()``, ``claim_answers()``,
``rejected_lines()``, each a DataFrame with the columns of ``calc.records``) and calls the
calc core; ``run_button`` follows the contract of ``grip.jobs``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from berichten import store as berichten_store
from calc import cells
from calc.errors import InputError
from calc.grip_level import kpis as kpi_core
from calc.grip_level.routemap import AgendaItem, development_agenda
from calc.grip_level.rubric import (NO_DATA, GripSettings, Level, demo_assessment, load_rubric,
                                    make_settings, parse_level)
from calc.grip_level.scoring import GripAssessment, assess
from calc.names import provider_name
from calc.text import nl_euro, nl_number, safe_text
from grip import jobs
from workbooks import layout
from workbooks.tables.gripniveau import kpi_table

#: Named ranges the button reads and writes (grip.jobs contract).
INPUT_NAMES = (layout.NAME_STORE_PATH, layout.NAME_MUNICIPALITY_CODE)
OUTPUT_NAMES = (layout.NAME_OUT_GRIPNIVEAU,)
#: A workbook saved before the gemeentecode existed measures the whole store.
OPTIONAL_NAMES = (layout.NAME_MUNICIPALITY_CODE,)

_TABLES = ("claim_lines", "allocations", "starts_stops", "claim_answers", "rejected_lines")


def measure_kpis(store_path: str | Path, *, open_store: Callable[[Path], Any] | None = None,
                 municipality_code: str | None = None, code_where: str = "gemeentecode",
                 **options: Any) -> kpi_core.KpiMeasurement:
    """Measure the grip KPIs from the store at ``store_path``.

    ``options`` go to ``calc.grip_level.kpis.measure_kpis`` (``year``, ``as_of``,
    ``start_days``, ``backtest``, ``ledger_total_euro``). Without ``backtest`` the forecast
    error comes from the prognoses kept next to the store (``stored_look_back``), when there
    are any of last year. ``open_store`` replaces ``berichten.store.open_store`` (tests
    inject a fake). ``municipality_code``: only that municipality's records and prognoses
    (``grip.jobs.prognose.for_municipality``).
    """
    from grip.jobs.prognose import for_municipality

    path = Path(store_path)
    store = (open_store or berichten_store.open_store)(path)
    try:
        frames = {name: getattr(store, name)() for name in _TABLES}
    finally:
        if hasattr(store, "close"):
            store.close()
    frames, mixed = for_municipality(frames, municipality_code, store=path.name,
                                     where=code_where, what="meting",
                                     command="grip gripniveau meten")
    if options.get("backtest") is None:
        options["backtest"] = stored_look_back(path, frames["claim_lines"],
                                               frames["rejected_lines"], municipality_code)
    measurement = kpi_core.measure_kpis(**frames, **options)
    return measurement if mixed is None else _mixed(measurement, mixed, frames["claim_lines"])


def _mixed(measurement: kpi_core.KpiMeasurement, note: str,
           claim_lines: pd.DataFrame) -> kpi_core.KpiMeasurement:
    """A measurement over several municipalities says so as a whole (``notes``) and on every
    KPI (its toelichting, the column the sheet and the button show beside the value)."""
    from grip.jobs.prognose import CODE_CELL

    codes = sorted(claim_lines["municipality"].dropna().astype(str).unique())
    warning = (f"Let op: gemeten over {len(codes)} gemeenten samen ({', '.join(codes)}); "
               f"kies er één met de gemeentecode ({CODE_CELL}).")
    results = tuple(replace(r, note=f"{warning} {r.note[:1].upper()}{r.note[1:]}".strip())
                    for r in measurement.results)
    return replace(measurement, results=results, notes=(*measurement.notes, note))


def stored_look_back(store_path: Path, claim_lines, rejected_lines=None, code=None):
    """Last year's forecasts kept next to the store against what came in, or None.

    Only what ``grip prognose`` (or "Prognose bijwerken") kept, stored runs and their
    replays: nothing is replayed here. Last year is the year before the latest service month.
    """
    from calc.prognose.backtest import look_back
    from calc.prognose.yearend import accepted_lines
    from grip.jobs.prognose import read_snapshots, snapshot_path

    snaps = read_snapshots(snapshot_path(store_path, code))
    if claim_lines is None or claim_lines.empty or snaps.empty:
        return None
    spent = accepted_lines(claim_lines, rejected_lines)
    year = int(pd.to_datetime(spent["service_month"]).max().year) - 1
    report = look_back(snaps, spent, year=year, known_at=pd.to_datetime(spent["claim_month"]).max())
    return report if len(report) else None


#: Demo assumptions (fictitious): spending outside the messages and last year's forecast error.
DEMO_OUTSIDE_SHARE = 0.06
DEMO_FORECAST_ERROR = 0.045


def demo_gripniveau(tables: Mapping[str, Any] | None = None, *,
                    backtest: Any = None) -> dict[str, Any]:
    """``ctx.data["gripniveau"]`` for the demo municipality: its self-assessment and the KPIs
    measured on its synthetic berichtenverkeer.

    ``tables`` are the demo's long tables (``calc.records`` columns, keyed ``claim_lines``,
    ``allocations``, ...); default: Gemeente Voorbeeld in memory
    (``grip.jobs.synth.demo_tables``). ``backtest``: the prognose's look-back at last year
    (``PrognoseResult.backtest``), which gives the forecast error; without it the error is
    the demo assumption ``DEMO_FORECAST_ERROR``. The ledger total is a demo assumption
    (``DEMO_OUTSIDE_SHARE``).
    """
    if tables is None:
        from grip.jobs.synth import demo_tables

        tables = demo_tables()
    claimed = float(tables["claim_lines"]["amount_euro"].sum())
    kpis = kpi_core.measure_kpis(**{name: tables.get(name) for name in _TABLES},
                                 ledger_total_euro=claimed / (1 - DEMO_OUTSIDE_SHARE),
                                 backtest=DEMO_FORECAST_ERROR if backtest is None else backtest)
    return {"kpis": kpis, "zelfbeoordeling": demo_assessment()}


def run_button(inputs: dict[str, list[list]], *,
               open_store: Callable[[Path], Any] | None = None,
               folder: Path | None = None) -> dict[str, list[list]]:
    """"Gripniveau bijwerken": measured KPIs from the store (``grip_opslag``; empty: the
    store beside the workbook in ``folder``) into ``grip_uit_gripniveau``."""
    from calc import cells
    from grip.jobs.prognose import CODE_CELL, municipality_code

    code = municipality_code(cells.first(inputs.get(layout.NAME_MUNICIPALITY_CODE)), CODE_CELL)
    measurement = measure_kpis(jobs.store_path(inputs, folder=folder, must_exist=True),
                               open_store=open_store,
                               municipality_code=code, code_where=CODE_CELL)
    return {layout.NAME_OUT_GRIPNIVEAU: kpi_table(measurement.results)}


@dataclass(frozen=True)
class SheetInputs:
    """What the controller typed on the Gripniveau sheet of a saved begrotingsmodel."""

    assessment: dict[str, Level | None]
    settings: GripSettings
    challenge_euro: float | None
    start: str | None


def _column(wb: Any, name: str) -> list[Any]:
    if name not in wb.defined_names:
        raise InputError(f"de werkmap heeft geen bereik {name}; is het een begrotingsmodel "
                         "met het blad Gripniveau?", argument="werkmap")
    sheet, ref = wb.defined_names[name].attr_text.split("!")
    ws = wb[sheet.strip("'").replace("''", "'")]
    ref = ref.replace("$", "")
    if ":" not in ref:
        return [ws[ref].value]
    return [row[0].value for row in ws[ref]]


def read_sheet(workbook: str | Path) -> SheetInputs:
    """Self-assessment, weights, limits, KPI share, start quarter and challenge from the sheet."""
    from workbooks.safety import open_workbook

    wb = open_workbook(workbook, read_only=True, data_only=True)
    ids = _column(wb, layout.NAME_GN_CRITERIA)
    levels = _column(wb, layout.NAME_GN_ASSESSMENT)
    where = f"{layout.GRIPNIVEAU}!{layout.NAME_GN_ASSESSMENT}"
    assessment = {str(cid): parse_level(level, argument=where, row=r)
                  for r, (cid, level) in enumerate(zip(ids, levels)) if cid is not None}
    weights = [cells.to_number(v, layout.NAME_GN_WEIGHTS, row=r, default=1.0)
               for r, v in enumerate(_column(wb, layout.NAME_GN_WEIGHTS))]
    limits = _column(wb, layout.NAME_GN_LIMITS)
    settings = make_settings(
        "werkmap", topic_weights=tuple(weights),
        waakzaam_from=cells.to_number(limits[0], layout.NAME_GN_LIMITS, row=0, default=40.0),
        in_controle_from=cells.to_number(limits[1], layout.NAME_GN_LIMITS, row=1, default=70.0),
        kpi_weight=cells.to_number(_column(wb, layout.NAME_GN_KPI_WEIGHT)[0],
                                   layout.NAME_GN_KPI_WEIGHT, default=0.5))
    challenge = _column(wb, layout.NAME_GN_CHALLENGE)[0]
    start = _column(wb, layout.NAME_GN_START_QUARTER)[0]
    return SheetInputs(assessment, settings,
                       None if cells.is_empty(challenge) else
                       cells.to_number(challenge, layout.NAME_GN_CHALLENGE),
                       cells.text(start) or None)


def read_assessment(workbook: str | Path) -> dict[str, Level | None]:
    """The self-assessment typed on the Gripniveau sheet of a saved begrotingsmodel."""
    return read_sheet(workbook).assessment


@dataclass(frozen=True)
class QuickScan:
    """Everything the one-page report shows."""

    municipality: str
    assessment: GripAssessment
    kpis: kpi_core.KpiMeasurement | None
    agenda: list[AgendaItem]
    challenge_euro: float | None
    #: The provider register (AGB code -> name): names beside the codes of the lag table.
    provider_names: Mapping[str, str] = field(default_factory=dict)


def quick_scan(self_assessment: Mapping[str, Level | None], *,
               kpis: kpi_core.KpiMeasurement | None = None,
               challenge_euro: float | None = None,
               municipality: str = "Gemeente Voorbeeld",
               start: str = "2027-K1",
               settings: GripSettings | None = None,
               provider_names: Mapping[str, str] | None = None) -> QuickScan:
    """Combine self-assessment and measured KPIs into levels and a development agenda."""
    settings = settings or GripSettings()
    rubric = load_rubric()
    result = assess(self_assessment, rubric, settings=settings,
                    kpi_scores=None if kpis is None else kpis.topic_scores())
    agenda = development_agenda(list(result.topic_levels), scores=list(result.topic_scores),
                                start=start)
    return QuickScan(municipality, result, kpis, agenda, challenge_euro,
                     dict(provider_names or {}))


_COLOURS = {"ernstig": "#f4b6b6", "waakzaam": "#ffd699", "in controle": "#b7e1b0",
            NO_DATA: "#e7e6e6"}


def _level_cell(level: Level | None) -> str:
    text = NO_DATA if level is None else level.value
    return f'<td class="lvl" style="background:{_COLOURS[text]}">{html.escape(text)}</td>'


def _urgency(challenge: float | None) -> str:
    if challenge is None:
        return ("De financiële opgave uit de meerjarenraming is niet opgegeven; vul die aan om "
                "de urgentie te duiden.")
    if challenge <= 0:
        return (f"De meerjarenraming sluit (saldo {nl_euro(-challenge)} per jaar). Grip blijft "
                "nodig om dat zo te houden.")
    return (f"De meerjarenraming laat een financiële opgave zien van <b>{nl_euro(challenge)}</b> "
            "per jaar. Zonder meer grip op het sociaal domein is die niet te dichten.")


def _kpi_value(r: kpi_core.KpiResult) -> str:
    if not r.has_data:
        return r.no_data_text
    if r.definition.unit == "%":
        return nl_number(100 * r.value, 1) + "%"
    return nl_number(r.value, 1) + " " + r.definition.unit


def report_html(scan: QuickScan, *, max_agenda: int = 12) -> str:
    """The quick scan as one page of Dutch HTML (A4 when printed)."""
    a = scan.assessment

    def e(text) -> str:
        """Escaped for HTML and never a formula when the page is opened in a spreadsheet."""
        return html.escape(str(safe_text(text)))
    overall = a.level.value if a.level else NO_DATA
    score = nl_number(a.score, 0) if a.score is not None else "—"
    topic_rows = "\n".join(
        f"<tr><td>{t.number}</td><td>{e(t.name)}</td>"
        f"<td class='num'>{'—' if math.isnan(s) else nl_number(s, 0)}</td>{_level_cell(lv)}</tr>"
        for t, s, lv in zip(a.rubric.topics, a.topic_scores, a.topic_levels))
    kpi_rows = ""
    if scan.kpis is not None:
        kpi_rows = "\n".join(
            f"<tr><td>{e(r.definition.name)}</td><td class='num'>{e(_kpi_value(r))}</td>"
            f"{_level_cell(r.level)}</tr>" for r in scan.kpis.results)
    lags = "" if scan.kpis is None else "\n".join(
        f"<tr><td>{e(str(p.provider))}</td><td>{e(provider_name(p.provider, scan.provider_names))}"
        f"</td><td class='num'>{nl_number(p.median_months, 1)}</td>"
        f"<td class='num'>{nl_number(p.p90_months, 1)}</td></tr>"
        for p in scan.kpis.provider_lags.head(5).itertuples())
    lag_block = (f"<h2>Langste declaratievertraging (maanden)</h2><table><tr><th>AGB-code</th>"
                 f"<th>Aanbieder</th><th>Mediaan</th><th>P90</th></tr>{lags}</table>") if lags else ""
    kpi_block = (f"<h2>Gemeten in het berichtenverkeer</h2><table><tr><th>KPI</th><th>Waarde</th>"
                 f"<th>Niveau</th></tr>{kpi_rows}</table>{lag_block}") if kpi_rows else \
        "<p class='note'>Er zijn geen KPI's uit het berichtenverkeer gemeten; de niveaus volgen uit de zelfbeoordeling.</p>"
    agenda_rows = "\n".join(
        f"<tr><td>{i.start}</td><td>{i.end}</td><td>{e(i.topic_name)}</td><td>{e(i.current.value)}"
        f" → {e(i.target.value)}</td><td>{e(i.measure)}</td><td>{e(i.owner)}</td></tr>"
        for i in scan.agenda[:max_agenda])
    more = len(scan.agenda) - max_agenda
    more_note = f"<p class='note'>En nog {more} maatregelen: zie het blad Gripniveau.</p>" if more > 0 else ""
    missing = a.missing_topics()
    missing_note = (f"<p class='note'>Geen gegevens voor: {e(', '.join(missing))}; daarom geen "
                    "totaaloordeel.</p>") if missing else ""
    if scan.kpis is not None and scan.kpis.notes:
        kpi_block = "".join(f"<p class='warn'>{e(n)}</p>" for n in scan.kpis.notes) + kpi_block
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Quickscan gripniveau — {e(scan.municipality)}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font-family: Calibri, Arial, sans-serif; font-size: 10pt; color: #222; max-width: 190mm; }}
h1 {{ font-size: 16pt; color: #1f3864; margin: 0 0 4px 0; }}
h2 {{ font-size: 11.5pt; color: #1f3864; margin: 10px 0 4px 0; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #bfbfbf; padding: 2px 5px; text-align: left; vertical-align: top; }}
th {{ background: #1f3864; color: #fff; }}
.num {{ text-align: right; }} .lvl {{ text-align: center; }}
.big {{ font-size: 14pt; padding: 6px 12px; display: inline-block; border-radius: 4px; }}
.note {{ color: #595959; font-size: 8.5pt; }}
.warn {{ color: #9c0006; background: #ffc7ce; padding: 3px 5px; font-size: 9pt; }}
.cols {{ display: flex; gap: 12px; }} .cols > div {{ flex: 1; }}
</style></head><body>
<h1>Quickscan gripniveau sociaal domein — {e(scan.municipality)}</h1>
<p><span class="big" style="background:{_COLOURS[overall]}">Gripniveau: <b>{e(overall)}</b></span>
&nbsp; gripscore <b>{score}</b> van 100</p>
<h2>Urgentie</h2><p>{_urgency(scan.challenge_euro)}</p>
<div class="cols"><div>
<h2>Gripniveau per onderwerp</h2>
<table><tr><th>Nr</th><th>Onderwerp</th><th>Score</th><th>Niveau</th></tr>
{topic_rows}
</table>{missing_note}</div><div>
{kpi_block}</div></div>
<h2>Ontwikkelagenda: naar het volgende niveau</h2>
<table><tr><th>Start</th><th>Gereed</th><th>Onderwerp</th><th>Stap</th><th>Maatregel</th><th>Eigenaar</th></tr>
{agenda_rows}
</table>{more_note}
<p class="note">Gripscore: gewogen gemiddelde van de onderwerpscores. Ernstig bij een gripscore
onder {nl_number(a.settings.waakzaam_from, 0)} of bij {a.settings.max_ernstig_topics} of meer
onderwerpen ernstig; in controle vanaf {nl_number(a.settings.in_controle_from, 0)} zonder onderwerp
ernstig. Rubriek versie {e(a.rubric.version)}: een eigen uitwerking van Grip, geïnspireerd op de
Gemeentelijke Gripniveau Routekaart (waarvan de criteria niet openbaar zijn).</p>
</body></html>
"""


def write_report(scan: QuickScan, path: str | Path) -> Path:
    """Write the one-page HTML report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_html(scan), encoding="utf-8")
    return path


def provider_register_of(workbook: str | Path | None, municipality: str) -> dict[str, str]:
    """The provider register for the quick scan: the workbook's sheet Namen, else the demo's
    names for the demo municipality, else none."""
    from berichten.register import register_from_rows

    if workbook is not None:
        from workbooks.bookio import OpenpyxlBook

        book = OpenpyxlBook(workbook)
        if layout.NAME_PROVIDER_REGISTER not in book.names():
            return {}
        return register_from_rows(book.read(layout.NAME_PROVIDER_REGISTER),
                                  argument=layout.NAME_PROVIDER_REGISTER)
    if municipality == "Gemeente Voorbeeld":
        from berichten.synth_catalog import provider_register

        return provider_register()
    return {}


def demo_or_read(workbook: str | Path | None, municipality: str) -> SheetInputs:
    """The sheet's inputs from a workbook, or the demo municipality's self-assessment."""
    if workbook is not None:
        return read_sheet(workbook)
    if municipality == "Gemeente Voorbeeld":
        return SheetInputs(demo_assessment(), GripSettings(), None, None)
    raise InputError("geef met --werkmap het begrotingsmodel met de ingevulde zelfbeoordeling op",
                     argument="werkmap")


def kpi_lines(measurement: kpi_core.KpiMeasurement) -> Sequence[str]:
    """The measured KPIs as Dutch text lines for the command line."""
    return [f"  {r.definition.name:<55} {_kpi_value(r):>14}  "
            + (r.level.value if r.level else r.no_data_text if r.has_data or not r.note
               else f"({r.note})") for r in measurement.results]
