"""The checks of a flat export, column by column, in the store's own database.

``import_flat`` takes a file loaded by ``flat.load_raw`` (all text, table ``flat.RAW``) and
writes its accepted rows to ``claim_lines`` or ``allocation_rows`` and the others, each with
its line, Dutch reason and amount, to ``quarantine``. Nothing loops over rows in Python:

1. every distinct text of a column is read once by the Python parsers (dates, amounts,
   whole numbers, codes written as codes or as Dutch names) into a small table
   ``(k, v, r)``: text, value, reason; a join gives every row its value and reason;
2. the decimal mark of the amount and tarief columns is decided from their texts
   (``berichten.amounts``); where the data do not tell, volume x tarief = bedrag on the
   lines settles it, else the mapping's ``decimaalteken``. A file whose amounts are a
   constant factor (10, 100, 1000) off volume x tarief is refused as a whole;
3. the checks between columns (debet/credit and sign, volume x tarief = bedrag within a
   cent, product code of the category, einddatum after ingangsdatum, the productperiode not
   after the declaratieperiode, which is not after today) are SQL expressions;
4. the BSN is checked (11-test) and pseudonymised per distinct (gemeente, BSN); text columns
   that hold a number passing the 11-test outside the test range 999 are refused.

The first failing check of a row is its reason (columns in the order of the export's
fields, then the checks between columns).
"""

from __future__ import annotations

import pandas as pd

from berichten import amounts, codes
from berichten.flat import RAW, FlatFileRejected, Mapping, RawFile, drop_raw
from berichten.rows import date_window_problem
from calc.cells import LAST_YEAR, parse_date
from calc.text import nl_euro

#: Dates outside ``FIRST_YEAR``..``LAST_YEAR`` (``calc.cells``) are quarantined at import: no
#: later step ever meets them.
#: Factors that betray amounts in the wrong unit (eurocent read as euro and so on).
FACTORS = (10, 100, 1000, 0.1, 0.01, 0.001)
#: Share of the lines that must show one factor before the whole file is refused.
FACTOR_SHARE = 0.9

TEXT_FIELDS = ("claim_number", "reference_number", "previous_reference", "allocation_number",
               "reason_change")
REQUIRED_TEXT = {"reference_number": "referentienummer", "allocation_number": "toewijzingnummer"}


# --- parsers of one distinct text: (value, reason) ------------------------------------------

def _day(label: str, required: bool, open_end: bool = False):
    """A date column; with ``open_end`` (einddatum) a date after ``LAST_YEAR`` such as
    31-12-9999 is the systems' way of writing "no end" and reads as empty."""
    def parse(text):
        if text is None:
            return None, (f"kolom '{label}' is leeg" if required else None)
        day, problem = parse_date(text)
        if problem is not None:
            return None, f"kolom '{label}': {problem}"
        iso = day.isoformat()
        if open_end and int(iso[:4]) > LAST_YEAR:
            return None, None
        outside = date_window_problem(iso, f"kolom '{label}'", shown=str(text).strip())
        return (None, outside) if outside else (day, None)
    return parse


def _code(label: str, list_name: str):
    def parse(text):
        if text is None:
            return None, None
        code = codes.code_from_text(list_name, text)
        if code is None:
            return None, (f"onbekende waarde '{text[:20]}' in kolom '{label}' (toegestaan: "
                          f"{codes.allowed_text(list_name)})")
        return code, None
    return parse


def _law(label: str, default: str):
    def parse(text):
        if text is None:
            return default, None
        return _code(label, "wet")(text)
    return parse


def _padded(label: str, width: int, what: str = "code"):
    """A code of ``width`` digits (gemeentecode 4, AGB-code 8); leading zeros an export
    dropped are put back. A name instead of the code is refused: it would never meet the
    same gemeente or aanbieder in the messages (and give its clients other pseudonyms)."""
    def parse(text):
        if text is None:
            return None, f"kolom '{label}' is leeg"
        code = codes.digit_code(text, width)
        if code is None:
            return None, (f"kolom '{label}': '{text[:30]}' is geen {what} ({width} cijfers); "
                          "een naam kan Grip niet aan de berichten koppelen")
        return code, None
    return parse


