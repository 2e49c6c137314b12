"""SD_PROGNOSE: translates Excel's column into the calc core and back, with Dutch errors."""

import numpy as np

from addin.udfs import SD_PROGNOSE
from calc.prognose.series import forecast_series

SERIES = [100.0, 104.0, 99.0, 107.0, 111.0, 108.0, 115.0, 118.0]


def test_udf_equals_the_calc_core_with_defaults_and_empty_tail_cells():
    """A column with empty cells after the data and omitted options gives the calc result."""
    column = [[v] for v in SERIES] + [[None], [None]]
    out = SD_PROGNOSE(column, 3.0, 1.0, None)
    expected = forecast_series(SERIES, 3, season_length=1, level=0.8)
    np.testing.assert_allclose(np.array(out, dtype=float), np.array(expected.as_rows()))
    assert len(out) == 3 and all(len(r) == 3 for r in out)


def test_default_season_is_twelve():
    """With the season left empty an 18-month series uses the seasonal naive fallback."""
    values = [float(v) for v in range(1, 19)]
    out = SD_PROGNOSE([[v] for v in values], 2.0, None, None)
    assert [r[0] for r in out] == [7.0, 8.0]


def test_gap_in_the_series_is_a_located_dutch_message():
    """An empty cell between values names the row (1-based in the cell message)."""
    out = SD_PROGNOSE([[1.0], [None], [3.0], [4.0], [5.0]], 2.0, 1.0, None)
    assert isinstance(out, str) and out.startswith("#INVOER") and "reeks" in out
    assert "rij 2" in out


def test_bad_horizon_and_level_are_refused():
    """A fractional horizon and a level of 80 (not 0,8) are refused with the argument named."""
    assert "horizon" in SD_PROGNOSE([[v] for v in SERIES], 2.5, None, None)
    assert "betrouwbaarheid" in SD_PROGNOSE([[v] for v in SERIES], 2.0, None, 80.0)
