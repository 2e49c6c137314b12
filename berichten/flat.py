"""Flat exports from the municipal system: claims and allocations as CSV or xlsx.

The column mapping is a TOML file (default ``berichten/kolommen.toml``, documented there):
per kind of export the header names that may stand for each field. The kind (claims or
allocations) is recognised from the headers. CSV files may be ``;`` or ``,`` separated, in
UTF-8 with or without BOM, in Windows-1252 or in UTF-16 with a BOM (Excel's "Unicode-tekst", a .txt
file with tabs).

``load_raw`` loads the rows as text into the store's connection (``RAW``); the checks are
``berichten.flatcheck``'s, the amounts ``berichten.amounts``'. A row with more or fewer fields
than the header (shifted columns) is quarantined with its line number; a file without the
required columns is refused as a whole. Dates are read by ``calc.cells.parse_date``, the one
reader of dates and months (the CLI's and the Prognose sheet's months too).
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from berichten.archive import check_archive, formula_count
from calc.cells import is_empty
from calc.errors import InputError
from calc.text import bom_encoding

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

def detect_encoding(path: Path) -> str:
    """'utf-8-sig' (BOM), 'utf-16' (BOM: Excel's "Unicode-tekst", tab-separated), 'utf-8' (if
    the whole file decodes) or 'cp1252' (Windows exports).

    Streams the file once in 1 MB blocks; nothing is kept.
    """
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        first = f.read(1 << 20)
        bom = bom_encoding(first)
        if bom is not None:
            return bom
        block = first
        try:
            while block:
                decoder.decode(block)
                block = f.read(1 << 20)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def locate(headers: list, fields: dict[str, list[str]]) -> dict[str, int]:
    """Field -> column index: per field the first of its header names the row holds."""
    normed = [_norm(h) for h in headers]
    columns = {}
    for fld, names in fields.items():
        for name in names:
            if _norm(name) in normed:
                columns[fld] = normed.index(_norm(name))
                break
    return columns


HEADER_ROWS = 20  # how far a title block above the header may push it down


def _match_kind(headers: list, mapping: Mapping) -> tuple[str, dict[str, int], list[str]]:
    """The kind of export that fits the headers best, field -> column index, and the
    required fields it misses (empty when the row is a complete header). A product code
    stands in for the product category: an iJw code begins with it (``flatcheck._products``)."""
    best = None
    for kind in KINDS:
        columns = locate(headers, mapping.kinds[kind])
        missing = [f for f in mapping.required[kind] if f not in columns
                   and not (f == "product_category" and "product_code" in columns)]
        if not missing:
            return kind, columns, []
        if best is None or len(missing) < len(best[2]):
            best = (kind, columns, missing)
    return best


def find_header(rows: Iterator[tuple[int, list]], match, describe, *,
                what: str = "geen bekende export"
                ) -> tuple[int, list, object]:
    """The header row of an export: the first row among the first ``HEADER_ROWS`` non-empty
    ones that ``match`` accepts. ``match(headers)`` returns ``(result, missing)``, the
    required fields the row lacks; a title block above the header (an export's name, a date,
    empty rows) is passed over. Returns (line, headers, result); ``rows`` then stands on the
    first data row. Without a header: ``FlatFileRejected`` at the row that came closest,
    with ``describe(result, missing)`` saying what it lacks."""
    best = None
    seen = 0
    try:
        for line, row in rows:
            headers = list(row)
            while headers and is_empty(headers[-1]):
                headers.pop()
            if not headers:
                continue
            result, missing = match(headers)
            if not missing:
                return line, headers, result
            if best is None or len(missing) < len(best[2]):
                best = (line, result, missing)
            seen += 1
            if seen >= HEADER_ROWS:
                break
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FlatFileRejected(f"geen leesbare CSV: {exc}", 1) from None
    if best is None:
        raise FlatFileRejected("bestand is leeg", 1)
    line, result, missing = best
    where = "" if line == 1 else (f" (kopregel gezocht in de eerste {HEADER_ROWS} regels; "
                                  f"regel {line} lijkt er het meest op)")
    raise FlatFileRejected(f"{what}{where}: {describe(result, missing)}", line)


def _missing_text(kind: str, mapping: Mapping, missing: list[str]) -> str:
    """'voor declaraties ontbreken de kolommen BSN (of Burgerservicenummer), ...'."""
    names = ", ".join(_header_names(mapping.kinds[kind].get(f, [f])) for f in missing)
    return f"voor {kind} ontbreken de kolommen {names}"


def _header_names(names: list[str]) -> str:
    """The header a column may have, as a user reads it: 'BSN (of Burgerservicenummer)'."""
    return names[0] + (f" (of {' / '.join(names[1:3])})" if len(names) > 1 else "")


def _rows_csv(path: Path, encoding: str | None = None, delimiter: str | None = None
              ) -> Iterator[tuple[int, list]]:
    """(line, fields) of a CSV file, streamed, by Python's csv module (the exact path);
    encoding and separator are detected when not given."""
    encoding = encoding or detect_encoding(path)
    delimiter = delimiter or _delimiter(path, encoding)
    with open(path, encoding=encoding, newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        for row in reader:
            yield reader.line_num, row


def _cell_text(value) -> str | None:
    """A sheet cell as the text an export would have written (numbers with a decimal point)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        # Excel keeps 15 significant digits: 42.300000000000004 from a formula is 42.3
        return format(Decimal(format(value, ".15g")), "f")
    return str(value)


