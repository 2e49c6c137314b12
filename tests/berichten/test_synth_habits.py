"""The habits of the synthetic municipality: each one visible in the tables, with its truth."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from berichten.synth import Habits, draw_habits, synthetic_tables
from berichten.synth.habits import CALENDARS

SCALE = 0.08


@pytest.fixture(scope="module")
def habits() -> Habits:
    """A draw, with a large provider (Thuishulp Voorbeeld) stopping in April 2025."""
    return replace(draw_habits(3), stopping_provider="98010021", stop_day="2025-04-10",
                   curator_delay=3)


@pytest.fixture(scope="module")
def with_habits(habits):
    return synthetic_tables(seed=3, scale=SCALE, habits=habits)


@pytest.fixture(scope="module")
def plain():
    return synthetic_tables(seed=3, scale=SCALE)


def test_no_habits_is_gemeente_voorbeeld_unchanged(plain):
    """Habits() (all off) gives exactly the tables and summary of no habits at all."""
    again = synthetic_tables(seed=3, scale=SCALE, habits=Habits())
    for name, frame in plain.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name])
    assert again.summary == plain.summary and "gewoonten" not in plain.summary.to_json()


def test_draw_is_per_seed_and_in_its_ranges():
    """The same seed draws the same habits, another seed others; all within the ranges."""
    assert draw_habits(3) == draw_habits(3) != draw_habits(4)
    for seed in range(1, 30):
        h = draw_habits(seed)
        assert len(h.indexation) == 2 and all(0.06 <= i <= 0.08 for i in h.indexation)
        assert list(h.calendars.values()).count("december") == 1
        assert 2 <= len(h.calendars) <= 4 and h.stopping_provider not in h.calendars
        assert "2024-03-01" <= h.stop_day <= "2025-09-28"
        assert 0.1 <= h.policy_cut <= 0.3 and "2025-04" <= h.policy_cut_from <= "2025-08"


def test_the_truth_of_the_habits_is_in_the_summary(with_habits, habits):
    """samenvatting.json says which habits were drawn (the truth to test against)."""
    truth = with_habits.summary.to_json()["gewoonten"]
    assert truth["stoppende_aanbieder"] == habits.stopping_provider
    assert truth["declaratiekalender_per_aanbieder"] == habits.calendars
    per_cat = with_habits.summary.delivered_cents_per_category_year
    assert sum(v.get("2025", 0) for v in per_cat.values()) == \
        with_habits.summary.delivered_cents_per_year["2025"]


def test_calendar_providers_claim_debits_only_in_their_months(with_habits, habits):
    """First debits of a calendar provider fall in its calendar months (resubmissions and
    corrections follow the answer, a month or so later)."""
    lines = with_habits.tables["claim_lines"]
    for agb, calendar in habits.calendars.items():
        mine = lines[(lines["provider"] == agb) & (lines["debit_credit"] == "D")
                     & lines["previous_reference"].isna()]
        if mine.empty:
            continue
        months = pd.to_datetime(mine["claim_month"]).dt.month
        assert months.isin(CALENDARS[calendar]).mean() > 0.9, agb


def test_indexation_raises_the_tariffs_on_1_january(with_habits, habits):
    """The median tariff of a product rises by the drawn indexation each year (cents rounded)."""
    lines = with_habits.tables["claim_lines"]
    code = lines[lines["product_code"] == "45A01"]
    per_year = code.groupby(pd.to_datetime(code["service_month"]).dt.year)["tariff_euro"].median()
    for (y0, t0), (_, t1), rise in zip(per_year.items(), list(per_year.items())[1:],
                                        habits.indexation):
        assert t1 / t0 == pytest.approx(1 + rise, abs=0.01), y0


def test_stopping_provider_takes_no_one_new_and_its_late_claims_come_in_one_batch(
        with_habits, habits):
    """After its stop day no allocation starts at the stopped provider; its claim lines sent
    after the stop month all come in the curator's month."""
    stop = pd.Timestamp(habits.stop_day)
    allocs = with_habits.tables["allocations"]
    mine = allocs[allocs["provider"] == habits.stopping_provider]
    assert (pd.to_datetime(mine["start_date"]) <= stop).all()
    lines = with_habits.tables["claim_lines"]
    lines = lines[(lines["provider"] == habits.stopping_provider)
                  & (lines["previous_reference"].isna()) & (lines["debit_credit"] == "D")]
    after = pd.to_datetime(lines["claim_month"]) > stop.to_period("M").to_timestamp()
    batch = (stop.to_period("M") + habits.curator_delay).to_timestamp()
    assert after.any() and (pd.to_datetime(lines.loc[after, "claim_month"]) == batch).all()


