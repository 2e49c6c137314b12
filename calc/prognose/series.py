"""Monthly series forecast (inflow, spend) with a prediction interval.

The forecast is an equal-weight combination of the two standard model families for seasonal
monthly data, exponential smoothing and seasonal ARIMA (combining forecasts from different
model families is the most robust finding of the M3/M4 competitions; Makridakis et al. 2020,
IJF 36), both fitted by our own vectorised kernels (``calc.prognose.ets``,
``calc.prognose.airline``: a few hundredths of a second per 120-month series, where the
statsmodels fits took about a second):

* **ETS**, chosen automatically the way Hyndman et al. (2008) and R's ``forecast::ets`` do it:
  every linear model (additive error; trend none, additive or additive damped; season none or
  additive) fitted by maximum likelihood on the values and, for a positive series, on their
  logarithm (the log-additive models stand in for the multiplicative ones), all ranked by AICc on
  the original scale (the log-likelihood of a log model minus ``sum(log y)``); the ETS forecast is
  the Akaike-weighted mean of the best ``COMBINE`` models (Kolassa 2011, "Combining exponential
  smoothing forecasts using Akaike weights", IJF 27). A log model's mean is ``exp(mu + v/2)``,
  ``v`` capped at its value 12 steps ahead (so that a wide log interval far ahead cannot blow
  the point forecast up).
* **ARIMA**: Box and Jenkins' *airline model* ARIMA(0,1,1)(0,1,1) with the season length (exact
  maximum likelihood), on the logarithm of a positive series (log-normal mean), on the series
  itself otherwise. Only for seasonal series with at least two seasons; else ETS alone.

The interval bounds are combined the same way as the point forecasts, by averaging the
components' quantiles (Lichtendahl, Grushka-Cockayne and Winkler 2013, "Is it better to average
probabilities or quantiles?", Management Science 59).

**The last-season check** (never wild): with the fitted parameters, the combination forecasts
the last season from one season before the end. When it missed those months by more than the
seasonal naive forecast did (the same months a year earlier; ``GUARD`` = 1), the series has
changed course lately (a break, a level shift, a trend that stopped) and the forecast, mean and
bounds, is the average of the combination and the seasonal naive forecast, with a Dutch note.

``benchmarks/bench_series.py`` measures it against statsforecast's AutoETS and seasonal naive
(mean MASE, last 12 / 24 months held out): on the 44 series the method was chosen on, 0.568
against 0.694 and 0.949 against 1.033, no holdout above 1.9 times the seasonal naive error; on
271 other series (``--controle``) 0.579 against 0.678 and 0.705 against 0.824; on their 27
independent ones 0.711 against 0.737 and 0.922 against 0.905. About 0.1 s of CPU time per
120-month series, as AutoETS. Intervals cover 0.79-0.90 at a nominal 0.80.

Fallbacks, each with a Dutch note in ``SeriesForecast.note``:

* fewer than two full seasons (plus two points): **seasonal naive** (same month last year), its
  interval from the spread of the year-on-year differences;
* fewer than one season (or ``season_length`` 1): the ETS family without seasonality;
* a constant series: that constant, with a zero-width interval;
* fewer than 4 points: refused (``TooLittleHistoryError``).

Empty cells before the first and after the last value are ignored (an Excel column longer
than the data); an empty cell in between is refused with its row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.stats import norm
from threadpoolctl import threadpool_limits

from calc.errors import InputError, NotFittedError, TooLittleHistoryError
from calc.estimator import Estimator
from calc.prognose.airline import AirlineFit, fit_airline
from calc.prognose.ets import EtsSpec, fit_ets_many

#: Trend variants tried (trend, damped).
TRENDS = ((False, False), (True, False), (True, True))
MIN_POINTS = 4
#: Most values a series may have: 100 years of months, about 1 s per fit (issue 16: an answer
#: within 5 s; 6.000 values took 7,6 s on a loaded machine).
MAX_POINTS = 1200
#: The last-season check: blend with the seasonal naive forecast when the combination's forecast
#: of the last season (from one season before the end) misses by more than this many times the
#: seasonal naive error.
GUARD = 1.0
#: The log-normal correction of a log model's mean grows up to this many steps ahead only.
LOGNORMAL_STEPS = 12
#: A component whose forecast exceeds this many times the largest absolute value of the
#: series is left out of the combination.
ENVELOPE = 10.0
GUARD_NOTE = "gemiddelde van het model en de seizoensnaïeve prognose."
MAX_HORIZON = 120
#: Number of best ETS models (by AICc) whose forecasts are combined with Akaike weights.
COMBINE = 5
#: The seasonal ARIMA combined (equal weight) with the ETS forecast: the airline model.
ARIMA_ORDER = (0, 1, 1)
ARIMA_SEASONAL_ORDER = (0, 1, 1)


@dataclass(frozen=True)
class SeriesForecast:
    """A forecast ``horizon`` steps ahead: expected value and the interval at ``level``.

    ``model`` names the model(s) (``"ETS(M,Ad,M) + ARIMA(0,1,1)(0,1,1)12 log"``,
    ``"seizoensnaïef"``, ...);
    ``note`` is a Dutch remark for the controller when a fallback was used (else empty).
    """

    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    model: str
    note: str = ""

    def as_rows(self) -> list[list[float]]:
        """``horizon`` rows of (expected, lower, upper)."""
        return np.column_stack([self.mean, self.lower, self.upper]).tolist()


def clean_series(values, *, argument: str = "reeks") -> np.ndarray:
    """The series as floats, leading and trailing gaps dropped, interior gaps refused.

    >>> clean_series([None, 1.0, 2.0, None]).tolist()
    [1.0, 2.0]
    >>> clean_series([1.0, float("nan"), 2.0])
    Traceback (most recent call last):
    ...
    calc.errors.InputError: de reeks heeft een leeg vak tussen de waarden (rij 2)
    """
    raw = [np.nan if v is None else v for v in np.asarray(values, dtype=object).ravel()]
    try:
        y = np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError("de reeks bevat iets anders dan getallen", argument=argument) from exc
    if np.isinf(y).any():
        r = int(np.flatnonzero(np.isinf(y))[0])
        raise InputError("de reeks bevat een oneindige waarde", argument=argument, row=r)
    known = np.flatnonzero(np.isfinite(y))
    if len(known) == 0:
        raise TooLittleHistoryError("de reeks is leeg", argument=argument)
    first, last = known[0], known[-1]
    gaps = np.flatnonzero(np.isnan(y[first:last + 1]))
    if len(gaps):
        r = int(first + gaps[0])
        raise InputError(f"de reeks heeft een leeg vak tussen de waarden (rij {r + 1})",
                         argument=argument, row=r)
    return y[first:last + 1]


def refuse_placeholder_zeros(values, argument: str = "reeks") -> None:
    """Refuse a series typed in a spreadsheet that ends in 0s after values without a 0.

    A month range filled with SUMIFS (SOMMEN.ALS) has 0 for the months still to come; read
    as months without spending they pull the forecast to 0 (a wrong number without a
    warning). Such 0s cannot be told from real ones by their value, so the user decides:
    empty cells at the end do not count. A series with 0s among its values (a small count)
    is left alone. For ``SD_PROGNOSE``; Grip's own monthly series do not pass through here.

    >>> refuse_placeholder_zeros([5.0, 6.0, 0.0, 0.0, None])
    Traceback (most recent call last):
    ...
    calc.errors.InputError: de reeks eindigt met 2 nullen na waarden zonder nul; zijn dat maanden die nog moeten komen (zoals SOMMEN.ALS ze geeft)? Maak die cellen leeg: een lege cel aan het eind telt niet mee
    >>> refuse_placeholder_zeros([5.0, 0.0, 6.0, 0.0])     # 0 is a value this series has
    """
    y = np.asarray([np.nan if v is None else v for v in np.asarray(values, dtype=object).ravel()],
                   dtype=float)
    known = np.flatnonzero(np.isfinite(y))
    if len(known) == 0:
        return
    series = y[known[0]:known[-1] + 1]
    nonzero = np.flatnonzero(np.nan_to_num(series, nan=1.0) != 0)
    if len(nonzero) == 0:
        return
    tail = len(series) - 1 - nonzero[-1]
    if tail and not np.any(series[:nonzero[-1] + 1] == 0):
        row = int(known[0] + nonzero[-1] + 1)
        raise InputError(
            f"de reeks eindigt met {tail} {'nul' if tail == 1 else 'nullen'} na waarden zonder "
            "nul; zijn dat maanden die nog moeten komen (zoals SOMMEN.ALS ze geeft)? Maak die "
            "cellen leeg: een lege cel aan het eind telt niet mee", argument=argument, row=row)


def _check_options(horizon: int, season_length: int, level: float) -> None:
    if not (1 <= horizon <= MAX_HORIZON) or int(horizon) != horizon:
        raise InputError(f"horizon moet een geheel getal van 1 tot en met {MAX_HORIZON} zijn, "
                         f"niet {horizon}", argument="horizon")
    if season_length < 1 or int(season_length) != season_length or season_length > 52:
        raise InputError(f"seizoen moet een geheel getal van 1 tot en met 52 zijn, "
                         f"niet {season_length}", argument="seizoen")
    if not 0 < level < 1:
        shown = f"{level:g}".replace(".", ",")
        meant = (f"; bedoelt u {shown}%? Typ dan {shown}% of {level / 100:g}".replace(".", ",")
                 if 50 <= level < 100 else "")
        raise InputError(f"moet tussen 0 en 1 liggen (0,8 is 80%), niet "
                         f"{shown}{meant}", argument="betrouwbaarheid")


def akaike_weights(aicc) -> np.ndarray:
    """Akaike weights ``exp(-delta/2)``, normalised (Burnham and Anderson 2002).

    >>> akaike_weights([100.0, 100.0, 200.0]).round(3).tolist()
    [0.5, 0.5, 0.0]
    """
    a = np.asarray(aicc, dtype=float)
    w = np.exp(-(a - a.min()) / 2)
    return w / w.sum()


def ets_candidates(seasonal: bool) -> list[EtsSpec]:
    """The linear ETS models tried: trend none / additive / damped, season none / additive."""
    return [EtsSpec(trend, damped, season)
            for trend, damped in TRENDS
            for season in ((False, True) if seasonal else (False,))]


@dataclass(frozen=True)
class _Component:
    """One fitted model on one scale: its label, AICc (on the original scale) and fit."""

    label: str
    aicc: float
    fit: object
    log: bool

    def forecast(self, horizon: int, level: float) -> tuple[np.ndarray, ...]:
        """Mean and interval; on logs the mean is ``exp(mu + v/2)`` (log-normal), with ``v``
        at most its value ``LOGNORMAL_STEPS`` ahead: far ahead the variance of a log model grows
        without bound and its mean with it, while the median ``exp(mu)`` stays put."""
        mu, var = self.fit.forecast(horizon)
        half = norm.ppf(0.5 + level / 2) * np.sqrt(var)
        if self.log:
            with np.errstate(over="ignore"):
                capped = np.minimum(var, var[min(len(var), LOGNORMAL_STEPS) - 1])
                return np.exp(mu + capped / 2), np.exp(mu - half), np.exp(mu + half)
        return mu, mu - half, mu + half


def _aicc(loglik: float, k: int, n: int) -> float:
    return -2 * loglik + 2 * k + (2 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else np.inf)


def _fit_ets(y: np.ndarray, season_length: int, seasonal_allowed: bool) -> list[_Component]:
    """Fit every candidate ETS model on the values (and on their logarithm when all are
    positive); return the fits sorted by AICc on the original scale."""
    n = len(y)
    scales = [(False, y)] + ([(True, np.log(y))] if np.all(y > 0) else [])
    tasks = [(log, z, spec) for log, z in scales for spec in ets_candidates(seasonal_allowed)]
    fits = fit_ets_many([(z, spec) for _, z, spec in tasks], season_length)
    out = []
    for (log, z, spec), fit in zip(tasks, fits):
        jacobian = float(np.sum(z)) if log else 0.0      # log-likelihood of y = of log y - sum
        aicc = _aicc(fit.loglik() - jacobian, spec.n_params(season_length), n)
        if np.isfinite(aicc) and np.all(np.isfinite(fit.residuals)):
            out.append(_Component(spec.label(log), aicc, fit, log))
    return sorted(out, key=lambda c: c.aicc)


def arima_name(season_length: int, log: bool) -> str:
    """Label of the airline model.

    >>> arima_name(12, True)
    'ARIMA(0,1,1)(0,1,1)12 log'
    """
    p, d, q = ARIMA_ORDER
    sp, sd, sq = ARIMA_SEASONAL_ORDER
    return f"ARIMA({p},{d},{q})({sp},{sd},{sq}){season_length}{' log' if log else ''}"


def _fit_arima(y: np.ndarray, season_length: int) -> _Component | None:
    """Fit the airline model, on the logarithm when every value is positive."""
    log = bool(np.all(y > 0))
    z = np.log(y) if log else y
    fit = fit_airline(z, season_length)
    if not (np.isfinite(fit.sse) and fit.sse > 0):
        return None
    return _Component(arima_name(season_length, log), float("nan"), fit, log)


def seasonal_naive(y: np.ndarray, horizon: int, season_length: int,
                   level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seasonal naive forecast (the value one season back) with a normal interval.

    The one-season-ahead error spread is the root mean square of the year-on-year
    differences; ``k`` seasons ahead it grows with the square root of ``k``.

    >>> mean, lo, hi = seasonal_naive(np.array([1., 2., 3., 2., 3., 4.]), 4, 3, 0.8)
    >>> mean.tolist()
    [2.0, 3.0, 4.0, 2.0]
    """
    m = season_length
    idx = len(y) - m + (np.arange(horizon) % m)
    mean = y[idx]
    diffs = y[m:] - y[:-m]
    sigma = float(np.sqrt(np.mean(diffs ** 2))) if len(diffs) else float(np.std(y))
    k = np.arange(horizon) // m + 1
    half = norm.ppf(0.5 + level / 2) * sigma * np.sqrt(k)
    return mean, mean - half, mean + half


