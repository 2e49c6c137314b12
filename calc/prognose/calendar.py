"""Claim calendars: providers that claim only in fixed calendar months, learned from history.

Some providers claim a quarter at once (March, June, September, December) or most of the year
in a December catch-up. A delay triangle (lag = claim month - service month) cannot see that
coming: its development factors mix origins that are claimed at lag 0 with origins that wait
eleven months, and inflate what was claimed. Per provider the calendar is learned from its
claims of the last ``CALENDAR_HISTORY`` claim months known: when at most
``MAX_CALENDAR_MONTHS`` calendar months carry ``CALENDAR_SHARE`` of its debit euro, those are
its claim months. A service month is then **due** in the first claim month on or after it.

For such a provider the forecast does not develop a service month by the triangle: a month
whose claim month has passed is complete up to the share the provider claims in that first
claim month (``first_share``, learned from older months); a month not yet due counts as not
reported (the forecast expects it from the commitments, Bornhuetter-Ferguson).

**Batches beside monthly claims** (``batch_providers``, ``seasonal_reported``): a provider
that claims a quarter of its care every month and the rest in a November batch has no
calendar of six months, yet the triangle cannot see its batch coming either (its development
factors average the one origin that reaches November at each lag with eleven that do not:
in September it expects January at a third of its final amount). For a provider with one
claim calendar month carrying ``BATCH_MONTH_SHARE`` of its euro, or with a calendar, the share
of a service month known ``k`` months after it is learned from the same calendar month of the
``SEASONAL_YEARS`` years before, ``k`` months after them: the controller's "by now last year
we had this much of January".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calc.prognose.arrays import descending

#: Claim months of history (up to the evaluation month) a calendar is learned from.
CALENDAR_HISTORY = 24
#: A provider needs claims spread over at least this many months of history.
MIN_HISTORY_MONTHS = 12
#: The share of a provider's debit euro its calendar months carry at least.
CALENDAR_SHARE = 0.9
#: A calendar has at most this many months (a monthly claimer needs about eleven).
MAX_CALENDAR_MONTHS = 6


def claim_calendars(lines: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, tuple[int, ...]]:
    """Per provider that claims by a calendar: its claim months (1..12), ascending.

    ``lines``: claim lines (``provider``, ``service_month``, ``claim_month``, ``amount_euro``,
    ``debit_credit``)
    known at ``as_of``. Providers that claim (more or less) every month are left out.

    >>> months = pd.date_range("2023-01-01", "2024-12-01", freq="MS")
    >>> lines = pd.DataFrame({"provider": ["Q"] * 24 + ["M"] * 24,
    ...     "claim_month": list(months) * 2, "service_month": list(months) * 2,
    ...     "debit_credit": "D",
    ...     "amount_euro": [100.0 if m.month % 3 == 0 else 1.0 for m in months] + [50.0] * 24})
    >>> claim_calendars(lines, pd.Timestamp("2024-12-01"))
    {'Q': (3, 6, 9, 12)}

    A December catch-up seen once (all of 2023 claimed in December 2023) is a calendar too:

    >>> once = pd.DataFrame({"provider": "D", "claim_month": pd.Timestamp("2023-12-01"),
    ...     "service_month": months[:12], "debit_credit": "D", "amount_euro": 10.0})
    >>> claim_calendars(once, pd.Timestamp("2024-02-01"))
    {'D': (12,)}
    """
    return _calendars(_month_shares(lines, as_of))


def calendars_and_batches(lines: pd.DataFrame, as_of: pd.Timestamp
                          ) -> tuple[dict[str, tuple[int, ...]], list[str]]:
    """``claim_calendars`` and ``batch_providers`` from one pass over the lines."""
    shares = _month_shares(lines, as_of)
    return _calendars(shares), _batches(shares)


def _calendars(shares: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, tuple[int, ...]]:
    out: dict[str, tuple[int, ...]] = {}
    for provider, (months, euro) in shares.items():
        order = descending(euro)
        share = euro[order]
        share = share / share.sum()
        n = int(np.searchsorted(share.cumsum(), CALENDAR_SHARE) + 1)
        if n <= MAX_CALENDAR_MONTHS:
            out[provider] = tuple(sorted(int(m) for m in months[order][:n]))
    return out


def _month_shares(lines: pd.DataFrame, as_of: pd.Timestamp
                  ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per provider watched ``MIN_HISTORY_MONTHS`` or more: its debit euro of the last
    ``CALENDAR_HISTORY`` claim months per calendar claim month (1..12, ascending), as the
    months and their euro (two arrays).

    Months watched count from the first service month it claimed (a December catch-up that
    covers a whole year shows in one claim month, but a year was watched). One groupby over
    the lines for all providers.
    """
    month = pd.to_datetime(lines["claim_month"])
    first = as_of - pd.DateOffset(months=CALENDAR_HISTORY - 1)
    keep = (month >= first) & (month <= as_of) & (lines["debit_credit"] != "C") & (
        lines["amount_euro"] > 0)
    d = pd.DataFrame({"provider": lines.loc[keep, "provider"].astype(str),
                      "month": month[keep].dt.month, "euro": lines.loc[keep, "amount_euro"],
                      "service": pd.to_datetime(lines.loc[keep, "service_month"])})
    if d.empty:
        return {}
    euro = d.groupby(["provider", "month"])["euro"].sum()
    since = d.groupby("provider")["service"].min()
    # the sums are sorted by provider: each provider's months are one run of rows
    providers = euro.index.get_level_values("provider").to_numpy()
    starts = np.r_[0, np.flatnonzero(providers[1:] != providers[:-1]) + 1]
    runs = dict(zip(providers[starts], zip(starts, np.r_[starts[1:], len(providers)])))
    months = euro.index.get_level_values("month").to_numpy()
    values = euro.to_numpy()
    out = {}
    for provider, start in since.items():
        span = (as_of.to_period("M") - start.to_period("M")).n + 1
        if span >= MIN_HISTORY_MONTHS:
            lo, hi = runs[provider]
            out[str(provider)] = (months[lo:hi], values[lo:hi])
    return out