def _whole(label: str, required: bool):
    def parse(text):
        if text is None:
            return None, (f"kolom '{label}' is leeg" if required else None)
        value, problem = amounts.whole(text)
        return value, (f"kolom '{label}': {problem}" if problem else None)
    return parse


def _money(label: str, decimal: str, unit: str, required: bool):
    def parse(text):
        if text is None:
            return None, (f"kolom '{label}' is leeg" if required else None)
        value, problem = amounts.cents(text, decimal, unit)
        return value, (f"kolom '{label}': {problem}" if problem else None)
    return parse


def _bsn(label: str):
    def parse(text):
        if text is None:
            return None, "BSN ontbreekt"
        if text.isdigit() and len(text) < 9:
            text = text.zfill(9)
        problem = codes.bsn_problem(text)
        return (None, problem) if problem else (text, None)
    return parse


def looks_like_bsn(text: str | None) -> bool:
    """True if the text holds a 9-digit number passing the 11-test outside the test range 999.

    >>> looks_like_bsn("999990019"), looks_like_bsn("R1")
    (False, False)
    """
    return codes.mask_bsn_like(text or "") != (text or "")


# --- the SQL ----------------------------------------------------------------------------------

class _Check:
    """Builds the maps and the big SELECT for one file."""

    def __init__(self, con, raw: RawFile, mapping: Mapping) -> None:
        self.con, self.raw, self.mapping = con, raw, mapping
        self.maps: list[str] = []
        self.joins: list[str] = []
        self._distinct: dict[str, list] = {}
        self._nine: dict[str, list] = {}
        self.triples: list[tuple] = []
        self.pairs: list[tuple] = []

    def label(self, field: str, fallback: str) -> str:
        return self.raw.headers.get(field, fallback)

    def col(self, field: str) -> str | None:
        c = self.raw.columns.get(field)
        return f"nullif(trim(r.{c}), '')" if c else None

    def key(self, field: str) -> str:
        """The join key of a field: its text as read, NUL for an empty field."""
        return f"coalesce(r.{self.raw.columns[field]}, '\x00')"

    def prefetch(self) -> None:
        """What the maps need from ``RAW``: the distinct texts per column, the text columns'
        values that hold nine digits, the distinct (wet, categorie, code) and (gemeente, BSN)
        keys. One ``SELECT DISTINCT`` each: DuckDB runs those as parallel hash aggregates,
        about twice as fast on a million lines as one scan with a ``list(DISTINCT ...)`` per
        column."""
        cols = self.raw.columns
        nine = "'(^|[^0-9])[0-9]{9}([^0-9]|$)'"

        def distinct(expr: str, where: str = "") -> list:
            return self.con.execute(f"SELECT list(v) FROM (SELECT DISTINCT {expr} AS v "
                                    f"FROM {RAW} {where})").fetchall()[0][0] or []

        for f, c in cols.items():
            if f in TEXT_FIELDS:
                self._nine[f] = distinct(c, f"WHERE length({c}) >= 9 AND "
                                            f"regexp_matches({c}, {nine})")
            else:
                self._distinct[f] = [None, *(v for v in distinct(c) if v is not None)]
        product = [self.key(f).replace("r.", "", 1) if f in cols else "'\x00'"
                   for f in ("law", "product_category", "product_code")]
        self.triples = [tuple(t) for t in distinct(f"[{', '.join(product)}]")]
        person = [self.key(f).replace("r.", "", 1) for f in ("municipality", "bsn")]
        self.pairs = [tuple(t) for t in distinct(f"[{', '.join(person)}]")]

    def distinct(self, field: str) -> list:
        """The distinct texts of a field as read (None for empty)."""
        return self._distinct.get(field, [])

    def mapped(self, field: str, parser, dtype: str) -> tuple[str, str]:
        """(value, reason) SQL expressions of a field through a map of its distinct texts."""
        c = self.raw.columns.get(field)
        if c is None:
            value, reason = parser(None)
            return _literal(value, dtype), _literal(reason, "VARCHAR")
        texts = self.distinct(field)
        parsed = [parser(_stripped(t)) for t in texts]
        name = f"_grip_map_{field}"
        frame = pd.DataFrame({
            "k": pd.Series([t for t in texts if t is not None], dtype=object),
            "v": (pd.array([p[0] for t, p in zip(texts, parsed) if t is not None],
                           dtype="Int64") if dtype == "BIGINT"
                  else pd.Series([p[0] for t, p in zip(texts, parsed) if t is not None],
                                 dtype=object)),
            "r": pd.Series([p[1] for t, p in zip(texts, parsed) if t is not None],
                           dtype=object)})
        self.con.register(name, frame)
        self.maps.append(name)
        alias = f"m_{field}"
        self.joins.append(f"LEFT JOIN {name} {alias} ON r.{c} = {alias}.k")
        empty_value, empty_reason = parser(None)
        return (f"CASE WHEN r.{c} IS NULL THEN {_literal(empty_value, dtype)} "
                f"ELSE CAST({alias}.v AS {dtype}) END",
                f"CASE WHEN r.{c} IS NULL THEN {_literal(empty_reason, 'VARCHAR')} "
                f"ELSE {alias}.r END")

    def bad_texts(self, fields: list[str]) -> dict[str, str]:
        """SQL reasons for text columns holding something that looks like a BSN (one scan)."""
        cols = {f: self.raw.columns[f] for f in fields if f in self.raw.columns}
        out = {}
        for f, c in cols.items():
            texts = self._nine.get(f, [])
            bad = [t for t in texts or [] if looks_like_bsn(t)]
            if not bad:
                continue
            name = f"_grip_bad_{f}"
            self.con.register(name, pd.DataFrame({"k": pd.Series(bad, dtype=object)}))
            self.maps.append(name)
            text = (f"kolom '{self.label(f, f)}' bevat een nummer dat een BSN kan zijn "
                    "(elfproef); niet opgeslagen")
            out[f] = f"CASE WHEN r.{c} IN (SELECT k FROM {name}) THEN {_quote(text)} END"
        return out

    def close(self) -> None:
        for name in self.maps:
            self.con.unregister(name)


