"""The work behind ``grip berichten`` and the ribbon button "Berichtenverkeer inlezen".

``inlezen`` imports files and folders into the store, ``overzicht`` summarises the store,
``run_button`` is the ribbon job (contract in ``grip.jobs``): it reads the named ranges
``grip_opslag`` (the store file; empty = ``grip_berichten.duckdb`` beside the workbook) and
``grip_berichtenmap`` (a folder or file of messages) and returns the import summary for
``grip_uit_import`` (``SUMMARY_SHAPE`` rows x columns: label, value).
"""

from __future__ import annotations

from pathlib import Path

from berichten import flat
from berichten.importer import ImportReport, import_paths
from berichten.store import open_store
from calc.errors import InputError
from calc.text import nl_euro
from grip import jobs
from grip.jobs import input_text
from workbooks import layout

INPUT_NAMES = (layout.NAME_STORE_PATH, layout.NAME_MESSAGES_PATH)
OUTPUT_NAMES = (layout.NAME_OUT_IMPORT,)
#: Rows x columns of the import summary written to ``grip_uit_import``.
SUMMARY_SHAPE = (8, 2)
#: File name of the store when ``grip_opslag`` is empty (beside the workbook).
DEFAULT_STORE_NAME = "grip_berichten.duckdb"


def inlezen(store: Path, paths: list[Path], *, key_path: Path | None = None,
            progress: bool = False, validate: bool = True,
            mapping_path: Path | None = None, workers: int | None = None) -> ImportReport:
    """Import message files and exports into the store (see ``berichten.importer``)."""
    mapping = flat.load_mapping(mapping_path) if mapping_path else None
    return import_paths(store, paths, key_path=key_path, progress=progress,
                        validate=validate, mapping=mapping, workers=workers)


def overzicht(store: Path) -> dict:
    """The figures of the store: berichten per code, declaratieregels, gedeclareerd_euro,
    quarantaine, toewijzingen, bestanden."""
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
    return lines


def run_button(inputs: dict[str, list[list]], *, workbook_path: Path | None = None
               ) -> dict[str, list[list]]:
    """Ribbon job: import ``grip_berichtenmap`` into ``grip_opslag``; summary to
    ``grip_uit_import``."""
    folder = input_text(inputs, layout.NAME_MESSAGES_PATH)
    if folder is None:
        raise InputError("vul de map met berichten in (grip_berichtenmap)",
                         argument=layout.NAME_MESSAGES_PATH, row=0, column=0)
    store_path = jobs.store_path(inputs, beside=None if workbook_path is None else
                                 Path(workbook_path).parent / DEFAULT_STORE_NAME)
    # one process: inside Excel's Python (a COM server on Windows) no process pool is started
    report = inlezen(store_path, [Path(folder)], workers=1)
    return {layout.NAME_OUT_IMPORT: report.table()}
