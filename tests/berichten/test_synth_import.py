"""The synthetic municipality imports completely and its counts reconcile with its summary."""

import pytest

from berichten.importer import import_paths
from berichten.store import Store
from berichten.synth import generate


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth_import")
    summary = generate(folder / "berichten", seed=5, scale=0.01, years=2)
    report = import_paths(folder / "opslag.duckdb", [folder / "berichten"])
    return summary, report, folder / "opslag.duckdb"


def test_every_generated_message_is_accepted(imported):
    """Nothing lands in quarantine; read == accepted; every file was read."""
    summary, report, _ = imported
    assert report.quarantined == 0 and report.read == report.accepted
    assert len(report.files) == summary.files
    assert report.count("ingelezen") == summary.files


def test_counts_and_amounts_reconcile_with_the_summary(imported):
    """Messages per code, claim lines (debit and credit) and the net claimed amount agree."""
    summary, _, store_path = imported
    with Store(store_path) as store:
        overview = store.overview()
        lines = store.claim_lines()
        rejected = store.rejected_lines()
    expected = {f"{law.upper()}{code}": n for law, per in summary.messages.items()
                for code, n in per.items() if n}
    assert overview["berichten"] == expected
    assert overview["declaratieregels"] == summary.claim_lines
    assert (lines["debit_credit"] == "C").sum() == summary.claim_lines_credit
    assert round(lines["amount_euro"].sum(), 2) == pytest.approx(summary.claimed_net_euro, abs=0.005)
    assert overview["gedeclareerd_euro"] == pytest.approx(summary.claimed_net_euro, abs=0.005)
    assert len(rejected) == summary.rejected_lines
    per_year = lines.groupby(lines["service_month"].dt.year)["amount_euro"].sum().round(2)
    for year, cents in summary.claimed_net_cents_per_year.items():
        assert per_year[int(year)] == pytest.approx(cents / 100, abs=0.005)
