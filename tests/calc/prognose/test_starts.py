"""Waiting lists (305 starts), stop messages (307) and care episodes in the year-end forecast."""

import numpy as np
import pandas as pd
import pytest

from calc.prognose.calendar import claim_calendars
from calc.prognose.starts import care_share, care_starts, start_model
from calc.prognose.survival import care_episodes, stop_model
from calc.prognose.yearend import year_end_forecast
from tests.factories import T, allocation, allocations, claim_line, claim_lines, start_stop, \
    starts_stops

A_END = T("2026-03-31")


def test_care_episode_merges_renewals_and_censors_recent_ends():
    """Client a: two back-to-back allocations are one episode of 365 days that ended; b ends
    90 days in; c ends within the renewal window before the evaluation day: censored there."""
    cur = pd.DataFrame({"client": ["a", "a", "b", "c"], "product_category": "45",
                        "start_date": pd.to_datetime(["2024-01-01", "2024-07-01", "2024-01-01",
                                                      "2025-01-01"]),
                        "end_date": pd.to_datetime(["2024-06-30", "2024-12-31", "2024-03-31",
                                                    "2025-06-01"])})
    ep = care_episodes(cur, cur["start_date"], T("2025-06-30"))
    assert ep["exit_days"].tolist() == [365.0, 90.0, 180.0]
    assert ep["stopped"].tolist() == [True, True, False]


def test_care_episode_ended_by_a_stop_message_within_the_renewal_window():
    """A crisis placement of three months stopped (307) after 31 days, 30 days before the
    evaluation day: its care ended then (a stop is no end date awaiting an extension), an
    episode of 31 days. Without the stop known it waits ``RENEWAL_DAYS`` for a renewal and
    is censored at the evaluation day (60 days) as before; one that reached its planned end
    in that window still is."""
    cur = pd.DataFrame({"client": ["a", "b"], "product_category": "46",
                        "start_date": pd.to_datetime(["2025-05-01", "2025-04-01"]),
                        "end_date": pd.to_datetime(["2025-06-01", "2025-06-15"])})
    as_of = T("2025-06-30")
    ep = care_episodes(cur, cur["start_date"], as_of, stopped=np.array([True, False]))
    assert ep["exit_days"].tolist() == [31.0, 90.0]
    assert ep["stopped"].tolist() == [True, False]
    before = care_episodes(cur, cur["start_date"], as_of)
    assert before["exit_days"].tolist() == [60.0, 90.0]
    assert before["stopped"].tolist() == [False, False]


def test_care_episode_survival_ends_short_allocations():
    """Ten three-month placements, none renewed: the episode survival is 0 after month 3,
    where the allocation-based stop model (no early stops) would keep them all running."""
    cur = pd.DataFrame({"client": [f"c{i}" for i in range(10)], "product_category": "46",
                        "start_date": T("2024-01-01"), "end_date": T("2024-03-31")})
    model = stop_model(care_episodes(cur, cur["start_date"], T("2025-06-30")), prior_weight=0)
    s = model.survival("46", 5)
    assert s[2] == pytest.approx(1.0) and s[4] == pytest.approx(0.0)


ALLOCS = allocations(
    allocation(client="p1", allocation_number="T1", start_date=T("2025-10-01"),
               end_date=T("2026-12-31")),
    allocation(client="p2", allocation_number="T2", start_date=T("2026-01-01"),
               end_date=T("2026-12-31")),
    allocation(client="p3", allocation_number="T3", start_date=T("2025-11-01"),
               end_date=T("2026-12-31")))
SS = starts_stops(
    start_stop(client="p1", allocation_number="T1", date=T("2025-10-01"),
               message_date=T("2025-10-05")),
    start_stop(client="p2", allocation_number="T2", date=T("2026-01-17"),
               message_date=T("2026-01-20")),
    start_stop(client="p3", allocation_number="T3", kind="stop", date=T("2026-02-15"),
               reason_end="02", message_date=T("2026-02-20")),
    start_stop(client="p3", allocation_number="T3", date=T("2026-04-10"),
               message_date=T("2026-04-12")))     # sent after the evaluation month: unseen


