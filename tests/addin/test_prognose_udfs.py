"""The prognose UDFs: SD_NAGEKOMEN and SD_ONTWIKKELFACTOREN, in Python and recalculated headless."""

import numpy as np
import pytest
from openpyxl import Workbook

from addin.udfs import SD_NAGEKOMEN, SD_ONTWIKKELFACTOREN
from addin.vba import render_udf_module
from calc.prognose.reserving import chain_ladder
from calc.prognose.samples import RAA, TAYLOR_ASHE_INCREMENTAL, square
from calc.prognose.triangle import cumulate

GENINS = cumulate(square(TAYLOR_ASHE_INCREMENTAL))

#: The RAA triangle as Excel hands it: lists of rows, None for the empty cells.
RAA_CELLS = [[float(v) for v in row] + [None] * (10 - len(row)) for row in RAA]
TA_INC_CELLS = [[float(v) for v in row] + [None] * (10 - len(row))
                for row in TAYLOR_ASHE_INCREMENTAL]


def test_nagekomen_gives_rows_plus_total_with_mack_figures():
    """Ten periods plus a total row, four columns; the RAA totals as Mack published them."""
    out = SD_NAGEKOMEN(RAA_CELLS)
    assert len(out) == 11 and all(len(r) == 4 for r in out)
    latest, ultimate, ibnr, se = out[-1]
    assert (round(ibnr), round(se)) == (52135, 26909)
    assert latest == sum(r[0] for r in out[:-1]) and ultimate == pytest.approx(latest + ibnr)
    assert [round(r[3]) for r in out[:-1]] == [0, 206, 623, 747, 1469, 2002, 2209, 5358, 6333,
                                               24566]


def test_nagekomen_incremental_with_cumulatief_false():
    """cumulatief = ONWAAR on the incremental Taylor-Ashe gives Mack's total 2,447,095."""
    out = SD_NAGEKOMEN(TA_INC_CELLS, False)
    assert round(out[-1][2]) == 18680856 and round(out[-1][3]) == 2447095
    assert SD_NAGEKOMEN(TA_INC_CELLS, "ONWAAR") == out


def test_ontwikkelfactoren_is_one_row():
    """One row of L-1 factors, equal to the calc core."""
    out = SD_ONTWIKKELFACTOREN(TA_INC_CELLS, False)
    assert len(out) == 1
    np.testing.assert_allclose(out[0], chain_ladder(GENINS).development_factors)


def zeroed(cells):
    """The triangle as SUMIFS (SOMMEN.ALS) builds it: 0 in the cells not known yet."""
    return [[0.0 if v is None else v for v in row] for row in cells]


def test_zeros_where_nothing_can_be_known_yet_read_as_empty():
    """Read as known, the 0s of a SUMIFS triangle said 'nothing more comes': RAA's late
    claims came out as 0 instead of 52.135. Now the same as with empty cells: cumulative,
    incremental, and with the last period a month before the peildatum (two cells known)."""
    assert SD_NAGEKOMEN(zeroed(RAA_CELLS)) == SD_NAGEKOMEN(RAA_CELLS)
    assert SD_ONTWIKKELFACTOREN(zeroed(RAA_CELLS)) == SD_ONTWIKKELFACTOREN(RAA_CELLS)
    assert SD_NAGEKOMEN(zeroed(TA_INC_CELLS), False) == SD_NAGEKOMEN(TA_INC_CELLS, False)
    assert SD_NAGEKOMEN(zeroed(RAA_CELLS[:-1])) == SD_NAGEKOMEN(RAA_CELLS[:-1])
    newest_first = RAA_CELLS[::-1]                     # the 0s stand in the upper right
    assert SD_NAGEKOMEN(zeroed(newest_first)) == SD_NAGEKOMEN(newest_first)
    # a value in the lower right: not such a triangle, nothing is read differently
    from calc.prognose.triangle import future_zeros_as_unknown

    odd = np.array(zeroed(RAA_CELLS))
    odd[9, 5] = 7.0
    np.testing.assert_array_equal(future_zeros_as_unknown(odd), odd)


