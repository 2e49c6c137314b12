"""The work behind ``grip berichten`` and the ribbon button "Berichtenverkeer inlezen".

``inlezen`` imports files and folders into the store, ``overzicht`` summarises the store,
``run_button`` is the ribbon job (contract in ``grip.jobs``): it reads the named ranges
``grip_opslag`` (the store file; empty = ``grip.jobs.DEFAULT_STORE_NAME`` beside the
workbook) and
``grip_berichtenmap`` (a folder or file of messages) and returns the import summary for
``grip_uit_import`` (``SUMMARY_SHAPE`` rows x columns: label, value) and the quarantine of
that import per reason for ``grip_uit_quarantaine`` (reason, count, euro, first example).
``quarantaine`` lists the store's quarantine for ``grip berichten quarantaine``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from berichten import flat
from berichten.importer import ImportReport, amount_text, import_paths
from berichten.store import location, open_store
from calc.errors import InputError
from calc.text import nl_euro
from grip import jobs
from grip.jobs import input_text
from workbooks import layout

INPUT_NAMES = (layout.NAME_STORE_PATH, layout.NAME_MESSAGES_PATH)
OUTPUT_NAMES = (layout.NAME_OUT_IMPORT, layout.NAME_OUT_QUARANTINE)
#: Rows x columns of the import summary written to ``grip_uit_import``.
SUMMARY_SHAPE = (8, 2)
#: Records listed per reason by ``grip berichten quarantaine`` (``--json`` lists all).
LISTED_PER_REASON = 20


def inlezen(store: Path, paths: list[Path], *, key_path: Path | None = None,
            progress: bool = False, validate: bool = True,
            mapping_path: Path | None = None, workers: int | None = None) -> ImportReport:
    """Import message files and exports into the store (see ``berichten.importer``)."""
    mapping = flat.load_mapping(mapping_path) if mapping_path else None
    return import_paths(store, paths, key_path=key_path, progress=progress,
                        validate=validate, mapping=mapping, workers=workers)


def overzicht(store: Path) -> dict:
    """The figures of the store: berichten per code, gemeenten (declaratieregels and
    gedeclareerd_euro per gemeentecode), declaratieregels, gedeclareerd_euro, quarantaine,
    toewijzingen, bestanden."""
    with open_store(store) as s:
        return s.overview()


def overview_lines(figures: dict) -> list[str]:
    """Dutch lines for ``grip berichten overzicht``."""
    lines = ["Berichten per soort:"]
    for code, n in figures["berichten"].items():
        lines.append(f"  {code}: {n}")
    if not figures["berichten"]:
        lines.append("  (geen)")
    lines += [f"Declaratieregels: {figures['declaratieregels']}",
              f"Gedeclareerd (debet min credit): {nl_euro(figures['gedeclareerd_euro'])}",
              f"Toewijzingen: {figures['toewijzingen']}",
              f"In quarantaine: {figures['quarantaine']}",
              f"Ingelezen bestanden: {figures['bestanden']}"]
    if len(figures.get("gemeenten", {})) > 1:     # a region's store: say whose claims these are
        lines.append("Declaraties per gemeente (de prognose telt ze samen, tenzij u een "
                     "gemeentecode kiest):")
        lines += [f"  {code}: {f['declaratieregels']} regels, {nl_euro(f['gedeclareerd_euro'])}"
                  for code, f in figures["gemeenten"].items()]
    return lines


def quarantaine(store: Path, bestand: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records, groups) of the store's quarantine, optionally of one file (path or name)."""
    with open_store(store) as s:
        return s.quarantine_records(bestand), s.quarantine_groups(bestand)


