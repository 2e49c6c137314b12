"""SD_KANS_SLUITEND and SD_RAVIJN: what Excel hands over, hand values and Dutch cell messages."""

import pytest
from openpyxl import Workbook

from addin.udfs import SD_KANS_SLUITEND, SD_RAVIJN
from workbooks.recalc import recalculate


def test_kans_sluitend_one_measure_is_the_triangular_cdf():
    """Gap 25 on a (0, 50, 100) saving: 1 - 25^2 / (100 x 50) = 0.875."""
    assert SD_KANS_SLUITEND(25.0, [[0.0, 50.0, 100.0]]) == pytest.approx(0.875)


def test_kans_sluitend_skips_empty_rows_and_reads_a_chance_column():
    """A fixed range with empty rows below the measures; the 4th column is a realisation chance."""
    rows = [[0.0, 50.0, 100.0, 0.8], [None, None, None, None], [None, None, None, None]]
    assert SD_KANS_SLUITEND(25.0, rows) == pytest.approx(0.7)
    assert SD_KANS_SLUITEND(-5.0, [[None, None, None]]) == 1.0


@pytest.mark.parametrize("rows, text", [
    ([[0.0, 50.0, 100.0], [300.0, 50.0, 100.0]], "#INVOER: besparingen, rij 2, kolom 1: laag (300) is groter dan hoog (100)"),
    ([[0.0, None, 100.0]], "#INVOER: besparingen, rij 1, kolom 2: de cel is leeg"),
    ([[0.0, 50.0, 100.0, 1.5]], "#INVOER: besparingen, rij 1, kolom 4: aandeel 150,0% ligt boven 100%"),
    ([[0.0, "veel", 100.0]], "#INVOER: besparingen, rij 1, kolom 2: tekst 'veel' is geen getal"),
    # amounts as typed, with a decimal comma ('1,23457e+06' and '1e+06' before)
    ([[1_234_567.5, 1e6, 1e6]], "#INVOER: besparingen, rij 1, kolom 1: laag (1234567,5) is groter "
                               "dan hoog (1000000)"),
])
def test_kans_sluitend_bad_input_names_the_cell(rows, text):
    """Low > high, an empty cell, a chance above 100 %, text: a Dutch message with the cell."""
    assert SD_KANS_SLUITEND(10.0, rows) == text


def test_ravijn_default_and_custom_fund():
    """95 mln of 47.5 bln carries 0.2 % of 2.4 bln; with a 50 bln fund 0.19 %."""
    assert SD_RAVIJN(95e6, 2.4) == pytest.approx(4.8e6)
    assert SD_RAVIJN(95e6, 2.4, None) == pytest.approx(4.8e6)
    assert SD_RAVIJN(95e6, 2.4, 50.0) == pytest.approx(4.56e6)


def test_ravijn_share_above_100_percent():
    """An algemene uitkering larger than the fund is refused, naming the argument."""
    assert SD_RAVIJN(60e9, 2.4) == "#INVOER: algemene_uitkering: aandeel 126,3% ligt boven 100%"


