"""The vectorised linear ETS kernel against a plain implementation and statsmodels."""

import warnings

import numpy as np
import pytest

from calc.prognose.ets import EtsSpec, _concentrated_sse, fit_ets

M = 12
T = np.arange(96)


def series(seed=1):
    rng = np.random.default_rng(seed)
    return 50 + 0.2 * T + 5 * np.sin(2 * np.pi * T / M) + rng.standard_normal(len(T))


def plain_errors(z, m, alpha, beta, gamma, phi, x0):
    """One-step errors of ETS(A,Ad,A) by the textbook loop (seasonal states as a list)."""
    level, trend = x0[0], x0[1]
    season = list(x0[2:]) + [-sum(x0[2:])]
    out = []
    for t, y in enumerate(z):
        s = season[t % m]
        e = y - (level + phi * trend + s)
        out.append(e)
        level, trend = level + phi * trend + alpha * e, phi * trend + beta * e
        season[t % m] = s + gamma * e
    return np.array(out)


@pytest.mark.parametrize("alpha, beta, gamma, phi", [(0.3, 0.05, 0.1, 0.9), (0.8, 0.0, 0.0, 1.0),
                                                     (0.05, 0.05, 0.5, 0.98)])
def test_concentrated_initial_states_equal_a_plain_least_squares_fit(alpha, beta, gamma, phi):
    """The sum of squares with the initial states concentrated out (four right-hand sides and
    delays) equals least squares over the 13 initial states of the plain loop."""
    z = series()
    sse, x0 = _concentrated_sse(z, M, *(np.array([v]) for v in (alpha, beta, gamma, phi)),
                                np.array([True]), np.array([True]))
    base = plain_errors(z, M, alpha, beta, gamma, phi, np.zeros(M + 1))
    design = np.column_stack([base - plain_errors(z, M, alpha, beta, gamma, phi, unit)
                              for unit in np.eye(M + 1)])
    best, *_ = np.linalg.lstsq(design, base, rcond=None)
    resid = plain_errors(z, M, alpha, beta, gamma, phi, best)
    np.testing.assert_allclose(sse[0], resid @ resid, rtol=1e-6)   # a 1e-9 ridge in the solve
    np.testing.assert_allclose(x0[0], best, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("spec", [EtsSpec(False, False, False), EtsSpec(True, False, True),
                                  EtsSpec(True, True, True), EtsSpec(False, False, True)])
def test_maximum_likelihood_at_least_as_good_as_statsmodels(spec):
    """The vectorised search reaches statsmodels' maximum likelihood (within 0.5)."""
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    z = series(2)
    ours = fit_ets(z, M, [spec])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ETSModel(pd.Series(z), error="add", trend="add" if spec.trend else None,
                       damped_trend=spec.damped, seasonal="add" if spec.seasonal else None,
                       seasonal_periods=M if spec.seasonal else None).fit(disp=False)
    assert ours.loglik() >= ref.llf - 0.5


def test_forecast_variance_matches_simulation():
    """The closed-form forecast variance equals the spread of simulated future paths."""
    z = series(3)
    fit = fit_ets(z, M, [EtsSpec(True, True, True)])[0]
    mean, var = fit.forecast(15)
    rng = np.random.default_rng(0)
    reps = 20000
    level = np.full(reps, fit.level)
    trend = np.full(reps, fit.trend)
    season = np.tile(fit.season, (reps, 1))
    paths = np.empty((reps, 15))
    for h in range(15):
        e = rng.standard_normal(reps) * np.sqrt(fit.sigma2)
        s = season[:, h % M]
        paths[:, h] = level + fit.phi * trend + s + e
        level, trend = level + fit.phi * trend + fit.alpha * e, fit.phi * trend + fit.beta * e
        season[:, h % M] = s + fit.gamma * e
    np.testing.assert_allclose(paths.mean(axis=0), mean, atol=4 * np.sqrt(var.max() / reps))
    np.testing.assert_allclose(paths.var(axis=0), var, rtol=0.05)


def test_scaling_the_series_scales_the_fit():
    """Linear models: 1000 times the series gives 1000 times the forecast, same parameters."""
    z = series(4)
    a = fit_ets(z, M, [EtsSpec(True, True, True)])[0]
    b = fit_ets(1000 * z, M, [EtsSpec(True, True, True)])[0]
    assert (a.alpha, a.beta, a.gamma, a.phi) == pytest.approx((b.alpha, b.beta, b.gamma, b.phi))
    np.testing.assert_allclose(1000 * a.forecast(6)[0], b.forecast(6)[0], rtol=1e-9)
