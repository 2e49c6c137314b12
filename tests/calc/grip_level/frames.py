"""Small hand-made tables with the columns of calc.records, for the gripniveau tests."""

import pandas as pd

from calc.records import ALLOCATIONS, CLAIM_ANSWERS, CLAIM_LINES, REJECTED_LINES, STARTS_STOPS


def _frame(columns, rows, defaults):
    data = [{**{c: defaults.get(c) for c in columns}, **r} for r in rows]
    return pd.DataFrame(data, columns=list(columns))


def claim_lines(rows):
    """rows: dicts with provider, service_month, claim_month, amount_euro."""
    return _frame(CLAIM_LINES, rows, {"law": "jw", "municipality": "9999", "client": "p1",
                                      "debit_credit": "D", "product_category": "45"})


def allocations(rows):
    """rows: dicts with allocation_number, start_date, valid_from."""
    return _frame(ALLOCATIONS, rows, {"law": "jw", "municipality": "9999", "provider": "12345678",
                                      "client": "p1", "valid_to": pd.NaT, "end_date": pd.NaT})


def starts_stops(rows):
    """rows: dicts with allocation_number, kind, status, message_date."""
    return _frame(STARTS_STOPS, rows, {"law": "jw", "municipality": "9999", "provider": "12345678",
                                       "client": "p1", "kind": "start", "status": 1})


def claim_answers(rows):
    return _frame(CLAIM_ANSWERS, rows, {"law": "jw", "municipality": "9999", "provider": "12345678",
                                        "answer_date": pd.Timestamp("2026-03-01")})


def rejected_lines(rows):
    return _frame(REJECTED_LINES, rows, {"law": "jw", "provider": "12345678", "retour_codes": "8001"})
