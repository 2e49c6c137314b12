"""The store of the berichtenverkeer: one DuckDB file chosen by the user.

``Store(path)`` opens (and on first use creates) the file; ``Store(MEMORY)`` (``":memory:"``)
is a store in memory only (``berichten.synth.synthetic_tables`` fills one). Its query methods
return pandas DataFrames with exactly the columns of ``calc.records`` (amounts in euro, dates as
``datetime64[ns]``, the client as a pseudonym); ``quarantine()`` and ``imports()`` return the
quarantine and the import log. Writing is the importer's job (``berichten.importer``).

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     with Store(pathlib.Path(d) / "opslag.duckdb") as store:
...         list(store.claim_lines().columns) == list(CLAIM_LINES), len(store.claim_lines())
(True, 0)
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import duckdb
import pandas as pd

from berichten.rows import TABLES, TYPES
from calc.errors import InputError
from calc.records import (ALLOCATIONS, CLAIM_ANSWERS, CLAIM_LINES, REJECTED_LINES, REQUESTS,
                          STARTS_STOPS)

SCHEMA_VERSION = "1"
#: The path of a store that lives in memory only (gone when closed).
MEMORY = ":memory:"

QUARANTINE = ("file", "position", "message_code", "reason")
IMPORT_LOG = ("file", "status", "message_code", "records_read", "accepted", "quarantined",
              "started_at", "duration_s")

_DDL_FIXED = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS key_fingerprints (municipality VARCHAR PRIMARY KEY,
    fingerprint VARCHAR);
CREATE TABLE IF NOT EXISTS imports (
    file_id BIGINT PRIMARY KEY, import_id BIGINT, file VARCHAR, file_hash VARCHAR,
    size BIGINT, mtime_ns BIGINT, kind VARCHAR, message_code VARCHAR, status VARCHAR,
    records_read BIGINT, accepted BIGINT, quarantined BIGINT, started_at TIMESTAMP,
    duration_s DOUBLE, sheet VARCHAR);
ALTER TABLE imports ADD COLUMN IF NOT EXISTS sheet VARCHAR;
CREATE TABLE IF NOT EXISTS messages (
    file_id BIGINT, law VARCHAR, message VARCHAR, label VARCHAR, berichtcode VARCHAR,
    sender VARCHAR, receiver VARCHAR, identification VARCHAR, message_date DATE,
    municipality VARCHAR, provider VARCHAR, retour_codes VARCHAR);
CREATE TABLE IF NOT EXISTS quarantine (
    import_id BIGINT, file_id BIGINT, file VARCHAR, position BIGINT, message_code VARCHAR,
    reason VARCHAR, amount_cent BIGINT);
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS amount_cent BIGINT;
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS municipality VARCHAR;
"""


def _ddl() -> str:
    parts = [_DDL_FIXED]
    for table, columns in TABLES.items():
        cols = ", ".join(f"{c} {TYPES.get(c, 'VARCHAR')}" for c in columns)
        parts.append(f"CREATE TABLE IF NOT EXISTS {table} ({cols}, file_id BIGINT, "
                     f"position BIGINT);")
    return "\n".join(parts)


def _euro(col: str, alias: str) -> str:
    return f"{col} / 100.0 AS {alias}"


_QUERIES = {
    "claim_lines": f"""
        SELECT law, municipality, provider, client, claim_number, reference_number,
               previous_reference, allocation_number, product_category, product_code,
               service_month, claim_month, volume, unit, {_euro('tariff_cent', 'tariff_euro')},
               {_euro('amount_cent', 'amount_euro')}, debit_credit
        FROM claim_lines ORDER BY file_id, position""",
    "starts_stops": f"""
        SELECT {', '.join(STARTS_STOPS)} FROM starts_stops ORDER BY file_id, position""",
    "requests": f"""
        SELECT {', '.join(REQUESTS)} FROM requests ORDER BY file_id, position""",
    "claim_answers": f"""
        SELECT law, municipality, provider, claim_number, {_euro('claimed_cent', 'claimed_euro')},
               {_euro('granted_cent', 'granted_euro')}, rejected_lines, answer_date
        FROM claim_answers ORDER BY file_id, position""",
    "rejected_lines": f"""
        SELECT law, provider, claim_number, reference_number, retour_codes,
               {_euro('amount_cent', 'amount_euro')}
        FROM rejected_lines ORDER BY file_id, position""",
}

