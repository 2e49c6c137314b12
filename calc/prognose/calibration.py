"""Calibration of the year-end forecast's forward part on replays of earlier years.

The forward part of a year-end forecast (remaining months + new clients) is what the model
projects; what it misses shows in earlier years. ``calibrate`` replays the forecast
(uncalibrated, only what was known then) as of ``REPLAYS_PER_YEAR`` months of every earlier
year whose outcome lies in the claim triangle and that has a full window of claims before
it: the same month and its neighbours, so one month's luck does not decide it. What the months
after each replayed peilmaand came to (claimed + chain-ladder late claims as known now) gives
the pooled ratio ``k^ = sum(actual after) / sum(remaining + new clients)``: the forward part
against its own outcome (a replay's miss on the late claims of the months before its
peilmaand is not the forward part's; at September, with a quarter of the year ahead, it
counted four times in the factor), per product category
shrunk towards all categories (credibility weight of an average-sized category: one half).

Then towards 1 (no correction) with a weight estimated from the replays themselves
(``estimated_credibility``, positive-part James-Stein): ``k = 1 + Z (k^ - 1)``,
``Z = max(0, 1 - noise^2 / (J (k^ - 1)^2))`` with ``J`` earlier years, kept within
``CALIBRATION_BOUNDS``. ``noise`` is the larger of the scatter of the replayed factors
(``factor_spread``, at least ``MIN_MODEL_CV``) and the replays' own chance error
(``replay_noise``: per replay the larger of the standard error the replayed forecast gave
its forward part and the one its groups' scatter shows, ``ratio_noise``, relative to the
forward part; at least this year's forward part's own, measured on the longer history): an
earlier year's outcome misses its forecast by that much with no bias. A
factor far from 1 against both counts almost fully (the fixed one half of before applied
1,12 where 1,25 was measured), one within either not at all; and with one or two earlier
years (one or two distances to judge by) no more than a bias of the prior size
(``CALIBRATION_PRIOR_CV``) would get against that noise. Three neighbouring months of one
year share their outcome, so their scatter alone took a small municipality's chance (4-10
new clients a month, a handful of providers: a forward part 10-20 % off by luck) for a
bias and carried it into the next year at full weight. The model error of this year's forward part is that spread (shared by all groups) plus
per product category the root mean square of its own miss beyond the common factor
(``category_cv``, independent between categories). Without earlier years ``model_cv(0)``.

The forecast to replay is handed in (``replay``), so this module does not import the forecast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calc.errors import GripError
from calc.text import nl_number

#: Year-to-year spread of the forward part's factor (relative model error in a year, about
#: the spread seen in the synthetic replays with the stop model).
MODEL_CV = 0.08
#: Prior spread of the mean factor around 1 (no correction) once early stops are modelled.
CALIBRATION_PRIOR_CV = 0.08
#: Evaluation months replayed per earlier year (the same month and its neighbours).
REPLAYS_PER_YEAR = 3
#: The calibration factor of the forward part is kept within these bounds.
CALIBRATION_BOUNDS = (0.5, 1.5)
#: The least year-to-year spread of the factor a calibration assumes.
MIN_MODEL_CV = 0.03
#: The parts of a replayed forecast's ``detail`` the calibration reads (euro).
_PARTS = ("claimed_euro", "late_euro", "remaining_euro", "inflow_euro")
#: The groups a replay's scatter is measured over (those of them in both tables).
_GROUP = ("provider", "product_category")
#: The replayed forecast's standard error of its forward part (euro; optional).
FORWARD_SE = "forward_se_euro"


@dataclass(frozen=True)
class Calibration:
    """The factor on the forward part (remaining months + new clients) from earlier years.

    ``per_category``: product category -> factor (after credibility); ``factor``: over all
    categories (for a category without replays); ``observed``: the pooled factor of the
    replays before credibility; ``years``: earlier years replayed; ``credibility``: the weight
    ``Z`` of ``observed`` against no correction (estimated); ``replays``: evaluation month ->
    its own factor; ``spread``: the year-to-year spread of the factor the replays show;
    ``model_cv``: the relative model error of this year's forward part shared by all groups;
    ``category_cv``: per product category the relative error beyond it (independent between
    categories).

    Also readable as a mapping (``c["replays"]``), as the forecast's ``calibration`` was.
    """

    per_category: pd.Series
    factor: float
    observed: float
    years: int
    credibility: float
    replays: dict = field(default_factory=dict)
    model_cv: float = 0.0
    category_cv: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    spread: float = 0.0

    def __getitem__(self, key: str):
        return getattr(self, key)

    def for_categories(self, categories) -> np.ndarray:
        """The factor of each given product category (``factor`` where it has none)."""
        return self.per_category.reindex(categories).fillna(self.factor).to_numpy()


def replay_months(a: pd.Timestamp, year: int, back: int) -> list[pd.Timestamp]:
    """The ``REPLAYS_PER_YEAR`` evaluation months of year ``year - back`` nearest to ``a - back``.

    The same month a year (or two) earlier first, then its neighbours inside that year, so
    one month's luck does not decide the calibration.

    >>> [f"{m:%Y-%m}" for m in replay_months(pd.Timestamp("2025-01-01"), 2025, 1)]
    ['2024-01', '2024-02', '2024-03']
    """
    same = a - pd.DateOffset(months=12 * back)
    first = pd.Timestamp(year=year - back, month=1, day=1)
    last = pd.Timestamp(year=year - back, month=11, day=1)    # December has nothing ahead
    out = [same]
    for step in (1, -1, 2, -2, 3, -3):
        m = same + pd.DateOffset(months=step)
        if len(out) < REPLAYS_PER_YEAR and first <= m <= last:
            out.append(m)
    return out


def calibrate(first_service: pd.Timestamp, late: pd.DataFrame, a: pd.Timestamp, year: int,
              replay: Callable[[pd.Timestamp, int], pd.DataFrame], notes: list[str], *,
              history_years: int, window_months: int, noise: float = 0.0
              ) -> Calibration | None:
    """Factor on the forward part per product category (and over all), from earlier years.

    Parameters
    ----------
    first_service : Timestamp
        The first service month with claims (a replay needs ``window_months`` after it).
    late : DataFrame
        The claim triangle as known at ``a``, long (``service_month``, ``product_category``,
        ``ultimate``): what each earlier year came to.
    a : Timestamp
        This forecast's evaluation month; ``year`` the year it forecasts.
    replay : callable ``(as_of, year) -> detail``
        The uncalibrated forecast of an earlier year as of ``as_of`` (its ``detail`` frame).
    notes : list of str
        Dutch notes are appended here.
    history_years : int
        Years the claim triangle reaches back (no replay further back).
    window_months : int
        Months of claims a replayed evaluation month needs before it.
    noise : float
        This year's forward part's own relative standard error (before model error): a
        replay of the same municipality a year earlier is about as noisy, and this year's
        is measured on the longer history (``replay_noise`` takes the larger).

    Returns
    -------
    Calibration, or None when no earlier year can be replayed.
    """
    service = pd.to_datetime(late["service_month"])
    oldest_known = service.min() if len(service) else a
    replays: list[tuple[pd.Timestamp, int, pd.DataFrame]] = []
    for back in range(1, history_years + 1):
        if pd.Timestamp(year=year - back, month=1, day=1) < oldest_known:
            break                           # that year's outcome is not in the triangle
        for m in replay_months(a, year, back):
            if first_service > m - pd.DateOffset(months=window_months - 1):
                continue
            try:
                prev = replay(m, year - back)
            except GripError as exc:
                notes.append(f"IJking op {m:%m-%Y} niet mogelijk ({exc.message}).")
                continue
            replays.append((m, year - back, prev))
    if not replays:
        notes.append("Te weinig historie om de prognose op eerdere jaren te ijken; de marge "
                     f"rekent met {model_cv(0):.0%} modelfout op resterende maanden en "
                     "nieuwe cliënten.")
        return None
    rows, per_replay, per_cat, chances = [], {}, [], []
    for m, y, prev in replays:
        # what the months after the replayed peilmaand came to: the forward part's own
        # outcome (a miss in the late claims of the months before is not the forward part's)
        done = late[(service.dt.year == y) & (service > m)]
        actual = done.groupby(done["product_category"].astype(str))["ultimate"].sum()
        per = prev.groupby("product_category")[list(_PARTS)].sum()
        per["actual"] = actual.reindex(per.index).fillna(0.0)
        per["fwd"] = per["remaining_euro"] + per["inflow_euro"]
        per["miss"] = per["actual"]
        if per["fwd"].sum() > 0:
            per_replay[m] = float(per["miss"].sum() / per["fwd"].sum())
            per_cat.append((y, per_replay[m], per[["fwd", "miss"]]))
            own = 0.0
            if FORWARD_SE in prev.columns:      # groups independent: variances add
                own = float(np.sqrt((prev[FORWARD_SE] ** 2).sum()) / per["fwd"].sum())
            keys = [c for c in _GROUP if c in prev.columns and c in done.columns]
            fwd_g = prev.assign(fwd=prev["remaining_euro"] + prev["inflow_euro"]).groupby(
                [prev[c].astype(str) for c in keys])["fwd"].sum()
            actual_g = done.groupby([done[c].astype(str) for c in keys])["ultimate"].sum()
            chances.append(max(own, ratio_noise(fwd_g, actual_g)))
        rows.append(per[["fwd", "miss"]])
    pooled = pd.concat(rows).groupby(level=0).sum()
    if pooled["fwd"].sum() <= 0:
        return None
    lo, hi = CALIBRATION_BOUNDS
    years = len({y for _, y, _ in replays})
    k_obs = float(pooled["miss"].sum() / pooled["fwd"].sum())
    spread = factor_spread(pd.Series([k for _, k, _ in per_cat]),
                           pd.Series([y for y, _, _ in per_cat]))
    chance = max(replay_noise(chances), noise)
    z = estimated_credibility(k_obs, max(spread, chance), years)
    weight = pooled["fwd"].sum() / max(len(pooled), 1)     # credibility of an average category
    k_cat = (pooled["miss"] + k_obs * weight) / (pooled["fwd"] + weight)
    k = (1.0 + z * (k_cat - 1.0)).clip(lo, hi)
    k_all = float(np.clip(1.0 + z * (k_obs - 1.0), lo, hi))
    shown = "; ".join(f"{m:%m-%Y}: {nl_number(v)}" for m, v in sorted(per_replay.items()))
    notes.append(f"Resterende maanden en nieuwe cliënten geijkt op {len(replays)} eerdere "
                 f"peilmaanden ({shown}): samen {nl_number(k_obs)}, spreiding "
                 f"{nl_number(spread)}, toevalsmarge {nl_number(chance)}; dat telt voor "
                 f"{z:.0%} mee tegenover geen correctie (geschat uit afwijking, spreiding en "
                 f"toevalsmarge, {years} "
                 f"{'eerder jaar' if years == 1 else 'eerdere jaren'}): factor "
                 f"{nl_number(k_all)} over alle productcategorieën.")
    return Calibration(per_category=k, factor=k_all, observed=k_obs, years=years,
                       credibility=z, replays=per_replay,
                       model_cv=float(np.sqrt(spread ** 2 * (1.0 + z / years))),
                       category_cv=_category_cv(per_cat), spread=spread)


def factor_spread(factors: pd.Series, years: pd.Series) -> float:
    """The year-to-year spread of the forward part's factor, as the replays show it.

    The standard deviation of the replayed factors (ddof 1) and, with two or more earlier
    years, of the per-year means, whichever is larger; at least ``MIN_MODEL_CV`` (three
    neighbouring months of one year move together and understate a new year's surprise).

    >>> factor_spread(pd.Series([1.10, 1.14, 1.12]), pd.Series([2024] * 3))
    0.03
    """
    out = MIN_MODEL_CV
    if len(factors) > 1:
        out = max(out, float(factors.std(ddof=1)))
    per_year = factors.groupby(years.to_numpy()).mean()
    if len(per_year) > 1:
        out = max(out, float(per_year.std(ddof=1)))
    return out


def replay_noise(relative_se: list[float]) -> float:
    """The chance error of a replayed forward factor: the root mean square of the replays'
    own relative standard errors of their forward part (0 without any).

    An earlier year's forward part came out at ``actual / forecast``; with no bias at all
    that ratio scatters around 1 by the standard error the forecast gave it then. The
    replays of one year share their outcome, so this is not divided by their number.

    >>> round(replay_noise([0.12, 0.16]), 4), replay_noise([])
    (0.1414, 0.0)
    """
    if not relative_se:
        return 0.0
    return float(np.sqrt(np.mean(np.square(relative_se))))


def ratio_noise(forward: pd.Series, actual: pd.Series) -> float:
    """The standard error of a replay's factor ``sum(actual) / sum(forward)`` from the
    scatter of its groups (the ratio estimator's: ``sqrt(G / (G - 1) x sum(actual_g -
    k forward_g)^2) / sum(forward)``; 0 with fewer than two groups or no forward part).

    A bias moves every group alike and leaves little scatter; chance (which clients come,
    how long they stay) moves each group its own way. A group that was not forecast at all
    (a provider that came after the peilmaand) scatters by its whole outcome.

    >>> f = pd.Series([100.0, 100.0], index=["a", "b"])
    >>> ratio_noise(f, pd.Series([120.0, 120.0], index=["a", "b"]))     # all alike: a bias
    0.0
    >>> round(ratio_noise(f, pd.Series([140.0, 100.0], index=["a", "b"])), 4)
    0.2
    """
    keys = forward.index.union(actual.index)
    fwd = forward.reindex(keys).fillna(0.0).to_numpy(dtype=float)
    out = actual.reindex(keys).fillna(0.0).to_numpy(dtype=float)
    g = len(keys)
    if g < 2 or fwd.sum() <= 0:
        return 0.0
    k = out.sum() / fwd.sum()
    return float(np.sqrt(g / (g - 1) * ((out - k * fwd) ** 2).sum()) / fwd.sum())


def estimated_credibility(observed: float, spread: float, years: int) -> float:
    """Weight of the replayed factor against no correction, estimated from the data.

    The positive-part James-Stein weight ``Z = max(0, 1 - spread^2 / (J (k^ - 1)^2))``: a
    replayed factor far from 1 compared with its noise (``spread``, the larger of its
    scatter and its chance error) counts almost fully, one within the noise counts for
    nothing (``J`` earlier years). With one or two earlier years that weight rests on one
    or two distances and takes a lucky year for a bias; so it is at most the weight a
    bias of the prior size (``CALIBRATION_PRIOR_CV``, as ``model_cv`` assumes) gets against
    this noise, ``prior^2 / (prior^2 + spread^2 / J)``: a precise replay (a large
    municipality, a few percent) still counts nearly fully, a noisy one (a small
    municipality, 10-20 %) little.

    >>> round(estimated_credibility(1.25, 0.03, 1), 3), estimated_credibility(1.02, 0.08, 1)
    (0.877, 0.0)
    >>> round(estimated_credibility(1.25, 0.15, 1), 3)      # James-Stein alone: 0,64
    0.221
    """
    j = max(years, 1)
    gap = (observed - 1.0) ** 2 * j
    if gap <= 0:
        return 0.0
    stein = 1.0 - spread ** 2 / gap
    prior = CALIBRATION_PRIOR_CV ** 2 / (CALIBRATION_PRIOR_CV ** 2 + spread ** 2 / j)
    return float(np.clip(min(stein, prior), 0.0, 1.0))


def _category_cv(per_cat: list[tuple[int, float, pd.DataFrame]]) -> pd.Series:
    """Per product category: the relative error of its forward part beyond the common factor.

    The root mean square over the replays of ``(miss - k_r fwd) / fwd`` (``k_r`` the replay's
    factor over all categories), weighted by ``fwd``; independent between categories.
    """
    if not per_cat:
        return pd.Series(dtype=float)
    parts = []
    for _, k_r, per in per_cat:
        ok = per["fwd"] > 0
        rel = (per.loc[ok, "miss"] - k_r * per.loc[ok, "fwd"]) / per.loc[ok, "fwd"]
        parts.append(pd.DataFrame({"w": per.loc[ok, "fwd"], "e2": rel ** 2}))
    d = pd.concat(parts)
    g = d.assign(we2=d["w"] * d["e2"]).groupby(level=0)[["w", "we2"]].sum()
    return np.sqrt(g["we2"] / g["w"]).clip(upper=1.0)


def model_cv(years: int) -> float:
    """Relative model error of the forward part with ``years`` earlier years and no replays.

    Used without a calibration (``years`` 0): a normal hierarchy where each year's factor
    varies by ``MODEL_CV`` around a mean that is 1 give or take ``CALIBRATION_PRIOR_CV``; the
    predictive spread of this year's factor is ``sqrt(MODEL_CV^2 + posterior variance of the
    mean)`` (11% without earlier years).
    """
    posterior = 1.0 / (1.0 / CALIBRATION_PRIOR_CV ** 2 + years / MODEL_CV ** 2)
    return float(np.sqrt(MODEL_CV ** 2 + posterior))
