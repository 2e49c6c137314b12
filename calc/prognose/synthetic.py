"""A synthetic berichtenverkeer of a fictitious municipality, for the demo and the benchmarks.

Vectorised, seeded and free of personal data (clients are pseudonyms ``c000001``). Every
table has the columns of ``calc.records``. Providers differ in claim habits: some claim in
the month itself, some one or two months later, a few are structurally late (three months
and more). Nothing here is real; it only has the shape of real exports.

>>> t = synthetic_records(n_clients=50, year=2026, until="2026-06-01", seed=1)
>>> sorted(t)
['allocations', 'claim_answers', 'claim_lines', 'rejected_lines', 'requests', 'starts_stops']
>>> bool(t["claim_lines"]["claim_month"].max() <= pd.Timestamp("2026-06-01"))
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calc.records import (ALLOCATIONS, CLAIM_ANSWERS, CLAIM_LINES, REJECTED_LINES, REQUESTS,
                          STARTS_STOPS)

#: (law, product category, product code, unit, hours per month, tariff euro per unit, weight)
PRODUCTS = (
    ("jw", "45", "45A08", "04", 8, 82.0, 0.30),     # ambulante jeugdhulp, uren
    ("jw", "43", "43A41", "14", 30, 210.0, 0.08),   # verblijf, etmalen
    ("jw", "54", "54001", "01", 240, 1.95, 0.14),   # jeugd-ggz, minuten
    ("jw", "41", "41A04", "16", 8, 62.0, 0.08),     # dagbehandeling, dagdelen
    ("wmo", "01", "01A01", "04", 12, 36.0, 0.22),   # huishoudelijke hulp
    ("wmo", "02", "02A02", "04", 6, 68.0, 0.13),    # begeleiding
    ("wmo", "07", "07A01", "16", 8, 48.0, 0.05),    # dagbesteding
)


def synthetic_records(*, n_clients: int = 2000, n_providers: int = 25, year: int = 2027,
                      until=None, seed: int = 2027) -> dict[str, pd.DataFrame]:
    """Allocations, starts, requests and claim lines of a fictitious municipality.

    Parameters
    ----------
    n_clients : int
        Number of allocations (one per client); about 9 claim lines each.
    n_providers : int
    year : int
        The budget year; allocations start from two years before it.
    until : date-like, optional
        Last claim month present (default: June of ``year``).
    seed : int
    """
    rng = np.random.default_rng(seed)
    until = pd.Timestamp(until or f"{year}-06-01").to_period("M").to_timestamp()
    first = pd.Timestamp(f"{year - 2}-01-01")
    last_start = (until.year - first.year) * 12 + until.month - first.month
    n = n_clients
    weights = np.array([p[6] for p in PRODUCTS])
    product = rng.choice(len(PRODUCTS), size=n, p=weights / weights.sum())
    prod = [np.array([p[i] for p in PRODUCTS])[product] for i in range(6)]
    law, category, code, unit, per_month, tariff = prod
    provider_rank = np.minimum(rng.zipf(1.4, size=n), n_providers) - 1
    providers = np.array([f"{20000000 + 17 * k:08d}" for k in range(n_providers)])
    provider = providers[provider_rank]
    # claim habit per provider: mean lag in months (some structurally late)
    habit = rng.choice([0.2, 0.8, 1.5, 3.5], size=n_providers, p=[0.35, 0.35, 0.2, 0.1])
    start_m = rng.integers(0, last_start + 1, size=n)
    duration = np.clip(rng.geometric(1 / 9, size=n), 2, 36)
    open_ended = rng.random(n) < 0.2
    base = first.to_period("M").ordinal

    def month(offsets: np.ndarray) -> pd.DatetimeIndex:
        return pd.PeriodIndex.from_ordinals(base + offsets, freq="M").to_timestamp()

    start_dates = month(start_m)
    end_dates = month(start_m + duration) - pd.Timedelta(days=1)
    volume = per_month.astype(float)
    clients = np.array([f"c{i:06d}" for i in range(n)])
    numbers = np.array([f"T{year % 100:02d}{i:06d}" for i in range(n)])
    municipality = "0999"
    allocations = pd.DataFrame({
        "law": law, "municipality": municipality, "provider": provider, "client": clients,
        "allocation_number": numbers, "product_category": category, "product_code": code,
        "start_date": start_dates, "end_date": end_dates.where(~open_ended, pd.NaT),
        "volume": volume, "unit": unit, "frequency": "4", "budget_euro": np.nan,
        "reason_change": None, "valid_from": start_dates - pd.Timedelta(days=14),
        "valid_to": pd.NaT})[list(ALLOCATIONS)]

    # claim lines: one per allocation and service month, until the end (or the year's end)
    stop_m = np.where(open_ended, (year - first.year) * 12 + 11, start_m + duration - 1)
    months = np.maximum(stop_m - start_m + 1, 0)
    idx = np.repeat(np.arange(n), months)
    offset = np.arange(idx.size) - np.repeat(np.cumsum(months) - months, months)
    service_m = start_m[idx] + offset
    lag = rng.poisson(habit[provider_rank[idx]])
    claim_m = service_m + lag
    keep = claim_m <= last_start
    idx, service_m, claim_m = idx[keep], service_m[keep], claim_m[keep]
    used = volume[idx] * rng.uniform(0.65, 1.0, size=idx.size)
    used = np.maximum(np.round(used), 1)
    amount = np.round(used * tariff[idx].astype(float), 2)
    k = idx.size
    lines = pd.DataFrame({
        "law": law[idx], "municipality": municipality, "provider": provider[idx],
        "client": clients[idx],
        "claim_number": np.char.add("D", (claim_m * 1000 + provider_rank[idx]).astype(str)),
        "reference_number": np.char.add("R", np.arange(k).astype(str)),
        "previous_reference": None, "allocation_number": numbers[idx],
        "product_category": category[idx], "product_code": code[idx],
        "service_month": month(service_m), "claim_month": month(claim_m),
        "volume": used, "unit": unit[idx], "tariff_euro": tariff[idx].astype(float),
        "amount_euro": amount, "debit_credit": "D"})[list(CLAIM_LINES)]

    started = start_dates <= until + pd.offsets.MonthEnd(0)
    starts = pd.DataFrame({
        "law": law, "municipality": municipality, "provider": provider, "client": clients,
        "allocation_number": numbers, "product_category": category, "product_code": code,
        "kind": "start", "date": start_dates + pd.to_timedelta(rng.integers(0, 20, n), unit="D"),
        "reason_end": None, "status": "1", "message_date": start_dates + pd.Timedelta(days=21),
    })[started & (rng.random(n) > 0.03)][list(STARTS_STOPS)]
    referrer = rng.choice(["01", "02", "03", "04", "05", "06"], size=n,
                          p=[0.35, 0.3, 0.12, 0.1, 0.08, 0.05])
    requests = pd.DataFrame({
        "law": law, "municipality": municipality, "provider": provider, "client": clients,
        "message_code": "315", "reference": np.char.add("V", np.arange(n).astype(str)),
        "product_category": category, "product_code": code, "referrer_type": referrer,
        "request_date": start_dates - pd.Timedelta(days=30)})[list(REQUESTS)]
    claims = lines.groupby(["law", "municipality", "provider", "claim_number"],
                           as_index=False).agg(claimed_euro=("amount_euro", "sum"),
                                               answer_date=("claim_month", "max"))
    rejected = rng.random(len(lines)) < 0.01
    rej = lines[rejected]
    rejected_lines = pd.DataFrame({
        "law": rej["law"], "provider": rej["provider"], "claim_number": rej["claim_number"],
        "reference_number": rej["reference_number"], "retour_codes": "8001",
        "amount_euro": rej["amount_euro"]})[list(REJECTED_LINES)]
    rej_sum = rej.groupby("claim_number")["amount_euro"].sum()
    claims["granted_euro"] = claims["claimed_euro"] - claims["claim_number"].map(rej_sum).fillna(0)
    claims["rejected_lines"] = claims["claim_number"].map(
        rej.groupby("claim_number").size()).fillna(0).astype(int)
    claims["answer_date"] = claims["answer_date"] + pd.Timedelta(days=20)
    return {"allocations": allocations, "claim_lines": lines, "starts_stops": starts,
            "requests": requests, "claim_answers": claims[list(CLAIM_ANSWERS)],
            "rejected_lines": rejected_lines}
