"""Exports as a municipality really writes them (issue 13): decimal marks, codes as words,
values out of range; every case reconciles read = accepted + quarantined, in euro too."""

import pytest

from berichten.importer import import_paths
from berichten.store import Store
from tests.factories import bsn_like_outside_test_range

BSN_LIKE = bsn_like_outside_test_range()

HEAD = ["Gemeente", "AGB-code", "BSN", "Referentienummer", "Productcategorie", "Productcode",
        "Productperiode", "Declaratieperiode", "Volume", "Eenheid", "Tarief", "Bedrag",
        "Debet/credit"]


def _line(ref, volume, tariff, amount, *, unit="04", dc="D", bsn="999990019", cat="45",
          code="45A03", service="2026-03", claim="2026-04"):
    return ["0384", "65656055", bsn, ref, cat, code, service, claim, volume, unit, tariff,
            amount, dc]


def _write(tmp_path, rows, *, head=HEAD, sep=";", name="export.csv"):
    path = tmp_path / name
    path.write_text("\n".join(sep.join(r) for r in [head, *rows]) + "\n", encoding="utf-8")
    return path


def _imported(store_path, path):
    report = import_paths(store_path, [path])
    with Store(store_path) as store:
        lines, q = store.claim_lines(), store.quarantine()
        q_cents = store.con.execute("SELECT coalesce(sum(amount_cent), 0) FROM quarantine"
                                    ).fetchall()[0][0]
    assert report.read == report.accepted + report.quarantined
    assert len(lines) == report.accepted and len(q) == report.quarantined
    return report, lines, q, q_cents


def test_decimal_points_with_semicolons_are_read_to_the_cent(tmp_path, store_path):
    """The issue's case: ';' separated with 855.00 and tarief 85.50 was read x100."""
    path = _write(tmp_path, [_line("R1", "10", "85.50", "855.00"),
                             _line("R2", "3", "120.00", "360.00")])
    report, lines, q, _ = _imported(store_path, path)
    assert (report.accepted, report.quarantined) == (2, 0)
    assert lines["amount_euro"].tolist() == [855.0, 360.0]
    assert lines["tariff_euro"].tolist() == [85.5, 120.0]


@pytest.mark.parametrize("tariff,amount,euro", [
    ("1.234,56", "2.469,12", 2469.12),      # thousands dot, decimal comma
    ("1,234.56", "2,469.12", 2469.12),      # thousands comma, decimal point
    ("3.100", "6.200", 6200.0),             # whole euros with a thousands dot
])
def test_thousands_separators_either_way(tmp_path, store_path, tariff, amount, euro):
    path = _write(tmp_path, [_line("R1", "2", tariff, amount)])
    report, lines, q, _ = _imported(store_path, path)
    assert (report.accepted, report.quarantined) == (1, 0), q["reason"].tolist()
    assert lines["amount_euro"].tolist() == [euro]


def test_volume_times_tariff_settles_an_ambiguous_column(tmp_path, store_path):
    """Tarief '1.500' alone could be 1500 or 1,5; the amounts (3.00, decimal point) and
    2 x 1,5 = 3 settle it against the mapping's hint (decimal comma)."""
    path = _write(tmp_path, [_line("R1", "2", "1.500", "3.00"), _line("R2", "1", "1.500", "1.50")])
    report, lines, q, _ = _imported(store_path, path)
    assert (report.accepted, report.quarantined) == (2, 0), q["reason"].tolist()
    assert lines["amount_euro"].tolist() == [3.0, 1.5]
    assert lines["tariff_euro"].tolist() == [1.5, 1.5]


def test_a_line_whose_amount_is_not_volume_times_tariff_is_quarantined(tmp_path, store_path):
    path = _write(tmp_path, [_line("R1", "4", "12,50", "50,00"), _line("R2", "4", "12,50", "55,00"),
                             _line("R3", "2", "10,00", "20,00")])
    report, lines, q, q_cents = _imported(store_path, path)
    assert (report.accepted, report.quarantined) == (2, 1)
    assert q["reason"].tolist() == ["bedrag € 55,00 is niet volume × tarief (4 × € 12,50 = "
                                    "€ 50,00)"]
    assert q_cents == 5500
    assert lines["amount_euro"].sum() + q_cents / 100 == 50 + 55 + 20  # euro reconciles