#: A provider claims in batches when one calendar month carries at least this share of its
#: debit euro of the history (an even spread gives each month 1/12, a quarter batch 1/4).
BATCH_MONTH_SHARE = 0.2
#: Earlier years whose same service month tells how much of a month is in by a given lag.
SEASONAL_YEARS = 2


def batch_providers(lines: pd.DataFrame, as_of: pd.Timestamp) -> list[str]:
    """Providers with a claim calendar month that carries ``BATCH_MONTH_SHARE`` of their
    debit euro of the last ``CALENDAR_HISTORY`` claim months (``MIN_HISTORY_MONTHS`` watched).

    >>> months = pd.date_range("2023-01-01", "2024-12-01", freq="MS")
    >>> lines = pd.DataFrame({"provider": ["B"] * 24 + ["M"] * 24,
    ...     "claim_month": [m if m.month != 11 else m for m in months] * 2,
    ...     "service_month": list(months) * 2, "debit_credit": "D",
    ...     "amount_euro": [300.0 if m.month == 11 else 10.0 for m in months] + [50.0] * 24})
    >>> batch_providers(lines, pd.Timestamp("2024-12-01"))
    ['B']
    """
    return _batches(_month_shares(lines, as_of))


def _batches(shares: dict[str, tuple[np.ndarray, np.ndarray]]) -> list[str]:
    return [provider for provider, (_, euro) in shares.items()
            if euro.max() >= BATCH_MONTH_SHARE * euro.sum()]


#: Month 0 of ``seasonal_reported``'s month numbers (January of year 0).
_MONTH_ZERO = np.datetime64("0000-01", "M")


def seasonal_reported(lines: pd.DataFrame, service_months, as_of: pd.Timestamp,
                      years: int = SEASONAL_YEARS) -> np.ndarray:
    """Per service month: the share of its final amount claimed by ``as_of``, learned from the
    same calendar month of up to ``years`` earlier years (net euro claimed by the same lag over
    net euro claimed by ``as_of``); NaN where those months hold nothing.

    ``lines``: one provider's claim lines. A November batch with a quarter claimed monthly:

    >>> rows = []
    >>> for m in pd.date_range("2023-01-01", "2025-05-01", freq="MS"):
    ...     rows.append((m, m, 25.0))
    ...     batch = pd.Timestamp(year=m.year, month=11, day=1)
    ...     rows.append((m, batch if m.month <= 11 else batch + pd.DateOffset(months=12), 75.0))
    >>> lines = pd.DataFrame(rows, columns=["service_month", "claim_month", "amount_euro"])
    >>> lines = lines[lines["claim_month"] <= pd.Timestamp("2025-06-01")]
    >>> seasonal_reported(lines, pd.to_datetime(["2025-01-01", "2025-06-01"]),
    ...                   pd.Timestamp("2025-06-01")).round(2).tolist()
    [0.25, 0.25]
    """
    return reported_shares(month_numbers(lines["service_month"]),
                           month_numbers(lines["claim_month"]),
                           lines["amount_euro"].to_numpy(dtype=float),
                           month_numbers(service_months), int(month_numbers([as_of])[0]), years)