def test_care_starts_reads_only_what_was_sent_by_then():
    """Starts of p1 and p2 are known; p3's start was sent in April (unknown in March), its
    stop of February is known."""
    start, stop, used = care_starts(ALLOCS, SS, A_END)
    assert [str(d)[:10] for d in start] == ["2025-10-01", "2026-01-17", "NaT"]
    assert [str(d)[:10] for d in stop] == ["NaT", "NaT", "2026-02-15"]
    assert used.all()


def test_care_share_by_hand():
    """p2 started on 17 January: 15 of January's 31 days carry care, February all; p3 waits:
    nothing up to March, after it the start model's chance (here: every allocation that
    waited 5 months started in month 5, so by mid-April none of that)."""
    start, _, used = care_starts(ALLOCS, SS, A_END)
    months = pd.date_range("2026-01-01", "2026-05-01", freq="MS")
    share = care_share(None, ALLOCS, start, used, months, A_END)
    assert (share == 1).all()                       # no model: every month counts in full
    model = start_model(ALLOCS, start, used, A_END)
    share = care_share(model, ALLOCS, start, used, months, A_END)
    np.testing.assert_allclose(share[1, :2], [15 / 31, 1.0])
    assert share[0].tolist() == [1.0] * 5
    assert (share[2, :3] == 0).all() and (share[2, 3:] >= 0).all() and (share[2, 3:] < 1).all()


def test_without_start_messages_nothing_changes():
    """A provider that sends no 305 at all counts every allocation as started."""
    start, stop, used = care_starts(ALLOCS, SS.iloc[0:0], A_END)
    assert not used.any() and np.isnat(start).all() and np.isnat(stop).all()
    assert start_model(ALLOCS, start, used, A_END) is None


def test_never_started_allocation_is_not_forecast_as_spent():
    """Two allocations of the whole year at 600 euro a month: one started in January and is
    claimed each month; the other was never started by March while (from a year of history)
    every allocation that started did so in its first month. The remaining months count the
    started one in full and the waiting one not at all."""
    hist = [allocation(client=f"h{i}", allocation_number=f"H{i}", start_date=T("2025-01-01"),
                       end_date=T("2025-12-31"), valid_from=T("2024-12-20")) for i in range(8)]
    hist_ss = [start_stop(client=f"h{i}", allocation_number=f"H{i}", date=T("2025-01-05"),
                          message_date=T("2025-01-06")) for i in range(8)]
    now = [allocation(client="a", allocation_number="A", start_date=T("2026-01-01"),
                      end_date=T("2026-12-31")),
           allocation(client="b", allocation_number="B", start_date=T("2026-01-01"),
                      end_date=T("2026-12-31"))]
    ss = starts_stops(*hist_ss, start_stop(client="a", allocation_number="A",
                                           date=T("2026-01-01"), message_date=T("2026-01-02")))
    lines = []
    for i, m in enumerate(pd.date_range("2025-01-01", "2026-03-01", freq="MS")):
        who = [("a", "A")] if m.year == 2026 else [(f"h{j}", f"H{j}") for j in range(8)]
        for c, n in who:
            lines.append(claim_line(client=c, allocation_number=n, service_month=m,
                                    claim_month=m, reference_number=f"R{i}{c}",
                                    claim_number=f"D{i}{c}", volume=10, amount_euro=600.0))
    claims = claim_lines(*lines)
    allocs = allocations(*hist, *now)
    commitment = 4 * 60.0 * 365 / 7 / 12          # 4 hours a week at 60 euro, per month
    f = year_end_forecast(claims, allocs, as_of="2026-03-01", calibrate=False,
                          starts_stops=ss)
    without = year_end_forecast(claims, allocs, as_of="2026-03-01", calibrate=False)
    total, before = f.by("total").iloc[0], without.by("total").iloc[0]
    assert total["remaining_euro"] == pytest.approx(9 * 600.0, rel=0.02)
    assert before["remaining_euro"] > total["remaining_euro"] + 9 * 0.4 * commitment
    assert any("Wachtlijst" in n for n in f.notes)


