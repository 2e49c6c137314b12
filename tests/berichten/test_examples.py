"""The official iJw 3.2 examples import; the two invalid ones land in quarantine; counts reconcile."""

import pandas as pd
import pytest

from berichten.importer import import_paths
from berichten.store import Store
from calc import records


@pytest.fixture
def imported(msg, store_path):
    report = import_paths(store_path, [msg.EXAMPLES])
    return report, store_path


def test_every_example_is_read_and_only_the_two_invalid_ones_are_quarantined(imported, msg):
    """12 files accepted, JW315 (date 2027-06-31) and JW318 (element order) refused with a line."""
    report, store_path = imported
    assert msg.reconciles(report)
    refused = {f.message_code: f for f in report.files if f.status == "geweigerd"}
    assert set(refused) == {"JW315", "JW318"}
    with Store(store_path) as store:
        q = store.quarantine()
    assert list(q.columns) == ["file", "position", "message_code", "reason"]
    by_code = q.set_index("message_code")
    assert "2027-06-31" in by_code.loc["JW315", "reason"]
    # the first of its two invalid dates (lines 44 and 66): the line of the reason shown
    assert by_code.loc["JW315", "position"] == 44
    assert "RetourCode" in by_code.loc["JW318", "reason"]
    assert by_code.loc["JW318", "position"] == 33
    assert q["reason"].str.contains("schema").all()


def test_tables_have_the_calc_columns_and_euro_amounts(imported):
    """Claim lines carry the calc/records columns; 79000 + 21000 eurocent become 790 euro."""
    _, store_path = imported
    with Store(store_path) as store:
        tables = {"claim_lines": records.CLAIM_LINES, "allocations": records.ALLOCATIONS,
                  "starts_stops": records.STARTS_STOPS, "requests": records.REQUESTS,
                  "claim_answers": records.CLAIM_ANSWERS,
                  "rejected_lines": records.REJECTED_LINES}
        frames = {name: getattr(store, name)() for name in tables}
        overview = store.overview()
        answers, messages = store.request_answers(), store.messages()
    assert answers[["reference", "answer", "reason_rejection"]].values.tolist() == \
        [["9003", "1", "8"]]
    retour = messages.set_index("label").loc["JW302"]
    assert (retour.retour_codes, retour.sender) == ("8848", "0384")
    for name, columns in tables.items():
        assert tuple(frames[name].columns) == columns, name
        records.require_columns(frames[name], columns, argument=name)
    lines = frames["claim_lines"]
    assert len(lines) == 5
    assert lines["amount_euro"].sum() == pytest.approx(790.0)  # 50 + 240 + 50 + 240 + 210
    assert lines["tariff_euro"].tolist() == [12.5, 15.0, 12.5, 15.0, 15.0]
    assert lines["service_month"].dtype == "datetime64[ns]"
    assert (lines["service_month"] == pd.Timestamp("2026-03-01")).sum() == 1
    assert (lines["claim_month"] == pd.Timestamp("2026-04-01")).all()
    answer = frames["claim_answers"].iloc[0]
    assert (answer.claimed_euro, answer.granted_euro, answer.rejected_lines) == (-580.0, -340.0, 3)
    assert frames["rejected_lines"]["retour_codes"].tolist() == ["0611", "9339,9340,9341", "9307"]
    assert frames["rejected_lines"]["amount_euro"].sum() == pytest.approx(-240.0)
    stops = frames["starts_stops"].query("kind == 'stop'")
    assert stops["reason_end"].tolist() == ["31", "31"]
    assert len(frames["allocations"]) == 2 and frames["allocations"]["valid_to"].isna().all()
    assert overview["declaratieregels"] == 5 and overview["gedeclareerd_euro"] == 790.0
    assert overview["quarantaine"] == 2
    assert overview["berichten"]["JW323"] == 1 and "JW315" not in overview["berichten"]
    assert sum(overview["berichten"].values()) == 12


def test_reimport_changes_nothing(imported, msg):
    """Importing the same folder again skips every file and leaves every table as it was."""
    _, store_path = imported
    with Store(store_path) as store:
        before = {m: getattr(store, m)() for m in ("claim_lines", "quarantine", "allocations")}
    again = import_paths(store_path, [msg.EXAMPLES])
    assert again.count("al ingelezen") == 14 and again.read == 0
    with Store(store_path) as store:
        for name, frame in before.items():
            pd.testing.assert_frame_equal(getattr(store, name)(), frame)
        assert len(store.imports()) == 14


def test_without_validation_the_impossible_date_is_caught_per_record(msg, store_path):
    """JW315 unvalidated: the request with 2027-06-31 is quarantined with a Dutch reason."""
    report = import_paths(store_path, [msg.EXAMPLES / "JW315.xml"], validate=False)
    assert (report.read, report.accepted, report.quarantined) == (2, 0, 2)
    with Store(store_path) as store:
        reasons = store.quarantine()["reason"].tolist()
    assert reasons == ["onmogelijke datum '2027-06-31' in ToewijzingEinddatum"] * 2


def test_parallel_parsing_gives_the_same_store(msg, tmp_path):
    """Two worker processes give exactly the tables and counts of the serial import."""
    serial = import_paths(tmp_path / "a.duckdb", [msg.EXAMPLES, msg.EXAMPLES / "JW301.xml"],
                          workers=1, key_path=tmp_path / "k")
    parallel = import_paths(tmp_path / "b.duckdb", [msg.EXAMPLES], workers=2,
                            key_path=tmp_path / "k")
    assert [(f.file, f.status, f.read, f.accepted) for f in serial.files] == \
        [(f.file, f.status, f.read, f.accepted) for f in parallel.files]
    with Store(tmp_path / "a.duckdb") as a, Store(tmp_path / "b.duckdb") as b:
        for name in ("claim_lines", "allocations", "starts_stops", "requests", "claim_answers",
                     "rejected_lines", "quarantine"):
            left, right = getattr(a, name)(), getattr(b, name)()
            if name == "quarantine":
                left, right = left.drop(columns="file"), right.drop(columns="file")
            pd.testing.assert_frame_equal(left, right, obj=name)