def test_a_tariff_rounded_to_cents_is_no_wrong_amount(tmp_path, store_path):
    """An indexed tariff of 99,498 shown as 99,50: 10 x 99,50 = 995,00 against 994,98 is the
    rounding of the tariff (half a cent per unit), not a wrong amount; 3 cents on 4 units is
    more than that. (Before, the first went to the quarantine and was left out of spending.)"""
    path = _write(tmp_path, [_line("R1", "10", "99,50", "994,98"),
                             _line("R2", "10", "99,50", "995,05"),
                             _line("R3", "4", "99,50", "398,03"),
                             _line("R4", "1", "99,50", "99,51")])
    report, lines, q, _ = _imported(store_path, path)
    assert (report.accepted, report.quarantined) == (3, 1), q["reason"].tolist()
    assert lines["amount_euro"].tolist() == [994.98, 995.05, 99.51]
    assert q["reason"].tolist() == ["bedrag € 398,03 is niet volume × tarief (4 × € 99,50 = "
                                    "€ 398,00)"]


def test_codes_written_in_digit_groups_are_the_codes(tmp_path, store_path):
    """An AGB code as '6565 6055' or '65.65.60.55' and a gemeentecode '3 84' are the codes (the
    register reads them alike); a name in their place is still refused."""
    rows = [_line("R1", "2", "10,00", "20,00"), _line("R2", "2", "10,00", "20,00"),
            _line("R3", "2", "10,00", "20,00")]
    rows[0][1], rows[1][1], rows[1][0], rows[2][1] = "6565 6055", "65.65.60.55", "3 84", "Zorg BV"
    report, lines, q, _ = _imported(store_path, _write(tmp_path, rows))
    assert (report.accepted, report.quarantined) == (2, 1)
    assert lines["provider"].tolist() == ["65656055", "65656055"]
    assert lines["municipality"].tolist() == ["0384", "0384"]
    assert q["reason"].str.contains("'Zorg BV' is geen AGB-code").all()


def test_amounts_off_by_a_constant_factor_refuse_the_whole_file(tmp_path, store_path):
    """Amounts in eurocent under a euro mapping: every line is 100 x volume x tarief."""
    path = _write(tmp_path, [_line("R1", "4", "12,50", "5000"), _line("R2", "2", "10,00", "2000")])
    report, lines, q, _ = _imported(store_path, path)
    assert report.files[0].status == "geweigerd" and len(lines) == 0
    reason = q["reason"].tolist()[0]
    assert reason.startswith("in 2 van de 2 regels is het bedrag precies 100 keer volume × tarief")
    assert "eurocent" in reason


def test_mixed_decimal_marks_in_one_column_refuse_the_file(tmp_path, store_path):
    path = _write(tmp_path, [_line("R1", "4", "12,50", "50,00"), _line("R2", "2", "10.00", "20.00")])
    report, _, q, _ = _imported(store_path, path)
    assert report.files[0].status == "geweigerd"
    assert q["reason"][0].startswith("kolom 'Bedrag' gebruikt zowel een decimaalkomma "
                                    "('50,00') als een decimaalpunt ('20.00')")