def test_stop_message_ends_care_where_the_allocation_runs_on():
    """A 307 known in March ends the allocation's care on its date: nothing after it."""
    allocs = allocations(allocation(start_date=T("2025-01-01"), end_date=T("2026-12-31"),
                                    valid_from=T("2024-12-20")))
    lines = claim_lines(*[claim_line(service_month=m, claim_month=m, reference_number=f"R{i}",
                                     claim_number=f"D{i}", amount_euro=600.0)
                          for i, m in enumerate(pd.date_range("2025-01-01", "2026-02-01",
                                                              freq="MS"))])
    ss = starts_stops(start_stop(date=T("2025-01-01"), message_date=T("2025-01-02")),
                      start_stop(kind="stop", date=T("2026-02-28"), reason_end="02",
                                 message_date=T("2026-03-03")))
    f = year_end_forecast(lines, allocs, as_of="2026-03-01", calibrate=False,
                          starts_stops=ss)
    row = f.by("total").iloc[0]
    assert row["remaining_euro"] == pytest.approx(0.0, abs=1.0)
    assert row["forecast_euro"] == pytest.approx(2 * 600.0, rel=0.01)
    assert any("Stopberichten" in n for n in f.notes)


def test_december_catch_up_seen_once_is_a_calendar():
    """All of a year claimed in one December: after a year watched it is a calendar (12,),
    even though its claims fill only one claim month."""
    lines = claim_lines(*[claim_line(service_month=m, claim_month=T("2025-12-01"),
                                     reference_number=f"R{i}", claim_number=f"D{i}")
                          for i, m in enumerate(pd.date_range("2025-01-01", "2025-12-01",
                                                              freq="MS"))])
    assert claim_calendars(lines, T("2026-02-01")) == {"11111111": (12,)}
    assert claim_calendars(lines, T("2025-12-01")) == {"11111111": (12,)}


def test_inflow_break_halved_by_a_policy_cut():
    """Twenty new clients a month, ten from April: in June the break is seen against a year
    before, and the rate of the rest of the year drops (not to 10, its noise counts)."""
    from calc.prognose.inflow import inflow_break

    months = pd.date_range("2023-01-01", "2025-06-01", freq="MS")
    starts = pd.Series(np.repeat(months.to_numpy(), [20] * 27 + [10] * 3))
    br = inflow_break(starts, T("2025-06-01"), window=12)
    assert br.counts == (30, 60, 180, 180)
    assert 0.5 < br.factor < 0.75 and 0 < br.weight < 1


def test_inflow_without_break_or_history_is_unchanged():
    """A steady inflow gives factor 1; less than two years of data gives no comparison."""
    from calc.prognose.inflow import inflow_break

    months = pd.date_range("2023-01-01", "2025-06-01", freq="MS")
    steady = pd.Series(np.repeat(months.to_numpy(), 20))
    assert inflow_break(steady, T("2025-06-01"), window=12).factor == 1.0
    assert inflow_break(steady, T("2025-06-01"), window=12,
                        first_month=T("2024-09-01")).factor == 1.0