def _stripped(text: str | None) -> str | None:
    if text is None:
        return None
    return text.strip() or None


def _literal(value, dtype: str) -> str:
    if value is None:
        return f"CAST(NULL AS {dtype})"
    return f"CAST({value if isinstance(value, int) else _quote(value)} AS {dtype})"


def _q(text: str) -> str:
    return f"'{text}'"


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _euro_sql(expr: str) -> str:
    """Dutch euro text of an eurocent expression, e.g. '€ 1234,50'."""
    return f"('€ ' || replace(printf('%.2f', ({expr}) / 100.0), '.', ','))"


def _decimals(chk: _Check, fields: tuple[str, ...], volume_sql: str | None):
    """The decimal mark per money field: from the data, else volume x tarief, else the hint."""
    unit = chk.mapping.amounts
    if unit == "eurocent":
        return {f: "," for f in fields}
    decided: dict[str, str | None] = {}
    for f in fields:
        if f not in chk.raw.columns:
            continue
        mark, problem = amounts.decide(chk.distinct(f), unit)
        if problem:
            raise FlatFileRejected(f"kolom '{chk.label(f, f)}' {problem}; het decimaalteken "
                                   "moet in de hele kolom hetzelfde zijn", 1)
        decided[f] = mark
    open_ = [f for f, m in decided.items() if m is None]
    if open_ and volume_sql and {"amount", "tariff"} <= decided.keys():
        decided.update(_settle(chk, decided, volume_sql))
    return {f: (m or chk.mapping.decimal) for f, m in decided.items()}


