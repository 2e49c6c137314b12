"""The synthetic municipality as tables in memory: exactly what an import of its messages gives."""

import re
from dataclasses import asdict
from itertools import islice

import pandas as pd
import pytest

from berichten.importer import import_paths
from berichten.pseudonym import Keyring, default_key_path
from berichten.store import Store
from berichten.synth import TABLE_NAMES, generate, synthetic_bsns, synthetic_tables
from calc import records
from calc.errors import InputError

ARGS = dict(seed=5, scale=0.01, years=2)
#: The contract of calc/records.py per table.
CONTRACT = {"claim_lines": records.CLAIM_LINES, "allocations": records.ALLOCATIONS,
            "starts_stops": records.STARTS_STOPS, "requests": records.REQUESTS,
            "claim_answers": records.CLAIM_ANSWERS, "rejected_lines": records.REJECTED_LINES}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The same municipality twice: written as XML and imported, and made in memory with the
    store's key (so the pseudonyms can be compared too)."""
    folder = tmp_path_factory.mktemp("synth_tables")
    summary = generate(folder / "berichten", **ARGS)
    store_path = folder / "opslag.duckdb"
    report = import_paths(store_path, [folder / "berichten"])
    assert report.quarantined == 0
    with Store(store_path, read_only=True) as store:
        tables = {name: getattr(store, name)() for name in TABLE_NAMES}
    keyring = Keyring.load(default_key_path(store_path))
    return summary, tables, synthetic_tables(**ARGS, keyring=keyring)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_every_table_equals_the_imported_one(imported, name):
    """Same columns, dtypes, values and row order as Store gives after importing the XML."""
    _, tables, memory = imported
    assert len(tables[name]) > 0
    pd.testing.assert_frame_equal(memory.tables[name], tables[name])


def test_summary_equals_the_written_one(imported):
    """Same simulation, same ground truth and counts (files: the ones generate wrote)."""
    summary, _, memory = imported
    assert asdict(memory.summary) == asdict(summary)


def test_columns_follow_calc_records_exactly():
    """Each table has exactly the contract's columns, in order; dates are datetime64[ns]."""
    tables = synthetic_tables(seed=3, scale=0.02, years=1).tables
    for name, columns in CONTRACT.items():
        assert tuple(tables[name].columns) == columns
    assert tables["claim_lines"]["service_month"].dtype == "datetime64[ns]"
    assert tables["allocations"]["valid_to"].dtype == "datetime64[ns]"


def test_no_bsn_in_any_table_and_clients_are_pseudonyms():
    """Pseudonymisation holds: none of the generator's BSNs (999 range) is in any cell."""
    tables = synthetic_tables(seed=3, scale=0.02, years=1).tables
    bsns = set(islice(synthetic_bsns(), 20_000))  # the generator hands them out in this order
    candidate = re.compile(r"999\d{6}")
    cells = 0
    for name, frame in tables.items():
        for column in frame.columns:
            for text in frame[column].dropna().astype(str).unique():
                cells += 1
                assert not bsns.intersection(candidate.findall(text)), (name, column)
        if "client" in frame:
            assert frame["client"].str.fullmatch(r"p[0-9a-f]{16}").all()
    assert cells > 1000


def test_deterministic_per_seed_and_different_for_another():
    """The same seed gives the same tables (pseudonyms included); another seed other ones."""
    a = synthetic_tables(seed=3, scale=0.02, years=1).tables
    b = synthetic_tables(seed=3, scale=0.02, years=1).tables
    c = synthetic_tables(seed=4, scale=0.02, years=1).tables
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["claim_lines"].equals(c["claim_lines"])


def test_refuses_impossible_arguments_in_dutch():
    with pytest.raises(InputError, match="schaal moet een positief getal zijn"):
        synthetic_tables(scale=0)
