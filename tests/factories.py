"""The one set of test factories: small record tables with the columns of ``calc.records``.

``claim_line(**kw)``, ``allocation(**kw)``, ... give one complete row with fixed defaults
(no personal data: clients are pseudonyms); ``claim_lines(*rows)``, ``allocations(*rows)``, ...
make the table, a row given as a partial dict completed with those defaults. The prognose,
gripniveau and job tests all build their tables here. ``named_range(path, name)`` reads a
workbook-level name of a saved workbook (the workbook tests' one helper for that).
"""

from __future__ import annotations

import hashlib
import io
from functools import cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from calc.records import (ALLOCATIONS, CLAIM_ANSWERS, CLAIM_LINES, REJECTED_LINES, REQUESTS,
                          STARTS_STOPS)

T = pd.Timestamp


#: Defaults of one row per record table (every column of ``calc.records``).
DEFAULTS: dict[str, dict] = {
    "allocations": dict(
        law="jw", municipality="0999", provider="11111111", client="p1", allocation_number="T1",
        product_category="45", product_code="45A08", start_date=T("2026-01-01"),
        end_date=T("2026-12-31"), volume=4, unit="04", frequency="2", budget_euro=None,
        reason_change=None, valid_from=T("2025-12-20"), valid_to=pd.NaT),
    "claim_lines": dict(
        law="jw", municipality="0999", provider="11111111", client="p1", claim_number="D1",
        reference_number="R1", previous_reference=None, allocation_number="T1",
        product_category="45", product_code="45A08", service_month=T("2026-01-01"),
        claim_month=T("2026-02-01"), volume=10, unit="04", tariff_euro=60.0, amount_euro=600.0,
        debit_credit="D"),
    "starts_stops": dict(
        law="jw", municipality="0999", provider="11111111", client="p1", allocation_number="T1",
        product_category="45", product_code="45A08", kind="start", date=T("2026-01-15"),
        reason_end=None, status="1", message_date=T("2026-01-16")),
    "requests": dict(
        law="jw", municipality="0999", provider="11111111", client="p1", message_code="315",
        reference="V1", product_category="45", product_code="45A08", referrer_type="02",
        request_date=T("2025-12-10")),
    "claim_answers": dict(
        law="jw", municipality="0999", provider="11111111", claim_number="D1", claimed_euro=600.0,
        granted_euro=600.0, rejected_lines=0, answer_date=T("2026-03-01")),
    "rejected_lines": dict(
        law="jw", provider="11111111", claim_number="D1", reference_number="R1",
        retour_codes="8001", amount_euro=600.0),
}
_COLUMNS = {"allocations": ALLOCATIONS, "claim_lines": CLAIM_LINES, "starts_stops": STARTS_STOPS,
            "requests": REQUESTS, "claim_answers": CLAIM_ANSWERS, "rejected_lines": REJECTED_LINES}


def row(table: str, **kw) -> dict:
    """One complete row of ``table``: the defaults, with ``kw`` over them."""
    return {**DEFAULTS[table], **kw}


def table(name: str, *rows: dict) -> pd.DataFrame:
    """The record table ``name`` from rows given as (partial) dicts."""
    return pd.DataFrame([row(name, **r) for r in rows], columns=list(_COLUMNS[name]))


# One name per row and per table, as the tests call them.
allocation, allocations = partial(row, "allocations"), partial(table, "allocations")
claim_line, claim_lines = partial(row, "claim_lines"), partial(table, "claim_lines")
start_stop, starts_stops = partial(row, "starts_stops"), partial(table, "starts_stops")
request, requests = partial(row, "requests"), partial(table, "requests")
claim_answer, claim_answers = partial(row, "claim_answers"), partial(table, "claim_answers")
rejected_line, rejected_lines = partial(row, "rejected_lines"), partial(table, "rejected_lines")