def test_announced_inflow_cut_lowers_new_clients_from_its_month():
    """One new client a month all year; a cut of half announced from October: the new clients
    of October-December count half, those of April-September in full."""
    allocs = allocations(*[allocation(client=f"c{i}", allocation_number=f"A{i}", start_date=m,
                                      end_date=m + pd.DateOffset(months=12),
                                      valid_from=m - pd.DateOffset(days=10))
                           for i, m in enumerate(pd.date_range("2025-01-01", "2026-03-01",
                                                               freq="MS"))])
    lines = claim_lines(*[claim_line(service_month=m, claim_month=m, reference_number=f"R{i}",
                                     claim_number=f"D{i}")
                          for i, m in enumerate(pd.date_range("2025-01-01", "2026-03-01",
                                                              freq="MS"))])
    same = year_end_forecast(lines, allocs, as_of="2026-03-01", calibrate=False)
    cut = year_end_forecast(lines, allocs, as_of="2026-03-01", calibrate=False,
                            inflow_change=("2026-10", -0.5))
    base, lower = same.by("total").iloc[0], cut.by("total").iloc[0]
    assert lower["remaining_euro"] == pytest.approx(base["remaining_euro"])
    assert 0.8 * base["inflow_euro"] < lower["inflow_euro"] < 0.99 * base["inflow_euro"]
    assert any("Aangekondigde verandering" in n for n in cut.notes)


def test_stop_message_without_a_shortened_allocation_is_an_early_stop():
    """Ten one-year allocations, each a single 301, each stopped by a 307 after three months
    that the municipality never followed with a shortened 301 (Grip's own generator leaves
    4 in 10 stops so). The stop model counts ten early stops: the 307 ends the care, the
    first version keeps the planned end. Overwriting the only version made the stop date
    the planned end, and the stop model saw ten allocations run to their end (0 stops)."""
    allocs, lines, ss = [], [], []
    for i in range(10):
        c, n = f"h{i}", f"H{i}"
        allocs.append(allocation(client=c, allocation_number=n, start_date=T("2025-01-01"),
                                 end_date=T("2025-12-31"), valid_from=T("2024-12-20")))
        ss.append(start_stop(client=c, allocation_number=n, kind="stop", date=T("2025-03-31"),
                             reason_end="02", message_date=T("2025-04-04")))
        lines += [claim_line(client=c, allocation_number=n, service_month=m, claim_month=m,
                             reference_number=f"R{i}{k}", claim_number=f"D{i}{k}",
                             amount_euro=600.0)
                  for k, m in enumerate(pd.date_range("2025-01-01", "2025-03-01", freq="MS"))]
    allocs.append(allocation(client="a", allocation_number="A", start_date=T("2026-01-01"),
                             end_date=T("2026-12-31"), valid_from=T("2025-12-20")))
    lines += [claim_line(client="a", allocation_number="A", service_month=m, claim_month=m,
                         reference_number=f"RA{k}", claim_number=f"DA{k}", amount_euro=600.0)
              for k, m in enumerate(pd.date_range("2026-01-01", "2026-02-01", freq="MS"))]
    f = year_end_forecast(claim_lines(*lines), allocations(*allocs), as_of="2026-02-01",
                          calibrate=False, starts_stops=starts_stops(*ss))
    assert any("uit 11 toewijzingen met een einddatum, waarvan 10 voor hun einddatum "
               "gestopt" in n for n in f.notes), f.notes


def test_new_clients_months_of_care_lie_between_start_and_end():
    """The months of care of a new client within ``left`` months are those in which its care
    has started and its episode (from the allocation's start, the wait included) still runs:
    ``integral max(S - W, 0)``. Where every episode ends the moment its care would start
    (``W = S``) there is no care at all; the product ``(1 - W) S`` (start and end taken as
    independent) counted ``integral (1 - S) S``, a quarter of a month in the first two.
    Without a waiting list it is ``integral S``: (1 - 0,5^2) / ln 2 in two months."""
    from calc.prognose.survival import StopModel
    from calc.prognose.yearend import _expected_months

    half = np.full((1, 24), 0.5)
    model = StopModel(pd.Index(["46"]), half, half[0], 0.5, half, half)
    none = StopModel(pd.Index(["46"]), 0 * half, 0 * half[0], 0.0, half, 0 * half)
    left = np.array([2.0])
    assert _expected_months(model, ["46"], left, starts=model)[0, 0] == pytest.approx(0.0)
    plain = _expected_months(model, ["46"], left)[0, 0]
    assert plain == pytest.approx((1 - 0.25) / np.log(2), rel=0.01)
    assert _expected_months(none, ["46"], left)[0, 0] == pytest.approx(2.0)