def test_prognose_refuses_zeros_for_months_still_to_come():
    """A month range filled with SOMMEN.ALS ends in 0s: read as months without spending they
    gave a forecast of 3 instead of 130. Now a message naming the first 0; empty cells at
    the end still do not count, and a series that has 0s among its values is forecast."""
    from addin.udfs import SD_PROGNOSE

    series = [[100.0 + 10 * np.sin(i / 12 * 2 * np.pi) + i] for i in range(30)]
    out = SD_PROGNOSE(series + [[0.0]] * 6, 3)
    assert out.startswith("#INVOER: reeks, rij 31: de reeks eindigt met 6 nullen"), out
    assert len(SD_PROGNOSE(series + [[None]] * 6, 3)) == 3
    counts = [[float(i % 3)] for i in range(30)]      # 0, 1, 2, 0, ...: 0 is a value here
    assert len(SD_PROGNOSE(counts, 3)) == 3


@pytest.mark.parametrize("cells, args, expected", [
    ([[1.0, "veel"], [2.0, None]], (), "#INVOER: driehoek, rij 1, kolom 2: tekst 'veel' is geen getal"),
    ([[1.0, 2.0]], (), "#HISTORIE: driehoek: de driehoek heeft 1 rij"),
    ([[1.0, 2.0, None], [1.0, None, None]], (), "#HISTORIE: driehoek, kolom 3: de kolom voor vertraging 2"),
    ([[5.0, -1.0], [1.0, None]], (), "#INVOER: driehoek, rij 1, kolom 2: cumulatief bedrag is negatief"),
    ([[5.0, None, 6.0], [1.0, 2.0, None], [1.0, None, None]], (),
     "#INVOER: driehoek, rij 1, kolom 2: lege cel vóór een bekend bedrag"),
    ([[100.0, 50.0, 10.0], [120.0, 40.0, None], [90.0, None, None]], (),
     "#INVOER: driehoek, rij 1, kolom 2: de bedragen dalen in"),
    (RAA_CELLS, ("misschien",), "#INVOER: cumulatief: verwacht WAAR of ONWAAR"),
    # the incremental Taylor-Ashe with cumulatief on TRUE: it rises as often as it falls, and
    # gave a total of late claims of -4,8 mln
    (TA_INC_CELLS, (), "#INVOER: driehoek: de ontwikkelfactor is kleiner dan 0,95 bij 4 van de "
                       "9 vertragingen (3 naar 4: 0,55)"),
    # RAA with its delays in the rows (transposed): late claims of -49.156
    ([list(col) for col in zip(*RAA_CELLS)], (),
     "#INVOER: driehoek: de bedragen stijgen in de kolommen van boven naar beneden"),
])
def test_bad_input_gives_a_dutch_message_naming_the_cell(cells, args, expected):
    """Text, a single row, an empty lag column, a negative amount, a gap, a falling triangle."""
    out = SD_NAGEKOMEN(cells, *args)
    assert isinstance(out, str) and out.startswith(expected), out


def test_vba_wrapper_declares_cumulatief_optional():
    """Excel may leave cumulatief out: the VBA wrapper declares it Optional."""
    vba = render_udf_module()
    assert "Function SD_NAGEKOMEN(driehoek, Optional cumulatief)" in vba


def test_headless_recalculation_equals_the_calc_core(tmp_path):
    """In a saved workbook, SD_NAGEKOMEN with and without cumulatief equals the calc core."""
    from workbooks.context import BuildContext, put_formula
    from workbooks.recalc import recalculate

    wb = Workbook()
    ws = wb.active
    ws.title = "Driehoek"
    for i, row in enumerate(RAA_CELLS, start=1):
        for j, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(i, j, v)
    ctx = BuildContext()
    put_formula(ws, ctx, "L1:O11", "=SD_NAGEKOMEN(A1:J10)")
    put_formula(ws, ctx, "Q1:T11", "=SD_NAGEKOMEN(A1:J10,TRUE)")
    put_formula(ws, ctx, "A13:I13", "=SD_ONTWIKKELFACTOREN(A1:J10)")
    path = tmp_path / "driehoek.xlsx"
    wb.save(path)
    rec = recalculate(path)
    res = chain_ladder(np.array([[np.nan if v is None else v for v in r] for r in RAA_CELLS]))
    got = np.array(rec.get("Driehoek", "L1:O11"), dtype=float)
    np.testing.assert_allclose(got[:-1, 3], res.mack_se, rtol=1e-12)
    np.testing.assert_allclose(got[-1], [res.latest.sum(), res.ultimate.sum(), res.ibnr.sum(),
                                         res.total_mack_se], rtol=1e-12)
    np.testing.assert_array_equal(np.array(rec.get("Driehoek", "Q1:T11"), dtype=float), got)
    np.testing.assert_allclose(np.array(rec.get("Driehoek", "A13:I13"), dtype=float)[0],
                               res.development_factors, rtol=1e-12)
