"""A 301 is a full snapshot per client and provider: the store derives each allocation's history."""

import pandas as pd

from berichten.importer import import_paths
from berichten.store import Store

T = pd.Timestamp


def test_validity_history_from_three_snapshots(msg, tmp_path, store_path):
    """101 changes in the 2nd snapshot, 102 disappears in the 3rd, 103 arrives in the 3rd."""
    P = msg.Product
    files = [
        msg.write(tmp_path, "1.xml", msg.allocation([P("101"), P("102")], ident="1", day="2026-01-05")),
        msg.write(tmp_path, "2.xml", msg.allocation([P("101", volume=3), P("102")], ident="2",
                                                    day="2026-03-01")),
        msg.write(tmp_path, "3.xml", msg.allocation([P("101", volume=3), P("103", end=None)],
                                                    ident="3", day="2026-06-10")),
        # another client at the same provider does not close anything of the first
        msg.write(tmp_path, "4.xml", msg.allocation([P("104")], ident="4", day="2026-07-01",
                                                    bsn=msg.BSNS[1])),
    ]
    report = import_paths(store_path, files[::-1])  # file order does not matter
    assert report.quarantined == 0
    with Store(store_path) as store:
        a = store.allocations()
    got = {(r.allocation_number, r.volume): (r.valid_from, r.valid_to) for r in a.itertuples()}
    assert got == {
        ("101", 2): (T("2026-01-05"), T("2026-03-01")),
        ("101", 3): (T("2026-03-01"), pd.NaT),
        ("102", 2): (T("2026-01-05"), T("2026-06-10")),
        ("103", 2): (T("2026-06-10"), pd.NaT),
        ("104", 2): (T("2026-07-01"), pd.NaT),
    }
    c = a.set_index("allocation_number").loc["103"]
    assert pd.isna(c.end_date) and c.start_date == T("2026-01-01")
    assert (c.unit, c.frequency, c.product_category, c.product_code) == ("04", "2", "45", "45A03")
    assert a["client"].nunique() == 2


def test_an_allocation_that_returns_gets_a_new_version(msg, tmp_path, store_path):
    """101 in snapshots 1 and 3 but not 2: two versions, the first ending at snapshot 2."""
    P = msg.Product
    files = [msg.write(tmp_path, f"{i}.xml", msg.allocation(prods, ident=str(i), day=day))
             for i, (prods, day) in enumerate([([P("101"), P("102")], "2026-01-01"),
                                               ([P("102")], "2026-02-01"),
                                               ([P("101"), P("102")], "2026-03-01")])]
    import_paths(store_path, files)
    with Store(store_path) as store:
        a = store.allocations().query("allocation_number == '101'")
    assert a["valid_from"].tolist() == [T("2026-01-01"), T("2026-03-01")]
    assert a["valid_to"].tolist()[0] == T("2026-02-01") and pd.isna(a["valid_to"].tolist()[1])
