"""Demo figures of Gemeente Voorbeeld (about 60,000 inhabitants): our assumptions, not data.

Orders of magnitude follow public figures for a municipality of this size (sociaal domein
about 1,300 euro per inhabitant, algemene uitkering about 1,650 euro per inhabitant); every
number here is an *aanname* and the sheet labels it so. The scenario is the 2.4 billion cut
from 2026 and 1.0 billion Hervormingsagenda uitname from 2028.
"""

from __future__ import annotations

import pandas as pd

from calc import profile
from calc.budget.baseline import start_from_forecast
from calc.budget.business_case import BusinessCase
from calc.budget.cross import with_cross_effects
from calc.budget.income import FUND_BN, FundScenario
from calc.budget.measures import Measure
from calc.budget.plausibility import judge, municipalities
from calc.budget.years import Horizon
from calc.cross_effects import load_model

INHABITANTS = profile.INHABITANTS
HORIZON = Horizon(first_year=2026, n_years=4)
CUT_LABEL, CUT_FROM = "2,4 mld", 2026
REFORM_LABEL, REFORM_FROM = "1,0 mld", 2028
SCENARIO = FundScenario.from_labels(CUT_LABEL, CUT_FROM, REFORM_LABEL, REFORM_FROM)

#: taakveld, theme, lasten 2025 (jaareindeprognose, euro), loonaandeel.
START = (
    ("6.1", "Preventie en voorliggend veld", 5_800_000, 0.70),
    ("6.2", "Toegang en wijkteams", 7_400_000, 0.85),
    ("6.3", "Bijstand", 17_500_000, 1.00),
    ("6.3", "Minimabeleid en bijzondere bijstand", 2_300_000, 0.50),
    ("6.3", "Schuldhulpverlening", 900_000, 0.85),
    ("6.4", "Wsw en beschut werk", 5_200_000, 0.90),
    ("6.5", "Re-integratie", 2_100_000, 0.60),
    ("6.6", "Wmo hulpmiddelen en woonvoorzieningen", 2_700_000, 0.30),
    ("6.71a", "Wmo huishoudelijke hulp", 4_300_000, 0.90),
    ("6.71b", "Wmo begeleiding en dagbesteding", 3_800_000, 0.85),
    ("6.71c", "Wmo begeleiding en dagbesteding", 2_500_000, 0.85),
    ("6.72a", "Jeugdhulp zonder verblijf", 4_900_000, 0.85),
    ("6.72b", "Jeugdhulp zonder verblijf", 3_700_000, 0.85),
    ("6.73a", "Jeugdhulp met verblijf", 2_200_000, 0.80),
    ("6.73c", "Jeugdhulp met verblijf", 5_600_000, 0.80),
    ("6.74b", "Jeugd-ggz, crisis en gesloten", 1_600_000, 0.85),
    ("6.81a", "Beschermd wonen en opvang", 1_200_000, 0.85),
    ("6.82a", "Jeugdbescherming en jeugdreclassering", 1_700_000, 0.85),
    ("4.3", "Vervoer", 1_900_000, 0.60),
)
WAGE_INDEX = (0.035, 0.030, 0.028, 0.028)
PRICE_INDEX = (0.022, 0.020, 0.020, 0.020)
VOLUME_GROWTH = (0.010, 0.005, 0.005, 0.005)
#: Total algemene uitkering before the cut (euro) and the part the sociaal domein carries.
ALGEMENE_UITKERING = (99_000_000, 101_900_000, 104_900_000, 108_000_000)
DOMAIN_SHARE = 0.64
#: BUIG, eigen bijdragen, rijksbijdragen (euro).
OTHER_INCOME = (19_000_000, 19_500_000, 20_000_000, 20_500_000)
RESERVE_USE = (1_000_000, 500_000, 0, 0)

#: name, theme, low, most likely, high (euro per year saving), start, structural, chance.
#: Indirect effects come from the dwarsverbanden model (``calc.cross_effects`` defaults).
MEASURES = (
    ("Praktijkondersteuner jeugd bij huisartsen", "Jeugdhulp zonder verblijf",
     300_000, 650_000, 900_000, 2026, True, 0.9),
    ("Eenmalige herindicatie begeleiding", "Wmo begeleiding en dagbesteding",
     200_000, 300_000, 400_000, 2026, False, None),
    ("Herindicatie huishoudelijke hulp", "Wmo huishoudelijke hulp",
     300_000, 600_000, 800_000, 2027, True, 0.85),
    ("Resultaatgerichte inkoop jeugdhulp met verblijf", "Jeugdhulp met verblijf",
     800_000, 1_600_000, 2_400_000, 2027, True, 0.7),
    ("Extra inzet vroegsignalering schulden", "Schuldhulpverlening",
     -180_000, -150_000, -120_000, 2026, True, None),
    ("Bundeling leerlingen- en Wmo-vervoer", "Vervoer",
     150_000, 300_000, 400_000, 2028, True, None),
    ("Minder externe inhuur in de toegang", "Toegang en wijkteams",
     400_000, 800_000, 1_000_000, 2028, True, 0.8),
)

