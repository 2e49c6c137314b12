"""Early stops of allocations: a Kaplan-Meier stop model per product category.

An allocation (301) is granted until its end date (the *planned* end: the end date of its first
version), but care often stops before that: the provider sends a stop (307) and the
municipality shortens the allocation in a new 301. Future commitments count the planned end,
so without this model the remaining months run ahead of what will be delivered.

**Spells.** Per allocation known at ``as_of`` (versions with ``valid_from`` up to the end of
the evaluation month; nothing later is seen): start, planned end (first version), known end
(latest version), on a time axis of months since the start (``DAYS_PER_MONTH`` days):

* *entry*: the months already run when the allocation first appears (its first ``valid_from``);
  0 for an allocation granted before it starts, more for the stock of allocations that started
  before the data (delayed entry, left truncation: they count only from when they were seen);
* *exit*: the earliest of the known end, the planned end and the end of the evaluation month;
* *stop* (the event): the known end lies before the planned end and not after the evaluation
  month, and no other allocation of the client in the product category starts within
  ``RENEWAL_DAYS`` of it (then it was replaced, e.g. a change of volume: care goes on, the
  spell is censored there). Reaching the planned end or the evaluation month is censoring.

Open-ended allocations (no planned end) have no early stop; they are left out (their expected
end comes from the observed durations, ``calc.prognose.commitments``).

**Hazard.** Discrete per month since the start ``k`` (bin ``floor(days / DAYS_PER_MONTH)``): at
risk ``n_k`` = spells with entry bin <= k <= exit bin, stops ``d_k`` = spells stopping in bin
k (Kaplan-Meier with censored spells at risk in their last bin). Small numbers are shrunk
towards a larger pool, as a beta prior of ``PRIOR_WEIGHT`` allocation-months::

    h_all      = sum d / sum n                                   (one constant hazard)
    h_k        = (d_k + w h_all) / (n_k + w)                     (all categories)
    h_{c,k}    = (d_{c,k} + w h_k) / (n_{c,k} + w)               (product category c)

so a month without observations takes the pooled value and a large category its own
Kaplan-Meier hazard. Survival ``S_c(k) = prod_{j<k} (1 - h_{c,j})``, log-linear within a month;
the chance an allocation running at duration ``t0`` still runs at ``t1`` is
``S_c(t1) / S_c(t0)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from calc.prognose.arrays import dates, key_codes, running_max
from calc.prognose.commitments import (ALLOCATION_KEY, DAYS_PER_MONTH, current_allocations,
                                       factorize_rows)

#: Strength of the prior (allocation-months at risk) when shrinking a hazard to its pool.
PRIOR_WEIGHT = 30.0
#: An allocation followed by another (same client and category) within this many days is
#: replaced, not stopped.
RENEWAL_DAYS = 62


def known_versions(allocations: pd.DataFrame, as_of_end: pd.Timestamp) -> pd.DataFrame:
    """The allocation versions sent up to and including ``as_of_end`` (what was known then)."""
    return allocations[~(dates(allocations["valid_from"]) > pd.Timestamp(as_of_end).to_datetime64())]


def allocation_spells(versions: pd.DataFrame, as_of_end: pd.Timestamp, *,
                      renewal_days: int = RENEWAL_DAYS, data_start=None) -> pd.DataFrame:
    """One spell per allocation with a planned end: category, entry and exit days, stop.

    ``versions`` must hold only what was known at ``as_of_end`` (see ``known_versions``); a
    version sent later would leak the future, so they are refused. ``data_start``: the
    first day of the data (the first claimed month); an allocation seen before it counts
    from then (an export of allocations holds those that ran after some day, known "from
    their start": the ones that ended before that day are missing, so their entry is that day).

    Returns a DataFrame with the allocation key, ``product_category``, ``start``,
    ``planned_end``, ``end``, ``entry_days``, ``exit_days`` and ``stopped``.
    """
    return mapped_spells(versions, as_of_end, renewal_days=renewal_days,
                         data_start=data_start)[0]


def mapped_spells(versions: pd.DataFrame, as_of_end: pd.Timestamp, *,
                  renewal_days: int = RENEWAL_DAYS, data_start=None
                  ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """``allocation_spells``, with what a caller that maps the allocations once needs: per
    spell the allocation it is (its place in ``first``), the versions' ``valid_from``
    (``dates``) and ``first`` (``first_and_latest``: each allocation's first version)."""
    valid_from = dates(versions["valid_from"])
    if (valid_from > pd.Timestamp(as_of_end).to_datetime64()).any():
        raise ValueError("allocation_spells: versions after as_of (the future) were given")
    first, last = first_and_latest(versions, valid_from)
    if versions.empty:
        return pd.DataFrame(columns=SPELL_COLUMNS), np.zeros(0, dtype=np.intp), valid_from, first
    spells, spell_of = spells_of(versions, valid_from, first, last, as_of_end,
                                 renewal_days=renewal_days, data_start=data_start)
    return spells, spell_of, valid_from, first


#: The columns of ``allocation_spells``.
SPELL_COLUMNS = [*ALLOCATION_KEY, "product_category", "start", "planned_end", "end",
                 "entry_days", "exit_days", "stopped"]


def spells_of(versions: pd.DataFrame, valid_from: np.ndarray, first: np.ndarray,
              last: np.ndarray, as_of_end: pd.Timestamp, *, renewal_days: int = RENEWAL_DAYS,
              data_start=None) -> tuple[pd.DataFrame, np.ndarray]:
    """``allocation_spells`` of non-empty ``versions`` known at ``as_of_end``, given their
    ``valid_from`` (``dates``) and ``first_and_latest``; also per spell the allocation it is
    (its place in ``first``), for a caller that maps allocations once."""
    cols = SPELL_COLUMNS
    start = dates(versions["start_date"])[last]
    planned_end = dates(versions["end_date"])[first]
    end = dates(versions["end_date"])[last]
    seen = valid_from[first]
    if data_start is not None and pd.notna(data_start):
        lower = pd.Timestamp(data_start).to_datetime64()
        seen = np.where(seen < lower, lower, seen).astype(seen.dtype)
    ok = ~np.isnat(start) & ~np.isnat(planned_end) & (planned_end >= start)
    if not ok.any():
        return pd.DataFrame(columns=cols), np.zeros(0, dtype=np.intp)
    # text columns typed as from all allocations (a column that is missing in the rows kept
    # stays text), as the table of all spells filtered to the rows kept had them
    keys = {k: pd.Series(versions[k].to_numpy()[last]).array[ok] for k in ALLOCATION_KEY}
    category = pd.Series(versions["product_category"].astype(str).to_numpy()[last]).array[ok]
    s, planned_end, seen = start[ok], planned_end[ok], seen[ok]
    e = np.where(np.isnat(end[ok]), planned_end, end[ok])
    # replaced: another allocation of the client in the category starts near this one's end
    codes, _ = factorize_rows([keys["client"].to_numpy(), category.to_numpy()], rows=False)
    order = np.lexsort((s, codes))
    next_start = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    same = codes[order][1:] == codes[order][:-1]
    next_start[order[:-1]] = np.where(same, s[order][1:], np.datetime64("NaT"))
    replaced = ~np.isnat(next_start) & (next_start <= e + np.timedelta64(renewal_days, "D"))
    limit = np.datetime64(as_of_end)
    early = (e < planned_end) & (e <= limit)
    exit_ = np.minimum(np.minimum(e, planned_end), limit)
    day = np.timedelta64(1, "D")
    entry_days = np.clip((seen - s) / day, 0, None)
    exit_days = (exit_ - s) / day
    spells = pd.DataFrame({**keys, "product_category": category, "start": s,
                           "planned_end": planned_end, "end": e, "entry_days": entry_days,
                           "exit_days": exit_days, "stopped": early & ~replaced})
    keep = exit_days >= entry_days
    allocation = np.flatnonzero(ok)
    if keep.all():
        return spells, allocation
    return spells[keep].reset_index(drop=True), allocation[keep]


def first_and_latest(versions: pd.DataFrame, valid_from: np.ndarray | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Per allocation (``ALLOCATION_KEY``) the rows of ``versions`` of its first and of its
    latest version (by ``valid_from``, stable; a missing one last), the allocations in the
    order their first versions come in.

    >>> v = pd.DataFrame({"provider": ["A"] * 3, "client": ["x", "y", "x"],
    ...     "allocation_number": ["1", "2", "1"],
    ...     "valid_from": pd.to_datetime(["2025-02-01", "2025-01-01", "2025-01-15"])})
    >>> [r.tolist() for r in first_and_latest(v)]
    [[1, 2], [1, 0]]
    """
    order, first, last = _version_runs(versions, valid_from)
    return order[first], order[last]


def latest_versions(versions: pd.DataFrame) -> pd.DataFrame:
    """``commitments.current_allocations(versions)`` (the latest version of each allocation,
    in the same order) found on the key and ``valid_from`` alone, without sorting the table."""
    if versions.empty:
        return current_allocations(versions)
    return versions.iloc[latest_rows(versions)].reset_index(drop=True)


def latest_rows(versions: pd.DataFrame) -> np.ndarray:
    """The rows of ``versions`` that ``current_allocations`` keeps, in its order: those of
    the latest versions, ordered as they come by ``valid_from`` (stable)."""
    order, _, last = _version_runs(versions)
    return order[np.sort(last)]


def _version_runs(versions: pd.DataFrame, valid_from: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``versions``' rows by ``valid_from`` (stable, missing last), and per allocation the
    places in that order of its first and its latest version (allocations numbered as
    they first come)."""
    if valid_from is None:
        valid_from = dates(versions["valid_from"])
    order = np.argsort(valid_from, kind="stable")
    codes = pd.factorize(key_codes(versions, ALLOCATION_KEY)[order])[0]
    _, first = np.unique(codes, return_index=True)
    _, from_end = np.unique(codes[::-1], return_index=True)
    return order, first, len(codes) - 1 - from_end


@dataclass(frozen=True)
class StopModel:
    """Monthly stop hazards per product category (rows ``categories``) and pooled (``pooled``).

    ``hazard[c, k]`` is the chance that an allocation of category ``c`` running at the start of
    month ``k`` since its start stops in that month; beyond the last month the constant
    ``tail`` hazard holds.
    """

    categories: pd.Index
    hazard: np.ndarray           # (categories, months)
    pooled: np.ndarray           # (months,)
    tail: float
    at_risk: np.ndarray          # (categories, months) n_{c,k}
    stops: np.ndarray            # (categories, months) d_{c,k}

    def _log_survival(self, rows: np.ndarray, t: np.ndarray) -> np.ndarray:
        """log S at duration ``t`` (months, float) for category rows ``rows`` (-1 = pooled)."""
        k_n = self.hazard.shape[1]
        table = np.vstack([self.hazard, self.pooled[None, :]])
        rows = np.where(rows < 0, len(table) - 1, rows)
        log1m = np.log1p(-np.clip(table, 0.0, 1.0 - 1e-12))
        cum = np.concatenate([np.zeros((len(table), 1)), np.cumsum(log1m, axis=1)], axis=1)
        tail = np.log1p(-min(max(self.tail, 0.0), 1.0 - 1e-12))
        t = np.clip(np.asarray(t, dtype=float), 0.0, None)
        k = np.minimum(np.floor(t).astype(np.intp), k_n)
        inside = k < k_n
        frac = t - k
        base = cum[rows, k]
        step = np.where(inside, log1m[rows, np.minimum(k, k_n - 1)] if k_n else 0.0, tail)
        beyond = np.where(inside, 0.0, (t - k_n) * tail)
        return base + np.where(inside, frac * step, 0.0) + beyond

    def still_running(self, categories, t_from, t_to) -> np.ndarray:
        """Chance that an allocation running at duration ``t_from`` (months) runs at ``t_to``.

        Arrays broadcast; an unknown category takes the pooled hazard. 1 where
        ``t_to <= t_from``.
        """
        cats = np.asarray(categories, dtype=object).astype(str)
        rows = self.categories.get_indexer(cats.ravel()).reshape(cats.shape)
        rows_b, f_b, t_b = np.broadcast_arrays(rows, np.asarray(t_from, dtype=float),
                                               np.asarray(t_to, dtype=float))
        lf = self._log_survival(rows_b.ravel(), f_b.ravel())
        lt = self._log_survival(rows_b.ravel(), np.maximum(t_b, f_b).ravel())
        return np.exp(lt - lf).reshape(t_b.shape)

    def survival(self, category: str, months: int) -> np.ndarray:
        """``S(0..months)`` of one category (1 at 0): the Kaplan-Meier curve, shrunk."""
        t = np.arange(months + 1, dtype=float)
        return self.still_running(np.full(len(t), category), np.zeros(len(t)), t)


def stop_model(spells: pd.DataFrame, *, prior_weight: float = PRIOR_WEIGHT) -> StopModel:
    """Estimate the monthly stop hazards from ``allocation_spells`` (see the module docstring)."""
    category = spells["product_category"].astype(str)
    cats = pd.Index(sorted(category.unique()))
    if spells.empty:
        return StopModel(cats, np.zeros((0, 0)), np.zeros(0), 0.0, np.zeros((0, 0)),
                         np.zeros((0, 0)))
    entry = np.floor(spells["entry_days"].to_numpy(float) / DAYS_PER_MONTH).astype(np.intp)
    exit_ = np.floor(spells["exit_days"].to_numpy(float) / DAYS_PER_MONTH).astype(np.intp)
    c = cats.get_indexer(category)
    k_n = int(exit_.max()) + 1
    n_c = len(cats)
    flat = lambda idx: np.bincount(c * (k_n + 1) + idx, minlength=n_c * (k_n + 1)  # noqa: E731
                                   ).reshape(n_c, k_n + 1)
    entered = np.cumsum(flat(entry), axis=1)[:, :k_n]
    left_before = np.cumsum(flat(exit_ + 1), axis=1)[:, :k_n]   # exit bin < k
    at_risk = (entered - left_before).astype(float)
    stopped = spells["stopped"].to_numpy(bool)
    d = np.bincount(c[stopped] * k_n + exit_[stopped], minlength=n_c * k_n).reshape(n_c, k_n)
    d = d.astype(float)
    n_all, d_all = at_risk.sum(axis=0), d.sum(axis=0)
    tail = float(d_all.sum() / n_all.sum()) if n_all.sum() > 0 else 0.0
    w = float(prior_weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = np.where(n_all + w > 0, (d_all + w * tail) / (n_all + w), tail)
        level = category_level(at_risk, d, pooled)
        # S_c = S_pool ** level: the discrete hazard of a category that stops ``level``
        # times as often in continuous time (never 1 where the pool is below 1)
        prior = 1.0 - (1.0 - np.clip(pooled, 0.0, 1.0))[None, :] ** level[:, None]
        hazard = np.where(at_risk + w > 0, (d + w * prior) / (at_risk + w), prior)
    return StopModel(cats, hazard, pooled, tail, at_risk, d)


def category_level(at_risk: np.ndarray, stops: np.ndarray, pooled: np.ndarray) -> np.ndarray:
    """Per category: how many times the pooled hazard it stops, over all its months.

    The stops ``D_c`` a category had against those the pooled hazards expect over the same
    allocation-months (``E_c = sum_k n_{c,k} h_k``): ``b = log(D_c / E_c)`` with the
    Poisson variance ``v = 1 / D_c``, counted with the positive-part James-Stein weight
    ``Z = max(0, 1 - v / b^2)`` as ``calc.prognose.inflow`` weighs a break: the level is
    ``exp(Z b)`` (1 without a stop). A short stay (a crisis placement of weeks) ends many
    times as often as the long allocations in every month; its few allocations in a month
    are then shrunk to its own level, not to the pool's.

    >>> n = np.array([[20.0, 9.0], [100.0, 100.0], [50.0, 50.0]])
    >>> d = np.array([[10.0, 8.0], [3.0, 5.0], [0.0, 0.0]])
    >>> category_level(n, d, np.array([0.03, 0.05])).round(2)    # 18 stops against 1,05
    array([16.81,  1.  ,  1.  ])
    """
    expected = (at_risk * pooled[None, :]).sum(axis=1)
    observed = stops.sum(axis=1)
    level = np.ones(len(expected))
    seen = (expected > 0) & (observed > 0)
    b = np.log(observed[seen] / expected[seen])
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.clip(1.0 - (1.0 / observed[seen]) / b ** 2, 0.0, 1.0)
    level[seen] = np.exp(np.nan_to_num(z) * b)
    return level


#: Months of stop messages (307) whose delay after the care's end is measured, and the
#: months before the evaluation day left out (their late messages are not in yet).
STOP_DELAY_WINDOW = (15, 3)


def stop_report_delay(starts_stops: pd.DataFrame | None, as_of_end: pd.Timestamp) -> float:
    """Mean months from a care's end to its stop message (307), over the stops of the months
    ``STOP_DELAY_WINDOW`` before ``as_of_end`` known then; 0 without any.

    A stop comes after the care ended: an allocation without a stop message at the
    evaluation day may have stopped in the last weeks already. With a hazard ``h`` that
    is about ``h x`` this delay of the allocations seen running, so the chance to run on is
    taken from that much earlier (``running_weights``, ``running_at``).

    >>> ss = pd.DataFrame({"kind": ["stop", "stop", "start"], "status": ["1", "1", "1"],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-02-01"]),
    ...     "message_date": pd.to_datetime(["2025-01-11", "2025-02-21", "2025-02-02"])})
    >>> round(stop_report_delay(ss, pd.Timestamp("2025-06-30")) * DAYS_PER_MONTH, 6)
    15.0
    """
    if starts_stops is None or not len(starts_stops):
        return 0.0
    first, last = (as_of_end - pd.DateOffset(months=m) for m in STOP_DELAY_WINDOW)
    date, sent = dates(starts_stops["date"]), dates(starts_stops["message_date"])
    use = ((starts_stops["kind"] == "stop").to_numpy()
           & (starts_stops["status"].astype("string") != "3").to_numpy()
           & (sent <= pd.Timestamp(as_of_end).to_datetime64()) & (date > first.to_datetime64())
           & (date <= last.to_datetime64()))
    if not use.any():
        return 0.0
    days = np.clip((sent - date)[use] / np.timedelta64(1, "D"), 0, None)
    return float(days.mean() / DAYS_PER_MONTH)


def _known_running(start: np.ndarray, as_of_end: pd.Timestamp, unreported: float) -> np.ndarray:
    """Months each allocation (``start``) is known to have run at ``as_of_end``: up to the
    stop messages' delay (``unreported``, ``stop_report_delay``) before it, never below 0."""
    day = np.timedelta64(1, "D")
    return np.clip((np.datetime64(as_of_end) - start) / day / DAYS_PER_MONTH - unreported, 0,
                   None)


def running_weights(model: StopModel, per_allocation: pd.DataFrame, months: pd.DatetimeIndex,
                    as_of_end: pd.Timestamp, unreported: float = 0.0) -> np.ndarray:
    """(allocations, months): chance each allocation still runs in each month after ``as_of``.

    1 in months up to ``as_of`` and for allocations with an estimated (open) end. In a later
    month the duration is taken at the middle of the allocation's days in that month.
    ``unreported`` (months, ``stop_report_delay``): the allocation is known to run only
    that long before ``as_of`` (a stop since may not be reported yet).
    """
    n, m = len(per_allocation), len(months)
    out = np.ones((n, m))
    if n == 0 or m == 0 or len(model.categories) == 0:
        return out
    future = np.asarray(months > as_of_end)
    if not future.any():
        return out
    start = per_allocation["start"].to_numpy(dtype="datetime64[ns]")
    end = per_allocation["end"].to_numpy(dtype="datetime64[ns]")
    m0 = months[future].to_numpy(dtype="datetime64[ns]")
    m1 = (months[future] + pd.offsets.MonthEnd(0)).to_numpy(dtype="datetime64[ns]")
    lo = np.maximum(start[:, None], m0[None, :])
    hi = np.minimum(end[:, None], m1[None, :])
    day = np.timedelta64(1, "D")
    mid = ((lo - start[:, None]) / day + (hi - start[:, None]) / day) / 2 / DAYS_PER_MONTH
    t0 = _known_running(start, as_of_end, unreported)
    cats = per_allocation["product_category"].astype(str).to_numpy()
    p = model.still_running(cats[:, None], t0[:, None], mid)
    fixed = per_allocation["end_estimated"].to_numpy(bool) | np.isnat(start)
    p[fixed] = 1.0
    out[:, future] = np.where(np.isfinite(p), p, 1.0)
    return out


def running_at(model: StopModel, categories, start, as_of_end: pd.Timestamp, when,
               unreported: float = 0.0) -> np.ndarray:
    """Chance an allocation (category, start) running at ``as_of_end`` still runs on ``when``
    (``unreported`` as for ``running_weights``)."""
    start = np.asarray(start, dtype="datetime64[ns]")
    day = np.timedelta64(1, "D")
    t0 = _known_running(start, as_of_end, unreported)
    t1 = (np.asarray(when, dtype="datetime64[ns]") - start) / day / DAYS_PER_MONTH
    if len(model.categories) == 0:
        return np.ones(len(start))
    return model.still_running(np.asarray(categories).astype(str), t0, t1)


def care_episodes(current: pd.DataFrame, seen, as_of_end: pd.Timestamp, *,
                  renewal_days: int = RENEWAL_DAYS, censor_days: int | None = None,
                  stopped=None) -> pd.DataFrame:
    """Spells of care of a client in a product category (renewals merged), for ``stop_model``.

    A new client's care lasts as long as its chain of allocations: the first one, its
    renewals and changes (another allocation of the client in the category starting within
    ``renewal_days`` of the latest end so far), at any provider. The episode ends (the event)
    at the chain's last end date when that lies ``renewal_days`` or more before
    ``as_of_end`` (a later end may still be renewed), or sooner when the allocation that
    ends it was ended by a stop message (``stopped``, per row: its care stopped before its
    planned end; a stop awaits no extension, and a short stay such as a crisis placement
    of weeks would otherwise run on to ``as_of_end``); otherwise, or with an open-ended
    allocation in it, it is censored at ``as_of_end``. Its entry is the months it had run
    when it was first seen (``seen``: the first ``valid_from`` of each row), so the stock
    that started before the data counts only from then.

    ``stop_model(care_episodes(...))`` then gives ``S(u)``: the chance a new client is still
    in care ``u`` months after the start, whatever the allocations' planned lengths (a
    three-month crisis placement and a three-year open-ended allocation alike).

    >>> cur = pd.DataFrame({"client": ["a", "a", "b"], "product_category": ["45"] * 3,
    ...     "start_date": pd.to_datetime(["2024-01-01", "2024-07-01", "2024-01-01"]),
    ...     "end_date": pd.to_datetime(["2024-06-30", "2024-12-31", "2024-03-31"])})
    >>> ep = care_episodes(cur, cur["start_date"], pd.Timestamp("2025-06-30"))
    >>> ep[["exit_days", "stopped"]].values.tolist()
    [[365.0, True], [90.0, True]]
    """
    cols = ["product_category", "entry_days", "exit_days", "stopped"]
    if current.empty:
        return pd.DataFrame(columns=cols)
    day = np.timedelta64(1, "D")
    start = dates(current["start_date"]).astype("datetime64[ns]", copy=False)
    end = dates(current["end_date"]).astype("datetime64[ns]", copy=False)
    seen = dates(np.asarray(seen)).astype("datetime64[ns]", copy=False)
    ok = ~np.isnat(start) & (np.isnat(end) | (end >= start))
    cats = current["product_category"].astype(str).to_numpy()
    codes, _ = factorize_rows([current["client"].to_numpy(), cats], rows=False)
    idx = np.flatnonzero(ok)
    idx = idx[np.lexsort((start[idx], codes[idx]))]
    t0 = np.datetime64("1970-01-01")
    s_d = (start[idx] - t0) / day
    e_d = np.where(np.isnat(end[idx]), np.inf, (end[idx] - t0) / day)
    g = codes[idx]
    # the latest end so far within the client's category (a running maximum per group)
    reach = running_max(e_d, g)
    prev_reach = np.r_[-np.inf, reach[:-1]]
    new = np.r_[True, g[1:] != g[:-1]] | (s_d > prev_reach + renewal_days)
    episode = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    if not len(first):
        return pd.DataFrame({"product_category": cats[:0], "entry_days": np.zeros(0),
                             "exit_days": np.zeros(0), "stopped": np.zeros(0, dtype=bool)})
    last_end = np.maximum.reduceat(e_d, first)         # episodes are runs of rows
    ep_start = s_d[first]
    limit = (np.datetime64(as_of_end) - t0) / day
    wait = renewal_days if censor_days is None else censor_days
    ended = np.isfinite(last_end) & (last_end <= limit - wait)
    if stopped is not None:     # care ended by a stop message: no renewal to wait for
        at_end = e_d == last_end[episode]
        by_stop = np.logical_or.reduceat(np.asarray(stopped, dtype=bool)[idx] & at_end, first)
        ended |= by_stop & np.isfinite(last_end) & (last_end <= limit)
    exit_days = np.where(ended, last_end, limit) - ep_start
    seen_d = (seen[idx][first] - t0) / day
    entry_days = np.clip(np.nan_to_num(seen_d - ep_start), 0, None)
    out = pd.DataFrame({"product_category": cats[idx][first], "entry_days": entry_days,
                        "exit_days": exit_days, "stopped": ended})
    keep = exit_days >= entry_days
    return out if keep.all() else out[keep].reset_index(drop=True)