def test_codes_written_as_words(tmp_path, store_path):
    """Units as words (Uur, Etmaal), Debet/Credit, law and category by name: all accepted."""
    head = HEAD + ["Wet"]
    rows = [_line("R1", "4", "12,50", "50,00", unit="Uur", dc="Debet") + ["Jeugdwet"],
            _line("R2", "1", "180,00", "180,00", unit="etmaal", dc="debet",
                  cat="Jeugdhulp verblijf (exclusief behandeling)", code="44A05") + ["jeugd"],
            _line("R1", "4", "12,50", "50,00", unit="UUR", dc="Credit", claim="2026-05")
            + ["JW"]]
    path = _write(tmp_path, rows, head=head)
    report, lines, q, _ = _imported(store_path, path)
    assert (report.accepted, report.quarantined) == (3, 0), q["reason"].tolist()
    assert lines["unit"].tolist() == ["04", "14", "04"]
    assert lines["debit_credit"].tolist() == ["D", "D", "C"]
    assert lines["product_category"].tolist() == ["45", "44", "45"]
    assert lines["amount_euro"].tolist() == [50.0, 180.0, -50.0]


def test_an_unknown_word_is_quarantined_with_the_allowed_values(tmp_path, store_path):
    path = _write(tmp_path, [_line("R1", "4", "12,50", "50,00", unit="Uurtjes"),
                             _line("R2", "4", "12,50", "50,00", dc="Misschien")])
    report, _, q, q_cents = _imported(store_path, path)
    assert report.quarantined == 2 and q_cents == 10000
    assert q["reason"][0] == ("onbekende waarde 'Uurtjes' in kolom 'Eenheid' (toegestaan: "
                              "01 (Minuut), 04 (Uur), 14 (Etmaal), 16 (Dagdeel (4 uur)), "
                              "82 (Stuks (outputgericht)), 83 (Euro's), "
                              "84 (Stuks (inspanningsgericht)))")
    assert q["reason"][1].startswith("onbekende waarde 'Misschien' in kolom 'Debet/credit' "
                                     "(toegestaan: D (debet) of C (credit))")


@pytest.mark.parametrize("field,value,reason", [
    (6, "0001-03", "datum 0001-03 in kolom 'Productperiode' ligt buiten 2000–2100"),
    (7, "2150-01-01", "datum 2150-01-01 in kolom 'Declaratieperiode' ligt buiten 2000–2100"),
    (11, "123456789012345678901", "kolom 'Bedrag': bedrag buiten bereik"),
    (11, "Infinity", "kolom 'Bedrag': geen bedrag: 'Infinity'"),
    (8, "99999999999999999999", "kolom 'Volume': getal buiten bereik"),
    (6, "31-02-2026", "kolom 'Productperiode': '31-02-2026' is geen bestaande datum"),
    (6, "morgen", "kolom 'Productperiode': 'morgen' is geen datum"),
    (3, "REF-" + BSN_LIKE, "kolom 'Referentienummer' bevat een nummer dat een BSN kan zijn"),
])
def test_out_of_range_values_are_quarantined_not_fatal(tmp_path, store_path, field, value, reason):
    """One bad value costs one line; the good line beside it, and a good file, still land."""
    bad = _line("R9", "4", "12,50", "50,00")
    bad[field] = value
    path = _write(tmp_path, [_line("R1", "4", "12,50", "50,00"), bad])
    good = _write(tmp_path, [_line("R5", "2", "10,00", "20,00")], name="goed.csv")
    report = import_paths(store_path, [path, good])
    assert (report.read, report.accepted, report.quarantined) == (3, 2, 1)
    with Store(store_path) as store:
        q = store.quarantine()
    assert q["reason"][0].startswith(reason), q["reason"][0]
    assert q["position"][0] == 3
    assert BSN_LIKE not in q.to_csv()


def test_broken_file_beside_a_good_one(tmp_path, store_path):
    """A CSV DuckDB's reader cannot take (unterminated quote, blank line, short row) goes the
    exact way: its good lines land with their true line numbers."""
    rows = [_line("R1", "4", "12,50", "50,00"), [], _line("R2", "2", "10,00", "20,00")[:5],
            _line("R3", "2", "10,00", "20,00")]
    path = _write(tmp_path, rows)
    report, lines, q, _ = _imported(store_path, path)
    assert (report.read, report.accepted, report.quarantined) == (3, 2, 1)
    assert q["position"].tolist() == [4]
    with Store(store_path) as store:
        pos = store.con.execute("SELECT position FROM claim_lines ORDER BY position").fetchall()
    assert [p for (p,) in pos] == [2, 5]