def _settle(chk: _Check, decided: dict, volume_sql: str) -> dict:
    """Choose the marks for which volume x tarief = bedrag on the most lines."""
    con = chk.con
    frames = {}
    for f in ("amount", "tariff"):
        texts = chk.distinct(f)
        reads = [amounts.readings(t, chk.mapping.amounts) if t else (None, None) for t in texts]
        frames[f] = pd.DataFrame({"k": pd.Series([t or "\x00" for t in texts], dtype=object),
                                  "c": pd.array([r[0] for r in reads], dtype="Int64"),
                                  "p": pd.array([r[1] for r in reads], dtype="Int64")})
        con.register(f"_grip_settle_{f}", frames[f])
    a, t = chk.raw.columns["amount"], chk.raw.columns["tariff"]
    combos = [(ma, mt) for ma in (",", ".") for mt in (",", ".")
              if decided["amount"] in (None, ma) and decided["tariff"] in (None, mt)]
    col = {",": "c", ".": "p"}
    sums = ", ".join(f"count(*) FILTER (WHERE abs(abs(v) * ta.{col[mt]} - abs(am.{col[ma]})) "
                     "<= 1)" for ma, mt in combos)
    join = next(j for j in chk.joins if " m_volume " in j)
    counts = con.execute(
        f"SELECT {sums} FROM (SELECT {volume_sql} AS v, r.{a} AS a, r.{t} AS t FROM {RAW} r "
        f"{join}) x "
        f"JOIN _grip_settle_amount am ON am.k = coalesce(x.a, '\x00') "
        f"JOIN _grip_settle_tariff ta ON ta.k = coalesce(x.t, '\x00') "
        "WHERE v IS NOT NULL").fetchall()[0]
    for f in ("amount", "tariff"):
        con.unregister(f"_grip_settle_{f}")
    best = max(counts) if counts else 0
    winners = [c for c, n in zip(combos, counts) if n == best]
    if best == 0 or len({w[0] for w in winners}) > 1 and decided["amount"] is None \
            and len({w[1] for w in winners}) > 1 and decided["tariff"] is None:
        return {}
    ma, mt = winners[0]
    out = {}
    if decided["amount"] is None and len({w[0] for w in winners}) == 1:
        out["amount"] = ma
    if decided["tariff"] is None and len({w[1] for w in winners}) == 1:
        out["tariff"] = mt
    return out


#: The quarantined rows of the file being checked (few, normally), before they are written.
BAD = "_grip_flat_bad"
_OFF = "reason LIKE 'bedrag % is niet volume × tarief %'"


def _refuse_factor(con, n: int) -> None:
    """Refuse the file when its amounts are a constant factor off volume x tarief: on at least
    ``FACTOR_SHARE`` of its ``n`` rows, all with the same ratio (from the quarantined rows)."""
    if not n:
        return
    top = con.execute(f"""
        SELECT round(abs(amount) / (abs(volume) * tariff), 4) AS f, count(*) AS k,
               min(line) AS line FROM {BAD}
        WHERE {_OFF} AND volume <> 0 AND tariff > 0
        GROUP BY 1 ORDER BY 2 DESC LIMIT 1""").fetchall()
    if not top:
        return
    factor, k, line = top[0]
    if k >= FACTOR_SHARE * n and any(abs(factor - f) < 1e-9 for f in FACTORS):
        example = con.execute(f"SELECT volume, tariff, amount FROM {BAD} WHERE line = ?",
                              [line]).fetchall()[0]
        shown = f"{factor:g}".replace(".", ",")
        raise FlatFileRejected(
            f"in {k} van de {n} regels is het bedrag precies {shown} keer volume × tarief "
            f"(regel {line}: {example[0]} × {_euro(abs(example[1]))} ≠ "
            f"{_euro(abs(example[2]))}); het hele "
            "bestand is geweigerd: staan de bedragen in euro of in eurocent (instelling "
            "'bedragen' in de kolomindeling), en klopt het decimaalteken?", line)


def _euro(cents: int) -> str:
    """Eurocent as a message shows them: '€ 1.234,50', '€ -342,00'."""
    return nl_euro(cents / 100, 2)


def import_flat(con, raw: RawFile, mapping: Mapping, pseudonym, *, import_id: int,
                file_id: int, name: str) -> tuple[int, int]:
    """Check the rows of ``RAW`` and write them; (read, quarantined). ``FlatFileRejected``
    when the file as a whole cannot be read right (nothing of it is written then)."""
    chk = _Check(con, raw, mapping)
    try:
        return _import(chk, pseudonym, import_id, file_id, name)
    finally:
        chk.close()
        drop_raw(con)


