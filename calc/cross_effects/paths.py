"""Paths through time: how a shock works through the themes year by year, with lags.

With a shock ``s_t`` per theme in year ``t`` (t = 1 .. T) and links each with its own lag
``L`` (whole years, 0 = the same year), the change per theme is

    x_t = s_t + sum over links  A_link x_(t - L_link),      x_t = 0 for t <= 0.

Links with lag 0 act within the year: ``x_t = (I - A_0)^-1 (s_t + lagged terms)``. With
every lag 1 and a structural shock this is ``x_1 = s``, ``x_t = s + A x_(t-1)`` =
``(I + A + ... + A^(t-1)) s``, which converges to ``total_effect(A, s) = (I - A)^-1 s``.

The kernel ``propagate`` works on many coefficient sets at once (Monte Carlo draws,
sensitivity cases): coefficients ``(D, L)``, shocks ``(D, T, N)`` or ``(T, N)``. It
gathers, per lag, the source values of the links and sums them onto their targets with one
``numpy.add.reduceat`` per year (no BLAS call, so no thread start-up on a busy machine); the
cost grows with the number of links, not N^2.
"""

from __future__ import annotations

import numpy as np

from calc.cells import nl
from calc.cross_effects.total import (
    MAX_SPECTRAL_RADIUS,
    check_effect_matrix,
    check_stable,
    spectral_radius,
)
from calc.cross_effects.model import MAX_LAG
from calc.errors import InputError, ModelError, Problem, raise_if
from calc.text import nl_number


def check_lags(lags: np.ndarray, *, argument: str = "vertragingen") -> np.ndarray:
    """Lags as whole numbers from 0 to ``MAX_LAG`` (25) years; every bad cell is named.

    >>> check_lags(np.array([[1.0, 2.0], [0.0, 1.0]]))
    array([[1, 2],
           [0, 1]])
    """
    lag = np.asarray(lags, dtype=float)
    problems = [Problem(f"de vertraging moet een geheel aantal jaren van 0 of meer zijn, maar is "
                        f"{nl(lag[idx])}", argument, *(int(i) for i in idx))
                for idx in zip(*np.nonzero(~np.isfinite(lag) | (lag < 0) | (lag != np.round(lag))))]
    problems += [Problem(f"de vertraging mag hoogstens {MAX_LAG} jaar zijn, maar is {nl(lag[idx])}",
                         argument, *(int(i) for i in idx))
                 for idx in zip(*np.nonzero(np.isfinite(lag) & (lag > MAX_LAG)))]
    raise_if(problems)
    return lag.astype(np.intp)


def lag_matrices(coef: np.ndarray, source: np.ndarray, target: np.ndarray, lag: np.ndarray,
                 n: int) -> dict[int, np.ndarray]:
    """One N x N matrix per lag value from the link arrays (one coefficient set)."""
    out: dict[int, np.ndarray] = {}
    for k in np.unique(lag):
        sel = lag == k
        a = np.zeros((n, n))
        np.add.at(a, (target[sel], source[sel]), coef[sel])
        out[int(k)] = a
    return out


def lag_system_radius(by_lag: dict[int, np.ndarray]) -> float:
    """Spectral radius of the year-on-year system with lags (its companion matrix).

    With ``M = (I - A_0)^-1`` the path is ``x_t = M s_t + sum_k M A_k x_(t-k)``; it settles
    for every shock when the companion matrix of ``M A_1 .. M A_K`` has radius below 1.
    For a matrix without negative cells this is the same test as the summed matrix; with
    signs mixed, lags can make a path swing up even when the summed matrix is below 1.
    When ``s = rho(sum_k |M A_k|) < 1``, the upper bound ``s^(1/K)`` (K the longest lag) is
    returned instead when it is below the limit: it already proves the system settles; the
    companion's eigenvalues are only computed when it does not.

    >>> lag_system_radius({1: np.array([[0.5]])})
    0.5
    """
    n = next(iter(by_lag.values())).shape[0]
    m = np.linalg.inv(np.eye(n) - by_lag[0]) if 0 in by_lag else np.eye(n)
    top = max((k for k in by_lag if k > 0), default=0)
    if top == 0:
        return 0.0
    steps = {k: m @ a for k, a in by_lag.items() if k > 0}
    # With s = rho(sum_k |M A_k|) < 1 and K the longest lag, the companion's radius is at most
    # s^(1/K): the companion of the |M A_k| dominates it, and its radius r solves
    # rho(sum_k |M A_k| r^-k) = 1, where r = s^(1/K) already gives <= 1. Below the limit that
    # bound proves the system settles without the eigenvalues of an (N x lag)-square matrix.
    s = spectral_radius(sum(np.abs(b) for b in steps.values()))
    bound = s ** (1.0 / top) if s < 1 else s
    if bound < MAX_SPECTRAL_RADIUS:
        return bound
    companion = np.zeros((n * top, n * top))
    for k, b in steps.items():
        companion[:n, (k - 1) * n:k * n] = b
    companion[n:, :-n] = np.eye(n * (top - 1))
    return spectral_radius(companion)