BUSINESS_CASE = BusinessCase(
    goal="Minder uithuisplaatsingen: gezinsgerichte hulp vóór verblijf",
    themes=("Jeugdhulp met verblijf", "Jeugdhulp zonder verblijf", "Toegang en wijkteams"),
    first_year=2026, investment=(450_000, 300_000, 150_000, 0, 0, 0),
    savings=(0, 250_000, 500_000, 700_000, 750_000, 750_000),
    indicators=("lasten jeugdhulp met verblijf per jeugdige", "aantal jeugdigen met verblijf",
                "gemiddelde duur van verblijf (maanden)", "lasten per cliënt gezinsgerichte hulp"),
    discount_rate=0.02)


#: Loonaandeel of a prognose line whose theme has no demo line (aanname).
DEFAULT_WAGE_SHARE = 0.85


def verdict(coverage: pd.DataFrame) -> pd.DataFrame:
    """``plausibility.judge`` of a forecast's coverage against the demo's begroting, which is
    Gemeente Voorbeeld's (``profile.CODE``): another municipality's forecast is not judged by
    its share of the demo's amounts."""
    return judge(coverage, pd.DataFrame(START, columns=["taakveld", "theme", "amount_euro",
                                                        "wage_share"]), owner=profile.CODE)


def is_own(coverage: pd.DataFrame | None) -> bool:
    """Do the demo's begroting and the forecast (its ``coverage``) belong to one municipality?"""
    return coverage is not None and municipalities(coverage) == {profile.CODE}


def start_table(forecast=None, coverage: pd.DataFrame | None = None) -> pd.DataFrame:
    """The starting amounts as the table ``calc.budget.baseline`` takes.

    Without ``forecast`` the demo figures. With a ``calc.prognose`` year-end forecast, the
    forecast's lines come from it (``start_from_forecast``) and replace every demo line whose
    taakveld *or theme* the forecast has (the messages may book a theme on other taakvelden
    than the demo, e.g. all verblijf on 6.73c: the demo's 6.73a would count it twice); the
    other lines (bijstand, Wsw, toegang, hulpmiddelen ...) keep the demo figures. Column
    ``from_forecast`` says which is which; a prognose line takes the demo loonaandeel of its
    theme (else ``DEFAULT_WAGE_SHARE``).

    ``coverage`` (``calc.budget.plausibility.coverage``) gates the replacement: a theme whose
    forecast stands on too little (``plausibility.judge``) keeps the existing lines, and
    column ``note`` says why (None elsewhere). Without ``coverage`` every line is replaced.
    """
    demo = pd.DataFrame(START, columns=["taakveld", "theme", "amount_euro", "wage_share"])
    if forecast is None:
        return demo.assign(from_forecast=False, note=None)
    frame = getattr(forecast, "detail", forecast)
    by_theme: dict[str, str] = {}
    by_taakveld: dict[str, str] = {}
    if coverage is not None and len(coverage):
        judged = verdict(coverage)
        for v in judged[~judged["use"]].itertuples(index=False):
            by_theme[v.theme] = v.reason
            for tv in v.taakvelden.split(", "):
                by_taakveld[tv] = v.reason
        frame = frame[~frame["taakveld"].astype(str).isin(set(by_taakveld))]
    themes = set(frame["theme"].astype(str)) if "theme" in frame.columns else set()
    rest = demo[~demo["taakveld"].isin(set(frame["taakveld"].astype(str))) & ~demo["theme"].isin(themes)]
    table = start_from_forecast(frame, rest)
    table["from_forecast"] = [i < len(table) - len(rest) for i in range(len(table))]
    shares = demo.drop_duplicates("theme").set_index("theme")["wage_share"]
    if "wage_share" not in table.columns:
        table["wage_share"] = float("nan")
    table["wage_share"] = table["wage_share"].fillna(table["theme"].map(shares)).fillna(DEFAULT_WAGE_SHARE)
    # an object column: pandas 3 reads a list of texts and None as strings with NaN, and a NaN
    # note is truthy (the sheet's Bron said 'aanname (demo): nan' for every line)
    table["note"] = pd.Series([None if f else by_theme.get(h) or by_taakveld.get(str(t))
                               for t, h, f in zip(table["taakveld"], table["theme"],
                                                  table["from_forecast"])],
                              index=table.index, dtype=object)
    return table[["taakveld", "theme", "amount_euro", "wage_share", "from_forecast", "note"]]


def business_case(horizon: Horizon = HORIZON) -> BusinessCase:
    """The demo opgave, its years starting in the budget year of ``horizon``.

    >>> business_case(Horizon(first_year=2027, n_years=4)).years[:2]
    [2027, 2028]
    """
    return BUSINESS_CASE.model_copy(update={"first_year": horizon.first_year})


def measures(horizon: Horizon = HORIZON) -> list[Measure]:
    """The demo measures with their indirect effects from the default dwarsverbanden model.

    Start years are relative to the budget year: for another horizon they shift along.
    """
    shift = horizon.first_year - HORIZON.first_year
    plain = [Measure(name=n, theme=t, low=lo, most_likely=ml, high=hi, start_year=y + shift,
                     structural=s, chance=q) for n, t, lo, ml, hi, y, s, q in MEASURES]
    return with_cross_effects(plain, load_model(), horizon)


FUND = FUND_BN