def test_an_extension_under_the_same_number_is_a_renewal():
    """Ten allocations whose end on paper (31-12-2025) lay in the last twelve months: five
    extended under their own number (a later version ends 31-12-2026), five ended. The
    renewal chance is 1/2, so an allocation of 10 euro a day ending 30-06-2026 continues
    with 1/2 x 10 x 184 days = 920 euro. Counted on the latest end date, the extended five
    were neither ended nor renewed and the chance was 0 of 5."""
    out = _renewal_case(0.0, 0)                # no stops
    assert out["continued"].sum() == pytest.approx(0.5 * 10 * 184, rel=1e-3)


def _renewal_case(hazard: float, month: int, care_start=None):
    """The extension case above (renewal chance 1/2, 10 euro a day, 184 days left after
    30-06-2026), with a stop model whose only stops (``hazard``) fall in one ``month``."""
    from types import SimpleNamespace

    from calc.prognose.survival import StopModel
    from calc.prognose.yearend import _continuation

    clients = [f"h{i}" for i in range(10)] + ["a"]
    allocs = pd.DataFrame({
        "provider": "11111111", "client": clients, "product_category": "45",
        "allocation_number": [f"N{i}" for i in range(11)],
        "start_date": pd.to_datetime(["2025-01-01"] * 10 + ["2026-01-01"]),
        "end_date": pd.to_datetime(["2026-12-31"] * 5 + ["2025-12-31"] * 5 + ["2026-06-30"])})
    planned = pd.to_datetime(["2025-12-31"] * 10 + ["2026-06-30"]).to_numpy()
    table = np.zeros((1, 24))
    table[0, month] = hazard
    stops = StopModel(pd.Index(["45"]), table, table[0], 0.0, np.ones((1, 24)),
                      np.zeros((1, 24)))
    hist = SimpleNamespace(per_allocation=pd.DataFrame({"daily_euro": [10.0] * 11}))
    util = pd.DataFrame({"provider": ["11111111"], "product_category": ["45"],
                         "utilisation": [1.0]})
    clock = None
    if care_start is not None:
        clock = allocs["start_date"].to_numpy(dtype="datetime64[ns]").copy()
        clock[-1] = np.datetime64(care_start)
    return _continuation(allocs, hist, util, 1.0, T("2026-03-01"), T("2026-12-31"),
                         ("provider", "product_category"), stops, planned, clock=clock)


def test_renewed_care_runs_the_episodes_residual_months():
    """Half of all episodes stop in their first month, none later. Client a's care has run
    six months when its allocation ends on 30-06-2026: its renewal is the same episode going
    on, so it runs all 184 days (1/2 x 10 x 184 = 920 euro). Counted as a new episode (the
    old code), the first month's stops halved it: 494 euro."""
    out = _renewal_case(0.5, 0)
    assert out["continued"].sum() == pytest.approx(0.5 * 10 * 184, rel=1e-3)


def test_renewal_chance_runs_on_the_care_clock():
    """Half of the care stops in its third month (from two to three months on). Client a's
    allocation started 01-01-2026 but its care only on 01-03-2026 (a waiting list, 305): at
    the end of the peilmaand (March) the care has run one month, so the whole third month
    lies before the renewal on 30-06-2026: 1/2 x 920 = 460 euro. On the allocation's clock
    (and a renewal counted as a new episode, the old code): 613 euro."""
    out = _renewal_case(0.5, 2, care_start="2026-03-01")
    assert out["continued"].sum() == pytest.approx(0.25 * 10 * 184, rel=1e-3)