def check_paths_stable(by_lag: dict[int, np.ndarray], *, argument: str = "matrix") -> float:
    """Refuse a model whose effects do not die out; returns the spectral radius of the sum.

    Three checks: the summed matrix (all lags; as ``total_effect``), the lag-0 part (it must
    settle within the year) and the year-on-year system with its lags (``lag_system_radius``).
    """
    n = next(iter(by_lag.values())).shape[0] if by_lag else 0
    if n == 0:
        return 0.0
    rho = check_stable(sum(by_lag.values()), argument=argument)
    if 0 in by_lag and np.any(by_lag[0]):
        check_stable(by_lag[0], argument=argument)
    radius = lag_system_radius(by_lag)
    if not radius < MAX_SPECTRAL_RADIUS:
        raise ModelError(
            f"met deze vertragingen doven de effecten niet uit: de spectraalstraal van het "
            f"jaar-op-jaarsysteem is {nl_number(radius, 3)} (moet kleiner zijn dan 1), ook al is "
            f"die van de opgetelde matrix {nl_number(rho, 3)}", argument=argument)
    return rho


def propagate(coef: np.ndarray, source: np.ndarray, target: np.ndarray, lag: np.ndarray,
              shock: np.ndarray, n_themes: int) -> np.ndarray:
    """Year-by-year path for a batch of coefficient sets (the vectorised kernel).

    Parameters
    ----------
    coef : array, shape (D, L)
        Coefficient of every link in every case (municipal euro per euro).
    source, target, lag : int arrays, shape (L,)
        Theme index the link starts from, ends in, and its lag in whole years.
    shock : array, shape (D, T, N) or (T, N)
        Shock per case, year and theme, in euro (a 2-D shock is the same for every case).
    n_themes : int

    Returns
    -------
    numpy.ndarray, shape (D, T, N)
        ``x_t`` per case, year and theme (euro), shock included.

    No checks here; callers validate first. Stability of lag-0 links is the caller's duty.
    """
    coef = np.asarray(coef, dtype=float)
    d = coef.shape[0]
    shock = np.asarray(shock, dtype=float)
    if shock.ndim == 2:
        shock = np.broadcast_to(shock, (d, *shock.shape))
    t_count = shock.shape[1]
    # Inside, draws run last ((T, N, D) and (L, D)): gathering a source theme reads one
    # contiguous row per link; links are sorted by target so one ``add.reduceat`` sums them.
    x = np.zeros((t_count, n_themes, d))
    groups = []
    for k in np.unique(lag):
        sel = np.flatnonzero(lag == k)
        sel = sel[np.argsort(target[sel], kind="stable")]
        targets, starts = np.unique(target[sel], return_index=True)
        groups.append((int(k), source[sel], target[sel], np.ascontiguousarray(coef[:, sel].T),
                       targets, starts))
    solve, depth, zero = None, 0, None
    if groups and groups[0][0] == 0:
        zero = groups[0]
        _, src0, tgt0, c0, _, _ = zero
        depth = _chain_depth(src0, tgt0, n_themes)
        if depth is None:                                       # a same-year cycle: solve exactly
            a0 = np.zeros((d, n_themes, n_themes))
            np.add.at(a0, (slice(None), tgt0, src0), c0.T)
            solve = np.linalg.inv(np.eye(n_themes) - a0)        # (D, N, N)
    lagged = [g for g in groups if g[0] > 0]
    for t in range(t_count):
        b = np.array(shock[:, t, :].T)                          # (N, D)
        for k, src, _, c, targets, starts in lagged:
            if t - k >= 0:
                b[targets] += np.add.reduceat(c * x[t - k, src], starts, axis=0)
        if solve is not None:
            b = np.einsum("dij,jd->id", solve, b)
        elif depth:
            # same-year links without a cycle: (I - A_0)^-1 b = b + A_0 b + ... (A_0 nilpotent)
            _, src0, _, c0, targets0, starts0 = zero
            y = b
            for _ in range(depth):
                step = b.copy()
                step[targets0] += np.add.reduceat(c0 * y[src0], starts0, axis=0)
                y = step
            b = y
        x[t] = b
    return x.transpose(2, 0, 1)


def _chain_depth(source: np.ndarray, target: np.ndarray, n: int) -> int | None:
    """Longest chain of same-year links (number of links), or None if they form a cycle.

    >>> _chain_depth(np.array([0, 1]), np.array([1, 2]), 3), _chain_depth(np.array([0, 1]), np.array([1, 0]), 2)
    (2, None)
    """
    longest = np.zeros(n, dtype=int)
    for _ in range(n + 1):
        new = longest.copy()
        np.maximum.at(new, target, longest[source] + 1)
        if np.array_equal(new, longest):
            return int(longest.max())
        longest = new
    return None


