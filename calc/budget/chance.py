"""The chance that independent, uncertain savings cover a gap ("kans op een sluitende begroting").

Each saving is a triangular distribution (low, most likely, high), optionally realised only
with a chance ``q`` (else it brings 0). The answer is ``P(S >= gap)`` for ``S`` the sum.

Exact method. The density of a triangle is a sum of truncated powers: for ``a < c < b``,

    f(x) = alpha (x - a)+ - (alpha + beta) (x - c)+ + beta (x - b)+,
    alpha = 2 / ((b - a)(c - a)),   beta = 2 / ((b - a)(b - c)),

with a step ``(x - t)+^0`` instead of a ramp when ``c = a`` or ``c = b``, and a point mass
when ``a = b``. Convolving ``(x - s)+^p / p!`` with ``(x - t)+^q / q!`` gives
``(x - s - t)+^(p+q+1) / (p+q+1)!``, so the sum's distribution function is again a finite
sum of truncated powers, which we evaluate in exact rational arithmetic (``fractions``):
no cancellation error, only the final rounding to a float (below 1e-15). The number of
terms grows like 3^n; above ``MAX_EXACT_TERMS`` we switch to Monte Carlo.

Monte Carlo. ``MC_DRAWS`` = 200,000 draws with a seeded generator. By Hoeffding's inequality
``P(|p_hat - p| >= 0.01) <= 2 exp(-2 * 200000 * 0.01^2) = 2 exp(-40) < 1e-17``, so the
error stays below 0.01 (its standard deviation is at most 0.5 / sqrt(200000) = 0.0011).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from calc.budget.checks import share_problem, triangle_problems
from calc.errors import InputError, Problem, raise_if

#: Largest number of truncated-power terms evaluated exactly (beyond: Monte Carlo).
MAX_EXACT_TERMS = 4000
#: Monte Carlo draws; error < 0.01 except with probability < 1e-17 (Hoeffding).
MC_DRAWS = 200_000
#: Seed of the generator: the same inputs give the same answer in every recalculation.
SEED = 20260101

Term = tuple[Fraction, Fraction, int]  # weight, knot, order (-1 point mass, 0 step, 1 ramp, ...)


@dataclass(frozen=True)
class ChanceResult:
    """The chance, whether it is exact, and the bound on its error."""

    probability: float
    exact: bool
    error_bound: float


def check_savings(savings: np.ndarray, *, argument: str = "besparingen") -> np.ndarray:
    """Validate an n x 3 (low, most likely, high) or n x 4 (+ realisation chance) table.

    Returns an n x 4 float array (chance 1 where not given or empty).
    """
    if isinstance(savings, (list, tuple)) and savings and isinstance(savings[0], (list, tuple)):
        width = max(len(row) for row in savings)  # rows of 3 and 4 mixed: the chance is optional
        savings = [list(row) + [np.nan] * (width - len(row)) for row in savings]
    s = np.asarray(savings, dtype=float)
    if s.ndim == 1 and s.shape[0] in (3, 4):
        s = s.reshape(1, -1)
    if s.ndim != 2 or s.shape[1] not in (3, 4):
        shape = " x ".join(str(k) for k in s.shape)
        raise InputError(f"verwacht n rijen met 3 kolommen (laag, waarschijnlijk, hoog), eventueel "
                         f"met een 4e kolom realisatiekans, maar kreeg {shape}", argument=argument)
    if s.shape[1] == 3:
        s = np.column_stack([s, np.ones(s.shape[0])])
    s = s.copy()
    s[np.isnan(s[:, 3]), 3] = 1.0
    problems: list[Problem] = []
    for r, (low, mode, high, q) in enumerate(s):
        problems += triangle_problems(low, mode, high, argument=argument, row=r)
        p = share_problem(q, argument=argument, row=r, column=3)
        if p:
            problems.append(p)
    raise_if(problems)
    return s


def _triangle_terms(low: float, mode: float, high: float, chance: float) -> list[Term]:
    a, c, b, q = (Fraction(x) for x in (low, mode, high, chance))
    if a == b:
        terms = [(Fraction(1), a, -1)]
    elif c == a:
        h, g = 2 / (b - a), 2 / (b - a) ** 2
        terms = [(h, a, 0), (-g, a, 1), (g, b, 1)]
    elif c == b:
        h, g = 2 / (b - a), 2 / (b - a) ** 2
        terms = [(g, a, 1), (-g, b, 1), (-h, b, 0)]
    else:
        alpha, beta = 2 / ((b - a) * (c - a)), 2 / ((b - a) * (b - c))
        terms = [(alpha, a, 1), (-(alpha + beta), c, 1), (beta, b, 1)]
    if q == 1:
        return terms
    return [(1 - q, Fraction(0), -1)] + [(q * w, t, p) for w, t, p in terms]


def _convolve(left: list[Term], right: list[Term]) -> list[Term]:
    merged: dict[tuple[Fraction, int], Fraction] = {}
    for w1, t1, p1 in left:
        for w2, t2, p2 in right:
            key = (t1 + t2, p1 + p2 + 1)
            merged[key] = merged.get(key, Fraction(0)) + w1 * w2
    return [(w, t, p) for (t, p), w in merged.items() if w != 0]


def _exact_below(threshold: float, table: np.ndarray, max_terms: int) -> float | None:
    """P(S < threshold) exactly, or None when there would be more than ``max_terms`` terms."""
    terms: list[Term] = [(Fraction(1), Fraction(0), -1)]  # the point mass at 0: the empty sum
    for low, mode, high, q in table:
        nxt = _triangle_terms(low, mode, high, q)
        if len(terms) * len(nxt) > max_terms:
            return None
        terms = _convolve(terms, nxt)
    x = Fraction(threshold)
    total = Fraction(0)
    for w, t, p in terms:
        if x > t:
            m = p + 1  # distribution function: one order up from the density
            total += w * (x - t) ** m / math.factorial(m)
    return min(1.0, max(0.0, float(total)))


def draw_triangular(low: np.ndarray, mode: np.ndarray, high: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse distribution function of triangles (broadcast), also when low = mode or mode = high.

    >>> draw_triangular(np.array(0.0), np.array(50.0), np.array(100.0), np.array([0.5, 0.125]))
    array([50., 25.])
    """
    width = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        split = np.where(width > 0, (mode - low) / np.where(width > 0, width, 1.0), 0.0)
        left = low + np.sqrt(u * width * (mode - low))
        right = high - np.sqrt((1.0 - u) * width * (high - mode))
    return np.where(u < split, left, right)


