"""Late-claim completion: chain ladder with Mack's standard errors, and Bornhuetter-Ferguson.

The claim triangle ``C[i, k]`` holds what was claimed for service month ``i`` (the origin)
up to lag ``k`` (cumulative, euro). The chain ladder completes the unknown cells with
volume-weighted development factors

    f_k = sum_i C[i, k+1] / sum_i C[i, k]      (over the origins where both are known),

so the expected final amount (ultimate) of origin ``i`` with latest known lag ``d_i`` is
``C[i, d_i] * f_{d_i} * ... * f_{L-2} * tail``; what is still to come ("nagekomen
declaraties", the IBNR of insurers) is ultimate minus claimed so far.

Mack (1993, ASTIN Bulletin 23(2), "Distribution-free calculation of the standard error of
chain ladder reserve estimates") gives the standard error: with

    sigma2_k = 1/(n_k - 1) * sum_i C[i, k] (C[i, k+1] / C[i, k] - f_k)^2

and, for the last lag where only one pair exists, Mack's own rule
``sigma2_{k} = min(sigma2_{k-1}^2 / sigma2_{k-2}, sigma2_{k-2}, sigma2_{k-1})``,

    mse(R_i) = U_i^2 sum_{k >= d_i} sigma2_k / f_k^2 (1 / C^[i, k] + 1 / S_k)

with ``S_k`` the column sum behind ``f_k``. The total adds the covariance between origins:
``sum_i process_i + sum_k sigma2_k / f_k^2 / S_k * (sum_{i: d_i <= k} U_i)^2``, which is
Mack's formula ``sum_i [mse(R_i) + 2 U_i sum_{j>i} U_j sum_k ...]`` written per lag.

Bornhuetter-Ferguson replaces the chain-ladder ultimate by a prior expectation per origin
(here: the commitment-based expectation) for the part not yet reported:
``IBNR_i = prior_i * (1 - 1 / CDF_i)``.

Every computation runs on a 3-D array ``[group, origin, lag]`` at once (many providers in
one call); a 2-D triangle is one group.

Conventions and fallbacks (each fallback adds a Dutch note to ``notes``):

* Unknown cells are NaN and must sit at the end of each row (no gaps).
* A cumulative amount below 0 is refused (Mack's variance is proportional to it).
* A cumulative amount that *decreases* (a correction) is accepted: the factors absorb it
  (Mack's RAA data contain one); a note names the cell.
* Origins with 0 claimed at lag ``k`` count in the factor (sum over sum) but not in
  ``sigma2_k`` (their link ratio does not exist).
* A lag whose column sum is 0 gets factor 1 (nothing to develop yet).
* An origin with 0 claimed so far gets 0 to come (a factor times 0): for a provider that
  structurally claims months later, the youngest service months need Bornhuetter-Ferguson
  with the commitment-based prior.
* Fewer than two origins, or a lag column with no known cell: ``TooLittleHistoryError``.
* The tail is treated as known: the Mack standard error is scaled by it and gets no extra
  variance for the tail itself.

>>> tri = np.array([[100.0, 150.0, 160.0], [110.0, 160.0, np.nan], [120.0, np.nan, np.nan]])
>>> res = chain_ladder(tri)
>>> np.round(res.development_factors, 4)
array([1.4762, 1.0667])
>>> np.round(res.ultimate, 1)
array([160. , 170.7, 189. ])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from calc.errors import InputError, ModelError, Problem, TooLittleHistoryError, raise_if
from calc.estimator import Estimator
from calc.prognose.triangle import Triangles, cumulate, last_known_lag
from calc.text import nl_number

#: Number of lags the exponential tail curve is extrapolated over (as chainladder-python).
TAIL_PERIODS = 100
#: At most this many problems are listed in one error.
MAX_LISTED = 20


@dataclass(frozen=True)
class ChainLadderResult:
    """Everything the chain ladder learns. Arrays have a leading group axis for a 3-D input.

    Attributes
    ----------
    development_factors : ndarray (..., lags - 1)
        Volume-weighted factor from lag k to lag k+1.
    tail : ndarray (...)
        Factor from the last lag to the final amount (1 without a tail).
    cdf : ndarray (..., lags)
        Factor from lag k to the final amount, tail included.
    sigma2 : ndarray (..., lags - 1)
        Mack's variance parameter per lag (the last one by Mack's 1993 rule).
    completed : ndarray (..., origins, lags)
        The cumulative triangle with the unknown cells filled in (before the tail).
    latest, ultimate, ibnr, mack_se : ndarray (..., origins)
        Claimed so far, expected final amount, still to come, Mack standard error (euro).
    total_mack_se : ndarray (...)
        Standard error of the total still to come, covariance between origins included.
    notes : tuple of str
        Dutch notes on every fallback used.
    """

    development_factors: np.ndarray
    tail: np.ndarray
    cdf: np.ndarray
    sigma2: np.ndarray
    completed: np.ndarray
    latest: np.ndarray
    ultimate: np.ndarray
    ibnr: np.ndarray
    mack_se: np.ndarray
    total_mack_se: np.ndarray
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BornhuetterFergusonResult:
    """Bornhuetter-Ferguson completion; arrays as in ``ChainLadderResult``.

    ``percent_reported`` is ``1 / CDF`` at the latest lag of each origin; ``prior`` the
    expected final amount that was blended in.
    """

    development_factors: np.ndarray
    tail: np.ndarray
    cdf: np.ndarray
    percent_reported: np.ndarray
    prior: np.ndarray
    latest: np.ndarray
    ultimate: np.ndarray
    ibnr: np.ndarray
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- input


def _where(keys: list[tuple] | None, g: int) -> str:
    if keys is None or keys == [()]:
        return ""
    return f"groep {', '.join(map(str, keys[g]))}: "


def as_cumulative(triangle: Any, *, cumulative: bool = True,
                  argument: str = "driehoek") -> tuple[np.ndarray, list[tuple] | None, bool]:
    """The input as a 3-D cumulative float array, its group keys, and whether it was 2-D."""
    if isinstance(triangle, Triangles):
        return triangle.to_cumulative().values, triangle.keys, False
    try:
        values = np.asarray(triangle, dtype=float)
    except (TypeError, ValueError):
        raise InputError("de driehoek bevat iets anders dan getallen of heeft rijen van "
                         "ongelijke lengte", argument=argument) from None
    two_d = values.ndim == 2
    if two_d:
        values = values[None]
    if values.ndim != 3:
        raise InputError("de driehoek moet rijen (productperiodes) en kolommen (vertragingen) "
                         "hebben", argument=argument)
    keys = None if len(values) == 1 else [(str(g + 1),) for g in range(len(values))]
    return (values if cumulative else cumulate(values)), keys, two_d


def check_triangle(cum: np.ndarray, *, keys: list[tuple] | None = None,
                   argument: str = "driehoek", known: np.ndarray | None = None) -> list[str]:
    """Refuse what the chain ladder cannot use; return notes on what it accepts with care.

    Row and column in the errors are the 0-based origin and lag (within the group).
    ``known`` may be one 2-D mask shared by every group (then the checks of the shape run
    once and their messages name no group).
    """
    g_n, o_n, l_n = cum.shape
    if o_n < 2:
        raise TooLittleHistoryError(
            f"de driehoek heeft {o_n} rij (productperiode); er zijn er minstens twee nodig "
            "om ontwikkelfactoren te schatten", argument=argument)
    if l_n < 1:
        raise InputError("de driehoek heeft geen kolommen", argument=argument)
    problems: list[Problem] = []

    known = ~np.isnan(cum) if known is None else known
    shape_keys = keys
    if known.ndim == 2:
        known, shape_keys = known[None], None

    def add(kind: str, mask: np.ndarray, names: list[tuple] | None = keys) -> None:
        if not mask.any():       # the common case: no scan for positions
            return
        for g, i, k in np.argwhere(mask)[: MAX_LISTED - len(problems)]:
            problems.append(Problem(_where(names, g) + kind, argument, int(i), int(k)))

    add("waarde is geen eindig getal", np.isinf(cum))
    # Known cells sit left-aligned: no known cell directly after an unknown one.
    if (known[..., 1:] > known[..., :-1]).any():
        known_later = np.flip(np.logical_or.accumulate(np.flip(known, -1), axis=-1), -1)
        add("lege cel vóór een bekend bedrag (onbekende cellen horen aan het eind van de rij)",
            ~known[..., :-1] & known_later[..., 1:], shape_keys)
    add("de rij heeft geen enkel bekend bedrag", ~known.any(axis=-1)[..., None], shape_keys)
    add("cumulatief bedrag is negatief", cum < 0)
    raise_if(problems)
    empty_cols = np.argwhere(~known.any(axis=1))
    for g, k in empty_cols[:MAX_LISTED]:
        problems.append(Problem(
            _where(shape_keys, g) + f"de kolom voor vertraging {k} heeft geen enkel bekend "
            "bedrag, dus de ontwikkelfactor ernaartoe is niet te schatten", argument, None, int(k)))
    raise_if(problems, TooLittleHistoryError)

    notes = []
    falling = cum[..., 1:] < cum[..., :-1]
    for g, i, k in (np.argwhere(falling)[:MAX_LISTED] if falling.any() else ()):
        notes.append(f"{_where(keys, g)}rij {i + 1}, kolom {k + 2}: het cumulatieve bedrag daalt "
                     f"van {nl_number(cum[g, i, k])} naar {nl_number(cum[g, i, k + 1])} "
                     "(correctie); meegenomen in de factoren")
    return notes


# --------------------------------------------------------------------------- kernels


def _factors(cum: np.ndarray, known: np.ndarray,
             keys: list[tuple] | None) -> tuple[np.ndarray, ...]:
    """Volume-weighted factors, their column sums, Mack's sigma2, and notes.

    ``cum`` has passed ``check_triangle``: known cells are left-aligned and >= 0, so a pair
    (k, k+1) exists exactly where cell k+1 is known, and every lag has a pair. ``known`` is
    3-D, or one 2-D mask shared by every group.
    """
    if known.ndim == 2:
        f, col_sum, squares, n = _link_sums_shared(cum, known)
    else:
        f, col_sum, squares, n = _link_sums_dense(cum, known)
    notes = [f"{_where(keys, g)}vertraging {k} naar {k + 1}: nog geen bedragen om een "
             "ontwikkelfactor op te baseren; factor 1 gebruikt"
             for g, k in np.argwhere(col_sum <= 0)[:MAX_LISTED]]
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = np.where(n >= 2, squares / (n - 1), np.nan)
    sigma2 = _mack_last_sigma(sigma2, keys, notes)
    return f, col_sum, sigma2, notes


def _link_sums_dense(cum: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per group and lag: factor, column sum S_k, Mack's sum of squares, number of ratios.

    Mack: sum_i C_ik (C_ik+1 / C_ik - f_k)^2 = sum_i (C_ik+1 - f_k C_ik)^2 / C_ik over the
    pairs with C_ik > 0 (a zero has no link ratio).
    """
    x, y = cum[..., :-1], cum[..., 1:]
    pairs = known[..., 1:]
    xs = np.where(pairs, x, 0.0)
    ys = np.where(pairs, y, 0.0)
    col_sum = xs.sum(axis=1)                                     # S_k, (G, L-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(col_sum > 0, ys.sum(axis=1) / col_sum, 1.0)
    # In place where possible: few large temporaries. xs == 0 marks the cells without a
    # link ratio; their residual is zeroed and their divisor set to 1.
    zero = xs == 0
    n = pairs.shape[1] - np.count_nonzero(zero, axis=1)
    resid = f[:, None, :] * xs
    np.subtract(ys, resid, out=resid)
    np.square(resid, out=resid)
    np.copyto(resid, 0.0, where=zero)
    np.divide(resid, xs + zero, out=resid)
    return f, col_sum, resid.sum(axis=1), n


