"""Import message files and flat exports into the store: incremental, idempotent, logged.

``import_paths(store_path, paths)`` reads every file (folders are searched for ``.xml``,
``.csv`` and ``.xlsx``) and returns an ``ImportReport`` with, per file, records read,
accepted and quarantined (read == accepted + quarantined, always).

- **Idempotent and incremental**: a file whose bytes were imported before is skipped
  (SHA-256 of its content); a message whose key (sender, BerichtCode, BerichtIdentificatie)
  is already in the store under other bytes is a duplicate and goes to quarantine.
- **Transactional**: the whole call is one database transaction; an interrupted or failed
  import leaves the store exactly as it was.
- **Quarantine**: a file that cannot be read as a whole counts as one record read and one
  quarantined, with the reason and the line; a bad record inside a readable file is
  quarantined by itself and the rest of the file is accepted. A credit line is matched
  with a debit line of the same provider whose ReferentieNummer equals the credit's
  ReferentieNummer or its VorigReferentieNummer (both practices occur); a credit without
  one is quarantined after all files are read, so order within one import does not matter.
- **Logged**: every file is in ``Store.imports()`` (file, counts, duration) and one summary
  line per import goes to logger ``grip.berichten``; neither ever holds a BSN.
- **Parallel**: ``parse_file`` reads and checks a file without touching the store; many new
  files are parsed by a process pool, and the main process pseudonymises the BSNs and writes
  in file order. Rows are buffered per table and inserted in bulk from DataFrames.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from pathlib import Path

import duckdb
import pandas as pd

from berichten import codes, flat, flatcheck, register
from berichten.pseudonym import Keyring, default_key_path
from berichten.rows import TABLES, TYPES, RowRejected, build_row
from berichten.store import Store, grips_own, location
from berichten.xmlreader import FileRejected, Header, read_message, scrub
from calc.errors import InputError

log = logging.getLogger("grip.berichten")

#: ``.txt``: what Excel writes as "Unicode-tekst" or "Tekst (tab is scheidingsteken)".
SUFFIXES = {".xml": "xml", ".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}
#: Rows buffered before a bulk insert.
FLUSH_ROWS = 200_000

#: Status words of a file in the report and the log.
IMPORTED, REFUSED, ALREADY, SKIPPED = "ingelezen", "geweigerd", "al ingelezen", "overgeslagen"


@dataclass
class FileResult:
    file: str
    status: str
    message_code: str | None = None
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    duration_s: float = 0.0
    reason: str | None = None


@dataclass
class ImportReport:
    store: Path
    files: list[FileResult] = field(default_factory=list)
    duration_s: float = 0.0
    #: Quarantine of this import per reason (``Store.quarantine_groups``), most records first.
    reasons: pd.DataFrame | None = None

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def lines(self) -> list[str]:
        """Dutch summary lines for the command line."""
        out = [f"Opslag: {self.store}",
               f"Bestanden: {len(self.files)} ({self.count(IMPORTED)} ingelezen, "
               f"{self.count(REFUSED)} geweigerd, {self.count(ALREADY)} al eerder ingelezen, "
               f"{self.count(SKIPPED)} overgeslagen)",
               f"Records: {self.read} gelezen = {self.accepted} opgenomen + "
               f"{self.quarantined} in quarantaine",
               f"Duur: {self.duration_s:.1f} s".replace(".", ",")]
        for f in self.files:
            if f.reason and f.status in (REFUSED, SKIPPED):
                out.append(f"  {f.status}: {f.file}: {f.reason}")
        out += reason_lines(self.reasons, self.store)
        return out

    def table(self) -> list[list]:
        """The import summary as rows for the named range ``grip_uit_import``."""
        rows = [["Bestanden", len(self.files)],
                ["Ingelezen", self.count(IMPORTED)],
                ["Geweigerd", self.count(REFUSED)],
                ["Al eerder ingelezen", self.count(ALREADY)],
                ["Records gelezen", self.read],
                ["Records opgenomen", self.accepted],
                ["Records in quarantaine", self.quarantined],
                ["Duur (s)", round(self.duration_s, 1)]]
        return rows


#: Reasons shown after an import; the rest is counted (``grip berichten quarantaine`` lists all).
SHOWN_REASONS = 10


def amount_text(euro) -> str:
    """The euro of a group of quarantined records, or 'geen bedrag' when none of them has an
    amount (allocations): not a reassuring € 0,00.

    >>> amount_text(12.5), amount_text(float("nan"))
    ('€ 12,50', 'geen bedrag')
    """
    from calc.text import nl_euro

    return "geen bedrag" if euro is None or pd.isna(euro) else nl_euro(euro, 2)


def reason_lines(groups: pd.DataFrame | None, store: Path) -> list[str]:
    """Dutch lines: per reason its count, euro and first example (file:line)."""
    if groups is None or groups.empty:
        return []
    out = ["In quarantaine per reden:"]
    for g in groups.head(SHOWN_REASONS).itertuples(index=False):
        out.append(f"  {g.records} × {g.reason} ({amount_text(g.amount_euro)}; eerste: "
                   f"{location(Path(g.file).name, g.position, g.sheet)})")
    if len(groups) > SHOWN_REASONS:
        rest = groups.iloc[SHOWN_REASONS:]
        out.append(f"  … en {len(rest)} andere redenen ({int(rest['records'].sum())} records)")
    out.append(f"Alle records: grip berichten quarantaine --opslag {store}")
    return out


def stored_name(path: Path) -> str:
    """The file's path as the store keeps it: a number in it that may be a BSN is masked."""
    return codes.mask_bsn_like(str(path))