def other_parties(coef_other: np.ndarray, source: np.ndarray, lag: np.ndarray,
                  x: np.ndarray) -> np.ndarray:
    """Effect per year that falls outside the municipal themes (the "wrong pocket").

    ``coef_other`` (D, L) is effect x (1 - municipal share) per euro of the source theme;
    returns (D, T) euro.
    """
    d, t_count, _ = x.shape
    out = np.zeros((d, t_count))
    for t in range(t_count):
        back = t - lag
        ok = back >= 0
        if ok.any():
            out[:, t] = (coef_other[:, ok] * x[:, back[ok], source[ok]]).sum(axis=1)
    return out


def effect_path(matrix: np.ndarray, shock: np.ndarray, years: int,
                lags: np.ndarray | None = None) -> np.ndarray:
    """Year-by-year change per theme of a structural shock from year 1, with lags per link.

    Parameters
    ----------
    matrix : array_like, shape (N, N)
        ``A[i, j]``: direct change in theme ``i`` per euro change in theme ``j``.
    shock : array_like, shape (N,) or (years, N)
        Structural shock per theme (euro per year), or one row per year.
    years : int
        Number of years, at least 1.
    lags : array_like of whole years, shape (N, N), optional
        Lag of link ``(i, j)``; default 1 everywhere. Only cells with a nonzero effect matter.

    Returns
    -------
    numpy.ndarray, shape (N, years)
        Change per theme (rows) and year (columns, year 1 first), in euro, shock included.

    Raises
    ------
    InputError
        Non-square matrix, wrong shapes, a lag that is negative or not whole.
    ModelError
        The summed matrix (or its lag-0 part) has spectral radius 1 or more.

    Examples
    --------
    >>> effect_path([[0.0, 0.5], [0.0, 0.0]], [0.0, 100.0], 3)
    array([[  0.,  50.,  50.],
           [100., 100., 100.]])
    """
    a = check_effect_matrix(matrix)
    n = a.shape[0]
    if years != int(years) or years < 1:
        raise InputError(f"het aantal jaren moet een geheel getal van minstens 1 zijn, maar is {years}",
                         argument="jaren")
    years = int(years)
    s = np.asarray(shock, dtype=float)
    if s.ndim <= 1 or 1 in s.shape:
        s = s.reshape(-1)
        if s.shape[0] != n:
            raise InputError(f"de schok heeft {s.shape[0]} waarden, maar de matrix heeft {n} thema's",
                             argument="schok")
        s = np.broadcast_to(s, (years, n))
    elif s.shape != (years, n):
        raise InputError(f"de schok moet {n} waarden of {years} x {n} waarden hebben", argument="schok")
    raise_if([Problem("waarde is geen eindig getal", "schok", int(i), None)
              for i in np.flatnonzero(~np.isfinite(s).all(axis=0))])
    if lags is None:
        lag = np.ones((n, n), dtype=np.intp)
    else:
        lag = check_lags(lags)
        if lag.shape != (n, n):
            raise InputError(f"de vertragingen moeten {n} x {n} cellen zijn (zoals de matrix), maar zijn "
                             f"{' x '.join(str(k) for k in lag.shape)}", argument="vertragingen")
    target, source = np.nonzero(a)
    diag0 = (target == source) & (lag[target, source] == 0)
    if diag0.any():
        i = int(target[diag0][0])
        raise ModelError("een thema kan niet in hetzelfde jaar op zichzelf werken (vertraging 0 op de "
                         "diagonaal)", argument="vertragingen", row=i, column=i)
    coef, link_lag = a[target, source], lag[target, source]
    check_paths_stable(lag_matrices(coef, source, target, link_lag, n) or {1: a})
    x = propagate(coef[None, :], source, target, link_lag, s, n)
    return x[0].T


def years_to_converge(matrix: np.ndarray, *, tolerance: float = 1e-6) -> int:
    """Years after which the lag-1 path is within ``tolerance`` (relative) of the total effect.

    Follows from ``||A^t|| <= tolerance``; a rule of thumb for how many columns to show.

    >>> years_to_converge([[0.0, 0.5], [0.5, 0.0]], tolerance=0.01)
    7
    """
    a = check_effect_matrix(matrix)
    rho = check_stable(a)
    power, t = np.eye(a.shape[0]), 0
    while np.linalg.norm(power, 2) > tolerance and t < 10_000:
        power, t = power @ a, t + 1
    if t >= 10_000:
        raise ModelError(f"het pad convergeert te traag (spectraalstraal {nl_number(rho, 3)})",
                         argument="matrix")
    return t
