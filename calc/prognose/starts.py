"""Waiting lists: care that starts months after the allocation, or never.

An allocation (301) commits from its start date, but with a waiting list the care (and so
the claims) starts later, and some allocations are never used. Counting every committed month
at the usual utilisation then forecasts care that is not (yet) there for the allocations that
wait, and too little for those that run. The start message (305, ``Begindatum``) tells which
allocations have started and when.

**Care start** of an allocation: the first start message (not deleted, status 3) known at the
evaluation month (``message_date`` up to its end). Providers that sent no start message at all
in the last ``START_HISTORY_MONTHS`` months (but claimed) do not use 305; their allocations
are taken as started (no waiting-list model for them).

**Start model**: the months from allocation start to care start, a Kaplan-Meier "not yet
started" curve ``W(t)`` per product category, shrunk to all categories together
(``survival.stop_model`` on these spells, prior weight ``START_PRIOR_WEIGHT``): the event is
the care start, an allocation not started by the evaluation month is censored there. A
waiting list belongs to a product (a residential place, a specialist), not to every
allocation: pooled, the few that wait months drown among the many that start at once. Beyond the months observed the hazard is that of the
allocations still waiting after ``LATE_MONTHS`` months (not the first month's, when most
start), so a long wait is not forecast to end soon. Allocations that are never used keep
``W`` above 0 (its plateau). For an allocation of age ``t_a`` not started at the evaluation
month, the chance care runs by month ``m`` is ``1 - W(t_m) / W(t_a)``.

**Utilisation on care months**: the forecast's utilisation is learned on the committed months
in which care ran (from the care start on), so a month of an allocation that waits weighs
in only with its chance of having started (``care_share``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from calc.prognose.arrays import dates, running_max
from calc.prognose.calendar import month_numbers
from calc.prognose.commitments import ALLOCATION_KEY, DAYS_PER_MONTH, factorize_rows
from calc.prognose.survival import RENEWAL_DAYS, StopModel, stop_model

#: Months of start messages a provider needs to have sent to count as using 305.
START_HISTORY_MONTHS = 12
#: Waits of at least this many months set the start hazard beyond the months observed.
LATE_MONTHS = 2
#: Prior weight (allocation-months) of a category's start curve shrinkage to all categories.
START_PRIOR_WEIGHT = 10.0


def care_starts(allocations: pd.DataFrame, starts_stops: pd.DataFrame | None,
                as_of_end: pd.Timestamp, claim_lines: pd.DataFrame | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per allocation row: care start and care stop (NaT when none known), and whether 305
    is used.

    ``allocations``: current versions (one row per allocation). ``starts_stops``: the 305/307
    table (``calc.records.STARTS_STOPS``); only messages dated up to ``as_of_end`` count.
    Care that is claimed has started, start message or not: with ``claim_lines`` (claim
    months up to ``as_of_end``) an allocation without a known 305 but with a claimed (debit)
    service month starts at the first of them (or its start date, if later): also one whose
    305 lies before the messages kept.
    The second array is False where the provider sent no start message in the last
    ``START_HISTORY_MONTHS`` months (or no table was given): no waiting-list model there.

    >>> al = pd.DataFrame({"provider": ["A", "A", "B"], "client": ["x", "y", "z"],
    ...     "allocation_number": ["1", "2", "3"],
    ...     "start_date": pd.to_datetime(["2025-01-20", "2025-02-01", "2025-02-01"])})
    >>> ss = pd.DataFrame({"provider": ["A"], "client": ["x"], "allocation_number": ["1"],
    ...     "kind": ["start"], "status": ["1"], "date": [pd.Timestamp("2025-02-03")],
    ...     "message_date": [pd.Timestamp("2025-02-10")]})
    >>> start, stop, used = care_starts(al, ss, pd.Timestamp("2025-03-31"))
    >>> [str(d)[:10] for d in start], used.tolist()
    (['2025-02-03', 'NaT', 'NaT'], [True, True, False])
    """
    n = len(allocations)
    none = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if starts_stops is None or not len(starts_stops) or not n:
        return none, none.copy(), np.zeros(n, dtype=bool)
    sent = dates(starts_stops["message_date"])
    keep = (sent <= np.datetime64(as_of_end)) & (
        starts_stops["status"].astype("string").to_numpy() != "3")
    known = starts_stops.loc[keep, [*ALLOCATION_KEY, "kind", "date"]]
    kind, day = known["kind"].to_numpy(dtype=object), _ns(known["date"])
    mine, theirs = _joint_codes(allocations, known)         # one keying for 305 and 307

    def first(of_kind: str) -> np.ndarray:
        part = kind == of_kind
        if not part.any():
            return none.copy()
        return _extreme_day(mine, theirs[part], day[part])

    is_start = kind == "start"
    recent = sent[keep][is_start] > (as_of_end - pd.DateOffset(
        months=START_HISTORY_MONTHS)).to_datetime64()
    users = known["provider"].to_numpy(dtype=object)[is_start][recent]
    used = allocations["provider"].isin(pd.unique(users)).to_numpy()
    start = first("start").copy()
    begin = _ns(allocations["start_date"])
    if claim_lines is not None and len(claim_lines):
        debit = ((dates(claim_lines["claim_month"]) <= np.datetime64(as_of_end))
                 & (claim_lines["amount_euro"].to_numpy() > 0))
        claimed = _extreme_day(*_joint_codes(allocations, claim_lines, debit),
                               _ns(claim_lines["service_month"])[debit])
        fill = np.isnat(start) & ~np.isnat(claimed)
        start[fill] = np.where(np.isnat(begin[fill]), claimed[fill],
                               np.maximum(claimed[fill], begin[fill]))
    return start, first("stop"), used