_SIG_COLUMNS = ("product_category", "product_code", "start_date", "end_date", "volume", "unit",
                "frequency", "budget_cent", "reason_change")
_GROUP = "law, municipality, provider, client"

#: Validity history of allocations: a 301 is a full snapshot per client and provider. A
#: version of a ToewijzingNummer starts with the snapshot that introduced it (or changed
#: it) and ends with the next snapshot of that client and provider that changed or
#: dropped it (NULL while it is still in the latest snapshot). The first export of the
#: municipality's own system (``snapshot_ident`` 'bestand:...') says when it was made, not
#: when its allocations were decided: an allocation in it counts as known from its start
#: date when that is earlier (as a 301 is sent before the care starts), so a first export
#: of today still tells the forecast which allocations ran at the peilmaand.
_ALLOCATIONS_SQL = f"""
WITH snaps AS (
    SELECT DISTINCT {_GROUP}, snapshot_date, snapshot_ident, file_id FROM allocation_rows),
seq AS (
    SELECT *, row_number() OVER g AS snap_no, lead(snapshot_date) OVER g AS next_date
    FROM snaps WINDOW g AS (PARTITION BY {_GROUP}
                            ORDER BY snapshot_date, snapshot_ident, file_id)),
sig AS (
    SELECT a.*, s.snap_no, s.next_date,
           concat_ws('|', {', '.join(f"coalesce(CAST(a.{c} AS VARCHAR), '-')" for c in _SIG_COLUMNS)}) AS sig
    FROM allocation_rows a JOIN seq s USING ({_GROUP}, snapshot_date, snapshot_ident, file_id)),
marked AS (
    SELECT *, CASE WHEN lag(snap_no) OVER w = snap_no - 1 AND lag(sig) OVER w = sig
                   THEN 0 ELSE 1 END AS is_new
    FROM sig WINDOW w AS (PARTITION BY {_GROUP}, allocation_number ORDER BY snap_no, position)),
versioned AS (
    SELECT *, sum(is_new) OVER (PARTITION BY {_GROUP}, allocation_number ORDER BY snap_no,
                                position ROWS UNBOUNDED PRECEDING) AS version
    FROM marked)
SELECT {_GROUP}, allocation_number,
       any_value(product_category) AS product_category, any_value(product_code) AS product_code,
       any_value(start_date) AS start_date, any_value(end_date) AS end_date,
       any_value(volume) AS volume, any_value(unit) AS unit, any_value(frequency) AS frequency,
       any_value(budget_cent) / 100.0 AS budget_euro, any_value(reason_change) AS reason_change,
       min(CASE WHEN snap_no = 1 AND snapshot_ident LIKE 'bestand:%'
                THEN least(snapshot_date, start_date) ELSE snapshot_date END) AS valid_from,
       arg_max_null(next_date, snap_no) AS valid_to
FROM versioned
GROUP BY {_GROUP}, allocation_number, version
ORDER BY {_GROUP}, allocation_number, valid_from
"""

_DATE_COLUMNS = {"service_month", "claim_month", "start_date", "end_date", "valid_from",
                 "valid_to", "date", "message_date", "request_date", "answer_date",
                 "started_at"}


#: Grip's own files beside a store that a folder of exports may also hold: the snapshots of
#: earlier forecasts (``snapshot_path``) and Grip's workbooks (``GRIP_WORKBOOK_NAME``, the
#: defined name ``workbooks.layout.NAME_VERSION`` every begrotingsmodel and copy carries).
SNAPSHOT_FILE = re.compile(r".+\.prognoses(\.\d{4})?\.csv", re.IGNORECASE)
GRIP_WORKBOOK_NAME = "grip_versie"


def snapshot_path(store_path: Path, code: str | None = None) -> Path:
    """Where the snapshots of earlier runs are kept: next to the store, one file per
    gemeentecode when the forecast is for one municipality of the store.

    >>> snapshot_path(Path("data/berichten.duckdb")).name
    'berichten.prognoses.csv'
    >>> snapshot_path(Path("data/berichten.duckdb"), "0363").name
    'berichten.prognoses.0363.csv'
    >>> bool(SNAPSHOT_FILE.fullmatch("berichten.prognoses.0363.csv"))
    True
    """
    store_path = Path(store_path)
    return store_path.with_name(store_path.stem + ".prognoses"
                                + (f".{code}" if code else "") + ".csv")


