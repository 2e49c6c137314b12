"""The measured KPIs as the sheet Gripniveau and the button "Gripniveau bijwerken" show them
(named range ``grip_uit_gripniveau``): header, rows, fixed size."""

from __future__ import annotations

from collections.abc import Sequence

from addin.convert import Rows, fixed_rows
from calc.grip_level.kpis import KpiResult
from calc.grip_level.rubric import load_rubric
from workbooks import layout

#: Columns of the measured-KPI output table (``kpi_rows``), as the sheet shows them.
KPI_TABLE_HEADER = ("KPI", "Nr", "Onderwerp", "Waarde", "Eenheid", "Niveau", "Score",
                    "In controle tot", "Ernstig boven", "Toelichting")


def kpi_rows(results: Sequence[KpiResult]) -> Rows:
    """The measured KPIs as rows of the output table (``KPI_TABLE_HEADER``).

    A KPI without data shows "geen gegevens" as value and level, an empty score and the
    reason; one measured on too few records its value with "te weinig gegevens (n=...)" as
    level; never a pretended level.
    """
    names = load_rubric().topic_names()
    rows = []
    for r in results:
        d = r.definition
        topic = [d.name, float(d.topic), names[d.topic - 1]]
        if r.has_data and r.level is not None:
            rows.append([*topic, r.value, d.unit, r.level.value, r.score,
                         d.in_controle_to, d.ernstig_from, r.note])
        elif r.has_data:  # measured on too few records: the value, but no level
            rows.append([*topic, r.value, d.unit, r.no_data_text, None,
                         d.in_controle_to, d.ernstig_from, r.note])
        else:
            rows.append([*topic, r.no_data_text, d.unit, r.no_data_text, None,
                         d.in_controle_to, d.ernstig_from, r.note])
    return rows


def kpi_table(results: Sequence[KpiResult] | None, n_rows: int = layout.GN_KPI_ROWS) -> Rows:
    """``kpi_rows`` in the fixed range (empty rows when nothing was measured)."""
    return fixed_rows(kpi_rows(results or ()), n_rows, len(KPI_TABLE_HEADER))
