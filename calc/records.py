"""Column contracts of the long tables that flow from the message store into the calc core.

The store (``berichten``) produces pandas DataFrames with exactly these columns; the
calc engines (prognose, gripniveau KPIs) accept nothing else and validate with
``require_columns``. One place for each name, so the store and the engines cannot drift.

Units: amounts in euro (the messages carry eurocent; the store converts), dates as
``datetime64[ns]`` (day), months as ``pandas.Period[M]``-compatible first-of-month
timestamps, the client as a pseudonym (never a BSN).
"""

from __future__ import annotations

from collections.abc import Iterable

from calc.errors import InputError

#: One row per claim line (323 Prestatie). Credit lines carry a negative ``amount_euro``.
CLAIM_LINES = (
    "law",                  # "jw" or "wmo"
    "municipality",         # CBS code, 4 digits, text
    "provider",             # AGB code, 8 digits, text
    "client",               # pseudonym of the BSN
    "claim_number",         # DeclaratieNummer
    "reference_number",     # ReferentieNummer
    "previous_reference",   # VorigReferentieNummer (None if absent)
    "allocation_number",    # ToewijzingNummer
    "product_category",     # e.g. "45"
    "product_code",         # e.g. "45A08" (None if absent)
    "service_month",        # first day of the service month (ProductPeriode begin)
    "claim_month",          # first day of the claim month (DeclaratiePeriode)
    "volume",               # GeleverdVolume, signed like the amount
    "unit",                 # Eenheid code
    "tariff_euro",          # ProductTarief in euro
    "amount_euro",          # IngediendBedrag in euro, negative for credit
    "debit_credit",         # "D" or "C"
)

#: One row per allocation version (a 301 is a full snapshot per client and provider;
#: ``valid_from``/``valid_to`` give the history of what the municipality had allocated).
ALLOCATIONS = (
    "law", "municipality", "provider", "client",
    "allocation_number",
    "product_category", "product_code",
    "start_date",           # Ingangsdatum
    "end_date",             # Einddatum (NaT if open-ended)
    "volume",               # Omvang Volume (None for a budget allocation)
    "unit",                 # Omvang Eenheid code
    "frequency",            # Omvang Frequentie code
    "budget_euro",          # Budget in euro (None for a volume allocation)
    "reason_change",        # RedenWijziging (None if absent)
    "valid_from",           # Dagtekening of the 301 that introduced this version
    "valid_to",             # Dagtekening of the 301 that replaced it (NaT if current)
)

#: Starts (305) and stops (307) of care.
STARTS_STOPS = (
    "law", "municipality", "provider", "client",
    "allocation_number", "product_category", "product_code",
    "kind",                 # "start" or "stop"
    "date",                 # Begindatum / Einddatum
    "reason_end",           # RedenBeeindiging (stops only)
    "status",               # StatusAanlevering: 1 first, 2 changed, 3 delete
    "message_date",         # Dagtekening
)

#: Requests for allocation or change (315/317) with the referrer.
REQUESTS = (
    "law", "municipality", "provider", "client",
    "message_code",         # 315 or 317 (iWmo: its own codes)
    "reference",            # ReferentieAanbieder
    "product_category", "product_code",
    "referrer_type",        # Verwijzer Type code (01 gemeente, 02 huisarts, ...)
    "request_date",
)

#: Claim answers (325): one row per claim, with the granted total.
CLAIM_ANSWERS = (
    "law", "municipality", "provider",
    "claim_number",
    "claimed_euro",         # total claimed in the answered claim
    "granted_euro",         # total granted
    "rejected_lines",       # number of rejected lines
    "answer_date",
)

#: Rejected claim lines from 325 with their retour codes.
REJECTED_LINES = (
    "law", "provider", "claim_number", "reference_number",
    "retour_codes",         # text, comma separated
    "amount_euro",
)


def require_columns(frame, columns: Iterable[str], *, argument: str) -> None:
    """Refuse a table that lacks any of the contract's columns (all missing ones at once)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"kolommen ontbreken: {', '.join(missing)}", argument=argument)