def expand(paths: Iterable[Path | str]) -> list[Path]:
    """Files to read: files as given, folders searched recursively, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file()
                              and q.suffix.lower() in SUFFIXES and not q.name.startswith(".")))
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"bestand of map bestaat niet: {p}", argument="bestanden")
    return list(dict.fromkeys(out))  # a file named twice is read once


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class RowBuffers:
    """Rows per table as tuples (``TABLES`` order, then ``file_id, position``), bulk-inserted
    from DataFrames by ``flush``; also how ``berichten.synth.synthetic_tables`` fills a store."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
        self.size = 0

    def append(self, table: str, row: tuple, file_id: int, position: int) -> None:
        self.rows[table].append((*row, file_id, position))
        self.size += 1

    def flush(self, con) -> None:
        for table, rows in self.rows.items():
            if not rows:
                continue
            names = (*TABLES[table], "file_id", "position")
            columns = list(zip(*rows))
            frame = pd.DataFrame({n: _column(n, list(v)) for n, v in zip(names, columns)})
            con.register("_grip_buffer", frame)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _grip_buffer")
            con.unregister("_grip_buffer")
            rows.clear()
        self.size = 0


def _column(name: str, values: list):
    if TYPES.get(name) == "BIGINT" or name in ("file_id", "position"):
        return pd.array(values, dtype="Int64")
    return pd.Series(values, dtype=object)


def _bulk_insert(con, table: str, rows: list[tuple]) -> None:
    """Insert tuples in the table's column order in one statement (no row-by-row inserts)."""
    if not rows:
        return
    names = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()][:len(rows[0])]
    frame = pd.DataFrame({n: pd.Series([r[i] for r in rows], dtype=object)
                          for i, n in enumerate(names)})
    con.register("_grip_rows", frame)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _grip_rows")
    con.unregister("_grip_rows")


#: Index of the client (BSN -> pseudonym) column per table.
CLIENT_COLUMN = {t: cols.index("client") for t, cols in TABLES.items() if "client" in cols}


class _BsnOnly:
    """Stands in for the keyring while parsing: rows keep the (checked) BSN in memory and
    the main process replaces it by the pseudonym before anything is stored."""

    @staticmethod
    def pseudonym(municipality: str, bsn: str) -> str:
        return bsn


#: Where ``Parsed.message`` holds the gemeentecode: it is a row of the table ``messages``
#: after its ``file_id`` (law, message, label, berichtcode, sender, receiver, identification,
#: message_date, municipality, ...).
MESSAGE_MUNICIPALITY = 8