def _rows_of(ws) -> Iterator[tuple[int, list]]:
    """(row, cells as text) of one sheet of a read-only workbook, streamed."""
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        yield n, [_cell_text(v) for v in row]


def _open_xlsx(path: Path):
    from openpyxl import load_workbook

    try:
        # a workbook from outside: size, zip bomb, DOCTYPE and cell limits before openpyxl
        check_archive(path)
    except InputError as exc:
        raise FlatFileRejected(exc.message.split(": ", 1)[-1], None) from None
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FlatFileRejected(f"geen leesbaar xlsx-bestand ({type(exc).__name__})", None) \
            from None


def xlsx_header(path: Path, match, describe, *, what: str = "geen bekende export"):
    """``find_header`` on each sheet of a workbook in turn (a cover sheet or a
    'Toelichting' may come first): (line, headers, result, rows, title) of the first sheet
    with a header, ``rows`` standing on its first data row (the workbook, opened and checked
    once, closes when they are read), ``title`` that sheet's name; else the first sheet's
    refusal, naming the sheets searched."""
    wb = _open_xlsx(path)
    first = None
    try:
        for ws in wb.worksheets:
            rows = _rows_of(ws)
            try:
                found = find_header(rows, match, describe, what=what)
            except FlatFileRejected as exc:
                first = first or exc
                continue
            if formula_count(path):
                rows = _without_uncached_formulas(rows, path, ws.title)
            return (*found, _closing(rows, wb), ws.title)
    except BaseException:
        wb.close()
        raise
    names = wb.sheetnames
    wb.close()
    if first is not None and len(names) > 1:
        first.reason += f" (gezocht op de bladen {', '.join(names)})"
        first.args = (first.reason,)
    raise first or FlatFileRejected("bestand is leeg", 1)