def quarantine_json(records: pd.DataFrame) -> list[dict]:
    """One object per record: ``bestand``, ``blad`` (of a workbook, else null), ``regel``,
    ``bericht``, ``gemeente`` (the gemeentecode where the record or its message names one,
    else null), ``reden``, ``bedrag_euro``."""
    out = []
    for r in records.itertuples(index=False):
        amount = None if pd.isna(r.amount_euro) else round(float(r.amount_euro), 2)
        whose = getattr(r, "municipality", None)
        out.append({"bestand": r.file, "blad": r.sheet if isinstance(r.sheet, str) else None,
                    "regel": None if pd.isna(r.position) else int(r.position),
                    "bericht": r.message_code,
                    "gemeente": whose if isinstance(whose, str) and whose else None,
                    "reden": r.reason, "bedrag_euro": amount})
    return out


def quarantine_lines(records: pd.DataFrame, groups: pd.DataFrame) -> list[str]:
    """Dutch lines: per reason its count and euro, then its records as bestand:regel."""
    if records.empty:
        return ["De quarantaine is leeg."]
    n, k = len(records), len(groups)
    # a region's quarantine names each record's municipality
    regional = "municipality" in records and records["municipality"].dropna().nunique() > 1
    lines = [f"In quarantaine: {n} {'record' if n == 1 else 'records'}, {k} "
             f"{'reden' if k == 1 else 'redenen'}, "
             f"{amount_text(records['amount_euro'].sum(min_count=1))}"]
    for g in groups.itertuples(index=False):
        lines.append("")
        lines.append(f"{g.reason}")
        lines.append(f"  {g.records} {'record' if g.records == 1 else 'records'}, "
                     f"{amount_text(g.amount_euro)}")
        these = records[records["reason"] == g.reason]
        for r in these.head(LISTED_PER_REASON).itertuples(index=False):
            amount = "" if pd.isna(r.amount_euro) else f"  {nl_euro(r.amount_euro, 2)}"
            whose = getattr(r, "municipality", None)
            whose = f"  gemeente {whose}" if regional and isinstance(whose, str) and whose else ""
            lines.append(f"  {location(r.file, r.position, r.sheet)}{amount}{whose}")
        if len(these) > LISTED_PER_REASON:
            lines.append(f"  … en {len(these) - LISTED_PER_REASON} meer (--json geeft alles)")
    return lines


def _rounded(euro) -> float | None:
    return None if pd.isna(euro) else round(float(euro), 2)


def quarantine_table(groups: pd.DataFrame, store: Path) -> list[list]:
    """The quarantine per reason for ``grip_uit_quarantaine``: count, euro, example, reason."""
    rows_max = layout.QUARANTINE_ROWS
    rows = [[int(g.records), _rounded(g.amount_euro),
             location(Path(g.file).name, g.position, g.sheet), g.reason]
            for g in groups.itertuples(index=False)]
    if not rows:
        return [[0, None, None, "Geen records in quarantaine bij deze inlezing."]]
    if len(rows) > rows_max:
        rest = groups.iloc[rows_max - 1:]
        rows = rows[:rows_max - 1] + [[
            int(rest["records"].sum()), _rounded(rest["amount_euro"].sum(min_count=1)), None,
            f"… en {len(rest)} andere redenen (alles: grip berichten quarantaine --opslag "
            f"{store})"]]
    return rows


def run_button(inputs: dict[str, list[list]], *, folder: Path | None = None
               ) -> dict[str, list[list]]:
    """Ribbon job: import ``grip_berichtenmap`` into ``grip_opslag`` (empty: the store beside
    the workbook in ``folder``, ``jobs.store_path``); summary to ``grip_uit_import``, the
    quarantine per reason to ``grip_uit_quarantaine``."""
    messages = input_text(inputs, layout.NAME_MESSAGES_PATH)
    if messages is None:
        raise InputError("vul de map met berichten in (grip_berichtenmap)",
                         argument=layout.NAME_MESSAGES_PATH, row=0, column=0)
    store_path = jobs.store_path(inputs, folder=folder)
    # one process: inside Excel's Python (a COM server on Windows) no process pool is started
    report = inlezen(store_path, [Path(messages)], workers=1)
    return {layout.NAME_OUT_IMPORT: report.table(),
            layout.NAME_OUT_QUARANTINE: quarantine_table(report.reasons, store_path)}
