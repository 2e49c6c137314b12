"""The sheet-shaped output tables: one fixed-rows helper, never a silent cut."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.cross_effects.scenario import ScenarioEffects
from addin.convert import TableTooLarge, fixed_rows
from workbooks.tables.gripniveau import KPI_TABLE_HEADER, kpi_table
from workbooks.tables.prognose import (LOOK_BACK_HEADER, MONTHLY_HEADER, NOT_YET, PROVIDER_HEADER,
                                       YEAREND_HEADER, look_back_rows, monthly_rows, provider_rows,
                                       yearend_rows)
from workbooks.tables.scenario import band_table


@given(st.lists(st.lists(st.integers(), max_size=4), max_size=6), st.integers(6, 9),
       st.integers(4, 6), st.booleans())
def test_fixed_rows_keeps_every_row_in_place(rows, n_rows, n_cols, bottom):
    """Rows that fit come back unchanged, padded with None to the exact size."""
    out = fixed_rows(rows, n_rows, n_cols, bottom=bottom)
    assert len(out) == n_rows and all(len(r) == n_cols for r in out)
    placed = out[n_rows - len(rows):] if bottom else out[:len(rows)]
    assert [r[:len(orig)] for r, orig in zip(placed, rows)] == rows
    assert sum(v is not None for r in out for v in r) == sum(len(r) for r in rows)


def test_too_many_rows_are_refused_or_summed_up():
    """Without a 'more' row a table that does not fit is refused; with one, the last row counts."""
    with pytest.raises(TableTooLarge, match="past niet in het uitvoerbereik"):
        fixed_rows([[1]] * 4, 3, 1)
    with pytest.raises(TableTooLarge):
        fixed_rows([[1, 2, 3]], 3, 2)
    assert fixed_rows([[1]] * 4, 3, 2, more=lambda n: [f"nog {n}"]) == \
        [[1, None], [1, None], ["nog 2", None]]


@pytest.mark.parametrize("rows_of, header", [(yearend_rows, YEAREND_HEADER),
                                             (provider_rows, PROVIDER_HEADER),
                                             (look_back_rows, LOOK_BACK_HEADER),
                                             (monthly_rows, MONTHLY_HEADER)])
def test_prognose_tables_without_a_result_have_their_size_and_a_hint(rows_of, header):
    """Before the first run every prognose table has its fixed size; text tables say what to do."""
    rows = rows_of(None, 7)
    assert len(rows) == 7 and all(len(r) == len(header) for r in rows)
    if rows_of is not monthly_rows:
        assert "Prognose bijwerken" in " ".join(str(v) for v in rows[0] if v)
    assert NOT_YET.startswith("Nog geen prognose")


def test_kpi_table_is_the_fixed_range():
    """No measurement: the KPI range is empty but of its fixed size."""
    rows = kpi_table(None, 5)
    assert rows == [[None] * len(KPI_TABLE_HEADER)] * 5


def test_band_table_fills_and_refuses():
    """The Monte Carlo table: themes then the total per year; too small a range is refused."""
    bands = np.arange(2 * 2 * 3, dtype=float).reshape(3, 2, 2)
    fx = ScenarioEffects(scenario="s", themes=("A", "B"), years=(2026, 2027),
                         direct=np.zeros((2, 2)), indirect=np.zeros((2, 2)),
                         other_parties=np.zeros(2), quantiles=(0.1, 0.5, 0.9), bands=bands,
                         total_bands=bands.sum(axis=1))
    table = band_table(fx, rows=7)
    assert table[0] == ["A", 2026, 0.0, 4.0, 8.0] and table[4][0] == "Totaal alle thema's"
    assert table[6] == [None] * 5
    with pytest.raises(TableTooLarge):
        band_table(fx, rows=5)