def grips_own(path: Path) -> str | None:
    """Why a file in a folder of exports is Grip's own (a forecast snapshot, a begrotingsmodel
    or a copy of it) and no export, or None. A workbook is looked at only in its
    ``xl/workbook.xml`` (the defined names), nothing is parsed."""
    if SNAPSHOT_FILE.fullmatch(path.name):
        return "eigen bestand van Grip (de opgeslagen prognoses naast een opslag), geen export"
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as z:
                head = z.read("xl/workbook.xml")[:1 << 20]
        except (OSError, KeyError, zipfile.BadZipFile):
            return None
        if f'name="{GRIP_WORKBOOK_NAME}"'.encode() in head:
            return "een begrotingsmodel van Grip (of een kopie ervan), geen export"
    return None


def location(file: str, position, sheet: str | None = None) -> str:
    """Where a record stands, as a person finds it: ``export.csv:3`` (file and line), or
    ``declaraties.xlsx, blad Export 2025, rij 24`` in a workbook (a cover sheet may come
    first, so the row alone does not say where).

    >>> location("in/export.csv", 3), location("d.xlsx", 24, "Export 2025")
    ('in/export.csv:3', 'd.xlsx, blad Export 2025, rij 24')
    """
    row = "" if position is None or pd.isna(position) else int(position)
    if isinstance(sheet, str) and sheet:
        return f"{file}, blad {sheet}, rij {row}"
    return f"{file}:{row}"


def _quarantine_filter(file: str | None, import_id: int | None) -> tuple[str, list]:
    parts, params = [], []
    if file:
        parts.append("(file = ? OR file LIKE '%/' || ? OR file LIKE '%\\' || ?)")
        params += [file, file, file]
    if import_id is not None:
        parts.append("import_id = ?")
        params.append(import_id)
    return ("WHERE " + " AND ".join(parts) if parts else ""), params


class StoreError(InputError):
    """The store cannot be used: it does not exist, another program holds it, or the file
    is not a store of Grip. The one error every command and button shows for it."""


def _store_problem(path: Path, exc: duckdb.Error) -> str:
    text = str(exc)
    if "lock" in text.lower():
        return (f"de opslag {path} is in gebruik door een ander programma (een andere Grip-taak "
                "of Excel-venster); sluit dat en probeer het opnieuw")
    if "not a valid DuckDB database" in text or "database file" in text.lower():
        return f"het bestand {path} is geen opslag van Grip (geen DuckDB-database)"
    first = text.splitlines()[0][:120]
    if any(w in text.lower() for w in ("could not read enough bytes", "corrupt", "checksum")):
        return (f"de opslag {path} is beschadigd of onvolledig (afgebroken tijdens het "
                "inlezen of half gekopieerd); lees de berichten opnieuw in, in een nieuwe "
                f"opslag ({first})")
    return f"de opslag {path} kan niet worden geopend ({first})"


#: What a file given as the store is, by its extension, when it is no DuckDB file.
_NOT_A_STORE = {".csv": "een export", ".txt": "een export", ".xlsx": "een Excel-werkmap",
                ".xlsm": "een Excel-werkmap", ".xml": "een bericht", ".zip": "een zip-bestand"}


