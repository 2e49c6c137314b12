"""The workbook for the conversation with one provider (``grip prognose --export MAP``).

Formatted like the begrotingsmodel: Dutch sheet names and headers, euro and percent
formats, the provider's name beside its AGB code, product categories and taakvelden with
their descriptions (``calc.names``), and only the columns a conversation needs (no standard
errors or model parts). Text from data goes through ``style.write_data``: never a formula.

``export_file_name`` gives every AGB code its own stable file name, also on a file system
that ignores case (Windows): two providers never share a file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from calc.names import product_category_name, taakveld_name
from calc.prognose.providers import (LATE_LAG, LATE_MEDIAN_MONTHS, LATE_SHARE,
                                     provider_export)
from calc.prognose.report import PrognoseResult
from calc.text import yes_no
from workbooks import fit, printing, style

OVERVIEW, PER_PRODUCT, PER_MONTH = "Overzicht", "Per product", "Per maand"

#: Overview rows: label, column of ``provider_view``, number format.
OVERVIEW_ROWS = (
    ("Verplicht (toewijzingen, heel het jaar)", "committed_euro", style.EURO),
    ("Gedeclareerd tot nu", "claimed_euro", style.EURO),
    ("Nog te declareren (verwacht)", "late_euro", style.EURO),
    ("Prognose jaareinde", "forecast_euro", style.EURO),
    ("Ondergrens", "lower_euro", style.EURO),
    ("Bovengrens", "upper_euro", style.EURO),
    ("Benuttingsgraad (gedeclareerd / verplicht)", "utilisation", style.PERCENT),
    ("Mediane declaratievertraging (maanden)", "median_lag_months", "0.0"),
    (f"Aandeel {LATE_LAG} maanden of later gedeclareerd", "late_share", style.PERCENT),
    ("Aandeel afgewezen (declaratie-antwoorden)", "rejected_share", style.PERCENT),
)
#: Product table: header, column of ``provider_export``'s ``per_product``, number format.
PRODUCT_COLUMNS = (
    ("Productcategorie", "product_category", None),
    ("Omschrijving", None, None),
    ("Taakveld", "taakveld", None),
    ("Omschrijving taakveld", None, None),
    ("Verplicht", "committed_euro", style.EURO),
    ("Gedeclareerd", "claimed_euro", style.EURO),
    ("Nog te declareren", "late_euro", style.EURO),
    ("Resterende maanden", "remaining_euro", style.EURO),
    ("Nieuwe cliënten", "inflow_euro", style.EURO),
    ("Prognose", "forecast_euro", style.EURO),
    ("Ondergrens", "lower_euro", style.EURO),
    ("Bovengrens", "upper_euro", style.EURO),
    ("Benuttingsgraad", "utilisation", style.PERCENT),
)
#: Width of the product table's two description columns (they wrap).
DESCRIPTION_WIDTH = 26
_SUMMED = {"committed_euro", "claimed_euro", "late_euro", "remaining_euro", "inflow_euro",
           "forecast_euro"}


def export_file_name(code: str, name: str | None = None) -> str:
    """A stable file name for one provider, never shared with another AGB code.

    The code part is the code itself when it consists of digits, lower-case letters and
    hyphens; otherwise its cleaned form plus 8 characters of its SHA-256 (so codes that
    differ only in case or punctuation still differ). The name part (after ``__``) is for
    the reader only.

    >>> export_file_name("98010001", "Zorggroep De Linde")
    'aanbieder_98010001__zorggroep-de-linde.xlsx'
    >>> export_file_name("AB/1") != export_file_name("ab1")
    True
    """
    code = str(code)
    slug = re.sub(r"[^0-9a-z-]", "", code.lower())
    part = slug if slug == code and slug else \
        f"{slug or 'x'}_{hashlib.sha256(code.encode('utf-8')).hexdigest()[:8]}"
    title = ""
    if name:
        plain = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
        title = re.sub(r"[^0-9a-z]+", "-", plain.lower()).strip("-")[:40].strip("-")
    return f"aanbieder_{part}" + (f"__{title}" if title else "") + ".xlsx"


def provider_workbook(result: PrognoseResult, code: str, claim_lines: pd.DataFrame, *,
                      municipality: str | None = None) -> Workbook:
    """The three sheets for one provider: Overzicht, Per product, Per maand."""
    tables = provider_export(code, result.forecast, claim_lines, result.providers)
    name = result.provider_name(code)
    f = result.forecast
    wb = Workbook()
    ws = wb.active
    ws.title = OVERVIEW
    about = (f"AGB-code {code}. Jaareindeprognose {f.year}, peilmaand {f.as_of:%m-%Y}, "
             f"marge {f.level:.0%}" + (f"; {municipality}" if municipality else "") + ".")
    style.write_data(ws, "A1", f"Aanbieder {name}")
    ws["A1"].font = style.TITLE
    style.write_data(ws, "A2", about)
    ws["A2"].font = style.SUBTITLE
    _overview(ws, tables["overview"], code, name)
    _products(wb.create_sheet(PER_PRODUCT), tables["per_product"], name)
    _months(wb.create_sheet(PER_MONTH), tables["per_month"], name)
    # sized and cut into pages like the model: the overview's note ran past its table onto a
    # page of its own, and the product table printed on two pages across
    for sheet in wb.worksheets:
        fit.fit_sheet(sheet)
    printing.print_setup(wb, municipality or "")
    return wb


def _overview(ws, overview: pd.DataFrame, code: str, name: str) -> None:
    style.header_row(ws, 4, 1, ["Onderwerp", "Waarde"])
    rows = [("AGB-code", code, None), ("Naam", name, None)]
    row = overview.iloc[0] if len(overview) else None
    for label, key, fmt in OVERVIEW_ROWS:
        value = None if row is None else row[key]
        rows.append((label, None if value is None or value != value else float(value), fmt))
    late = bool(row["structurally_late"]) if row is not None else False
    rows.append(("Structureel laat", yes_no(late), None))
    for k, (label, value, fmt) in enumerate(rows, start=5):
        ws.cell(row=k, column=1, value=label)
        style.write_data(ws, f"B{k}", value, number_format=fmt)
        style.mark_output([ws[f"B{k}"]])
    note = len(rows) + 6
    ws.cell(row=note, column=1, value=(
        f"Structureel laat: mediane vertraging van {LATE_MEDIAN_MONTHS} maanden of meer, of meer "
        f"dan {LATE_SHARE:.0%} van het bedrag {LATE_LAG} maanden of later gedeclareerd. "
        "Bedragen in euro over het prognosejaar; de marge komt uit de nagekomen declaraties en "
        "de spreiding van de benutting.")).font = style.SUBTITLE
    fit.note(ws, f"A{note}")
    style.widths(ws, {1: 46, 2: 30})


def _products(ws, table: pd.DataFrame, name: str) -> None:
    style.title(ws, "Prognose per productcategorie", None)
    style.write_data(ws, "A2", f"Aanbieder {name}; bedragen in euro, grootste eerst.")
    ws["A2"].font = style.SUBTITLE
    style.header_row(ws, 4, 1, [h for h, _, _ in PRODUCT_COLUMNS])
    r = 5
    for _, line in table.iterrows():
        values = []
        for header, key, _ in PRODUCT_COLUMNS:
            if key is not None:
                values.append(line[key])
            elif header == "Omschrijving":
                values.append(product_category_name(line["product_category"]))
            else:
                values.append(taakveld_name(line["taakveld"]))
        _row(ws, r, values)
        r += 1
    totals = ["Totaal", None, None, None,
              *(float(table[key].sum()) if key in _SUMMED else None
                for _, key, _ in PRODUCT_COLUMNS[4:])]
    _row(ws, r, totals)
    for c in range(1, len(PRODUCT_COLUMNS) + 1):
        ws.cell(row=r, column=c).font = Font(name="Calibri", size=11, bold=True)
    style.widths(ws, {1: 16, 2: DESCRIPTION_WIDTH, 3: 10, 4: DESCRIPTION_WIDTH,
                      **{c: 15 for c in range(5, 14)}})
    # the two descriptions wrap in their columns, so the table fits one page across
    fit.keep_width(ws, 2, 4)
    for row in ws.iter_rows(min_row=5, min_col=2, max_col=4):
        for cell in (row[0], row[2]):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _header_layout(ws)
    ws.freeze_panes = "C5"


def _row(ws, r: int, values: list) -> None:
    for c, ((_, _, fmt), value) in enumerate(zip(PRODUCT_COLUMNS, values), start=1):
        if isinstance(value, float) and value != value:
            value = None
        elif value is not None and not isinstance(value, str):
            value = float(value)
        style.write_data(ws, ws.cell(row=r, column=c).coordinate, value, number_format=fmt)
        style.mark_output([ws.cell(row=r, column=c)])


def _months(ws, table: pd.DataFrame, name: str) -> None:
    style.title(ws, "Declaraties per productmaand en vertraging", None)
    style.write_data(ws, "A2", (f"Aanbieder {name}: netto gedeclareerd per maand waarin de zorg "
                                "is geleverd (rij), naar het aantal maanden tot de declaratie "
                                "(kolom). Bedragen in euro."))
    ws["A2"].font = style.SUBTITLE
    lags = [c for c in table.columns if c != "service_month"]
    style.header_row(ws, 4, 1, ["Productmaand", *(f"{lag} mnd later" if lag else "zelfde maand"
                                                   for lag in lags), "Totaal"])
    for k, (_, line) in enumerate(table.iterrows(), start=5):
        ws.cell(row=k, column=1, value=line["service_month"].to_pydatetime()).number_format = \
            "mmm yyyy"
        amounts = [float(line[lag]) for lag in lags]
        for c, value in enumerate([*amounts, sum(amounts)], start=2):
            ws.cell(row=k, column=c, value=value).number_format = style.EURO
    style.widths(ws, {1: 14, **{c: 13 for c in range(2, len(lags) + 3)}})
    _header_layout(ws)
    ws.freeze_panes = "B5"


def _header_layout(ws) -> None:
    """Room for a two-line header, and the header repeated on every printed page."""
    ws.row_dimensions[4].height = 32
    ws.print_title_rows = "4:4"
