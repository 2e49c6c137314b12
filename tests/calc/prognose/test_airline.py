"""The airline model kernel against statsmodels' SARIMAX and a hand calculation."""

import warnings

import numpy as np

from calc.prognose.airline import AirlineFit, fit_airline

M = 12


def simulate(theta, stheta, n=120, seed=5):
    """An airline-model series with known coefficients (innovations 0.05, on a log level)."""
    rng = np.random.default_rng(seed)
    e = 0.05 * rng.standard_normal(n + M + 1)
    w = e[M + 1:] + theta * e[M:-1] + stheta * e[1:-M] + theta * stheta * e[:-M - 1]
    z = np.zeros(n + M + 1)
    z[:M + 1] = 5 + 0.2 * np.sin(2 * np.pi * np.arange(M + 1) / M)
    for t in range(M + 1, n + M + 1):
        z[t] = z[t - 1] + z[t - M] - z[t - M - 1] + w[t - M - 1]
    return z[M + 1:]


def test_estimates_and_forecast_equal_statsmodels_sarimax():
    """Exact maximum likelihood: the same coefficients and forecast as SARIMAX."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    z = simulate(-0.4, -0.6)
    ours = fit_airline(z, M)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = SARIMAX(z, order=(0, 1, 1), seasonal_order=(0, 1, 1, M),
                      concentrate_scale=True).fit(disp=False)
    assert abs(ours.theta - ref.params[0]) < 0.02
    assert abs(ours.seasonal_theta - ref.params[1]) < 0.02
    mean, var = ours.forecast(24)
    pred = ref.get_forecast(24)
    np.testing.assert_allclose(mean, pred.predicted_mean, atol=0.01)
    np.testing.assert_allclose(np.sqrt(var), np.sqrt(pred.var_pred_mean), rtol=0.1)


def test_forecast_recursion_and_psi_weights_by_hand():
    """Two steps ahead with known innovations; variance sigma^2 (1 + (1 + theta)^2)."""
    z = np.arange(1.0, 14.0)                      # m + 1 = 13 values
    e = np.zeros(13)
    e[-1] = 1.0                                   # last innovation 1
    fit = AirlineFit(0.5, -0.5, sse=2.0, m=M, history=z, innovations=e, n_diff=2)
    mean, var = fit.forecast(2)
    # z_14 = z_13 + z_2 - z_1 + theta e_13 = 13 + 2 - 1 + 0.5;  z_15 = z_14 + z_3 - z_2
    np.testing.assert_allclose(mean, [14.5, 15.5])
    np.testing.assert_allclose(var, [1.0, 1.0 + 1.5 ** 2])