#: Months of claims a provider needs before its longest claim lag counts (a year: claim
#: habits such as a December batch repeat yearly).
CLAIM_HABIT_MONTHS = 12


def claims_stopped(allocations: pd.DataFrame, claim_lines: pd.DataFrame | None,
                   as_of_end: pd.Timestamp) -> np.ndarray:
    """Per allocation row: the day its care stopped by the claims' evidence, NaT where none.

    An allocation whose last claimed (debit) service month lies further back than its
    provider's longest claim lag (claim month minus service month, over all its lines
    known at ``as_of_end``; only once its claims go back ``CLAIM_HABIT_MONTHS``, before
    that it has not shown its habits) will get no claim for the months after it: its care stopped at
    the end of that month, stop message or not (an export of allocations has none, and an
    open-ended one runs on paper for ever). An allocation never claimed gets NaT (it may
    wait, or be claimed once at the end).

    >>> al = pd.DataFrame({"provider": ["A", "A", "B"], "client": ["x", "y", "z"],
    ...                    "allocation_number": ["1", "2", "3"]})
    >>> lines = pd.DataFrame({"provider": ["A", "A", "A", "B"], "client": ["x", "x", "y", "z"],
    ...     "allocation_number": ["1", "1", "2", "3"], "amount_euro": [10.0, 10.0, 10.0, 5.0],
    ...     "service_month": pd.to_datetime(["2024-01-01", "2024-11-01", "2025-02-01",
    ...                                      "2024-06-01"]),
    ...     "claim_month": pd.to_datetime(["2024-02-01", "2025-01-01", "2025-03-01",
    ...                                    "2025-03-01"])})
    >>> [str(d)[:10] for d in claims_stopped(al, lines, pd.Timestamp("2025-03-31"))]
    ['2024-11-30', 'NaT', 'NaT']

    (x: last claimed for November, A takes at most two months; B's claims begin in June.)
    """
    n = len(allocations)
    none = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if claim_lines is None or not len(claim_lines) or not n:
        return none
    month = month_numbers([as_of_end])[0]
    claim = month_numbers(dates(claim_lines["claim_month"]))
    known = claim <= month
    service = month_numbers(dates(claim_lines["service_month"]))[known]
    lag = claim[known] - service
    # per provider (a missing one is none): the longest lag, and how far back its claims go
    provider, providers = pd.factorize(claim_lines["provider"].to_numpy(dtype=object)[known])
    has = provider >= 0
    longest = np.full(len(providers), np.nan)
    oldest = np.full(len(providers), np.nan)
    np.fmax.at(longest, provider[has], lag[has])           # NaN (no month) is skipped
    np.fmin.at(oldest, provider[has], service[has])
    # a claim habit repeats over the year (a December batch): a provider whose claims do not
    # go back a year yet has not shown its longest lag (the first months show short ones only)
    longest[~(oldest <= month - CLAIM_HABIT_MONTHS)] = np.nan
    debit = known & (claim_lines["amount_euro"].to_numpy() > 0)
    mine, theirs = _joint_codes(allocations, claim_lines, debit)
    last = _extreme_day(mine, theirs, _ns(claim_lines["service_month"])[debit], latest=True)
    row = pd.Index(providers).get_indexer(allocations["provider"].to_numpy(dtype=object))
    due = np.append(longest, np.nan)[row]                  # an unknown provider (-1): NaN
    behind = month - month_numbers(last)
    gone = ~np.isnat(last) & np.isfinite(due) & (behind > due)
    out = none.copy()
    out[gone] = (pd.Series(last[gone]) + pd.offsets.MonthEnd(0)).to_numpy(dtype="datetime64[ns]")
    return out


