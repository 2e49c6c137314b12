"""The provider view, referrers and trajectory costs.

* ``provider_view``: per provider committed, claimed, expected late claims, forecast,
  utilisation, median claim lag, share of late claims, share rejected, and a flag for
  *structurally late* providers (median lag of at least ``LATE_MEDIAN_MONTHS`` months, or more
  than ``LATE_SHARE`` of the amount claimed ``LATE_LAG`` months or more after the service month).
* ``provider_export``: the tables for the conversation with one provider.
* ``referrers``: inflow (requests) and spending per referrer type (gemeente, huisarts,
  jeugdarts, GI, ...), linking claims to the latest request of the same client, provider and
  product category.
* ``trajectory_costs``: per product the typical cost of one trajectory: the allocation's
  tariff x volume x duration (expected duration for open-ended ones), median and 80th
  percentile, next to what was really claimed per closed allocation.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from calc.prognose.commitments import DAYS_PER_MONTH, commitments, factorize_rows
from calc.prognose.yearend import YearEndForecast
from calc.names import NO_REQUEST, referrer_name
from calc.records import ALLOCATIONS, CLAIM_LINES, REQUESTS, require_columns

LATE_MEDIAN_MONTHS = 2
LATE_LAG = 3
LATE_SHARE = 0.25



def _month_index(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy().astype("datetime64[M]").astype(np.int64)


def _lag_months(lines: pd.DataFrame) -> np.ndarray:
    """Claim month minus service month, in whole months."""
    return _month_index(lines["claim_month"]) - _month_index(lines["service_month"])


def _match(left: list, right: list) -> tuple[np.ndarray, np.ndarray]:
    """Common codes for the rows of two tables' key columns (same order of columns)."""
    n = len(left[0])
    codes, _ = factorize_rows([np.concatenate([np.asarray(a, dtype=object),
                                               np.asarray(b, dtype=object)])
                               for a, b in zip(left, right)], rows=False)
    return codes[:n], codes[n:]


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """Median of ``values`` weighted by ``weights`` (>= 0).

    >>> _weighted_median(np.array([0, 1, 5]), np.array([1.0, 1.0, 3.0]))
    5.0
    """
    ok = weights > 0
    if not ok.any():
        return float("nan")
    v, w = values[ok], weights[ok]
    order = np.argsort(v, kind="stable")
    cum = np.cumsum(w[order])
    return float(v[order][np.searchsorted(cum, cum[-1] / 2)])


def claim_habits(claim_lines: pd.DataFrame, *, as_of=None, months: int = 12) -> pd.DataFrame:
    """Per provider: median claim lag (amount-weighted, months) and share claimed late.

    Debit lines claimed in the ``months`` claim months up to ``as_of``.
    """
    require_columns(claim_lines, CLAIM_LINES, argument="claim_lines")
    claim = pd.to_datetime(claim_lines["claim_month"])
    end = pd.Timestamp(as_of).to_period("M").to_timestamp() if as_of is not None else claim.max()
    start = end - pd.DateOffset(months=months - 1)
    keep = (claim >= start) & (claim <= end) & (claim_lines["debit_credit"] != "C")
    lines = claim_lines.loc[keep, ["provider", "service_month", "claim_month", "amount_euro"]]
    lag = _lag_months(lines)
    amount = pd.to_numeric(lines["amount_euro"]).to_numpy(float)
    frame = pd.DataFrame({"provider": lines["provider"].to_numpy(), "lag": lag,
                          "amount": np.clip(amount, 0, None)})
    rows = []
    for provider, g in frame.groupby("provider", sort=True):
        total = g["amount"].sum()
        rows.append({"provider": provider,
                     "median_lag_months": _weighted_median(g["lag"].to_numpy(),
                                                           g["amount"].to_numpy()),
                     "late_share": float(g.loc[g["lag"] >= LATE_LAG, "amount"].sum() / total)
                     if total > 0 else float("nan")})
    out = pd.DataFrame(rows, columns=["provider", "median_lag_months", "late_share"])
    out["structurally_late"] = ((out["median_lag_months"] >= LATE_MEDIAN_MONTHS)
                                | (out["late_share"] > LATE_SHARE))
    return out


