"""Flat exports (CSV, xlsx) of claims and allocations, with the configurable column mapping."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from berichten import amounts, flat
from berichten.importer import import_paths
from berichten.store import Store

HEAD = ["Gemeente", "AGB-code", "BSN", "Declaratienummer", "Referentienummer",
        "Toewijzingnummer", "Productcategorie", "Productcode", "Productperiode",
        "Declaratieperiode", "Geleverd volume", "Eenheid", "Tarief", "Bedrag", "Debet/credit"]
ROWS = [
    ["0384", "65656055", "999990019", "F1", "R1", "10072", "45", "45A03", "2026-03", "01-04-2026",
     "4", "04", "12,50", "50,00", "D"],
    ["0384", "65656055", "999990032", "F1", "R2", "10073", "45", "45A04", "1-4-2026",
     "2026-04-01", "16", "04", "77,50", "1.240,00", "D"],
    ["0384", "65656055", "999990019", "F2", "R1", "10072", "45", "45A03", "2026-03", "2026-05",
     "4", "04", "12,50", "50,00", "C"],
]


def _csv(rows, sep=";", head=HEAD):
    return "\r\n".join(sep.join(r) for r in [head, *rows]) + "\r\n"


def _imported(path, rows, store_path):
    """The rows written as a claims CSV at ``path`` and imported: the report and the quarantine."""
    path.write_text(_csv(rows), encoding="utf-8")
    report = import_paths(store_path, [path])
    with Store(store_path) as store:
        return report, store.quarantine()


@pytest.mark.parametrize("sep,encoding,bom", [(";", "utf-8", True), (";", "cp1252", False),
                                              (",", "utf-8", False)])
def test_claims_csv_in_every_dialect(msg, tmp_path, store_path, sep, encoding, bom):
    """; or , separated, UTF-8 with BOM or Windows-1252, decimal comma: the same claim lines."""
    rows = [[c.replace(",", ".") if sep == "," and "," in c else c for c in r] for r in ROWS]
    if sep == ",":  # a comma file writes amounts with a decimal point, quoted thousands
        rows[1][14 - 1] = '"1240.00"'
    text = _csv(rows, sep)
    path = tmp_path / "export.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("Gemeente", "Gemeenté")
                     .replace("Gemeenté", "Gemeente").encode(encoding))
    mapping = flat.default_mapping()
    if sep == ",":
        mapping = flat.Mapping(mapping.kinds, mapping.required, decimal=".")
    report = import_paths(store_path, [path], mapping=mapping)
    assert (report.read, report.accepted, report.quarantined) == (3, 3, 0)
    assert report.files[0].message_code == "CSV-declaraties"
    with Store(store_path) as store:
        lines = store.claim_lines()
    assert lines["amount_euro"].tolist() == [50.0, 1240.0, -50.0]
    assert lines["volume"].tolist() == [4, 16, -4]
    assert lines["tariff_euro"].tolist() == [12.5, 77.5, 12.5]
    assert [str(d.date()) for d in lines["service_month"]] == ["2026-03-01", "2026-04-01",
                                                               "2026-03-01"]
    assert [str(d.date()) for d in lines["claim_month"]] == ["2026-04-01", "2026-04-01",
                                                             "2026-05-01"]


def test_windows_1252_text_is_read(tmp_path, store_path):
    """A cp1252 byte (é) in a free-text column does not break the file."""
    head = HEAD + ["Opmerking"]
    rows = [r + ["café"] for r in ROWS[:1]]
    path = tmp_path / "e.csv"
    path.write_bytes(_csv(rows, head=head).encode("cp1252"))
    assert import_paths(store_path, [path]).accepted == 1


@pytest.mark.parametrize("name", ["export.txt", "export.csv"])
def test_excel_unicode_text_is_read(tmp_path, store_path, name):
    """Excel's "Opslaan als Unicode-tekst": UTF-16 with a BOM, tab-separated, a .txt file (it
    was refused as an unknown file type, and as a .csv its header was not found)."""
    path = tmp_path / name
    path.write_bytes(_csv(ROWS, "\t").encode("utf-16"))
    report = import_paths(store_path, [path])
    assert (report.read, report.accepted, report.quarantined) == (3, 3, 0)
    with Store(store_path) as store:
        assert store.claim_lines()["amount_euro"].tolist() == [50.0, 1240.0, -50.0]


def test_a_wmo_export_without_a_wet_column_is_read_as_wmo(tmp_path, store_path):
    """No Wet column and the default Jeugdwet: Wmo categories (01 huishoudelijke hulp, 02
    begeleiding) were refused line by line ("onbekende productcategorie '01' (toegestaan: 40,
    41, ...)"), so a Wmo export imported nothing. A category only the Wmo list knows is
    Wmo's; a youth category in the same file stays Jeugdwet's; an unknown one is refused."""
    rows = [["0384", "65656055", "999990019", "F1", "W1", "10072", "01", "01A01", "2026-03",
             "01-04-2026", "4", "04", "32,00", "128,00", "D"],
            ["0384", "65656055", "999990032", "F1", "W2", "10073", "02", "02A05", "2026-03",
             "01-04-2026", "2", "04", "58,50", "117,00", "D"],
            ROWS[0],
            ["0384", "65656055", "999990032", "F1", "W3", "10074", "99", "99A01", "2026-03",
             "01-04-2026", "2", "04", "58,50", "117,00", "D"]]
    path = tmp_path / "wmo.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    report = import_paths(store_path, [path])
    assert (report.read, report.accepted, report.quarantined) == (4, 3, 1)
    with Store(store_path) as store:
        lines = store.claim_lines().sort_values("reference_number")
        reason = store.quarantine()["reason"].tolist()
    assert lines[["reference_number", "law", "product_category"]].values.tolist() == [
        ["R1", "jw", "45"], ["W1", "wmo", "01"], ["W2", "wmo", "02"]]
    assert len(reason) == 1 and "onbekende productcategorie '99'" in reason[0]


def test_shifted_columns_are_quarantined_per_line(tmp_path, store_path):
    """A row with one field too many and a row whose amount column holds a date: both refused."""
    rows = [ROWS[0], ["0384", "65656055", "999990032", "extra"] + ROWS[1][3:],
            ROWS[1][:13] + ["2026-04-01", "D"]]
    report, q = _imported(tmp_path / "shift.csv", rows, store_path)
    assert (report.read, report.accepted, report.quarantined) == (3, 1, 2)
    assert q["position"].tolist() == [3, 4]
    assert q.loc[0, "reason"] == "regel heeft 16 velden, de kop heeft er 15 (verschoven kolommen?)"
    assert q.loc[1, "reason"] == "kolom 'Bedrag': geen geldig bedrag: '2026-04-01'"
    assert "999990032" not in q.to_csv()


def test_a_bsn_of_zeros_is_no_client(tmp_path, store_path):
    """An export's unknown BSN (0, or nine zeros) passes the 11-test's arithmetic but is no
    BSN: quarantined as missing, never one client for every such line."""
    rows = [ROWS[0], ["0384", "65656055", "0"] + ROWS[1][3:],
            ["0384", "65656055", "000000000"] + ROWS[2][3:]]
    report, q = _imported(tmp_path / "nullen.csv", rows, store_path)
    assert (report.read, report.accepted, report.quarantined) == (3, 1, 2)
    assert q["reason"].tolist() == ["BSN ontbreekt (alleen nullen)"] * 2


def test_missing_columns_refuse_the_file(tmp_path, store_path):
    """Without a BSN column the export is no known export: refused with the missing columns."""
    path = tmp_path / "x.csv"
    path.write_text(_csv([r[:2] + r[3:] for r in ROWS], head=HEAD[:2] + HEAD[3:]))
    report = import_paths(store_path, [path])
    assert report.files[0].status == "geweigerd"
    assert report.files[0].reason == ("geen bekende export: voor declaraties ontbreken de "
                                      "kolommen BSN (of Burgerservicenummer)")


def test_without_a_category_column_an_ijw_product_code_gives_it(tmp_path, store_path):
    """An export with only Productcode: an iJw code begins with its category (45A03: 45), as
    the import already checks; it was refused whole ('ontbreken de kolommen
    Productcategorie'). A Wet column that says Wmo does not take a Jeugdwet category."""
    k = HEAD.index("Productcategorie")
    path = tmp_path / "zonder_categorie.csv"
    path.write_text(_csv([r[:k] + r[k + 1:] for r in ROWS], head=HEAD[:k] + HEAD[k + 1:]))
    report = import_paths(store_path, [path])
    assert (report.read, report.accepted, report.quarantined) == (3, 3, 0)
    with Store(store_path) as store:
        claims = store.claim_lines()
    assert set(claims["product_category"]) == {"45"} and set(claims["law"]) == {"jw"}
    wmo = tmp_path / "wet_wmo.csv"
    wmo.write_text(_csv([["Wmo"] + r[:k] + r[k + 1:] for r in ROWS[:1]],
                        head=["Wet"] + HEAD[:k] + HEAD[k + 1:]))
    report = import_paths(store_path, [wmo])
    assert report.quarantined == 1
    assert report.reasons["reason"][0].startswith("geen kolom Productcategorie, en uit deze")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_title_block_above_the_header_is_passed_over(tmp_path, store_path, suffix):
    """Exports often start with a title, a date and an empty row: the header is found below
    them, and quarantined rows keep the line they have in the file."""
    title = [["Export declaraties Jeugd, Gemeente Proef"], ["Aangemaakt op 01-12-2026"], []]
    rows = [ROWS[0], ROWS[1][:13] + ["2026-04-01", "D"], ROWS[2]]
    path = tmp_path / f"export.{suffix}"
    if suffix == "csv":
        path.write_text("\r\n".join(";".join(r) for r in [*title, HEAD, *rows]) + "\r\n",
                        encoding="utf-8")
    else:
        wb = Workbook()
        for r in [*title, HEAD, *rows]:
            wb.active.append(r or [None])
        wb.save(path)
    report = import_paths(store_path, [path])
    assert (report.read, report.accepted, report.quarantined) == (3, 2, 1)
    with Store(store_path) as store:
        q = store.quarantine()
        lines = store.claim_lines()
    assert q["position"].tolist() == [6]          # title 1-3, header 4, data from 5
    assert q.loc[0, "reason"] == "kolom 'Bedrag': geen geldig bedrag: '2026-04-01'"
    assert sorted(lines["amount_euro"].tolist()) == [-50.0, 50.0]


def test_totals_rows_are_checked_not_counted(tmp_path, store_path):
    """A subtotal and a grand total under the lines are no claims: kept in the quarantine
    without an amount, each compared with the lines above it."""
    total = ["Totaal"] + [""] * 12 + ["1.290,00", ""]   # 50 + 1.240, the credit below not yet
    wrong = ["Eindtotaal"] + [""] * 12 + ["1.300,00", ""]
    path = tmp_path / "t.csv"
    path.write_text(_csv([ROWS[0], ROWS[1], total, ROWS[2], wrong]), encoding="utf-8")
    report = import_paths(store_path, [path])
    assert (report.read, report.accepted, report.quarantined) == (5, 3, 2)
    with Store(store_path) as store:
        q = store.quarantine_records()
    assert q["position"].tolist() == [4, 6]
    assert q["amount_euro"].isna().all()
    assert q["reason"].tolist() == [
        "totaalregel, geen declaratie: het bedrag € 1.290,00 telt niet mee; de regels erboven "
        "samen € 1.290,00 (klopt)",
        "totaalregel, geen declaratie: het bedrag € 1.300,00 telt niet mee; de regels sinds de "
        "vorige totaalregel samen € -50,00, alle regels erboven € 1.240,00: verschil € 60,00, "
        "controleer of het bestand compleet is"]


def test_names_instead_of_codes_are_refused(tmp_path, store_path):
    """A gemeente or aanbieder written as a name never meets the messages (its clients would
    get other pseudonyms): the row is refused; codes without their leading zeros are fine."""
    rows = [["Amsterdam"] + ROWS[0][1:], ROWS[1][:1] + ["Zorg BV"] + ROWS[1][2:],
            ["384", "5656055"] + ROWS[0][2:]]
    path = tmp_path / "n.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    report = import_paths(store_path, [path])
    assert (report.read, report.accepted, report.quarantined) == (3, 1, 2)
    with Store(store_path) as store:
        q = store.quarantine()
        lines = store.claim_lines()
    assert q["reason"].tolist() == [
        "kolom 'Gemeente': 'Amsterdam' is geen gemeentecode (4 cijfers); een naam kan Grip "
        "niet aan de berichten koppelen",
        "kolom 'AGB-code': 'Zorg BV' is geen AGB-code (8 cijfers); een naam kan Grip niet aan "
        "de berichten koppelen"]
    assert (lines.loc[0, "municipality"], lines.loc[0, "provider"]) == ("0384", "05656055")


def test_allocation_dates_as_systems_write_them(tmp_path, store_path):
    """Einddatum 31-12-9999 is "no end"; a date as Excel's day number or as 20250301 is a
    date; a start date in 9999 is still refused."""
    head = ["Gemeente", "AGB-code", "BSN", "Toewijzingnummer", "Productcategorie",
            "Productcode", "Ingangsdatum", "Einddatum", "Volume", "Eenheid", "Frequentie"]
    base = ["0363", "87654321", "999990019", "T1", "45", "45A48"]
    rows = [base + ["01-01-2025", "31-12-9999", "8", "uur", "per week"],
            base[:3] + ["T2"] + base[4:] + ["45658", "20251231", "4,0", "uur", "per week"],
            base[:3] + ["T3"] + base[4:] + ["31-12-9999", "", "4", "uur", "per week"],
            base[:3] + ["T4"] + base[4:] + ["01-03-2025", "28-02-2025", "4", "uur", "per week"]]
    path = tmp_path / "tw.csv"
    path.write_text(_csv(rows, head=head), encoding="utf-8")
    report = import_paths(store_path, [path])
    assert (report.read, report.accepted, report.quarantined) == (4, 2, 2)
    with Store(store_path) as store:
        a = store.allocations().sort_values("allocation_number", ignore_index=True)
        q = store.quarantine()
    assert [str(d.date()) for d in a["start_date"]] == ["2025-01-01", "2025-01-01"]
    assert pd.isna(a.loc[0, "end_date"]) and str(a.loc[1, "end_date"].date()) == "2025-12-31"
    assert a["volume"].tolist() == [8, 4]
    # the dates as the export writes them, not in the ISO form of the store
    assert sorted(q["reason"]) == ["datum 31-12-9999 in kolom 'Ingangsdatum' ligt buiten "
                                   "2000–2100",
                                   "einddatum 28-02-2025 ligt voor ingangsdatum 01-03-2025"]
    # an allocation has no amount: its group says so, not a reassuring EUR 0,00
    assert report.reasons["amount_euro"].isna().all()
    assert all("(geen bedrag; eerste: tw.csv:" in line for line in report.lines()
               if " × " in line)


def test_a_first_export_tells_which_allocations_ran_before_it(tmp_path, store_path):
    """The first export of today holds allocations decided long ago: each counts as known
    from its start date (else a forecast at last month would see none). A later export's
    change, and an allocation new in it, count from that export's peildatum."""
    head = ["Gemeente", "AGB-code", "BSN", "Toewijzingnummer", "Productcategorie",
            "Productcode", "Ingangsdatum", "Einddatum", "Volume", "Eenheid", "Frequentie",
            "Peildatum"]
    base = ["0363", "87654321", "999990019"]
    first = [base + ["T1", "45", "45A48", "01-01-2025", "", "8", "uur", "per week",
                     "06-12-2026"]]
    second = [base + ["T1", "45", "45A48", "01-01-2025", "31-01-2027", "8", "uur",
                      "per week", "06-01-2027"],
              base + ["T2", "45", "45A48", "01-11-2026", "", "4", "uur", "per week",
                      "06-01-2027"]]
    for k, rows in enumerate((first, second)):
        path = tmp_path / f"tw{k}.csv"
        path.write_text(_csv(rows, head=head), encoding="utf-8")
        assert import_paths(store_path, [path]).accepted == len(rows)
    with Store(store_path) as store:
        a = store.allocations()
    assert [(n, str(f.date())) for n, f in zip(a["allocation_number"], a["valid_from"])] == [
        ("T1", "2025-01-01"), ("T1", "2027-01-06"), ("T2", "2027-01-06")]


def test_an_xlsx_with_a_cover_sheet_first(tmp_path, store_path):
    """The data may be on a later sheet ('Toelichting' first); without a header on any
    sheet the refusal names the sheets searched."""
    wb = Workbook()
    wb.active.title = "Toelichting"
    wb.active.append(["Deze export bevat de declaraties van 2026."])
    data = wb.create_sheet("Declaraties")
    for r in [HEAD, *ROWS]:
        data.append(r)
    path = tmp_path / "export.xlsx"
    wb.save(path)
    assert import_paths(store_path, [path]).accepted == 3
    del wb["Declaraties"]
    wb.create_sheet("Leeg")
    wb.save(path := tmp_path / "geen.xlsx")
    report = import_paths(store_path, [path])
    assert report.files[0].reason.endswith("(gezocht op de bladen Toelichting, Leeg)")


def test_overlapping_exports_count_each_line_once(tmp_path, store_path):
    """January-March, then January-April: the lines of the first export that the second
    repeats go to the quarantine with their amount, and the store holds each line once."""
    first, second = tmp_path / "q1.csv", tmp_path / "tot_april.csv"
    first.write_text(_csv(ROWS[:2]), encoding="utf-8")
    extra = ROWS[0][:4] + ["R3"] + ROWS[0][5:]
    second.write_text(_csv([*ROWS[:2], extra]), encoding="utf-8")
    report = import_paths(store_path, [first, second])
    assert (report.read, report.accepted, report.quarantined) == (5, 3, 2)
    with Store(store_path) as store:
        q = store.quarantine_records()
        lines = store.claim_lines()
    assert q["position"].tolist() == [2, 3] and q["file"].str.endswith("tot_april.csv").all()
    assert q["reason"].str.startswith("dubbele regel: deze declaratie staat al in de opslag").all()
    assert q["amount_euro"].sum() == pytest.approx(1290.0)
    assert sorted(lines["reference_number"]) == ["R1", "R2", "R3"]


def test_no_header_in_the_first_rows_names_the_closest_row(tmp_path, store_path):
    """A file whose header lacks a column is refused at the row that came closest."""
    path = tmp_path / "x.csv"
    path.write_text("Declaraties 2026\r\n\r\n" + _csv([r[:2] + r[3:] for r in ROWS],
                                                       head=HEAD[:2] + HEAD[3:]))
    report = import_paths(store_path, [path])
    assert report.files[0].status == "geweigerd"
    assert report.files[0].reason == (
        "geen bekende export (kopregel gezocht in de eerste 20 regels; regel 3 lijkt er het "
        "meest op): voor declaraties ontbreken de kolommen BSN (of Burgerservicenummer)")


def test_allocations_xlsx_with_a_custom_mapping(tmp_path, store_path):
    """An xlsx of allocations with its own headers, read through a custom mapping file."""
    toml = tmp_path / "kolommen.toml"
    toml.write_text(flat.DEFAULT_MAPPING.read_text(encoding="utf-8").replace(
        'start_date = ["Ingangsdatum", "Begindatum"]', 'start_date = ["Start zorg"]'),
        encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    ws.append(["Gemeente", "AGB", "BSN", "Toewijzingnummer", "Productcategorie", "Productcode",
               "Start zorg", "Einddatum", "Volume", "Eenheid", "Frequentie", "Peildatum"])
    import datetime as dt
    ws.append([384, 65656055, 999990019, 300201, 45, "45A03", dt.datetime(2026, 1, 1), None, 4,
               "04", "2", dt.date(2026, 2, 1)])
    ws.append([384, 65656055, 999990032, 300202, 45, "45A04", "2026-02-01", "2026-12-31", 2,
               "04", "2", "2026-02-01"])
    path = tmp_path / "toewijzingen.xlsx"
    wb.save(path)
    report = import_paths(store_path, [path], mapping=flat.load_mapping(toml))
    assert (report.accepted, report.quarantined) == (2, 0)
    with Store(store_path) as store:
        a = store.allocations().sort_values("allocation_number", ignore_index=True)
    assert a["municipality"].tolist() == ["0384", "0384"]
    assert a["allocation_number"].tolist() == ["300201", "300202"]
    assert str(a.loc[0, "start_date"].date()) == "2026-01-01" and a["end_date"].isna().tolist() \
        == [True, False]
    # a first export: known from its peildatum, or from the start date when that is earlier
    assert [str(d.date()) for d in a["valid_from"]] == ["2026-01-01", "2026-02-01"]


@given(st.integers(min_value=-10**11, max_value=10**11))
def test_dutch_amounts_round_trip(cents):
    """Any amount written the Dutch way (1.234.567,89) reads back to the same eurocent."""
    euros, rest = divmod(abs(cents), 100)
    text = ("-" if cents < 0 else "") + f"{euros:,}".replace(",", ".") + f",{rest:02d}"
    assert amounts.cents(text, ",") == (cents, None)
    assert amounts.decide([text])[1] is None
