"""Monthly series forecast: model choice, intervals, fallbacks and bad input."""

import numpy as np
import pytest

from calc.errors import InputError, NotFittedError, TooLittleHistoryError
from calc.prognose.series import (SeriesForecaster, clean_series, forecast_series, mase,
                                  seasonal_naive)

MONTHS = np.arange(72)
SEASON = 1 + 0.2 * np.sin(2 * np.pi * MONTHS / 12)


def noisy(seed=3):
    rng = np.random.default_rng(seed)
    return (1000 + 5 * MONTHS) * SEASON * (1 + 0.01 * rng.standard_normal(len(MONTHS)))


def test_seasonal_trended_series_is_forecast_well_and_beats_seasonal_naive():
    """Held-out last 12 months of a trended seasonal series: MASE far below seasonal naive."""
    y = noisy()
    f = forecast_series(y[:-12], 12)
    naive, _, _ = seasonal_naive(y[:-12], 12, 12, 0.8)
    ours = mase(y[-12:], f.mean, y[:-12])
    assert ours < 0.6 * mase(y[-12:], naive, y[:-12])
    ets, arima = f.model.split(" + ")
    assert ets.startswith("ETS(") and ets.removesuffix(" log").endswith("A)")   # seasonal
    assert arima == "ARIMA(0,1,1)(0,1,1)12 log"                      # positive: on logs
    assert np.all(f.lower <= f.mean) and np.all(f.mean <= f.upper)
    assert np.mean((y[-12:] >= f.lower) & (y[-12:] <= f.upper)) >= 0.5
    assert f.note == ""


def test_wider_level_gives_wider_interval():
    """A 95% interval contains the 80% interval."""
    y = noisy(5)[:30]
    f80 = forecast_series(y, 6, season_length=1, level=0.8)
    f95 = forecast_series(y, 6, season_length=1, level=0.95)
    assert np.all(f95.upper >= f80.upper - 1e-9) and np.all(f95.lower <= f80.lower + 1e-9)


def test_short_series_falls_back_to_seasonal_naive_with_a_dutch_note():
    """18 months of data with season 12: the value a year earlier, and a note saying so."""
    y = noisy()[:18]
    f = forecast_series(y, 3)
    assert f.model == "seizoensnaïef"
    assert "korter dan twee seizoenen" in f.note
    np.testing.assert_allclose(f.mean, y[6:9])


def test_seasonal_naive_hand_calculation():
    """Year-on-year differences 1,1,1 -> sigma 1; the 80% half-width is 1.2816 x sqrt(k)."""
    mean, lo, hi = seasonal_naive(np.array([1., 2., 3., 2., 3., 4.]), 6, 3, 0.8)
    np.testing.assert_allclose(mean, [2, 3, 4, 2, 3, 4])
    np.testing.assert_allclose(hi - mean, 1.2815516 * np.sqrt([1, 1, 1, 2, 2, 2]), rtol=1e-6)


def test_constant_series_is_that_constant():
    """A constant gives the constant, zero width, and a note."""
    f = forecast_series([7.0] * 30, 4)
    np.testing.assert_allclose(f.as_rows(), [[7.0, 7.0, 7.0]] * 4)
    assert "constant" in f.note


def test_trailing_empty_cells_are_ignored_interior_gap_refused():
    """An Excel column longer than the data is fine; a hole in the middle names its row."""
    assert len(clean_series([1.0, 2.0, 3.0, None, None])) == 3
    with pytest.raises(InputError) as err:
        forecast_series([1.0, 2.0, None, 4.0, 5.0, 6.0], 2)
    assert err.value.row == 2 and err.value.argument == "reeks"


@pytest.mark.parametrize("values, horizon, season, level, argument", [
    ([1.0, 2.0, 3.0], 2, 12, 0.8, "reeks"),
    ([1.0] * 10, 0, 12, 0.8, "horizon"),
    ([1.0] * 10, 2, 0, 0.8, "seizoen"),
    ([1.0] * 10, 2, 12, 1.5, "betrouwbaarheid"),
])
def test_bad_options_and_too_little_history(values, horizon, season, level, argument):
    """Each bad argument is refused with its own name."""
    with pytest.raises(InputError) as err:
        forecast_series(values, horizon, season_length=season, level=level)
    assert err.value.argument == argument


def test_too_little_history_is_its_own_error():
    """Three points are too few."""
    with pytest.raises(TooLittleHistoryError):
        forecast_series([1.0, 2.0, 3.0], 1)


def test_estimator_contract():
    """fit returns self, learned values end in _, predicting before fit is a clear error."""
    est = SeriesForecaster(season_length=1)
    with pytest.raises(NotFittedError):
        est.predict(3)
    assert est.fit([5.0, 6.0, 5.5, 6.5, 6.0, 7.0]) is est
    assert est.n_ == 6 and isinstance(est.model_, str)
    assert len(est.predict(3).mean) == 3


