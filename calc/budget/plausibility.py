"""Plausibility before a year-end forecast replaces begroting lines.

A store with a handful of claims gives a forecast of a handful of euro; put in the begroting
it would silently replace the municipality's own figures. Before a forecast replaces lines,
``coverage`` measures per taakveld what it stands on (months of claims in the forecast year,
claim lines, clients) and ``judge`` decides per theme (the unit the begroting replaces, see
``calc.budget.demo.start_table``) whether it may: the theme's taakvelden together need at
least ``MIN_MONTHS`` months of claims, ``MIN_LINES`` claim lines and ``MIN_CLIENTS``
clients, and the forecast must lie between ``SHARE_RANGE`` times the lines it replaces.
Otherwise the existing amount stays and ``reason`` says why, in Dutch.

The share test compares a forecast with the begroting *of its own municipality*: a store of
Gemeente Voorbeeld holding a twentieth of its messages is caught by it. Against another
municipality's amounts (a small municipality's store beside the demo's begroting of 60.000
inhabitants) a share says nothing, and refusing a well-covered forecast there kept the demo's
assumption in its place: ``judge``'s ``owner`` names whose begroting ``existing`` is.

>>> cov = pd.DataFrame({"taakveld": ["6.72d"], "theme": ["Jeugd"], "months": [2], "lines": [3],
...                     "clients": [2], "forecast_euro": [450.0]})
>>> existing = pd.DataFrame({"taakveld": ["6.72a"], "theme": ["Jeugd"], "amount_euro": [8e6]})
>>> judge(cov, existing).loc[0, "reason"]
'prognose niet gebruikt: 2 maanden declaraties (minimaal 6), 3 declaratieregels (minimaal 100), 2 cliënten (minimaal 10), prognose 0% van het bestaande bedrag (toegestaan 50% tot 200%)'
"""

from __future__ import annotations

import pandas as pd

from calc.text import nl_euro

MIN_MONTHS = 6
MIN_LINES = 100
MIN_CLIENTS = 10
SHARE_RANGE = (0.5, 2.0)

COVERAGE = ("taakveld", "theme", "months", "lines", "clients", "forecast_euro", "municipalities")


def coverage(claim_lines: pd.DataFrame, forecast) -> pd.DataFrame:
    """Per taakveld of the forecast: months with claims in its year (up to the peilmaand),
    debit claim lines, distinct clients, the forecast, and the gemeentecodes of those lines
    (comma-separated, "" when unknown) (``COVERAGE`` columns)."""
    from calc.prognose.yearend import taakveld_table

    detail = getattr(forecast, "detail", forecast)
    keys = ["taakveld", "theme"] if "theme" in detail.columns else ["taakveld"]
    out = detail.groupby(keys, sort=False, dropna=False)["forecast_euro"].sum().reset_index()
    if "theme" not in out.columns:
        out["theme"] = None
    out["taakveld"] = out["taakveld"].astype(str)
    lines = claim_lines
    if len(lines):
        month = pd.to_datetime(lines["service_month"])
        as_of = getattr(forecast, "as_of", None)
        keep = (month.dt.year == forecast.year) & (lines["amount_euro"] > 0)
        if as_of is not None:
            keep &= month <= pd.Timestamp(as_of)
        lines = lines[keep]
    table = taakveld_table()
    tv = lines["product_category"].astype(str).map(dict(zip(table["product_category"],
                                                            table["taakveld"])))
    codes = (lines["municipality"].astype(str) if "municipality" in lines.columns
             else pd.Series("", index=lines.index))
    stats = (lines.assign(taakveld=tv, month=pd.to_datetime(lines["service_month"]), code=codes)
             .groupby("taakveld").agg(months=("month", "nunique"), lines=("client", "size"),
                                      clients=("client", "nunique"),
                                      municipalities=("code", _codes)))
    out = out.merge(stats, left_on="taakveld", right_index=True, how="left")
    for c in ("months", "lines", "clients"):
        out[c] = out[c].fillna(0).astype(int)
    out["municipalities"] = out["municipalities"].fillna("")
    return out[list(COVERAGE)].reset_index(drop=True)


def _codes(values: pd.Series) -> str:
    return ", ".join(sorted(set(values) - {"", "None", "nan"}))


def municipalities(cover: pd.DataFrame) -> set[str]:
    """The gemeentecodes a coverage table's claim lines come from (empty when unknown)."""
    column = cover["municipalities"] if "municipalities" in cover.columns else []
    return {c for m in column if isinstance(m, str) for c in m.split(", ") if c}