def _check_is_duckdb(path: Path) -> None:
    """Refuse an existing file that is no DuckDB database (its bytes 8-11 read ``DUCK``), and
    say what it is: a CSV export given as the store made DuckDB answer 'Cannot launch in-memory
    database in read-only mode!'."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
    except OSError as exc:
        raise StoreError(f"de opslag {path} kan niet worden gelezen "
                         f"({exc.strerror or type(exc).__name__})", argument="opslag") from None
    if head[8:12] == b"DUCK":
        return
    what = _NOT_A_STORE.get(path.suffix.lower())
    hint = (f"; lees het in met grip berichten inlezen --opslag OPSLAG.duckdb {path.name}"
            if what in ("een export", "een bericht") else "")
    raise StoreError(f"het bestand {path} is geen opslag van Grip ({what or 'geen DuckDB-database'})"
                     f"{hint}", argument="opslag")


class _Instance:
    """One DuckDB instance in memory per process; each store file is attached to it.

    ``duckdb.connect`` makes a new database instance per file, and a new instance loads
    DuckDB's built-in extensions (functions, ICU, JSON, Parquet) again: some 15-25 ms of CPU
    for every store opened, most of an open. Here the instance is made once and a store is an
    ``ATTACH`` (2 ms) with a connection of its own (a cursor: its own transactions, temporary
    tables and default database, ``USE``). The file is locked as ``duckdb.connect`` locks it
    (attached read-only: shared with other readers; else: by this process alone) from the
    first open until its last ``Store`` is closed, when it is detached (written through,
    like the close of the last connection). A file already open in this process is attached
    once and shared, as DuckDB shares an instance between connections to one file; asked
    for in the other mode it is refused with DuckDB's own error, as ``duckdb.connect`` is.
    """

    #: DuckDB's error for a file opened again in the other mode (``duckdb.connect``'s text).
    OTHER_MODE = ("Connection Error: Can't open a connection to same database file with a "
                  "different configuration than existing connections")

    def __init__(self) -> None:
        self._lock = threading.RLock()      # a store closed by the garbage collector
        self._base: duckdb.DuckDBPyConnection | None = None
        self._pid: int | None = None
        self._attached: dict[str, list] = {}       # file -> [alias, read_only, open stores]
        self._count = 0

    def _instance(self) -> duckdb.DuckDBPyConnection:
        if self._base is None or self._pid != os.getpid():   # a forked child starts anew
            self._base = duckdb.connect(MEMORY)
            self._pid = os.getpid()
            self._attached = {}
        return self._base

    def open(self, path: Path | None, read_only: bool) -> tuple[duckdb.DuckDBPyConnection, str]:
        """A new connection whose default database is the file at ``path`` (``None``: a new
        database in memory); the name of the attached database."""
        with self._lock:
            base = self._instance()
            key = None if path is None else str(path.resolve())
            entry = self._attached.get(key) if key is not None else None
            if entry is not None and entry[1] != read_only:
                raise duckdb.ConnectionException(self.OTHER_MODE)
            if entry is None:
                self._count += 1
                alias = f"grip_opslag_{self._count}"
                target = MEMORY if key is None else key
                base.execute(f"ATTACH {_sql_text(target)} AS {alias}"
                             + (" (READ_ONLY)" if read_only else ""))
                entry = [alias, read_only, 0]
                if key is not None:
                    self._attached[key] = entry
                else:
                    self._attached[alias] = entry
            entry[2] += 1
            alias = entry[0]
        try:
            con = base.cursor()
            con.execute(f"USE {alias}")
        except BaseException:
            self._release(alias)
            raise
        return con, alias

    def close(self, con: duckdb.DuckDBPyConnection, alias: str) -> None:
        """Close a store's connection; detach its file when no other store has it open."""
        try:
            con.close()
        finally:
            self._release(alias)

    def _release(self, alias: str) -> None:
        with self._lock:
            for key, entry in list(self._attached.items()):
                if entry[0] == alias:
                    entry[2] -= 1
                    if entry[2] <= 0:
                        del self._attached[key]
                        self._instance().execute(f"DETACH {alias}")
                    return


def _sql_text(text: str) -> str:
    """A string literal of DuckDB SQL.

    >>> print(_sql_text("map/o'neill.duckdb"))
    'map/o''neill.duckdb'
    """
    return "'" + text.replace("'", "''") + "'"


_INSTANCE = _Instance()


