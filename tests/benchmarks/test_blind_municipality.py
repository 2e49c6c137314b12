"""A tiny blind municipality (benchmarks/blind) is valid iJw 3.2 and imports with counts that
reconcile: messages read = stored + quarantined, and the euro Grip stores is the euro the
generator claimed; what Grip keeps as accepted is the generator's truth, year by year."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.blind.generate import TRUTH_FILE, generate  # noqa: E402
from benchmarks.blind.validate import validate  # noqa: E402
from benchmarks.blind.world import START_YEAR  # noqa: E402
from berichten.codes import is_valid_bsn  # noqa: E402
from berichten.store import Store  # noqa: E402
from calc.prognose.yearend import accepted_lines  # noqa: E402
from grip.jobs.berichten import inlezen, overzicht  # noqa: E402
from grip.jobs.prognose import read_tables  # noqa: E402


@pytest.fixture(scope="module")
def blind(tmp_path_factory):
    base = tmp_path_factory.mktemp("blind")
    truth = generate(base / "berichten", seed=5, scale=0.03)
    report = inlezen(base / "opslag.duckdb", [base / "berichten"], workers=1)
    return base, truth, report


def test_every_message_validates_against_the_ijw_schemas(blind):
    base, truth, _ = blind
    files = sorted((base / "berichten").glob("*.xml"))
    assert len(files) == truth["bestanden"] > 0
    assert validate(files) == []
    assert {re.search(r"_JW(\d{3})_", f.name).group(1) for f in files} == {
        "301", "305", "307", "323", "325"}


def test_only_test_bsns(blind):
    base, _, _ = blind
    bsns = set()
    for f in (base / "berichten").glob("*.xml"):
        bsns.update(re.findall(r"Bsn>(\d+)<", f.read_text(encoding="utf-8")))
    assert bsns and all(b.startswith("999") and is_valid_bsn(b) for b in bsns)


def test_import_reconciles_with_the_truth(blind):
    base, truth, report = blind
    assert report.read == report.accepted + report.quarantined
    assert report.quarantined == 0          # every message is valid: nothing to put aside
    figures = overzicht(base / "opslag.duckdb")
    assert {code.removeprefix("JW"): n for code, n in figures["berichten"].items()} == truth["berichten"]
    assert figures["declaratieregels"] == truth["declaratieregels"]
    assert figures["gedeclareerd_euro"] == pytest.approx(truth["gedeclareerd_euro"], abs=0.005)
    with Store(base / "opslag.duckdb") as store:
        tables = read_tables(store)
    assert len(tables["rejected_lines"]) == truth["afgewezen_regels"]
    lines = accepted_lines(tables["claim_lines"], tables["rejected_lines"])
    per_year = lines.groupby(lines["service_month"].dt.year)["amount_euro"].sum()
    expected = {int(y): v["totaal_euro"] for y, v in truth["jaren"].items()}
    stored = {int(y): round(v, 2) for y, v in per_year.items() if y >= START_YEAR}
    assert stored == pytest.approx(expected, abs=0.01)
    assert json.loads((base / "berichten" / TRUTH_FILE).read_text(encoding="utf-8"))["jaren"]


def test_a_client_moved_from_a_bankrupt_provider_goes_on_without_a_wait():
    """DOMAIN.md: a move to another provider is a continuation of care. The successor's care
    starts on the day of the move, not after a new wait on the list (nor never)."""
    import datetime as dt
    from collections import Counter

    import numpy as np

    from benchmarks.blind.habits import Habits
    from benchmarks.blind.world import STRUCTURES, simulate

    rng = np.random.default_rng(4)
    habits = Habits.draw(rng, seed=4, scale=0.3)
    assert habits.bankrupt_month and habits.wait_mean_months > 0
    world = simulate(habits, rng, STRUCTURES["gewoon"])
    bankrupt = next(p.agb for p in world.providers if p.bankrupt)
    ended = [a for a in world.allocations if a.provider == bankrupt and a.stop_reason == "35"]
    b_day = Counter(a.care_end for a in ended).most_common(1)[0][0]   # the day it stopped
    assert b_day.strftime("%Y-%m") == habits.bankrupt_month
    stopped = [a for a in ended if a.care_end == b_day]
    moved = []
    for a in stopped:
        succ = [b for b in world.allocations
                if b.client == a.client and b.product == a.product and b.provider != bankrupt
                and dt.timedelta(0) <= b.start - a.care_end <= dt.timedelta(days=25)
                and b.start - b.granted == dt.timedelta(days=2)]
        moved.extend(succ[:1])
    assert len(moved) == len(stopped) > 5
    waiting = [b for b in moved if b.product.waiting_list]
    assert waiting, "no moved client on a waiting-list product: the test sees nothing"
    assert all(b.care_start == b.start for b in moved)
