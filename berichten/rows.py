"""From a read record to a table row, with every record-level check and its Dutch reason.

Each builder takes the message ``Header``, one ``Record`` and the ``Keyring`` and returns
``(table, row)`` where ``row`` follows ``TABLES[table]`` (without the bookkeeping columns
``file_id`` and ``position`` that the importer adds), or raises ``RowRejected`` with a
Dutch reason. The BSN never leaves this module: it is checked and replaced by its
pseudonym here, and no reason ever quotes it.

Amounts stay integers in eurocent in the store (exact sums); the store's queries return
euro. Dates stay ISO text until the database casts them.
"""

from __future__ import annotations

import re
from datetime import date

from berichten import codes
from calc.cells import FIRST_YEAR, LAST_YEAR

#: Internal columns of the store's tables, in order; the store adds ``file_id, position``.
TABLES: dict[str, tuple[str, ...]] = {
    "claim_lines": (
        "law", "municipality", "provider", "client", "claim_number", "reference_number",
        "previous_reference", "allocation_number", "product_category", "product_code",
        "service_month", "claim_month", "volume", "unit", "tariff_cent", "amount_cent",
        "debit_credit"),
    "allocation_rows": (
        "law", "municipality", "provider", "client", "snapshot_date", "snapshot_ident",
        "allocation_number", "product_category", "product_code", "start_date", "end_date",
        "volume", "unit", "frequency", "budget_cent", "reason_change"),
    "starts_stops": (
        "law", "municipality", "provider", "client", "allocation_number", "product_category",
        "product_code", "kind", "date", "reason_end", "status", "message_date"),
    "requests": (
        "law", "municipality", "provider", "client", "message_code", "reference",
        "product_category", "product_code", "referrer_type", "request_date"),
    "request_answers": (
        "law", "municipality", "provider", "reference", "answer", "reason_rejection",
        "answer_date"),
    "claim_answers": (
        "law", "municipality", "provider", "claim_number", "claimed_cent", "granted_cent",
        "rejected_lines", "answer_date"),
    "rejected_lines": (
        "law", "municipality", "provider", "claim_number", "reference_number", "retour_codes",
        "amount_cent"),
}

#: DuckDB types of the columns that are not text.
TYPES = {
    "service_month": "DATE", "claim_month": "DATE", "snapshot_date": "DATE",
    "start_date": "DATE", "end_date": "DATE", "date": "DATE", "message_date": "DATE",
    "request_date": "DATE", "answer_date": "DATE",
    "volume": "BIGINT", "tariff_cent": "BIGINT", "amount_cent": "BIGINT",
    "budget_cent": "BIGINT", "claimed_cent": "BIGINT", "granted_cent": "BIGINT",
    "rejected_lines": "BIGINT",
}