class Store:
    """The DuckDB file of the berichtenverkeer; use as a context manager.

    The one way to open the store, for every command, button and job: ``Store(path)`` to
    import into it (created on first use), ``Store(path, read_only=True)`` (or
    ``open_store(path)``) to read; every reason it cannot be used is a ``StoreError`` with
    a Dutch message naming the file.
    """

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self._database: str | None = None
        self.path = Path(path)
        memory = str(path) == MEMORY
        if not memory and self.path.is_dir():
            raise StoreError(f"{self.path} is een map; de opslag is één bestand (bijvoorbeeld "
                             f"{self.path / 'berichten.duckdb'})", argument="opslag")
        if read_only and (memory or not self.path.is_file()):
            raise StoreError(f"de opslag {self.path} bestaat niet; lees eerst berichten in "
                             "(knop 'Berichtenverkeer inlezen' of grip berichten inlezen)",
                             argument="opslag")
        existed = not memory and self.path.is_file()
        if existed:
            _check_is_duckdb(self.path)
        try:
            if not memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con, self._database = _INSTANCE.open(None if memory else self.path, read_only)
        except duckdb.Error as exc:
            raise StoreError(_store_problem(self.path, exc), argument="opslag") from None
        except OSError as exc:
            raise StoreError(f"de opslag {self.path} kan niet worden aangemaakt "
                             f"({exc.strerror or type(exc).__name__})", argument="opslag") from None
        if read_only or existed:  # never read, nor write into, another program's database
            known = self.con.execute("SELECT count(*) FROM information_schema.tables "
                                     "WHERE table_name = 'meta' AND "
                                     "table_catalog = current_database()").fetchone()[0]
            if not known:
                self.close()
                raise StoreError(f"het bestand {self.path} is geen opslag van Grip "
                                 "(de tabellen van het berichtenverkeer ontbreken)",
                                 argument="opslag")
        if not read_only:
            # one transaction: DuckDB commits (and writes its log) after every statement
            # otherwise, some 30 ms for the tables of a new store
            self.con.execute("BEGIN TRANSACTION")
            self.con.execute(_ddl())
            self.con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                             [SCHEMA_VERSION])
            self.con.execute("COMMIT")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        database, self._database = self._database, None
        if database is not None:
            _INSTANCE.close(self.con, database)

    def __del__(self) -> None:
        # as a DuckDB connection, a store left unclosed is closed when it is collected
        if getattr(self, "_database", None) is not None:
            self.close()

    # --- the contract tables -----------------------------------------------------------
    def _has_column(self, table: str, column: str) -> bool:
        """A store written by an older Grip and opened read-only lacks the columns added since
        (its ``ALTER TABLE`` runs at the next import)."""
        return bool(self.con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND "
            "column_name = ? AND table_catalog = current_database()",
            [table, column]).fetchone()[0])

    @property
    def _sheet(self) -> str:
        """SQL for the sheet of a quarantined record's file (a workbook's data sheet; NULL for
        CSV and XML, and in a store written before imports had the column, opened read-only)."""
        return ("(SELECT i.sheet FROM imports i WHERE i.file_id = quarantine.file_id)"
                if self._has_column("imports", "sheet") else "NULL::VARCHAR")

    def _frame(self, sql: str, columns: tuple[str, ...], params=None) -> pd.DataFrame:
        frame = self.con.execute(sql, params or []).df()
        frame.columns = list(columns)
        for col in frame.columns:
            if col in _DATE_COLUMNS:
                frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
        return frame

    def claim_lines(self) -> pd.DataFrame:
        """Claim lines (323), credit lines with negative volume and amount; ``CLAIM_LINES``."""
        return self._frame(_QUERIES["claim_lines"], CLAIM_LINES)

    def allocations(self) -> pd.DataFrame:
        """Allocation versions with their validity (``valid_from``/``valid_to``); ``ALLOCATIONS``."""
        return self._frame(_ALLOCATIONS_SQL, ALLOCATIONS)

    def starts_stops(self) -> pd.DataFrame:
        """Starts (305) and stops (307); ``STARTS_STOPS``."""
        return self._frame(_QUERIES["starts_stops"], STARTS_STOPS)

    def requests(self) -> pd.DataFrame:
        """Requests for allocation (315) and change (317) with the referrer; ``REQUESTS``."""
        return self._frame(_QUERIES["requests"], REQUESTS)

    def claim_answers(self) -> pd.DataFrame:
        """Claim answers (325), one row per answered claim; ``CLAIM_ANSWERS``."""
        return self._frame(_QUERIES["claim_answers"], CLAIM_ANSWERS)

    def rejected_lines(self) -> pd.DataFrame:
        """Rejected claim lines (325) with their retour codes; ``REJECTED_LINES``."""
        return self._frame(_QUERIES["rejected_lines"], REJECTED_LINES)

    def request_answers(self) -> pd.DataFrame:
        """Answers to requests (319): reference, answer code, reason of rejection."""
        cols = TABLES["request_answers"]
        return self._frame(f"SELECT {', '.join(cols)} FROM request_answers "
                           "ORDER BY file_id, position", cols)

    # --- bookkeeping -------------------------------------------------------------------
    def quarantine(self) -> pd.DataFrame:
        """Every record not accepted: file, position (line), message code, Dutch reason."""
        return self._frame("SELECT file, position, message_code, reason FROM quarantine "
                           "ORDER BY file_id, position", QUARANTINE)

    def quarantine_records(self, file: str | None = None,
                           import_id: int | None = None) -> pd.DataFrame:
        """The quarantine with the amount of each record where the record has one:
        ``file, position, message_code, reason, amount_euro, sheet, municipality`` (the
        gemeentecode where the refused record or its message names one, else empty);
        ``file`` matches the path as stored or its last part (``export.csv``), ``import_id``
        one import."""
        where, params = _quarantine_filter(file, import_id)
        municipality = ("municipality" if self._has_column("quarantine", "municipality")
                        else "NULL::VARCHAR")
        return self._frame(f"SELECT file, position, message_code, reason, "
                           f"amount_cent / 100.0, {self._sheet}, {municipality} FROM "
                           f"quarantine {where} ORDER BY file_id, position",
                           QUARANTINE + ("amount_euro", "sheet", "municipality"), params)

    def quarantine_groups(self, file: str | None = None,
                          import_id: int | None = None) -> pd.DataFrame:
        """Per reason: ``reason, records, amount_euro`` (sum of the known amounts; missing
        when no record of the reason has one, as allocations) and the first example ``file,
        position, sheet``; most records first."""
        where, params = _quarantine_filter(file, import_id)
        return self._frame(f"""
            SELECT reason, count(*), sum(amount_cent) / 100.0,
                   arg_min(file, (file_id, position)), min_by(position, (file_id, position)),
                   arg_min({self._sheet}, (file_id, position))
            FROM quarantine {where} GROUP BY reason ORDER BY 2 DESC, 1""",
                           ("reason", "records", "amount_euro", "file", "position", "sheet"),
                           params)

    def last_import_id(self) -> int | None:
        return self.con.execute("SELECT max(import_id) FROM imports").fetchall()[0][0]

    def imports(self) -> pd.DataFrame:
        """The import log: one row per file read, with counts and duration."""
        return self._frame(f"SELECT {', '.join(IMPORT_LOG)} FROM imports ORDER BY file_id",
                           IMPORT_LOG)

    def messages(self) -> pd.DataFrame:
        """One row per message accepted (content and retour messages), without any BSN."""
        cols = ("label", "sender", "receiver", "identification", "message_date",
                "retour_codes")
        return self._frame(f"SELECT {', '.join(cols)} FROM messages ORDER BY file_id", cols)

    def overview(self) -> dict:
        """The figures of ``grip berichten overzicht`` (see ``berichten.importer``)."""
        con = self.con
        per_code = dict(con.execute("SELECT label, count(*) FROM messages GROUP BY label "
                                    "ORDER BY label").fetchall())
        per_municipality = con.execute(
            "SELECT municipality, count(*), coalesce(sum(amount_cent), 0) FROM claim_lines "
            "GROUP BY municipality ORDER BY 3 DESC, 1").fetchall()
        lines = sum(n for _, n, _ in per_municipality)
        cents = sum(c for _, _, c in per_municipality)
        return {
            "berichten": per_code,
            "gemeenten": {m: {"declaratieregels": int(n), "gedeclareerd_euro": round(int(c) / 100, 2)}
                          for m, n, c in per_municipality},
            "declaratieregels": int(lines),
            "gedeclareerd_euro": round(int(cents) / 100, 2),
            "quarantaine": int(con.execute("SELECT count(*) FROM quarantine").fetchone()[0]),
            "toewijzingen": int(con.execute(
                "SELECT count(DISTINCT (law, municipality, provider, allocation_number)) "
                "FROM allocation_rows").fetchone()[0]),
            "bestanden": int(con.execute("SELECT count(*) FROM imports").fetchone()[0]),
        }


def open_store(path: Path | str) -> Store:
    """The store at ``path`` for reading (the jobs' default); ``StoreError`` if it cannot be used.

    >>> open_store("bestaat/niet.duckdb")
    Traceback (most recent call last):
    ...
    berichten.store.StoreError: de opslag bestaat/niet.duckdb bestaat niet; lees eerst berichten in (knop 'Berichtenverkeer inlezen' of grip berichten inlezen)
    """
    return Store(path, read_only=True)