@dataclass
class Parsed:
    """What one file gave before anything touches the store (picklable for worker processes).

    ``rows`` hold (table, row, position) with the BSN still in the client column; ``problems``
    (position, reason) of the quarantined records; ``refused`` (position, reason) when the
    file as a whole cannot be read.
    """

    kind: str | None
    digest: str
    label: str | None = None
    key: tuple | None = None
    message: tuple | None = None
    header_position: int | None = None
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    read: int = 0
    flat_quarantined: int = 0
    refused: tuple | None = None
    seconds: float = 0.0
    sheet: str | None = None

    @property
    def municipality(self) -> str | None:
        """The gemeentecode of a message (its header), kept with its refused records."""
        return self.message[MESSAGE_MUNICIPALITY] if self.message else None


def parse_file(name: str, validate: bool, mapping: flat.Mapping) -> Parsed:
    """Read and check one file completely; nothing is written (runs in a worker process)."""
    started = time.perf_counter()
    path = Path(name)
    kind = SUFFIXES.get(path.suffix.lower())
    parsed = Parsed(kind, file_hash(path))
    try:
        if kind is None:
            hint = {".zip": "; pak het zip-bestand eerst uit en lees de map in",
                    ".xls": "; sla het in Excel op als .xlsx (Excel-werkmap)"}
            raise FileRejected(f"onbekend bestandstype '{path.suffix}' (verwacht .xml, .csv, .txt "
                               f"of .xlsx){hint.get(path.suffix.lower(), '')}", 1)
        if kind == "xml":
            _parse_xml(path, validate, parsed)
        # a flat export is read and checked column-wise inside the store (``run_file``)
    except (FileRejected, flat.FlatFileRejected) as exc:
        parsed.label = getattr(exc, "message_label", None) or parsed.label
        parsed.rows, parsed.problems, parsed.key = [], [], None
        parsed.refused = (exc.position, scrub(exc.reason))
    parsed.seconds = time.perf_counter() - started
    return parsed


def _parse_xml(path: Path, validate: bool, parsed: Parsed) -> None:
    header: Header | None = None
    state: dict = {}
    keys = _BsnOnly()
    rows, problems = parsed.rows, parsed.problems
    for item in read_message(path, validate=validate):
        if isinstance(item, Header):
            header = item
            mtype = header.mtype
            parsed.label = mtype.label
            parsed.key = (header.sender, mtype.berichtcode, header.identification, header.date)
            parsed.header_position = header.position
            continue
        parsed.read += 1
        try:
            table, row = build_row(header, item, keys, state)
        except RowRejected as exc:
            problems.append((item.position, scrub(exc.reason)))
            continue
        rows.append((table, row, item.position))
    if header.mtype.is_retour:  # a retour message is one record: the message itself
        parsed.read += 1
    parsed.message = (header.mtype.law, header.mtype.number, header.mtype.label,
                      header.mtype.berichtcode, header.sender, header.receiver,
                      header.identification, header.date, header.municipality, header.provider,
                      header.retour_codes)