def _arima_forecast(fit: AirlineFit, log: bool, horizon: int,
                    level: float) -> tuple[np.ndarray, ...]:
    """Mean and interval of the airline model; on logs the mean is ``exp(mu + s^2/2)``."""
    return _Component("", float("nan"), fit, log).forecast(horizon, level)


class SeriesForecaster(Estimator):
    """Automatic ETS + seasonal ARIMA forecaster with the scikit-learn contract (``calc.estimator``).

    Parameters
    ----------
    season_length : int
        Periods per season (12 for months).
    level : float
        Coverage of the prediction interval (0.8 = 80%).

    Attributes (after ``fit``)
    --------------------------
    model_ : str
        The combined models (``"ETS(A,Ad,A) log + ARIMA(0,1,1)(0,1,1)12 log"``: the best ETS
        model by AICc and the airline model), the best ETS model alone (``"ETS(A,N,N)"``,
        without season) or the fallback (``"seizoensnaïef"``, ...).
    results_ : list or None
        The combined ETS fits, best first (None for a fallback).
    weights_ : ndarray
        Akaike weights of the combined ETS models (best first).
    arima_ : AirlineFit or None
        The fitted airline model (None when not used or not estimable).
    arima_log_ : bool
        Whether the airline model was fitted on the logarithm.
    note_ : str
        Dutch note when a fallback was used.
    aicc_ : float
        AICc of the best ETS model (NaN for a fallback).
    n_ : int
        Number of observations used.
    """

    def __init__(self, season_length: int = 12, level: float = 0.8) -> None:
        self.season_length = season_length
        self.level = level

    def fit(self, y) -> "SeriesForecaster":
        """Choose and fit the model on the series ``y`` (oldest first)."""
        _check_options(1, self.season_length, self.level)
        y = clean_series(y)
        n, m = len(y), int(self.season_length)
        if n > MAX_POINTS:
            raise InputError(f"de reeks heeft {n} waarden; hoogstens {MAX_POINTS} (100 jaar "
                             "maanden) worden doorgerekend; neem de recentste jaren",
                             argument="reeks")
        if n < MIN_POINTS:
            raise TooLittleHistoryError(
                f"de reeks heeft {n} waarden; er zijn er minstens {MIN_POINTS} nodig",
                argument="reeks")
        self._start(y)
        if np.ptp(y) == 0:
            self.model_ = "constant"
            self.note_ = "De reeks is constant: de prognose is die waarde, zonder marge."
            return self
        if m > 1 and m <= n < 2 * m + 2:
            self.model_ = "seizoensnaïef"
            self.note_ = (f"De reeks is korter dan twee seizoenen ({n} waarden): "
                          "seizoensnaïeve prognose (zelfde periode een seizoen eerder).")
            return self
        seasonal = m > 1 and n >= 2 * m + 2
        if not self._fit_models(y, m, seasonal):
            if n >= m > 1:
                self.model_ = "seizoensnaïef"
                self.note_ = ("Geen exponentieel-effenmodel te schatten: seizoensnaïeve "
                              "prognose.")
            else:
                self.model_ = "naïef"
                self.note_ = "Geen exponentieel-effenmodel te schatten: laatste waarde."
            return self
        if m > 1 and not seasonal:
            self.note_ = (f"De reeks is korter dan één seizoen ({n} waarden): prognose "
                          "zonder seizoenspatroon.")
        if seasonal and n - m >= 2 * m + 2 and np.isfinite(GUARD):
            self._check_last_season(y, m)
        return self

    def _start(self, y: np.ndarray) -> None:
        """Forget an earlier fit: the learned attributes for the series ``y``."""
        self.y_ = y
        self.n_ = len(y)
        self.results_ = None
        self.arima_ = None
        self.arima_log_ = False
        self.weights_ = np.ones(0)
        self.aicc_ = float("nan")
        self.note_ = ""
        self.check_ratio_ = float("nan")
        self.guarded_ = False

    def _fit_models(self, y: np.ndarray, m: int, seasonal: bool) -> bool:
        """Fit the ETS candidates and the airline model; False when no ETS model fits."""
        with threadpool_limits(1), np.errstate(all="ignore"):
            fits = _fit_ets(y, m, seasonal)
            arima = _fit_arima(y, m) if seasonal and fits else None
        if not fits:
            return False
        fits = fits[:COMBINE]
        self.aicc_, self.model_ = fits[0].aicc, fits[0].label
        self.results_ = fits
        self.weights_ = akaike_weights([f.aicc for f in fits])
        if arima is not None:
            self.arima_, self.arima_log_ = arima.fit, arima.log
            self.model_ = f"{self.model_} + {arima.label}"
        return True

    def _check_last_season(self, y: np.ndarray, m: int) -> None:
        """The combination's forecast of the last season from one season before the end (same
        parameters, states at that point) against the seasonal naive one (the same months a
        year earlier): when it misses by more than ``GUARD`` times as much, the series has
        changed course (a break, a level shift, a trend that stopped) and the forecast is
        blended with the seasonal naive one."""
        if self.arima_ is not None and self.arima_.earlier is None:
            return
        if any(c.fit.earlier is None for c in self.results_):
            return
        earlier = self._combined(m, float(self.level), earlier=True)
        if earlier is None:
            return
        actual = y[-m:]
        model_error = float(np.mean(np.abs(actual - earlier[0])))
        naive_error = float(np.mean(np.abs(actual - y[-2 * m:-m])))
        self.check_ratio_ = model_error / naive_error if naive_error > 0 else np.inf
        if model_error > GUARD * naive_error:
            self.guarded_ = True
            self.note_ = ("Het laatste seizoen week sterk af van wat het model een seizoen "
                          "eerder voorspelde (breuk of trendwijziging): " + GUARD_NOTE)

    def _combined(self, horizon: int, level: float, earlier: bool = False):
        """The Akaike-weighted ETS forecast averaged with the airline model: (mean, lower,
        upper, airline used), or None when no ETS model gives a usable forecast; from one
        season before the end when ``earlier``.

        A component whose forecast is not finite or leaves the envelope (more than ``ENVELOPE``
        times the largest absolute value of the series: a trend compounded far ahead on logs)
        is left out, the weights of the others renormalised."""
        limit = ENVELOPE * float(np.max(np.abs(self.y_)))

        def usable(parts):
            return all(np.all(np.isfinite(p)) for p in parts) and np.max(np.abs(parts[0])) <= limit

        parts, weights = [], []
        for w, comp in zip(self.weights_, self.results_):
            if w < 1e-4:
                continue
            if earlier:
                comp = replace(comp, fit=comp.fit.earlier)
            forecast = comp.forecast(horizon, level)
            if usable(forecast):
                parts.append(forecast)
                weights.append(w)
        if not parts:
            return None
        weights = np.array(weights) / np.sum(weights)
        mean, lo, hi = (sum(w * p[i] for w, p in zip(weights, parts)) for i in range(3))
        if self.arima_ is None:
            return mean, lo, hi, False
        fit = self.arima_.earlier if earlier else self.arima_
        arima = _arima_forecast(fit, self.arima_log_, horizon, level)
        if not usable(arima):
            return mean, lo, hi, False
        a_mean, a_lo, a_hi = arima
        return (mean + a_mean) / 2, (lo + a_lo) / 2, (hi + a_hi) / 2, True

    def predict(self, horizon: int) -> SeriesForecast:
        """Forecast ``horizon`` periods ahead with the interval at ``level``."""
        if not hasattr(self, "model_"):
            raise NotFittedError("de prognose is nog niet geschat (roep eerst fit aan)")
        _check_options(horizon, self.season_length, self.level)
        y, m, level = self.y_, int(self.season_length), float(self.level)
        model = self.model_
        combined = self._combined(horizon, level) if self.results_ is not None else None
        note = self.note_
        if self.results_ is not None and combined is None:
            model = "seizoensnaïef" if m > 1 and len(y) >= m else "naïef"
            note = ("De modellen geven zo ver vooruit geen bruikbare prognose (een trend die "
                    "uit de hand loopt): seizoensnaïeve prognose.")
            mean, lo, hi = seasonal_naive(y, horizon, m if model == "seizoensnaïef" else 1, level)
        elif self.results_ is not None:
            mean, lo, hi, with_arima = combined
            if not with_arima:
                model = model.split(" + ")[0]
            if self.guarded_:
                n_mean, n_lo, n_hi = seasonal_naive(y, horizon, m, level)
                mean, lo, hi = (mean + n_mean) / 2, (lo + n_lo) / 2, (hi + n_hi) / 2
                model = f"{model} + seizoensnaïef"
        elif self.model_ == "constant":
            mean = np.full(horizon, y[-1])
            lo, hi = mean.copy(), mean.copy()
        elif self.model_ == "seizoensnaïef":
            mean, lo, hi = seasonal_naive(y, horizon, m, level)
        else:
            mean, lo, hi = seasonal_naive(y, horizon, 1, level)
        return SeriesForecast(mean, np.minimum(lo, mean), np.maximum(hi, mean), level,
                              model, note)


def forecast_series(values, horizon: int, *, season_length: int = 12,
                    level: float = 0.8) -> SeriesForecast:
    """Forecast a monthly series ``horizon`` periods ahead (same as ``SeriesForecaster``).

    Parameters
    ----------
    values : sequence of float
        The series, oldest first (``None``/NaN allowed only before the first and after the
        last value).
    horizon : int
        Periods ahead (1..120).
    season_length : int, default 12
    level : float, default 0.8

    Examples
    --------
    >>> f = forecast_series([10.0, 12, 11, 13], 2, season_length=1)
    >>> len(f.mean), f.level
    (2, 0.8)
    """
    _check_options(horizon, season_length, level)
    return SeriesForecaster(season_length, level).fit(values).predict(horizon)


def mase(actual, forecast, insample, season_length: int = 12) -> float:
    """Mean absolute scaled error: MAE over the in-sample seasonal-naive MAE.

    >>> mase([3.0, 4.0], [2.0, 5.0], [1.0, 2.0, 3.0], 1)
    1.0
    """
    insample = np.asarray(insample, float)
    scale = np.mean(np.abs(insample[season_length:] - insample[:-season_length]))
    return float(np.mean(np.abs(np.asarray(actual, float) - np.asarray(forecast, float))) / scale)