def _link_sums_shared(cum: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, ...]:
    """``_link_sums_dense`` when every group has the same known cells (``known`` is 2-D):
    the pairs are gathered once into a compact (groups, pairs) array sorted by lag, and the
    sums per lag are ``np.add.reduceat`` over those segments (about 3x faster)."""
    g_n, o_n, l_n = cum.shape
    lag, origin = np.nonzero(known[:, 1:].T)                     # pairs, sorted by lag
    counts = np.bincount(lag, minlength=l_n - 1)
    if (counts == 0).any():                                      # not after check_triangle
        return _link_sums_dense(cum, np.broadcast_to(known, cum.shape))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    flat = cum.reshape(g_n, o_n * l_n)
    at = origin * l_n + lag
    x, y = flat[:, at], flat[:, at + 1]
    col_sum = np.add.reduceat(x, starts, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(col_sum > 0, np.add.reduceat(y, starts, axis=1) / col_sum, 1.0)
    zero = x == 0
    n = counts - np.add.reduceat(zero, starts, axis=1, dtype=np.int64)
    resid = np.repeat(f, counts, axis=1)
    np.multiply(resid, x, out=resid)
    np.subtract(y, resid, out=resid)
    np.square(resid, out=resid)
    np.copyto(resid, 0.0, where=zero)
    np.divide(resid, x + zero, out=resid)
    return f, col_sum, np.add.reduceat(resid, starts, axis=1), n


def _mack_last_sigma(sigma2: np.ndarray, keys: list[tuple] | None, notes: list[str]) -> np.ndarray:
    """Fill sigma2 where fewer than two link ratios exist, by Mack's 1993 rule.

    ``sigma2_k = min(sigma2_{k-1}^2 / sigma2_{k-2}, sigma2_{k-2}, sigma2_{k-1})``; with only
    one earlier value that value; with none 0 (and a note).
    """
    sigma2 = sigma2.copy()
    for k in range(sigma2.shape[-1]):
        missing = np.isnan(sigma2[:, k])
        if not missing.any():
            continue
        s1 = sigma2[:, k - 1] if k >= 1 else np.full(len(sigma2), np.nan)
        s2 = sigma2[:, k - 2] if k >= 2 else np.full(len(sigma2), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(s2 > 0, s1 ** 2 / s2, 0.0)
        rule = np.minimum(np.minimum(ratio, s1), s2)
        fill = np.where(np.isfinite(rule), rule, np.where(np.isfinite(s1), s1, 0.0))
        for g in np.flatnonzero(missing & ~np.isfinite(s1))[:MAX_LISTED]:
            notes.append(f"{_where(keys, g)}vertraging {k} naar {k + 1}: te weinig gegevens "
                         "voor de spreiding; sigma2 = 0 gebruikt (standaardfout te laag)")
        sigma2[:, k] = np.where(missing, fill, sigma2[:, k])
    return sigma2


def _tail(f: np.ndarray, tail: Any, keys: list[tuple] | None,
          notes: list[str]) -> np.ndarray:
    """Tail factor per group: 1, a given factor, or an exponential curve through f - 1."""
    g_n, k_n = f.shape
    if tail is None:
        return np.ones(g_n)
    if isinstance(tail, str):
        if tail != "curve":
            raise InputError(f"onbekende staart '{tail}'; kies een factor of 'curve'",
                             argument="tail")
        out = np.ones(g_n)
        k = np.arange(k_n, dtype=float)
        future = np.arange(k_n, k_n + TAIL_PERIODS, dtype=float)
        for g in range(g_n):
            ok = f[g] > 1
            if ok.sum() < 2:
                notes.append(f"{_where(keys, g)}te weinig factoren boven 1 voor een staartcurve; "
                             "staart 1 gebruikt")
                continue
            slope, intercept = np.polyfit(k[ok], np.log(f[g, ok] - 1), 1)
            if slope >= 0:
                notes.append(f"{_where(keys, g)}de factoren dalen niet; staart 1 gebruikt")
                continue
            out[g] = float(np.prod(1 + np.exp(intercept + slope * future)))
        return out
    value = float(tail)
    if not np.isfinite(value) or value <= 0:
        raise InputError(f"de staartfactor moet een positief getal zijn, maar is {tail}",
                         argument="tail")
    return np.full(g_n, value)


def _complete(cum: np.ndarray, f: np.ndarray, last: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Fill the unknown cells: latest x f_d x ... x f_(k-1), from each origin's latest lag."""
    if np.all(np.isfinite(f) & (f != 0)):
        ones = np.ones((f.shape[0], 1))
        growth = np.cumprod(np.concatenate([ones, f], axis=1), axis=1)    # F_k = prod_{j<k} f_j
        latest = np.take_along_axis(cum, last[..., None], axis=-1)
        at_latest = np.take_along_axis(growth, last, axis=1)[..., None]
        projected = growth[:, None, :] * (latest / at_latest)
        return np.where(known, cum, projected)
    out = cum.copy()
    for k in range(1, cum.shape[-1]):
        out[..., k] = np.where(np.isnan(cum[..., k]), out[..., k - 1] * f[:, None, k - 1],
                               cum[..., k])
    return out


def _cdf(f: np.ndarray, tail: np.ndarray) -> np.ndarray:
    """Factor from each lag to ultimate: reverse cumulative product, tail included."""
    ones = np.ones((f.shape[0], 1))
    rev = np.cumprod(np.concatenate([ones, f[:, ::-1]], axis=1), axis=1)[:, ::-1]
    return rev * tail[:, None]


def _mack_dense(developing: np.ndarray, completed: np.ndarray, u: np.ndarray, ratio: np.ndarray,
                per_sum: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mack's process and parameter variance per origin and the total parameter variance,
    summed over the 3-D (group, origin, lag) array. Any factors allowed."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c_hat = completed[..., :-1]
        process_terms = np.where(developing & (c_hat > 0), ratio[:, None, :] / c_hat, 0.0)
    process = u ** 2 * process_terms.sum(axis=-1)
    param = u ** 2 * np.where(developing, per_sum[:, None, :], 0.0).sum(axis=-1)
    still = np.where(developing, u[..., None], 0.0).sum(axis=1)  # sum of U_i with d_i <= k
    return process, param, (per_sum * still ** 2).sum(axis=1)


def _suffix(values: np.ndarray) -> np.ndarray:
    """Sums from lag k to the last, with a 0 appended: shape (G, L) from (G, L-1)."""
    out = np.zeros((values.shape[0], values.shape[1] + 1))
    out[:, :-1] = np.cumsum(values[:, ::-1], axis=1)[:, ::-1]
    return out


def _mack_suffix(d: np.ndarray, latest: np.ndarray, u: np.ndarray, f: np.ndarray,
                 ratio: np.ndarray, per_sum: np.ndarray) -> tuple[np.ndarray, ...]:
    """The same as ``_mack_dense`` in O(groups x (origins + lags)), for factors that are all
    finite and non-zero: then C^[i, k] = latest_i F_k / F_(d_i) with F_k = f_0 ... f_(k-1),
    so every sum over k >= d_i is a suffix sum looked up at d_i."""
    g_n, l_n = f.shape[0], f.shape[1] + 1
    growth = np.cumprod(np.concatenate([np.ones((g_n, 1)), f], axis=1), axis=1)
    by_growth = _suffix(ratio / growth[:, :-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(latest > 0, np.take_along_axis(growth, d, axis=1) / latest, 0.0)
    process = u ** 2 * scale * np.take_along_axis(by_growth, d, axis=1)
    param = u ** 2 * np.take_along_axis(_suffix(per_sum), d, axis=1)
    groups = np.repeat(np.arange(g_n), d.shape[1])
    per_lag = np.bincount(groups * l_n + d.ravel(), weights=u.ravel(), minlength=g_n * l_n)
    still = np.cumsum(per_lag.reshape(g_n, l_n), axis=1)[:, :-1]
    return process, param, (per_sum * still ** 2).sum(axis=1)


def _fit(cum: np.ndarray, keys: list[tuple] | None, tail: Any,
         argument: str) -> ChainLadderResult:
    known = ~np.isnan(cum)
    # One mask for all groups (always so for build_triangles): check and gather it once.
    mask = known[0] if len(cum) > 1 and (known == known[:1]).all() else known
    notes = check_triangle(cum, keys=keys, argument=argument, known=mask)
    f, col_sum, sigma2, more = _factors(cum, mask, keys)
    notes += more
    tails = _tail(f, tail, keys, notes)
    d = np.broadcast_to(np.count_nonzero(mask, axis=-1) - 1, known.shape[:2])  # latest lag
    completed = _complete(cum, f, d, known)
    latest = np.take_along_axis(cum, d[..., None], axis=-1)[..., 0]
    u = completed[..., -1]                                        # ultimate before the tail

    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(f != 0, sigma2 / f ** 2, 0.0)           # (G, L-1)
        per_sum = np.where(col_sum > 0, ratio / col_sum, 0.0)   # (G, L-1)
    if np.all(np.isfinite(f) & (f != 0)):
        process, param, total_param = _mack_suffix(d, latest, u, f, ratio, per_sum)
    else:
        process, param, total_param = _mack_dense(~known[..., 1:], completed, u, ratio, per_sum)
    mack_se = np.sqrt(process + param) * tails[:, None]
    total = np.sqrt(process.sum(axis=1) + total_param) * tails

    ultimate = u * tails[:, None]
    return ChainLadderResult(
        development_factors=f, tail=tails, cdf=_cdf(f, tails), sigma2=sigma2,
        completed=completed, latest=latest, ultimate=ultimate, ibnr=ultimate - latest,
        mack_se=mack_se, total_mack_se=total, notes=tuple(notes))


def _squeeze(result: Any) -> Any:
    fields = {}
    for name, value in vars(result).items():
        if isinstance(value, np.ndarray):
            value = value[0]
            value = float(value) if value.ndim == 0 else value
        fields[name] = value
    return type(result)(**fields)


# --------------------------------------------------------------------------- public API


def chain_ladder(triangle: Any, *, cumulative: bool = True, tail: Any = None,
                 argument: str = "driehoek") -> ChainLadderResult:
    """Complete claim triangles with the volume-weighted chain ladder and Mack's errors.

    Parameters
    ----------
    triangle : array_like (origins, lags) or (groups, origins, lags), or Triangles
        Euro; NaN for the unknown cells at the end of each row; oldest origin first.
    cumulative : bool
        Whether an array input is cumulative (a ``Triangles`` knows this itself).
    tail : None, float or "curve"
        No tail, a fixed factor from the last lag to the final amount, or an
        exponential decay fitted through ``log(f_k - 1)`` and extrapolated 100 lags.
    argument : str
        Name of the input in error messages.

    Returns
    -------
    ChainLadderResult
        Without a group axis for a 2-D input.

    Examples
    --------
    >>> res = chain_ladder([[10.0, 20.0], [12.0, np.nan]])
    >>> res.ultimate, res.ibnr, res.total_mack_se
    (array([20., 24.]), array([ 0., 12.]), 0.0)
    """
    cum, keys, two_d = as_cumulative(triangle, cumulative=cumulative, argument=argument)
    result = _fit(cum, keys, tail, argument)
    return _squeeze(result) if two_d else result


def bornhuetter_ferguson(triangle: Any, prior: Any, *, cumulative: bool = True,
                         tail: Any = None, argument: str = "driehoek") -> BornhuetterFergusonResult:
    """Bornhuetter-Ferguson: the part not yet reported comes from a prior expectation.

    Parameters
    ----------
    triangle : as in ``chain_ladder``
    prior : array_like (origins,) or (groups, origins)
        Expected final amount per origin in euro (e.g. commitments x utilisation).
    cumulative, tail, argument : as in ``chain_ladder``

    Returns
    -------
    BornhuetterFergusonResult
        ``ibnr = prior * (1 - 1 / cdf)`` at each origin's latest lag; ``ultimate = latest + ibnr``.

    Examples
    --------
    >>> res = bornhuetter_ferguson([[10.0, 20.0], [12.0, np.nan]], [20.0, 30.0])
    >>> res.ibnr, res.ultimate
    (array([ 0., 15.]), array([20., 27.]))
    """
    cum, keys, two_d = as_cumulative(triangle, cumulative=cumulative, argument=argument)
    cl = _fit(cum, keys, tail, argument)
    expected = np.asarray(prior, dtype=float)
    if expected.ndim == 1:
        expected = expected[None]
    if expected.shape != cl.latest.shape:
        raise InputError(f"de verwachting heeft {expected.shape[-1]} waarden maar de driehoek "
                         f"{cl.latest.shape[-1]} productperiodes", argument="prior")
    bad = np.argwhere(~np.isfinite(expected))
    raise_if([Problem("de verwachting is geen eindig getal", "prior", int(g), int(i))
              for g, i in bad[:MAX_LISTED]])
    d = last_known_lag(~np.isnan(cum))
    cdf = np.take_along_axis(cl.cdf, d, axis=-1)
    notes = list(cl.notes)
    with np.errstate(divide="ignore", invalid="ignore"):
        reported = np.where(cdf != 0, 1.0 / cdf, np.nan)
    for g, i in np.argwhere(np.isnan(reported))[:MAX_LISTED]:
        notes.append(f"{_where(keys, g)}rij {i + 1}: ontwikkelfactor 0, aandeel gemeld onbekend")
    ibnr = expected * (1.0 - reported)
    result = BornhuetterFergusonResult(
        development_factors=cl.development_factors, tail=cl.tail, cdf=cl.cdf,
        percent_reported=reported, prior=expected, latest=cl.latest,
        ultimate=cl.latest + ibnr, ibnr=ibnr, notes=tuple(notes))
    return _squeeze(result) if two_d else result


def late_claims_table(triangle: Any, *, cumulative: bool = True,
                      argument: str = "driehoek") -> np.ndarray:
    """The table of ``SD_NAGEKOMEN``: per origin and a total row, four columns.

    Columns: claimed so far, expected final amount, still to be claimed, standard error
    (euro). Refuses a "cumulative" triangle that falls more often than it rises: that is
    almost always an incremental triangle with ``cumulatief`` left on TRUE.

    >>> late_claims_table([[10.0, 20.0], [12.0, np.nan]])
    array([[20., 20.,  0.,  0.],
           [12., 24., 12.,  0.],
           [32., 44., 12.,  0.]])
    """
    res = checked_chain_ladder(triangle, cumulative=cumulative, argument=argument)
    rows = np.column_stack([res.latest, res.ultimate, res.ibnr, res.mack_se])
    total = [res.latest.sum(), res.ultimate.sum(), res.ibnr.sum(), res.total_mack_se]
    return np.vstack([rows, total])


def checked_chain_ladder(triangle: Any, *, cumulative: bool = True,
                         argument: str = "driehoek") -> ChainLadderResult:
    """``chain_ladder`` of one triangle typed in a spreadsheet, after the checks of a
    triangle that a person may have laid out otherwise: incremental amounts with
    ``cumulatief`` left on TRUE, the delays in the rows, a lag that is 0 everywhere."""
    cum, _, _ = as_cumulative(triangle, cumulative=cumulative, argument=argument)
    if cumulative:
        _refuse_incremental_look(cum[0], argument)
        _refuse_transposed_look(cum[0], argument)
    res = chain_ladder(cum[0], argument=argument)
    _refuse_undefined_factor(cum[0], argument)
    if cumulative:
        _refuse_falling_factors(res.development_factors, argument)
    return res


#: A development factor below this is a real fall of the cumulative amount, not a correction.
FALLING_FACTOR = 0.95


def _refuse_falling_factors(factors: np.ndarray, argument: str) -> None:
    """Refuse a "cumulative" triangle whose amounts clearly fall from one delay to the next at
    a quarter of its delays or more (two at least): cumulative claims grow, corrections are
    small. It is an incremental triangle with ``cumulatief`` on TRUE, or one with its delays
    in the rows; its late claims would come out negative.

    >>> _refuse_falling_factors(np.array([2.5, 0.55, 1.1, 0.6]), "driehoek")
    Traceback (most recent call last):
    ...
    calc.errors.InputError: de ontwikkelfactor is kleiner dan 0,95 bij 2 van de 4 vertragingen (1 naar 2: 0,55); cumulatieve bedragen groeien. Is de driehoek incrementeel (cumulatief ONWAAR) of staan de vertragingen in de rijen (TRANSPONEREN)?
    """
    f = np.asarray(factors, dtype=float)
    falling = np.flatnonzero(np.isfinite(f) & (f < FALLING_FACTOR))
    if len(falling) >= 2 and len(falling) >= 0.25 * np.isfinite(f).sum():
        k = int(falling[0])
        raise InputError(
            f"de ontwikkelfactor is kleiner dan {nl_number(FALLING_FACTOR, 2)} bij "
            f"{len(falling)} van de {len(f)} vertragingen ({k} naar {k + 1}: "
            f"{nl_number(f[k], 2)}); cumulatieve bedragen groeien. Is de driehoek incrementeel "
            "(cumulatief ONWAAR) of staan de vertragingen in de rijen (TRANSPONEREN)?",
            argument=argument)


def _refuse_transposed_look(cum: np.ndarray, argument: str) -> None:
    """Refuse a cumulative triangle that grows down its columns (95 % of the steps) but falls
    often along its rows: its delays stand in the rows. The chain ladder would run along the product periods
    and give factors below 1 and negative late claims, without a warning.

    >>> _refuse_transposed_look(np.array([[10.0, 12.0, 9.0, 11.0], [20.0, 19.0, 25.0, np.nan],
    ...                                   [30.0, 32.0, np.nan, np.nan], [35.0, np.nan, np.nan,
    ...                                   np.nan]]), "driehoek")
    Traceback (most recent call last):
    ...
    calc.errors.InputError: de bedragen stijgen in de kolommen van boven naar beneden, maar dalen in 2 van de 6 stappen naar rechts: staan de vertragingen in de rijen? Zet de productperiodes in de rijen (in Excel: TRANSPONEREN)
    """
    right, down = np.diff(cum, axis=-1), np.diff(cum, axis=-2)
    right, down = right[np.isfinite(right)], down[np.isfinite(down)]
    falls = int((right < 0).sum())
    grows_down = len(down) >= 3 and (down >= 0).mean() >= 0.95      # a correction may fall
    if grows_down and falls >= 2 and falls >= 0.25 * len(right):
        raise InputError(
            f"de bedragen stijgen in de kolommen van boven naar beneden, maar dalen in {falls} "
            f"van de {len(right)} stappen naar rechts: staan de vertragingen in de rijen? Zet "
            "de productperiodes in de rijen (in Excel: TRANSPONEREN)", argument=argument)


def _refuse_undefined_factor(cum: np.ndarray, argument: str) -> None:
    """Refuse a projection through a lag whose known amounts are all 0 while the next lag
    has amounts: its development factor is undefined (x / 0), and the fallback factor 1 of
    ``chain_ladder`` would show "nothing to come" for the origins that need it (a triangle
    whose first column is all 0, for instance). Origins already past that lag are not
    affected; then nothing is refused.

    >>> _refuse_undefined_factor(np.array([[0.0, 10.0], [0.0, np.nan]]), "driehoek")
    Traceback (most recent call last):
    ...
    calc.errors.ModelError: vertraging 0 is overal 0 maar later komen bedragen: ontwikkelfactor onbepaald, wat nog komt is niet te schatten (niet 0); begin de driehoek bij de eerste vertraging met bedragen
    """
    known = ~np.isnan(cum)
    latest = known.sum(axis=1) - 1
    for k in range(cum.shape[1] - 1):
        pairs = known[:, k + 1]
        before, after = cum[pairs, k].sum(), cum[pairs, k + 1].sum()
        affected = np.flatnonzero(latest <= k)
        if before == 0 and after > 0 and affected.size:
            raise ModelError(
                f"vertraging {k} is overal 0 maar later komen bedragen: ontwikkelfactor "
                "onbepaald, wat nog komt is niet te schatten (niet 0); begin de driehoek bij "
                "de eerste vertraging met bedragen",
                argument=argument, row=int(affected[0]), column=int(k))


def _refuse_incremental_look(cum: np.ndarray, argument: str) -> None:
    steps = np.diff(cum, axis=-1)
    down, up = int((steps < 0).sum()), int((steps > 0).sum())
    if down >= 2 and down > up:
        i, k = np.argwhere(steps < 0)[0]
        raise InputError(
            f"de bedragen dalen in {down} van de {down + up} stappen; is de driehoek "
            "incrementeel? Zet dan cumulatief op ONWAAR", argument=argument,
            row=int(i), column=int(k) + 1)


# --------------------------------------------------------------------------- estimators


class _Estimator(Estimator):
    """The reserving estimators: ``fit`` stores a result's fields as learned values."""

    def _store(self, result: Any, keys: list[tuple] | None) -> None:
        for name, value in vars(result).items():
            setattr(self, name + "_", value)
        self.keys_ = keys


class ChainLadder(_Estimator):
    """Volume-weighted chain ladder with Mack's standard errors, over many triangles at once.

    Parameters
    ----------
    tail : None, float or "curve"
        See ``chain_ladder``.

    Attributes
    ----------
    development_factors_, tail_, cdf_, sigma2_, completed_, latest_, ultimate_, ibnr_,
    mack_se_, total_mack_se_, notes_ :
        As in ``ChainLadderResult`` (with the group axis for a 3-D or ``Triangles`` input).
    keys_ : list of tuple or None
        The group keys of a ``Triangles`` input; ("1",), ("2",) ... for a 3-D array of
        several groups; None for a single triangle.

    Examples
    --------
    >>> model = ChainLadder().fit([[[10.0, 20.0], [12.0, np.nan]]])
    >>> model.ultimate_
    array([[20., 24.]])
    >>> ChainLadder().ibnr_
    Traceback (most recent call last):
    ...
    calc.errors.NotFittedError: ChainLadder is nog niet geschat: roep eerst fit aan
    """

    def __init__(self, tail: Any = None) -> None:
        self.tail = tail

    def fit(self, triangles: Any, y: Any = None, *, cumulative: bool = True) -> "ChainLadder":
        """Estimate from ``Triangles`` or a cumulative array (2-D or 3-D); returns self."""
        cum, keys, two_d = as_cumulative(triangles, cumulative=cumulative)
        result = _fit(cum, keys, self.tail, "driehoek")
        self._store(_squeeze(result) if two_d else result, keys)
        return self


class BornhuetterFerguson(_Estimator):
    """Bornhuetter-Ferguson with a prior expectation per origin.

    As in chainladder-python, the prior is ``apriori * sample_weight``: pass the
    commitment-based expectation per origin (euro) as ``sample_weight`` and keep
    ``apriori=1``, or pass an exposure and a ratio.

    Examples
    --------
    >>> model = BornhuetterFerguson().fit([[10.0, 20.0], [12.0, np.nan]], sample_weight=[20.0, 30.0])
    >>> model.ibnr_
    array([ 0., 15.])
    """

    def __init__(self, apriori: float = 1.0, tail: Any = None) -> None:
        self.apriori = apriori
        self.tail = tail

    def fit(self, triangles: Any, y: Any = None, *, sample_weight: Any = None,
            cumulative: bool = True) -> "BornhuetterFerguson":
        """Estimate; ``sample_weight`` is the expectation per origin (required)."""
        if sample_weight is None:
            raise InputError("Bornhuetter-Ferguson heeft een verwachting per productperiode nodig",
                             argument="sample_weight")
        prior = self.apriori * np.asarray(sample_weight, dtype=float)
        result = bornhuetter_ferguson(triangles, prior, cumulative=cumulative, tail=self.tail)
        _, keys, _ = as_cumulative(triangles, cumulative=cumulative)
        self._store(result, keys)
        return self