def synthetic_store(*, n_providers: int = 4, n_clients: int = 60, year: int = 2026,
                    seed: int = 1) -> dict[str, pd.DataFrame]:
    """A small consistent store: allocations over two years, monthly claims with lags."""
    rng = np.random.default_rng(seed)
    cats = ["45", "43", "02"]
    allocs, lines, ss, reqs = [], [], [], []
    ref = 0
    for c in range(n_clients):
        provider = f"{11111111 + (c % n_providers)}"
        cat = cats[c % len(cats)]
        law = "wmo" if cat == "02" else "jw"
        start = T(f"{year - 1}-01-01") + pd.Timedelta(days=int(rng.integers(0, 600)))
        start = start.to_period("M").to_timestamp()
        end = start + pd.DateOffset(months=int(rng.integers(3, 18))) - pd.Timedelta(days=1)
        open_ended = c % 5 == 0
        number = f"T{c}"
        client = f"c{c:04d}"
        allocs.append(allocation(law=law, provider=provider, client=client,
                                 allocation_number=number, product_category=cat,
                                 product_code=f"{cat}A01", start_date=start,
                                 end_date=pd.NaT if open_ended else end, volume=8, unit="04",
                                 frequency="4", valid_from=start - pd.Timedelta(days=10)))
        ss.append(start_stop(law=law, provider=provider, client=client,
                             allocation_number=number, product_category=cat,
                             product_code=f"{cat}A01", date=start + pd.Timedelta(days=5)))
        reqs.append(request(law=law, provider=provider, client=client, product_category=cat,
                            product_code=f"{cat}A01",
                            referrer_type=["01", "02", "03"][c % 3],
                            request_date=start - pd.Timedelta(days=20)))
        last = end if not open_ended else T(f"{year}-12-31")
        for month in pd.date_range(start, last, freq="MS"):
            lag = int(rng.integers(0, 3)) + (2 if provider.endswith("4") else 0)
            claim_month = month + pd.DateOffset(months=lag)
            vol = int(rng.integers(5, 9))
            ref += 1
            lines.append(claim_line(law=law, provider=provider, client=client,
                                    claim_number=f"D{ref}", reference_number=f"R{ref}",
                                    allocation_number=number, product_category=cat,
                                    product_code=f"{cat}A01", service_month=month,
                                    claim_month=claim_month, volume=vol, tariff_euro=70.0,
                                    amount_euro=vol * 70.0))
    return dict(allocations=allocations(*allocs), claim_lines=claim_lines(*lines),
                starts_stops=starts_stops(*ss), requests=requests(*reqs))


@cache
def _synthetic_store_tables() -> dict[str, pd.DataFrame]:
    from berichten.synth import synthetic_tables

    return synthetic_tables(seed=3, scale=0.05).tables


class FakeStore:
    """Stand-in for ``berichten.store.Store``: the same table methods, the tables from memory
    (the synthetic municipality, 2023-2025, as an import of its messages would give them;
    built once, on first use)."""

    def __init__(self, path):
        self.path = path

    def __getattr__(self, name):
        from grip.jobs.prognose import TABLES

        if name in TABLES:
            return lambda: _synthetic_store_tables()[name]
        raise AttributeError(name)


def bsn_like_outside_test_range() -> str:
    """A 9-digit number that passes the 11-test outside the reserved range 999: hostile input
    for the screens that must never store such a number (computed, so no file carries one)."""
    from berichten.codes import is_valid_bsn

    return next(f"{n:09d}" for n in range(123_456_780, 123_456_800) if is_valid_bsn(f"{n:09d}"))


#: The workbook-level names (name -> its formula text) of each workbook content a test read,
#: by the SHA-256 of the file's bytes: the tests read the names of the same few models again
#: and again (the session's model and demo, their copies), each a read of every sheet.
_NAMES: dict[str, dict[str, str]] = {}


def named_range(path, name: str) -> tuple[str, str]:
    """``(sheet, range)`` of the workbook-level name ``name`` of the file at ``path``, the
    range without ``$`` (``"B5:F9"``); the names of one content are read once (read-only)."""
    data = Path(path).read_bytes()
    key = hashlib.sha256(data).hexdigest()
    if key not in _NAMES:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True)
        _NAMES[key] = {n: d.attr_text for n, d in wb.defined_names.items()}
    sheet, ref = _NAMES[key][name].rsplit("!", 1)
    return sheet.strip("'").replace("''", "'"), ref.replace("$", "")


def copy_store(source: Path, target: Path) -> Path:
    """A copy of the store at ``source`` with its key file beside it (the pseudonyms of a
    store are read with its own key: ``berichten.pseudonym.default_key_path``), so a test
    reads a store a real import made and leaves the original as it was."""
    import shutil

    from berichten.pseudonym import default_key_path

    shutil.copyfile(source, target)
    shutil.copyfile(default_key_path(source), default_key_path(target))
    return target