class _Importer:
    def __init__(self, store: Store, keyring: Keyring, *, validate: bool,
                 mapping: flat.Mapping) -> None:
        self.store = store
        self.con = store.con
        self.keyring = _CheckedKeyring(keyring, self.con)
        self.validate = validate
        self.mapping = mapping
        self.buffers = RowBuffers()
        con = self.con
        self.import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 "
                                     "FROM imports").fetchone()[0]
        self.next_file_id = con.execute("SELECT coalesce(max(file_id), 0) + 1 "
                                        "FROM imports").fetchone()[0]
        self.first_file_id = self.next_file_id   # the files of this import: file_id >= it
        self.known_hashes = dict(con.execute(
            "SELECT file_hash, file FROM imports WHERE file_hash IS NOT NULL").fetchall())
        self.known_stats = {(f, s, m) for f, s, m in con.execute(
            "SELECT file, size, mtime_ns FROM imports").fetchall()}
        self.message_keys = {tuple(k[:4]): k[4] for k in con.execute(
            "SELECT m.sender, m.berichtcode, m.identification, CAST(m.message_date AS VARCHAR),"
            " i.file FROM messages m JOIN imports i USING (file_id)").fetchall()}
        self.quarantine_rows: list[tuple] = []
        self.message_rows: list[tuple] = []
        self.import_rows: list[tuple] = []

    # --- one file ---------------------------------------------------------------------
    def already(self, path: Path) -> FileResult | None:
        """A file whose path, size and modification time were imported before is skipped, and
        so is Office's owner file of an open workbook (``~$export.xlsx`` beside ``export.xlsx``
        while Excel has it open): no export, and refusing it counted a record that never was."""
        if path.name.startswith("~$"):
            return FileResult(stored_name(path), SKIPPED,
                              reason=f"tijdelijk bestand van Excel ({path.name[2:]} is geopend "
                                     "in Excel), geen export")
        own = grips_own(path)
        if own is not None:
            return FileResult(stored_name(path), SKIPPED, reason=own)
        stat = path.stat()
        if (stored_name(path), stat.st_size, stat.st_mtime_ns) in self.known_stats:
            return FileResult(stored_name(path), ALREADY, reason="ongewijzigd sinds de vorige import")
        return None

    def run_file(self, path: Path, parsed: "Parsed | None" = None) -> FileResult:
        """Take one file's parse (made here or by a worker process) into the buffers."""
        if parsed is None:  # (a worker's parse is only made for a file not seen before)
            skipped = self.already(path)
            if skipped is not None:
                return skipped
            parsed = parse_file(str(path), self.validate, self.mapping)
        name = stored_name(path)
        if parsed.digest in self.known_hashes:
            return FileResult(name, ALREADY,
                              reason=f"zelfde inhoud als {self.known_hashes[parsed.digest]}")
        file_id = self.next_file_id
        self.next_file_id += 1
        if parsed.kind in ("csv", "xlsx") and parsed.refused is None:
            self._run_flat(path, parsed, file_id)
            if parsed.refused is not None and register.is_register(path):
                return FileResult(name, SKIPPED, reason="een aanbiedersregister (AGB-code en "
                                  "naam), geen export: geef het op met --aanbieders, of zet de "
                                  "namen op het blad Namen van het begrotingsmodel")
        refused = parsed.refused
        if refused is None and parsed.key is not None and parsed.key in self.message_keys:
            sender, _, ident, day = parsed.key
            refused = (parsed.header_position,
                       f"dubbel bericht: {parsed.label} van afzender {sender} met "
                       f"BerichtIdentificatie {ident} ({day}) is al ingelezen uit "
                       f"{self.message_keys[parsed.key]}")
        if refused is not None:
            result = FileResult(name, REFUSED, parsed.label, read=1, quarantined=1,
                                reason=refused[1])
            self._quarantine(file_id, name, refused[0], parsed.label, refused[1],
                             parsed.municipality)
        else:
            result = FileResult(name, IMPORTED, parsed.label, read=parsed.read,
                                quarantined=len(parsed.problems) + parsed.flat_quarantined)
            for position, reason in parsed.problems:
                self._quarantine(file_id, name, position, parsed.label, reason,
                                 parsed.municipality)
            pseudonym = self.keyring.pseudonym
            rows = parsed.rows
            while rows:  # in chunks from the end, so a huge file is never held twice
                chunk = rows[-FLUSH_ROWS:]
                del rows[-FLUSH_ROWS:]
                for table, row, position in chunk:
                    i = CLIENT_COLUMN.get(table)
                    if i is not None:
                        row = (*row[:i], pseudonym(row[1], row[i]), *row[i + 1:])
                    self.buffers.append(table, row, file_id, position)
                del chunk
                if self.buffers.size >= FLUSH_ROWS:
                    self.buffers.flush(self.con)
            result.accepted = parsed.read - result.quarantined
            if parsed.key is not None:
                self.message_keys[parsed.key] = name
                self.message_rows.append((file_id, *parsed.message))
        result.duration_s = parsed.seconds
        stat = path.stat()
        self.known_hashes[parsed.digest] = name
        self.import_rows.append((file_id, self.import_id, name, parsed.digest, stat.st_size,
                                 stat.st_mtime_ns, parsed.kind, result.message_code,
                                 result.status, result.read, result.accepted,
                                 result.quarantined, datetime.now(), result.duration_s,
                                 parsed.sheet))
        if self.buffers.size >= FLUSH_ROWS:
            self.buffers.flush(self.con)
        return result

    def _run_flat(self, path: Path, parsed: Parsed, file_id: int) -> None:
        """Read and check a flat export column-wise straight into the store's tables."""
        started = time.perf_counter()
        self.buffers.flush(self.con)  # rows of earlier files first: positions stay in order
        try:
            raw = flat.load_raw(self.con, path, self.mapping)
            parsed.label, parsed.sheet = raw.label, raw.sheet
            parsed.read, parsed.flat_quarantined = flatcheck.import_flat(
                self.con, raw, self.mapping, self.keyring.pseudonym,
                import_id=self.import_id, file_id=file_id, name=stored_name(path))
        except flat.FlatFileRejected as exc:
            parsed.refused = (exc.position, scrub(exc.reason))
        parsed.seconds += time.perf_counter() - started

    def _quarantine(self, file_id, name, position, label, reason, municipality=None) -> None:
        self.quarantine_rows.append((self.import_id, file_id, name, position, label, reason,
                                     None, municipality))

    # --- after all files --------------------------------------------------------------
    def finish(self, report: ImportReport) -> None:
        self.buffers.flush(self.con)
        for table, rows in (("imports", self.import_rows), ("messages", self.message_rows),
                            ("quarantine", self.quarantine_rows)):
            _bulk_insert(self.con, table, rows)
        self._duplicate_lines(report)
        self._duplicate_allocation_rows(report)
        self._credits_without_debit(report)

    def _duplicate_lines(self, report: ImportReport) -> None:
        """Quarantine claim lines of this import that repeat a line already in the store:
        an overlapping export, a 323 message of claims read before from an export (or the
        other way round), or the same line twice in one file. A provider's ReferentieNummer
        names one declaration line, so the same law, provider, reference, debit/credit,
        service month and amount is the same line; the first one read (by file, then line)
        stays, every later one goes to the quarantine with its amount and the file of the first.
        """
        key = ("law", "provider", "reference_number", "debit_credit", "service_month", "a")
        lines = ("(SELECT rowid AS rid, file_id, position, law, provider, reference_number, "
                 "debit_credit, service_month, amount_cent, abs(amount_cent) AS a "
                 "FROM claim_lines)")
        # keys seen twice first (one aggregate over a 64-bit hash of the key: a collision only
        # adds a candidate), then ranks by the exact key among their few lines
        exact = ", ".join(f"c.{k}" for k in key)
        found = self.con.execute(f"""
            WITH twice AS (SELECT hash({', '.join(key)}) AS h FROM {lines}
                           GROUP BY h HAVING count(*) > 1 AND max(file_id) >= ?),
            ranked AS (
                SELECT c.rid, c.file_id, c.position, c.law, c.amount_cent,
                       row_number() OVER w AS k, first_value(c.file_id) OVER w AS first_file
                FROM {lines} c SEMI JOIN twice t ON hash({exact}) = t.h
                WINDOW w AS (PARTITION BY {exact}
                             ORDER BY c.file_id, c.position, c.rid))
            SELECT r.rid, r.file_id, r.position, r.law, r.amount_cent,
                   r.first_file = r.file_id, i.file
            FROM ranked r JOIN imports i ON i.file_id = r.first_file
            WHERE r.k > 1 AND r.file_id >= ?
            ORDER BY r.file_id, r.position""", [self.first_file_id, self.first_file_id]
                                  ).fetchall()
        # the reason names the file of the first line, not its line: one reason per file, so
        # the quarantine's summary per reason stays a few lines for a thousand doubles
        rows = []
        for rowid, file_id, position, law, cents, same, first_file in found:
            where = "eerder in dit bestand" if same else f"in de opslag (uit {first_file})"
            rows.append((rowid, file_id, position, law, cents,
                         f"dubbele regel: deze declaratie staat al {where}; niet nog eens "
                         "opgenomen"))
        self._move_to_quarantine(rows, report)

    def _duplicate_allocation_rows(self, report: ImportReport) -> None:
        """Quarantine an allocation row of this import that repeats, in every field, a row
        of the same file (the same row twice in one export): counted twice, its allocation's
        commitment was doubled. The first row stays."""
        content = [c for c in TABLES["allocation_rows"] if c not in ("file_id", "position")]
        found = self.con.execute(f"""
            SELECT rid, file_id, position, law, budget_cent FROM (
                SELECT rowid AS rid, file_id, position, law, budget_cent,
                       row_number() OVER w AS k
                FROM allocation_rows WHERE file_id >= ?
                WINDOW w AS (PARTITION BY file_id, {', '.join(content)}
                             ORDER BY position, rowid))
            WHERE k > 1 ORDER BY file_id, position""", [self.first_file_id]).fetchall()
        rows = [(rowid, file_id, position, law, cents,
                 "dubbele regel: deze toewijzing staat al eerder in dit bestand; niet nog "
                 "eens opgenomen")
                for rowid, file_id, position, law, cents in found]
        self._move_to_quarantine(rows, report, table="allocation_rows", code="301")

    def _move_to_quarantine(self, lines: list[tuple], report: ImportReport, *,
                            table: str = "claim_lines", code: str = "323") -> None:
        """Move lines of this import, ``(rowid, file_id, position, law, amount_cent,
        reason)``, from ``table`` to the quarantine (with their amount), and correct the
        counts of their files in the import log and the report."""
        if not lines:
            return
        con = self.con
        files = {f.file: f for f in report.files}
        names = dict(con.execute("SELECT file_id, file FROM imports WHERE import_id = ?",
                                 [self.import_id]).fetchall())
        labels = dict(con.execute("SELECT file_id, message_code FROM imports "
                                  "WHERE import_id = ?", [self.import_id]).fetchall())
        municipality = dict(con.execute(f"SELECT rowid, municipality FROM {table} "
                                        "WHERE rowid IN (SELECT unnest(?))",
                                        [[line[0] for line in lines]]).fetchall())
        rows, per_file = [], {}
        for rowid, file_id, position, law, cents, reason in lines:
            label = labels.get(file_id) or f"{law.upper()}{code}"   # CSV-declaraties, or JW323
            rows.append((self.import_id, file_id, names[file_id], position, label, reason,
                         cents, municipality.get(rowid)))
            per_file[file_id] = per_file.get(file_id, 0) + 1
        _bulk_insert(con, "quarantine", rows)
        con.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT unnest(?))",
                    [[line[0] for line in lines]])
        for file_id, n in per_file.items():
            con.execute("UPDATE imports SET accepted = accepted - ?, quarantined = quarantined + ?"
                        " WHERE file_id = ?", [n, n, file_id])
            result = files[names[file_id]]
            result.accepted -= n
            result.quarantined += n

    def _credits_without_debit(self, report: ImportReport) -> None:
        """Quarantine credit lines of this import with no debit line of the same reference."""
        con = self.con
        orphans = con.execute("""
            SELECT c.rowid, c.file_id, c.position, c.law, c.reference_number,
                   c.previous_reference, c.amount_cent
            FROM claim_lines c JOIN imports i ON i.file_id = c.file_id AND i.import_id = ?
            WHERE c.debit_credit = 'C' AND NOT EXISTS (
                SELECT 1 FROM claim_lines d WHERE d.debit_credit = 'D' AND d.law = c.law
                AND d.provider = c.provider
                AND d.reference_number IN (c.reference_number, c.previous_reference))
            ORDER BY c.file_id, c.position""", [self.import_id]).fetchall()
        self._move_to_quarantine(
            [(rowid, file_id, position, law, cents,
              "creditregel zonder debetregel: geen debet met ReferentieNummer "
              + f"'{reference}'" + (f" of '{previous}'" if previous else ""))
             for rowid, file_id, position, law, reference, previous, cents in orphans], report)