def test_waiting_lists_and_policy_cut_lower_what_is_delivered():
    """With only a long waiting time (and unused allocations) the same seed delivers less in
    the last year; a policy cut gives fewer new clients after its month."""
    base = synthetic_tables(seed=5, scale=SCALE)
    waiting = synthetic_tables(seed=5, scale=SCALE,
                               habits=Habits(waiting_months=3.0, never_used=0.2))
    assert (waiting.summary.delivered_cents_per_year["2025"]
            < 0.97 * base.summary.delivered_cents_per_year["2025"])
    cut = synthetic_tables(seed=5, scale=SCALE,
                           habits=Habits(policy_cut=0.5, policy_cut_from="2025-01"))
    inflow = sum(v for law in cut.summary.inflow_per_month.values()
                 for m, v in law.items() if m >= "2025-01")
    inflow_base = sum(v for law in base.summary.inflow_per_month.values()
                      for m, v in law.items() if m >= "2025-01")
    assert inflow < 0.7 * inflow_base


def test_a_stopped_provider_that_never_claims_is_not_spent():
    """Without a curator's batch (share 0) no claim of the stopped provider comes after its
    stop month, and the truth (delivered) is lower than with all claims coming in."""
    h = replace(draw_habits(3), stopping_provider="98010021", stop_day="2025-04-10")
    never = replace(h, curator_share=0.0)
    all_in = replace(h, curator_share=1.0)
    a = synthetic_tables(seed=3, scale=SCALE, habits=never)
    b = synthetic_tables(seed=3, scale=SCALE, habits=all_in)
    stop_month = pd.Timestamp(h.stop_day).to_period("M").to_timestamp()
    lines = a.tables["claim_lines"]
    mine = lines[(lines["provider"] == h.stopping_provider) & lines["previous_reference"].isna()]
    assert (pd.to_datetime(mine["claim_month"]) <= stop_month).all()
    year = str(pd.Timestamp(h.stop_day).year)
    assert a.summary.delivered_cents_per_year[year] < b.summary.delivered_cents_per_year[year]


def test_command_job_writes_a_municipality_with_habits(tmp_path):
    """``grip berichten synthetisch --gewoonten``: the drawn habits are in samenvatting.json
    and in the Dutch lines the command prints."""
    import json

    from grip.jobs.synth import run_synth, summary_lines

    summary = run_synth(tmp_path, seed=4, scale=0.01, retours=False, habits=True)
    on_disk = json.loads((tmp_path / "samenvatting.json").read_text(encoding="utf-8"))
    assert on_disk["gewoonten"] == draw_habits(4).to_json()
    assert any(line.startswith("Gewoonten:") for line in summary_lines(summary))


def test_habits_written_as_xml_validate_and_import_as_the_tables_in_memory(tmp_path):
    """With every habit (budget allocations included) the iJw files validate against the
    schemas, the import quarantines nothing and gives the tables made in memory."""
    from lxml import etree

    from berichten.importer import import_paths
    from berichten.pseudonym import Keyring, default_key_path
    from berichten.store import Store
    from berichten.synth import TABLE_NAMES, generate

    h = replace(draw_habits(7), budget_products=("45A01", "02A01"))
    args = dict(seed=7, scale=0.01, years=2, habits=h)
    generate(tmp_path / "berichten", **args)
    xsd = __import__("pathlib").Path(__file__).parents[2] / "berichten" / "xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd / "JW301.xsd")))
    budgets = 0
    for f in sorted((tmp_path / "berichten" / "jeugd").rglob("JW301_*.xml")):
        doc = etree.parse(str(f))
        assert schema.validate(doc), (f, schema.error_log.last_error)
        budgets += b"Budget>" in f.read_bytes()
    assert budgets > 0
    report = import_paths(tmp_path / "opslag.duckdb", [tmp_path / "berichten"])
    assert report.quarantined == 0
    with Store(tmp_path / "opslag.duckdb", read_only=True) as store:
        tables = {name: getattr(store, name)() for name in TABLE_NAMES}
    keyring = Keyring.load(default_key_path(tmp_path / "opslag.duckdb"))
    memory = synthetic_tables(**args, keyring=keyring)
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(memory.tables[name], tables[name])
    allocs = tables["allocations"]
    budget = allocs[allocs["product_code"].isin(h.budget_products)]
    assert budget["volume"].isna().all() and (budget["budget_euro"] > 0).all()
    lines = tables["claim_lines"]
    assert (lines.loc[lines["product_code"].isin(h.budget_products), "unit"] == "83").all()