def test_headless_optional_parameter(tmp_path):
    """The headless engine calls SD_RAVIJN with and without the optional fund size."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=SD_RAVIJN(95000000,2.4)"
    ws["A2"] = "=SD_RAVIJN(95000000,2.4,50)"
    ws["B1"], ws["C1"], ws["D1"] = 0.0, 50.0, 100.0
    ws["A3"] = "=SD_KANS_SLUITEND(25,B1:D1)"
    wb.save(tmp_path / "t.xlsx")
    rec = recalculate(tmp_path / "t.xlsx")
    sheet = ws.title
    assert rec.get(sheet, "A1") == pytest.approx(4.8e6)
    assert rec.get(sheet, "A2") == pytest.approx(4.56e6)
    assert rec.get(sheet, "A3") == pytest.approx(0.875)


def test_basisraming_by_hand():
    """100 at 50 % wages (4 %) and prices (2 %), volume 1 %: 100 x 1.03 x 1.01 per year; empty stays empty."""
    from addin.udfs import SD_BASISRAMING

    out = SD_BASISRAMING([[100.0], [None]], 0.5, [[0.04, 0.04]], [[0.02, 0.02]], [[0.01, 0.01]])
    f = 1.03 * 1.01
    assert out[0] == pytest.approx([100 * f, 100 * f * f])
    assert out[1] == [None, None]


def test_basisraming_share_above_100_percent_names_the_row():
    """A loonaandeel of 120 % in the second row."""
    from addin.udfs import SD_BASISRAMING

    out = SD_BASISRAMING([[1.0], [2.0]], [[0.5], [1.2]], [[0.0]], [[0.0]], [[0.0]])
    assert out == "#INVOER: loonaandeel, rij 2, kolom 1: aandeel 120,0% ligt boven 100%"


def test_saldoband_equals_the_calc_core():
    """SD_SALDOBAND is saldo_band on the same measures (same seed, same draws)."""
    import numpy as np

    from addin.udfs import SD_SALDOBAND
    from calc.budget.measures import Measure, measure_matrix, saldo_band
    from calc.budget.years import Horizon

    rows = [[100.0, 200.0, 400.0, 2026.0, "ja", None], [None] * 6,
            [50.0, 50.0, 80.0, 2027.0, "nee", 0.5]]
    out = SD_SALDOBAND([[2026.0, 2027.0]], [[-300.0, -300.0]], [[None, 20.0]], rows,
                       [[10.0, 10.0], [None, None], [0.0, 0.0]])
    ms = [Measure(name="a", theme="-", low=100, most_likely=200, high=400, start_year=2026,
                  indirect={"-": (10.0, 10.0)}),
          Measure(name="b", theme="-", low=50, most_likely=50, high=80, start_year=2027,
                  structural=False, chance=0.5)]
    h = Horizon(first_year=2026, n_years=2)
    band = saldo_band(np.array([-300.0, -300.0]), np.array([0.0, 20.0]),
                      measure_matrix(ms, h, None), h.years)
    np.testing.assert_allclose(np.array(out, dtype=float), band.iloc[:3].to_numpy())


def test_saldoband_start_year_outside_names_the_range_row_and_column():
    """A start year outside the horizon in the third row of the range (an empty row between)."""
    from addin.udfs import SD_SALDOBAND

    rows = [[1.0, 2.0, 3.0, 2026.0, "ja", None], [None] * 6, [1.0, 2.0, 3.0, 2035.0, "ja", None]]
    out = SD_SALDOBAND([[2026.0, 2027.0]], [[0.0, 0.0]], [[0.0, 0.0]], rows)
    assert out == "#INVOER: maatregelen, rij 3, kolom 4: jaar 2035 ligt buiten de horizon 2026-2027"


def test_terugverdienjaar():
    """Cumulative -400k, -350k, +100k: paid back in 2028; never: a Dutch text; a negative investment refused."""
    from addin.udfs import SD_TERUGVERDIENJAAR

    years = [[2026.0, 2027.0, 2028.0]]
    assert SD_TERUGVERDIENJAAR(years, [[4e5, 2e5, 0.0]], [[0.0, 2.5e5, 4.5e5]]) == 2028.0
    assert SD_TERUGVERDIENJAAR(years, [[4e5, 0.0, 0.0]], [[0.0, 1e5, 1e5]]) == "niet binnen deze jaren"
    assert SD_TERUGVERDIENJAAR(years, [[-1.0, 0.0, 0.0]], [[0.0, 1e5, 1e5]]) == \
        "#INVOER: investering, kolom 1: een investering is 0 of meer"


def test_shares_and_rates_typed_with_a_percent_sign():
    """'80%', '3,5%' as text (a cell formatted as text, or typed in Excel Online) are the
    share they say, as everywhere else in Grip; they were 'tekst is geen getal' here."""
    from addin.udfs.begroting import SD_BASISRAMING, SD_KANS_SLUITEND, SD_SALDOBAND

    assert SD_KANS_SLUITEND(100, [[50, 80, 120], [30, 40, 50, "80%"]]) == \
        SD_KANS_SLUITEND(100, [[50, 80, 120], [30, 40, 50, 0.8]])
    years, saldo, reserves = [[2026, 2027]], [[-100, -50]], [[0, 0]]
    assert SD_SALDOBAND(years, saldo, reserves, [[10, 20, 30, 2026, "ja", "80%"]]) == \
        SD_SALDOBAND(years, saldo, reserves, [[10, 20, 30, 2026, "ja", 0.8]])
    typed = SD_BASISRAMING([[1000], [2000]], [["60%"], [0.6]], [["3,5%", "3%"]],
                           [[0.02, "2%"]], [["1%", 0.01]])
    assert typed == SD_BASISRAMING([[1000], [2000]], [[0.6], [0.6]], [[0.035, 0.03]],
                                   [[0.02, 0.02]], [[0.01, 0.01]])
    assert SD_KANS_SLUITEND(100, [[30, 40, 50, "180%"]]).startswith(
        "#INVOER: besparingen, rij 1, kolom 4: aandeel 180,0% ligt boven 100%")