class _CheckedKeyring:
    """The keyring, refusing a key whose fingerprint differs from the one the store knows."""

    def __init__(self, keyring: Keyring, con) -> None:
        self.keyring = keyring
        self.con = con
        self.known = dict(con.execute("SELECT municipality, fingerprint "
                                      "FROM key_fingerprints").fetchall())
        self.checked: set[str] = set()

    def pseudonym(self, municipality: str, bsn: str) -> str:
        if municipality not in self.checked:
            fp = self.keyring.fingerprint(municipality)
            stored = self.known.get(municipality)
            if stored is None:
                self.con.execute("INSERT INTO key_fingerprints VALUES (?, ?)", [municipality, fp])
            elif stored != fp:
                raise InputError(f"de sleutel voor gemeente {municipality} past niet bij deze "
                                 "opslag (ander sleutelbestand?); import afgebroken",
                                 argument="sleutel")
            self.checked.add(municipality)
        return self.keyring.pseudonym(municipality, bsn)


#: Parallel parsing pays off from this many new files; at most this many worker processes.
PARALLEL_FROM = 64
MAX_WORKERS = 4


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    """In a parse worker: end this process as soon as the importing process is gone.

    A pool worker waits on its task queue forever; after ``kill -9`` of the import
    nothing would tell it to stop. A daemon thread notices the parent change and exits.
    """
    import multiprocessing
    import threading
    import time

    handle = multiprocessing.parent_process()  # a sentinel that also works on Windows

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent or (handle is not None and not handle.is_alive()):
                os._exit(1)

    threading.Thread(target=watch, name="grip-parent-watch", daemon=True).start()