def _monte_carlo_below(threshold: float, table: np.ndarray, *, draws: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    below = 0
    chunk = max(1, 2_000_000 // max(1, table.shape[0]))
    done = 0
    while done < draws:
        k = min(chunk, draws - done)
        u = rng.random((k, table.shape[0]))
        real = rng.random((k, table.shape[0])) < table[:, 3]
        x = draw_triangular(table[:, 0], table[:, 1], table[:, 2], u) * real
        below += int(np.count_nonzero(x.sum(axis=1) < threshold))
        done += k
    return below / draws


def chance_closing(gap: float, savings: Sequence[Sequence[float]] | np.ndarray, *,
                   draws: int = MC_DRAWS, seed: int = SEED,
                   max_exact_terms: int = MAX_EXACT_TERMS) -> ChanceResult:
    """Chance that the total of independent triangular savings is at least ``gap``.

    Parameters
    ----------
    gap : float
        The tekort in euro (a surplus is a negative gap).
    savings : array_like, shape (n, 3) or (n, 4)
        Per measure low, most likely, high saving (euro), optionally a realisation chance
        (0-1; the measure brings nothing otherwise).
    draws, seed : int
        Monte Carlo settings, used only when the exact method has too many terms.
    max_exact_terms : int
        Work limit of the exact method (pairs of terms per convolution step).

    Returns
    -------
    ChanceResult
        ``probability`` in 0-1; ``exact`` True with ``error_bound`` 1e-15 for the exact
        method, else the Monte Carlo bound 0.01.

    Examples
    --------
    One measure, triangle (0, 50, 100): ``P(S >= 25) = 1 - 25^2 / (100 * 50) = 0.875``.

    >>> chance_closing(25, [[0, 50, 100]]).probability
    0.875
    >>> chance_closing(25, [[0, 50, 100, 0.8]]).probability
    0.7
    """
    if not np.isfinite(gap):
        raise InputError("het tekort is geen eindig getal", argument="tekort")
    table = check_savings(savings)
    below = _exact_below(float(gap), table, max_exact_terms)
    if below is not None:
        return ChanceResult(1.0 - below, True, 1e-15)
    below = _monte_carlo_below(float(gap), table, draws=draws, seed=seed)
    bound = math.sqrt(math.log(2 / 1e-17) / (2 * draws)) if draws else 1.0
    return ChanceResult(1.0 - below, False, bound)