def first_per_allocation(allocations: pd.DataFrame, rows: pd.DataFrame, day, *,
                         latest: bool = False) -> np.ndarray:
    """Per allocation (row of ``allocations``): the earliest ``day`` of the ``rows`` with its
    key (``ALLOCATION_KEY``), the latest with ``latest``; NaT where none. Rows with a
    missing key or day are skipped.

    One factorize per key column of both tables together (no index of tuples), so a year of
    claim lines costs one pass.

    >>> al = pd.DataFrame({"provider": ["A", "A"], "client": ["x", "y"],
    ...                    "allocation_number": ["1", "2"]})
    >>> rows = pd.DataFrame({"provider": ["A", "A", "B"], "client": ["x", "x", "y"],
    ...                      "allocation_number": ["1", "1", "2"]})
    >>> day = pd.to_datetime(["2025-03-01", "2025-02-01", "2025-01-01"])
    >>> [str(d)[:10] for d in first_per_allocation(al, rows, day)]
    ['2025-02-01', 'NaT']
    """
    mine, theirs = _joint_codes(allocations, rows)
    return _extreme_day(mine, theirs, _ns(np.asarray(day)), latest=latest)


def _ns(values) -> np.ndarray:
    """Dates as datetime64[ns] (the unit of the days given back)."""
    return dates(values).astype("datetime64[ns]", copy=False)