def store_problem(debit_lines: int) -> str | None:
    """Dutch reason why a store is too thin for any forecast to feed the begroting, or None.

    >>> store_problem(3)
    'de opslag heeft 3 declaratieregels (minimaal 100): geen prognose gebruikt, de begroting houdt de bestaande bedragen'
    """
    if debit_lines >= MIN_LINES:
        return None
    return (f"de opslag heeft {debit_lines} declaratieregels (minimaal {MIN_LINES}): geen "
            "prognose gebruikt, de begroting houdt de bestaande bedragen")


def judge(cover: pd.DataFrame, existing: pd.DataFrame, *, owner: str | None = None) -> pd.DataFrame:
    """Per theme of the forecast: its coverage, the existing amount it would replace, the
    share, ``use`` (True: the forecast may replace) and the Dutch ``reason`` when not.

    ``existing`` holds the begroting's lines (``taakveld``, ``theme``, ``amount_euro``); a
    theme replaces the lines of its taakvelden and of its name (as ``start_table`` does).
    ``owner``: the gemeentecode whose begroting ``existing`` is; the share test applies only
    where the theme's claim lines are of that municipality alone (or where ``owner`` is None:
    ``existing`` is the forecast's own municipality's begroting).

    >>> cov = pd.DataFrame({"taakveld": ["6.72d"], "theme": ["Jeugd"], "months": [10],
    ...                     "lines": [400], "clients": [30], "forecast_euro": [4e5],
    ...                     "municipalities": ["0363"]})
    >>> existing = pd.DataFrame({"taakveld": ["6.72a"], "theme": ["Jeugd"], "amount_euro": [8e6]})
    >>> [bool(judge(cov, existing, owner=o).loc[0, "use"]) for o in ("9999", None)]
    [True, False]
    """
    rows = []
    for theme, group in cover.groupby("theme", sort=False, dropna=False):
        same = owner is None or municipalities(group) == {owner}
        tvs = set(group["taakveld"])
        hit = existing["taakveld"].astype(str).isin(tvs) | (existing["theme"] == theme)
        old = float(existing.loc[hit, "amount_euro"].sum())
        new = float(group["forecast_euro"].sum())
        months, lines, clients = (int(group["months"].max()), int(group["lines"].sum()),
                                  int(group["clients"].sum()))
        share = new / old if old > 0 else None
        why = []
        if months < MIN_MONTHS:
            why.append(f"{_n(months, 'maand', 'maanden')} declaraties (minimaal {MIN_MONTHS})")
        if lines < MIN_LINES:
            why.append(f"{_n(lines, 'declaratieregel', 'declaratieregels')} (minimaal "
                       f"{MIN_LINES})")
        if clients < MIN_CLIENTS:
            why.append(f"{_n(clients, 'cliënt', 'cliënten')} (minimaal {MIN_CLIENTS})")
        low, high = SHARE_RANGE
        if same and share is not None and not low <= share <= high:
            why.append(f"prognose {share:.0%} van het bestaande bedrag (toegestaan "
                       f"{low:.0%} tot {high:.0%})")
        rows.append({"theme": theme, "taakvelden": ", ".join(sorted(tvs)), "months": months,
                     "lines": lines, "clients": clients, "forecast_euro": new,
                     "existing_euro": old if old > 0 else None, "share": share,
                     "use": not why,
                     "reason": ("prognose niet gebruikt: " + ", ".join(why)) if why else None})
    return pd.DataFrame(rows, columns=["theme", "taakvelden", "months", "lines", "clients",
                                       "forecast_euro", "existing_euro", "share", "use",
                                       "reason"])


def _n(count: int, one: str, more: str) -> str:
    return f"{count} {one if count == 1 else more}"


def warning_lines(verdict: pd.DataFrame, *, existing: bool = True) -> list[str]:
    """Dutch lines for the command line: every theme whose forecast is not used, and why.
    ``existing``: the begroting's own amount stays instead (the demo municipality); without it
    (another municipality, whose begroting Grip does not have) the line only says why."""
    out = []
    for v in verdict[~verdict["use"]].itertuples(index=False):
        instead = (f"houdt het bestaande bedrag {nl_euro(v.existing_euro or 0)} in plaats van "
                   "de prognose" if existing else "krijgt geen lasten uit de prognose")
        out.append(f"Let op: {v.theme} ({v.taakvelden}) {instead} "
                   f"{nl_euro(v.forecast_euro)}: {v.reason}.")
    return out


def coverage_lines(cover: pd.DataFrame) -> list[str]:
    """Dutch lines: per taakveld what its forecast stands on."""
    out = ["Dekking van de prognose per taakveld (maanden declaraties, regels, cliënten):"]
    for c in cover.itertuples(index=False):
        out.append(f"  {c.taakveld:<7} {c.months:>2} mnd, {c.lines:>7} regels, {c.clients:>6} "
                   f"cliënten, prognose {nl_euro(c.forecast_euro)}")
    return out
