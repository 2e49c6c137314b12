"""Flat exports from the municipal system: claims and allocations as CSV or xlsx.

The column mapping is a TOML file (default ``berichten/kolommen.toml``, documented there):
per kind of export the header names that may stand for each field. The kind (claims or
allocations) is recognised from the headers. CSV files may be ``;`` or ``,`` separated, in
UTF-8 with or without BOM or in Windows-1252, with decimal commas.

A row with more or fewer fields than the header (shifted columns) or a value that does not
fit its column is quarantined with its line number; a file without the required columns
is refused as a whole.

>>> parse_amount_cents("1.234,56", decimal=","), parse_amount_cents("-12,5", decimal=",")
(123456, -1250)
>>> parse_day("1-4-2026"), parse_day("2026-04")
('2026-04-01', '2026-04-01')
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from berichten import codes
from berichten.rows import RowRejected, check_code, check_product, client_pseudonym, \
    first_of_month

DEFAULT_MAPPING = Path(__file__).with_name("kolommen.toml")
KINDS = {"declaraties": ("claims", "CSV-declaraties"),
         "toewijzingen": ("allocations", "CSV-toewijzingen")}


class FlatFileRejected(Exception):
    def __init__(self, reason: str, position: int | None = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.position = position
        self.message_label = None


@dataclass(frozen=True)
class Mapping:
    """Header names per field per kind, plus the settings of ``[instellingen]``."""

    kinds: dict[str, dict[str, list[str]]]
    required: dict[str, list[str]]
    amounts: str = "euro"
    decimal: str = ","
    law: str = "jw"


def load_mapping(path: Path | str) -> Mapping:
    """Read a mapping TOML file (see ``kolommen.toml`` for the format)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        from calc.errors import InputError

        raise InputError(f"kolomindeling {path} is onleesbaar: {exc}",
                         argument="kolommen") from None
    settings = data.get("instellingen", {})
    kinds, required = {}, {}
    for kind in KINDS:
        section = dict(data.get(kind, {}))
        required[kind] = list(section.pop("verplicht", []))
        kinds[kind] = {k: [v] if isinstance(v, str) else list(v) for k, v in section.items()}
    return Mapping(kinds, required, settings.get("bedragen", "euro"),
                   settings.get("decimaalteken", ","), settings.get("wet", "jw"))


_DEFAULT: Mapping | None = None


def default_mapping() -> Mapping:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_mapping(DEFAULT_MAPPING)
    return _DEFAULT


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-/]+", "", str(header or "")).lower()


# --- value parsers ------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YM = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_day(value) -> str | None:
    """An ISO date from a cell: date/datetime, 2026-04-01, 01-04-2026, 1/4/2026, or 2026-04."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return _parse_day_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _parse_day_text(str(value))


@lru_cache(maxsize=65536)
def _parse_day_text(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    m = _YMD.match(text)
    if m:
        y, mo, d = m.groups()
    elif m := _DMY.match(text):
        d, mo, y = m.groups()
    elif m := _YM.match(text):
        (y, mo), d = m.groups(), "1"
    else:
        raise ValueError(text)
    return date(int(y), int(mo), int(d)).isoformat()


def parse_amount_cents(value, *, decimal: str = ",", unit: str = "euro") -> int | None:
    """Eurocent from a cell: 1.234,56 (decimal comma) or 1,234.56, or a number."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return _amount_text(value, decimal, unit)
    return _amount(value, decimal, unit)


@lru_cache(maxsize=65536)
def _amount_text(value: str, decimal: str, unit: str) -> int | None:
    return _amount(value, decimal, unit)


def _amount(value, decimal: str, unit: str) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = str(value).strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(str(value)) from None
    if unit == "eurocent":
        if amount != amount.to_integral_value():
            raise ValueError(str(value))
        return int(amount)
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(str(value))
    return int(cents)


