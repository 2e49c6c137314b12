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
from berichten.store import Store
from calc.errors import InputError
from calc.text import nl_euro
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
    if not Path(store).exists():
        raise InputError(f"opslag {store} bestaat niet", argument="opslag")
    with Store(store, read_only=True) as s:
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


def _cell(inputs: dict, name: str):
    values = inputs.get(name) or [[None]]
    first = values[0][0] if values and values[0] else None
    return None if first is None or str(first).strip() == "" else str(first).strip()


def run_button(inputs: dict[str, list[list]], *, workbook_path: Path | None = None
               ) -> dict[str, list[list]]:
    """Ribbon job: import ``grip_berichtenmap`` into ``grip_opslag``; summary to
    ``grip_uit_import``."""
    folder = _cell(inputs, layout.NAME_MESSAGES_PATH)
    if folder is None:
        raise InputError("vul de map met berichten in (grip_berichtenmap)",
                         argument=layout.NAME_MESSAGES_PATH, row=0, column=0)
    store = _cell(inputs, layout.NAME_STORE_PATH)
    if store is None:
        if workbook_path is None:
            raise InputError("vul het pad van de opslag in (grip_opslag)",
                             argument=layout.NAME_STORE_PATH, row=0, column=0)
        store_path = Path(workbook_path).parent / DEFAULT_STORE_NAME
    else:
        store_path = Path(store)
    # one process: inside Excel's Python (a COM server on Windows) no process pool is started
    report = inlezen(store_path, [Path(folder)], workers=1)
    return {layout.NAME_OUT_IMPORT: report.table()}