def _import(chk: _Check, pseudonym, import_id: int, file_id: int, name: str) -> tuple[int, int]:
    con, raw, m = chk.con, chk.raw, chk.mapping
    claims = raw.kind == "declaraties"
    L = chk.label
    chk.prefetch()
    sel: dict[str, str] = {}
    reasons: list[str] = []

    def add(field, parser, dtype="VARCHAR"):
        value, reason = chk.mapped(field, parser, dtype)
        sel[field] = value
        reasons.append(reason)

    add("law", _law(L("law", "wet"), m.law))
    add("municipality", _padded(L("municipality", "gemeente"), 4, "gemeentecode"))
    add("provider", _padded(L("provider", "aanbieder"), 8, "AGB-code"))
    add("bsn", _bsn(L("bsn", "BSN")))
    texts = [f for f in TEXT_FIELDS if f not in (
        ("reason_change",) if claims else ("claim_number", "reference_number",
                                           "previous_reference"))]
    screened = chk.bad_texts(texts)
    for f in texts:
        c = chk.col(f)
        sel[f] = c or "CAST(NULL AS VARCHAR)"
        if f == ("reference_number" if claims else "allocation_number"):
            reasons.append(f"CASE WHEN {sel[f]} IS NULL THEN "
                           f"{_quote(f'kolom {_q(L(f, REQUIRED_TEXT[f]))} is leeg')} END")
        if f in screened:
            reasons.append(screened[f])
    sel["product_code"] = (f"upper({chk.col('product_code')})" if chk.col("product_code")
                           else "CAST(NULL AS VARCHAR)")
    if claims:
        add("service_month", _day(L("service_month", "productperiode"), True), "DATE")
        add("claim_month", _day(L("claim_month", "declaratieperiode"), True), "DATE")
        add("volume", _whole(L("volume", "volume"), True), "BIGINT")
        volume_sql = sel["volume"]
        add("unit", _code(L("unit", "eenheid"), "eenheid"))
        marks = _decimals(chk, ("amount", "tariff"), volume_sql)
        add("tariff", _money(L("tariff", "tarief"), marks.get("tariff", m.decimal), m.amounts,
                             False), "BIGINT")
        add("amount", _money(L("amount", "bedrag"), marks.get("amount", m.decimal), m.amounts,
                             True), "BIGINT")
        add("debit_credit", _code(L("debit_credit", "debet/credit"), "debet_credit"))
    else:
        add("start_date", _day(L("start_date", "ingangsdatum"), True), "DATE")
        add("end_date", _day(L("end_date", "einddatum"), False, open_end=True), "DATE")
        add("volume", _whole(L("volume", "volume"), False), "BIGINT")
        add("unit", _code(L("unit", "eenheid"), "eenheid"))
        add("frequency", _code(L("frequency", "frequentie"), "frequentie"))
        marks = _decimals(chk, ("budget",), None)
        add("budget", _money(L("budget", "budget"), marks.get("budget", m.decimal), m.amounts,
                             False), "BIGINT")
        snap = _day(L("snapshot_date", "peildatum"), False)
        add("snapshot_date", lambda t: snap(t) if t is not None else (raw.snapshot, None),
            "DATE")

    _products(chk, sel, reasons)
    _pseudonyms(chk, sel, pseudonym)
    columns = ",\n".join(f"{expr} AS {f}" for f, expr in sel.items())
    reason_cols = ",\n".join(f"{r} AS r{i}" for i, r in enumerate(reasons))
    first = "coalesce(" + ", ".join([f"c.r{i}" for i in range(len(reasons))]
                                    + _cross_checks(claims)) + ")"
    final = "_grip_flat_final"
    # a table, joined once: the two passes below (the quarantined rows, then the accepted
    # ones) read it back instead of joining every map afresh; 0,5 s CPU less on a million
    # lines (benchmarks/bench_csv.py) than the view this was
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {final} AS
        SELECT c.* EXCLUDE ({', '.join(f'r{i}' for i in range(len(reasons)))}),
               {first} AS reason FROM (
            SELECT r.line, {columns}, {reason_cols}
            FROM {RAW} r {' '.join(chk.joins)}) c""")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {BAD} AS SELECT * FROM {final} "
                    "WHERE reason IS NOT NULL")
        if claims and "tariff" in raw.columns:
            _refuse_factor(con, raw.rows)
        return _write(con, raw, claims, import_id, file_id, name)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {final}")
        con.execute(f"DROP TABLE IF EXISTS {BAD}")


def _products(chk: _Check, sel: dict, reasons: list) -> None:
    """Product category (code or name, per law) and product code, per distinct triple."""
    con, raw, m = chk.con, chk.raw, chk.mapping
    keys = [chk.key(f) if f in raw.columns else "'\x00'"
            for f in ("law", "product_category", "product_code")]
    triples = chk.triples
    law = _law(chk.label("law", "wet"), m.law)
    label = chk.label("product_category", "productcategorie")
    other = "wmo" if m.law == "jw" else "jw"
    rows = []
    for kl, kc, kp in triples:
        law_code = law(None if kl == "\x00" else _stripped(kl))[0]
        code = None if kp == "\x00" else _stripped(kp)
        code = code.upper() if code else None
        text = None if kc == "\x00" else _stripped(kc)
        if kc == "\x00":
            text = _category_of_code(code, law_code, kl == "\x00") if code else None
            if text is None and law_code is not None:
                rows.append((kl, kc, kp, None, NO_CATEGORY, None))
                continue
        if law_code is None:
            rows.append((kl, kc, kp, None, None, None))
            continue
        found = _product(law_code, text, code, label)
        if found[0] is None and kl == "\x00" and text is not None:
            # no Wet column: a category only the other law knows (a Wmo export read with
            # the default Jeugdwet) is that law's, not refused line by line
            theirs = _product(other, text, code, label)
            if theirs[0] is not None:
                rows.append((kl, kc, kp, *theirs, other))
                continue
        rows.append((kl, kc, kp, *found, None))
    con.register("_grip_products", pd.DataFrame(
        rows, columns=["kl", "kc", "kp", "category", "reason", "law"]).astype(object))
    chk.maps.append("_grip_products")
    chk.joins.append(f"LEFT JOIN _grip_products p ON p.kl = {keys[0]} AND p.kc = {keys[1]} "
                     f"AND p.kp = {keys[2]}")
    sel["product_category"] = "CAST(p.category AS VARCHAR)"
    sel["law"] = f"coalesce(CAST(p.law AS VARCHAR), {sel['law']})"
    reasons.append("p.reason")


def _pseudonyms(chk: _Check, sel: dict, pseudonym) -> None:
    """The pseudonym per distinct (gemeente, BSN); the BSN itself is never stored."""
    con = chk.con
    keys = [chk.key("municipality"), chk.key("bsn")]
    pairs = chk.pairs
    mun, bsn = _padded("", 4), _bsn("")
    rows = []
    for km, kb in pairs:
        m = mun(None if km == "\x00" else _stripped(km))[0]
        b = bsn(None if kb == "\x00" else _stripped(kb))[0]
        if m is not None and b is not None:
            rows.append((km, kb, pseudonym(m, b)))
    con.register("_grip_pseudonyms", pd.DataFrame(
        rows, columns=["km", "kb", "client"]).astype(object))
    chk.maps.append("_grip_pseudonyms")
    chk.joins.append(f"LEFT JOIN _grip_pseudonyms s ON s.km = {keys[0]} AND s.kb = {keys[1]}")
    sel["client"] = "CAST(s.client AS VARCHAR)"
    sel.pop("bsn")


#: Eurocent per unit by which volume x tarief may differ from the amount: the tariff in the
#: export rounded to whole cents (the amount computed with the unrounded tariff).
TARIFF_ROUNDING = 0.5


def _cross_checks(claims: bool) -> list[str]:
    if not claims:
        # dates as a Dutch export writes them (the XML reader keeps the message's own form)
        return ["CASE WHEN c.end_date < c.start_date THEN 'einddatum ' || "
                "strftime(c.end_date, '%d-%m-%Y') || ' ligt voor ingangsdatum ' || "
                "strftime(c.start_date, '%d-%m-%Y') END",
                "CASE WHEN c.volume < 0 THEN 'negatief volume: ' || c.volume END",
                "CASE WHEN c.budget < 0 THEN 'negatief budget' END"]
    dc = "coalesce(c.debit_credit, CASE WHEN c.amount < 0 THEN 'C' ELSE 'D' END)"
    service, claim = "date_trunc('month', c.service_month)", "date_trunc('month', c.claim_month)"
    return [
        # the rules of berichten.rows.claim_period_problem, in its words
        f"CASE WHEN {service} > {claim} THEN 'productperiode ' || strftime(c.service_month, "
        "'%m-%Y') || ' ligt na de declaratieperiode ' || strftime(c.claim_month, '%m-%Y') END",
        f"CASE WHEN {claim} > date_trunc('month', current_date) THEN 'declaratieperiode ' || "
        "strftime(c.claim_month, '%m-%Y') || ' ligt na vandaag (' || "
        "strftime(current_date, '%m-%Y') || ')' END",
        f"CASE WHEN c.volume < 0 AND {dc} = 'D' THEN 'negatief volume: ' || c.volume || "
        "' op een debetregel' END",
        f"CASE WHEN c.amount < 0 AND {dc} = 'D' THEN 'negatief bedrag op een debetregel' END",
        "CASE WHEN c.tariff < 0 THEN 'negatief tarief' END",
        # a tariff shown in whole cents may be rounded by up to half a cent per unit (an
        # indexed tariff of 99,498 shown as 99,50: 10 x 99,50 = 995,00 against 994,98)
        "CASE WHEN c.tariff IS NOT NULL AND abs(abs(c.volume) * c.tariff - abs(c.amount)) > "
        f"greatest(1, abs(c.volume) * {TARIFF_ROUNDING}) "
        f"THEN 'bedrag ' || {_euro_sql('abs(c.amount)')} || ' is niet volume × tarief (' || "
        f"abs(c.volume) || ' × ' || {_euro_sql('c.tariff')} || ' = ' || "
        f"{_euro_sql('abs(c.volume) * c.tariff')} || ')' END",
    ]


#: An export without a category column, on a line whose product code does not give it.
NO_CATEGORY = ("geen kolom Productcategorie, en uit deze productcode volgt de categorie niet "
               "(alleen een Jeugdwet-code begint met haar categorie)")


def _category_of_code(code: str, law: str | None, no_law_column: bool) -> str | None:
    """The product category an export without that column gives by its product code: an iJw
    code begins with its category (45A03: 45), an iWmo code says nothing of it (``None``:
    the line is refused, 'kolom ... is leeg'). Without a Wet column an iJw category decides;
    with one, the line's own law does.

    >>> _category_of_code("45A03", "jw", False), _category_of_code("02A01", "wmo", True)
    ('45', None)
    >>> _category_of_code("45A03", "wmo", False) is None      # the Wet column says Wmo
    True
    """
    head = code[:2]
    if head in codes.product_categories("jw") and (law == "jw" or no_law_column):
        return head
    return None


def _product(law, text, code, label):
    """(category code, reason) of a category written as code or name, with its product code."""
    if text is None:
        return None, f"kolom '{label}' is leeg"
    list_name = "productcategorie_ijw" if law == "jw" else "productcategorie_iwmo"
    category = codes.code_from_text(list_name, text)
    if category is None:
        return None, (f"onbekende productcategorie '{text[:20]}' (toegestaan: "
                      f"{codes.allowed_text(list_name)})")
    return category, codes.product_code_problem(law, category, code)


def _total_reasons(con, final: str, amount: str, is_total: str, claims: bool
                   ) -> dict[int, str]:
    """Line -> reason for the totals rows of an export ("Totaal" under the lines: no
    aanbieder, BSN, number or dates, only an amount). A totals row is no record: it is
    kept in the quarantine without an amount of its own, and its reason compares it with
    the lines above it (since the previous totals row, or all of them)."""
    own = dict(con.execute(
        f"SELECT line, {amount} FROM {BAD} WHERE {is_total} ORDER BY line").fetchall())
    lines = list(own)
    if not lines:
        return {}
    # the sum of the lines between two totals rows, in one pass over the file
    segment = " + ".join(f"CAST(line > {t} AS INTEGER)" for t in lines)
    sums = dict(con.execute(
        f"SELECT {segment} AS k, sum({amount}) FROM {final} "
        f"WHERE NOT {is_total} AND {amount} IS NOT NULL GROUP BY k").fetchall())
    what = "declaratie" if claims else "toewijzing"
    field = "bedrag" if claims else "budget"
    out = {}
    for k, line in enumerate(lines):
        since = int(sums.get(k, 0) or 0)
        above = sum(int(sums.get(j, 0) or 0) for j in range(k + 1))
        total = int(own[line])
        text = f"totaalregel, geen {what}: het {field} {_euro(total)} telt niet mee; "
        text += (f"de regels erboven samen {_euro(above)}" if k == 0 else
                 f"de regels sinds de vorige totaalregel samen {_euro(since)}, alle regels "
                 f"erboven {_euro(above)}")
        if total in (since, above):
            out[line] = text + " (klopt)"
        else:
            gap = min(total - since, total - above, key=abs)
            out[line] = text + f": verschil {_euro(gap)}, controleer of het bestand compleet is"
    return out





def _write(con, raw: RawFile, claims: bool, import_id: int, file_id: int, name: str
           ) -> tuple[int, int]:
    final = "_grip_flat_final"
    # each row carries its line (``position``): the insert need not keep the file's order
    con.execute("SET preserve_insertion_order = false")
    try:
        return _insert(con, raw, claims, import_id, file_id, name, final)
    finally:
        con.execute("SET preserve_insertion_order = true")


def _insert(con, raw: RawFile, claims: bool, import_id: int, file_id: int, name: str,
            final: str) -> tuple[int, int]:
    if claims:
        dc = "coalesce(debit_credit, CASE WHEN amount < 0 THEN 'C' ELSE 'D' END)"
        sign = f"CASE WHEN {dc} = 'C' THEN -1 ELSE 1 END"
        con.execute(f"""INSERT INTO claim_lines BY NAME SELECT
            law, municipality, provider, client, claim_number, reference_number,
            previous_reference, allocation_number, product_category, product_code,
            CAST(date_trunc('month', service_month) AS DATE) AS service_month,
            CAST(date_trunc('month', claim_month) AS DATE) AS claim_month,
            {sign} * abs(volume) AS volume, unit, tariff AS tariff_cent,
            {sign} * abs(amount) AS amount_cent, {dc} AS debit_credit,
            {file_id} AS file_id, line AS position
            FROM {final} WHERE reason IS NULL""")
        amount = f"{sign} * abs(amount)"
        # a debit line with a negative amount is refused; the quarantine shows it as written
        shown = f"CASE WHEN {dc} = 'D' AND amount < 0 THEN amount ELSE {amount} END"
    else:
        con.execute(f"""INSERT INTO allocation_rows BY NAME SELECT
            law, municipality, provider, client, CAST(snapshot_date AS DATE) AS snapshot_date,
            'bestand:{raw.snapshot}' AS snapshot_ident, allocation_number, product_category,
            product_code, CAST(start_date AS DATE) AS start_date,
            CAST(end_date AS DATE) AS end_date, volume, unit, frequency,
            budget AS budget_cent, reason_change, {file_id} AS file_id, line AS position
            FROM {final} WHERE reason IS NULL""")
        amount = shown = "budget"
    key = "reference_number" if claims else "allocation_number"
    dates = "service_month IS NULL AND claim_month IS NULL" if claims else "start_date IS NULL"
    is_total = (f"(provider IS NULL AND client IS NULL AND {key} IS NULL AND {dates} "
                f"AND {amount} IS NOT NULL)")
    totals = _total_reasons(con, final, amount, is_total, claims)
    bad = con.execute(f"""INSERT INTO quarantine BY NAME SELECT {import_id} AS import_id,
        {file_id} AS file_id, ? AS file, b.line AS position, ? AS message_code,
        coalesce(t.reason, regexp_replace(b.reason, '[0-9]{{9,}}', '…', 'g')) AS reason,
        CASE WHEN t.reason IS NULL THEN {shown} END AS amount_cent,
        b.municipality AS municipality
        FROM {BAD} b LEFT JOIN (SELECT unnest(?) AS line, unnest(?) AS reason) t
        ON t.line = b.line ORDER BY b.line""",
                      [name, raw.label, list(totals), list(totals.values())]).fetchall()[0][0]
    for line, reason in raw.shifted:
        con.execute("INSERT INTO quarantine BY NAME SELECT ? AS import_id, ? AS file_id, "
                    "? AS file, ? AS position, ? AS message_code, ? AS reason",
                    [import_id, file_id, name, line, raw.label, reason])
    return raw.rows + len(raw.shifted), bad + len(raw.shifted)