def test_negative_values_use_additive_models_only():
    """Series with zero or negative values (credits) never get a multiplicative model."""
    y = noisy()[:40] - 1100
    f = forecast_series(y, 3)
    assert ",M" not in f.model and "(M" not in f.model


def _ets_only(est: SeriesForecaster, horizon: int):
    """The forecast of the fitted estimator without its ARIMA component."""
    arima, est.arima_ = est.arima_, None
    try:
        return est.predict(horizon)
    finally:
        est.arima_ = arima


def test_forecast_is_the_equal_weight_mean_of_ets_and_airline_arima():
    """Seasonal series: mean and both bounds are the average of the ETS and ARIMA components."""
    from calc.prognose.series import _arima_forecast

    est = SeriesForecaster().fit(noisy(7)[:-12])
    assert est.arima_ is not None and est.arima_log_
    both = est.predict(12)
    ets = _ets_only(est, 12)
    a_mean, a_lo, a_hi = _arima_forecast(est.arima_, True, 12, 0.8)
    np.testing.assert_allclose(both.mean, (ets.mean + a_mean) / 2)
    np.testing.assert_allclose(both.lower, (ets.lower + a_lo) / 2)
    np.testing.assert_allclose(both.upper, (ets.upper + a_hi) / 2)
    assert not np.allclose(both.mean, ets.mean)          # the ARIMA part changes the forecast


def test_airline_on_logs_uses_the_lognormal_mean():
    """On logs the mean is exp(mu + s^2/2): above the median exp(mu), inside the interval."""
    from calc.prognose.series import _arima_forecast

    est = SeriesForecaster().fit(noisy(8))
    mean, lo, hi = _arima_forecast(est.arima_, True, 24, 0.8)
    median = np.exp(est.arima_.forecast(24)[0])
    assert np.all(mean > median) and np.all(lo < median) and np.all(median < hi)


def test_series_with_negative_values_gets_arima_on_the_values_themselves():
    """Credits (values <= 0): the airline model on the series, no logarithm."""
    est = SeriesForecaster().fit(noisy()[:40] - 1100)
    assert not est.arima_log_ and est.model_.endswith("+ ARIMA(0,1,1)(0,1,1)12")


def test_no_arima_without_seasons():
    """Season length 1, or fewer than two seasons of data: ETS alone (or the fallback)."""
    est = SeriesForecaster(season_length=1).fit(noisy()[:40])
    assert est.arima_ is None and "ARIMA" not in est.predict(3).model
    est = SeriesForecaster().fit(noisy()[:20])
    assert est.arima_ is None and est.model_ == "seizoensnaïef"


def test_unusable_arima_forecast_falls_back_to_ets(monkeypatch):
    """An ARIMA forecast that overflows (exp far ahead) is left out, and the label says so."""
    import calc.prognose.series as series

    est = SeriesForecaster().fit(noisy(9))
    ets = _ets_only(est, 6)
    monkeypatch.setattr(series, "_arima_forecast", lambda *a: (np.full(6, np.inf),) * 3)
    f = est.predict(6)
    np.testing.assert_allclose(f.mean, ets.mean)
    assert f.model == est.model_.split(" + ")[0] and "ARIMA" not in f.model


def _level_shift(seed=11):
    """Six stable seasonal years, then the last season 30% lower (a break)."""
    y = noisy(seed)
    y[-12:] *= 0.7
    return y


def test_last_season_check_is_the_combinations_error_over_seasonal_naives():
    """The check ratio: the combination's forecast of the last season from one season before
    the end, its mean absolute error over that of the same months a year earlier."""
    y = _level_shift()
    est = SeriesForecaster().fit(y)
    earlier = est._combined(12, 0.8, earlier=True)[0]
    expected = np.mean(np.abs(y[-12:] - earlier)) / np.mean(np.abs(y[-12:] - y[-24:-12]))
    assert est.check_ratio_ == pytest.approx(expected)
    assert est.guarded_ == (expected > 1)


def test_failed_check_blends_with_seasonal_naive(monkeypatch):
    """When the check fails the forecast (mean and bounds) is the mean of the combination and
    the seasonal naive forecast, with a Dutch note and the label saying so."""
    import calc.prognose.series as series

    monkeypatch.setattr(series, "GUARD", 0.0)          # every series fails the check
    est = SeriesForecaster().fit(noisy(13))
    assert est.guarded_
    f = est.predict(6)
    combined = est._combined(6, 0.8)[:3]
    naive = seasonal_naive(est.y_, 6, 12, 0.8)
    for got, c, nv in zip((f.mean, f.lower, f.upper), combined, naive):
        np.testing.assert_allclose(got, (c + nv) / 2)
    assert f.model.endswith("+ seizoensnaïef") and "breuk" in f.note