def test_stop_spells_count_from_the_care_start():
    """An allocation from 01-01-2025 whose care started 01-03-2025 (305) and stopped
    30-06-2025: its spell runs 121 days on the care clock (181 from the allocation's
    start); one without a known care start keeps its own."""
    from calc.prognose.yearend import _on_clock, care_clock

    cur = pd.DataFrame({"provider": ["P", "P"], "client": ["x", "y"],
                        "allocation_number": ["1", "2"],
                        "start_date": pd.to_datetime(["2025-01-01", "2025-01-01"])})
    spells = cur[["provider", "client", "allocation_number"]].assign(
        product_category="45", entry_days=0.0, exit_days=[180.0, 180.0], stopped=True)
    cs = pd.to_datetime(["2025-03-01", "NaT"]).to_numpy(dtype="datetime64[ns]")
    clock = care_clock(cur, cs, np.array([True, True]), pd.Timestamp("2025-12-31"))
    out = _on_clock(spells, cur, clock)
    assert out["exit_days"].tolist() == [121.0, 180.0]
    assert out["entry_days"].tolist() == [0.0, 0.0]


def test_waiting_list_is_learned_from_care_that_begins():
    """Four new clients each waited two months for their care; each then had a renewal whose
    care went on at once. A new client is still waiting one month in: W(1) = 1 (the
    renewals, counted as allocations that "started" at once, made it 1/2)."""
    rows, ss = [], []
    for i in range(4):
        rows += [allocation(client=f"w{i}", allocation_number=f"W{i}a",
                            start_date=T("2024-01-01"), end_date=T("2024-06-30")),
                 allocation(client=f"w{i}", allocation_number=f"W{i}b",
                            start_date=T("2024-07-01"), end_date=T("2024-12-31"))]
        ss += [start_stop(client=f"w{i}", allocation_number=f"W{i}a", date=T("2024-03-01"),
                          message_date=T("2024-03-05")),
               start_stop(client=f"w{i}", allocation_number=f"W{i}b", date=T("2024-07-01"),
                          message_date=T("2024-07-05"))]
    allocs = allocations(*rows)
    end = T("2024-12-31")
    start, _, used = care_starts(allocs, starts_stops(*ss), end)
    model = start_model(allocs, start, used, end)
    cat = allocs["product_category"].iloc[0]
    assert model.still_running(np.array([cat]), 0.0, 1.0)[0] == pytest.approx(1.0)


def test_a_second_shortening_copies_the_version_of_the_allocation_it_cuts():
    """A stop message shortens A (a new latest version of A, dated at its stop); the claims
    then show that C stopped. Its shortened version must be a copy of C's: it took the latest
    version by place, which after A's new version was A's (so A got a second stop date and C
    none: the forecast counted C's months after its care ended)."""
    from calc.prognose.commitments import current_allocations
    from calc.prognose.yearend import CLAIMS_STOP_NOTE, _shortened_by_stops

    day = pd.Timestamp
    versions = pd.DataFrame({
        "law": "jw", "municipality": "0999", "provider": "11111111", "client": ["a", "b", "c"],
        "allocation_number": ["A", "B", "C"], "product_category": "45",
        "product_code": "45A08",
        "start_date": [day("2025-01-01"), day("2025-01-05"), day("2025-01-10")],
        "end_date": [day("2025-12-31")] * 3, "volume": 4, "unit": "04", "frequency": "2",
        "budget_euro": None, "reason_change": None,
        "valid_from": [day("2025-01-01"), day("2025-01-05"), day("2025-01-10")],
        "valid_to": pd.NaT})
    current = current_allocations(versions)
    nat = np.datetime64("NaT", "ns")
    notes = []
    versions, current = _shortened_by_stops(
        versions, current, np.array([np.datetime64("2025-03-01", "ns"), nat, nat]), notes)
    versions, current = _shortened_by_stops(
        versions, current, np.array([nat, nat, np.datetime64("2025-04-30", "ns")]), notes,
        CLAIMS_STOP_NOTE)
    added = versions.iloc[3:]
    assert added["allocation_number"].tolist() == ["A", "C"]
    assert added["end_date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-03-01", "2025-04-30"]
    assert current["end_date"].dt.strftime("%Y-%m-%d").tolist() == \
        ["2025-03-01", "2025-12-31", "2025-04-30"]
    assert len(notes) == 2