def _parsed(importer: _Importer, files: list[Path], workers: int | None):
    """(path, Parsed or None) in file order; new files parsed by a process pool when it pays."""
    new = [p for p in files if importer.already(p) is None]
    if workers is None:
        workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(new) >= PARALLEL_FROM else 1
    if workers <= 1:
        for path in files:
            yield path, None
        return
    from concurrent.futures import ProcessPoolExecutor

    todo = set(new)
    with ProcessPoolExecutor(max_workers=workers, initializer=_watch_parent,
                             initargs=(os.getpid(),)) as pool:
        results = pool.map(parse_file, [str(p) for p in new], repeat(importer.validate),
                           repeat(importer.mapping), chunksize=8)
        for path in files:
            yield path, (next(results) if path in todo else None)


@contextlib.contextmanager
def _store_faults(store_path: Path) -> Iterator[None]:
    """A DuckDB write or open failure (disk full, read-only folder) as an ``OSError`` naming
    the store, so the command line shows one Dutch line (``grip.faults``), not a traceback;
    the transaction is rolled back, the store stays as it was."""
    try:
        yield
    except duckdb.Error as exc:
        text = str(exc).lower()
        if "no space left" in text or "disk full" in text:
            code = errno.ENOSPC
        elif "read-only" in text:
            code = errno.EROFS
        elif "permission denied" in text:
            code = errno.EACCES
        elif isinstance(exc, duckdb.IOException) or "could not write" in text:
            code = errno.EIO
        else:
            raise
        raise OSError(code, os.strerror(code), str(store_path)) from None