def rejected_share(claim_lines: pd.DataFrame, *, rejected_lines: pd.DataFrame | None = None,
                   claim_answers: pd.DataFrame | None = None) -> pd.Series:
    """Per provider the share of the claimed amount that was rejected (325 answers)."""
    debit = claim_lines[claim_lines["debit_credit"] != "C"]
    claimed = debit.groupby("provider")["amount_euro"].sum()
    if rejected_lines is not None and len(rejected_lines):
        rejected = rejected_lines.groupby("provider")["amount_euro"].sum().abs()
        return (rejected.reindex(claimed.index).fillna(0.0) / claimed.where(claimed > 0))
    if claim_answers is not None and len(claim_answers):
        g = claim_answers.groupby("provider")[["claimed_euro", "granted_euro"]].sum()
        return 1.0 - g["granted_euro"] / g["claimed_euro"].where(g["claimed_euro"] > 0)
    return pd.Series(np.nan, index=claimed.index)


def provider_view(forecast: YearEndForecast, claim_lines: pd.DataFrame, *,
                  rejected_lines: pd.DataFrame | None = None,
                  claim_answers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per provider: committed, claimed, late, forecast, utilisation, lag, rejected, late flag.

    Amounts are euro for the forecast's year; utilisation is the commitment-weighted mean of
    the provider's product categories; lags in months.
    """
    d = forecast.detail
    per = forecast.by("provider").set_index("provider")
    weighted = (d["utilisation"].fillna(0) * d["committed_euro"]).groupby(d["provider"]).sum()
    base = d.loc[d["utilisation"].notna(), "committed_euro"].groupby(d["provider"]).sum()
    per["utilisation"] = weighted / base.where(base > 0)
    habits = claim_habits(claim_lines, as_of=forecast.as_of).set_index("provider")
    per = per.join(habits, how="left")
    per["rejected_share"] = rejected_share(claim_lines, rejected_lines=rejected_lines,
                                           claim_answers=claim_answers).reindex(per.index)
    per["structurally_late"] = per["structurally_late"].fillna(False).astype(bool)
    cols = ["committed_euro", "claimed_euro", "late_euro", "forecast_euro", "lower_euro",
            "upper_euro", "utilisation", "median_lag_months", "late_share", "rejected_share",
            "structurally_late"]
    return per[cols].reset_index().sort_values("forecast_euro", ascending=False,
                                               ignore_index=True)


#: The columns of ``provider_export``'s product table: what a conversation with a provider
#: needs (no standard errors or model parts).
EXPORT_PRODUCT_COLUMNS = ("product_category", "taakveld", "committed_euro", "claimed_euro",
                          "late_euro", "remaining_euro", "inflow_euro", "forecast_euro",
                          "lower_euro", "upper_euro", "utilisation")


def provider_export(provider: str, forecast: YearEndForecast, claim_lines: pd.DataFrame,
                    view: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The tables for the conversation with one provider (euro, months).

    ``overview``: the provider's row of ``provider_view``; ``per_product``: the forecast per
    product category (``EXPORT_PRODUCT_COLUMNS``, largest first); ``per_month``: the net
    amount claimed per service month (``service_month``, first of the month) and lag in
    months (columns 0, 1, ...), oldest month first, this provider only.
    """
    view = view if view is not None else provider_view(forecast, claim_lines)
    lines = claim_lines[claim_lines["provider"] == provider]
    months = pd.to_datetime(lines["service_month"]).dt.to_period("M").dt.to_timestamp()
    per_month = (pd.DataFrame({"service_month": months.to_numpy(), "lag": _lag_months(lines),
                               "amount": pd.to_numeric(lines["amount_euro"]).to_numpy(float)})
                 .pivot_table(index="service_month", columns="lag", values="amount",
                              aggfunc="sum", fill_value=0.0)
                 .sort_index())
    per_month.columns = [int(c) for c in per_month.columns]
    detail = forecast.detail[forecast.detail["provider"] == provider]
    per_product = (detail.loc[:, list(EXPORT_PRODUCT_COLUMNS)]
                   .sort_values("forecast_euro", ascending=False, ignore_index=True))
    return {
        "overview": view[view["provider"] == provider].reset_index(drop=True),
        "per_product": per_product,
        "per_month": per_month.reset_index(),
    }


def referrers(requests: pd.DataFrame, claim_lines: pd.DataFrame, *, year: int | None = None
              ) -> pd.DataFrame:
    """Inflow and spending per referrer type.

    Returns one row per referrer: ``referrer_type`` (the code of codelist Verwijzer, "" for
    claims without a request), ``referrer`` (its Dutch name, ``referrer_name``), ``requests``
    (number of requests with a request date in ``year``), ``clients`` (distinct clients
    claimed for in ``year``) and ``spending_euro`` (net claimed for service months of
    ``year``). Claims of a client, provider and product category without any request count
    under ``NO_REQUEST``.
    """
    require_columns(requests, REQUESTS, argument="requests")
    require_columns(claim_lines, CLAIM_LINES, argument="claim_lines")
    service = pd.to_datetime(claim_lines["service_month"])
    year = int(year or service.max().year)
    key = ["client", "provider", "product_category"]
    latest = (requests.assign(request_date=pd.to_datetime(requests["request_date"]))
              .sort_values("request_date").drop_duplicates(key, keep="last"))
    lines = claim_lines.loc[service.dt.year == year, [*key, "amount_euro"]]
    line_codes, request_codes = _match([lines[k].to_numpy() for k in key],
                                       [latest[k].to_numpy() for k in key])
    referrer_of = pd.Series(latest["referrer_type"].to_numpy(), index=request_codes)
    ref = _referrer_code(pd.Series(referrer_of.reindex(line_codes).to_numpy(), index=lines.index))
    spend = lines.groupby(ref.to_numpy())["amount_euro"].sum()
    clients = lines.groupby(ref.to_numpy())["client"].nunique()
    req = requests[pd.to_datetime(requests["request_date"]).dt.year == year]
    counts = req.groupby(_referrer_code(req["referrer_type"]).to_numpy()).size()
    out = pd.concat([counts.rename("requests"), clients.rename("clients"),
                     spend.rename("spending_euro")], axis=1).fillna(0.0)
    out.index.name = "referrer_type"
    out = out.reset_index()
    out.insert(1, "referrer", out["referrer_type"].map(referrer_name))
    return out.sort_values("spending_euro", ascending=False, ignore_index=True)


def _referrer_code(values: pd.Series) -> pd.Series:
    """Referrer types as two-digit codes; "" where there is none (no request)."""
    return values.astype("string").str.strip().str.zfill(2).fillna("")


def trajectory_costs(allocations: pd.DataFrame, claim_lines: pd.DataFrame, *, as_of,
                     tariffs: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Per product code the typical cost of one trajectory (euro): median and 80th percentile.

    ``planned`` is the allocation's tariff x volume x duration over its whole validity (the
    expected duration for open-ended ones); ``claimed`` the net amount claimed on allocations
    that have ended by ``as_of``. Also the median duration in months.
    """
    require_columns(allocations, ALLOCATIONS, argument="allocations")
    as_of = pd.Timestamp(as_of)
    start = pd.to_datetime(allocations["start_date"])
    end = pd.to_datetime(allocations["end_date"])
    if allocations.empty:
        return pd.DataFrame(columns=["product_category", "product_code", "allocations"])
    w0, w1 = start.min(), max(end.max() if end.notna().any() else as_of, as_of)
    com = commitments(allocations, window_start=w0, window_end=w1 + pd.DateOffset(years=5),
                      as_of=as_of, claim_lines=claim_lines, tariffs=tariffs,
                      monthly=False).per_allocation
    com["months"] = (com["end"] - com["start"]).dt.days / DAYS_PER_MONTH
    key = ["provider", "client", "allocation_number"]
    line_codes, alloc_codes = _match([claim_lines[k].to_numpy() for k in key],
                                     [com[k].to_numpy() for k in key])
    n_codes = int(max(line_codes.max(initial=-1), alloc_codes.max(initial=-1))) + 1
    sums = np.bincount(line_codes, weights=pd.to_numeric(claim_lines["amount_euro"]).to_numpy(
        float), minlength=n_codes)
    counts = np.bincount(line_codes, minlength=n_codes)
    com["claimed_euro"] = np.where(counts[alloc_codes] > 0, sums[alloc_codes], np.nan)
    ended = ~com["end_estimated"] & (com["end"] <= as_of)
    com["claimed_closed"] = com["claimed_euro"].where(ended)
    g = com.groupby(["product_category", "product_code"], dropna=False)
    out = pd.DataFrame({
        "allocations": g.size(),
        "planned_median_euro": g["committed_euro"].median(),
        "planned_p80_euro": g["committed_euro"].quantile(0.8),
        "claimed_median_euro": g["claimed_closed"].median(),
        "claimed_p80_euro": g["claimed_closed"].quantile(0.8),
        "median_months": g["months"].median(),
    })
    return out.reset_index()