def _without_uncached_formulas(rows: Iterator, path: Path, title: str) -> Iterator:
    """``rows`` of the sheet ``title``, refusing the file at the first cell that holds a formula
    without a saved result: a workbook written by a program and never saved by Excel (or
    LibreOffice) has none, and its cells read as empty ('kolom Bedrag is leeg' on every line,
    while the amounts are right there as formulas)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        formulas = None
        for n, cells in rows:
            if formulas is None:
                formulas = wb[title].iter_rows(min_row=n, values_only=True)
            written = next(formulas, ())
            for i, (value, text) in enumerate(zip(written, cells)):
                if text is None and isinstance(value, str) and value.startswith("="):
                    raise FlatFileRejected(
                        f"cel {title}!{get_column_letter(i + 1)}{n} heeft een formule ({value}) "
                        "zonder opgeslagen uitkomst: het bestand is door een programma gemaakt "
                        "en niet in Excel opgeslagen, en Grip leest alleen uitkomsten. Open het "
                        "in Excel, sla het op en lees het opnieuw in", n)
            yield n, cells
    finally:
        wb.close()


def _closing(rows: Iterator, wb) -> Iterator:
    try:
        yield from rows
    finally:
        wb.close()


@dataclass
class RawFile:
    """A flat export loaded as text into the temporary table ``RAW`` of a connection.

    ``RAW`` has ``line`` (the line of the CSV or the row of the sheet) and one
    VARCHAR column ``c<i>`` per header column; ``columns`` maps Grip's fields to those
    columns, ``headers`` the fields to the header as the file writes it. Rows with a
    different number of fields than the header are not in ``RAW`` but in ``shifted``.
    """

    kind: str
    label: str
    columns: dict[str, str]
    headers: dict[str, str]
    rows: int
    shifted: list[tuple[int, str]]
    snapshot: str
    xlsx: bool
    #: The sheet the rows stand on (a workbook's), None for a CSV file.
    sheet: str | None = None


RAW = "_grip_flat_raw"
DATA = "_grip_flat_data"


def _count_lines(path: Path) -> int:
    n, last = 0, b"\n"
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


def _fast_csv(con, path: Path, encoding: str, delimiter: str, width: int,
              header_line: int = 1) -> int | None:
    """Load the data lines by DuckDB's reader; the row count, or None when the exact path must
    read the file (shifted rows, blank lines, line breaks inside quotes, Windows-1252)."""
    if encoding in ("cp1252", "utf-16"):
        return None
    columns = {f"c{i}": "VARCHAR" for i in range(width)}
    # rows DuckDB cannot read are skipped (an error would abort the import's transaction);
    # the line count below then sends the file to the exact path
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {DATA} AS SELECT * FROM "
        f"read_csv(?, header=false, skip={header_line}, delim=?, quote='\"', escape='\"', "
        "auto_detect=false, columns=?, strict_mode=true, null_padding=false, "
        "ignore_errors=true)", [str(path), delimiter, columns])
    rows, base = con.execute(f"SELECT count(*), min(rowid) FROM {DATA}").fetchall()[0]
    # a line DuckDB skipped or joined: take the exact path
    if rows + header_line != _count_lines(path):
        con.execute(f"DROP TABLE {DATA}")
        return None
    # with insertion order preserved (DuckDB's default) rowid follows the order of the file
    # (inside a transaction it starts at a large offset, hence the minimum)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {RAW} AS SELECT "
                f"rowid - {base or 0} + {header_line + 1} AS line, * FROM {DATA}")
    return rows


def _delimiter(path: Path, encoding: str) -> str:
    """';', ',' or tab: the one a line of the first ``HEADER_ROWS`` holds most often (a
    title line above the header may hold none)."""
    with open(path, encoding=encoding, newline="") as f:
        lines = [f.readline() for _ in range(HEADER_ROWS)]
    return max((";", ",", "\t"), key=lambda d: max(line.count(d) for line in lines))


def load_raw(con, path: Path, mapping: Mapping) -> RawFile:
    """Recognise the export by its header and load its rows as text into ``RAW``."""
    con.execute("SET enable_progress_bar = false")
    xlsx = path.suffix.lower() == ".xlsx"

    def match(headers):
        kind, index, missing = _match_kind(headers, mapping)
        return (kind, index), missing

    def describe(result, missing):
        return _missing_text(result[0], mapping, missing)

    if xlsx:
        encoding = delimiter = None
        header_line, headers, (kind, index), rows, sheet = xlsx_header(path, match, describe)
    else:
        encoding, sheet = detect_encoding(path), None
        delimiter = _delimiter(path, encoding)
        rows = _rows_csv(path, encoding, delimiter)
        header_line, headers, (kind, index) = find_header(rows, match, describe)
    width = len(headers)
    snapshot = date.fromtimestamp(path.stat().st_mtime).isoformat()
    shifted: list[tuple[int, str]] = []
    count = None if xlsx else _fast_csv(con, path, encoding, delimiter, width, header_line)
    if count is None:      # the rows the header search stands in, from the first data row
        count = _exact(con, rows, width, xlsx, shifted)
    return RawFile(kind, KINDS[kind][1], {f: f"c{i}" for f, i in index.items()},
                   {f: str(headers[i]).strip() for f, i in index.items()}, count, shifted,
                   snapshot, xlsx, sheet)


def _exact(con, rows, width: int, pad: bool, shifted: list) -> int:
    """Load rows read by Python (xlsx, or a CSV DuckDB's reader declined) into ``RAW``."""
    import pandas as pd

    lines, data = [], []
    try:
        for line, row in rows:
            if not row or all(is_empty(v) for v in row):
                continue
            if len(row) > width and all(is_empty(v) for v in row[width:]):
                row = row[:width]
            if pad and len(row) < width:
                row = row + [None] * (width - len(row))
            if len(row) != width:
                shifted.append((line, f"regel heeft {len(row)} velden, de kop heeft er {width} "
                                      "(verschoven kolommen?)"))
                continue
            lines.append(line)
            data.append(row)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FlatFileRejected(f"geen leesbare CSV: {exc}", None) from None
    frame = pd.DataFrame({"line": pd.array(lines, dtype="Int64"),
                          **{f"c{i}": pd.Series([r[i] for r in data], dtype=object)
                             for i in range(width)}})
    con.register("_grip_flat_rows", frame)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {DATA} AS SELECT line, "
                + ", ".join(f"CAST(c{i} AS VARCHAR) AS c{i}" for i in range(width))
                + " FROM _grip_flat_rows")
    con.unregister("_grip_flat_rows")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {RAW} AS SELECT * FROM {DATA}")
    return len(lines)


def drop_raw(con) -> None:
    con.execute(f"DROP VIEW IF EXISTS {RAW}")
    con.execute(f"DROP TABLE IF EXISTS {DATA}")