def import_paths(store_path: Path | str, paths: Iterable[Path | str], *,
                 key_path: Path | str | None = None, progress: bool = False,
                 validate: bool = True, mapping: flat.Mapping | None = None,
                 workers: int | None = None) -> ImportReport:
    """Import message files (XML) and flat exports (CSV, xlsx) into the store.

    Parameters
    ----------
    store_path : path of the DuckDB file (created if absent).
    paths : files and folders; folders are searched recursively for .xml, .csv, .xlsx.
    key_path : the pseudonymisation key file; default ``<store>.sleutel`` beside the store.
    progress : show a tqdm progress bar (per file).
    validate : check iJw messages against their XSD while reading (default on).
    mapping : column mapping of flat exports; default ``berichten/kolommen.toml``.
    workers : processes that parse files in parallel (default: one per core, at most
        ``MAX_WORKERS``, for ``PARALLEL_FROM`` new files or more). Parsing never touches the
        store; the main process pseudonymises and writes, in file order, in one transaction.
    """
    started = time.perf_counter()
    store_path = Path(store_path)
    files = expand(paths)
    keyring = Keyring.load(Path(key_path) if key_path else default_key_path(store_path))
    report = ImportReport(store_path)
    with _store_faults(store_path), Store(store_path) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        try:
            importer = _Importer(store, keyring, validate=validate,
                                 mapping=mapping or flat.default_mapping())
            bar = None
            if progress:
                from tqdm import tqdm

                bar = tqdm(total=len(files), desc="Berichten inlezen", unit="bestand")
            for path, parsed in _parsed(importer, files, workers):
                report.files.append(importer.run_file(path, parsed))
                if bar is not None:
                    bar.update()
            if bar is not None:
                bar.close()
            importer.finish(report)
            report.reasons = store.quarantine_groups(import_id=importer.import_id)
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # DuckDB already ended the transaction (a failed commit): nothing was kept
            raise
    report.duration_s = time.perf_counter() - started
    log.info("import in %s: %d bestanden, %d records gelezen, %d opgenomen, %d in quarantaine, "
             "%.1f s", store_path.name, len(report.files), report.read, report.accepted,
             report.quarantined, report.duration_s)
    return report
