"""Linear exponential smoothing (ETS with additive errors) as a vectorised numpy kernel.

The models of the *linear* ETS class (Hyndman, Koehler, Ord and Snyder 2008, "Forecasting with
exponential smoothing", ch. 3 and 6, class 1): additive error, trend none / additive / additive
damped, season none / additive, written in innovations form

    yhat_t = l_{t-1} + phi b_{t-1} + s_{t-m}        e_t = y_t - yhat_t
    l_t = l_{t-1} + phi b_{t-1} + alpha e_t
    b_t = phi b_{t-1} + beta e_t
    s_t = s_{t-m} + gamma e_t

Two things make fitting them cheap:

* **the initial states are concentrated out**: the one-step errors are linear in the initial
  states ``x0 = (l_0, b_0, s_{1-m} .. s_0)``, ``e = e_y + E x0``, so for given smoothing
  parameters the maximum-likelihood ``x0`` is a least-squares solution. The recursion is run once
  on the data with ``x0 = 0`` and once per unit initial state with zero data (one batch), the
  normal equations give ``x0`` and the minimal sum of squares. Seasonal states sum to zero (m-1
  free). The remaining search is over at most four smoothing parameters;
* **the search is vectorised**: every parameter vector of every model is one row of one batch,
  so a whole round of the search (hundreds of candidates of all models) is one pass of the
  recursion over the series. The search is a fixed quasi-random (Sobol) design on the admissible
  region, then a pattern search (Hooke and Jeeves) from each model's best point: deterministic.

Admissible region (the usual one of R's ``forecast::ets``): ``alpha`` in (0.0001, 0.9999),
``beta`` in (0, alpha), ``gamma`` in (0, 1 - alpha), ``phi`` in (0.8, 0.98).

The forecast variance has the closed form of the linear class,
``sigma^2 (1 + sum_{j<h} c_j^2)`` with
``c_j = alpha + beta (phi + ... + phi^j) + gamma [j = 0 mod m]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ALPHA_BOUNDS = (1e-4, 0.9999)
PHI_BOUNDS = (0.8, 0.98)
#: Size of the first quasi-random design and of each refining round, per model.
FIRST_DESIGN = 64
#: Pattern search after the design: first step (in the unit cube) and number of rounds.
FIRST_STEP = 0.1
SEARCH_ROUNDS = 16
MIN_STEP = 0.002
SEED = 20260101


@dataclass(frozen=True)
class EtsSpec:
    """One linear ETS model: trend ``None`` or ``"A"``, ``damped``, ``seasonal``."""

    trend: bool
    damped: bool
    seasonal: bool

    def label(self, log: bool = False) -> str:
        """The usual ETS(E,T,S) label (``log``: fitted on the logarithm).

        >>> EtsSpec(True, True, True).label()
        'ETS(A,Ad,A)'
        """
        t = ("Ad" if self.damped else "A") if self.trend else "N"
        return f"ETS(A,{t},{'A' if self.seasonal else 'N'}){' log' if log else ''}"

    def n_params(self, m: int) -> int:
        """Smoothing parameters + initial states + the error variance."""
        return (1 + self.trend + self.damped + self.seasonal   # alpha, beta, phi, gamma
                + 1 + self.trend + (m - 1) * self.seasonal     # l0, b0, m-1 seasonal states
                + 1)                                           # sigma^2


@dataclass(frozen=True)
class EtsFit:
    """A fitted linear ETS model (on the scale it was given)."""

    spec: EtsSpec
    alpha: float
    beta: float
    gamma: float
    phi: float
    sse: float
    n: int
    m: int
    level: float
    trend: float
    season: np.ndarray    # the seasonal states for the next m periods, in forecast order
    residuals: np.ndarray
    #: The same model with its states one season before the end (``None`` when too short):
    #: its forecast of the last season is the in-sample check of ``calc.prognose.series``.
    earlier: "EtsFit | None" = None

    @property
    def sigma2(self) -> float:
        """Maximum-likelihood variance of the one-step errors."""
        return self.sse / self.n

    def loglik(self) -> float:
        """Gaussian log-likelihood at the optimum."""
        return -0.5 * self.n * (np.log(2 * np.pi * self.sigma2) + 1)

    def forecast(self, horizon: int) -> tuple[np.ndarray, np.ndarray]:
        """Point forecast and forecast variance ``1..horizon`` steps ahead."""
        h = np.arange(1, horizon + 1)
        if self.spec.trend:
            phis = np.cumsum(self.phi ** h) if self.spec.damped else h.astype(float)
        else:
            phis = np.zeros(horizon)
        mean = self.level + phis * self.trend
        if self.spec.seasonal:
            mean = mean + self.season[(h - 1) % self.m]
        j = np.arange(1, horizon)            # c_j for j = 1 .. h-1
        c = np.full(horizon - 1, self.alpha)
        if self.spec.trend:
            c = c + self.beta * (phis[:-1] if horizon > 1 else c[:0])
        if self.spec.seasonal:
            c = c + self.gamma * (j % self.m == 0)
        var = self.sigma2 * (1 + np.concatenate([[0.0], np.cumsum(c ** 2)]))
        return mean, var


def _unit_params(u: np.ndarray, specs: list[EtsSpec], rows: np.ndarray):
    """Map unit-cube points ``u`` (P x 4) of the models ``specs[rows]`` to parameters.

    ``alpha`` and ``gamma`` go with the square of their coordinate: their optimum is often
    close to zero, where the search then looks more closely.
    """
    trend = np.array([s.trend for s in specs])[rows]
    damped = np.array([s.damped for s in specs])[rows]
    seasonal = np.array([s.seasonal for s in specs])[rows]
    lo, hi = ALPHA_BOUNDS
    alpha = lo + u[:, 0] ** 2 * (hi - lo)
    beta = np.where(trend, u[:, 1] * alpha, 0.0)
    gamma = np.where(seasonal, u[:, 2] ** 2 * (1 - alpha), 0.0)
    phi = np.where(damped, PHI_BOUNDS[0] + u[:, 3] * (PHI_BOUNDS[1] - PHI_BOUNDS[0]),
                   np.where(trend, 1.0, 0.0))
    return alpha, beta, gamma, phi, trend, seasonal


def _filter(z, m, alpha, beta, gamma, phi, level, trend, season, data, start=0):
    """Run the recursion for P rows x r right-hand sides.

    ``level``, ``trend`` (P x r) and ``season`` (m x P x r, indexed by ``t mod m``) are the
    initial states; ``z`` is the series (n) or one series per row (n x P); ``data`` (r,) is 1
    where the right-hand side sees the series, 0 where it sees zeros; ``start`` is the time of
    the first value (for the seasonal index). Returns the errors (n x P x r) and the final
    states.
    """
    n = len(z)
    z = np.asarray(z).reshape(n, -1)[:, :, None] * data        # n x P (or 1) x r
    level, trend, season = level.copy(), trend.copy(), season.copy()
    a, b, g, p = (v[:, None] for v in (alpha, beta, gamma, phi))
    errors = np.empty((n,) + level.shape)
    for t in range(n):
        s = season[(start + t) % m]
        damped = p * trend
        e = errors[t]
        np.subtract(z[t], level + damped + s, out=e)
        level += damped + a * e
        np.add(damped, b * e, out=trend)
        s += g * e
    return errors, level, trend, season


def _concentrated_sse(z, m, alpha, beta, gamma, phi, trend_on, season_on):
    """Minimal sum of squared errors over the initial states, and those states, per row.

    The recursion is linear and time-invariant, so the error response to a unit initial
    seasonal state ``s_j`` is the response to ``s_0`` delayed by ``j`` steps: four right-hand
    sides (data, ``l_0``, ``b_0``, ``s_0``) give every column.
    """
    P, n = len(alpha), len(z)
    k0 = 2 + (m - 1)                       # l0, b0, m-1 free seasonal states (sum zero)
    level = np.zeros((P, 4))
    trend = np.zeros((P, 4))
    season = np.zeros((m, P, 4))
    level[:, 1] = 1.0
    trend[:, 2] = 1.0
    season[0, :, 3] = 1.0
    errors, *_ = _filter(z, m, alpha, beta, gamma, phi, level, trend, season,
                         np.array([1.0, 0.0, 0.0, 0.0]))
    if m == 1:
        k0 = 2
    cols = np.empty((P, n, 1 + k0))
    cols[:, :, :3] = errors[:, :, :3].transpose(1, 0, 2)
    if m > 1:
        impulse = np.concatenate([np.zeros((P, m)), errors[:, :, 3].T], axis=1)  # P x (m+n)
        t = np.arange(n)[:, None] + m - np.arange(m)[None, :]                    # n x m delays
        shifted = impulse[:, t]                                                  # P x n x m
        cols[:, :, 3:] = shifted[:, :, :-1] - shifted[:, :, -1:]
    gram = np.matmul(cols.transpose(0, 2, 1), cols)             # P x (1+k0) x (1+k0)
    off = np.zeros((P, k0), dtype=bool)
    off[:, 1] = ~trend_on
    if m > 1:
        off[:, 2:] = ~season_on[:, None]
    a = gram[:, 1:, 1:]
    rhs = gram[:, 1:, 0]
    a = np.where(off[:, :, None] | off[:, None, :], 0.0, a)
    rhs = np.where(off, 0.0, rhs)
    idx = np.arange(k0)
    a[:, idx, idx] += off + 1e-9 * (1.0 + np.abs(a[:, idx, idx]))
    x0 = -np.linalg.solve(a, rhs[:, :, None])[:, :, 0]
    sse = gram[:, 0, 0] + np.einsum("pk,pk->p", rhs, x0)
    return np.maximum(sse, 1e-12 * max(gram[:, 0, 0].max(), 1e-300)), x0


def _initial_states(x0: np.ndarray, m: int):
    level = x0[:, :1].copy()
    trend = x0[:, 1:2].copy()
    free = x0[:, 2:2 + m - 1]
    season = np.concatenate([free, -free.sum(axis=1, keepdims=True)], axis=1).T[:, :, None]
    return level, trend, season


def fit_ets(z: np.ndarray, m: int, specs: list[EtsSpec]) -> list[EtsFit]:
    """Fit each linear ETS model in ``specs`` to ``z`` by maximum likelihood (one per spec).

    ``m`` is the season length (use 1, or specs without season, for none).

    >>> z = 10 + np.sin(np.arange(48) * np.pi / 6) + 0.1 * np.arange(48)
    >>> fit = fit_ets(z, 12, [EtsSpec(True, False, True)])[0]
    >>> bool(fit.sigma2 < 1e-3)
    True
    """
    return fit_ets_many([(z, spec) for spec in specs], m)


def fit_ets_many(tasks: list[tuple[np.ndarray, EtsSpec]], m: int) -> list[EtsFit]:
    """Fit several (series, model) pairs of one length at once: one batch per search round."""
    from scipy.stats import qmc

    first = qmc.Sobol(4, scramble=True, seed=SEED).random(FIRST_DESIGN)
    seasonal = m > 1 and any(spec.seasonal for _, spec in tasks)
    return _fit_group(tasks, m if seasonal else 1, first)


def _fit_group(tasks, m, first) -> list[EtsFit]:
    specs = [spec for _, spec in tasks]
    scales = np.array([float(np.mean(np.abs(z))) or 1.0 for z, _ in tasks])
    Z = np.column_stack([np.asarray(z, dtype=float) for z, _ in tasks]) / scales
    n, n_models = Z.shape

    def evaluate(u, rows):
        alpha, beta, gamma, phi, tr, se = _unit_params(u, specs, rows)
        return _concentrated_sse(Z[:, rows], m, alpha, beta, gamma, phi, tr, se)

    def best_of(u, sse, x0, size):
        j = np.argmin(sse.reshape(n_models, size), axis=1) + np.arange(n_models) * size
        return u[j], sse[j], x0[j]

    size = len(first)
    u = np.tile(first, (n_models, 1))
    best_u, best_sse, best_x0 = best_of(u, *evaluate(u, np.repeat(np.arange(n_models), size)),
                                        size)
    best_u, best_sse, best_x0 = best_u.copy(), best_sse.copy(), best_x0.copy()
    # pattern search (Hooke and Jeeves) per model, all models in one batch per round: steps
    # along each axis and moves along the last successful direction; a step is halved when
    # nothing improves
    step = np.full(n_models, FIRST_STEP)
    direction = np.zeros((n_models, 4))
    moves = np.concatenate([np.eye(4), -np.eye(4)])
    for _ in range(SEARCH_ROUNDS):
        cand = np.concatenate([best_u[:, None, :] + step[:, None, None] * moves[None],
                               best_u[:, None, :] + direction[:, None, :]
                               * np.array([1.0, 2.0, 4.0])[None, :, None]], axis=1)
        cand = np.clip(cand, 0.0, 1.0)
        size = cand.shape[1]
        u = cand.reshape(-1, 4)
        cand_u, cand_sse, cand_x0 = best_of(u, *evaluate(u, np.repeat(np.arange(n_models), size)),
                                            size)
        better = cand_sse < best_sse * (1 - 1e-12)
        direction = np.where(better[:, None], cand_u - best_u, 0.0)
        best_u[better], best_sse[better], best_x0[better] = (cand_u[better], cand_sse[better],
                                                             cand_x0[better])
        step = np.where(better, step, step / 2)
        if step.max() < MIN_STEP:
            break

    alpha, beta, gamma, phi, *_ = _unit_params(best_u, specs, np.arange(n_models))
    level, trend, season = _initial_states(best_x0, m)
    origin = n - m if m > 1 and n > 2 * m else n
    first_part, *at_origin = _filter(Z[:origin], m, alpha, beta, gamma, phi, level, trend, season,
                                     np.ones(1))
    if origin < n:
        rest, level, trend, season = _filter(Z[origin:], m, alpha, beta, gamma, phi, *at_origin,
                                             np.ones(1), start=origin)
        errors = np.concatenate([first_part, rest])
    else:
        errors, (level, trend, season) = first_part, at_origin

    def states(i, level, trend, season, t):
        order = np.arange(t, t + m) % m             # the seasonal states in forecast order
        return (float(level[i, 0] * scales[i]), float(trend[i, 0] * scales[i]),
                season[order, i, 0] * scales[i])

    fits = []
    for i, spec in enumerate(specs):
        resid = errors[:, i, 0] * scales[i]
        params = (spec, float(alpha[i]), float(beta[i]), float(gamma[i]), float(phi[i]),
                  float(resid @ resid), n, m)
        earlier = (EtsFit(*params, *states(i, *at_origin, origin), resid[:origin])
                   if origin < n else None)
        fits.append(EtsFit(*params, *states(i, level, trend, season, n), resid, earlier))
    return fits
