"""The same claim line read twice is counted once, however it comes in: twice in one export,
an export and then the 323 message of the same claims, or the other way round. The later one
goes to the quarantine with its amount and the file of the first one; counts reconcile, in
euro too."""

import pytest

from berichten.importer import import_paths
from berichten.store import Store

HEAD = ("Gemeente;AGB-code;BSN;Referentienummer;Productcategorie;Productcode;Productperiode;"
        "Declaratieperiode;Volume;Eenheid;Tarief;Bedrag;Debet/credit")


def _export(lines):
    """A controller's own export of claim lines (ref, volume, tarief, bedrag[, dc])."""
    rows = [f"0384;65656055;999900006;{ref};45;45A03;04-2026;04-2026;{vol};04;{tariff};"
            f"{amount};{dc}" for ref, vol, tariff, amount, dc in lines]
    return "\n".join([HEAD, *rows]) + "\n"


def _state(store_path):
    with Store(store_path) as store:
        q = store.quarantine_records()
        lines = store.claim_lines()
        euro = store.con.execute("SELECT coalesce(sum(amount_cent), 0) FROM claim_lines"
                                 ).fetchone()[0]
    return q, lines, euro


def test_the_same_line_twice_in_one_export(tmp_path, store_path, msg):
    """Line 4 repeats line 2 (an export run twice into one file): one is kept."""
    path = msg.write(tmp_path, "export.csv", _export([
        ("R1", 4, "12,50", "50,00", "D"), ("R2", 2, "12,50", "25,00", "D"),
        ("R1", 4, "12,50", "50,00", "D"),
        ("R1", 4, "12,50", "50,00", "C")]))    # the credit of R1 is another line
    report = import_paths(store_path, [path])
    assert msg.reconciles(report)
    assert (report.read, report.accepted, report.quarantined) == (4, 3, 1)
    q, lines, euro = _state(store_path)
    assert q["position"].tolist() == [4]
    assert q["reason"].tolist() == ["dubbele regel: deze declaratie staat al eerder in dit "
                                    "bestand; niet nog eens opgenomen"]
    assert q["amount_euro"].tolist() == [50.0]
    assert q["municipality"].tolist() == ["0384"]
    assert euro == 5000 + 2500 - 5000
    # read in euro = accepted + quarantined
    assert 50 + 25 + 50 - 50 == euro / 100 + q["amount_euro"].sum()


def test_a_323_after_an_export_of_the_same_claims(tmp_path, store_path, msg):
    """The export holds RN1 and RN2; the 323 message of the same declaration (RN1, RN2,
    RN3) adds RN3 only."""
    export = msg.write(tmp_path, "export.csv", _export([
        ("RN1", 4, "12,50", "50,00", "D"), ("RN2", 4, "12,50", "50,00", "D")]))
    message = msg.write(tmp_path, "decl.xml", msg.claim(
        [msg.Line("RN1", bsn="999900006"), msg.Line("RN2", bsn="999900006"),
         msg.Line("RN3", bsn="999900006")]))
    first = import_paths(store_path, [export])
    second = import_paths(store_path, [message])
    assert msg.reconciles(second) and first.accepted == 2
    assert (second.read, second.accepted, second.quarantined) == (3, 1, 2)
    q, lines, euro = _state(store_path)
    assert q["file"].str.endswith("decl.xml").all() and (q["message_code"] == "JW323").all()
    assert q["reason"].str.startswith("dubbele regel: deze declaratie staat al in de opslag "
                                      "(uit ").all()
    assert q["reason"].nunique() == 1 and q["reason"].iloc[0].endswith(
        "export.csv); niet nog eens opgenomen")
    assert q["amount_euro"].sum() == pytest.approx(100.0)
    assert sorted(lines["reference_number"]) == ["RN1", "RN2", "RN3"] and euro == 15000


def test_an_export_after_the_323_of_the_same_claims(tmp_path, store_path, msg):
    message = msg.write(tmp_path, "decl.xml", msg.claim(
        [msg.Line("RN1", bsn="999900006"), msg.Line("RN2", bsn="999900006")]))
    export = msg.write(tmp_path, "export.csv", _export([
        ("RN1", 4, "12,50", "50,00", "D"), ("RN9", 4, "12,50", "50,00", "D")]))
    report = import_paths(store_path, [message, export])   # one import, two files
    assert msg.reconciles(report)
    assert (report.read, report.accepted, report.quarantined) == (4, 3, 1)
    q, lines, _ = _state(store_path)
    assert q["file"].str.endswith("export.csv").all() and q["position"].tolist() == [2]
    assert "(uit " in q["reason"].iloc[0] and "decl.xml" in q["reason"].iloc[0]
    assert sorted(lines["reference_number"]) == ["RN1", "RN2", "RN9"]


def test_the_same_allocation_row_twice_in_one_export_counts_once(tmp_path, store_path):
    """An allocations export with one row twice: both were stored, and the allocation's
    commitment counted double. The second goes to the quarantine; a row of the same
    allocation number with other content (another volume) is not a double."""
    head = ("Gemeente;AGB-code;BSN;Toewijzingnummer;Productcategorie;Productcode;Ingangsdatum;"
            "Einddatum;Volume;Eenheid;Frequentie\n")
    row = "0363;87654321;{};{};45;45A48;01-01-2025;31-12-2025;{};uur;maand\n"
    path = tmp_path / "toewijzingen.csv"
    path.write_text(head + row.format("999990019", "T1", 8) + row.format("999990019", "T1", 8)
                    + row.format("999990032", "T2", 4) + row.format("999990032", "T2", 6),
                    encoding="utf-8")
    report = import_paths(store_path, [path])
    assert (report.read, report.accepted, report.quarantined) == (4, 3, 1)
    with Store(store_path) as store:
        q = store.quarantine()
        rows = store.con.execute("SELECT allocation_number, volume, position FROM "
                                 "allocation_rows ORDER BY position").fetchall()
        logged = store.con.execute("SELECT accepted, quarantined FROM imports").fetchall()
    assert rows == [("T1", 8, 2), ("T2", 4, 4), ("T2", 6, 5)]
    assert q["reason"].tolist() == ["dubbele regel: deze toewijzing staat al eerder in dit "
                                    "bestand; niet nog eens opgenomen"]
    assert q["position"].tolist() == [3] and logged == [(3, 1)]

