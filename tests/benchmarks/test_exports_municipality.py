"""The municipality of ``bench_yearend_exports.py`` as its own flat exports: valid BSNs of the
test range, every line accepted by the import (a tariff shown rounded to cents is no wrong
amount), counts and euro that reconcile with the generator, and a forecast that runs on it."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_yearend_exports import YEAR, draw, write_exports  # noqa: E402
from berichten.codes import is_valid_bsn  # noqa: E402
from berichten.importer import import_paths  # noqa: E402
from berichten.store import open_store  # noqa: E402


def test_the_exports_import_whole_and_reconcile(tmp_path):
    m = draw(3)
    claims, allocations, truth = write_exports(m, tmp_path)
    with claims.open(encoding="cp1252") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert rows and all(is_valid_bsn(r["BSN"]) and r["BSN"].startswith("999") for r in rows)
    report = import_paths(tmp_path / "s.duckdb", [claims, allocations])
    assert report.quarantined == 0 and report.accepted == report.read
    with open_store(tmp_path / "s.duckdb") as store:
        lines = store.claim_lines()
        allocated = store.allocations()
    written = sum(float(r["Bedrag"].replace(",", ".")) for r in rows)
    assert abs(float(lines["amount_euro"].sum()) - written) < 0.01
    this_year = float(lines.loc[lines["service_month"].dt.year == YEAR, "amount_euro"].sum())
    assert 0.6 * truth < this_year < truth      # November and December are still to come
    assert allocated["allocation_number"].nunique() == len(allocated)


def test_new_clients_come_in_december_too(tmp_path):
    """The truth is all care of ``YEAR``: December's new clients are in it (the generator drew
    none after the exports' date, so December came out 13 % below the other months), but the
    exports as on 30 November hold neither their allocations nor their claims."""
    import benchmarks.bench_yearend_exports as bench

    m = draw(3)
    claims, allocations, truth = write_exports(m, tmp_path / "nov")
    last = bench.LAST_CLAIM
    bench.LAST_CLAIM = bench.dt.date(YEAR + 2, 12, 1)       # every claim, none cut off
    try:
        full, _, same = write_exports(m, tmp_path / "all")
    finally:
        bench.LAST_CLAIM = last
    assert same == truth
    with full.open(encoding="cp1252") as f:
        rows = [r for r in csv.DictReader(f, delimiter=";") if r["Productperiode"].endswith(
            str(YEAR))]
    december = {r["Toewijzingnummer"] for r in rows if r["Productperiode"][3:5] == "12"}
    earlier = {r["Toewijzingnummer"] for r in rows if r["Productperiode"][3:5] != "12"}
    assert december - earlier                              # new in December
    assert abs(sum(float(r["Bedrag"].replace(",", ".")) for r in rows) - truth) < 0.01
    for path in (claims, allocations):
        with path.open(encoding="cp1252") as f:
            numbers = {r["Toewijzingnummer"] for r in csv.DictReader(f, delimiter=";")}
        assert not numbers & (december - earlier)
