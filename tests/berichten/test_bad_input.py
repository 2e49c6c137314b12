"""Every bad input of the issue gives a Dutch reason with file and position, never a crash."""

from pathlib import Path

import pytest

from berichten.importer import import_paths
from berichten.store import Store

Line = None  # set per test through the msg fixture


def run(store_path, files, **kw):
    report = import_paths(store_path, files, **kw)
    with Store(store_path) as store:
        return report, store.quarantine(), store.claim_lines()


def test_malformed_xml_is_refused_with_its_line(msg, tmp_path, store_path):
    """An unclosed tag: the file is refused as a whole, the line is given."""
    text = msg.claim([msg.Line("R1")]).replace("</jw323:GeleverdVolume>", "", 1)
    report, q, lines = run(store_path, [msg.write(tmp_path, "kapot.xml", text)])
    assert msg.reconciles(report) and (report.read, report.quarantined) == (1, 1)
    assert q.loc[0, "reason"].startswith("geen geldige XML")
    assert q.loc[0, "position"] > 1 and q.loc[0, "file"].endswith("kapot.xml")
    assert lines.empty


def test_truncated_file_is_refused_and_nothing_of_it_is_kept(msg, tmp_path, store_path):
    """A file cut off after its first lines keeps none of the lines read before the cut."""
    text = msg.claim([msg.Line(f"R{i}") for i in range(5)])
    report, q, lines = run(store_path, [msg.write(tmp_path, "half.xml", text[: len(text) * 2 // 3])])
    assert (report.read, report.accepted, report.quarantined) == (1, 0, 1)
    assert "afgebroken" in q.loc[0, "reason"]
    assert lines.empty


def test_a_file_cut_off_in_its_header_is_called_cut_off(msg, tmp_path, store_path):
    """Cut off inside the header (after BerichtVersie, at a '<'): it said 'berichtversie 3.?
    wordt niet gelezen (alleen 3.2)', then 'een losse & of < in de tekst'; it is cut off."""
    text = msg.claim([msg.Line("R1")])
    cut = text[: text.index("BerichtSubversie")]
    cut = cut[: cut.rindex("<") + 1]
    report, q, lines = run(store_path, [msg.write(tmp_path, "half.xml", cut)])
    assert (report.read, report.accepted, report.quarantined) == (1, 0, 1)
    last = cut.count("\n") + 1
    assert q.loc[0, "reason"] == ("bestand is afgebroken (onvolledige XML): het houdt op midden "
                                  f"in regel {last}")
    assert q.loc[0, "position"] == last and lines.empty


def test_a_comment_after_the_root_is_still_a_complete_file(msg, tmp_path, store_path):
    """The end-of-file check for truncation does not refuse a well-formed trailing comment."""
    text = msg.claim([msg.Line("R1")]) + "\n<!-- einde bericht -->\n"
    report, q, lines = run(store_path, [msg.write(tmp_path, "staart.xml", text)])
    assert (report.read, report.accepted, report.quarantined) == (1, 1, 0)
    assert len(lines) == 1


@pytest.mark.parametrize("old,new,word", [
    ("http://www.istandaarden.nl/ijw/3_2/jw323/schema",
     "http://www.istandaarden.nl/ijw/3_1/jw323/schema", "versie 3.1"),
    ("http://www.istandaarden.nl/ijw/3_2/jw323/schema", "urn:iets:anders", "onbekende namespace"),
    ("<jw323:BerichtVersie>3<", "<jw323:BerichtVersie>2<", "berichtversie 2.2"),
    ("<jw323:BerichtCode>490<", "<jw323:BerichtCode>436<", "BerichtCode '436'"),
])
def test_wrong_namespace_or_version_is_refused(msg, tmp_path, store_path, old, new, word):
    """Another release, another standard, another version or code: refused, reason in Dutch."""
    text = msg.claim([msg.Line("R1")]).replace(old, new)
    report, q, _ = run(store_path, [msg.write(tmp_path, "x.xml", text)], validate=False)
    assert report.files[0].status == "geweigerd"
    assert word in q.loc[0, "reason"]


@pytest.mark.parametrize("validate", [True, False])
def test_impossible_date(msg, tmp_path, store_path, validate):
    """30 February: with validation the file is refused, without it only that line."""
    text = msg.claim([msg.Line("R1"), msg.Line("R2", month="2026-02")])
    text = text.replace("2026-02-28", "2026-02-30")
    report, q, lines = run(store_path, [msg.write(tmp_path, "datum.xml", text)], validate=validate)
    assert msg.reconciles(report)
    assert "2026-02-30" in q.loc[0, "reason"]
    if validate:
        assert report.quarantined == 1 and lines.empty
    else:
        assert (report.accepted, report.quarantined) == (1, 1)
        assert q.loc[0, "reason"] == "onmogelijke datum '2026-02-30' in Einddatum"
        assert q.loc[0, "position"] > 20


@pytest.mark.parametrize("category,code,reason", [
    ("45", "54A03", "onbekende productcode '54A03' (hoort niet bij categorie 45)"),
    ("45", "45a03", "onbekende productcode '45a03'"),
    ("40", "40X01", None),
])
def test_unknown_product_code(msg, tmp_path, store_path, category, code, reason):
    """A code that does not belong to its category is quarantined; a proper one is accepted."""
    text = msg.claim([msg.Line("R1", category=category, code=code)])
    report, q, lines = run(store_path, [msg.write(tmp_path, "p.xml", text)])
    assert msg.reconciles(report)
    if reason is None:
        assert report.accepted == 1 and q.empty
    else:
        assert report.quarantined == 1 and q.loc[0, "reason"].startswith(reason)


def test_unknown_product_category_is_quarantined_without_validation(msg, tmp_path, store_path):
    """Category 99 is not in the iJw code list."""
    text = msg.claim([msg.Line("R1", category="99", code="99A01")])
    report, q, _ = run(store_path, [msg.write(tmp_path, "p.xml", text)], validate=False)
    assert q.loc[0, "reason"] == "onbekende productcategorie '99'"
    with Store(store_path) as store:            # a refused record keeps its message's gemeente
        kept = store.quarantine_records()
        municipality = store.con.execute("SELECT municipality FROM messages").fetchone()[0]
    assert kept.loc[0, "municipality"] == municipality and municipality


def test_credit_without_debit_is_quarantined_and_matched_credit_kept(msg, tmp_path, store_path):
    """Credits of R1 (same reference) and of R0 (new reference, VorigReferentieNummer R0's
    debit) are kept; a credit of R9 (never debited) is quarantined."""
    first = msg.write(tmp_path, "a.xml", msg.claim([msg.Line("R1"), msg.Line("R0")], ident="A"))
    second = msg.write(tmp_path, "b.xml", msg.claim(
        [msg.Line("R1", dc="C"), msg.Line("R9", dc="C", prev="R8"), msg.Line("R2", prev="R1"),
         msg.Line("C0", dc="C", prev="R0")], ident="B"))
    report, q, lines = run(store_path, [second, first])  # order within one import does not matter
    assert msg.reconciles(report)
    assert (report.read, report.accepted, report.quarantined) == (6, 5, 1)
    assert q.loc[0, "reason"] == ("creditregel zonder debetregel: geen debet met "
                                  "ReferentieNummer 'R9' of 'R8'")
    assert q.loc[0, "file"].endswith("b.xml")
    with Store(store_path) as store:            # the credit's own amount, the message code
        kept = store.quarantine_records()
    assert kept.loc[0, "amount_euro"] == pytest.approx(-50.0)
    assert kept.loc[0, "message_code"] == "JW323"
    # and the gemeentecode of its message: the forecast of one municipality of a region counts
    # its own refused lines
    assert kept.loc[0, "municipality"] == lines["municipality"].iloc[0] and \
        len(kept.loc[0, "municipality"]) == 4
    assert sorted(lines["reference_number"]) == ["C0", "R0", "R1", "R1", "R2"]
    assert lines["amount_euro"].sum() == pytest.approx(50.0)  # 50 + 50 - 50 + 50 - 50
    with Store(store_path) as store:
        log = store.imports().set_index("file")
    b = log.loc[str(second)]
    assert (b.records_read, b.accepted, b.quarantined) == (4, 3, 1)


def test_negative_volume(msg, tmp_path, store_path):
    """GeleverdVolume -4: quarantined (the schema refuses it too when validating)."""
    text = msg.claim([msg.Line("R1"), msg.Line("R2")]).replace(
        "<jw323:GeleverdVolume>4<", "<jw323:GeleverdVolume>-4<", 1)
    path = msg.write(tmp_path, "neg.xml", text)
    report, q, lines = run(store_path, [path], validate=False)
    assert (report.accepted, report.quarantined) == (1, 1)
    assert q.loc[0, "reason"] == "negatief volume: -4 in GeleverdVolume"
    report2, q2, _ = run(store_path.with_name("b.duckdb"), [path])
    assert "GeleverdVolume" in q2.loc[0, "reason"] and report2.quarantined == 1


def test_duplicate_message_is_quarantined(msg, tmp_path, store_path):
    """Same sender, code and BerichtIdentificatie under other bytes: a duplicate, refused."""
    a = msg.write(tmp_path, "a.xml", msg.claim([msg.Line("R1")], ident="X1"))
    b = msg.write(tmp_path, "b.xml", msg.claim([msg.Line("R2")], ident="X1"))
    report, q, lines = run(store_path, [a, b])
    assert msg.reconciles(report) and report.quarantined == 1
    assert q.loc[0, "reason"].startswith("dubbel bericht: JW323 van afzender 65656055")
    assert str(a) in q.loc[0, "reason"]
    assert lines["reference_number"].tolist() == ["R1"]
    # and across imports too
    c = msg.write(tmp_path, "c.xml", msg.claim([msg.Line("R3")], ident="X1") + "\n")
    report, q, _ = run(store_path, [c])
    assert report.files[0].status == "geweigerd" and len(q) == 2


def test_identical_copy_under_another_name_is_skipped(msg, tmp_path, store_path):
    """The same bytes under another name are not read twice (and are no duplicate either)."""
    text = msg.claim([msg.Line("R1")])
    a, b = msg.write(tmp_path, "a.xml", text), msg.write(tmp_path / "kopie", "a.xml", text)
    report, q, lines = run(store_path, [a, b])
    assert [f.status for f in report.files] == ["ingelezen", "al ingelezen"]
    assert q.empty and len(lines) == 1


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
"""


@pytest.mark.parametrize("prolog,entity", [(BOMB, "&lol3;"), (XXE, "&xxe;")])
def test_entity_bomb_and_external_entity_are_refused(msg, tmp_path, store_path, prolog, entity):
    """A DOCTYPE with entities is refused before any content is read; nothing is expanded."""
    text = msg.claim([msg.Line("R1")])
    text = prolog + text.split("?>", 1)[1].replace(">DN1<", f">{entity}<")
    report, q, lines = run(store_path, [msg.write(tmp_path, "bom.xml", text)])
    assert report.files[0].status == "geweigerd" and lines.empty
    assert "DOCTYPE" in q.loc[0, "reason"] and "veiligheid" in q.loc[0, "reason"]
    assert "root:" not in q.loc[0, "reason"]


def test_unknown_file_type_and_empty_file(msg, tmp_path, store_path):
    """A .docx file named explicitly, a .txt note and an empty .xml: refused with a reason each
    (a .txt is read as a text export, Excel's "Unicode-tekst")."""
    doc = msg.write(tmp_path, "notitie.docx", "hallo")
    txt = msg.write(tmp_path, "notitie.txt", "tot morgen")
    empty = msg.write(tmp_path, "leeg.xml", "")
    report, q, _ = run(store_path, [doc, txt, empty])
    assert msg.reconciles(report) and report.quarantined == 3
    assert "onbekend bestandstype '.docx'" in q.loc[0, "reason"]
    assert "geen bekende export" in q.loc[1, "reason"] and "leeg" in q.loc[2, "reason"]


def test_a_zip_or_an_old_excel_file_says_what_to_do(msg, tmp_path, store_path):
    """A .zip of messages and an .xls export: refused, each with the step that helps."""
    files = [msg.write(tmp_path, "berichten.zip", "PK"), msg.write(tmp_path, "oud.xls", "x")]
    _, q, _ = run(store_path, files)
    assert q["reason"].str.endswith("; pak het zip-bestand eerst uit en lees de map in").iloc[0]
    assert q["reason"].iloc[1].endswith("; sla het in Excel op als .xlsx (Excel-werkmap)")


def test_invalid_bsn_is_quarantined_without_quoting_it(msg, tmp_path, store_path):
    """A BSN failing the 11-test is refused; the reason never contains the number."""
    text = msg.claim([msg.Line("R1", bsn="999990018")])
    report, q, _ = run(store_path, [msg.write(tmp_path, "bsn.xml", text)], validate=False)
    assert q.loc[0, "reason"] == "BSN voldoet niet aan de elfproef"
    assert "999990018" not in q.to_csv()


def test_a_bsn_of_zeros_in_a_message_is_quarantined(msg, tmp_path, store_path):
    """Nine zeros pass the 11-test's sum but are no BSN (the synthetic municipality's own
    check refused them; the importer's accepted them): refused as a missing BSN."""
    text = msg.claim([msg.Line("R1", bsn="000000000"), msg.Line("R2")])
    report, q, _ = run(store_path, [msg.write(tmp_path, "nul.xml", text)], validate=False)
    assert (report.accepted, report.quarantined) == (1, 1)
    assert q.loc[0, "reason"] == "BSN ontbreekt (alleen nullen)"


def test_out_of_range_amount_and_date_in_a_message_cost_one_line(msg, tmp_path, store_path):
    """Issue 13 item 4: a 15-digit amount and a year 2150 are quarantined per line (without
    XSD validation they reach the checks); the good line and a good file beside it land."""
    text = msg.claim([msg.Line("R1"), msg.Line("R2", amount=123456789012345),
                      msg.Line("R3", month="2150-04")])
    good = msg.claim([msg.Line("R9")], ident="C2")
    report, q, lines = run(store_path, [msg.write(tmp_path, "a.xml", text),
                                        msg.write(tmp_path, "b.xml", good)], validate=False)
    assert msg.reconciles(report)
    assert (report.accepted, report.quarantined) == (2, 2)
    assert sorted(lines["reference_number"]) == ["R1", "R9"]
    reasons = sorted(q["reason"])
    assert reasons[0] == "IngediendBedrag buiten bereik: '…'"  # 9+ digits never quoted
    assert reasons[1].startswith("datum 2150-04-01 in ") and reasons[1].endswith("2000–2100")


def test_the_owner_file_of_a_workbook_open_in_excel_is_skipped(msg, tmp_path, store_path):
    """A folder read while Excel has export.xlsx open holds '~$export.xlsx' (Office's owner
    file): it was refused as 'geen zip-bestand' and counted as a record in the quarantine."""
    folder = tmp_path / "map"
    msg.write(folder, "declaratie.xml", msg.claim([msg.Line("R1")]))
    (folder / "~$export.xlsx").write_bytes(b"\x0bJan Jansen    \x00\x00\x00")
    report, q, lines = run(store_path, [folder])
    assert (report.read, report.accepted, report.quarantined) == (1, 1, 0) and q.empty
    skipped = [f for f in report.files if f.status == "overgeslagen"]
    assert [(f.file.endswith("~$export.xlsx"), f.reason) for f in skipped] == [
        (True, "tijdelijk bestand van Excel (export.xlsx is geopend in Excel), geen export")]


def test_grips_own_files_in_the_folder_are_skipped(msg, tmp_path):
    """The store, its forecast snapshots, the begrotingsmodel and the provider register kept
    in the folder of exports:
    each import refused 'opslag.prognoses.csv' and the model as unknown exports, a quarantined
    record each time. They are skipped with what they are."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    from berichten.store import GRIP_WORKBOOK_NAME, snapshot_path
    from workbooks import layout

    assert GRIP_WORKBOOK_NAME == layout.NAME_VERSION      # the one name every model carries
    folder = tmp_path / "Grip"
    msg.write(folder, "declaratie.xml", msg.claim([msg.Line("R1")]))
    store = folder / "opslag.duckdb"
    for path in (snapshot_path(store), snapshot_path(store, "0363")):
        path.write_text("peilmaand;prognose\n2026-06;1\n", encoding="utf-8")
    wb = Workbook()
    wb.defined_names[layout.NAME_VERSION] = DefinedName(layout.NAME_VERSION, attr_text="Start!$B$2")
    wb.save(folder / "begrotingsmodel.xlsx")
    (folder / "aanbieders.csv").write_text("AGB-code;Naam\n98010001;Jeugdhulp Wolkenveld\n",
                                           encoding="utf-8")
    report, q, lines = run(store, [folder])
    assert (report.read, report.accepted, report.quarantined) == (1, 1, 0) and q.empty
    skipped = sorted((Path(f.file).name, f.reason) for f in report.files
                     if f.status == "overgeslagen")
    assert skipped == [
        ("aanbieders.csv", "een aanbiedersregister (AGB-code en naam), geen export: geef het op "
                           "met --aanbieders, of zet de namen op het blad Namen van het "
                           "begrotingsmodel"),
        ("begrotingsmodel.xlsx", "een begrotingsmodel van Grip (of een kopie ervan), geen export"),
        ("opslag.prognoses.0363.csv", "eigen bestand van Grip (de opgeslagen prognoses naast een "
                                      "opslag), geen export"),
        ("opslag.prognoses.csv", "eigen bestand van Grip (de opgeslagen prognoses naast een "
                                 "opslag), geen export")]


def test_care_claimed_before_it_was_given_or_after_the_message_is_quarantined(msg, tmp_path,
                                                                              store_path):
    """A ProductPeriode after its DeclaratiePeriode (care cannot be claimed before it is
    given), or a DeclaratiePeriode after the message's dagtekening: each line quarantined with
    its months; the rest of the message is kept. Accepted, a claim month in 2035 became the
    store's last claim month, the forecast's default peilmaand, and the forecast failed."""
    text = msg.claim([msg.Line("R1"), msg.Line("R2", month="2026-06")], period="2026-04",
                     day="2026-05-06")
    report, q, lines = run(store_path, [msg.write(tmp_path, "vooruit.xml", text)])
    assert (report.accepted, report.quarantined) == (1, 1)
    assert q.loc[0, "reason"] == "productperiode 06-2026 ligt na de declaratieperiode 04-2026"
    later = msg.claim([msg.Line("R3", month="2026-04")], ident="C2", period="2026-08",
                      day="2026-05-06")
    report, q, _ = run(store_path, [msg.write(tmp_path, "later.xml", later)])
    assert report.quarantined == 1 and q["reason"].iloc[-1] == (
        "declaratieperiode 08-2026 ligt na de dagtekening van het bericht (05-2026)")
