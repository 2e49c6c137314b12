"""The airline model ARIMA(0,1,1)(0,1,1)m (Box and Jenkins) as a vectorised numpy kernel.

On the doubly differenced series ``w_t = (1 - B)(1 - B^m) z_t`` the model is the moving average
``w_t = e_t + theta e_{t-1} + Theta e_{t-m} + theta Theta e_{t-m-1}``. It is fitted by the
*unconditional* sum of squares of Box and Jenkins (1976, ch. 7): the ``m + 1`` innovations before
the first difference are unknowns, and the sum of squares of all innovations (those and the ones
the series implies) is minimised over them and ``(theta, Theta)``. For given ``(theta, Theta)``
the innovations are linear in the pre-sample ones (``e = e_0 + U x``), so those are a
(ridge-shaped) least-squares solution, and the exact Gaussian likelihood, with the scale
concentrated out, is ``-n/2 log(S) - 1/2 log det(I + U'U)`` (the determinant term keeps ``Theta``
off the non-invertible boundary, where the sum of squares alone pulls it). The search over
``(theta, Theta)`` in the invertible square is vectorised like the ETS search (one batch per round,
a fixed Sobol design, shrinking rounds).

The forecast is the usual ARIMA recursion with future innovations zero; its variance is
``sigma^2`` times the cumulative sum of the squared psi weights of
``(1 + theta B)(1 + Theta B^m) / ((1 - B)(1 - B^m))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Invertibility bound on |theta| and |Theta|.
BOUND = 0.995
FIRST_DESIGN = 64
REFINE_DESIGN = 16
REFINE_WIDTHS = (0.15, 0.05, 0.015)
SEED = 20260102


@dataclass(frozen=True)
class AirlineFit:
    """A fitted airline model (on the scale it was given)."""

    theta: float
    seasonal_theta: float
    sse: float
    m: int
    history: np.ndarray        # the last m + 1 values of the series
    innovations: np.ndarray    # the last m + 1 innovations (pre-sample ones when few)
    n_diff: int
    #: The same model one season before the end (``None`` when too short).
    earlier: "AirlineFit | None" = None

    @property
    def sigma2(self) -> float:
        """Variance of the innovations (unconditional sum of squares over the differences)."""
        return self.sse / self.n_diff

    def forecast(self, horizon: int) -> tuple[np.ndarray, np.ndarray]:
        """Point forecast and forecast variance ``1..horizon`` steps ahead."""
        m, th, sth = self.m, self.theta, self.seasonal_theta
        z = np.concatenate([self.history, np.zeros(horizon)])
        e = np.concatenate([self.innovations, np.zeros(horizon)])
        k = m + 1
        for i in range(horizon):
            t = k + i
            z[t] = (z[t - 1] + z[t - m] - z[t - m - 1]
                    + th * e[t - 1] + sth * e[t - m] + th * sth * e[t - m - 1])
        psi = np.zeros(horizon)
        ma = np.zeros(max(horizon, m + 2))
        ma[0], ma[1] = 1.0, th
        ma[m] += sth
        ma[m + 1] += th * sth
        psi = np.cumsum(ma[:horizon])
        for j in range(m, horizon):
            psi[j] += psi[j - m]
        return z[k:], self.sigma2 * np.cumsum(psi ** 2)


def _responses(w: np.ndarray, m: int, theta: np.ndarray, stheta: np.ndarray):
    """Innovations implied by ``w`` (zero pre-sample) and the impulse response, n x P each."""
    n, P = len(w), len(theta)
    e = np.zeros((n + m + 1, P, 2))             # m + 1 leading zeros: the pre-sample
    data = np.stack([np.broadcast_to(w[:, None], (n, P)), np.zeros((n, P))], axis=2)
    data[0, :, 1] = 1.0
    a, b, c = theta[:, None], stheta[:, None], (theta * stheta)[:, None]
    k = m + 1
    for t in range(n):
        s = k + t
        e[s] = data[t] - a * e[s - 1] - b * e[s - m] - c * e[s - m - 1]
    return e[k:, :, 0], e[k:, :, 1]


def _unconditional_ss(w, m, theta, stheta):
    """Per row: the exact profile deviance, the minimal (unconditional) sum of squares over the
    pre-sample innovations, and those innovations."""
    n, P = len(w), len(theta)
    e0, h = _responses(w, m, theta, stheta)
    hp = np.concatenate([np.zeros((m + 1, P)), h], axis=0)      # h delayed: hp[t + m + 1 - d]
    coef = {1: theta, m: stheta, m + 1: theta * stheta}
    t = np.arange(n)
    cols = np.zeros((P, n, m + 1))
    for j in range(1, m + 2):                   # pre-sample e_{-j}
        col = np.zeros((n, P))
        for i, c in coef.items():
            if i >= j:
                col -= c[None, :] * hp[t + m + 1 - (i - j)]
        cols[:, :, j - 1] = col.T
    gram = np.matmul(cols.transpose(0, 2, 1), cols)
    rhs = np.einsum("pnj,np->pj", cols, e0)
    idx = np.arange(m + 1)
    gram[:, idx, idx] += 1.0                    # the pre-sample innovations count too
    x = -np.linalg.solve(gram, rhs[:, :, None])[:, :, 0]
    # ||e0 + U x||^2 + ||x||^2 at its minimum is e0'e0 + rhs'x
    ss = np.einsum("np,np->p", e0, e0) + np.einsum("pj,pj->p", rhs, x)
    # exact profile likelihood: n log(ss) + log det(I + U'U) (the covariance determinant)
    deviance = n * np.log(np.maximum(ss, 1e-300)) + np.linalg.slogdet(gram)[1]
    return deviance, ss, x, e0, cols


def fit_airline(z: np.ndarray, m: int) -> AirlineFit:
    """Fit the airline model to ``z`` (needs at least ``m + 3`` values).

    >>> t = np.arange(60)
    >>> fit = fit_airline(np.sin(t * np.pi / 6) + 0.05 * t, 12)
    >>> mean, var = fit.forecast(2)
    >>> np.round(mean, 3).tolist()
    [3.0, 3.55]
    """
    from scipy.stats import qmc

    z = np.asarray(z, dtype=float)
    scale = float(np.mean(np.abs(z))) or 1.0
    zs = z / scale
    w = zs[m + 1:] - zs[m:-1] - zs[1:-m] + zs[:-m - 1]
    first = (qmc.Sobol(2, scramble=True, seed=SEED).random(FIRST_DESIGN) * 2 - 1) * BOUND
    refine = qmc.Sobol(2, scramble=True, seed=SEED + 1).random(REFINE_DESIGN) * 2 - 1
    dev, *_ = _unconditional_ss(w, m, first[:, 0], first[:, 1])
    best = first[int(np.argmin(dev))]
    best_dev = float(dev.min())
    for width in REFINE_WIDTHS:
        u = np.clip(best + width * 2 * BOUND * refine, -BOUND, BOUND)
        dev, *_ = _unconditional_ss(w, m, u[:, 0], u[:, 1])
        if dev.min() < best_dev:
            best, best_dev = u[int(np.argmin(dev))], float(dev.min())
    th, sth = np.array([best[0]]), np.array([best[1]])
    _, ss, x, e0, cols = _unconditional_ss(w, m, th, sth)
    pre = x[0, ::-1]                              # e_{-(m+1)} .. e_{-1}
    innov = np.concatenate([pre, e0[:, 0] + cols[0] @ x[0]])
    innov = innov * scale
    params = (float(best[0]), float(best[1]), float(ss[0]) * scale ** 2, m)
    origin = len(z) - m
    earlier = (AirlineFit(*params, z[origin - m - 1:origin].copy(),
                          innov[origin - m - 1:origin], len(w))
               if origin >= m + 1 else None)
    return AirlineFit(*params, z[-(m + 1):].copy(), innov[-(m + 1):], len(w), earlier)