def parse_whole(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return int(str(value).strip())


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


# --- reading ------------------------------------------------------------------------------

@dataclass
class FlatHeader:
    label: str


@dataclass
class FlatRecord:
    kind: str                      # "declaraties" or "toewijzingen"
    position: int                  # line (CSV) or row (xlsx), 1-based, header = 1
    values: dict[str, object]      # field -> raw cell value
    mapping: Mapping
    snapshot: str                  # ISO date for allocations without a Peildatum column

    def build(self, keyring) -> tuple[str, tuple]:
        return (_claim if self.kind == "declaraties" else _allocation)(self, keyring)


def _get(rec: FlatRecord, field: str, parser, label: str, *, required: bool = False):
    raw = rec.values.get(field)
    try:
        value = parser(raw)
    except (ValueError, TypeError):
        raise RowRejected(f"kolom '{label}' bevat geen geldige waarde: "
                          f"'{str(raw)[:20]}'") from None
    if value is None and required:
        raise RowRejected(f"kolom '{label}' is leeg")
    return value


def _common(rec: FlatRecord, keyring):
    law = (_text(rec.values.get("law")) or rec.mapping.law).lower()
    law = {"jeugd": "jw", "jeugdwet": "jw", "ijw": "jw", "iwmo": "wmo"}.get(law, law)
    if law not in codes.LAWS:
        raise RowRejected(f"onbekende wet '{law[:10]}' (verwacht jw of wmo)")
    municipality = _get(rec, "municipality", _text, "gemeente", required=True)
    if len(municipality) < 4 and municipality.isdigit():
        municipality = municipality.zfill(4)
    provider = _get(rec, "provider", _text, "aanbieder", required=True)
    if len(provider) < 8 and provider.isdigit():
        provider = provider.zfill(8)
    bsn = _text(rec.values.get("bsn"))
    if bsn and bsn.isdigit() and len(bsn) < 9:
        bsn = bsn.zfill(9)
    client = client_pseudonym(keyring, municipality, bsn)
    category = _text(rec.values.get("product_category"))
    if category and category.isdigit() and len(category) == 1:
        category = category.zfill(2)
    code = _text(rec.values.get("product_code"))
    check_product(law, category, code)
    return law, municipality, provider, client, category, code


def _claim(rec: FlatRecord, keyring):
    m = rec.mapping
    law, mun, prov, client, category, code = _common(rec, keyring)
    service = _get(rec, "service_month", parse_day, "productperiode", required=True)
    claim = _get(rec, "claim_month", parse_day, "declaratieperiode", required=True)
    volume = _get(rec, "volume", parse_whole, "volume", required=True)
    money = lambda v: parse_amount_cents(v, decimal=m.decimal, unit=m.amounts)  # noqa: E731
    amount = _get(rec, "amount", money, "bedrag", required=True)
    tariff = _get(rec, "tariff", money, "tarief")
    dc = (_text(rec.values.get("debit_credit")) or "").upper()[:1] or None
    if dc is None:
        dc = "C" if amount < 0 else "D"
    if dc not in ("D", "C"):
        raise RowRejected(f"kolom 'debet/credit' moet D of C zijn, niet '{dc}'")
    if volume < 0 and dc == "D":
        raise RowRejected(f"negatief volume: {volume} op een debetregel")
    if amount < 0 and dc == "D":
        raise RowRejected("negatief bedrag op een debetregel")
    if tariff is not None and tariff < 0:
        raise RowRejected("negatief tarief")
    sign = -1 if dc == "C" else 1
    reference = _get(rec, "reference_number", _text, "referentienummer", required=True)
    return "claim_lines", (
        law, mun, prov, client, _text(rec.values.get("claim_number")), reference,
        _text(rec.values.get("previous_reference")), _text(rec.values.get("allocation_number")),
        category, code, first_of_month(service), first_of_month(claim), sign * abs(volume),
        check_code(_text(rec.values.get("unit")), "eenheid", "eenheid"), tariff,
        sign * abs(amount), dc)


def _allocation(rec: FlatRecord, keyring):
    m = rec.mapping
    law, mun, prov, client, category, code = _common(rec, keyring)
    start = _get(rec, "start_date", parse_day, "ingangsdatum", required=True)
    end = _get(rec, "end_date", parse_day, "einddatum")
    if end and end < start:
        raise RowRejected(f"einddatum {end} ligt voor ingangsdatum {start}")
    volume = _get(rec, "volume", parse_whole, "volume")
    if volume is not None and volume < 0:
        raise RowRejected(f"negatief volume: {volume}")
    budget = _get(rec, "budget", lambda v: parse_amount_cents(v, decimal=m.decimal,
                                                               unit=m.amounts), "budget")
    snapshot = _get(rec, "snapshot_date", parse_day, "peildatum") or rec.snapshot
    number = _get(rec, "allocation_number", _text, "toewijzingnummer", required=True)
    return "allocation_rows", (
        law, mun, prov, client, snapshot, f"bestand:{rec.snapshot}", number, category, code,
        start, end, volume, check_code(_text(rec.values.get("unit")), "eenheid", "eenheid"),
        check_code(_text(rec.values.get("frequency")), "frequentie", "frequentie"), budget,
        _text(rec.values.get("reason_change")))


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' (BOM), 'utf-8' (if the whole file decodes) or 'cp1252' (Windows exports).

    Streams the file once in 1 MB blocks; nothing is kept.
    """
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        first = f.read(1 << 20)
        if first.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        block = first
        try:
            while block:
                decoder.decode(block)
                block = f.read(1 << 20)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def _match_kind(headers: list, mapping: Mapping) -> tuple[str, dict[str, int]]:
    """The kind of export and field -> column index, or FlatFileRejected."""
    normed = [_norm(h) for h in headers]
    best = None
    for kind in KINDS:
        columns = {}
        for fld, names in mapping.kinds[kind].items():
            for name in names:
                if _norm(name) in normed:
                    columns[fld] = normed.index(_norm(name))
                    break
        missing = [f for f in mapping.required[kind] if f not in columns]
        if not missing:
            return kind, columns
        if best is None or len(missing) < len(best[1]):
            best = (kind, missing)
    kind, missing = best
    names = ", ".join(f"{f} ({' / '.join(mapping.kinds[kind].get(f, [f])[:2])})" for f in missing)
    raise FlatFileRejected(f"geen bekende export: voor {kind} ontbreken de kolommen {names}", 1)


def _rows_csv(path: Path) -> Iterator[tuple[int, list]]:
    """(line, fields) of a CSV file, streamed; the separator is read from the header line."""
    with open(path, encoding=detect_encoding(path), newline="") as f:
        first = f.readline()
        delimiter = max((";", ",", "\t"), key=first.count)
        f.seek(0)
        reader = csv.reader(f, delimiter=delimiter)
        for row in reader:
            yield reader.line_num, row


def _rows_xlsx(path: Path) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FlatFileRejected(f"geen leesbaar xlsx-bestand ({type(exc).__name__})", None) \
            from None
    try:
        sheet = wb.worksheets[0]
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield n, list(row)
    finally:
        wb.close()


def read_flat(path: Path, mapping: Mapping) -> Iterator[FlatHeader | FlatRecord]:
    """Stream a flat export: a ``FlatHeader``, then one ``FlatRecord`` per data row.

    Rows with a different number of fields than the header are yielded as records whose
    ``build`` refuses them, so they are counted and quarantined with their line.
    """
    rows = _rows_xlsx(path) if path.suffix.lower() == ".xlsx" else _rows_csv(path)
    try:
        _, headers = next(rows)
    except StopIteration:
        raise FlatFileRejected("bestand is leeg", 1) from None
    except csv.Error as exc:
        raise FlatFileRejected(f"geen leesbare CSV: {exc}", 1) from None
    while headers and (headers[-1] is None or str(headers[-1]).strip() == ""):
        headers.pop()
    kind, columns = _match_kind(headers, mapping)
    yield FlatHeader(KINDS[kind][1])
    snapshot = date.fromtimestamp(path.stat().st_mtime).isoformat()
    width = len(headers)
    pad = path.suffix.lower() == ".xlsx"  # a sheet row simply ends early; CSV fields may not
    try:
        for line, row in rows:
            if not row or all(v is None or str(v).strip() == "" for v in row):
                continue
            if len(row) > width and all(v is None or str(v).strip() == "" for v in row[width:]):
                row = row[:width]
            if pad and len(row) < width:
                row = row + [None] * (width - len(row))
            if len(row) != width:
                yield _Shifted(line, len(row), width)
                continue
            values = {fld: row[i] for fld, i in columns.items()}
            yield FlatRecord(kind, line, values, mapping, snapshot)
    except csv.Error as exc:
        raise FlatFileRejected(f"geen leesbare CSV: {exc}", None) from None


@dataclass
class _Shifted:
    position: int
    got: int
    expected: int

    def build(self, keyring):
        raise RowRejected(f"regel heeft {self.got} velden, de kop heeft er {self.expected} "
                          "(verschoven kolommen?)")