def test_steady_series_is_not_blended():
    """A steady trended seasonal series passes the last-season check untouched."""
    est = SeriesForecaster().fit(noisy(12))
    assert not est.guarded_ and est.check_ratio_ < 1
    np.testing.assert_allclose(est.predict(6).mean, est._combined(6, 0.8)[0])


def test_break_forecast_is_closer_to_the_new_level(monkeypatch):
    """After a 30% drop in the last season the forecast stays within 8% of the new level (the
    combination alone is 10-12% off: it still carries part of the old level)."""
    import calc.prognose.series as series

    y = _level_shift()
    assert np.all(np.abs(forecast_series(y, 6).mean / y[-12:-6] - 1) < 0.08)
    monkeypatch.setattr(series, "GUARD", np.inf)
    assert np.all(np.abs(forecast_series(y, 6).mean / y[-12:-6] - 1) > 0.09)


def test_component_beyond_the_envelope_is_left_out(monkeypatch):
    """An airline forecast of 100 times the series (finite, but a runaway trend) is dropped."""
    import calc.prognose.series as series

    est = SeriesForecaster().fit(noisy(9))
    ets = _ets_only(est, 6)
    monkeypatch.setattr(series, "_arima_forecast",
                        lambda *a: (np.full(6, 100 * est.y_.max()),) * 3)
    f = est.predict(6)
    np.testing.assert_allclose(f.mean, ets.mean)
    assert "ARIMA" not in f.model


def test_no_usable_component_falls_back_to_seasonal_naive(monkeypatch):
    """When every model leaves the envelope the forecast is seasonal naive, with a note."""
    import calc.prognose.series as series

    y = noisy(10)
    monkeypatch.setattr(series, "ENVELOPE", 1e-9)
    f = forecast_series(y, 6)
    assert f.model == "seizoensnaïef" and "bruikbare" in f.note
    np.testing.assert_allclose(f.mean, seasonal_naive(y, 6, 12, 0.8)[0])


def test_short_erratic_series_never_runs_away():
    """Eleven erratic positive quarters, 24 ahead: every forecast within 10 times the data (the
    combination without the envelope reaches 250 times the largest value here)."""
    rng = np.random.default_rng(0)
    y = np.where(np.arange(11) % 3 == 0, 0.0, 10.0) + rng.random(11)
    f = forecast_series(y, 24, season_length=4)
    assert np.all(np.isfinite(f.mean)) and np.max(np.abs(f.mean)) <= 10 * y.max()


def test_lognormal_correction_stops_growing_after_twelve_steps():
    """Far ahead a log model's mean is exp(mu + v12/2): the correction of 12 steps ahead."""
    from calc.prognose.series import _Component

    est = SeriesForecaster().fit(noisy(14))
    comp = next(c for c in est.results_ if c.log)
    mu, var = comp.fit.forecast(36)
    mean = comp.forecast(36, 0.8)[0]
    np.testing.assert_allclose(mean[:12], np.exp(mu + var / 2)[:12])
    np.testing.assert_allclose(mean[12:], np.exp(mu[12:] + var[11] / 2))
    assert isinstance(comp, _Component)


def test_monthly_band_of_spending_never_below_zero():
    """The Prognose sheet's monthly series forecast: a young, rising and jumpy series of a
    small municipality's spending (22 months, seasonal naive) gave November a lower edge of
    € -18.423 on the sheet and in its chart; a month's spending is not negative. The mean
    and the upper edge are those of the series forecast."""
    from types import SimpleNamespace

    import pandas as pd

    from calc.prognose.report import _monthly_forecast

    values = [496, 1178, 8043, 8959, 6414, 12179, 14058, 14970, 17972, 21196, 22404, 31184,
              33788, 40800, 37215, 38429, 45454, 50965, 41023, 31097, 52570, 44401]
    months = pd.date_range("2024-01-01", periods=len(values), freq="MS")
    forecast = SimpleNamespace(as_of=months[-1], monthly=pd.DataFrame(
        {"service_month": months, "expected_euro": np.array(values, float)}))
    out, _ = _monthly_forecast(forecast, 0.8, 36, [])
    future = out[out["forecast_euro"].notna()]
    assert len(future) == 2 and (future["lower_euro"] >= 0).all()
    raw = forecast_series(np.array(values, float), 2, level=0.8)
    assert raw.lower.min() < 0                      # what the band was cut from
    assert future["forecast_euro"].tolist() == pytest.approx(list(raw.mean))
    assert future["upper_euro"].tolist() == pytest.approx(list(raw.upper))