def _joint_codes(allocations: pd.DataFrame, rows: pd.DataFrame, where: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """One code per allocation row and per row of ``rows`` (those ``where`` says) for its key
    (``ALLOCATION_KEY``): equal keys, equal codes; -1 where a key value is missing. One
    factorize per key column of both tables together (no index of tuples)."""
    n = len(allocations)
    m = len(rows) if where is None else int(np.count_nonzero(where))
    combined = np.zeros(n + m, dtype=np.int64)
    ok = np.ones(n + m, dtype=bool)
    for k in ALLOCATION_KEY:        # a row's code: its key's values combined
        theirs = rows[k].to_numpy(dtype=object)
        codes, values = pd.factorize(np.concatenate([allocations[k].to_numpy(dtype=object),
                                                     theirs if where is None else theirs[where]]))
        ok &= codes >= 0
        combined = combined * (len(values) + 1) + codes + 1
    combined[~ok] = -1
    return combined[:n], combined[n:]


def _extreme_day(mine: np.ndarray, theirs: np.ndarray, day: np.ndarray, *,
                 latest: bool = False) -> np.ndarray:
    """Per allocation code ``mine``: the earliest (``latest``: latest) ``day`` of the rows
    with that code ``theirs`` (datetime64[ns]); NaT where none, and where ``mine`` is -1."""
    out = np.full(len(mine), np.datetime64("NaT"), dtype="datetime64[ns]")
    use = (theirs >= 0) & ~np.isnat(day)
    if not use.any():
        return out
    code, value = theirs[use], day[use]
    order = np.lexsort((value, code))           # by code, each code's days ascending
    code, value = code[order], value[order]
    bound = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    pick = np.r_[bound[1:] - 1, len(code) - 1] if latest else bound
    keys = code[bound]
    at = np.minimum(np.searchsorted(keys, mine), len(keys) - 1)
    found = (mine >= 0) & (keys[at] == mine)
    out[found] = value[pick][at[found]]
    return out


def start_model(allocations: pd.DataFrame, care_start: np.ndarray, used: np.ndarray,
                as_of_end: pd.Timestamp) -> StopModel | None:
    """The "not yet started" curve per product category (``None`` without 305 users).

    ``StopModel.still_running(category, t_a, t)`` is then ``W(t) / W(t_a)``: the chance an
    allocation not started at age ``t_a`` months has still not started at age ``t``.
    Allocations starting after ``as_of_end`` are left out (nothing is known of them yet), and
    so are the continuations of care that runs (``opens_episode`` False: a renewal or a
    change starts at once): a waiting list is the wait of a client whose care has to begin,
    and the renewals (about half the allocations) diluted it, so new clients were counted
    in care months before they started.
    """
    start = _ns(allocations["start_date"])
    limit = np.datetime64(as_of_end)
    keep = used & ~np.isnat(start) & (start <= limit) & opens_episode(allocations)
    if not keep.any():
        return None
    day = np.timedelta64(1, "D")
    begun = ~np.isnat(care_start) & (care_start <= limit)
    wait = np.where(begun, (care_start - start) / day, (limit - start) / day)
    spells = pd.DataFrame({"product_category": allocations["product_category"].astype(str)
                           .to_numpy()[keep], "entry_days": 0.0,
                           "exit_days": np.clip(wait[keep], 0, None), "stopped": begun[keep]})
    pooled = stop_model(spells.assign(product_category="alle"), prior_weight=0.0)
    own = stop_model(spells, prior_weight=0.0)          # the same months as the pool
    w = START_PRIOR_WEIGHT
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = (own.stops + w * pooled.hazard) / (own.at_risk + w)
    model = replace(own, hazard=hazard, pooled=pooled.hazard[0], tail=pooled.tail)
    # beyond the months observed: the hazard of those still waiting after LATE_MONTHS (most
    # start in their first month; the rest wait longer or never start)
    late = pooled.at_risk[:, LATE_MONTHS:].sum()
    tail = float(pooled.stops[:, LATE_MONTHS:].sum() / late) if late > 0 else 0.0
    return replace(model, tail=tail)


def opens_episode(allocations: pd.DataFrame, renewal_days: int = RENEWAL_DAYS) -> np.ndarray:
    """Per row: True where the allocation begins a client's care in its product category, False
    where it continues care (an earlier allocation of the client in the category reaches to
    within ``renewal_days`` before its start: a renewal or a change).

    >>> al = pd.DataFrame({"client": ["a", "a", "a", "b"], "product_category": ["45"] * 4,
    ...     "start_date": pd.to_datetime(["2024-01-01", "2025-01-01", "2025-09-01",
    ...                                   "2025-01-01"]),
    ...     "end_date": pd.to_datetime(["2024-12-31", "2025-03-31", None, None])})
    >>> opens_episode(al).tolist()
    [True, False, True, True]
    """
    n = len(allocations)
    if n == 0:
        return np.zeros(0, dtype=bool)
    day = np.timedelta64(1, "D")
    t0 = np.datetime64("1970-01-01")
    start, end = _ns(allocations["start_date"]), _ns(allocations["end_date"])
    s_d = np.where(np.isnat(start), np.nan, (start - t0) / day)
    e_d = np.where(np.isnat(end), np.inf, (end - t0) / day)
    codes, _ = factorize_rows([allocations["client"].to_numpy(),
                               allocations["product_category"].astype(str).to_numpy()],
                              rows=False)
    order = np.lexsort((s_d, codes))
    g = codes[order]
    reach = running_max(e_d[order], g)
    before = np.r_[-np.inf, reach[:-1]]
    first = np.r_[True, g[1:] != g[:-1]]
    opens = first | ~(s_d[order] <= before + renewal_days)
    out = np.empty(n, dtype=bool)
    out[order] = opens
    return out


def care_share(model: StopModel | None, allocations: pd.DataFrame, care_start: np.ndarray,
               used: np.ndarray, months: pd.DatetimeIndex, as_of_end: pd.Timestamp
               ) -> np.ndarray:
    """(allocations, months): the share of each month's commitment in which care runs.

    Started allocations: the part of the month from the care start on (1 after it, 0 before).
    Not started at ``as_of_end``: 0 up to the evaluation month; after it the chance care has
    started by the middle of the month, ``1 - W(t_m) / W(t_a)``. Providers without 305
    (``used`` False) and no model: 1.
    """
    n, m = len(allocations), len(months)
    out = np.ones((n, m))
    day = np.timedelta64(1, "D")
    if model is None or n == 0 or m == 0:
        return out
    m0 = months.to_numpy(dtype="datetime64[ns]")
    m1 = (months + pd.offsets.MonthEnd(0)).to_numpy(dtype="datetime64[ns]")
    limit = np.datetime64(as_of_end)
    begun = used & ~np.isnat(care_start) & (care_start <= limit)
    start = pd.to_datetime(allocations["start_date"]).to_numpy(dtype="datetime64[ns]")
    end = pd.to_datetime(allocations["end_date"]).to_numpy(dtype="datetime64[ns]")
    # started: the valid days of the month from the care start on, over all its valid days
    lo = np.maximum(np.where(np.isnat(start), m0[0], start)[:, None], m0[None, :])
    hi = np.minimum(np.where(np.isnat(end), m1[-1], end)[:, None], m1[None, :])
    valid = (hi - lo) / day + 1
    cs = np.where(begun, care_start, m0[0])
    cared = (hi - np.maximum(lo, cs[:, None])) / day + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(valid > 0, np.clip(cared, 0, None) / valid, 1.0)
    out = np.where(begun[:, None], np.clip(part, 0.0, 1.0), out)
    waiting = used & ~begun
    if waiting.any():
        s = start[waiting]
        cats = allocations["product_category"].astype(str).to_numpy()[waiting]
        t_a = np.clip((limit - s) / day / DAYS_PER_MONTH, 0, None)
        mid = m0 + (m1 - m0) / 2
        t_m = np.clip((mid[None, :] - s[:, None]) / day / DAYS_PER_MONTH, 0, None)
        not_yet = model.still_running(cats[:, None], t_a[:, None], t_m)
        p = np.where(np.isfinite(not_yet), 1.0 - not_yet, 0.0)
        p = np.where((m0 <= limit)[None, :], 0.0, p)
        out[waiting] = p
    return out


def started_share(model: StopModel | None, categories, months: np.ndarray) -> np.ndarray:
    """(categories, len(months)): chance a new allocation's care has started ``months`` in.

    ``1 - W(t)``; 1 without a model (no waiting list known).
    """
    cats = np.asarray(categories, dtype=object).astype(str)
    t = np.asarray(months, dtype=float)
    if model is None or len(model.categories) == 0:
        return np.ones((len(cats), len(t)))
    return 1.0 - model.still_running(cats[:, None], np.zeros((1, 1)), t[None, :])