class RowRejected(Exception):
    """One record cannot be accepted; ``reason`` is Dutch and never quotes a BSN."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_problem(text: str | None, name: str) -> str | None:
    """Dutch reason why ``text`` is not a real ISO date, or None.

    >>> date_problem("2026-04-01", "Begindatum") is None
    True
    >>> date_problem("2027-06-31", "Einddatum")
    "onmogelijke datum '2027-06-31' in Einddatum"
    """
    if text is None:
        return None
    if not _ISO.match(text):
        return f"geen datum (JJJJ-MM-DD): '{text[:20]}' in {name}"
    try:
        date.fromisoformat(text)
    except ValueError:
        return f"onmogelijke datum '{text}' in {name}"
    return None


#: Dates already found valid (messages repeat a few hundred dates many times).
_GOOD_DATES: set[str] = set()


#: Dates of care, claims and allocations outside ``FIRST_YEAR``..``LAST_YEAR`` (the years of
#: ``calc.cells``, which a typed month must lie in too) are quarantined at import, so that no
#: later step meets a year 0001 or 2150 (``calc`` would overflow or mislead).


def date_window_problem(iso: str, name: str, shown: str | None = None) -> str | None:
    """Dutch reason when an ISO date lies outside ``FIRST_YEAR``-``LAST_YEAR``, else None;
    ``shown``: the date as the file writes it (an export's 31-12-9999), else the ISO form.

    >>> date_window_problem("0001-03-01", "Begindatum")
    'datum 0001-03-01 in Begindatum ligt buiten 2000–2100'
    >>> date_window_problem("9999-12-31", "kolom 'Ingangsdatum'", shown="31-12-9999")
    "datum 31-12-9999 in kolom 'Ingangsdatum' ligt buiten 2000–2100"
    """
    if FIRST_YEAR <= int(iso[:4]) <= LAST_YEAR:
        return None
    return f"datum {shown or iso} in {name} ligt buiten {FIRST_YEAR}–{LAST_YEAR}"


def check_date(text: str | None, name: str, *, required: bool = False) -> str | None:
    if text in _GOOD_DATES:
        return text
    if text is None or text == "":
        if required:
            raise RowRejected(f"{name} ontbreekt")
        return None
    problem = date_problem(text, name) or date_window_problem(text, name)
    if problem:
        raise RowRejected(problem)
    if len(_GOOD_DATES) < 100_000:
        _GOOD_DATES.add(text)
    return text


#: Largest whole number (amount in eurocent, volume) a record may hold: far inside BIGINT.
MAX_WHOLE = 10 ** 12


def check_int(text: str | None, name: str, *, required: bool = False,
              negative_word: str | None = None) -> int | None:
    """A whole number; negative ones are refused with ``negatief <negative_word>``."""
    if text is None or text == "":
        if required:
            raise RowRejected(f"{name} ontbreekt")
        return None
    try:
        value = int(text)
    except ValueError:
        raise RowRejected(f"{name} is geen geheel getal: '{text[:20]}'") from None
    if abs(value) > MAX_WHOLE:
        raise RowRejected(f"{name} buiten bereik: '{text[:20]}'")
    if value < 0:
        raise RowRejected(f"negatief {negative_word or name}: {value} in {name}")
    return value


def check_code(text: str | None, list_name: str, name: str) -> str | None:
    if text is None or text == "":
        return None
    if text not in codes.code_list(list_name):
        raise RowRejected(f"onbekende code '{text[:20]}' in {name}")
    return text


_PRODUCT_PROBLEMS: dict[tuple, str | None] = {}


def check_product(law: str, category: str | None, code: str | None) -> None:
    key = (law, category, code)
    try:
        problem = _PRODUCT_PROBLEMS[key]
    except KeyError:
        problem = _PRODUCT_PROBLEMS[key] = codes.product_code_problem(law, category, code)
    if problem:
        raise RowRejected(problem)


def client_pseudonym(keyring, municipality: str, bsn: object) -> str:
    """Check the BSN (present, 11-test) and return its pseudonym."""
    if not isinstance(bsn, str) or not bsn:
        raise RowRejected("BSN ontbreekt")
    if bsn not in _GOOD_BSNS:
        problem = codes.bsn_problem(bsn)
        if problem:
            raise RowRejected(problem)
        if len(_GOOD_BSNS) < 1_000_000:
            _GOOD_BSNS.add(bsn)
    return keyring.pseudonym(municipality, bsn)


#: BSNs that passed the 11-test in this process (only in memory, never written anywhere).
_GOOD_BSNS: set[str] = set()


_IS_DATE: dict[str, bool] = {}


def check_all_dates(fields: dict[str, str]) -> None:
    """Every leaf whose name ends in 'datum' must be a real date."""
    good = _GOOD_DATES
    for name, text in fields.items():
        if text in good:
            continue
        is_date = _IS_DATE.get(name)
        if is_date is None:
            is_date = _IS_DATE[name] = name.lower().endswith("datum")
        if is_date:
            check_date(text, name)


def claim_period_problem(service: str, claim: str, latest: str, latest_words: str) -> str | None:
    """Why a claim line's months cannot be (ISO first days of the month), or ``None``: care is
    claimed in or after the month it was given (the ProductPeriode lies in the
    DeclaratiePeriode or before it), and a claim month is no later than ``latest`` (the
    message's dagtekening; for an export, today). Such a line moved the store's last claim
    month into the future, and the forecast's peilmaand with it.

    >>> claim_period_problem("2025-12-01", "2025-10-01", "2025-11-01", "vandaag")
    'productperiode 12-2025 ligt na de declaratieperiode 10-2025'
    >>> claim_period_problem("2025-09-01", "2035-10-01", "2025-11-01", "vandaag")
    'declaratieperiode 10-2035 ligt na vandaag (11-2025)'
    >>> claim_period_problem("2025-09-01", "2025-10-01", "2025-11-01", "vandaag") is None
    True
    """
    def month(iso: str) -> str:
        return f"{iso[5:7]}-{iso[:4]}"

    if service > claim:
        return f"productperiode {month(service)} ligt na de declaratieperiode {month(claim)}"
    if claim > latest:
        return f"declaratieperiode {month(claim)} ligt na {latest_words} ({month(latest)})"
    return None


def first_of_month(iso: str) -> str:
    return iso[:8] + "01"


def signed(amount: int, debit_credit: str | None, name: str) -> int:
    if debit_credit == "D":
        return amount
    if debit_credit == "C":
        return -amount
    raise RowRejected(f"DebetCredit moet D of C zijn, niet '{(debit_credit or '')[:5]}' ({name})")


# --- builders per message --------------------------------------------------------------------

def _claim_line(h, r, keys, state):
    f, c = r.fields, r.context
    law, mun, prov = h.mtype.law, h.municipality, h.provider
    check_all_dates(f)
    category, code = f.get("ProductCategorie"), f.get("ProductCode")
    check_product(law, category, code)
    period = c.get("DeclaratiePeriode") or {}
    claim_begin = check_date(period.get("Begindatum") if isinstance(period, dict) else None,
                             "DeclaratiePeriode", required=True)
    service_begin = check_date(f.get("Begindatum"), "ProductPeriode", required=True)
    claim_problem = claim_period_problem(first_of_month(service_begin), first_of_month(claim_begin),
                                         first_of_month(h.date), "de dagtekening van het bericht")
    if claim_problem:
        raise RowRejected(claim_problem)
    volume = check_int(f.get("GeleverdVolume"), "GeleverdVolume", required=True,
                       negative_word="volume")
    tariff = check_int(f.get("ProductTarief"), "ProductTarief", negative_word="tarief")
    amount = check_int(f.get("Bedrag"), "IngediendBedrag", required=True,
                       negative_word="bedrag")
    dc = f.get("DebetCredit")
    amount = signed(amount, dc, "IngediendBedrag")
    if dc == "C":
        volume = -volume
    reference = f.get("ReferentieNummer")
    if not reference:
        raise RowRejected("ReferentieNummer ontbreekt")
    client = client_pseudonym(keys, mun, c.get("Bsn"))
    return "claim_lines", (
        law, mun, prov, client, c.get("DeclaratieNummer"), reference,
        f.get("VorigReferentieNummer"), f.get("ToewijzingNummer"), category, code,
        first_of_month(service_begin), first_of_month(claim_begin), volume,
        check_code(f.get("Eenheid"), "eenheid", "Eenheid"), tariff, amount, dc)


def _allocation(h, r, keys, state):
    f, c = r.fields, r.context
    law, mun = h.mtype.law, h.municipality
    check_all_dates(f)
    if f.get("Categorie") is not None or f.get("Code") is not None:
        check_product(law, f.get("Categorie"), f.get("Code"))
    number = f.get("ToewijzingNummer")
    if not number:
        raise RowRejected("ToewijzingNummer ontbreekt")
    start = check_date(f.get("Ingangsdatum"), "Ingangsdatum", required=True)
    end = f.get("Einddatum")
    if end and end < start:
        raise RowRejected(f"Einddatum {end} ligt voor Ingangsdatum {start}")
    volume = check_int(f.get("Volume"), "Volume", negative_word="volume")
    budget = check_int(f.get("Budget"), "Budget", negative_word="budget")
    client = client_pseudonym(keys, mun, c.get("Bsn"))
    return "allocation_rows", (
        law, mun, h.provider, client, h.date, h.identification, number,
        f.get("Categorie"), f.get("Code"), start, end or None, volume,
        check_code(f.get("Eenheid"), "eenheid", "Eenheid"),
        check_code(f.get("Frequentie"), "frequentie", "Frequentie"),
        budget, f.get("RedenWijziging"))


def _start_stop(kind):
    def build(h, r, keys, state):
        f, c = r.fields, r.context
        law, mun = h.mtype.law, h.municipality
        check_all_dates(f)
        if f.get("Categorie") is not None or f.get("Code") is not None:
            check_product(law, f.get("Categorie"), f.get("Code"))
        day = check_date(f.get("Begindatum" if kind == "start" else "Einddatum"),
                         "Begindatum" if kind == "start" else "Einddatum", required=True)
        status = check_code(f.get("StatusAanlevering"), "status_aanlevering",
                            "StatusAanlevering")
        reason = (check_code(f.get("RedenBeeindiging"), "reden_beeindiging", "RedenBeeindiging")
                  if kind == "stop" else None)
        client = client_pseudonym(keys, mun, c.get("Bsn"))
        return "starts_stops", (
            law, mun, h.provider, client, f.get("ToewijzingNummer"), f.get("Categorie"),
            f.get("Code"), kind, day, reason, status, h.date)
    return build


def _request(h, r, keys, state):
    f, c = r.fields, r.context
    law, mun = h.mtype.law, h.municipality
    check_all_dates(f)
    category, code = f.get("Categorie"), f.get("Code")
    if category is not None or code is not None:
        check_product(law, category, code)
    volume = check_int(f.get("Volume"), "Volume", negative_word="volume")
    del volume  # checked, not stored: REQUESTS has no volume
    referrer = check_code(f.get("Type"), "verwijzer", "Verwijzer") if "Type" in f else None
    reference = f.get("ReferentieAanbieder") or c.get("ReferentieAanbieder")
    client = client_pseudonym(keys, mun, c.get("Bsn"))
    return "requests", (law, mun, h.provider, client, h.mtype.number, reference,
                        category, code, referrer, h.date)


def _request_answer(h, r, keys, state):
    f = r.fields
    return "request_answers", (h.mtype.law, h.municipality, h.provider,
                               f.get("ReferentieAanbieder"), f.get("VerzoekAntwoord"),
                               f.get("RedenAfwijzingVerzoek"), h.date)


def _claim_answer_part(h, r, keys, state):
    f, c = r.fields, r.context
    law = h.mtype.law
    if r.kind == "Prestatie":
        check_all_dates(f)
        amount = check_int(f.get("Bedrag"), "IngediendBedrag", required=True,
                           negative_word="bedrag")
        amount = signed(amount, f.get("DebetCredit"), "IngediendBedrag")
        state["rejected"] = state.get("rejected", 0) + 1
        return "rejected_lines", (law, h.municipality, h.provider, c.get("DeclaratieNummer"),
                                  f.get("ReferentieNummer"), f.get("RetourCode"), amount)
    totals = []
    for name in ("TotaalIngediendBedrag", "TotaalToegekendBedrag"):
        part = c.get(name) or {}
        value = check_int(part.get("TotaalBedrag"), name, required=True, negative_word="bedrag")
        totals.append(signed(value, part.get("DebetCredit"), name))
    rejected = state.pop("rejected", 0)
    return "claim_answers", (law, h.municipality, h.provider, c.get("DeclaratieNummer"),
                             totals[0], totals[1], rejected, h.date)


BUILDERS = {
    "323": _claim_line,
    "301": _allocation,
    "305": _start_stop("start"),
    "307": _start_stop("stop"),
    "315": _request,
    "317": _request,
    "319": _request_answer,
    "325": _claim_answer_part,
}


def build_row(header, record, keyring, state: dict):
    """(table, row) of one record, or ``RowRejected``."""
    return BUILDERS[header.mtype.number](header, record, keyring, state)