def month_numbers(values) -> np.ndarray:
    """Months as ``year * 12 + month - 1`` (float; NaT: NaN)."""
    d = np.asarray(pd.to_datetime(np.asarray(values)), dtype="datetime64[M]")
    return np.where(np.isnat(d), np.nan, (d - _MONTH_ZERO).astype(float))


def reported_shares(service: np.ndarray, claim: np.ndarray, amount: np.ndarray,
                    targets: np.ndarray, a: int, years: int = SEASONAL_YEARS) -> np.ndarray:
    """``seasonal_reported`` on month numbers (``month_numbers``) of one provider's lines:
    a caller with many providers converts the months once."""
    out = np.full(len(targets), np.nan)
    for i, t in enumerate(targets):
        lag = a - t
        num = den = 0.0
        for j in range(1, years + 1):
            sel = service == t - 12 * j
            if sel.any():
                num += amount[sel & (claim <= t - 12 * j + lag)].sum()
                den += amount[sel & (claim <= a)].sum()
        if den > 0:
            out[i] = min(max(num / den, 0.0), 1.0)
    return out


def due_months(service_month: pd.Series, calendar: tuple[int, ...]) -> pd.Series:
    """The first claim month of ``calendar`` on or after each service month.

    >>> due_months(pd.Series(pd.to_datetime(["2025-01-01", "2025-03-01", "2025-11-01"])),
    ...            (3, 6, 9, 12)).dt.strftime("%Y-%m").tolist()
    ['2025-03', '2025-03', '2025-12']
    >>> due_months(pd.Series(pd.to_datetime(["2025-12-01"])), (6,)).dt.strftime("%Y-%m").tolist()
    ['2026-06']
    """
    s = pd.to_datetime(service_month)
    m = s.dt.month.to_numpy()
    ahead = np.full(len(s), 12)
    for c in calendar:
        ahead = np.minimum(ahead, (c - m) % 12)
    days = s.to_numpy(dtype="datetime64[ns]")
    first = days.astype("datetime64[M]")
    if (days == first).all():           # first days of months (and no NaT): month arithmetic
        due = (first + ahead.astype("timedelta64[M]")).astype("datetime64[ns]")
        return pd.Series(due, index=s.index, dtype="datetime64[ns]")
    return pd.Series([t + pd.DateOffset(months=int(k)) for t, k in zip(s, ahead)],
                     index=s.index, dtype="datetime64[ns]")


def first_shares(lines: pd.DataFrame, calendars: dict[str, tuple[int, ...]],
                 as_of: pd.Timestamp) -> dict[str, float]:
    """Per calendar provider: the share of a service month's claims that come in its due month.

    Learned from service months due at least a year before ``as_of`` (complete by now);
    1.0 without such months.
    """
    out = {}
    if not calendars:
        return out
    known = (pd.to_datetime(lines["claim_month"]) <= as_of).to_numpy()
    providers = lines["provider"].astype(str).to_numpy()
    for provider, calendar in calendars.items():
        mine = lines[(providers == provider) & known]
        if mine.empty:
            out[provider] = 1.0
            continue
        due = due_months(mine["service_month"], calendar)
        old = due <= as_of - pd.DateOffset(months=12)
        total = mine.loc[old, "amount_euro"].sum()
        in_due = mine.loc[old & (pd.to_datetime(mine["claim_month"]) <= due), "amount_euro"].sum()
        out[provider] = float(np.clip(in_due / total, 0.5, 1.0)) if total > 0 else 1.0
    return out
