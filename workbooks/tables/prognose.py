"""The prognose's tables as the sheets Prognose and Aanbieders and the button "Prognose
bijwerken" show them: headers, Dutch labels and hints, fixed sizes.

``head_rows`` (status and notes), ``yearend_rows``, ``provider_rows``, ``referrer_rows``,
``trajectory_rows``, ``monthly_rows`` and ``look_back_rows`` turn a
``calc.prognose.report.PrognoseResult`` (or ``None``: not computed yet) into rows of a fixed
range (``fixed_rows``). A new column is one entry in a ``*_HEADER`` and one value in its
``*_rows``; the sheet takes its width from the header.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from addin.convert import Rows, fixed_rows
from calc.names import label, product_category_name
from calc.prognose.report import PrognoseResult
from calc.text import yes_no
from workbooks.fit import text_width

#: Columns of the year-end table (sheet Prognose, named range ``grip_uit_prognose``).
YEAREND_HEADER = ("Niveau", "Code", "Omschrijving", "Gedeclareerd", "Nog te declareren", "Resterende maanden",
                  "Nieuwe cliënten", "Prognose", "Ondergrens", "Bovengrens", "Verplicht")
#: Columns of the provider table (sheet Aanbieders, named range ``grip_uit_aanbieders``).
PROVIDER_HEADER = ("AGB-code", "Aanbieder", "Verplicht", "Gedeclareerd", "Nog te declareren",
                   "Prognose", "Ondergrens", "Bovengrens", "Benuttingsgraad",
                   "Mediane vertraging (mnd)", "Aandeel laat", "Aandeel afgewezen",
                   "Structureel laat")
#: Columns of inflow and spending per referrer (sheet Aanbieders, ``grip_uit_verwijzers``).
REFERRER_HEADER = ("Code", "Verwijzer", "Verzoeken", "Cliënten", "Uitgaven")
#: Columns of the cost of a trajectory per product (sheet Aanbieders, ``grip_uit_trajecten``).
TRAJECTORY_HEADER = ("Productcategorie", "Omschrijving", "Productcode", "Toewijzingen",
                     "Gepland mediaan", "Gepland P80", "Gedeclareerd mediaan",
                     "Gedeclareerd P80", "Mediane duur (mnd)")
#: Columns of the monthly chart data (sheet Prognose).
MONTHLY_HEADER = ("Maand", "Gedeclareerd + nagekomen", "Prognose", "Ondergrens", "Marge")
#: Columns of the look-back (sheet Prognose, "Terugblik").
LOOK_BACK_HEADER = ("Peilmaand", "Bron", "Prognose", "Ondergrens", "Bovengrens", "Werkelijk",
                    "Afwijking", "Binnen marge", "Gem. afwijking taakvelden",
                    "Taakvelden binnen marge")
#: Rows of the look-back: one per evaluation month.
LOOK_BACK_ROWS = 12

#: The hints of an empty table: the prognose has not run yet.
CLICK = "Klik op 'Prognose bijwerken' in het lint."
NOT_YET = "Nog geen prognose: klik op 'Prognose bijwerken' in het lint."

_LEVEL_LABELS = (("total", "Totaal"), ("taakveld", "Taakveld"), ("theme", "Thema"),
                 ("product_category", "Productcategorie"))
_AMOUNTS = ("claimed_euro", "late_euro", "remaining_euro", "inflow_euro", "forecast_euro",
            "lower_euro", "upper_euro", "committed_euro")


#: The status line of a workbook without a forecast (first row of ``grip_uit_prognose_kop``).
HINT = ("Nog geen prognose berekend: vul bij Parameters de opslag in en klik in het lint op "
        "'Prognose bijwerken' (of gebruik 'grip prognose --opslag PAD').")
#: What no forecast can see at its peilmaand (issue 17, acc17h: on municipalities with these
#: habits March's forecast was 2-3 % of the year high when a cut followed from April-August).
UNSEEN = ("Niet daarin: wat na de peilmaand besloten wordt of gebeurt (een korting op de "
          "instroom, een aanbieder die stopt).")
#: What the forecast adds up, in two lines under the status.
METHOD = ("Prognose = gedeclareerd + nog te declareren (uit hoe laat er eerder is gedeclareerd) + "
          "resterende maanden (verplichting x benuttingsgraad) + nieuwe cliënten; "
          "de methoden staan op het blad Toelichting. " + UNSEEN)
#: The same for a store of claims only (no allocation known: nothing is committed).
METHOD_CLAIMS_ONLY = ("Prognose = gedeclareerd + nog te declareren (uit hoe laat er eerder is "
                      "gedeclareerd) + resterende maanden (het tempo van de declaraties per "
                      "maand; nieuwe cliënten zitten daarin): er zijn geen toewijzingen bekend; "
                      "de methoden staan op het blad Toelichting. Niet daarin: wat na de "
                      "peilmaand besloten wordt of gebeurt (een aanbieder die stopt).")
#: Width of one line of the status and notes, in Excel column units: inside columns A to K
#: of the Prognose sheet (about 170 units) whether or not it was built with a forecast.
HEAD_LINE_WIDTH = 150.0
#: The start of a paragraph's next line in the status and notes.
INDENT = "   "


def _pct(x: float) -> str:
    """A fraction as a Dutch percentage with one decimal (0.0123 -> '1,2%')."""
    return f"{x * 100:.1f}%".replace(".", ",")


def trust_text(result: PrognoseResult | None) -> str | None:
    """One Dutch sentence on how far to trust this year's forecast (``result.trust``).

    None without a look-back (no previous year in the store).
    """
    t = None if result is None else result.trust
    if t is None:
        return None
    direction = "te hoog" if t.bias > 0 else "te laag"
    text = (f"Betrouwbaarheid: vorig jaar ({t.year}) zat de prognose over {t.months} "
            f"peilmaanden gemiddeld {_pct(abs(t.bias))} {direction} (gemiddelde afwijking "
            f"{_pct(t.mape)}); de werkelijkheid lag in {round(t.coverage * t.months)} van de "
            f"{t.months} peilmaanden binnen de {t.level:.0%}-marge")
    if t.coverage_taakveld == t.coverage_taakveld:        # not NaN
        text += f", per taakveld in {t.coverage_taakveld:.0%} van de gevallen"
    return text + ". Werkelijk = wat tot nu is gedeclareerd; vlak na het jaar nog wat laag."


def wrap_line(text: str, width: float = HEAD_LINE_WIDTH, *, indent: str = "") -> list[str]:
    """``text`` cut into lines of at most ``width`` column units (word by word, Calibri 11);
    lines after the first start with ``indent``.

    >>> wrap_line("een twee drie", 6, indent="  ")
    ['een', '  twee', '  drie']
    >>> wrap_line("kort")
    ['kort']
    """
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        candidate = f"{line} {word}" if line else (indent if lines else "") + word
        if line and text_width(candidate) > width:
            lines.append(line)
            line = indent + word
        else:
            line = candidate
    return lines + [line] if line or not lines else lines


#: The methods' names stand on the sheet Toelichting only (``tests/workbooks/test_layout.py``):
#: a note of the calc that names one says it in plain words on the Prognose sheet.
PLAIN_WORDS = ((" (Kaplan-Meier)", ""),
               ("volgens Bornhuetter-Ferguson (verplichting x benuttingsgraad)",
                "volgens verplichting x benuttingsgraad"),
               ("volgens Bornhuetter-Ferguson (het tempo van de declaraties per maand)",
                "volgens het tempo van de declaraties per maand"))
_METHOD_NAMES = re.compile(r"Kaplan-Meier|Bornhuetter-Ferguson|[Cc]hain ladder|Monte Carlo|MAPE")


def plain(note: str) -> str:
    """A note of the calc without the name of a method (those are explained on Toelichting).

    >>> plain("nagekomen bedrag volgens Bornhuetter-Ferguson (verplichting x benuttingsgraad).")
    'nagekomen bedrag volgens verplichting x benuttingsgraad.'
    >>> plain("stopkans (Kaplan-Meier) uit 3 toewijzingen; MAPE 2%")
    'stopkans uit 3 toewijzingen; gemiddelde afwijking 2%'
    """
    for old, new in PLAIN_WORDS:
        note = note.replace(old, new)
    return _METHOD_NAMES.sub(lambda m: "gemiddelde afwijking" if m.group(0) == "MAPE"
                             else "de methode op het blad Toelichting", note)


def status_line(result: PrognoseResult | None, *, store: str | None = None,
                computed_at: dt.datetime | None = None) -> str:
    """Which year and peilmaand, when computed and from which store (its file name only)."""
    if result is None:
        return HINT
    f = result.forecast
    text = f"Jaar {f.year}, peilmaand {f.as_of:%m-%Y}, marge {f.level:.0%}"
    if computed_at is not None:
        text += f"; berekend op {computed_at:%d-%m-%Y %H:%M}"
    if store:
        text += f" uit de opslag {store}"
    return text + "."


def head_rows(result: PrognoseResult | None, n_rows: int, *, store: str | None = None,
              computed_at: dt.datetime | None = None) -> Rows:
    """The status and every note of the forecast, one line per row (fixed size, 1 column).

    The status (``status_line``), the sum the forecast is, how far last year's forecast was
    off (``trust_text``), then the notes of the calc (``result.notes``: the peilmaand guard's
    warning first, the inflow break or the announced change, stopped providers, ...), each
    cut into lines of ``HEAD_LINE_WIDTH``. When they do not fit, the last row says how many
    lines were left out and where to read them all. Without a result: the hint alone.
    The builder (sheet Prognose) and the button "Prognose bijwerken" both write this.
    """
    if result is None:
        return fixed_rows([[HINT]], n_rows, 1)
    lines = wrap_line(status_line(result, store=store, computed_at=computed_at), indent=INDENT)
    lines += wrap_line(METHOD_CLAIMS_ONLY if result.forecast.claims_only else METHOD,
                       indent=INDENT)
    trust = trust_text(result)
    if trust:
        lines += wrap_line(trust, indent=INDENT)
    if result.notes:
        lines.append(f"Aantekeningen bij deze prognose ({len(result.notes)}):")
        for note in result.notes:
            lines += wrap_line(f"– {plain(note)}", indent=INDENT)
    else:
        lines.append("Geen aantekeningen bij deze prognose.")
    return fixed_rows([[line] for line in lines], n_rows, 1, more=lambda left: [
        f"… nog {left} regels met aantekeningen passen hier niet: 'grip prognose --opslag PAD' "
        "toont ze alle."])


def _number(x):
    return None if x is None or (isinstance(x, float) and not np.isfinite(x)) else float(x)


def yearend_rows(result: PrognoseResult | None, n_rows: int) -> Rows:
    """The year-end table: total, then per taakveld, theme and product category (fixed size).

    Each row has the level, the code (taakveld, product category; none for the total and a
    theme, whose name is its code) and the description beside it (``calc.names``).
    Without a result, one row with a Dutch hint. When the rows do not fit, the last row
    says how many were left out.
    """
    width = len(YEAREND_HEADER)
    if result is None:
        return fixed_rows([["Nog geen prognose", None, CLICK]], n_rows, width)
    rows = []
    for level, level_label in _LEVEL_LABELS:
        table = result.forecast.by(level)
        for _, r in table.iterrows():
            if level in ("total", "theme"):
                code, text = None, "Totaal" if level == "total" else str(r[level])
            else:
                code = str(r[level])
                text = label(level, code) or "(onbekende code)"
            rows.append([level_label, code, text, *(_number(r[c]) for c in _AMOUNTS)])
    return fixed_rows(rows, n_rows, width,
                      more=lambda left: ["…", None, f"{left} regels passen niet; zie de export"])


def provider_rows(result: PrognoseResult | None, n_rows: int) -> Rows:
    """The provider table, largest forecast first (fixed size)."""
    width = len(PROVIDER_HEADER)
    if result is None:
        return fixed_rows([[NOT_YET]], n_rows, width)
    cols = ("committed_euro", "claimed_euro", "late_euro", "forecast_euro", "lower_euro",
            "upper_euro", "utilisation", "median_lag_months", "late_share", "rejected_share")
    rows = [[str(r["provider"]), result.provider_name(r["provider"]),
             *(_number(r[c]) for c in cols), yes_no(r["structurally_late"])]
            for _, r in result.providers.iterrows()]
    return fixed_rows(rows, n_rows, width,
                      more=lambda left: [f"… nog {left} aanbieders (zie de export)"])


def referrer_rows(result: PrognoseResult | None, n_rows: int) -> Rows:
    """Inflow and spending per referrer, largest spending first (fixed size): the code of the
    codelist Verwijzer beside its name."""
    width = len(REFERRER_HEADER)
    refs = None if result is None else result.referrers
    if refs is None or refs.empty:
        text = NOT_YET if result is None else "Geen verzoeken of declaraties in dit jaar."
        return fixed_rows([[text]], n_rows, width)
    rows = [[r["referrer_type"] or None, r["referrer"], _number(r["requests"]),
             _number(r["clients"]), _number(r["spending_euro"])] for _, r in refs.iterrows()]
    return fixed_rows(rows, n_rows, width,
                      more=lambda left: [None, f"… nog {left} verwijzers"])


def trajectory_rows(result: PrognoseResult | None, n_rows: int) -> Rows:
    """The typical cost of one trajectory per product code (fixed size): the product
    category with its name, the code, the number of allocations and the median and 80th
    percentile of the planned and the claimed cost, and the median duration in months."""
    width = len(TRAJECTORY_HEADER)
    traj = None if result is None else result.trajectories
    if traj is None or traj.empty:
        text = NOT_YET if result is None else "Geen toewijzingen met declaraties."
        return fixed_rows([[text]], n_rows, width)
    cols = ("allocations", "planned_median_euro", "planned_p80_euro", "claimed_median_euro",
            "claimed_p80_euro", "median_months")
    rows = [[str(r["product_category"]), product_category_name(r["product_category"]),
             str(r["product_code"]), *(_number(r[c]) for c in cols)]
            for _, r in traj.iterrows()]
    return fixed_rows(rows, n_rows, width,
                      more=lambda left: [None, f"… nog {left} producten"])


def look_back_rows(result: PrognoseResult | None, n_rows: int = LOOK_BACK_ROWS) -> Rows:
    """Last year's forecast per evaluation month against what came in (fixed size)."""
    width = len(LOOK_BACK_HEADER)
    report = None if result is None else result.backtest
    if report is None or report.empty:
        text = (NOT_YET if result is None
                else "Geen terugblik: de opslag heeft geen declaraties van vorig jaar.")
        return fixed_rows([[text]], n_rows, width)
    rows = [[r["as_of"].to_pydatetime(), r["source"], _number(r["forecast_euro"]),
             _number(r["lower_euro"]), _number(r["upper_euro"]), _number(r["actual_euro"]),
             _number(r["error"]), yes_no(r["coverage"] >= 1),
             _number(r["mape_taakveld"]), _number(r["coverage_taakveld"])]
            for _, r in report.iterrows()]
    return fixed_rows(rows, n_rows, width)


def monthly_rows(result: PrognoseResult | None, n_rows: int) -> Rows:
    """Chart data: month, actual (claimed + late), forecast, lower bound, band width.

    The last ``n_rows`` months, *bottom-aligned* (empty rows first, December last): a chart
    over the fixed range then ends at the last month instead of dropping to zero over empty
    rows. The last month with an actual value also carries it as forecast and lower bound
    (band width 0), so the dashed forecast and its band start from the actual line.
    """
    width = len(MONTHLY_HEADER)
    if result is None:
        return fixed_rows([], n_rows, width)
    m = result.monthly.tail(n_rows)
    rows = [[r["month"].to_pydatetime(), _number(r["expected_euro"]),
             _number(r["forecast_euro"]), _number(r["lower_euro"]),
             _number(r["upper_euro"] - r["lower_euro"])] for _, r in m.iterrows()]
    actual = [i for i, r in enumerate(rows) if r[1] is not None]
    if actual and actual[-1] + 1 < len(rows) and rows[actual[-1]][2] is None:
        joint = rows[actual[-1]]
        joint[2], joint[3], joint[4] = joint[1], joint[1], 0.0
    return fixed_rows(rows, n_rows, width, bottom=True)