def test_a_file_name_holding_a_bsn_like_number_is_masked_in_the_store(tmp_path, store_path):
    """Item 4: the store never keeps a number that passes the 11-test outside the 999 range."""
    path = _write(tmp_path, [_line("R1", "4", "12,50", "50,00"), _line("R2", "4", "x", "50,00")],
                  name=f"client_{BSN_LIKE}.csv")
    report = import_paths(store_path, [path])
    assert (report.accepted, report.quarantined) == (1, 1)
    with Store(store_path) as store:
        text = store.imports().to_csv() + store.quarantine().to_csv()
    assert BSN_LIKE not in text and "client_" + "." * 9 + ".csv" in text
    assert import_paths(store_path, [path]).files[0].status == "al ingelezen"


def test_xlsx_numbers_and_words(tmp_path, store_path):
    """A sheet export: numbers as Excel numbers (a formula's 42.300000000000004 is 42,30),
    units as words; read to the cent."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append(["0384", 65656055, 999990019, "R1", 45, "45A03", "2026-03", "2026-04", 3, "Uur",
               14.1, 0.1 * 3 * 141, "D"])
    ws.append(["0384", 65656055, 999990032, "R2", 45, "45A03", "2026-03", "2026-04", 2, "uur",
               85.5, 171, "Debet"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    report, lines, q, _ = _imported(store_path, path)
    assert (report.accepted, report.quarantined) == (2, 0), q["reason"].tolist()
    assert lines["amount_euro"].tolist() == [42.3, 171.0]
    assert lines["unit"].tolist() == ["04", "04"]


def test_xlsx_with_formulas_never_saved_by_excel_is_refused_by_the_cell(tmp_path, store_path):
    """A sheet a program wrote with formulas for the amounts (=I2*K2) and no saved results: the
    cells read as empty. Refused as a whole, naming the cell and the formula and what to do
    (before: every line in the quarantine as 'kolom Bedrag is leeg'). With saved results (as
    Excel or LibreOffice save it) the same formulas are read."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Declaraties"
    ws.append(HEAD)
    ws.append(["0384", 65656055, 999990019, "R1", 45, "45A03", "2026-03", "2026-04", 3, "uur",
               85.5, "=I2*K2", "D"])
    path = tmp_path / "formules.xlsx"
    wb.save(path)
    report = import_paths(store_path, [path])
    assert report.accepted == 0 and report.read == report.quarantined == 1
    assert report.files[0].reason == (
        "cel Declaraties!L2 heeft een formule (=I2*K2) zonder opgeslagen uitkomst: het bestand "
        "is door een programma gemaakt en niet in Excel opgeslagen, en Grip leest alleen "
        "uitkomsten. Open het in Excel, sla het op en lees het opnieuw in")

    saved = tmp_path / "opgeslagen.xlsx"       # what Excel writes: the formula and its result
    wb.save(saved)
    import zipfile
    with zipfile.ZipFile(saved) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<f>I2*K2</f><v></v>", b"<f>I2*K2</f><v>256.5</v>")
    with zipfile.ZipFile(saved, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    report, lines, q, _ = _imported(tmp_path / "tweede.duckdb", saved)
    assert (report.accepted, report.quarantined) == (1, 0), q["reason"].tolist()
    assert lines["amount_euro"].tolist() == [256.5]


def test_xlsx_export_gets_the_archive_checks_before_openpyxl(tmp_path, store_path):
    """An .xlsx export is a workbook from outside: a zip bomb or a file that is no zip is
    refused as a whole with a Dutch reason (nothing reaches openpyxl), and a good CSV beside
    it still lands."""
    import zipfile

    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    fake = tmp_path / "nep.xlsx"
    fake.write_bytes(b"dit is geen werkmap")
    good = _write(tmp_path, [_line("R1", "4", "12,50", "50,00")])
    report = import_paths(store_path, [bomb, fake, good])
    with Store(store_path) as store:
        q = store.quarantine()
        lines = store.claim_lines()
    reasons = dict(zip(q["file"].map(lambda f: str(f).rsplit("/", 1)[-1]), q["reason"]))
    assert "zip-bom" in reasons["bom.xlsx"]
    assert "geen Excel-werkmap" in reasons["nep.xlsx"]
    assert len(lines) == 1 and report.accepted == 1


@pytest.mark.parametrize("written", ["(50,00)", "€ (50,00)", "(€ 50,00)", "50,00-", "-50,00",
                                     "€ -50,00", "-€ 50,00", "−50,00", "50,00 CR", "€ 50,00-"])
def test_accounting_negatives_are_read_as_credits(tmp_path, store_path, written):
    """A credit as Excel's accounting format, a ledger system or a typist writes it: with
    Debet/credit C it is the credit of R1; without the column the sign makes it one."""
    path = _write(tmp_path, [_line("R1", "4", "12,50", "50,00"),
                             _line("R1", "4", "12,50", written, dc="C")])
    report, lines, q, _ = _imported(store_path, path)
    assert (report.accepted, report.quarantined) == (2, 0), q["reason"].tolist()
    assert sorted(lines["amount_euro"]) == [-50.0, 50.0]
    bare = [row[:-1] for row in (HEAD, _line("R2", "4", "12,50", "50,00"),
                                 _line("R2", "4", "12,50", written))]
    path = _write(tmp_path, bare[1:], head=bare[0], name="zonder_dc.csv")
    report = import_paths(store_path, [path])
    with Store(store_path) as store:
        r2 = store.claim_lines().query("reference_number == 'R2'")
    assert (report.accepted, report.quarantined) == (2, 0)
    assert sorted(r2["debit_credit"]) == ["C", "D"] and sorted(r2["amount_euro"]) == [-50.0, 50.0]


@pytest.mark.parametrize("field, written, reason", [
    (11, "(50,00)", "negatief bedrag op een debetregel"),      # a debit cannot be negative
    (10, "(12,50)", "negatief tarief"),
    (11, "(-50,00)", "kolom 'Bedrag': geen geldig bedrag: '(-50,00)'"),   # two signs
    (11, "-50,00 CR", "kolom 'Bedrag': geen geldig bedrag: '-50,00 CR'"),
])
def test_negatives_where_the_column_allows_none_are_refused(tmp_path, store_path, field,
                                                            written, reason):
    bad = _line("R1", "4", "12,50", "50,00")
    bad[field] = written
    path = _write(tmp_path, [bad, _line("R2", "2", "12,50", "25,00")])
    report, lines, q, q_cents = _imported(store_path, path)
    assert (report.accepted, report.quarantined) == (1, 1)
    assert q["reason"].tolist() == [reason]
    assert lines["reference_number"].tolist() == ["R2"]
    if field == 11 and reason.startswith("negatief"):   # kept as written, not as +50,00
        assert q_cents == -5000


def test_a_claim_month_before_its_service_month_or_in_the_future_is_quarantined(tmp_path,
                                                                                store_path):
    """The export's own version of the message rule: care claimed in a month before it was
    given, or in a month that has not come yet, is no claim (a claim month in 2035 became the
    forecast's peilmaand); each line is quarantined with its months, the rest kept."""
    rows = [_line("R1", "4", "12,50", "50,00"),
            _line("R2", "4", "12,50", "50,00", service="2026-06", claim="2026-04"),
            _line("R3", "4", "12,50", "50,00", service="2026-03", claim="2035-10")]
    report, lines, q, q_cents = _imported(store_path, _write(tmp_path, rows))
    assert (report.accepted, report.quarantined, q_cents) == (1, 2, 10_000)
    reasons = sorted(q["reason"])
    assert reasons[0].startswith("declaratieperiode 10-2035 ligt na vandaag (")
    assert reasons[1] == "productperiode 06-2026 ligt na de declaratieperiode 04-2026"
